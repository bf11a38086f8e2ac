/**
 * The side panel's report controls against the simulator: the four tabs, the Provider and Scope
 * selects, server-side sort and filters, "Both (merge)", hostile provider text, and the popup's
 * DataForSEO totals. Every provider request is read back from the simulator's log.
 */
import { SIM_SERPSTAT_TOKEN } from '../sim/constants';
import { datasetSize, generateRows } from '../sim/data';
import { expect, saveSerpstatKey, serpstatCalls, test } from './fixtures';
import { columnTexts, openBacklinksRecordingDialogs, openPanel, saveDataForSeoKey } from './panel-helpers';
import type { Simulator } from './fixtures';

const domain = 'shop-example.co.uk';
const REFERRING_DOMAINS_PATH = '/v3/backlinks/referring_domains/live';

/** The DataForSEO referring-domain tasks the simulator received, in order. */
function dataforseoTasks(sim: Simulator): Record<string, unknown>[] {
  return sim.log
    .filter((entry) => entry.provider === 'dataforseo' && entry.method === REFERRING_DOMAINS_PATH)
    .map((entry) => (entry.params ?? {}) as Record<string, unknown>);
}

const number = (text: string) => Number(text.replace(/,/g, ''));

test.describe('Serpstat', () => {
  test.beforeEach(async ({ extension }) => {
    await saveSerpstatKey(extension, SIM_SERPSTAT_TOKEN);
  });

  test('each of the four reports shows rows from its own method', async ({ extension, sim }) => {
    const panel = await openPanel(extension, domain);
    const methods = { 'Referring domains': 'getRefDomains', 'Outbound domains': 'getOutDomains', Backlinks: 'getNewBacklinks', Outlinks: 'getOutlinks' };
    for (const [label, method] of Object.entries(methods)) {
      await panel.getByRole('tab', { name: label, exact: true }).click();
      const table = panel.getByRole('table', { name: label, exact: true });
      await expect(table.locator('tbody tr:not([aria-hidden])').first()).toBeVisible();
      expect(serpstatCalls(sim, method).filter((entry) => entry.params.query === domain)).toHaveLength(1);
    }
    // Link rows: URLs as links, with the whole address in the title.
    const outlinks = panel.getByRole('table', { name: 'Outlinks' });
    const firstFrom = outlinks.locator('tbody tr:not([aria-hidden]) td:nth-child(1) a').first();
    await expect(firstFrom).toHaveAttribute('href', /^https?:\/\//);
    expect(await firstFrom.getAttribute('title')).toBe(await firstFrom.textContent());
    await expect(outlinks.getByRole('columnheader', { name: 'Deleted' })).toBeVisible();
  });

  test('a header click sorts on the server', async ({ extension, sim }) => {
    const panel = await openPanel(extension, domain);
    const table = panel.getByRole('table', { name: 'Referring domains' });
    await expect(table.locator('tbody tr:not([aria-hidden])').first()).toBeVisible();
    await table.getByRole('button', { name: /Referring pages/ }).click();
    await expect(table.getByRole('columnheader', { name: /Referring pages/ })).toHaveAttribute('aria-sort', 'descending');

    // Serpstat is paced at 1 request per second: the new page arrives after the header shows the sort.
    const sorts = () =>
      serpstatCalls(sim, 'getRefDomains').map((entry) => {
        const params = entry.params as { sort?: string; order?: string };
        return { sort: params.sort, order: params.order };
      });
    await expect.poll(sorts).toEqual([
      { sort: 'domain_rank', order: 'desc' },
      { sort: 'domain_links', order: 'desc' },
    ]);
    await expect(panel.getByText('Sorting…')).toHaveCount(0);
    const pages = (await columnTexts(table, 'Referring pages')).map(number);
    expect(pages.length).toBeGreaterThan(5);
    expect(pages).toEqual([...pages].sort((a, b) => b - a));
  });

  test('filters go to the server and every row shown satisfies them', async ({ extension, sim }) => {
    const panel = await openPanel(extension, domain);
    const table = panel.getByRole('table', { name: 'Referring domains' });
    await expect(table.locator('tbody tr:not([aria-hidden])').first()).toBeVisible();

    await panel.keyboard.press('/');
    await expect(panel.getByRole('searchbox', { name: 'Filter text' })).toBeFocused();
    await panel.keyboard.type('an');
    await panel.getByRole('button', { name: 'More filters' }).click();
    await panel.getByRole('textbox', { name: 'Min rank' }).fill('30');
    await panel.getByRole('button', { name: 'Apply filters' }).click();

    await expect.poll(() => serpstatCalls(sim, 'getRefDomains').length).toBe(2);
    const filtered = serpstatCalls(sim, 'getRefDomains')[1]!.params as { complexFilter?: unknown };
    expect(filtered.complexFilter).toEqual([
      [
        { field: 'domain_from', compareType: 'contains', value: ['an'] },
        { field: 'domain_rank', compareType: 'gte', value: [30] },
      ],
    ]);
    await expect(panel.getByText(/\d+ of [\d,]+ loaded/)).toBeVisible();
    await expect(async () => {
      const ranks = (await columnTexts(table, 'Rank')).map(number);
      const domains = await columnTexts(table, 'Domain');
      expect(ranks.length).toBeGreaterThan(0);
      expect(ranks.every((rank) => rank >= 30)).toBe(true);
      expect(domains.every((shown) => shown.toLowerCase().includes('an'))).toBe(true);
    }).toPass();
  });

  test('the scope select asks for the host only (searchType)', async ({ extension, sim }) => {
    const panel = await openPanel(extension, `https://blog.${domain}/post/1`);
    await expect(panel.getByRole('table', { name: 'Referring domains' }).locator('tbody tr').first()).toBeVisible();
    const scope = panel.getByRole('combobox', { name: 'Scope' });
    // Serpstat looks up no single page.
    await expect(scope.getByRole('option')).toHaveText(['Root domain with subdomains', 'This host only']);
    await scope.selectOption({ label: 'This host only' });
    await expect(panel.getByRole('heading', { name: `blog.${domain}` })).toBeVisible();

    await expect.poll(() => serpstatCalls(sim, 'getRefDomains').length).toBe(2);
    const [first, second] = serpstatCalls(sim, 'getRefDomains').map((entry) => entry.params as { query?: string; searchType?: string });
    expect(first).toMatchObject({ query: domain, searchType: 'domain_with_subdomains' });
    expect(second).toMatchObject({ query: `blog.${domain}`, searchType: 'domain' });
  });

  test('provider text in link rows stays text: no script runs, javascript: is not a link', async ({ extension }) => {
    const rows = generateRows(domain, 'backlinks', datasetSize(domain, 'backlinks'));
    // The data set has the hostile rows this test filters for.
    expect(rows.filter((row) => row.link_text.includes('alert(1)')).length).toBeGreaterThan(0);
    expect(rows.filter((row) => row.url_to.startsWith('javascript:')).length).toBeGreaterThan(0);

    const { panel, table, dialogs } = await openBacklinksRecordingDialogs(extension, domain);
    await expect(table.locator('tbody tr:not([aria-hidden])').first()).toBeVisible();

    await panel.getByRole('button', { name: 'More filters' }).click();
    await panel.getByRole('combobox', { name: 'Filter in' }).selectOption({ label: 'Anchor text' });
    await panel.getByRole('searchbox', { name: 'Filter text' }).fill('alert(1)');
    await panel.getByRole('button', { name: 'Apply filters' }).click();
    await expect(async () => {
      const anchors = await columnTexts(table, 'Anchor text');
      expect(anchors.length).toBeGreaterThan(0);
      expect(anchors.every((anchor) => anchor.includes('alert(1)'))).toBe(true);
    }).toPass();
    await expect(table.getByText(/<(script|img)/).first()).toBeVisible();
    expect(await table.locator('script, img').count()).toBe(0);

    await panel.getByRole('combobox', { name: 'Filter in' }).selectOption({ label: 'URL to' });
    await panel.getByRole('searchbox', { name: 'Filter text' }).fill('javascript:');
    await panel.getByRole('button', { name: 'Apply filters' }).click();
    const scriptUrl = table.getByText('javascript:alert(1)').first();
    await expect(scriptUrl).toBeVisible();
    await expect(scriptUrl.locator('xpath=ancestor-or-self::a')).toHaveCount(0);
    expect(await panel.locator('a[href^="javascript:"], a[href^="data:"]').count()).toBe(0);

    // Clicking the shown text runs nothing either.
    await scriptUrl.click();
    expect(dialogs).toEqual([]);
  });
});

test.describe('DataForSEO and Both', () => {
  test.beforeEach(async ({ extension }) => {
    await saveSerpstatKey(extension, SIM_SERPSTAT_TOKEN);
    await saveDataForSeoKey(extension);
  });

  test('DataForSEO shows referring domains, and says why it has no outbound domains or outlinks', async ({ extension, sim }) => {
    const panel = await openPanel(extension, `https://blog.${domain}/post/1`);
    await panel.getByRole('combobox', { name: 'Provider' }).selectOption({ label: 'DataForSEO' });
    const table = panel.getByRole('table', { name: 'Referring domains' });
    await expect(table.locator('tbody tr:not([aria-hidden])').first()).toBeVisible();
    await expect(table.getByRole('columnheader', { name: /Spam score/ })).toBeVisible();
    expect(dataforseoTasks(sim)[0]).toMatchObject({ target: domain, include_subdomains: true, order_by: ['rank,desc'] });

    for (const label of ['Outbound domains', 'Outlinks']) {
      await panel.getByRole('tab', { name: label, exact: true }).click();
      await expect(panel.getByRole('tabpanel')).toContainText('Switch to Serpstat for this report.');
      await expect(panel.getByRole('table')).toHaveCount(0);
    }

    // "This page" for a page address; DataForSEO filters go with the task.
    await panel.getByRole('tab', { name: 'Referring domains' }).click();
    await panel.getByRole('combobox', { name: 'Scope' }).selectOption({ label: 'This page' });
    await panel.getByRole('button', { name: 'More filters' }).click();
    await panel.getByRole('textbox', { name: 'Max rank' }).fill('40');
    await panel.getByRole('button', { name: 'Apply filters' }).click();
    await expect.poll(() => dataforseoTasks(sim).some((task) => Array.isArray(task.filters))).toBe(true);
    const filtered = dataforseoTasks(sim).find((task) => Array.isArray(task.filters))!;
    expect(filtered).toMatchObject({ target: `https://blog.${domain}/post/1`, filters: ['rank', '<=', 40] });
    expect(filtered).not.toHaveProperty('include_subdomains');
    await expect(async () => {
      const ranks = (await columnTexts(table, 'Rank')).map(number);
      expect(ranks.length).toBeGreaterThan(0);
      expect(ranks.every((rank) => rank <= 40)).toBe(true);
    }).toPass();
  });

  test('Both (merge) joins the two providers by domain', async ({ extension, sim }) => {
    const panel = await openPanel(extension, domain);
    await expect(panel.getByRole('table', { name: 'Referring domains' })).toBeVisible();
    const provider = panel.getByRole('combobox', { name: 'Provider' });
    await provider.selectOption({ label: 'Both (merge)' });

    const table = panel.getByRole('table', { name: 'Referring domains' });
    await expect(table.getByRole('columnheader')).toHaveText(['Domain', 'Serpstat rank', 'DataForSEO rank', 'Seen by']);
    await expect(panel.getByText(/^[\d,]+ domains from 100 \+ 100 rows loaded$/)).toBeVisible();
    await expect(table.getByRole('cell', { name: 'Both', exact: true }).first()).toBeVisible();
    await expect(table.getByRole('button', { name: 'Serpstat rank' })).toBeDisabled();
    await expect(table.getByRole('button', { name: 'Serpstat rank' })).toHaveAttribute('title', /cannot be sorted on the server/);
    expect(dataforseoTasks(sim)).toHaveLength(1);
    expect(serpstatCalls(sim, 'getRefDomains')).toHaveLength(1);

    // "Both" is for referring domains only.
    await panel.getByRole('tab', { name: 'Outbound domains' }).click();
    await expect(provider.getByRole('option')).toHaveText(['Serpstat', 'DataForSEO']);
  });

  test('the popup shows DataForSEO totals and the exact cost when it is the default provider', async ({ extension, openSite }) => {
    const options = await extension.context.newPage();
    await options.goto(extension.extensionUrl('options.html'));
    await options.getByRole('combobox', { name: 'Provider' }).selectOption({ label: 'DataForSEO' });
    await expect(options.getByRole('combobox', { name: 'Provider' })).toHaveValue('dataforseo');
    await options.close();

    const site = await openSite(`https://www.${domain}/`);
    const popup = await extension.openPopup(site);
    // The summary ($0.02 + $0.00003 for its one result) and 10 rows at $0.02 + $0.00003 each.
    await expect(popup.getByText('This lookup cost $0.04033')).toBeVisible();
    // DataForSEO gives no outbound domains: the popup leaves the figure out.
    await expect(popup.getByRole('term').filter({ hasText: 'Referring domains' })).toBeVisible();
    await expect(popup.getByRole('term').filter({ hasText: 'Outbound domains' })).toHaveCount(0);
    await expect(popup.getByRole('table', { name: 'Top referring domains' }).locator('tbody tr')).toHaveCount(10);
  });
});
