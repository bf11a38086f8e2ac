import { browser } from 'wxt/browser';

export interface SenderLike {
  id?: string;
  url?: string;
}

/** Only this extension's own pages (popup, side panel, options) may talk to the background. */
export function isOwnExtensionPage(sender: SenderLike | undefined): boolean {
  if (!sender || sender.id !== browser.runtime.id || !sender.url) return false;
  return sender.url.startsWith(browser.runtime.getURL('/'));
}
