/**
 * The extension against the local provider simulator, with no API account needed.
 *
 *   npm run demo                          a Chromium window; stop with Ctrl+C
 *   npm run demo -- --screenshots DIR     headless; writes popup.png, sidepanel.png, sidepanel-dark.png,
 *                                         sidepanel-load-all.png, options.png into DIR
 *
 * It builds for the simulator, starts it, loads the build into Debian Chromium, saves the
 * simulator's Serpstat token through the options page and opens a sample site.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startSimulator } from '../tests/sim/server';
import { SIM_PORT, SIM_SERPSTAT_TOKEN } from '../tests/sim/constants';
import { launchExtensionBrowser, maskedTailPattern, saveSerpstatKey } from '../tests/e2e/extension-browser';
import type { ExtensionBrowser } from '../tests/e2e/extension-browser';
import { buildForSim } from './build-for-sim';

const SAMPLE_DOMAIN = 'shop-example.co.uk';
const SAMPLE_URL = `https://www.${SAMPLE_DOMAIN}/`;
/** Wide enough for the table columns, about what a docked side panel gets. */
const SIDE_PANEL_VIEWPORT = { width: 480, height: 900 };

async function writeScreenshots(extension: ExtensionBrowser, directory: string): Promise<void> {
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
  await popup.screenshot({ path: path.join(directory, 'popup.png') });
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
  console.log(`Screenshots written to ${directory}`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { screenshots: { type: 'string' } } });
  const screenshotDir = values.screenshots ? path.resolve(values.screenshots) : null;

  buildForSim();
  const sim = await startSimulator({ port: SIM_PORT });
  const extension = await launchExtensionBrowser({ headless: screenshotDir !== null }).catch(async (error) => {
    await sim.close();
    throw error;
  });
  const shutdown = async () => {
    await extension.close();
    await sim.close();
  };

  try {
    await saveSerpstatKey(extension, SIM_SERPSTAT_TOKEN);
    if (screenshotDir) {
      await writeScreenshots(extension, screenshotDir);
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
