/**
 * Changes since my last look: the popup and the panel compare what they show with the look before
 * it, kept in the background, without asking the provider for anything to do so; the panel lists
 * the kept looks (Delete) and the referring domains that appeared and disappeared; Options clears
 * the history after asking.
 */
import type { Page } from '@playwright/test';
import { SIM_SERPSTAT_TOKEN } from '../sim/constants';
import { generateRows } from '../sim/data';
import type { Preferences } from '../../lib/shared/settings';
import { expect, saveSerpstatKey, test } from './fixtures';
import type { ExtensionBrowser } from './extension-browser';
import { loaded, openPanel, setLocalStorage } from './panel-helpers';

const preferences: Preferences = { provider: 'serpstat', scope: 'domain_with_subdomains', pageSize: 100, serpstatRequestsPerSecond: 10, dataforseoPagesAtOnce: 4, lookUpFollowedTab: false };
const today = () => new Intl.DateTimeFormat('en-US', { dateStyle: 'medium' }).format(Date.now());

test.beforeEach(async ({ extension }) => {
  await saveSerpstatKey(extension, SIM_SERPSTAT_TOKEN);
  await setLocalStorage(extension, { preferences });
});

/** Empties the page cache from Options, as a user would, so the next look asks the provider again. */
async function clearCache(extension: ExtensionBrowser): Promise<void> {
  const options = await extension.context.newPage();
  await options.goto(extension.extensionUrl('options.html'));
  await options.getByRole('button', { name: 'Clear cache' }).click();
  await expect(options.getByText(/^Cache cleared/)).toBeVisible();
  await options.close();
}

const lookedUp = (popup: Page) => expect(popup.getByText(/^This lookup cost|^From cache/)).toBeVisible();

test('the popup shows the change since the last look, and asks nothing to show it', async ({ extension, openSite, sim }) => {
  const domain = 'looks-example.com';
  sim.setDatasetSize(domain, 'refDomains', 1_000);
  const site = await openSite(`https://${domain}/`);

  const first = await extension.openPopup(site);
  await lookedUp(first);
  // A first look has nothing to compare with.
  await expect(first.getByText(/^Since |^No change since/)).toHaveCount(0);
  await first.close();

  // The site gained 12 referring domains; the next look asks the provider again (past the cache).
  sim.setDatasetSize(domain, 'refDomains', 1_012);
  await clearCache(extension);
  const before = sim.log.length;
  const second = await extension.openPopup(site);
  await expect(second.getByText(`Since ${today()}: Referring domains +12`)).toBeVisible();
  // The totals come before the top domains: wait for the whole look before counting its requests.
  await lookedUp(second);
  // The look's own two requests, nothing for the change.
  expect(sim.log.slice(before).map((entry) => entry.method).sort()).toEqual(['SerpstatBacklinksProcedure.getRefDomains', 'SerpstatBacklinksProcedure.getSummaryV2']);
  await second.close();

  // The same look served again from the cache is no new look: the same change, and no request at all.
  const third = await extension.openPopup(site);
  await expect(third.getByText(/^From cache/)).toBeVisible();
  await expect(third.getByText(`Since ${today()}: Referring domains +12`)).toBeVisible();
  expect(sim.log.length).toBe(before + 2);
});

test('the panel lists the looks and deletes one, compares referring domains, and Options clears the history after asking', async ({ extension, openSite, sim }) => {
  const domain = 'looks-panel-example.com';
  sim.setDatasetSize(domain, 'refDomains', 150);
  const site = await openSite(`https://${domain}/`);
  await (await extension.openPopup(site)).close();

  const panel = await openPanel(extension, domain);
  await expect(loaded(panel, 100, 150)).toBeVisible();
  await panel.getByRole('button', { name: /^Load next/ }).click();
  await expect(loaded(panel, 150, 150)).toBeVisible();

  sim.setDatasetSize(domain, 'refDomains', 160);
  await clearCache(extension);
  const popup = await extension.openPopup(site);
  await lookedUp(popup);
  await popup.close();

  // The panel's header: the newest look against the one before, and the history of both.
  await panel.reload();
  await expect(panel.getByText(`Since ${today()}: Referring domains +10`)).toBeVisible();
  await panel.getByText('History of my looks (2)').click();
  const history = panel.getByRole('table', { name: `My looks at ${domain}` });
  await expect(history.getByRole('row')).toHaveCount(3);

  // The cache was cleared, so the reloaded table came from the provider: a second look at it, compared with the first.
  await expect(loaded(panel, 100, 160)).toBeVisible();
  await panel.getByRole('button', { name: /^Load next/ }).click();
  await expect(loaded(panel, 160, 160)).toBeVisible();
  await panel.getByText('New and lost referring domains since my last look').click();
  await expect(panel.getByText(`Compared 150 of 150 domains on ${today()} with 160 of 160 on ${today()}.`)).toBeVisible();
  await expect(panel.getByText(/^Partial:/)).toHaveCount(0);
  // What the simulator's data sets say changed, independently of the extension.
  const then = new Set(generateRows(domain, 'refDomains', 150).map((row) => row.domain_from.toLowerCase()));
  const now = new Set(generateRows(domain, 'refDomains', 160).map((row) => row.domain_from.toLowerCase()));
  const appeared = [...now].filter((name) => !then.has(name));
  const disappeared = [...then].filter((name) => !now.has(name));
  const appearedList = panel.getByRole('region', { name: appeared.length === 1 ? '1 new domain' : `${appeared.length} new domains` });
  expect((await appearedList.getByRole('listitem').allTextContents()).sort()).toEqual(appeared.sort());
  if (disappeared.length > 0) expect(await panel.getByRole('region', { name: /lost domains?$/ }).getByRole('listitem').count()).toBe(disappeared.length);

  // Deleting the newer look leaves one: no change line, one row.
  const newest = history.getByRole('button', { name: /^Delete the look of / }).first();
  await newest.click();
  await expect(panel.getByText('History of my looks (1)')).toBeVisible();
  await expect(panel.getByText(/^Since /)).toHaveCount(0);

  const options = await extension.context.newPage();
  await options.goto(extension.extensionUrl('options.html'));
  const section = options.getByRole('region', { name: 'History of my looks' });
  await expect(section.getByText(/^Kept: 1 snapshot and the referring domains of \d+ pages/)).toBeVisible();
  await section.getByRole('button', { name: 'Clear history' }).click();
  await section.getByRole('button', { name: 'Keep history' }).click();
  await expect(section.getByText(/^Kept: 1 snapshot/)).toBeVisible();
  await section.getByRole('button', { name: 'Clear history' }).click();
  await section.getByRole('button', { name: 'Delete history' }).click();
  await expect(section.getByText('History cleared.')).toBeVisible();
  await expect(section.getByText(/^Kept: 0 snapshots and the referring domains of 0 pages/)).toBeVisible();
  await panel.reload();
  await expect(loaded(panel, 100, 160)).toBeVisible();
  await expect(panel.getByText(/^History of my looks/)).toHaveCount(0);
});
