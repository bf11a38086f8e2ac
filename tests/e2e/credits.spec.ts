/**
 * "Never spend a credit twice", in the real browser against the simulator: the page cache
 * answers a second look-up, a stopped service worker neither loses nor repeats a page, retried
 * rate limits leave an exact ledger, the daily cap stops requests before they leave, and two
 * views asking at once share one request. Every provider request is read back from the log.
 */
import type { Page } from '@playwright/test';
import { SIM_SERPSTAT_TOKEN } from '../sim/constants';
import type { Preferences } from '../../lib/shared/settings';
import { asciiDomain, expect, saveSerpstatKey, serpstatCalls, simTopRefDomains, test } from './fixtures';
import { ledgerEntries, loaded, loadedRows, openPanel, readAllRows, setLocalStorage } from './panel-helpers';
import type { Simulator } from './fixtures';

const fastPreferences: Preferences = {
  provider: 'serpstat',
  scope: 'domain_with_subdomains',
  pageSize: 100,
  // Pacing is not what these tests are about, except where a test slows it on purpose.
  serpstatRequestsPerSecond: 10,
  dataforseoPagesAtOnce: 4,
  lookUpFollowedTab: false,
};

/** The Serpstat list requests for one domain, as (method, page, size), in request order. */
function listRequests(sim: Simulator, domain: string, method: string) {
  return serpstatCalls(sim, method)
    .filter((entry) => entry.params.query === domain)
    .map((entry) => ({ page: entry.params.page, size: entry.params.size }));
}

/** Every Serpstat request that carried this domain (summary and table pages alike). */
function domainRequests(sim: Simulator, domain: string) {
  return sim.log.filter((entry) => entry.provider === 'serpstat' && (entry.params as { query?: string } | null)?.query === domain);
}

/** Presses "Load next 100" once per page, each time after the page before arrived, until `rows` are loaded. */
async function loadUntil(panel: Page, rows: number, total: number, pageSize = 100): Promise<void> {
  for (let shown = await loadedRows(panel); shown < rows; shown += pageSize) {
    await panel.getByRole('button', { name: `Load next ${pageSize}` }).click();
    await expect(loaded(panel, shown + pageSize, total)).toBeVisible();
  }
}

test.beforeEach(async ({ extension }) => {
  await saveSerpstatKey(extension, SIM_SERPSTAT_TOKEN);
  await setLocalStorage(extension, { preferences: fastPreferences });
});

test('a second look-up, even after the service worker stopped, is served from the cache for nothing', async ({
  extension,
  openSite,
  sim,
}) => {
  const domain = 'cache-example.com';
  const site = await openSite(`https://www.${domain}/`);

  const first = await extension.openPopup(site);
  await expect(first.getByText(/This lookup cost \d+ credits?/)).toBeVisible();
  expect(listRequests(sim, domain, 'getRefDomains')).toEqual([{ page: 1, size: 10 }]);
  expect(listRequests(sim, domain, 'getSummaryV2')).toHaveLength(1);
  const paidRequests = domainRequests(sim, domain).length;

  const second = await extension.openPopup(site);
  await expect(second.getByText(/^From cache · fetched just now · cost 0 credits/)).toBeVisible();
  expect(domainRequests(sim, domain)).toHaveLength(paidRequests);

  // A stopped worker loses its memory, not the IndexedDB page cache.
  await extension.stopServiceWorker();
  const third = await extension.openPopup(site);
  await expect(third.getByText(/^From cache · fetched just now · cost 0 credits/)).toBeVisible();
  expect(domainRequests(sim, domain)).toHaveLength(paidRequests);
});

test('a service worker stopped three times mid-stream loses no row and repeats no page', async ({ extension, sim }) => {
  const domain = 'restart-example.com';
  const total = 2000;
  sim.setDatasetSize(domain, 'refDomains', total);
  // 2,000 credits in one table: above the default per-lookup limit, which would ask first.
  await setLocalStorage(extension, { budget: { perLookupCredits: total, perLookupUsd: 0.5, dailyCapCredits: null, dailyCapUsd: null } });
  const panel = await openPanel(extension, domain);
  await expect(loaded(panel, 100, total)).toBeVisible();

  for (const stopAfterPage of [5, 10, 15]) {
    await loadUntil(panel, (stopAfterPage - 1) * 100, total);
    // One request a second from here: the next page then waits in the worker's queue, not on
    // the wire, when the worker is stopped (a request already sent is paid for whatever happens).
    await setLocalStorage(extension, { preferences: { ...fastPreferences, serpstatRequestsPerSecond: 1 } });
    await loadUntil(panel, stopAfterPage * 100, total);
    const requestsBefore = listRequests(sim, domain, 'getRefDomains').length;
    await panel.getByRole('button', { name: /^Load next/ }).click();
    await extension.stopServiceWorker();
    expect(listRequests(sim, domain, 'getRefDomains'), 'the stop came while the next page waited in the queue').toHaveLength(
      requestsBefore,
    );
    // The table client reconnects by itself and asks for the page again.
    await expect(loaded(panel, (stopAfterPage + 1) * 100, total)).toBeVisible();
    await setLocalStorage(extension, { preferences: fastPreferences });
  }
  await loadUntil(panel, total, total);
  await expect(panel.getByRole('button', { name: /^Load next/ })).toHaveCount(0);

  const pages = listRequests(sim, domain, 'getRefDomains');
  expect(pages).toEqual(Array.from({ length: total / 100 }, (_, index) => ({ page: index + 1, size: 100 })));
  const rows = await readAllRows(panel, 'Referring domains');
  expect(rows.map(asciiDomain)).toEqual(simTopRefDomains(domain, total, total));
});

test('with a 429 on every third request the table completes and the ledger matches what was charged', async ({
  extension,
  sim,
}) => {
  const domain = 'ratelimit-example.com';
  const total = 1000;
  sim.setDatasetSize(domain, 'refDomains', total);
  sim.injectFault({ provider: 'serpstat', everyNth: 3, fault: { kind: 'http', status: 429 } });
  const panel = await openPanel(extension, domain);
  await expect(loaded(panel, 100, total)).toBeVisible({ timeout: 15_000 });
  await loadUntil(panel, total, total);

  const requests = domainRequests(sim, domain);
  expect(requests.filter((entry) => entry.outcome === 'fault').length).toBeGreaterThanOrEqual(3);
  const charged = requests.reduce((sum, entry) => sum + entry.charged, 0);
  expect(charged).toBe(total);
  // Every page was charged once: the 429s cost nothing and their retries were the only repeats.
  const paidPages = requests.filter((entry) => entry.charged > 0).map((entry) => (entry.params as { page: number }).page);
  expect(paidPages).toEqual(Array.from({ length: total / 100 }, (_, index) => index + 1));

  const ledger = await ledgerEntries(await extension.liveServiceWorker());
  const paid = ledger.filter((entry) => entry.kind === 'paid' && entry.provider === 'serpstat' && entry.target === domain);
  expect(paid.reduce((sum, entry) => sum + entry.credits, 0)).toBe(charged);
  expect(paid).toHaveLength(total / 100);
});

test('the daily cap refuses the next page before any request leaves', async ({ extension, sim }) => {
  const domain = 'budget-example.com';
  sim.setDatasetSize(domain, 'refDomains', 1000);
  await setLocalStorage(extension, {
    budget: { perLookupCredits: 1000, perLookupUsd: 0.5, dailyCapCredits: 150, dailyCapUsd: null },
  });
  const panel = await openPanel(extension, domain);
  await expect(loaded(panel, 100, 1000)).toBeVisible();
  expect(listRequests(sim, domain, 'getRefDomains')).toEqual([{ page: 1, size: 100 }]);

  await panel.getByRole('button', { name: 'Load next 100' }).click();
  await expect(panel.getByText("Today's cap of 150 credits for Serpstat is reached.")).toBeVisible();
  await expect(panel.getByText(/raise the daily cap in Options/)).toBeVisible();
  await expect(loaded(panel, 100, 1000)).toBeVisible();
  expect(listRequests(sim, domain, 'getRefDomains')).toEqual([{ page: 1, size: 100 }]);
});

test('the popup and the side panel opened together share one summary request', async ({ extension, openSite, sim }) => {
  const domain = 'shared-example.com';
  // Page size 10 makes the panel's first page the popup's top-10 page (same sort: rank, descending).
  await setLocalStorage(extension, { preferences: { ...fastPreferences, pageSize: 10 } });
  // Slow answers, so the second view asks while the first view's request is still on the wire.
  sim.setLatency(1500);
  const site = await openSite(`https://${domain}/`);

  const [panel, popup] = await Promise.all([openPanel(extension, domain), extension.openPopup(site)]);
  await expect(popup.getByText(/This lookup cost \d+ credits?/)).toBeVisible();
  await expect(panel.getByText(/^10 of [\d,]+ loaded/)).toBeVisible();

  expect(listRequests(sim, domain, 'getRefDomains')).toEqual([{ page: 1, size: 10 }]);
  const ledger = await ledgerEntries(await extension.liveServiceWorker());
  const refDomainPages = ledger.filter((entry) => entry.kind === 'paid' && entry.report === 'refDomains' && entry.target === domain);
  expect(refDomainPages).toHaveLength(1);
});

test('two near-end scrolls before the panel re-renders pay for the next page once', async ({ extension, sim }) => {
  const domain = 'double-scroll-example.com';
  sim.setDatasetSize(domain, 'refDomains', 1000);
  const panel = await openPanel(extension, domain);
  await expect(loaded(panel, 100, 1000)).toBeVisible();
  // Page 2 stays on the wire long enough for the second scroll to find it there.
  sim.setLatency(1000);
  await panel.getByTestId('report-table-scroll').evaluate((element) => {
    element.scrollTop = element.scrollHeight;
    element.dispatchEvent(new Event('scroll'));
    element.dispatchEvent(new Event('scroll'));
  });
  await expect(loaded(panel, 200, 1000)).toBeVisible();
  expect(listRequests(sim, domain, 'getRefDomains')).toEqual([
    { page: 1, size: 100 },
    { page: 2, size: 100 },
  ]);
});
