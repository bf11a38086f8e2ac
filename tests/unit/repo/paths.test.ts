import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// The docs and comments point only at files of this repository, and those files exist: a newcomer
// can follow every pointer, and a moved file cannot leave a stale one behind.
const root = join(__dirname, '../../..');
const skipped = new Set(['node_modules', '.output', '.wxt', '.git', 'test-results', 'playwright-report']);
/** Files that name paths on purpose that do not exist (the planted violations of the walls test). */
const plantsPaths = new Set(['tests/unit/repo/rooms.test.ts', 'tests/unit/repo/paths.test.ts']);

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (skipped.has(entry.name)) return [];
    const path = join(dir, entry.name);
    return entry.isDirectory() ? walk(path) : [path];
  });
}

const texts = walk(root)
  .map((path) => relative(root, path).split('\\').join('/'))
  .filter((path) => /\.(md|ts|tsx|js|mjs)$/.test(path) && !plantsPaths.has(path))
  .map((path) => ({ path, text: readFileSync(join(root, path), 'utf8') }));

const repositoryPath = /(?<![\w./@-])(?:lib|components|entrypoints|tests|scripts|bench|docs|public)\/[\w./-]+\.(?:tsx?|md|json|m?js)\b/g;

describe('pointers in docs and comments', () => {
  it('reads the documentation and the code', () => {
    expect(texts.map(({ path }) => path)).toEqual(expect.arrayContaining(['README.md', 'docs/architecture.md', 'lib/shared/providers.ts']));
  });

  it('every repository path they name exists', () => {
    const missing = texts.flatMap(({ path, text }) =>
      [...text.matchAll(repositoryPath)].map(([named]) => named).filter((named) => !existsSync(join(root, named))).map((named) => `${path}: ${named}`),
    );
    expect(missing).toEqual([]);
  });

  it('none points at design notes or provider documents kept outside the repository', () => {
    const outside = texts.filter(({ text }) => /DESIGN\.md|provider-docs\/|NOTES\.md/.test(text)).map(({ path }) => path);
    expect(outside).toEqual([]);
  });
});
