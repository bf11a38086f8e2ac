import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { pageCacheKey } from '../../../lib/background/cache/page-key';
import { createPageCache } from '../../../lib/background/cache/page-cache';
import type { TableQuery, ProviderPage } from '../../../lib/shared/reports';

const base: TableQuery = {
  provider: 'serpstat',
  report: 'refDomains',
  target: 'example.com',
  scope: 'domain_with_subdomains',
  sort: { field: 'rank', order: 'desc' },
  filters: [
    { kind: 'contains', field: 'domain', value: '.com' },
    { kind: 'minRank', value: 10 },
  ],
  pageSize: 100,
};

const page: ProviderPage = {
  rows: [{ domain: 'a.com', rank: 50, links: 3 }],
  total: 1,
  creditsSpent: 1,
  costUsd: 0,
  creditsLeft: 99,
};

describe('pageCacheKey', () => {
  it('is the same for the same query, whatever the key or filter order', () => {
    const reordered: TableQuery = {
      pageSize: 100,
      filters: [base.filters[1]!, base.filters[0]!],
      sort: { order: 'desc', field: 'rank' },
      scope: 'domain_with_subdomains',
      target: 'Example.COM',
      report: 'refDomains',
      provider: 'serpstat',
    };
    expect(pageCacheKey(reordered, 3)).toBe(pageCacheKey(base, 3));
  });

  const changes: [string, TableQuery, number][] = [
    ['provider', { ...base, provider: 'dataforseo' }, 1],
    ['report', { ...base, report: 'outDomains' }, 1],
    ['target', { ...base, target: 'example.org' }, 1],
    ['scope', { ...base, scope: 'domain' }, 1],
    ['sort field', { ...base, sort: { field: 'domain', order: 'desc' } }, 1],
    ['sort order', { ...base, sort: { field: 'rank', order: 'asc' } }, 1],
    ['no sort', { ...base, sort: undefined }, 1],
    ['filter value', { ...base, filters: [{ kind: 'minRank', value: 11 }, base.filters[0]!] }, 1],
    ['fewer filters', { ...base, filters: [base.filters[0]!] }, 1],
    ['page size', { ...base, pageSize: 1000 }, 1],
    ['page', base, 2],
  ];
  it('tells apart "this page" URLs that differ only in the case of their path, not of their scheme and host', () => {
    const url = (target: string): TableQuery => ({ ...base, provider: 'dataforseo', scope: 'url', target });
    expect(pageCacheKey(url('https://example.com/Products?Id=A'), 1)).not.toBe(pageCacheKey(url('https://example.com/products?Id=A'), 1));
    expect(pageCacheKey(url('https://example.com/Products?Id=A'), 1)).not.toBe(pageCacheKey(url('https://example.com/Products?id=a'), 1));
    expect(pageCacheKey(url('HTTPS://Example.COM/Products'), 1)).toBe(pageCacheKey(url('https://example.com/Products'), 1));
  });

  it.each(changes)('changes when the %s changes', (_name, query, pageNumber) => {
    expect(pageCacheKey(query, pageNumber)).not.toBe(pageCacheKey(base, 1));
  });
});

describe('createPageCache', () => {
  afterEach(() => vi.restoreAllMocks());
  let dbCount = 0;
  function makeCache(clock: { t: number }, ttlMs = 1000, maxBytes = 1_000_000) {
    dbCount += 1;
    return createPageCache({ dbName: `test-cache-${dbCount}`, ttlMs: () => ttlMs, maxBytes: () => maxBytes, now: () => clock.t });
  }
  const entry = (key: string, fetchedAt: number) => ({
    key,
    provider: 'serpstat' as const,
    report: 'outDomains' as const,
    target: 'example.com',
    page,
    fetchedAt,
  });

  it('returns a stored page within the TTL and nothing after it', async () => {
    const clock = { t: 10_000 };
    const cache = makeCache(clock);
    await cache.put(entry('k1', 10_000));
    expect((await cache.get('k1'))?.page).toEqual(page);
    clock.t = 11_000;
    expect(await cache.get('k1')).not.toBeNull();
    clock.t = 11_001;
    expect(await cache.get('k1')).toBeNull();
    expect(await cache.get('missing')).toBeNull();
  });

  it('caches empty answers like any other', async () => {
    const clock = { t: 0 };
    const cache = makeCache(clock);
    const empty = { ...entry('empty', 0), page: { ...page, rows: [], total: 0 } };
    await cache.put(empty);
    expect((await cache.get('empty'))?.page.rows).toEqual([]);
  });

  it('evicts the oldest pages beyond the size cap, down to 90 % of it, so the next puts delete nothing', async () => {
    const clock = { t: 10 };
    const oneEntry = JSON.stringify(page).length;
    const cache = makeCache(clock, 1_000_000, oneEntry * 10);
    for (let n = 1; n <= 10; n++) await cache.put(entry(`page-${n}`, n));
    expect(await cache.stats()).toEqual({ entries: 10, bytes: oneEntry * 10 });
    await cache.put(entry('page-11', 11));
    // Over the cap: the two oldest go, leaving 9 pages (90 % of the cap).
    expect(await cache.get('page-1')).toBeNull();
    expect(await cache.get('page-2')).toBeNull();
    expect(await cache.get('page-3')).not.toBeNull();
    expect(await cache.stats()).toEqual({ entries: 9, bytes: oneEntry * 9 });
    const deletes = vi.spyOn(IDBObjectStore.prototype, 'delete');
    await cache.put(entry('page-12', 12));
    expect(deletes).not.toHaveBeenCalled();
    expect(await cache.stats()).toEqual({ entries: 10, bytes: oneEntry * 10 });
  });

  it('answers a page never stored as a miss from its kept sizes, reading no stored page', async () => {
    const cache = makeCache({ t: 10 });
    await cache.put(entry('stored', 1));
    const pageReads = vi.spyOn(IDBObjectStore.prototype, 'get');
    for (let n = 1; n <= 5; n++) expect(await cache.get(`never-stored-${n}`)).toBeNull();
    expect(pageReads).not.toHaveBeenCalled();
    expect((await cache.get('stored'))?.page).toEqual(page);
    expect(pageReads).toHaveBeenCalledTimes(1);
  });

  it('reads one page, not the whole index, for a lookup before any put (the popup right after the worker starts)', async () => {
    dbCount += 1;
    const options = { dbName: `test-cache-${dbCount}`, ttlMs: () => 1_000_000, maxBytes: () => 1_000_000, now: () => 10 };
    const before = createPageCache(options);
    for (let n = 1; n <= 5; n++) await before.put(entry(`page-${n}`, n));
    // The worker restarts: a new cache over the same database.
    const after = createPageCache(options);
    const walks = vi.spyOn(IDBIndex.prototype, 'openKeyCursor');
    expect((await after.get('page-3'))?.page).toEqual(page);
    expect(await after.get('never-stored')).toBeNull();
    expect(walks).not.toHaveBeenCalled();
  });

  it('keeps a running total: a put walks no index while the cache fits its cap', async () => {
    const cache = makeCache({ t: 10 });
    await cache.put(entry('first', 1));
    const walks = vi.spyOn(IDBIndex.prototype, 'openKeyCursor');
    for (let n = 2; n <= 10; n++) await cache.put(entry(`page-${n}`, n));
    expect(walks).not.toHaveBeenCalled();
    expect(await cache.get('page-10')).not.toBeNull();
  });

  it('counts a page stored again (Refresh) once, with its new size', async () => {
    const oneEntry = JSON.stringify(page).length;
    const cache = makeCache({ t: 10 }, 1_000_000, oneEntry * 2);
    await cache.put(entry('again', 1));
    await cache.put(entry('again', 2));
    await cache.put(entry('other', 3));
    expect(await cache.get('again')).not.toBeNull();
    expect(await cache.get('other')).not.toBeNull();
  });

  it('counts the pages a previous worker stored, and starts from nothing after Clear cache', async () => {
    const oneEntry = JSON.stringify(page).length;
    dbCount += 1;
    const dbName = `test-cache-${dbCount}`;
    // Room for two pages after an eviction (down to 90 % of the cap), not for three.
    const options = { dbName, ttlMs: () => 1_000_000, maxBytes: () => Math.floor(oneEntry * 2.5), now: () => 10 };
    const before = createPageCache(options);
    await before.put(entry('older', 1));
    await before.put(entry('old', 2));
    // The worker restarts: a new cache over the same database.
    const after = createPageCache(options);
    await after.put(entry('new', 3));
    expect(await after.get('older')).toBeNull();
    expect(await after.get('old')).not.toBeNull();
    await after.clear();
    await after.put(entry('a', 4));
    await after.put(entry('b', 5));
    expect(await after.get('a')).not.toBeNull();
    expect(await after.get('b')).not.toBeNull();
  });

  it('counts entries and bytes for Options from the index, reading no stored page', async () => {
    const cache = makeCache({ t: 10 });
    const bigPage = { ...page, rows: [...page.rows, ...page.rows] };
    await cache.put(entry('a', 1));
    await cache.put({ ...entry('b', 2), page: bigPage });
    const pageReads = [
      vi.spyOn(IDBObjectStore.prototype, 'get'),
      vi.spyOn(IDBObjectStore.prototype, 'getAll'),
      vi.spyOn(IDBObjectStore.prototype, 'openCursor'),
      vi.spyOn(IDBIndex.prototype, 'get'),
      vi.spyOn(IDBIndex.prototype, 'getAll'),
      vi.spyOn(IDBIndex.prototype, 'openCursor'),
    ];
    expect(await cache.stats()).toEqual({
      entries: 2,
      bytes: JSON.stringify(page).length + JSON.stringify(bigPage).length,
    });
    for (const read of pageReads) expect(read).not.toHaveBeenCalled();
  });

  it('keeps the pages of a version 1 cache and evicts them by age and size after the upgrade', async () => {
    const dbName = 'test-cache-version-1';
    const oneEntry = JSON.stringify(page).length;
    const old = await openDB(dbName, 1, {
      upgrade(database) {
        database.createObjectStore('pages', { keyPath: 'key' }).createIndex('byFetchedAt', 'fetchedAt');
      },
    });
    await old.put('pages', { ...entry('from-v1', 1), bytes: oneEntry });
    old.close();

    // Room for two pages after an eviction (down to 90 % of the cap), not for three.
    const cache = createPageCache({ dbName, ttlMs: () => 1_000_000, maxBytes: () => Math.floor(oneEntry * 2.5), now: () => 10 });
    expect((await cache.get('from-v1'))?.page).toEqual(page);
    await cache.put(entry('mid', 2));
    await cache.put(entry('new', 3));
    expect(await cache.get('from-v1')).toBeNull();
    expect(await cache.stats()).toEqual({ entries: 2, bytes: oneEntry * 2 });
  });

  it('treats a corrupt entry as a miss and deletes it, whether its page is text or, as before, an object', async () => {
    const dbName = 'test-cache-corrupt';
    const cache = createPageCache({ dbName, ttlMs: () => 1_000_000, maxBytes: () => 1_000_000, now: () => 10 });
    const corrupt: Record<string, (stored: Record<string, unknown>) => Record<string, unknown>> = {
      'rows-null': (stored) => ({ ...stored, pageJson: JSON.stringify({ ...page, rows: null }) }),
      'row-null': (stored) => ({ ...stored, pageJson: JSON.stringify({ ...page, rows: [null] }) }),
      'text-cut': (stored) => ({ ...stored, pageJson: JSON.stringify(page).slice(0, 20) }),
      'text-not-text': (stored) => ({ ...stored, pageJson: 42 }),
      'age-text': (stored) => ({ ...stored, fetchedAt: 'yesterday' }),
      'total-negative': (stored) => ({ ...stored, pageJson: JSON.stringify({ ...page, total: -1 }) }),
      'object-rows-null': ({ pageJson: _text, ...stored }) => ({ ...stored, page: { ...page, rows: null } }),
      'no-page': ({ pageJson: _text, ...stored }) => stored,
    };
    for (const key of Object.keys(corrupt)) await cache.put(entry(key, 5));
    const raw = await openDB(dbName, 2);
    for (const [key, spoil] of Object.entries(corrupt)) await raw.put('pages', spoil(await raw.get('pages', key)));
    for (const key of Object.keys(corrupt)) {
      expect(await cache.get(key), key).toBeNull();
      expect(await raw.get('pages', key), key).toBeUndefined();
    }
    raw.close();
  });

  it('stores a page as its JSON text, sized by its length, and still serves a page stored as an object before', async () => {
    const dbName = 'test-cache-text';
    const cache = createPageCache({ dbName, ttlMs: () => 1_000_000, maxBytes: () => 1_000_000, now: () => 10 });
    await cache.put(entry('as-text', 5));
    await cache.put(entry('as-object', 5));
    const raw = await openDB(dbName, 2);
    const stored = await raw.get('pages', 'as-text');
    expect(stored).toMatchObject({ pageJson: JSON.stringify(page), bytes: JSON.stringify(page).length });
    expect(stored).not.toHaveProperty('page');
    const { pageJson: _text, ...before } = await raw.get('pages', 'as-object');
    await raw.put('pages', { ...before, page });
    raw.close();
    expect((await cache.get('as-text'))?.page).toEqual(page);
    expect((await cache.get('as-object'))?.page).toEqual(page);
  });

  it('treats a page dated in the future as expired (the clock was set back) and deletes it', async () => {
    const clock = { t: 10_000 };
    const cache = makeCache(clock, 1_000_000);
    await cache.put(entry('from-the-future', 10_000 + 365 * 86_400_000));
    await cache.put(entry('now', 10_000));
    expect(await cache.get('from-the-future')).toBeNull();
    expect(await cache.get('now')).not.toBeNull();
    // Deleted, not merely skipped: once the clock catches up it is still gone.
    clock.t = 10_000 + 365 * 86_400_000;
    expect(await cache.get('from-the-future')).toBeNull();
  });

  it('keeps a page in memory when the disk refuses it, and still serves it free until it expires or is cleared', async () => {
    const clock = { t: 10 };
    const cache = makeCache(clock, 1000);
    const quotaExceeded = () => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementationOnce(quotaExceeded).mockImplementationOnce(quotaExceeded);
    await expect(cache.put(entry('refused', 10))).resolves.toBeUndefined();
    await cache.put(entry('refused-later', 600));
    expect((await cache.get('refused'))?.page).toEqual(page);
    expect(await cache.stats()).toMatchObject({ entries: 2 });
    clock.t = 1011;
    expect(await cache.get('refused')).toBeNull();
    expect(await cache.get('refused-later')).not.toBeNull();
    await cache.clear();
    expect(await cache.get('refused-later')).toBeNull();
  });

  it('clears everything', async () => {
    const clock = { t: 0 };
    const cache = makeCache(clock);
    await cache.put(entry('a', 0));
    await cache.clear();
    expect(await cache.stats()).toEqual({ entries: 0, bytes: 0 });
  });
});
