/**
 * Back / Forward between the targets the side panel showed, like a browser's history: a new
 * target after going back drops the forward entries; showing the current target again adds
 * nothing. Plain data, so the panel's reducer and the tests share it.
 */
export interface History<T> {
  entries: readonly T[];
  /** Index of the entry shown; -1 while empty. */
  index: number;
}

/** Enough to go back through a working session; the oldest entries drop off. */
export const MAX_HISTORY = 50;

export const emptyHistory = <T>(): History<T> => ({ entries: [], index: -1 });

export function currentEntry<T>(history: History<T>): T | undefined {
  return history.entries[history.index];
}

/** Shows `entry` next; `sameAs` tells two entries for one target apart from different ones. */
export function pushEntry<T>(history: History<T>, entry: T, sameAs: (a: T, b: T) => boolean): History<T> {
  const current = currentEntry(history);
  if (current !== undefined && sameAs(current, entry)) return history;
  const kept = history.entries.slice(0, history.index + 1);
  const entries = [...kept, entry].slice(-MAX_HISTORY);
  return { entries, index: entries.length - 1 };
}

export const canGoBack = <T>(history: History<T>): boolean => history.index > 0;
export const canGoForward = <T>(history: History<T>): boolean => history.index < history.entries.length - 1;

export function goBack<T>(history: History<T>): History<T> {
  return canGoBack(history) ? { ...history, index: history.index - 1 } : history;
}

export function goForward<T>(history: History<T>): History<T> {
  return canGoForward(history) ? { ...history, index: history.index + 1 } : history;
}
