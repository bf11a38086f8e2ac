/**
 * The store images come from the real command, `npm run demo -- --store-assets DIR`, against the
 * simulator build; each file must have the size the stores take (Chrome Web Store: 1280×800
 * screenshots, a 440×280 small promo tile), read from its PNG header. Its own Playwright project
 * (playwright.config.ts): the demo starts the simulator itself, on the port the build calls.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, test } from '@playwright/test';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

/** Width and height from a PNG's IHDR chunk (bytes 16–23, big-endian), after checking the signature. */
function pngSize(file: string): { width: number; height: number } {
  const bytes = readFileSync(file);
  if (!bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) || bytes.toString('latin1', 12, 16) !== 'IHDR') {
    throw new Error(`${file} is not a PNG`);
  }
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

const expected = {
  'store-popup.png': { width: 1280, height: 800 },
  'store-sidepanel.png': { width: 1280, height: 800 },
  'store-backlinks.png': { width: 1280, height: 800 },
  'store-options.png': { width: 1280, height: 800 },
  'promo-tile.png': { width: 440, height: 280 },
};

test('npm run demo -- --store-assets DIR writes four 1280×800 screenshots and the 440×280 promo tile', async () => {
  test.setTimeout(240_000);
  const directory = mkdtempSync(path.join(tmpdir(), 'backlink-lens-store-'));
  try {
    await promisify(execFile)('npm', ['run', 'demo', '--', '--store-assets', directory], { cwd: projectRoot, timeout: 230_000 });
    expect(readdirSync(directory).sort()).toEqual(Object.keys(expected).sort());
    const sizes = Object.fromEntries(Object.keys(expected).map((name) => [name, pngSize(path.join(directory, name))]));
    expect(sizes).toEqual(expected);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});
