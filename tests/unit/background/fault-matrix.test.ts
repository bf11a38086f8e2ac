/**
 * The fault and bad-input matrix (issue 7), through the real background path: the table port
 * server, paid fetch, page cache and ledger (fake IndexedDB), the provider client with its queue
 * and retries, the real adapters, and the simulator over loopback HTTP. Each fault hits page 2
 * after page 1 arrived; for each: the sentence the user reads, how often it was asked (retries
 * only where they can help), the ledger equal to what the simulator charged, no error cached,
 * and page 1 kept. Retry waits are recorded instead of slept, so nothing here is timed.
 */
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { serveTablePort } from '../../../lib/background/table-server';
import { createProviderClient } from '../../../lib/background/provider-client';
import { createRequestQueue, defaultRetry } from '../../../lib/background/queue';
import { defaultBudget } from '../../../lib/shared/budget';
import { createInflightShare } from '../../../lib/background/cache/inflight';
import { createPageCache } from '../../../lib/background/cache/page-cache';
import { pageCacheKey } from '../../../lib/background/cache/page-key';
import { createPaidFetch } from '../../../lib/background/cache/paid-fetch';
import { describeError } from '../../../lib/ui/error-text';
import type { ErrorCode, LensError } from '../../../lib/shared/errors';
import { createLedger } from '../../../lib/background/ledger';
import { TABLE_PORT, type TableServerMessage } from '../../../lib/shared/protocol';
import { adapters } from '../../../lib/background/providers';
import type { TableQuery } from '../../../lib/shared/reports';
import { dataforseoErrors, serpstatErrors } from '../../fixtures/provider-errors';
import { SIM_DATAFORSEO_LOGIN, SIM_DATAFORSEO_PASSWORD, SIM_SERPSTAT_TOKEN } from '../../sim/constants';
import { startSimulator, type Fault, type Simulator } from '../../sim/server';
import { roomyAllowance } from '../fake-allowance';
import type { ProviderId } from '../../../lib/shared/providers';
import { createPortPair } from '../port-pair';

const DOMAIN = 'fault-matrix.example.com';
const ROWS = 1_000;
const PAGE_SIZE = 100;
const START_CREDITS = 1_000_000;
const START_BALANCE_USD = 100;
/** Short, so a hanging request times out quickly. */
const HANG_TIMEOUT_MS = 250;
/** Every other answer is on loopback; this only has to outlast a busy machine. */
const TIMEOUT_MS = 10_000;
const secrets = [SIM_SERPSTAT_TOKEN, SIM_DATAFORSEO_PASSWORD, btoa(`${SIM_DATAFORSEO_LOGIN}:${SIM_DATAFORSEO_PASSWORD}`)];

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, serpstatCredits: START_CREDITS, dataforseoBalanceUsd: START_BALANCE_USD });
});
afterAll(() => sim.close());
beforeEach(() => {
  sim.reset();
  sim.setDatasetSize(DOMAIN, 'refDomains', ROWS);
});

let instance = 0;
/** One worker's background: fresh queues, cache and ledger, as createBackgroundServices wires them. */
function background(timeoutMs = TIMEOUT_MS) {
  instance += 1;
  const waits: number[] = [];
  const client = createProviderClient({
    adapters,
    getCredentials: async (provider) =>
      provider === 'serpstat'
        ? { provider, token: SIM_SERPSTAT_TOKEN }
        : { provider, login: SIM_DATAFORSEO_LOGIN, password: SIM_DATAFORSEO_PASSWORD },
    baseUrls: { serpstat: sim.serpstatUrl, dataforseo: sim.dataforseoUrl },
    fetch: (input, init) => fetch(input, init),
    queues: {
      serpstat: createRequestQueue({ minIntervalMs: 0, maxConcurrent: 1 }),
      dataforseo: createRequestQueue({ minIntervalMs: 0, maxConcurrent: 30 }),
    },
    timeoutMs,
    retry: { ...defaultRetry, random: () => 0, sleep: async (ms) => void waits.push(ms) },
  });
  const ledger = createLedger({ dbName: `fault-ledger-${instance}` });
  const cache = createPageCache({ dbName: `fault-cache-${instance}`, ttlMs: () => 1e12, maxBytes: () => 1e9 });
  const fetchPage = createPaidFetch({ cache, ledger, inflight: createInflightShare(), budget: async () => defaultBudget, fetchPage: client.fetchPage });
  const { client: port, server } = createPortPair(TABLE_PORT);
  // One page at a time: each fault lands on the page it is meant for (pages asked ahead are
  // covered in table-stream.test.ts).
  serveTablePort(server, { fetchPage, allowance: roomyAllowance(), pagesAtOnce: () => 1 });

  let requestId = 0;
  /** Asks the table port for a range of pages, as the side panel does, and collects the answers until done or error. */
  const stream = (query: TableQuery, fromPage: number, toPage: number) =>
    new Promise<TableServerMessage[]>((resolve) => {
      const id = ++requestId;
      const messages: TableServerMessage[] = [];
      const listener = (raw: unknown) => {
        const message = raw as TableServerMessage;
        if (message.requestId !== id) return;
        messages.push(message);
        if (message.type !== 'page') {
          port.onMessage.removeListener(listener);
          resolve(messages);
        }
      };
      port.onMessage.addListener(listener);
      port.postMessage({ type: 'fetch', requestId: id, query, fromPage, toPage });
    });

  return { stream, ledger, cache, waits };
}

const query = (provider: ProviderId, pageSize = PAGE_SIZE): TableQuery => ({
  provider,
  report: 'refDomains',
  target: DOMAIN,
  scope: 'domain_with_subdomains',
  sort: { field: 'rank', order: 'desc' },
  filters: [],
  pageSize,
});

/** What the simulator took from the account, to compare with what the ledger says was paid. */
const charged = (provider: ProviderId) =>
  provider === 'serpstat' ? START_CREDITS - sim.creditsLeft() : Math.round((START_BALANCE_USD - sim.balanceUsd()) * 1e6) / 1e6;
async function expectLedgerExact(ledger: ReturnType<typeof background>['ledger'], provider: ProviderId) {
  const spent = await ledger.spentToday(provider);
  if (provider === 'serpstat') expect(spent.credits).toBe(charged(provider));
  else expect(spent.usd).toBeCloseTo(charged(provider), 9);
}
const pageRequests = (page: number) =>
  sim.log.filter((entry) => {
    const params = entry.params as { page?: number; offset?: number } | null;
    return params?.page === page || params?.offset === (page - 1) * PAGE_SIZE;
  }).length;

const name: Record<ProviderId, string> = { serpstat: 'Serpstat', dataforseo: 'DataForSEO' };
/** The title the user reads for each code (lib/ui/error-text.ts), with the provider's words where it quotes them. */
function expectedTitle(code: ErrorCode, provider: ProviderId, providerMessage: string): string {
  const p = name[provider];
  const said = `(${p} said: “${providerMessage}”)`;
  const titles: Partial<Record<ErrorCode, string>> = {
    bad_key: `${p} rejected your ${provider === 'serpstat' ? 'API token' : 'login or API password'}.`,
    no_credits: provider === 'serpstat' ? 'Your Serpstat account has no API credits left for this.' : 'Your DataForSEO balance is too low for this.',
    not_in_plan: `Your ${p} plan does not include this report.`,
    account_blocked: `${p} refused the request for your account ${said}.`,
    rate_limited: `${p} is limiting how fast requests can be made.`,
    large_domain: `${p} does not serve this report for very large domains.`,
    not_supported: `${p} does not support this method.`,
    bad_filter: `${p} did not accept a filter ${said}.`,
    bad_request: `${p} did not accept the request ${said}.`,
    server_error: `${p} had a problem on its side.`,
    network: `Could not reach ${p}.`,
    timeout: `${p} took too long to answer.`,
    malformed: `${p} sent an unreadable answer.`,
  };
  return titles[code]!;
}

interface FaultCase {
  name: string;
  provider: ProviderId;
  fault: Fault;
  code: ErrorCode;
  /** Retried up to defaultRetry.maxTries; otherwise asked once. */
  retries: boolean;
  /** The provider's own words the sentence quotes, when it quotes them. */
  providerMessage?: string;
  /** The next step, where it depends on the fault (Retry-After). */
  nextStep?: string;
  /** The waits between tries, where the provider set them. */
  waitsMs?: number[];
}

const transportFaults = (provider: ProviderId): FaultCase[] => [
  { name: 'HTTP 429 with Retry-After', provider, fault: { kind: 'http', status: 429, retryAfter: 2 }, code: 'rate_limited', retries: true, nextStep: 'Wait 2 seconds and try again.', waitsMs: [2000, 2000, 2000] },
  { name: 'HTTP 429 without Retry-After', provider, fault: { kind: 'http', status: 429 }, code: 'rate_limited', retries: true, nextStep: 'Wait a minute and try again.', waitsMs: [500, 1000, 2000] },
  ...[500, 502, 503].map((status): FaultCase => ({ name: `HTTP ${status}`, provider, fault: { kind: 'http', status }, code: 'server_error', retries: true })),
  { name: 'a reset connection', provider, fault: { kind: 'reset' }, code: 'network', retries: true },
  { name: 'a hanging request', provider, fault: { kind: 'hang' }, code: 'timeout', retries: true },
  // Real APIs quote what they were sent ("Invalid token …"): the key must not reach the UI.
  { name: 'a rejected key quoted in the error', provider, fault: { kind: 'echo-key' }, code: 'bad_key', retries: false },
  // An answer that cannot be read may have been billed: asking again could pay twice.
  { name: 'truncated JSON', provider, fault: { kind: 'truncated' }, code: 'malformed', retries: false },
  { name: 'an HTML error page with status 200', provider, fault: { kind: 'html-200' }, code: 'malformed', retries: false },
  { name: 'an empty body', provider, fault: { kind: 'empty-body' }, code: 'malformed', retries: false },
];

/** One field of a normal answer broken, as a provider bug would send it; billed like the normal answer. */
const brokenFields: Record<ProviderId, { row: string; total: string }> = {
  serpstat: { row: 'result.data.3', total: 'result.summary_info.total' },
  dataforseo: { row: 'tasks.0.result.0.items.3', total: 'tasks.0.result.0.total_count' },
};
const brokenAnswers = (provider: ProviderId): FaultCase[] => {
  const { row, total } = brokenFields[provider];
  const numberField = provider === 'serpstat' ? 'ref_pages' : 'backlinks';
  const textField = provider === 'serpstat' ? 'domain_from' : 'domain';
  return [
    { name: 'a wrong type', provider, fault: { kind: 'mutate', changes: [{ path: `${row}.${numberField}`, value: '12' }] }, code: 'malformed', retries: false },
    { name: 'null where a number belongs', provider, fault: { kind: 'mutate', changes: [{ path: `${row}.${numberField}`, value: null }] }, code: 'malformed', retries: false },
    { name: 'a missing required field', provider, fault: { kind: 'mutate', changes: [{ path: `${row}.${textField}`, remove: true }] }, code: 'malformed', retries: false },
    { name: 'a missing total', provider, fault: { kind: 'mutate', changes: [{ path: total, remove: true }] }, code: 'malformed', retries: false },
  ];
};

const faultCases: FaultCase[] = [
  ...transportFaults('serpstat'),
  ...brokenAnswers('serpstat'),
  ...serpstatErrors
    .filter((fixture) => fixture.expected !== 'no_data')
    .map((fixture): FaultCase => ({
      name: `Serpstat error ${fixture.error.code} (${fixture.name})`,
      provider: 'serpstat',
      fault: { kind: 'serpstat-error', ...fixture.error },
      code: fixture.expected as ErrorCode,
      retries: fixture.retryable,
      providerMessage: fixture.error.message,
    })),
  ...transportFaults('dataforseo'),
  ...brokenAnswers('dataforseo'),
  ...dataforseoErrors.flatMap((fixture) =>
    (['top', 'task'] as const).map(
      (level): FaultCase => ({
        name: `DataForSEO status ${fixture.statusCode} at ${level} level`,
        provider: 'dataforseo',
        fault: { kind: 'dataforseo-status', statusCode: fixture.statusCode, statusMessage: fixture.statusMessage, level, http: level === 'top' ? fixture.http : 200 },
        code: fixture.expected,
        retries: fixture.retryable,
        providerMessage: fixture.statusMessage,
      }),
    ),
  ),
];

function expectNoSecret(value: unknown) {
  const text = JSON.stringify(value);
  for (const secret of secrets) expect(text).not.toContain(secret);
}

describe('the echo-key fault', () => {
  it.each(['serpstat', 'dataforseo'] as const)('%s: the simulator quotes the credential it was sent, so expectNoSecret has something to find', async (provider) => {
    sim.injectFault({ provider, fault: { kind: 'echo-key' } });
    const headers = { Authorization: `Basic ${btoa(`${SIM_DATAFORSEO_LOGIN}:${SIM_DATAFORSEO_PASSWORD}`)}`, 'Content-Type': 'application/json' };
    const response =
      provider === 'serpstat'
        ? await fetch(`${sim.serpstatUrl}?token=${SIM_SERPSTAT_TOKEN}`, { method: 'POST', body: JSON.stringify({ id: 1, method: 'SerpstatBacklinksProcedure.getRefDomains', params: { query: DOMAIN } }) })
        : await fetch(`${sim.dataforseoUrl}/v3/backlinks/referring_domains/live`, { method: 'POST', headers, body: JSON.stringify([{ target: DOMAIN }]) });
    const text = await response.text();
    const quoted = provider === 'serpstat' ? [SIM_SERPSTAT_TOKEN] : secrets.slice(1);
    for (const secret of quoted) expect(text).toContain(secret);
  });
});

describe('a fault on page 2, for both providers', () => {
  it.each(faultCases.map((c) => [`${c.provider}: ${c.name}`, c] as const))('%s', async (_name, c) => {
    const { stream, ledger, cache, waits } = background(c.fault.kind === 'hang' ? HANG_TIMEOUT_MS : TIMEOUT_MS);
    const tableQuery = query(c.provider);
    const [first] = await stream(tableQuery, 1, 1);
    expect(first).toMatchObject({ type: 'page', page: { page: 1, fromCache: false } });

    const tries = c.retries ? defaultRetry.maxTries : 1;
    sim.injectFault({ provider: c.provider, fault: c.fault, times: tries });
    const answers = await stream(tableQuery, 2, 4);

    // Page 2 fails with the sentence for its code, after the right number of tries, and stops the stream.
    expect(answers).toHaveLength(1);
    const [failure] = answers;
    if (failure?.type !== 'error') throw new Error(`expected an error, got ${JSON.stringify(failure).slice(0, 200)}`);
    const error: LensError = failure.error;
    expect(failure.page).toBe(2);
    expect(error).toMatchObject({ code: c.code, provider: c.provider });
    const text = describeError(error);
    expect(text.title).toBe(expectedTitle(c.code, c.provider, c.providerMessage ?? ''));
    if (c.nextStep) expect(text.nextStep).toBe(c.nextStep);
    expectNoSecret(failure);
    expect(pageRequests(2)).toBe(tries);
    expect(waits).toHaveLength(tries - 1);
    if (c.waitsMs) expect(waits).toEqual(c.waitsMs);
    expect(pageRequests(3)).toBe(0);

    // The ledger holds exactly what was charged, the error is not cached, page 1 is.
    await expectLedgerExact(ledger, c.provider);
    expect(await cache.get(pageCacheKey(tableQuery, 2))).toBeNull();
    expect(await cache.get(pageCacheKey(tableQuery, 1))).not.toBeNull();

    // Once the provider is well again, page 1 is free and page 2 is asked for anew.
    const again = await stream(tableQuery, 1, 2);
    expect(again.map((message) => message.type)).toEqual(['page', 'page', 'done']);
    expect(again[0]).toMatchObject({ type: 'page', page: { page: 1, fromCache: true, creditsSpent: 0, costUsd: 0 } });
    expect(again[1]).toMatchObject({ type: 'page', page: { page: 2, fromCache: false } });
    expect(pageRequests(1)).toBe(1);
    expect(pageRequests(2)).toBe(tries + 1);
    await expectLedgerExact(ledger, c.provider);
  });
});

describe('a fault that goes away', () => {
  const transient = faultCases.filter((c) => c.retries);
  it.each(transient.map((c) => [`${c.provider}: ${c.name}`, c] as const))('%s once: retried, the page arrives, paid once', async (_name, c) => {
    const { stream, ledger, waits } = background(c.fault.kind === 'hang' ? HANG_TIMEOUT_MS : TIMEOUT_MS);
    sim.injectFault({ provider: c.provider, fault: c.fault, times: 1 });
    const answers = await stream(query(c.provider), 1, 2);
    expect(answers.map((message) => message.type)).toEqual(['page', 'page', 'done']);
    expect(pageRequests(1)).toBe(2);
    expect(waits).toHaveLength(1);
    await expectLedgerExact(ledger, c.provider);
  });
});

describe('answers that are odd but usable', () => {
  it.each(['serpstat', 'dataforseo'] as const)('%s: extra unknown fields are ignored', async (provider) => {
    const { stream, ledger } = background();
    const { row } = brokenFields[provider];
    sim.injectFault({ provider, fault: { kind: 'mutate', changes: [{ path: `${row}.brand_new_metric`, value: { nested: [1, 2] } }] } });
    const answers = await stream(query(provider), 1, 1);
    expect(answers[0]).toMatchObject({ type: 'page', page: { page: 1 } });
    if (answers[0]?.type === 'page') expect(answers[0].page.rows).toHaveLength(PAGE_SIZE);
    await expectLedgerExact(ledger, provider);
  });

  it.each(serpstatErrors.filter((fixture) => fixture.expected === 'no_data'))(
    'Serpstat $error.code ($name) on page 2: an empty last page, billed and counted, not an error',
    async ({ error }) => {
      const { stream, ledger } = background();
      await stream(query('serpstat'), 1, 1);
      sim.injectFault({ provider: 'serpstat', fault: { kind: 'serpstat-error', ...error } });
      const answers = await stream(query('serpstat'), 2, 4);
      expect(answers.map((message) => message.type)).toEqual(['page', 'done']);
      expect(answers[0]).toMatchObject({ type: 'page', page: { page: 2, rows: [], creditsSpent: 1 } });
      expect(pageRequests(2)).toBe(1);
      await expectLedgerExact(ledger, 'serpstat');
    },
  );

  it.each(['serpstat', 'dataforseo'] as const)('%s: a total that shrinks between pages ends the table there, keeping every row sent', async (provider) => {
    const { stream, ledger } = background();
    const [first] = await stream(query(provider), 1, 1);
    if (first?.type !== 'page') throw new Error('page 1 did not arrive');
    expect(first.page.total).toBeGreaterThan(150);
    sim.injectFault({ provider, fault: { kind: 'mutate', changes: [{ path: brokenFields[provider].total, value: 150 }] } });
    const answers = await stream(query(provider), 2, 5);
    // Page 2 (rows 101-200) reaches the new total of 150: nothing more is paid for.
    expect(answers.map((message) => message.type)).toEqual(['page', 'done']);
    expect(answers[1]).toMatchObject({ type: 'done', lastPage: 2, total: 150 });
    if (answers[0]?.type === 'page') expect(answers[0].page.rows).toHaveLength(PAGE_SIZE);
    expect(pageRequests(3)).toBe(0);
    await expectLedgerExact(ledger, provider);
  });

  it.each(['serpstat', 'dataforseo'] as const)('%s: a total that grows between pages lets the table go on', async (provider) => {
    const { stream, ledger } = background();
    sim.setDatasetSize(DOMAIN, 'refDomains', 250);
    sim.injectFault({ provider, fault: { kind: 'mutate', changes: [{ path: brokenFields[provider].total, value: 5_000 }] } });
    const answers = await stream(query(provider), 1, 5);
    // Page 1 said 5,000; page 3 is short, so the table ends there whatever the totals said.
    expect(answers.map((message) => message.type)).toEqual(['page', 'page', 'page', 'done']);
    expect(answers[3]).toMatchObject({ type: 'done', lastPage: 3 });
    expect(pageRequests(4)).toBe(0);
    await expectLedgerExact(ledger, provider);
  });

  it.each(['serpstat', 'dataforseo'] as const)('%s: 1,000-row pages stream whole, each row once, paid exactly', async (provider) => {
    const { stream, ledger } = background();
    sim.setDatasetSize(DOMAIN, 'refDomains', 2_500);
    const answers = await stream(query(provider, 1_000), 1, 5);
    const pages = answers.flatMap((message) => (message.type === 'page' ? [message.page] : []));
    expect(pages.map((page) => page.rows.length).slice(0, 2)).toEqual([1_000, 1_000]);
    const domains = pages.flatMap((page) => page.rows.map((row) => ('domain' in row ? row.domain : '')));
    expect(new Set(domains).size).toBe(domains.length);
    expect(domains.length).toBe(pages.at(-1)!.total);
    expect(answers.at(-1)).toMatchObject({ type: 'done' });
    expect(sim.log).toHaveLength(3);
    await expectLedgerExact(ledger, provider);
  });
});
