/**
 * `npm run soak`: 200 lookups in the built extension (headless Chromium against the simulator),
 * alternating Serpstat and DataForSEO, each one the side panel opened on a new domain and its
 * referring domains loaded to the last row ("Load all" past the first page) and exported as CSV.
 * Every fifth request to each provider fails with a transient fault (429 with and without
 * Retry-After, 5xx, reset connections, the providers' own rate-limit and unavailable codes, some
 * DataForSEO ones billed though they failed), and
 * the service worker is stopped 5 times in the middle of a "Load all". Then "Both (merge)" lookups
 * (Serpstat's and DataForSEO's referring domains in one table, every page of each loaded), with
 * the same faults: each provider page must be asked once, and the merged rows must be the union
 * of the two data sets. Then follow mode through redirects: the panel open and looking up the tab it follows, the tab passes through several
 * sites (each moving on while it loads) before it stays on one; every request for a site the tab
 * only passed through is counted.
 *
 * Prints lookups completed, rows expected vs delivered, lost and duplicate rows, requests charged
 * twice, the ledger against what the simulator charged, the merged tables' rows and pages, and
 * unhandled errors; writes the figures,
 * the machine and the date to docs/reliability.md. Options: `--lookups N` (printed, not written),
 * `--no-build` (the build already in .output/chrome-mv3).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Papa from 'papaparse';
import type { Page } from '@playwright/test';
import type { Preferences } from '../lib/shared/settings';
import { describeMachine, machineLine } from '../bench/machine';
import { replaceResults } from '../bench/report';
import { buildForSim } from './build-for-sim';
import { launchExtensionBrowser, redirectChainUrl, saveSerpstatKey, type ExtensionBrowser } from '../tests/e2e/extension-browser';
import { asciiDomain } from '../tests/e2e/fixtures';
import { ledgerEntries, loaded, openPanel, openPanelFollowing, readAllRows, saveDataForSeoKey, setLocalStorage } from '../tests/e2e/panel-helpers';
import { SIM_PORT, SIM_SERPSTAT_TOKEN } from '../tests/sim/constants';
import { generateDataForSeoReferringDomains, generateRows } from '../tests/sim/data';
import { DATAFORSEO_REFERRING_DOMAINS_PATH } from '../tests/sim/dataforseo';
import { startSimulator, type Fault, type Simulator, type SimLogEntry } from '../tests/sim/server';
import type { ProviderId } from '../lib/shared/providers';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));
const DOCS_FILE = path.join(projectRoot, 'docs', 'reliability.md');
const RESULTS = { start: '<!-- soak:results:start -->', end: '<!-- soak:results:end -->' };
const LOOKUPS = 200;
const FAULT_EVERY = 5;
const WORKER_STOPS = 5;
const PAGE_SIZE = 100;
/** Table sizes in turn: none, one page, a page exactly, and up to seven pages. */
const TABLE_SIZES = [0, 37, 100, 150, 230, 301, 420, 555, 640, 700];
/** A stop lands mid-"Load all": these tables are big and paced, so it falls between two requests. */
const STOPPED_TABLE_ROWS = 650;
const START_CREDITS = 1_000_000;
const START_BALANCE_USD = 1_000;
const LOOKUP_TIMEOUT_MS = 120_000;
/** Follow-mode runs (one per 20 lookups, at least 2) and the redirects in each before the tab stays. */
const followRunsFor = (lookups: number) => Math.max(2, Math.round(lookups / 20));
const FOLLOW_REDIRECTS = 6;
const FOLLOW_TABLE_ROWS = 80;
/** "Both (merge)" lookups (one per 20 lookups, at least 2), and their table sizes in turn: several pages of each provider. */
const mergedRunsFor = (lookups: number) => Math.max(2, Math.round(lookups / 20));
const MERGED_TABLE_SIZES = [555, 230, 700, 301];

/** Transient faults only (they are what a long session meets); the permanent ones are in tests/unit/background/fault-matrix.test.ts. */
const faults: Record<ProviderId, Fault[]> = {
  serpstat: [
    { kind: 'http', status: 429, retryAfter: 1 },
    { kind: 'http', status: 503 },
    { kind: 'serpstat-error', code: 429, message: 'Query frequency exceeded' },
    { kind: 'reset' },
    { kind: 'http', status: 502 },
    { kind: 'serpstat-error', code: 500, message: 'Internal server error' },
    { kind: 'http', status: 429 },
    { kind: 'http', status: 500 },
  ],
  dataforseo: [
    { kind: 'http', status: 429, retryAfter: 1 },
    // Billed though failed, as DataForSEO may: booked before the retry, which is a new charge.
    { kind: 'dataforseo-status', statusCode: 40202, statusMessage: 'Rate limit per minute exceeded.', level: 'task', cost: 0.02 },
    { kind: 'reset' },
    { kind: 'http', status: 502 },
    { kind: 'dataforseo-status', statusCode: 50301, statusMessage: 'Service Temporarily Unavailable.', level: 'top' },
    { kind: 'http', status: 503 },
    { kind: 'dataforseo-status', statusCode: 40209, statusMessage: 'Too many simultaneous requests.', level: 'task', cost: 0.02 },
    { kind: 'http', status: 500 },
  ],
};

interface Lookup {
  index: number;
  provider: ProviderId;
  domain: string;
  /** The simulator's data set size for the domain. */
  rows: number;
  stopWorker: boolean;
}

interface LookupResult {
  lookup: Lookup;
  completed: boolean;
  expected: number;
  delivered: number;
  duplicates: number;
  lost: number;
  problem?: string;
}

function planLookups(count: number): Lookup[] {
  const stops = new Set(Array.from({ length: Math.min(WORKER_STOPS, count) }, (_, k) => Math.floor(((k + 0.5) * count) / WORKER_STOPS)));
  return Array.from({ length: count }, (_, index) => {
    // Each stop goes to the Serpstat lookup at or after its place: paced requests leave a gap to stop in.
    const stopWorker = stops.has(index) || stops.has(index - 1);
    const provider: ProviderId = index % 2 === 0 ? 'serpstat' : 'dataforseo';
    return {
      index,
      provider,
      domain: `soak-${index + 1}-lens.com`,
      rows: stopWorker && provider === 'serpstat' ? STOPPED_TABLE_ROWS : TABLE_SIZES[index % TABLE_SIZES.length]!,
      stopWorker: stopWorker && provider === 'serpstat',
    };
  });
}

/** The domains the simulator lists for a lookup, from its data module (not from its answers). */
function expectedDomains(lookup: Lookup): string[] {
  if (lookup.provider === 'serpstat') return generateRows(lookup.domain, 'refDomains', lookup.rows).map((row) => row.domain_from);
  // DataForSEO lists live referring domains by default: those without a lost date.
  return generateDataForSeoReferringDomains(lookup.domain, lookup.rows)
    .filter((item) => item.lost_date === null)
    .map((item) => item.domain);
}

/** The Domain column of the CSV "Export CSV" saves. */
async function exportedDomains(panel: Page): Promise<string[]> {
  const [download] = await Promise.all([panel.waitForEvent('download'), panel.getByRole('button', { name: 'Export CSV' }).click()]);
  const text = await readFile(await download.path(), 'utf8');
  const [header, ...rows] = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: true }).data;
  const column = header?.indexOf('Domain') ?? -1;
  if (column < 0) throw new Error(`the CSV has no Domain column: ${header?.join(', ')}`);
  return rows.map((row) => row[column] ?? '');
}

const preferencesFor = (provider: ProviderId, serpstatRequestsPerSecond: number, lookUpFollowedTab = false): Preferences => ({
  provider,
  scope: 'domain_with_subdomains',
  pageSize: PAGE_SIZE,
  serpstatRequestsPerSecond,
  dataforseoPagesAtOnce: 4,
  lookUpFollowedTab,
});

/** One lookup as a user makes it: open the panel on the domain, "Load all" if there is more, export. */
async function runLookup(extension: ExtensionBrowser, lookup: Lookup): Promise<LookupResult> {
  const expected = expectedDomains(lookup);
  const result: LookupResult = { lookup, completed: false, expected: expected.length, delivered: 0, duplicates: 0, lost: expected.length };
  // At 1 request a second a stop falls in the pause between two requests, as Chrome's idle stop does.
  await setLocalStorage(extension, { preferences: preferencesFor(lookup.provider, lookup.stopWorker ? 1 : 10) });
  const panel = await openPanel(extension, lookup.domain);
  const alert = panel.getByRole('alert');
  /** Waits for `done`, or fails with the error the panel shows instead. */
  const until = async (done: ReturnType<Page['getByRole']>) => {
    await done.or(alert).first().waitFor({ timeout: LOOKUP_TIMEOUT_MS });
    if (await alert.isVisible()) throw new Error(`the panel says: ${await alert.innerText()}`);
  };
  try {
    if (expected.length === 0) {
      await until(panel.getByText(`No referring domains found for ${lookup.domain}.`));
      return { ...result, completed: true };
    }
    await until(loaded(panel, Math.min(PAGE_SIZE, expected.length), expected.length));
    if (expected.length > PAGE_SIZE) {
      await panel.getByRole('button', { name: 'Load all' }).click();
      await panel.getByRole('button', { name: 'Start loading' }).click();
      if (lookup.stopWorker) {
        const progress = panel.getByRole('progressbar', { name: 'Loading all rows' });
        for (const deadline = Date.now() + LOOKUP_TIMEOUT_MS; Number(await progress.getAttribute('aria-valuenow')) < 3 * PAGE_SIZE; ) {
          if (Date.now() > deadline) throw new Error('Load all did not reach 300 rows');
          await panel.waitForTimeout(20);
        }
        await extension.stopServiceWorker();
      }
      await until(loaded(panel, expected.length, expected.length));
    }
    const delivered = await exportedDomains(panel);
    const unique = new Set(delivered);
    return {
      ...result,
      completed: true,
      delivered: delivered.length,
      duplicates: delivered.length - unique.size,
      lost: expected.filter((domain) => !unique.has(domain)).length,
    };
  } catch (error) {
    return { ...result, problem: error instanceof Error ? error.message.split('\n')[0] : String(error) };
  } finally {
    await panel.close();
  }
}

interface MergedResult {
  completed: boolean;
  /** Domains in the union of the two providers' data sets, and rows the merged table showed. */
  expected: number;
  shown: number;
  lost: number;
  /** Rows shown that neither provider lists. */
  extra: number;
  duplicates: number;
  /** Provider pages (Serpstat page, DataForSEO offset) answered more than once; a faulted try and its retry are one. */
  pagesAskedTwice: number;
  requests: number;
  faults: number;
  problem?: string;
}

/** Providers may differ in case or a trailing root dot; as the merge, the soak compares the domain. */
const domainKey = (domain: string) => asciiDomain(domain).toLowerCase().replace(/\.$/, '');

/** The page each answered (not faulted) referring-domains request for `domain` asked, per provider. */
function mergedPagesAsked(entries: readonly SimLogEntry[], domain: string): string[] {
  return entries.flatMap((entry) => {
    if (entry.outcome === 'fault') return [];
    const params = (entry.params ?? {}) as { query?: unknown; page?: unknown; target?: unknown; offset?: unknown };
    if (entry.provider === 'serpstat' && entry.method === 'SerpstatBacklinksProcedure.getRefDomains' && params.query === domain) {
      return [`serpstat page ${String(params.page ?? 1)}`];
    }
    if (entry.provider === 'dataforseo' && entry.method === DATAFORSEO_REFERRING_DOMAINS_PATH && params.target === domain) {
      return [`dataforseo offset ${String(params.offset ?? 0)}`];
    }
    return [];
  });
}

/**
 * "Both (merge)" as a user reaches it: the panel opened on the domain with `provider` the default
 * (its first page loads as a single table, which the merge must take from the cache), Provider
 * set to "Both (merge)", then "Load next 100 from each" until neither provider has more. Checks
 * the merged rows against the union of the two data sets and each provider page asked once.
 */
async function runMerged(extension: ExtensionBrowser, sim: Simulator, index: number): Promise<MergedResult> {
  const provider: ProviderId = index % 2 === 0 ? 'serpstat' : 'dataforseo';
  const domain = `merge-${index + 1}-lens.com`;
  const rows = MERGED_TABLE_SIZES[index % MERGED_TABLE_SIZES.length]!;
  sim.setDatasetSize(domain, 'refDomains', rows);
  const serpstatDomains = expectedDomains({ index, provider: 'serpstat', domain, rows, stopWorker: false });
  const dataforseoDomains = expectedDomains({ index, provider: 'dataforseo', domain, rows, stopWorker: false });
  const expected = new Set([...serpstatDomains, ...dataforseoDomains].map(domainKey));
  const requestsBefore = sim.log.length;
  const counts = () => {
    const entries = sim.log.slice(requestsBefore);
    const pages = mergedPagesAsked(entries, domain);
    return {
      pagesAskedTwice: pages.length - new Set(pages).size,
      requests: entries.filter((entry) => entry.provider !== 'control').length,
      faults: entries.filter((entry) => entry.outcome === 'fault').length,
    };
  };
  const result: MergedResult = { completed: false, expected: expected.size, shown: 0, lost: expected.size, extra: 0, duplicates: 0, ...counts() };
  await setLocalStorage(extension, { preferences: preferencesFor(provider, 10) });
  const panel = await openPanel(extension, domain);
  const alert = panel.getByRole('alert');
  const compareRows = async () => {
    const shown = (await readAllRows(panel, 'Referring domains')).map(domainKey);
    const unique = new Set(shown);
    return {
      shown: shown.length,
      duplicates: shown.length - unique.size,
      lost: [...expected].filter((domain) => !unique.has(domain)).length,
      extra: [...unique].filter((domain) => !expected.has(domain)).length,
    };
  };
  try {
    const firstPage = provider === 'serpstat' ? serpstatDomains.length : dataforseoDomains.length;
    await loaded(panel, Math.min(PAGE_SIZE, firstPage), firstPage).or(alert).first().waitFor({ timeout: LOOKUP_TIMEOUT_MS });
    if (await alert.isVisible()) throw new Error(`the panel says: ${await alert.innerText()}`);
    await panel.getByRole('combobox', { name: 'Provider' }).selectOption({ label: 'Both (merge)' });
    const loadNext = panel.getByRole('button', { name: /^Load next \d+ from each$/ });
    // Idle (not "· loading more…") with no Load next: both providers are out of pages, or one was held back.
    const idle = panel.getByRole('status').filter({ hasText: /^[\d,]+ domains from [\d,]+ \+ [\d,]+ rows loaded$/ });
    for (const deadline = Date.now() + LOOKUP_TIMEOUT_MS; ; ) {
      if (Date.now() > deadline) throw new Error('the merged table did not finish loading');
      await loadNext.or(idle).or(alert).first().waitFor({ timeout: LOOKUP_TIMEOUT_MS });
      if (await alert.isVisible()) throw new Error(`the panel says: ${await alert.innerText()}`);
      if (await loadNext.isVisible()) {
        // A click on a button that has just gone (its page is on its way) changes nothing.
        await loadNext.click({ timeout: 1_000 }).catch(() => undefined);
        continue;
      }
      if ((await idle.isVisible()) && !(await loadNext.isVisible())) break;
    }
    return { ...result, ...(await compareRows()), ...counts(), completed: true };
  } catch (error) {
    // A table that stopped short still shows what it loaded: its rows are compared too.
    const rowsShown = await compareRows().catch(() => ({}));
    return { ...result, ...rowsShown, ...counts(), problem: error instanceof Error ? error.message.split('\n')[0] : String(error) };
  } finally {
    await panel.close();
  }
}

interface FollowResult {
  completed: boolean;
  /** Provider requests for a site the tab only passed through. */
  strayRequests: number;
  problem?: string;
}

/** The site a logged provider request was for: Serpstat's query, DataForSEO's target. */
function requestedSite(params: unknown): string | undefined {
  const fields = (params ?? {}) as { query?: unknown; target?: unknown };
  const site = fields.query ?? fields.target;
  return typeof site === 'string' ? site : undefined;
}

/**
 * The panel opened, following the active tab and looking it up once it settles; a new tab passes
 * through FOLLOW_REDIRECTS sites before it stays on `finalDomain`. Counts the provider requests
 * for any other site from the moment the tab starts moving until the final site's table is in.
 */
async function runFollow(extension: ExtensionBrowser, sim: Simulator, index: number): Promise<FollowResult> {
  const provider: ProviderId = index % 2 === 0 ? 'serpstat' : 'dataforseo';
  const finalDomain = `follow-${index + 1}-lens.com`;
  sim.setDatasetSize(finalDomain, 'refDomains', FOLLOW_TABLE_ROWS);
  await setLocalStorage(extension, { preferences: preferencesFor(provider, 10, true) });
  const requestsBefore = sim.log.length;
  let site: Page | undefined;
  let panel: Page | undefined;
  try {
    // The tab starts on a blank page and navigates itself, as a link or a typed address would.
    const openRedirectingSite = async (url: string) => {
      site = await extension.context.newPage();
      await site.evaluate((address) => location.assign(address), url);
      return site;
    };
    ({ panel } = await openPanelFollowing(extension, openRedirectingSite, redirectChainUrl(FOLLOW_REDIRECTS, finalDomain), finalDomain));
    const rows = expectedDomains({ index, provider, domain: finalDomain, rows: FOLLOW_TABLE_ROWS, stopWorker: false }).length;
    const alert = panel.getByRole('alert');
    const done = rows === 0 ? panel.getByText(`No referring domains found for ${finalDomain}.`) : loaded(panel, rows, rows);
    await done.or(alert).first().waitFor({ timeout: LOOKUP_TIMEOUT_MS });
    if (await alert.isVisible()) throw new Error(`the panel says: ${await alert.innerText()}`);
    return { completed: true, strayRequests: strayRequests() };
  } catch (error) {
    return { completed: false, strayRequests: strayRequests(), problem: error instanceof Error ? error.message.split('\n')[0] : String(error) };
  } finally {
    await panel?.close();
    await site?.close();
  }

  function strayRequests(): number {
    return sim.log.slice(requestsBefore).filter((entry) => entry.provider !== 'control' && requestedSite(entry.params) !== finalDomain).length;
  }
}

/**
 * Answers the simulator billed more than once: same provider, method and parameters. A billed
 * failure and its retry are two charges by design (both in the ledger), not a page paid twice.
 */
function chargedTwice(sim: Simulator): number {
  const billed = new Map<string, number>();
  for (const entry of sim.log.filter((e) => e.charged > 0 && e.outcome !== 'fault')) {
    const key = `${entry.provider}|${entry.method}|${JSON.stringify(entry.params)}`;
    billed.set(key, (billed.get(key) ?? 0) + 1);
  }
  return [...billed.values()].filter((times) => times > 1).length;
}

interface Figures {
  lookups: number;
  completed: number;
  rowsExpected: number;
  rowsDelivered: number;
  lost: number;
  duplicates: number;
  chargedTwice: number;
  unhandledErrors: number;
  requests: number;
  faults: number;
  billedFailures: number;
  workerStops: number;
  mergedRuns: number;
  mergedCompleted: number;
  mergedExpected: number;
  mergedShown: number;
  mergedLost: number;
  mergedExtra: number;
  mergedDuplicates: number;
  mergedPagesAskedTwice: number;
  mergedRequests: number;
  mergedFaults: number;
  followRuns: number;
  followCompleted: number;
  followStrayRequests: number;
  ledgerCreditsOff: number;
  ledgerUsdOff: number;
  minutes: number;
}

function figureLines(figures: Figures): [string, string, string][] {
  const n = (value: number) => value.toLocaleString('en-US');
  return [
    ['Lookups completed', `${n(figures.completed)} of ${n(figures.lookups)}`, 'all'],
    ['Rows expected / delivered', `${n(figures.rowsExpected)} / ${n(figures.rowsDelivered)}`, 'equal'],
    ['Rows lost', n(figures.lost), '0'],
    ['Duplicate rows', n(figures.duplicates), '0'],
    ['Requests charged twice', n(figures.chargedTwice), '0'],
    ['Unhandled errors', n(figures.unhandledErrors), '0'],
    ['Ledger vs charged: Serpstat credits, DataForSEO USD', `${n(figures.ledgerCreditsOff)}, $${figures.ledgerUsdOff.toFixed(5)}`, '0, $0.00000'],
    ['Provider requests / faults injected', `${n(figures.requests)} / ${n(figures.faults)}`, 'every 5th per provider'],
    ['DataForSEO failures billed, then retried (in the ledger above)', n(figures.billedFailures), 'some'],
    ['Service-worker stops mid-"Load all"', n(figures.workerStops), String(WORKER_STOPS)],
    ['"Both (merge)" lookups completed', `${n(figures.mergedCompleted)} of ${n(figures.mergedRuns)}`, 'all'],
    ['"Both (merge)": domains expected / shown', `${n(figures.mergedExpected)} / ${n(figures.mergedShown)}`, 'equal'],
    [
      '"Both (merge)": domains lost, extra, duplicate',
      `${n(figures.mergedLost)}, ${n(figures.mergedExtra)}, ${n(figures.mergedDuplicates)}`,
      '0, 0, 0',
    ],
    ['"Both (merge)": provider pages asked more than once', n(figures.mergedPagesAskedTwice), '0'],
    ['"Both (merge)": provider requests / faults injected', `${n(figures.mergedRequests)} / ${n(figures.mergedFaults)}`, 'some faults'],
    [
      `Follow mode, ${FOLLOW_REDIRECTS} redirects before the tab stays: runs completed`,
      `${n(figures.followCompleted)} of ${n(figures.followRuns)}`,
      'all',
    ],
    ['Follow mode: requests for sites the tab only passed through', n(figures.followStrayRequests), '0'],
    ['Duration', `${figures.minutes.toFixed(1)} min`, ''],
  ];
}

function textTable(lines: [string, string, string][]): string {
  const rows: [string, string, string][] = [['Figure', 'Value', 'Target'], ...lines];
  const widths = [0, 1, 2].map((column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()).join('\n');
}

function markdownTable(lines: [string, string, string][]): string {
  return ['| Figure | Value | Target |', '| --- | --- | --- |', ...lines.map((row) => `| ${row.join(' | ')} |`)].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { lookups: { type: 'string' }, build: { type: 'boolean', default: true } },
    allowNegative: true,
  });
  const count = values.lookups === undefined ? LOOKUPS : Number(values.lookups);
  if (!Number.isInteger(count) || count < 1) throw new Error(`--lookups needs a whole number ≥ 1, not ${values.lookups}`);
  if (values.build) buildForSim();
  const machine = describeMachine();
  const started = Date.now();

  const sim = await startSimulator({ port: SIM_PORT, serpstatCredits: START_CREDITS, dataforseoBalanceUsd: START_BALANCE_USD });
  const extension = await launchExtensionBrowser({ headless: true });
  const errors: string[] = [];
  extension.context.on('weberror', (error) => errors.push(`page: ${String(error.error())}`));
  extension.context.on('console', (message) => void (message.type() === 'error' && errors.push(`console: ${message.text()}`)));
  extension.serviceWorker.on('console', (message) => void (message.type() === 'error' && errors.push(`worker console: ${message.text()}`)));
  const results: LookupResult[] = [];
  const merges: MergedResult[] = [];
  const follows: FollowResult[] = [];
  let ledger = { credits: 0, usd: 0 };
  try {
    await saveSerpstatKey(extension, SIM_SERPSTAT_TOKEN);
    await saveDataForSeoKey(extension);
    sim.reset();
    for (const provider of ['serpstat', 'dataforseo'] as const) sim.injectFault({ provider, fault: faults[provider], everyNth: FAULT_EVERY });
    const lookups = planLookups(count);
    for (const lookup of lookups) sim.setDatasetSize(lookup.domain, 'refDomains', lookup.rows);
    for (const lookup of lookups) {
      const result = await runLookup(extension, lookup);
      results.push(result);
      const mark = result.completed && result.lost === 0 && result.duplicates === 0 ? '✓' : '✗';
      console.log(
        `${mark} ${String(lookup.index + 1).padStart(3)} ${lookup.provider.padEnd(10)} ${lookup.domain.padEnd(20)} ${result.delivered}/${result.expected} rows${lookup.stopWorker ? ' · worker stopped' : ''}${result.problem ? ` · ${result.problem}` : ''}`,
      );
    }
    for (let index = 0; index < mergedRunsFor(count); index++) {
      const merged = await runMerged(extension, sim, index);
      merges.push(merged);
      const mark = merged.completed && merged.lost + merged.extra + merged.duplicates + merged.pagesAskedTwice === 0 ? '✓' : '✗';
      console.log(
        `${mark} merge ${index + 1} ${merged.shown}/${merged.expected} domains · ${merged.pagesAskedTwice} pages asked twice · ${merged.faults} faults${merged.problem ? ` · ${merged.problem}` : ''}`,
      );
    }
    for (let index = 0; index < followRunsFor(count); index++) {
      const follow = await runFollow(extension, sim, index);
      follows.push(follow);
      const mark = follow.completed && follow.strayRequests === 0 ? '✓' : '✗';
      console.log(`${mark} follow ${index + 1} through ${FOLLOW_REDIRECTS} redirects · ${follow.strayRequests} requests for passed sites${follow.problem ? ` · ${follow.problem}` : ''}`);
    }
    const entries = await ledgerEntries(await extension.liveServiceWorker());
    const paid = entries.filter((entry) => entry.kind === 'paid');
    ledger = {
      credits: paid.filter((entry) => entry.provider === 'serpstat').reduce((sum, entry) => sum + entry.credits, 0),
      usd: paid.filter((entry) => entry.provider === 'dataforseo').reduce((sum, entry) => sum + entry.usd, 0),
    };
  } finally {
    await extension.close();
    await sim.close();
  }

  const sum = (pick: (result: LookupResult) => number) => results.reduce((total, result) => total + pick(result), 0);
  const mergedSum = (pick: (result: MergedResult) => number) => merges.reduce((total, result) => total + pick(result), 0);
  const figures: Figures = {
    lookups: count,
    completed: results.filter((result) => result.completed).length,
    rowsExpected: sum((result) => result.expected),
    rowsDelivered: sum((result) => result.delivered),
    lost: sum((result) => result.lost),
    duplicates: sum((result) => result.duplicates),
    chargedTwice: chargedTwice(sim),
    unhandledErrors: errors.length,
    requests: sim.log.length,
    faults: sim.log.filter((entry) => entry.outcome === 'fault').length,
    billedFailures: sim.log.filter((entry) => entry.outcome === 'fault' && entry.charged > 0).length,
    workerStops: results.filter((result) => result.lookup.stopWorker).length,
    mergedRuns: merges.length,
    mergedCompleted: merges.filter((merged) => merged.completed).length,
    mergedExpected: mergedSum((merged) => merged.expected),
    mergedShown: mergedSum((merged) => merged.shown),
    mergedLost: mergedSum((merged) => merged.lost),
    mergedExtra: mergedSum((merged) => merged.extra),
    mergedDuplicates: mergedSum((merged) => merged.duplicates),
    mergedPagesAskedTwice: mergedSum((merged) => merged.pagesAskedTwice),
    mergedRequests: mergedSum((merged) => merged.requests),
    mergedFaults: mergedSum((merged) => merged.faults),
    followRuns: follows.length,
    followCompleted: follows.filter((follow) => follow.completed).length,
    followStrayRequests: follows.reduce((total, follow) => total + follow.strayRequests, 0),
    ledgerCreditsOff: Math.abs(ledger.credits - (START_CREDITS - sim.creditsLeft())),
    ledgerUsdOff: Math.abs(Math.round((ledger.usd - (START_BALANCE_USD - sim.balanceUsd())) * 1e5) / 1e5),
    minutes: (Date.now() - started) / 60_000,
  };
  const lines = figureLines(figures);
  console.log(`\n${machineLine(machine)}\n\n${textTable(lines)}`);
  for (const error of errors) console.log(`unhandled: ${error}`);
  if (count !== LOOKUPS) return;
  const date = new Date().toISOString().slice(0, 10);
  const block = `Measured ${date} on ${machineLine(machine)}.\n\n${markdownTable(lines)}`;
  const document = existsSync(DOCS_FILE) ? readFileSync(DOCS_FILE, 'utf8') : '# Reliability\n';
  writeFileSync(DOCS_FILE, replaceResults(document, block, RESULTS));
  console.log(`\nWrote ${path.relative(projectRoot, DOCS_FILE)}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
