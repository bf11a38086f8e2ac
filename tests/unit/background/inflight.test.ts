import { describe, expect, it } from 'vitest';
import { createInflightShare } from '../../../lib/background/cache/inflight';

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('createInflightShare', () => {
  it('runs one task for concurrent callers of the same key', async () => {
    const share = createInflightShare();
    const gate = deferred<string>();
    let runs = 0;
    const task = () => {
      runs += 1;
      return gate.promise;
    };
    const a = share.share('k', new AbortController().signal, task);
    const b = share.share('k', new AbortController().signal, task);
    gate.resolve('page');
    expect(await Promise.all([a, b])).toEqual(['page', 'page']);
    expect(runs).toBe(1);
    expect(share.size).toBe(0);
  });

  it('runs again once the first request has finished', async () => {
    const share = createInflightShare();
    let runs = 0;
    const task = async () => ++runs;
    await share.share('k', new AbortController().signal, task);
    await share.share('k', new AbortController().signal, task);
    expect(runs).toBe(2);
  });

  it('keeps the shared request alive while one caller still waits', async () => {
    const share = createInflightShare();
    const gate = deferred<string>();
    let seen: AbortSignal | undefined;
    const task = (signal: AbortSignal) => {
      seen = signal;
      return gate.promise;
    };
    const first = new AbortController();
    const p1 = share.share('k', first.signal, task);
    const p2 = share.share('k', new AbortController().signal, task);
    first.abort();
    expect(seen?.aborted).toBe(false);
    gate.resolve('page');
    expect(await p2).toBe('page');
    await p1;
  });

  it('aborts the shared request when every caller has left', async () => {
    const share = createInflightShare();
    let seen: AbortSignal | undefined;
    const task = (signal: AbortSignal) =>
      new Promise<string>((resolve) => {
        seen = signal;
        signal.addEventListener('abort', () => resolve('cancelled'));
      });
    const a = new AbortController();
    const b = new AbortController();
    const p1 = share.share('k', a.signal, task);
    const p2 = share.share('k', b.signal, task);
    a.abort();
    b.abort();
    expect(seen?.aborted).toBe(true);
    expect(await Promise.all([p1, p2])).toEqual(['cancelled', 'cancelled']);
    expect(share.size).toBe(0);
  });
});

describe('createInflightShare with an abandoned request', () => {
  it('lets a caller that comes while an abandoned request is still on the wire wait for it, then ask anew', async () => {
    const share = createInflightShare();
    const onTheWire = deferred<string>();
    const starts: string[] = [];
    const caller = new AbortController();
    // A sent request does not stop when its asker leaves (the provider bills it anyway).
    const first = share.share('k', caller.signal, () => {
      starts.push('first');
      return onTheWire.promise;
    });
    caller.abort();
    const second = share.share('k', new AbortController().signal, async () => {
      starts.push('second');
      return 'from cache';
    });
    await Promise.resolve();
    expect(starts).toEqual(['first']);
    expect(share.size).toBe(1);
    onTheWire.resolve('page');
    expect(await first).toBe('page');
    expect(await second).toBe('from cache');
    expect(starts).toEqual(['first', 'second']);
    expect(share.size).toBe(0);
  });
});
