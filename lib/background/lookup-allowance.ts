import { storage } from 'wxt/utils/storage';
import { estimateCost, perLookupLimit, requestEstimate, type BudgetSettings, type CostEstimate } from '../shared/budget';
import { planLoadAll, type LoadAllPlan } from '../shared/load-all';
import type { NeedsConsent, SpendConsent } from '../shared/protocol';
import type { Result } from '../shared/result';
import type { TablePage, TableQuery } from '../shared/reports';
import type { PaidQuery } from '../shared/summary';
import { pageCacheKey } from './cache/page-key';
import type { ProviderId } from '../shared/providers';
import { CreditsAndUsd, moneyOf } from '../shared/money';

/** What one lookup has paid and what the user allowed past the limit, in the provider's unit. */
interface LookupSpend {
  spent: number;
  /** Allowed on top of the per-lookup limit by the user's answers. */
  granted: number;
  /** The provider's total as last seen, for a Load-all grant. */
  total: number | null;
  /** Epoch ms of the last change, to keep only the latest lookups. */
  at: number;
}

/** Where lookups are kept: storage.session survives a service-worker restart, not the browser's. */
export interface LookupSpendStore {
  read(): Promise<Record<string, LookupSpend>>;
  write(spends: Record<string, LookupSpend>): Promise<void>;
}

const sessionSpends = storage.defineItem<Record<string, LookupSpend>>('session:lookupSpends', { fallback: {} });

export const sessionSpendStore: LookupSpendStore = {
  read: async () => (await sessionSpends.getValue()) ?? {},
  write: (spends) => sessionSpends.setValue(spends),
};

/** Lookups kept; the oldest is forgotten past this (it starts over at its next first page anyway). */
const KEPT_LOOKUPS = 200;
/** Float sums of dollars must not ask for a page that fits exactly. */
const EPSILON = 1e-9;

export interface LookupAllowanceDeps {
  budget: () => Promise<BudgetSettings>;
  store?: LookupSpendStore;
  /** A fresh cached page costs nothing, so it never waits for consent. */
  isCached?: (query: PaidQuery, page: number) => Promise<boolean>;
  /** The provider's own cap on rows per query (Serpstat 60,000), for a Load-all plan and grant. */
  maxRows?: (query: TableQuery) => number | undefined;
  now?: () => number;
}

export type Reservation =
  | {
      ok: true;
      /** Books what the page actually cost (0 from the cache, a billed failure's charge) and frees its reservation. */
      settle: (result: Result<TablePage>) => Promise<void>;
    }
  | { ok: false; needs: NeedsConsent };

const costIn = (provider: ProviderId, amount: CreditsAndUsd) => moneyOf(provider, amount).amount;
const limitOf = (provider: ProviderId, budget: BudgetSettings) => perLookupLimit(provider, budget).amount;
const pageEstimate = (query: TableQuery, page: number, total: number | null): CostEstimate =>
  estimateCost(query.provider, { fromPage: page, toPage: page, pageSize: query.pageSize, total });

/** The lookup a page belongs to: its query without the page (another sort, filter or target is another lookup). */
const lookupKey = (query: TableQuery) => pageCacheKey(query, 0);

/**
 * The per-lookup limit, owned by the background: every paid page of a table (scrolling, Load all,
 * Refresh, each half of the merged table) is reserved here before it is sent. Past the user's
 * limit plus what the user granted, nothing is sent and the caller gets the figures to ask with.
 * What a lookup spent is kept in storage.session, so a worker restart mid-lookup does not reset it.
 */
export function createLookupAllowance(deps: LookupAllowanceDeps) {
  const store = deps.store ?? sessionSpendStore;
  const now = deps.now ?? Date.now;
  /** Estimates of pages reserved but not yet answered, per lookup (a page asked ahead counts before it is paid). */
  const reserved = new Map<string, number>();
  /** Read-modify-write of the store, one at a time. */
  let chain: Promise<unknown> = Promise.resolve();
  const serially = <T>(work: () => Promise<T>): Promise<T> => {
    const next = chain.then(work, work);
    chain = next.catch(() => undefined);
    return next;
  };

  /**
   * The spends, read from the store once per worker start: only this allowance writes them, so the
   * copy is the truth from then on and the store follows it (persist).
   */
  let stored: Record<string, LookupSpend> | null = null;
  const readSpends = async () => (stored ??= await store.read());

  /**
   * Writes the copy to the store, one write at a time: the changes made while a write is on its
   * way share the next one, instead of one storage write (and one change event in every open
   * extension page) each. Resolves once a write holding the change made just before the call is
   * done, so a page is handed over only with its spend stored (a worker stopped then still knows
   * it). A write that fails is tried again with the next change; the copy stays the truth.
   */
  let onItsWay: Promise<void> = Promise.resolve();
  let nextWrite: Promise<void> | null = null;
  const persist = (): Promise<void> =>
    (nextWrite ??= onItsWay.then(() => {
      nextWrite = null;
      onItsWay = stored ? store.write(stored).catch(() => undefined) : Promise.resolve();
      return onItsWay;
    }));

  /**
   * Changes one lookup's spend in the copy, at once; `written` resolves once the store has it (not
   * awaited inside `serially`, so the changes that follow go on meanwhile and share the next write).
   */
  async function update(key: string, change: (spend: LookupSpend) => LookupSpend | null): Promise<{ spend: LookupSpend; written: Promise<void> }> {
    const spends = { ...(await readSpends()) };
    const current = spends[key] ?? { spent: 0, granted: 0, total: null, at: now() };
    const changed = change(current);
    if (!changed) return { spend: current, written: Promise.resolve() };
    spends[key] = { ...changed, at: now() };
    const kept = Object.fromEntries(
      Object.entries(spends)
        .sort(([, a], [, b]) => b.at - a.at)
        .slice(0, KEPT_LOOKUPS),
    );
    stored = kept;
    return { spend: spends[key], written: persist() };
  }

  /** "Load all"'s plan from the total this lookup last saw: what its dialog shows and its grant allows. */
  const planFor = (query: TableQuery, loadedPages: number, total: number | null, budget: BudgetSettings): LoadAllPlan | null =>
    total === null
      ? null
      : planLoadAll({ provider: query.provider, pageSize: query.pageSize, loadedPages, total, maxRows: deps.maxRows?.(query), budget });

  return {
    /** The estimate "Load all" shows before anything is spent, from the total this lookup last saw. */
    planLoadAll(query: TableQuery, loadedPages: number): Promise<LoadAllPlan | null> {
      const key = lookupKey(query);
      return serially(async () => {
        const spend = (await readSpends())[key];
        return planFor(query, loadedPages, spend?.total ?? null, await deps.budget());
      });
    },

    /** The total this lookup's pages last said (null before its first page answers). */
    lastTotal(query: TableQuery): Promise<number | null> {
      const key = lookupKey(query);
      return serially(async () => (await readSpends())[key]?.total ?? null);
    },

    /** A lookup's first page is asked: what it spent and what was granted start over. */
    begin(query: TableQuery): Promise<void> {
      const key = lookupKey(query);
      return serially(() => update(key, () => ({ spent: 0, granted: 0, total: null, at: now() }))).then(({ written }) => written);
    },

    /** The user's answer, turned into allowance from what this lookup has spent and the page it waits at. */
    grant(query: TableQuery, consent: SpendConsent, fromPage: number): Promise<void> {
      const key = lookupKey(query);
      const granting = serially(async () => {
        const budget = await deps.budget();
        const limit = limitOf(query.provider, budget);
        return update(key, (spend) => {
          const committed = spend.spent + (reserved.get(key) ?? 0);
          let wanted: number;
          if (consent === 'loadAll') {
            const plan = planFor(query, fromPage - 1, spend.total, budget);
            wanted = plan ? costIn(query.provider, plan.estimate) : 0;
          } else {
            // At least the page that waits, even when it alone is above the limit.
            wanted = Math.max(limit, costIn(query.provider, pageEstimate(query, fromPage, spend.total)));
          }
          const granted = Math.max(spend.granted, committed + wanted - limit);
          return granted === spend.granted ? null : { ...spend, granted };
        });
      });
      return granting.then(({ written }) => written);
    },

    /** Before a page is sent: holds its estimate against the allowance, or says what to ask the user. */
    reserve(query: TableQuery, page: number, total: number | null): Promise<Reservation> {
      const key = lookupKey(query);
      return serially(async (): Promise<Reservation> => {
        const limit = limitOf(query.provider, await deps.budget());
        // The total is kept for the Load-all plan; nothing waits for it to be stored.
        const { spend } = await update(key, (current) => (current.total === total || total === null ? null : { ...current, total }));
        const held = reserved.get(key) ?? 0;
        let estimate = costIn(query.provider, pageEstimate(query, page, total));
        if (spend.spent + held + estimate > limit + spend.granted + EPSILON) {
          if (!(await deps.isCached?.(query, page))) {
            return { ok: false, needs: { type: 'needsConsent', provider: query.provider, page, nextCost: estimate, spent: spend.spent, limit } };
          }
          estimate = 0;
        }
        reserved.set(key, held + estimate);
        let settled = false;
        return {
          ok: true,
          settle: (result) => {
            if (settled) return Promise.resolve();
            settled = true;
            const settling = serially(async () => {
              const left = (reserved.get(key) ?? 0) - estimate;
              if (left > EPSILON) reserved.set(key, left);
              else reserved.delete(key);
              const paid = result.ok
                ? costIn(query.provider, { credits: result.data.creditsSpent, usd: result.data.costUsd })
                : result.error.charged
                  ? costIn(query.provider, result.error.charged)
                  : 0;
              const seenTotal = result.ok ? result.data.total : null;
              if (paid === 0 && seenTotal === null) return null;
              return update(key, (current) => ({ ...current, spent: current.spent + paid, total: seenTotal ?? current.total }));
            });
            // The page is handed on once its spend is stored, by a write it may share with others.
            return settling.then((updated) => updated?.written);
          },
        };
      });
    },
  };
}

export type LookupAllowance = ReturnType<typeof createLookupAllowance>;

/**
 * A one-shot lookup (the popup's totals and top referring domains): its requests together
 * against the per-lookup limit. Null when it may go (within the limit, consented, or every
 * request already cached).
 */
export async function checkOneShotLookup(
  pages: { query: PaidQuery; page: number }[],
  consent: SpendConsent | undefined,
  deps: Pick<LookupAllowanceDeps, 'budget' | 'isCached'>,
): Promise<NeedsConsent | null> {
  const first = pages[0];
  if (!first || consent) return null;
  const provider = first.query.provider;
  const limit = limitOf(provider, await deps.budget());
  const cost = pages.reduce((sum, { query, page }) => sum + costIn(provider, requestEstimate(query, page)), 0);
  if (cost <= limit + EPSILON) return null;
  const cached = await Promise.all(pages.map(({ query, page }) => deps.isCached?.(query, page) ?? false));
  if (cached.every(Boolean)) return null;
  return { type: 'needsConsent', provider, page: 1, nextCost: Math.round(cost * 1e6) / 1e6, spent: 0, limit };
}
