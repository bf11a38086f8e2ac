import { decideBudget, estimateCost, type BudgetSettings, type CostEstimate } from '../budget';
import { lensError } from '../errors';
import type { Ledger } from '../ledger';
import { fail, ok, type Result } from '../result';
import type { TablePage, TableQuery } from '../reports';
import type { InflightShare } from './inflight';
import type { PageCache } from './page-cache';
import { pageCacheKey } from './page-key';

export type PageFetcher = (query: TableQuery, page: number, signal: AbortSignal) => Promise<Result<TablePage>>;

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
}

/**
 * Every page request goes through here, so that a page is never paid for twice: a fresh cached
 * copy is free, two views asking at once share one request, the daily cap is enforced before any
 * request leaves, and every paid answer (and what the cache saved) lands in the ledger once.
 */
export function createPaidFetch(deps: PaidFetchDeps) {
  /**
   * What requests on their way will cost (by in-flight key), counted against the daily cap until
   * the ledger has them: otherwise two views asking at once would both pass a cap only one fits.
   */
  const onTheirWay = new Map<string, CostEstimate>();
  const reservedFor = (provider: TableQuery['provider']) => {
    const held = { credits: 0, usd: 0 };
    for (const estimate of onTheirWay.values()) {
      if (estimate.provider !== provider) continue;
      held.credits += estimate.credits;
      held.usd += estimate.usd;
    }
    return held;
  };

  return async function fetchPage(
    query: TableQuery,
    page: number,
    signal: AbortSignal,
    options: PaidFetchOptions = {},
  ): Promise<Result<TablePage>> {
    const key = pageCacheKey(query, page);
    const base = { provider: query.provider, report: query.report, target: query.target };
    /** A fresh cached copy, served free and counted as saved; null when there is none (or on Refresh). */
    const fromCache = async (): Promise<Result<TablePage> | null> => {
      if (options.refresh) return null;
      const cached = await deps.cache.get(key);
      if (!cached) return null;
      await deps.ledger.record({
        ...base,
        time: Date.now(),
        kind: 'cache',
        rows: cached.page.rows.length,
        credits: cached.page.creditsSpent,
        usd: cached.page.costUsd,
      });
      return ok({ ...cached.page, page, creditsSpent: 0, costUsd: 0, fromCache: true, fetchedAt: cached.fetchedAt });
    };
    const cached = await fromCache();
    if (cached) return cached;

    const estimate = estimateCost(query.provider, { fromPage: page, toPage: page, pageSize: query.pageSize, total: null });
    const [spent, budget] = await Promise.all([deps.ledger.spentToday(query.provider), deps.budget()]);
    const shareKey = key + (options.refresh ? '|refresh' : '');
    // From here to the reservation nothing awaits, so no other request can slip in between.
    // Joining a request already on its way costs nothing more, so only a new one is checked.
    if (!onTheirWay.has(shareKey)) {
      const held = reservedFor(query.provider);
      const decision = decideBudget(estimate, { credits: spent.credits + held.credits, usd: spent.usd + held.usd }, budget);
      if (decision.kind === 'stop') {
        const unit = query.provider === 'serpstat' ? `${decision.cap.toLocaleString('en-US')} credits` : `$${decision.cap.toFixed(2)}`;
        return fail(lensError('over_budget', `Today's cap of ${unit} for ${query.provider === 'serpstat' ? 'Serpstat' : 'DataForSEO'} is reached.`, { provider: query.provider }));
      }
    }

    // share() starts a new request's task at once, so the reservation is made before anything awaits.
    return deps.inflight.share(shareKey, signal, async (shared) => {
      onTheirWay.set(shareKey, estimate);
      try {
        return await fetchAndRecord(shared);
      } finally {
        // An abandoned request's successor under the same key keeps its own reservation.
        if (onTheirWay.get(shareKey) === estimate) onTheirWay.delete(shareKey);
      }
    });

    async function fetchAndRecord(shared: AbortSignal): Promise<Result<TablePage>> {
      // The same page may have been stored while this call awaited the ledger (a request that
      // finished just then is no longer in flight to join): look again before paying.
      const late = await fromCache();
      if (late) return late;
      const result = await deps.fetchPage(query, page, shared);
      if (result.ok) {
        const answer = result.data;
        await deps.cache.put({ key, ...base, page: { rows: answer.rows, total: answer.total, creditsSpent: answer.creditsSpent, costUsd: answer.costUsd, creditsLeft: answer.creditsLeft }, fetchedAt: answer.fetchedAt });
        await deps.ledger.record({ ...base, time: answer.fetchedAt, kind: 'paid', rows: answer.rows.length, credits: answer.creditsSpent, usd: answer.costUsd });
      } else if (result.error.charged) {
        // A failed answer the provider still billed (DataForSEO "Invalid Field"): never cached, always counted.
        await deps.ledger.record({ ...base, time: Date.now(), kind: 'paid', rows: 0, ...result.error.charged });
      }
      return result;
    }
  };
}

export type PaidFetch = ReturnType<typeof createPaidFetch>;
