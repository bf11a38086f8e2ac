import { browser } from 'wxt/browser';
import type { SenderLike } from './sender';

type TabQuery = { active: true; windowId: number } | { active: true; lastFocusedWindow: true };

/** The parts of the tabs and runtime APIs the popup's tab is read with. */
export interface PopupTabApis {
  queryTabs(query: TabQuery): Promise<{ url?: string; windowId?: number }[]>;
  /** runtime.getContexts (Chrome 116+); absent where the browser has none. */
  getContexts?: (filter: { documentIds: string[] }) => Promise<{ windowId: number }[]>;
}

const browserApis = (): PopupTabApis => {
  const runtime = browser.runtime as unknown as Pick<PopupTabApis, 'getContexts'>;
  return {
    queryTabs: (query) => browser.tabs.query(query),
    getContexts: runtime.getContexts ? (filter) => runtime.getContexts!(filter) : undefined,
  };
};

/** The popup's own window, from its document, or null when the browser cannot tell. */
async function popupWindow(sender: SenderLike | undefined, apis: PopupTabApis): Promise<number | null> {
  if (!sender?.documentId || !apis.getContexts) return null;
  const [context] = await apis.getContexts({ documentIds: [sender.documentId] }).catch(() => []);
  return context && context.windowId >= 0 ? context.windowId : null;
}

/** The tab a popup was opened on: its address ('' when there is none) and its window (null when unknown). */
export interface PopupTab {
  url: string;
  windowId: number | null;
}

/**
 * The tab a popup was opened on: the active tab of the popup's window, or, where the browser
 * cannot say which window the popup is in, of the window focused last (the one whose toolbar
 * button was just clicked). No address when there is no tab to read: the popup then explains.
 * Its window goes to the popup with the target, for the side panel, so the popup reads no tab.
 */
export async function popupTab(sender: SenderLike | undefined, apis: PopupTabApis = browserApis()): Promise<PopupTab> {
  try {
    const windowId = await popupWindow(sender, apis);
    const [tab] = await apis.queryTabs(windowId === null ? { active: true, lastFocusedWindow: true } : { active: true, windowId });
    return { url: tab?.url ?? '', windowId: tab?.windowId ?? windowId };
  } catch {
    return { url: '', windowId: null };
  }
}
