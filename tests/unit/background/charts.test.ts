import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import * as docs from '../../fixtures/provider-docs-examples';
import { buildSerpstatChartRequest, parseSdrRange, parseSerpstatChart } from '../../../lib/background/providers/serpstat-charts';
import { buildDataForSeoChartRequest, parseDataForSeoChart } from '../../../lib/background/providers/dataforseo-charts';
import { cachedCharts, fetchCharts, type ChartsClient } from '../../../lib/background/charts';
import { createCachedRead, createPaidFetch } from '../../../lib/background/cache/paid-fetch';
import { createPageCache } from '../../../lib/background/cache/page-cache';
import { createInflightShare } from '../../../lib/background/cache/inflight';
import { createLedger } from '../../../lib/background/ledger';
import { checkOneShotLookup } from '../../../lib/background/lookup-allowance';
import { pageCacheKey } from '../../../lib/background/cache/page-key';
import { createProviderClient } from '../../../lib/background/provider-client';
import { createRequestQueue, defaultRetry } from '../../../lib/background/queue';
import { adapters } from '../../../lib/background/providers';
import { chartBilledItems, monthsSinceHistoryStart, type ChartQuery } from '../../../lib/shared/charts';
import type { PaidQuery } from '../../../lib/shared/summary';
import type { Result } from '../../../lib/shared/result';
import type { TablePage } from '../../../lib/shared/reports';
import { defaultBudget, requestEstimate, type BudgetSettings } from '../../../lib/shared/budget';
import { requestSchema } from '../../../lib/shared/protocol';
import { historyPoint as point } from '../history-point';

const chart = (provider: ChartQuery['provider'], report: ChartQuery['report'], overrides: Partial<ChartQuery> = {}): ChartQuery => ({
  provider,
  report,
  target: 'example.com',
  scope: 'domain_with_subdomains',
  ...overrides,
});

describe('Serpstat chart methods, against the documented examples', () => {
  it('sends the documented request of each method, searchType always', () => {
    const history = buildSerpstatChartRequest(chart('serpstat', 'newLost', { target: 'serpstat.com' }));
    expect(history).toMatchObject({ ok: true, data: { method: docs.getBacklinksChangesHistoryRequest.method, params: docs.getBacklinksChangesHistoryRequest.params } });
    const sdr = buildSerpstatChartRequest(chart('serpstat', 'rankDistribution', { target: 'facebook.com' }));
    expect(sdr).toMatchObject({ ok: true, data: { method: docs.getDistributionSDRRequest.method, params: docs.getDistributionSDRRequest.params } });
    expect(buildSerpstatChartRequest(chart('serpstat', 'linkTotals'))).toMatchObject({ ok: false, error: { code: 'not_supported' } });
  });

  it('reads the weekly new and lost links, with null totals, for 1 credit', () => {
    expect(parseSerpstatChart('newLost', docs.getBacklinksChangesHistoryResponse.result)).toEqual({
      ok: true,
      data: {
        rows: [
          point('2021-06-07', { newBacklinks: 434, lostBacklinks: 759 }),
          point('2021-06-14', { newBacklinks: 9, lostBacklinks: 1 }),
        ],
        total: 2,
        creditsSpent: 1,
        costUsd: 0,
        creditsLeft: 0,
      },
    });
  });

  it('reads the rank buckets from their labels ("0", "1 - 9", "90 - 100")', () => {
    expect(parseSerpstatChart('rankDistribution', docs.getDistributionSDRResponse.result)).toMatchObject({
      ok: true,
      data: {
        rows: [
          { from: 0, to: 0, domains: 11540696 },
          { from: 1, to: 9, domains: 8138968 },
          { from: 90, to: 100, domains: 11 },
        ],
        creditsSpent: 1,
        creditsLeft: 972965,
      },
    });
    expect(parseSdrRange('10 - 19')).toEqual({ from: 10, to: 19 });
    expect(parseSdrRange('high')).toBeNull();
    expect(parseSdrRange('50 - 20')).toBeNull();
  });

  it('bills an unreadable answer its credit', () => {
    const broken = { data: [{ sdr_range: 'lots', domains: 3 }], summary_info: {} };
    expect(parseSerpstatChart('rankDistribution', broken)).toMatchObject({ ok: false, error: { code: 'malformed', charged: { credits: 1, usd: 0 } } });
  });
});

describe('DataForSEO history endpoints, against the documented examples', () => {
  const today = new Date('2026-11-30T10:00:00Z');

  it('asks for the monthly history since 2019 and the weekly new/lost of the last year', () => {
    expect(buildDataForSeoChartRequest(chart('dataforseo', 'linkTotals', { target: 'www.cnn.com' }), today)).toEqual({
      ok: true,
      data: [{ target: 'cnn.com', date_from: '2019-01-01', date_to: '2026-11-30', rank_scale: 'one_hundred' }],
    });
    expect(buildDataForSeoChartRequest(chart('dataforseo', 'newLost', { target: 'dataforseo.com' }), today)).toEqual({
      ok: true,
      data: [{ target: 'dataforseo.com', date_from: '2025-12-01', date_to: '2026-11-30', group_range: 'week', include_subdomains: true }],
    });
    // The documented requests carry the same fields (the dates are the user's).
    const built = (report: ChartQuery['report']) => {
      const request = buildDataForSeoChartRequest(chart('dataforseo', report), today);
      return request.ok ? Object.keys(request.data[0]!) : [];
    };
    expect(built('linkTotals')).toEqual(expect.arrayContaining(Object.keys(docs.historyLiveRequest[0]!)));
    expect(built('newLost')).toEqual(expect.arrayContaining(Object.keys(docs.timeseriesNewLostSummaryRequest[0]!)));
    expect(buildDataForSeoChartRequest(chart('dataforseo', 'linkTotals', { scope: 'domain' }), today)).toMatchObject({ ok: false, error: { code: 'not_supported' } });
  });

  it('shows new and lost before May 2021 as no data, not zero', () => {
    const parsed = parseDataForSeoChart('linkTotals', docs.historyLiveResponse);
    expect(parsed).toEqual({
      ok: true,
      data: {
        rows: [
          point('2020-09-01', { backlinks: 145000000, referringDomains: 310000 }),
          point('2020-10-01', { backlinks: 146000000, referringDomains: 311000 }),
        ],
        total: 2,
        creditsSpent: 0,
        costUsd: 0.02012,
        creditsLeft: null,
      },
    });
    const later = structuredClone(docs.historyLiveResponse);
    later.tasks[0]!.result[0]!.items[0]!.date = '2021-05-01 00:00:00 +00:00';
    later.tasks[0]!.result[0]!.items[0]!.new_backlinks = 5;
    expect(parseDataForSeoChart('linkTotals', later)).toMatchObject({ ok: true, data: { rows: [{ date: '2020-10-01', newBacklinks: null }, { date: '2021-05-01', newBacklinks: 5, lostBacklinks: 0 }] } });
  });

  it('reads new and lost per period, and marks a bucket that ends after date_to as still counting', () => {
    const parsed = parseDataForSeoChart('newLost', docs.timeseriesNewLostSummaryResponse);
    expect(parsed).toMatchObject({
      ok: true,
      data: {
        rows: [
          point('2021-12-31', { newBacklinks: 1200, lostBacklinks: 950, newReferringDomains: 40, lostReferringDomains: 31 }),
          point('2022-01-31', { newBacklinks: 1100, lostBacklinks: 1020, newReferringDomains: 38, lostReferringDomains: 36 }),
        ],
        costUsd: 0.02009,
      },
    });
    const withLast = structuredClone(docs.timeseriesNewLostSummaryResponse);
    const items = withLast.tasks[0]!.result[0]!.items;
    items.push({ ...items[1]!, date: '2022-02-28 00:00:00 +00:00' });
    const last = parseDataForSeoChart('newLost', withLast);
    expect(last.ok && last.data.rows.map((row) => 'partial' in row && row.partial)).toEqual([false, false, true]);
  });

  it('bills an unreadable item what the envelope says it cost', () => {
    const broken = structuredClone(docs.timeseriesNewLostSummaryResponse) as { tasks: { result: { items: unknown[] }[] }[] };
    broken.tasks[0]!.result[0]!.items[0] = { date: 'yesterday' };
    expect(parseDataForSeoChart('newLost', broken)).toMatchObject({ ok: false, error: { code: 'malformed', charged: { usd: 0.02009 } } });
  });

  it('estimates each chart from the items it will bill', () => {
    expect(monthsSinceHistoryStart(today)).toBe(95);
    expect(chartBilledItems({ provider: 'dataforseo', report: 'linkTotals' }, today)).toBe(95);
    expect(chartBilledItems({ provider: 'dataforseo', report: 'newLost' }, today)).toBe(54);
    const usd = (items: number) => Math.round((0.02 + 0.00003 * items) * 1e5) / 1e5;
    expect(requestEstimate(chart('dataforseo', 'linkTotals'), 1)).toMatchObject({ usd: usd(monthsSinceHistoryStart(new Date())) });
    expect(requestEstimate(chart('dataforseo', 'newLost'), 1)).toMatchObject({ usd: 0.02162 });
    expect(requestEstimate(chart('serpstat', 'newLost'), 1)).toMatchObject({ credits: 1 });
    expect(requestEstimate(chart('serpstat', 'rankDistribution'), 1)).toMatchObject({ credits: 1 });
  });
});

describe('fetchCharts: one lookup through the paid path', () => {
  let instance = 0;
  const signal = new AbortController().signal;

  function setUp(budget: Partial<BudgetSettings> = {}) {
    instance += 1;
    const provider = vi.fn(async (query: ChartQuery) => ({
      ok: true as const,
      data: {
        rows: query.report === 'rankDistribution' ? [{ from: 0, to: 0, domains: 4 }] : [point('2025-01-06', { newBacklinks: 3, lostBacklinks: 1 })],
        total: 1,
        creditsSpent: query.provider === 'serpstat' ? 1 : 0,
        costUsd: query.provider === 'serpstat' ? 0 : 0.02003,
        creditsLeft: null,
        page: 1,
        fromCache: false,
        fetchedAt: Date.now(),
      },
    }) as unknown as Result<TablePage>);
    const ledger = createLedger({ dbName: `charts-ledger-${instance}` });
    const cache = createPageCache({ dbName: `charts-cache-${instance}`, ttlMs: () => 1e12, maxBytes: () => 1e9 });
    const settings = async () => ({ ...defaultBudget, ...budget });
    const fetchPage = createPaidFetch({ cache, ledger, inflight: createInflightShare(), budget: settings, fetchPage: (query) => provider(query as ChartQuery) });
    const isCached = async (query: PaidQuery, page: number) => (await cache.get(pageCacheKey(query, page))) !== null;
    const client: ChartsClient = { fetchPage, checkLimit: (pages, consent) => checkOneShotLookup(pages, consent, { budget: settings, isCached }) };
    return { client, provider, ledger, cachedPage: createCachedRead(cache) };
  }

  it('fetches the DataForSEO history charts once, then serves them from the cache for free, all in the ledger', async () => {
    const { client, provider, ledger } = setUp();
    const request = { provider: 'dataforseo' as const, charts: ['linkTotals' as const, 'newLost' as const], target: 'example.com', scope: 'domain_with_subdomains' as const };
    const first = await fetchCharts(client, request, signal);
    expect(first).toMatchObject({ ok: true, data: { costUsd: 0.04006, fromCache: false, newLost: [{ date: '2025-01-06', newBacklinks: 3 }] } });
    expect(provider).toHaveBeenCalledTimes(2);
    const again = await fetchCharts(client, request, signal);
    expect(again).toMatchObject({ ok: true, data: { costUsd: 0, fromCache: true } });
    expect(provider).toHaveBeenCalledTimes(2);
    expect(await ledger.daily(1)).toMatchObject([{ provider: 'dataforseo', requests: 2, usd: 0.04006, savedUsd: 0.04006 }]);
  });

  it('answers the cache-only form with null when nothing is cached, sending nothing and booking nothing', async () => {
    const { provider, ledger, cachedPage } = setUp({ dailyCapUsd: 0 });
    const request = { provider: 'dataforseo' as const, charts: ['linkTotals' as const, 'newLost' as const], target: 'example.com', scope: 'domain_with_subdomains' as const };
    expect(await cachedCharts(cachedPage, request)).toEqual({ ok: true, data: null });
    expect(provider).not.toHaveBeenCalled();
    expect(await ledger.daily(1)).toEqual([]);
  });

  it('answers the cache-only form from the cache, free, without a request or a "saved" entry', async () => {
    const { client, provider, ledger, cachedPage } = setUp();
    const request = { provider: 'dataforseo' as const, charts: ['linkTotals' as const, 'newLost' as const], target: 'example.com', scope: 'domain_with_subdomains' as const };
    await fetchCharts(client, request, signal);
    const paid = await ledger.daily(1);
    expect(await cachedCharts(cachedPage, request)).toMatchObject({ ok: true, data: { costUsd: 0, creditsSpent: 0, fromCache: true, newLost: [{ date: '2025-01-06', newBacklinks: 3 }] } });
    expect(provider).toHaveBeenCalledTimes(2);
    // Shown as the tab opened, not asked for: nothing was saved, so the ledger is as it was.
    expect(await ledger.daily(1)).toEqual(paid);
  });

  it('answers the cache-only form with null when one of two charts is not cached, and sends nothing for it', async () => {
    const { client, provider, cachedPage } = setUp();
    const request = { provider: 'dataforseo' as const, charts: ['linkTotals' as const, 'newLost' as const], target: 'example.com', scope: 'domain_with_subdomains' as const };
    await fetchCharts(client, { ...request, charts: ['newLost'] }, signal);
    expect(provider).toHaveBeenCalledTimes(1);
    expect(await cachedCharts(cachedPage, request)).toEqual({ ok: true, data: null });
    expect(await cachedCharts(cachedPage, { ...request, charts: ['linkTotals', 'newLost'].reverse() as typeof request.charts })).toEqual({ ok: true, data: null });
    expect(provider).toHaveBeenCalledTimes(1);
  });

  it('asks before charts above the per-lookup limit, and sends nothing until the user agrees', async () => {
    const { client, provider } = setUp({ perLookupUsd: 0.03 });
    const request = { provider: 'dataforseo' as const, charts: ['linkTotals' as const, 'newLost' as const], target: 'example.com', scope: 'domain_with_subdomains' as const };
    const held = await fetchCharts(client, request, signal);
    expect(held).toMatchObject({ ok: true, data: { type: 'needsConsent', provider: 'dataforseo', limit: 0.03 } });
    expect(provider).not.toHaveBeenCalled();
    expect(await fetchCharts(client, request, signal, 'continue')).toMatchObject({ ok: true, data: { fromCache: false } });
    expect(provider).toHaveBeenCalledTimes(2);
  });

  it('stops at the daily cap before sending', async () => {
    const { client, provider } = setUp({ dailyCapCredits: 0 });
    const answer = await fetchCharts(client, { provider: 'serpstat', charts: ['rankDistribution'], target: 'example.com', scope: 'domain' }, signal);
    expect(answer).toMatchObject({ ok: false, error: { code: 'over_budget' } });
    expect(provider).not.toHaveBeenCalled();
  });

  it('refuses a chart the provider does not draw (or not for this scope) without a request', async () => {
    const { client, provider } = setUp();
    expect(await fetchCharts(client, { provider: 'dataforseo', charts: ['rankDistribution'], target: 'example.com', scope: 'domain_with_subdomains' }, signal)).toMatchObject({
      ok: false,
      error: { code: 'not_supported' },
    });
    expect(await fetchCharts(client, { provider: 'dataforseo', charts: ['newLost'], target: 'example.com', scope: 'domain' }, signal)).toMatchObject({ ok: false });
    expect(provider).not.toHaveBeenCalled();
  });

  it('draws nothing from a cached answer of the wrong shape', async () => {
    const { client } = setUp();
    const wrong: ChartsClient = {
      ...client,
      fetchPage: async () => ({ ok: true, data: { rows: [{ domain: 'x.com' }] as never, total: 1, creditsSpent: 0, costUsd: 0, creditsLeft: null, page: 1, fromCache: true, fetchedAt: 1 } }),
    };
    expect(await fetchCharts(wrong, { provider: 'serpstat', charts: ['newLost'], target: 'example.com', scope: 'domain' }, signal)).toMatchObject({ ok: false, error: { code: 'malformed' } });
  });
});

describe('the provider client and the protocol', () => {
  it('sends a chart to the adapter’s chart method and takes more points than a page size', async () => {
    const fetchChart = vi.fn(async () => ({ ok: true as const, data: { rows: Array.from({ length: 300 }, (_, i) => point(`2020-01-${String((i % 28) + 1).padStart(2, '0')}`)), total: 300, creditsSpent: 1, costUsd: 0, creditsLeft: 5 } }));
    const client = createProviderClient({
      adapters: { ...adapters, serpstat: { ...adapters.serpstat, fetchChart } },
      getCredentials: async () => ({ provider: 'serpstat', token: 'token' }),
      baseUrls: { serpstat: 'http://127.0.0.1:1/v4', dataforseo: 'http://127.0.0.1:1' },
      fetch: () => Promise.reject(new Error('no network in tests')),
      queues: { serpstat: createRequestQueue({ minIntervalMs: 0, maxConcurrent: 1 }), dataforseo: createRequestQueue({ minIntervalMs: 0, maxConcurrent: 1 }) },
      retry: { ...defaultRetry, sleep: async () => undefined },
    });
    const answer = await client.fetchPage(chart('serpstat', 'newLost'), 1, new AbortController().signal);
    expect(answer).toMatchObject({ ok: true, data: { total: 300, creditsSpent: 1, fromCache: false } });
    expect(fetchChart).toHaveBeenCalledTimes(1);
    // A chart the provider does not draw never reaches its adapter.
    expect(await client.fetchPage(chart('serpstat', 'linkTotals'), 1, new AbortController().signal)).toMatchObject({ ok: false, error: { code: 'not_supported' } });
    expect(fetchChart).toHaveBeenCalledTimes(1);
  });

  it('accepts a chart request for a domain only', () => {
    const valid = { type: 'getCharts', provider: 'serpstat', charts: ['newLost'], target: 'example.com', scope: 'domain' };
    expect(requestSchema.safeParse(valid).success).toBe(true);
    expect(requestSchema.safeParse({ ...valid, scope: 'url', target: 'https://example.com/' }).success).toBe(false);
    expect(requestSchema.safeParse({ ...valid, target: 'localhost' }).success).toBe(false);
    expect(requestSchema.safeParse({ ...valid, charts: ['pie'] }).success).toBe(false);
    expect(requestSchema.safeParse({ ...valid, charts: [] }).success).toBe(false);
  });
});
