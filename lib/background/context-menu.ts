import { browser } from 'wxt/browser';
import { t } from '../shared/i18n';
import { pendingLookupItem, type PendingLookup } from '../shared/pending-lookup';
import { openSidePanel } from '../shared/side-panel-open';

export const LOOKUP_LINK_MENU = 'lookup-link';
export const LOOKUP_PAGE_MENU = 'lookup-page';
/** Chrome's command (manifest `commands`); Firefox opens its sidebar with `_execute_sidebar_action`. */
export const OPEN_PANEL_COMMAND = 'open-side-panel';

export const contextMenuItems = [
  { id: LOOKUP_LINK_MENU, title: t('menu_lookUpLink'), contexts: ['link'] },
  { id: LOOKUP_PAGE_MENU, title: t('menu_lookUpPage'), contexts: ['page'] },
] as const;

export interface MenuClick {
  menuItemId: string | number;
  linkUrl?: string;
  pageUrl?: string;
}
export interface ClickedTab {
  windowId?: number;
  url?: string;
}

/** The lookup a menu click asks for, or null for a click on something else. */
export function lookupFromMenuClick(info: MenuClick, tab: ClickedTab | undefined, now: number): PendingLookup | null {
  const url = info.menuItemId === LOOKUP_LINK_MENU ? info.linkUrl : info.menuItemId === LOOKUP_PAGE_MENU ? (info.pageUrl ?? tab?.url) : undefined;
  if (!url) return null;
  return { url, windowId: tab?.windowId ?? null, requestedAt: now };
}

export interface MenuClickDeps {
  openPanel: (windowId: number) => Promise<void>;
  storePending: (lookup: PendingLookup) => Promise<void>;
  now: () => number;
}

/**
 * Opens the panel first, synchronously (the click's user gesture ends at the first await), then
 * hands it the target. The panel parses the address like a tab's: a `javascript:` link or a
 * browser page gets its explanation there, never a request.
 */
export function handleMenuClick(info: MenuClick, tab: ClickedTab | undefined, deps: MenuClickDeps): Promise<void> {
  const lookup = lookupFromMenuClick(info, tab, deps.now());
  if (!lookup) return Promise.resolve();
  // An already open panel keeps working; a failure to open shows nowhere better than the console.
  const opened = tab?.windowId === undefined ? Promise.resolve() : deps.openPanel(tab.windowId).catch(() => undefined);
  return Promise.all([opened, deps.storePending(lookup)]).then(() => undefined);
}

/** The keyboard command (default Alt+Shift+B) opens the panel of the window it was pressed in. */
export function handleCommand(command: string, tab: ClickedTab | undefined, openPanel: (windowId: number) => Promise<void>): void {
  if (command !== OPEN_PANEL_COMMAND || tab?.windowId === undefined) return;
  void openPanel(tab.windowId).catch(() => undefined);
}

/** Listeners registered synchronously at worker start; the menu items once per install or update. */
export function setUpContextMenu(): void {
  browser.runtime.onInstalled.addListener(() => {
    void browser.contextMenus.removeAll().then(() => {
      for (const item of contextMenuItems) browser.contextMenus.create({ id: item.id, title: item.title, contexts: [...item.contexts] });
    });
  });
  const deps: MenuClickDeps = { openPanel: openSidePanel, storePending: (lookup) => pendingLookupItem.setValue(lookup), now: Date.now };
  browser.contextMenus.onClicked.addListener((info, tab) => void handleMenuClick(info, tab, deps));
  browser.commands?.onCommand.addListener((command, tab) => handleCommand(command, tab, openSidePanel));
}
