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
    name: 'Backlink Lens',
    description: 'See who links to the site you are on, with your own Serpstat or DataForSEO API key.',
    permissions: browser === 'firefox' ? ['storage', 'tabs'] : ['storage', 'sidePanel', 'tabs'],
    host_permissions: [...new Set([...PROVIDER_HOSTS, ...overrideOrigins()])],
    action: { default_title: 'Backlink Lens' },
  }),
});
