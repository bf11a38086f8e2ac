import { browser } from 'wxt/browser';
import { lensError } from '../errors';
import { TABLE_PORT, tableClientMessageSchema, type TableServerMessage } from '../protocol';
import type { Result } from '../result';
import type { TablePage, TableQuery } from '../reports';
import type { PortLike } from '../messaging/port';
import { isOwnExtensionPage, type SenderLike } from './sender';

export interface TableServerDeps {
  fetchPage: (query: TableQuery, page: number, signal: AbortSignal, options?: { refresh?: boolean }) => Promise<Result<TablePage>>;
  isOwnSender?: (sender: SenderLike | undefined) => boolean;
}

/**
 * The provider's total reached, or a short page (providers cap deep paging, so the total can
 * claim more than they will ever send): fetching further would only spend credits on nothing.
 */
export function isLastPage(page: TablePage, pageSize: number): boolean {
  return page.rows.length < pageSize || page.page * pageSize >= page.total;
}

const unexpectedFailure = () => lensError('internal', 'Something went wrong in the extension’s background. Try again.', { retryable: true });

/**
 * Streams the pages one table port asks for, in order. One job per port: a new request or
 * a cancel aborts the running one, and a disconnect (panel closed) aborts it at once, so no
 * provider request starts after the user has gone.
 */
export function serveTablePort(port: PortLike, deps: TableServerDeps): void {
  let job: { requestId: number; controller: AbortController } | null = null;

  const post = (message: TableServerMessage) => {
    try {
      port.postMessage(message);
    } catch {
      job?.controller.abort();
    }
  };

  async function stream(requestId: number, query: TableQuery, fromPage: number, toPage: number, refresh: boolean, signal: AbortSignal) {
    /** One page asked for; its own abort lets a page asked ahead be dropped while it still waits in the queue. */
    const ask = (pageNumber: number) => {
      const controller = new AbortController();
      const abort = () => controller.abort();
      signal.addEventListener('abort', abort, { once: true });
      // Refresh pays again for the first page only: the asker re-asks each page it wants fresh.
      const result = Promise.resolve()
        .then(() => deps.fetchPage(query, pageNumber, controller.signal, { refresh: refresh && pageNumber === fromPage }))
        .catch((): Result<TablePage> => ({ ok: false, error: unexpectedFailure() }))
        .finally(() => signal.removeEventListener('abort', abort));
      return { pageNumber, result, drop: abort };
    };

    let total: number | null = null;
    let current = ask(fromPage);
    for (;;) {
      const pageNumber = current.pageNumber;
      // Once the total is known, the next page is asked for while this one is on its way, so the
      // cache and ledger work around each page overlaps the next request. A page asked ahead that
      // is not needed after all is dropped if it still waits in the queue, or cached if it was sent.
      const ahead = total !== null && pageNumber < toPage && pageNumber * query.pageSize < total ? ask(pageNumber + 1) : null;
      const result = await current.result;
      // Cancelled, replaced or disconnected: the asker is gone, so nobody to tell and nothing more to fetch.
      if (signal.aborted) return;
      if (!result.ok) {
        ahead?.drop();
        post({ type: 'error', requestId, page: pageNumber, error: result.error });
        return;
      }
      total = result.data.total;
      post({ type: 'page', requestId, page: result.data });
      if (isLastPage(result.data, query.pageSize) || pageNumber >= toPage) {
        ahead?.drop();
        post({ type: 'done', requestId, lastPage: pageNumber, total });
        return;
      }
      current = ahead ?? ask(pageNumber + 1);
    }
  }

  const onMessage = (raw: unknown) => {
    const parsed = tableClientMessageSchema.safeParse(raw);
    if (!parsed.success) {
      const claimedId = (raw as { requestId?: unknown } | null)?.requestId;
      const requestId = typeof claimedId === 'number' ? claimedId : 0;
      post({ type: 'error', requestId, page: 0, error: lensError('internal', 'The extension sent a malformed table request.') });
      return;
    }
    const message = parsed.data;
    if (message.type === 'cancel') {
      if (job?.requestId === message.requestId) job.controller.abort();
      return;
    }
    if (message.toPage < message.fromPage) {
      post({ type: 'error', requestId: message.requestId, page: message.fromPage, error: lensError('internal', 'The page range is empty.') });
      return;
    }
    job?.controller.abort();
    const controller = new AbortController();
    job = { requestId: message.requestId, controller };
    void stream(message.requestId, message.query, message.fromPage, message.toPage, message.refresh ?? false, controller.signal).finally(() => {
      if (job?.controller === controller) job = null;
    });
  };

  const onDisconnect = () => {
    job?.controller.abort();
    port.onMessage.removeListener(onMessage);
    port.onDisconnect.removeListener(onDisconnect);
  };

  port.onMessage.addListener(onMessage);
  port.onDisconnect.addListener(onDisconnect);
}

/** Serves a newly connected port if it is a table port from our own pages; disconnects anything else. */
export function acceptTablePort(port: PortLike, deps: TableServerDeps): boolean {
  const isOwn = deps.isOwnSender ?? isOwnExtensionPage;
  if (port.name !== TABLE_PORT || !isOwn(port.sender)) {
    port.disconnect();
    return false;
  }
  serveTablePort(port, deps);
  return true;
}

/** Registered synchronously at worker start, so a connection that woke the worker is not missed. */
export function setUpTableStreaming(deps: TableServerDeps): void {
  browser.runtime.onConnect.addListener((port) => void acceptTablePort(port as unknown as PortLike, deps));
}
