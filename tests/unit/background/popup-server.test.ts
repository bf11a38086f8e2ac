import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { acceptPopupPort, servePopupPort, type PopupServerDeps } from '../../../lib/background/popup-server';
import type { PaidFetch } from '../../../lib/background/cache/paid-fetch';
import { POPUP_PORT, TABLE_PORT, type NeedsConsent, type PopupServerMessage } from '../../../lib/shared/protocol';
import { ok, type Result } from '../../../lib/shared/result';
import type { TablePage } from '../../../lib/shared/reports';
import { defaultPreferences, type Preferences } from '../../../lib/shared/settings';
import type { PaidQuery, PaidRow, SummaryTotals } from '../../../lib/shared/summary';
import type { PortLike } from '../../../lib/shared/port';
import { createPortPair } from '../port-pair';

const own = { id: 'test-extension-id', url: 'chrome-extension://test-extension-id/popup.html' };
const totals: SummaryTotals = { referringDomains: { value: 7, weekChange: 1 }, backlinks: null, dofollowBacklinks: null, outboundDomains: null, rank: null };
const answerOf = (query: PaidQuery): TablePage<PaidRow> => ({
  page: 1,
  rows: query.report === 'summary' ? [totals] : [],
  total: 0,
  creditsSpent: 1,
  costUsd: 0,
  creditsLeft: 5,
  fromCache: false,
  fetchedAt: 1,
});

/** Each connected popup's document, and the address of the tab it was opened on. */
const documentOfPopup = new WeakMap<PortLike, string>();
const tabUrlOfDocument = new Map<string, string>();
let popupsConnected = 0;

function deps(overrides: Partial<PopupServerDeps> & { preferences?: () => Promise<Preferences> } = {}) {
  const fetchPage = vi.fn(async (query: PaidQuery, _page: number, _signal: AbortSignal): Promise<Result<TablePage<PaidRow>>> => ok(answerOf(query)));
  const checkLimit = vi.fn(async (_requests: unknown, _consent?: string): Promise<NeedsConsent | null> => null);
  const served: PopupServerDeps = {
    // The popup's tab, found from the document the port came from, as the worker finds it; in window 4.
    popupTab: async (sender) => ({ url: tabUrlOfDocument.get(sender?.documentId ?? '') ?? '', windowId: 4 }),
    preferences: async () => defaultPreferences,
    isKeyConfigured: async () => true,
    summary: { fetchPage: fetchPage as unknown as PaidFetch, checkLimit, oneAtATime: () => true },
    ...overrides,
  };
  return { served, fetchPage, checkLimit };
}

/** A popup end talking to a served background end; what it received, in order. */
function connect(served: PopupServerDeps) {
  const documentId = `popup-document-${++popupsConnected}`;
  const { client, server } = createPortPair(POPUP_PORT, { ...own, documentId });
  documentOfPopup.set(client, documentId);
  servePopupPort(server, served);
  const received: PopupServerMessage[] = [];
  client.onMessage.addListener((message) => received.push(message as PopupServerMessage));
  return { client, received };
}
const settle = () => new Promise((resolve) => setTimeout(resolve, 5));
/** The popup's first lookUp, the tab's: the popup was opened on a tab showing `tabUrl`. */
function lookUp(client: PortLike, tabUrl: string) {
  tabUrlOfDocument.set(documentOfPopup.get(client) ?? '', tabUrl);
  client.postMessage({ type: 'lookUp', requestId: 1, input: { kind: 'tab' } });
}

beforeEach(() => fakeBrowser.reset());

describe('the popup port', () => {
  it('answers one lookUp with the target, then the totals, then the top domains', async () => {
    const { served, fetchPage } = deps();
    const { client, received } = connect(served);
    lookUp(client, 'https://blog.shop-example.co.uk/post');
    await settle();
    expect(received.map((message) => message.type)).toEqual(['target', 'totals', 'topDomains']);
    expect(received[0]).toEqual({
      type: 'target',
      requestId: 1,
      target: { ok: true, domain: 'shop-example.co.uk', host: 'blog.shop-example.co.uk', displayDomain: 'shop-example.co.uk', url: 'https://blog.shop-example.co.uk/post' },
      provider: 'serpstat',
      scope: 'domain_with_subdomains',
      keyConfigured: true,
      // The tab's window, for the popup's side panel button: the popup reads no tab itself.
      windowId: 4,
    });
    expect(received[1]).toMatchObject({ type: 'totals', requestId: 1, result: { ok: true, data: { totals } } });
    // The user's scope decides what is asked: the registrable domain here.
    expect(fetchPage.mock.calls.map(([query]) => [query.report, query.target, query.scope])).toEqual([
      ['summary', 'shop-example.co.uk', 'domain_with_subdomains'],
      ['refDomains', 'shop-example.co.uk', 'domain_with_subdomains'],
    ]);
  });

  it('takes the provider and scope from the preferences', async () => {
    const { served, fetchPage } = deps({ preferences: async () => ({ ...defaultPreferences, provider: 'dataforseo', scope: 'url' }) });
    const { client, received } = connect(served);
    lookUp(client, 'https://shop-example.co.uk/shoes?size=9');
    await settle();
    expect(received[0]).toMatchObject({ provider: 'dataforseo', scope: 'url' });
    expect(fetchPage.mock.calls[0]![0]).toEqual({ provider: 'dataforseo', report: 'summary', target: 'https://shop-example.co.uk/shoes?size=9', scope: 'url' });
  });

  it('asks nothing without a key, or for a page that is no site', async () => {
    const noKey = deps({ isKeyConfigured: async () => false });
    const first = connect(noKey.served);
    lookUp(first.client, 'https://shop-example.co.uk/');
    const browserPage = deps();
    const second = connect(browserPage.served);
    lookUp(second.client, 'chrome://settings/');
    await settle();
    expect(first.received).toEqual([expect.objectContaining({ type: 'target', keyConfigured: false })]);
    expect(second.received).toEqual([expect.objectContaining({ type: 'target', target: expect.objectContaining({ ok: false, reason: 'non_web' }) })]);
    expect(noKey.fetchPage).not.toHaveBeenCalled();
    expect(browserPage.fetchPage).not.toHaveBeenCalled();
  });

  it('says when the per-lookup limit holds the lookup back, and goes on the go-ahead', async () => {
    const needs = { type: 'needsConsent' as const, provider: 'serpstat' as const, page: 1, nextCost: 11, spent: 0, limit: 5 };
    const { served, fetchPage, checkLimit } = deps();
    checkLimit.mockImplementation(async (_requests: unknown, consent?: string) => (consent ? null : needs));
    const { client, received } = connect(served);
    lookUp(client, 'https://shop-example.co.uk/');
    await settle();
    expect(received.map((message) => message.type)).toEqual(['target', 'needsConsent']);
    expect(received[1]).toEqual({ ...needs, requestId: 1 });
    expect(fetchPage).not.toHaveBeenCalled();

    client.postMessage({ type: 'lookUp', requestId: 2, input: { kind: 'tab' }, consent: 'continue' });
    await settle();
    expect(received.slice(2).map((message) => [message.type, message.requestId])).toEqual([['target', 2], ['totals', 2], ['topDomains', 2]]);
  });

  it('drops the parts of a lookup that a newer one replaced, and stops asking when the popup closes', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const { served, fetchPage } = deps();
    fetchPage.mockImplementation(async (query: PaidQuery) => {
      await held;
      return ok(answerOf(query));
    });
    const { client, received } = connect(served);
    lookUp(client, 'https://first-example.com/');
    await settle();
    client.postMessage({ type: 'lookUp', requestId: 2, input: { kind: 'typed', text: 'second-example.com' } });
    await settle();
    release();
    await settle();
    expect(received.filter((message) => message.requestId === 1).map((message) => message.type)).toEqual(['target']);
    expect(received.filter((message) => message.requestId === 2).map((message) => message.type)).toEqual(['target', 'totals', 'topDomains']);
    const firstSignal = fetchPage.mock.calls[0]![2];
    expect(firstSignal.aborted).toBe(true);

    client.disconnect();
    await settle();
    expect(fetchPage.mock.calls.at(-1)![2].aborted).toBe(true);
  });

  it.each([
    ['no input', { type: 'lookUp', requestId: 3 }],
    ['an unknown kind', { type: 'lookUp', requestId: 3, input: { kind: 'bookmark', text: 'example.com' } }],
    ['a huge address', { type: 'lookUp', requestId: 3, input: { kind: 'typed', text: 'x'.repeat(10_000) } }],
    ['a tab address from the popup (the background reads the tab)', { type: 'lookUp', requestId: 3, input: { kind: 'tab', text: 'https://example.com/' } }],
    ['an unknown consent', { type: 'lookUp', requestId: 3, input: { kind: 'tab' }, consent: 'loadAll' }],
    ['not an object', 'lookUp'],
  ])('answers a malformed request (%s) with an error and asks nothing', async (_name, raw) => {
    const { served, fetchPage } = deps();
    const { client, received } = connect(served);
    client.postMessage(raw);
    await settle();
    expect(received).toEqual([{ type: 'error', requestId: typeof raw === 'object' ? 3 : 0, error: expect.objectContaining({ code: 'internal' }) }]);
    expect(fetchPage).not.toHaveBeenCalled();
  });

  it('answers a failure in the background as data', async () => {
    const { served } = deps({ preferences: async () => Promise.reject(new Error('storage gone')) });
    const { client, received } = connect(served);
    lookUp(client, 'https://example.com/');
    await settle();
    expect(received).toEqual([{ type: 'error', requestId: 1, error: expect.objectContaining({ code: 'internal', retryable: true }) }]);
  });

  it.each([
    ['another extension', POPUP_PORT, { id: 'other-extension', url: 'chrome-extension://other-extension/x.html' }],
    ['a web page', POPUP_PORT, { id: 'test-extension-id', url: 'https://evil.example/', tab: { url: 'https://evil.example/' } }],
    ['another port name', TABLE_PORT, own],
  ])('refuses %s before reading a message', async (_name, name, sender) => {
    const { served, fetchPage } = deps();
    const { client, server } = createPortPair(name, sender);
    const disconnected = new Promise<void>((resolve) => client.onDisconnect.addListener(resolve));
    expect(acceptPopupPort(server, served)).toBe(false);
    await disconnected;
    expect(fetchPage).not.toHaveBeenCalled();
  });

  it('serves the popup port from our own popup', async () => {
    const { served, fetchPage } = deps();
    const { client, server } = createPortPair(POPUP_PORT, own);
    expect(acceptPopupPort(server, served)).toBe(true);
    client.postMessage({ type: 'lookUp', requestId: 1, input: { kind: 'typed', text: 'example.com' } });
    await settle();
    expect(fetchPage).toHaveBeenCalledTimes(2);
  });
});
