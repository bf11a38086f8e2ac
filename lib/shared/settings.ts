import { storage } from 'wxt/utils/storage';
import { z } from 'zod';
import { defaultBudget, type BudgetSettings } from './budget';
import type { ProviderId } from './errors';
import { providerIdSchema, providerIds } from './errors';
import type { KeyStatus, KeyStatuses, ProviderBalance, ProviderBalances } from './protocol';
import type { Credentials } from '../background/providers/types';
import { scopeSchema } from './reports';
import { seal, sealedSchema, unseal, type Sealed } from '../background/secret-box';

// Keys live in storage.local only (never sync), sealed (lib/background/secret-box.ts), and only the background reads them.
// A plain string is a key saved before sealing: read as it is, and sealed only by sealPlainKeys.
const serpstatTokenItem = storage.defineItem<Sealed | string | null>('local:serpstatToken', { fallback: null, version: 1 });
const dataforseoCredentialsItem = storage.defineItem<{ login: string; password: Sealed | string } | null>(
  'local:dataforseoCredentials',
  { fallback: null, version: 1 },
);

export const preferencesSchema = z.object({
  provider: providerIdSchema,
  scope: scopeSchema,
  pageSize: z.number().int().min(10).max(1000),
  serpstatRequestsPerSecond: z.number().int().min(1).max(10),
  /** The side panel looks up the active tab's site once it settles; off, it waits for **Look up**. */
  lookUpFollowedTab: z.boolean(),
});
export type Preferences = z.infer<typeof preferencesSchema>;
export const defaultPreferences: Preferences = {
  provider: 'serpstat',
  scope: 'domain_with_subdomains',
  pageSize: 100,
  serpstatRequestsPerSecond: 1,
  // Off: every tab switch or redirect would otherwise be a paid lookup; the user asks per site.
  lookUpFollowedTab: false,
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
    lookUpFollowedTab: read('lookUpFollowedTab'),
  };
}

export async function getPreferences(): Promise<Preferences> {
  return parsePreferences(await preferencesItem.getValue());
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

const noBalances: ProviderBalances = { serpstat: null, dataforseo: null };
/** The balance each provider last reported; only the background writes it. */
export const lastBalancesItem = storage.defineItem<ProviderBalances>('local:lastBalances', { fallback: noBalances, version: 1 });
const providerBalanceSchema = z.object({
  creditsLeft: z.number().finite().nullable(),
  balanceUsd: z.number().finite().nullable(),
  seenAt: z.number().finite(),
});

/** The balances last seen; anything unusable in storage reads as "not seen". */
export async function getLastBalances(): Promise<ProviderBalances> {
  const stored = ((await lastBalancesItem.getValue()) ?? {}) as Partial<Record<ProviderId, unknown>>;
  const read = (provider: ProviderId) => {
    const parsed = providerBalanceSchema.safeParse(stored[provider]);
    return parsed.success ? parsed.data : null;
  };
  return { serpstat: read('serpstat'), dataforseo: read('dataforseo') };
}

/** Remembers a balance, or forgets it (null) when the credentials change hands. */
export async function setLastBalance(provider: ProviderId, balance: ProviderBalance | null): Promise<void> {
  await lastBalancesItem.setValue({ ...(await getLastBalances()), [provider]: balance });
}

const storedSecret = z.union([sealedSchema, z.string().min(1)]);
const storedLogin = z.object({ login: z.string().min(1), password: storedSecret });

/** The stored credentials, or null when none (or something unusable) is stored. */
export async function getCredentials(provider: ProviderId): Promise<Credentials | null> {
  return (await readCredentials(provider))?.value ?? null;
}

/**
 * Seals the keys saved before sealing. Writing over a plain key hands it, as the change's
 * oldValue, to every extension page watching storage, so the caller runs this only when no page
 * can be listening (lib/background/key-sealing.ts); until then the plain key is used as it is.
 */
export async function sealPlainKeys(): Promise<void> {
  for (const provider of providerIds) {
    const credentials = await readCredentials(provider);
    if (credentials?.unsealed) await setCredentials(credentials.value);
  }
}

async function readCredentials(provider: ProviderId): Promise<{ value: Credentials; unsealed: boolean } | null> {
  const open = async (secret: z.infer<typeof storedSecret>) => (typeof secret === 'string' ? secret : unseal(secret));
  if (provider === 'serpstat') {
    const stored = storedSecret.safeParse(await serpstatTokenItem.getValue());
    const token = stored.success ? await open(stored.data) : null;
    return token ? { value: { provider, token }, unsealed: typeof stored.data === 'string' } : null;
  }
  const stored = storedLogin.safeParse(await dataforseoCredentialsItem.getValue());
  const password = stored.success ? await open(stored.data.password) : null;
  if (!stored.success || !password) return null;
  return { value: { provider, login: stored.data.login, password }, unsealed: typeof stored.data.password === 'string' };
}

export async function setCredentials(credentials: Credentials): Promise<void> {
  if (credentials.provider === 'serpstat') await serpstatTokenItem.setValue(await seal(credentials.token.trim()));
  else await dataforseoCredentialsItem.setValue({ login: credentials.login.trim(), password: await seal(credentials.password.trim()) });
}

/**
 * Calls `onChange` when a key is saved or removed anywhere (options, another window), so an open
 * page asks the background for the key statuses again. What is stored is not handed on.
 */
export function watchCredentialChanges(onChange: () => void): () => void {
  const stops = [serpstatTokenItem.watch(() => onChange()), dataforseoCredentialsItem.watch(() => onChange())];
  return () => stops.forEach((stop) => stop());
}

export async function clearCredentials(provider: ProviderId): Promise<void> {
  if (provider === 'serpstat') await serpstatTokenItem.removeValue();
  else await dataforseoCredentialsItem.removeValue();
}

const TAIL_LENGTH = 4;

/** The last 4 characters; a secret that short shows as dots only, so the whole of it never shows. */
export function maskedTail(secret: string): string {
  return secret.length > TAIL_LENGTH ? secret.slice(-TAIL_LENGTH) : '•'.repeat(secret.length);
}

/** What the UI may know about the keys: whether they are set and a masked tail, never the key. */
export async function keyStatuses(): Promise<KeyStatuses> {
  const serpstat = await getCredentials('serpstat');
  const dataforseo = await getCredentials('dataforseo');
  const serpstatStatus: KeyStatus = {
    configured: serpstat !== null,
    maskedTail: serpstat?.provider === 'serpstat' ? maskedTail(serpstat.token) : null,
  };
  const dataforseoStatus: KeyStatus = {
    configured: dataforseo !== null,
    maskedTail: dataforseo?.provider === 'dataforseo' ? maskedTail(dataforseo.password) : null,
    login: dataforseo?.provider === 'dataforseo' ? dataforseo.login : null,
  };
  return { serpstat: serpstatStatus, dataforseo: dataforseoStatus };
}
