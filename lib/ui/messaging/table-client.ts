import { browser } from 'wxt/browser';
import { lensError } from '../../shared/errors';
import { t } from '../../shared/i18n';
import { isNeedsConsent, TABLE_PORT, tableServerMessageSchema, type NeedsConsent, type SpendConsent, type TableClientMessage } from '../../shared/protocol';
import { fail, ok, type Result } from '../../shared/result';
import { isLastPage, type TablePage, type TableQuery } from '../../shared/reports';
import type { PortLike } from '../../shared/port';

export interface TableRequestOptions {
  /** "Refresh": the first page asked for skips the cache and is paid for again. */
  refresh?: boolean;
  /** The user's answer to the per-lookup limit, forwarded to the background with this request. */
  consent?: SpendConsent;
}

/** How a stream ended: every page asked for arrived (or the table ended), or the per-lookup limit stopped it. */
export type StreamEnd = { lastPage: number; total: number } | NeedsConsent;

export interface TableClient {
  /** One page; resolves when it arrives, or with the figures of the per-lookup limit that holds it back. */
  requestPage(query: TableQuery, page: number, signal?: AbortSignal, options?: TableRequestOptions): Promise<Result<TablePage | NeedsConsent>>;
  /** Pages from..to in order ("Load all"); onPage per page; resolves at done, needsConsent, error or abort. */
  requestPages(
    query: TableQuery,
    fromPage: number,
    toPage: number,
    onPage: (page: TablePage) => void,
    signal?: AbortSignal,
    options?: TableRequestOptions,
  ): Promise<Result<StreamEnd>>;
  close(): void;
}

interface ActiveRequest {
  requestId: number;
  query: TableQuery;
  /** The next page this request still expects: a reconnect resumes here. */
  nextPage: number;
  toPage: number;
  /** Skip the cache for the next page asked; off once the first page arrived fresh. */
  refresh: boolean;
  /** The user's answer to the limit; sent again on a reconnect until a page has arrived, then spent. */
  consent: SpendConsent | undefined;
  /** The latest page delivered, to tell after a lost connection whether only `done` was missing. */
  lastDelivered: TablePage | null;
  onPage: (page: TablePage) => void;
  finish: (result: Result<StreamEnd>) => void;
  /** Reconnects since the last page arrived. */
  reconnects: number;
}

const MAX_RECONNECTS = 5;
const RECONNECT_DELAY_MS = 150;

const connectToBackground = (): PortLike => browser.runtime.connect({ name: TABLE_PORT }) as unknown as PortLike;

const cancelled = (message: string) => fail(lensError('cancelled', message));

/** The least a page must have for the client to track it; the background built the rest. */
function isPage(value: unknown): value is TablePage {
  const page = value as Partial<TablePage> | null;
  return typeof page?.page === 'number' && typeof page.total === 'number' && Array.isArray(page.rows);
}


/**
 * One Port per table, opened on first use. The UI owns what it has received, so when the
 * service worker is stopped mid-stream the client reconnects and asks again from the next
 * missing page: nothing is lost, nothing arrives twice.
 */
export function createTableClient(connect: () => PortLike = connectToBackground): TableClient {
  let port: PortLike | null = null;
  /** Ports already given up on, so a port that both throws and disconnects is handled once. */
  const lostPorts = new WeakSet<PortLike>();
  let lastRequestId = 0;
  let active: ActiveRequest | null = null;
  let closed = false;

  function openPort(): PortLike {
    const opened = connect();
    opened.onMessage.addListener(onMessage);
    opened.onDisconnect.addListener(() => onPortLost(opened));
    port = opened;
    return opened;
  }

  function send(request: ActiveRequest): void {
    let target = port;
    try {
      target ??= openPort();
      target.postMessage({
        type: 'fetch',
        requestId: request.requestId,
        query: request.query,
        fromPage: request.nextPage,
        toPage: request.toPage,
        ...(request.refresh ? { refresh: true } : {}),
        ...(request.consent ? { consent: request.consent } : {}),
      } satisfies TableClientMessage);
    } catch {
      // No worker to connect to, or a port that died between checks: same as a disconnect.
      onPortLost(target);
    }
  }

  function onMessage(raw: unknown): void {
    const parsed = tableServerMessageSchema.safeParse(raw);
    if (!parsed.success || !active || parsed.data.requestId !== active.requestId) return;
    const message = parsed.data;
    const request = active;
    if (message.type === 'page') {
      // Only the page expected next: a page already delivered is never delivered twice.
      if (!isPage(message.page) || message.page.page !== request.nextPage) return;
      request.nextPage += 1;
      request.refresh = false;
      request.consent = undefined;
      request.lastDelivered = message.page;
      request.reconnects = 0;
      request.onPage(message.page);
    } else if (message.type === 'done') {
      request.finish(ok({ lastPage: message.lastPage, total: message.total }));
    } else if (message.type === 'needsConsent') {
      const { requestId: _requestId, ...needs } = message;
      request.finish(ok(needs));
    } else {
      request.finish(fail(message.error));
    }
  }

  function onPortLost(lost: PortLike | null): void {
    if (lost) {
      if (lostPorts.has(lost)) return;
      lostPorts.add(lost);
      if (port === lost) port = null;
    }
    const request = active;
    if (!request || closed) return;
    const last = request.lastDelivered;
    if (last && (request.nextPage > request.toPage || isLastPage(last, request.query.pageSize))) {
      // Every page arrived; only the "done" was lost with the connection.
      request.finish(ok({ lastPage: last.page, total: last.total }));
      return;
    }
    if (request.reconnects >= MAX_RECONNECTS) {
      request.finish(
        fail(lensError('internal', t('error_connectionDropping'), { retryable: true })),
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
    options: TableRequestOptions = {},
  ): Promise<Result<StreamEnd>> {
    if (closed) return Promise.resolve(cancelled('This table was closed.'));
    if (signal?.aborted) return Promise.resolve(cancelled('The request was cancelled.'));
    // One stream per table: the background drops the older job when the new fetch arrives.
    active?.finish(cancelled('A newer request replaced this one.'));
    return new Promise((resolve) => {
      const onAbort = () => {
        if (active !== request) return;
        request.finish(cancelled('The request was cancelled.'));
        try {
          // Without a port there is no job left to stop: it died with the connection.
          port?.postMessage({ type: 'cancel', requestId: request.requestId } satisfies TableClientMessage);
        } catch {
          // The port died with the job on it.
        }
      };
      const request: ActiveRequest = {
        requestId: ++lastRequestId,
        query,
        nextPage: fromPage,
        toPage,
        refresh: options.refresh ?? false,
        consent: options.consent,
        lastDelivered: null,
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
    async requestPage(query, page, signal, options) {
      let received: TablePage | null = null;
      const result = await requestPages(query, page, page, (delivered) => (received = delivered), signal, options);
      if (!result.ok) return result;
      if (isNeedsConsent(result.data)) return ok(result.data);
      return received ? ok(received) : fail(lensError('internal', t('error_noPageSent')));
    },
    close() {
      closed = true;
      active?.finish(cancelled('This table was closed.'));
      port?.disconnect();
      port = null;
    },
  };
}
