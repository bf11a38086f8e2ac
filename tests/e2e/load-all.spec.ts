/**
 * "Load all", export and copy in the side panel against the simulator: the estimate comes first
 * and a Cancel there costs nothing; every row arrives once through three service-worker stops;
 * cancel stops requests at once; 100,000 rows stay a small DOM; DataForSEO backlinks past offset
 * 20,000 follow continuation tokens, a new panel and worker continue through the cache, each page
 * paid once; the per-lookup limit asks before scrolling past it; the CSV parses back to the
 * simulator's rows; Copy domains fills the clipboard.
 */
import { readFile } from 'node:fs/promises';
import Papa from 'papaparse';
import type { Download, Page } from '@playwright/test';
import { SIM_SERPSTAT_TOKEN } from '../sim/constants';
import { DATAFORSEO_BACKLINKS_PATH, DATAFORSEO_REFERRING_DOMAINS_PATH } from '../sim/dataforseo';
import type { Preferences } from '../../lib/shared/settings';
import { asciiDomain, expect, saveSerpstatKey, serpstatCalls, simTopRefDomains, test } from './fixtures';
import type { Simulator } from './fixtures';
import type { ExtensionBrowser } from './extension-browser';
import { formatCount, ledgerEntries, loaded, openPanel, saveDataForSeoKey, setLocalStorage } from './panel-helpers';

const preferences: Preferences = {
  provider: 'serpstat',
  scope: 'domain_with_subdomains',
  pageSize: 100,
  serpstatRequestsPerSecond: 10,
  dataforseoPagesAtOnce: 4,
  lookUpFollowedTab: false,
};

/** The Serpstat referring-domain pages asked for one domain, in request order. */
/**
 * Waits until the Load all progress bar says at least `rows` are loaded. Pages reach the table in
 * batches, so the bar may step over any one count.
 */
async function progressReaches(panel: Page, rows: number, timeout: number): Promise<void> {
  const progress = panel.getByRole('progressbar', { name: 'Loading all rows' });
  await expect.poll(async () => Number(await progress.getAttribute('aria-valuenow')), { timeout }).toBeGreaterThanOrEqual(rows);
}

/** The bar's fill, as drawn (after its transition), matches the rows the progress bar says are loaded. */
async function barShowsProgress(panel: Page): Promise<void> {
  const progress = panel.getByRole('progressbar', { name: 'Loading all rows' });
  await expect
    .poll(
      () =>
        progress.evaluate((track) => {
          const fill = track.querySelector('[data-testid="load-all-bar"]')!.getBoundingClientRect().width / track.getBoundingClientRect().width;
          const said = Number(track.getAttribute('aria-valuenow')) / Number(track.getAttribute('aria-valuemax'));
          return Math.abs(fill - said);
        }),
      { timeout: 5_000 },
    )
    .toBeLessThan(0.01);
}

function refDomainPages(sim: Simulator, domain: string): number[] {
  return serpstatCalls(sim, 'getRefDomains')
    .filter((entry) => entry.params.query === domain)
    .map((entry) => entry.params.page ?? 0);
}

/** The DataForSEO referring-domain offsets asked for one target, in request order. */
function dataforseoOffsets(sim: Simulator, target: string): number[] {
  return sim.log
    .filter((entry) => entry.provider === 'dataforseo' && entry.method === DATAFORSEO_REFERRING_DOMAINS_PATH)
    .map((entry) => entry.params as { target?: string; offset?: number })
    .filter((task) => task.target === target)
    .map((task) => task.offset ?? 0);
}

/** Clicks "Export CSV" and parses the file the browser saved: header row, then the data rows. */
async function exportCsv(panel: Page): Promise<{ download: Download; rows: string[][] }> {
  const [download] = await Promise.all([panel.waitForEvent('download'), panel.getByRole('button', { name: 'Export CSV' }).click()]);
  const text = await readFile(await download.path(), 'utf8');
  expect(text.startsWith('\uFEFF')).toBe(true);
  const parsed = Papa.parse<string[]>(text.slice(1), { skipEmptyLines: true });
  expect(parsed.errors).toEqual([]);
  return { download, rows: parsed.data };
}

/** Opens the panel on a Serpstat table of `total` rows at 2 requests a second and starts "Load all". */
async function startLoadAll(extension: ExtensionBrowser, sim: Simulator, domain: string, total: number): Promise<Page> {
  sim.setDatasetSize(domain, 'refDomains', total);
  await setLocalStorage(extension, { preferences: { ...preferences, serpstatRequestsPerSecond: 2 } });
  const panel = await openPanel(extension, domain);
  await expect(loaded(panel, 100, total)).toBeVisible();
  await panel.getByRole('button', { name: 'Load all' }).click();
  await panel.getByRole('button', { name: 'Start loading' }).click();
  return panel;
}

const today = () => {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
};

test.beforeEach(async ({ extension }) => {
  await saveSerpstatKey(extension, SIM_SERPSTAT_TOKEN);
  await setLocalStorage(extension, { preferences });
});

test('Load all shows the estimate first, and its Cancel sends nothing', async ({ extension, sim }) => {
  const domain = 'estimate-example.com';
  sim.setDatasetSize(domain, 'refDomains', 5_000);
  const panel = await openPanel(extension, domain);
  await expect(loaded(panel, 100, 5_000)).toBeVisible();

  await panel.getByRole('button', { name: 'Load all' }).click();
  const dialog = panel.getByRole('dialog', { name: /^Load all referring domains/ });
  await expect(dialog).toContainText('4,900 more rows in 49 requests (pages 2–50), estimated cost 4,900 credits');
  await expect(dialog).toContainText('That is above your limit of 1,000 credits per lookup.');
  await expect(dialog.getByRole('button', { name: 'Start loading' })).toBeFocused();
  await panel.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await panel.waitForTimeout(500);
  expect(refDomainPages(sim, domain)).toEqual([1]);
});

test('Load all over 5,000 rows through three service-worker stops: every row once, no page asked twice, CSV equal to the simulator', async ({
  extension,
  sim,
}) => {
  test.setTimeout(120_000);
  const domain = 'load-all-example.com';
  const total = 5_000;
  sim.setDatasetSize(domain, 'refDomains', total);
  // One request a second and no latency: between two pages the next one waits in the worker's
  // queue, so a stop right after a page arrived never catches a request on the wire.
  await setLocalStorage(extension, { preferences: { ...preferences, pageSize: 500, serpstatRequestsPerSecond: 1 } });
  const panel = await openPanel(extension, domain);
  await expect(loaded(panel, 500, total)).toBeVisible();

  await panel.getByRole('button', { name: 'Load all' }).click();
  await panel.getByRole('button', { name: 'Start loading' }).click();
  const progress = panel.getByRole('progressbar', { name: 'Loading all rows' });
  await expect(progress).toHaveAttribute('aria-valuemax', String(total));

  for (const rows of [1_500, 2_500, 3_500]) {
    await progressReaches(panel, rows, 20_000);
    await barShowsProgress(panel);
    await extension.stopServiceWorker();
  }
  await expect(loaded(panel, total, total)).toBeVisible({ timeout: 30_000 });
  await expect(progress).toHaveCount(0);
  await expect(panel.getByRole('button', { name: 'Load all' })).toHaveCount(0);

  expect(refDomainPages(sim, domain)).toEqual(Array.from({ length: total / 500 }, (_, index) => index + 1));

  const { download, rows } = await exportCsv(panel);
  expect(download.suggestedFilename()).toBe(`referring-domains_${domain}_serpstat_${today()}.csv`);
  expect(rows[0]).toEqual(['Domain', 'Rank', 'Referring pages']);
  expect(rows.slice(1).map((row) => asciiDomain(row[0]!))).toEqual(simTopRefDomains(domain, total, total));
  await expect(panel.getByRole('status').filter({ hasText: /^Exported 5,000 rows to / })).toBeVisible();
});

test('Cancel loading stops requests at once and keeps the rows that arrived', async ({ extension, sim }) => {
  const domain = 'cancel-example.com';
  const total = 3_000;
  const panel = await startLoadAll(extension, sim, domain, total);
  const progress = panel.getByRole('progressbar', { name: 'Loading all rows' });
  await progressReaches(panel, 400, 10_000);
  await panel.getByRole('button', { name: 'Cancel loading' }).click();
  await expect(progress).toHaveCount(0);

  // A request already sent may still land just after the click; none may start later.
  await panel.waitForTimeout(300);
  const asked = refDomainPages(sim, domain);
  await panel.waitForTimeout(2_000);
  expect(refDomainPages(sim, domain)).toEqual(asked);
  expect(asked).toEqual(Array.from({ length: asked.length }, (_, index) => index + 1));
  await expect(panel.getByRole('status').filter({ hasText: new RegExp(`^[\\d,]+ of ${formatCount(total)} loaded`) })).toBeVisible();
  await expect(panel.getByRole('button', { name: 'Load all' })).toBeVisible();
});

test('Pause stops asking, Resume goes on from the next page', async ({ extension, sim }) => {
  const domain = 'pause-example.com';
  const total = 1_500;
  const panel = await startLoadAll(extension, sim, domain, total);
  await progressReaches(panel, 300, 10_000);
  await panel.getByRole('button', { name: 'Pause' }).click();
  await expect(panel.getByText(/· paused$/)).toBeVisible();
  await panel.waitForTimeout(300);
  const asked = refDomainPages(sim, domain).length;
  await panel.waitForTimeout(1_500);
  expect(refDomainPages(sim, domain)).toHaveLength(asked);

  await panel.getByRole('button', { name: 'Resume' }).click();
  await expect(loaded(panel, total, total)).toBeVisible({ timeout: 20_000 });
  expect(refDomainPages(sim, domain)).toEqual(Array.from({ length: total / 100 }, (_, index) => index + 1));
});

test('100,000 rows from DataForSEO: a small DOM, the last row reachable by scrolling, each row once in the CSV', async ({
  extension,
  sim,
}) => {
  test.setTimeout(240_000);
  const domain = 'huge-example.com';
  sim.setDatasetSize(domain, 'refDomains', 100_000);
  await saveDataForSeoKey(extension);
  await setLocalStorage(extension, {
    preferences: { ...preferences, provider: 'dataforseo', pageSize: 1_000 },
    budget: { perLookupCredits: 1_000, perLookupUsd: 10, dailyCapCredits: null, dailyCapUsd: null },
  });
  const panel = await openPanel(extension, domain);
  const status = panel.getByRole('status').filter({ hasText: /^1,000 of [\d,]+ loaded/ });
  await expect(status).toBeVisible({ timeout: 15_000 });
  const total = Number(/of ([\d,]+) loaded/.exec((await status.textContent()) ?? '')![1]!.replace(/,/g, ''));
  expect(total).toBeGreaterThan(90_000);

  await panel.getByRole('button', { name: 'Load all' }).click();
  await expect(panel.getByRole('dialog')).toContainText(`${formatCount(total - 1_000)} more rows in ${formatCount(Math.ceil(total / 1_000) - 1)} requests`);
  await panel.getByRole('button', { name: 'Start loading' }).click();
  await expect(loaded(panel, total, total)).toBeVisible({ timeout: 200_000 });

  // Several pages are in flight at once, so they may reach the simulator out of order: each once is what counts.
  const offsets = dataforseoOffsets(sim, domain).sort((a, b) => a - b);
  expect(offsets).toEqual(Array.from({ length: Math.ceil(total / 1_000) }, (_, index) => index * 1_000));

  const table = panel.getByRole('table', { name: 'Referring domains' });
  expect(await table.locator('tbody tr').count()).toBeLessThanOrEqual(300);
  await panel.getByTestId('report-table-scroll').evaluate((element) => element.scrollTo({ top: element.scrollHeight }));
  await expect(table.locator(`tbody tr[aria-rowindex="${total + 1}"]`)).toBeVisible();
  expect(await table.locator('tbody tr').count()).toBeLessThanOrEqual(300);

  const { rows } = await exportCsv(panel);
  const domains = rows.slice(1).map((row) => row[0]);
  expect(domains).toHaveLength(total);
  expect(new Set(domains).size).toBe(total);
  const lastShown = await table.locator(`tbody tr[aria-rowindex="${total + 1}"] td`).first().textContent();
  expect(asciiDomain(lastShown ?? '')).toBe(asciiDomain(domains.at(-1)!));
});

test('DataForSEO backlinks past offset 20,000: the pages after it follow the continuation tokens, and a new panel and worker continue through the cache, each page paid once', async ({
  extension,
  sim,
}) => {
  test.setTimeout(180_000);
  const domain = 'deep-links-example.com';
  const total = 30_500;
  sim.setDatasetSize(domain, 'backlinks', total);
  // Long enough a page for Pause to land among the token pages, which go one after another.
  sim.setLatency(300);
  await saveDataForSeoKey(extension);
  await setLocalStorage(extension, {
    preferences: { ...preferences, provider: 'dataforseo', pageSize: 1_000 },
    budget: { perLookupCredits: 1_000, perLookupUsd: 10, dailyCapCredits: null, dailyCapUsd: null },
  });
  const backlinksTasks = () =>
    sim.log
      .filter((entry) => entry.provider === 'dataforseo' && entry.method === DATAFORSEO_BACKLINKS_PATH)
      .map((entry) => entry.params as { target?: string; offset?: number; search_after_token?: string })
      .filter((task) => task.target === domain);
  const openBacklinks = async () => {
    const panel = await openPanel(extension, domain);
    await panel.getByRole('tab', { name: 'Backlinks', exact: true }).click();
    await expect(loaded(panel, 1_000, total)).toBeVisible({ timeout: 15_000 });
    await panel.getByRole('button', { name: 'Load all' }).click();
    await panel.getByRole('button', { name: 'Start loading' }).click();
    return panel;
  };

  const first = await openBacklinks();
  await progressReaches(first, 22_000, 60_000);
  await first.getByRole('button', { name: 'Pause' }).click();
  await expect(first.getByText(/· paused$/)).toBeVisible();
  // The page on its way when Pause was pressed lands in the cache; then nothing more is asked.
  await expect.poll(async () => {
    const asked = backlinksTasks().length;
    await first.waitForTimeout(600);
    return backlinksTasks().length === asked;
  }).toBe(true);
  const askedBefore = backlinksTasks().length;
  expect(askedBefore).toBeLessThan(31);
  await first.close();
  // A new worker knows no token: the new panel's pages come from the cache up to where the first
  // stopped, the token pages followed from the last offset page's cached answer.
  await extension.stopServiceWorker();

  const second = await openBacklinks();
  await expect(loaded(second, total, total)).toBeVisible({ timeout: 60_000 });

  const tasks = backlinksTasks();
  const byOffset = tasks.filter((task) => task.search_after_token === undefined).map((task) => task.offset ?? 0);
  expect(byOffset.sort((a, b) => a - b)).toEqual(Array.from({ length: 21 }, (_, index) => index * 1_000));
  const tokens = tasks.flatMap((task) => (task.search_after_token === undefined ? [] : [task.search_after_token]));
  expect(tokens).toHaveLength(10);
  expect(new Set(tokens).size).toBe(10);
  const paid = (await ledgerEntries(await extension.liveServiceWorker())).filter(
    (entry) => entry.kind === 'paid' && entry.target === domain && entry.report === 'backlinks',
  );
  expect(paid).toHaveLength(31);
});

test('past the per-lookup limit, scrolling asks before the next page is paid for', async ({ extension, sim }) => {
  const domain = 'limit-example.com';
  sim.setDatasetSize(domain, 'refDomains', 1_000);
  await setLocalStorage(extension, { budget: { perLookupCredits: 150, perLookupUsd: 0.5, dailyCapCredits: null, dailyCapUsd: null } });
  const panel = await openPanel(extension, domain);
  await expect(loaded(panel, 100, 1_000)).toBeVisible();

  await panel.getByTestId('report-table-scroll').evaluate((element) => element.scrollTo({ top: element.scrollHeight }));
  await expect(panel.getByText('This table has reached your limit of 150 credits per lookup. The next page costs about 100 credits.')).toBeVisible();
  await expect(panel.getByRole('button', { name: /^Load next/ })).toHaveCount(0);
  await panel.waitForTimeout(500);
  expect(refDomainPages(sim, domain)).toEqual([1]);

  await panel.getByRole('button', { name: 'Continue loading' }).click();
  await expect(loaded(panel, 200, 1_000)).toBeVisible();
  expect(refDomainPages(sim, domain)).toEqual([1, 2]);
});

test('a first page above the per-lookup limit waits for the user before it is paid for', async ({ extension, sim }) => {
  const domain = 'small-limit-example.com';
  sim.setDatasetSize(domain, 'refDomains', 1_000);
  await setLocalStorage(extension, { budget: { perLookupCredits: 50, perLookupUsd: 0.5, dailyCapCredits: null, dailyCapUsd: null } });
  const panel = await openPanel(extension, domain);
  await expect(panel.getByText('The first page of this table costs up to 100 credits, above your limit of 50 credits per lookup.', { exact: false })).toBeVisible();
  await panel.waitForTimeout(500);
  expect(refDomainPages(sim, domain)).toEqual([]);

  await panel.getByRole('button', { name: 'Load the first page' }).click();
  await expect(loaded(panel, 100, 1_000)).toBeVisible();
  expect(refDomainPages(sim, domain)).toEqual([1]);
});

test('Both (merge): the per-lookup limit holds back each provider\'s pages until the user says yes', async ({ extension, sim }) => {
  const domain = 'merge-limit-example.com';
  sim.setDatasetSize(domain, 'refDomains', 1_000);
  await saveDataForSeoKey(extension);
  const limits = (perLookupCredits: number, perLookupUsd: number) => ({ budget: { perLookupCredits, perLookupUsd, dailyCapCredits: null, dailyCapUsd: null } });
  await setLocalStorage(extension, limits(50, 0.01));
  const panel = await openPanel(extension, domain);
  await expect(panel.getByText('The first page of this table costs up to 100 credits, above your limit of 50 credits per lookup.', { exact: false })).toBeVisible();
  await panel.getByRole('combobox', { name: 'Provider' }).selectOption({ label: 'Both (merge)' });
  // Below one page of either provider: neither first page is sent.
  await expect(panel.getByText('The first page of this table costs up to $0.02300, above your limit of $0.01000 per lookup.', { exact: false })).toBeVisible();
  await expect(panel.getByText('The first page of this table costs up to 100 credits, above your limit of 50 credits per lookup.', { exact: false })).toBeVisible();
  await panel.waitForTimeout(500);
  expect(refDomainPages(sim, domain)).toEqual([]);
  expect(dataforseoOffsets(sim, domain)).toEqual([]);

  // A limit of one and a half pages: the go-ahead sends both first pages, scrolling no second one.
  await setLocalStorage(extension, limits(150, 0.03));
  await panel.getByRole('button', { name: 'Load the first page' }).click();
  await expect(panel.getByText(/^[\d,]+ domains from 100 \+ 100 rows loaded$/)).toBeVisible();
  await panel.getByTestId('report-table-scroll').evaluate((element) => element.scrollTo({ top: element.scrollHeight }));
  await expect(panel.getByText('This table has reached your limit of 150 credits per lookup. The next page costs about 100 credits.')).toBeVisible();
  await expect(panel.getByText('This table has reached your limit of $0.03000 per lookup. The next page costs about $0.02300.')).toBeVisible();
  await panel.waitForTimeout(500);
  expect(refDomainPages(sim, domain)).toEqual([1]);
  expect(dataforseoOffsets(sim, domain)).toEqual([0]);

  await panel.getByRole('button', { name: 'Continue loading' }).click();
  await expect(panel.getByText(/^[\d,]+ domains from 200 \+ 200 rows loaded$/)).toBeVisible();
  expect(refDomainPages(sim, domain)).toEqual([1, 2]);
  expect(dataforseoOffsets(sim, domain)).toEqual([0, 100]);
});

test('Copy domains puts the loaded domains on the clipboard, one a line', async ({ extension, sim }) => {
  const domain = 'copy-example.com';
  sim.setDatasetSize(domain, 'refDomains', 250);
  await extension.context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const panel = await openPanel(extension, domain);
  await expect(loaded(panel, 100, 250)).toBeVisible();

  await panel.getByRole('button', { name: 'Copy domains' }).click();
  await expect(panel.getByRole('status').filter({ hasText: 'Copied 100 domains' })).toBeVisible();
  const copied = await panel.evaluate(() => navigator.clipboard.readText());
  expect(copied.split('\n').map(asciiDomain)).toEqual(simTopRefDomains(domain, 100, 250));
});
