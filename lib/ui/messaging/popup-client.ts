import { browser } from 'wxt/browser';
import { lensError, type LensError } from '../../shared/errors';
import { t } from '../../shared/i18n';
import type { PortLike } from '../../shared/port';
import { POPUP_PORT, popupServerMessageSchema, type NeedsConsent, type PopupServerMessage, type PopupTarget } from '../../shared/protocol';
import type { Result } from '../../shared/result';
import type { TopDomainsPart, TotalsPart } from '../../shared/summary';
import type { TargetInputKind } from '../../shared/target-parse';

export interface PopupInput {
  kind: TargetInputKind;
  text: string;
}

/** What the popup knows of its lookup so far; each part is null until it has arrived. */
export interface PopupLookupState {
  input: PopupInput;
  target: PopupTarget | null;
  /** The latest target answer of any lookup, this one's or, until it answers, the one before. */
  lastTarget: PopupTarget | null;
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

const connectToBackground = (): PortLike => browser.runtime.connect({ name: POPUP_PORT }) as unknown as PortLike;

/** True once every answer the lookup will get is in. */
export function isSettled(state: PopupLookupState): boolean {
  if (state.failure || state.needs) return true;
  if (!state.target) return false;
  if (!state.target.target.ok || !state.target.keyConfigured) return true;
  return state.totals !== null && state.topDomains !== null;
}

/**
 * The popup's end of its port, connected at once (so a sleeping worker starts while the popup
 * still reads its tab). Answers arrive part by part; each changes the state and tells the
 * listeners. A worker stopped mid-lookup is reported as a failure the user can retry, on a new port.
 */
export function createPopupLookup(connect: () => PortLike = connectToBackground): PopupLookup {
  let port: PortLike | null = null;
  let state: PopupLookupState | null = null;
  let requestId = 0;
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
        return update({ ...state, target: message, lastTarget: message });
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

  function openPort(): PortLike {
    const opened = connect();
    opened.onMessage.addListener(onMessage);
    opened.onDisconnect.addListener(onDisconnect);
    return opened;
  }
  port = openPort();

  return {
    lookUp(input, consent) {
      requestId += 1;
      update({ input, target: null, lastTarget: state?.lastTarget ?? null, needs: null, totals: null, topDomains: null, failure: null });
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

/** The tab the popup was opened on. */
export interface ActiveTab {
  windowId: number;
  url: string;
}

/** What the popup's entry starts before React renders: the lookup's port and the active tab, whose lookup it asks for. */
export interface PopupSession {
  lookup: PopupLookup;
  tab: Promise<ActiveTab>;
}

/**
 * Connects to the background and reads the active tab at once, then asks for the tab's lookup in
 * one message: all before the popup's first render, so the answers may already be on their way
 * while React starts.
 */
export function startPopupSession(lookup: PopupLookup = createPopupLookup()): PopupSession {
  const tab = browser.tabs.query({ active: true, currentWindow: true }).then(
    ([found]) => ({ windowId: found?.windowId ?? browser.windows.WINDOW_ID_CURRENT, url: found?.url ?? '' }),
    () => ({ windowId: browser.windows.WINDOW_ID_CURRENT, url: '' }),
  );
  void tab.then((found) => lookup.lookUp({ kind: 'tab', text: found.url }));
  return { lookup, tab };
}
