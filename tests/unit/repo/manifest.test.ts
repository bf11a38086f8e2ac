import { afterEach, describe, expect, it } from 'vitest';
import config from '../../../wxt.config';
import { englishMessage } from '../i18n-setup';

type ManifestFactory = (env: { browser: string }) => Record<string, unknown>;
const manifest = (browser: string) => (config.manifest as unknown as ManifestFactory)({ browser });

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
});

describe('the manifest asks for the fewest permissions', () => {
  it('a production Chrome build: storage, sidePanel, tabs, contextMenus and the providers’ hosts only', () => {
    delete process.env.WXT_SERPSTAT_API_URL;
    delete process.env.WXT_DATAFORSEO_API_URL;
    const chrome = manifest('chrome');
    expect(chrome.permissions).toEqual(['storage', 'sidePanel', 'tabs', 'contextMenus']);
    expect(chrome.host_permissions).toEqual(['https://api.serpstat.com/*', 'https://api.dataforseo.com/*']);
    for (const key of ['content_scripts', 'externally_connectable', 'web_accessible_resources', 'optional_permissions']) {
      expect(chrome).not.toHaveProperty(key);
    }
  });

  it('adds the origins of build-time endpoint overrides, and nothing else', () => {
    process.env.WXT_SERPSTAT_API_URL = 'http://127.0.0.1:41750/v4';
    process.env.WXT_DATAFORSEO_API_URL = 'http://127.0.0.1:41750';
    expect(manifest('chrome').host_permissions).toEqual([
      'https://api.serpstat.com/*',
      'https://api.dataforseo.com/*',
      'http://127.0.0.1:41750/*',
    ]);
  });

  it('Firefox has no sidePanel permission (it uses a sidebar)', () => {
    expect(manifest('firefox').permissions).toEqual(['storage', 'tabs', 'contextMenus']);
  });

  it('the toolbar button keeps its title: `action` in Chrome (MV3), `browser_action` in Firefox (MV2)', () => {
    expect(manifest('chrome').action).toEqual({ default_title: '__MSG_extension_actionTitle__' });
    expect(manifest('chrome')).not.toHaveProperty('browser_action');
    expect(manifest('firefox').browser_action).toEqual({ default_title: '__MSG_extension_actionTitle__' });
    expect(manifest('firefox')).not.toHaveProperty('action');
  });

  it('Firefox: the minimum versions that know data_collection_permissions (140 desktop, 142 Android)', () => {
    const settings = manifest('firefox').browser_specific_settings as Record<string, Record<string, unknown>>;
    expect(settings.gecko).toMatchObject({ strict_min_version: '140.0', data_collection_permissions: { required: ['browsingActivity', 'authenticationInfo'] } });
    expect(settings.gecko_android).toEqual({ strict_min_version: '142.0' });
    expect(manifest('chrome')).not.toHaveProperty('browser_specific_settings');
  });

  it('offers Alt+Shift+B to open the panel: a command of ours in Chrome, the sidebar’s own in Firefox', () => {
    expect(manifest('chrome').commands).toEqual({
      'open-side-panel': { suggested_key: { default: 'Alt+Shift+B' }, description: '__MSG_command_openSidePanel__' },
    });
    expect(manifest('firefox').commands).toEqual({
      _execute_sidebar_action: { suggested_key: { default: 'Alt+Shift+B' }, description: '__MSG_command_openSidebar__' },
    });
    // The browser shows the catalogue's text.
    expect(englishMessage('command_openSidePanel')).toBe('Open the Backlink Lens side panel');
    expect(englishMessage('command_openSidebar')).toBe('Open the Backlink Lens sidebar');
  });
});
