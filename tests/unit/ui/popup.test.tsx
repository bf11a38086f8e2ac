// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { browser } from 'wxt/browser';
import { lensError } from '@/lib/shared/errors';
import type { LensError } from '@/lib/shared/errors';
import { describeError } from '@/lib/ui/error-text';
import { targetFromTabUrl } from '@/lib/background/domain';
import type { NeedsConsent } from '@/lib/shared/protocol';
import { fail, ok, type Result } from '@/lib/shared/result';
import type { TablePage } from '@/lib/shared/reports';
import type { PaidQuery, PaidRow } from '@/lib/shared/summary';
import { pendingLookupItem } from '@/lib/shared/pending-lookup';
import { paidAnswer, renderPopup, sampleTotals } from '../popup-harness';

// The Domain box asks the background what typed text is; here the background's own rules answer.
vi.mock('@/lib/ui/resolve-target', () => import('../resolve-target-here'));

const totalsShown = () => screen.getAllByRole('term').map((term) => [term.textContent, term.nextElementSibling?.textContent]);
const asked = (fetchPage: ReturnType<typeof renderPopup>['fetchPage']) => fetchPage.mock.calls.map(([query]) => [query.report, query.target]);

/** DataForSEO's answers: the summary at `summaryUsd` with `summary` changed, the top 10 at $0.0203. */
const dataforseoAnswers = (summaryUsd: number, summary: Partial<TablePage<PaidRow>>) => async (query: PaidQuery) =>
  ok(
    paidAnswer(query, {
      creditsSpent: 0,
      creditsLeft: null,
      costUsd: query.report === 'summary' ? summaryUsd : 0.0203,
      ...(query.report === 'summary' ? summary : {}),
    }),
  );

beforeEach(() => fakeBrowser.reset());
afterEach(cleanup);

describe('popup', () => {
  it("shows the tab's domain, the totals, the top 10 referring domains and what the lookup cost", async () => {
    const { fetchPage } = renderPopup('https://blog.shop-example.co.uk/post');

    expect(await screen.findByRole('heading', { name: 'shop-example.co.uk' })).toBeTruthy();
    const table = await screen.findByRole('table', { name: 'Top referring domains' });
    const bodyRows = within(table).getAllByRole('row').slice(1);
    expect(bodyRows).toHaveLength(10);
    expect(within(bodyRows[0]!).getAllByRole('cell').map((cell) => cell.textContent)).toEqual(['ref1.example', '90', '1,000']);

    expect(within(screen.getByRole('group', { name: 'Totals' })).getAllByRole('term').map((term) => term.textContent)).toEqual([
      'Referring domains',
      'Backlinks',
      'Dofollow',
      'Outbound domains',
      'Domain rank',
    ]);
    expect(totalsShown()).toEqual([
      ['Referring domains', '1,234'],
      ['Backlinks', '56,789'],
      ['Dofollow', '74%'],
      ['Outbound domains', '88'],
      ['Domain rank', '61'],
    ]);
    expect(screen.getByText('+12 in 7 days')).toBeTruthy();
    expect(screen.getByText('-3 in 7 days')).toBeTruthy();
    expect(screen.getByText('This lookup cost 11 credits · 972,825 credits left')).toBeTruthy();
    expect(asked(fetchPage)).toEqual([
      ['summary', 'shop-example.co.uk'],
      ['refDomains', 'shop-example.co.uk'],
    ]);
    expect(screen.getByRole('region', { name: 'Summary' }).getAttribute('aria-busy')).toBe('false');
  });

  it('shows the totals as soon as they arrive, before the top referring domains, and the cost once both are in', async () => {
    let answerTop: (result: Result<TablePage<PaidRow>>) => void = () => undefined;
    renderPopup('https://shop-example.co.uk/', {
      fetchPage: (query: PaidQuery) =>
        query.report === 'summary' ? Promise.resolve(ok(paidAnswer(query))) : new Promise((resolve) => (answerTop = resolve)),
    });

    expect(await screen.findByRole('group', { name: 'Totals' })).toBeTruthy();
    expect(screen.queryByRole('table', { name: 'Top referring domains' })).toBeNull();
    expect(screen.getByRole('region', { name: 'Summary' }).getAttribute('aria-busy')).toBe('true');
    expect(screen.queryByText(/This lookup cost/)).toBeNull();

    answerTop(ok(paidAnswer({ provider: 'serpstat', report: 'refDomains', target: 'shop-example.co.uk', scope: 'domain', filters: [], pageSize: 10 })));
    expect(await screen.findByRole('table', { name: 'Top referring domains' })).toBeTruthy();
    expect(screen.getByText('This lookup cost 11 credits · 972,825 credits left')).toBeTruthy();
    expect(screen.getByRole('region', { name: 'Summary' }).getAttribute('aria-busy')).toBe('false');
  });

  it('says when the provider has no data for the site', async () => {
    renderPopup('https://shop-example.co.uk/', {
      fetchPage: async (query) => ok(paidAnswer(query, query.report === 'summary' ? { rows: [], total: 0 } : { rows: [], total: 0 })),
    });
    expect(await screen.findByText('Serpstat has no data for this site.')).toBeTruthy();
    expect(await screen.findByText('No referring domains found.')).toBeTruthy();
  });

  it('leaves out the figures the provider does not give, and a dofollow share without backlinks', async () => {
    renderPopup('https://shop-example.co.uk/', {
      preferences: { provider: 'dataforseo' },
      fetchPage: dataforseoAnswers(0.02003, {
        rows: [{ ...sampleTotals, referringDomains: { value: 9, weekChange: null }, backlinks: { value: 0, weekChange: null }, outboundDomains: null }],
      }),
    });
    await screen.findByRole('group', { name: 'Totals' });
    expect(totalsShown()).toEqual([
      ['Referring domains', '9'],
      ['Backlinks', '0'],
      ['Domain rank', '61'],
    ]);
    expect(screen.queryByText(/in 7 days/)).toBeNull();
    expect(await screen.findByText('This lookup cost $0.04033')).toBeTruthy();
  });

  it('shows what a lookup above the per-lookup limit costs, and asks again with the go-ahead only when clicked', async () => {
    const needs: NeedsConsent = { type: 'needsConsent', provider: 'serpstat', page: 1, nextCost: 11, spent: 0, limit: 5 };
    const { fetchPage, checkLimit } = renderPopup('https://shop-example.co.uk/', { needs: (consent) => (consent === 'continue' ? null : needs) });

    expect(await screen.findByText('This lookup costs about 11 credits, above your limit of 5 credits per lookup. Nothing has been sent.')).toBeTruthy();
    expect(fetchPage).not.toHaveBeenCalled();

    fireEvent.click(screen.getByRole('button', { name: 'Look up for 11 credits' }));
    expect(await screen.findByText('This lookup cost 11 credits · 972,825 credits left')).toBeTruthy();
    expect(checkLimit.mock.calls.map(([, consent]) => consent)).toEqual([undefined, 'continue']);
    expect(fetchPage).toHaveBeenCalledTimes(2);
  });

  it('says under the cost line when a retried request was billed', async () => {
    renderPopup('https://shop-example.co.uk/', {
      preferences: { provider: 'dataforseo' },
      fetchPage: dataforseoAnswers(0.04003, { billedRetries: { attempts: 1, credits: 0, usd: 0.02 } }),
    });

    expect(await screen.findByText('This lookup cost $0.06033')).toBeTruthy();
    expect(screen.getByText('Includes $0.02000 for 1 failed request that DataForSEO billed and that was retried')).toBeTruthy();
  });

  it('asks for a key and sends no lookup when the provider has none', async () => {
    const { fetchPage } = renderPopup('https://shop-example.co.uk/', { keyConfigured: false });

    expect(await screen.findByText('Add your Serpstat API token in Options to see backlinks.')).toBeTruthy();
    // "Open options" opens Options at the Serpstat token field (options.html#serpstat).
    const openTab = vi.spyOn(browser.tabs, 'create').mockResolvedValue({} as never);
    fireEvent.click(screen.getByRole('button', { name: 'Open options' }));
    expect(openTab).toHaveBeenCalledExactlyOnceWith({ url: `${browser.runtime.getURL('/options.html')}#serpstat` });
    expect(fetchPage).not.toHaveBeenCalled();
  });

  it('explains a browser page, offers the Domain box and sends nothing for an invalid domain', async () => {
    const { fetchPage } = renderPopup('chrome://extensions/');

    const parsed = targetFromTabUrl('chrome://extensions/');
    if (parsed.ok) throw new Error('a browser page must not be a target');
    expect(await screen.findByText(parsed.message)).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'No site to look up' })).toBeTruthy();
    const domainBox = screen.getByRole('textbox', { name: 'Domain' });
    fireEvent.change(domainBox, { target: { value: 'not a domain!' } });
    fireEvent.click(screen.getByRole('button', { name: 'Look up' }));

    expect(await screen.findByRole('alert')).toBeTruthy();
    expect(fetchPage).not.toHaveBeenCalled();
  });

  it('looks up a typed domain from a browser page', async () => {
    const { fetchPage } = renderPopup('chrome://extensions/');

    fireEvent.change(await screen.findByRole('textbox', { name: 'Domain' }), { target: { value: 'travel-example.com' } });
    fireEvent.click(screen.getByRole('button', { name: 'Look up' }));

    expect(await screen.findByRole('heading', { name: 'travel-example.com' })).toBeTruthy();
    expect(await screen.findByRole('table', { name: 'Top referring domains' })).toBeTruthy();
    expect(asked(fetchPage)).toEqual([
      ['summary', 'travel-example.com'],
      ['refDomains', 'travel-example.com'],
    ]);
  });

  it('turns a failed lookup into one sentence with the next step, however many of its requests failed', async () => {
    const error: LensError = lensError('bad_key', 'Serpstat rejected the token.', { provider: 'serpstat' });
    renderPopup('https://shop-example.co.uk/', { fetchPage: async () => fail(error) });

    const text = describeError(error);
    const alert = await screen.findByRole('alert');
    await screen.findByText(/This lookup|Try again|Open options/);
    expect(screen.getAllByRole('alert')).toHaveLength(1);
    expect(alert.textContent).toContain(text.title);
    expect(alert.textContent).toContain(text.nextStep);
    if (text.action === 'openOptions') expect(within(alert).getByRole('button', { name: 'Open options' })).toBeTruthy();
    if (text.action === 'retry') expect(within(alert).getByRole('button', { name: 'Try again' })).toBeTruthy();
  });

  it('keeps what arrived when only one part fails, and retries only when asked', async () => {
    const busy: LensError = lensError('rate_limited', 'Too many requests.', { provider: 'serpstat', retryable: true });
    let failing = true;
    const { fetchPage } = renderPopup('https://shop-example.co.uk/', {
      fetchPage: async (query) => (failing && query.report === 'refDomains' ? fail(busy) : ok(paidAnswer(query))),
    });

    const retry = await screen.findByRole('button', { name: 'Try again' });
    expect(screen.getByRole('group', { name: 'Totals' })).toBeTruthy();
    expect(screen.getByText('This lookup cost 1 credit · 972,835 credits left')).toBeTruthy();
    expect(fetchPage).toHaveBeenCalledTimes(2);
    failing = false;
    fireEvent.click(retry);
    expect(await screen.findByRole('table', { name: 'Top referring domains' })).toBeTruthy();
    expect(fetchPage).toHaveBeenCalledTimes(4);
  });

  it('says so when the background stops mid-lookup, and Try again asks on a new connection', async () => {
    let answerTop: (result: Result<TablePage<PaidRow>>) => void = () => undefined;
    let holdTop = true;
    const harness = renderPopup('https://shop-example.co.uk/', {
      fetchPage: (query) =>
        query.report === 'refDomains' && holdTop ? new Promise((resolve) => (answerTop = resolve)) : Promise.resolve(ok(paidAnswer(query))),
    });
    await screen.findByRole('group', { name: 'Totals' });
    harness.stopWorker();
    const retry = await screen.findByRole('button', { name: 'Try again' });
    expect(screen.getByRole('alert').textContent).toContain(describeError(lensError('internal', 'x', { retryable: true })).title);
    answerTop(ok(paidAnswer({ provider: 'serpstat', report: 'refDomains', target: 'shop-example.co.uk', scope: 'domain', filters: [], pageSize: 10 })));

    holdTop = false;
    fireEvent.click(retry);
    expect(await screen.findByRole('table', { name: 'Top referring domains' })).toBeTruthy();
    expect(harness.connections()).toBe(2);
  });

  it('opens the side panel of the tab’s window from the click and hands it the tab’s page to look up at once', async () => {
    const tabsRead = vi.spyOn(browser.tabs, 'query');
    renderPopup('https://blog.shop-example.co.uk/post?id=1');
    const open = vi.fn().mockResolvedValue(undefined);
    (browser as unknown as { sidePanel: { open: typeof open } }).sidePanel = { open };
    const close = vi.spyOn(window, 'close').mockImplementation(() => undefined);

    await screen.findByRole('heading', { name: 'shop-example.co.uk' });
    await vi.waitFor(() => expect(screen.getByRole('button', { name: 'Open side panel' }).hasAttribute('disabled')).toBe(false));
    fireEvent.click(screen.getByRole('button', { name: 'Open side panel' }));

    expect(open).toHaveBeenCalledWith({ windowId: 3 });
    // The window came with the background's answer: the popup's start reads no tab.
    expect(tabsRead).not.toHaveBeenCalled();
    await vi.waitFor(() => expect(close).toHaveBeenCalled());
    // The page address, so the panel can offer "This page" as for the tab itself.
    expect(await pendingLookupItem.getValue()).toEqual({ url: 'https://blog.shop-example.co.uk/post?id=1', windowId: 3, requestedAt: expect.any(Number) });
  });

  it('opens the side panel in its current window where the background could not tell the tab’s', async () => {
    renderPopup('https://shop-example.co.uk/', { tabWindowId: null });
    const open = vi.fn().mockResolvedValue(undefined);
    (browser as unknown as { sidePanel: { open: typeof open } }).sidePanel = { open };
    vi.spyOn(window, 'close').mockImplementation(() => undefined);

    await screen.findByRole('heading', { name: 'shop-example.co.uk' });
    fireEvent.click(screen.getByRole('button', { name: 'Open side panel' }));

    expect(open).toHaveBeenCalledWith({ windowId: browser.windows.WINDOW_ID_CURRENT });
  });

  it('hands the side panel a domain typed in the popup, not the tab’s', async () => {
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
    renderPopup('chrome://extensions/');
    const open = vi.fn().mockResolvedValue(undefined);
    (browser as unknown as { sidePanel: { open: typeof open } }).sidePanel = { open };
    const close = vi.spyOn(window, 'close').mockImplementation(() => undefined);

    await screen.findByRole('textbox', { name: 'Domain' });
    await screen.findByRole('heading', { name: 'No site to look up' });
    fireEvent.click(screen.getByRole('button', { name: 'Open side panel' }));

    expect(open).toHaveBeenCalledWith({ windowId: 3 });
    await vi.waitFor(() => expect(close).toHaveBeenCalled());
    expect(await pendingLookupItem.getValue()).toBeNull();
  });
});
