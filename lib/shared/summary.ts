import { z } from 'zod';
import { reportIds, type AnyRow, type BilledRetries, type RefDomainRow, type ReportId, type Scope, type TableQuery } from './reports';
import type { ProviderId } from './providers';
import { chartIds, type ChartId, type ChartQuery, type ChartRow } from './charts';

/**
 * A site's headline figures from the provider's summary endpoint (Serpstat `getSummaryV2`,
 * DataForSEO `backlinks/summary/live`), whatever the provider called them. A figure the
 * provider does not give is null; docs/providers.md says where each comes from.
 */
export interface SummaryTotals {
  referringDomains: SummaryFigure | null;
  backlinks: SummaryFigure | null;
  /** Followed backlinks (DataForSEO: backlinks less the nofollow ones, when it tells them). */
  dofollowBacklinks: SummaryFigure | null;
  /** Domains the site links out to (Serpstat only). */
  outboundDomains: SummaryFigure | null;
  /** The provider's rank of the site, 0–100 (Serpstat Domain Rank; DataForSEO's rank asked on its 0–100 scale). */
  rank: SummaryFigure | null;
}

/** One figure, and its change over the last 7 days where the provider says it (Serpstat), else null. */
export interface SummaryFigure {
  value: number;
  weekChange: number | null;
}

/** Part of the summary report: it is cached and billed like a page, but is no table. */
export const SUMMARY_REPORT = 'summary';

/** One summary request: like a table page it has a provider, a target and a scope, but nothing to sort, filter or page. */
export interface SummaryQuery {
  provider: ProviderId;
  report: typeof SUMMARY_REPORT;
  target: string;
  scope: Scope;
}

/** What a paid request asks for: one page of a table, a site's summary (its one row), or a chart (lib/shared/charts.ts). */
export type PaidQuery = TableQuery | SummaryQuery | ChartQuery;
export type PaidReport = ReportId | typeof SUMMARY_REPORT | ChartId;
export const paidReportSchema = z.enum([...reportIds, SUMMARY_REPORT, ...chartIds]);
/** The row a paid request answers with: a table's rows, the summary's totals as its one row, or a chart's points. */
export type RowOf<Q extends PaidQuery> = Q extends SummaryQuery ? SummaryTotals : Q extends ChartQuery ? ChartRow : AnyRow;
export type PaidRow = AnyRow | SummaryTotals | ChartRow;

export const isSummaryQuery = (query: PaidQuery): query is SummaryQuery => query.report === SUMMARY_REPORT;

/** What one part of the popup's lookup cost and how fresh it is, as a page says it. */
export interface PartFacts {
  creditsSpent: number;
  costUsd: number;
  /** Billed failures retried on the way, already in creditsSpent / costUsd. */
  billedRetries?: BilledRetries;
  /** The account's balance after the request, where the provider says it (Serpstat). */
  creditsLeft: number | null;
  fromCache: boolean;
  /** Epoch ms when the provider answered. */
  fetchedAt: number;
}

/** The popup's totals: null when the provider has no data for the site (it still billed the question). */
export interface TotalsPart extends PartFacts {
  totals: SummaryTotals | null;
}

/** The popup's top referring domains by rank (at most 10), from their own request. */
export interface TopDomainsPart extends PartFacts {
  rows: RefDomainRow[];
}
