/**
 * The Backlinks and Lost backlinks tabs for both providers against the simulator: each shows rows,
 * each sends its own request (read back from the simulator's log), only the open tab spends, and
 * the filter bar offers what the provider takes.
 */
import type { Page } from '@playwright/test';
import { SIM_SERPSTAT_TOKEN } from '../sim/constants';
import { expect, saveSerpstatKey, serpstatCalls, test } from './fixtures';
import type { Simulator } from './fixtures';
import { openPanel, saveDataForSeoKey } from './panel-helpers';

const domain = 'shop-example.co.uk';
const BACKLINKS_PATH = '/v3/backlinks/backlinks/live';

/** The backlinks/live tasks the simulator received, in order. */
function backlinksTasks(sim: Simulator): Record<string, unknown>[] {
  return sim.log.filter((entry) => entry.provider === 'dataforseo' && entry.method === BACKLINKS_PATH).map((entry) => entry.params as Record<string, unknown>);
}

/** Opens a tab by its exact name ("Backlinks" is also part of "Lost backlinks") and waits for its rows. */
async function openTab(panel: Page, name: string) {
  await panel.getByRole('tab', { name, exact: true }).click();
  const table = panel.getByRole('table', { name, exact: true });
  await expect(table.locator('tbody tr:not([aria-hidden])').first()).toBeVisible({ timeout: 15_000 });
  return table;
}

test('Serpstat: Backlinks asks getNewBacklinks and Lost backlinks getLostBacklinks, each only once its tab is open', async ({ extension, sim }) => {
  await saveSerpstatKey(extension, SIM_SERPSTAT_TOKEN);
  const panel = await openPanel(extension, domain);
  await expect(panel.getByRole('table', { name: 'Referring domains' }).locator('tbody tr:not([aria-hidden])').first()).toBeVisible();
  expect(serpstatCalls(sim, 'getNewBacklinks')).toHaveLength(0);
  expect(serpstatCalls(sim, 'getLostBacklinks')).toHaveLength(0);

  await openTab(panel, 'Backlinks');
  expect(serpstatCalls(sim, 'getNewBacklinks').map((entry) => entry.params)).toEqual([
    { query: domain, searchType: 'domain_with_subdomains', page: 1, size: 100, sort: 'check', order: 'desc' },
  ]);
  expect(serpstatCalls(sim, 'getLostBacklinks')).toHaveLength(0);

  const lost = await openTab(panel, 'Lost backlinks');
  expect(serpstatCalls(sim, 'getLostBacklinks').map((entry) => entry.params)).toEqual([
    { query: domain, searchType: 'domain_with_subdomains', page: 1, size: 100, sort: 'check', order: 'desc' },
  ]);
  // The loss date is a column of its own; getLostBacklinks has no rank filter, so the bar offers none.
  await expect(lost.getByRole('columnheader', { name: /Deleted/ })).toBeVisible();
  await panel.getByRole('button', { name: 'More filters' }).click();
  await expect(panel.getByRole('textbox', { name: 'Min rank' })).toHaveCount(0);
  for (const attribute of ['follow', 'nofollow', 'ugc', 'sponsored']) await expect(panel.getByRole('checkbox', { name: attribute, exact: true })).toBeVisible();

  // A filter goes out under the method's own field names: link_nofollow, anchor.
  await panel.getByRole('checkbox', { name: 'nofollow', exact: true }).check();
  await panel.getByRole('combobox', { name: 'Filter in' }).selectOption({ label: 'Anchor text' });
  await panel.getByRole('searchbox', { name: 'Filter text' }).fill('guide');
  await panel.getByRole('button', { name: 'Apply filters' }).click();
  await expect.poll(() => serpstatCalls(sim, 'getLostBacklinks').length).toBe(2);
  expect(serpstatCalls(sim, 'getLostBacklinks')[1]!.params.complexFilter).toEqual([
    [
      { field: 'anchor', compareType: 'contains', value: ['guide'] },
      { field: 'link_nofollow', compareType: 'contains', value: ['nofollow'] },
    ],
  ]);
});

test('DataForSEO: both tabs ask backlinks/live, live or lost links, ranks on 0-100, and the bar offers follow / nofollow only', async ({ extension, sim }) => {
  await saveDataForSeoKey(extension);
  const panel = await openPanel(extension, domain);
  await panel.getByRole('combobox', { name: 'Provider' }).selectOption({ label: 'DataForSEO' });

  const backlinks = await openTab(panel, 'Backlinks');
  expect(backlinksTasks(sim)).toEqual([
    {
      target: domain,
      include_subdomains: true,
      mode: 'as_is',
      backlinks_status_type: 'live',
      limit: 100,
      rank_scale: 'one_hundred',
      offset: 0,
      order_by: ['first_seen,desc'],
    },
  ]);
  await expect(backlinks.getByRole('columnheader', { name: /Domain rank/ })).toBeVisible();
  // A link's URL opens the linking page, as in Serpstat's table.
  await expect(backlinks.locator('tbody tr:not([aria-hidden]) td:nth-child(1) a').first()).toHaveAttribute('href', /^https?:\/\//);

  const lost = await openTab(panel, 'Lost backlinks');
  expect(backlinksTasks(sim)[1]).toMatchObject({ backlinks_status_type: 'lost', order_by: ['last_seen,desc'], offset: 0 });
  // DataForSEO gives no loss date: the column is Serpstat's only.
  await expect(lost.getByRole('columnheader', { name: /Last seen/ })).toBeVisible();
  await expect(lost.getByRole('columnheader', { name: /Deleted/ })).toHaveCount(0);

  await panel.getByRole('button', { name: 'More filters' }).click();
  await expect(panel.getByRole('checkbox', { name: 'ugc', exact: true })).toHaveCount(0);
  await expect(panel.getByRole('checkbox', { name: 'sponsored', exact: true })).toHaveCount(0);
  await panel.getByRole('checkbox', { name: 'nofollow', exact: true }).check();
  await panel.getByRole('textbox', { name: 'Min rank' }).fill('20');
  await panel.getByRole('button', { name: 'Apply filters' }).click();
  await expect.poll(() => backlinksTasks(sim).length).toBe(3);
  expect(backlinksTasks(sim)[2]!.filters).toEqual([['domain_from_rank', '>=', 20], 'and', ['dofollow', '=', false]]);
  await expect(lost.locator('tbody tr:not([aria-hidden])').first()).toBeVisible();
});
