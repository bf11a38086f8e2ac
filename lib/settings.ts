import { storage } from 'wxt/utils/storage';
import { z } from 'zod';
import { defaultBudget, type BudgetSettings } from './budget';
import type { ProviderId } from './errors';
import { providerIdSchema } from './errors';
import type { KeyStatus, KeyStatuses } from './protocol';
import type { Credentials } from './providers/types';
import { scopeSchema } from './reports';

// Keys live in storage.local only (never sync) and only the background reads them.
const serpstatTokenItem = storage.defineItem<string | null>('local:serpstatToken', { fallback: null, version: 1 });
const dataforseoCredentialsItem = storage.defineItem<{ login: string; password: string } | null>(
  'local:dataforseoCredentials',
  { fallback: null, version: 1 },
);

export const preferencesSchema = z.object({
  provider: providerIdSchema,
  scope: scopeSchema,
  pageSize: z.number().int().min(10).max(1000),
  serpstatRequestsPerSecond: z.number().int().min(1).max(10),
});
export type Preferences = z.infer<typeof preferencesSchema>;
export const defaultPreferences: Preferences = {
  provider: 'serpstat',
  scope: 'domain_with_subdomains',
  pageSize: 100,
  serpstatRequestsPerSecond: 1,
};
/** Defaults the UI may read and change directly: nothing secret in here. */
export const preferencesItem = storage.defineItem<Preferences>('local:preferences', {
  fallback: defaultPreferences,
  version: 1,
});

/** Stored preferences, with defaults for anything missing or out of range. */
export async function getPreferences(): Promise<Preferences> {
  const parsed = preferencesSchema.partial().safeParse(await preferencesItem.getValue());
  return { ...defaultPreferences, ...(parsed.success ? parsed.data : {}) };
}

export const cacheSettingsSchema = z.object({
  ttlHours: z.number().min(0).max(24 * 30),
  maxMegabytes: z.number().min(1).max(1000),
});
export type CacheSettings = z.infer<typeof cacheSettingsSchema>;
export const defaultCacheSettings: CacheSettings = { ttlHours: 24, maxMegabytes: 100 };
export const cacheSettingsItem = storage.defineItem<CacheSettings>('local:cacheSettings', {
  fallback: defaultCacheSettings,
  version: 1,
});
export async function getCacheSettings(): Promise<CacheSettings> {
  const parsed = cacheSettingsSchema.safeParse(await cacheSettingsItem.getValue());
  return parsed.success ? parsed.data : defaultCacheSettings;
}

export const budgetItem = storage.defineItem<BudgetSettings>('local:budget', { fallback: defaultBudget, version: 1 });
export async function getBudget(): Promise<BudgetSettings> {
  return { ...defaultBudget, ...(await budgetItem.getValue()) };
}

export async function getCredentials(provider: ProviderId): Promise<Credentials | null> {
  if (provider === 'serpstat') {
    const token = await serpstatTokenItem.getValue();
    return token ? { provider, token } : null;
  }
  const stored = await dataforseoCredentialsItem.getValue();
  return stored ? { provider, ...stored } : null;
}

export async function setCredentials(credentials: Credentials): Promise<void> {
  if (credentials.provider === 'serpstat') await serpstatTokenItem.setValue(credentials.token.trim());
  else await dataforseoCredentialsItem.setValue({ login: credentials.login.trim(), password: credentials.password.trim() });
}

export async function clearCredentials(provider: ProviderId): Promise<void> {
  if (provider === 'serpstat') await serpstatTokenItem.removeValue();
  else await dataforseoCredentialsItem.removeValue();
}

/** Last 4 characters, and only when the secret is long enough that they give it away. */
export function maskedTail(secret: string): string {
  return secret.length > 8 ? secret.slice(-4) : '';
}

/** What the UI may know about the keys: whether they are set and a masked tail, never the key. */
export async function keyStatuses(): Promise<KeyStatuses> {
  const token = await serpstatTokenItem.getValue();
  const dataforseo = await dataforseoCredentialsItem.getValue();
  const serpstatStatus: KeyStatus = { configured: Boolean(token), maskedTail: token ? maskedTail(token) : null };
  const dataforseoStatus: KeyStatus = {
    configured: Boolean(dataforseo),
    maskedTail: dataforseo ? maskedTail(dataforseo.password) : null,
    login: dataforseo?.login ?? null,
  };
  return { serpstat: serpstatStatus, dataforseo: dataforseoStatus };
}
