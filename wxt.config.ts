import { defineConfig } from 'wxt';
import tailwindcss from '@tailwindcss/vite';
import { inlineStylesheets } from './scripts/inline-stylesheet';

const PROVIDER_HOSTS = ['https://api.serpstat.com/*', 'https://api.dataforseo.com/*'];

/** Origins of the build-time endpoint overrides (lib/background/config.ts), e.g. the simulator. */
function overrideOrigins(): string[] {
  return [process.env.WXT_SERPSTAT_API_URL, process.env.WXT_DATAFORSEO_API_URL]
    .filter((value): value is string => Boolean(value))
    .map((value) => `${new URL(value).origin}/*`);
}

export default defineConfig({
  modules: ['@wxt-dev/module-react'],
  vite: () => ({ plugins: [tailwindcss(), inlineStylesheets('entrypoints/popup/index.html')] }),
  manifest: ({ browser }) => ({
    // Strings from public/_locales (lib/shared/i18n.ts), in the browser's language.
    default_locale: 'en',
    name: '__MSG_extension_name__',
    description: '__MSG_extension_description__',
    permissions: browser === 'firefox' ? ['storage', 'tabs', 'contextMenus'] : ['storage', 'sidePanel', 'tabs', 'contextMenus'],
    host_permissions: [...new Set([...PROVIDER_HOSTS, ...overrideOrigins()])],
    // Firefox builds MV2, where the toolbar button is `browser_action`: WXT fills in the popup there
    // and would leave an `action` of ours out, so each browser gets its own key.
    ...(browser === 'firefox'
      ? { browser_action: { default_title: '__MSG_extension_actionTitle__' } }
      : { action: { default_title: '__MSG_extension_actionTitle__' } }),
    ...(browser === 'firefox' && {
      browser_specific_settings: {
        gecko: {
          id: 'backlink-lens@backlink-lens.dev',
          // The newest key this manifest uses is data_collection_permissions: Firefox's built-in
          // data consent, which exists from Firefox 140 on. Everything else came earlier:
          // storage.session (the pending context-menu lookup) in 115, sidebar_action and its
          // _execute_sidebar_action command, contextMenus and options_ui long before.
          strict_min_version: '140.0',
          // What leaves the device (docs/store-listing.md): the domain or address looked up
          // (browsingActivity) and the user's API key (authenticationInfo), to the provider they chose.
          data_collection_permissions: { required: ['browsingActivity', 'authenticationInfo'] },
        },
        // Firefox for Android has the same key from 142 (it has no sidebar; the popup works there).
        gecko_android: { strict_min_version: '142.0' },
      },
    }),
    // Alt+Shift+B opens the side panel; the user can change it on the browser's shortcuts page.
    commands:
      browser === 'firefox'
        ? { _execute_sidebar_action: { suggested_key: { default: 'Alt+Shift+B' }, description: '__MSG_command_openSidebar__' } }
        : { 'open-side-panel': { suggested_key: { default: 'Alt+Shift+B' }, description: '__MSG_command_openSidePanel__' } },
  }),
});
