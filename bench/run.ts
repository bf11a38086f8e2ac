/**
 * `npm run bench`: builds the extension for the simulator, then measures what a user feels
 * against the floor no extension can beat, at 0 ms and 100 ms of simulator latency per
 * request. Prints each figure beside its target and writes bench/results.json and the table
 * in docs/benchmarks.md. Options: `--runs N` (default 5), `--quick` (1 run, for development),
 * `--no-build` (measure the build already in .output/chrome-mv3).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Page } from '@playwright/test';
import { defaultBudget } from '../lib/budget';
import type { Credentials } from '../lib/providers/types';
import type { TableQuery } from '../lib/reports';
import { buildForSim } from '../scripts/build-for-sim';
import { EXTENSION_DIR, launchExtensionBrowser } from '../tests/e2e/extension-browser';
import { saveDataForSeoKey, setLocalStorage } from '../tests/e2e/panel-helpers';
import type { ExtensionBrowser } from '../tests/e2e/extension-browser';
import { SIM_DATAFORSEO_LOGIN, SIM_DATAFORSEO_PASSWORD, SIM_PORT } from '../tests/sim/constants';
import { startSimulator, type Simulator } from '../tests/sim/server';
import { providerRequest, roundTrip } from './floor';
import { describeMachine, machineLine, type Machine } from './machine';
import { createPopupTimer, popupRun } from './popup';
import { atMost, KB, markdownTable, replaceResults, textTable, type Figure } from './report';
import { pageSize, scriptSize, type SurfaceSize } from './sizes';
import { spread } from './stats';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));
const RESULTS_FILE = path.join(projectRoot, 'bench', 'results.json');
const DOCS_FILE = path.join(projectRoot, 'docs', 'benchmarks.md');
const LATENCIES_MS = [0, 100];
const POPUP_WARM_TARGET_MS = 150;
const POPUP_COLD_OVER_FLOOR_MS = 150;
const POPUP_JS_GZIP_TARGET_KB = 120;
/** Enough that no run stops for money (a 100,000-row load costs about $5). */
const SIM_BALANCE_USD = 1_000_000;

const dataforseo: Credentials = { provider: 'dataforseo', login: SIM_DATAFORSEO_LOGIN, password: SIM_DATAFORSEO_PASSWORD };

interface Options {
  runs: number;
  build: boolean;
}

function readOptions(): Options {
  const { values } = parseArgs({
    options: { runs: { type: 'string' }, quick: { type: 'boolean', default: false }, build: { type: 'boolean', default: true } },
    allowNegative: true,
  });
  const runs = values.runs === undefined ? (values.quick ? 1 : 5) : Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs needs a whole number ≥ 1, not ${values.runs}`);
  return { runs, build: values.build };
}

function sizeFigures(outputDir: string): { figures: Figure[]; surfaces: Record<string, SurfaceSize> } {
  const surfaces = {
    popup: pageSize(outputDir, 'popup.html'),
    sidepanel: pageSize(outputDir, 'sidepanel.html'),
    background: scriptSize(outputDir, 'background.js'),
  };
  const names = { popup: 'Popup', sidepanel: 'Side panel', background: 'Background' } as const;
  const figures: Figure[] = [];
  for (const [surface, size] of Object.entries(surfaces) as [keyof typeof surfaces, SurfaceSize][]) {
    for (const kind of ['js', 'css'] as const) {
      if (size[kind].files.length === 0) continue;
      for (const encoding of ['raw', 'gzip'] as const) {
        const kb = size[kind][encoding] / KB;
        const isPopupJsGzip = surface === 'popup' && kind === 'js' && encoding === 'gzip';
        figures.push({
          id: `size.${surface}.${kind}.${encoding}`,
          label: `${names[surface]} ${kind.toUpperCase()}, ${encoding === 'raw' ? 'raw' : 'gzipped'}`,
          unit: 'KB',
          value: spread([kb]),
          target: isPopupJsGzip ? atMost(kb, POPUP_JS_GZIP_TARGET_KB, `≤ ${POPUP_JS_GZIP_TARGET_KB} KB`) : undefined,
        });
      }
    }
  }
  return { figures, surfaces };
}

/** The extension as a user of DataForSEO has it: key saved, DataForSEO the default, pages of 1,000. */
async function prepareExtension(extension: ExtensionBrowser): Promise<void> {
  await saveDataForSeoKey(extension);
  await setLocalStorage(extension, {
    preferences: { provider: 'dataforseo', scope: 'domain_with_subdomains', pageSize: 1000, serpstatRequestsPerSecond: 10 },
    budget: defaultBudget,
  });
}

async function popupFigures(extension: ExtensionBrowser, sim: Simulator, runs: number): Promise<Figure[]> {
  const timer = await createPopupTimer(extension);
  const tab: Page = await extension.context.newPage();
  const figures: Figure[] = [];
  try {
    for (const latencyMs of LATENCIES_MS) {
      sim.setLatency(latencyMs);
      const samples = [];
      // Run 0 warms the browser up (first popup, first lookup) and is not counted.
      for (let run = 0; run <= runs; run++) {
        const domain = `bench-popup-${latencyMs}ms-${run}.com`;
        sim.setDatasetSize(domain, 'refDomains', 1000);
        const query: TableQuery = {
          provider: 'dataforseo',
          report: 'refDomains',
          target: domain,
          scope: 'domain_with_subdomains',
          sort: { field: 'rank', order: 'desc' },
          filters: [],
          pageSize: 10,
        };
        const request = await providerRequest(query, 1, dataforseo, sim.dataforseoUrl);
        const sample = await popupRun(timer, tab, domain, () => roundTrip(request));
        if (run > 0) samples.push(sample);
        process.stdout.write('.');
      }
      const floor = spread(samples.map((sample) => sample.floorMs));
      const cold = spread(samples.map((sample) => sample.coldMs));
      const warm = spread(samples.map((sample) => sample.warmMs));
      const coldLimit = floor.median + POPUP_COLD_OVER_FLOOR_MS;
      figures.push(
        { id: `popup.floor@${latencyMs}ms`, label: 'Popup floor (1 request from Node)', latencyMs, unit: 'ms', value: floor },
        {
          id: `popup.cold@${latencyMs}ms`,
          label: 'Popup cold (not cached)',
          latencyMs,
          unit: 'ms',
          value: cold,
          target: atMost(cold.median, coldLimit, `≤ floor + ${POPUP_COLD_OVER_FLOOR_MS} ms = ${Math.round(coldLimit)} ms`),
        },
        {
          id: `popup.warm@${latencyMs}ms`,
          label: 'Popup warm (cached)',
          latencyMs,
          unit: 'ms',
          value: warm,
          target: atMost(warm.median, POPUP_WARM_TARGET_MS, `≤ ${POPUP_WARM_TARGET_MS} ms`),
        },
      );
    }
  } finally {
    process.stdout.write('\n');
    timer.close();
    await tab.close();
  }
  return figures;
}

function writeResults(figures: Figure[], machine: Machine, options: Options, sizes: Record<string, SurfaceSize>): void {
  const date = new Date().toISOString();
  writeFileSync(RESULTS_FILE, `${JSON.stringify({ date, machine, runs: options.runs, latenciesMs: LATENCIES_MS, figures, sizes }, null, 2)}\n`);
  const results = [
    `Measured ${date.slice(0, 10)} on ${machineLine(machine)}.`,
    `Median of ${options.runs} run${options.runs === 1 ? '' : 's'} (min – max beside it); sizes: 1 KB = 1,024 bytes, gzip at the default level.`,
    '',
    markdownTable(figures),
  ].join('\n');
  const document = existsSync(DOCS_FILE) ? readFileSync(DOCS_FILE, 'utf8') : '# Benchmarks\n';
  writeFileSync(DOCS_FILE, replaceResults(document, results));
}

async function main(): Promise<void> {
  const options = readOptions();
  if (options.build) buildForSim();
  const machine = describeMachine();
  const sizes = sizeFigures(EXTENSION_DIR);

  const sim = await startSimulator({ port: SIM_PORT, dataforseoBalanceUsd: SIM_BALANCE_USD });
  const extension = await launchExtensionBrowser({ headless: true });
  const figures: Figure[] = [];
  try {
    await prepareExtension(extension);
    console.log(`Popup, ${options.runs} run(s) per latency`);
    figures.push(...(await popupFigures(extension, sim, options.runs)));
  } finally {
    await extension.close();
    await sim.close();
  }

  figures.push(...sizes.figures);
  console.log(`\n${machineLine(machine)}\n`);
  console.log(textTable(figures));
  writeResults(figures, machine, options, sizes.surfaces);
  console.log(`\nWrote ${path.relative(projectRoot, RESULTS_FILE)} and ${path.relative(projectRoot, DOCS_FILE)}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
