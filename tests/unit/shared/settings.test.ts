import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { defaultPreferences, getPreferences, parsePreferences, preferencesItem } from '../../../lib/shared/settings';

beforeEach(() => fakeBrowser.reset());

describe('preferences', () => {
  it('defaults to Serpstat, root domain with subdomains, 100 rows, 1 request a second, 4 DataForSEO pages at once, and following the tab without looking it up', async () => {
    expect(await getPreferences()).toEqual({
      provider: 'serpstat',
      scope: 'domain_with_subdomains',
      pageSize: 100,
      serpstatRequestsPerSecond: 1,
      dataforseoPagesAtOnce: 4,
      lookUpFollowedTab: false,
      mySites: [],
    });
    expect(defaultPreferences).toEqual(await preferencesItem.getValue());
  });

  it('keeps valid stored fields and replaces each invalid one with its default', async () => {
    await preferencesItem.setValue({ provider: 'dataforseo', scope: 'url', pageSize: 5000, serpstatRequestsPerSecond: 10, dataforseoPagesAtOnce: 30, lookUpFollowedTab: true });
    expect(await getPreferences()).toEqual({ provider: 'dataforseo', scope: 'url', pageSize: 100, serpstatRequestsPerSecond: 10, dataforseoPagesAtOnce: 30, lookUpFollowedTab: true, mySites: [] });
    expect(await fakeBrowser.storage.local.get('preferences')).toHaveProperty('preferences');
  });

  it('keeps the sites of mine that are valid hosts, each once, in order (the first is the default)', () => {
    expect(parsePreferences({ mySites: ['mine.com', 'localhost', 'blog.mine.co.uk', 'mine.com', 42, '10.0.0.1', 'not a site'] }).mySites).toEqual([
      'mine.com',
      'blog.mine.co.uk',
    ]);
    expect(parsePreferences({ mySites: 'mine.com' }).mySites).toEqual([]);
    expect(parsePreferences({}).mySites).toEqual([]);
  });

  it('survives garbage', () => {
    expect(parsePreferences(null)).toEqual(defaultPreferences);
    expect(parsePreferences('nonsense')).toEqual(defaultPreferences);
    expect(parsePreferences({ pageSize: 10, serpstatRequestsPerSecond: 0, provider: 'ahrefs', lookUpFollowedTab: 'yes', dataforseoPagesAtOnce: 31 })).toEqual({
      ...defaultPreferences,
      pageSize: 10,
    });
    // Never above DataForSEO's 30 requests in flight, never zero, never a fraction.
    for (const pagesAtOnce of [0, 31, 2.5, '4']) {
      expect(parsePreferences({ dataforseoPagesAtOnce: pagesAtOnce }).dataforseoPagesAtOnce).toBe(4);
    }
  });
});
