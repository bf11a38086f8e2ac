/**
 * The extension against the local provider simulator, with no API account needed.
 *
 *   npm run demo                          a Chromium window; stop with Ctrl+C
 *   npm run demo -- --screenshots DIR     headless; writes popup.png, popup-changes.png, sidepanel.png,
 *                                         sidepanel-dark.png, sidepanel-load-all.png, sidepanel-link-gap.png,
 *                                         sidepanel-link-gap-overlap.png,
 *                                         sidepanel-history.png, sidepanel-rank-distribution.png, options.png into DIR
 *   npm run demo -- --store-assets DIR    headless; writes the store images into DIR: 1280×800
 *                                         store-popup.png, store-sidepanel.png, store-backlinks.png,
 *                                         store-options.png and the 440×280 promo-tile.png
 *
 * It builds for the simulator, starts it, loads the build into Debian Chromium, saves the
 * simulator's Serpstat token through the options page and opens a sample site.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startSimulator } from '../tests/sim/server';
import type { Simulator } from '../tests/sim/server';
import { datasetSize } from '../tests/sim/data';
import { SIM_PORT, SIM_SERPSTAT_TOKEN } from '../tests/sim/constants';
import { launchExtensionBrowser, maskedTailPattern, saveSerpstatKey } from '../tests/e2e/extension-browser';
import type { ExtensionBrowser } from '../tests/e2e/extension-browser';
import { buildForSim } from './build-for-sim';

const SAMPLE_DOMAIN = 'shop-example.co.uk';
const SAMPLE_URL = `https://www.${SAMPLE_DOMAIN}/`;
/** A competitor of the sample shop for the Link gap shot. */
const LINK_GAP_COMPETITOR = 'rival-shop.com';
/** Wide enough for the table columns, about what a docked side panel gets. */
const SIDE_PANEL_VIEWPORT = { width: 480, height: 900 };

async function writeScreenshots(extension: ExtensionBrowser, sim: Simulator, directory: string): Promise<void> {
  mkdirSync(directory, { recursive: true });
  const options = await extension.context.newPage();
  await options.goto(extension.extensionUrl('options.html'));
  await options.getByRole('region', { name: 'Serpstat' }).getByText(maskedTailPattern(SIM_SERPSTAT_TOKEN)).waitFor();
  await options.screenshot({ path: path.join(directory, 'options.png'), fullPage: true });

  const site = await extension.context.newPage();
  await site.goto(SAMPLE_URL);
  const popup = await extension.openPopup(site);
  // The popup is done when its cost line shows: every number on it has arrived.
  await popup.getByText(/^This lookup cost/).waitFor({ timeout: 30_000 });
  // The whole popup, top 10 and cost line included: it is taller than the window Chrome gives it.
  await popup.screenshot({ path: path.join(directory, 'popup.png'), fullPage: true });
  await popup.close();

  const panel = await extension.context.newPage();
  await panel.setViewportSize(SIDE_PANEL_VIEWPORT);
  await panel.goto(extension.extensionUrl(`sidepanel.html?target=${SAMPLE_DOMAIN}`));
  await panel.getByText(/^100 of [\d,]+ loaded$/).waitFor({ timeout: 30_000 });
  await panel.screenshot({ path: path.join(directory, 'sidepanel.png') });
  await panel.emulateMedia({ colorScheme: 'dark' });
  await panel.screenshot({ path: path.join(directory, 'sidepanel-dark.png') });
  await panel.emulateMedia({ colorScheme: 'light' });
  // "Load all" paused part-way: the estimate was accepted, the progress bar shows where it stands.
  await panel.getByRole('button', { name: 'Load all' }).click();
  await panel.getByRole('button', { name: 'Start loading' }).click();
  await panel.getByRole('progressbar', { name: 'Loading all rows' }).waitFor();
  await panel.waitForTimeout(1500);
  await panel.getByRole('button', { name: 'Pause' }).click();
  await panel.screenshot({ path: path.join(directory, 'sidepanel-load-all.png') });

  // Link gap: the sample shop as my site, a competitor's domains that do not link to it.
  await options.getByRole('textbox', { name: /^My site/ }).fill(SAMPLE_DOMAIN);
  await options.getByRole('button', { name: 'Save my sites' }).click();
  await options.getByText('My sites saved.').waitFor();
  const gap = await extension.context.newPage();
  await gap.setViewportSize(SIDE_PANEL_VIEWPORT);
  await gap.goto(extension.extensionUrl(`sidepanel.html?target=${LINK_GAP_COMPETITOR}`));
  await gap.getByRole('tab', { name: 'Link gap' }).click();
  await gap.getByText(/^100 of [\d,]+ loaded$/).waitFor({ timeout: 30_000 });
  await gap.screenshot({ path: path.join(directory, 'sidepanel-link-gap.png') });
  // Its overlap counts (Serpstat, 3 credits), asked for by their button.
  await gap.getByRole('button', { name: /^Overlap counts/ }).click();
  const overlap = gap.getByRole('table', { name: /^Overlap/ });
  await overlap.waitFor({ timeout: 30_000 });
  await overlap.scrollIntoViewIfNeeded();
  await gap.screenshot({ path: path.join(directory, 'sidepanel-link-gap-overlap.png') });

  // History: the weekly new and lost backlinks, asked for by its button.
  await panel.getByRole('tab', { name: 'History' }).click();
  await panel.getByRole('button', { name: /^Load history/ }).click();
  await panel.getByRole('heading', { name: 'New and lost per week' }).waitFor({ timeout: 30_000 });
  await panel.screenshot({ path: path.join(directory, 'sidepanel-history.png') });

  // Rank distribution, unfolded under the Referring domains table: the loaded rows' histogram.
  const ranks = await extension.context.newPage();
  await ranks.setViewportSize(SIDE_PANEL_VIEWPORT);
  await ranks.goto(extension.extensionUrl(`sidepanel.html?target=${SAMPLE_DOMAIN}`));
  await ranks.getByText(/^100 of [\d,]+ loaded$/).waitFor({ timeout: 30_000 });
  await ranks.getByText('Rank distribution').click();
  const histogram = ranks.getByRole('heading', { name: /referring domains loaded, by rank$/ });
  await histogram.waitFor({ timeout: 30_000 });
  await histogram.scrollIntoViewIfNeeded();
  await ranks.screenshot({ path: path.join(directory, 'sidepanel-rank-distribution.png') });

  // The change since my last look: the site gained 12 referring domains since the popup's first look.
  sim.setDatasetSize(SAMPLE_DOMAIN, 'refDomains', datasetSize(SAMPLE_DOMAIN, 'refDomains') + 12);
  await options.getByRole('button', { name: 'Clear cache' }).click();
  await options.getByText(/^Cache cleared/).waitFor();
  const again = await extension.openPopup(site);
  await again.getByText(/^Since /).waitFor({ timeout: 30_000 });
  await again.getByText(/^This lookup cost/).waitFor({ timeout: 30_000 });
  await again.screenshot({ path: path.join(directory, 'popup-changes.png'), fullPage: true });
  console.log(`Screenshots written to ${directory}`);
}

/** The Chrome Web Store's screenshot size (addons.mozilla.org takes it too) and its small promo tile. */
const STORE_SCREENSHOT_SIZE = { width: 1280, height: 800 };
const PROMO_TILE_SIZE = { width: 440, height: 280 };
type StoreAsset = 'store-popup.png' | 'store-sidepanel.png' | 'store-backlinks.png' | 'store-options.png' | 'promo-tile.png';

const dataUrl = (png: Buffer) => `data:image/png;base64,${png.toString('base64')}`;

/**
 * A 1280×800 image of the sample site with an extension surface where the browser shows it: the
 * popup under the toolbar, the side panel docked on the right.
 */
async function onTheSite(extension: ExtensionBrowser, site: Buffer, surface: Buffer, place: 'popup' | 'panel', file: string): Promise<void> {
  const page = await extension.context.newPage();
  await page.setViewportSize(STORE_SCREENSHOT_SIZE);
  const position = place === 'popup' ? 'top: 8px; right: 16px; border-radius: 8px; box-shadow: 0 8px 28px rgb(0 0 0 / 0.35)' : 'top: 0; right: 0; border-left: 1px solid #cbd5e1';
  await page.setContent(`<!doctype html><html><body style="margin: 0; overflow: hidden">
<img alt="" src="${dataUrl(site)}" style="position: absolute; inset: 0">
<img alt="" src="${dataUrl(surface)}" style="position: absolute; ${position}"></body></html>`);
  await page.screenshot({ path: file });
  await page.close();
}

/** The small promo tile: icon, name and what it does, drawn by Chromium from HTML. */
function promoTileHtml(): string {
  const icon = readFileSync(path.join(import.meta.dirname, '..', 'public', 'icon', '128.png'));
  return `<!doctype html><html><body style="margin: 0; width: ${PROMO_TILE_SIZE.width}px; height: ${PROMO_TILE_SIZE.height}px; overflow: hidden;
  display: flex; align-items: center; gap: 24px; padding: 0 32px; box-sizing: border-box; font-family: sans-serif;
  background: linear-gradient(135deg, #1d4ed8, #0f172a); color: white">
<img alt="" src="${dataUrl(icon)}" width="112" height="112">
<div><div style="font-size: 34px; font-weight: 700">Backlink Lens</div>
<div style="margin-top: 10px; font-size: 17px; line-height: 1.35">Who links to the site you are on, with your own Serpstat or DataForSEO key.</div></div>
</body></html>`;
}

async function writeStoreAssets(extension: ExtensionBrowser, directory: string): Promise<void> {
  mkdirSync(directory, { recursive: true });
  const file = (name: StoreAsset) => path.join(directory, name);

  const site = await extension.context.newPage();
  await site.setViewportSize(STORE_SCREENSHOT_SIZE);
  await site.goto(SAMPLE_URL);
  const siteImage = await site.screenshot();
  const popup = await extension.openPopup(site);
  await popup.getByText(/^This lookup cost/).waitFor({ timeout: 30_000 });
  await onTheSite(extension, siteImage, await popup.screenshot(), 'popup', file('store-popup.png'));
  await popup.close();

  const panel = await extension.context.newPage();
  await panel.setViewportSize({ width: SIDE_PANEL_VIEWPORT.width, height: STORE_SCREENSHOT_SIZE.height });
  await panel.goto(extension.extensionUrl(`sidepanel.html?target=${SAMPLE_DOMAIN}`));
  await panel.getByText(/^100 of [\d,]+ loaded$/).waitFor({ timeout: 30_000 });
  await onTheSite(extension, siteImage, await panel.screenshot(), 'panel', file('store-sidepanel.png'));
  await panel.getByRole('tab', { name: 'Backlinks', exact: true }).click();
  await panel.getByRole('table', { name: 'Backlinks' }).getByRole('row').nth(5).waitFor({ timeout: 30_000 });
  await panel.getByText(/^100 of [\d,]+ loaded$/).waitFor({ timeout: 30_000 });
  await onTheSite(extension, siteImage, await panel.screenshot(), 'panel', file('store-backlinks.png'));

  const options = await extension.context.newPage();
  await options.setViewportSize(STORE_SCREENSHOT_SIZE);
  await options.goto(extension.extensionUrl('options.html'));
  await options.getByRole('region', { name: 'Serpstat' }).getByText(maskedTailPattern(SIM_SERPSTAT_TOKEN)).waitFor();
  await options.screenshot({ path: file('store-options.png') });

  const tile = await extension.context.newPage();
  await tile.setViewportSize(PROMO_TILE_SIZE);
  await tile.setContent(promoTileHtml());
  await tile.screenshot({ path: file('promo-tile.png') });
  console.log(`Store images written to ${directory}`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { screenshots: { type: 'string' }, 'store-assets': { type: 'string' } } });
  const screenshotDir = values.screenshots ? path.resolve(values.screenshots) : null;
  const storeAssetsDir = values['store-assets'] ? path.resolve(values['store-assets']) : null;
  const headless = screenshotDir !== null || storeAssetsDir !== null;

  buildForSim();
  const sim = await startSimulator({ port: SIM_PORT });
  const extension = await launchExtensionBrowser({ headless }).catch(async (error) => {
    await sim.close();
    throw error;
  });
  const shutdown = async () => {
    await extension.close();
    await sim.close();
  };

  try {
    await saveSerpstatKey(extension, SIM_SERPSTAT_TOKEN);
    if (headless) {
      if (screenshotDir) await writeScreenshots(extension, sim, screenshotDir);
      if (storeAssetsDir) await writeStoreAssets(extension, storeAssetsDir);
      await shutdown();
      return;
    }
    const site = await extension.context.newPage();
    await site.goto(SAMPLE_URL);
    console.log(
      [
        `Simulator on ${sim.url}; the Serpstat token is saved.`,
        `Click the Backlink Lens icon on ${SAMPLE_URL}, or open ${extension.extensionUrl('sidepanel.html')} in a tab.`,
        'Any https:// address opens a sample page the simulator has data for. Ctrl+C stops the demo.',
      ].join('\n'),
    );
  } catch (error) {
    await shutdown();
    throw error;
  }

  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
    // Closing the browser window ends the demo too.
    extension.context.once('close', () => resolve());
  });
  await shutdown().catch(() => undefined);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
