import { storage } from 'wxt/utils/storage';
import { z } from 'zod';
import { defaultBudget, type BudgetSettings } from './budget';
import { comparedHost, scopeSchema } from './reports';
import { providerCatalogue, providerIdSchema } from './providers';
import type { ProviderId } from './providers';

/** The ranges the options page accepts and stored settings are held to. */
export const settingBounds = {
  pageSize: { min: 10, max: 1000 },
  mySites: { max: 20 },
  ttlHours: { min: 0, max: 24 * 30 },
  maxMegabytes: { min: 1, max: 1000 },
} as const;

export const preferencesSchema = z.object({
  provider: providerIdSchema,
  scope: scopeSchema,
  pageSize: z.number().int().min(settingBounds.pageSize.min).max(settingBounds.pageSize.max),
  serpstatRequestsPerSecond: z.number().int().min(1).max(10),
  /** DataForSEO pages a Load all asks for at once; DataForSEO allows 30 requests in flight. */
  dataforseoPagesAtOnce: z.number().int().min(1).max(providerCatalogue.dataforseo.maxInFlight),
  /** The side panel looks up the active tab's site once it settles; off, it waits for **Look up**. */
  lookUpFollowedTab: z.boolean(),
  /** The user's own sites (hosts, ASCII), for Link gap; the first is the default. Absent from older storage. */
  mySites: z.array(comparedHost).max(settingBounds.mySites.max).optional(),
});
export type Preferences = z.infer<typeof preferencesSchema>;
export const defaultPreferences: Preferences = {
  provider: 'serpstat',
  scope: 'domain_with_subdomains',
  pageSize: 100,
  serpstatRequestsPerSecond: 1,
  // Well under the provider's 30, so a Load all leaves room for the other views' requests.
  dataforseoPagesAtOnce: 4,
  // Off: every tab switch or redirect would otherwise be a paid lookup; the user asks per site.
  lookUpFollowedTab: false,
  mySites: [],
};
/** Defaults the UI may read and change directly: nothing secret in here. */
export const preferencesItem = storage.defineItem<Preferences>('local:preferences', {
  fallback: defaultPreferences,
  version: 1,
});

/** Preferences from whatever is stored: each missing or out-of-range field falls back to its default. */
export function parsePreferences(stored: unknown): Preferences {
  const fields = (stored ?? {}) as Record<string, unknown>;
  const read = <K extends keyof Preferences>(key: K): Preferences[K] => {
    const parsed = preferencesSchema.shape[key].safeParse(fields[key]);
    return parsed.success ? (parsed.data as Preferences[K]) : defaultPreferences[key];
  };
  return {
    provider: read('provider'),
    scope: read('scope'),
    pageSize: read('pageSize'),
    serpstatRequestsPerSecond: read('serpstatRequestsPerSecond'),
    dataforseoPagesAtOnce: read('dataforseoPagesAtOnce'),
    lookUpFollowedTab: read('lookUpFollowedTab'),
    mySites: readMySites(fields.mySites),
  };
}

/** The stored sites that are still valid hosts, each once, in order. */
function readMySites(stored: unknown): string[] {
  if (!Array.isArray(stored)) return [];
  const valid = stored.filter((site): site is string => comparedHost.safeParse(site).success);
  return [...new Set(valid)].slice(0, settingBounds.mySites.max);
}

export async function getPreferences(): Promise<Preferences> {
  return parsePreferences(await preferencesItem.getValue());
}

export const cacheSettingsSchema = z.object({
  ttlHours: z.number().min(settingBounds.ttlHours.min).max(settingBounds.ttlHours.max),
  maxMegabytes: z.number().min(settingBounds.maxMegabytes.min).max(settingBounds.maxMegabytes.max),
});
export type CacheSettings = z.infer<typeof cacheSettingsSchema>;
export const defaultCacheSettings: CacheSettings = { ttlHours: 24, maxMegabytes: 100 };
export const cacheSettingsItem = storage.defineItem<CacheSettings>('local:cacheSettings', {
  fallback: defaultCacheSettings,
  version: 1,
});
/** Cache settings from whatever is stored: the defaults when it is unreadable. */
export function parseCacheSettings(stored: unknown): CacheSettings {
  const parsed = cacheSettingsSchema.safeParse(stored);
  return parsed.success ? parsed.data : defaultCacheSettings;
}
export async function getCacheSettings(): Promise<CacheSettings> {
  return parseCacheSettings(await cacheSettingsItem.getValue());
}

export const budgetItem = storage.defineItem<BudgetSettings>('local:budget', { fallback: defaultBudget, version: 1 });
/** The budget from whatever is stored: each limit not stored is the default. */
export function parseBudget(stored: unknown): BudgetSettings {
  return { ...defaultBudget, ...(typeof stored === 'object' ? (stored as Partial<BudgetSettings> | null) : null) };
}
export async function getBudget(): Promise<BudgetSettings> {
  return parseBudget(await budgetItem.getValue());
}

/** Where the background keeps each provider's key, sealed (lib/background/keys.ts). */
export const credentialStorageKeys = {
  serpstat: 'local:serpstatToken',
  dataforseo: 'local:dataforseoCredentials',
} as const satisfies Record<ProviderId, `local:${string}`>;

/**
 * Calls `onChange` when a key is saved or removed anywhere (options, another window), so an open
 * page asks the background for the key statuses again. What is stored is not handed on.
 */
export function watchCredentialChanges(onChange: () => void): () => void {
  const stops = Object.values(credentialStorageKeys).map((key) => storage.watch(key, () => onChange()));
  return () => stops.forEach((stop) => stop());
}
