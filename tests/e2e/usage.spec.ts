import type { Page } from '@playwright/test';
import { SIM_SERPSTAT_TOKEN } from '../sim/constants';
import { expect, saveSerpstatKey, test } from './fixtures';
import type { Simulator } from './fixtures';

const formatCount = (value: number) => new Intl.NumberFormat('en-US').format(value);

/** Today as the options page names it: the browser's local calendar day, written as en-US writes days ("Nov 30, 2026"). */
function today(): string {
  const now = new Date();
  return new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: 'UTC' }).format(Date.UTC(now.getFullYear(), now.getMonth(), now.getDate()));
}

const serpstatCharged = (sim: Simulator) =>
  sim.log.filter((entry) => entry.provider === 'serpstat').reduce((sum, entry) => sum + entry.charged, 0);

/** The cells of today's Serpstat row in "Spend per day": [day, provider, requests, spent, saved]. */
async function todaysSerpstatRow(options: Page): Promise<string[]> {
  const table = options.getByRole('region', { name: 'Usage' }).getByRole('table', { name: 'Spend per day' });
  const row = table.locator('tbody tr').filter({ has: options.getByRole('rowheader', { name: today() }) }).filter({ hasText: 'Serpstat' });
  await expect(row).toHaveCount(1);
  return row.locator('th, td').allTextContents();
}

test('the Usage table shows what a lookup cost, and a second lookup of the same domain comes from the cache for free', async ({
  extension,
  openSite,
  sim,
}) => {
  await saveSerpstatKey(extension, SIM_SERPSTAT_TOKEN);
  const domain = 'usage-example.com';
  const site = await openSite(`https://${domain}/`);

  const firstPopup = await extension.openPopup(site);
  await expect(firstPopup.getByText(/This lookup cost \d+ credits?/)).toBeVisible();
  await firstPopup.close();
  const charged = serpstatCharged(sim);
  const requests = sim.log.filter((entry) => entry.provider === 'serpstat' && entry.charged > 0).length;
  expect(charged).toBeGreaterThan(0);

  const options = await extension.context.newPage();
  await options.goto(extension.extensionUrl('options.html'));
  expect(await todaysSerpstatRow(options)).toEqual([today(), 'Serpstat', formatCount(requests), `${formatCount(charged)} credits`, '0 credits']);
  await expect(options.getByRole('list', { name: 'Balances last seen' })).toContainText(
    `Serpstat: ${formatCount(sim.creditsLeft())} credits left · seen just now`,
  );

  const requestsBefore = sim.log.length;
  const secondPopup = await extension.openPopup(site);
  await expect(secondPopup.getByText('From cache · fetched just now · cost 0 credits')).toBeVisible();
  expect(sim.log).toHaveLength(requestsBefore);
  await secondPopup.close();

  await options.reload();
  expect(await todaysSerpstatRow(options)).toEqual([
    today(),
    'Serpstat',
    formatCount(requests),
    `${formatCount(charged)} credits`,
    `${formatCount(charged)} credits`,
  ]);
});
