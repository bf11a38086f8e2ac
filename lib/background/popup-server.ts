import { lensError, type LensError } from '../shared/errors';
import type { PortLike } from '../shared/port';
import { POPUP_PORT, popupClientMessageSchema, type PopupClientMessage, type PopupServerMessage } from '../shared/protocol';
import type { ProviderId } from '../shared/providers';
import { isLookupTarget } from '../shared/reports';
import type { Preferences } from '../shared/settings';
import { targetForScope } from '../shared/target-parse';
import { resolveTarget } from './domain';
import type { PopupTab } from './popup-tab';
import { isOwnExtensionPage, type SenderLike } from './sender';
import { lookUpSummary, type SummaryClient } from './summary';

export interface PopupServerDeps {
  /** The tab a popup was opened on: its address ('' when there is none to read) and its window. */
  popupTab: (sender: SenderLike | undefined) => Promise<PopupTab>;
  /** The user's provider and scope (the worker keeps them in memory). */
  preferences: () => Promise<Preferences>;
  /** Whether a key is saved for the provider; without one nothing is asked. */
  isKeyConfigured: (provider: ProviderId) => Promise<boolean>;
  summary: SummaryClient;
  isOwnSender?: (sender: SenderLike | undefined) => boolean;
}

const unexpectedFailure = (): LensError => lensError('internal', 'Something went wrong in the extension’s background. Try again.', { retryable: true });

/**
 * Serves the popup's port: one `lookUp` message carries everything the popup needs, and the
 * answers follow as they are ready, each in its own message: the target, provider, scope and
 * key first (no provider call), then the totals and the top referring domains as each arrives.
 * A new lookUp replaces the running one; closing the popup stops it (a request already sent
 * still finishes into the cache, as every paid request does).
 */
export function servePopupPort(port: PortLike, deps: PopupServerDeps): void {
  let running: AbortController | null = null;

  const post = (message: PopupServerMessage): void => {
    try {
      port.postMessage(message);
    } catch {
      // The popup closed: there is no one left to tell.
    }
  };

  async function lookUp(requestId: number, input: PopupClientMessage['input'], consent: 'continue' | undefined, signal: AbortSignal) {
    // The tab is read here rather than in the popup, which then asks before its own scripts have loaded.
    const preferences = deps.preferences();
    // Whether there is a key is read while the tab is: only a lookup that has a site uses it.
    const hasKey = preferences.then(({ provider }) => deps.isKeyConfigured(provider));
    hasKey.catch(() => undefined);
    const tab = input.kind === 'tab' ? deps.popupTab(port.sender) : Promise.resolve<PopupTab>({ url: input.text, windowId: null });
    const [{ url, windowId }, { provider, scope }] = await Promise.all([tab, preferences]);
    const target = resolveTarget(input.kind, url);
    const keyConfigured = target.ok && (await hasKey);
    if (signal.aborted) return;
    post({ type: 'target', requestId, target, provider, scope, keyConfigured, windowId });
    if (!target.ok || !keyConfigured) return;

    const asked = targetForScope(target, scope);
    // The target was read by the rules every lookup follows; this holds them for any other path.
    if (!isLookupTarget(asked, scope)) {
      post({ type: 'error', requestId, error: lensError('bad_target', 'This address cannot be looked up.', { provider }) });
      return;
    }
    // A replaced lookup's parts still land in the cache, but no longer in the popup.
    const needs = await lookUpSummary(deps.summary, provider, asked, scope, signal, consent, {
      totals: (result) => {
        if (!signal.aborted) post({ type: 'totals', requestId, result });
      },
      topDomains: (result) => {
        if (!signal.aborted) post({ type: 'topDomains', requestId, result });
      },
    });
    if (needs && !signal.aborted) post({ ...needs, requestId });
  }

  const onMessage = (raw: unknown) => {
    const parsed = popupClientMessageSchema.safeParse(raw);
    if (!parsed.success) {
      const claimedId = (raw as { requestId?: unknown } | null)?.requestId;
      post({ type: 'error', requestId: typeof claimedId === 'number' ? claimedId : 0, error: lensError('internal', 'The extension sent a malformed popup request.') });
      return;
    }
    const { requestId, input, consent } = parsed.data;
    running?.abort();
    const controller = new AbortController();
    running = controller;
    lookUp(requestId, input, consent, controller.signal).catch(() => {
      if (!controller.signal.aborted) post({ type: 'error', requestId, error: unexpectedFailure() });
    });
  };

  const onDisconnect = () => {
    running?.abort();
    port.onMessage.removeListener(onMessage);
    port.onDisconnect.removeListener(onDisconnect);
  };

  port.onMessage.addListener(onMessage);
  port.onDisconnect.addListener(onDisconnect);
}

/** Serves a newly connected port if it is the popup's, from our own pages; disconnects anything else. */
export function acceptPopupPort(port: PortLike, deps: PopupServerDeps): boolean {
  const isOwn = deps.isOwnSender ?? isOwnExtensionPage;
  if (port.name !== POPUP_PORT || !isOwn(port.sender)) {
    port.disconnect();
    return false;
  }
  servePopupPort(port, deps);
  return true;
}
