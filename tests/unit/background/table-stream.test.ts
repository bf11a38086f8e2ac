import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { defaultBudget } from '../../../lib/shared/budget';
import { createLookupAllowance, sessionSpendStore, type LookupSpendStore } from '../../../lib/background/lookup-allowance';
import { createProviderClient } from '../../../lib/background/provider-client';
import { createRequestQueue } from '../../../lib/background/queue';
import { acceptTablePort, serveTablePort, type TableServerDeps } from '../../../lib/background/table-server';
import { lensError } from '../../../lib/shared/errors';
import { type PortLike } from '../../../lib/shared/port';
import { createTableClient } from '../../../lib/ui/messaging/table-client';
import { TABLE_PORT, type TableClientMessage, type TableServerMessage } from '../../../lib/shared/protocol';
import type { ProviderAdapter } from '../../../lib/background/providers/types';
import type { OutDomainRow, TablePage, TableQuery, ProviderPage } from '../../../lib/shared/reports';
import { fail, ok, type Result } from '../../../lib/shared/result';
import { allowanceWith, roomyAllowance } from '../fake-allowance';
import { createPortPair } from '../port-pair';

const PAGE_SIZE = 10;
const query: TableQuery = {
  provider: 'serpstat',
  report: 'outDomains',
  target: 'example.com',
  scope: 'domain_with_subdomains',
  filters: [],
  pageSize: PAGE_SIZE,
};
const ownSender = { id: 'test-extension-id', url: 'chrome-extension://test-extension-id/sidepanel.html' };

afterEach(() => vi.useRealTimers());

/** Lets queued microtasks and zero-delay work run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function rowsOf(page: number, count: number): OutDomainRow[] {
  return Array.from({ length: count }, (_, i) => ({ domain: `p${page}-r${i}.com`, rank: 1, links: 1 }));
}

interface AdapterCall {
  page: number;
  answer: (result: Result<ProviderPage>) => void;
}

/**
 * A fake provider with `total` rows. Automatic: answers every page at once. Manual: each call
 * waits in `calls` until the test answers it (a sent request is never aborted by its asker).
 */
function fakeProvider(total: number, mode: 'auto' | 'manual' = 'auto') {
  const calls: AdapterCall[] = [];
  const pageAnswer = (page: number): ProviderPage => ({
    rows: rowsOf(page, Math.max(0, Math.min(PAGE_SIZE, total - (page - 1) * PAGE_SIZE))),
    total,
    creditsSpent: PAGE_SIZE,
    costUsd: 0,
    creditsLeft: 1000,
  });
  const adapter: ProviderAdapter = {
    id: 'serpstat',
    fetchPage: (_query: TableQuery, page: number) =>
      new Promise((resolve) => {
        calls.push({ page, answer: resolve });
        if (mode === 'auto') resolve(ok(pageAnswer(page)));
      }),
    fetchSummary: async () => fail(lensError('internal', 'not used')),
    testConnection: async () => fail(lensError('internal', 'not used')),
  };
  const client = createProviderClient({
    adapters: { serpstat: adapter, dataforseo: adapter },
    getCredentials: async (provider) => (provider === 'serpstat' ? { provider, token: 'token' } : null),
    baseUrls: { serpstat: 'http://127.0.0.1:1/v4', dataforseo: 'http://127.0.0.1:1' },
    fetch: () => Promise.reject(new Error('no network in tests')),
    queues: {
      serpstat: createRequestQueue({ minIntervalMs: 0, maxConcurrent: 1 }),
      dataforseo: createRequestQueue({ minIntervalMs: 0, maxConcurrent: 1 }),
    },
  });
  // The stream's lane goes to the provider client, as the paid fetch passes it on.
  const deps: TableServerDeps = {
    fetchPage: (query, page, signal, options) => client.fetchPage(query, page, signal, undefined, options?.after, options?.lane),
    allowance: roomyAllowance(),
  };
  return { calls, deps, pageAnswer, pagesAsked: () => calls.map((call) => call.page) };
}

/** A UI end talking to a served background end. */
function connectedClientPort(deps: TableServerDeps) {
  const { client, server } = createPortPair(TABLE_PORT, ownSender);
  serveTablePort(server, deps);
  const received: TableServerMessage[] = [];
  client.onMessage.addListener((message) => received.push(message as TableServerMessage));
  return { port: client, received, send: (message: TableClientMessage | unknown) => client.postMessage(message) };
}

/** The provider behind a table server that keeps the signal each page was asked with. */
function signalsKept(provider: ReturnType<typeof fakeProvider>) {
  const signals = new Map<number, AbortSignal>();
  const deps: TableServerDeps = {
    ...provider.deps,
    fetchPage: (q, page, signal, options) => {
      signals.set(page, signal);
      return provider.deps.fetchPage(q, page, signal, options);
    },
  };
  return { deps, signals };
}

describe('serveTablePort', () => {
  it('streams the pages in order and says done at the last page of the table', async () => {
    const provider = fakeProvider(25);
    const ui = connectedClientPort(provider.deps);
    ui.send({ type: 'fetch', requestId: 1, query, fromPage: 1, toPage: 10 });
    await vi.waitFor(() => expect(ui.received.at(-1)?.type).toBe('done'));
    expect(ui.received.map((m) => (m.type === 'page' ? `page ${m.page.page}` : m.type))).toEqual(['page 1', 'page 2', 'page 3', 'done']);
    expect(ui.received.at(-1)).toEqual({ type: 'done', requestId: 1, lastPage: 3, total: 25 });
    expect(provider.pagesAsked()).toEqual([1, 2, 3]);
    const first = ui.received[0];
    expect(first?.type === 'page' && first.page).toMatchObject({ page: 1, total: 25, fromCache: false, rows: rowsOf(1, 10) });
  });

  it('stops at the requested page when the table goes on', async () => {
    const provider = fakeProvider(1000);
    const ui = connectedClientPort(provider.deps);
    ui.send({ type: 'fetch', requestId: 4, query, fromPage: 3, toPage: 4 });
    await vi.waitFor(() => expect(ui.received.at(-1)).toEqual({ type: 'done', requestId: 4, lastPage: 4, total: 1000 }));
    expect(provider.pagesAsked()).toEqual([3, 4]);
  });

  it('stops at the total even when the last page is full', async () => {
    const provider = fakeProvider(20);
    const ui = connectedClientPort(provider.deps);
    ui.send({ type: 'fetch', requestId: 1, query, fromPage: 1, toPage: 5 });
    await vi.waitFor(() => expect(ui.received.at(-1)).toEqual({ type: 'done', requestId: 1, lastPage: 2, total: 20 }));
    expect(provider.pagesAsked()).toEqual([1, 2]);
  });

  it('reports an error for the page that failed and drops the page asked ahead', async () => {
    const provider = fakeProvider(100, 'manual');
    const kept = signalsKept(provider);
    const ui = connectedClientPort(kept.deps);
    ui.send({ type: 'fetch', requestId: 2, query, fromPage: 1, toPage: 5 });
    await vi.waitFor(() => expect(provider.calls).toHaveLength(1));
    provider.calls[0]?.answer(ok(provider.pageAnswer(1)));
    // Pages 3 to 5 are asked ahead while page 2 is on its way: two on their way, two more ready.
    await vi.waitFor(() => expect([...kept.signals.keys()]).toEqual([1, 2, 3, 4, 5]));
    await vi.waitFor(() => expect(provider.calls).toHaveLength(2));
    const noCredits = lensError('no_credits', 'Out of credits.', { provider: 'serpstat' });
    provider.calls[1]?.answer(fail(noCredits));
    await vi.waitFor(() => expect(ui.received.at(-1)).toEqual({ type: 'error', requestId: 2, page: 2, error: noCredits }));
    // Dropped: still waiting in the lane or the queue, it is never sent; already sent, it would answer into the cache.
    expect([3, 4, 5].map((page) => kept.signals.get(page)?.aborted)).toEqual([true, true, true]);
    provider.calls[2]?.answer(ok(provider.pageAnswer(3)));
    await settle();
    // Page 4 was next in the lane when page 2 failed: it is not sent in page 2's place.
    expect(provider.pagesAsked()).toEqual([1, 2, 3]);
    expect(ui.received.at(-1)).toEqual({ type: 'error', requestId: 2, page: 2, error: noCredits });
  });

  it('drops the page asked ahead when the page on its way turns out to be the last', async () => {
    const provider = fakeProvider(100, 'manual');
    const kept = signalsKept(provider);
    const ui = connectedClientPort(kept.deps);
    ui.send({ type: 'fetch', requestId: 1, query, fromPage: 1, toPage: 10 });
    await vi.waitFor(() => expect(provider.calls).toHaveLength(1));
    provider.calls[0]?.answer(ok(provider.pageAnswer(1)));
    await vi.waitFor(() => expect([...kept.signals.keys()]).toEqual([1, 2, 3, 4, 5]));
    await vi.waitFor(() => expect(provider.calls).toHaveLength(2));
    // The total shrank: page 2 is the last one.
    provider.calls[1]?.answer(ok({ ...provider.pageAnswer(2), total: 20 }));
    await vi.waitFor(() => expect(ui.received.at(-1)).toEqual({ type: 'done', requestId: 1, lastPage: 2, total: 20 }));
    expect([3, 4, 5].map((page) => kept.signals.get(page)?.aborted)).toEqual([true, true, true]);
    provider.calls[2]?.answer(ok(provider.pageAnswer(3)));
    await settle();
    // Page 4 waited in the lane: the end of the table is not followed by another paid page.
    expect(provider.pagesAsked()).toEqual([1, 2, 3]);
  });

  it('asks for the next page while the current one is on its way, once the total is known', async () => {
    const provider = fakeProvider(100, 'manual');
    /** Pages the table server asked for (the queue then holds them until a slot is free). */
    const asked: number[] = [];
    const ui = connectedClientPort({
      allowance: roomyAllowance(),
      fetchPage: (q, page, signal, options) => {
        asked.push(page);
        return provider.deps.fetchPage(q, page, signal, options);
      },
    });
    ui.send({ type: 'fetch', requestId: 3, query, fromPage: 1, toPage: 3 });
    await vi.waitFor(() => expect(provider.calls).toHaveLength(1));
    // The total is unknown until page 1 answers: nothing is asked ahead of it.
    await settle();
    expect(asked).toEqual([1]);
    provider.calls[0]?.answer(ok(provider.pageAnswer(1)));
    await vi.waitFor(() => expect(provider.calls).toHaveLength(2));
    await vi.waitFor(() => expect(asked).toEqual([1, 2, 3]));
    provider.calls[1]?.answer(ok(provider.pageAnswer(2)));
    // Page 3 waited in the queue behind page 2 and starts as soon as page 2 is answered.
    await vi.waitFor(() => expect(provider.calls).toHaveLength(3));
    provider.calls[2]?.answer(ok(provider.pageAnswer(3)));
    await vi.waitFor(() => expect(ui.received.at(-1)).toEqual({ type: 'done', requestId: 3, lastPage: 3, total: 100 }));
    // Never past the range asked for.
    await settle();
    expect(provider.pagesAsked()).toEqual([1, 2, 3]);
  });

  it('lets the request in flight finish when the UI disconnects, and asks for nothing more', async () => {
    const provider = fakeProvider(100, 'manual');
    const ui = connectedClientPort(provider.deps);
    ui.send({ type: 'fetch', requestId: 1, query, fromPage: 1, toPage: 10 });
    await vi.waitFor(() => expect(provider.calls).toHaveLength(1));
    ui.port.disconnect();
    provider.calls[0]?.answer(ok(provider.pageAnswer(1)));
    await settle();
    expect(provider.calls).toHaveLength(1);
    expect(ui.received).toEqual([]);
  });

  it('stops on cancel: the page on its way is not sent and no further page is asked', async () => {
    const provider = fakeProvider(100, 'manual');
    const ui = connectedClientPort(provider.deps);
    ui.send({ type: 'fetch', requestId: 7, query, fromPage: 1, toPage: 10 });
    await vi.waitFor(() => expect(provider.calls).toHaveLength(1));
    ui.send({ type: 'cancel', requestId: 7 });
    await settle();
    provider.calls[0]?.answer(ok(provider.pageAnswer(1)));
    await settle();
    expect(provider.calls).toHaveLength(1);
    expect(ui.received).toEqual([]);
  });

  it('ignores a cancel for another request', async () => {
    const provider = fakeProvider(100, 'manual');
    const ui = connectedClientPort(provider.deps);
    ui.send({ type: 'fetch', requestId: 7, query, fromPage: 1, toPage: 1 });
    await vi.waitFor(() => expect(provider.calls).toHaveLength(1));
    ui.send({ type: 'cancel', requestId: 6 });
    await settle();
    provider.calls[0]?.answer(ok(provider.pageAnswer(1)));
    await vi.waitFor(() => expect(ui.received.at(-1)).toEqual({ type: 'done', requestId: 7, lastPage: 1, total: 100 }));
  });

  it('drops the running job when a new fetch arrives on the same port', async () => {
    const provider = fakeProvider(100, 'manual');
    const ui = connectedClientPort(provider.deps);
    ui.send({ type: 'fetch', requestId: 1, query, fromPage: 1, toPage: 10 });
    await vi.waitFor(() => expect(provider.calls).toHaveLength(1));
    ui.send({ type: 'fetch', requestId: 2, query: { ...query, sort: { field: 'rank', order: 'asc' } }, fromPage: 1, toPage: 1 });
    // The dropped job's request was sent: it finishes (and frees the queue), but its page is not delivered.
    provider.calls[0]?.answer(ok(provider.pageAnswer(1)));
    await vi.waitFor(() => expect(provider.calls).toHaveLength(2));
    provider.calls[1]?.answer(ok(provider.pageAnswer(1)));
    await vi.waitFor(() => expect(ui.received.at(-1)?.type).toBe('done'));
    expect(ui.received.every((message) => message.requestId === 2)).toBe(true);
  });

  it('answers a malformed message with an error and keeps serving', async () => {
    const provider = fakeProvider(5);
    const ui = connectedClientPort(provider.deps);
    ui.send({ type: 'fetch', requestId: 3, query: { ...query, pageSize: 'all' }, fromPage: 1, toPage: 1 });
    ui.send('garbage');
    ui.send(null);
    await vi.waitFor(() => expect(ui.received).toHaveLength(3));
    expect(ui.received.map((m) => [m.type, m.requestId])).toEqual([
      ['error', 3],
      ['error', 0],
      ['error', 0],
    ]);
    expect(provider.calls).toHaveLength(0);
    ui.send({ type: 'fetch', requestId: 4, query, fromPage: 1, toPage: 1 });
    await vi.waitFor(() => expect(ui.received.at(-1)).toEqual({ type: 'done', requestId: 4, lastPage: 1, total: 5 }));
  });

  it('turns a fetch that throws into an error message', async () => {
    const ui = connectedClientPort({ fetchPage: () => Promise.reject(new Error('bug')), allowance: roomyAllowance() });
    ui.send({ type: 'fetch', requestId: 1, query, fromPage: 1, toPage: 2 });
    await vi.waitFor(() => expect(ui.received).toMatchObject([{ type: 'error', requestId: 1, page: 1, error: { code: 'internal' } }]));
  });
});

describe('acceptTablePort', () => {
  async function connect(name: string, sender: PortLike['sender']) {
    const { client, server } = createPortPair(name, sender);
    const disconnected = vi.fn();
    client.onDisconnect.addListener(disconnected);
    const fetchPage = vi.fn(async () => fail<TablePage>(lensError('internal', 'unused')));
    const accepted = acceptTablePort(server, { fetchPage, allowance: roomyAllowance() });
    try {
      client.postMessage({ type: 'fetch', requestId: 1, query, fromPage: 1, toPage: 1 });
    } catch {
      // A refused port is already disconnected: posting on it throws, as in the browser.
    }
    await settle();
    return { accepted, disconnected, fetchPage };
  }

  it('serves a table port from our own page', async () => {
    const { accepted, disconnected, fetchPage } = await connect(TABLE_PORT, ownSender);
    expect(accepted).toBe(true);
    expect(disconnected).not.toHaveBeenCalled();
    expect(fetchPage).toHaveBeenCalledTimes(1);
  });

  it('disconnects a port with an unknown name', async () => {
    const { accepted, disconnected, fetchPage } = await connect('other', ownSender);
    expect(accepted).toBe(false);
    expect(disconnected).toHaveBeenCalled();
    expect(fetchPage).not.toHaveBeenCalled();
  });

  it.each([
    ['another extension', { id: 'other-extension', url: 'chrome-extension://other-extension/x.html' }],
    ['a web page', { id: 'test-extension-id', url: 'https://evil.example/', tab: { url: 'https://evil.example/' } }],
    ['no sender', undefined],
  ])('refuses %s', async (_name, sender) => {
    const { accepted, disconnected, fetchPage } = await connect(TABLE_PORT, sender);
    expect(accepted).toBe(false);
    expect(disconnected).toHaveBeenCalled();
    expect(fetchPage).not.toHaveBeenCalled();
  });
});

/** A background that can be stopped: each connect opens a port served like a fresh worker would. */
function fakeWorker(deps: TableServerDeps) {
  const servers: PortLike[] = [];
  const sent: TableClientMessage[] = [];
  /** Per worker: aborted when it stops, so nothing still waiting in its queue ever starts. */
  const lives: AbortController[] = [];
  const connect = vi.fn((): PortLike => {
    const { client, server } = createPortPair(TABLE_PORT, ownSender);
    server.onMessage.addListener((message) => sent.push(message as TableClientMessage));
    const life = new AbortController();
    serveTablePort(server, {
      ...deps,
      fetchPage: (query, page, signal, options) => deps.fetchPage(query, page, AbortSignal.any([signal, life.signal]), options),
    });
    servers.push(server);
    lives.push(life);
    return client;
  });
  // Chrome stopping the worker: its work ends (a request already sent still answers, late) and the UI's port disconnects.
  const stop = () => {
    lives.at(-1)?.abort();
    servers.at(-1)?.disconnect();
  };
  return { connect, stop, sent };
}

describe('createTableClient', () => {
  it('gets one page', async () => {
    const provider = fakeProvider(25);
    const worker = fakeWorker(provider.deps);
    const client = createTableClient(worker.connect);
    const result = await client.requestPage(query, 2);
    expect(result).toMatchObject({ ok: true, data: { page: 2, total: 25, rows: rowsOf(2, 10) } });
    expect(await client.requestPage(query, 3)).toMatchObject({ ok: true, data: { page: 3, rows: rowsOf(3, 5) } });
    expect(worker.connect).toHaveBeenCalledTimes(1);
    expect(worker.sent.map((m) => m.requestId)).toEqual([1, 2]);
  });

  it('streams a range in order and resolves at done', async () => {
    const provider = fakeProvider(42);
    const client = createTableClient(fakeWorker(provider.deps).connect);
    const pages: number[] = [];
    const result = await client.requestPages(query, 1, 100, (page) => pages.push(page.page));
    expect(result).toEqual(ok({ lastPage: 5, total: 42 }));
    expect(pages).toEqual([1, 2, 3, 4, 5]);
  });

  it('reconnects after the worker stops and resumes from the next page, without losing or repeating one', async () => {
    const provider = fakeProvider(50, 'manual');
    const worker = fakeWorker(provider.deps);
    const client = createTableClient(worker.connect);
    const pages: TablePage[] = [];
    const done = client.requestPages(query, 1, 5, (page) => pages.push(page));
    for (const page of [1, 2]) {
      await vi.waitFor(() => expect(provider.calls).toHaveLength(page));
      provider.calls[page - 1]?.answer(ok(provider.pageAnswer(page)));
    }
    await vi.waitFor(() => expect(provider.calls).toHaveLength(3));
    worker.stop();
    // The stopped worker's page 3 answers late: it must not reach the UI.
    provider.calls[2]?.answer(ok(provider.pageAnswer(3)));
    // The new worker's calls follow the three made by the stopped one.
    for (const page of [3, 4, 5]) {
      await vi.waitFor(() => expect(provider.calls).toHaveLength(page + 1));
      provider.calls[page]?.answer(ok(provider.pageAnswer(page)));
    }
    expect(await done).toEqual(ok({ lastPage: 5, total: 50 }));
    expect(pages.map((page) => page.page)).toEqual([1, 2, 3, 4, 5]);
    expect(worker.connect).toHaveBeenCalledTimes(2);
    const fetches = worker.sent.filter((m) => m.type === 'fetch');
    expect(fetches.map((m) => m.type === 'fetch' && [m.requestId, m.fromPage, m.toPage])).toEqual([
      [1, 1, 5],
      [2, 3, 5],
    ]);
  });

  it('finishes without asking again when only the done message was lost', async () => {
    const connect = vi.fn((): PortLike => {
      const { client, server } = createPortPair(TABLE_PORT, ownSender);
      server.onMessage.addListener((raw) => {
        const message = raw as TableClientMessage;
        const page: TablePage = { page: 1, rows: rowsOf(1, 5), total: 5, creditsSpent: 5, costUsd: 0, creditsLeft: 1, fromCache: false, fetchedAt: 1 };
        server.postMessage({ type: 'page', requestId: message.requestId, page } satisfies TableServerMessage);
        server.disconnect();
      });
      return client;
    });
    const client = createTableClient(connect);
    expect(await client.requestPage(query, 1)).toMatchObject({ ok: true, data: { page: 1, total: 5 } });
    expect(connect).toHaveBeenCalledTimes(1);
  });

  it('ignores answers for an older request and pages it did not ask for next', async () => {
    const connect = (): PortLike => {
      const { client, server } = createPortPair(TABLE_PORT, ownSender);
      server.onMessage.addListener((raw) => {
        const message = raw as Extract<TableClientMessage, { type: 'fetch' }>;
        const page = (n: number): TablePage => ({ page: n, rows: rowsOf(n, 10), total: 100, creditsSpent: 0, costUsd: 0, creditsLeft: null, fromCache: true, fetchedAt: 1 });
        server.postMessage({ type: 'page', requestId: message.requestId - 1, page: page(1) });
        server.postMessage({ type: 'page', requestId: message.requestId, page: page(2) });
        server.postMessage({ type: 'page', requestId: message.requestId, page: page(1) });
        server.postMessage({ type: 'page', requestId: message.requestId, page: page(1) });
        server.postMessage({ type: 'page', requestId: message.requestId, page: { nonsense: true } });
        server.postMessage({ type: 'done', requestId: message.requestId, lastPage: 1, total: 100 });
      });
      return client;
    };
    const pages: number[] = [];
    const result = await createTableClient(connect).requestPages(query, 1, 1, (page) => pages.push(page.page));
    expect(result).toEqual(ok({ lastPage: 1, total: 100 }));
    expect(pages).toEqual([1]);
  });

  it('sends cancel on abort, resolves cancelled, and asks the provider for nothing more', async () => {
    const provider = fakeProvider(100, 'manual');
    const worker = fakeWorker(provider.deps);
    const client = createTableClient(worker.connect);
    const controller = new AbortController();
    const onPage = vi.fn();
    const done = client.requestPages(query, 1, 10, onPage, controller.signal);
    await vi.waitFor(() => expect(provider.calls).toHaveLength(1));
    controller.abort();
    expect(await done).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    expect(worker.sent.at(-1)).toEqual({ type: 'cancel', requestId: 1 });
    await settle();
    provider.calls[0]?.answer(ok(provider.pageAnswer(1)));
    await settle();
    expect(provider.calls).toHaveLength(1);
    expect(onPage).not.toHaveBeenCalled();
  });

  it('replaces an older request with a newer one on the same table', async () => {
    const provider = fakeProvider(100, 'manual');
    const client = createTableClient(fakeWorker(provider.deps).connect);
    const older = client.requestPage(query, 1);
    await vi.waitFor(() => expect(provider.calls).toHaveLength(1));
    const newer = client.requestPage(query, 2);
    expect(await older).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    provider.calls[0]?.answer(ok(provider.pageAnswer(1)));
    await vi.waitFor(() => expect(provider.calls).toHaveLength(2));
    provider.calls[1]?.answer(ok(provider.pageAnswer(2)));
    expect(await newer).toMatchObject({ ok: true, data: { page: 2 } });
  });

  it('passes a provider error through', async () => {
    const provider = fakeProvider(100, 'manual');
    const client = createTableClient(fakeWorker(provider.deps).connect);
    const result = client.requestPage(query, 1);
    await vi.waitFor(() => expect(provider.calls).toHaveLength(1));
    provider.calls[0]?.answer(fail(lensError('bad_key', 'Rejected.', { provider: 'serpstat' })));
    expect(await result).toEqual(fail(lensError('bad_key', 'Rejected.', { provider: 'serpstat' })));
  });

  it('stops the background job when the table is closed', async () => {
    const provider = fakeProvider(100, 'manual');
    const client = createTableClient(fakeWorker(provider.deps).connect);
    const result = client.requestPages(query, 1, 10, () => undefined);
    await vi.waitFor(() => expect(provider.calls).toHaveLength(1));
    client.close();
    expect(await result).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    provider.calls[0]?.answer(ok(provider.pageAnswer(1)));
    await settle();
    expect(provider.calls).toHaveLength(1);
    expect(await client.requestPage(query, 1)).toMatchObject({ ok: false, error: { code: 'cancelled' } });
  });

  it('retries a connection that cannot be opened', async () => {
    const provider = fakeProvider(5);
    const worker = fakeWorker(provider.deps);
    let attempts = 0;
    const connect = () => {
      attempts += 1;
      if (attempts === 1) throw new Error('Extension context invalidated.');
      return worker.connect();
    };
    expect(await createTableClient(connect).requestPage(query, 1)).toMatchObject({ ok: true, data: { page: 1 } });
    expect(attempts).toBe(2);
  });

  it('gives up after 5 reconnects without progress', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const connect = vi.fn((): PortLike => {
      const { client, server } = createPortPair(TABLE_PORT, ownSender);
      server.onMessage.addListener(() => server.disconnect());
      return client;
    });
    const result = createTableClient(connect).requestPage(query, 1);
    await vi.runAllTimersAsync();
    expect(await result).toMatchObject({ ok: false, error: { code: 'internal', retryable: true } });
    expect(connect).toHaveBeenCalledTimes(6);
  });
});

/** A provider answering at once: `total` rows, 10 credits (Serpstat) or $0.0203 (DataForSEO) a page, or free from the cache. */
function pricedFetch(total: number, cachedPages: number[] = []) {
  const asked: { provider: string; page: number }[] = [];
  const fetchPage: TableServerDeps['fetchPage'] = async (q, page) => {
    const fromCache = cachedPages.includes(page);
    if (!fromCache) asked.push({ provider: q.provider, page });
    const rows = rowsOf(page, Math.max(0, Math.min(PAGE_SIZE, total - (page - 1) * PAGE_SIZE)));
    const paid = !fromCache;
    return ok({
      page,
      rows,
      total,
      creditsSpent: paid && q.provider === 'serpstat' ? PAGE_SIZE : 0,
      costUsd: paid && q.provider === 'dataforseo' ? 0.0203 : 0,
      creditsLeft: null,
      fromCache,
      fetchedAt: 1,
    });
  };
  return { fetchPage, asked, pagesAsked: (provider = 'serpstat') => asked.filter((a) => a.provider === provider).map((a) => a.page) };
}

/** Sends one fetch and waits for the message that ends it (done, error or needsConsent). */
async function fetchUntilEnd(ui: ReturnType<typeof connectedClientPort>, message: Extract<TableClientMessage, { type: 'fetch' }>) {
  const from = ui.received.length;
  ui.send(message);
  await vi.waitFor(() => expect(ui.received.slice(from).some((m) => m.requestId === message.requestId && m.type !== 'page')).toBe(true));
  await settle();
  return ui.received.slice(from);
}
const kinds = (messages: TableServerMessage[]) => messages.map((m) => (m.type === 'page' ? `page ${m.page.page}` : m.type));

describe('the per-lookup limit, kept by the background', () => {
  beforeEach(() => fakeBrowser.reset());

  it('stops before the page that would pass the limit, sends nothing for it, and says what it costs', async () => {
    const provider = pricedFetch(100);
    const ui = connectedClientPort({ fetchPage: provider.fetchPage, allowance: allowanceWith({ perLookupCredits: 15 }) });
    const answers = await fetchUntilEnd(ui, { type: 'fetch', requestId: 1, query, fromPage: 1, toPage: 10 });
    expect(kinds(answers)).toEqual(['page 1', 'needsConsent']);
    expect(answers.at(-1)).toEqual({ type: 'needsConsent', requestId: 1, provider: 'serpstat', page: 2, nextCost: 10, spent: 10, limit: 15 });
    expect(provider.pagesAsked()).toEqual([1]);
  });

  it('"continue" allows one more limit\'s worth from what was spent, and nothing is asked ahead past it', async () => {
    const provider = pricedFetch(100);
    const ui = connectedClientPort({ fetchPage: provider.fetchPage, allowance: allowanceWith({ perLookupCredits: 15 }) });
    await fetchUntilEnd(ui, { type: 'fetch', requestId: 1, query, fromPage: 1, toPage: 1 });
    // Asked again without the user's answer: still held back.
    expect(kinds(await fetchUntilEnd(ui, { type: 'fetch', requestId: 2, query, fromPage: 2, toPage: 10 }))).toEqual(['needsConsent']);
    const answers = await fetchUntilEnd(ui, { type: 'fetch', requestId: 3, query, fromPage: 2, toPage: 10, consent: 'continue' });
    // 10 spent + a limit of 15: page 2 (20) fits, page 3 (30) does not.
    expect(kinds(answers)).toEqual(['page 2', 'needsConsent']);
    expect(answers.at(-1)).toMatchObject({ page: 3, spent: 20, limit: 15 });
    expect(provider.pagesAsked()).toEqual([1, 2]);
  });

  it('holds a first page above the limit until the user says yes, then sends that page only', async () => {
    const provider = pricedFetch(100);
    const ui = connectedClientPort({ fetchPage: provider.fetchPage, allowance: allowanceWith({ perLookupCredits: 5 }) });
    const held = await fetchUntilEnd(ui, { type: 'fetch', requestId: 1, query, fromPage: 1, toPage: 1 });
    expect(held).toEqual([{ type: 'needsConsent', requestId: 1, provider: 'serpstat', page: 1, nextCost: 10, spent: 0, limit: 5 }]);
    expect(provider.pagesAsked()).toEqual([]);
    const answers = await fetchUntilEnd(ui, { type: 'fetch', requestId: 2, query, fromPage: 1, toPage: 5, consent: 'continue' });
    expect(kinds(answers)).toEqual(['page 1', 'needsConsent']);
    expect(provider.pagesAsked()).toEqual([1]);
  });

  it('remembers what a lookup spent across a worker restart (storage.session)', async () => {
    const provider = pricedFetch(100);
    const before = connectedClientPort({ fetchPage: provider.fetchPage, allowance: allowanceWith({ perLookupCredits: 15 }) });
    await fetchUntilEnd(before, { type: 'fetch', requestId: 1, query, fromPage: 1, toPage: 1 });
    // A new worker: a new allowance and a new port; the client resumes from the next missing page.
    const after = connectedClientPort({ fetchPage: provider.fetchPage, allowance: allowanceWith({ perLookupCredits: 15 }) });
    expect(await fetchUntilEnd(after, { type: 'fetch', requestId: 1, query, fromPage: 2, toPage: 10 })).toEqual([
      { type: 'needsConsent', requestId: 1, provider: 'serpstat', page: 2, nextCost: 10, spent: 10, limit: 15 },
    ]);
    expect(provider.pagesAsked()).toEqual([1]);
  });

  it('reads what lookups spent once per worker start, then only writes each change', async () => {
    let reads = 0;
    const written: Record<string, { spent: number }>[] = [];
    const store: LookupSpendStore = {
      read: async () => (reads++, sessionSpendStore.read()),
      write: async (spends) => {
        written.push(spends);
        await sessionSpendStore.write(spends);
      },
    };
    const provider = pricedFetch(100);
    const allowance = createLookupAllowance({ budget: async () => ({ ...defaultBudget, perLookupCredits: 1e9 }), store });
    const ui = connectedClientPort({ fetchPage: provider.fetchPage, allowance });
    expect(kinds(await fetchUntilEnd(ui, { type: 'fetch', requestId: 1, query, fromPage: 1, toPage: 5 }))).toEqual(['page 1', 'page 2', 'page 3', 'page 4', 'page 5', 'done']);
    expect(reads).toBe(1);
    expect(Object.values(written.at(-1)!)[0]).toMatchObject({ spent: 50 });
    // What a new worker reads is what this one wrote last.
    expect(Object.values(await sessionSpendStore.read())[0]).toMatchObject({ spent: 50 });
  });

  it('hands a page on once its spend is stored, and the spends of pages answering during a write share the next one', async () => {
    const written: Record<string, { spent: number }>[] = [];
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    // Write 1: the lookup begins; write 2: page 1's spend; write 3, held: page 2's.
    const store: LookupSpendStore = {
      read: () => sessionSpendStore.read(),
      write: async (spends) => {
        written.push(spends);
        if (written.length === 3) await held;
        await sessionSpendStore.write(spends);
      },
    };
    const provider = pricedFetch(100);
    const allowance = createLookupAllowance({ budget: async () => ({ ...defaultBudget, perLookupCredits: 1e9 }), store });
    const ui = connectedClientPort({ fetchPage: provider.fetchPage, allowance });
    const answers = fetchUntilEnd(ui, { type: 'fetch', requestId: 1, query, fromPage: 1, toPage: 5 });
    await vi.waitFor(() => expect(provider.pagesAsked()).toEqual([1, 2, 3, 4, 5]));
    // Pages 3–5 answered while page 2's write was held: none is handed on before its spend is stored.
    expect(kinds(ui.received)).toEqual(['page 1']);
    expect(written).toHaveLength(3);
    release();
    expect(kinds(await answers)).toEqual(['page 1', 'page 2', 'page 3', 'page 4', 'page 5', 'done']);
    // Their three spends went out in one write.
    expect(written).toHaveLength(4);
    expect(Object.values(written.at(-1)!)[0]).toMatchObject({ spent: 50 });
    expect(Object.values(await sessionSpendStore.read())[0]).toMatchObject({ spent: 50 });
  });

  it('"loadAll" allows the Load-all estimate from the total the background last saw, and no more', async () => {
    const provider = pricedFetch(50);
    const ui = connectedClientPort({ fetchPage: provider.fetchPage, allowance: allowanceWith({ perLookupCredits: 15 }) });
    await fetchUntilEnd(ui, { type: 'fetch', requestId: 1, query, fromPage: 1, toPage: 1 });
    const answers = await fetchUntilEnd(ui, { type: 'fetch', requestId: 2, query, fromPage: 2, toPage: 5, consent: 'loadAll' });
    expect(kinds(answers)).toEqual(['page 2', 'page 3', 'page 4', 'page 5', 'done']);
    expect(provider.pagesAsked()).toEqual([1, 2, 3, 4, 5]);
  });

  it('makes the Load-all plan its dialog shows from the total it last saw, with the user\'s limit', async () => {
    const provider = pricedFetch(50);
    const allowance = allowanceWith({ perLookupCredits: 15 });
    expect(await allowance.planLoadAll(query, 1)).toBeNull();
    const ui = connectedClientPort({ fetchPage: provider.fetchPage, allowance });
    await fetchUntilEnd(ui, { type: 'fetch', requestId: 1, query, fromPage: 1, toPage: 1 });
    expect(await allowance.planLoadAll(query, 1)).toMatchObject({
      fromPage: 2,
      toPage: 5,
      estimate: { requests: 4, rows: 40, credits: 40 },
      limit: 15,
      overPerLookupLimit: true,
    });
  });

  it('counts a page from the cache as free and never holds a cached page back', async () => {
    const provider = pricedFetch(100, [2, 3]);
    const allowance = createLookupAllowance({
      budget: async () => ({ ...defaultBudget, perLookupCredits: 15 }),
      isCached: async (_q, page) => page === 2 || page === 3,
    });
    const ui = connectedClientPort({ fetchPage: provider.fetchPage, allowance });
    const answers = await fetchUntilEnd(ui, { type: 'fetch', requestId: 1, query, fromPage: 1, toPage: 10 });
    // Pages 2 and 3 cost nothing: 10 spent, so page 4 (20) is the first to wait.
    expect(kinds(answers)).toEqual(['page 1', 'page 2', 'page 3', 'needsConsent']);
    expect(answers.at(-1)).toMatchObject({ page: 4, spent: 10 });
  });

  it('starts a lookup over at its first page, and keeps another sort as another lookup', async () => {
    const provider = pricedFetch(100);
    const ui = connectedClientPort({ fetchPage: provider.fetchPage, allowance: allowanceWith({ perLookupCredits: 15 }) });
    await fetchUntilEnd(ui, { type: 'fetch', requestId: 1, query, fromPage: 1, toPage: 1 });
    const bySort = { ...query, sort: { field: 'rank', order: 'asc' as const } };
    expect(kinds(await fetchUntilEnd(ui, { type: 'fetch', requestId: 2, query: bySort, fromPage: 1, toPage: 1 }))).toEqual(['page 1', 'done']);
    expect(kinds(await fetchUntilEnd(ui, { type: 'fetch', requestId: 3, query, fromPage: 2, toPage: 2 }))).toEqual(['needsConsent']);
  });

  it('holds back each half of the merged table on its own port: no page 2 of either provider past the limit', async () => {
    const provider = pricedFetch(100);
    const allowance = allowanceWith({ perLookupCredits: 15, perLookupUsd: 0.03 });
    const serpstatPort = connectedClientPort({ fetchPage: provider.fetchPage, allowance });
    const dataforseoPort = connectedClientPort({ fetchPage: provider.fetchPage, allowance });
    const dataforseoQuery: TableQuery = { ...query, provider: 'dataforseo', report: 'refDomains' };
    const [serpstatAnswers, dataforseoAnswers] = await Promise.all([
      fetchUntilEnd(serpstatPort, { type: 'fetch', requestId: 1, query: { ...query, report: 'refDomains' }, fromPage: 1, toPage: 6 }),
      fetchUntilEnd(dataforseoPort, { type: 'fetch', requestId: 1, query: dataforseoQuery, fromPage: 1, toPage: 6 }),
    ]);
    expect(kinds(serpstatAnswers)).toEqual(['page 1', 'needsConsent']);
    expect(dataforseoAnswers.at(-1)).toMatchObject({ type: 'needsConsent', provider: 'dataforseo', page: 2, spent: 0.0203, limit: 0.03 });
    expect(provider.pagesAsked('serpstat')).toEqual([1]);
    expect(provider.pagesAsked('dataforseo')).toEqual([1]);
  });

  it('holds back both first pages of the merged table when one page is above the limit', async () => {
    const provider = pricedFetch(100);
    const allowance = allowanceWith({ perLookupCredits: 5, perLookupUsd: 0.01 });
    const serpstatPort = connectedClientPort({ fetchPage: provider.fetchPage, allowance });
    const dataforseoPort = connectedClientPort({ fetchPage: provider.fetchPage, allowance });
    await Promise.all([
      fetchUntilEnd(serpstatPort, { type: 'fetch', requestId: 1, query: { ...query, report: 'refDomains' }, fromPage: 1, toPage: 1 }),
      fetchUntilEnd(dataforseoPort, { type: 'fetch', requestId: 1, query: { ...query, provider: 'dataforseo', report: 'refDomains' }, fromPage: 1, toPage: 1 }),
    ]);
    expect(kinds(serpstatPort.received)).toEqual(['needsConsent']);
    expect(kinds(dataforseoPort.received)).toEqual(['needsConsent']);
    expect(provider.asked).toEqual([]);
  });
});

describe('the provider\'s row cap', () => {
  it('never asks past it: the page at the cap ends the table even when the total claims more', async () => {
    const provider = pricedFetch(100);
    const ui = connectedClientPort({ fetchPage: provider.fetchPage, allowance: roomyAllowance(), maxRows: () => 30 });
    const answers = await fetchUntilEnd(ui, { type: 'fetch', requestId: 1, query, fromPage: 1, toPage: 10 });
    expect(kinds(answers)).toEqual(['page 1', 'page 2', 'page 3', 'done']);
    expect(provider.pagesAsked()).toEqual([1, 2, 3]);
  });

  it('refuses a request that starts past it', async () => {
    const provider = pricedFetch(100);
    const ui = connectedClientPort({ fetchPage: provider.fetchPage, allowance: roomyAllowance(), maxRows: () => 30 });
    const answers = await fetchUntilEnd(ui, { type: 'fetch', requestId: 1, query, fromPage: 4, toPage: 4 });
    expect(answers).toMatchObject([{ type: 'error', requestId: 1, page: 4, error: { code: 'bad_request' } }]);
    expect(provider.asked).toEqual([]);
  });
});

describe('a page the port will not take', () => {
  /** A served port whose server end throws when it posts page `throwsAt` (once), or every message. */
  function brittlePort(deps: TableServerDeps, throwsAt: number | 'everything') {
    const { client, server } = createPortPair(TABLE_PORT, ownSender);
    let thrown = false;
    const brittle: PortLike = {
      ...server,
      postMessage(message) {
        const posted = message as TableServerMessage;
        if (throwsAt === 'everything' || (posted.type === 'page' && posted.page.page === throwsAt && !thrown)) {
          thrown = true;
          throw new Error('Message length exceeded maximum allowed length.');
        }
        server.postMessage(message);
      },
      disconnect: () => server.disconnect(),
    };
    serveTablePort(brittle, deps);
    const received: TableServerMessage[] = [];
    client.onMessage.addListener((message) => received.push(message as TableServerMessage));
    return { client, received };
  }

  it('stops the job at once (the page asked ahead dropped, nothing more asked) and tells the UI', async () => {
    const provider = fakeProvider(100, 'manual');
    const kept = signalsKept(provider);
    const port = brittlePort(kept.deps, 2);
    port.client.postMessage({ type: 'fetch', requestId: 1, query, fromPage: 1, toPage: 10 });
    await vi.waitFor(() => expect(provider.calls).toHaveLength(1));
    provider.calls[0]?.answer(ok(provider.pageAnswer(1)));
    await vi.waitFor(() => expect(provider.calls).toHaveLength(2));
    await vi.waitFor(() => expect([...kept.signals.keys()]).toEqual([1, 2, 3, 4, 5]));
    provider.calls[1]?.answer(ok(provider.pageAnswer(2)));
    await vi.waitFor(() => expect(port.received.at(-1)).toMatchObject({ type: 'error', requestId: 1, page: 2, error: { code: 'internal', retryable: true } }));
    expect(kept.signals.get(3)?.aborted).toBe(true);
    provider.calls[2]?.answer(ok(provider.pageAnswer(3)));
    await settle();
    expect([...kept.signals.keys()]).toEqual([1, 2, 3, 4, 5]);
    expect(kinds(port.received)).toEqual(['page 1', 'error']);
  });

  it('disconnects when even the error cannot be posted, so the client reconnects', async () => {
    const provider = fakeProvider(100, 'manual');
    const port = brittlePort(provider.deps, 'everything');
    const disconnected = vi.fn();
    port.client.onDisconnect.addListener(disconnected);
    port.client.postMessage({ type: 'fetch', requestId: 1, query, fromPage: 1, toPage: 10 });
    await vi.waitFor(() => expect(provider.calls).toHaveLength(1));
    provider.calls[0]?.answer(ok(provider.pageAnswer(1)));
    await vi.waitFor(() => expect(disconnected).toHaveBeenCalled());
    await settle();
    expect(provider.pagesAsked()).toEqual([1]);
  });
});

/**
 * A DataForSEO fetchPage the test answers page by page, in any order; it counts the pages asked
 * and not yet answered, and the most there ever were at once.
 */
function manualDataForSeo(total: number) {
  const calls: { page: number; signal: AbortSignal; answer: () => void }[] = [];
  let open = 0;
  let mostOpen = 0;
  const send = (page: number, signal: AbortSignal) =>
    new Promise<Result<TablePage>>((resolve) => {
      open += 1;
      mostOpen = Math.max(mostOpen, open);
      const rows = rowsOf(page, Math.max(0, Math.min(PAGE_SIZE, total - (page - 1) * PAGE_SIZE)));
      calls.push({
        page,
        signal,
        answer: () => {
          open -= 1;
          resolve(ok({ page, rows, total, creditsSpent: 0, costUsd: 0.0203, creditsLeft: null, fromCache: false, fetchedAt: 1 }));
        },
      });
    });
  // Sent once the stream's lane has room, as the provider client does.
  const fetchPage: TableServerDeps['fetchPage'] = (_q, page, signal, options) =>
    options?.lane ? (options.lane.run(() => send(page, signal), signal) as Promise<Result<TablePage>>) : send(page, signal);
  const answer = (page: number) => calls.find((call) => call.page === page)?.answer();
  return { fetchPage, calls, answer, pagesAsked: () => calls.map((call) => call.page), mostOpen: () => mostOpen };
}

describe('several DataForSEO pages at once', () => {
  beforeEach(() => fakeBrowser.reset());
  const dataforseoQuery: TableQuery = { ...query, provider: 'dataforseo' };
  const pagesReceived = (messages: TableServerMessage[]) => messages.flatMap((m) => (m.type === 'page' ? [m.page.page] : []));

  it('keeps N pages on their way once the total is known, each answer letting the next go at once, and hands them over in order', async () => {
    const provider = manualDataForSeo(100);
    const ui = connectedClientPort({ fetchPage: provider.fetchPage, allowance: roomyAllowance(), pagesAtOnce: () => 4 });
    ui.send({ type: 'fetch', requestId: 1, query: dataforseoQuery, fromPage: 1, toPage: 10 });
    await vi.waitFor(() => expect(provider.pagesAsked()).toEqual([1]));
    provider.answer(1);
    await vi.waitFor(() => expect(provider.pagesAsked()).toEqual([1, 2, 3, 4, 5]));
    await settle();
    expect(provider.pagesAsked()).toHaveLength(5);
    // Pages 5, 4 and 3 arrive before 2: nothing is handed over, but pages 6 to 8, asked ahead,
    // go out as they answer, without waiting for page 2 (nor for their own cache and ledger work).
    provider.answer(5);
    provider.answer(4);
    provider.answer(3);
    await vi.waitFor(() => expect(provider.pagesAsked()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]));
    await settle();
    expect(pagesReceived(ui.received)).toEqual([1]);
    expect(provider.pagesAsked()).toHaveLength(8);
    provider.answer(2);
    await vi.waitFor(() => expect(pagesReceived(ui.received)).toEqual([1, 2, 3, 4, 5]));
    await vi.waitFor(() => expect(provider.pagesAsked()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]));
    await settle();
    expect(provider.pagesAsked()).toHaveLength(9);
    for (const page of [9, 7, 8, 6]) provider.answer(page);
    await vi.waitFor(() => expect(provider.pagesAsked()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
    provider.answer(10);
    await vi.waitFor(() => expect(ui.received.at(-1)).toEqual({ type: 'done', requestId: 1, lastPage: 10, total: 100 }));
    expect(pagesReceived(ui.received)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(provider.mostOpen()).toBe(4);
  });

  it('asks ahead from the start when a lookup is continued (Load all): its total is already known', async () => {
    const provider = manualDataForSeo(100);
    const ui = connectedClientPort({ fetchPage: provider.fetchPage, allowance: roomyAllowance(), pagesAtOnce: () => 4 });
    ui.send({ type: 'fetch', requestId: 1, query: dataforseoQuery, fromPage: 1, toPage: 1 });
    await vi.waitFor(() => expect(provider.pagesAsked()).toEqual([1]));
    provider.answer(1);
    await vi.waitFor(() => expect(ui.received.at(-1)).toMatchObject({ type: 'done', lastPage: 1 }));
    ui.send({ type: 'fetch', requestId: 2, query: dataforseoQuery, fromPage: 2, toPage: 10 });
    // Pages 3 to 5 go out with page 2, not a round trip after it.
    await vi.waitFor(() => expect(provider.pagesAsked()).toEqual([1, 2, 3, 4, 5]));
    for (const page of [2, 3, 4, 5]) provider.answer(page);
    await vi.waitFor(() => expect(pagesReceived(ui.received)).toEqual([1, 2, 3, 4, 5]));
  });

  it('stops asking at once on cancel: the pages on their way are not handed over and no new page is asked', async () => {
    const provider = manualDataForSeo(100);
    const ui = connectedClientPort({ fetchPage: provider.fetchPage, allowance: roomyAllowance(), pagesAtOnce: () => 4 });
    ui.send({ type: 'fetch', requestId: 2, query: dataforseoQuery, fromPage: 1, toPage: 10 });
    await vi.waitFor(() => expect(provider.pagesAsked()).toEqual([1]));
    provider.answer(1);
    await vi.waitFor(() => expect(provider.pagesAsked()).toEqual([1, 2, 3, 4, 5]));
    ui.send({ type: 'cancel', requestId: 2 });
    await settle();
    // Each page asked is told, so one still waiting in the provider's queue is never sent.
    expect(provider.calls.slice(1).every((call) => call.signal.aborted)).toBe(true);
    for (const page of [2, 3, 4, 5]) provider.answer(page);
    await settle();
    await settle();
    expect(provider.pagesAsked()).toEqual([1, 2, 3, 4, 5]);
    expect(pagesReceived(ui.received)).toEqual([1]);
  });

  it('reserves each page against the per-lookup limit before asking: with 4 at once, no page past the limit is sent', async () => {
    const provider = manualDataForSeo(100);
    // $0.0203 a page of 10 rows: three pages fit under $0.07, a fourth does not.
    const ui = connectedClientPort({ fetchPage: provider.fetchPage, allowance: allowanceWith({ perLookupUsd: 0.07 }), pagesAtOnce: () => 4 });
    ui.send({ type: 'fetch', requestId: 3, query: dataforseoQuery, fromPage: 1, toPage: 10 });
    await vi.waitFor(() => expect(provider.pagesAsked()).toEqual([1]));
    provider.answer(1);
    await vi.waitFor(() => expect(provider.pagesAsked()).toEqual([1, 2, 3]));
    await settle();
    expect(provider.pagesAsked()).toEqual([1, 2, 3]);
    provider.answer(3);
    provider.answer(2);
    await vi.waitFor(() => expect(ui.received.at(-1)).toMatchObject({ type: 'needsConsent', page: 4, limit: 0.07 }));
    expect(pagesReceived(ui.received)).toEqual([1, 2, 3]);
    expect(provider.pagesAsked()).toEqual([1, 2, 3]);
  });

  it('asks Serpstat-style one page ahead when no number is given', async () => {
    const provider = manualDataForSeo(100);
    const ui = connectedClientPort({ fetchPage: provider.fetchPage, allowance: roomyAllowance() });
    ui.send({ type: 'fetch', requestId: 4, query: dataforseoQuery, fromPage: 1, toPage: 10 });
    await vi.waitFor(() => expect(provider.pagesAsked()).toEqual([1]));
    provider.answer(1);
    await vi.waitFor(() => expect(provider.pagesAsked()).toEqual([1, 2, 3]));
    await settle();
    expect(provider.pagesAsked()).toEqual([1, 2, 3]);
    expect(provider.mostOpen()).toBe(2);
  });
});

describe('Serpstat at the plan\'s pace', () => {
  beforeEach(() => fakeBrowser.reset());

  it('Load all at 1 request a second: N pages start N−1 seconds after the first, even when each takes 0.9 s and its cache and ledger work 0.2 s more', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const starts: number[] = [];
    const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const adapter: ProviderAdapter = {
      id: 'serpstat',
      fetchPage: async (_query: TableQuery, page: number) => {
        starts.push(Date.now());
        await wait(900);
        return ok({ rows: rowsOf(page, PAGE_SIZE), total: 60, creditsSpent: PAGE_SIZE, costUsd: 0, creditsLeft: 1000 });
      },
      testConnection: async () => fail(lensError('internal', 'not used')),
      fetchSummary: async () => fail(lensError('internal', 'not used')),
    };
    const client = createProviderClient({
      adapters: { serpstat: adapter, dataforseo: adapter },
      getCredentials: async (provider) => (provider === 'serpstat' ? { provider, token: 'token' } : null),
      baseUrls: { serpstat: 'http://127.0.0.1:1/v4', dataforseo: 'http://127.0.0.1:1' },
      fetch: () => Promise.reject(new Error('no network in tests')),
      queues: {
        serpstat: createRequestQueue({ minIntervalMs: 1000, maxConcurrent: 1, now: () => Date.now() }),
        dataforseo: createRequestQueue({ minIntervalMs: 0, maxConcurrent: 1 }),
      },
    });
    const ui = connectedClientPort({
      // The work around each answer (cache, ledger) after the provider has answered.
      fetchPage: async (q, page, signal) => {
        const result = await client.fetchPage(q, page, signal);
        await wait(200);
        return result;
      },
      allowance: roomyAllowance(),
      pagesAtOnce: () => 2,
    });
    const streamed = async (requestId: number, fromPage: number, toPage: number) => {
      ui.send({ type: 'fetch', requestId, query, fromPage, toPage });
      const finished = () => ui.received.some((message) => message.requestId === requestId && message.type === 'done');
      for (let step = 0; step < 100 && !finished(); step++) await vi.advanceTimersByTimeAsync(100);
      expect(ui.received.at(-1)).toEqual({ type: 'done', requestId, lastPage: toPage, total: 60 });
    };
    // Page 1 tells the total; then Load all asks for pages 2 to 6.
    await streamed(1, 1, 1);
    starts.length = 0;
    await streamed(2, 2, 6);
    expect(starts.map((start) => start - starts[0]!)).toEqual([0, 1000, 2000, 3000, 4000]);
  });
});
