// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { lensError } from '@/lib/shared/errors';
import { describeError } from '@/lib/ui/error-text';
import type { KeyStatuses, Request } from '@/lib/shared/protocol';
import { fail, ok } from '@/lib/shared/result';
import { preferencesItem } from '@/lib/shared/settings';
import { sendRequest } from '@/lib/ui/messaging/client';
import { AppProviders, createQueryClient } from '@/components/AppProviders';
import { OptionsApp } from '@/components/options/OptionsApp';

vi.mock('@/lib/ui/messaging/client', () => ({ sendRequest: vi.fn() }));
const sendRequestMock = vi.mocked(sendRequest);

const noKeys: KeyStatuses = {
  serpstat: { configured: false, maskedTail: null },
  dataforseo: { configured: false, maskedTail: null },
};

/** A background that stores credentials and answers with masked tails only. */
function fakeBackground() {
  let statuses = noKeys;
  sendRequestMock.mockImplementation((async (request: Request) => {
    switch (request.type) {
      case 'getKeyStatus':
        return ok(statuses);
      case 'setKey': {
        const { credentials } = request;
        statuses =
          credentials.provider === 'serpstat'
            ? { ...statuses, serpstat: { configured: true, maskedTail: credentials.token.slice(-4) } }
            : { ...statuses, dataforseo: { configured: true, maskedTail: credentials.password.slice(-4), login: credentials.login } };
        return ok(statuses);
      }
      case 'clearKey':
        statuses = { ...statuses, [request.provider]: { configured: false, maskedTail: null } };
        return ok(statuses);
      case 'testConnection':
        return request.provider === 'serpstat'
          ? ok({ provider: 'serpstat', creditsLeft: 972836, creditsTotal: 1000000, balanceUsd: null })
          : ok({ provider: 'dataforseo', creditsLeft: null, creditsTotal: null, balanceUsd: 12.34 });
      case 'getUsage':
        return ok({ days: [], cache: { entries: 0, bytes: 0 }, balances: { serpstat: null, dataforseo: null } });
      default:
        throw new Error(`unexpected request ${request.type}`);
    }
  }) as never);
}

function renderOptions() {
  render(
    <AppProviders client={createQueryClient()}>
      <OptionsApp />
    </AppProviders>,
  );
  return {
    serpstat: screen.getByRole('region', { name: 'Serpstat' }),
    dataforseo: screen.getByRole('region', { name: 'DataForSEO' }),
    defaults: screen.getByRole('region', { name: 'Defaults' }),
  };
}

const sent = (type: Request['type']) => sendRequestMock.mock.calls.map(([request]) => request).filter((request) => request.type === type);

beforeEach(() => {
  fakeBrowser.reset();
  sendRequestMock.mockReset();
  fakeBackground();
});
afterEach(cleanup);

describe('options: Serpstat', () => {
  it('saves the token, clears the box and shows only the masked tail', async () => {
    const { serpstat } = renderOptions();
    expect(await within(serpstat).findByText('No token saved.')).toBeTruthy();
    const tokenBox = within(serpstat).getByLabelText('Serpstat API token') as HTMLInputElement;
    expect(tokenBox.type).toBe('password');

    fireEvent.change(tokenBox, { target: { value: 'secret-token-abcd' } });
    fireEvent.click(within(serpstat).getByRole('button', { name: 'Save' }));

    expect(await within(serpstat).findByText('Saved token ends in •••• abcd')).toBeTruthy();
    expect(sent('setKey')).toEqual([{ type: 'setKey', credentials: { provider: 'serpstat', token: 'secret-token-abcd' } }]);
    expect(tokenBox.value).toBe('');
    expect(document.body.innerHTML).not.toContain('secret-token-abcd');
  });

  it('does not send an empty token', async () => {
    const { serpstat } = renderOptions();
    fireEvent.click(within(serpstat).getByRole('button', { name: 'Save' }));
    expect(await within(serpstat).findByText('Enter the Serpstat API token first.')).toBeTruthy();
    expect(sent('setKey')).toEqual([]);
  });

  it('tests the typed token and shows the credits left', async () => {
    const { serpstat } = renderOptions();
    fireEvent.change(within(serpstat).getByLabelText('Serpstat API token'), { target: { value: 'typed-token-0001' } });
    fireEvent.click(within(serpstat).getByRole('button', { name: 'Test connection' }));

    expect(await within(serpstat).findByText('Connected. 972,836 credits left of 1,000,000.')).toBeTruthy();
    expect(sent('testConnection')).toEqual([
      { type: 'testConnection', provider: 'serpstat', credentials: { provider: 'serpstat', token: 'typed-token-0001' } },
    ]);
    expect(sent('setKey')).toEqual([]);
  });

  it('tests the saved token when the box is empty', async () => {
    const { serpstat } = renderOptions();
    fireEvent.click(within(serpstat).getByRole('button', { name: 'Test connection' }));
    await within(serpstat).findByText(/^Connected\./);
    expect(sent('testConnection')).toEqual([{ type: 'testConnection', provider: 'serpstat', credentials: undefined }]);
  });

  it('shows a failed test as the error sentence with its next step', async () => {
    const error = lensError('bad_key', 'Serpstat rejected the token.', { provider: 'serpstat' });
    const background = sendRequestMock.getMockImplementation()!;
    sendRequestMock.mockImplementation((async (request: Request) =>
      request.type === 'testConnection' ? fail(error) : background(request as never)) as never);
    const { serpstat } = renderOptions();
    fireEvent.click(within(serpstat).getByRole('button', { name: 'Test connection' }));

    const { title, nextStep } = describeError(error);
    expect(await within(serpstat).findByText(`${title} ${nextStep}`)).toBeTruthy();
  });

  it('removes a saved token', async () => {
    const { serpstat } = renderOptions();
    fireEvent.change(within(serpstat).getByLabelText('Serpstat API token'), { target: { value: 'secret-token-abcd' } });
    fireEvent.click(within(serpstat).getByRole('button', { name: 'Save' }));
    fireEvent.click(await within(serpstat).findByRole('button', { name: 'Remove' }));

    expect(await within(serpstat).findByText('No token saved.')).toBeTruthy();
    expect(sent('clearKey')).toEqual([{ type: 'clearKey', provider: 'serpstat' }]);
  });
});

describe('options: DataForSEO', () => {
  it('saves login and password together and shows the balance on test', async () => {
    const { dataforseo } = renderOptions();
    fireEvent.change(within(dataforseo).getByLabelText('DataForSEO login'), { target: { value: 'me@example.com' } });
    fireEvent.change(within(dataforseo).getByLabelText('DataForSEO password'), { target: { value: 'api-password-0001' } });
    fireEvent.click(within(dataforseo).getByRole('button', { name: 'Save' }));

    expect(await within(dataforseo).findByText('Saved login me@example.com, password ends in •••• 0001')).toBeTruthy();
    expect(sent('setKey')).toEqual([
      { type: 'setKey', credentials: { provider: 'dataforseo', login: 'me@example.com', password: 'api-password-0001' } },
    ]);

    fireEvent.click(within(dataforseo).getByRole('button', { name: 'Test connection' }));
    expect(await within(dataforseo).findByText('Connected. Balance $12.34.')).toBeTruthy();
  });

  it('refuses a login without a password', async () => {
    const { dataforseo } = renderOptions();
    fireEvent.change(within(dataforseo).getByLabelText('DataForSEO login'), { target: { value: 'me@example.com' } });
    fireEvent.click(within(dataforseo).getByRole('button', { name: 'Save' }));
    fireEvent.click(within(dataforseo).getByRole('button', { name: 'Test connection' }));

    expect(await within(dataforseo).findByText(/Enter both the DataForSEO login and the API password/)).toBeTruthy();
    expect(sent('setKey')).toEqual([]);
    expect(sent('testConnection')).toEqual([]);
  });
});

describe('options: Defaults', () => {
  it('saves provider, scope and a valid page size to the preferences', async () => {
    const { defaults } = renderOptions();
    fireEvent.change(await within(defaults).findByLabelText('Provider'), { target: { value: 'dataforseo' } });
    await vi.waitFor(async () => expect((await preferencesItem.getValue()).provider).toBe('dataforseo'));
    await vi.waitFor(() => expect((within(defaults).getByLabelText('Provider') as HTMLSelectElement).value).toBe('dataforseo'));
    fireEvent.change(within(defaults).getByLabelText('Scope'), { target: { value: 'domain' } });
    await vi.waitFor(async () => expect((await preferencesItem.getValue()).scope).toBe('domain'));

    const pageSize = within(defaults).getByLabelText('Page size');
    fireEvent.change(pageSize, { target: { value: '5' } });
    expect(await within(defaults).findByText('Page size must be a whole number from 10 to 1000.')).toBeTruthy();
    fireEvent.change(pageSize, { target: { value: '250' } });
    await vi.waitFor(async () => expect((await preferencesItem.getValue()).pageSize).toBe(250));
    expect((await preferencesItem.getValue()).provider).toBe('dataforseo');

    fireEvent.change(within(defaults).getByLabelText('Serpstat requests per second'), { target: { value: '10' } });
    await vi.waitFor(async () => expect((await preferencesItem.getValue()).serpstatRequestsPerSecond).toBe(10));

    const pagesAtOnce = within(defaults).getByLabelText('DataForSEO pages loaded at once') as HTMLSelectElement;
    expect(pagesAtOnce.value).toBe('4');
    expect([...pagesAtOnce.options].map((option) => option.value).at(-1)).toBe('30');
    fireEvent.change(pagesAtOnce, { target: { value: '16' } });
    await vi.waitFor(async () => expect((await preferencesItem.getValue()).dataforseoPagesAtOnce).toBe(16));
  });

  it('has a switch, off by default, for the side panel to look up the tab it follows', async () => {
    const { defaults } = renderOptions();
    const lookUp = (await within(defaults).findByRole('checkbox', { name: /Look up the active tab's site/ })) as HTMLInputElement;
    expect(lookUp.checked).toBe(false);
    expect(lookUp.getAttribute('aria-describedby')).toBeTruthy();
    fireEvent.click(lookUp);
    await vi.waitFor(async () => expect((await preferencesItem.getValue()).lookUpFollowedTab).toBe(true));
    await vi.waitFor(() => expect(lookUp.checked).toBe(true));
  });
});
