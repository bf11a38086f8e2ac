import type { Page } from '@playwright/test';
import { SIM_SERPSTAT_TOKEN } from '../sim/constants';
import { datasetSize, generateDataForSeoReferringDomains, generateRows, targetRank } from '../sim/data';
import { serpstatWeekChange } from '../sim/serpstat';
import { asciiDomain, expect, saveSerpstatKey, serpstatCalls, simTopRefDomains, test, type SerpstatListParams } from './fixtures';
import { loaded, saveDataForSeoKey, setLocalStorage } from './panel-helpers';

const formatCount = (value: number) => new Intl.NumberFormat('en-US').format(value);

/** The value of a total, shown as a term and its definition ("Referring domains" → "1,234"). */
function totalShown(popup: Page, label: string) {
  return popup.getByRole('term').filter({ hasText: label }).locator('xpath=following-sibling::dd[1]');
}

/** The totals' terms in the order shown. */
const totalLabels = (popup: Page) => popup.getByRole('group', { name: 'Totals' }).getByRole('term').allTextContents();

const percent = (share: number) => `${Math.round(share * 100)}%`;

test.describe('with a saved Serpstat token', () => {
  test.beforeEach(async ({ extension }) => {
    await saveSerpstatKey(extension, SIM_SERPSTAT_TOKEN);
  });

  test('a lookup above the per-lookup limit sends nothing until the user clicks', async ({ extension, openSite, sim }) => {
    const domain = 'popup-limit-example.com';
    await setLocalStorage(extension, { budget: { perLookupCredits: 10, perLookupUsd: 0.5, dailyCapCredits: null, dailyCapUsd: null } });
    const site = await openSite(`https://${domain}/`);
    const popup = await extension.openPopup(site);

    await expect(popup.getByText('This lookup costs about 11 credits, above your limit of 10 credits per lookup. Nothing has been sent.')).toBeVisible();
    await popup.waitForTimeout(500);
    expect(sim.log).toEqual([]);

    await popup.getByRole('button', { name: 'Look up for 11 credits' }).click();
    await expect(popup.getByText(/This lookup cost 11 credits · [\d,]+ credits left/)).toBeVisible();
    expect(serpstatCalls(sim, 'getSummaryV2')).toHaveLength(1);
    expect(serpstatCalls(sim, 'getRefDomains')).toHaveLength(1);
  });

  test('shows the domain, totals, top 10 referring domains and the cost of the lookup', async ({
    extension,
    openSite,
  }) => {
    const domain = 'shop-example.co.uk';
    const site = await openSite(`https://blog.${domain}/x`);
    const popup = await extension.openPopup(site);

    await expect(popup.getByRole('heading', { name: domain })).toBeVisible();
    await expect(popup.getByText(/This lookup cost 11 credits · [\d,]+ credits left/)).toBeVisible();
    // getSummaryV2's totals, with its 7-day changes and its (misspelled) Serpstat Domain Rank.
    const refDomains = datasetSize(domain, 'refDomains');
    const backlinks = generateRows(domain, 'backlinks', datasetSize(domain, 'backlinks'));
    expect(await totalLabels(popup)).toEqual(['Referring domains', 'Backlinks', 'Dofollow', 'Outbound domains', 'Domain rank']);
    await expect(totalShown(popup, 'Referring domains')).toHaveText(formatCount(refDomains));
    const change = serpstatWeekChange(domain, 'referring_domains', refDomains);
    await expect(totalShown(popup, 'Referring domains').locator('xpath=following-sibling::dd[1]')).toHaveText(
      `${change > 0 ? '+' : change < 0 ? '-' : ''}${formatCount(Math.abs(change))} in 7 days`,
    );
    await expect(totalShown(popup, 'Backlinks')).toHaveText(formatCount(backlinks.length));
    await expect(totalShown(popup, 'Dofollow')).toHaveText(percent(backlinks.filter((row) => row.nofollow === 'follow').length / backlinks.length));
    await expect(totalShown(popup, 'Outbound domains')).toHaveText(formatCount(datasetSize(domain, 'outDomains')));
    await expect(totalShown(popup, 'Domain rank')).toHaveText(String(targetRank(domain)));

    const topTable = popup.getByRole('table', { name: 'Top referring domains' });
    await expect(topTable.locator('tbody tr')).toHaveCount(10);
    const shownDomains = await topTable
      .locator('tbody tr')
      .evaluateAll((rows) => rows.map((row) => row.querySelector('td, th')?.textContent ?? ''));
    expect(shownDomains.map(asciiDomain)).toEqual(simTopRefDomains(domain, 10));
    await expect(popup.getByRole('button', { name: 'Open side panel' })).toBeVisible();

    expect(await popup.content()).not.toContain(SIM_SERPSTAT_TOKEN);
  });

  test('Open side panel shows the popup’s site at once, and the summary’s pages are not asked again', async ({ extension, openSite, sim }) => {
    const domain = 'panel-from-popup-example.com';
    const total = datasetSize(domain, 'refDomains');
    const site = await openSite(`https://www.${domain}/`);
    const popup = await extension.openPopup(site);
    await expect(popup.getByText(/This lookup cost \d+ credits? · [\d,]+ credits left/)).toBeVisible();
    /** Serpstat requests for the domain by method and page size: the popup asks its totals (no size), then 10 rows; a table 100. */
    const asked = () =>
      sim.log
        .map((entry) => ({ method: entry.method.split('.')[1], params: (entry.params ?? {}) as SerpstatListParams }))
        .filter((entry) => entry.params.query === domain)
        .map((entry) => `${entry.method} ${entry.params.size ?? entry.params.searchType}`);
    expect(asked()).toEqual(['getSummaryV2 domain_with_subdomains', 'getRefDomains 10']);

    // Following the tab, the panel would offer Look up (the default); the popup asked for this site.
    await popup.getByRole('button', { name: 'Open side panel' }).click();
    const panel = await extension.openedSidePanel();
    await expect(panel.getByRole('heading', { name: domain })).toBeVisible();
    await expect(loaded(panel, 100, total)).toBeVisible();
    await expect(panel.getByRole('table', { name: 'Referring domains' }).locator('tbody tr').first()).toBeVisible();
    await expect(panel.getByRole('button', { name: /^Look up \(/ })).toHaveCount(0);
    expect(asked()).toEqual(['getSummaryV2 domain_with_subdomains', 'getRefDomains 10', 'getRefDomains 100']);
  });

  test('explains a browser page and sends nothing', async ({ extension, sim }) => {
    const tab = await extension.context.newPage();
    await tab.goto('chrome://version');
    const popup = await extension.openPopup(tab);

    await expect(popup.getByRole('textbox', { name: 'Domain' })).toBeVisible();
    await expect(popup.getByText(/not a web page/)).toBeVisible();
    expect(sim.log).toEqual([]);
  });

  test('explains an IP address and sends nothing', async ({ openSite, extension, sim }) => {
    const site = await openSite('http://127.0.0.1/');
    const popup = await extension.openPopup(site);

    await expect(popup.getByRole('textbox', { name: 'Domain' })).toBeVisible();
    await expect(popup.getByText(/is an IP address/)).toBeVisible();
    expect(sim.log).toEqual([]);
  });

  test('shows an internationalised domain in Unicode', async ({ openSite, extension }) => {
    const site = await openSite('https://xn--mnchen-3ya.de/');
    const popup = await extension.openPopup(site);

    await expect(popup.getByRole('heading', { name: 'münchen.de' })).toBeVisible();
  });
});

test('with DataForSEO: its summary’s totals on the 0–100 rank scale, no outbound domains, and both requests in the cost', async ({ extension, openSite, sim }) => {
  await saveDataForSeoKey(extension);
  await setLocalStorage(extension, {
    preferences: { provider: 'dataforseo', scope: 'domain_with_subdomains', pageSize: 100, serpstatRequestsPerSecond: 1, dataforseoPagesAtOnce: 4, lookUpFollowedTab: false },
  });
  const domain = 'garden-example.com';
  const site = await openSite(`https://www.${domain}/`);
  const popup = await extension.openPopup(site);

  const live = generateDataForSeoReferringDomains(domain, datasetSize(domain, 'refDomains')).filter((item) => item.lost_date === null);
  const backlinks = live.reduce((sum, item) => sum + item.backlinks, 0);
  const nofollow = live.reduce((sum, item) => sum + (item.referring_links_attributes?.nofollow ?? 0), 0);
  await expect(popup.getByText('This lookup cost $0.04033')).toBeVisible();
  expect(await totalLabels(popup)).toEqual(['Referring domains', 'Backlinks', 'Dofollow', 'Domain rank']);
  await expect(totalShown(popup, 'Referring domains')).toHaveText(formatCount(live.length));
  await expect(totalShown(popup, 'Backlinks')).toHaveText(formatCount(backlinks));
  await expect(totalShown(popup, 'Dofollow')).toHaveText(percent((backlinks - nofollow) / backlinks));
  await expect(totalShown(popup, 'Domain rank')).toHaveText(String(targetRank(domain)));
  await expect(popup.getByText(/in 7 days/)).toHaveCount(0);
  await expect(popup.getByRole('table', { name: 'Top referring domains' }).locator('tbody tr')).toHaveCount(10);

  const asked = sim.log.map((entry) => [entry.method, entry.params]);
  expect(asked).toHaveLength(2);
  expect(asked).toContainEqual(['/v3/backlinks/summary/live', { target: domain, include_subdomains: true, rank_scale: 'one_hundred' }]);
  expect(asked).toContainEqual([
    '/v3/backlinks/referring_domains/live',
    { target: domain, include_subdomains: true, limit: 10, offset: 0, rank_scale: 'one_hundred', order_by: ['rank,desc'] },
  ]);
});

test('without a key it asks for one and sends nothing', async ({ openSite, extension, sim }) => {
  const site = await openSite('https://www.shop-example.co.uk/');
  const popup = await extension.openPopup(site);

  await expect(popup.getByText('Add your Serpstat API token in Options')).toBeVisible();
  await expect(popup.getByRole('button', { name: 'Open options' })).toBeVisible();
  expect(sim.log).toEqual([]);
});

test('a wrong token says to check it in Options', async ({ openSite, extension }) => {
  await saveSerpstatKey(extension, 'wrong-serpstat-token-9999');
  const site = await openSite('https://www.shop-example.co.uk/');
  const popup = await extension.openPopup(site);

  await expect(popup.getByText('Check your Serpstat token in Options')).toBeVisible();
});
