import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { sealPlainKeysUnheard, setUpKeySealing } from '../../../lib/background/key-sealing';
import { clearCredentials, getCredentials, keptOpenCredentials, keyStatuses, maskedTail, setCredentials } from '../../../lib/background/keys';
import { watchCredentialChanges } from '../../../lib/shared/settings';

const TOKEN = 'serpstat-secret-token-9f3a';
const PASSWORD = 'dfs-api-password-77c1';

beforeEach(() => fakeBrowser.reset());

describe('credentials', () => {
  it('stores each provider in storage.local, trimmed and sealed, and nothing in sync', async () => {
    await setCredentials({ provider: 'serpstat', token: `  ${TOKEN} ` });
    await setCredentials({ provider: 'dataforseo', login: ' me@example.com ', password: PASSWORD });
    expect(await getCredentials('serpstat')).toEqual({ provider: 'serpstat', token: TOKEN });
    expect(await getCredentials('dataforseo')).toEqual({ provider: 'dataforseo', login: 'me@example.com', password: PASSWORD });
    const stored = await fakeBrowser.storage.local.get(null);
    expect(stored).toEqual({
      serpstatToken: { iv: expect.any(String), data: expect.any(String) },
      dataforseoCredentials: { login: 'me@example.com', password: { iv: expect.any(String), data: expect.any(String) } },
    });
    expect(JSON.stringify(stored)).not.toContain(TOKEN);
    expect(JSON.stringify(stored)).not.toContain(PASSWORD);
    expect(await fakeBrowser.storage.sync.get(null)).toEqual({});
  });

  it('never hands a key to a page watching storage: change events carry it sealed', async () => {
    const events: unknown[] = [];
    fakeBrowser.storage.onChanged.addListener((changes) => void events.push(changes));
    await setCredentials({ provider: 'serpstat', token: TOKEN });
    await setCredentials({ provider: 'serpstat', token: `${TOKEN}-new` });
    await setCredentials({ provider: 'dataforseo', login: 'me@example.com', password: PASSWORD });
    await clearCredentials('serpstat');
    await clearCredentials('dataforseo');
    expect(events).toHaveLength(5);
    for (const secret of [TOKEN, PASSWORD]) expect(JSON.stringify(events)).not.toContain(secret);
  });

  it('uses a key saved before sealing as it is, without writing over it while a page may listen', async () => {
    await fakeBrowser.storage.local.set({ serpstatToken: TOKEN, dataforseoCredentials: { login: 'me@example.com', password: PASSWORD } });
    const events: unknown[] = [];
    fakeBrowser.storage.onChanged.addListener((changes) => void events.push(changes));
    expect(await getCredentials('serpstat')).toEqual({ provider: 'serpstat', token: TOKEN });
    expect(await getCredentials('dataforseo')).toEqual({ provider: 'dataforseo', login: 'me@example.com', password: PASSWORD });
    expect((await keyStatuses()).serpstat).toEqual({ configured: true, maskedTail: TOKEN.slice(-4) });
    // An update while a page is open (the guard says so) leaves the plain keys too.
    await sealPlainKeysUnheard(async () => true);
    expect(events).toEqual([]);
    expect(await fakeBrowser.storage.local.get('serpstatToken')).toEqual({ serpstatToken: TOKEN });
  });

  it('seals keys saved before sealing at an update, when no page is open to hear the plain key go', async () => {
    await fakeBrowser.storage.local.set({ serpstatToken: TOKEN, dataforseoCredentials: { login: 'me@example.com', password: PASSWORD } });
    setUpKeySealing();
    await fakeBrowser.runtime.onInstalled.trigger({ reason: 'install', temporary: false });
    expect(await fakeBrowser.storage.local.get('serpstatToken')).toEqual({ serpstatToken: TOKEN });
    await fakeBrowser.runtime.onInstalled.trigger({ reason: 'update', previousVersion: '0.9.0', temporary: false });
    const stored = JSON.stringify(await fakeBrowser.storage.local.get(null));
    expect(stored).not.toContain(TOKEN);
    expect(stored).not.toContain(PASSWORD);
    expect(await getCredentials('serpstat')).toEqual({ provider: 'serpstat', token: TOKEN });
    expect(await getCredentials('dataforseo')).toEqual({ provider: 'dataforseo', login: 'me@example.com', password: PASSWORD });
  });

  it('counts any extension context but the service worker as a page that may listen', async () => {
    await fakeBrowser.storage.local.set({ serpstatToken: TOKEN });
    const getContexts = vi.fn(async () => [{ contextType: 'BACKGROUND' }, { contextType: 'SIDE_PANEL' }]);
    Object.assign(fakeBrowser.runtime, { getContexts });
    try {
      await sealPlainKeysUnheard();
      expect(getContexts).toHaveBeenCalled();
      expect(await fakeBrowser.storage.local.get('serpstatToken')).toEqual({ serpstatToken: TOKEN });
      getContexts.mockResolvedValue([{ contextType: 'BACKGROUND' }]);
      await sealPlainKeysUnheard();
      expect(JSON.stringify(await fakeBrowser.storage.local.get(null))).not.toContain(TOKEN);
    } finally {
      Reflect.deleteProperty(fakeBrowser.runtime, 'getContexts');
    }
  });

  it('treats a sealed key that cannot be opened as no key', async () => {
    await setCredentials({ provider: 'serpstat', token: TOKEN });
    const { serpstatToken } = (await fakeBrowser.storage.local.get('serpstatToken')) as { serpstatToken: { iv: string; data: string } };
    await fakeBrowser.storage.local.set({ serpstatToken: { ...serpstatToken, data: btoa('altered') } });
    expect(await getCredentials('serpstat')).toBeNull();
    expect((await keyStatuses()).serpstat).toEqual({ configured: false, maskedTail: null });
  });

  it('clears one provider without touching the other', async () => {
    await setCredentials({ provider: 'serpstat', token: TOKEN });
    await setCredentials({ provider: 'dataforseo', login: 'me@example.com', password: PASSWORD });
    await clearCredentials('serpstat');
    expect(await getCredentials('serpstat')).toBeNull();
    expect(await getCredentials('dataforseo')).not.toBeNull();
    await clearCredentials('dataforseo');
    expect(await getCredentials('dataforseo')).toBeNull();
  });

  it('treats unusable stored values as no credentials', async () => {
    await fakeBrowser.storage.local.set({ serpstatToken: 42, dataforseoCredentials: { login: 'me' } });
    expect(await getCredentials('serpstat')).toBeNull();
    expect(await getCredentials('dataforseo')).toBeNull();
  });
});

describe('keptOpenCredentials', () => {
  it('opens a key once for all the requests of the worker, not once per request', async () => {
    await setCredentials({ provider: 'dataforseo', login: 'me@example.com', password: PASSWORD });
    const kept = keptOpenCredentials();
    const unsealing = vi.spyOn(crypto.subtle, 'decrypt');
    const reads = vi.spyOn(fakeBrowser.storage.local, 'get');
    const asked = await Promise.all(Array.from({ length: 20 }, () => kept.get('dataforseo')));
    expect(await kept.get('dataforseo')).toEqual({ provider: 'dataforseo', login: 'me@example.com', password: PASSWORD });
    expect(asked.every((credentials) => credentials?.provider === 'dataforseo')).toBe(true);
    expect(unsealing).toHaveBeenCalledTimes(1);
    expect(reads).toHaveBeenCalledTimes(1);
  });

  it('uses a key saved or removed by the worker from the next request on', async () => {
    const kept = keptOpenCredentials();
    await setCredentials({ provider: 'serpstat', token: TOKEN });
    expect(await kept.get('serpstat')).toEqual({ provider: 'serpstat', token: TOKEN });
    await setCredentials({ provider: 'serpstat', token: `${TOKEN}-new` });
    kept.forget('serpstat');
    expect(await kept.get('serpstat')).toEqual({ provider: 'serpstat', token: `${TOKEN}-new` });
    await clearCredentials('serpstat');
    kept.forget('serpstat');
    expect(await kept.get('serpstat')).toBeNull();
  });

  it('drops its copy when the stored key changes any other way, and a read a change overtook with it', async () => {
    await setCredentials({ provider: 'serpstat', token: TOKEN });
    const kept = keptOpenCredentials();
    expect(await kept.get('serpstat')).toEqual({ provider: 'serpstat', token: TOKEN });
    // Not through the worker's forget: only the storage change tells it.
    await setCredentials({ provider: 'serpstat', token: `${TOKEN}-changed` });
    await vi.waitFor(async () => expect(await kept.get('serpstat')).toEqual({ provider: 'serpstat', token: `${TOKEN}-changed` }));
    // A read still unsealing the old key when the key changes.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const decrypt = crypto.subtle.decrypt.bind(crypto.subtle);
    vi.spyOn(crypto.subtle, 'decrypt').mockImplementationOnce(async (...args) => {
      await held;
      return decrypt(...args);
    });
    kept.forget('serpstat');
    const overtaken = kept.get('serpstat');
    await setCredentials({ provider: 'serpstat', token: `${TOKEN}-newest` });
    kept.forget('serpstat');
    release();
    expect(await overtaken).toEqual({ provider: 'serpstat', token: `${TOKEN}-changed` });
    expect(await kept.get('serpstat')).toEqual({ provider: 'serpstat', token: `${TOKEN}-newest` });
  });
});

describe('keyStatuses', () => {
  it('says not configured when nothing is stored', async () => {
    expect(await keyStatuses()).toEqual({
      serpstat: { configured: false, maskedTail: null },
      dataforseo: { configured: false, maskedTail: null, login: null },
    });
  });

  it('gives the last 4 characters and the login, never a secret', async () => {
    await setCredentials({ provider: 'serpstat', token: TOKEN });
    await setCredentials({ provider: 'dataforseo', login: 'me@example.com', password: PASSWORD });
    const statuses = await keyStatuses();
    expect(statuses).toEqual({
      serpstat: { configured: true, maskedTail: '9f3a' },
      dataforseo: { configured: true, maskedTail: '77c1', login: 'me@example.com' },
    });
    const text = JSON.stringify(statuses);
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(PASSWORD);
  });

  it('shows a secret of 4 characters or fewer as dots only', async () => {
    expect(maskedTail('abcd')).toBe('••••');
    expect(maskedTail('ab')).toBe('••');
    expect(maskedTail('abcde')).toBe('bcde');
    await setCredentials({ provider: 'serpstat', token: 'x1y2' });
    expect((await keyStatuses()).serpstat).toEqual({ configured: true, maskedTail: '••••' });
  });
});

describe('watchCredentialChanges', () => {
  it('tells an open page of every key saved or removed, for both providers, and stops when asked', async () => {
    const changes = vi.fn();
    const stop = watchCredentialChanges(changes);
    await setCredentials({ provider: 'serpstat', token: TOKEN });
    await setCredentials({ provider: 'dataforseo', login: 'me@example.com', password: PASSWORD });
    await clearCredentials('serpstat');
    await vi.waitFor(() => expect(changes).toHaveBeenCalledTimes(3));
    expect(changes.mock.calls.flat()).toEqual([]);
    stop();
    await clearCredentials('dataforseo');
    expect(changes).toHaveBeenCalledTimes(3);
  });
});
