import { createInflightShare } from '../cache/inflight';
import { createPageCache } from '../cache/page-cache';
import { createPaidFetch } from '../cache/paid-fetch';
import { providerBaseUrls } from '../config';
import { createLedger } from '../ledger';
import { adapters } from '../providers';
import {
  clearCredentials,
  defaultPreferences,
  getBudget,
  getCacheSettings,
  getCredentials,
  getLastBalances,
  getPreferences,
  keyStatuses,
  parsePreferences,
  preferencesItem,
  setCredentials,
  setLastBalance,
} from '../settings';
import type { MessageDeps } from './messages';
import { createProviderClient } from './provider-client';
import { createRequestQueue } from './queue';
import { fetchSummary } from './summary';
import type { TableServerDeps } from './table-server';
import { clearPageCache, readUsage, recordingBalances, recordingTestedBalance, serialBalanceWriter } from './usage';

const HOUR_MS = 3_600_000;
/** DataForSEO allows 30 requests in flight; Serpstat is spaced by the plan's rate instead. */
const DATAFORSEO_MAX_IN_FLIGHT = 30;

/** Everything the background needs, built once per worker start. */
export function createBackgroundServices(): MessageDeps & TableServerDeps {
  let serpstatPerSecond = defaultPreferences.serpstatRequestsPerSecond;
  void getPreferences().then((preferences) => (serpstatPerSecond = preferences.serpstatRequestsPerSecond));
  preferencesItem.watch((preferences) => {
    serpstatPerSecond = parsePreferences(preferences).serpstatRequestsPerSecond;
  });

  const client = createProviderClient({
    adapters,
    getCredentials,
    baseUrls: providerBaseUrls,
    fetch: (input, init) => fetch(input, init),
    queues: {
      serpstat: createRequestQueue({ minIntervalMs: () => 1000 / serpstatPerSecond, maxConcurrent: 1 }),
      dataforseo: createRequestQueue({ minIntervalMs: 0, maxConcurrent: DATAFORSEO_MAX_IN_FLIGHT }),
    },
  });
  const ledger = createLedger();
  const cache = createPageCache({
    ttlMs: async () => (await getCacheSettings()).ttlHours * HOUR_MS,
    maxBytes: async () => (await getCacheSettings()).maxMegabytes * 1_000_000,
  });
  const storeBalance = serialBalanceWriter(setLastBalance);
  const fetchPage = recordingBalances(
    createPaidFetch({ cache, ledger, inflight: createInflightShare(), budget: getBudget, fetchPage: client.fetchPage }),
    storeBalance,
  );

  return {
    fetchPage,
    keyStatuses,
    // New or removed credentials may be another account: its old balance would mislead.
    setCredentials: async (credentials) => {
      await setCredentials(credentials);
      await storeBalance(credentials.provider, null);
    },
    clearCredentials: async (provider) => {
      await clearCredentials(provider);
      await storeBalance(provider, null);
    },
    testConnection: recordingTestedBalance(client.testConnection, storeBalance),
    usage: () => readUsage({ ledger, cache, balances: getLastBalances }),
    clearCache: () => clearPageCache(cache),
    fetchSummary: (provider, target, scope, signal) =>
      fetchSummary({ fetchPage, supports: client.supports }, provider, target, scope, signal),
  };
}
