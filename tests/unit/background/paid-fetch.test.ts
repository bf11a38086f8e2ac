import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createProviderClient } from '../../../lib/background/provider-client';
import { createRequestQueue, defaultRetry } from '../../../lib/background/queue';
import { defaultBudget, type BudgetSettings } from '../../../lib/shared/budget';
import { createInflightShare } from '../../../lib/background/cache/inflight';
import { createPageCache } from '../../../lib/background/cache/page-cache';
import { createPaidFetch, type PageFetcher } from '../../../lib/background/cache/paid-fetch';
import { pageCacheKey } from '../../../lib/background/cache/page-key';
import { lensError } from '../../../lib/shared/errors';
import { createLedger } from '../../../lib/background/ledger';
import { mapDataForSeoStatus } from '../../../lib/background/providers/dataforseo';
import type { ProviderAdapter } from '../../../lib/background/providers/types';
import { fail, ok, type Result } from '../../../lib/shared/result';
import type { TablePage, TableQuery, ProviderPage } from '../../../lib/shared/reports';

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

  it('asks again for a view that joined a request its first asker\'s lane then held back', async () => {
    let calls = 0;
    dbCount += 1;
    const ledger = createLedger({ dbName: `pf-ledger-${dbCount}` });
    const cache = createPageCache({ dbName: `pf-cache-${dbCount}`, ttlMs: () => 1e12, maxBytes: () => 1e9 });
    const inflight = createInflightShare();
    let shares = 0;
    const paid = createPaidFetch({
      cache,
      ledger,
      inflight: {
        get size() {
          return inflight.size;
        },
        share: (key, shareSignal, task) => {
          shares += 1;
          return inflight.share(key, shareSignal, task);
        },
      },
      budget: async () => defaultBudget,
      fetchPage: async (_q, page, pageSignal, _onRetry, _after, lane) => {
        const send = async () => {
          calls += 1;
          return ok(answer(page));
        };
        return lane ? ((await lane.run(send, pageSignal)) as Result<TablePage>) : send();
      },
    });
    let closeLane!: () => void;
    const laneClosed = new Promise<void>((resolve) => (closeLane = resolve));
    // The first asker's stream ends (a failed page) while this page still waits in its lane.
    let waitsInLane!: () => void;
    const inLane = new Promise<void>((resolve) => (waitsInLane = resolve));
    const endedLane = {
      run: async () => {
        waitsInLane();
        await laneClosed;
        return fail(lensError('cancelled', 'The table ended before this page.'));
      },
    };
    const first = paid(query, 3, signal(), { lane: endedLane });
    await inLane;
    const second = paid(query, 3, signal());
    // The second view has joined the request (past its cache and cap checks) before the lane ends.
    await vi.waitFor(() => expect(shares).toBe(2));
    closeLane();
    expect(await first).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    expect(await second).toMatchObject({ ok: true, data: { page: 3, fromCache: false } });
    expect(calls).toBe(1);
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
    expect(third).toMatchObject({ ok: false, error: { code: 'over_budget', provider: 'serpstat', dailyCap: 250 } });
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

/** The next IndexedDB call of this kind fails as a full disk does. */
function quotaExceededOnce(method: 'add' | 'put') {
  vi.spyOn(IDBObjectStore.prototype, method).mockImplementationOnce(() => {
    throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
  });
}

describe('createPaidFetch when a write fails', () => {
  afterEach(() => vi.restoreAllMocks());

  it('books a paid answer and returns it when the cache write fails, and the next ask is free', async () => {
    let calls = 0;
    const { paid, ledger } = setUp(async (_q, page) => {
      calls += 1;
      return ok(answer(page));
    });
    quotaExceededOnce('put');
    expect(await paid(query, 1, signal())).toMatchObject({ ok: true, data: { fromCache: false } });
    expect(await paid(query, 1, signal())).toMatchObject({ ok: true, data: { fromCache: true, creditsSpent: 0 } });
    expect(calls).toBe(1);
    expect(await ledger.spentToday('serpstat')).toEqual({ credits: 100, usd: 0 });
  });

  it('books a paid answer before the cache write, and still returns it when that write throws', async () => {
    dbCount += 1;
    const ledger = createLedger({ dbName: `pf-ledger-${dbCount}` });
    const disk = createPageCache({ dbName: `pf-cache-${dbCount}`, ttlMs: () => 1e12, maxBytes: () => 1e9 });
    const cache = { ...disk, put: () => Promise.reject(new Error('the cache is broken')) };
    const paid = createPaidFetch({ cache, ledger, inflight: createInflightShare(), budget: async () => defaultBudget, fetchPage: async (_q, page) => ok(answer(page)) });
    expect(await paid(query, 1, signal())).toMatchObject({ ok: true, data: { page: 1, fromCache: false } });
    expect(await ledger.spentToday('serpstat')).toEqual({ credits: 100, usd: 0 });
  });

  it('has the paid answer in the ledger on disk before the page is cached or handed over', async () => {
    dbCount += 1;
    const ledgerDb = `pf-ledger-${dbCount}`;
    const disk = createLedger({ dbName: ledgerDb });
    let openGate = () => {};
    const gate = new Promise<void>((resolve) => (openGate = resolve));
    // The ledger's write takes as long as the test says.
    const ledger = { ...disk, record: async (entry: Parameters<typeof disk.record>[0]) => (await gate, disk.record(entry)) };
    const cache = createPageCache({ dbName: `pf-cache-${dbCount}`, ttlMs: () => 1e12, maxBytes: () => 1e9 });
    const paid = createPaidFetch({ cache, ledger, inflight: createInflightShare(), budget: async () => defaultBudget, fetchPage: async (_q, page) => ok(answer(page)) });
    let handedOver = false;
    const result = paid(query, 1, signal()).then((page) => ((handedOver = true), page));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(handedOver).toBe(false);
    expect(await cache.get(pageCacheKey(query, 1))).toBeNull();
    openGate();
    expect(await result).toMatchObject({ ok: true, data: { fromCache: false } });
    // Written, not only held in memory: a worker stopped now and started again still has it.
    expect(await createLedger({ dbName: ledgerDb }).spentToday('serpstat')).toEqual({ credits: 100, usd: 0 });
  });

  it('serves a cached page without waiting for the ledger to write what it saved, which it still counts', async () => {
    dbCount += 1;
    const disk = createLedger({ dbName: `pf-ledger-${dbCount}` });
    let writesHeld = false;
    const held = new Promise<void>(() => undefined);
    // Once the page is cached, the ledger's writes never finish.
    const ledger = { ...disk, record: (entry: Parameters<typeof disk.record>[0]) => (writesHeld ? (void disk.record(entry), held) : disk.record(entry)) };
    const cache = createPageCache({ dbName: `pf-cache-${dbCount}`, ttlMs: () => 1e12, maxBytes: () => 1e9 });
    const paid = createPaidFetch({ cache, ledger, inflight: createInflightShare(), budget: async () => defaultBudget, fetchPage: async (_q, page) => ok(answer(page)) });
    await paid(query, 1, signal());
    writesHeld = true;
    const served = await Promise.race([paid(query, 1, signal()), new Promise((resolve) => setTimeout(() => resolve('still waiting'), 50))]);
    expect(served).toMatchObject({ ok: true, data: { fromCache: true, creditsSpent: 0 } });
    const [day] = await disk.daily(1);
    expect(day).toMatchObject({ requests: 1, credits: 100, savedCredits: 100 });
  });

  it('serves a cached page when booking what it saved fails', async () => {
    const { paid } = setUp(async (_q, page) => ok(answer(page)));
    await paid(query, 1, signal());
    quotaExceededOnce('add');
    expect(await paid(query, 1, signal())).toMatchObject({ ok: true, data: { fromCache: true } });
  });

  it('counts a paid answer whose ledger write failed against the daily cap, and writes it with the next entry', async () => {
    let calls = 0;
    const { paid, ledger } = setUp(
      async (_q, page) => {
        calls += 1;
        return ok(answer(page));
      },
      { ...defaultBudget, dailyCapCredits: 250 },
    );
    quotaExceededOnce('add');
    expect((await paid(query, 1, signal())).ok).toBe(true);
    expect((await paid(query, 2, signal())).ok).toBe(true);
    // 200 spent, though the first entry's write failed: a third page of 100 would pass the cap.
    expect(await paid(query, 3, signal())).toMatchObject({ ok: false, error: { code: 'over_budget' } });
    expect(calls).toBe(2);
    const [day] = await ledger.daily(1);
    expect(day).toMatchObject({ requests: 2, credits: 200 });
  });
});

describe('createPaidFetch and the daily cap for a request that follows an abandoned one', () => {
  it('checks the cap again when the abandoned answer turns out unusable and the page must be asked for anew', async () => {
    let calls = 0;
    let answerFirst: (() => void) | undefined;
    const { paid, ledger } = setUp(
      (_q, page) => {
        calls += 1;
        if (page === 2 || answerFirst) return Promise.resolve(ok(answer(page)));
        // Page 1's first answer is unreadable, and Serpstat billed its 100 rows.
        return new Promise((resolve) => {
          answerFirst = () => resolve(fail(lensError('malformed', 'unreadable', { provider: 'serpstat', charged: { credits: 100, usd: 0 } })));
        });
      },
      { ...defaultBudget, dailyCapCredits: 250 },
    );
    expect((await paid(query, 2, signal())).ok).toBe(true);
    // Pause: the first ask for page 1 (100 + 100 fits under 250) leaves while its request is on the wire.
    const pause = new AbortController();
    const first = paid(query, 1, pause.signal);
    await vi.waitFor(() => expect(calls).toBe(2));
    pause.abort();
    // Resume: asks for page 1 again, joining the abandoned request.
    const resumed = paid(query, 1, signal());
    // Let the second ask reach the abandoned request and wait on it before that answer comes.
    await new Promise((resolve) => setTimeout(resolve, 50));
    answerFirst?.();
    expect(await first).toMatchObject({ ok: false, error: { code: 'malformed' } });
    // 200 are spent now: asking page 1 anew for 100 would pass the cap of 250.
    expect(await resumed).toMatchObject({ ok: false, error: { code: 'over_budget' } });
    expect(calls).toBe(2);
    expect(await ledger.spentToday('serpstat')).toEqual({ credits: 200, usd: 0 });
  });
});

describe('createPaidFetch with billed failures that are retried', () => {
  const dfsQuery: TableQuery = { ...query, provider: 'dataforseo', report: 'refDomains', pageSize: 10 };
  const rateLimited = () => fail(mapDataForSeoStatus(40202, 'Rate limit per minute exceeded', 0.02));
  const dfsPage = (): ProviderPage => ({ rows: [{ domain: 'a.com' }] as ProviderPage['rows'], total: 1, creditsSpent: 0, costUsd: 0.0203, creditsLeft: null });

  /** The real provider client and retries around an adapter that gives the answers in turn. */
  function setUpRetries(answers: (() => Result<ProviderPage>)[], budget: BudgetSettings = defaultBudget) {
    dbCount += 1;
    const ledger = createLedger({ dbName: `pf-ledger-${dbCount}` });
    const cache = createPageCache({ dbName: `pf-cache-${dbCount}`, ttlMs: () => 1e12, maxBytes: () => 1e9 });
    const spentBeforeEachTry: number[] = [];
    const adapter: ProviderAdapter = {
      id: 'dataforseo',
      fetchPage: async () => {
        spentBeforeEachTry.push((await ledger.spentToday('dataforseo')).usd);
        return answers[spentBeforeEachTry.length - 1]!();
      },
      fetchSummary: async () => fail(lensError('internal', 'not used')),
      testConnection: async () => fail(lensError('internal', 'not used')),
    };
    const client = createProviderClient({
      adapters: { serpstat: adapter, dataforseo: adapter },
      getCredentials: async () => ({ provider: 'dataforseo', login: 'login', password: 'password' }),
      baseUrls: { serpstat: 'http://127.0.0.1:1/v4', dataforseo: 'http://127.0.0.1:1' },
      fetch: () => Promise.reject(new Error('no network in tests')),
      queues: { serpstat: createRequestQueue({ minIntervalMs: 0, maxConcurrent: 1 }), dataforseo: createRequestQueue({ minIntervalMs: 0, maxConcurrent: 1 }) },
      retry: { ...defaultRetry, sleep: async () => undefined },
    });
    const paid = createPaidFetch({ cache, ledger, inflight: createInflightShare(), budget: async () => budget, fetchPage: client.fetchPage });
    return { paid, ledger, cache, spentBeforeEachTry };
  }

  it('books each billed failure before its retry, and the page says what the retries cost', async () => {
    const { paid, ledger, spentBeforeEachTry } = setUpRetries([rateLimited, rateLimited, () => ok(dfsPage())]);
    const result = await paid(dfsQuery, 1, signal());
    expect(result).toMatchObject({ ok: true, data: { costUsd: 0.0603, billedRetries: { attempts: 2, credits: 0, usd: 0.04 } } });
    expect(spentBeforeEachTry).toEqual([0, 0.02, 0.04]);
    expect(await ledger.spentToday('dataforseo')).toEqual({ credits: 0, usd: 0.0603 });
    expect(await ledger.daily(1)).toMatchObject([{ requests: 3 }]);
    // The cached copy saves what one answer costs, not the failures before it.
    expect(await paid(dfsQuery, 1, signal())).toMatchObject({ ok: true, data: { fromCache: true } });
    expect(await ledger.daily(1)).toMatchObject([{ requests: 3, savedUsd: 0.0203 }]);
  });

  it('stops retrying a billed failure once the retry, a new charge, would pass the daily cap', async () => {
    const { paid, ledger, spentBeforeEachTry } = setUpRetries([rateLimited, rateLimited, rateLimited, () => ok(dfsPage())], {
      ...defaultBudget,
      dailyCapUsd: 0.05,
    });
    // 0.0203 fits; after one billed failure 0.02 + 0.0203 fits; after two, 0.04 + 0.0203 does not.
    expect(await paid(dfsQuery, 1, signal())).toMatchObject({ ok: false, error: { code: 'over_budget', provider: 'dataforseo', dailyCap: 0.05 } });
    expect(spentBeforeEachTry).toHaveLength(2);
    expect(await ledger.spentToday('dataforseo')).toEqual({ credits: 0, usd: 0.04 });
  });
});
