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
  /** byAgeAndSize holds each page's size next to its age, so eviction reads no page. */
  pages: { key: string; value: CachedPage; indexes: { byAgeAndSize: [number, number] } };
}

const STORE = 'pages';

/** Pages in IndexedDB: survives worker stops and browser restarts; expired entries are never served. */
export function createPageCache(options: PageCacheOptions): PageCache {
  const now = options.now ?? Date.now;
  let dbPromise: Promise<IDBPDatabase<CacheDb>> | null = null;

  function db(): Promise<IDBPDatabase<CacheDb>> {
    dbPromise ??= openDB<CacheDb>(options.dbName ?? 'backlink-lens-cache', 2, {
      upgrade(database, oldVersion, _newVersion, transaction) {
        const store = oldVersion < 1 ? database.createObjectStore(STORE, { keyPath: 'key' }) : transaction.objectStore(STORE);
        // Version 1 indexed the age alone, so eviction had to read every page for its size.
        if (oldVersion === 1) store.deleteIndex('byFetchedAt' as never);
        store.createIndex('byAgeAndSize', ['fetchedAt', 'bytes']);
      },
    });
    return dbPromise;
  }

  /**
   * Deletes the oldest pages until the cache fits its cap. Runs after every put, so it walks
   * the age-and-size index by key only: reading the pages themselves made each put cost as
   * much as the whole cache (a 100-page "Load all" read 5,000 pages).
   */
  async function evictToFit(database: IDBPDatabase<CacheDb>): Promise<void> {
    const limit = await options.maxBytes();
    const tx = database.transaction(STORE, 'readwrite');
    const byAge: { key: string; bytes: number }[] = [];
    let total = 0;
    for (let cursor = await tx.store.index('byAgeAndSize').openKeyCursor(); cursor; cursor = await cursor.continue()) {
      const bytes = cursor.key[1];
      byAge.push({ key: cursor.primaryKey, bytes });
      total += bytes;
    }
    // Oldest first: the least likely to be asked for again.
    for (const entry of byAge) {
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
