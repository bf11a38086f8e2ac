import { lensError, type ErrorCode, type LensError } from '../shared/errors';
import { fail, type Result } from '../shared/result';

export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

/** Resolves after `ms`, or at once when the signal aborts. */
export const sleep: Sleep = (ms, signal) =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });

const cancelled = <T>(): Result<T> => fail(lensError('cancelled', 'The request was cancelled.'));

/** How late a spacing timer may fire and still have the next start count from when it was due. */
const LATE_TIMER_SLACK_MS = 25;

export interface RequestQueue {
  /**
   * Runs `task` when a slot is free and the spacing allows; a cancelled wait never starts it.
   * A started task is not aborted by `signal`: see `run`.
   */
  run<T>(task: () => Promise<Result<T>>, signal: AbortSignal): Promise<Result<T>>;
}

export interface RequestQueueOptions {
  /** Least time between two starts; a function so a changed preference applies at once. */
  minIntervalMs: number | (() => number);
  maxConcurrent: number;
  /** Milliseconds on a monotonic clock (default: performance.now). */
  now?: () => number;
  sleep?: Sleep;
}

/**
 * One queue per provider: at most `maxConcurrent` requests in flight and at least
 * `minIntervalMs` between two starts (Serpstat: 1 a second on most plans). Waiters start
 * in the order they arrived.
 */
export function createRequestQueue(options: RequestQueueOptions): RequestQueue {
  // A monotonic clock: with the wall clock, setting it back an hour froze the queue for an hour.
  const now = options.now ?? (() => performance.now());
  const wait = options.sleep ?? sleep;
  const interval = typeof options.minIntervalMs === 'function' ? options.minIntervalMs : () => options.minIntervalMs as number;
  let running = 0;
  let lastStart = Number.NEGATIVE_INFINITY;
  /** Callers waiting for a free slot, first come first served. */
  const waiting: (() => void)[] = [];
  /** Whoever holds the right to start next waits out the spacing; the others queue behind. */
  let spacing: Promise<void> = Promise.resolve();

  /** Resolves true once a finishing request hands this caller its slot, false if cancelled first. */
  function waitForSlot(signal: AbortSignal): Promise<boolean> {
    return new Promise((resolve) => {
      const handOver = () => {
        signal.removeEventListener('abort', onAbort);
        resolve(true);
      };
      // A cancelled waiter leaves the line, so a freed slot is never handed to nobody.
      const onAbort = () => {
        const index = waiting.indexOf(handOver);
        if (index >= 0) waiting.splice(index, 1);
        resolve(false);
      };
      waiting.push(handOver);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  async function acquire(signal: AbortSignal): Promise<boolean> {
    if (signal.aborted) return false;
    if (running < options.maxConcurrent && waiting.length === 0) running += 1;
    else if (!(await waitForSlot(signal))) return false;
    // Starts are spaced one after another: each waits for the previous start, then the interval.
    const myTurn = spacing.then(async () => {
      const due = lastStart + interval();
      const delay = due - now();
      if (delay > 0) await wait(delay, signal);
      if (signal.aborted) return;
      // The next start counts from when this one was due, not from when its timer fired: timers
      // fire a few ms late, and at the plan's rate N requests must take N−1 intervals, not more.
      // A start much later than due (the worker was busy) counts from itself, so no burst follows.
      const late = now() - due;
      lastStart = delay > 0 && late <= LATE_TIMER_SLACK_MS ? due : now();
    });
    spacing = myTurn.catch(() => undefined);
    try {
      await myTurn;
    } catch (error) {
      release();
      throw error;
    }
    if (signal.aborted) {
      release();
      return false;
    }
    return true;
  }

  function release(): void {
    const next = waiting.shift();
    // The slot goes straight to the longest waiter, so nobody can jump the line.
    if (next) next();
    else running -= 1;
  }

  return {
    async run(task, signal) {
      if (!(await acquire(signal))) return cancelled();
      try {
        // Once sent, a request is billed whether or not anyone still waits for it, so it runs to
        // its answer (or its timeout) and the page cache keeps it: cancelling stops what has not
        // started, and never throws away a page already paid for.
        return await task();
      } finally {
        release();
      }
    },
  };
}

/** What can succeed if asked again later. Anything else (bad key, no credits, bad filter) never retries. */
export const retryableCodes: ReadonlySet<ErrorCode> = new Set(['rate_limited', 'server_error', 'network', 'timeout']);

export interface RetryOptions {
  maxTries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** 0..1 → the share of each delay that is random; keeps many clients from retrying in step. */
  jitter: number;
  /** A provider asking for a longer wait than this gets its error shown instead of a frozen panel. */
  maxRetryAfterMs?: number;
  random?: () => number;
  sleep?: Sleep;
}

export const defaultRetry: RetryOptions = {
  maxTries: 4,
  baseDelayMs: 500,
  maxDelayMs: 8000,
  jitter: 0.5,
  maxRetryAfterMs: 60_000,
};

/** Backoff before try `tries + 1`: exponential, capped, the jittered share taken off the top. */
export function retryDelay(tries: number, options: RetryOptions, random: () => number): number {
  const backoff = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (tries - 1));
  return backoff * (1 - options.jitter * random());
}

/**
 * Tries again only what can succeed later (rate limits, 5xx, network, timeouts), with
 * exponential backoff, honouring Retry-After. Never after the caller cancelled. `attempt`
 * should go through the provider's queue, so every retry keeps the spacing. `beforeRetry`
 * hears each failure that is about to be tried again (a billed one must be booked first) and
 * may stop the retry with a failure of its own.
 */
export async function withRetry<T>(
  attempt: () => Promise<Result<T>>,
  signal: AbortSignal,
  options: RetryOptions = defaultRetry,
  beforeRetry?: (failed: LensError) => Promise<Result<void>>,
): Promise<Result<T>> {
  const random = options.random ?? Math.random;
  const wait = options.sleep ?? sleep;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? Number.POSITIVE_INFINITY;
  for (let tries = 1; ; tries += 1) {
    const result = await attempt();
    if (result.ok || signal.aborted || tries >= options.maxTries) return result;
    const { error } = result;
    if (!error.retryable || !retryableCodes.has(error.code)) return result;
    if (error.retryAfterMs !== undefined && error.retryAfterMs > maxRetryAfterMs) return result;
    const go = await beforeRetry?.(error);
    if (go && !go.ok) return go;
    await wait(error.retryAfterMs ?? retryDelay(tries, options, random), signal);
    if (signal.aborted) return cancelled();
  }
}
