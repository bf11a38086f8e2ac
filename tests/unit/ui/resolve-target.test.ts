import { describe, expect, it, vi } from 'vitest';
import { lensError } from '@/lib/shared/errors';
import { fail, ok } from '@/lib/shared/result';
import { sendRequest } from '@/lib/ui/messaging/client';
import { resolveTarget } from '@/lib/ui/resolve-target';

vi.mock('@/lib/ui/messaging/client', () => ({ sendRequest: vi.fn() }));
const sendRequestMock = vi.mocked(sendRequest);

describe('resolveTarget', () => {
  it('asks the background and hands on its answer', async () => {
    const target = { ok: true, domain: 'example.com', host: 'www.example.com', displayDomain: 'example.com', url: 'https://www.example.com/' } as const;
    sendRequestMock.mockResolvedValueOnce(ok(target) as never);
    expect(await resolveTarget('tab', 'https://www.example.com/')).toEqual(target);
    expect(sendRequestMock).toHaveBeenCalledWith({ type: 'resolveTarget', kind: 'tab', input: 'https://www.example.com/' });
  });

  it('turns a background that cannot answer into an explanation to show', async () => {
    sendRequestMock.mockResolvedValueOnce(fail(lensError('internal', 'The background is not answering.')) as never);
    expect(await resolveTarget('typed', 'example.com')).toEqual({ ok: false, reason: 'unanswered', message: 'The background is not answering.' });
  });
});
