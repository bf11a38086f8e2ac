import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { browser } from 'wxt/browser';
import type { Browser } from 'wxt/browser';
import type { TargetParse } from '@/lib/shared/target-parse';
import { resolveTarget } from '@/lib/ui/resolve-target';
import { canGoBackFrom, canGoForwardFrom, initialPanelTarget, panelTargetReducer } from '@/lib/ui/panel-target';
import { isPendingLookupFor, pendingLookupItem, type PendingLookup } from '@/lib/shared/pending-lookup';
import { createTabSettler, type TabSettler } from '@/lib/ui/tab-settle';
import type { ReportId } from '@/lib/shared/reports';

export type { FollowedTarget } from '@/lib/ui/panel-target';

/**
 * The side panel's target: the active tab of its window, followed as the user switches tabs or
 * navigates, unless pinned. Looking up a domain (typed, clicked in a table, or from the context
 * menu, which hands over a pending lookup for this window) pins it; Back / Forward go through
 * the targets shown; unpinning follows the active tab again.
 *
 * A tab's target is handed on only once the tab has settled (lib/ui/tab-settle.ts): a tab that
 * redirects or is flicked past shows its site and "waiting", and asks for nothing; leaving a
 * site before it settled means it is never asked for. What the user looks up on purpose shows
 * at once.
 *
 * The page can also be opened as an ordinary tab (tests, or a user pinning it): events about its
 * own tab are ignored so it keeps the last other tab's target, and since a tab has no side-panel
 * window of its own it then follows the active tab of any window.
 */
export function useFollowedTarget(initialTarget: string | null) {
  const [state, dispatch] = useReducer(panelTargetReducer, undefined, initialPanelTarget);
  const settler = useRef<TabSettler | null>(null);
  // A report a hand-over asked for (the popup's "Link gap vs my site"); a new object per hand-over.
  const [requestedReport, setRequestedReport] = useState<{ report: ReportId } | null>(null);

  useEffect(() => {
    let disposed = false;
    const tabSettler = createTabSettler({
      onSettling: (parse) => dispatch({ type: 'tabSettling', parse }),
      onSettled: (parse) => dispatch({ type: 'tab', parse }),
    });
    settler.current = tabSettler;
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

    // The background reads each address; only the newest tab event's answer is handed on.
    let tabEvents = 0;
    const follow = (tab: Browser.tabs.Tab) => {
      if (disposed || !isFollowable(tab)) return;
      const event = ++tabEvents;
      void resolveTarget('tab', tab.url ?? '').then((parse) => {
        if (!disposed && event === tabEvents) tabSettler.observe({ parse, status: tab.status });
      });
    };

    /** Takes a context-menu lookup meant for this window; true when it did. */
    const takePending = (pending: PendingLookup | null): boolean => {
      if (disposed || !isPendingLookupFor(pending, pageWindowId, Date.now())) return false;
      void resolveTarget('tab', pending.url).then((parse) => {
        if (!disposed) dispatch({ type: 'lookUp', parse });
      });
      if (pending.report) setRequestedReport({ report: pending.report });
      // Taken once: reopening the panel later follows the tab again.
      void pendingLookupItem.removeValue();
      return true;
    };

    // A target given on opening (a link into the panel) is one the user chose: it holds.
    if (initialTarget) {
      void resolveTarget('typed', initialTarget).then((parse) => {
        if (!disposed) dispatch({ type: 'lookUp', parse });
      });
    } else {
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
    // A new address, and the page's load finishing (the settle waits for it).
    const onUpdated = (_tabId: number, changeInfo: { url?: string; status?: string }, tab: Browser.tabs.Tab) => {
      if ((changeInfo.url || changeInfo.status) && tab.active) void located.then(() => follow(tab));
    };
    browser.tabs.onActivated.addListener(onActivated);
    browser.tabs.onUpdated.addListener(onUpdated);
    return () => {
      disposed = true;
      tabSettler.dispose();
      unwatchPending();
      browser.tabs.onActivated.removeListener(onActivated);
      browser.tabs.onUpdated.removeListener(onUpdated);
    };
  }, [initialTarget]);

  // Unpinning follows the active tab again at once, rather than at the next tab switch: its site
  // shows now, and it settles like any tab the panel follows.
  useEffect(() => {
    if (state.followRequests === 0) return;
    let disposed = false;
    void Promise.all([browser.tabs.getCurrent().catch(() => undefined), browser.windows.getCurrent().catch(() => undefined)])
      .then(([ownTab, ownWindow]) =>
        browser.tabs
          .query({ active: true, ...(ownTab ? { lastFocusedWindow: true } : { windowId: ownWindow?.id }) })
          .then((tabs) => tabs.find((tab) => tab.id !== ownTab?.id)),
      )
      .then(async (tab) => {
        if (!tab) return;
        const parse = await resolveTarget('tab', tab.url ?? '');
        if (disposed) return;
        settler.current?.restart();
        settler.current?.observe({ parse, status: tab.status });
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
  const confirm = useCallback(() => dispatch({ type: 'confirm' }), []);
  return {
    followed: state.followed,
    pinned: state.pinned,
    canGoBack: canGoBackFrom(state),
    canGoForward: canGoForwardFrom(state),
    lookUp,
    back,
    forward,
    setPinned,
    confirm,
    requestedReport,
  };
}
