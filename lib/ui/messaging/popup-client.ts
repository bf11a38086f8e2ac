import { browser } from 'wxt/browser';
import { lensError, type LensError } from '../../shared/errors';
import { t } from '../../shared/i18n';
import type { PortLike } from '../../shared/port';
import { popupServerMessageSchema, type NeedsConsent, type PopupClientMessage, type PopupServerMessage, type PopupTarget } from '../../shared/protocol';
import type { Result } from '../../shared/result';
import type { TopDomainsPart, TotalsPart } from '../../shared/summary';
import { connectPopupPort, FIRST_LOOKUP, takePopupPort } from './popup-start';

/** The tab the popup was opened on (the background reads its address), or a domain typed in the Domain box. */
export type PopupInput = PopupClientMessage['input'];

/** What the popup knows of its lookup so far; each part is null until it has arrived. */
export interface PopupLookupState {
  input: PopupInput;
  target: PopupTarget | null;
  /** The latest target answer of any lookup, this one's or, until it answers, the one before. */
  lastTarget: PopupTarget | null;
  /** The window of the tab the popup was opened on (where its side panel opens), once an answer said it. */
  windowId: number | null;
  needs: NeedsConsent | null;
  totals: Result<TotalsPart> | null;
  topDomains: Result<TopDomainsPart> | null;
  /** The lookup could not be made at all: the background is gone, or refused the request. */
  failure: LensError | null;
}

export interface PopupLookup {
  /** Asks for everything the popup shows about `input` in one message; replaces the lookup before. */
  lookUp(input: PopupInput, consent?: 'continue'): void;
  /** Null until the first lookUp. */
  getState(): PopupLookupState | null;
  subscribe(listener: () => void): () => void;
}

const connectToBackground = (): PortLike => connectPopupPort(browser.runtime);

/** True once every answer the lookup will get is in. */
export function isSettled(state: PopupLookupState): boolean {
  if (state.failure || state.needs) return true;
  if (!state.target) return false;
  if (!state.target.target.ok || !state.target.keyConfigured) return true;
  return state.totals !== null && state.topDomains !== null;
}

const startOf = (input: PopupInput, before: PopupLookupState | null): PopupLookupState => ({
  input,
  target: null,
  lastTarget: before?.lastTarget ?? null,
  windowId: before?.windowId ?? null,
  needs: null,
  totals: null,
  topDomains: null,
  failure: null,
});

/**
 * The popup's end of its port, connected at once (so a sleeping worker starts while React
 * starts). Answers arrive part by part; each changes the state and tells the listeners. A worker
 * stopped mid-lookup is reported as a failure the user can retry, on a new port.
 *
 * `started`: the port the start script opened, whose first lookUp (the tab's) is already asked;
 * the lookup goes on from it, its answers kept until now included.
 */
export function createPopupLookup(connect: () => PortLike = connectToBackground, started: PortLike | null = null): PopupLookup {
  let port: PortLike | null = null;
  let state: PopupLookupState | null = started ? startOf(FIRST_LOOKUP.input, null) : null;
  let requestId = started ? FIRST_LOOKUP.requestId : 0;
  const listeners = new Set<() => void>();

  const update = (next: PopupLookupState) => {
    state = next;
    for (const listener of listeners) listener();
  };

  const onMessage = (raw: unknown) => {
    const parsed = popupServerMessageSchema.safeParse(raw);
    if (!parsed.success || parsed.data.requestId !== requestId || !state) return;
    // The schema checks the envelope; the background built the rest.
    const message = raw as PopupServerMessage;
    switch (message.type) {
      case 'target':
        return update({ ...state, target: message, lastTarget: message, windowId: message.windowId ?? state.windowId });
      case 'totals':
        return update({ ...state, totals: message.result });
      case 'topDomains':
        return update({ ...state, topDomains: message.result });
      case 'needsConsent': {
        const { requestId: _id, ...needs } = message;
        return update({ ...state, needs });
      }
      case 'error':
        return update({ ...state, failure: message.error });
    }
  };

  const onDisconnect = () => {
    port = null;
    if (state && !isSettled(state)) update({ ...state, failure: lensError('internal', t('error_backgroundGone'), { retryable: true }) });
  };

  function openPort(opened: PortLike = connect()): PortLike {
    opened.onMessage.addListener(onMessage);
    opened.onDisconnect.addListener(onDisconnect);
    return opened;
  }
  port = openPort(started ?? undefined);

  return {
    lookUp(input, consent) {
      requestId += 1;
      update(startOf(input, state));
      try {
        port ??= openPort();
        port.postMessage({ type: 'lookUp', requestId, input, ...(consent ? { consent } : {}) });
      } catch {
        onDisconnect();
      }
    },
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/**
 * Goes on from the lookup the start script asked for (or, when it did not run, asks for the
 * tab's lookup at once), before the popup's first render, so the answers may already be in while
 * React starts. The tab's window comes with the target: the popup reads no tab itself.
 */
export function startPopupSession(started: PortLike | null = takePopupPort(), connect: () => PortLike = connectToBackground): PopupLookup {
  const lookup = createPopupLookup(connect, started);
  if (!started) lookup.lookUp({ kind: 'tab' });
  return lookup;
}
