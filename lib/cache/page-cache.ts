import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { ProviderId } from '../errors';
import type { ReportId } from '../reports';
import type { ProviderPage } from '../providers/types';

export interface CachedPage {
  key: string;
  provider: ProviderId;
  report: ReportId;
  target: string;
  page: ProviderPage;
  /** Epoch ms when the provider answered. */
  fetchedAt: number;
  /** Approximate stored size, for the size cap. */
  bytes: number;
}

export interface CacheStats {
  entries: number;
  bytes: number;
}

export interface PageCache {
  /** A fresh entry, or null when missing or older than the TTL. */
  get(key: string): Promise<CachedPage | null>;
  put(entry: Omit<CachedPage, 'bytes'>): Promise<void>;
  clear(): Promise<void>;
  stats(): Promise<CacheStats>;
}

export interface PageCacheOptions {
  dbName?: string;
  /** Read on every call so a changed setting applies at once. */
  ttlMs: () => number | Promise<number>;
  maxBytes: () => number | Promise<number>;
  now?: () => number;
}

interface CacheDb extends DBSchema {
  pages: { key: string; value: CachedPage; indexes: { byFetchedAt: number } };
}

const STORE = 'pages';

/** Pages in IndexedDB: survives worker stops and browser restarts; expired entries are never served. */
export function createPageCache(options: PageCacheOptions): PageCache {
  const now = options.now ?? Date.now;
  let dbPromise: Promise<IDBPDatabase<CacheDb>> | null = null;

  function db(): Promise<IDBPDatabase<CacheDb>> {
    dbPromise ??= openDB<CacheDb>(options.dbName ?? 'backlink-lens-cache', 1, {
      upgrade(database) {
        const store = database.createObjectStore(STORE, { keyPath: 'key' });
        store.createIndex('byFetchedAt', 'fetchedAt');
      },
    });
    return dbPromise;
  }

  async function evictToFit(database: IDBPDatabase<CacheDb>): Promise<void> {
    const limit = await options.maxBytes();
    const tx = database.transaction(STORE, 'readwrite');
    const all = await tx.store.index('byFetchedAt').getAll();
    let total = all.reduce((sum, entry) => sum + entry.bytes, 0);
    // Oldest first: the least likely to be asked for again.
    for (const entry of all) {
      if (total <= limit) break;
      await tx.store.delete(entry.key);
      total -= entry.bytes;
    }
    await tx.done;
  }

  return {
    async get(key) {
      const entry = await (await db()).get(STORE, key);
      if (!entry) return null;
      if (now() - entry.fetchedAt > (await options.ttlMs())) return null;
      return entry;
    },
    async put(entry) {
      const database = await db();
      const bytes = JSON.stringify(entry.page).length;
      await database.put(STORE, { ...entry, bytes });
      await evictToFit(database);
    },
    async clear() {
      await (await db()).clear(STORE);
    },
    async stats() {
      const all = await (await db()).getAll(STORE);
      return { entries: all.length, bytes: all.reduce((sum, entry) => sum + entry.bytes, 0) };
    },
  };
}
