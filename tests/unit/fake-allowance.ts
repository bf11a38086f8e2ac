import { defaultBudget, type BudgetSettings } from '../../lib/shared/budget';
import { createLookupAllowance } from '../../lib/background/lookup-allowance';

/** The background's per-lookup allowance (kept in the fake browser's storage.session) with the given limits. */
export function allowanceWith(limits: Partial<BudgetSettings>) {
  return createLookupAllowance({ budget: async () => ({ ...defaultBudget, ...limits }) });
}

/** An allowance no test table reaches: for tests about something else than the per-lookup limit. */
export const roomyAllowance = () => allowanceWith({ perLookupCredits: 1e12, perLookupUsd: 1e12 });
