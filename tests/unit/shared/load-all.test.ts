import { describe, expect, it } from 'vitest';
import { defaultBudget } from '../../../lib/shared/budget';
import { formatTimeLeft, loadAllProgress, planLoadAll } from '../../../lib/shared/load-all';
import { SERPSTAT_MAX_ROWS } from '../../../lib/shared/providers';
import { appendPages } from '../../../lib/ui/queries';
import type { TablePage } from '../../../lib/shared/reports';

describe('planLoadAll', () => {
  it('plans the pages after those loaded, with the rows and credits they cost (Serpstat)', () => {
    const plan = planLoadAll({ provider: 'serpstat', pageSize: 100, loadedPages: 3, total: 1_050, budget: defaultBudget });
    expect(plan).toMatchObject({ fromPage: 4, toPage: 11, expectedRows: 1_050, rowsBeyondProviderLimit: 0 });
    expect(plan?.estimate).toMatchObject({ requests: 8, rows: 750, credits: 750 });
    expect(plan?.overPerLookupLimit).toBe(false);
  });

  it('says when the estimate is above the per-lookup limit', () => {
    const plan = planLoadAll({ provider: 'serpstat', pageSize: 100, loadedPages: 1, total: 5_000, budget: defaultBudget });
    expect(plan?.estimate.credits).toBe(4_900);
    expect(plan?.overPerLookupLimit).toBe(true);
  });

  it('prices DataForSEO per request and per row, against the USD limit', () => {
    const plan = planLoadAll({ provider: 'dataforseo', pageSize: 1_000, loadedPages: 1, total: 100_000, budget: defaultBudget });
    expect(plan?.estimate).toMatchObject({ requests: 99, rows: 99_000, credits: 0 });
    expect(plan?.estimate.usd).toBeCloseTo(99 * 0.02 + 99_000 * 0.00003, 5);
    expect(plan?.overPerLookupLimit).toBe(true);
  });

  it('stops at the provider’s row cap and says how many rows stay out', () => {
    const plan = planLoadAll({
      provider: 'serpstat',
      pageSize: 1_000,
      loadedPages: 1,
      total: 100_000,
      maxRows: SERPSTAT_MAX_ROWS,
      budget: defaultBudget,
    });
    expect(plan).toMatchObject({ toPage: 60, expectedRows: 60_000, rowsBeyondProviderLimit: 40_000 });
    expect(plan?.estimate.credits).toBe(59_000);
  });

  it('has nothing to plan when every reachable page is loaded', () => {
    expect(planLoadAll({ provider: 'serpstat', pageSize: 100, loadedPages: 3, total: 300, budget: defaultBudget })).toBeNull();
    expect(planLoadAll({ provider: 'serpstat', pageSize: 100, loadedPages: 1, total: 0, budget: defaultBudget })).toBeNull();
    expect(planLoadAll({ provider: 'serpstat', pageSize: 1_000, loadedPages: 60, total: 90_000, maxRows: SERPSTAT_MAX_ROWS, budget: defaultBudget })).toBeNull();
  });
});

describe('loadAllProgress', () => {
  const plan = planLoadAll({ provider: 'serpstat', pageSize: 100, loadedPages: 1, total: 1_100, budget: defaultBudget })!;

  it('counts pages of this run and projects the time left from the pace so far', () => {
    expect(loadAllProgress(plan, 0, 0)).toEqual({ pagesDone: 0, pagesTotal: 10, fraction: 0, msLeft: null });
    expect(loadAllProgress(plan, 4, 4_000)).toEqual({ pagesDone: 4, pagesTotal: 10, fraction: 0.4, msLeft: 6_000 });
    expect(loadAllProgress(plan, 10, 9_000)).toMatchObject({ fraction: 1, msLeft: 0 });
  });

  it('never reports more than the plan’s pages', () => {
    expect(loadAllProgress(plan, 12, 9_000)).toMatchObject({ pagesDone: 10, fraction: 1 });
  });
});

describe('formatTimeLeft', () => {
  it('reads at a glance', () => {
    expect(formatTimeLeft(null)).toBe('working out the time left');
    expect(formatTimeLeft(3_000)).toBe('a few seconds left');
    expect(formatTimeLeft(42_400)).toBe('about 42 s left');
    expect(formatTimeLeft(150_000)).toBe('about 3 min left');
  });
});

describe('appendPages', () => {
  const page = (number: number): TablePage => ({
    page: number,
    rows: [{ domain: `d${number}.com`, rank: 1, links: 1 }],
    total: 10,
    creditsSpent: 1,
    costUsd: 0,
    creditsLeft: null,
    fromCache: false,
    fetchedAt: 0,
  });

  it('adds streamed pages in order after the loaded ones', () => {
    const data = { pages: [page(1)], pageParams: [1] };
    expect(appendPages(data, [page(2), page(3)])).toEqual({ pages: [page(1), page(2), page(3)], pageParams: [1, 2, 3] });
  });

  it('never adds a page twice or out of order', () => {
    const data = { pages: [page(1), page(2)], pageParams: [1, 2] };
    expect(appendPages(data, [page(2), page(4)])).toBe(data);
    expect(appendPages(data, [page(3), page(3), page(5)])?.pageParams).toEqual([1, 2, 3]);
  });

  it('leaves a table that is no longer cached alone', () => {
    expect(appendPages(undefined, [page(1)])).toBeUndefined();
  });
});
