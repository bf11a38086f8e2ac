import { browser } from 'wxt/browser';
import { optionsPageUrl, type OptionsAnchor } from '@/lib/shared/options-link';

export { openSidePanel } from '@/lib/shared/side-panel-open';

/** The options page; with an anchor, a new tab opened at that place (openOptionsPage cannot take one). */
export function openOptionsPage(anchor?: OptionsAnchor): void {
  if (anchor) void browser.tabs.create({ url: optionsPageUrl(anchor) });
  else void browser.runtime.openOptionsPage();
}
