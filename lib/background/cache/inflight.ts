/**
 * Shares one in-flight request per key between callers (popup and side panel asking for the same
 * page pay once). The shared request is aborted only when every caller waiting on it has aborted.
 * An abandoned request may already be on the wire (and billed); it stays listed until it settles,
 * and a caller asking for the same key meanwhile waits for it before starting anew, so the new
 * task finds its page in the cache instead of paying for it a second time.
 */
export interface InflightShare {
  share<T>(key: string, signal: AbortSignal, task: (signal: AbortSignal) => Promise<T>): Promise<T>;
  readonly size: number;
}

interface Entry {
  promise: Promise<unknown>;
  controller: AbortController;
  waiters: number;
}

export function createInflightShare(): InflightShare {
  const entries = new Map<string, Entry>();

  return {
    get size() {
      return entries.size;
    },
    share<T>(key: string, signal: AbortSignal, task: (signal: AbortSignal) => Promise<T>): Promise<T> {
      let entry = entries.get(key);
      if (entry?.controller.signal.aborted) {
        const settled = entry.promise.then(
          () => undefined,
          () => undefined,
        );
        return settled.then(() => this.share(key, signal, task));
      }
      if (!entry) {
        const controller = new AbortController();
        const created: Entry = { controller, waiters: 0, promise: Promise.resolve() };
        created.promise = task(controller.signal).finally(() => {
          if (entries.get(key) === created) entries.delete(key);
        });
        entries.set(key, created);
        entry = created;
      }
      const shared = entry;
      shared.waiters += 1;
      if (signal.aborted) leave();
      else signal.addEventListener('abort', leave, { once: true });

      function leave(): void {
        shared.waiters -= 1;
        if (shared.waiters === 0) shared.controller.abort(signal.reason);
      }
      return shared.promise.finally(() => signal.removeEventListener('abort', leave)) as Promise<T>;
    },
  };
}
