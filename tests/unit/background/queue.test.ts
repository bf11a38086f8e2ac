import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createProviderClient } from '../../../lib/background/provider-client';
import { createRequestQueue, retryDelay, withRetry, type RetryOptions } from '../../../lib/background/queue';
import { lensError, type ErrorCode } from '../../../lib/shared/errors';
import type { Credentials } from '../../../lib/shared/protocol';
import type { ProviderAdapter, RequestContext } from '../../../lib/background/providers/types';
import type { TableQuery, ProviderPage } from '../../../lib/shared/reports';
import { fail, ok, type Result } from '../../../lib/shared/result';
import { type ProviderId } from '../../../lib/shared/providers';

beforeEach(() => vi.useFakeTimers({ now: 1_000_000 }));
afterEach(() => vi.useRealTimers());

const never = () => new AbortController().signal;
/** Time between consecutive starts. */
const gaps = (times: number[]) => times.slice(1).map((time, index) => time - times[index]!);
/** A task that records when it started and answers after `ms`. */
function timedTask(starts: number[], ms = 10) {
  return async (): Promise<Result<number>> => {
    starts.push(Date.now());
    await new Promise((resolve) => setTimeout(resolve, ms));
    return ok(starts.length);
  };
}

describe('createRequestQueue', () => {
  it('spaces starts by the minimum interval (Serpstat: 1 a second)', async () => {
    const queue = createRequestQueue({ minIntervalMs: 1000, maxConcurrent: 1 });
    const starts: number[] = [];
    const runs = [1, 2, 3].map(() => queue.run(timedTask(starts), never()));
    await vi.runAllTimersAsync();
    await Promise.all(runs);
    expect(starts.map((t) => t - 1_000_000)).toEqual([0, 1000, 2000]);
  });

  it('keeps the plan\'s exact pace when its timers fire late: N starts take N−1 intervals', async () => {
    // A clock of the test's own, and timers that each fire 7 ms late, as a busy worker's do.
    let clock = 0;
    const lateSleep = async (ms: number) => void (clock += ms + 7);
    const queue = createRequestQueue({ minIntervalMs: 1000, maxConcurrent: 1, now: () => clock, sleep: lateSleep });
    const starts: number[] = [];
    const runs = Array.from({ length: 5 }, () =>
      queue.run(async () => {
        starts.push(clock);
        // Each request takes 300 ms, less than the interval.
        clock += 300;
        return ok(starts.length);
      }, never()),
    );
    await Promise.all(runs);
    // Each start is at most one late timer after its slot; the lateness never adds up.
    expect(starts).toEqual([0, 1007, 2007, 3007, 4007]);
  });

  it('counts from a start that came much later than due, so no burst follows it', async () => {
    let clock = 0;
    // A timer that fires 1.5 s late: the worker was stopped or busy.
    const slowSleep = async (ms: number) => void (clock += ms + 1500);
    const queue = createRequestQueue({ minIntervalMs: 1000, maxConcurrent: 1, now: () => clock, sleep: slowSleep });
    const starts: number[] = [];
    await Promise.all(Array.from({ length: 3 }, () => queue.run(async () => ok(starts.push(clock)), never())));
    expect(gaps(starts).every((gap) => gap >= 1000)).toBe(true);
  });

  it('keeps its spacing when the wall clock is set back (it times starts on a monotonic clock)', async () => {
    const queue = createRequestQueue({ minIntervalMs: 1000, maxConcurrent: 1 });
    const starts: number[] = [];
    await Promise.all([queue.run(timedTask(starts), never()), vi.advanceTimersByTimeAsync(10)]);
    vi.setSystemTime(Date.now() - 3_600_000);
    let done = false;
    const second = queue.run(timedTask(starts), never()).then(() => (done = true));
    await vi.advanceTimersByTimeAsync(1000);
    expect(done).toBe(true);
    await second;
  });

  it('reads the interval each time, so a changed rate applies at once', async () => {
    let interval = 1000;
    const queue = createRequestQueue({ minIntervalMs: () => interval, maxConcurrent: 1 });
    const starts: number[] = [];
    await Promise.all([queue.run(timedTask(starts), never()), vi.runAllTimersAsync()]);
    interval = 100;
    await Promise.all([queue.run(timedTask(starts), never()), vi.runAllTimersAsync()]);
    expect(gaps(starts)).toEqual([100]);
  });

  it('keeps at most maxConcurrent in flight and starts waiters in order', async () => {
    const queue = createRequestQueue({ minIntervalMs: 0, maxConcurrent: 3 });
    let inFlight = 0;
    let peak = 0;
    const order: number[] = [];
    const runs = Array.from({ length: 10 }, (_, index) =>
      queue.run(async () => {
        order.push(index);
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 50 + ((index * 7) % 20)));
        inFlight -= 1;
        return ok(index);
      }, never()),
    );
    await vi.runAllTimersAsync();
    expect((await Promise.all(runs)).map((r) => r.ok && r.data)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(peak).toBe(3);
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('never starts a task whose caller cancelled while it waited, and passes the slot on', async () => {
    const queue = createRequestQueue({ minIntervalMs: 0, maxConcurrent: 1 });
    const started: string[] = [];
    const task = (name: string) => async () => {
      started.push(name);
      await new Promise((resolve) => setTimeout(resolve, 100));
      return ok(name);
    };
    const cancelledCaller = new AbortController();
    const first = queue.run(task('first'), never());
    const second = queue.run(task('second'), cancelledCaller.signal);
    const third = queue.run(task('third'), never());
    cancelledCaller.abort();
    await vi.runAllTimersAsync();
    expect(await second).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    expect(await first).toEqual(ok('first'));
    expect(await third).toEqual(ok('third'));
    expect(started).toEqual(['first', 'third']);
  });

  it('cancels a caller waiting out the spacing without starting its task', async () => {
    const queue = createRequestQueue({ minIntervalMs: 1000, maxConcurrent: 1 });
    const starts: number[] = [];
    await Promise.all([queue.run(timedTask(starts, 0), never()), vi.runAllTimersAsync()]);
    const controller = new AbortController();
    const waiting = queue.run(timedTask(starts, 0), controller.signal);
    await vi.advanceTimersByTimeAsync(500);
    controller.abort();
    expect(await waiting).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    expect(starts).toHaveLength(1);
    // The slot was freed: the next caller still starts one interval after the first start.
    const next = queue.run(timedTask(starts, 0), never());
    await vi.runAllTimersAsync();
    expect(await next).toMatchObject({ ok: true });
    expect(gaps(starts)).toEqual([1000]);
  });
});

describe('withRetry', () => {
  const options: RetryOptions = { maxTries: 4, baseDelayMs: 500, maxDelayMs: 8000, jitter: 0.5, random: () => 0 };
  const failing = (code: ErrorCode, retryable: boolean, extra: { retryAfterMs?: number } = {}) => {
    const attempt = vi.fn(async (): Promise<Result<string>> => fail(lensError(code, code, { retryable, ...extra })));
    return attempt;
  };

  it.each(['rate_limited', 'server_error', 'network', 'timeout'] as const)('tries %s 4 times in all', async (code) => {
    const attempt = failing(code, true);
    const result = withRetry(attempt, never(), options);
    await vi.runAllTimersAsync();
    expect(await result).toMatchObject({ ok: false, error: { code } });
    expect(attempt).toHaveBeenCalledTimes(4);
  });

  it.each(['bad_key', 'no_credits', 'bad_filter', 'not_in_plan', 'malformed'] as const)('never retries %s', async (code) => {
    const attempt = failing(code, false);
    await withRetry(attempt, never(), options);
    expect(attempt).toHaveBeenCalledTimes(1);
  });

  it('does not retry a code outside the retryable set even if flagged retryable', async () => {
    const attempt = failing('internal', true);
    await withRetry(attempt, never(), options);
    expect(attempt).toHaveBeenCalledTimes(1);
  });

  it('backs off exponentially: 500, 1000, 2000 ms', async () => {
    const times: number[] = [];
    const attempt = vi.fn(async () => {
      times.push(Date.now());
      return fail<string>(lensError('server_error', 'x', { retryable: true }));
    });
    const result = withRetry(attempt, never(), options);
    await vi.runAllTimersAsync();
    await result;
    expect(gaps(times)).toEqual([500, 1000, 2000]);
  });

  it('caps the backoff and takes the jitter off the top', () => {
    expect(retryDelay(10, options, () => 0)).toBe(8000);
    expect(retryDelay(1, options, () => 1)).toBe(250);
    expect(retryDelay(2, options, () => 0.5)).toBe(750);
  });

  it('succeeds once the provider recovers', async () => {
    let calls = 0;
    const result = withRetry(
      async () => (++calls < 3 ? fail<string>(lensError('rate_limited', 'slow down', { retryable: true })) : ok('rows')),
      never(),
      options,
    );
    await vi.runAllTimersAsync();
    expect(await result).toEqual(ok('rows'));
    expect(calls).toBe(3);
  });

  it('waits as long as Retry-After says', async () => {
    const times: number[] = [];
    const attempt = async () => {
      times.push(Date.now());
      return times.length === 1 ? fail<string>(lensError('rate_limited', 'x', { retryable: true, retryAfterMs: 3000 })) : ok('ok');
    };
    const result = withRetry(attempt, never(), options);
    await vi.runAllTimersAsync();
    expect(await result).toEqual(ok('ok'));
    expect(gaps(times)).toEqual([3000]);
  });

  it('gives the error back at once when Retry-After is longer than it will wait', async () => {
    const attempt = failing('rate_limited', true, { retryAfterMs: 3_600_000 });
    expect(await withRetry(attempt, never(), { ...options, maxRetryAfterMs: 60_000 })).toMatchObject({
      error: { retryAfterMs: 3_600_000 },
    });
    expect(attempt).toHaveBeenCalledTimes(1);
  });

  it('stops retrying when the caller cancels during the backoff', async () => {
    const controller = new AbortController();
    const attempt = failing('network', true);
    const result = withRetry(attempt, controller.signal, options);
    await vi.advanceTimersByTimeAsync(100);
    controller.abort();
    await vi.runAllTimersAsync();
    expect(await result).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    expect(attempt).toHaveBeenCalledTimes(1);
  });

  it('does not retry after a cancelled attempt', async () => {
    const controller = new AbortController();
    const attempt = vi.fn(async () => {
      controller.abort();
      return fail<string>(lensError('network', 'reset', { retryable: true }));
    });
    await withRetry(attempt, controller.signal, options);
    expect(attempt).toHaveBeenCalledTimes(1);
  });

  it('goes through the queue on every retry, so the spacing holds', async () => {
    const queue = createRequestQueue({ minIntervalMs: 1000, maxConcurrent: 1 });
    const starts: number[] = [];
    const result = withRetry(
      () =>
        queue.run(async () => {
          starts.push(Date.now());
          return fail<string>(lensError('rate_limited', 'x', { retryable: true }));
        }, never()),
      never(),
      { ...options, baseDelayMs: 100 },
    );
    await vi.runAllTimersAsync();
    await result;
    expect(gaps(starts)).toEqual([1000, 1000, 1000]);
  });
});

describe('createProviderClient', () => {
  const query: TableQuery = {
    provider: 'serpstat',
    report: 'refDomains',
    target: 'example.com',
    scope: 'domain_with_subdomains',
    filters: [],
    pageSize: 10,
  };
  const providerPage: ProviderPage = { rows: [], total: 0, creditsSpent: 10, costUsd: 0, creditsLeft: 90 };
  const accountStatus = { provider: 'serpstat' as const, creditsLeft: 90, creditsTotal: 100, balanceUsd: null };

  function fakeAdapter(id: ProviderId, overrides: Partial<ProviderAdapter> = {}): ProviderAdapter {
    return {
      id,
      fetchPage: vi.fn(async () => ok(providerPage)),
      fetchSummary: vi.fn(async () => fail(lensError('internal', 'not used'))),
      testConnection: vi.fn(async () => ok(accountStatus)),
      ...overrides,
    };
  }

  function setUp(serpstat: ProviderAdapter, stored: Credentials | null = { provider: 'serpstat', token: 'stored-token' }) {
    const getCredentials = vi.fn(async () => stored);
    const fetchImpl = vi.fn() as unknown as typeof fetch;
    const client = createProviderClient({
      adapters: { serpstat, dataforseo: fakeAdapter('dataforseo') },
      getCredentials,
      baseUrls: { serpstat: 'http://127.0.0.1:1/v4', dataforseo: 'http://127.0.0.1:1' },
      fetch: fetchImpl,
      queues: {
        serpstat: createRequestQueue({ minIntervalMs: 1000, maxConcurrent: 1 }),
        dataforseo: createRequestQueue({ minIntervalMs: 0, maxConcurrent: 30 }),
      },
      retry: { maxTries: 4, baseDelayMs: 10, maxDelayMs: 100, jitter: 0 },
    });
    return { client, getCredentials, fetchImpl };
  }

  it('refuses an answer with more rows than the page asked for, booking what it said it cost', async () => {
    const rows = Array.from({ length: 5000 }, (_, index) => ({ domain: `d${index}.com`, rank: 1, refPages: 1 })) as ProviderPage['rows'];
    const adapter = fakeAdapter('serpstat', { fetchPage: vi.fn(async () => ok({ ...providerPage, rows, total: 9000, creditsSpent: 5000 })) });
    const { client } = setUp(adapter);
    const page = await client.fetchPage(query, 1, never());
    expect(page).toMatchObject({ ok: false, error: { code: 'bad_answer', provider: 'serpstat', charged: { credits: 5000, usd: 0 } } });
    if (!page.ok) expect(page.error.message).toBe('Serpstat sent an impossible answer: 5,000 rows for a page of 10.');
  });

  it('answers no_key with the provider, without calling the adapter', async () => {
    const adapter = fakeAdapter('serpstat');
    const { client } = setUp(adapter, null);
    expect(await client.fetchPage(query, 1, never())).toMatchObject({ ok: false, error: { code: 'no_key', provider: 'serpstat' } });
    expect(adapter.fetchPage).not.toHaveBeenCalled();
  });

  it('calls the adapter with the stored key, base URL, timeout and fetch, and stamps the page as fresh', async () => {
    const adapter = fakeAdapter('serpstat');
    const { client, fetchImpl } = setUp(adapter);
    const result = await client.fetchPage(query, 3, never());
    expect(result).toEqual(ok({ ...providerPage, page: 3, fromCache: false, fetchedAt: 1_000_000 }));
    expect(adapter.fetchPage).toHaveBeenCalledWith(query, 3, expect.objectContaining({ signal: expect.any(AbortSignal) }), undefined);
    expect(vi.mocked(adapter.fetchPage).mock.calls[0]?.[2]).toMatchObject({
      baseUrl: 'http://127.0.0.1:1/v4',
      credentials: { provider: 'serpstat', token: 'stored-token' },
      timeoutMs: 30_000,
      fetch: fetchImpl,
    });
  });

  it('hands the adapter the token a page continues from', async () => {
    const adapter = fakeAdapter('serpstat');
    const { client } = setUp(adapter);
    await client.fetchPage(query, 202, never(), undefined, 'token-of-page-201');
    expect(vi.mocked(adapter.fetchPage).mock.calls[0]?.[3]).toBe('token-of-page-201');
  });

  it('retries a rate limit through the queue, one second apart', async () => {
    const starts: number[] = [];
    const adapter = fakeAdapter('serpstat', {
      fetchPage: vi.fn(async () => {
        starts.push(Date.now());
        return starts.length < 3 ? fail<ProviderPage>(lensError('rate_limited', 'slow', { retryable: true })) : ok(providerPage);
      }),
    });
    const { client } = setUp(adapter);
    const result = client.fetchPage(query, 1, never());
    await vi.runAllTimersAsync();
    expect(await result).toMatchObject({ ok: true });
    expect(gaps(starts)).toEqual([1000, 1000]);
  });

  it('lets a sent request reach its answer when the caller cancels (the provider bills it anyway)', async () => {
    let seen: AbortSignal | null = null;
    let answer!: () => void;
    const adapter = fakeAdapter('serpstat', {
      fetchPage: vi.fn(
        (_q: TableQuery, _p: number, ctx: RequestContext) =>
          new Promise<Result<ProviderPage>>((resolve) => {
            seen = ctx.signal;
            answer = () => resolve(ok(providerPage));
          }),
      ),
    });
    const controller = new AbortController();
    const { client } = setUp(adapter);
    const result = client.fetchPage(query, 1, controller.signal);
    await vi.waitFor(() => expect(seen).not.toBeNull());
    controller.abort();
    expect(seen!.aborted).toBe(false);
    answer();
    expect(await result).toMatchObject({ ok: true, data: { page: 1, rows: providerPage.rows } });
  });

  it('turns an adapter that throws into an internal error', async () => {
    const adapter = fakeAdapter('serpstat', { fetchPage: vi.fn(async () => Promise.reject(new Error('boom'))) });
    const { client } = setUp(adapter);
    expect(await client.fetchPage(query, 1, never())).toMatchObject({ ok: false, error: { code: 'internal', provider: 'serpstat' } });
  });

  it('tests typed credentials without reading the stored ones, or the stored ones when none are typed', async () => {
    const adapter = fakeAdapter('serpstat');
    const { client, getCredentials } = setUp(adapter);
    expect(await client.testConnection('serpstat', { provider: 'serpstat', token: 'typed-token' })).toEqual(ok(accountStatus));
    expect(getCredentials).not.toHaveBeenCalled();
    expect(vi.mocked(adapter.testConnection).mock.calls[0]?.[0].credentials).toEqual({ provider: 'serpstat', token: 'typed-token' });
    const stored = client.testConnection('serpstat');
    await vi.runAllTimersAsync();
    expect(await stored).toEqual(ok(accountStatus));
    expect(vi.mocked(adapter.testConnection).mock.calls[1]?.[0].credentials).toEqual({ provider: 'serpstat', token: 'stored-token' });
  });

  it('refuses credentials meant for another provider', async () => {
    const adapter = fakeAdapter('serpstat');
    const { client } = setUp(adapter);
    const result = await client.testConnection('serpstat', { provider: 'dataforseo', login: 'a', password: 'b' });
    expect(result).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(adapter.testConnection).not.toHaveBeenCalled();
  });
});
