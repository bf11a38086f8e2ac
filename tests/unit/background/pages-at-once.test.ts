import { describe, expect, it } from 'vitest';
import { pagesAtOnceFor } from '../../../lib/background/services';
import { defaultPreferences } from '../../../lib/shared/settings';

describe('pagesAtOnceFor', () => {
  const preferences = { ...defaultPreferences, dataforseoPagesAtOnce: 16 };

  it('asks DataForSEO for as many pages at once as the user set', () => {
    expect(pagesAtOnceFor('dataforseo', preferences)).toBe(16);
  });

  it('keeps Serpstat at one page on its way and the next waiting in its queue, whatever the DataForSEO setting', () => {
    expect(pagesAtOnceFor('serpstat', preferences)).toBe(2);
  });
});
