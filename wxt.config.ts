import { defineConfig } from 'wxt';
import tailwindcss from '@tailwindcss/vite';

const PROVIDER_HOSTS = ['https://api.serpstat.com/*', 'https://api.dataforseo.com/*'];

/** Origins of the build-time endpoint overrides (DESIGN.md "Contracts"), e.g. the simulator. */
function overrideOrigins(): string[] {
  return [process.env.WXT_SERPSTAT_API_URL, process.env.WXT_DATAFORSEO_API_URL]
    .filter((value): value is string => Boolean(value))
    .map((value) => `${new URL(value).origin}/*`);
}

export default defineConfig({
  modules: ['@wxt-dev/module-react'],
  vite: () => ({ plugins: [tailwindcss()] }),
  manifest: ({ browser }) => ({
    // Strings from public/_locales (lib/i18n.ts), in the browser's language.
    default_locale: 'en',
    name: '__MSG_extension_name__',
    description: '__MSG_extension_description__',
    permissions: browser === 'firefox' ? ['storage', 'tabs', 'contextMenus'] : ['storage', 'sidePanel', 'tabs', 'contextMenus'],
    host_permissions: [...new Set([...PROVIDER_HOSTS, ...overrideOrigins()])],
    action: { default_title: '__MSG_extension_actionTitle__' },
    ...(browser === 'firefox' && {
      browser_specific_settings: {
        gecko: {
          id: 'backlink-lens@backlink-lens.dev',
          // Declared for the store: the domain or address the user looks up goes to the provider they chose.
          data_collection_permissions: { required: ['browsingActivity'] },
        },
      },
    }),
    // Alt+Shift+B opens the side panel; the user can change it on the browser's shortcuts page.
    commands:
      browser === 'firefox'
        ? { _execute_sidebar_action: { suggested_key: { default: 'Alt+Shift+B' }, description: '__MSG_command_openSidebar__' } }
        : { 'open-side-panel': { suggested_key: { default: 'Alt+Shift+B' }, description: '__MSG_command_openSidePanel__' } },
  }),
});
