import { describe, expect, it, vi } from 'vitest';
import {
  contextMenuItems,
  handleCommand,
  handleMenuClick,
  lookupFromMenuClick,
  LOOKUP_LINK_MENU,
  LOOKUP_PAGE_MENU,
  OPEN_PANEL_COMMAND,
} from '../../../lib/background/context-menu';
import { isPendingLookupFor, PENDING_LOOKUP_MAX_AGE_MS, type PendingLookup } from '../../../lib/shared/pending-lookup';
import { targetFromTabUrl } from '../../../lib/background/domain';

const NOW = 1_800_000_000_000;

function deps() {
  const calls: string[] = [];
  return {
    calls,
    deps: {
      openPanel: vi.fn(async (windowId: number) => void calls.push(`open ${windowId}`)),
      storePending: vi.fn(async (lookup: PendingLookup) => void calls.push(`store ${lookup.url}`)),
      now: () => NOW,
    },
  };
}

describe('context menu items', () => {
  it('offers a lookup for links and one for pages', () => {
    expect(contextMenuItems).toEqual([
      { id: LOOKUP_LINK_MENU, title: 'Look up backlinks for this link', contexts: ['link'] },
      { id: LOOKUP_PAGE_MENU, title: 'Look up backlinks for this page', contexts: ['page'] },
    ]);
  });
});

describe('lookupFromMenuClick', () => {
  it('takes the link for the link item and the page for the page item', () => {
    const info = { linkUrl: 'https://linked.example.org/post', pageUrl: 'https://www.reading.example.com/' };
    expect(lookupFromMenuClick({ menuItemId: LOOKUP_LINK_MENU, ...info }, { windowId: 3 }, NOW)).toEqual({
      url: 'https://linked.example.org/post',
      windowId: 3,
      requestedAt: NOW,
    });
    expect(lookupFromMenuClick({ menuItemId: LOOKUP_PAGE_MENU, ...info }, { windowId: 3 }, NOW)?.url).toBe('https://www.reading.example.com/');
    expect(lookupFromMenuClick({ menuItemId: LOOKUP_PAGE_MENU }, { url: 'https://tab.example.net/' }, NOW)).toEqual({
      url: 'https://tab.example.net/',
      windowId: null,
      requestedAt: NOW,
    });
  });

  it('ignores other menu items and clicks without an address', () => {
    expect(lookupFromMenuClick({ menuItemId: 'someone-else', linkUrl: 'https://a.example/' }, undefined, NOW)).toBeNull();
    expect(lookupFromMenuClick({ menuItemId: LOOKUP_LINK_MENU }, { windowId: 1 }, NOW)).toBeNull();
  });
});

describe('handleMenuClick', () => {
  it('opens the panel of the clicked window before anything is awaited, then hands it the link', async () => {
    const { calls, deps: handlers } = deps();
    const done = handleMenuClick({ menuItemId: LOOKUP_LINK_MENU, linkUrl: 'https://linked.example.org/' }, { windowId: 7 }, handlers);
    // Synchronously, inside the click's user gesture.
    expect(handlers.openPanel).toHaveBeenCalledWith(7);
    await done;
    expect(calls).toEqual(['open 7', 'store https://linked.example.org/']);
  });

  it('still hands over the lookup when the panel cannot be opened (it may already be open)', async () => {
    const { deps: handlers } = deps();
    handlers.openPanel.mockRejectedValueOnce(new Error('No user gesture'));
    await handleMenuClick({ menuItemId: LOOKUP_PAGE_MENU, pageUrl: 'https://page.example.com/' }, { windowId: 2 }, handlers);
    expect(handlers.storePending).toHaveBeenCalledWith({ url: 'https://page.example.com/', windowId: 2, requestedAt: NOW });
  });

  it('does nothing for another menu item', async () => {
    const { deps: handlers } = deps();
    await handleMenuClick({ menuItemId: 'other' }, { windowId: 2 }, handlers);
    expect(handlers.openPanel).not.toHaveBeenCalled();
    expect(handlers.storePending).not.toHaveBeenCalled();
  });

  it('hands a javascript: or browser link over as it is: the panel explains it and asks nothing', () => {
    for (const url of ['javascript:alert(1)', 'chrome://settings/', 'http://192.168.1.1/']) {
      const parse = targetFromTabUrl(url);
      expect(parse.ok, url).toBe(false);
    }
  });
});

describe('handleCommand', () => {
  it('opens the panel of the window the shortcut was pressed in', () => {
    const openPanel = vi.fn(async () => undefined);
    handleCommand(OPEN_PANEL_COMMAND, { windowId: 4 }, openPanel);
    expect(openPanel).toHaveBeenCalledWith(4);
    handleCommand('another-command', { windowId: 4 }, openPanel);
    handleCommand(OPEN_PANEL_COMMAND, undefined, openPanel);
    expect(openPanel).toHaveBeenCalledTimes(1);
  });
});

describe('isPendingLookupFor', () => {
  const pending: PendingLookup = { url: 'https://a.example/', windowId: 5, requestedAt: NOW };

  it('is for the panel of the window it came from, while fresh', () => {
    expect(isPendingLookupFor(pending, 5, NOW + 1_000)).toBe(true);
    expect(isPendingLookupFor(pending, 6, NOW + 1_000)).toBe(false);
    expect(isPendingLookupFor(pending, 5, NOW + PENDING_LOOKUP_MAX_AGE_MS + 1)).toBe(false);
    expect(isPendingLookupFor(null, 5, NOW)).toBe(false);
  });

  it('is for any panel when either window is unknown', () => {
    expect(isPendingLookupFor({ ...pending, windowId: null }, 9, NOW)).toBe(true);
    expect(isPendingLookupFor(pending, null, NOW)).toBe(true);
  });
});
