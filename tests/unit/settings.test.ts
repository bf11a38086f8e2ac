import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import {
  clearCredentials,
  defaultPreferences,
  getCredentials,
  getPreferences,
  keyStatuses,
  maskedTail,
  parsePreferences,
  preferencesItem,
  setCredentials,
} from '../../lib/settings';

const TOKEN = 'serpstat-secret-token-9f3a';
const PASSWORD = 'dfs-api-password-77c1';

beforeEach(() => fakeBrowser.reset());

describe('credentials', () => {
  it('stores each provider in storage.local, trimmed, and nothing in sync', async () => {
    await setCredentials({ provider: 'serpstat', token: `  ${TOKEN} ` });
    await setCredentials({ provider: 'dataforseo', login: ' me@example.com ', password: PASSWORD });
    expect(await getCredentials('serpstat')).toEqual({ provider: 'serpstat', token: TOKEN });
    expect(await getCredentials('dataforseo')).toEqual({ provider: 'dataforseo', login: 'me@example.com', password: PASSWORD });
    expect(await fakeBrowser.storage.local.get(['serpstatToken', 'dataforseoCredentials'])).toEqual({
      serpstatToken: TOKEN,
      dataforseoCredentials: { login: 'me@example.com', password: PASSWORD },
    });
    expect(await fakeBrowser.storage.sync.get(null)).toEqual({});
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

describe('preferences', () => {
  it('defaults to Serpstat, root domain with subdomains, 100 rows, 1 request a second', async () => {
    expect(await getPreferences()).toEqual({
      provider: 'serpstat',
      scope: 'domain_with_subdomains',
      pageSize: 100,
      serpstatRequestsPerSecond: 1,
    });
    expect(defaultPreferences).toEqual(await preferencesItem.getValue());
  });

  it('keeps valid stored fields and replaces each invalid one with its default', async () => {
    await preferencesItem.setValue({ provider: 'dataforseo', scope: 'url', pageSize: 5000, serpstatRequestsPerSecond: 10 });
    expect(await getPreferences()).toEqual({ provider: 'dataforseo', scope: 'url', pageSize: 100, serpstatRequestsPerSecond: 10 });
    expect(await fakeBrowser.storage.local.get('preferences')).toHaveProperty('preferences');
  });

  it('survives garbage', () => {
    expect(parsePreferences(null)).toEqual(defaultPreferences);
    expect(parsePreferences('nonsense')).toEqual(defaultPreferences);
    expect(parsePreferences({ pageSize: 10, serpstatRequestsPerSecond: 0, provider: 'ahrefs' })).toEqual({
      ...defaultPreferences,
      pageSize: 10,
    });
  });
});
