/**
 * Malformed input from the UI side (issue 7): messages and table-port messages of the wrong
 * type, with missing fields, huge, or naming a target that is not a domain, are refused by the
 * protocol schemas before any handler runs; the background keeps serving; nothing is requested.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { handleRequest, type MessageDeps } from '../../../lib/background/messages';
import { acceptTablePort, serveTablePort } from '../../../lib/background/table-server';
import { TABLE_PORT, type TableServerMessage } from '../../../lib/shared/protocol';
import { ok } from '../../../lib/shared/result';
import type { TablePage, TableQuery } from '../../../lib/shared/reports';
import { roomyAllowance } from '../fake-allowance';
import { createPortPair } from '../port-pair';

const own = { id: 'test-extension-id', url: 'chrome-extension://test-extension-id/sidepanel.html' };
const HUGE = 'x'.repeat(8 * 1024 * 1024);

const overlapComparison = { mySite: 'my-shop.com', competitors: [], match: 'all', overlap: true };
const validQuery: TableQuery = {
  provider: 'serpstat',
  report: 'refDomains',
  target: 'example.com',
  scope: 'domain_with_subdomains',
  filters: [],
  pageSize: 100,
};
const page: TablePage = { page: 1, rows: [], total: 0, creditsSpent: 1, costUsd: 0, creditsLeft: 10, fromCache: false, fetchedAt: 1 };

function messageDeps() {
  return {
    keyStatuses: vi.fn(async () => ({ serpstat: { configured: true, maskedTail: '1234' }, dataforseo: { configured: false, maskedTail: null } })),
    setCredentials: vi.fn(async () => undefined),
    clearCredentials: vi.fn(async () => undefined),
    testConnection: vi.fn(async () => ok({ provider: 'serpstat' as const, creditsLeft: 1, creditsTotal: 1, balanceUsd: null })),
    fetchCharts: vi.fn(),
    fetchLinkGapOverlap: vi.fn(),
    cachedCharts: vi.fn(),
    cachedLinkGapOverlap: vi.fn(),
    usage: vi.fn(),
    planLoadAll: vi.fn(),
    clearCache: vi.fn(),
    listSnapshots: vi.fn(),
    deleteSnapshot: vi.fn(),
    domainChanges: vi.fn(),
    historyStats: vi.fn(),
    clearHistory: vi.fn(),
  } satisfies MessageDeps;
}

/** Targets the Domain box refuses; a message carrying one must not reach a provider either. */
const notDomains = [
  'not a domain', 'exa mple.com', 'localhost', 'example', '-bad-.com', 'example.c0m', '192.168.0.1', 'javascript:alert(1)', 'a'.repeat(300) + '.com',
  // Well-formed names the Domain box refuses as no public site (lib/shared/host-rules.ts).
  'printer.local', 'app.localhost', 'wiki.corp', 'router.home.arpa', 'nas.lan', 'chromewebstore.google.com',
];
/** "This page" addresses the UI never sends: with a login (a provider would be handed it), a #fragment, on a host the Domain box refuses. */
const notPages = [
  'https://user:password@example.com/page',
  'https://user@example.com/page',
  'https://example.com/page#section',
  'https://example.com/page#',
  'https://printer.local/status',
  'http://app.localhost/',
  'https://wiki.corp/Home',
  'https://[::1]/page',
  'https://chrome.google.com/webstore/detail/x',
];

beforeEach(() => fakeBrowser.reset());

/** [what it is, the raw message] */
type Case = [string, unknown];

describe('runtime messages', () => {
  it.each<Case>([
    ['nothing', undefined],
    ['null', null],
    ['a string', 'getKeyStatus'],
    ['a number', 42],
    ['an array', [{ type: 'getKeyStatus' }]],
    ['an unknown type', { type: 'getKeys' }],
    ['a type of the wrong kind', { type: 7 }],
    ['setKey without credentials', { type: 'setKey' }],
    ['setKey with a provider mismatch', { type: 'setKey', credentials: { provider: 'dataforseo', token: 'abc' } }],
    ['setKey with an empty token', { type: 'setKey', credentials: { provider: 'serpstat', token: '   ' } }],
    ['setKey with a huge token', { type: 'setKey', credentials: { provider: 'serpstat', token: HUGE } }],
    ['clearKey for an unknown provider', { type: 'clearKey', provider: 'ahrefs' }],
    ['planLoadAll without a query', { type: 'planLoadAll', loadedPages: 1 }],
    ['planLoadAll with a huge target', { type: 'planLoadAll', query: { ...validQuery, target: HUGE }, loadedPages: 1 }],
    ['planLoadAll with a numeric target', { type: 'planLoadAll', query: { ...validQuery, target: 12345 }, loadedPages: 1 }],
    ['planLoadAll of a Link gap’s overlap counts', { type: 'planLoadAll', query: { ...validQuery, report: 'linkGap', comparison: overlapComparison }, loadedPages: 1 }],
    ['getCharts with cachedOnly false', { type: 'getCharts', provider: 'serpstat', charts: ['newLost'], target: 'example.com', scope: 'domain', cachedOnly: false }],
    ['getLinkGapOverlap with cachedOnly as text', { type: 'getLinkGapOverlap', query: { ...validQuery, report: 'linkGap', comparison: overlapComparison }, cachedOnly: 'yes' }],
    ['planLoadAll with an unknown scope', { type: 'planLoadAll', query: { ...validQuery, scope: 'planet' }, loadedPages: 1 }],
    ...notDomains.map((target): Case => [`planLoadAll for “${target.slice(0, 40)}”`, { type: 'planLoadAll', query: { ...validQuery, target }, loadedPages: 1 }]),
    ['planLoadAll for a page that is not a web address', { type: 'planLoadAll', query: { ...validQuery, provider: 'dataforseo', target: 'file:///etc/passwd', scope: 'url' }, loadedPages: 1 }],
    ...notPages.map((target): Case => [`planLoadAll for the page “${target}”`, { type: 'planLoadAll', query: { ...validQuery, provider: 'dataforseo', target, scope: 'url' }, loadedPages: 1 }]),
    ['the retired getSummary', { type: 'getSummary', provider: 'serpstat', target: 'example.com', scope: 'domain' }],
    ...notDomains.map((target): Case => [`getSnapshots for “${target.slice(0, 40)}”`, { type: 'getSnapshots', site: { provider: 'serpstat', target, scope: 'domain' } }]),
    ['deleteSnapshot without a date', { type: 'deleteSnapshot', site: { provider: 'serpstat', target: 'example.com', scope: 'domain' } }],
    ['getDomainChanges without a query', { type: 'getDomainChanges' }],
  ])('%s is refused without calling any handler', async (_name, raw) => {
    const deps = messageDeps();
    const answer = await handleRequest(raw, own, deps);
    expect(answer).toEqual({ ok: false, error: expect.objectContaining({ code: 'internal', message: 'The extension sent a malformed request.' }) });
    for (const handler of Object.values(deps)) expect(handler).not.toHaveBeenCalled();
    // The background keeps answering well-formed requests.
    expect(await handleRequest({ type: 'getKeyStatus' }, own, deps)).toMatchObject({ ok: true });
  });

  it('ignores unknown extra fields, however large, and answers the request', async () => {
    const deps = messageDeps();
    expect(await handleRequest({ type: 'getKeyStatus', padding: HUGE }, own, deps)).toMatchObject({ ok: true });
  });

  it('lets a real domain, host and page address through', async () => {
    const deps = messageDeps();
    deps.planLoadAll.mockResolvedValue(null);
    for (const [target, scope] of [
      ['example.com', 'domain_with_subdomains'],
      ['blog.shop-example.co.uk', 'domain'],
      ['xn--mnchen-3ya.de', 'domain'],
      ['my_site.example.com', 'domain'],
      ['https://example.com/page?q=1', 'url'],
    ]) {
      const query = { ...validQuery, provider: 'dataforseo', target, scope };
      expect(await handleRequest({ type: 'planLoadAll', query, loadedPages: 1 }, own, deps)).toMatchObject({ ok: true });
    }
    expect(deps.planLoadAll).toHaveBeenCalledTimes(5);
  });
});

describe('table ports', () => {
  function servedPort() {
    const fetchPage = vi.fn(async () => ok(page));
    const { client, server } = createPortPair(TABLE_PORT, own);
    serveTablePort(server, { fetchPage, allowance: roomyAllowance() });
    const received: TableServerMessage[] = [];
    client.onMessage.addListener((message) => received.push(message as TableServerMessage));
    return { client, fetchPage, received };
  }
  const fetchMessage = (query: unknown, extra: Record<string, unknown> = {}) => ({ type: 'fetch', requestId: 3, query, fromPage: 1, toPage: 1, ...extra });

  it.each<Case>([
    ['null', null],
    ['a string', 'fetch'],
    ['an unknown type', { type: 'fetchAll', requestId: 3 }],
    ['a fetch without a query', { type: 'fetch', requestId: 3, fromPage: 1, toPage: 1 }],
    ['a fetch with a negative request id', fetchMessage(validQuery, { requestId: -1 })],
    ['a fetch with page 0', fetchMessage(validQuery, { fromPage: 0 })],
    ['a fetch with a fractional page', fetchMessage(validQuery, { toPage: 1.5 })],
    ['a fetch with page size 5,000', fetchMessage({ ...validQuery, pageSize: 5_000 })],
    ['a fetch with an unknown report', fetchMessage({ ...validQuery, report: 'everything' })],
    ['a fetch with nine filters', fetchMessage({ ...validQuery, filters: Array(9).fill({ kind: 'minRank', value: 1 }) })],
    ['a fetch with a huge filter', fetchMessage({ ...validQuery, filters: [{ kind: 'contains', field: 'domain', value: HUGE }] })],
    ['a fetch with a huge target', fetchMessage({ ...validQuery, target: HUGE })],
    ...notDomains.map((target): Case => [`a fetch for “${target.slice(0, 40)}”`, fetchMessage({ ...validQuery, target })]),
    ['a page lookup of a non-web address', fetchMessage({ ...validQuery, provider: 'dataforseo', scope: 'url', target: 'chrome://settings/' })],
    ...notPages.map((target): Case => [`a page lookup of “${target}”`, fetchMessage({ ...validQuery, provider: 'dataforseo', scope: 'url', target })]),
    // Overlap counts are one paid answer (getLinkGapOverlap): as pages, a page 2 would be billed again.
    ['a fetch for a Link gap’s overlap counts as pages', fetchMessage({ ...validQuery, report: 'linkGap', comparison: overlapComparison }, { toPage: 2 })],
    ['a cancel without an id', { type: 'cancel' }],
  ])('%s is answered with an error and requests nothing', async (_name, raw) => {
    const { client, fetchPage, received } = servedPort();
    client.postMessage(raw);
    await vi.waitFor(() => expect(received).toHaveLength(1));
    expect(received[0]).toMatchObject({ type: 'error', error: { code: 'internal', message: 'The extension sent a malformed table request.' } });
    expect(fetchPage).not.toHaveBeenCalled();

    // The port keeps serving a well-formed request.
    client.postMessage(fetchMessage(validQuery, { requestId: 4 }));
    await vi.waitFor(() => expect(received.at(-1)).toMatchObject({ type: 'done', requestId: 4 }));
    expect(fetchPage).toHaveBeenCalledTimes(1);
  });

  it.each([
    ['an unknown port name', 'tables', own],
    ['an empty port name', '', own],
    ['a huge port name', HUGE, own],
    ['a table port from a web page', TABLE_PORT, { id: own.id, url: 'https://evil.example/', tab: { url: 'https://evil.example/' } }],
    ['a table port from another extension', TABLE_PORT, { id: 'other-extension', url: 'chrome-extension://other-extension/page.html' }],
    ['a table port from our page framed inside a tab', TABLE_PORT, { ...own, tab: { url: own.url }, frameId: 2 }],
  ])('%s is disconnected before any message is read', async (_name, portName, sender) => {
    const fetchPage = vi.fn(async () => ok(page));
    const { client, server } = createPortPair(portName, sender);
    const disconnected = new Promise<void>((resolve) => client.onDisconnect.addListener(resolve));
    expect(acceptTablePort(server, { fetchPage, allowance: roomyAllowance() })).toBe(false);
    await disconnected;
    expect(() => client.postMessage(fetchMessage(validQuery))).toThrow(/disconnected/);
    expect(fetchPage).not.toHaveBeenCalled();
  });
});
