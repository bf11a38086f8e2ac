import { useCallback, useEffect, useReducer } from 'react';
import { browser } from 'wxt/browser';
import type { Browser } from 'wxt/browser';
import { targetFromInput, targetFromTabUrl } from '@/lib/domain';
import type { TargetParse } from '@/lib/domain';
import { canGoBackFrom, canGoForwardFrom, initialPanelTarget, panelTargetReducer } from '@/lib/panel-target';
import { isPendingLookupFor, pendingLookupItem, type PendingLookup } from '@/lib/pending-lookup';

export type { FollowedTarget } from '@/lib/panel-target';

/**
 * The side panel's target: the active tab of its window, followed as the user switches tabs or
 * navigates, unless pinned. Looking up a domain (typed, clicked in a table, or from the context
 * menu, which hands over a pending lookup for this window) pins it; Back / Forward go through
 * the targets shown; unpinning follows the active tab again.
 *
 * The page can also be opened as an ordinary tab (tests, or a user pinning it): events about its
 * own tab are ignored so it keeps the last other tab's target, and since a tab has no side-panel
 * window of its own it then follows the active tab of any window.
 */
export function useFollowedTarget(initialTarget: string | null) {
  const [state, dispatch] = useReducer(panelTargetReducer, initialTarget, (initial) =>
    initialPanelTarget(initial ? targetFromInput(initial) : null),
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

    const isFollowable = (tab: Browser.tabs.Tab) =>
      tab.id !== ownTabId && (ownWindowId === undefined || tab.windowId === ownWindowId);

    const follow = (tab: Browser.tabs.Tab) => {
      if (disposed || !isFollowable(tab)) return;
      dispatch({ type: 'tab', parse: targetFromTabUrl(tab.url ?? '') });
    };

    /** Takes a context-menu lookup meant for this window; true when it did. */
    const takePending = (pending: PendingLookup | null): boolean => {
      if (disposed || !isPendingLookupFor(pending, pageWindowId, Date.now())) return false;
      dispatch({ type: 'lookUp', parse: targetFromTabUrl(pending.url) });
      // Taken once: reopening the panel later follows the tab again.
      void pendingLookupItem.removeValue();
      return true;
    };

    if (!initialTarget) {
      void located
        .then(() => pendingLookupItem.getValue())
        .then(async (pending) => {
          if (takePending(pending)) return;
          const tabs = await browser.tabs.query({ active: true, lastFocusedWindow: true });
          const tab = tabs.find(isFollowable);
          // A lookup that arrived meanwhile has pinned the panel, so this tab no longer replaces it.
          if (tab) follow(tab);
          else if (!disposed) dispatch({ type: 'noTab' });
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

  // Unpinning follows the active tab again at once, rather than at the next tab switch.
  useEffect(() => {
    if (state.followRequests === 0) return;
    let disposed = false;
    void Promise.all([browser.tabs.getCurrent().catch(() => undefined), browser.windows.getCurrent().catch(() => undefined)])
      .then(([ownTab, ownWindow]) =>
        browser.tabs
          .query({ active: true, ...(ownTab ? { lastFocusedWindow: true } : { windowId: ownWindow?.id }) })
          .then((tabs) => tabs.find((tab) => tab.id !== ownTab?.id)),
      )
      .then((tab) => {
        if (!disposed && tab) dispatch({ type: 'tab', parse: targetFromTabUrl(tab.url ?? '') });
      });
    return () => {
      disposed = true;
    };
  }, [state.followRequests]);

  // A domain from a table may still be one providers cannot answer for: then its explanation shows.
  const lookUp = useCallback((parse: TargetParse) => dispatch({ type: 'lookUp', parse }), []);
  const back = useCallback(() => dispatch({ type: 'back' }), []);
  const forward = useCallback(() => dispatch({ type: 'forward' }), []);
  const setPinned = useCallback((pinned: boolean) => dispatch({ type: 'setPinned', pinned }), []);
  return {
    followed: state.followed,
    pinned: state.pinned,
    canGoBack: canGoBackFrom(state),
    canGoForward: canGoForwardFrom(state),
    lookUp,
    back,
    forward,
    setPinned,
  };
}
