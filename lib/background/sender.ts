import { browser } from 'wxt/browser';

/** The parts of runtime.MessageSender the checks read. */
export interface SenderLike {
  id?: string;
  url?: string;
  tab?: { url?: string };
}

/**
 * Only this extension's own pages (popup, side panel, options) may talk to the background:
 * same extension id, a URL inside the extension, and, when the page sits in a tab, a tab that
 * shows the extension's page rather than a web page framing it.
 */
export function isOwnExtensionPage(sender: SenderLike | undefined): boolean {
  const ownOrigin = browser.runtime.getURL('/');
  if (!sender || sender.id !== browser.runtime.id || !sender.url?.startsWith(ownOrigin)) return false;
  const tabUrl = sender.tab?.url;
  return tabUrl === undefined || tabUrl.startsWith(ownOrigin);
}
