import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { htmlAssets, staticModuleGraph } from '../../bench/sizes';
import { EXTENSION_DIR } from './extension-browser';

// The provider adapters live in the background (docs/architecture.md): a page whose scripts carried
// a provider's wire names would have loaded an adapter. Checked on the build the other specs drive.
const wireNames = ['SerpstatBacklinksProcedure', 'referring_domains/live', 'appendix/user_data', 'Retry-After'];

/** Every script a page loads before it runs: its entry and the chunks those import statically. */
function pageScripts(page: string): string[] {
  const { scripts } = htmlAssets(readFileSync(path.join(EXTENSION_DIR, page), 'utf8'));
  return [...new Set(scripts.flatMap((script) => staticModuleGraph(EXTENSION_DIR, script)))];
}

const namesIn = (files: string[]) =>
  files.flatMap((file) => {
    const code = readFileSync(path.join(EXTENSION_DIR, file), 'utf8');
    return wireNames.filter((name) => code.includes(name)).map((name) => `${file}: ${name}`);
  });

for (const page of ['popup.html', 'sidepanel.html', 'options.html']) {
  test(`${page} loads no provider adapter`, () => {
    const files = pageScripts(page);
    expect(files.length).toBeGreaterThan(0);
    expect(namesIn(files)).toEqual([]);
  });
}

test('the background carries the adapters, so the check above would see them', () => {
  expect(namesIn(staticModuleGraph(EXTENSION_DIR, 'background.js'))).toHaveLength(wireNames.length);
});

// The public-suffix list (tldts) is read in the background only: the popup and side panel ask it
// (`resolveTarget`). "kerryhotels" is a top-level domain that only the list's data names.
const suffixListMarker = 'kerryhotels';
const carriesSuffixList = (files: string[]) =>
  files.filter((file) => readFileSync(path.join(EXTENSION_DIR, file), 'utf8').includes(suffixListMarker));

for (const page of ['popup.html', 'sidepanel.html']) {
  test(`${page} loads no public-suffix list`, () => {
    const files = pageScripts(page);
    expect(files.length).toBeGreaterThan(0);
    expect(carriesSuffixList(files)).toEqual([]);
  });
}

test('the background carries the public-suffix list, so the check above would see it', () => {
  expect(carriesSuffixList(staticModuleGraph(EXTENSION_DIR, 'background.js'))).not.toEqual([]);
});


// The popup's stylesheet is in popup.html (scripts/inline-stylesheet.ts): a linked one is one more
// file its scripts wait for. The side panel still links the same file.
test('popup.html carries its stylesheet and links none; the side panel links it', () => {
  const popup = htmlAssets(readFileSync(path.join(EXTENSION_DIR, 'popup.html'), 'utf8'));
  const panel = htmlAssets(readFileSync(path.join(EXTENSION_DIR, 'sidepanel.html'), 'utf8'));
  expect(popup.styles).toEqual([]);
  expect(popup.inlineStyles.join('')).toContain(readFileSync(path.join(EXTENSION_DIR, panel.styles[0]!), 'utf8'));
});
