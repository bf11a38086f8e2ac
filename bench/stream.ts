/**
 * The side panel's "Load all" stream of a big referring-domains table, timed inside the panel:
 * from the click on "Start loading" to the first streamed row in the table and to the status
 * line saying every row is loaded, with the main thread's long tasks (PerformanceObserver
 * `longtask`) over the same span, then a scroll from top to bottom and the JS heap.
 */
import type { Page } from '@playwright/test';
import type { ExtensionBrowser } from '../tests/e2e/extension-browser';

/** Installed before the panel's scripts: records long tasks and the moments the benchmark waits for. */
const panelProbe = `
window.__bench = { longTasks: [] };
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) window.__bench.longTasks.push({ start: entry.startTime, duration: entry.duration });
}).observe({ type: 'longtask', buffered: true });
window.__benchWhen = (test) => new Promise((resolve) => {
  const check = () => {
    if (!test()) return false;
    requestAnimationFrame(() => resolve(performance.now()));
    return true;
  };
  if (check()) return;
  const observer = new MutationObserver(() => { if (check()) observer.disconnect(); });
  observer.observe(document, { childList: true, subtree: true, characterData: true, attributes: true });
});
window.__benchLoaded = () => {
  const status = [...document.querySelectorAll('[role="status"]')].map((el) => el.textContent || '').find((text) => / loaded/.test(text));
  const match = status && /^([\\d,]+) of ([\\d,]+) loaded/.exec(status);
  return match ? { rows: Number(match[1].replace(/,/g, '')), total: Number(match[2].replace(/,/g, '')) } : null;
};`;

declare global {
  interface Window {
    __bench: { longTasks: { start: number; duration: number }[] };
    __benchWhen(test: () => boolean): Promise<number>;
    __benchLoaded(): { rows: number; total: number } | null;
  }
}

export interface LongTasks {
  longestMs: number;
  over50: number;
}

export interface StreamSample {
  /** Panel opened → first row of page 1 on screen (not a target; context for the stream figures). */
  firstPageMs: number;
  /** "Start loading" → the first streamed row in the table. */
  firstRowMs: number;
  /** "Start loading" → the status line says every row is loaded. */
  lastRowMs: number;
  rows: number;
  streaming: LongTasks;
}

export interface ScrollSample {
  scrolling: LongTasks;
  heapMb: number;
}

function longTasksBetween(tasks: { start: number; duration: number }[], from: number, to: number): LongTasks {
  const inSpan = tasks.filter((task) => task.start + task.duration >= from && task.start <= to);
  return { longestMs: Math.max(0, ...inSpan.map((task) => task.duration)), over50: inSpan.filter((task) => task.duration > 50).length };
}

/** Opens the side panel as a tab on `domain`'s referring domains, with the probe installed. */
export async function openProbedPanel(extension: ExtensionBrowser, domain: string): Promise<Page> {
  const panel = await extension.context.newPage();
  await panel.addInitScript({ content: panelProbe });
  await panel.goto(extension.extensionUrl(`sidepanel.html?target=${encodeURIComponent(domain)}`));
  return panel;
}

/** Page 1 is on screen; presses "Load all", then "Start loading" and times the stream to its last row. */
export async function streamAll(panel: Page): Promise<StreamSample> {
  const table = panel.getByRole('table', { name: 'Referring domains' });
  await table.locator('tbody tr[aria-rowindex]').first().waitFor({ timeout: 30_000 });
  const firstPageMs = await panel.evaluate(() => window.__benchWhen(() => document.querySelector('tbody tr[aria-rowindex]') !== null));
  await panel.getByRole('button', { name: 'Load all' }).click();
  await panel.getByRole('dialog', { name: /^Load all/ }).waitFor();
  const timing = await panel.evaluate(async () => {
    const before = window.__benchLoaded();
    if (!before) throw new Error('The table status shows no row count');
    const start = [...document.querySelectorAll('button')].find((button) => button.textContent?.trim() === 'Start loading');
    if (!start) throw new Error('No "Start loading" button');
    const firstRow = window.__benchWhen(() => (window.__benchLoaded()?.rows ?? 0) > before.rows);
    const lastRow = window.__benchWhen(() => {
      const loaded = window.__benchLoaded();
      return loaded !== null && loaded.rows >= loaded.total;
    });
    const startedAt = performance.now();
    start.click();
    const [firstRowAt, lastRowAt] = await Promise.all([firstRow, lastRow]);
    return { startedAt, firstRowAt, lastRowAt, rows: window.__benchLoaded()!.rows };
  });
  const tasks = await panel.evaluate(() => window.__bench.longTasks);
  return {
    firstPageMs,
    firstRowMs: timing.firstRowAt - timing.startedAt,
    lastRowMs: timing.lastRowAt - timing.startedAt,
    rows: timing.rows,
    streaming: longTasksBetween(tasks, timing.startedAt, timing.lastRowAt),
  };
}

/** How far each scroll step moves, in screens, and how many frames the panel gets per step. */
const SCROLL_SCREENS_PER_STEP = 40;

/**
 * Scrolls the loaded table from top to bottom in steps of 40 screens, one step per animation
 * frame (a fast fling), recording long tasks over it; then the JS heap after a garbage collection.
 */
export async function scrollAndWeigh(panel: Page): Promise<ScrollSample> {
  const span = await panel.getByTestId('report-table-scroll').evaluate(async (scroller, screensPerStep) => {
    // No named helper functions in here: tsx would wrap them in a __name() the page does not have.
    scroller.scrollTop = 0;
    await new Promise((resolve) => requestAnimationFrame(resolve));
    const from = performance.now();
    while (scroller.scrollTop + scroller.clientHeight < scroller.scrollHeight - 1) {
      scroller.scrollTop += scroller.clientHeight * screensPerStep;
      await new Promise((resolve) => requestAnimationFrame(resolve));
    }
    await new Promise((resolve) => requestAnimationFrame(resolve));
    return { from, to: performance.now() };
  }, SCROLL_SCREENS_PER_STEP);
  const tasks = await panel.evaluate(() => window.__bench.longTasks);
  const cdp = await panel.context().newCDPSession(panel);
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('Performance.enable');
  const { metrics } = await cdp.send('Performance.getMetrics');
  await cdp.detach();
  const heap = metrics.find((metric) => metric.name === 'JSHeapUsedSize')?.value ?? Number.NaN;
  return { scrolling: longTasksBetween(tasks, span.from, span.to), heapMb: heap / (1024 * 1024) };
}
