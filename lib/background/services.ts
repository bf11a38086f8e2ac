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
  getPreferences,
  keyStatuses,
  parsePreferences,
  preferencesItem,
  setCredentials,
} from '../settings';
import type { MessageDeps } from './messages';
import { createProviderClient } from './provider-client';
import { createRequestQueue } from './queue';
import { fetchSummary } from './summary';
import type { TableServerDeps } from './table-server';

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
  const fetchPage = createPaidFetch({
    cache: createPageCache({
      ttlMs: async () => (await getCacheSettings()).ttlHours * HOUR_MS,
      maxBytes: async () => (await getCacheSettings()).maxMegabytes * 1_000_000,
    }),
    ledger,
    inflight: createInflightShare(),
    budget: getBudget,
    fetchPage: client.fetchPage,
  });

  return {
    fetchPage,
    keyStatuses,
    setCredentials,
    clearCredentials,
    testConnection: client.testConnection,
    fetchSummary: (provider, target, scope, signal) =>
      fetchSummary({ fetchPage, supports: client.supports }, provider, target, scope, signal),
  };
}
