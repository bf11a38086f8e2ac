import type { Result } from '../../shared/result';
import type { AccountStatus, Credentials } from '../../shared/protocol';
import type { TableQuery } from '../../shared/reports';
import type { ProviderId } from '../../shared/providers';
import { ProviderPage } from '../../shared/reports';
import type { SummaryQuery, SummaryTotals } from '../../shared/summary';
import type { ChartQuery, ChartRow } from '../../shared/charts';

/** What one provider call needs besides the query. Only the background builds this. */
export interface RequestContext {
  /** Serpstat: ".../v4"; DataForSEO: the origin (paths start with /v3/). */
  baseUrl: string;
  credentials: Credentials;
  signal: AbortSignal;
  fetch: typeof fetch;
  /** Abort and report "timeout" after this long. */
  timeoutMs: number;
}

/**
 * One adapter per provider (lib/background/providers/<id>.ts): request builder, zod schemas, normaliser,
 * error map. Every method makes exactly one HTTP request and never throws: retries, rate
 * limits, cache and ledger belong to the background around it.
 */
export interface ProviderAdapter {
  id: ProviderId;
  /**
   * One page. `after`: the continuation token of the page before (ProviderPage.nextToken), for a
   * page past the report's offset limit (ReportCapability.offsetLimit).
   */
  fetchPage(query: TableQuery, page: number, ctx: RequestContext, after?: string): Promise<Result<ProviderPage>>;
  /** The site's headline totals as a page of one row (none when the provider has no data for it). */
  fetchSummary(query: SummaryQuery, ctx: RequestContext): Promise<Result<ProviderPage<SummaryTotals>>>;
  /** One chart's answer (lib/shared/charts.ts), its points as one page; without it the provider draws no chart. */
  fetchChart?(query: ChartQuery, ctx: RequestContext): Promise<Result<ProviderPage<ChartRow>>>;
  testConnection(ctx: RequestContext): Promise<Result<AccountStatus>>;
}
