/**
 * npm run release -- <major|minor|patch>
 *
 * Bumps the version in package.json (and package-lock.json); WXT writes it into both browsers'
 * manifests at build time. Moves CHANGELOG.md's "Unreleased" entries under the new version with
 * today's date. Commits and tags nothing: review the diff, commit, then `npm run zip` and
 * `npm run zip:firefox` for the store packages.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { localDay } from '../lib/background/ledger';
import { nextVersion, releaseChangelog, RELEASE_PARTS, type ReleasePart } from './version';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));
const file = (name: string) => path.join(projectRoot, name);

function main(): void {
  const part = process.argv[2] as ReleasePart | undefined;
  if (!part || !RELEASE_PARTS.includes(part)) throw new Error(`Usage: npm run release -- <${RELEASE_PARTS.join('|')}>`);

  const packageJson = JSON.parse(readFileSync(file('package.json'), 'utf8')) as { version: string };
  const version = nextVersion(packageJson.version, part);
  // Every check first, then the writes: a refused release changes nothing.
  const changelog = releaseChangelog(readFileSync(file('CHANGELOG.md'), 'utf8'), version, localDay(Date.now()));
  const lock = JSON.parse(readFileSync(file('package-lock.json'), 'utf8')) as { version: string; packages: Record<string, { version?: string }> };
  lock.version = version;
  if (lock.packages['']) lock.packages[''].version = version;

  writeFileSync(file('package.json'), `${JSON.stringify({ ...packageJson, version }, null, 2)}\n`);
  writeFileSync(file('package-lock.json'), `${JSON.stringify(lock, null, 2)}\n`);
  writeFileSync(file('CHANGELOG.md'), changelog);
  console.log(`${packageJson.version} → ${version}: package.json, package-lock.json and CHANGELOG.md updated. Review, commit, then npm run zip && npm run zip:firefox.`);
}

try {
  main();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
