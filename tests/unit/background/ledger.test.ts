import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLedger, localDay } from '../../../lib/background/ledger';

const DAY = 86_400_000;
let dbCount = 0;
function makeLedger(clock: { t: number }) {
  dbCount += 1;
  return createLedger({ dbName: `test-ledger-${dbCount}`, now: () => clock.t });
}
const paid = (time: number, provider: 'serpstat' | 'dataforseo', credits: number, usd: number) => ({
  time,
  provider,
  report: 'refDomains' as const,
  target: 'example.com',
  kind: 'paid' as const,
  rows: credits,
  credits,
  usd,
});

afterEach(() => vi.restoreAllMocks());

/** The next IndexedDB write fails as a full disk does. */
function failNextWrite() {
  vi.spyOn(IDBObjectStore.prototype, 'add').mockImplementationOnce(() => {
    throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
  });
}

describe('createLedger', () => {
  const noon = new Date(2026, 10, 22, 12, 0, 0).getTime();

  it('keeps an entry whose write failed, counts it, and writes it with the next entry', async () => {
    const clock = { t: noon };
    dbCount += 1;
    const dbName = `test-ledger-${dbCount}`;
    const ledger = createLedger({ dbName, now: () => clock.t });
    failNextWrite();
    await expect(ledger.record(paid(noon - 1000, 'serpstat', 100, 0))).resolves.toBeUndefined();
    // Still counted against the daily cap and in the usage page while it waits.
    expect(await ledger.spentToday('serpstat')).toEqual({ credits: 100, usd: 0 });
    expect(await ledger.daily(1)).toMatchObject([{ provider: 'serpstat', requests: 1, credits: 100 }]);
    await ledger.record(paid(noon - 500, 'serpstat', 11, 0));
    expect(await ledger.spentToday('serpstat')).toEqual({ credits: 111, usd: 0 });
    // Both are on disk now: a ledger opened afresh (the worker restarted) reads them.
    const reopened = createLedger({ dbName, now: () => clock.t });
    expect(await reopened.spentToday('serpstat')).toEqual({ credits: 111, usd: 0 });
  });

  it('sums what was paid today per provider, exactly in USD', async () => {
    const clock = { t: noon };
    const ledger = makeLedger(clock);
    await ledger.record(paid(noon - 1000, 'serpstat', 100, 0));
    await ledger.record(paid(noon - 500, 'serpstat', 11, 0));
    await ledger.record(paid(noon - 400, 'dataforseo', 0, 0.02015));
    await ledger.record(paid(noon - 300, 'dataforseo', 0, 0.02015));
    await ledger.record(paid(noon - 300, 'dataforseo', 0, 0.1));
    await ledger.record(paid(noon - DAY, 'serpstat', 500, 0));
    await ledger.record({ ...paid(noon, 'serpstat', 100, 0), kind: 'cache' });
    expect(await ledger.spentToday('serpstat')).toEqual({ credits: 111, usd: 0 });
    expect(await ledger.spentToday('dataforseo')).toEqual({ credits: 0, usd: 0.1403 });
  });

  it('sums the day once, then checks the daily cap without reading an entry', async () => {
    const clock = { t: noon };
    const ledger = makeLedger(clock);
    await ledger.record(paid(noon - 1000, 'serpstat', 100, 0));
    expect(await ledger.spentToday('serpstat')).toEqual({ credits: 100, usd: 0 });
    const reads = [vi.spyOn(IDBIndex.prototype, 'getAll'), vi.spyOn(IDBObjectStore.prototype, 'getAll')];
    await ledger.record(paid(noon - 500, 'serpstat', 11, 0));
    await ledger.record(paid(noon - 400, 'dataforseo', 0, 0.02015));
    await ledger.record({ ...paid(noon - 300, 'serpstat', 7, 0), kind: 'cache' });
    expect(await ledger.spentToday('serpstat')).toEqual({ credits: 111, usd: 0 });
    expect(await ledger.spentToday('dataforseo')).toEqual({ credits: 0, usd: 0.02015 });
    for (const read of reads) expect(read).not.toHaveBeenCalled();
  });

  it('starts a new day from nothing, and counts nothing after the ledger is cleared', async () => {
    const clock = { t: noon };
    const ledger = makeLedger(clock);
    await ledger.record(paid(noon, 'serpstat', 100, 0));
    expect(await ledger.spentToday('serpstat')).toEqual({ credits: 100, usd: 0 });
    clock.t = noon + DAY;
    expect(await ledger.spentToday('serpstat')).toEqual({ credits: 0, usd: 0 });
    await ledger.record(paid(noon + DAY, 'serpstat', 5, 0));
    // Booked on the day before (a page that answered just before midnight): not today's.
    await ledger.record(paid(noon, 'serpstat', 50, 0));
    expect(await ledger.spentToday('serpstat')).toEqual({ credits: 5, usd: 0 });
    await ledger.clear();
    expect(await ledger.spentToday('serpstat')).toEqual({ credits: 0, usd: 0 });
  });

  it('groups by day and provider, newest first, with what the cache saved', async () => {
    const clock = { t: noon };
    const ledger = makeLedger(clock);
    await ledger.record(paid(noon - DAY, 'serpstat', 500, 0));
    await ledger.record(paid(noon, 'serpstat', 100, 0));
    await ledger.record({ ...paid(noon, 'serpstat', 100, 0), kind: 'cache' });
    await ledger.record(paid(noon, 'dataforseo', 0, 0.02));
    expect(await ledger.daily(30)).toEqual([
      { day: localDay(noon), provider: 'dataforseo', requests: 1, credits: 0, usd: 0.02, savedCredits: 0, savedUsd: 0 },
      { day: localDay(noon), provider: 'serpstat', requests: 1, credits: 100, usd: 0, savedCredits: 100, savedUsd: 0 },
      { day: localDay(noon - DAY), provider: 'serpstat', requests: 1, credits: 500, usd: 0, savedCredits: 0, savedUsd: 0 },
    ]);
    expect((await ledger.daily(1)).map((d) => d.day)).toEqual([localDay(noon), localDay(noon)]);
  });

  it('forgets entries older than a month', async () => {
    const clock = { t: noon - 40 * DAY };
    const ledger = makeLedger(clock);
    await ledger.record(paid(clock.t, 'serpstat', 7, 0));
    clock.t = noon;
    await ledger.record(paid(noon, 'serpstat', 1, 0));
    expect(await ledger.daily(60)).toHaveLength(1);
  });

  it('forgets old entries at the first write of each day, not at every write', async () => {
    const clock = { t: noon - 40 * DAY };
    const ledger = makeLedger(clock);
    await ledger.record(paid(clock.t, 'serpstat', 7, 0));
    clock.t = noon;
    const prunes = vi.spyOn(IDBIndex.prototype, 'openCursor');
    for (let entry = 0; entry < 5; entry++) await ledger.record(paid(noon + entry, 'dataforseo', 0, 0.02));
    expect(prunes).toHaveBeenCalledTimes(1);
    expect(await ledger.daily(60)).toHaveLength(1);
    // The next day prunes again, once.
    clock.t = noon + DAY;
    for (let entry = 0; entry < 3; entry++) await ledger.record(paid(clock.t + entry, 'dataforseo', 0, 0.02));
    expect(prunes).toHaveBeenCalledTimes(2);
    // Each write still booked its entries.
    expect(await ledger.daily(2)).toMatchObject([{ requests: 3 }, { requests: 5 }]);
  });
});
