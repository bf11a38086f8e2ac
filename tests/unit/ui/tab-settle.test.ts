import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTabSettler, SETTLE_MS, type TabSnapshot } from '../../../lib/ui/tab-settle';
import { targetFromTabUrl } from '../../../lib/background/domain';
import type { TargetParse } from '../../../lib/shared/target-parse';

/** A settler on fake timers, recording what it tells the panel: "settling host" / "settled host". */
function recordingSettler() {
  const told: string[] = [];
  const name = (parse: TargetParse) => (parse.ok ? parse.host : parse.reason);
  const settler = createTabSettler({
    onSettling: (parse) => told.push(`settling ${name(parse)}`),
    onSettled: (parse) => told.push(`settled ${name(parse)}`),
  });
  return { settler, told };
}

// The panel hands on each address as the background resolved it.
const loading = (url: string): TabSnapshot => ({ parse: targetFromTabUrl(url), status: 'loading' });
const complete = (url: string): TabSnapshot => ({ parse: targetFromTabUrl(url), status: 'complete' });

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('createTabSettler', () => {
  it('settles a loaded tab once it has stayed on its site for the settle time, not before', () => {
    const { settler, told } = recordingSettler();
    settler.observe(complete('https://shop-example.co.uk/'));
    expect(told).toEqual(['settling shop-example.co.uk']);
    vi.advanceTimersByTime(SETTLE_MS - 1);
    expect(told).toEqual(['settling shop-example.co.uk']);
    vi.advanceTimersByTime(1);
    expect(told).toEqual(['settling shop-example.co.uk', 'settled shop-example.co.uk']);
  });

  it('waits for the page to finish loading, however long it stays', () => {
    const { settler, told } = recordingSettler();
    settler.observe(loading('https://shop-example.co.uk/'));
    vi.advanceTimersByTime(SETTLE_MS * 10);
    expect(told).toEqual(['settling shop-example.co.uk']);
    settler.observe(complete('https://shop-example.co.uk/'));
    expect(told).toEqual(['settling shop-example.co.uk', 'settled shop-example.co.uk']);
  });

  it('settles twenty redirects within a second once, on the last site', () => {
    const { settler, told } = recordingSettler();
    for (let hop = 20; hop >= 1; hop--) {
      settler.observe(loading(`https://hop-${hop}-example.com/`));
      // Some hops finish loading before a script moves the page on.
      if (hop % 2 === 0) settler.observe(complete(`https://hop-${hop}-example.com/`));
      vi.advanceTimersByTime(40);
    }
    settler.observe(loading('https://travel-example.com/'));
    settler.observe(complete('https://travel-example.com/'));
    vi.advanceTimersByTime(SETTLE_MS);
    expect(told.filter((line) => line.startsWith('settled'))).toEqual(['settled travel-example.com']);
    expect(told.filter((line) => line.startsWith('settling'))).toHaveLength(21);
  });

  it('starts the wait again when the tab moves on, even after its page loaded', () => {
    const { settler, told } = recordingSettler();
    settler.observe(complete('https://shop-example.co.uk/'));
    vi.advanceTimersByTime(SETTLE_MS - 100);
    // A script moves the loaded page on just before it would have settled.
    settler.observe(complete('https://travel-example.com/'));
    vi.advanceTimersByTime(SETTLE_MS - 1);
    expect(told).toEqual(['settling shop-example.co.uk', 'settling travel-example.com']);
    vi.advanceTimersByTime(1);
    expect(told.at(-1)).toBe('settled travel-example.com');
  });

  it('keeps a settled site settled through a reload or a switch to another tab on it', () => {
    const { settler, told } = recordingSettler();
    settler.observe(complete('https://shop-example.co.uk/'));
    vi.advanceTimersByTime(SETTLE_MS);
    settler.observe(loading('https://shop-example.co.uk/'));
    settler.observe(complete('https://shop-example.co.uk/'));
    vi.advanceTimersByTime(SETTLE_MS);
    expect(told).toEqual(['settling shop-example.co.uk', 'settled shop-example.co.uk']);
  });

  it('tells a page that is no site at once (its explanation is free) and drops the site before it', () => {
    const { settler, told } = recordingSettler();
    settler.observe(complete('https://shop-example.co.uk/'));
    settler.observe(complete('chrome://settings/'));
    vi.advanceTimersByTime(SETTLE_MS * 2);
    expect(told).toEqual(['settling shop-example.co.uk', 'settled non_web']);
  });

  it('waits again for the same site after a restart (unpinning)', () => {
    const { settler, told } = recordingSettler();
    settler.observe(complete('https://shop-example.co.uk/'));
    vi.advanceTimersByTime(SETTLE_MS);
    settler.restart();
    settler.observe(complete('https://shop-example.co.uk/'));
    expect(told.at(-1)).toBe('settling shop-example.co.uk');
    vi.advanceTimersByTime(SETTLE_MS);
    expect(told.at(-1)).toBe('settled shop-example.co.uk');
  });

  it('tells nothing after it is disposed', () => {
    const { settler, told } = recordingSettler();
    settler.observe(complete('https://shop-example.co.uk/'));
    settler.dispose();
    vi.advanceTimersByTime(SETTLE_MS);
    settler.observe(complete('https://travel-example.com/'));
    expect(told).toEqual(['settling shop-example.co.uk']);
  });
});
