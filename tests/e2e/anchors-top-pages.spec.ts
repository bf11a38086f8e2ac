/**
 * The Anchors and Top pages tabs against the simulator, for both providers: the rows shown, the
 * request each tab sends (read back from the simulator's log), what it cost, the CSV export, and
 * an anchor row's button that opens Backlinks filtered to that anchor.
 */
import { readFile } from 'node:fs/promises';
import Papa from 'papaparse';
import type { Locator } from '@playwright/test';
import { SIM_SERPSTAT_TOKEN } from '../sim/constants';
import { datasetSize, generateRows } from '../sim/data';
import { aggregateAnchors, aggregatePages } from '../sim/link-aggregates';
import { DATAFORSEO_ANCHORS_PATH, DATAFORSEO_BACKLINKS_PATH, DATAFORSEO_DOMAIN_PAGES_PATH } from '../sim/dataforseo';
import { expect, saveSerpstatKey, serpstatCalls, test } from './fixtures';
import { columnTexts, openPanel, saveDataForSeoKey } from './panel-helpers';
import type { Simulator } from './fixtures';

const domain = 'shop-example.co.uk';
const links = () => generateRows(domain, 'backlinks', datasetSize(domain, 'backlinks'));

const shownRows = (table: Locator) => table.locator('tbody tr:not([aria-hidden])');

/** The tasks the simulator received at one DataForSEO path, in order. */
function dataforseoTasks(sim: Simulator, path: string): Record<string, unknown>[] {
  return sim.log.filter((entry) => entry.provider === 'dataforseo' && entry.method === path).map((entry) => (entry.params ?? {}) as Record<string, unknown>);
}

test.describe('Serpstat', () => {
  test.beforeEach(async ({ extension }) => {
    await saveSerpstatKey(extension, SIM_SERPSTAT_TOKEN);
  });

  test('Anchors: getAnchors sorted by referring domains, every anchor of the backlinks, a credit a row, and the CSV', async ({ extension, sim }) => {
    const panel = await openPanel(extension, domain);
    await panel.getByRole('tab', { name: 'Anchors' }).click();
    const table = panel.getByRole('table', { name: 'Anchors' });
    const anchors = aggregateAnchors(links());
    await expect(panel.getByText(`${anchors.length} of ${anchors.length} loaded`)).toBeVisible();

    const calls = serpstatCalls(sim, 'getAnchors');
    expect(calls).toHaveLength(1);
    expect(calls[0]!.params).toEqual({ query: domain, searchType: 'domain_with_subdomains', page: 1, size: 100, sort: 'refDomains', order: 'desc' });
    expect(calls[0]!.charged).toBe(anchors.length);
    await expect(panel.getByText(new RegExp(`^This table cost ${anchors.length} credits`))).toBeVisible();

    const most = Math.max(...anchors.map((anchor) => anchor.refDomains));
    await expect(shownRows(table).first().locator('td').nth(1)).toHaveText(String(most));
    // Image links have no text: the row says so instead of showing an empty cell.
    await expect(table.getByText('(no anchor text)')).toBeVisible();
    await expect(table.getByRole('columnheader', { name: 'Nofollow backlinks' })).toBeVisible();
    // Anchors name no domain to copy.
    await expect(panel.getByRole('button', { name: 'Copy domains' })).toHaveCount(0);

    const [download] = await Promise.all([panel.waitForEvent('download'), panel.getByRole('button', { name: 'Export CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^anchors_shop-example\.co\.uk_serpstat_\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = Papa.parse<string[]>((await readFile(await download.path(), 'utf8')).slice(1), { skipEmptyLines: true });
    expect(csv.data[0]).toEqual(['Anchor text', 'Referring domains', 'Backlinks', 'Nofollow backlinks']);
    expect(csv.data).toHaveLength(anchors.length + 1);
  });

  test('Top pages: getTopPages sorted by referring domains, full addresses as links', async ({ extension, sim }) => {
    const panel = await openPanel(extension, domain);
    await panel.getByRole('tab', { name: 'Top pages' }).click();
    const table = panel.getByRole('table', { name: 'Top pages' });
    const pages = aggregatePages(links());
    await expect(panel.getByText(`${pages.length} of ${pages.length} loaded`)).toBeVisible();

    const calls = serpstatCalls(sim, 'getTopPages');
    expect(calls).toHaveLength(1);
    expect(calls[0]!.params).toMatchObject({ query: domain, sort: 'domains', order: 'desc' });
    const first = shownRows(table).first().locator('td').first().getByRole('link');
    await expect(first).toHaveAttribute('href', new RegExp(`^https://${domain.replace(/\./g, '\\.')}`));
    // The home page, linked with and without its slash, is two rows, each with its full address.
    const addresses = await columnTexts(table, 'Page');
    expect(addresses).toContain(`https://${domain}/`);
    expect(addresses).toContain(`https://${domain}`);

    await table.getByRole('button', { name: 'Referring IPs' }).click();
    await expect.poll(() => serpstatCalls(sim, 'getTopPages').map((call) => call.params.sort)).toEqual(['domains', 'ips']);
  });

  test('an anchor row opens Backlinks filtered to the links with that anchor', async ({ extension, sim }) => {
    const panel = await openPanel(extension, domain);
    await panel.getByRole('tab', { name: 'Anchors' }).click();
    const anchors = panel.getByRole('table', { name: 'Anchors' });
    const row = shownRows(anchors).filter({ hasText: 'read more' }).first();
    await row.getByRole('button', { name: 'Show backlinks with this anchor' }).click();

    await expect(panel.getByRole('tab', { name: 'Backlinks', exact: true })).toHaveAttribute('aria-selected', 'true');
    await expect(panel.getByRole('searchbox', { name: 'Filter text' })).toHaveValue('read more');
    await expect(panel.getByRole('button', { name: 'Clear filters' })).toBeVisible();
    await expect.poll(() => serpstatCalls(sim, 'getNewBacklinks').length).toBe(1);
    expect(serpstatCalls(sim, 'getNewBacklinks')[0]!.params.complexFilter).toEqual([[{ field: 'anchor', compareType: 'contains', value: ['read more'] }]]);

    const expected = links().filter((link) => link.link_text.toLowerCase().includes('read more')).length;
    await expect(panel.getByText(`${expected} of ${expected} loaded`)).toBeVisible();
    const shown = await columnTexts(panel.getByRole('table', { name: 'Backlinks' }), 'Anchor text');
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.every((text) => text.toLowerCase().includes('read more'))).toBe(true);

    // Opening the tab by hand starts without the handed-over filter.
    await panel.getByRole('tab', { name: 'Anchors' }).click();
    await panel.getByRole('tab', { name: 'Backlinks', exact: true }).click();
    await expect(panel.getByRole('searchbox', { name: 'Filter text' })).toHaveValue('');
  });
});

test.describe('DataForSEO', () => {
  test.beforeEach(async ({ extension }) => {
    await saveSerpstatKey(extension, SIM_SERPSTAT_TOKEN);
    await saveDataForSeoKey(extension);
  });

  test('Anchors: anchors/live on the 0–100 rank scale, with the exact cost', async ({ extension, sim }) => {
    const panel = await openPanel(extension, domain);
    await panel.getByRole('combobox', { name: 'Provider' }).selectOption({ label: 'DataForSEO' });
    await panel.getByRole('tab', { name: 'Anchors' }).click();
    const table = panel.getByRole('table', { name: 'Anchors' });
    const anchors = aggregateAnchors(links());
    await expect(panel.getByText(`${anchors.length} of ${anchors.length} loaded`)).toBeVisible();

    const tasks = dataforseoTasks(sim, DATAFORSEO_ANCHORS_PATH);
    expect(tasks).toEqual([
      { target: domain, include_subdomains: true, limit: 100, offset: 0, rank_scale: 'one_hundred', order_by: ['referring_domains,desc'] },
    ]);
    const cost = (0.02 + 0.00003 * anchors.length).toFixed(5);
    await expect(panel.getByText(`This table cost $${cost}`, { exact: true })).toBeVisible();
    await expect(table.getByRole('columnheader', { name: 'First seen' })).toBeVisible();
    const ranks = (await columnTexts(table, 'Rank')).map(Number);
    expect(ranks.length).toBeGreaterThan(0);
    expect(ranks.every((rank) => rank >= 0 && rank <= 100)).toBe(true);

    await panel.getByRole('searchbox', { name: 'Filter text' }).fill('Click');
    await panel.getByRole('button', { name: 'Apply filters' }).click();
    await expect.poll(() => dataforseoTasks(sim, DATAFORSEO_ANCHORS_PATH).length).toBe(2);
    expect(dataforseoTasks(sim, DATAFORSEO_ANCHORS_PATH)[1]).toMatchObject({ filters: ['anchor', 'ilike', '%Click%'] });
    await expect(async () => {
      const shown = await columnTexts(table, 'Anchor text');
      expect(shown).toEqual(['click here']);
    }).toPass();
  });

  test('an anchor row opens DataForSEO’s Backlinks filtered to that anchor', async ({ extension, sim }) => {
    const panel = await openPanel(extension, domain);
    await panel.getByRole('combobox', { name: 'Provider' }).selectOption({ label: 'DataForSEO' });
    await panel.getByRole('tab', { name: 'Anchors' }).click();
    const row = shownRows(panel.getByRole('table', { name: 'Anchors' })).filter({ hasText: 'read more' }).first();
    await row.getByRole('button', { name: 'Show backlinks with this anchor' }).click();

    await expect(panel.getByRole('tab', { name: 'Backlinks', exact: true })).toHaveAttribute('aria-selected', 'true');
    await expect(panel.getByRole('searchbox', { name: 'Filter text' })).toHaveValue('read more');
    await expect.poll(() => dataforseoTasks(sim, DATAFORSEO_BACKLINKS_PATH).length).toBe(1);
    expect(dataforseoTasks(sim, DATAFORSEO_BACKLINKS_PATH)[0]).toMatchObject({ target: domain, filters: ['anchor', 'ilike', '%read more%'] });
    await expect(async () => {
      const shown = await columnTexts(panel.getByRole('table', { name: 'Backlinks' }), 'Anchor text');
      expect(shown.length).toBeGreaterThan(0);
      expect(shown.every((text) => text.toLowerCase().includes('read more'))).toBe(true);
    }).toPass();
  });

  test('Top pages: domain_pages/live always ordered, pages without backlinks left out', async ({ extension, sim }) => {
    const panel = await openPanel(extension, `https://blog.${domain}/post/1`);
    await panel.getByRole('combobox', { name: 'Provider' }).selectOption({ label: 'DataForSEO' });
    await panel.getByRole('tab', { name: 'Top pages' }).click();
    const table = panel.getByRole('table', { name: 'Top pages' });
    await expect(shownRows(table).first()).toBeVisible();

    const [task] = dataforseoTasks(sim, DATAFORSEO_DOMAIN_PAGES_PATH);
    expect(task).toMatchObject({
      target: domain,
      order_by: ['page_summary.referring_domains,desc'],
      filters: ['page_summary.backlinks', '>', 0],
      rank_scale: 'one_hundred',
    });
    const addresses = await columnTexts(table, 'Page');
    expect(addresses.length).toBeGreaterThan(0);
    expect(addresses.some((address) => /\/(contact|privacy|terms|imprint)\/$/.test(address))).toBe(false);
    await expect(table.getByRole('columnheader', { name: 'Referring IPs' })).toBeVisible();

    // domain_pages takes a domain: "This page" is offered for Anchors, not for Top pages.
    const scopeOptions = () => panel.getByRole('combobox', { name: 'Scope' }).locator('option').allTextContents();
    expect(await scopeOptions()).not.toContain('This page');
    await panel.getByRole('tab', { name: 'Anchors' }).click();
    await expect.poll(scopeOptions).toContain('This page');
  });
});
