import type { Locator, Page } from '@playwright/test';
import { SIM_SERPSTAT_TOKEN } from '../sim/constants';
import { datasetSize } from '../sim/data';
import type { Preferences } from '../../lib/shared/settings';
import { expect, saveSerpstatKey, serpstatCalls, test } from './fixtures';
import { redirectChainUrl, type ExtensionBrowser } from './extension-browser';
import { openPanelFollowing, setLocalStorage } from './panel-helpers';

const formatCount = (value: number) => new Intl.NumberFormat('en-US').format(value);

/** Scrolls the nearest scrollable ancestor of `table` (or the page) to its bottom. */
async function scrollTableToBottom(table: Locator): Promise<void> {
  await table.evaluate((element) => {
    let scroller: Element | null = element;
    while (scroller && !(scroller.scrollHeight > scroller.clientHeight && /auto|scroll/.test(getComputedStyle(scroller).overflowY))) {
      scroller = scroller.parentElement;
    }
    const target = scroller ?? document.scrollingElement;
    if (target) target.scrollTop = target.scrollHeight;
  });
}

/** The user's choice in Options: the panel looks up the tab it follows once the tab has settled (off by default). */
const lookingUpFollowedTab: Preferences = {
  provider: 'serpstat',
  scope: 'domain_with_subdomains',
  pageSize: 100,
  serpstatRequestsPerSecond: 10,
  dataforseoPagesAtOnce: 4,
  lookUpFollowedTab: true,
};

/** The panel opened without a target, looking up the tab it follows, on the first of two sites, which is in front. */
async function openFollowingPanel(extension: ExtensionBrowser, openSite: (url: string) => Promise<Page>) {
  await setLocalStorage(extension, { preferences: lookingUpFollowedTab });
  const siteB = await openSite('https://news.travel-example.com/today');
  const { panel, site: siteA } = await openPanelFollowing(extension, openSite, 'https://www.shop-example.co.uk/', 'shop-example.co.uk');
  return { panel, siteA, siteB };
}

test.beforeEach(async ({ extension }) => {
  await saveSerpstatKey(extension, SIM_SERPSTAT_TOKEN);
});

test('streams referring domains page by page as the table scrolls', async ({ extension, sim }) => {
  const domain = 'shop-example.co.uk';
  sim.setDatasetSize(domain, 'refDomains', 1000);
  const panel = await extension.context.newPage();
  await panel.goto(extension.extensionUrl(`sidepanel.html?target=${domain}`));

  const table = panel.getByRole('table', { name: 'Referring domains' });
  await expect(panel.getByText('100 of 1,000 loaded')).toBeVisible();
  await expect(table.locator('tbody tr').first()).toBeVisible();

  // Each scroll to the bottom asks for the next page; Serpstat is paced at 1 request per second.
  await expect(async () => {
    await scrollTableToBottom(table);
    await expect(panel.getByText('300 of 1,000 loaded')).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 20_000 });

  expect(await panel.content()).not.toContain(SIM_SERPSTAT_TOKEN);

  const pages = serpstatCalls(sim, 'getRefDomains')
    .filter((entry) => entry.params.query === domain)
    .map((entry) => ({ page: entry.params.page, size: entry.params.size }));
  expect(pages).toEqual([
    { page: 1, size: 100 },
    { page: 2, size: 100 },
    { page: 3, size: 100 },
  ]);

  await panel.getByRole('tab', { name: 'Outbound domains' }).click();
  const outTotal = formatCount(datasetSize(domain, 'outDomains'));
  await expect(panel.getByRole('table', { name: 'Outbound domains' })).toBeVisible();
  await expect(panel.getByText(new RegExp(`\\d of ${outTotal} loaded`))).toBeVisible();
});

test('follows the active tab when opened without a target', async ({ extension, openSite }) => {
  const { panel, siteB } = await openFollowingPanel(extension, openSite);
  await siteB.bringToFront();
  await expect(panel.getByRole('heading', { name: 'travel-example.com' })).toBeVisible();
  await expect(panel.getByRole('textbox', { name: 'Domain' })).toBeVisible();
});

test('follows the tab without looking it up by default: the site, then Look up with its cost; nothing is asked until it is pressed', async ({
  extension,
  openSite,
  sim,
}) => {
  const { panel } = await openPanelFollowing(extension, openSite, 'https://www.shop-example.co.uk/', 'shop-example.co.uk');
  const lookUp = panel.getByRole('button', { name: 'Look up (about 100 credits)' });
  await expect(lookUp).toBeVisible();
  expect(serpstatCalls(sim, 'getRefDomains')).toEqual([]);

  await lookUp.click();
  await expect(panel.getByRole('table', { name: 'Referring domains' }).locator('tbody tr').first()).toBeVisible();
  expect(serpstatCalls(sim, 'getRefDomains').map((entry) => entry.params.query)).toEqual(['shop-example.co.uk']);
});

test('with the panel open, a tab redirected 20 times within a second is asked about only for the site it stays on', async ({
  extension,
  openSite,
  sim,
}) => {
  const { panel, siteA } = await openFollowingPanel(extension, openSite);
  await expect(panel.getByRole('table', { name: 'Referring domains' }).locator('tbody tr').first()).toBeVisible();
  const requestsBefore = sim.log.length;

  // Navigated by the page itself: each hop moves on while it loads, so there is no load to wait for.
  await siteA.evaluate((url) => location.assign(url), redirectChainUrl(20, 'final-example.org'));
  await expect(panel.getByRole('heading', { name: 'final-example.org' })).toBeVisible();
  await expect(panel.getByRole('table', { name: 'Referring domains' }).locator('tbody tr').first()).toBeVisible();
  await expect(panel.getByText(/^100 of [\d,]+ loaded/)).toBeVisible();
  const asked = sim.log.slice(requestsBefore).map((entry) => (entry.params as { query?: string } | undefined)?.query);
  expect(asked.length).toBeGreaterThan(0);
  expect(new Set(asked)).toEqual(new Set(['final-example.org']));
});

test('Pin keeps the domain when another tab is activated; a domain clicked in the table pins too, with Back and Forward', async ({
  extension,
  openSite,
}) => {
  const { panel, siteA, siteB } = await openFollowingPanel(extension, openSite);

  const pin = panel.getByRole('button', { name: 'Pin' });
  await pin.click();
  await expect(pin).toHaveAttribute('aria-pressed', 'true');
  await siteB.bringToFront();
  await panel.waitForTimeout(500);
  await expect(panel.getByRole('heading', { name: 'shop-example.co.uk' })).toBeVisible();

  // Unpinned, the panel shows the active tab at once.
  await pin.click();
  await expect(panel.getByRole('heading', { name: 'travel-example.com' })).toBeVisible();

  const table = panel.getByRole('table', { name: 'Referring domains' });
  const firstDomain = (await table.locator('tbody tr').first().locator('a').first().textContent())!;
  await table.locator('tbody tr').first().getByRole('button', { name: 'Look up this domain' }).click();
  await expect(panel.getByRole('heading', { name: firstDomain })).toBeVisible();
  await expect(pin).toHaveAttribute('aria-pressed', 'true');
  await siteA.bringToFront();
  await panel.waitForTimeout(500);
  await expect(panel.getByRole('heading', { name: firstDomain })).toBeVisible();

  await panel.getByRole('button', { name: 'Back' }).click();
  await expect(panel.getByRole('heading', { name: 'travel-example.com' })).toBeVisible();
  await panel.getByRole('button', { name: 'Forward' }).click();
  await expect(panel.getByRole('heading', { name: firstDomain })).toBeVisible();
});

test('the keyboard drives the table: arrows move the focused row, Enter looks its domain up, / jumps to the filter, a header edge resizes', async ({
  extension,
}) => {
  const panel = await extension.context.newPage();
  await panel.goto(extension.extensionUrl('sidepanel.html?target=shop-example.co.uk'));
  const table = panel.getByRole('table', { name: 'Referring domains' });
  const rows = table.locator('tbody tr[aria-rowindex]');
  await expect(rows.first()).toBeVisible();

  // The first row takes Tab; the arrow keys walk the rows from there.
  await rows.first().focus();
  await panel.keyboard.press('ArrowDown');
  await panel.keyboard.press('ArrowDown');
  const third = table.locator('tbody tr[aria-rowindex="4"]');
  await expect(third).toBeFocused();
  await panel.keyboard.press('End');
  await expect(table.locator('tbody tr[aria-rowindex="101"]')).toBeFocused();
  await panel.keyboard.press('Home');
  await expect(table.locator('tbody tr[aria-rowindex="2"]')).toBeFocused();
  await panel.keyboard.press('ArrowDown');
  await panel.keyboard.press('ArrowDown');
  const domain = (await third.locator('a').first().textContent())!;
  await panel.keyboard.press('Enter');
  await expect(panel.getByRole('heading', { name: domain })).toBeVisible();

  await panel.keyboard.press('/');
  await expect(panel.getByRole('searchbox', { name: 'Filter text' })).toBeFocused();

  const header = table.getByRole('columnheader', { name: 'Domain' });
  const before = (await header.boundingBox())!.width;
  await table.getByRole('separator', { name: 'Resize Domain column' }).focus();
  await panel.keyboard.press('ArrowRight');
  await panel.keyboard.press('ArrowRight');
  await expect.poll(async () => Math.round((await header.boundingBox())!.width)).toBe(Math.round(before) + 32);
});

test('the columns keep their widths while the rows scroll by', async ({ extension }) => {
  const panel = await extension.context.newPage();
  await panel.setViewportSize({ width: 420, height: 700 });
  await panel.goto(extension.extensionUrl('sidepanel.html?target=shop-example.co.uk'));
  const table = panel.getByRole('table', { name: 'Referring domains' });
  await expect(table.locator('tbody tr[aria-rowindex]').first()).toBeVisible();
  const headerWidths = () => table.locator('thead th').evaluateAll((headers) => headers.map((header) => Math.round(header.getBoundingClientRect().width)));
  const atTop = await headerWidths();
  const scroller = panel.getByTestId('report-table-scroll');
  // Screen by screen to the last loaded row: each screen shows other domains, long and short.
  for (let screen = 1; screen <= 8; screen++) {
    await scroller.evaluate((element, top) => element.scrollTo({ top }), screen * 500);
    await panel.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    expect(await headerWidths()).toEqual(atTop);
  }
  // A narrower panel lays the columns out again rather than holding them past its edge.
  const sum = (widths: number[]) => widths.reduce((total, width) => total + width, 0);
  await panel.setViewportSize({ width: 380, height: 700 });
  await expect.poll(async () => sum(await headerWidths())).toBeLessThan(sum(atTop));
});

test('the Domain box explains what is wrong with an entry and sends nothing for it', async ({ extension, sim }) => {
  const panel = await extension.context.newPage();
  await panel.goto(extension.extensionUrl('sidepanel.html'));
  const domainBox = panel.getByRole('textbox', { name: 'Domain' });
  const problem = panel.getByRole('search', { name: 'Look up a domain' }).getByRole('alert');
  const requestsBefore = sim.log.length;

  const invalidEntries: [string, string][] = [
    ['http://', 'only the start of an address'],
    ['exa mple.com', 'cannot contain spaces'],
    ['a'.repeat(300), 'longer than the 253 characters'],
    ['192.168.1.1', 'is an IP address'],
    ['localhost:3000', 'your own computer'],
    ['me@shop-example.co.uk', 'is an email address'],
    ['*.shop-example.co.uk', 'contains “*”'],
  ];
  for (const [entry, words] of invalidEntries) {
    await domainBox.fill(entry);
    await domainBox.press('Enter');
    await expect(problem).toContainText(words);
    await expect(domainBox).toHaveAttribute('aria-invalid', 'true');
  }
  await panel.getByRole('button', { name: 'Look up', exact: true }).click();
  await expect(problem).toContainText('contains “*”');
  expect(sim.log.slice(requestsBefore)).toEqual([]);

  // The same box with a valid domain does reach the provider: the silence above was the validation.
  await domainBox.fill('shop-example.co.uk');
  await domainBox.press('Enter');
  await expect(problem).toBeHidden();
  await expect(panel.getByRole('heading', { name: 'shop-example.co.uk' })).toBeVisible();
  await expect.poll(() => serpstatCalls(sim, 'getRefDomains').length).toBeGreaterThan(0);
});
