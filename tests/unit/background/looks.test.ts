import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import { createDomainLooks, DOMAIN_PAGE_VERSION, tableKey } from '../../../lib/background/looks/domain-looks';
import { openLooksDb } from '../../../lib/background/looks/looks-db';
import { createLooks } from '../../../lib/background/looks/looks';
import { recordingLooks } from '../../../lib/background/looks/recording';
import { createSnapshotStore, siteKey, SNAPSHOT_VERSION } from '../../../lib/background/looks/snapshot-store';
import { ok } from '../../../lib/shared/result';
import type { RefDomainRow, TablePage, TableQuery } from '../../../lib/shared/reports';
import { changesBetween, lookBefore, type SiteSnapshot, type SnapshotSite, type SnapshotValues } from '../../../lib/shared/snapshots';
import { SUMMARY_REPORT, type SummaryQuery, type SummaryTotals } from '../../../lib/shared/summary';

let dbCount = 0;
const freshDb = () => openLooksDb(`looks-test-${++dbCount}`);

const site: SnapshotSite = { provider: 'serpstat', target: 'example.com', scope: 'domain_with_subdomains' };
const values = (referringDomains: number, backlinks: number | null = null): SnapshotValues => ({
  referringDomains,
  backlinks,
  dofollowBacklinks: null,
  outboundDomains: null,
  rank: null,
});
const snapshot = (fetchedAt: number, referringDomains = 100, where = site): SiteSnapshot => ({ ...where, fetchedAt, values: values(referringDomains) });

describe('snapshot store', () => {
  it('lists a site’s looks newest first; another provider or scope is another site, the target’s case is not', async () => {
    const store = createSnapshotStore({ db: freshDb() });
    await store.record(snapshot(1_000, 100));
    await store.record(snapshot(3_000, 130));
    await store.record(snapshot(2_000, 120, { ...site, target: 'Example.COM' }));
    await store.record(snapshot(4_000, 7, { ...site, provider: 'dataforseo' }));
    await store.record(snapshot(5_000, 8, { ...site, scope: 'domain' }));
    expect((await store.list(site)).map((look) => [look.fetchedAt, look.values.referringDomains])).toEqual([
      [3_000, 130],
      [2_000, 120],
      [1_000, 100],
    ]);
    expect((await store.list({ ...site, provider: 'dataforseo' })).map((look) => look.fetchedAt)).toEqual([4_000]);
    expect((await store.list({ ...site, scope: 'domain' })).map((look) => look.fetchedAt)).toEqual([5_000]);
  });

  it('keeps one look once, however often it is recorded (two views sharing one answer)', async () => {
    const store = createSnapshotStore({ db: freshDb() });
    await Promise.all([store.record(snapshot(1_000)), store.record(snapshot(1_000))]);
    expect(await store.count()).toBe(1);
  });

  it('keeps at most its cap, dropping the oldest looks of any site first', async () => {
    const store = createSnapshotStore({ db: freshDb(), maxSnapshots: 3 });
    await store.record(snapshot(1_000));
    await store.record(snapshot(2_000, 1, { ...site, target: 'other.com' }));
    await store.record(snapshot(3_000));
    await store.record(snapshot(4_000));
    await store.record(snapshot(5_000, 1, { ...site, target: 'other.com' }));
    expect(await store.count()).toBe(3);
    expect((await store.list(site)).map((look) => look.fetchedAt)).toEqual([4_000, 3_000]);
    expect((await store.list({ ...site, target: 'other.com' })).map((look) => look.fetchedAt)).toEqual([5_000]);
  });

  it('deletes one look, then all of them', async () => {
    const store = createSnapshotStore({ db: freshDb() });
    await store.record(snapshot(1_000));
    await store.record(snapshot(2_000));
    await store.record(snapshot(3_000, 1, { ...site, target: 'other.com' }));
    expect((await store.remove({ ...site, target: 'EXAMPLE.com' }, 2_000)).map((look) => look.fetchedAt)).toEqual([1_000]);
    await store.clear();
    expect(await store.count()).toBe(0);
    expect(await store.list(site)).toEqual([]);
  });

  it.each([
    ['a newer version', { v: SNAPSHOT_VERSION + 1 }],
    ['no version', { v: undefined }],
    ['a figure that is no number', { values: { ...values(1), referringDomains: 'many' } }],
    ['no figures', { values: null }],
    ['an unknown provider', { provider: 'moz' }],
    ['a date before 1970', { fetchedAt: -5 }],
  ])('reads a stored look with %s as missing, and deletes it', async (_name, damage) => {
    const db = freshDb();
    const store = createSnapshotStore({ db });
    await store.record(snapshot(1_000, 100));
    // Written by a newer extension, a bug or someone's tooling: the key stays the site's.
    await (await db()).put('snapshots', { v: SNAPSHOT_VERSION, site: siteKey(site), ...snapshot(2_000, 200), ...damage });
    expect((await store.list(site)).map((look) => look.fetchedAt)).toEqual([1_000]);
    expect(await (await db()).count('snapshots')).toBe(1);
  });
});

describe('the change since the last look', () => {
  it('names each figure both looks gave that moved, by how much', () => {
    expect(changesBetween({ ...values(100, 500), rank: 40 }, { ...values(112, 497), rank: 40 })).toEqual([
      { figure: 'referringDomains', change: 12 },
      { figure: 'backlinks', change: -3 },
    ]);
    // A figure one look did not give cannot have moved.
    expect(changesBetween(values(100, null), values(100, 20))).toEqual([]);
  });

  it('compares the look shown with the newest one before it', () => {
    const looks = [snapshot(3_000), snapshot(2_000), snapshot(1_000)];
    expect(lookBefore(looks, 3_000)?.fetchedAt).toBe(2_000);
    expect(lookBefore(looks, 2_500)?.fetchedAt).toBe(2_000);
    expect(lookBefore(looks, 1_000)).toBeNull();
  });
});

const query: TableQuery = { provider: 'serpstat', report: 'refDomains', target: 'example.com', scope: 'domain_with_subdomains', filters: [], sort: { field: 'rank', order: 'desc' }, pageSize: 2 };
const row = (domain: string): RefDomainRow => ({ domain, rank: 1, refPages: 1, backlinks: 1, firstSeen: null, lostDate: null, spamScore: null });
const refPage = (page: number, domains: string[], total: number, fetchedAt: number, fromCache = false): TablePage => ({
  page,
  rows: domains.map(row),
  total,
  creditsSpent: fromCache ? 0 : domains.length,
  costUsd: 0,
  creditsLeft: null,
  fromCache,
  fetchedAt,
});

describe('referring domains between looks', () => {
  it('lists the domains that appeared and disappeared between two whole looks', async () => {
    const looks = createDomainLooks({ db: freshDb() });
    await looks.recordPage(query, refPage(1, ['a.com', 'b.com'], 4, 1_000));
    await looks.recordPage(query, refPage(2, ['c.com', 'd.com'], 4, 1_001));
    expect(await looks.changes(query)).toBeNull();
    // Refresh: every loaded page again, past the cache.
    await looks.recordPage(query, refPage(1, ['a.com', 'E.com'], 4, 9_000));
    // Half-way through, the new look has half the table: partial, though the old one was whole.
    expect(await looks.changes(query)).toMatchObject({ then: { loaded: 4, total: 4 }, now: { loaded: 2, total: 4 }, partial: true });
    await looks.recordPage(query, refPage(2, ['c.com', 'f.com'], 4, 9_001));
    expect(await looks.changes(query)).toEqual({
      then: { at: 1_000, loaded: 4, total: 4 },
      now: { at: 9_000, loaded: 4, total: 4 },
      appeared: ['e.com', 'f.com'],
      appearedCount: 2,
      disappeared: ['b.com', 'd.com'],
      disappearedCount: 2,
      partial: false,
    });
  });

  it('says the comparison is partial when either look loaded only part of the table', async () => {
    const looks = createDomainLooks({ db: freshDb() });
    await looks.recordPage(query, refPage(1, ['a.com', 'b.com'], 6, 1_000));
    await looks.recordPage(query, refPage(2, ['c.com', 'd.com'], 6, 1_001));
    await looks.recordPage(query, refPage(1, ['a.com', 'x.com'], 7, 9_000));
    expect(await looks.changes(query)).toMatchObject({
      then: { loaded: 4, total: 6 },
      now: { loaded: 2, total: 7 },
      appeared: ['x.com'],
      disappeared: ['b.com', 'c.com', 'd.com'],
      partial: true,
    });
    // Both looks whole but for the newer one: still partial.
    await looks.recordPage(query, refPage(2, ['c.com', 'd.com'], 7, 9_001));
    await looks.recordPage(query, refPage(3, ['y.com', 'z.com'], 7, 9_002));
    expect(await looks.changes(query)).toMatchObject({ now: { loaded: 6, total: 7 }, partial: true });
    await looks.recordPage(query, refPage(4, ['w.com'], 7, 9_003));
    expect(await looks.changes(query)).toMatchObject({ now: { loaded: 7, total: 7 }, partial: true });
  });

  it('compares only the same table: provider, target, scope, sort and filters', async () => {
    const looks = createDomainLooks({ db: freshDb() });
    await looks.recordPage(query, refPage(1, ['a.com'], 1, 1_000));
    await looks.recordPage({ ...query, sort: { field: 'rank', order: 'asc' } }, refPage(1, ['b.com'], 1, 2_000));
    await looks.recordPage({ ...query, filters: [{ kind: 'minRank', value: 5 }] }, refPage(1, ['c.com'], 1, 3_000));
    await looks.recordPage({ ...query, provider: 'dataforseo' }, refPage(1, ['d.com'], 1, 4_000));
    await looks.recordPage({ ...query, scope: 'domain' }, refPage(1, ['e.com'], 1, 5_000));
    await looks.recordPage({ ...query, target: 'other.com' }, refPage(1, ['f.com'], 1, 6_000));
    expect(await looks.changes(query)).toBeNull();
    await looks.recordPage({ ...query, target: 'EXAMPLE.com' }, refPage(1, ['a.com', 'g.com'], 2, 7_000));
    expect(await looks.changes(query)).toMatchObject({ appeared: ['g.com'], disappeared: [] });
  });

  it('keeps nothing for pages from the cache or of other reports', async () => {
    const looks = createDomainLooks({ db: freshDb() });
    await looks.recordPage(query, refPage(1, ['a.com'], 1, 1_000));
    await looks.recordPage(query, refPage(1, ['a.com'], 1, 1_000, true));
    await looks.recordPage({ ...query, report: 'outDomains' }, refPage(1, ['b.com'], 1, 2_000));
    expect(await looks.stats()).toEqual({ pages: 1, bytes: JSON.stringify(['a.com']).length });
    expect(await looks.changes(query)).toBeNull();
  });

  it('joins a page loaded later to the look it continues, and the same answer twice is one look', async () => {
    const looks = createDomainLooks({ db: freshDb() });
    await looks.recordPage(query, refPage(1, ['a.com', 'b.com'], 4, 1_000));
    await looks.recordPage(query, refPage(1, ['a.com', 'b.com'], 4, 1_000));
    await looks.recordPage(query, refPage(2, ['c.com', 'd.com'], 4, 5_000));
    expect(await looks.changes(query)).toBeNull();
  });

  it('keeps the last two looks of a table: a third is compared with the second', async () => {
    const looks = createDomainLooks({ db: freshDb() });
    await looks.recordPage(query, refPage(1, ['a.com'], 1, 1_000));
    await looks.recordPage(query, refPage(1, ['b.com'], 1, 2_000));
    await looks.recordPage(query, refPage(1, ['c.com'], 1, 3_000));
    expect(await looks.changes(query)).toMatchObject({ then: { at: 2_000 }, appeared: ['c.com'], disappeared: ['b.com'] });
    expect((await looks.stats()).pages).toBe(2);
  });

  it('a page answered again starts a new look, whichever page comes first', async () => {
    const looks = createDomainLooks({ db: freshDb() });
    await looks.recordPage(query, refPage(1, ['a.com', 'b.com'], 4, 1_000));
    await looks.recordPage(query, refPage(2, ['c.com', 'd.com'], 4, 1_001));
    await looks.recordPage(query, refPage(2, ['c.com', 'z.com'], 4, 9_000));
    await looks.recordPage(query, refPage(1, ['a.com', 'b.com'], 4, 9_001));
    expect(await looks.changes(query)).toMatchObject({ then: { at: 1_000, loaded: 4 }, now: { at: 9_000, loaded: 4 }, appeared: ['z.com'], partial: false });
  });

  it('drops the oldest pages past its size cap, which makes the older look partial', async () => {
    const onePage = JSON.stringify(['a.com', 'b.com']).length;
    // Room for three pages after an eviction (down to 90 % of the cap), not for four.
    const looks = createDomainLooks({ db: freshDb(), maxBytes: Math.floor(onePage * 3.5) });
    await looks.recordPage(query, refPage(1, ['a.com', 'b.com'], 4, 1_000));
    await looks.recordPage(query, refPage(2, ['c.com', 'd.com'], 4, 1_001));
    await looks.recordPage(query, refPage(1, ['a.com', 'b.com'], 4, 9_000));
    await looks.recordPage(query, refPage(2, ['c.com', 'd.com'], 4, 9_001));
    expect(await looks.stats()).toEqual({ pages: 3, bytes: onePage * 3 });
    expect(await looks.changes(query)).toMatchObject({ then: { loaded: 2 }, now: { loaded: 4 }, appeared: ['a.com', 'b.com'], partial: true });
  });

  it('makes room down to 90 % of its cap, so the pages after an eviction delete nothing', async () => {
    const onePage = JSON.stringify(['p10.com']).length;
    const looks = createDomainLooks({ db: freshDb(), maxBytes: onePage * 10 });
    for (let page = 10; page <= 20; page++) await looks.recordPage(query, refPage(page, [`p${page}.com`], 100, 1_000 + page));
    // The 11th page took it over the cap: the two oldest went, leaving 9 (90 % of the cap).
    expect(await looks.stats()).toEqual({ pages: 9, bytes: onePage * 9 });
    const deletes = vi.spyOn(IDBObjectStore.prototype, 'delete');
    await looks.recordPage(query, refPage(21, ['p21.com'], 100, 1_021));
    expect(deletes).not.toHaveBeenCalled();
    deletes.mockRestore();
    expect(await looks.stats()).toEqual({ pages: 10, bytes: onePage * 10 });
  });

  it('reads no kept key for each page of a long load: the table’s latest look is kept in memory', async () => {
    const looks = createDomainLooks({ db: freshDb() });
    // Another table's pages are kept too; the first page reads what is stored, once.
    await looks.recordPage({ ...query, target: 'other.com' }, refPage(1, ['o.com'], 1, 500));
    await looks.recordPage(query, refPage(1, ['p1.com'], 40, 1_000));
    const keysWalked = vi.spyOn(IDBCursor.prototype, 'continue');
    const cursorsOpened = vi.spyOn(IDBObjectStore.prototype, 'openKeyCursor');
    for (let page = 2; page <= 40; page++) await looks.recordPage(query, refPage(page, [`p${page}.com`], 40, 1_000 + page));
    expect([keysWalked.mock.calls.length, cursorsOpened.mock.calls.length]).toEqual([0, 0]);
    keysWalked.mockRestore();
    cursorsOpened.mockRestore();
    // What it kept is what reading the keys gives: page 1 again starts a new look, compared with all 40 pages.
    await looks.recordPage(query, refPage(1, ['p1.com', 'new.com'], 40, 9_000));
    expect(await looks.changes(query)).toMatchObject({ then: { at: 1_000, loaded: 40 }, now: { at: 9_000, loaded: 2 }, appeared: ['new.com'] });
    expect((await looks.stats()).pages).toBe(42);
  });

  it('reads the latest look again after the size cap deleted some of its pages', async () => {
    const onePage = JSON.stringify(['a.com', 'b.com']).length;
    const looks = createDomainLooks({ db: freshDb(), maxBytes: onePage * 2 });
    await looks.recordPage(query, refPage(1, ['a.com', 'b.com'], 6, 1_000));
    await looks.recordPage(query, refPage(2, ['c.com', 'd.com'], 6, 1_001));
    await looks.recordPage(query, refPage(3, ['e.com', 'f.com'], 6, 1_002));
    // Page 1 was dropped for the cap: answered again, it joins the look instead of starting one.
    await looks.recordPage(query, refPage(1, ['a.com', 'b.com'], 6, 1_003));
    expect(await looks.changes(query)).toBeNull();
    expect(await looks.stats()).toEqual({ pages: 2, bytes: onePage * 2 });
  });

  it('reads a damaged or newer stored page as missing, and deletes it', async () => {
    const db = freshDb();
    const looks = createDomainLooks({ db });
    await looks.recordPage(query, refPage(1, ['a.com'], 2, 1_000));
    await looks.recordPage(query, refPage(1, ['b.com'], 2, 9_000));
    const table = tableKey(query);
    const database = await db();
    await database.put('domainPages', { v: DOMAIN_PAGE_VERSION + 1, table, startedAt: 9_000, page: 2, total: 2, domains: ['a.com'], fetchedAt: 9_001, bytes: 9 });
    await database.put('domainPages', { v: DOMAIN_PAGE_VERSION, table, startedAt: 1_000, page: 2, total: 2, domains: null, fetchedAt: 1_001, bytes: 9 });
    expect(await looks.changes(query)).toMatchObject({ then: { loaded: 1 }, now: { loaded: 1 }, appeared: ['b.com'], disappeared: ['a.com'] });
    expect(await database.count('domainPages')).toBe(2);
  });

  it('lists at most 1,000 domains of each kind, and counts them all', async () => {
    const looks = createDomainLooks({ db: freshDb() });
    const many = (prefix: string) => Array.from({ length: 1_500 }, (_, index) => `${prefix}${index}.com`);
    await looks.recordPage({ ...query, pageSize: 1_000 }, refPage(1, many('old'), 1_500, 1_000));
    await looks.recordPage({ ...query, pageSize: 1_000 }, refPage(1, many('new'), 1_500, 2_000));
    const changes = await looks.changes({ ...query, pageSize: 1_000 });
    expect([changes?.appeared.length, changes?.appearedCount, changes?.disappeared.length, changes?.disappearedCount]).toEqual([1_000, 1_500, 1_000, 1_500]);
  });
});

describe('recording looks on the paid fetch', () => {
  const summaryQuery: SummaryQuery = { provider: 'serpstat', report: SUMMARY_REPORT, target: 'example.com', scope: 'domain_with_subdomains' };
  const totals: SummaryTotals = {
    referringDomains: { value: 1_204, weekChange: 12 },
    backlinks: { value: 9_000, weekChange: null },
    dofollowBacklinks: null,
    outboundDomains: { value: 40, weekChange: 0 },
    rank: { value: 31, weekChange: null },
  };
  const summaryPage = (fromCache: boolean, fetchedAt: number): TablePage<SummaryTotals> => ({ page: 1, rows: [totals], total: 1, creditsSpent: 1, costUsd: 0, creditsLeft: 5, fromCache, fetchedAt });

  it('keeps a summary the provider answered as a snapshot, and nothing for one from the cache', async () => {
    const looks = createLooks({ dbName: `looks-recording-${++dbCount}` });
    const provider = vi.fn(async (_query: unknown, _page: number) => ok(summaryPage(false, 1_000) as TablePage<never>));
    const fetchPage = recordingLooks(provider, looks);
    const signal = new AbortController().signal;
    await fetchPage(summaryQuery, 1, signal);
    provider.mockResolvedValueOnce(ok(summaryPage(true, 1_000) as TablePage<never>));
    await fetchPage(summaryQuery, 1, signal);
    provider.mockResolvedValueOnce(ok(summaryPage(true, 500) as TablePage<never>));
    await fetchPage(summaryQuery, 1, signal);
    expect(await looks.snapshots.list(summaryQuery)).toEqual([
      { provider: 'serpstat', target: 'example.com', scope: 'domain_with_subdomains', fetchedAt: 1_000, values: { referringDomains: 1_204, backlinks: 9_000, dofollowBacklinks: null, outboundDomains: 40, rank: 31 } },
    ]);
  });

  it('answers a summary without waiting for its snapshot to be written, and the site\'s looks asked right after include it', async () => {
    const opened = openLooksDb(`looks-recording-${++dbCount}`);
    let release = () => {};
    const diskHeld = new Promise<void>((resolve) => (release = resolve));
    const snapshots = createSnapshotStore({ db: async () => (await diskHeld, opened()) });
    const answer = ok(summaryPage(false, 2_000) as TablePage<never>);
    const fetchPage = recordingLooks(vi.fn(async () => answer), { snapshots, domainLooks: createDomainLooks({ db: opened }) });
    // Another site's look is still being written: this one's write waits behind it.
    expect(await fetchPage({ ...summaryQuery, target: 'other.com' }, 1, new AbortController().signal)).toBe(answer);
    expect(await fetchPage(summaryQuery, 1, new AbortController().signal)).toBe(answer);
    const listed = snapshots.list(summaryQuery);
    release();
    expect((await listed).map((snapshot) => snapshot.fetchedAt)).toEqual([2_000]);
  });

  it('keeps a referring-domain page the provider answered, and answers what the fetch answered even when keeping fails', async () => {
    const looks = createLooks({ dbName: `looks-recording-${++dbCount}` });
    const answer = ok(refPage(1, ['a.com'], 1, 1_000));
    const fetchPage = recordingLooks(vi.fn(async () => answer), looks);
    expect(await fetchPage(query, 1, new AbortController().signal)).toBe(answer);
    expect(await looks.messages.historyStats()).toMatchObject({ snapshots: 0, domainPages: 1 });
    vi.spyOn(looks.domainLooks, 'recordPage').mockRejectedValueOnce(new DOMException('full', 'QuotaExceededError'));
    expect(await fetchPage(query, 1, new AbortController().signal)).toBe(answer);
    expect(await looks.messages.clearHistory()).toEqual({ snapshots: 0, domainPages: 0, bytes: 0 });
  });
});
