import { browser } from 'wxt/browser';
import { lensError } from '../errors';
import { TABLE_PORT, tableServerMessageSchema, type TableClientMessage } from '../protocol';
import { fail, ok, type Result } from '../result';
import type { TablePage, TableQuery } from '../reports';
import type { PortLike } from './port';

export interface TableClient {
  /** One page; resolves when it arrives. */
  requestPage(query: TableQuery, page: number, signal?: AbortSignal): Promise<Result<TablePage>>;
  /** Pages from..to in order ("Load all"); onPage per page; resolves at done, error or abort. */
  requestPages(
    query: TableQuery,
    fromPage: number,
    toPage: number,
    onPage: (page: TablePage) => void,
    signal?: AbortSignal,
  ): Promise<Result<{ lastPage: number; total: number }>>;
  close(): void;
}

interface ActiveRequest {
  requestId: number;
  query: TableQuery;
  /** The next page this request still expects: a reconnect resumes here. */
  nextPage: number;
  toPage: number;
  onPage: (page: TablePage) => void;
  finish: (result: Result<{ lastPage: number; total: number }>) => void;
  reconnects: number;
}

const MAX_RECONNECTS = 5;
const RECONNECT_DELAY_MS = 150;

const connectToBackground = (): PortLike => browser.runtime.connect({ name: TABLE_PORT }) as unknown as PortLike;

/**
 * One Port per table. The UI owns what it has received, so when the service worker is stopped
 * mid-stream the client reconnects and asks again from the next missing page: nothing is lost,
 * nothing arrives twice.
 */
export function createTableClient(connect: () => PortLike = connectToBackground): TableClient {
  let port: PortLike | null = null;
  let lastRequestId = 0;
  let active: ActiveRequest | null = null;
  let closed = false;

  function post(message: TableClientMessage): void {
    try {
      ensurePort().postMessage(message);
    } catch {
      // A port that died between checks: onDisconnect takes over.
    }
  }

  function ensurePort(): PortLike {
    if (port) return port;
    const opened = connect();
    opened.onMessage.addListener(onMessage);
    opened.onDisconnect.addListener(() => onDisconnect(opened));
    port = opened;
    return opened;
  }

  function send(request: ActiveRequest): void {
    post({ type: 'fetch', requestId: request.requestId, query: request.query, fromPage: request.nextPage, toPage: request.toPage });
  }

  function onMessage(raw: unknown): void {
    const parsed = tableServerMessageSchema.safeParse(raw);
    if (!parsed.success || !active || parsed.data.requestId !== active.requestId) return;
    const message = parsed.data;
    const request = active;
    if (message.type === 'page') {
      const page = message.page as TablePage;
      if (page.page !== request.nextPage) return;
      request.nextPage += 1;
      request.reconnects = 0;
      request.onPage(page);
    } else if (message.type === 'done') {
      request.finish(ok({ lastPage: message.lastPage, total: message.total }));
    } else {
      request.finish(fail(message.error));
    }
  }

  function onDisconnect(which: PortLike): void {
    if (port === which) port = null;
    const request = active;
    if (!request || closed) return;
    if (request.reconnects >= MAX_RECONNECTS) {
      request.finish(
        fail(lensError('internal', 'The connection to the extension’s background keeps dropping. Reload the panel.', { retryable: true })),
      );
      return;
    }
    request.reconnects += 1;
    setTimeout(() => {
      if (active !== request) return;
      // A fresh id: answers still in flight for the old connection are ignored.
      request.requestId = ++lastRequestId;
      send(request);
    }, RECONNECT_DELAY_MS * request.reconnects);
  }

  function requestPages(
    query: TableQuery,
    fromPage: number,
    toPage: number,
    onPage: (page: TablePage) => void,
    signal?: AbortSignal,
  ): Promise<Result<{ lastPage: number; total: number }>> {
    if (closed) return Promise.resolve(fail(lensError('cancelled', 'This table was closed.')));
    if (signal?.aborted) return Promise.resolve(fail(lensError('cancelled', 'The request was cancelled.')));
    active?.finish(fail(lensError('cancelled', 'A newer request replaced this one.')));
    return new Promise((resolve) => {
      const onAbort = () => {
        if (active !== request) return;
        post({ type: 'cancel', requestId: request.requestId });
        request.finish(fail(lensError('cancelled', 'The request was cancelled.')));
      };
      const request: ActiveRequest = {
        requestId: ++lastRequestId,
        query,
        nextPage: fromPage,
        toPage,
        onPage,
        reconnects: 0,
        finish: (result) => {
          if (active === request) active = null;
          signal?.removeEventListener('abort', onAbort);
          resolve(result);
        },
      };
      active = request;
      signal?.addEventListener('abort', onAbort, { once: true });
      send(request);
    });
  }

  return {
    requestPages,
    async requestPage(query, page, signal) {
      let received: TablePage | null = null;
      const result = await requestPages(query, page, page, (p) => (received = p), signal);
      if (!result.ok) return result;
      return received ? ok(received) : fail(lensError('internal', 'The background finished without sending the page.'));
    },
    close() {
      closed = true;
      active?.finish(fail(lensError('cancelled', 'This table was closed.')));
      port?.disconnect();
      port = null;
    },
  };
}
