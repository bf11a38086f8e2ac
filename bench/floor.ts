/**
 * The floor no extension can beat: the same provider requests the extension sends, made
 * straight from Node to the simulator, each answer read and parsed as JSON. The requests come
 * from the extension's own adapter (captured, not sent), so the floor asks for the same pages.
 */
import { Worker } from 'node:worker_threads';
import { adapters } from '../lib/background/providers';
import type { Credentials } from '../lib/shared/protocol';
import type { TableQuery } from '../lib/shared/reports';
import { isSummaryQuery, type SummaryQuery } from '../lib/shared/summary';

export interface ProviderRequest {
  url: string;
  init: RequestInit;
}

/** The HTTP request the adapter sends for one page (or a summary), captured instead of sent. */
export async function providerRequest(query: TableQuery | SummaryQuery, page: number, credentials: Credentials, baseUrl: string): Promise<ProviderRequest> {
  let captured: ProviderRequest | null = null;
  const capture = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    // The adapter's own abort signal belongs to its request, not to the replays.
    const { signal: _signal, ...replayable } = init ?? {};
    captured = { url: String(input), init: replayable };
    throw new Error('captured, not sent');
  };
  const ctx = { baseUrl, credentials, signal: new AbortController().signal, fetch: capture, timeoutMs: 60_000 };
  const adapter = adapters[query.provider];
  await (isSummaryQuery(query) ? adapter.fetchSummary(query, ctx) : adapter.fetchPage(query, page, ctx));
  if (!captured) throw new Error(`The ${query.provider} adapter sent no request for page ${page}`);
  return captured;
}

/** Sends a request and reads its answer as JSON; throws unless the status is 2xx. */
async function exchange(request: ProviderRequest): Promise<void> {
  const response = await fetch(request.url, request.init);
  const body: unknown = await response.json();
  if (!response.ok) throw new Error(`Floor request to ${request.url} answered ${response.status}: ${JSON.stringify(body).slice(0, 200)}`);
}

/** Milliseconds for one request's round trip. */
export async function roundTrip(request: ProviderRequest): Promise<number> {
  const start = performance.now();
  await exchange(request);
  return performance.now() - start;
}

export interface PagesTiming {
  /** Until the answer to the first request in the list arrived. */
  firstMs: number;
  /** Until the last answer arrived. */
  allMs: number;
}

/**
 * The floor's loop, run in a thread of its own: in the benchmark's thread, the simulator would
 * build each answer on the same event loop that parses the previous one, so a floor with several
 * requests in flight would wait on the simulator in a way the extension (another process) never does.
 * Plain JavaScript, so the thread needs no TypeScript loader.
 */
const fetchAllThread = `
const { parentPort, workerData } = require('node:worker_threads');
const { requests, concurrency } = workerData;
(async () => {
  // Node's fetch loads its HTTP client on first use (about 30 ms on these machines): warmed up
  // first, with one connection to the simulator open, as the extension's worker is when Load all
  // starts (it has just asked for page 1). A path the simulator answers at once with a 404.
  await fetch(new URL('/floor-warm-up', requests[0].url)).then((response) => response.arrayBuffer());
  const start = performance.now();
  let firstMs = Number.NaN;
  let next = 0;
  const worker = async () => {
    while (next < requests.length) {
      const index = next++;
      const request = requests[index];
      // A connection that failed is tried once more, as the extension retries network errors.
      const response = await fetch(request.url, request.init).catch(() => fetch(request.url, request.init));
      const body = await response.json();
      if (!response.ok) throw new Error('Floor request to ' + request.url + ' answered ' + response.status + ': ' + JSON.stringify(body).slice(0, 200));
      if (index === 0) firstMs = performance.now() - start;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, requests.length) }, worker));
  parentPort.postMessage({ firstMs, allMs: performance.now() - start });
})().catch((error) => parentPort.postMessage({ error: String(error && error.message ? error.message : error) + (error && error.cause ? ' (' + String(error.cause.message || error.cause) + ')' : '') }));
`;

/**
 * Sends `requests` in order with at most `concurrency` in flight (a new one starts as soon as one
 * ends), each answer read and parsed as JSON, from a worker thread; times taken there.
 */
export function fetchAll(requests: readonly ProviderRequest[], concurrency: number): Promise<PagesTiming> {
  return new Promise((resolve, reject) => {
    const thread = new Worker(fetchAllThread, { eval: true, workerData: { requests, concurrency } });
    thread.once('message', (answer: PagesTiming | { error: string }) => {
      void thread.terminate();
      if ('error' in answer) reject(new Error(answer.error));
      else resolve(answer);
    });
    thread.once('error', reject);
  });
}
