import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { DaySpend } from '../shared/protocol';
import type { PaidReport } from '../shared/summary';
import { fromMicros, toMicros } from '../shared/money';
import type { ProviderId } from '../shared/providers';

/** One provider request that cost money, or one page the cache served for free. */
export interface LedgerEntry {
  time: number;
  /** Local calendar day, YYYY-MM-DD: budgets and the options page speak in the user's days. */
  day: string;
  provider: ProviderId;
  report: PaidReport;
  target: string;
  kind: 'paid' | 'cache';
  rows: number;
  /** Serpstat credits: charged when paid, saved when from cache. */
  credits: number;
  /** DataForSEO USD: charged when paid, saved when from cache. */
  usd: number;
}

export interface Ledger {
  /**
   * Books one entry; never rejects. An entry whose write fails (a full disk) is kept in memory,
   * counted by spentToday and daily, and written with the next entry: money spent is never dropped.
   */
  record(entry: Omit<LedgerEntry, 'day'>): Promise<void>;
  /** What was paid today (local day) for one provider. */
  spentToday(provider: ProviderId): Promise<{ credits: number; usd: number }>;
  /** Per day and provider, newest first, for the last `days` days. */
  daily(days: number): Promise<DaySpend[]>;
  clear(): Promise<void>;
}

interface LedgerDb extends DBSchema {
  entries: { key: number; value: LedgerEntry; indexes: { byDay: string } };
}

const STORE = 'entries';
const KEEP_DAYS = 31;
const DAY_MS = 86_400_000;

export function localDay(time: number): string {
  const date = new Date(time);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

export function createLedger(options: { dbName?: string; now?: () => number } = {}): Ledger {
  const now = options.now ?? Date.now;
  let dbPromise: Promise<IDBPDatabase<LedgerDb>> | null = null;
  const db = () =>
    (dbPromise ??= openDB<LedgerDb>(options.dbName ?? 'backlink-lens-ledger', 1, {
      upgrade(database) {
        database.createObjectStore(STORE, { autoIncrement: true }).createIndex('byDay', 'day');
      },
    }));

  /** Entries not written yet because their write failed; oldest first. */
  const pending: LedgerEntry[] = [];
  /** One write at a time, so a pending entry is never written twice. */
  let writing: Promise<void> = Promise.resolve();
  /** The local day of the last prune of entries older than a month. */
  let prunedOn: string | null = null;

  async function writePending(): Promise<void> {
    const batch = [...pending];
    if (batch.length === 0) return;
    try {
      const database = await db();
      const tx = database.transaction(STORE, 'readwrite');
      for (const entry of batch) await tx.store.add(entry);
      // Keep a month (the options page shows 30 days): pruned at the first write of each day in
      // this worker, not at every write, where its cursor cost each page of a Load all.
      const today = localDay(now());
      const prunes = prunedOn !== today;
      if (prunes) {
        const oldest = localDay(now() - KEEP_DAYS * DAY_MS);
        for (let cursor = await tx.store.index('byDay').openCursor(IDBKeyRange.upperBound(oldest, true)); cursor; cursor = await cursor.continue()) await cursor.delete();
      }
      await tx.done;
      if (prunes) prunedOn = today;
      // Entries booked meanwhile were appended after the batch and wait for the next write.
      pending.splice(0, batch.length);
    } catch {
      // The transaction wrote nothing; the batch stays pending and goes with the next entry.
    }
  }

  /**
   * Today's paid totals per provider: summed from the stored and pending entries at the first
   * daily-cap check of the day, then kept by record(), so the check before every page reads no
   * entry (reading the day's entries per page made each check cost as much as the day's lookups).
   */
  let today: { day: string; spent: Map<ProviderId, { credits: number; usdMicros: number }> } | null = null;
  const addPaid = (spent: Map<ProviderId, { credits: number; usdMicros: number }>, entry: LedgerEntry) => {
    const sum = spent.get(entry.provider) ?? { credits: 0, usdMicros: 0 };
    spent.set(entry.provider, { credits: sum.credits + entry.credits, usdMicros: sum.usdMicros + toMicros(entry.usd) });
  };

  async function spentOn(day: string): Promise<Map<ProviderId, { credits: number; usdMicros: number }>> {
    if (today?.day === day) return today.spent;
    const stored = await (await db()).getAllFromIndex(STORE, 'byDay', IDBKeyRange.only(day));
    if (today?.day === day) return today.spent;
    // Nothing awaits from here to the assignment: an entry booked from now on is added by record().
    const spent = new Map<ProviderId, { credits: number; usdMicros: number }>();
    for (const entry of [...stored, ...pending.filter((e) => e.day === day)]) if (entry.kind === 'paid') addPaid(spent, entry);
    today = { day, spent };
    return spent;
  }

  async function entriesSince(day: string): Promise<LedgerEntry[]> {
    const stored = await (await db()).getAllFromIndex(STORE, 'byDay', IDBKeyRange.lowerBound(day));
    return [...stored, ...pending.filter((entry) => entry.day >= day)];
  }

  return {
    record(entry) {
      const booked: LedgerEntry = { ...entry, day: localDay(entry.time) };
      pending.push(booked);
      if (booked.kind === 'paid' && today?.day === booked.day) addPaid(today.spent, booked);
      writing = writing.then(writePending);
      return writing;
    },
    async spentToday(provider) {
      const sum = (await spentOn(localDay(now()))).get(provider);
      return { credits: sum?.credits ?? 0, usd: fromMicros(sum?.usdMicros ?? 0) };
    },
    async daily(days) {
      const since = localDay(now() - (days - 1) * DAY_MS);
      const groups = new Map<string, DaySpend & { usdMicros: number; savedMicros: number }>();
      for (const e of await entriesSince(since)) {
        const key = `${e.day}|${e.provider}`;
        const group = groups.get(key) ?? {
          day: e.day,
          provider: e.provider,
          requests: 0,
          credits: 0,
          usd: 0,
          savedCredits: 0,
          savedUsd: 0,
          usdMicros: 0,
          savedMicros: 0,
        };
        if (e.kind === 'paid') {
          group.requests += 1;
          group.credits += e.credits;
          group.usdMicros += toMicros(e.usd);
        } else {
          group.savedCredits += e.credits;
          group.savedMicros += toMicros(e.usd);
        }
        groups.set(key, group);
      }
      return [...groups.values()]
        .map(({ usdMicros, savedMicros, ...group }) => ({
          ...group,
          usd: fromMicros(usdMicros),
          savedUsd: fromMicros(savedMicros),
        }))
        .sort((a, b) => (a.day === b.day ? a.provider.localeCompare(b.provider) : a.day < b.day ? 1 : -1));
    },
    async clear() {
      pending.length = 0;
      today = null;
      await (await db()).clear(STORE);
    },
  };
}
