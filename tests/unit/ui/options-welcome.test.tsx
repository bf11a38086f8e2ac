// @vitest-environment happy-dom
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render, screen, within } from '@testing-library/react';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { KeyStatuses, Request } from '@/lib/shared/protocol';
import { ok } from '@/lib/shared/result';
import { sendRequest } from '@/lib/ui/messaging/client';
import { AppProviders, createQueryClient } from '@/components/AppProviders';
import { privacyMarkdown, privacyPolicy } from '@/lib/ui/privacy-policy';
import { OptionsApp } from '@/components/options/OptionsApp';
import { englishMessage } from '../i18n-setup';

/** Options: the welcome after installation, the deep links to a provider's key field, the privacy policy. */

vi.mock('@/lib/ui/messaging/client', () => ({ sendRequest: vi.fn() }));
const sendRequestMock = vi.mocked(sendRequest);

const noKeys: KeyStatuses = {
  serpstat: { configured: false, maskedTail: null },
  dataforseo: { configured: false, maskedTail: null },
};

function renderOptionsAt(hash: string) {
  window.location.hash = hash;
  render(
    <AppProviders client={createQueryClient()}>
      <OptionsApp />
    </AppProviders>,
  );
}

beforeEach(() => {
  fakeBrowser.reset();
  sendRequestMock.mockReset();
  sendRequestMock.mockImplementation((async (request: Request) => {
    if (request.type === 'getKeyStatus') return ok(noKeys);
    if (request.type === 'getUsage') return ok({ days: [], cache: { entries: 0, bytes: 0 }, balances: { serpstat: null, dataforseo: null } });
    throw new Error(`unexpected request ${request.type}`);
  }) as never);
});
afterEach(() => {
  cleanup();
  window.location.hash = '';
});

describe('the welcome', () => {
  it('opened at #welcome: what the extension does, where each key comes from, what a lookup costs', () => {
    renderOptionsAt('#welcome');
    const welcome = screen.getByRole('region', { name: 'Welcome to Backlink Lens' });
    expect(within(welcome).getByText(/^Backlink Lens shows who links to the site you are on/)).toBeTruthy();
    expect(within(welcome).getByText(/API page of your Serpstat account/)).toBeTruthy();
    expect(within(welcome).getByText(/API Access page of the DataForSEO dashboard/)).toBeTruthy();
    expect(
      within(welcome).getByText(
        /a side-panel page of 100 rows costs 100 credits; DataForSEO charges \$0\.02000 per request plus \$0\.00003 per row, so the same page costs \$0\.02300\./,
      ),
    ).toBeTruthy();
  });

  it('is not shown when Options is opened any other way', () => {
    renderOptionsAt('');
    expect(screen.queryByRole('region', { name: 'Welcome to Backlink Lens' })).toBeNull();
  });
});

describe('deep links to a key field', () => {
  it('#serpstat focuses the Serpstat API token', () => {
    renderOptionsAt('#serpstat');
    expect(document.activeElement).toBe(screen.getByLabelText('Serpstat API token'));
  });

  it('#dataforseo focuses the DataForSEO login, also when the link changes on an open page', () => {
    renderOptionsAt('');
    expect(document.activeElement).toBe(document.body);
    window.location.hash = '#dataforseo';
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    return vi.waitFor(() => expect(document.activeElement).toBe(screen.getByLabelText('DataForSEO login')));
  });
});

describe('the privacy policy', () => {
  it('is a section of Options, linked from the top of the page, with every block of the policy', () => {
    renderOptionsAt('');
    const privacy = screen.getByRole('region', { name: 'Privacy policy' });
    expect(privacy.id).toBe('privacy');
    expect(screen.getByRole('link', { name: 'Privacy' }).getAttribute('href')).toBe('#privacy');
    const keys = privacyPolicy.flatMap((part) => (part.kind === 'list' ? part.keys : [part.key]));
    for (const key of keys) expect(within(privacy).getByText(englishMessage(key))).toBeTruthy();
    expect(within(privacy).getAllByRole('listitem')).toHaveLength(keys.length - privacyPolicy.filter((part) => part.kind !== 'list').length);
  });

  it('docs/privacy.md is the same text, from the English catalogue (npm run docs:privacy writes it)', () => {
    const doc = readFileSync(path.join(__dirname, '../../../docs/privacy.md'), 'utf8');
    expect(doc).toBe(privacyMarkdown((key) => englishMessage(key)));
    expect(doc).toContain('## What is sent, to whom, and when');
  });
});
