import { afterEach, expect, test, vi } from 'vitest';
import { popupServerMessageSchema } from '@/lib/shared/protocol';

afterEach(() => vi.restoreAllMocks());

test('parsing never tries `new Function`, which extension pages forbid and the browser reports as a policy violation', () => {
  const evalTry = vi.spyOn(globalThis, 'Function');
  const answer = { type: 'target', requestId: 1, target: { ok: true }, provider: 'serpstat', scope: 'domain', keyConfigured: true, windowId: 3 };
  expect(popupServerMessageSchema.safeParse(answer).success).toBe(true);
  expect(evalTry).not.toHaveBeenCalled();
});
