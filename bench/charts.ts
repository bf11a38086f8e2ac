/**
 * The History tab drawing 2,500 points, timed inside the side panel: from the click on "Load
 * history" to the chart on screen (the request, the lazily loaded chart code and the drawing),
 * with the main thread's long tasks over the same span. The simulator gives `longhistory…`
 * domains 2,500 weekly points (tests/sim/charts.ts).
 */
import { readdirSync } from 'node:fs';
import type { Page } from '@playwright/test';
import type { ExtensionBrowser } from '../tests/e2e/extension-browser';
import { fileSize, type FileSize } from './sizes';

/**
 * Installed before the panel's scripts (as text: functions written in the benchmark would be
 * rewritten by its loader): records long tasks, and resolves when a chart is drawn, a frame later.
 */
const probe = `
window.__chartBench = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) window.__chartBench.push({ start: entry.startTime, duration: entry.duration });
}).observe({ type: 'longtask', buffered: true });
window.__chartDrawn = () => new Promise((resolve) => {
  const check = () => {
    if (!document.querySelector('figure svg[role="img"] path[d^="M"]')) return false;
    requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now())));
    return true;
  };
  const observer = new MutationObserver(() => { if (check()) observer.disconnect(); });
  observer.observe(document, { childList: true, subtree: true });
});`;

declare global {
  interface Window {
    __chartBench: { start: number; duration: number }[];
    __chartDrawn(): Promise<number>;
  }
}

export interface ChartSample {
  /** "Load history" → the chart drawn, a frame later. */
  drawnMs: number;
  longestMs: number;
  over50: number;
  /** Bars in the drawn chart's paths (each "M" starts one). */
  bars: number;
}

/** Opens the side panel on `domain` with Serpstat, the History tab, and times "Load history" to the drawn chart. */
export async function drawHistory(extension: ExtensionBrowser, domain: string): Promise<ChartSample> {
  const panel: Page = await extension.context.newPage();
  try {
    await panel.addInitScript({ content: probe });
    await panel.goto(extension.extensionUrl(`sidepanel.html?target=${encodeURIComponent(domain)}`));
    await panel.getByRole('combobox', { name: 'Provider' }).selectOption('serpstat');
    await panel.getByRole('tab', { name: 'History' }).click();
    const load = panel.getByRole('button', { name: /^Load history/ });
    await load.waitFor({ timeout: 30_000 });
    const timing = await panel.evaluate(async () => {
      const button = [...document.querySelectorAll('button')].find((element) => element.textContent?.startsWith('Load history'));
      if (!button) throw new Error('No "Load history" button');
      const drawn = window.__chartDrawn();
      const startedAt = performance.now();
      button.click();
      const drawnAt = await drawn;
      const bars = [...document.querySelectorAll('figure svg[role="img"] path')].reduce((sum, path) => sum + (path.getAttribute('d')?.match(/M/g)?.length ?? 0), 0);
      const tasks = window.__chartBench.filter((task) => task.start + task.duration >= startedAt && task.start <= drawnAt);
      return { drawnMs: drawnAt - startedAt, longestMs: Math.max(0, ...tasks.map((task) => task.duration)), over50: tasks.filter((task) => task.duration > 50).length, bars };
    });
    return timing;
  } finally {
    await panel.close();
  }
}

/** The lazily loaded chart chunk of the build: what opening a chart downloads. */
export function chartChunkSize(outputDir: string): FileSize {
  const chunk = readdirSync(`${outputDir}/chunks`).find((file) => /^ProfileCharts-.*\.js$/.test(file));
  if (!chunk) throw new Error('No chart chunk (chunks/ProfileCharts-*.js) in the build');
  return fileSize(outputDir, `chunks/${chunk}`);
}
