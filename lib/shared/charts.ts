import { z } from 'zod';
import { providerIdSchema, type ProviderId } from './providers';
import { isLookupTarget, lookupTargetIssue, scopeSchema, type BilledRetries, type Scope } from './reports';
import type { PaidQuery } from './summary';

/**
 * The side panel's charts: one-shot paid requests (no paging, sort or filter) that go through the
 * same paid path as a table's pages (cache, ledger, daily cap, per-lookup limit), as a ChartQuery.
 *
 * - `linkTotals`: referring domains and backlinks month by month (DataForSEO history/live).
 * - `newLost`: new and lost links per period (Serpstat getBacklinksChangesHistory, weekly;
 *   DataForSEO timeseries_new_lost_summary/live, weekly over the last year).
 * - `rankDistribution`: the whole profile's referring domains by rank (Serpstat getDistributionSDR).
 */
export const chartIds = ['linkTotals', 'newLost', 'rankDistribution'] as const;
export const chartIdSchema = z.enum(chartIds);
export type ChartId = z.infer<typeof chartIdSchema>;

/** One period of a history; null where the provider has no figure (not zero). */
export interface HistoryPoint {
  /** YYYY-MM-DD: the day the provider labels the period with. */
  date: string;
  backlinks: number | null;
  referringDomains: number | null;
  newBacklinks: number | null;
  lostBacklinks: number | null;
  newReferringDomains: number | null;
  lostReferringDomains: number | null;
  /** The period runs past the day asked for (DataForSEO's last bucket): still being counted. */
  partial: boolean;
}

/** Referring domains whose rank (0–100) lies in from..to, both included. */
export interface RankBucket {
  from: number;
  to: number;
  domains: number;
}

const count = () => z.number().int().nonnegative();
const maybeCount = () => count().nullable();
// Built on their first parse, in the worker and the side panel (lib/shared/protocol.ts says why).
export const historyPointSchema = z.lazy(() => z.object({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  backlinks: maybeCount(),
  referringDomains: maybeCount(),
  newBacklinks: maybeCount(),
  lostBacklinks: maybeCount(),
  newReferringDomains: maybeCount(),
  lostReferringDomains: maybeCount(),
  partial: z.boolean(),
}));
export const rankBucketSchema = z.lazy(() => z.object({ from: z.number().min(0).max(100), to: z.number().min(0).max(100), domains: count() }));

export interface ChartRowByChart {
  linkTotals: HistoryPoint;
  newLost: HistoryPoint;
  rankDistribution: RankBucket;
}
export type ChartRow = ChartRowByChart[ChartId];
/** What a cached or fresh answer must hold to be drawn: the cache keeps whatever was written. */
export const chartRowSchemas: { [C in ChartId]: z.ZodType<ChartRowByChart[C]> } = {
  linkTotals: historyPointSchema,
  newLost: historyPointSchema,
  rankDistribution: rankBucketSchema,
};

/** One chart of one target: with the page number 1, one cacheable paid request. */
export interface ChartQuery {
  provider: ProviderId;
  report: ChartId;
  /** A domain or host (ASCII/punycode); charts have no "this page" scope. */
  target: string;
  scope: Scope;
}
export const isChartId = (id: string): id is ChartId => (chartIds as readonly string[]).includes(id);
export const isChartQuery = (query: PaidQuery): query is ChartQuery => isChartId(query.report);

/** How far back the weekly DataForSEO new/lost chart looks: a year keeps it to about 53 buckets. */
export const NEW_LOST_WEEKS = 52;
/** DataForSEO's history starts here (history/live); its new/lost counts only from HISTORY_CHANGES_FROM. */
export const HISTORY_FROM = '2019-01-01';
/** Before this month DataForSEO's history/live reports new and lost as 0: no data, not none. */
export const HISTORY_CHANGES_FROM = '2021-05-01';

/** What a provider offers for one chart: the scopes, and the items it bills (for the estimate). */
interface ChartOffer {
  scopes: Scope[];
  /** Items the answer is billed for, as of `today` (Serpstat's flat 1 credit is one item). */
  billedItems: (today: Date) => number;
}

/** Months from January 2019 to `today`'s month, both included: history/live's items. */
export function monthsSinceHistoryStart(today: Date): number {
  return (today.getUTCFullYear() - 2019) * 12 + today.getUTCMonth() + 1;
}

const flatCredit = () => 1;
const domainScopes: Scope[] = ['domain_with_subdomains', 'domain'];

/** Which provider draws which chart. history/live takes no subdomain switch: the whole domain only. */
export const chartOffers: Record<ProviderId, Partial<Record<ChartId, ChartOffer>>> = {
  serpstat: {
    newLost: { scopes: domainScopes, billedItems: flatCredit },
    rankDistribution: { scopes: domainScopes, billedItems: flatCredit },
  },
  dataforseo: {
    linkTotals: { scopes: ['domain_with_subdomains'], billedItems: monthsSinceHistoryStart },
    // Weekly buckets over a year, the last one running past today: at most 54 items.
    newLost: { scopes: ['domain_with_subdomains'], billedItems: () => NEW_LOST_WEEKS + 2 },
  },
};

/** The History tab's charts for a provider, in the order they are drawn. */
export function historyChartsOf(provider: ProviderId): ChartId[] {
  return (['linkTotals', 'newLost'] as const).filter((chart) => chartOffers[provider][chart]);
}

export function offersChart(provider: ProviderId, chart: ChartId, scope?: Scope): boolean {
  const offer = chartOffers[provider][chart];
  return offer !== undefined && (scope === undefined || offer.scopes.includes(scope));
}

/** The scopes in which a provider draws every one of `charts`. */
export function chartScopes(provider: ProviderId, charts: readonly ChartId[]): Scope[] {
  return domainScopes.filter((scope) => charts.length > 0 && charts.every((chart) => offersChart(provider, chart, scope)));
}

/** The items a chart request will be billed for as of `today`, which its estimate counts like a page's rows. */
export function chartBilledItems(query: Pick<ChartQuery, 'provider' | 'report'>, today = new Date()): number {
  return chartOffers[query.provider][query.report]?.billedItems(today) ?? 1;
}

/** The UI asks for charts with this; the background fetches them together (one per-lookup check). */
export const chartsRequestSchema = z.lazy(() => z
  .object({
    type: z.literal('getCharts'),
    provider: providerIdSchema,
    charts: z.array(chartIdSchema).min(1).max(chartIds.length),
    target: z.string().min(1).max(253),
    scope: scopeSchema,
    /** The user's go-ahead after the background said the charts are above the per-lookup limit. */
    consent: z.literal('continue').optional(),
    /** Only what the cache holds (free, nothing sent), for a tab that opens on charts already paid for; null when not cached. */
    cachedOnly: z.literal(true).optional(),
  })
  .refine((request) => request.scope !== 'url' && isLookupTarget(request.target, request.scope), lookupTargetIssue));

/** The charts asked for, with what they cost together. */
export interface Charts {
  provider: ProviderId;
  target: string;
  linkTotals?: HistoryPoint[];
  newLost?: HistoryPoint[];
  rankDistribution?: RankBucket[];
  creditsSpent: number;
  costUsd: number;
  creditsLeft: number | null;
  fromCache: boolean;
  /** Billed failures retried on the way, already in creditsSpent / costUsd. */
  billedRetries?: BilledRetries;
  /** Epoch ms of the oldest answer. */
  fetchedAt: number;
}
