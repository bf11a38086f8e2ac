import { createInflightShare } from './cache/inflight';
import { createPageCache } from './cache/page-cache';
import { createCachedRead, createPaidFetch } from './cache/paid-fetch';
import { pageCacheKey } from './cache/page-key';
import { providerBaseUrls } from './config';
import { createLedger } from './ledger';
import { adapters } from './providers';
import { capabilityOf, firstTokenPage, providerCatalogue, type ProviderId } from '../shared/providers';
import type { TableQuery } from '../shared/reports';
import type { PaidQuery } from '../shared/summary';
import { budgetItem, cacheSettingsItem, parseBudget, parseCacheSettings, parsePreferences, preferencesItem, type Preferences } from '../shared/settings';
import type { MessageDeps } from './messages';
import type { SpendConsent } from '../shared/protocol';
import { checkOneShotLookup, createLookupAllowance } from './lookup-allowance';
import { createProviderClient } from './provider-client';
import { createRequestQueue } from './queue';
import { cachedCharts, fetchCharts } from './charts';
import { cachedLinkGapOverlap, fetchLinkGapOverlap } from './link-gap-overlap';
import { createLooks } from './looks/looks';
import { recordingLooks } from './looks/recording';
import type { TableServerDeps } from './table-server';
import type { PopupServerDeps } from './popup-server';
import { popupTab } from './popup-tab';
import { clearPageCache, readUsage, recordingBalances, recordingTestedBalance, coalescingBalanceWriter, getLastBalances, setLastBalance } from './usage';
import { clearCredentials, hasCredentials, keptOpenCredentials, keyStatuses, setCredentials } from './keys';

const HOUR_MS = 3_600_000;

/** The provider's own cap on rows per query, if any (Serpstat 60,000). */
export function providerMaxRows(query: TableQuery): number | undefined {
  const capability = capabilityOf(query.provider, query.report);
  return capability.supported ? capability.maxRows : undefined;
}

/**
 * Pages a Load all asks for at once: the user's DataForSEO setting; for Serpstat two (one on its
 * way, the next waiting in the queue), so each start falls exactly on the plan's pace while the
 * queue still sends one at a time.
 */
export function pagesAtOnceFor(provider: ProviderId, preferences: Preferences): number {
  return provider === 'dataforseo' ? preferences.dataforseoPagesAtOnce : 2;
}

/** A stored setting the worker reads on every lookup or page. */
interface WatchedItem {
  getValue(): Promise<unknown>;
  watch(onChange: (stored: unknown) => void): unknown;
}

/**
 * A setting read once per worker start and then kept up to date from its change events, so the
 * lookups and pages that read it read no storage. `current()` waits for the first read only.
 */
export function keptInMemory<T>(item: WatchedItem, parse: (stored: unknown) => T): { current: () => Promise<T>; now: () => T } {
  let value = parse(undefined);
  let changed = false;
  const firstRead = item.getValue().then(
    // A change heard meanwhile is newer than what this read found.
    (stored) => void (changed || (value = parse(stored))),
    () => undefined,
  );
  item.watch((stored) => {
    changed = true;
    value = parse(stored);
  });
  return { current: () => firstRead.then(() => value), now: () => value };
}

/** Everything the background needs, built once per worker start. */
export function createBackgroundServices(): MessageDeps & TableServerDeps & PopupServerDeps {
  // Kept in memory, so the popup's lookup reads no storage for them, nor a cached page for its age,
  // nor each page of a Load all for the daily cap and the per-lookup limit.
  const preferences = keptInMemory(preferencesItem, parsePreferences);
  const cacheSettings = keptInMemory(cacheSettingsItem, parseCacheSettings);
  const budget = keptInMemory(budgetItem, parseBudget);

  const credentials = keptOpenCredentials();
  const client = createProviderClient({
    adapters,
    getCredentials: credentials.get,
    baseUrls: providerBaseUrls,
    fetch: (input, init) => fetch(input, init),
    queues: {
      // Serpstat is spaced by the plan's rate; DataForSEO allows as many in flight as the catalogue says, shared by every view.
      serpstat: createRequestQueue({ minIntervalMs: () => 1000 / preferences.now().serpstatRequestsPerSecond, maxConcurrent: providerCatalogue.serpstat.maxInFlight }),
      dataforseo: createRequestQueue({ minIntervalMs: 0, maxConcurrent: providerCatalogue.dataforseo.maxInFlight }),
    },
  });
  const ledger = createLedger();
  const cache = createPageCache({
    ttlMs: async () => (await cacheSettings.current()).ttlHours * HOUR_MS,
    maxBytes: async () => (await cacheSettings.current()).maxMegabytes * 1_000_000,
  });
  const storeBalance = coalescingBalanceWriter(setLastBalance);
  const looks = createLooks();
  const fetchPage = recordingLooks(
    recordingBalances(createPaidFetch({ cache, ledger, inflight: createInflightShare(), budget: budget.current, fetchPage: client.fetchPage }), storeBalance),
    looks,
  );

  const cachedPage = createCachedRead(cache);
  const isCached = async (query: PaidQuery, page: number) => (await cache.get(pageCacheKey(query, page))) !== null;
  const checkOneShot = (pages: { query: PaidQuery; page: number }[], consent: SpendConsent | undefined) =>
    checkOneShotLookup(pages, consent, { budget: budget.current, isCached });
  const allowance = createLookupAllowance({ budget: budget.current, isCached, maxRows: providerMaxRows });

  return {
    fetchPage,
    allowance,
    maxRows: providerMaxRows,
    pagesAtOnce: (query) => pagesAtOnceFor(query.provider, preferences.now()),
    tokenPagedFrom: (query) => firstTokenPage(capabilityOf(query.provider, query.report), query.pageSize),
    keyStatuses,
    // New or removed credentials may be another account: its old balance would mislead.
    setCredentials: async (saved) => {
      await setCredentials(saved);
      credentials.forget(saved.provider);
      await storeBalance(saved.provider, null);
    },
    clearCredentials: async (provider) => {
      await clearCredentials(provider);
      credentials.forget(provider);
      await storeBalance(provider, null);
    },
    testConnection: recordingTestedBalance(client.testConnection, storeBalance),
    planLoadAll: (query, loadedPages) => allowance.planLoadAll(query, loadedPages),
    usage: () => readUsage({ ledger, cache, balances: getLastBalances }),
    clearCache: () => clearPageCache(cache),
    fetchCharts: (request, signal, consent) => fetchCharts({ fetchPage, checkLimit: checkOneShot }, request, signal, consent),
    fetchLinkGapOverlap: (table, signal, consent) => fetchLinkGapOverlap({ fetchPage, checkLimit: checkOneShot }, table, signal, consent),
    cachedCharts: (request) => cachedCharts(cachedPage, request),
    cachedLinkGapOverlap: (table) => cachedLinkGapOverlap(cachedPage, table),
    popupTab,
    preferences: preferences.current,
    isKeyConfigured: hasCredentials,
    summary: {
      fetchPage,
      checkLimit: checkOneShot,
      oneAtATime: (provider) => providerCatalogue[provider].maxInFlight === 1,
    },
    ...looks.messages,
  };
}
