import { storage } from 'wxt/utils/storage';
import { z } from 'zod';
import type { KeyStatus, KeyStatuses } from '../shared/protocol';
import type { Credentials } from '../shared/protocol';
import { seal, sealedSchema, unseal, type Sealed } from './secret-box';
import { credentialStorageKeys } from '../shared/settings';
import { providerIds } from '../shared/providers';
import type { ProviderId } from '../shared/providers';

// Keys live in storage.local only (never sync), sealed (lib/background/secret-box.ts), and only the background reads them.
// A plain string is a key saved before sealing: read as it is, and sealed only by sealPlainKeys.
const serpstatTokenItem = storage.defineItem<Sealed | string | null>(credentialStorageKeys.serpstat, { fallback: null, version: 1 });
const dataforseoCredentialsItem = storage.defineItem<{ login: string; password: Sealed | string } | null>(
  credentialStorageKeys.dataforseo,
  { fallback: null, version: 1 },
);

const storedSecret = z.union([sealedSchema, z.string().min(1)]);
const storedLogin = z.object({ login: z.string().min(1), password: storedSecret });

/** The stored credentials, or null when none (or something unusable) is stored. */
export async function getCredentials(provider: ProviderId): Promise<Credentials | null> {
  return (await readCredentials(provider))?.value ?? null;
}

/**
 * The credentials as opened, kept in the worker's memory for its life, so a request (each page of
 * a Load all) neither reads storage nor unseals its key again; the worker holds them while a
 * request runs anyway. Any change to the stored credentials (saved, removed, sealed, changed by
 * hand) drops the copy; `forget` drops it at once for the worker's own changes, before their
 * change event arrives.
 */
export function keptOpenCredentials(): { get: (provider: ProviderId) => Promise<Credentials | null>; forget: (provider: ProviderId) => void } {
  // A read on its way when a change comes is dropped with it: later requests read again.
  const opened = new Map<ProviderId, Promise<Credentials | null>>();
  const forget = (provider: ProviderId) => void opened.delete(provider);
  serpstatTokenItem.watch(() => forget('serpstat'));
  dataforseoCredentialsItem.watch(() => forget('dataforseo'));
  return {
    get(provider) {
      const kept = opened.get(provider);
      if (kept) return kept;
      const reading = getCredentials(provider);
      opened.set(provider, reading);
      // A failed read is not kept (a key saved later drops "none saved" by its change event).
      reading.catch(() => {
        if (opened.get(provider) === reading) opened.delete(provider);
      });
      return reading;
    },
    forget,
  };
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

/** Whether credentials are saved for the provider, read without opening them (the popup asks on every open). */
export async function hasCredentials(provider: ProviderId): Promise<boolean> {
  if (provider === 'serpstat') return storedSecret.safeParse(await serpstatTokenItem.getValue()).success;
  return storedLogin.safeParse(await dataforseoCredentialsItem.getValue()).success;
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
