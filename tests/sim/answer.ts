import type { SimReport } from './data';

/** What a provider handler decided; the server applies the charge, the log entry and faults. */
export interface ProviderAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** Rows in the answer (the log's `rows`). */
  rows: number;
  /** Credits (Serpstat) or USD (DataForSEO) to take from the account. */
  charged: number;
  outcome: 'ok' | 'error';
}

/** The server state a handler reads (never writes). */
export interface AccountView {
  /** Row count of a data set, with the server's overrides applied. */
  sizeOf(domain: string, report: SimReport): number;
  serpstatCreditsLeft: number;
  serpstatMaxCredits: number;
  dataforseoBalanceUsd: number;
  dataforseoInitialBalanceUsd: number;
}

/** Keeps the most recent `capacity` entries; a cheap LRU for sorted views. */
export class SmallCache<V> {
  private readonly entries = new Map<string, V>();
  constructor(private readonly capacity: number) {}

  getOrCreate(key: string, create: () => V): V {
    const hit = this.entries.get(key);
    if (hit !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const value = create();
    if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, value);
    return value;
  }
}

/** Stable sort by precomputed keys: ties keep the natural order in both directions. */
export function sortedByKey<T>(rows: readonly T[], keyOf: (row: T) => string | number | null, descending: boolean): T[] {
  const keys = rows.map(keyOf);
  const indices = rows.map((_, i) => i);
  const direction = descending ? -1 : 1;
  indices.sort((a, b) => {
    const ka = keys[a]!;
    const kb = keys[b]!;
    if (ka !== kb) {
      // Missing values (null) sort last whatever the direction, as providers do.
      if (ka === null) return 1;
      if (kb === null) return -1;
      return (ka < kb ? -1 : 1) * direction;
    }
    return a - b;
  });
  return indices.map((i) => rows[i]!);
}
