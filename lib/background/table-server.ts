import { lensError } from '../shared/errors';
import { TABLE_PORT, tableClientMessageSchema, type NeedsConsent, type TableServerMessage } from '../shared/protocol';
import type { Result } from '../shared/result';
import { isLastPage, type TablePage, type TableQuery } from '../shared/reports';
import type { PortLike } from '../shared/port';
import type { LookupAllowance } from './lookup-allowance';
import { isOwnExtensionPage, type SenderLike } from './sender';
import { pageCacheKey } from './cache/page-key';
import { fail } from '../shared/result';
import { createRequestQueue } from './queue';
import type { PageLane } from './provider-client';

export interface TableServerDeps {
  /** `after`: the token of the page before, for a page past the provider's offset limit. */
  fetchPage: (query: TableQuery, page: number, signal: AbortSignal, options?: { refresh?: boolean; after?: string; lane?: PageLane }) => Promise<Result<TablePage>>;
  /** The per-lookup limit: every page is reserved here before it is asked for. */
  allowance: LookupAllowance;
  /** The provider's own cap on rows per query (Serpstat 60,000): no page past it is ever asked. */
  maxRows?: (query: TableQuery) => number | undefined;
  /**
   * Requests on their way at once once the total is known (default 2: one asked ahead). As many
   * again are asked ahead of them, reserved and checked, each sent the moment one on its way
   * answers; the provider's queue still decides when each is sent.
   */
  pagesAtOnce?: (query: TableQuery) => number;
  /**
   * The first page that continues from its predecessor's token (DataForSEO backlinks past offset
   * 20,000: firstTokenPage in lib/shared/providers.ts); null or absent when every page stands alone.
   */
  tokenPagedFrom?: (query: TableQuery) => number | null;
  isOwnSender?: (sender: SenderLike | undefined) => boolean;
}

const unexpectedFailure = () => lensError('internal', 'Something went wrong in the extension’s background. Try again.', { retryable: true });

/** One page asked for; its own abort lets a page asked ahead be dropped while it still waits in the queue. */
interface AskedPage {
  pageNumber: number;
  result: Promise<Result<TablePage>>;
  drop: () => void;
}

/**
 * Streams the pages one table port asks for, in order. One job per port: a new request or
 * a cancel aborts the running one, and a disconnect (panel closed) aborts it at once, so no
 * provider request starts after the user has gone. Every page goes through the per-lookup
 * allowance first; past it the stream stops and says so (`needsConsent`) without asking.
 */
export function serveTablePort(port: PortLike, deps: TableServerDeps): void {
  let job: { requestId: number; controller: AbortController } | null = null;
  /**
   * The continuation tokens of this port's latest lookup: page → the token its answer carried,
   * so "Load next" and a consented next page continue without asking the page before again.
   */
  let tokens: { lookup: string; byPage: Map<number, string> } | null = null;

  /** False when the port would not take it (an oversized page, a port gone): the caller stops. */
  const post = (message: TableServerMessage): boolean => {
    try {
      port.postMessage(message);
      return true;
    } catch {
      return false;
    }
  };

  /**
   * A page could not be handed over: stop asking at once and tell the UI with a small message,
   * or, if even that fails, disconnect so the client's reconnect asks again from the missing page.
   */
  const abandon = (requestId: number, page: number, controller: AbortController) => {
    controller.abort();
    const told = post({ type: 'error', requestId, page, error: lensError('internal', 'A page could not be passed to the panel.', { retryable: true }) });
    if (!told) port.disconnect();
  };

  async function stream(
    requestId: number,
    query: TableQuery,
    fromPage: number,
    toPage: number,
    refresh: boolean,
    controller: AbortController,
  ) {
    const signal = controller.signal;
    const maxRows = deps.maxRows?.(query);
    // A lookup continued (Load all, scrolling on) already knows its total: its pages are asked
    // ahead from the start, not only once its first page here has answered.
    let total: number | null = fromPage > 1 ? await deps.allowance.lastTotal(query) : null;
    const tokenFrom = deps.tokenPagedFrom?.(query) ?? null;
    /** A page past the offset limit: asked only once the page before has arrived, with its token. */
    const continuesByToken = (pageNumber: number) => tokenFrom !== null && pageNumber >= tokenFrom;
    const lookup = pageCacheKey(query, 0);
    if (tokens?.lookup !== lookup) tokens = { lookup, byPage: new Map() };
    const tokenAfter = tokens.byPage;

    const pagesAtOnce = Math.max(1, deps.pagesAtOnce?.(query) ?? 2);
    /** The lane: at most pagesAtOnce of this stream's requests on their way. */
    const onTheirWay = createRequestQueue({ minIntervalMs: 0, maxConcurrent: pagesAtOnce });
    /** Set by a failed answer or the table's end: the stream stops there, so no page waiting in the lane is sent. */
    let laneClosed = false;
    const laneFor = (pageNumber: number): PageLane => ({
      run: (send, pageSignal) =>
        onTheirWay.run(async () => {
          if (laneClosed) return fail(lensError('cancelled', 'The table ended before this page.'));
          const answer = await send();
          if (!answer.ok || isLastPage({ ...answer.data, page: pageNumber }, query.pageSize, maxRows)) laneClosed = true;
          return answer;
        }, pageSignal),
    });

    /** Reserves the page against the per-lookup limit, then asks for it; the refusal otherwise. */
    const ask = async (pageNumber: number): Promise<AskedPage | NeedsConsent | null> => {
      const after = continuesByToken(pageNumber) ? tokenAfter.get(pageNumber - 1) : undefined;
      if (continuesByToken(pageNumber) && !after) {
        const error = lensError('bad_answer', 'The provider sent nothing to continue from after the page before.', { provider: query.provider });
        return { pageNumber, result: Promise.resolve(fail<TablePage>(error)), drop: () => undefined };
      }
      const reservation = await deps.allowance.reserve(query, pageNumber, total);
      if (!reservation.ok) return reservation.needs;
      const pageController = new AbortController();
      const abort = () => pageController.abort();
      signal.addEventListener('abort', abort, { once: true });
      // Aborted while the reservation was made: nothing is asked.
      if (signal.aborted) {
        void reservation.settle({ ok: false, error: lensError('cancelled', 'Cancelled.') });
        return null;
      }
      // Refresh pays again for the first page only: the asker re-asks each page it wants fresh.
      const result = Promise.resolve()
        .then(() =>
          deps.fetchPage(query, pageNumber, pageController.signal, { refresh: refresh && pageNumber === fromPage, lane: laneFor(pageNumber), ...(after ? { after } : {}) }),
        )
        .catch((): Result<TablePage> => ({ ok: false, error: unexpectedFailure() }))
        .then(async (answer) => {
          await reservation.settle(answer).catch(() => undefined);
          if (answer.ok && answer.data.nextToken) tokenAfter.set(pageNumber, answer.data.nextToken);
          else if (answer.ok) tokenAfter.delete(pageNumber);
          return answer;
        })
        .finally(() => signal.removeEventListener('abort', abort));
      return { pageNumber, result, drop: abort };
    };
    /** Asks for a page the stream needs now: a refusal is told to the UI and ends the stream. */
    const askNow = async (pageNumber: number): Promise<AskedPage | null> => {
      const asked = await ask(pageNumber);
      if (asked === null || signal.aborted) return null;
      if ('type' in asked) {
        post({ ...asked, requestId });
        return null;
      }
      return asked;
    };

    // Once the total is known, the pages after the one awaited are asked for while it is on its
    // way, so requests overlap each other and the cache and ledger work around each page. At most
    // pagesAtOnce are on their way (the lane); as many again are asked ahead, their reservation,
    // cache and daily-cap checks done, and wait in the lane, so one goes the moment another answers
    // rather than after that answer's own work. Pages are still handed over in order. A page asked
    // ahead that is not needed after all is dropped if it still waits in the lane or the queue, or
    // cached if it was sent. One the allowance refuses is asked again once an earlier page has
    // arrived and its real cost is known.
    const pagesAsked = 2 * pagesAtOnce;
    if (continuesByToken(fromPage) && !tokenAfter.has(fromPage - 1)) {
      // The token this page continues from is not known here (the worker restarted, or another
      // port loaded the pages before): the pages before it are asked again, one after another,
      // from the last one that can be asked. They come from the cache, whose token pages are
      // keyed by the token they continue from, so a cached chain is followed free and exactly.
      let page = fromPage - 1;
      while (page > tokenFrom! - 1 && !tokenAfter.has(page - 1)) page -= 1;
      for (; page < fromPage; page += 1) {
        const before = await askNow(page);
        if (!before) return;
        const result = await before.result;
        if (signal.aborted) return;
        if (!result.ok) {
          post({ type: 'error', requestId, page: fromPage, error: result.error });
          return;
        }
        total = result.data.total;
      }
    }
    const first = await askNow(fromPage);
    if (!first) return;
    const asked: AskedPage[] = [first];
    let nextPage = fromPage + 1;
    const dropAll = () => asked.forEach((page) => page.drop());

    for (let current = asked[0]; current; current = asked[0]) {
      const reachable = total === null ? null : Math.min(total, maxRows ?? total);
      while (
        reachable !== null &&
        asked.length < pagesAsked &&
        nextPage <= toPage &&
        (nextPage - 1) * query.pageSize < reachable &&
        !continuesByToken(nextPage)
      ) {
        const ahead = await ask(nextPage);
        if (ahead === null || 'type' in ahead) break;
        asked.push(ahead);
        nextPage += 1;
      }
      const pageNumber = current.pageNumber;
      const result = await current.result;
      asked.shift();
      // Cancelled, replaced or disconnected: the asker is gone, so nobody to tell and nothing more to fetch.
      if (signal.aborted) return;
      if (!result.ok) {
        dropAll();
        post({ type: 'error', requestId, page: pageNumber, error: result.error });
        return;
      }
      total = result.data.total;
      if (!post({ type: 'page', requestId, page: result.data })) {
        abandon(requestId, pageNumber, controller);
        return;
      }
      if (isLastPage(result.data, query.pageSize, maxRows) || pageNumber >= toPage) {
        dropAll();
        post({ type: 'done', requestId, lastPage: pageNumber, total });
        return;
      }
      if (asked.length === 0) {
        const next = await askNow(nextPage);
        if (!next) return;
        asked.push(next);
        nextPage += 1;
      }
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
    const maxRows = deps.maxRows?.(message.query);
    if (maxRows !== undefined && (message.fromPage - 1) * message.query.pageSize >= maxRows) {
      const error = lensError('bad_request', `The provider sends at most ${maxRows.toLocaleString('en-US')} rows per query.`, { provider: message.query.provider });
      post({ type: 'error', requestId: message.requestId, page: message.fromPage, error });
      return;
    }
    job?.controller.abort();
    const controller = new AbortController();
    job = { requestId: message.requestId, controller };
    const { query, fromPage, toPage, consent } = message;
    // A lookup starts over at its first page; the user's answer, if any, is then turned into allowance.
    const ready = (fromPage === 1 ? deps.allowance.begin(query) : Promise.resolve()).then(() =>
      consent ? deps.allowance.grant(query, consent, fromPage) : undefined,
    );
    void ready
      .then(() => (controller.signal.aborted ? undefined : stream(message.requestId, query, fromPage, toPage, message.refresh ?? false, controller)))
      .catch(() => {
        if (!controller.signal.aborted) post({ type: 'error', requestId: message.requestId, page: fromPage, error: unexpectedFailure() });
      })
      .finally(() => {
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
