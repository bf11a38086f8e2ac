import { browser } from 'wxt/browser';

/** The parts of runtime.MessageSender the checks read. */
export interface SenderLike {
  id?: string;
  url?: string;
  tab?: { url?: string };
  frameId?: number;
  /** The sending document (Chrome 106+). */
  documentId?: string;
}

/**
 * Only this extension's own pages (popup, side panel, options) may talk to the background:
 * same extension id, a URL inside the extension, and, when the page sits in a tab, a tab that
 * shows the extension's page as its top frame rather than a page framing it (the extension
 * never frames its own pages).
 */
export function isOwnExtensionPage(sender: SenderLike | undefined): boolean {
  const ownOrigin = browser.runtime.getURL('/');
  if (!sender || sender.id !== browser.runtime.id || !sender.url?.startsWith(ownOrigin)) return false;
  if (sender.tab === undefined) return true;
  return (sender.tab.url?.startsWith(ownOrigin) ?? false) && (sender.frameId ?? 0) === 0;
}
