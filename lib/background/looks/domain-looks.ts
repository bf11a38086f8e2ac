import { z } from 'zod';
import type { RefDomainRow, TablePage, TableQuery } from '../../shared/reports';
import { DOMAIN_CHANGES_LISTED, type DomainChanges, type DomainLookSide } from '../../shared/snapshots';
import { pageCacheKey } from '../cache/page-key';
import { EVICT_DOWN_TO } from '../cache/page-cache';
import { serialWrites, type LooksDatabase } from './looks-db';

/** The schema version of a stored referring-domain page; a record of another version is not read. */
export const DOMAIN_PAGE_VERSION = 1;
/** The most the kept domains may take (about 25 bytes a domain: some 800,000 domains). */
export const DOMAIN_LOOKS_MAX_BYTES = 20_000_000;

/**
 * The referring domains of each look at a table, kept so that the next look can say which
 * domains appeared and which disappeared. A look is the pages the provider answered (never the
 * cache) for one table: provider, target, scope, sort, filters and page size. A page the
 * latest look already holds, answered again (Refresh, or its cached copy expired), starts a new
 * look; any other page (scrolling on, Load all) joins the latest one. Two looks per table are kept: the
 * one shown and the one before it.
 */
export interface DomainLooks {
  /** Keeps the domains of a referring-domain page the provider just answered; other pages are ignored. */
  recordPage(query: TableQuery, page: TablePage): Promise<void>;
  /** What changed between the table's last two looks (after the writes on their way), or null while it has fewer than two. */
  changes(query: TableQuery): Promise<DomainChanges | null>;
  clear(): Promise<void>;
  stats(): Promise<{ pages: number; bytes: number }>;
}

const storedPageSchema = z.object({
  v: z.literal(DOMAIN_PAGE_VERSION),
  table: z.string(),
  startedAt: z.number().finite(),
  page: z.number().int().min(1),
  total: z.number().finite().nonnegative(),
  domains: z.array(z.string()),
  fetchedAt: z.number().finite(),
  bytes: z.number().finite().nonnegative(),
});
type StoredPage = z.infer<typeof storedPageSchema>;

/** The table a page belongs to: the page cache's identity of the query, without the page. */
export const tableKey = (query: TableQuery): string => pageCacheKey(query, 0);

/** Every key of one table: [table, startedAt, page]. */
const tableRange = (table: string) => IDBKeyRange.bound([table, -Infinity, -Infinity], [table, Infinity, Infinity]);

/** One look at a table: its kept pages, in any order. */
export interface Look {
  startedAt: number;
  pages: Pick<StoredPage, 'page' | 'total' | 'domains' | 'fetchedAt'>[];
}

export function createDomainLooks(options: { db: () => Promise<LooksDatabase>; maxBytes?: number }): DomainLooks {
  const maxBytes = options.maxBytes ?? DOMAIN_LOOKS_MAX_BYTES;
  const serial = serialWrites();
  /**
   * What the kept pages take, while known: each page of a Load all is kept, and walking the
   * whole index after each would make a long Load all quadratic. Unknown (null) after a
   * deletion whose sizes were not read; the next write counts again, once.
   */
  let knownBytes: number | null = null;

  /** The table's looks, newest first; unreadable pages are deleted on the way and left out. */
  async function looksOf(database: LooksDatabase, table: string): Promise<Look[]> {
    const tx = database.transaction('domainPages', 'readwrite');
    const looks: Look[] = [];
    for (let cursor = await tx.store.openCursor(tableRange(table), 'prev'); cursor; cursor = await cursor.continue()) {
      const parsed = storedPageSchema.safeParse(cursor.value);
      if (!parsed.success || parsed.data.table !== table) {
        await cursor.delete();
        knownBytes = null;
        latestLooks.delete(table);
        continue;
      }
      const stored = parsed.data;
      const look = looks.at(-1);
      if (look?.startedAt === stored.startedAt) look.pages.push(stored);
      else looks.push({ startedAt: stored.startedAt, pages: [stored] });
    }
    await tx.done;
    return looks;
  }

  /**
   * Each table's latest look (its start and the pages it holds; null for a table with none kept),
   * read from the keys once per worker start and then kept by record(): reading the table's keys
   * for every page made a Load all's recording grow with the square of its pages. A table whose
   * kept pages were deleted other than by record() is forgotten and read again when next needed.
   */
  const latestLooks = new Map<string, { startedAt: number; pages: Set<number> } | null>();

  async function latestLook(database: LooksDatabase, table: string): Promise<{ startedAt: number; pages: Set<number> } | null> {
    const known = latestLooks.get(table);
    if (known !== undefined) return known;
    let latest: { startedAt: number; pages: Set<number> } | null = null;
    // Newest first: the keys of the latest look come first, the walk stops at the look before it.
    for (let cursor = await database.transaction('domainPages').store.openKeyCursor(tableRange(table), 'prev'); cursor; cursor = await cursor.continue()) {
      const [, startedAt, page] = cursor.primaryKey;
      if (latest && latest.startedAt !== startedAt) break;
      latest ??= { startedAt, pages: new Set() };
      latest.pages.add(page);
    }
    latestLooks.set(table, latest);
    return latest;
  }

  /**
   * Over the size cap, deletes the oldest kept pages until they take at most EVICT_DOWN_TO of it,
   * by the age-and-size index alone.
   */
  async function evictToFit(database: LooksDatabase): Promise<void> {
    if (knownBytes !== null && knownBytes <= maxBytes) return;
    const tx = database.transaction('domainPages', 'readwrite');
    const byAge = tx.store.index('byAgeAndSize');
    let total = knownBytes ?? 0;
    if (knownBytes === null) for (let cursor = await byAge.openKeyCursor(); cursor; cursor = await cursor.continue()) total += cursor.key[1];
    const deleted: [string, number, number][] = [];
    const target = total > maxBytes ? maxBytes * EVICT_DOWN_TO : maxBytes;
    for (let cursor = await byAge.openKeyCursor(); cursor && total > target; cursor = await cursor.continue()) {
      await tx.store.delete(cursor.primaryKey);
      deleted.push(cursor.primaryKey);
      total -= cursor.key[1];
    }
    await tx.done;
    knownBytes = total;
    for (const [table] of deleted) latestLooks.delete(table);
  }

  async function record(query: TableQuery, page: TablePage): Promise<void> {
    const database = await options.db();
    const table = tableKey(query);
    const latest = await latestLook(database, table);
    const again = latest?.pages.has(page.page);
    // The same answer handed to two views at once is one look, recorded once.
    if (again && latest && (await sameAnswer(database, [table, latest.startedAt, page.page], page.fetchedAt))) return;
    const startsLook = !latest || again;
    const startedAt = startsLook ? page.fetchedAt : latest.startedAt;
    const domains = (page.rows as RefDomainRow[]).map((row) => row.domain);
    const stored: StoredPage = {
      v: DOMAIN_PAGE_VERSION,
      table,
      startedAt,
      page: page.page,
      total: page.total,
      domains,
      fetchedAt: page.fetchedAt,
      bytes: JSON.stringify(domains).length,
    };
    const tx = database.transaction('domainPages', 'readwrite');
    await tx.store.put(stored);
    // A new look keeps the one before it (the one to compare with) and drops anything older.
    if (startsLook && latest) await tx.store.delete(IDBKeyRange.bound([table, -Infinity, -Infinity], [table, latest.startedAt, -Infinity], false, true));
    await tx.done;
    latestLooks.set(table, startsLook ? { startedAt, pages: new Set([page.page]) } : { startedAt, pages: latest.pages.add(page.page) });
    knownBytes = startsLook && latest ? null : knownBytes === null ? null : knownBytes + stored.bytes;
    await evictToFit(database);
  }

  async function sameAnswer(database: LooksDatabase, key: [string, number, number], fetchedAt: number): Promise<boolean> {
    const parsed = storedPageSchema.safeParse(await database.get('domainPages', key));
    return parsed.success && parsed.data.fetchedAt === fetchedAt;
  }

  return {
    recordPage: (query, page) => (query.report === 'refDomains' && !page.fromCache ? serial(() => record(query, page)) : Promise.resolve()),
    changes: (query) =>
      serial(async () => {
        const [now, then] = await looksOf(await options.db(), tableKey(query));
        return now && then ? compareLooks(then, now) : null;
      }),
    clear: () =>
      serial(async () => {
        await (await options.db()).clear('domainPages');
        knownBytes = 0;
        latestLooks.clear();
      }),
    /** After the writes on their way, so a page just answered is counted. */
    stats: () =>
      serial(async () => {
        const tx = (await options.db()).transaction('domainPages');
        let pages = 0;
        let bytes = 0;
        for (let cursor = await tx.store.index('byAgeAndSize').openKeyCursor(); cursor; cursor = await cursor.continue()) {
          pages += 1;
          bytes += cursor.key[1];
        }
        return { pages, bytes };
      }),
  };
}

/** One look's domains in page order, its rows loaded, and the total its newest page said. */
function sideOf(look: Look): { side: DomainLookSide; domains: Set<string> } {
  const pages = look.pages.toSorted((a, b) => a.page - b.page);
  const domains = new Set(pages.flatMap((page) => page.domains.map((domain) => domain.toLowerCase())));
  const loaded = pages.reduce((sum, page) => sum + page.domains.length, 0);
  const newest = pages.reduce((a, b) => (b.fetchedAt > a.fetchedAt ? b : a));
  return { side: { at: look.startedAt, loaded, total: newest.total }, domains };
}

/**
 * The domains only the newer look has (appeared) and only the older one has (disappeared), in
 * the order the looks loaded them (the table's sort). Partial when either look loaded less than
 * its whole table, or lost pages to the size cap.
 */
export function compareLooks(then: Look, now: Look): DomainChanges {
  const before = sideOf(then);
  const after = sideOf(now);
  const appeared = [...after.domains].filter((domain) => !before.domains.has(domain));
  const disappeared = [...before.domains].filter((domain) => !after.domains.has(domain));
  const whole = (side: DomainLookSide) => side.loaded >= side.total;
  return {
    then: before.side,
    now: after.side,
    appeared: appeared.slice(0, DOMAIN_CHANGES_LISTED),
    appearedCount: appeared.length,
    disappeared: disappeared.slice(0, DOMAIN_CHANGES_LISTED),
    disappearedCount: disappeared.length,
    partial: !whole(before.side) || !whole(after.side),
  };
}
