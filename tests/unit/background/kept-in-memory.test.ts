import { describe, expect, it, vi } from 'vitest';
import { keptInMemory } from '../../../lib/background/services';
import { cacheSettingsItem, defaultCacheSettings, parseCacheSettings } from '../../../lib/shared/settings';

/** A stored item whose first read the test answers, and whose change events it sends. */
function storedItem() {
  let answerRead: (stored: unknown) => void = () => undefined;
  let onChange: (stored: unknown) => void = () => undefined;
  const getValue = vi.fn(() => new Promise<unknown>((resolve) => (answerRead = resolve)));
  return {
    item: { getValue, watch: (listener: (stored: unknown) => void) => void (onChange = listener) },
    getValue,
    answerRead: (stored: unknown) => answerRead(stored),
    change: (stored: unknown) => onChange(stored),
  };
}

describe('a setting the worker keeps in memory', () => {
  it('is read from storage once, then follows its changes without reading again', async () => {
    const stored = storedItem();
    const settings = keptInMemory(stored.item, parseCacheSettings);
    const first = settings.current();
    stored.answerRead({ ttlHours: 48, maxMegabytes: 50 });
    expect(await first).toEqual({ ttlHours: 48, maxMegabytes: 50 });
    stored.change({ ttlHours: 2, maxMegabytes: 50 });
    expect(await settings.current()).toEqual({ ttlHours: 2, maxMegabytes: 50 });
    expect(settings.now()).toEqual({ ttlHours: 2, maxMegabytes: 50 });
    expect(stored.getValue).toHaveBeenCalledTimes(1);
  });

  it('keeps a change heard while the first read was on its way, and falls back to the defaults when unreadable', async () => {
    const stored = storedItem();
    const settings = keptInMemory(stored.item, parseCacheSettings);
    stored.change({ ttlHours: 2, maxMegabytes: 50 });
    stored.answerRead({ ttlHours: 48, maxMegabytes: 50 });
    expect(await settings.current()).toEqual({ ttlHours: 2, maxMegabytes: 50 });
    stored.change({ ttlHours: 'soon' });
    expect(await settings.current()).toEqual(defaultCacheSettings);
  });

  it('follows the real stored item (storage.local)', async () => {
    const settings = keptInMemory(cacheSettingsItem, parseCacheSettings);
    expect(await settings.current()).toEqual(defaultCacheSettings);
    await cacheSettingsItem.setValue({ ttlHours: 6, maxMegabytes: 20 });
    await vi.waitFor(() => expect(settings.now()).toEqual({ ttlHours: 6, maxMegabytes: 20 }));
  });
});
