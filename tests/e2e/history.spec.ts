/**
 * The History tab and the rank distribution against the simulator: nothing is asked before the
 * click, each provider's requests as the simulator received them, the charts with their tables,
 * the cached answer free the second time (in a new panel, without a click), and the histogram of
 * the loaded rows.
 */
import { SIM_SERPSTAT_TOKEN } from '../sim/constants';
import { DATAFORSEO_HISTORY_PATH, DATAFORSEO_NEW_LOST_PATH, SERPSTAT_CHANGES_HISTORY_METHOD, SERPSTAT_DISTRIBUTION_SDR_METHOD } from '../sim/charts';
import { datasetSize, generateRows } from '../sim/data';
import { expect, saveSerpstatKey, test } from './fixtures';
import type { Simulator } from './fixtures';
import { openPanel, saveDataForSeoKey } from './panel-helpers';

const domain = 'shop-example.co.uk';
const chartMethods = [SERPSTAT_CHANGES_HISTORY_METHOD, SERPSTAT_DISTRIBUTION_SDR_METHOD, DATAFORSEO_HISTORY_PATH, DATAFORSEO_NEW_LOST_PATH];
const chartCalls = (sim: Simulator) => sim.log.filter((entry) => chartMethods.includes(entry.method));

test('Serpstat: the History tab says its cost, asks nothing before the click, then draws the weekly history once', async ({ extension, sim }) => {
  await saveSerpstatKey(extension, SIM_SERPSTAT_TOKEN);
  const panel = await openPanel(extension, domain);
  await panel.getByRole('tab', { name: 'History' }).click();
  const load = panel.getByRole('button', { name: 'Load history (1 credit)' });
  await expect(load).toBeVisible();
  expect(chartCalls(sim)).toHaveLength(0);

  await load.click();
  await expect(panel.getByRole('heading', { name: 'New and lost per week' })).toBeVisible();
  expect(chartCalls(sim).map((entry) => [entry.method, entry.params])).toEqual([[SERPSTAT_CHANGES_HISTORY_METHOD, { query: domain, searchType: 'domain_with_subdomains' }]]);
  await expect(panel.getByRole('img', { name: /New backlinks: [\d,]+ in all/ })).toBeVisible();
  await expect(panel.getByText('These charts cost 1 credit')).toBeVisible();
  const table = panel.getByRole('table', { name: 'New and lost per week' });
  await panel.getByText('Show as table').click();
  await expect(table.getByRole('row')).toHaveCount(105);

  // Another tab and back: the answer is kept, nothing more is asked.
  await panel.getByRole('tab', { name: 'Referring domains' }).click();
  await expect(panel.getByRole('table', { name: 'Referring domains' }).locator('tbody tr:not([aria-hidden])').first()).toBeVisible();
  await panel.getByRole('tab', { name: 'History' }).click();
  await expect(panel.getByRole('heading', { name: 'New and lost per week' })).toBeVisible();
  expect(chartCalls(sim)).toHaveLength(1);

  // A new side panel on the same site: the cached history shows as the tab opens, without a click
  // and without a request (its table's first page is cached too).
  const sent = sim.log.length;
  const again = await openPanel(extension, domain);
  await expect(again.getByRole('table', { name: 'Referring domains' }).locator('tbody tr:not([aria-hidden])').first()).toBeVisible();
  await again.getByRole('tab', { name: 'History' }).click();
  await expect(again.getByRole('heading', { name: 'New and lost per week' })).toBeVisible();
  await expect(again.getByText(/^From cache · fetched .* · cost 0 credits/)).toBeVisible();
  await expect(again.getByRole('button', { name: /^Load history/ })).toHaveCount(0);
  expect(sim.log.slice(sent)).toEqual([]);
});

test('DataForSEO: the History tab asks for the monthly history since 2019 and the weekly new/lost of the last year', async ({ extension, sim }) => {
  await saveDataForSeoKey(extension);
  const panel = await openPanel(extension, domain);
  await panel.getByRole('combobox', { name: 'Provider' }).selectOption('dataforseo');
  await panel.getByRole('tab', { name: 'History' }).click();
  const load = panel.getByRole('button', { name: /^Load history \(\$0\.04\d{3}\)$/ });
  await expect(load).toBeVisible();
  expect(chartCalls(sim)).toHaveLength(0);

  await load.click();
  await expect(panel.getByRole('heading', { name: 'Referring domains over time' })).toBeVisible();
  await expect(panel.getByRole('heading', { name: 'New and lost per week' })).toBeVisible();
  const today = new Date().toISOString().slice(0, 10);
  const [history, newLost] = chartCalls(sim);
  expect(history).toMatchObject({ method: DATAFORSEO_HISTORY_PATH, params: { target: domain, date_from: '2019-01-01', date_to: today, rank_scale: 'one_hundred' } });
  expect(newLost).toMatchObject({ method: DATAFORSEO_NEW_LOST_PATH, params: { target: domain, date_to: today, group_range: 'week', include_subdomains: true } });
  // Before May 2021 new and lost are "no data", not zero.
  await panel.getByText('Show as table').nth(2).click();
  const monthly = panel.getByRole('table', { name: 'New and lost per month' });
  await expect(monthly.getByRole('row').nth(1)).toContainText('no data');
  await expect(panel.getByText(/These charts cost \$0\.04\d{3}/)).toBeVisible();
});

test('the rank distribution draws the loaded referring domains for free, and the whole profile for 1 credit', async ({ extension, sim }) => {
  await saveSerpstatKey(extension, SIM_SERPSTAT_TOKEN);
  const panel = await openPanel(extension, domain);
  await expect(panel.getByRole('table', { name: 'Referring domains' }).locator('tbody tr:not([aria-hidden])').first()).toBeVisible();
  await panel.getByText('Rank distribution').click();
  await panel.getByText('Show as table').click();
  const loaded = panel.getByRole('table', { name: /referring domains loaded, by rank/ });
  // The first page's ranks, bucketed as Serpstat buckets them.
  const firstPage = generateRows(domain, 'refDomains', datasetSize(domain, 'refDomains'))
    .map((row) => row.domainRank)
    .sort((a, b) => b - a)
    .slice(0, 100);
  const top = firstPage.filter((rank) => rank >= 90).length;
  await expect(loaded.getByRole('row').last()).toHaveText(`90–100${top}`);
  expect(chartCalls(sim)).toHaveLength(0);

  await panel.getByRole('button', { name: 'Whole profile (1 credit)' }).click();
  await expect(panel.getByRole('heading', { name: 'All referring domains, by rank (Serpstat)' })).toBeVisible();
  expect(chartCalls(sim).map((entry) => [entry.method, entry.params])).toEqual([[SERPSTAT_DISTRIBUTION_SDR_METHOD, { query: domain, searchType: 'domain_with_subdomains' }]]);
});
