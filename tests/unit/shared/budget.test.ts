import { describe, expect, it } from 'vitest';
import { decideBudget, defaultBudget, estimateCost } from '../../../lib/shared/budget';

describe('estimateCost', () => {
  it('counts Serpstat rows of the remaining pages, 1 credit at least per request', () => {
    expect(estimateCost('serpstat', { fromPage: 2, toPage: 50, pageSize: 100, total: 1234 })).toEqual({
      provider: 'serpstat',
      requests: 12,
      rows: 1134,
      credits: 1134,
      usd: 0,
    });
    expect(estimateCost('serpstat', { fromPage: 1, toPage: 1, pageSize: 100, total: 0 }).credits).toBe(1);
  });

  it('assumes full pages before the total is known', () => {
    expect(estimateCost('serpstat', { fromPage: 1, toPage: 3, pageSize: 100, total: null }).credits).toBe(300);
  });

  it('prices DataForSEO per request and per row', () => {
    const estimate = estimateCost('dataforseo', { fromPage: 1, toPage: 10, pageSize: 1000, total: 2500 });
    expect(estimate).toMatchObject({ requests: 3, rows: 2500, credits: 0 });
    expect(estimate.usd).toBeCloseTo(3 * 0.02 + 2500 * 0.00003, 10);
  });
});

describe('decideBudget', () => {
  const small = estimateCost('serpstat', { fromPage: 1, toPage: 1, pageSize: 100, total: 5000 });
  const large = estimateCost('serpstat', { fromPage: 1, toPage: 50, pageSize: 100, total: 5000 });

  it('goes ahead without a daily cap, above the per-lookup limit too (the lookup allowance asks for that one)', () => {
    expect(decideBudget(small, { credits: 0, usd: 0 }, defaultBudget)).toEqual({ kind: 'go' });
    expect(decideBudget(large, { credits: 0, usd: 0 }, defaultBudget)).toEqual({ kind: 'go' });
  });

  it('stops when the daily cap would be passed, even for a small request', () => {
    const capped = { ...defaultBudget, dailyCapCredits: 1000 };
    expect(decideBudget(small, { credits: 900, usd: 0 }, capped)).toEqual({ kind: 'go' });
    expect(decideBudget(small, { credits: 901, usd: 0 }, capped)).toEqual({
      kind: 'stop',
      estimate: small,
      spentToday: 901,
      cap: 1000,
    });
  });

  it('uses the USD limits for DataForSEO', () => {
    const request = estimateCost('dataforseo', { fromPage: 1, toPage: 1, pageSize: 100, total: 100 });
    expect(decideBudget(request, { credits: 0, usd: 0 }, defaultBudget)).toEqual({ kind: 'go' });
    expect(decideBudget(request, { credits: 99_999, usd: 0.49 }, { ...defaultBudget, dailyCapUsd: 0.5 }).kind).toBe('stop');
    expect(decideBudget(request, { credits: 0.49, usd: 0 }, { ...defaultBudget, dailyCapUsd: 0.5, dailyCapCredits: 0 }).kind).toBe('go');
  });
});
