import { openDB } from 'idb';
import { z } from 'zod';

/**
 * API keys are stored sealed (AES-GCM), so their plain text is never in storage.local: Chrome
 * hands every extension page that watches storage the new and old value of each item that
 * changes, and no page may ever receive a key. The sealing key is a non-extractable CryptoKey
 * kept in IndexedDB, which tells no page about its changes. Only the background seals and opens.
 */
export const sealedSchema = z.object({ iv: z.string().min(1), data: z.string().min(1) });
export type Sealed = z.infer<typeof sealedSchema>;

const DB_NAME = 'backlink-lens-secrets';
const STORE = 'keys';
const SEALING_KEY_ID = 'sealing-key';

let sealingKey: Promise<CryptoKey> | null = null;

/** The sealing key, made on first use; the same one for every later seal and open. */
function getSealingKey(): Promise<CryptoKey> {
  sealingKey ??= (async () => {
    const database = await openDB(DB_NAME, 1, { upgrade: (db) => void db.createObjectStore(STORE) });
    try {
      const stored = (await database.get(STORE, SEALING_KEY_ID)) as CryptoKey | undefined;
      if (stored) return stored;
      // Made before the transaction: awaiting anything else inside one would end it.
      const created = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
      const tx = database.transaction(STORE, 'readwrite');
      // Another context may have made one meanwhile: theirs wins, or what they sealed could not be opened.
      const raced = (await tx.store.get(SEALING_KEY_ID)) as CryptoKey | undefined;
      if (!raced) await tx.store.add(created, SEALING_KEY_ID);
      await tx.done;
      return raced ?? created;
    } finally {
      database.close();
    }
  })();
  // A failure is not kept: the next call tries again.
  sealingKey.catch(() => (sealingKey = null));
  return sealingKey;
}

const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const fromBase64 = (text: string) => Uint8Array.from(atob(text), (char) => char.charCodeAt(0));

export async function seal(text: string): Promise<Sealed> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, await getSealingKey(), new TextEncoder().encode(text));
  return { iv: toBase64(iv), data: toBase64(new Uint8Array(data)) };
}

/** The sealed text, or null when it cannot be opened (altered, or sealed with a key since lost). */
export async function unseal(sealed: Sealed): Promise<string | null> {
  try {
    const key = await getSealingKey();
    const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: fromBase64(sealed.iv) }, key, fromBase64(sealed.data));
    return new TextDecoder().decode(plain);
  } catch {
    return null;
  }
}
