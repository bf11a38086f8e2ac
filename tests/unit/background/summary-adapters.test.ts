import 'fake-indexeddb/auto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildSerpstatSummaryRequest, parseSerpstatSummary, serpstat } from '../../../lib/background/providers/serpstat';
import { buildDataForSeoSummaryRequest, dataforseo, parseDataForSeoSummary } from '../../../lib/background/providers/dataforseo';
import type { RequestContext } from '../../../lib/background/providers/types';
import type { Credentials } from '../../../lib/shared/protocol';
import type { SummaryQuery, SummaryTotals } from '../../../lib/shared/summary';
import { createProviderClient } from '../../../lib/background/provider-client';
import { adapters } from '../../../lib/background/providers';
import { createRequestQueue } from '../../../lib/background/queue';
import { createPaidFetch } from '../../../lib/background/cache/paid-fetch';
import { createPageCache } from '../../../lib/background/cache/page-cache';
import { createInflightShare } from '../../../lib/background/cache/inflight';
import { createLedger } from '../../../lib/background/ledger';
import { defaultBudget } from '../../../lib/shared/budget';
import { startSimulator, type Simulator } from '../../sim/server';
import { datasetSize, generateRows, targetRank } from '../../sim/data';
import { SIM_DATAFORSEO_LOGIN, SIM_DATAFORSEO_PASSWORD, SIM_SERPSTAT_TOKEN } from '../../sim/constants';
import * as docs from '../../fixtures/provider-docs-examples';

const summaryQuery = (overrides: Partial<SummaryQuery> = {}): SummaryQuery => ({
  provider: 'serpstat',
  report: 'summary',
  target: 'serpstat.com',
  scope: 'domain',
  ...overrides,
});

describe('Serpstat getSummaryV2', () => {
  it('asks as the documented request does, with the scope always sent', () => {
    const request = buildSerpstatSummaryRequest(summaryQuery());
    if (!request.ok) throw new Error(request.error.message);
    expect({ method: request.data.method, params: request.data.params }).toEqual({
      method: docs.getSummaryV2Request.method,
      params: docs.getSummaryV2Request.params,
    });
    expect(buildSerpstatSummaryRequest(summaryQuery({ scope: 'domain_with_subdomains' }))).toMatchObject({
      ok: true,
      data: { params: { searchType: 'domain_with_subdomains' } },
    });
    expect(buildSerpstatSummaryRequest(summaryQuery({ scope: 'url', target: 'https://serpstat.com/x' }))).toMatchObject({
      ok: false,
      error: { code: 'not_supported' },
    });
  });

  it('reads the documented answer: the misspelled rank, the totals and their 7-day changes', () => {
    const totals: SummaryTotals = {
      referringDomains: { value: 100, weekChange: 1 },
      backlinks: { value: 200, weekChange: 2 },
      dofollowBacklinks: { value: 100, weekChange: 0 },
      outboundDomains: { value: 30, weekChange: 0 },
      rank: { value: 60, weekChange: null },
    };
    expect(parseSerpstatSummary(docs.getSummaryV2Response.result)).toEqual({
      ok: true,
      data: { rows: [totals], total: 1, creditsSpent: 1, costUsd: 0, creditsLeft: 971486 },
    });
  });

  it('takes the rank only under the documented misspelling, a decimal rank and negative changes as they come', () => {
    const { sersptat_domain_rank: _rank, ...data } = docs.getSummaryV2Response.result.data;
    const spelledRight = parseSerpstatSummary({ ...docs.getSummaryV2Response.result, data: { ...data, serpstat_domain_rank: 60 } });
    expect(spelledRight).toMatchObject({ ok: true, data: { rows: [{ rank: null }] } });
    const decimal = parseSerpstatSummary({
      ...docs.getSummaryV2Response.result,
      data: { ...data, sersptat_domain_rank: 42.5, referring_domains_change: -7 },
    });
    expect(decimal).toMatchObject({ ok: true, data: { rows: [{ rank: { value: 42.5 }, referringDomains: { value: 100, weekChange: -7 } }] } });
  });

  it('reads an empty data array as no data and anything else unreadable as billed', () => {
    const info = docs.getSummaryV2Response.result.summary_info;
    expect(parseSerpstatSummary({ data: [], summary_info: info })).toEqual({
      ok: true,
      data: { rows: [], total: 0, creditsSpent: 1, costUsd: 0, creditsLeft: 971486 },
    });
    for (const broken of [{ data: [{ referring_domains: 1 }], summary_info: info }, { data: { referring_domains: 'many' }, summary_info: info }, { data: {} }]) {
      expect(parseSerpstatSummary(broken)).toMatchObject({ ok: false, error: { code: 'malformed', charged: { credits: 1, usd: 0 } } });
    }
  });
});

describe('DataForSEO backlinks/summary/live', () => {
  const query = (overrides: Partial<SummaryQuery> = {}) => summaryQuery({ provider: 'dataforseo', target: 'explodingtopics.com', scope: 'domain_with_subdomains', ...overrides });

  it('asks for the documented target on the 0–100 rank scale', () => {
    const documented = docs.summaryLiveRequest[0]!;
    expect(buildDataForSeoSummaryRequest(query())).toEqual({
      ok: true,
      data: [{ target: documented.target, include_subdomains: documented.include_subdomains, rank_scale: 'one_hundred' }],
    });
    expect(buildDataForSeoSummaryRequest(query({ target: 'www.explodingtopics.com', scope: 'domain' }))).toEqual({
      ok: true,
      data: [{ target: 'explodingtopics.com', include_subdomains: false, rank_scale: 'one_hundred' }],
    });
    expect(buildDataForSeoSummaryRequest(query({ target: 'https://explodingtopics.com/blog', scope: 'url' }))).toEqual({
      ok: true,
      data: [{ target: 'https://explodingtopics.com/blog', rank_scale: 'one_hundred' }],
    });
  });

  it('reads the documented answer: dofollow is backlinks less the nofollow ones, no 7-day changes, no outbound domains', () => {
    const totals: SummaryTotals = {
      referringDomains: { value: 73, weekChange: null },
      backlinks: { value: 5574, weekChange: null },
      dofollowBacklinks: { value: 5574 - 5203, weekChange: null },
      outboundDomains: null,
      rank: { value: 201, weekChange: null },
    };
    expect(parseDataForSeoSummary(docs.summaryLiveResponse)).toEqual({
      ok: true,
      data: { rows: [totals], total: 1, creditsSpent: 0, costUsd: 0.02003, creditsLeft: null },
    });
  });

  it('reads a null result as no data, still billed, and null attributes as an unknown dofollow count', () => {
    const task = docs.summaryLiveResponse.tasks[0]!;
    const noResult = { ...docs.summaryLiveResponse, tasks: [{ ...task, result_count: 0, result: null }] };
    expect(parseDataForSeoSummary(noResult)).toEqual({ ok: true, data: { rows: [], total: 0, creditsSpent: 0, costUsd: 0.02003, creditsLeft: null } });
    const noAttributes = { ...docs.summaryLiveResponse, tasks: [{ ...task, result: [{ ...task.result[0]!, referring_links_attributes: null }] }] };
    expect(parseDataForSeoSummary(noAttributes)).toMatchObject({ ok: true, data: { rows: [{ dofollowBacklinks: null, backlinks: { value: 5574 } }] } });
    const unreadable = { ...docs.summaryLiveResponse, tasks: [{ ...task, result: [{ ...task.result[0]!, backlinks: 'many' }] }] };
    expect(parseDataForSeoSummary(unreadable)).toMatchObject({ ok: false, error: { code: 'malformed', charged: { credits: 0, usd: 0.02003 } } });
    const refused = { ...docs.summaryLiveResponse, tasks: [{ ...task, status_code: 40501, status_message: 'Invalid Field', result: null }] };
    expect(parseDataForSeoSummary(refused)).toMatchObject({ ok: false, error: { code: 'bad_filter', charged: { usd: 0.02003 } } });
  });
});

describe('the summary adapters against the simulator', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
  });
  afterAll(() => sim.close());
  beforeEach(() => sim.reset());

  function ctx(credentials: Credentials): RequestContext {
    return {
      baseUrl: credentials.provider === 'serpstat' ? sim.serpstatUrl : sim.dataforseoUrl,
      credentials,
      signal: new AbortController().signal,
      fetch: (input, init) => fetch(input, init),
      timeoutMs: 5000,
    };
  }
  const DOMAIN = 'shop-example.co.uk';

  it('Serpstat: the data sets’ totals, the SDR and the 7-day changes, for 1 credit', async () => {
    const page = await serpstat.fetchSummary(summaryQuery({ target: DOMAIN }), ctx({ provider: 'serpstat', token: SIM_SERPSTAT_TOKEN }));
    if (!page.ok) throw new Error(page.error.message);
    const backlinks = generateRows(DOMAIN, 'backlinks', datasetSize(DOMAIN, 'backlinks'));
    const [totals] = page.data.rows;
    expect(totals).toMatchObject({
      referringDomains: { value: datasetSize(DOMAIN, 'refDomains'), weekChange: expect.any(Number) },
      backlinks: { value: backlinks.length },
      dofollowBacklinks: { value: backlinks.filter((row) => row.nofollow === 'follow').length },
      outboundDomains: { value: datasetSize(DOMAIN, 'outDomains') },
      rank: { value: targetRank(DOMAIN), weekChange: null },
    });
    expect(page.data).toMatchObject({ creditsSpent: 1, costUsd: 0, creditsLeft: sim.creditsLeft() });
    expect(sim.log.map((entry) => [entry.method, entry.params, entry.charged])).toEqual([
      ['SerpstatBacklinksProcedure.getSummaryV2', { query: DOMAIN, searchType: 'domain' }, 1],
    ]);
  });

  it('Serpstat: a domain without data is an empty answer for 1 credit', async () => {
    const page = await serpstat.fetchSummary(summaryQuery({ target: 'nodata-shop.com' }), ctx({ provider: 'serpstat', token: SIM_SERPSTAT_TOKEN }));
    expect(page).toEqual({ ok: true, data: { rows: [], total: 0, creditsSpent: 1, costUsd: 0, creditsLeft: null } });
    expect(sim.creditsLeft()).toBe(1_000_000 - 1);
  });

  it('DataForSEO: the totals of the referring domains it lists, on the 0–100 scale, for the documented price', async () => {
    const credentials: Credentials = { provider: 'dataforseo', login: SIM_DATAFORSEO_LOGIN, password: SIM_DATAFORSEO_PASSWORD };
    const page = await dataforseo.fetchSummary(summaryQuery({ provider: 'dataforseo', target: DOMAIN, scope: 'domain_with_subdomains' }), ctx(credentials));
    if (!page.ok) throw new Error(page.error.message);
    expect(page.data).toMatchObject({ rows: [{ rank: { value: targetRank(DOMAIN) }, outboundDomains: null }], costUsd: 0.02003 });
    expect(sim.log[0]!.params).toEqual({ target: DOMAIN, include_subdomains: true, rank_scale: 'one_hundred' });
    // Without rank_scale DataForSEO answers on 0–1000: the simulator keeps that quirk.
    const response = await fetch(`${sim.dataforseoUrl}/v3/backlinks/summary/live`, {
      method: 'POST',
      headers: { Authorization: `Basic ${btoa(`${SIM_DATAFORSEO_LOGIN}:${SIM_DATAFORSEO_PASSWORD}`)}`, 'Content-Type': 'application/json' },
      body: JSON.stringify([{ target: DOMAIN }]),
    });
    const body = (await response.json()) as { tasks: { result: { rank: number }[] }[] };
    expect(body.tasks[0]!.result[0]!.rank).toBe(targetRank(DOMAIN) * 10);
  });

  it('DataForSEO: a target never linked to answers no data, still billed', async () => {
    const credentials: Credentials = { provider: 'dataforseo', login: SIM_DATAFORSEO_LOGIN, password: SIM_DATAFORSEO_PASSWORD };
    const page = await dataforseo.fetchSummary(summaryQuery({ provider: 'dataforseo', target: 'nodata-shop.com', scope: 'domain' }), ctx(credentials));
    expect(page).toEqual({ ok: true, data: { rows: [], total: 0, creditsSpent: 0, costUsd: 0.02003, creditsLeft: null } });
  });

  it('faults injected on the summary methods come back as errors, a billed one with its charge', async () => {
    sim.injectFault({ provider: 'serpstat', method: 'getSummaryV2', fault: { kind: 'serpstat-error', code: 32016, message: 'Large domains not supported' } });
    const large = await serpstat.fetchSummary(summaryQuery({ target: DOMAIN }), ctx({ provider: 'serpstat', token: SIM_SERPSTAT_TOKEN }));
    expect(large).toMatchObject({ ok: false, error: { code: 'large_domain' } });
    sim.injectFault({ provider: 'dataforseo', method: '/v3/backlinks/summary/live', fault: { kind: 'dataforseo-status', level: 'task', statusCode: 50000, statusMessage: 'Internal Error.', cost: 0.02 } });
    const credentials: Credentials = { provider: 'dataforseo', login: SIM_DATAFORSEO_LOGIN, password: SIM_DATAFORSEO_PASSWORD };
    const failed = await dataforseo.fetchSummary(summaryQuery({ provider: 'dataforseo', target: DOMAIN }), ctx(credentials));
    expect(failed).toMatchObject({ ok: false, error: { code: 'server_error', retryable: true, charged: { usd: 0.02 } } });
  });
});

describe('a summary through the paid path', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
  });
  afterAll(() => sim.close());

  it('is paid once, then served free from the cache, both in the ledger, and stopped by the daily cap like a page', async () => {
    const client = createProviderClient({
      adapters,
      getCredentials: async () => ({ provider: 'serpstat', token: SIM_SERPSTAT_TOKEN }),
      baseUrls: { serpstat: sim.serpstatUrl, dataforseo: sim.dataforseoUrl },
      fetch: (input, init) => fetch(input, init),
      queues: { serpstat: createRequestQueue({ minIntervalMs: 0, maxConcurrent: 1 }), dataforseo: createRequestQueue({ minIntervalMs: 0, maxConcurrent: 1 }) },
    });
    const ledger = createLedger({ dbName: 'summary-paid-ledger' });
    const cache = createPageCache({ dbName: 'summary-paid-cache', ttlMs: () => 1e12, maxBytes: () => 1e9 });
    let budget = defaultBudget;
    const paid = createPaidFetch({ cache, ledger, inflight: createInflightShare(), budget: async () => budget, fetchPage: client.fetchPage });
    const signal = new AbortController().signal;
    const query = summaryQuery({ target: 'shop-example.co.uk' });

    const first = await paid(query, 1, signal);
    const second = await paid(query, 1, signal);
    expect(first).toMatchObject({ ok: true, data: { fromCache: false, creditsSpent: 1, rows: [{ rank: { value: targetRank('shop-example.co.uk') } }] } });
    expect(second).toMatchObject({ ok: true, data: { fromCache: true, creditsSpent: 0 } });
    if (first.ok && second.ok) expect(second.data.rows).toEqual(first.data.rows);
    expect(sim.log).toHaveLength(1);
    expect(await ledger.daily(1)).toMatchObject([{ provider: 'serpstat', requests: 1, credits: 1, savedCredits: 1 }]);

    // Another scope is another request: with the day's cap reached, nothing is sent.
    budget = { ...defaultBudget, dailyCapCredits: 1 };
    const capped = await paid(summaryQuery({ target: 'shop-example.co.uk', scope: 'domain_with_subdomains' }), 1, signal);
    expect(capped).toMatchObject({ ok: false, error: { code: 'over_budget' } });
    expect(sim.log).toHaveLength(1);
  });
});
