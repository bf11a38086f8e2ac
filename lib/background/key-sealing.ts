import { browser } from 'wxt/browser';
import { sealPlainKeys } from './keys';

/** Extension pages that could be watching storage: any context of the extension but its service worker. */
async function isAnyPageOpen(): Promise<boolean> {
  // Chrome 116+; where it is missing (Firefox's MV2 background page), the update reload below is the guarantee.
  if (typeof browser.runtime.getContexts !== 'function') return false;
  const contexts = await browser.runtime.getContexts({});
  return contexts.some((context) => context.contextType !== 'BACKGROUND');
}

/** Seals keys saved before sealing, unless a page is open to hear the plain key go (then they stay until the next update). */
export async function sealPlainKeysUnheard(anyPageOpen: () => Promise<boolean> = isAnyPageOpen): Promise<void> {
  if (!(await anyPageOpen())) await sealPlainKeys();
}

/**
 * An update reloads the extension and closes every page it had open, so at onInstalled
 * ("update") nothing but the new service worker can hear storage change. Registered
 * synchronously at worker start.
 */
export function setUpKeySealing(): void {
  // The promise is handed back only so tests can await it; the browser ignores it.
  browser.runtime.onInstalled.addListener(({ reason }) => (reason === 'update' ? sealPlainKeysUnheard() : undefined));
}
