import { providerCatalogue, type MoneyUnit, type ProviderId } from './providers';

/** An amount in a provider's own unit: Serpstat credits or DataForSEO dollars. */
export interface Money {
  unit: MoneyUnit;
  amount: number;
}

/** A record that keeps both units side by side (estimates, the ledger); only its provider's unit is used. */
export interface CreditsAndUsd {
  credits: number;
  usd: number;
}

/** What a page carries: what it cost, in both units. */
export interface PageSpend {
  creditsSpent: number;
  costUsd: number;
}

/** The amount that counts for `provider`. */
export function moneyOf(provider: ProviderId, amounts: CreditsAndUsd): Money {
  const { unit } = providerCatalogue[provider];
  return { unit, amount: unit === 'credits' ? amounts.credits : amounts.usd };
}

/** What a page (or pages added up) cost, in the provider's unit. */
export function pageCost(provider: ProviderId, spend: PageSpend): Money {
  return moneyOf(provider, { credits: spend.creditsSpent, usd: spend.costUsd });
}

/** USD amounts are summed in micro-dollars so $0.02015 + $0.02015 is exactly $0.0403. */
export const toMicros = (usd: number) => Math.round(usd * 1_000_000);
export const fromMicros = (micros: number) => micros / 1_000_000;
/** a + b dollars, exact to the micro-dollar. */
export const addUsd = (a: number, b: number) => fromMicros(toMicros(a) + toMicros(b));

/** What pages cost together: the one place page costs are added up. */
export function addUpSpend(pages: readonly PageSpend[]): PageSpend {
  return {
    creditsSpent: pages.reduce((sum, page) => sum + page.creditsSpent, 0),
    costUsd: fromMicros(pages.reduce((sum, page) => sum + toMicros(page.costUsd), 0)),
  };
}

/** Whether `amount` is above `limit` (same unit); the margin keeps float noise from asking. */
export function isAbove(amount: number, limit: number): boolean {
  return amount > limit + 1e-9;
}
