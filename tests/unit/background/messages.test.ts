import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { browser } from 'wxt/browser';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { handleRequest, setUpMessaging, type MessageDeps } from '../../../lib/background/messages';
import { createLooks } from '../../../lib/background/looks/looks';
import { isOwnExtensionPage } from '../../../lib/background/sender';
import { lensError } from '../../../lib/shared/errors';
import { sendRequest } from '../../../lib/ui/messaging/client';
import type { AccountStatus } from '../../../lib/shared/protocol';
import { fail, ok } from '../../../lib/shared/result';
import type { TableQuery } from '../../../lib/shared/reports';
import { clearCredentials, keyStatuses, setCredentials } from '../../../lib/background/keys';

const TOKEN = 'serpstat-token-that-must-never-leak-1234';
const TYPED_TOKEN = 'typed-but-unsaved-token-5678';
const PASSWORD = 'dataforseo-password-never-leak-9999';

const own = { id: 'test-extension-id', url: 'chrome-extension://test-extension-id/sidepanel.html' };
const account: AccountStatus = { provider: 'serpstat', creditsLeft: 900, creditsTotal: 1000, balanceUsd: null };

let looksDbCount = 0;
function makeDeps(overrides: Partial<MessageDeps> = {}): MessageDeps {
  return {
    keyStatuses,
    setCredentials,
    clearCredentials,
    testConnection: vi.fn(async () => ok(account)),
    fetchCharts: vi.fn(async () => fail(lensError('internal', 'unused'))),
    fetchLinkGapOverlap: vi.fn(async () => fail(lensError('internal', 'unused'))),
    cachedCharts: vi.fn(async () => fail(lensError('internal', 'unused'))),
    cachedLinkGapOverlap: vi.fn(async () => fail(lensError('internal', 'unused'))),
    planLoadAll: vi.fn(async () => null),
    usage: vi.fn(async () => ({ days: [], cache: { entries: 0, bytes: 0 }, balances: { serpstat: null, dataforseo: null } })),
    clearCache: vi.fn(async () => ({ entries: 0, bytes: 0 })),
    ...createLooks({ dbName: `messages-looks-${++looksDbCount}` }).messages,
    ...overrides,
  };
}

/** The response as it crosses the boundary must not carry any secret. */
function expectNoSecret(response: unknown) {
  const text = JSON.stringify(response);
  for (const secret of [TOKEN, TYPED_TOKEN, PASSWORD]) expect(text).not.toContain(secret);
}

beforeEach(() => fakeBrowser.reset());

describe('isOwnExtensionPage', () => {
  it.each([
    ['the side panel', own, true],
    ['the options page in its own tab', { ...own, url: 'chrome-extension://test-extension-id/options.html', tab: { url: 'chrome-extension://test-extension-id/options.html' } }, true],
    ['no sender', undefined, false],
    ['another extension', { id: 'other-extension', url: 'chrome-extension://other-extension/page.html' }, false],
    ['a content script', { id: 'test-extension-id', url: 'https://evil.example/', tab: { url: 'https://evil.example/' } }, false],
    ['our page framed by a web page', { ...own, tab: { url: 'https://evil.example/' } }, false],
    ['our page in a frame of our own tab', { ...own, tab: { url: 'chrome-extension://test-extension-id/options.html' }, frameId: 3 }, false],
    ['our page in a tab whose address is unknown', { ...own, tab: {} }, false],
    ['no URL', { id: 'test-extension-id' }, false],
  ])('%s → %s', (_name, sender, expected) => {
    expect(isOwnExtensionPage(sender)).toBe(expected);
  });
});

describe('handleRequest', () => {
  it('answers getKeyStatus with statuses and masked tails only', async () => {
    await setCredentials({ provider: 'serpstat', token: TOKEN });
    await setCredentials({ provider: 'dataforseo', login: 'me@example.com', password: PASSWORD });
    const response = await handleRequest({ type: 'getKeyStatus' }, own, makeDeps());
    expect(response).toEqual(
      ok({
        serpstat: { configured: true, maskedTail: '1234' },
        dataforseo: { configured: true, maskedTail: '9999', login: 'me@example.com' },
      }),
    );
    expectNoSecret(response);
  });

  it('saves a key and answers with the new statuses, not the key', async () => {
    const response = await handleRequest({ type: 'setKey', credentials: { provider: 'serpstat', token: ` ${TOKEN} ` } }, own, makeDeps());
    expect(response).toMatchObject({ ok: true, data: { serpstat: { configured: true, maskedTail: '1234' } } });
    expectNoSecret(response);
    const dataforseo = await handleRequest(
      { type: 'setKey', credentials: { provider: 'dataforseo', login: 'me@example.com', password: PASSWORD } },
      own,
      makeDeps(),
    );
    expect(dataforseo).toMatchObject({ ok: true, data: { dataforseo: { configured: true, login: 'me@example.com' } } });
    expectNoSecret(dataforseo);
  });

  it('clears a key', async () => {
    await setCredentials({ provider: 'serpstat', token: TOKEN });
    const response = await handleRequest({ type: 'clearKey', provider: 'serpstat' }, own, makeDeps());
    expect(response).toMatchObject({ ok: true, data: { serpstat: { configured: false, maskedTail: null } } });
  });

  it('tests typed, unsaved credentials without saving them', async () => {
    const deps = makeDeps();
    const typed = { provider: 'serpstat' as const, token: TYPED_TOKEN };
    const response = await handleRequest({ type: 'testConnection', provider: 'serpstat', credentials: typed }, own, deps);
    expect(response).toEqual(ok(account));
    expect(deps.testConnection).toHaveBeenCalledWith('serpstat', typed, expect.any(AbortSignal));
    expect((await keyStatuses()).serpstat.configured).toBe(false);
    expectNoSecret(response);
  });

  it('tests the stored credentials when none are typed', async () => {
    const deps = makeDeps();
    await handleRequest({ type: 'testConnection', provider: 'dataforseo' }, own, deps);
    expect(deps.testConnection).toHaveBeenCalledWith('dataforseo', undefined, expect.any(AbortSignal));
  });

  it('passes a provider error through as data', async () => {
    const error = lensError('bad_key', 'Serpstat rejected the token.', { provider: 'serpstat' });
    const deps = makeDeps({ testConnection: vi.fn(async () => fail<AccountStatus>(error)) });
    expect(await handleRequest({ type: 'testConnection', provider: 'serpstat' }, own, deps)).toEqual(fail(error));
  });

  it('resolves a tab address or typed text to a target, or its explanation, without a provider call', async () => {
    const deps = makeDeps();
    const tab = await handleRequest({ type: 'resolveTarget', kind: 'tab', input: 'https://blog.shop-example.co.uk/' }, own, deps);
    expect(tab).toEqual(
      ok({ ok: true, domain: 'shop-example.co.uk', host: 'blog.shop-example.co.uk', displayDomain: 'shop-example.co.uk', url: 'https://blog.shop-example.co.uk/' }),
    );
    const typed = await handleRequest({ type: 'resolveTarget', kind: 'typed', input: 'user.github.io' }, own, deps);
    expect(typed).toEqual(ok(expect.objectContaining({ ok: true, domain: 'user.github.io', url: null })));
    const browserPage = await handleRequest({ type: 'resolveTarget', kind: 'tab', input: 'chrome://settings/' }, own, deps);
    expect(browserPage).toEqual(ok(expect.objectContaining({ ok: false, reason: 'non_web' })));
    const noAddress = await handleRequest({ type: 'resolveTarget', kind: 'tab', input: '' }, own, deps);
    expect(noAddress).toEqual(ok(expect.objectContaining({ ok: false, reason: 'non_web' })));
    const mistyped = await handleRequest({ type: 'resolveTarget', kind: 'typed', input: 'exa mple.com' }, own, deps);
    expect(mistyped).toEqual(ok(expect.objectContaining({ ok: false, reason: 'invalid' })));
    expect(deps.testConnection).not.toHaveBeenCalled();
  });

  it('answers planLoadAll from the background\'s plan', async () => {
    const deps = makeDeps();
    const query = { provider: 'serpstat', report: 'refDomains', target: 'example.com', scope: 'domain', filters: [], pageSize: 100 } as const;
    expect(await handleRequest({ type: 'planLoadAll', query, loadedPages: 2 }, own, deps)).toEqual(ok(null));
    expect(deps.planLoadAll).toHaveBeenCalledWith(query, 2);
  });

  it('sends a cache-only chart or overlap request to the cache read alone, never to the paid lookup', async () => {
    const deps = makeDeps({ cachedCharts: vi.fn(async () => ok(null)), cachedLinkGapOverlap: vi.fn(async () => ok(null)) });
    const charts = { type: 'getCharts', provider: 'serpstat', charts: ['newLost'], target: 'example.com', scope: 'domain', cachedOnly: true } as const;
    expect(await handleRequest(charts, own, deps)).toEqual(ok(null));
    const table = { provider: 'serpstat', report: 'linkGap', target: 'example.com', scope: 'domain', filters: [], pageSize: 100, comparison: { mySite: 'mine.com', competitors: [], match: 'any' } } as const;
    expect(await handleRequest({ type: 'getLinkGapOverlap', query: table, cachedOnly: true }, own, deps)).toEqual(ok(null));
    expect(deps.cachedCharts).toHaveBeenCalledWith(charts);
    expect(deps.cachedLinkGapOverlap).toHaveBeenCalledWith(table);
    expect(deps.fetchCharts).not.toHaveBeenCalled();
    expect(deps.fetchLinkGapOverlap).not.toHaveBeenCalled();
  });

  it('answers the history of looks: a site’s snapshots, one deleted, a table’s domain changes, its size, cleared', async () => {
    const looks = createLooks({ dbName: `messages-looks-${++looksDbCount}` });
    const deps = makeDeps(looks.messages);
    const site = { provider: 'serpstat', target: 'example.com', scope: 'domain' } as const;
    const values = { referringDomains: 10, backlinks: null, dofollowBacklinks: null, outboundDomains: 3, rank: 40 };
    await looks.snapshots.record({ ...site, fetchedAt: 1_000, values });
    await looks.snapshots.record({ ...site, fetchedAt: 2_000, values: { ...values, referringDomains: 12 } });
    const listed = await handleRequest({ type: 'getSnapshots', site }, own, deps);
    expect(listed).toEqual(ok([expect.objectContaining({ fetchedAt: 2_000 }), expect.objectContaining({ fetchedAt: 1_000 })]));
    expect(await handleRequest({ type: 'deleteSnapshot', site, fetchedAt: 2_000 }, own, deps)).toEqual(ok([expect.objectContaining({ fetchedAt: 1_000 })]));

    const query: TableQuery = { provider: 'serpstat', report: 'refDomains', target: 'example.com', scope: 'domain', filters: [], pageSize: 100 };
    const page = (domain: string, fetchedAt: number) => ({ page: 1, rows: [{ domain }], total: 1, creditsSpent: 1, costUsd: 0, creditsLeft: null, fromCache: false, fetchedAt });
    await looks.domainLooks.recordPage(query, page('a.com', 1_000) as never);
    await looks.domainLooks.recordPage(query, page('b.com', 2_000) as never);
    expect(await handleRequest({ type: 'getDomainChanges', query }, own, deps)).toEqual(ok(expect.objectContaining({ appeared: ['b.com'], disappeared: ['a.com'] })));
    expect(await handleRequest({ type: 'getHistoryStats' }, own, deps)).toEqual(ok({ snapshots: 1, domainPages: 2, bytes: 18 }));
    expect(await handleRequest({ type: 'clearHistory' }, own, deps)).toEqual(ok({ snapshots: 0, domainPages: 0, bytes: 0 }));
    expect(await handleRequest({ type: 'getDomainChanges', query }, own, deps)).toEqual(ok(null));
  });

  it.each([
    ['not an object', 'getKeyStatus'],
    ['an unknown type', { type: 'getKey' }],
    ['a bad provider', { type: 'clearKey', provider: 'ahrefs' }],
    ['an empty token', { type: 'setKey', credentials: { provider: 'serpstat', token: '   ' } }],
    ['the popup’s retired getSummary (its lookup is a port now)', { type: 'getSummary', provider: 'serpstat', target: 'example.com', scope: 'domain' }],
    ['nothing', undefined],
  ])('rejects %s as a malformed request', async (_name, raw) => {
    const deps = makeDeps({ setCredentials: vi.fn(), clearCredentials: vi.fn() });
    expect(await handleRequest(raw, own, deps)).toEqual(fail(lensError('internal', 'The extension sent a malformed request.')));
    expect(deps.setCredentials).not.toHaveBeenCalled();
    expect(deps.clearCredentials).not.toHaveBeenCalled();
  });

  it('refuses a foreign sender before doing anything', async () => {
    const deps = makeDeps({ setCredentials: vi.fn() });
    const foreign = { id: 'other-extension', url: 'chrome-extension://other-extension/x.html' };
    const response = await handleRequest({ type: 'setKey', credentials: { provider: 'serpstat', token: TOKEN } }, foreign, deps);
    expect(response).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(deps.setCredentials).not.toHaveBeenCalled();
    await setCredentials({ provider: 'serpstat', token: TOKEN });
    const contentScript = { id: 'test-extension-id', url: 'https://evil.example/', tab: { url: 'https://evil.example/' } };
    expect(await handleRequest({ type: 'getKeyStatus' }, contentScript, deps)).toMatchObject({ ok: false });
  });

  it('turns a handler that throws into an internal error instead of throwing', async () => {
    const deps = makeDeps({ testConnection: vi.fn(async () => Promise.reject(new Error(`leaked ${TOKEN}`))) });
    const response = await handleRequest({ type: 'testConnection', provider: 'serpstat' }, own, deps);
    expect(response).toMatchObject({ ok: false, error: { code: 'internal', retryable: true } });
    expectNoSecret(response);
  });
});

describe('setUpMessaging', () => {
  it('answers through sendResponse and keeps the channel open', async () => {
    setUpMessaging(makeDeps());
    const sendResponse = vi.fn();
    // The fake's typings know only (message, sender); the real event also hands in sendResponse.
    const trigger = fakeBrowser.runtime.onMessage.trigger as (...args: unknown[]) => Promise<unknown[]>;
    const [keptOpen] = await trigger({ type: 'getKeyStatus' }, own, sendResponse);
    expect(keptOpen).toBe(true);
    await vi.waitFor(() => expect(sendResponse).toHaveBeenCalledTimes(1));
    expect(sendResponse.mock.calls[0]?.[0]).toMatchObject({ ok: true, data: { serpstat: { configured: false } } });
  });
});

describe('sendRequest', () => {
  const gone = { ok: false, error: { code: 'internal', retryable: true } };

  it('hands back the background’s answer', async () => {
    vi.spyOn(browser.runtime, 'sendMessage').mockResolvedValue(ok(account) as never);
    expect(await sendRequest({ type: 'testConnection', provider: 'serpstat' })).toEqual(ok(account));
  });

  it('turns a missing worker into an error, never a rejection', async () => {
    vi.spyOn(browser.runtime, 'sendMessage').mockRejectedValue(new Error('Could not establish connection. Receiving end does not exist.'));
    const response = await sendRequest({ type: 'getKeyStatus' });
    expect(response).toMatchObject(gone);
    expect(!response.ok && response.error.message).toContain('chrome://extensions');
  });

  it('turns an empty answer into the same error', async () => {
    vi.spyOn(browser.runtime, 'sendMessage').mockResolvedValue(undefined as never);
    expect(await sendRequest({ type: 'getKeyStatus' })).toMatchObject(gone);
  });
});
