import { decideBudget, requestEstimate, type BudgetSettings, type CostEstimate } from '../../shared/budget';
import { lensError, type Charge, type LensError } from '../../shared/errors';
import type { Ledger } from '../ledger';
import { fail, ok, type Result } from '../../shared/result';
import type { TablePage } from '../../shared/reports';
import type { PaidQuery, PaidRow, RowOf } from '../../shared/summary';
import type { BilledRetryHook, PageLane } from '../provider-client';
import type { InflightShare } from './inflight';
import type { CachedPage, PageCache } from './page-cache';
import { pageCacheKey } from './page-key';
import { addUsd } from '../../shared/money';

export type PageFetcher = (
  query: PaidQuery,
  page: number,
  signal: AbortSignal,
  onBilledRetry?: BilledRetryHook,
  after?: string,
  lane?: PageLane,
) => Promise<Result<TablePage<PaidRow>>>;

export interface PaidFetchDeps {
  cache: PageCache;
  ledger: Ledger;
  inflight: InflightShare;
  budget: () => Promise<BudgetSettings>;
  /** The provider call itself (queue and retries included). */
  fetchPage: PageFetcher;
}

export interface PaidFetchOptions {
  /** "Refresh": skip the cache and pay again, on purpose. */
  refresh?: boolean;
  /** The continuation token of the page before, for a page past the provider's offset limit: part of the page's identity. */
  after?: string;
  /**
   * The asker's own limit on its requests on their way (a Load all's pages at once): a request
   * waits for it after the cache and the daily cap were checked, so it goes the moment one ends.
   */
  lane?: PageLane;
}

/** A fresh cached page as an answer (free, marked as from the cache) and the page as it was paid for; null when there is none. */
async function readCachedPage(cache: PageCache, key: string, page: number): Promise<{ answer: TablePage<PaidRow>; stored: CachedPage['page'] } | null> {
  const cached = await cache.get(key);
  if (!cached) return null;
  return { answer: { ...cached.page, page, creditsSpent: 0, costUsd: 0, fromCache: true, fetchedAt: cached.fetchedAt }, stored: cached.page };
}

/**
 * The cache-only read of a page, for a paid answer shown when its tab opens: it never sends a
 * request, so it can never spend, and it books nothing in the ledger (no request was asked for,
 * so none was saved: counting one on each opening of a tab would inflate what the cache saved).
 */
export function createCachedRead(cache: PageCache) {
  return async function cachedPage<Q extends PaidQuery>(query: Q, page: number): Promise<TablePage<RowOf<Q>> | null> {
    // The cache key tells the query's kind apart, so the rows are of its kind (as in fetchPage).
    return ((await readCachedPage(cache, pageCacheKey(query, page), page))?.answer ?? null) as TablePage<RowOf<Q>> | null;
  };
}

export type CachedRead = ReturnType<typeof createCachedRead>;

/**
 * Every page request goes through here, so that a page is never paid for twice: a fresh cached
 * copy is free, two views asking at once share one request, the daily cap is enforced before any
 * request leaves (a retry of a billed failure included), and every billed answer lands in the
 * ledger once, before anything else can fail.
 */
export function createPaidFetch(deps: PaidFetchDeps) {
  /**
   * What requests on their way will cost (by in-flight key), counted against the daily cap until
   * the ledger has them: otherwise two views asking at once would both pass a cap only one fits.
   */
  const onTheirWay = new Map<string, CostEstimate>();
  const reservedFor = (provider: PaidQuery['provider'], except: string) => {
    const held = { credits: 0, usd: 0 };
    for (const [key, estimate] of onTheirWay) {
      if (estimate.provider !== provider || key === except) continue;
      held.credits += estimate.credits;
      held.usd = addUsd(held.usd, estimate.usd);
    }
    return held;
  };

  /**
   * Reads today's spend and cap, then returns the check itself: synchronous, so that between
   * the check and the reservation that follows it no other request can slip in.
   */
  async function capCheck(query: PaidQuery, shareKey: string, estimate: CostEstimate): Promise<() => LensError | null> {
    const [spent, budget] = await Promise.all([deps.ledger.spentToday(query.provider), deps.budget()]);
    return () => {
      const held = reservedFor(query.provider, shareKey);
      const decision = decideBudget(estimate, { credits: spent.credits + held.credits, usd: addUsd(spent.usd, held.usd) }, budget);
      if (decision.kind !== 'stop') return null;
      // The sentence is the UI's (lib/ui/error-text.ts), in the user's language, from the cap sent as data.
      return lensError('over_budget', 'The daily cap is reached.', { provider: query.provider, dailyCap: decision.cap });
    };
  }

  /** One paid request; a summary's answer is its totals as the page's one row (RowOf). */
  return async function fetchPage<Q extends PaidQuery>(
    query: Q,
    page: number,
    signal: AbortSignal,
    options: PaidFetchOptions = {},
  ): Promise<Result<TablePage<RowOf<Q>>>> {
    // The cache key and the provider client both tell the query's kind apart, so the rows are of its kind.
    return (await paidFetch(query, page, signal, options)) as Result<TablePage<RowOf<Q>>>;
  };

  async function paidFetch(query: PaidQuery, page: number, signal: AbortSignal, options: PaidFetchOptions): Promise<Result<TablePage<PaidRow>>> {
    const key = pageCacheKey(query, page, options.after);
    const base = { provider: query.provider, report: query.report, target: query.target };
    const bookCharge = (charge: Charge) => deps.ledger.record({ ...base, time: Date.now(), kind: 'paid', rows: 0, ...charge });
    /** A fresh cached copy, served free and counted as saved; null when there is none (or on Refresh). */
    const fromCache = async (): Promise<Result<TablePage<PaidRow>> | null> => {
      if (options.refresh) return null;
      const cached = await readCachedPage(deps.cache, key, page);
      if (!cached) return null;
      // Not waited for: the entry (free, counted as saved) is in the ledger's totals from here on,
      // and its write is no reason to hold back the answer.
      void deps.ledger.record({
        ...base,
        time: Date.now(),
        kind: 'cache',
        rows: cached.stored.rows.length,
        credits: cached.stored.creditsSpent,
        usd: cached.stored.costUsd,
      });
      return ok(cached.answer);
    };
    const cached = await fromCache();
    if (cached) return cached;

    const estimate = requestEstimate(query, page);
    const shareKey = key + (options.refresh ? '|refresh' : '');
    const checkNow = await capCheck(query, shareKey, estimate);
    // share() runs a new request's task at once, and the task of one that follows an abandoned
    // request later: that one is a new charge too, checked again when it starts.
    let asking = true;
    let askedHere = false;
    const answer = deps.inflight.share(shareKey, signal, async (shared) => {
      askedHere = true;
      let check = checkNow;
      if (!asking) {
        const late = await fromCache();
        if (late) return late;
        check = await capCheck(query, shareKey, estimate);
      }
      // Joining a request already on its way costs nothing more: only a task that starts is checked.
      const refused = check();
      if (refused) return fail(refused);
      onTheirWay.set(shareKey, estimate);
      try {
        return await fetchAndRecord(shared);
      } finally {
        // An abandoned request's successor under the same key keeps its own reservation.
        if (onTheirWay.get(shareKey) === estimate) onTheirWay.delete(shareKey);
      }
    });
    asking = false;
    const result = await answer;
    // A request this caller only joined can be held back by its first asker's lane (that stream
    // ended before sending it): that refusal was not this caller's, so it asks for itself.
    if (!askedHere && !result.ok && result.error.code === 'cancelled' && !signal.aborted) return paidFetch(query, page, signal, options);
    return result;

    async function fetchAndRecord(shared: AbortSignal): Promise<Result<TablePage<PaidRow>>> {
      // The same page may have been stored while this call awaited the ledger (a request that
      // finished just then is no longer in flight to join): look again before paying.
      const late = await fromCache();
      if (late) return late;
      const result = await deps.fetchPage(
        query,
        page,
        shared,
        async (charge) => {
          // Booked as it arrives: the money is spent whatever comes of the retry.
          await bookCharge(charge);
          // The retry is a new charge, and must fit under the cap like any other.
          const refused = (await capCheck(query, shareKey, estimate))();
          return refused ? fail(refused) : ok(undefined);
        },
        options.after,
        options.lane,
      );
      if (result.ok) {
        const answer = result.data;
        const retries = answer.billedRetries;
        // The answer's own cost, without the billed tries before it: what a cached copy saves.
        const own = retries
          ? { credits: answer.creditsSpent - retries.credits, usd: addUsd(answer.costUsd, -retries.usd) }
          : { credits: answer.creditsSpent, usd: answer.costUsd };
        // Ledger first: the answer is paid for whatever fails after this.
        await deps.ledger.record({ ...base, time: answer.fetchedAt, kind: 'paid', rows: answer.rows.length, ...own });
        try {
          const page = { rows: answer.rows, total: answer.total, creditsSpent: own.credits, costUsd: own.usd, creditsLeft: answer.creditsLeft };
          // The token travels with the page: a cached page continues its own chain.
          await deps.cache.put({ key, ...base, page: answer.nextToken ? { ...page, nextToken: answer.nextToken } : page, fetchedAt: answer.fetchedAt });
        } catch {
          // The page is still this caller's (and any joiner's) answer; the cache keeps what the
          // disk refuses in memory, so only a page it truly lost can be asked for again.
        }
      } else if (result.error.charged) {
        // A failed answer the provider still billed (DataForSEO "Invalid Field"): never cached, always counted.
        await bookCharge(result.error.charged);
      }
      return result;
    }
  }
}

export type PaidFetch = ReturnType<typeof createPaidFetch>;
