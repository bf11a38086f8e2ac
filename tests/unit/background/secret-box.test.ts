import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';

/** A fresh copy of the module, as a new worker start (or another extension page) would load it. */
async function freshSecretBox() {
  vi.resetModules();
  return import('../../../lib/background/secret-box');
}

describe('secret box', () => {
  it('seals to text that does not contain the secret and opens it again, after a restart too', async () => {
    const box = await freshSecretBox();
    const sealed = await box.seal('sk-live-0123456789');
    expect(box.sealedSchema.safeParse(sealed).success).toBe(true);
    expect(JSON.stringify(sealed)).not.toContain('0123456789');
    // A fresh IV each time: the same secret never seals to the same text.
    expect((await box.seal('sk-live-0123456789')).data).not.toBe(sealed.data);
    expect(await (await freshSecretBox()).unseal(sealed)).toBe('sk-live-0123456789');
  });

  it('keeps one sealing key when two starts make one at the same moment', async () => {
    await new Promise((resolve) => (indexedDB.deleteDatabase('backlink-lens-secrets').onsuccess = resolve));
    const first = await freshSecretBox();
    const second = await freshSecretBox();
    const [a, b] = await Promise.all([first.seal('from the first'), second.seal('from the second')]);
    const third = await freshSecretBox();
    expect(await third.unseal(a)).toBe('from the first');
    expect(await third.unseal(b)).toBe('from the second');
  });

  it('opens nothing that was altered', async () => {
    const box = await freshSecretBox();
    const sealed = await box.seal('secret');
    expect(await box.unseal({ ...sealed, data: btoa('something else entirely') })).toBeNull();
    expect(await box.unseal({ iv: 'not base64!', data: sealed.data })).toBeNull();
  });
});
