/**
 * Times the real toolbar popup from `chrome.action.openPopup()` to its first totals, and to its
 * totals and top-10 table all on screen. The popup is a fresh document each time and Playwright only reaches it
 * after it has rendered, so a CDP connection of our own pauses it at start (browser-level
 * auto-attach), installs a script that watches the DOM, and lets it run. Both clocks are
 * `performance.timeOrigin + performance.now()`: the service worker's before the call, the
 * popup's in the first animation frame after the table has its rows. The pause is not free: the
 * first command to the paused popup (Page.enable) can take 200–300 ms before the document may
 * start, and that is inside every figure from openPopup(); "from its document start" is not.
 */
import type { Page } from '@playwright/test';
import type { ExtensionBrowser } from '../tests/e2e/extension-browser';
import { connectCdp, type CdpClient } from './cdp';

/** Evaluated in the service worker, not here. */
declare const chrome: { action: { openPopup(): Promise<void> } };

const TOP_ROWS = 10;
const RENDER_TIMEOUT_MS = 30_000;

/**
 * Runs in the popup before its own scripts: resolves with the time its first totals showed, and
 * with the time the whole summary did (totals and the top-10 table, nothing more on its way),
 * each in the first animation frame after the DOM had them.
 */
const watchSummary = `
(() => {
  const when = (shown) => new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      if (!shown()) return;
      observer.disconnect();
      requestAnimationFrame(() => resolve(performance.timeOrigin + performance.now()));
    });
    observer.observe(document, { childList: true, subtree: true, attributes: true });
  });
  window.__benchTotalsShown = when(() => Boolean(document.querySelector('[role="group"][aria-label="Totals"] dd')));
  window.__benchSummaryShown = when(() => {
    const summary = document.querySelector('section[aria-label="Summary"][aria-busy="false"]');
    const table = summary && summary.querySelector('table[aria-label="Top referring domains"]');
    const totals = summary && summary.querySelector('[role="group"][aria-label="Totals"] dd');
    return Boolean(totals && table && table.tBodies[0] && table.tBodies[0].rows.length >= ${TOP_ROWS});
  });
})();`;

interface AttachedTarget {
  sessionId: string;
  targetInfo: { targetId: string; type: string; url: string };
  waitingForDebugger: boolean;
}

export interface PopupTiming {
  /** From `chrome.action.openPopup()` to the summary on screen. */
  totalMs: number;
  /** From the popup document's start (its time origin) to the summary on screen: the extension's part. */
  fromDocumentMs: number;
  /** From `chrome.action.openPopup()` to the first totals on screen. */
  firstTotalsMs: number;
  /** From the popup document's start to the first totals on screen. */
  firstTotalsFromDocumentMs: number;
}

export interface PopupTimer {
  /** Opens the popup for `tab` (its summary must have at least 10 referring domains) and times it until it showed them. */
  timeToSummary(tab: Page): Promise<PopupTiming>;
  close(): void;
}

export async function createPopupTimer(extension: ExtensionBrowser): Promise<PopupTimer> {
  const popupUrl = extension.extensionUrl('popup.html');
  const cdp = await connectCdp(extension.debuggingPort);
  let onPopup: ((target: AttachedTarget) => void) | null = null;
  /** Targets that may become the popup: they start as type "other" with no URL, then navigate. */
  const candidates = new Map<string, AttachedTarget>();

  cdp.on('Target.attachedToTarget', (params) => {
    const target = params as unknown as AttachedTarget;
    const mayBePopup = target.waitingForDebugger && (target.targetInfo.url === popupUrl || (target.targetInfo.type === 'other' && target.targetInfo.url === ''));
    if (mayBePopup) candidates.set(target.targetInfo.targetId, target);
    void instrument(cdp, target, mayBePopup ? watchSummary : null).then(() => {
      if (target.targetInfo.url === popupUrl) onPopup?.(target);
    });
  });
  cdp.on('Target.targetInfoChanged', (params) => {
    const { targetInfo } = params as unknown as Pick<AttachedTarget, 'targetInfo'>;
    const candidate = candidates.get(targetInfo.targetId);
    if (!candidate || targetInfo.url === '') return;
    candidates.delete(targetInfo.targetId);
    if (targetInfo.url === popupUrl) onPopup?.(candidate);
    else void cdp.send('Target.detachFromTarget', { sessionId: candidate.sessionId }).catch(() => undefined);
  });
  // targetInfoChanged needs discovery; auto-attach with a pause at start lets the popup be instrumented first.
  await cdp.send('Target.setDiscoverTargets', { discover: true });
  await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: true, flatten: true });

  return {
    async timeToSummary(tab) {
      const popupAttached = new Promise<AttachedTarget>((resolve) => (onPopup = resolve));
      const worker = await extension.liveServiceWorker();
      await tab.bringToFront();
      const openedAt = await worker.evaluate(async () => {
        const now = performance.timeOrigin + performance.now();
        await chrome.action.openPopup();
        return now;
      });
      const popup = await withTimeout(popupAttached, RENDER_TIMEOUT_MS, 'The popup did not open');
      try {
        const shown = await cdp.send<{ result: { value?: { shownAt: number; totalsAt: number; documentStart: number } } }>(
          'Runtime.evaluate',
          {
            expression:
              'Promise.all([window.__benchSummaryShown, window.__benchTotalsShown]).then(([shownAt, totalsAt]) => ({ shownAt, totalsAt, documentStart: performance.timeOrigin }))',
            awaitPromise: true,
            returnByValue: true,
            timeout: RENDER_TIMEOUT_MS,
          },
          popup.sessionId,
        );
        const times = shown.result.value;
        if (typeof times?.shownAt !== 'number') throw new Error(`The popup never showed its summary: ${await popupText(cdp, popup.sessionId)}`);
        return {
          totalMs: times.shownAt - openedAt,
          fromDocumentMs: times.shownAt - times.documentStart,
          firstTotalsMs: times.totalsAt - openedAt,
          firstTotalsFromDocumentMs: times.totalsAt - times.documentStart,
        };
      } finally {
        await cdp.send('Target.closeTarget', { targetId: popup.targetInfo.targetId }).catch(() => undefined);
      }
    },
    close: () => cdp.close(),
  };
}

/**
 * Every target the browser starts waits for us: one that may be the popup gets `script`
 * installed first (the Page domain must be enabled for it to apply to the coming document);
 * every target is let go at once, and those that cannot be the popup left alone.
 */
async function instrument(cdp: CdpClient, target: AttachedTarget, script: string | null): Promise<void> {
  try {
    if (script) {
      await cdp.send('Page.enable', {}, target.sessionId);
      await cdp.send('Page.addScriptToEvaluateOnNewDocument', { source: script }, target.sessionId);
    }
    if (target.waitingForDebugger) await cdp.send('Runtime.runIfWaitingForDebugger', {}, target.sessionId);
    if (!script) await cdp.send('Target.detachFromTarget', { sessionId: target.sessionId });
  } catch {
    // A target that closed meanwhile needs nothing more.
  }
}

async function popupText(cdp: CdpClient, sessionId: string): Promise<string> {
  const text = await cdp
    .send<{ result: { value?: string } }>('Runtime.evaluate', { expression: 'document.body.innerText', returnByValue: true }, sessionId)
    .catch(() => null);
  return text?.result.value?.replace(/\s+/g, ' ').slice(0, 300) ?? '(unreadable)';
}

export async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${message} within ${ms / 1000} s`)), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export interface PopupSample {
  floorMs: number;
  cold: PopupTiming;
  warm: PopupTiming;
}

/**
 * One popup run: a domain nothing has looked up yet (cold: the lookup goes to the simulator),
 * then the same domain again (warm: served from the page cache), and the floor, the same
 * request straight from Node. The simulator's data set is sized so the top 10 is full.
 */
export async function popupRun(
  timer: PopupTimer,
  tab: Page,
  domain: string,
  floorRequest: () => Promise<number>,
): Promise<PopupSample> {
  await tab.goto(`https://www.${domain}/`);
  const cold = await timer.timeToSummary(tab);
  const warm = await timer.timeToSummary(tab);
  const floorMs = await floorRequest();
  return { floorMs, cold, warm };
}
