import { describe, expect, it } from 'vitest';
import { canGoBack, canGoForward, currentEntry, emptyHistory, goBack, goForward, MAX_HISTORY, pushEntry } from '../../../lib/ui/target-history';

const same = (a: string, b: string) => a === b;
const visit = (...targets: string[]) => targets.reduce((history, target) => pushEntry(history, target, same), emptyHistory<string>());

describe('target history', () => {
  it('starts empty, with nowhere to go', () => {
    const history = emptyHistory<string>();
    expect(currentEntry(history)).toBeUndefined();
    expect(canGoBack(history)).toBe(false);
    expect(canGoForward(history)).toBe(false);
    expect(goBack(history)).toBe(history);
  });

  it('goes back and forward between the targets shown', () => {
    let history = visit('a.com', 'b.com', 'c.com');
    expect(currentEntry(history)).toBe('c.com');
    history = goBack(history);
    expect(currentEntry(history)).toBe('b.com');
    history = goBack(history);
    expect(currentEntry(history)).toBe('a.com');
    expect(canGoBack(history)).toBe(false);
    expect(goBack(history)).toBe(history);
    history = goForward(goForward(history));
    expect(currentEntry(history)).toBe('c.com');
    expect(canGoForward(history)).toBe(false);
  });

  it('drops the forward entries when a new target follows a step back', () => {
    const history = pushEntry(goBack(goBack(visit('a.com', 'b.com', 'c.com'))), 'd.com', same);
    expect(history.entries).toEqual(['a.com', 'd.com']);
    expect(canGoForward(history)).toBe(false);
  });

  it('adds nothing when the current target is shown again', () => {
    const history = visit('a.com', 'b.com');
    expect(pushEntry(history, 'b.com', same)).toBe(history);
    expect(visit('a.com', 'a.com', 'b.com', 'a.com').entries).toEqual(['a.com', 'b.com', 'a.com']);
  });

  it('keeps the latest entries only', () => {
    const history = visit(...Array.from({ length: MAX_HISTORY + 5 }, (_, index) => `d${index}.com`));
    expect(history.entries).toHaveLength(MAX_HISTORY);
    expect(history.entries[0]).toBe('d5.com');
    expect(currentEntry(history)).toBe(`d${MAX_HISTORY + 4}.com`);
  });
});
