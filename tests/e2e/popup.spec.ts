import type { Page } from '@playwright/test';
import { SIM_SERPSTAT_TOKEN } from '../sim/constants';
import { datasetSize } from '../sim/data';
import { asciiDomain, expect, saveSerpstatKey, serpstatCalls, simTopRefDomains, test, type SerpstatListParams } from './fixtures';
import { loaded, setLocalStorage } from './panel-helpers';

const formatCount = (value: number) => new Intl.NumberFormat('en-US').format(value);

/** The value of a total, shown as a term and its definition ("Referring domains" → "1,234"). */
function totalShown(popup: Page, label: string) {
  return popup.getByRole('term').filter({ hasText: label }).locator('xpath=following-sibling::dd[1]');
}

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
    expect(serpstatCalls(sim, 'getRefDomains').length + serpstatCalls(sim, 'getOutDomains').length).toBe(0);

    await popup.getByRole('button', { name: 'Look up for 11 credits' }).click();
    await expect(popup.getByText(/This lookup cost 11 credits · [\d,]+ credits left/)).toBeVisible();
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
    await expect(popup.getByText(/This lookup cost \d+ credits? · [\d,]+ credits left/)).toBeVisible();
    await expect(totalShown(popup, 'Referring domains')).toHaveText(formatCount(datasetSize(domain, 'refDomains')));
    await expect(totalShown(popup, 'Outbound domains')).toHaveText(formatCount(datasetSize(domain, 'outDomains')));

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
    /** Serpstat requests for the domain by method and page size: the summary asks 10 + 1 rows, a table 100. */
    const asked = () =>
      sim.log
        .map((entry) => ({ method: entry.method.split('.')[1], params: (entry.params ?? {}) as SerpstatListParams }))
        .filter((entry) => entry.params.query === domain)
        .map((entry) => `${entry.method} ${entry.params.size}`);
    expect(asked()).toEqual(['getRefDomains 10', 'getOutDomains 1']);

    // Following the tab, the panel would offer Look up (the default); the popup asked for this site.
    await popup.getByRole('button', { name: 'Open side panel' }).click();
    const panel = await extension.openedSidePanel();
    await expect(panel.getByRole('heading', { name: domain })).toBeVisible();
    await expect(loaded(panel, 100, total)).toBeVisible();
    await expect(panel.getByRole('table', { name: 'Referring domains' }).locator('tbody tr').first()).toBeVisible();
    await expect(panel.getByRole('button', { name: /^Look up \(/ })).toHaveCount(0);
    expect(asked()).toEqual(['getRefDomains 10', 'getOutDomains 1', 'getRefDomains 100']);
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
