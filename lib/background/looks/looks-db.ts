import { openDB, type DBSchema, type IDBPDatabase } from 'idb';

/**
 * The history of the user's looks, in its own IndexedDB database: clearing the page cache must
 * not erase it, and it is kept much longer than a cached page. Each record carries its schema
 * version (`v`); a record that does not read as the current version (corrupt, or written by a
 * newer extension) is deleted when met and counts as missing.
 */
export interface LooksDb extends DBSchema {
  /** One summary look: key [site, fetchedAt]. byFetchedAt finds the oldest for the count cap. */
  snapshots: { key: [string, number]; value: unknown; indexes: { byFetchedAt: number } };
  /**
   * One referring-domain page of one look: key [table, startedAt, page]. byAgeAndSize holds each
   * page's size next to its age, so the size cap evicts without reading a page.
   */
  domainPages: { key: [string, number, number]; value: unknown; indexes: { byAgeAndSize: [number, number] } };
}

export type LooksDatabase = IDBPDatabase<LooksDb>;

/** Opens (and on first use creates) the looks database; one connection per worker. */
export function openLooksDb(name = 'backlink-lens-looks'): () => Promise<LooksDatabase> {
  let opened: Promise<LooksDatabase> | null = null;
  return () =>
    (opened ??= openDB<LooksDb>(name, 1, {
      upgrade(database) {
        database.createObjectStore('snapshots', { keyPath: ['site', 'fetchedAt'] }).createIndex('byFetchedAt', 'fetchedAt');
        database.createObjectStore('domainPages', { keyPath: ['table', 'startedAt', 'page'] }).createIndex('byAgeAndSize', ['fetchedAt', 'bytes']);
      },
    }));
}

/** Runs writes one after another, so each read-then-write sees the one before it; a failed one fails only itself. */
export function serialWrites(): <T>(write: () => Promise<T>) => Promise<T> {
  let queue: Promise<unknown> = Promise.resolve();
  return (write) => {
    const next = queue.then(write);
    queue = next.catch(() => undefined);
    return next;
  };
}
