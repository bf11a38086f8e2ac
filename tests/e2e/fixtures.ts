/**
 * Playwright fixtures: one provider simulator per worker (it owns the fixed SIM_PORT the
 * build points at, hence a single worker), a fresh Chromium profile with the extension per
 * test, and helpers that drive the extension's pages through their accessible names.
 */
import { domainToASCII } from 'node:url';
import { test as base, expect } from '@playwright/test';
import type { Page } from '@playwright/test';
import { startSimulator } from '../sim/server';
import type { SimLogEntry } from '../sim/server';
import { SIM_PORT } from '../sim/constants';
import { sortedByKey } from '../sim/answer';
import { datasetSize, generateRows } from '../sim/data';
import { launchExtensionBrowser } from './extension-browser';
import type { ExtensionBrowser } from './extension-browser';

export { saveSerpstatKey } from './extension-browser';

export type Simulator = Awaited<ReturnType<typeof startSimulator>>;

interface WorkerFixtures {
  sim: Simulator;
}
interface TestFixtures {
  /** The browser's UI language: en-US, or a project's own (the German project in playwright.config.ts). */
  language: string;
  extension: ExtensionBrowser;
  /** Opens `url` (any http(s) host is served a sample page, see extension-browser.ts) in a new tab. */
  openSite: (url: string) => Promise<Page>;
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  sim: [
    // Playwright reads fixture dependencies from the destructuring pattern, so it must be there.
    // eslint-disable-next-line no-empty-pattern
    async ({}, provide) => {
      const sim = await startSimulator({ port: SIM_PORT });
      await provide(sim);
      await sim.close();
    },
    { scope: 'worker' },
  ],
  language: ['en-US', { option: true }],
  extension: async ({ sim, language }, provide) => {
    // Every test starts from the simulator's initial data, credits, faults and log.
    await sim.reset();
    const extension = await launchExtensionBrowser({ headless: true, language });
    await provide(extension);
    await extension.close();
  },
  openSite: async ({ extension }, provide) => {
    await provide(async (url) => {
      const page = await extension.context.newPage();
      await page.goto(url);
      return page;
    });
  },
});

export { expect };

/** The paging parameters of a Serpstat list call, as the simulator logged them. */
export interface SerpstatListParams {
  query?: string;
  page?: number;
  size?: number;
  searchType?: string;
  sort?: string;
  order?: string;
  complexFilter?: unknown;
}

/** Simulator log entries of one SerpstatBacklinksProcedure method, in request order. */
export function serpstatCalls(sim: Simulator, method: string): (SimLogEntry & { params: SerpstatListParams })[] {
  return sim.log
    .filter((entry) => entry.provider === 'serpstat' && entry.method === `SerpstatBacklinksProcedure.${method}`)
    .map((entry) => ({ ...entry, params: (entry.params ?? {}) as SerpstatListParams }));
}

/** The referring domains the simulator answers first for "rank, descending", sorted as it sorts. */
export function simTopRefDomains(domain: string, count: number, size = datasetSize(domain, 'refDomains')): string[] {
  return sortedByKey(generateRows(domain, 'refDomains', size), (row) => row.domainRank, true)
    .slice(0, count)
    .map((row) => row.domain_from);
}

/** A domain as the provider sends it (punycode), whether the UI shows it in Unicode or not. */
export function asciiDomain(shown: string): string {
  return domainToASCII(shown.trim());
}
