/**
 * The pure part of `npm run release -- <major|minor|patch>` (scripts/release.ts): the next
 * version number, and CHANGELOG.md with the "Unreleased" entries moved under that version.
 */

export type ReleasePart = 'major' | 'minor' | 'patch';

export const RELEASE_PARTS: readonly ReleasePart[] = ['major', 'minor', 'patch'];

/** "0.1.0" → "0.2.0" for 'minor'. Plain x.y.z only: browsers take up to four numbers and no pre-release tags. */
export function nextVersion(current: string, part: ReleasePart): string {
  const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(current);
  if (!match) throw new Error(`The version "${current}" is not major.minor.patch`);
  const [major, minor, patch] = match.slice(1).map(Number) as [number, number, number];
  switch (part) {
    case 'major':
      return `${major + 1}.0.0`;
    case 'minor':
      return `${major}.${minor + 1}.0`;
    case 'patch':
      return `${major}.${minor}.${patch + 1}`;
  }
}

export const UNRELEASED_HEADING = '## [Unreleased]';
const VERSION_HEADING = /^## \[/m;

/**
 * The changelog with a `## [version] - day` heading under an emptied "Unreleased" section,
 * which keeps the entries written there. Refuses a release with nothing in "Unreleased".
 */
export function releaseChangelog(changelog: string, version: string, day: string): string {
  const start = changelog.indexOf(UNRELEASED_HEADING);
  if (start < 0) throw new Error(`CHANGELOG.md has no "${UNRELEASED_HEADING}" section`);
  const bodyStart = start + UNRELEASED_HEADING.length;
  const rest = changelog.slice(bodyStart);
  const next = VERSION_HEADING.exec(rest);
  const body = (next ? rest.slice(0, next.index) : rest).trim();
  if (!/^[-*] /m.test(body)) throw new Error(`Nothing under "${UNRELEASED_HEADING}" in CHANGELOG.md: write what changed first`);
  if (changelog.includes(`## [${version}]`)) throw new Error(`CHANGELOG.md already has a ${version} section`);
  const after = next ? rest.slice(next.index) : '';
  return `${changelog.slice(0, bodyStart)}\n\n## [${version}] - ${day}\n\n${body}\n${after ? `\n${after}` : ''}`;
}
