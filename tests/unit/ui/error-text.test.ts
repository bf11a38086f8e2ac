import { describe, expect, it } from 'vitest';
import { errorCodes, lensError, type ErrorCode } from '../../../lib/shared/errors';
import { describeError } from '../../../lib/ui/error-text';
import { providerIds } from '../../../lib/shared/providers';

describe('describeError', () => {
  const cases = errorCodes.flatMap((code) => [...providerIds, undefined].map((provider) => [code, provider] as const));

  it.each(cases)('%s from %s reads as a sentence with a next step', (code, provider) => {
    for (const error of [
      lensError(code, 'Detail from the adapter.', { provider }),
      // Bare errors too: no message, no provider words.
      lensError(code, '', { provider }),
    ]) {
      const text = describeError(error);
      for (const part of [text.title, text.nextStep]) {
        expect(part.length).toBeGreaterThan(5);
        expect(part).not.toMatch(/undefined|null|\[object|NaN|The provider account|Your The/);
        expect(part).toMatch(/[.!?]$/);
      }
      expect(['openOptions', 'retry', 'none']).toContain(text.action);
    }
  });

  it('names the reached daily cap in the provider\'s unit, from the cap the background sent as data', () => {
    const reached = (provider: 'serpstat' | 'dataforseo', dailyCap: number) =>
      describeError(lensError('over_budget', 'The daily cap is reached.', { provider, dailyCap })).title;
    expect(reached('serpstat', 150)).toBe("Today's cap of 150 credits for Serpstat is reached.");
    expect(reached('dataforseo', 0.5)).toBe("Today's cap of $0.50 for DataForSEO is reached.");
  });

  it('sends a wrong Serpstat token to Options', () => {
    expect(describeError(lensError('bad_key', 'x', { provider: 'serpstat' }))).toEqual({
      title: 'Serpstat rejected your API token.',
      nextStep: 'Check your Serpstat token in Options.',
      action: 'openOptions',
    });
    expect(describeError(lensError('bad_key', 'x', { provider: 'dataforseo' }))).toEqual({
      title: 'DataForSEO rejected your login or API password.',
      nextStep: 'Check your DataForSEO login and API password in Options.',
      action: 'openOptions',
    });
  });

  it('asks for a missing key in Options, by the name Options gives it', () => {
    expect(describeError(lensError('no_key', 'x', { provider: 'serpstat' }))).toMatchObject({
      nextStep: 'Add your Serpstat API token in Options.',
      action: 'openOptions',
    });
    expect(describeError(lensError('no_key', 'x', { provider: 'dataforseo' })).nextStep).toBe(
      'Add your DataForSEO login and API password in Options.',
    );
  });

  it('sends an empty account to the provider, not to a retry', () => {
    expect(describeError(lensError('no_credits', 'x', { provider: 'serpstat' }))).toMatchObject({
      nextStep: expect.stringContaining('Serpstat account'),
      action: 'none',
    });
    expect(describeError(lensError('no_credits', 'x', { provider: 'dataforseo' })).nextStep).toContain('Top up your DataForSEO balance');
  });

  it('names the rejected filter: the provider’s words, else the adapter’s', () => {
    const fromProvider = describeError(
      lensError('bad_filter', 'x', { provider: 'serpstat', providerCode: 32117, providerMessage: 'Not allowed field: foo' }),
    );
    expect(fromProvider.title).toContain('Not allowed field: foo');
    const fromAdapter = describeError(lensError('bad_filter', 'Serpstat cannot filter Outlinks by rank.', { provider: 'serpstat' }));
    expect(fromAdapter.title).toBe('Serpstat cannot filter Outlinks by rank.');
  });

  it('says how long to wait when the provider said it', () => {
    expect(describeError(lensError('rate_limited', 'x', { provider: 'serpstat' })).nextStep).toBe('Wait a minute and try again.');
    expect(describeError(lensError('rate_limited', 'x', { provider: 'serpstat', retryAfterMs: 7000 })).nextStep).toBe(
      'Wait 7 seconds and try again.',
    );
    expect(describeError(lensError('rate_limited', 'x', { provider: 'serpstat', retryAfterMs: 600_000 })).nextStep).toBe(
      'Wait a minute and try again.',
    );
  });

  it('says the provider sent an unreadable answer', () => {
    expect(describeError(lensError('malformed', 'x', { provider: 'dataforseo' })).title).toBe('DataForSEO sent an unreadable answer.');
  });

  it('offers a retry where waiting can help and not where it cannot', () => {
    const action = (code: ErrorCode) => describeError(lensError(code, 'x', { provider: 'dataforseo' })).action;
    for (const code of ['rate_limited', 'server_error', 'network', 'timeout', 'malformed'] as const) expect(action(code)).toBe('retry');
    for (const code of ['no_credits', 'large_domain', 'bad_filter', 'not_supported', 'account_blocked'] as const) expect(action(code)).toBe('none');
    for (const code of ['no_key', 'bad_key', 'over_budget'] as const) expect(action(code)).toBe('openOptions');
  });
});
