import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { handleRequest, type MessageDeps } from '../../../lib/background/messages';
import { createLooks } from '../../../lib/background/looks/looks';
import { serveTablePort, type TableServerDeps } from '../../../lib/background/table-server';
import { clearPageCache, readUsage, recordingBalances, recordingTestedBalance, coalescingBalanceWriter, USAGE_DAYS, getLastBalances, lastBalancesItem, setLastBalance } from '../../../lib/background/usage';
import { createInflightShare } from '../../../lib/background/cache/inflight';
import { createPageCache } from '../../../lib/background/cache/page-cache';
import { createPaidFetch, type PaidFetch } from '../../../lib/background/cache/paid-fetch';
import { defaultBudget } from '../../../lib/shared/budget';
import { lensError } from '../../../lib/shared/errors';
import { createLedger, localDay } from '../../../lib/background/ledger';
import { type PortLike } from '../../../lib/shared/port';
import { createTableClient } from '../../../lib/ui/messaging/table-client';
import { TABLE_PORT, type TableClientMessage, type Usage } from '../../../lib/shared/protocol';
import type { AccountStatus } from '../../../lib/shared/protocol';
import type { TablePage, TableQuery } from '../../../lib/shared/reports';
import type { PaidQuery } from '../../../lib/shared/summary';
import { fail, ok, type Result } from '../../../lib/shared/result';
import { roomyAllowance } from '../fake-allowance';
import { createPortPair } from '../port-pair';

const own = { id: 'test-extension-id', url: 'chrome-extension://test-extension-id/options.html' };
const query: TableQuery = {
  provider: 'serpstat',
  report: 'refDomains',
  target: 'example.com',
  scope: 'domain_with_subdomains',
  sort: { field: 'rank', order: 'desc' },
  filters: [],
  pageSize: 10,
};
// The paid fetch stamps cache hits with the real clock, so "today" is the real today.
const NOW = Date.now();

function providerPage(page: number, overrides: Partial<TablePage> = {}): TablePage {
  const rows = Array.from({ length: 10 }, (_, i) => ({ domain: `p${page}-${i}.example`, rank: 1, refPages: 1, backlinks: null, firstSeen: null, lostDate: null, spamScore: null }));
  return { page, rows, total: 95, creditsSpent: 10, costUsd: 0, creditsLeft: 5000 - page * 10, fromCache: false, fetchedAt: NOW, ...overrides };
}

let dbCount = 0;
/** The background's real cache, ledger and paid fetch around a fake provider, as services.ts wires them. */
function backgroundWithProvider() {
  dbCount += 1;
  const cache = createPageCache({ dbName: `usage-cache-${dbCount}`, ttlMs: () => 86_400_000, maxBytes: () => 10_000_000, now: () => NOW });
  const ledger = createLedger({ dbName: `usage-ledger-${dbCount}`, now: () => NOW });
  const provider = vi.fn(async (_query: PaidQuery, page: number): Promise<Result<TablePage>> => ok(providerPage(page)));
  const fetchPage = recordingBalances(
    createPaidFetch({ cache, ledger, inflight: createInflightShare(), budget: async () => defaultBudget, fetchPage: provider }),
    coalescingBalanceWriter(setLastBalance),
  );
  const deps: MessageDeps = {
    keyStatuses: async () => ({ serpstat: { configured: true, maskedTail: 'abcd' }, dataforseo: { configured: false, maskedTail: null } }),
    setCredentials: async () => undefined,
    clearCredentials: async () => undefined,
    planLoadAll: async () => null,
    testConnection: async () => fail(lensError('internal', 'unused')),
    fetchCharts: async () => fail(lensError('internal', 'unused')),
    fetchLinkGapOverlap: async () => fail(lensError('internal', 'unused')),
    cachedCharts: async () => fail(lensError('internal', 'unused')),
    cachedLinkGapOverlap: async () => fail(lensError('internal', 'unused')),
    usage: () => readUsage({ ledger, cache, balances: getLastBalances }),
    clearCache: () => clearPageCache(cache),
    ...createLooks({ dbName: `usage-looks-${dbCount}` }).messages,
    isOwnSender: () => true,
  };
  return { cache, ledger, provider, fetchPage, deps };
}

async function usageOf(deps: MessageDeps): Promise<Usage> {
  const answer = await handleRequest({ type: 'getUsage' }, own, deps);
  if (!answer.ok) throw new Error(answer.error.message);
  return answer.data as Usage;
}

const signal = new AbortController().signal;

beforeEach(() => fakeBrowser.reset());

describe('getUsage', () => {
  it('answers today’s spend and savings per provider, the cache size and the balance last seen', async () => {
    const { fetchPage, deps } = backgroundWithProvider();
    await fetchPage(query, 1, signal);
    await fetchPage(query, 2, signal);
    await fetchPage(query, 1, signal); // from cache: free, counted as saved

    const usage = await usageOf(deps);
    expect(usage.days).toEqual([
      { day: localDay(NOW), provider: 'serpstat', requests: 2, credits: 20, usd: 0, savedCredits: 10, savedUsd: 0 },
    ]);
    expect(usage.cache.entries).toBe(2);
    expect(usage.cache.bytes).toBeGreaterThan(0);
    expect(usage.balances).toEqual({ serpstat: { creditsLeft: 4980, balanceUsd: null, seenAt: NOW }, dataforseo: null });
  });

  it('asks the ledger for the last 30 days', async () => {
    const daily = vi.fn(async () => []);
    await readUsage({ ledger: { daily }, cache: { stats: async () => ({ entries: 0, bytes: 0 }), clear: async () => undefined }, balances: getLastBalances });
    expect(daily).toHaveBeenCalledWith(USAGE_DAYS);
    expect(USAGE_DAYS).toBe(30);
  });

  it('reads a broken stored balance as not seen', async () => {
    await lastBalancesItem.setValue({ serpstat: { creditsLeft: 'lots' }, dataforseo: null } as never);
    expect(await getLastBalances()).toEqual({ serpstat: null, dataforseo: null });
  });
});

describe('clearCache', () => {
  it('empties the cache, answers the new size, and the next lookup pays again', async () => {
    const { fetchPage, provider, cache, deps } = backgroundWithProvider();
    await fetchPage(query, 1, signal);
    expect((await cache.stats()).entries).toBe(1);

    const answer = await handleRequest({ type: 'clearCache' }, own, deps);
    expect(answer).toEqual({ ok: true, data: { entries: 0, bytes: 0 } });

    await fetchPage(query, 1, signal);
    expect(provider).toHaveBeenCalledTimes(2);
  });

  it('is refused to a sender that is not our own page', async () => {
    const { deps } = backgroundWithProvider();
    const answer = await handleRequest({ type: 'clearCache' }, { id: 'other', url: 'https://evil.example/' }, { ...deps, isOwnSender: undefined });
    expect(answer.ok).toBe(false);
  });
});

describe('balances last seen', () => {
  it('are stored from a page the provider just answered, not from a cached one', async () => {
    const store = vi.fn(async () => undefined);
    const fresh = recordingBalances(async () => ok(providerPage(1, { creditsLeft: 972_836, fetchedAt: 111 })), store);
    await fresh(query, 1, signal);
    expect(store).toHaveBeenCalledWith('serpstat', { creditsLeft: 972_836, balanceUsd: null, seenAt: 111 });

    store.mockClear();
    const cached = recordingBalances(async () => ok(providerPage(1, { fromCache: true })), store);
    await cached(query, 1, signal);
    const noBalance = recordingBalances(async () => ok(providerPage(1, { creditsLeft: null })), store);
    await noBalance(query, 1, signal);
    const failed = recordingBalances(async () => fail(lensError('rate_limited', 'slow down')), store);
    await failed(query, 1, signal);
    expect(store).not.toHaveBeenCalled();
  });

  it('a page is still answered when its balance cannot be stored', async () => {
    const fetchPage: PaidFetch = recordingBalances(async () => ok(providerPage(1)), async () => Promise.reject(new Error('quota')));
    expect((await fetchPage(query, 1, signal)).ok).toBe(true);
  });

  it('are stored from a test of the saved credentials, never of typed ones', async () => {
    const serpstat: AccountStatus = { provider: 'serpstat', creditsLeft: 900, creditsTotal: 1000, balanceUsd: null };
    const dataforseo: AccountStatus = { provider: 'dataforseo', creditsLeft: null, creditsTotal: null, balanceUsd: 12.34 };
    const test = recordingTestedBalance(
      async (provider) => ok(provider === 'serpstat' ? serpstat : dataforseo),
      coalescingBalanceWriter(setLastBalance),
      () => 222,
    );
    await test('serpstat', { provider: 'serpstat', token: 'typed-token' }, signal);
    expect(await getLastBalances()).toEqual({ serpstat: null, dataforseo: null });

    await test('serpstat', undefined, signal);
    await test('dataforseo', undefined, signal);
    expect(await getLastBalances()).toEqual({
      serpstat: { creditsLeft: 900, balanceUsd: null, seenAt: 222 },
      dataforseo: { creditsLeft: null, balanceUsd: 12.34, seenAt: 222 },
    });
  });

  it('a page is handed over without waiting for its balance to be stored', async () => {
    const neverStored = vi.fn(() => new Promise<void>(() => {}));
    const fetchPage = recordingBalances(async () => ok(providerPage(1, { creditsLeft: 5 })), neverStored);
    const answered = vi.fn();
    void fetchPage(query, 1, signal).then(answered);
    await vi.waitFor(() => expect(answered).toHaveBeenCalledWith(expect.objectContaining({ ok: true })));
    expect(neverStored).toHaveBeenCalledOnce();
  });

  it('folds the balances that arrive while one is being written into one write of the newest', async () => {
    const written: (number | null | undefined)[] = [];
    let finishWrite = () => {};
    const slowStore = vi.fn(async (_provider: string, balance: { creditsLeft: number | null } | null) => {
      written.push(balance?.creditsLeft);
      await new Promise<void>((resolve) => (finishWrite = resolve));
    });
    const write = coalescingBalanceWriter(slowStore);
    const balance = (creditsLeft: number) => ({ creditsLeft, balanceUsd: null, seenAt: creditsLeft });
    const calls = [write('serpstat', balance(100)), write('serpstat', balance(90)), write('serpstat', balance(80)), write('serpstat', balance(70))];
    await vi.waitFor(() => expect(written).toEqual([100]));
    finishWrite();
    await vi.waitFor(() => expect(written).toEqual([100, 70]));
    finishWrite();
    await Promise.all(calls);
    expect(slowStore).toHaveBeenCalledTimes(2);
  });

  it('a failed balance write fails only the calls it was writing for', async () => {
    let fail = true;
    const write = coalescingBalanceWriter(async () => {
      if (fail) throw new Error('quota');
    });
    const balance = { creditsLeft: 1, balanceUsd: null, seenAt: 1 };
    await expect(write('serpstat', balance)).rejects.toThrow('quota');
    fail = false;
    await expect(write('serpstat', balance)).resolves.toBeUndefined();
  });

  it('two writes at once both land', async () => {
    const write = coalescingBalanceWriter(setLastBalance);
    await Promise.all([
      write('serpstat', { creditsLeft: 1, balanceUsd: null, seenAt: 1 }),
      write('dataforseo', { creditsLeft: null, balanceUsd: 2, seenAt: 2 }),
    ]);
    expect(await getLastBalances()).toEqual({
      serpstat: { creditsLeft: 1, balanceUsd: null, seenAt: 1 },
      dataforseo: { creditsLeft: null, balanceUsd: 2, seenAt: 2 },
    });
  });
});

describe('refresh through the table port', () => {
  function servedPort() {
    const fetchPage = vi.fn<TableServerDeps['fetchPage']>(async (_query, page) => ok(providerPage(page)));
    const { client, server } = createPortPair(TABLE_PORT, own);
    serveTablePort(server, { fetchPage, allowance: roomyAllowance() });
    return { client, fetchPage, refreshFlags: () => fetchPage.mock.calls.map(([, page, , options]) => [page, options?.refresh]) };
  }

  it('the server skips the cache for the first page of a refresh request only', async () => {
    const { client, refreshFlags } = servedPort();
    const done = new Promise((resolve) => client.onMessage.addListener((message) => (message as { type: string }).type === 'done' && resolve(null)));
    client.postMessage({ type: 'fetch', requestId: 1, query, fromPage: 2, toPage: 3, refresh: true } satisfies TableClientMessage);
    await done;
    expect(refreshFlags()).toEqual([
      [2, true],
      [3, false],
    ]);
  });

  it('a request without refresh (an older page) uses the cache', async () => {
    const { client, refreshFlags } = servedPort();
    const done = new Promise((resolve) => client.onMessage.addListener((message) => (message as { type: string }).type === 'done' && resolve(null)));
    client.postMessage({ type: 'fetch', requestId: 1, query, fromPage: 1, toPage: 1 });
    await done;
    expect(refreshFlags()).toEqual([[1, false]]);
  });

  it('the client asks for refresh when told to, and not otherwise', async () => {
    const sent: TableClientMessage[] = [];
    const { client, server } = createPortPair(TABLE_PORT, own);
    server.onMessage.addListener((message) => {
      const fetch = message as Extract<TableClientMessage, { type: 'fetch' }>;
      sent.push(fetch);
      server.postMessage({ type: 'page', requestId: fetch.requestId, page: providerPage(fetch.fromPage) });
      server.postMessage({ type: 'done', requestId: fetch.requestId, lastPage: fetch.fromPage, total: 95 });
    });
    const tableClient = createTableClient((): PortLike => client);

    expect((await tableClient.requestPage(query, 2, undefined, { refresh: true })).ok).toBe(true);
    expect((await tableClient.requestPage(query, 3)).ok).toBe(true);
    expect(sent.map((message) => message.type === 'fetch' && [message.fromPage, message.refresh])).toEqual([
      [2, true],
      [3, undefined],
    ]);
  });
});
