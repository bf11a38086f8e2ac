/**
 * WCAG 2 A/AA checks (axe-core) of the popup, the side panel (table, Load all dialog, progress)
 * and the options page, in the light and the dark colour scheme, plus dark-mode screenshots for
 * a look. Contrast is checked on what is on screen, so each state is checked where it shows.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from '@playwright/test';
import { SIM_SERPSTAT_TOKEN } from '../sim/constants';
import type { Preferences } from '../../lib/settings';
import { expect, saveSerpstatKey, test } from './fixtures';
import { loaded, openPanel, setLocalStorage } from './panel-helpers';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}
declare const axe: { run(context: Document, options: object): Promise<{ violations: AxeViolation[] }> };

/** Every WCAG 2.0/2.1 A and AA violation on the page as it is now, as readable lines. */
async function wcagViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol: the extension's CSP (rightly) refuses an injected <script>.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const { violations } = await page.evaluate(() => axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }));
  return violations.flatMap((violation) =>
    violation.nodes.map((node) => `${violation.id} (${violation.help}) at ${node.target.join(' ')}: ${node.failureSummary ?? ''}`),
  );
}

const preferences: Preferences = { provider: 'serpstat', scope: 'domain_with_subdomains', pageSize: 100, serpstatRequestsPerSecond: 1 };

test.beforeEach(async ({ extension }) => {
  await saveSerpstatKey(extension, SIM_SERPSTAT_TOKEN);
  await setLocalStorage(extension, { preferences });
});

for (const colorScheme of ['light', 'dark'] as const) {
  test(`popup, side panel and options meet WCAG AA in the ${colorScheme} scheme`, async ({ extension, openSite, sim }, testInfo) => {
    sim.setDatasetSize('shop-example.co.uk', 'refDomains', 1_000);
    await extension.context.pages()[0]?.emulateMedia({ colorScheme });

    const site = await openSite('https://www.shop-example.co.uk/');
    const popup = await extension.openPopup(site);
    await popup.emulateMedia({ colorScheme });
    await expect(popup.getByText(/^This lookup cost/)).toBeVisible({ timeout: 15_000 });
    expect(await wcagViolations(popup), 'popup').toEqual([]);
    await popup.close();

    const panel = await openPanel(extension, 'shop-example.co.uk');
    await panel.setViewportSize({ width: 420, height: 900 });
    await panel.emulateMedia({ colorScheme });
    await expect(loaded(panel, 100, 1_000)).toBeVisible();
    expect(await wcagViolations(panel), 'side panel with its table').toEqual([]);
    await panel.screenshot({ path: testInfo.outputPath(`sidepanel-${colorScheme}.png`) });

    await panel.getByRole('button', { name: 'Load all' }).click();
    await expect(panel.getByRole('dialog')).toBeVisible();
    expect(await wcagViolations(panel), 'Load all dialog').toEqual([]);
    await panel.getByRole('button', { name: 'Start loading' }).click();
    await expect(panel.getByRole('progressbar', { name: 'Loading all rows' })).toBeVisible();
    await panel.getByRole('button', { name: 'Pause' }).click();
    expect(await wcagViolations(panel), 'Load all progress, paused').toEqual([]);

    const options = await extension.context.newPage();
    await options.emulateMedia({ colorScheme });
    await options.goto(extension.extensionUrl('options.html'));
    await expect(options.getByRole('region', { name: 'Serpstat' })).toBeVisible();
    expect(await wcagViolations(options), 'options').toEqual([]);
  });
}
