import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import { createInflightShare } from '../../../lib/background/cache/inflight';
import { createPageCache } from '../../../lib/background/cache/page-cache';
import { createPaidFetch, type PageFetcher } from '../../../lib/background/cache/paid-fetch';
import { createLedger } from '../../../lib/background/ledger';
import { serveTablePort, type TableServerDeps } from '../../../lib/background/table-server';
import { defaultBudget } from '../../../lib/shared/budget';
import { firstTokenPage, providerCatalogue } from '../../../lib/shared/providers';
import { TABLE_PORT, type TableClientMessage, type TableServerMessage } from '../../../lib/shared/protocol';
import type { LinkRow, TableQuery } from '../../../lib/shared/reports';
import { fail, ok } from '../../../lib/shared/result';
import { lensError } from '../../../lib/shared/errors';
import { roomyAllowance } from '../fake-allowance';
import { createPortPair } from '../port-pair';

/**
 * DataForSEO backlinks past offset 20,000: each page continues from its predecessor's
 * search_after_token, so the table server asks those pages one after another, and the cache keeps
 * a token page under the token it continued from.
 */

const PAGE_SIZE = 1000;
const query: TableQuery = {
  provider: 'dataforseo',
  report: 'backlinks',
  target: 'example.com',
  scope: 'domain_with_subdomains',
  sort: { field: 'firstSeen', order: 'desc' },
  filters: [],
  pageSize: PAGE_SIZE,
};
const TOKEN_FROM = firstTokenPage(providerCatalogue.dataforseo.reports.backlinks, PAGE_SIZE)!;
const ownSender = { id: 'test-extension-id', url: 'chrome-extension://test-extension-id/sidepanel.html' };

const row = (page: number, index: number): LinkRow => ({
  urlFrom: `https://p${page}.example/${index}`,
  urlTo: 'https://example.com/',
  anchor: '',
  attribute: 'follow',
  linkType: 'anchor',
  externalLinks: 1,
  firstSeen: null,
  lastSeen: null,
  deletedAt: null,
  domainRank: 1,
});

interface Call {
  page: number;
  after: string | undefined;
  /** Pages on their way when this one was asked. */
  alongside: number[];
  answer: () => void;
}

/**
 * A provider of `total` backlinks below the paid path. A page past the offset limit must carry the
 * token of its predecessor's latest answer (each answer's token is new: `t<page>.<answer number>`).
 * Manual: each call waits until the test answers it.
 */
function tokenProvider(total: number, mode: 'auto' | 'manual' = 'auto', omitTokenAfter?: number) {
  const calls: Call[] = [];
  const onTheirWay = new Set<number>();
  const issued = new Map<number, string[]>();
  let answers = 0;
  const fetchPage: PageFetcher = (_query, page, _signal, _hook, after) =>
    new Promise((resolve) => {
      const call: Call = {
        page,
        after,
        alongside: [...onTheirWay],
        answer: () => {
          onTheirWay.delete(page);
          if (page >= TOKEN_FROM && !(after !== undefined && issued.get(page - 1)?.includes(after))) {
            resolve(fail(lensError('bad_filter', `page ${page} asked without its predecessor's token`, { provider: 'dataforseo' })));
            return;
          }
          answers += 1;
          const count = Math.max(0, Math.min(PAGE_SIZE, total - (page - 1) * PAGE_SIZE));
          const token = `t${page}.${answers}`;
          const more = page * PAGE_SIZE < total && page !== omitTokenAfter;
          if (more) issued.set(page, [...(issued.get(page) ?? []), token]);
          resolve(
            ok({
              page,
              rows: Array.from({ length: count }, (_, i) => row(page, i)),
              total,
              creditsSpent: 0,
              costUsd: 0.05,
              creditsLeft: null,
              fromCache: false,
              fetchedAt: Date.now(),
              ...(more ? { nextToken: token } : {}),
            }),
          );
        },
      };
      onTheirWay.add(page);
      calls.push(call);
      // A tick later, so pages asked together are on their way together.
      if (mode === 'auto') setTimeout(call.answer, 0);
    });
  return { calls, fetchPage, lastToken: (page: number) => issued.get(page)?.at(-1) };
}

let dbCount = 0;
/** The paid path (cache, ledger) around the provider, shared by every port, as in the worker. */
function background(provider: ReturnType<typeof tokenProvider>) {
  dbCount += 1;
  const cache = createPageCache({ dbName: `token-cache-${dbCount}`, ttlMs: () => 1e12, maxBytes: () => 1e9 });
  const ledger = createLedger({ dbName: `token-ledger-${dbCount}` });
  const paid = createPaidFetch({ cache, ledger, inflight: createInflightShare(), budget: async () => defaultBudget, fetchPage: provider.fetchPage });
  const deps: TableServerDeps = {
    fetchPage: paid,
    allowance: roomyAllowance(),
    pagesAtOnce: () => 4,
    tokenPagedFrom: (table) => firstTokenPage(providerCatalogue[table.provider].reports[table.report], table.pageSize),
  };
  return { deps, ledger };
}

/** A panel's table port (a new one stands for a restarted worker, which has lost its tokens). */
function panel(deps: TableServerDeps) {
  const { client, server } = createPortPair(TABLE_PORT, ownSender);
  serveTablePort(server, deps);
  const received: TableServerMessage[] = [];
  client.onMessage.addListener((message) => received.push(message as TableServerMessage));
  return {
    received,
    send: (message: TableClientMessage) => client.postMessage(message),
    pages: () => received.flatMap((message) => (message.type === 'page' ? [message.page.page] : [])),
    last: () => received.at(-1),
  };
}
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('paging past the offset limit (DataForSEO backlinks)', () => {
  it('Load all keeps several pages in flight up to offset 20,000 and asks each page past it alone, with the token of the page before', async () => {
    const provider = tokenProvider(25_500);
    const ui = panel(background(provider).deps);
    ui.send({ type: 'fetch', requestId: 1, query, fromPage: 1, toPage: 100 });
    await vi.waitFor(() => expect(ui.last()?.type).toBe('done'), { timeout: 10_000 });

    expect(ui.pages()).toEqual(range(1, 26));
    expect(ui.last()).toMatchObject({ lastPage: 26, total: 25_500 });
    const beforeLimit = provider.calls.filter((call) => call.page < TOKEN_FROM);
    const pastLimit = provider.calls.filter((call) => call.page >= TOKEN_FROM);
    // Below the limit, pages overlap...
    expect(Math.max(...beforeLimit.map((call) => call.alongside.length))).toBeGreaterThan(0);
    // ...past it, none is asked while another is on its way, and each carries its predecessor's token.
    expect(pastLimit.map((call) => call.page)).toEqual(range(TOKEN_FROM, 26));
    expect(pastLimit.map((call) => call.alongside)).toEqual(pastLimit.map(() => []));
    for (const call of pastLimit) expect(call.after).toBe(provider.lastToken(call.page - 1));
    expect(beforeLimit.every((call) => call.after === undefined)).toBe(true);
  });

  it('Cancel stops at once: the token page on its way finishes into the cache, nothing after it is asked', async () => {
    const provider = tokenProvider(30_000, 'manual');
    const ui = panel(background(provider).deps);
    ui.send({ type: 'fetch', requestId: 1, query, fromPage: 1, toPage: 100 });
    // Answer every page as it is asked, until the second page past the limit has been asked.
    const answered = new Set<Call>();
    await vi.waitFor(
      () => {
        for (const call of provider.calls) {
          if (call.page > TOKEN_FROM || answered.has(call)) continue;
          answered.add(call);
          call.answer();
        }
        expect(provider.calls.at(-1)?.page).toBe(TOKEN_FROM + 1);
      },
      { timeout: 10_000 },
    );
    ui.send({ type: 'cancel', requestId: 1 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    provider.calls.at(-1)!.answer();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(provider.calls.map((call) => call.page)).toEqual(range(1, TOKEN_FROM + 1));
    expect(ui.pages()).not.toContain(TOKEN_FROM + 1);
  });

  it('after a restart, continues a cached chain for free: the pages before are walked from the cache, the next one asked with the cached token', async () => {
    const provider = tokenProvider(30_000);
    const worker = background(provider);
    const first = panel(worker.deps);
    first.send({ type: 'fetch', requestId: 1, query, fromPage: 1, toPage: 24 });
    await vi.waitFor(() => expect(first.last()?.type).toBe('done'), { timeout: 10_000 });
    const paidBefore = provider.calls.length;

    // A new port knows no token: Load next from page 25.
    const second = panel(worker.deps);
    second.send({ type: 'fetch', requestId: 1, query, fromPage: 25, toPage: 25 });
    await vi.waitFor(() => expect(second.last()?.type).toBe('done'), { timeout: 10_000 });
    // Page 24 came from the cache with its token; only page 25 was asked for, and paid.
    expect(provider.calls.slice(paidBefore).map((call) => [call.page, call.after])).toEqual([[25, provider.lastToken(24)]]);
    expect(second.pages()).toEqual([25]);
    const [day] = await worker.ledger.daily(1);
    expect(day).toMatchObject({ requests: 25 });
  });

  it('never serves a cached token page after its predecessor was fetched again: the new token is another page', async () => {
    const provider = tokenProvider(30_000);
    const worker = background(provider);
    const ui = panel(worker.deps);
    ui.send({ type: 'fetch', requestId: 1, query, fromPage: 1, toPage: TOKEN_FROM + 1 });
    await vi.waitFor(() => expect(ui.last()?.type).toBe('done'), { timeout: 10_000 });
    const oldToken = provider.lastToken(TOKEN_FROM - 1);

    // Refresh the last offset page: a new answer, a new token.
    ui.send({ type: 'fetch', requestId: 2, query, fromPage: TOKEN_FROM - 1, toPage: TOKEN_FROM - 1, refresh: true });
    await vi.waitFor(() => expect(ui.last()).toMatchObject({ type: 'done', requestId: 2 }), { timeout: 10_000 });
    const newToken = provider.lastToken(TOKEN_FROM - 1);
    expect(newToken).not.toBe(oldToken);

    const before = provider.calls.length;
    ui.send({ type: 'fetch', requestId: 3, query, fromPage: TOKEN_FROM, toPage: TOKEN_FROM + 1 });
    await vi.waitFor(() => expect(ui.last()).toMatchObject({ type: 'done', requestId: 3 }), { timeout: 10_000 });
    // The page kept under the old token is not this chain's: both pages are asked again, in order.
    expect(provider.calls.slice(before).map((call) => [call.page, call.after])).toEqual([
      [TOKEN_FROM, newToken],
      [TOKEN_FROM + 1, provider.lastToken(TOKEN_FROM)],
    ]);
    const fromCache = ui.received.flatMap((message) => (message.type === 'page' && message.requestId === 3 ? [message.page.fromCache] : []));
    expect(fromCache).toEqual([false, false]);
  });

  it('says so when a page past the limit has no token to continue from, and asks nothing more', async () => {
    const provider = tokenProvider(30_000, 'auto', TOKEN_FROM);
    const ui = panel(background(provider).deps);
    ui.send({ type: 'fetch', requestId: 1, query, fromPage: 1, toPage: 100 });
    await vi.waitFor(() => expect(ui.last()?.type).toBe('error'), { timeout: 10_000 });
    expect(ui.last()).toMatchObject({ type: 'error', page: TOKEN_FROM + 1, error: { code: 'bad_answer' } });
    expect(Math.max(...provider.calls.map((call) => call.page))).toBe(TOKEN_FROM);
  });
});
