import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import * as docs from '../../fixtures/provider-docs-examples';
import { cachedLinkGapOverlap, fetchLinkGapOverlap, type LinkGapOverlapClient } from '../../../lib/background/link-gap-overlap';
import { createCachedRead, createPaidFetch } from '../../../lib/background/cache/paid-fetch';
import { createPageCache } from '../../../lib/background/cache/page-cache';
import { createInflightShare } from '../../../lib/background/cache/inflight';
import { pageCacheKey } from '../../../lib/background/cache/page-key';
import { createLedger } from '../../../lib/background/ledger';
import { checkOneShotLookup } from '../../../lib/background/lookup-allowance';
import { createProviderClient } from '../../../lib/background/provider-client';
import { createRequestQueue, defaultRetry } from '../../../lib/background/queue';
import { adapters } from '../../../lib/background/providers';
import { handleRequest, type MessageDeps } from '../../../lib/background/messages';
import { defaultBudget, requestEstimate, type BudgetSettings } from '../../../lib/shared/budget';
import { derivedCount, gapTerms, overlapCountOf, type LinkGapOverlap } from '../../../lib/shared/link-gap-overlap';
import { requestSchema, type NeedsConsent } from '../../../lib/shared/protocol';
import { overlapQuery, type Comparison, type TableQuery } from '../../../lib/shared/reports';
import type { PaidQuery } from '../../../lib/shared/summary';
import type { Result } from '../../../lib/shared/result';

/** The documented example's comparison: my site gepur.com, the panel on klubok.com, issaplus.com added. */
const table = (competitors: string[] = ['issaplus.com'], overrides: Partial<TableQuery> = {}): TableQuery & { comparison: Comparison } =>
  ({
    provider: 'serpstat',
    report: 'linkGap',
    target: 'klubok.com',
    scope: 'domain_with_subdomains',
    filters: [{ kind: 'minRank', value: 10 }],
    sort: { field: 'linksTo1', order: 'desc' },
    pageSize: 100,
    comparison: { mySite: 'gepur.com', competitors, match: 'any' },
    ...overrides,
  }) as TableQuery & { comparison: Comparison };

type Answer = typeof docs.getIntersectSummaryResponse;
/** The documented answer with its rows in another order, and the names inside each row reversed. */
function reordered(params: { query: string; intersect: string[] }): Answer {
  const answer = documentedFor(params);
  answer.result.data = answer.result.data.reverse().map((row) => ({ ...row, domains: row.domains.split(', ').reverse().join(', ') }));
  return answer;
}

/** The documented answer's rows for the domains asked about (3 rows for two domains, all 7 for three). */
function documentedFor({ query, intersect }: { query: string; intersect: string[] }): Answer {
  const answer = structuredClone(docs.getIntersectSummaryResponse);
  const asked = [query, ...intersect];
  answer.result.data = answer.result.data.filter((row) => row.domains.split(', ').every((domain) => asked.includes(domain)));
  answer.result.summary_info.count = answer.result.data.length;
  return answer;
}

let instance = 0;
const signal = new AbortController().signal;

/** The real paid path (cache, ledger, in-flight sharing, daily cap) and Serpstat adapter, over a fake network answering `answer`. */
function setUp(budget: Partial<BudgetSettings> = {}, answer: (params: { query: string; intersect: string[] }) => unknown = documentedFor) {
  instance += 1;
  const sent: { method: string; params: unknown }[] = [];
  const network = vi.fn(async (_url: string | URL | Request, init?: RequestInit) => {
    const body = JSON.parse(String(init?.body)) as { method: string; params: { query: string; intersect: string[] } };
    sent.push({ method: body.method, params: body.params });
    return new Response(JSON.stringify(answer(body.params)), { status: 200, headers: { 'Content-Type': 'application/json' } });
  });
  const providerClient = createProviderClient({
    adapters,
    getCredentials: async (provider) => (provider === 'serpstat' ? { provider, token: 'token' } : { provider, login: 'me', password: 'secret' }),
    baseUrls: { serpstat: 'http://127.0.0.1:1/v4', dataforseo: 'http://127.0.0.1:1' },
    fetch: network as typeof fetch,
    queues: { serpstat: createRequestQueue({ minIntervalMs: 0, maxConcurrent: 1 }), dataforseo: createRequestQueue({ minIntervalMs: 0, maxConcurrent: 1 }) },
    retry: { ...defaultRetry, sleep: async () => undefined },
  });
  const ledger = createLedger({ dbName: `overlap-ledger-${instance}` });
  const cache = createPageCache({ dbName: `overlap-cache-${instance}`, ttlMs: () => 1e12, maxBytes: () => 1e9 });
  const settings = async () => ({ ...defaultBudget, ...budget });
  const fetchPage = createPaidFetch({ cache, ledger, inflight: createInflightShare(), budget: settings, fetchPage: providerClient.fetchPage });
  const isCached = async (query: PaidQuery, page: number) => (await cache.get(pageCacheKey(query, page))) !== null;
  const client: LinkGapOverlapClient = { fetchPage, checkLimit: (pages, consent) => checkOneShotLookup(pages, consent, { budget: settings, isCached }) };
  return { client, network, sent, ledger, cachedPage: createCachedRead(cache) };
}

const counts = (result: Result<LinkGapOverlap | NeedsConsent | null>): LinkGapOverlap => {
  if (!result.ok) throw new Error(result.error.message);
  if (!result.data) throw new Error('not cached');
  if ('type' in result.data) throw new Error('held back by the per-lookup limit');
  return result.data;
};

describe('the overlap counts’ cost, known before the click', () => {
  it('is one credit per set: 3 for my site and the panel’s site, 7 with one more competitor', () => {
    expect(requestEstimate(overlapQuery(table([])), 1)).toMatchObject({ credits: 3, requests: 1 });
    expect(requestEstimate(overlapQuery(table(['issaplus.com'])), 1)).toMatchObject({ credits: 7, requests: 1 });
  });

  it('is the same lookup whatever the table’s sort, filters and any/all', () => {
    const plain = table(['issaplus.com'], { sort: undefined, filters: [], comparison: { mySite: 'gepur.com', competitors: ['issaplus.com'], match: 'all' } });
    expect(pageCacheKey(overlapQuery(table()), 1)).toBe(pageCacheKey(overlapQuery(plain), 1));
  });
});

describe('fetchLinkGapOverlap: one paid lookup', () => {
  it('sends getIntersectSummary as documented (my site as query, the competitors as intersect) and reads the documented answer', async () => {
    const { client, sent } = setUp();
    const answer = counts(await fetchLinkGapOverlap(client, table(), signal));
    expect(sent).toEqual([{ method: docs.getIntersectSummaryRequest.method, params: docs.getIntersectSummaryRequest.params }]);
    expect(answer).toMatchObject({ provider: 'serpstat', mySite: 'gepur.com', competitors: ['klubok.com', 'issaplus.com'], creditsSpent: 7, creditsLeft: 972954, fromCache: false });
    expect(answer.sets).toHaveLength(7);
    expect(overlapCountOf(answer.sets, ['gepur.com', 'klubok.com', 'issaplus.com'])).toBe(100);
  });

  it('matches rows by their set of domains, not by their place or the order of names in them', async () => {
    const { client } = setUp({}, reordered);
    const { sets } = counts(await fetchLinkGapOverlap(client, table(), signal));
    expect(sets[0]!.domains).toEqual(['issaplus.com', 'klubok.com', 'gepur.com']);
    expect(overlapCountOf(sets, ['gepur.com'])).toBe(522);
    expect(overlapCountOf(sets, ['gepur.com', 'klubok.com'])).toBe(131);
    expect(overlapCountOf(sets, ['klubok.com', 'issaplus.com'])).toBe(180);
    expect(overlapCountOf(sets, ['Issaplus.com', 'www.gepur.com'])).toBe(140);
    // The link gap from the counts: single rows are totals, so each less what it shares with my site.
    expect(derivedCount(sets, gapTerms('gepur.com', ['klubok.com'], 'any'))).toEqual({ value: 460 - 131, counts: [460, 131] });
    expect(derivedCount(sets, gapTerms('gepur.com', ['klubok.com', 'issaplus.com'], 'any'))?.value).toBe(460 - 131 + 332 - 140 - 180 + 100);
    expect(derivedCount(sets, gapTerms('gepur.com', ['klubok.com', 'issaplus.com'], 'all'))?.value).toBe(180 - 100);
  });

  it('works out no figure from a count the answer lacks', () => {
    const sets = [{ domains: ['klubok.com'], referringDomains: 460 }];
    expect(overlapCountOf(sets, ['gepur.com', 'klubok.com'])).toBeNull();
    expect(derivedCount(sets, gapTerms('gepur.com', ['klubok.com'], 'any'))).toBeNull();
  });

  it('answers a second time from the cache for free, with one ledger entry for the one billed answer', async () => {
    const { client, network, ledger } = setUp();
    counts(await fetchLinkGapOverlap(client, table(), signal));
    // Another sort or any/all of the table is the same comparison: still free.
    const again = counts(await fetchLinkGapOverlap(client, table(['issaplus.com'], { sort: undefined }), signal));
    expect(again).toMatchObject({ fromCache: true, creditsSpent: 0 });
    expect(again.sets).toHaveLength(7);
    expect(network).toHaveBeenCalledTimes(1);
    expect(await ledger.daily(1)).toMatchObject([{ provider: 'serpstat', requests: 1, credits: 7, savedCredits: 7 }]);
  });

  it('answers the cache-only form with null when the counts are not cached, sending nothing and booking nothing', async () => {
    const { network, ledger, cachedPage } = setUp({ dailyCapCredits: 0 });
    expect(await cachedLinkGapOverlap(cachedPage, table())).toEqual({ ok: true, data: null });
    expect(network).not.toHaveBeenCalled();
    expect(await ledger.daily(1)).toEqual([]);
  });

  it('answers the cache-only form from the cache, free, without a request or a "saved" entry', async () => {
    const { client, network, ledger, cachedPage } = setUp();
    counts(await fetchLinkGapOverlap(client, table(), signal));
    const paid = await ledger.daily(1);
    const cached = counts(await cachedLinkGapOverlap(cachedPage, table(['issaplus.com'], { sort: undefined })));
    expect(cached).toMatchObject({ fromCache: true, creditsSpent: 0, mySite: 'gepur.com', competitors: ['klubok.com', 'issaplus.com'] });
    expect(overlapCountOf(cached.sets, ['gepur.com', 'klubok.com', 'issaplus.com'])).toBe(100);
    expect(network).toHaveBeenCalledTimes(1);
    // Shown as the tab opened, not asked for: nothing was saved, so the ledger is as it was.
    expect(await ledger.daily(1)).toEqual(paid);
    // Another comparison's counts are not these.
    expect(await cachedLinkGapOverlap(cachedPage, table([]))).toEqual({ ok: true, data: null });
    expect(network).toHaveBeenCalledTimes(1);
  });

  it('shares one request between two asks at once', async () => {
    const { client, network } = setUp();
    const [first, second] = await Promise.all([fetchLinkGapOverlap(client, table(), signal), fetchLinkGapOverlap(client, table(), signal)]);
    expect(counts(first).sets).toEqual(counts(second).sets);
    expect(network).toHaveBeenCalledTimes(1);
  });

  it('asks before counts above the per-lookup limit and sends nothing until the user agrees', async () => {
    const { client, network } = setUp({ perLookupCredits: 5 });
    expect(await fetchLinkGapOverlap(client, table(), signal)).toEqual({
      ok: true,
      data: { type: 'needsConsent', provider: 'serpstat', page: 1, nextCost: 7, spent: 0, limit: 5 },
    });
    expect(network).not.toHaveBeenCalled();
    // Three sets fit under the same limit.
    expect(counts(await fetchLinkGapOverlap(client, table([]), signal))).toMatchObject({ fromCache: false, creditsSpent: 3 });
    expect(counts(await fetchLinkGapOverlap(client, table(), signal, 'continue')).creditsSpent).toBe(7);
    expect(network).toHaveBeenCalledTimes(2);
  });

  it('stops at the daily cap before sending', async () => {
    const { client, network } = setUp({ dailyCapCredits: 6 });
    expect(await fetchLinkGapOverlap(client, table(), signal, 'continue')).toMatchObject({ ok: false, error: { code: 'over_budget' } });
    expect(network).not.toHaveBeenCalled();
  });

  it('refuses DataForSEO, which has no overlap counts, without a request', async () => {
    const { client, network } = setUp();
    expect(await fetchLinkGapOverlap(client, table([], { provider: 'dataforseo' }), signal)).toMatchObject({ ok: false, error: { code: 'not_supported' } });
    expect(network).not.toHaveBeenCalled();
  });
});

describe('the protocol', () => {
  const valid = { type: 'getLinkGapOverlap', query: table() };

  it('takes a Link gap table’s query, and nothing else', () => {
    expect(requestSchema.safeParse(valid).success).toBe(true);
    expect(requestSchema.safeParse({ ...valid, consent: 'continue' }).success).toBe(true);
    expect(requestSchema.safeParse({ ...valid, consent: 'loadAll' }).success).toBe(false);
    const { comparison: _comparison, ...refDomains } = table();
    expect(requestSchema.safeParse({ ...valid, query: { ...refDomains, report: 'refDomains' } }).success).toBe(false);
    expect(requestSchema.safeParse({ ...valid, query: table(['gepur.com']) }).success).toBe(false);
  });

  it('hands the request to the overlap lookup with its consent', async () => {
    const fetchOverlap = vi.fn(async () => ({ ok: true as const, data: { type: 'needsConsent' as const, provider: 'serpstat' as const, page: 1, nextCost: 7, spent: 0, limit: 5 } }));
    const deps = { isOwnSender: () => true, fetchLinkGapOverlap: fetchOverlap } as unknown as MessageDeps;
    expect(await handleRequest({ ...valid, consent: 'continue' }, undefined, deps)).toMatchObject({ ok: true, data: { nextCost: 7 } });
    expect(fetchOverlap).toHaveBeenCalledWith(table(), expect.any(AbortSignal), 'continue');
  });
});
