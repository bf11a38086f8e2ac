import type { PageCache } from './cache/page-cache';
import type { PaidFetch, PaidFetchOptions } from './cache/paid-fetch';
import type { Ledger } from './ledger';
import type { AccountStatus, CacheStats, Credentials, ProviderBalance, ProviderBalances, Usage } from '../shared/protocol';
import type { Result } from '../shared/result';
import type { TablePage } from '../shared/reports';
import type { PaidQuery, PaidRow } from '../shared/summary';
import { storage } from 'wxt/utils/storage';
import { z } from 'zod';
import type { ProviderId } from '../shared/providers';

/** The options page shows a month of spend. */
export const USAGE_DAYS = 30;

export interface UsageDeps {
  ledger: Pick<Ledger, 'daily'>;
  cache: Pick<PageCache, 'stats' | 'clear'>;
  balances: () => Promise<ProviderBalances>;
}

/** Everything the options page's Usage and Cache sections show; no provider call. */
export async function readUsage(deps: UsageDeps): Promise<Usage> {
  const [days, cache, balances] = await Promise.all([deps.ledger.daily(USAGE_DAYS), deps.cache.stats(), deps.balances()]);
  return { days, cache, balances };
}

/** Empties the page cache and answers its size afterwards. */
export async function clearPageCache(cache: UsageDeps['cache']): Promise<CacheStats> {
  await cache.clear();
  return cache.stats();
}

/**
 * The balance a page reports, when it was paid for just now. A cached page carries the balance
 * of the day it was fetched, which would pass an old number off as new.
 */
export function balanceFromPage(page: TablePage<PaidRow>): ProviderBalance | null {
  if (page.fromCache || page.creditsLeft == null) return null;
  return { creditsLeft: page.creditsLeft, balanceUsd: null, seenAt: page.fetchedAt };
}

/** The balance a connection test reports, if it reported one. */
export function balanceFromAccount(account: AccountStatus, seenAt: number): ProviderBalance | null {
  if (account.creditsLeft == null && account.balanceUsd == null) return null;
  return { creditsLeft: account.creditsLeft, balanceUsd: account.balanceUsd, seenAt };
}

export type StoreBalance = (provider: ProviderId, balance: ProviderBalance | null) => Promise<void>;

/**
 * Writes balances one at a time, each read-modify-write of the stored pair (two at once would lose
 * one), and only the latest of each provider: during a Load all every page reports a balance and
 * only the last one matters, so those that arrive while a write is on its way go out together as
 * one write of the newest. Each call resolves once its balance, or a newer one for the same
 * provider, is stored; a failed write rejects only the calls it was writing for.
 */
export function coalescingBalanceWriter(store: StoreBalance): StoreBalance {
  const waiting = new Map<ProviderId, { balance: ProviderBalance | null; callers: { resolve: () => void; reject: (error: unknown) => void }[] }>();
  let writing = false;
  async function writeWaiting(): Promise<void> {
    writing = true;
    for (let next = waiting.entries().next(); !next.done; next = waiting.entries().next()) {
      const [provider, { balance, callers }] = next.value;
      waiting.delete(provider);
      try {
        await store(provider, balance);
        for (const caller of callers) caller.resolve();
      } catch (error) {
        for (const caller of callers) caller.reject(error);
      }
    }
    writing = false;
  }
  return (provider, balance) =>
    new Promise((resolve, reject) => {
      const newest = waiting.get(provider);
      if (newest) {
        newest.balance = balance;
        newest.callers.push({ resolve, reject });
      } else {
        waiting.set(provider, { balance, callers: [{ resolve, reject }] });
      }
      if (!writing) void writeWaiting();
    });
}

/**
 * The paid fetch, noting the balance of every page the provider just answered. The page does not
 * wait for it: a balance is "as last seen", and the writer folds a run's balances into a few writes.
 */
export function recordingBalances(fetchPage: AnyPaidFetch, store: StoreBalance): PaidFetch {
  const recording: AnyPaidFetch = async (query, page, signal, options) => {
    const result = await fetchPage(query, page, signal, options);
    const balance = result.ok ? balanceFromPage(result.data) : null;
    // A balance that could not be stored is not worth failing the page for.
    if (balance) void store(query.provider, balance).catch(() => undefined);
    return result;
  };
  // It answers exactly what `fetchPage` (a PaidFetch in the worker) answered.
  return recording as PaidFetch;
}
/** A PaidFetch, or anything answering like one without saying which rows come for which query. */
export type AnyPaidFetch = (query: PaidQuery, page: number, signal: AbortSignal, options?: PaidFetchOptions) => Promise<Result<TablePage<PaidRow>>>;

type TestConnection = (provider: ProviderId, credentials: Credentials | undefined, signal: AbortSignal) => Promise<Result<AccountStatus>>;

/** "Test connection", noting the balance it reports for the saved credentials. */
export function recordingTestedBalance(testConnection: TestConnection, store: StoreBalance, now: () => number = Date.now): TestConnection {
  return async (provider, credentials, signal) => {
    const result = await testConnection(provider, credentials, signal);
    // Only the saved account's balance: typed, unsaved credentials may belong to another account.
    const balance = result.ok && !credentials ? balanceFromAccount(result.data, now()) : null;
    if (balance) await store(provider, balance).catch(() => undefined);
    return result;
  };
}

const noBalances: ProviderBalances = { serpstat: null, dataforseo: null };
/** The balance each provider last reported; only the background writes it. */
export const lastBalancesItem = storage.defineItem<ProviderBalances>('local:lastBalances', { fallback: noBalances, version: 1 });
const providerBalanceSchema = z.object({
  creditsLeft: z.number().finite().nullable(),
  balanceUsd: z.number().finite().nullable(),
  seenAt: z.number().finite(),
});

/** The balances last seen; anything unusable in storage reads as "not seen". */
export async function getLastBalances(): Promise<ProviderBalances> {
  const stored = ((await lastBalancesItem.getValue()) ?? {}) as Partial<Record<ProviderId, unknown>>;
  const read = (provider: ProviderId) => {
    const parsed = providerBalanceSchema.safeParse(stored[provider]);
    return parsed.success ? parsed.data : null;
  };
  return { serpstat: read('serpstat'), dataforseo: read('dataforseo') };
}

/** Remembers a balance, or forgets it (null) when the credentials change hands. */
export async function setLastBalance(provider: ProviderId, balance: ProviderBalance | null): Promise<void> {
  await lastBalancesItem.setValue({ ...(await getLastBalances()), [provider]: balance });
}
