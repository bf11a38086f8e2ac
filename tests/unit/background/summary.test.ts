import { describe, expect, it, vi } from 'vitest';
import { defaultBudget } from '../../../lib/shared/budget';
import { checkOneShotLookup } from '../../../lib/background/lookup-allowance';
import { lookUpSummary, summaryRequests, type SummaryClient, type SummaryParts } from '../../../lib/background/summary';
import type { PaidFetch } from '../../../lib/background/cache/paid-fetch';
import { lensError } from '../../../lib/shared/errors';
import { fail, ok, type Result } from '../../../lib/shared/result';
import type { RefDomainRow, TablePage } from '../../../lib/shared/reports';
import type { PaidQuery, PaidRow, SummaryTotals } from '../../../lib/shared/summary';

const refRow = (i: number): RefDomainRow => ({ domain: `ref${i}.com`, rank: 100 - i, refPages: 1, backlinks: 1, firstSeen: null, lostDate: null, spamScore: null });
const totals: SummaryTotals = {
  referringDomains: { value: 5321, weekChange: 12 },
  backlinks: { value: 90_000, weekChange: -40 },
  dofollowBacklinks: { value: 60_000, weekChange: 3 },
  outboundDomains: { value: 77, weekChange: 0 },
  rank: { value: 61, weekChange: null },
};
const page = (rows: PaidRow[], overrides: Partial<TablePage<PaidRow>> = {}): TablePage<PaidRow> => ({
  page: 1,
  rows,
  total: rows.length,
  creditsSpent: rows.length,
  costUsd: 0,
  creditsLeft: 990,
  fromCache: false,
  fetchedAt: 1000,
  ...overrides,
});
const totalsPage = page([totals], { creditsLeft: 999, fetchedAt: 900 });
const topPage = page(
  Array.from({ length: 10 }, (_, i) => refRow(i)),
  { total: 5321 },
);

/** Answers each request when the test says so, recording the order in which they were asked. */
function deferredClient({ oneAtATime = false, needs = null as Awaited<ReturnType<SummaryClient['checkLimit']>> } = {}) {
  const asked: PaidQuery[] = [];
  const answers = new Map<string, (result: Result<TablePage<PaidRow>>) => void>();
  const fetchPage = vi.fn(
    (query: PaidQuery) =>
      new Promise<Result<TablePage<PaidRow>>>((resolve) => {
        asked.push(query);
        answers.set(query.report, resolve);
      }),
  );
  const checkLimit = vi.fn(async () => needs);
  const client: SummaryClient = { fetchPage: fetchPage as unknown as PaidFetch, checkLimit, oneAtATime: () => oneAtATime };
  const answer = (report: 'summary' | 'refDomains', result: Result<TablePage<PaidRow>>) => answers.get(report)!(result);
  return { client, asked, answer, checkLimit };
}

function recordingParts() {
  const got: [string, unknown][] = [];
  const parts: SummaryParts = { totals: (result) => got.push(['totals', result]), topDomains: (result) => got.push(['topDomains', result]) };
  return { got, parts };
}
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
const signal = new AbortController().signal;

describe('lookUpSummary', () => {
  it('asks the provider’s summary and the top 10 referring domains by rank', () => {
    expect(summaryRequests('serpstat', 'example.com', 'domain')).toEqual({
      totals: { provider: 'serpstat', report: 'summary', target: 'example.com', scope: 'domain' },
      topDomains: { provider: 'serpstat', report: 'refDomains', target: 'example.com', scope: 'domain', filters: [], sort: { field: 'rank', order: 'desc' }, pageSize: 10 },
    });
  });

  it('asks both at once and hands over each part the moment it arrives, whichever comes first', async () => {
    const { client, asked, answer } = deferredClient();
    const { got, parts } = recordingParts();
    const done = lookUpSummary(client, 'dataforseo', 'example.com', 'domain', signal, undefined, parts);
    await settle();
    expect(asked.map((query) => query.report)).toEqual(['summary', 'refDomains']);

    answer('refDomains', ok(topPage));
    await settle();
    expect(got).toEqual([['topDomains', ok({ creditsSpent: 10, costUsd: 0, creditsLeft: 990, fromCache: false, fetchedAt: 1000, rows: topPage.rows })]]);
    answer('summary', ok(totalsPage));
    expect(await done).toBeNull();
    expect(got[1]).toEqual(['totals', ok({ creditsSpent: 1, costUsd: 0, creditsLeft: 999, fromCache: false, fetchedAt: 900, totals })]);
  });

  it('with a provider that takes one request at a time, asks the totals first and the top domains once they are in', async () => {
    const { client, asked, answer } = deferredClient({ oneAtATime: true });
    const { got, parts } = recordingParts();
    const done = lookUpSummary(client, 'serpstat', 'example.com', 'domain', signal, undefined, parts);
    await settle();
    expect(asked.map((query) => query.report)).toEqual(['summary']);
    answer('summary', ok(totalsPage));
    await settle();
    expect(got.map(([part]) => part)).toEqual(['totals']);
    expect(asked.map((query) => query.report)).toEqual(['summary', 'refDomains']);
    answer('refDomains', ok(topPage));
    await done;
    expect(got.map(([part]) => part)).toEqual(['totals', 'topDomains']);
  });

  it('hands over a failed part as data, a missing summary row as no data, and billed retries with the part', async () => {
    const { client, answer } = deferredClient();
    const { got, parts } = recordingParts();
    const done = lookUpSummary(client, 'dataforseo', 'example.com', 'domain', signal, undefined, parts);
    await settle();
    const error = lensError('rate_limited', 'slow down', { provider: 'dataforseo', retryable: true });
    answer('refDomains', fail(error));
    answer('summary', ok(page([], { costUsd: 0.02003, billedRetries: { attempts: 1, credits: 0, usd: 0.02 } })));
    await done;
    expect(got).toContainEqual(['topDomains', fail(error)]);
    expect(got).toContainEqual(['totals', ok(expect.objectContaining({ totals: null, costUsd: 0.02003, billedRetries: { attempts: 1, credits: 0, usd: 0.02 } }))]);
  });

  it('asks nothing when the per-lookup limit holds it back, and answers the figures to ask with', async () => {
    const needs = { type: 'needsConsent' as const, provider: 'serpstat' as const, page: 1, nextCost: 11, spent: 0, limit: 5 };
    const { client, asked, checkLimit } = deferredClient({ needs });
    const { got, parts } = recordingParts();
    expect(await lookUpSummary(client, 'serpstat', 'example.com', 'domain', signal, undefined, parts)).toEqual(needs);
    expect(asked).toEqual([]);
    expect(got).toEqual([]);
    const requests = summaryRequests('serpstat', 'example.com', 'domain');
    expect(checkLimit).toHaveBeenCalledWith([{ query: requests.totals, page: 1 }, { query: requests.topDomains, page: 1 }], undefined);
  });
});

describe('the popup lookup against the per-lookup limit (checkOneShotLookup)', () => {
  const requests = summaryRequests('serpstat', 'example.com', 'domain');
  const both = [
    { query: requests.totals, page: 1 },
    { query: requests.topDomains, page: 1 },
  ];

  it('counts the summary as 1 credit and the top 10 as 10: 11 in all', async () => {
    const budget = async () => ({ ...defaultBudget, perLookupCredits: 10 });
    expect(await checkOneShotLookup(both, undefined, { budget })).toEqual({ type: 'needsConsent', provider: 'serpstat', page: 1, nextCost: 11, spent: 0, limit: 10 });
    expect(await checkOneShotLookup(both, undefined, { budget: async () => ({ ...defaultBudget, perLookupCredits: 11 }) })).toBeNull();
    expect(await checkOneShotLookup(both, 'continue', { budget })).toBeNull();
  });

  it('counts DataForSEO’s as two requests, $0.02003 and $0.0203', async () => {
    const dataforseo = summaryRequests('dataforseo', 'example.com', 'domain');
    const budget = async () => ({ ...defaultBudget, perLookupUsd: 0.04 });
    const needs = await checkOneShotLookup(
      [
        { query: dataforseo.totals, page: 1 },
        { query: dataforseo.topDomains, page: 1 },
      ],
      undefined,
      { budget },
    );
    expect(needs).toMatchObject({ nextCost: 0.04033, limit: 0.04 });
  });

  it('lets a lookup above the limit through when both its answers are cached', async () => {
    const budget = async () => ({ ...defaultBudget, perLookupCredits: 10 });
    const cachedReports = new Set<string>(['summary']);
    const isCached = async (query: PaidQuery) => cachedReports.has(query.report);
    expect(await checkOneShotLookup(both, undefined, { budget, isCached })).not.toBeNull();
    cachedReports.add('refDomains');
    expect(await checkOneShotLookup(both, undefined, { budget, isCached })).toBeNull();
  });
});
