import { estimateCost, perLookupLimit, type BudgetSettings, type CostEstimate } from './budget';
import { t } from './i18n';
import { moneyOf } from './money';
import type { ProviderId } from './providers';

/**
 * What "Load all" will fetch and what it will cost, shown before anything is spent. Made in the
 * background (lib/background/lookup-allowance.ts) from the total it last saw, the same figures its
 * "Start loading" then allows.
 */
export interface LoadAllPlan {
  fromPage: number;
  toPage: number;
  /** Rows the table will hold when every page has arrived. */
  expectedRows: number;
  estimate: CostEstimate;
  /** Rows the provider has but will not send (Serpstat sends at most 60,000 per method); 0 when none. */
  rowsBeyondProviderLimit: number;
  /** The per-lookup limit the user set, in the provider's unit (credits or dollars). */
  limit: number;
  /** The estimate is above it. */
  overPerLookupLimit: boolean;
}

export interface LoadAllInput {
  provider: ProviderId;
  pageSize: number;
  /** Pages already loaded (1..loadedPages). */
  loadedPages: number;
  /** Rows the provider says match. */
  total: number;
  /** The provider's own cap on rows per query, if any. */
  maxRows?: number;
  budget: BudgetSettings;
}

/** The remaining pages of a table, or null when every page the provider will send is loaded. */
export function planLoadAll({ provider, pageSize, loadedPages, total, maxRows, budget }: LoadAllInput): LoadAllPlan | null {
  const reachable = maxRows === undefined ? total : Math.min(total, maxRows);
  const lastPage = Math.ceil(reachable / pageSize);
  const fromPage = loadedPages + 1;
  if (fromPage > lastPage) return null;
  const estimate = estimateCost(provider, { fromPage, toPage: lastPage, pageSize, total: reachable });
  const cost = moneyOf(provider, estimate).amount;
  const limit = perLookupLimit(provider, budget).amount;
  return {
    fromPage,
    toPage: lastPage,
    expectedRows: reachable,
    estimate,
    rowsBeyondProviderLimit: total - reachable,
    limit,
    overPerLookupLimit: cost > limit + 1e-9,
  };
}

export interface LoadAllProgress {
  pagesDone: number;
  pagesTotal: number;
  /** 0..1 of the pages this run fetches. */
  fraction: number;
  /** Null until a page has arrived to time by. */
  msLeft: number | null;
}

/** Progress of one run from its plan: pages fetched so far, and the time left at the pace so far. */
export function loadAllProgress(plan: LoadAllPlan, pagesDone: number, elapsedMs: number): LoadAllProgress {
  const pagesTotal = plan.toPage - plan.fromPage + 1;
  const done = Math.min(pagesDone, pagesTotal);
  return {
    pagesDone: done,
    pagesTotal,
    fraction: pagesTotal === 0 ? 1 : done / pagesTotal,
    msLeft: done === 0 ? null : Math.round((elapsedMs / done) * (pagesTotal - done)),
  };
}

/** "about 2 min" / "about 40 s" / "a few seconds": a remaining time the user reads at a glance. */
export function formatTimeLeft(ms: number | null): string {
  if (ms === null) return t('timeLeft_unknown');
  if (ms < 5_000) return t('timeLeft_seconds');
  if (ms < 90_000) return t('timeLeft_aboutSeconds', [String(Math.round(ms / 1000))]);
  return t('timeLeft_aboutMinutes', [String(Math.round(ms / 60_000))]);
}
