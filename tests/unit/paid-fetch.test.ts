import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import { defaultBudget, type BudgetSettings } from '../../lib/budget';
import { createInflightShare } from '../../lib/cache/inflight';
import { createPageCache } from '../../lib/cache/page-cache';
import { createPaidFetch, type PageFetcher } from '../../lib/cache/paid-fetch';
import { lensError } from '../../lib/errors';
import { createLedger } from '../../lib/ledger';
import { fail, ok } from '../../lib/result';
import type { TablePage, TableQuery } from '../../lib/reports';

let dbCount = 0;
const FETCHED_AT = Date.now();
const query: TableQuery = {
  provider: 'serpstat',
  report: 'outDomains',
  target: 'example.com',
  scope: 'domain_with_subdomains',
  filters: [],
  pageSize: 100,
};
const answer = (page: number): TablePage => ({
  page,
  rows: Array.from({ length: 100 }, (_, i) => ({ domain: `d${page}-${i}.com`, rank: 1, links: 1 })),
  total: 1000,
  creditsSpent: 100,
  costUsd: 0,
  creditsLeft: 5000,
  fromCache: false,
  fetchedAt: FETCHED_AT,
});

function setUp(fetchPage: PageFetcher, budget: BudgetSettings = defaultBudget) {
  dbCount += 1;
  const ledger = createLedger({ dbName: `pf-ledger-${dbCount}` });
  const cache = createPageCache({ dbName: `pf-cache-${dbCount}`, ttlMs: () => 1e12, maxBytes: () => 1e9 });
  const paid = createPaidFetch({ cache, ledger, inflight: createInflightShare(), budget: async () => budget, fetchPage });
  return { paid, ledger, cache };
}
const signal = () => new AbortController().signal;

describe('createPaidFetch', () => {
  it('pays once, then serves the page from the cache for free and records the saving', async () => {
    let calls = 0;
    const { paid, ledger } = setUp(async (_q, page) => {
      calls += 1;
      return ok(answer(page));
    });
    const first = await paid(query, 2, signal());
    const second = await paid(query, 2, signal());
    expect(calls).toBe(1);
    expect(first).toMatchObject({ ok: true, data: { fromCache: false, creditsSpent: 100 } });
    expect(second).toMatchObject({ ok: true, data: { fromCache: true, creditsSpent: 0, page: 2, fetchedAt: FETCHED_AT } });
    if (first.ok && second.ok) expect(second.data.rows).toEqual(first.data.rows);
    const [day] = await ledger.daily(1);
    expect(day).toMatchObject({ provider: 'serpstat', requests: 1, credits: 100, savedCredits: 100 });
  });

  it('shares one request between two views asking at once', async () => {
    let calls = 0;
    const { paid, ledger } = setUp(async (_q, page) => {
      calls += 1;
      await new Promise((resolve) => setTimeout(resolve, 10));
      return ok(answer(page));
    });
    const [a, b] = await Promise.all([paid(query, 1, signal()), paid(query, 1, signal())]);
    expect(calls).toBe(1);
    expect(a.ok && b.ok).toBe(true);
    expect(await ledger.spentToday('serpstat')).toEqual({ credits: 100, usd: 0 });
  });

  it('does not pay again when the same page was stored while a second view was checking its budget', async () => {
    let calls = 0;
    dbCount += 1;
    const ledger = createLedger({ dbName: `pf-ledger-${dbCount}` });
    const cache = createPageCache({ dbName: `pf-cache-${dbCount}`, ttlMs: () => 1e12, maxBytes: () => 1e9 });
    let firstDone!: () => void;
    const firstFinished = new Promise<void>((resolve) => (firstDone = resolve));
    let budgetCalls = 0;
    const paid = createPaidFetch({
      cache,
      ledger,
      inflight: createInflightShare(),
      // The second view's budget check lasts until the first request has finished and left the in-flight map.
      budget: async () => {
        budgetCalls += 1;
        if (budgetCalls === 2) await firstFinished;
        return defaultBudget;
      },
      fetchPage: async (_q, page) => {
        calls += 1;
        return ok(answer(page));
      },
    });
    const first = paid(query, 1, signal()).then((result) => {
      firstDone();
      return result;
    });
    const second = paid(query, 1, signal());
    expect((await first).ok).toBe(true);
    expect(await second).toMatchObject({ ok: true, data: { fromCache: true, creditsSpent: 0 } });
    expect(calls).toBe(1);
    expect(await ledger.spentToday('serpstat')).toEqual({ credits: 100, usd: 0 });
  });

  it('pays again on Refresh', async () => {
    let calls = 0;
    const { paid } = setUp(async (_q, page) => {
      calls += 1;
      return ok(answer(page));
    });
    await paid(query, 1, signal());
    const refreshed = await paid(query, 1, signal(), { refresh: true });
    expect(calls).toBe(2);
    expect(refreshed).toMatchObject({ ok: true, data: { fromCache: false } });
  });

  it('never caches an error, and counts a charged failure in the ledger', async () => {
    let calls = 0;
    const { paid, ledger } = setUp(async () => {
      calls += 1;
      return fail(lensError('bad_filter', 'Invalid Field', { provider: 'dataforseo', charged: { credits: 0, usd: 0.02 } }));
    });
    const dfs = { ...query, provider: 'dataforseo' as const, report: 'refDomains' as const };
    expect(await paid(dfs, 1, signal())).toMatchObject({ ok: false, error: { code: 'bad_filter' } });
    expect(await paid(dfs, 1, signal())).toMatchObject({ ok: false });
    expect(calls).toBe(2);
    expect(await ledger.spentToday('dataforseo')).toEqual({ credits: 0, usd: 0.04 });
  });

  it('stops before the request leaves once the daily cap would be passed', async () => {
    let calls = 0;
    const { paid } = setUp(
      async (_q, page) => {
        calls += 1;
        return ok(answer(page));
      },
      { ...defaultBudget, dailyCapCredits: 250 },
    );
    expect((await paid(query, 1, signal())).ok).toBe(true);
    expect((await paid(query, 2, signal())).ok).toBe(true);
    const third = await paid(query, 3, signal());
    expect(third).toMatchObject({ ok: false, error: { code: 'over_budget', provider: 'serpstat' } });
    expect(calls).toBe(2);
    // Cached pages stay free even over the cap.
    expect(await paid(query, 1, signal())).toMatchObject({ ok: true, data: { fromCache: true } });
  });

  it('counts requests still on their way against the daily cap, so two at once cannot pass it', async () => {
    let calls = 0;
    const { paid, ledger } = setUp(
      async (_q, page) => {
        calls += 1;
        await new Promise((resolve) => setTimeout(resolve, 10));
        return ok(answer(page));
      },
      { ...defaultBudget, dailyCapCredits: 150 },
    );
    // Two views ask for different pages at once: only one fits under the cap.
    const [first, second] = await Promise.all([paid(query, 1, signal()), paid(query, 2, signal())]);
    expect(first.ok).toBe(true);
    expect(second).toMatchObject({ ok: false, error: { code: 'over_budget' } });
    expect(calls).toBe(1);
    expect(await ledger.spentToday('serpstat')).toEqual({ credits: 100, usd: 0 });
  });

  it('lets a view join a request already on its way near the cap: joining costs nothing', async () => {
    let calls = 0;
    const { paid } = setUp(
      async (_q, page) => {
        calls += 1;
        await new Promise((resolve) => setTimeout(resolve, 10));
        return ok(answer(page));
      },
      { ...defaultBudget, dailyCapCredits: 150 },
    );
    const [a, b] = await Promise.all([paid(query, 1, signal()), paid(query, 1, signal())]);
    expect(a.ok && b.ok).toBe(true);
    expect(calls).toBe(1);
  });
});

describe('createPaidFetch when the asker leaves', () => {
  it('keeps a page whose request was on its way when the asker cancelled, and serves the next ask from the cache', async () => {
    let calls = 0;
    let answerFirst!: () => void;
    // Like the real provider client: a sent request runs to its answer whatever the asker does.
    const { paid, ledger } = setUp(
      (_q, page) =>
        new Promise((resolve) => {
          calls += 1;
          answerFirst = () => resolve(ok(answer(page)));
        }),
    );
    const asker = new AbortController();
    const cancelled = paid(query, 3, asker.signal);
    await vi.waitFor(() => expect(calls).toBe(1));
    asker.abort();
    // Asked again while the first request is still on the wire: it waits instead of paying again.
    const again = paid(query, 3, signal());
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(calls).toBe(1);
    answerFirst();
    expect(await cancelled).toMatchObject({ ok: true, data: { page: 3, fromCache: false } });
    expect(await again).toMatchObject({ ok: true, data: { page: 3, fromCache: true, creditsSpent: 0 } });
    expect(calls).toBe(1);
    expect(await ledger.spentToday('serpstat')).toEqual({ credits: 100, usd: 0 });
  });
});
