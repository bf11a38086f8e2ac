import type { TargetParse } from './domain';
import { canGoBack, canGoForward, currentEntry, emptyHistory, goBack, goForward, pushEntry, type History } from './target-history';

type Target = Extract<TargetParse, { ok: true }>;

export type FollowedTarget =
  /** Still asking the browser which tab is active. */
  | { state: 'loading' }
  /** No other tab to follow (e.g. this page is the only tab). */
  | { state: 'none' }
  | { state: 'ready'; parse: TargetParse };

/**
 * What the side panel shows and why: following the active tab, or pinned to a target (by the Pin
 * button, or by looking something up on purpose), with Back / Forward through the targets shown.
 */
export interface PanelTarget {
  followed: FollowedTarget;
  pinned: boolean;
  history: History<Target>;
  /** Bumped when the user unpins: the panel then reads the active tab again. */
  followRequests: number;
}

export type PanelTargetAction =
  /** The active tab changed or navigated; ignored while pinned. */
  | { type: 'tab'; parse: TargetParse }
  /** There is no tab to follow; ignored while pinned. */
  | { type: 'noTab' }
  /** A domain typed, clicked in a table, or sent from the context menu: shown and pinned. */
  | { type: 'lookUp'; parse: TargetParse }
  | { type: 'back' }
  | { type: 'forward' }
  | { type: 'setPinned'; pinned: boolean };

const sameTarget = (a: Target, b: Target) => a.domain === b.domain && a.host === b.host && a.url === b.url;

function show(state: PanelTarget, parse: TargetParse, pinned: boolean): PanelTarget {
  return {
    ...state,
    pinned,
    followed: { state: 'ready', parse },
    // Only real targets are worth going back to; an explanation is not.
    history: parse.ok ? pushEntry(state.history, parse, sameTarget) : state.history,
  };
}

function fromHistory(state: PanelTarget, history: History<Target>): PanelTarget {
  const target = currentEntry(history);
  if (!target || history === state.history) return state;
  return { ...state, history, pinned: true, followed: { state: 'ready', parse: target } };
}

/** An explanation (a browser page, an IP…) is on screen instead of the history's current target. */
const showsExplanation = (state: PanelTarget) => state.followed.state === 'ready' && !state.followed.parse.ok && state.history.index >= 0;

/** Back also leaves an explanation for the last real target. */
export const canGoBackFrom = (state: PanelTarget): boolean => canGoBack(state.history) || showsExplanation(state);
export const canGoForwardFrom = (state: PanelTarget): boolean => canGoForward(state.history);

export function initialPanelTarget(initial: TargetParse | null): PanelTarget {
  const start: PanelTarget = { followed: { state: 'loading' }, pinned: false, history: emptyHistory(), followRequests: 0 };
  // A target given on opening (a link into the panel) is one the user chose: it holds.
  return initial ? show(start, initial, true) : start;
}

export function panelTargetReducer(state: PanelTarget, action: PanelTargetAction): PanelTarget {
  switch (action.type) {
    case 'tab':
      return state.pinned ? state : show(state, action.parse, false);
    case 'noTab':
      return state.pinned ? state : { ...state, followed: { state: 'none' } };
    case 'lookUp':
      return show(state, action.parse, true);
    case 'back': {
      const current = currentEntry(state.history);
      if (showsExplanation(state) && current) return { ...state, pinned: true, followed: { state: 'ready', parse: current } };
      return fromHistory(state, goBack(state.history));
    }
    case 'forward':
      return fromHistory(state, goForward(state.history));
    case 'setPinned':
      if (action.pinned === state.pinned) return state;
      return action.pinned ? { ...state, pinned: true } : { ...state, pinned: false, followRequests: state.followRequests + 1 };
  }
}
