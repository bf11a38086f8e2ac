import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cpuByPart } from '../../../bench/cpu';
import { fetchAll, providerRequest } from '../../../bench/floor';
import { atMost, formatValue, markdownTable, replaceResults, RESULTS_END, RESULTS_START, textTable, type Figure } from '../../../bench/report';
import { htmlAssets, pageSize, scriptSize, staticImports } from '../../../bench/sizes';
import { spread } from '../../../bench/stats';
import type { TableQuery } from '../../../lib/shared/reports';
import { SIM_DATAFORSEO_LOGIN, SIM_DATAFORSEO_PASSWORD } from '../../sim/constants';
import { startSimulator, type Simulator } from '../../sim/server';

/** The benchmark's pure helpers (bench/): statistics, the result table, bundle sizes, the floor's requests. */

describe('cpuByPart', () => {
  const meta = (pid: number, tid: number | null, name: string) =>
    tid === null ? { ph: 'M', name: 'process_name', pid, tid: 0, ts: 0, args: { name } } : { ph: 'M', name: 'thread_name', pid, tid, ts: 0, args: { name } };
  const task = (pid: number, tid: number, ts: number, dur: number, tdur?: number) => ({ ph: 'X', name: 'RunTask', pid, tid, ts, dur, ...(tdur === undefined ? {} : { tdur }) });

  it('counts each thread’s outermost tasks by their thread time, in the part of the browser the thread belongs to', () => {
    const cpu = cpuByPart([
      meta(1, null, 'Browser'),
      meta(1, 1, 'CrBrowserMain'),
      meta(2, null, 'Extension Renderer'),
      meta(2, 20, 'ServiceWorker thread'),
      meta(2, 21, 'CrRendererMain'),
      meta(2, 22, 'Compositor'),
      meta(3, null, 'Service: network.mojom.NetworkService'),
      meta(3, 30, 'Chrome_ChildIOThread'),
      meta(4, null, 'GPU Process'),
      meta(4, 40, 'VizCompositorThread'),
      // A task that waited for a core (dur 9 ms) counts what it ran (tdur 3 ms); the task nested in it is inside that.
      task(2, 20, 1000, 9000, 3000),
      task(2, 20, 2000, 1000, 800),
      task(2, 20, 20_000, 500, 500),
      task(2, 21, 1000, 2000, 2000),
      task(2, 22, 1000, 700, 700),
      task(1, 1, 1000, 400, 400),
      task(3, 30, 1000, 250, 250),
      task(4, 40, 1000, 100, 100),
      // A task without thread time (some threads have none) counts nothing rather than its wall time.
      task(2, 21, 50_000, 5000),
    ]);
    expect(cpu).toEqual({ worker: 3.5, panel: 2, extensionHelpers: 0.7, browser: 0.4, network: 0.25, other: 0.1 });
  });
});

describe('spread', () => {
  it('takes the middle sample of an odd count and the mean of the middle two of an even count', () => {
    expect(spread([30, 10, 20])).toEqual({ median: 20, min: 10, max: 30, runs: 3 });
    expect(spread([4, 1, 3, 2])).toEqual({ median: 2.5, min: 1, max: 4, runs: 4 });
    expect(spread([7])).toEqual({ median: 7, min: 7, max: 7, runs: 1 });
  });

  it('refuses no samples and samples that are not numbers', () => {
    expect(() => spread([])).toThrow(/at least one/);
    expect(() => spread([1, Number.NaN])).toThrow(/not a number/);
  });
});

describe('result table', () => {
  const figures: Figure[] = [
    {
      id: 'popup.warm@0ms',
      label: 'Popup warm',
      latencyMs: 0,
      unit: 'ms',
      value: spread([120, 100, 140]),
      target: atMost(120, 150, '≤ 150 ms'),
    },
    { id: 'size.popup.js.gzip', label: 'Popup JS | gzipped', unit: 'KB', value: spread([130.04]), target: atMost(130.04, 120, '≤ 120 KB') },
  ];

  it('says whether the median meets its target', () => {
    expect(atMost(150, 150, '').met).toBe(true);
    expect(atMost(150.1, 150, '').met).toBe(false);
  });

  it('formats each unit', () => {
    expect(formatValue(3.456, 'ms')).toBe('3.5 ms');
    expect(formatValue(1234.4, 'ms')).toBe('1,234 ms');
    expect(formatValue(120.04, 'KB')).toBe('120.0 KB');
    expect(formatValue(2.6, 'tasks')).toBe('3');
    expect(formatValue(1.148, 'ratio')).toBe('1.15 ×');
  });

  it('prints aligned columns with the target and whether it is met beside each figure', () => {
    const lines = textTable(figures).split('\n');
    expect(lines[0]).toMatch(/^Figure\s+Latency\s+Median\s+Min – max\s+Runs\s+Target\s+Met$/);
    expect(lines[2]).toMatch(/^Popup warm\s+0 ms\s+120 ms\s+100 ms – 140 ms\s+3\s+≤ 150 ms\s+yes$/);
    // A single measurement has no range.
    expect(lines[3]).toMatch(/^Popup JS \| gzipped\s+130\.0 KB\s+1\s+≤ 120 KB\s+NO$/);
    const columnOf = (line: string, text: string) => line.indexOf(text);
    expect(columnOf(lines[2]!, '≤ 150 ms')).toBe(columnOf(lines[3]!, '≤ 120 KB'));
  });

  it('writes a Markdown table with pipes in cells escaped', () => {
    const lines = markdownTable(figures).split('\n');
    expect(lines[1]).toBe('| --- | --- | --- | --- | --- | --- | --- |');
    expect(lines[3]).toBe('| Popup JS \\| gzipped |  | 130.0 KB |  | 1 | ≤ 120 KB | NO |');
  });

  it('replaces only the text between the result markers, and appends them when missing', () => {
    const document = `# Benchmarks\n\nProse before.\n\n${RESULTS_START}\nold table\n${RESULTS_END}\n\nProse after.\n`;
    expect(replaceResults(document, 'new table')).toBe(
      `# Benchmarks\n\nProse before.\n\n${RESULTS_START}\nnew table\n${RESULTS_END}\n\nProse after.\n`,
    );
    expect(replaceResults('# Benchmarks\n', 'table')).toBe(`# Benchmarks\n\n${RESULTS_START}\ntable\n${RESULTS_END}\n`);
  });
});

describe('bundle sizes', () => {
  let outputDir: string;
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(outputDir, file)), { recursive: true });
    writeFileSync(path.join(outputDir, file), text);
  };
  const gzipped = (text: string) => gzipSync(Buffer.from(text)).length;

  beforeAll(() => {
    outputDir = mkdtempSync(path.join(tmpdir(), 'bench-sizes-'));
  });
  afterAll(() => rmSync(outputDir, { recursive: true, force: true }));

  it('finds static imports and re-exports in minified code, never dynamic imports', () => {
    const code = 'import{a as b}from"./shared-1.js";import"./side.js";export*from"../up.js";const l=()=>import("./lazy.js");';
    expect(staticImports(code)).toEqual(['./shared-1.js', './side.js', '../up.js']);
  });

  it('reads the scripts and stylesheets of a page, skipping other links and outside URLs', () => {
    const html = `<script type="module" crossorigin src="/chunks/popup.js"></script>
      <link rel="modulepreload" href="/chunks/shared.js"><link rel="stylesheet" href="/assets/popup.css">
      <script src="https://example.com/x.js"></script>`;
    expect(htmlAssets(html)).toEqual({ scripts: ['chunks/popup.js'], styles: ['assets/popup.css'], inlineStyles: [] });
  });

  it('counts a page’s entry, its static imports once each, and its CSS, raw and gzipped', () => {
    const entry = 'import{a}from"./shared.js";import{b}from"./util.js";const l=()=>import("./lazy.js");';
    const shared = 'import{b}from"./util.js";export const a=1;';
    const util = 'export const b=2;';
    write('page.html', '<script type="module" src="/chunks/page.js"></script><link rel="stylesheet" href="/assets/page.css">');
    write('chunks/page.js', entry);
    write('chunks/shared.js', shared);
    write('chunks/util.js', util);
    write('chunks/lazy.js', 'export const never=0;'.repeat(100));
    write('assets/page.css', 'body{margin:0}');

    const size = pageSize(outputDir, 'page.html');
    expect(size.js.files.map((f) => f.file).sort()).toEqual(['chunks/page.js', 'chunks/shared.js', 'chunks/util.js']);
    expect(size.js.raw).toBe(entry.length + shared.length + util.length);
    expect(size.js.gzip).toBe(gzipped(entry) + gzipped(shared) + gzipped(util));
    expect(size.css).toMatchObject({ raw: 'body{margin:0}'.length, gzip: gzipped('body{margin:0}') });
  });

  it('counts a stylesheet put into the page as the page’s CSS', () => {
    write('inline.html', '<script type="module" src="/chunks/util.js"></script><style>body{margin:0}</style>');
    write('chunks/util.js', 'export const b=2;');
    expect(pageSize(outputDir, 'inline.html').css).toMatchObject({ raw: 'body{margin:0}'.length, gzip: gzipped('body{margin:0}'), files: [{ file: 'inline.html <style> 1' }] });
  });

  it('says to build first when the background script is missing', () => {
    expect(() => scriptSize(outputDir, 'background.js')).toThrow(/build the extension first/);
  });
});

describe('floor requests', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
  });
  afterAll(() => sim.close());
  afterEach(() => sim.reset());

  const query: TableQuery = {
    provider: 'dataforseo',
    report: 'refDomains',
    target: 'floor-example.com',
    scope: 'domain_with_subdomains',
    filters: [],
    pageSize: 100,
  };
  const credentials = { provider: 'dataforseo', login: SIM_DATAFORSEO_LOGIN, password: SIM_DATAFORSEO_PASSWORD } as const;

  it('captures the request the extension’s adapter would send, without sending it', async () => {
    const request = await providerRequest(query, 3, credentials, sim.dataforseoUrl);
    expect(request.url).toBe(`${sim.dataforseoUrl}/v3/backlinks/referring_domains/live`);
    expect(JSON.parse(String(request.init.body))).toEqual([expect.objectContaining({ target: 'floor-example.com', limit: 100, offset: 200 })]);
    expect(request.init.signal).toBeUndefined();
    expect(sim.log).toEqual([]);
  });

  it('sends every page once and reads every answer', async () => {
    sim.setDatasetSize('floor-example.com', 'refDomains', 1000);
    const requests = await Promise.all([1, 2, 3, 4, 5, 6, 7].map((page) => providerRequest(query, page, credentials, sim.dataforseoUrl)));
    const timing = await fetchAll(requests, 3);
    const offsets = sim.log.map((entry) => (entry.params as { offset: number }).offset);
    expect(offsets.sort((a, b) => a - b)).toEqual([0, 100, 200, 300, 400, 500, 600]);
    expect(sim.log.every((entry) => entry.status === 200)).toBe(true);
    expect(timing.firstMs).toBeLessThanOrEqual(timing.allMs);
  });

  it('fails when the provider refuses a request, rather than timing an error', async () => {
    const wrongKey = { ...credentials, password: 'not-the-password' };
    const request = await providerRequest(query, 1, wrongKey, sim.dataforseoUrl);
    await expect(fetchAll([request], 1)).rejects.toThrow(/answered 401/);
  });
});
