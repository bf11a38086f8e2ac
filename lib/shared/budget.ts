import type { ProviderId } from './errors';

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

/** DataForSEO's price for a live backlinks request: a base per request plus a little per row. */
export const DATAFORSEO_USD_PER_REQUEST = 0.02;
export const DATAFORSEO_USD_PER_ROW = 0.00003;

export interface CostEstimate {
  provider: ProviderId;
  requests: number;
  rows: number;
  /** Serpstat credits (1 per row, at least 1 per request). */
  credits: number;
  /** DataForSEO USD. */
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
  if (provider === 'serpstat') {
    // Serpstat charges an empty answer 1 credit too.
    return { provider, requests, rows, credits: Math.max(rows, requests), usd: 0 };
  }
  const usd = Math.round((requests * DATAFORSEO_USD_PER_REQUEST + rows * DATAFORSEO_USD_PER_ROW) * 1e5) / 1e5;
  return { provider, requests, rows, credits: 0, usd };
}

export type BudgetDecision =
  | { kind: 'go' }
  /** Above the per-lookup limit: the user must confirm this estimate first. */
  | { kind: 'ask'; estimate: CostEstimate }
  /** The daily cap would be passed: no request until tomorrow or a higher cap. */
  | { kind: 'stop'; estimate: CostEstimate; spentToday: number; cap: number };

export function decideBudget(
  estimate: CostEstimate,
  spentToday: { credits: number; usd: number },
  settings: BudgetSettings,
): BudgetDecision {
  const serpstat = estimate.provider === 'serpstat';
  const cost = serpstat ? estimate.credits : estimate.usd;
  const spent = serpstat ? spentToday.credits : spentToday.usd;
  const cap = serpstat ? settings.dailyCapCredits : settings.dailyCapUsd;
  if (cap !== null && spent + cost > cap + 1e-9) {
    return { kind: 'stop', estimate, spentToday: spent, cap };
  }
  const perLookup = serpstat ? settings.perLookupCredits : settings.perLookupUsd;
  return cost > perLookup + 1e-9 ? { kind: 'ask', estimate } : { kind: 'go' };
}
