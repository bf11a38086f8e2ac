import { lensError } from '../errors';
import { fail, type Result } from '../result';

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

const cancelled = () => fail(lensError('cancelled', 'The request was cancelled.'));

export interface RequestQueue {
  run<T>(task: (signal: AbortSignal) => Promise<Result<T>>, signal: AbortSignal): Promise<Result<T>>;
}

/**
 * One queue per provider: at most `maxConcurrent` requests in flight and at least
 * `minIntervalMs` between two starts (Serpstat: 1 a second on most plans).
 */
export function createRequestQueue(options: {
  minIntervalMs: () => number;
  maxConcurrent: number;
  now?: () => number;
}): RequestQueue {
  const now = options.now ?? Date.now;
  let running = 0;
  let lastStart = Number.NEGATIVE_INFINITY;
  const waiting: (() => void)[] = [];

  async function acquire(signal: AbortSignal): Promise<boolean> {
    for (;;) {
      if (signal.aborted) return false;
      if (running < options.maxConcurrent) {
        const wait = lastStart + options.minIntervalMs() - now();
        if (wait <= 0) {
          running += 1;
          lastStart = now();
          return true;
        }
        await sleep(wait, signal);
        continue;
      }
      await new Promise<void>((resolve) => {
        waiting.push(resolve);
        signal.addEventListener('abort', () => resolve(), { once: true });
      });
    }
  }

  function release(): void {
    running -= 1;
    waiting.shift()?.();
  }

  return {
    async run(task, signal) {
      if (!(await acquire(signal))) return cancelled();
      try {
        return await task(signal);
      } finally {
        release();
      }
    },
  };
}

export interface RetryOptions {
  maxTries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** 0..1 → the share of each delay that is random; keeps many clients from retrying in step. */
  jitter: number;
  random?: () => number;
  sleep?: Sleep;
}

export const defaultRetry: RetryOptions = { maxTries: 4, baseDelayMs: 500, maxDelayMs: 8000, jitter: 0.5 };

/**
 * Tries again only what can succeed later (rate limits, 5xx, network, timeouts), with
 * exponential backoff, honouring Retry-After. Never after the user cancelled.
 */
export async function withRetry<T>(
  attempt: () => Promise<Result<T>>,
  signal: AbortSignal,
  options: RetryOptions = defaultRetry,
): Promise<Result<T>> {
  const random = options.random ?? Math.random;
  const wait = options.sleep ?? sleep;
  for (let tries = 1; ; tries += 1) {
    const result = await attempt();
    if (result.ok || !result.error.retryable || tries >= options.maxTries || signal.aborted) return result;
    const backoff = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (tries - 1));
    const delay = result.error.retryAfterMs ?? backoff * (1 - options.jitter * random());
    await wait(delay, signal);
    if (signal.aborted) return cancelled();
  }
}
