import { describe, expect, it } from 'vitest';
import { errorCodes, lensError, providerIds } from '../../lib/errors';
import { describeError } from '../../lib/error-text';

describe('describeError', () => {
  const cases = errorCodes.flatMap((code) => providerIds.map((provider) => [code, provider] as const));

  it.each(cases)('%s from %s reads as a sentence with a next step', (code, provider) => {
    const text = describeError(lensError(code, 'Detail from the adapter.', { provider }));
    for (const part of [text.title, text.nextStep]) {
      expect(part.length).toBeGreaterThan(5);
      expect(part).not.toMatch(/undefined|null|\[object/);
    }
  });

  it('sends a wrong Serpstat token to Options', () => {
    expect(describeError(lensError('bad_key', 'x', { provider: 'serpstat' }))).toEqual({
      title: 'Serpstat rejected your credentials.',
      nextStep: 'Check your Serpstat token in Options.',
      action: 'openOptions',
    });
  });

  it('names the rejected filter with the provider’s words', () => {
    const text = describeError(
      lensError('bad_filter', 'x', { provider: 'serpstat', providerCode: 32117, providerMessage: 'Not allowed field: foo' }),
    );
    expect(text.title).toContain('Not allowed field: foo');
  });

  it('offers a retry where waiting can help and not where it cannot', () => {
    expect(describeError(lensError('rate_limited', 'x', { provider: 'dataforseo' })).action).toBe('retry');
    expect(describeError(lensError('no_credits', 'x', { provider: 'dataforseo' })).action).toBe('none');
  });
});
