// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { browser } from 'wxt/browser';
import type { Browser } from 'wxt/browser';
import { lensError } from '@/lib/shared/errors';
import type { LensError } from '@/lib/shared/errors';
import { describeError } from '@/lib/ui/error-text';
import { targetFromTabUrl } from '@/lib/background/domain';
import type { KeyStatuses, NeedsConsent, Request } from '@/lib/shared/protocol';
import type { Summary } from '@/lib/shared/reports';
import { fail, ok } from '@/lib/shared/result';
import type { Result } from '@/lib/shared/result';
import { pendingLookupItem } from '@/lib/shared/pending-lookup';
import { preferencesItem } from '@/lib/shared/settings';
import { sendRequest } from '@/lib/ui/messaging/client';
import { AppProviders, createQueryClient } from '@/components/AppProviders';
import { PopupApp } from '@/components/popup/PopupApp';

vi.mock('@/lib/ui/messaging/client', () => ({ sendRequest: vi.fn() }));
// The background's free answer, without its message: `sendRequest` here records provider requests only.
vi.mock('@/lib/ui/resolve-target', async () => {
  const { resolveTarget } = await import('@/lib/background/domain');
  return { resolveTarget: async (...args: Parameters<typeof resolveTarget>) => resolveTarget(...args) };
});
const sendRequestMock = vi.mocked(sendRequest);

const serpstatOnly: KeyStatuses = {
  serpstat: { configured: true, maskedTail: 'abcd' },
  dataforseo: { configured: false, maskedTail: null },
};
const noKeys: KeyStatuses = {
  serpstat: { configured: false, maskedTail: null },
  dataforseo: { configured: false, maskedTail: null },
};

function summaryFor(target: string, extra: Partial<Summary> = {}): Summary {
  return {
    provider: 'serpstat',
    target,
    referringDomains: 1234,
    outboundDomains: null,
    backlinks: 56789,
    topReferringDomains: Array.from({ length: 10 }, (_, index) => ({
      domain: `ref${index + 1}.example`,
      rank: 90 - index,
      refPages: 1000 + index,
      backlinks: null,
      firstSeen: null,
      lostDate: null,
      spamScore: null,
    })),
    creditsSpent: 11,
    costUsd: 0,
    creditsLeft: 972825,
    fromCache: false,
    fetchedAt: 1,
    ...extra,
  };
}

/** Answers the popup's requests like the background would, recording what was asked. */
function answer(handlers: { keyStatus?: KeyStatuses; summary?: Result<Summary> }) {
  sendRequestMock.mockImplementation((async (request: Request) => {
    if (request.type === 'getKeyStatus') return ok(handlers.keyStatus ?? serpstatOnly);
    if (request.type === 'getSummary') return handlers.summary ?? ok(summaryFor(request.target));
    throw new Error(`unexpected request ${request.type}`);
  }) as never);
}

const requestTypes = () => sendRequestMock.mock.calls.map(([request]) => request.type);

function renderPopup(tabUrl: string) {
  const tab: Partial<Browser.tabs.Tab> = { id: 7, windowId: 3, url: tabUrl, active: true };
  // The promise overload of tabs.query; spyOn picks the callback one for its types.
  vi.spyOn(browser.tabs, 'query').mockResolvedValue([tab] as never);
  return render(
    <AppProviders client={createQueryClient()}>
      <PopupApp />
    </AppProviders>,
  );
}

beforeEach(() => {
  fakeBrowser.reset();
  sendRequestMock.mockReset();
});
afterEach(cleanup);

describe('popup', () => {
  it("shows the tab's domain, the totals, the top 10 referring domains and what the lookup cost", async () => {
    answer({});
    renderPopup('https://blog.shop-example.co.uk/post');

    expect(await screen.findByRole('heading', { name: 'shop-example.co.uk' })).toBeTruthy();
    const table = await screen.findByRole('table', { name: 'Top referring domains' });
    const bodyRows = within(table).getAllByRole('row').slice(1);
    expect(bodyRows).toHaveLength(10);
    expect(within(bodyRows[0]!).getAllByRole('cell').map((cell) => cell.textContent)).toEqual(['ref1.example', '90', '1,000']);

    const totals = screen.getAllByRole('term').map((term) => [term.textContent, term.nextElementSibling?.textContent]);
    expect(totals).toEqual([
      ['Referring domains', '1,234'],
      ['Outbound domains', '—'],
      ['Backlinks', '56,789'],
    ]);
    expect(screen.getByText('This lookup cost 11 credits · 972,825 credits left')).toBeTruthy();
    expect(sendRequestMock).toHaveBeenCalledWith({ type: 'getSummary', provider: 'serpstat', target: 'shop-example.co.uk', scope: 'domain_with_subdomains' });
  });

  it('shows what a lookup above the per-lookup limit costs, and asks again with the go-ahead only when clicked', async () => {
    const needs: NeedsConsent = { type: 'needsConsent', provider: 'serpstat', page: 1, nextCost: 11, spent: 0, limit: 5 };
    sendRequestMock.mockImplementation((async (request: Request) => {
      if (request.type === 'getKeyStatus') return ok(serpstatOnly);
      if (request.type === 'getSummary') return ok(request.consent === 'continue' ? summaryFor(request.target) : needs);
      throw new Error(`unexpected request ${request.type}`);
    }) as never);
    renderPopup('https://shop-example.co.uk/');

    expect(await screen.findByText('This lookup costs about 11 credits, above your limit of 5 credits per lookup. Nothing has been sent.')).toBeTruthy();
    const summaries = () => sendRequestMock.mock.calls.map(([request]) => request).filter((request) => request.type === 'getSummary');
    expect(summaries()).toEqual([{ type: 'getSummary', provider: 'serpstat', target: 'shop-example.co.uk', scope: 'domain_with_subdomains' }]);

    fireEvent.click(screen.getByRole('button', { name: 'Look up for 11 credits' }));
    expect(await screen.findByText('This lookup cost 11 credits · 972,825 credits left')).toBeTruthy();
    expect(summaries().at(-1)).toEqual({ type: 'getSummary', provider: 'serpstat', target: 'shop-example.co.uk', scope: 'domain_with_subdomains', consent: 'continue' });
  });

  it('shows a DataForSEO cost in dollars, to five decimals', async () => {
    await preferencesItem.setValue({ ...(await preferencesItem.getValue()), provider: 'dataforseo' });
    answer({
      keyStatus: { ...noKeys, dataforseo: { configured: true, maskedTail: '0001', login: 'me@example.com' } },
      summary: ok(summaryFor('shop-example.co.uk', { provider: 'dataforseo', creditsSpent: 0, costUsd: 0.0203, creditsLeft: null })),
    });
    renderPopup('https://shop-example.co.uk/');

    expect(await screen.findByText('This lookup cost $0.02030')).toBeTruthy();
  });

  it('says under the cost line when a retried request was billed', async () => {
    await preferencesItem.setValue({ ...(await preferencesItem.getValue()), provider: 'dataforseo' });
    answer({
      keyStatus: { ...noKeys, dataforseo: { configured: true, maskedTail: '0001', login: 'me@example.com' } },
      summary: ok(
        summaryFor('shop-example.co.uk', {
          provider: 'dataforseo',
          creditsSpent: 0,
          costUsd: 0.0403,
          creditsLeft: null,
          billedRetries: { attempts: 1, credits: 0, usd: 0.02 },
        }),
      ),
    });
    renderPopup('https://shop-example.co.uk/');

    expect(await screen.findByText('This lookup cost $0.04030')).toBeTruthy();
    expect(screen.getByText('Includes $0.02000 for 1 failed request that DataForSEO billed and that was retried')).toBeTruthy();
  });

  it('asks for a key and sends no lookup when the provider has none', async () => {
    answer({ keyStatus: noKeys });
    renderPopup('https://shop-example.co.uk/');

    expect(await screen.findByText('Add your Serpstat API token in Options to see backlinks.')).toBeTruthy();
    // "Open options" opens Options at the Serpstat token field (options.html#serpstat).
    const openTab = vi.spyOn(browser.tabs, 'create').mockResolvedValue({} as never);
    fireEvent.click(screen.getByRole('button', { name: 'Open options' }));
    expect(openTab).toHaveBeenCalledExactlyOnceWith({ url: `${browser.runtime.getURL('/options.html')}#serpstat` });
    expect(requestTypes()).toEqual(['getKeyStatus']);
  });

  it('explains a browser page, offers the Domain box and sends nothing for an invalid domain', async () => {
    answer({});
    renderPopup('chrome://extensions/');

    const parsed = targetFromTabUrl('chrome://extensions/');
    if (parsed.ok) throw new Error('a browser page must not be a target');
    expect(await screen.findByText(parsed.message)).toBeTruthy();
    const domainBox = screen.getByRole('textbox', { name: 'Domain' });
    fireEvent.change(domainBox, { target: { value: 'not a domain!' } });
    fireEvent.click(screen.getByRole('button', { name: 'Look up' }));

    expect(await screen.findByRole('alert')).toBeTruthy();
    expect(sendRequestMock).not.toHaveBeenCalled();
  });

  it('looks up a typed domain from a browser page', async () => {
    answer({});
    renderPopup('chrome://extensions/');

    fireEvent.change(await screen.findByRole('textbox', { name: 'Domain' }), { target: { value: 'travel-example.com' } });
    fireEvent.click(screen.getByRole('button', { name: 'Look up' }));

    expect(await screen.findByRole('heading', { name: 'travel-example.com' })).toBeTruthy();
    expect(await screen.findByRole('table', { name: 'Top referring domains' })).toBeTruthy();
    expect(sendRequestMock).toHaveBeenCalledWith(expect.objectContaining({ type: 'getSummary', target: 'travel-example.com' }));
  });

  it('turns a failed lookup into a sentence with the next step', async () => {
    const error: LensError = lensError('bad_key', 'Serpstat rejected the token.', { provider: 'serpstat' });
    answer({ summary: fail(error) });
    renderPopup('https://shop-example.co.uk/');

    const text = describeError(error);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain(text.title);
    expect(alert.textContent).toContain(text.nextStep);
    if (text.action === 'openOptions') expect(within(alert).getByRole('button', { name: 'Open options' })).toBeTruthy();
    if (text.action === 'retry') expect(within(alert).getByRole('button', { name: 'Try again' })).toBeTruthy();
  });

  it('retries a retryable failure only when asked', async () => {
    const busy: LensError = lensError('rate_limited', 'Too many requests.', { provider: 'serpstat', retryable: true });
    answer({ summary: fail(busy) });
    renderPopup('https://shop-example.co.uk/');

    const retry = await screen.findByRole('button', { name: 'Try again' });
    expect(requestTypes().filter((type) => type === 'getSummary')).toHaveLength(1);
    answer({});
    fireEvent.click(retry);
    expect(await screen.findByRole('table', { name: 'Top referring domains' })).toBeTruthy();
    expect(requestTypes().filter((type) => type === 'getSummary')).toHaveLength(2);
  });

  it('opens the side panel of the tab’s window from the click and hands it the tab’s page to look up at once', async () => {
    answer({});
    renderPopup('https://blog.shop-example.co.uk/post?id=1');
    const open = vi.fn().mockResolvedValue(undefined);
    (browser as unknown as { sidePanel: { open: typeof open } }).sidePanel = { open };
    const close = vi.spyOn(window, 'close').mockImplementation(() => undefined);

    await screen.findByRole('heading', { name: 'shop-example.co.uk' });
    fireEvent.click(screen.getByRole('button', { name: 'Open side panel' }));

    expect(open).toHaveBeenCalledWith({ windowId: 3 });
    await vi.waitFor(() => expect(close).toHaveBeenCalled());
    // The page address, so the panel can offer "This page" as for the tab itself.
    expect(await pendingLookupItem.getValue()).toEqual({ url: 'https://blog.shop-example.co.uk/post?id=1', windowId: 3, requestedAt: expect.any(Number) });
  });

  it('hands the side panel a domain typed in the popup, not the tab’s', async () => {
    answer({});
    renderPopup('chrome://extensions/');
    (browser as unknown as { sidePanel: { open: () => Promise<void> } }).sidePanel = { open: vi.fn().mockResolvedValue(undefined) };
    const close = vi.spyOn(window, 'close').mockImplementation(() => undefined);

    fireEvent.change(await screen.findByRole('textbox', { name: 'Domain' }), { target: { value: 'travel-example.com' } });
    fireEvent.click(screen.getByRole('button', { name: 'Look up' }));
    await screen.findByRole('heading', { name: 'travel-example.com' });
    fireEvent.click(screen.getByRole('button', { name: 'Open side panel' }));

    await vi.waitFor(() => expect(close).toHaveBeenCalled());
    expect(await pendingLookupItem.getValue()).toMatchObject({ url: 'https://travel-example.com/', windowId: 3 });
  });

  it('opens the panel without a hand-over on a browser page, so the panel explains the tab', async () => {
    answer({});
    renderPopup('chrome://extensions/');
    const open = vi.fn().mockResolvedValue(undefined);
    (browser as unknown as { sidePanel: { open: typeof open } }).sidePanel = { open };
    const close = vi.spyOn(window, 'close').mockImplementation(() => undefined);

    await screen.findByRole('textbox', { name: 'Domain' });
    fireEvent.click(screen.getByRole('button', { name: 'Open side panel' }));

    expect(open).toHaveBeenCalledWith({ windowId: 3 });
    await vi.waitFor(() => expect(close).toHaveBeenCalled());
    expect(await pendingLookupItem.getValue()).toBeNull();
  });
});
