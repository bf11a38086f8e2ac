import type { TargetParse } from '../shared/target-parse';
import { sameTarget } from './panel-target';

/**
 * How long the followed tab must stay on one target, loaded, before the panel may spend on it.
 * Redirect chains, "consent" hops and scripts that move the page on at load all happen within
 * a few hundred milliseconds, and a user flicking through tabs stays on each for less; a second
 * is not felt next to a provider's own answer time, which is about that long.
 */
export const SETTLE_MS = 1_000;

/** What the panel needs of a tab event: its address as a target (resolved by the background) and whether its page has loaded. */
export interface TabSnapshot {
  parse: TargetParse;
  status?: string;
}

export interface TabSettlerOptions {
  /** The tab moved to a target that may cost money: show it, and that the panel waits. */
  onSettling: (parse: Extract<TargetParse, { ok: true }>) => void;
  /** The tab has settled on this target (or is no site, which costs nothing and shows at once). */
  onSettled: (parse: TargetParse) => void;
  settleMs?: number;
  setTimer?: (callback: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
}

export interface TabSettler {
  /** Every activation, navigation and load-state change of the followed tab. */
  observe(tab: TabSnapshot): void;
  /** Forgets the target followed so far: the next snapshot waits to settle even if it is the same (unpinning). */
  restart(): void;
  /** Stops the pending timer; later snapshots are ignored. */
  dispose(): void;
}

/**
 * Follows the active tab's target, telling the panel about it only once the tab has settled:
 * its page loaded (status "complete") and the same target for `settleMs`. Each new target
 * starts the wait again, so a tab that passes through twenty sites in a second settles once,
 * on the last. A tab that is no site (a browser page, an IP…) is reported at once: its
 * explanation is free.
 */
export function createTabSettler({
  onSettling,
  onSettled,
  settleMs = SETTLE_MS,
  setTimer = (callback, ms) => setTimeout(callback, ms),
  clearTimer = (timer) => clearTimeout(timer as ReturnType<typeof setTimeout>),
}: TabSettlerOptions): TabSettler {
  let candidate: { parse: Extract<TargetParse, { ok: true }>; loaded: boolean; waited: boolean; settled: boolean } | null = null;
  let timer: unknown = null;
  let disposed = false;

  const stopTimer = () => {
    if (timer !== null) clearTimer(timer);
    timer = null;
  };
  const settleIfReady = () => {
    if (disposed || !candidate || candidate.settled || !candidate.loaded || !candidate.waited) return;
    candidate.settled = true;
    onSettled(candidate.parse);
  };

  return {
    observe(tab) {
      if (disposed) return;
      const { parse } = tab;
      const loaded = tab.status === 'complete';
      if (!parse.ok) {
        stopTimer();
        candidate = null;
        onSettled(parse);
        return;
      }
      if (candidate && sameTarget(candidate.parse, parse)) {
        // A reload or a second tab on the same target: no new wait, and a settled target stays settled.
        candidate.loaded = loaded;
        settleIfReady();
        return;
      }
      stopTimer();
      const next = { parse, loaded, waited: false, settled: false };
      candidate = next;
      onSettling(parse);
      timer = setTimer(() => {
        timer = null;
        next.waited = true;
        settleIfReady();
      }, settleMs);
    },
    restart() {
      stopTimer();
      candidate = null;
    },
    dispose() {
      disposed = true;
      stopTimer();
    },
  };
}
