import { infiniteQueryOptions, queryOptions, type InfiniteData } from '@tanstack/react-query';
import type { LensError } from '../shared/errors';
import { isNeedsConsent, type NeedsConsent, type SpendConsent } from '../shared/protocol';
import type { Result } from '../shared/result';
import { isLastPage, overlapQuery, type Comparison, type Scope, type TablePage, type TableQuery } from '../shared/reports';
import { sendRequest } from './messaging/client';
import type { TableClient } from './messaging/table-client';
import type { ProviderId } from '../shared/providers';
import type { ChartId } from '../shared/charts';

/**
 * TanStack Query option factories for every UI read, in one place so keys never drift.
 * Provider data is never refetched by the UI on its own (staleTime Infinity, no retry):
 * each fetch can cost the user credits, and the background already retries what is retryable.
 */

/** A LensError thrown through TanStack Query, which needs a thrown value to enter the error state. */
export class LensErrorException extends Error {
  readonly error: LensError;
  constructor(error: LensError) {
    super(error.message);
    this.name = 'LensErrorException';
    this.error = error;
  }
}

/**
 * The background's per-lookup limit held a page back (nothing was sent), thrown through TanStack
 * Query like a LensErrorException so the page waits in the error state until the user answers.
 */
export class SpendLimitReached extends Error {
  readonly needs: NeedsConsent;
  constructor(needs: NeedsConsent) {
    super('The per-lookup limit holds this page back.');
    this.name = 'SpendLimitReached';
    this.needs = needs;
  }
}

/** The limit's figures behind a query error, or null when it is another error. */
export const spendLimitOf = (thrown: unknown): NeedsConsent | null => (thrown instanceof SpendLimitReached ? thrown.needs : null);

/** The LensError behind a query error; anything else is a bug in the extension. */
export function toLensError(thrown: unknown): LensError {
  if (thrown instanceof LensErrorException) return thrown.error;
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  return { code: 'internal', message, retryable: false };
}

/** The data of a Result, or its error thrown as a LensErrorException (for queryFn / mutationFn). */
export function unwrapResult<T>(result: Result<T>): T {
  if (result.ok) return result.data;
  throw new LensErrorException(result.error);
}

export const queryKeys = {
  keyStatus: ['keyStatus'] as const,
  table: (query: TableQuery) => ['table', query] as const,
  charts: (provider: ProviderId, charts: readonly ChartId[], target: string, scope: Scope, ask?: OneShotAsk) =>
    ['charts', provider, charts, target, scope, ask ?? null] as const,
  linkGapOverlap: (counts: TableQuery, ask?: OneShotAsk) => ['linkGapOverlap', counts, ask ?? null] as const,
  usage: ['usage'] as const,
};

/** Which providers have credentials (and their masked tails). Free: no provider call. */
export function keyStatusQuery() {
  return queryOptions({
    queryKey: queryKeys.keyStatus,
    queryFn: async () => unwrapResult(await sendRequest({ type: 'getKeyStatus' })),
    retry: false,
  });
}

/**
 * How a paid one-shot lookup is asked: left out, paid; `continue`, paid past the per-lookup limit
 * (the user's go-ahead); `cachedOnly`, free, only what the background's cache holds (null when it
 * holds none), asked as the lookup's tab opens.
 */
export type OneShotAsk = 'continue' | 'cachedOnly';

/** The request fields of `ask`. */
const oneShotFields = (ask: OneShotAsk | undefined): { consent?: 'continue'; cachedOnly?: true } =>
  ask === 'cachedOnly' ? { cachedOnly: true } : ask ? { consent: ask } : {};

/** A paid one-shot lookup is kept for the panel's life; its cache-only look is asked again each time its tab opens. */
const oneShotTimes = (ask: OneShotAsk | undefined) => ({ staleTime: Infinity, gcTime: ask === 'cachedOnly' ? 0 : 30 * 60 * 1000, retry: false });

/**
 * Charts of a target (History tab, rank distribution): paid, so fetched only once the user asked
 * (`enabled`), then kept; or free from the cache alone (OneShotAsk).
 */
export function chartsQuery(provider: ProviderId, charts: readonly ChartId[], target: string, scope: Scope, ask?: OneShotAsk) {
  return queryOptions({
    queryKey: queryKeys.charts(provider, charts, target, scope, ask),
    queryFn: async () => unwrapResult(await sendRequest({ type: 'getCharts', provider, charts: [...charts], target, scope, ...oneShotFields(ask) })),
    ...oneShotTimes(ask),
  });
}

/**
 * A Link gap comparison's overlap counts: paid, so fetched only once the user asked, then kept;
 * or free from the cache alone (OneShotAsk). Keyed by the counts' own query (`overlapQuery`), so
 * the table's sort, filters and any/all do not make another key.
 */
export function linkGapOverlapQuery(table: TableQuery & { comparison: Comparison }, ask?: OneShotAsk) {
  return queryOptions({
    queryKey: queryKeys.linkGapOverlap(overlapQuery(table), ask),
    queryFn: async () => unwrapResult(await sendRequest({ type: 'getLinkGapOverlap', query: table, ...oneShotFields(ask) })),
    ...oneShotTimes(ask),
  });
}

/** Pages still to load after `lastPage`, from the provider's total, the page size and its row cap. */
export function nextPageAfter(lastPage: TablePage, pageSize: number, maxRows?: number): number | undefined {
  // Nothing past the provider's row cap is asked (Serpstat bills an empty page 601).
  return isLastPage(lastPage, pageSize, maxRows) ? undefined : lastPage.page + 1;
}

/** Spend per day, cache size and balances last seen (options page). Free: no provider call. */
export function usageQuery() {
  return queryOptions({
    queryKey: queryKeys.usage,
    queryFn: async () => unwrapResult(await sendRequest({ type: 'getUsage' })),
    // Free to ask: coming back to the options tab after a lookup shows what it cost.
    refetchOnWindowFocus: true,
    retry: false,
  });
}

export interface TableQueryOptions {
  /**
   * Read per page: while it says yes (the user pressed Refresh, whose button says what it costs,
   * and the loaded pages are refetched), each page skips the cache, with the user's consent.
   */
  refreshing?: () => boolean;
  /** The user's answer to the per-lookup limit, taken (and cleared) by the next page asked. */
  takeConsent?: () => SpendConsent | undefined;
  /** The provider's cap on rows per query. */
  maxRows?: number;
}

/**
 * One streamed table, page by page; the whole TableQuery is the key, so a new sort is a new table.
 * A page the background's per-lookup limit holds back ends in the error state as SpendLimitReached.
 */
export function tableQuery(client: TableClient, query: TableQuery, { refreshing, takeConsent, maxRows }: TableQueryOptions = {}) {
  return infiniteQueryOptions({
    queryKey: queryKeys.table(query),
    queryFn: async ({ pageParam, signal }): Promise<TablePage> => {
      const refresh = refreshing?.() ?? false;
      const consent = refresh ? 'continue' : takeConsent?.();
      const answer = unwrapResult(
        await client.requestPage(query, pageParam, signal, { ...(refresh ? { refresh } : {}), ...(consent ? { consent } : {}) }),
      );
      if (isNeedsConsent(answer)) throw new SpendLimitReached(answer);
      return answer;
    },
    initialPageParam: 1,
    getNextPageParam: (lastPage: TablePage) => nextPageAfter(lastPage, query.pageSize, maxRows),
    staleTime: Infinity,
    // Keep paid pages while the user looks at another tab for a while.
    gcTime: 30 * 60 * 1000,
    retry: false,
  });
}

/**
 * A table's cached pages with streamed pages ("Load all") added: only the page that follows the
 * last one is taken, so a page that arrives twice or out of order never shows twice.
 */
export function appendPages(
  data: InfiniteData<TablePage, number> | undefined,
  arrived: TablePage[],
): InfiniteData<TablePage, number> | undefined {
  if (!data) return data;
  const pages = [...data.pages];
  const pageParams = [...data.pageParams];
  for (const page of arrived) {
    if (page.page !== pages.length + 1) continue;
    pages.push(page);
    pageParams.push(page.page);
  }
  return pages.length === data.pages.length ? data : { pages, pageParams };
}
