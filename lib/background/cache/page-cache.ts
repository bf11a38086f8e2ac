import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction } from 'idb';
import { z } from 'zod';
import type { CacheStats } from '../../shared/protocol';
import { providerIdSchema, type ProviderId } from '../../shared/providers';
import type { ProviderPage } from '../../shared/reports';
import { paidReportSchema, type PaidReport, type PaidRow } from '../../shared/summary';

export interface CachedPage {
  key: string;
  provider: ProviderId;
  report: PaidReport;
  target: string;
  page: ProviderPage<PaidRow>;
  /** Epoch ms when the provider answered. */
  fetchedAt: number;
  /** Approximate stored size, for the size cap. */
  bytes: number;
}

export interface PageCache {
  /** A fresh entry, or null when missing or older than the TTL. */
  get(key: string): Promise<CachedPage | null>;
  /** Stores a page; when the disk refuses it, keeps it in memory instead. */
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

const count = z.number().finite().nonnegative();
const storedPageSchema = z.object({
  rows: z.array(z.record(z.string(), z.unknown())),
  total: count,
  creditsSpent: count,
  costUsd: count,
  creditsLeft: z.number().finite().nullable(),
  nextToken: z.string().optional(),
});
/**
 * What a stored entry must look like to be served. IndexedDB holds whatever was written, by
 * an older version, a bug or another extension's tooling: a page with `null` rows would throw
 * on every ask, and a `fetchedAt` that is not a number would never expire. The page is its JSON
 * text (`pageJson`); entries written before that hold it as an object (`page`).
 */
const storedEntrySchema = z.object({
  key: z.string(),
  provider: providerIdSchema,
  report: paidReportSchema,
  target: z.string(),
  pageJson: z.string().optional(),
  page: z.unknown().optional(),
  fetchedAt: z.number().finite(),
  bytes: count,
});

/**
 * A page as IndexedDB keeps it: its JSON text rather than its rows as objects, because storing a
 * string copies it once where storing 1,000 row objects clones each (most of a Load all page's
 * cost in the worker), and the text's length is the page's size for the cap.
 */
interface StoredEntry extends Omit<CachedPage, 'page'> {
  pageJson: string;
}

interface CacheDb extends DBSchema {
  /** byAgeAndSize holds each page's size next to its age, so eviction reads no page. */
  pages: { key: string; value: StoredEntry; indexes: { byAgeAndSize: [number, number] } };
}

/** The entry as stored, opened: null when it is not a page this cache could have written. */
function openStoredEntry(stored: unknown): CachedPage | null {
  const entry = storedEntrySchema.safeParse(stored);
  if (!entry.success) return null;
  const { pageJson, page: pageObject, ...rest } = entry.data;
  let page: unknown = pageObject;
  if (pageJson !== undefined) {
    try {
      page = JSON.parse(pageJson);
    } catch {
      return null;
    }
  }
  if (!storedPageSchema.safeParse(page).success) return null;
  // Rows are shaped per report; the schema checks they are records, the adapters made them.
  return { ...rest, page: page as ProviderPage<PaidRow> };
}

const STORE = 'pages';
/**
 * A write that takes a size-capped store (this cache, the kept looks) over its cap evicts down to
 * this share of it, not just under it: a full store would otherwise delete a page after every
 * page written (each page of a Load all), where this deletes a batch once in a while (about every
 * 10 MB of the cache's default 100 MB).
 */
export const EVICT_DOWN_TO = 0.9;

/** The stored pages' sizes by key and their sum, kept in step with the store. */
interface StoredSizes {
  byKey: Map<string, number>;
  total: number;
}

function forget(sized: StoredSizes, key: string): void {
  sized.total -= sized.byKey.get(key) ?? 0;
  sized.byKey.delete(key);
}

/**
 * Pages in IndexedDB: survives worker stops and browser restarts; expired, future-dated and
 * unreadable entries are never served.
 */
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

  /** Each stored page's key and size, oldest first, from the index alone: no page is read. */
  async function sizesOldestFirst(
    tx: IDBPTransaction<CacheDb, [typeof STORE], IDBTransactionMode>,
  ): Promise<{ key: string; bytes: number }[]> {
    const sizes: { key: string; bytes: number }[] = [];
    for (let cursor = await tx.objectStore(STORE).index('byAgeAndSize').openKeyCursor(); cursor; cursor = await cursor.continue()) {
      sizes.push({ key: cursor.primaryKey, bytes: cursor.key[1] });
    }
    return sizes;
  }

  /**
   * Each stored page's size by key, and their sum: read from the index once per worker start, then
   * kept by every put, delete and eviction, so a put knows whether the cache is over its cap
   * without walking the index (walking it per put made each put cost as much as the whole cache).
   * Clearing the cache drops it; a put still on its way then updates the dropped one, harmlessly.
   */
  let sizes: Promise<StoredSizes> | null = null;
  /** The sizes once read: a lookup uses them only when a put has already read them (never waits for the walk). */
  let sizesRead: StoredSizes | null = null;
  function storedSizes(database: IDBPDatabase<CacheDb>): Promise<StoredSizes> {
    if (sizes) return sizes;
    const reading: Promise<StoredSizes> = (async () => {
      const tx = database.transaction(STORE, 'readonly');
      const byAge = await sizesOldestFirst(tx);
      await tx.done;
      return { byKey: new Map(byAge.map((entry) => [entry.key, entry.bytes])), total: byAge.reduce((sum, entry) => sum + entry.bytes, 0) };
    })().then((read) => {
      // Not after a Clear cache that came meanwhile: the next put reads again.
      if (sizes === reading) sizesRead = read;
      return read;
    });
    sizes = reading;
    // A failed read is not kept: the next put reads again.
    reading.catch(() => {
      if (sizes === reading) sizes = null;
    });
    return reading;
  }

  /**
   * Deletes the oldest pages until the cache holds at most `target` bytes, walking the age-and-size
   * index by key only (no page is read) and stopping as soon as it does. Runs only when a put took
   * the cache over its cap.
   */
  async function evictDownTo(database: IDBPDatabase<CacheDb>, stored: StoredSizes, target: number): Promise<void> {
    const tx = database.transaction(STORE, 'readwrite');
    // Oldest first: the least likely to be asked for again.
    for (let cursor = await tx.store.index('byAgeAndSize').openKeyCursor(); cursor && stored.total > target; cursor = await cursor.continue()) {
      await tx.store.delete(cursor.primaryKey);
      forget(stored, cursor.primaryKey);
    }
    await tx.done;
  }

  /**
   * Pages whose write failed (a full disk), kept in memory, oldest first, so a page just paid
   * for is still served free while the worker lives; bounded by the same size cap.
   */
  const unstored = new Map<string, CachedPage>();
  async function keepInMemory(entry: CachedPage): Promise<void> {
    unstored.delete(entry.key);
    unstored.set(entry.key, entry);
    const limit = await options.maxBytes();
    let total = [...unstored.values()].reduce((sum, kept) => sum + kept.bytes, 0);
    for (const [key, kept] of unstored) {
      if (total <= limit || key === entry.key) break;
      unstored.delete(key);
      total -= kept.bytes;
    }
  }

  return {
    async get(key) {
      const kept = unstored.get(key);
      if (kept) {
        const age = now() - kept.fetchedAt;
        if (age >= 0 && age <= (await options.ttlMs())) return kept;
        unstored.delete(key);
        return null;
      }
      // Once a put has read the stored sizes, they know every stored key: a page never stored (each
      // page of a Load all, asked for the first time) is a miss without a read. Before that (the
      // popup's first lookup after the worker starts) one read is cheaper than walking the index.
      if (sizesRead && !sizesRead.byKey.has(key)) return null;
      const database = await db();
      const stored: unknown = await database.get(STORE, key);
      if (stored === undefined) return null;
      const entry = openStoredEntry(stored);
      const age = entry ? now() - entry.fetchedAt : Number.NaN;
      // A page dated in the future (the clock was set back, or the entry is corrupt) has no
      // knowable age: it is as good as expired, and like an unreadable entry it is deleted.
      if (!entry || age < 0) {
        await database.delete(STORE, key);
        const sized = await sizes?.catch(() => null);
        if (sized) forget(sized, key);
        return null;
      }
      if (age > (await options.ttlMs())) return null;
      return entry;
    },
    async put(entry) {
      const { page, ...rest } = entry;
      const pageJson = JSON.stringify(page);
      const stored: StoredEntry = { ...rest, pageJson, bytes: pageJson.length };
      let database: IDBPDatabase<CacheDb>;
      let sized: StoredSizes;
      try {
        database = await db();
        sized = await storedSizes(database);
        await database.put(STORE, stored);
      } catch {
        return keepInMemory({ ...entry, bytes: stored.bytes });
      }
      unstored.delete(entry.key);
      // A page stored again (Refresh, or after it expired) replaces its old size.
      forget(sized, stored.key);
      sized.byKey.set(stored.key, stored.bytes);
      sized.total += stored.bytes;
      const limit = await options.maxBytes();
      if (sized.total > limit) await evictDownTo(database, sized, limit * EVICT_DOWN_TO);
    },
    async clear() {
      unstored.clear();
      const database = await db();
      await database.clear(STORE);
      // Read again from the (now empty) index at the next put.
      sizes = null;
      sizesRead = null;
    },
    /** From the age-and-size index: Options refreshes these figures, and the pages can be 100 MB. */
    async stats() {
      const tx = (await db()).transaction(STORE, 'readonly');
      const all = [...(await sizesOldestFirst(tx)), ...unstored.values()];
      await tx.done;
      return { entries: all.length, bytes: all.reduce((sum, entry) => sum + entry.bytes, 0) };
    },
  };
}
