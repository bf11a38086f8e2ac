import { describe, expect, it, vi } from 'vitest';
import { defaultBudget } from '../../../lib/shared/budget';
import { checkOneShotLookup } from '../../../lib/background/lookup-allowance';
import { fetchSummary, type SummaryClient } from '../../../lib/background/summary';
import { lensError } from '../../../lib/shared/errors';
import { fail, ok, type Result } from '../../../lib/shared/result';
import type { RefDomainRow, ReportId, TablePage, TableQuery } from '../../../lib/shared/reports';
import { type ProviderId } from '../../../lib/shared/providers';

const refRow = (i: number): RefDomainRow => ({
  domain: `ref${i}.com`,
  rank: 100 - i,
  refPages: 1,
  backlinks: 1,
  firstSeen: null,
  lostDate: null,
  spamScore: null,
});
const page = (overrides: Partial<TablePage>): TablePage => ({
  page: 1,
  rows: [],
  total: 0,
  creditsSpent: 0,
  costUsd: 0,
  creditsLeft: null,
  fromCache: false,
  fetchedAt: 1000,
  ...overrides,
});
const refPage = page({ rows: Array.from({ length: 10 }, (_, i) => refRow(i)), total: 5321, creditsSpent: 10, costUsd: 0.1, creditsLeft: 990, fetchedAt: 2000 });
const outPage = page({ rows: [{ domain: 'out.com', rank: 5, links: 2 }], total: 77, creditsSpent: 1, costUsd: 0.2, creditsLeft: 989, fetchedAt: 1500 });

function client(answers: Partial<Record<ReportId, Result<TablePage>>>, supportsOutDomains = true) {
  const fetchPage = vi.fn(async (query: TableQuery, _page: number, _signal: AbortSignal) => answers[query.report] ?? fail<TablePage>(lensError('internal', 'unexpected')));
  const fake: SummaryClient = { fetchPage, supports: (_provider: ProviderId, report: ReportId) => report !== 'outDomains' || supportsOutDomains };
  return { fake, fetchPage };
}
const signal = new AbortController().signal;

describe('fetchSummary', () => {
  it('asks for the top 10 referring domains by rank and a one-row outbound page', async () => {
    const { fake, fetchPage } = client({ refDomains: ok(refPage), outDomains: ok(outPage) });
    await fetchSummary(fake, 'serpstat', 'example.com', 'domain', signal);
    expect(fetchPage.mock.calls.map(([query, pageNumber]) => [query, pageNumber])).toEqual([
      [
        { provider: 'serpstat', report: 'refDomains', target: 'example.com', scope: 'domain', filters: [], sort: { field: 'rank', order: 'desc' }, pageSize: 10 },
        1,
      ],
      [{ provider: 'serpstat', report: 'outDomains', target: 'example.com', scope: 'domain', filters: [], pageSize: 1 }, 1],
    ]);
    expect(fetchPage.mock.calls.every(([, , passed]) => passed === signal)).toBe(true);
  });

  it('adds up the cost of both pages and keeps the latest credits left', async () => {
    const { fake } = client({ refDomains: ok(refPage), outDomains: ok(outPage) });
    expect(await fetchSummary(fake, 'serpstat', 'example.com', 'domain_with_subdomains', signal)).toEqual(
      ok({
        provider: 'serpstat',
        target: 'example.com',
        referringDomains: 5321,
        outboundDomains: 77,
        backlinks: null,
        topReferringDomains: refPage.rows,
        creditsSpent: 11,
        costUsd: 0.3,
        creditsLeft: 989,
        fromCache: false,
        fetchedAt: 1500,
      }),
    );
  });

  it('says what billed retries of either page cost', async () => {
    const { fake } = client({
      refDomains: ok({ ...refPage, billedRetries: { attempts: 1, credits: 0, usd: 0.02 } }),
      outDomains: ok({ ...outPage, billedRetries: { attempts: 2, credits: 0, usd: 0.04 } }),
    });
    expect(await fetchSummary(fake, 'dataforseo', 'example.com', 'domain', signal)).toMatchObject({
      ok: true,
      data: { billedRetries: { attempts: 3, credits: 0, usd: 0.06 } },
    });
  });

  it('is from the cache only when both pages were', async () => {
    const cached = client({ refDomains: ok({ ...refPage, fromCache: true }), outDomains: ok({ ...outPage, fromCache: true }) });
    expect(await fetchSummary(cached.fake, 'serpstat', 'example.com', 'domain', signal)).toMatchObject({ data: { fromCache: true } });
    const mixed = client({ refDomains: ok({ ...refPage, fromCache: true }), outDomains: ok(outPage) });
    expect(await fetchSummary(mixed.fake, 'serpstat', 'example.com', 'domain', signal)).toMatchObject({ data: { fromCache: false } });
  });

  it('skips the outbound page where the provider has no such report', async () => {
    const { fake, fetchPage } = client({ refDomains: ok(refPage) }, false);
    const result = await fetchSummary(fake, 'dataforseo', 'example.com', 'domain', signal);
    expect(fetchPage).toHaveBeenCalledTimes(1);
    expect(result).toMatchObject({ ok: true, data: { outboundDomains: null, referringDomains: 5321, creditsSpent: 10, creditsLeft: 990 } });
  });

  it('fails with the referring-domains error, without asking for the outbound page', async () => {
    const error = lensError('no_credits', 'Out of credits.', { provider: 'serpstat' });
    const { fake, fetchPage } = client({ refDomains: fail(error), outDomains: ok(outPage) });
    expect(await fetchSummary(fake, 'serpstat', 'example.com', 'domain', signal)).toEqual(fail(error));
    expect(fetchPage).toHaveBeenCalledTimes(1);
  });

  it('still answers when only the outbound page fails', async () => {
    const { fake } = client({ refDomains: ok(refPage), outDomains: fail(lensError('server_error', 'down', { retryable: true })) });
    expect(await fetchSummary(fake, 'serpstat', 'example.com', 'domain', signal)).toMatchObject({
      ok: true,
      data: { referringDomains: 5321, outboundDomains: null, creditsSpent: 10, creditsLeft: 990, costUsd: 0.1 },
    });
  });
});

describe('the summary and the per-lookup limit', () => {
  const budget = async () => ({ ...defaultBudget, perLookupCredits: 10, perLookupUsd: 0.05 });
  const summaryPages = (provider: ProviderId) => [
    { query: { provider, report: 'refDomains' as const, target: 'example.com', scope: 'domain' as const, filters: [], pageSize: 10 }, page: 1 },
    { query: { provider, report: 'outDomains' as const, target: 'example.com', scope: 'domain' as const, filters: [], pageSize: 1 }, page: 1 },
  ];

  it('asks first when the two pages together (11 credits) pass the limit, and sends nothing', async () => {
    const { fake, fetchPage } = client({ refDomains: ok(refPage), outDomains: ok(outPage) });
    const checkLimit: SummaryClient['checkLimit'] = (pages, consent) => checkOneShotLookup(pages, consent, { budget });
    const answer = await fetchSummary({ ...fake, checkLimit }, 'serpstat', 'example.com', 'domain', signal);
    expect(answer).toEqual(ok({ type: 'needsConsent', provider: 'serpstat', page: 1, nextCost: 11, spent: 0, limit: 10 }));
    expect(fetchPage).not.toHaveBeenCalled();

    const consented = await fetchSummary({ ...fake, checkLimit }, 'serpstat', 'example.com', 'domain', signal, 'continue');
    expect(consented).toMatchObject({ ok: true, data: { referringDomains: 5321 } });
    expect(fetchPage).toHaveBeenCalledTimes(2);
  });

  it('lets a summary within the limit, or already in the cache, go without asking', async () => {
    expect(await checkOneShotLookup(summaryPages('dataforseo'), undefined, { budget })).toBeNull();
    expect(await checkOneShotLookup(summaryPages('serpstat'), undefined, { budget, isCached: async () => true })).toBeNull();
    expect(await checkOneShotLookup(summaryPages('serpstat'), undefined, { budget, isCached: async (query) => query.report === 'outDomains' })).toMatchObject({
      nextCost: 11,
    });
  });
});
