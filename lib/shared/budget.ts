import { isAbove, moneyOf, type Money } from './money';
import { providerCatalogue, type ProviderId } from './providers';
import { isSummaryQuery, type PaidQuery } from './summary';
import { chartBilledItems, isChartQuery } from './charts';

/** Limits the user sets on the options page. A null cap means "no daily cap". */
export interface BudgetSettings {
  perLookupCredits: number;
  perLookupUsd: number;
  dailyCapCredits: number | null;
  dailyCapUsd: number | null;
}

export const defaultBudget: BudgetSettings = {
  perLookupCredits: 1000,
  perLookupUsd: 0.5,
  dailyCapCredits: null,
  dailyCapUsd: null,
};

/** The most one lookup may cost without asking, in the provider's unit. */
export function perLookupLimit(provider: ProviderId, settings: BudgetSettings): Money {
  return moneyOf(provider, { credits: settings.perLookupCredits, usd: settings.perLookupUsd });
}

/** Today's cap in the provider's unit, or null when the user set none. */
export function dailyCap(provider: ProviderId, settings: BudgetSettings): Money | null {
  const { unit } = providerCatalogue[provider];
  const amount = unit === 'credits' ? settings.dailyCapCredits : settings.dailyCapUsd;
  return amount === null ? null : { unit, amount };
}

export interface CostEstimate {
  provider: ProviderId;
  requests: number;
  rows: number;
  /** In credits when the provider bills credits, else 0. */
  credits: number;
  /** In US dollars when the provider bills dollars, else 0. */
  usd: number;
}

/**
 * What fetching pages fromPage..toPage will cost, given the total the provider reported
 * (unknown before the first page: then every page is assumed full).
 */
export function estimateCost(
  provider: ProviderId,
  { fromPage, toPage, pageSize, total }: { fromPage: number; toPage: number; pageSize: number; total: number | null },
): CostEstimate {
  const lastPage = total === null ? toPage : Math.min(toPage, Math.max(1, Math.ceil(total / pageSize)));
  const requests = Math.max(0, lastPage - fromPage + 1);
  const rowsBefore = (fromPage - 1) * pageSize;
  const rowsUpTo = total === null ? lastPage * pageSize : Math.min(total, lastPage * pageSize);
  const rows = Math.max(0, rowsUpTo - rowsBefore);
  const { unit, pricing } = providerCatalogue[provider];
  const amount = Math.max(requests * pricing.perRequest + rows * pricing.perRow, requests * pricing.minPerRequest);
  // Dollars to 5 decimals, as the providers state them.
  return unit === 'credits'
    ? { provider, requests, rows, credits: amount, usd: 0 }
    : { provider, requests, rows, credits: 0, usd: Math.round(amount * 1e5) / 1e5 };
}

/**
 * What one request is estimated to cost before anything is known of its answer: a full page, or
 * a summary, which the providers bill like a one-row page (Serpstat 1 credit, DataForSEO $0.02003),
 * or a chart, billed like a page of its items (Serpstat's flat credit is one).
 */
export function requestEstimate(query: PaidQuery, page: number): CostEstimate {
  const pageSize = isSummaryQuery(query) ? 1 : isChartQuery(query) ? chartBilledItems(query) : query.pageSize;
  return estimateCost(query.provider, { fromPage: page, toPage: page, pageSize, total: null });
}

export type BudgetDecision =
  | { kind: 'go' }
  /** The daily cap would be passed: no request until tomorrow or a higher cap. */
  | { kind: 'stop'; estimate: CostEstimate; spentToday: number; cap: number };

export function decideBudget(
  estimate: CostEstimate,
  spentToday: { credits: number; usd: number },
  settings: BudgetSettings,
): BudgetDecision {
  const cost = moneyOf(estimate.provider, estimate).amount;
  const spent = moneyOf(estimate.provider, spentToday).amount;
  const cap = dailyCap(estimate.provider, settings);
  if (cap !== null && isAbove(spent + cost, cap.amount)) {
    return { kind: 'stop', estimate, spentToday: spent, cap: cap.amount };
  }
  return { kind: 'go' };
}
