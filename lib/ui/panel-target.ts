import type { Target, TargetParse } from '../shared/target-parse';
import { canGoBack, canGoForward, currentEntry, emptyHistory, goBack, goForward, pushEntry, type History } from './target-history';

export type FollowedTarget =
  /** Still asking the browser which tab is active. */
  | { state: 'loading' }
  /** No other tab to follow (e.g. this page is the only tab). */
  | { state: 'none' }
  /** The active tab moved to this site and has not settled yet (lib/ui/tab-settle.ts): shown, nothing asked. */
  | { state: 'settling'; parse: Target }
  /**
   * `chosen`: the user asked for this target (typed, clicked, the context menu, Back / Forward,
   * **Look up**), so it is looked up even when the panel only follows the tab without looking up.
   */
  | { state: 'ready'; parse: TargetParse; chosen: boolean };

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
  /** The active tab moved to a site and waits to settle; ignored while pinned. */
  | { type: 'tabSettling'; parse: Target }
  /** The active tab settled on a target, or is no site; ignored while pinned. */
  | { type: 'tab'; parse: TargetParse }
  /** There is no tab to follow; ignored while pinned. */
  | { type: 'noTab' }
  /** A domain typed, clicked in a table, or sent from the context menu: shown and pinned. */
  | { type: 'lookUp'; parse: TargetParse }
  /** **Look up** on the followed tab's site, when the panel follows without looking up. */
  | { type: 'confirm' }
  | { type: 'back' }
  | { type: 'forward' }
  | { type: 'setPinned'; pinned: boolean };

export const sameTarget = (a: Target, b: Target) => a.domain === b.domain && a.host === b.host && a.url === b.url;

function show(state: PanelTarget, parse: TargetParse, pinned: boolean, chosen: boolean): PanelTarget {
  return {
    ...state,
    pinned,
    followed: { state: 'ready', parse, chosen },
    // Only real targets are worth going back to; an explanation is not.
    history: parse.ok ? pushEntry(state.history, parse, sameTarget) : state.history,
  };
}

function fromHistory(state: PanelTarget, history: History<Target>): PanelTarget {
  const target = currentEntry(history);
  if (!target || history === state.history) return state;
  return { ...state, history, pinned: true, followed: { state: 'ready', parse: target, chosen: true } };
}

/** An explanation (a browser page, an IP…) is on screen instead of the history's current target. */
const showsExplanation = (state: PanelTarget) => state.followed.state === 'ready' && !state.followed.parse.ok && state.history.index >= 0;

/** Back also leaves an explanation for the last real target. */
export const canGoBackFrom = (state: PanelTarget): boolean => canGoBack(state.history) || showsExplanation(state);
export const canGoForwardFrom = (state: PanelTarget): boolean => canGoForward(state.history);

export function initialPanelTarget(): PanelTarget {
  return { followed: { state: 'loading' }, pinned: false, history: emptyHistory(), followRequests: 0 };
}

export function panelTargetReducer(state: PanelTarget, action: PanelTargetAction): PanelTarget {
  switch (action.type) {
    case 'tabSettling':
      return state.pinned ? state : { ...state, followed: { state: 'settling', parse: action.parse } };
    case 'tab': {
      if (state.pinned) return state;
      // The same target settling again (a reload, a second tab on it) keeps the user's Look up.
      const current = state.followed;
      const kept = current.state === 'ready' && current.parse.ok && action.parse.ok && sameTarget(current.parse, action.parse) && current.chosen;
      return show(state, action.parse, false, kept);
    }
    case 'confirm':
      return state.followed.state === 'ready' ? { ...state, followed: { ...state.followed, chosen: true } } : state;
    case 'noTab':
      return state.pinned ? state : { ...state, followed: { state: 'none' } };
    case 'lookUp':
      return show(state, action.parse, true, true);
    case 'back': {
      const current = currentEntry(state.history);
      if (showsExplanation(state) && current) return { ...state, pinned: true, followed: { state: 'ready', parse: current, chosen: true } };
      return fromHistory(state, goBack(state.history));
    }
    case 'forward':
      return fromHistory(state, goForward(state.history));
    case 'setPinned':
      if (action.pinned === state.pinned) return state;
      if (!action.pinned) return { ...state, pinned: false, followRequests: state.followRequests + 1 };
      // Pinning a site that is still settling keeps it, as the site the user chose to stay on.
      return state.followed.state === 'settling' ? show(state, state.followed.parse, true, false) : { ...state, pinned: true };
  }
}
