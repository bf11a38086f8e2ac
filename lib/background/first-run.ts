import { browser } from 'wxt/browser';
import { optionsPageUrl } from '../shared/options-link';

/** What runtime.onInstalled reports; 'install' only for a new installation, not an update or a browser update. */
export interface InstallDetails {
  reason: string;
}

/**
 * A new installation opens Options at its welcome (what the extension does, where the keys come
 * from, what a lookup costs), since nothing can be looked up before a key is saved. An update or
 * a browser update opens nothing.
 */
export async function handleInstalled(details: InstallDetails, openTab: (url: string) => Promise<unknown>): Promise<void> {
  if (details.reason !== 'install') return;
  await openTab(optionsPageUrl('welcome'));
}

export function setUpFirstRun(): void {
  browser.runtime.onInstalled.addListener((details) => {
    void handleInstalled(details, (url) => browser.tabs.create({ url })).catch(() => undefined);
  });
}
