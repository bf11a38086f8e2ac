import { browser } from 'wxt/browser';
import type { ProviderId } from './providers';

/** Places on the options page a link can open at: a provider's key fields, the welcome, the privacy policy, My sites. */
export type OptionsAnchor = ProviderId | 'welcome' | 'privacy' | 'mySites';

/** `chrome-extension://…/options.html#serpstat`: the options page, scrolled to (and focused on) that place. */
export function optionsPageUrl(anchor: OptionsAnchor): string {
  return `${browser.runtime.getURL('/options.html')}#${anchor}`;
}
