import { describe, expect, it } from 'vitest';
import { nextVersion, releaseChangelog } from '../../../scripts/version';

/** The pure part of `npm run release` (scripts/version.ts). */

describe('nextVersion', () => {
  it('bumps one part and zeroes the smaller ones', () => {
    expect(nextVersion('0.1.0', 'patch')).toBe('0.1.1');
    expect(nextVersion('0.1.7', 'minor')).toBe('0.2.0');
    expect(nextVersion('1.4.2', 'major')).toBe('2.0.0');
    expect(nextVersion('0.9.9', 'minor')).toBe('0.10.0');
  });

  it('refuses a version a browser would not take as it is', () => {
    expect(() => nextVersion('1.0.0-beta.1', 'patch')).toThrow(/major\.minor\.patch/);
    expect(() => nextVersion('1.0', 'patch')).toThrow(/major\.minor\.patch/);
  });
});

const changelog = `# Changelog

Intro line.

## [Unreleased]

- Added: a German catalogue.
- Fixed: the toolbar title in Firefox.

## [0.1.0] - 2026-11-30

- First version.
`;

describe('releaseChangelog', () => {
  it('moves the Unreleased entries under the new version and leaves Unreleased empty', () => {
    expect(releaseChangelog(changelog, '0.2.0', '2026-12-24')).toBe(`# Changelog

Intro line.

## [Unreleased]

## [0.2.0] - 2026-12-24

- Added: a German catalogue.
- Fixed: the toolbar title in Firefox.

## [0.1.0] - 2026-11-30

- First version.
`);
  });

  it('works when Unreleased is the only section', () => {
    expect(releaseChangelog('# Changelog\n\n## [Unreleased]\n\n- One thing.\n', '0.1.1', '2027-01-02')).toBe(
      '# Changelog\n\n## [Unreleased]\n\n## [0.1.1] - 2027-01-02\n\n- One thing.\n',
    );
  });

  it('refuses a release with nothing written under Unreleased, a missing section, or a version already there', () => {
    const released = releaseChangelog(changelog, '0.2.0', '2026-12-24');
    expect(() => releaseChangelog(released, '0.3.0', '2026-12-25')).toThrow(/Nothing under/);
    expect(() => releaseChangelog('# Changelog\n', '0.3.0', '2026-12-25')).toThrow(/no "## \[Unreleased\]"/);
    expect(() => releaseChangelog(changelog, '0.1.0', '2026-12-25')).toThrow(/already has a 0\.1\.0/);
  });
});
