import { REQUEST_TIMEOUT_MS } from './config';
import { lensError, type Charge, type LensError } from '../shared/errors';
import { fail, ok, type Result } from '../shared/result';
import type { BilledRetries, ProviderPage, ReportId, TablePage } from '../shared/reports';
import { isSummaryQuery, type PaidQuery, type PaidRow, type RowOf } from '../shared/summary';
import { isChartQuery, offersChart, type ChartQuery } from '../shared/charts';
import { impossibleAnswer } from './providers/http';
import type { AccountStatus, Credentials } from '../shared/protocol';
import { capabilityOf, providerName, type ProviderId } from '../shared/providers';
import type { ProviderAdapter, RequestContext } from './providers/types';
import { defaultRetry, withRetry, type RequestQueue, type RetryOptions } from './queue';
import { addUsd } from '../shared/money';

export interface ProviderClientDeps {
  adapters: Record<ProviderId, ProviderAdapter>;
  getCredentials: (provider: ProviderId) => Promise<Credentials | null>;
  baseUrls: Record<ProviderId, string>;
  fetch: typeof fetch;
  queues: Record<ProviderId, RequestQueue>;
  timeoutMs?: number;
  retry?: RetryOptions;
}

const neverAborted = new AbortController().signal;


/**
 * Hears a billed failure before it is tried again: books the charge (it is spent whatever comes
 * next) and says whether the retry, a new charge, may go (a failure stops it).
 */
export type BilledRetryHook = (charge: Charge) => Promise<Result<void>>;

/**
 * An asker's own limit on its pages on their way (a Load all's pages at once,
 * lib/background/table-server.ts): runs `send`, the request with its retries, when there is room,
 * and hears its answer.
 */
export interface PageLane {
  run(send: () => Promise<Result<ProviderPage<PaidRow>>>, signal: AbortSignal): Promise<Result<ProviderPage<PaidRow>>>;
}

export interface ProviderClient {
  /**
   * One page (or a summary, as its one row) from the provider (queue + retries), stamped as
   * fresh; its cost includes the billed failures that were retried on the way (`billedRetries`),
   * each handed to `onBilledRetry` first. `lane`: the asker's own limit on its requests on their
   * way (a Load all's pages at once), waited for before the provider's queue.
   */
  fetchPage<Q extends PaidQuery>(
    query: Q,
    page: number,
    signal: AbortSignal,
    onBilledRetry?: BilledRetryHook,
    after?: string,
    lane?: PageLane,
  ): Promise<Result<TablePage<RowOf<Q>>>>;
  /** The free account call, with the given (unsaved) credentials or the stored ones. */
  testConnection(provider: ProviderId, credentials?: Credentials, signal?: AbortSignal): Promise<Result<AccountStatus>>;
  /** Whether the provider offers the report at all (DataForSEO has no outbound domains). */
  supports(provider: ProviderId, report: ReportId): boolean;
}

/** A chart, from the adapter that draws it; one the provider lacks never reaches it. */
function chartOf(adapter: ProviderAdapter, query: ChartQuery, ctx: RequestContext) {
  if (adapter.fetchChart && offersChart(query.provider, query.report)) return adapter.fetchChart(query, ctx);
  return Promise.resolve(fail<never>(lensError('not_supported', `${providerName(query.provider)} does not draw this chart.`, { provider: query.provider })));
}

/** The only place that puts keys and network together: adapter + queue + retries. */
export function createProviderClient(deps: ProviderClientDeps): ProviderClient {
  const timeoutMs = deps.timeoutMs ?? REQUEST_TIMEOUT_MS;

  /** The one call site of every adapter method: cache and ledger wrap around this later. */
  async function call<T>(
    provider: ProviderId,
    given: Credentials | undefined,
    signal: AbortSignal,
    run: (adapter: ProviderAdapter, ctx: RequestContext) => Promise<Result<T>>,
    beforeRetry?: (failed: LensError) => Promise<Result<void>>,
  ): Promise<Result<T>> {
    if (given && given.provider !== provider) {
      return fail(lensError('internal', 'The credentials sent are for another provider.', { provider }));
    }
    const credentials = given ?? (await deps.getCredentials(provider));
    if (!credentials) {
      return fail(lensError('no_key', `No ${providerName(provider)} credentials are saved.`, { provider }));
    }
    const adapter = deps.adapters[provider];
    const attempt = () =>
      deps.queues[provider].run(async () => {
        // Not the asker's signal: a sent request finishes (the queue explains why); the timeout still ends it.
        const ctx: RequestContext = { baseUrl: deps.baseUrls[provider], credentials, signal: neverAborted, fetch: deps.fetch, timeoutMs };
        try {
          return await run(adapter, ctx);
        } catch {
          // Adapters promise never to throw; if one does, the user still gets an answer.
          return fail<T>(lensError('internal', `The ${providerName(provider)} answer could not be handled.`, { provider }));
        }
      }, signal);
    return withRetry(attempt, signal, deps.retry ?? defaultRetry, beforeRetry);
  }

  return {
    async fetchPage<Q extends PaidQuery>(query: Q, page: number, signal: AbortSignal, onBilledRetry?: BilledRetryHook, after?: string, lane?: PageLane) {
      // The adapter method is the query's kind's, so the rows are too.
      return (await fetchAny(query, page, signal, onBilledRetry, after, lane)) as Result<TablePage<RowOf<Q>>>;
    },
    testConnection(provider, credentials, signal = new AbortController().signal) {
      return call(provider, credentials, signal, (adapter, ctx) => adapter.testConnection(ctx));
    },
    supports(provider, report) {
      return capabilityOf(provider, report).supported;
    },
  };

  async function fetchAny(
    query: PaidQuery,
    page: number,
    signal: AbortSignal,
    onBilledRetry?: BilledRetryHook,
    after?: string,
    lane?: PageLane,
  ): Promise<Result<TablePage<PaidRow>>> {
    const billed: BilledRetries = { attempts: 0, credits: 0, usd: 0 };
    const beforeRetry = async (failed: LensError): Promise<Result<void>> => {
      if (!failed.charged) return ok(undefined);
      billed.attempts += 1;
      billed.credits += failed.charged.credits;
      billed.usd = addUsd(billed.usd, failed.charged.usd);
      return onBilledRetry ? onBilledRetry(failed.charged) : ok(undefined);
    };
    const ask = (adapter: ProviderAdapter, ctx: RequestContext): Promise<Result<ProviderPage<PaidRow>>> =>
      isSummaryQuery(query) ? adapter.fetchSummary(query, ctx) : isChartQuery(query) ? chartOf(adapter, query, ctx) : adapter.fetchPage(query, page, ctx, after);
    const send = () => call(query.provider, undefined, signal, ask, beforeRetry);
    // The lane is held through the retries: a page being retried is still on its way.
    const result = await (lane ? lane.run(send, signal) : send());
    if (!result.ok) return result;
    // A chart's points come in one answer, however many.
    const pageSize = isSummaryQuery(query) ? 1 : isChartQuery(query) ? Infinity : query.pageSize;
    if (result.data.rows.length > pageSize) {
      // Taken as it came, it would overlap the next page; what the answer said it cost is still booked.
      const what = `${result.data.rows.length.toLocaleString('en-US')} rows for a page of ${pageSize.toLocaleString('en-US')}`;
      return fail({ ...impossibleAnswer(query.provider, what), charged: { credits: result.data.creditsSpent, usd: result.data.costUsd } });
    }
    const fresh = { ...result.data, page, fromCache: false, fetchedAt: Date.now() };
    if (billed.attempts === 0) return ok(fresh);
    return ok({ ...fresh, creditsSpent: fresh.creditsSpent + billed.credits, costUsd: addUsd(fresh.costUsd, billed.usd), billedRetries: billed });
  }
}
