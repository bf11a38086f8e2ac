import { useCallback, useEffect, useState } from 'react';
import { browser } from 'wxt/browser';
import type { Browser } from 'wxt/browser';
import { targetFromInput, targetFromTabUrl } from '@/lib/domain';
import type { TargetParse } from '@/lib/domain';
import { isPendingLookupFor, pendingLookupItem, type PendingLookup } from '@/lib/pending-lookup';

export type FollowedTarget =
  /** Still asking the browser which tab is active. */
  | { state: 'loading' }
  /** No other tab to follow (e.g. this page is the only tab). */
  | { state: 'none' }
  | { state: 'ready'; parse: TargetParse };

/**
 * The side panel's target: the active tab of its window, followed as the user switches tabs or
 * navigates, until they type a domain (which holds until the next tab change). A lookup from the
 * context menu (a pending lookup for this window) wins over the tab, at start and later.
 *
 * The page can also be opened as an ordinary tab (tests, or a user pinning it): events about its
 * own tab are ignored so it keeps the last other tab's target, and since a tab has no side-panel
 * window of its own it then follows the active tab of any window.
 */
export function useFollowedTarget(initialTarget: string | null) {
  const [followed, setFollowed] = useState<FollowedTarget>(() =>
    initialTarget ? { state: 'ready', parse: targetFromInput(initialTarget) } : { state: 'loading' },
  );

  useEffect(() => {
    let disposed = false;
    let ownTabId: number | undefined;
    let ownWindowId: number | undefined;
    /** The window this page is in, whether a side panel or a tab: context-menu lookups are per window. */
    let pageWindowId: number | null = null;
    const located = Promise.all([
      browser.tabs.getCurrent().catch(() => undefined),
      browser.windows.getCurrent().catch(() => undefined),
    ]).then(([ownTab, ownWindow]) => {
      ownTabId = ownTab?.id;
      // Only a real side panel belongs to one window.
      ownWindowId = ownTab ? undefined : ownWindow?.id;
      pageWindowId = ownTab?.windowId ?? ownWindow?.id ?? null;
    });

    /** A context-menu lookup arrived: the tab read at start must not replace it when it answers late. */
    let tookPending = false;
    /** Takes a context-menu lookup meant for this window; true when it did. */
    const takePending = (pending: PendingLookup | null): boolean => {
      if (disposed || !isPendingLookupFor(pending, pageWindowId, Date.now())) return false;
      tookPending = true;
      setFollowed({ state: 'ready', parse: targetFromTabUrl(pending.url) });
      // Taken once: reopening the panel later follows the tab again.
      void pendingLookupItem.removeValue();
      return true;
    };

    const isFollowable = (tab: Browser.tabs.Tab) =>
      tab.id !== ownTabId && (ownWindowId === undefined || tab.windowId === ownWindowId);

    const follow = (tab: Browser.tabs.Tab) => {
      if (disposed || !isFollowable(tab)) return;
      setFollowed({ state: 'ready', parse: targetFromTabUrl(tab.url ?? '') });
    };

    if (!initialTarget) {
      void located
        .then(() => pendingLookupItem.getValue())
        .then(async (pending) => {
          if (takePending(pending)) return;
          const tabs = await browser.tabs.query({ active: true, lastFocusedWindow: true });
          if (tookPending) return;
          const tab = tabs.find(isFollowable);
          if (tab) follow(tab);
          else if (!disposed) setFollowed({ state: 'none' });
        });
    }
    const unwatchPending = pendingLookupItem.watch((pending) => void located.then(() => takePending(pending)));

    const onActivated = (activeInfo: { tabId: number }) => {
      void located.then(() => browser.tabs.get(activeInfo.tabId)).then(follow, () => undefined);
    };
    const onUpdated = (_tabId: number, changeInfo: { url?: string }, tab: Browser.tabs.Tab) => {
      if (changeInfo.url && tab.active) void located.then(() => follow(tab));
    };
    browser.tabs.onActivated.addListener(onActivated);
    browser.tabs.onUpdated.addListener(onUpdated);
    return () => {
      disposed = true;
      unwatchPending();
      browser.tabs.onActivated.removeListener(onActivated);
      browser.tabs.onUpdated.removeListener(onUpdated);
    };
  }, [initialTarget]);

  // A domain from a table may still be one providers cannot answer for: then its explanation shows.
  const lookUp = useCallback((parse: TargetParse) => setFollowed({ state: 'ready', parse }), []);
  return { followed, lookUp };
}
