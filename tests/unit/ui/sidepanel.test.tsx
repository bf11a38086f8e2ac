// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { browser } from 'wxt/browser';
import type { Browser } from 'wxt/browser';
import { targetFromTabUrl } from '@/lib/background/domain';
import type { KeyStatuses, Request } from '@/lib/shared/protocol';
import { ok } from '@/lib/shared/result';
import type { TableQuery } from '@/lib/shared/reports';
import { sendRequest } from '@/lib/ui/messaging/client';
import { AppProviders, createQueryClient } from '@/components/AppProviders';
import { SidePanelApp } from '@/components/sidepanel/SidePanelApp';
import { handOverLookup, pendingLookupItem } from '@/lib/shared/pending-lookup';
import { SETTLE_MS } from '@/lib/ui/tab-settle';
import { defaultPreferences, preferencesItem } from '@/lib/shared/settings';

vi.mock('@/lib/ui/messaging/client', () => ({ sendRequest: vi.fn() }));
// The background's free answer, without its message: `sendRequest` here records provider requests only.
vi.mock('@/lib/ui/resolve-target', () => import('../resolve-target-here'));
const fakeClient = vi.hoisted(() => ({ requestPage: vi.fn(), requestPages: vi.fn(), close: vi.fn() }));
vi.mock('@/lib/ui/messaging/table-client', () => ({ createTableClient: () => fakeClient }));
const sendRequestMock = vi.mocked(sendRequest);

const OWN_WINDOW = 1;
const tabs: Record<number, Partial<Browser.tabs.Tab>> = {
  5: { id: 5, windowId: OWN_WINDOW, url: 'https://www.shop-example.co.uk/', active: true, status: 'complete' },
  6: { id: 6, windowId: OWN_WINDOW, url: 'https://news.travel-example.com/today', active: true, status: 'complete' },
  7: { id: 7, windowId: 2, url: 'https://other-window.example/', active: true, status: 'complete' },
  8: { id: 8, windowId: OWN_WINDOW, url: 'chrome://settings/', active: true, status: 'complete' },
  99: { id: 99, windowId: OWN_WINDOW, url: 'chrome-extension://id/sidepanel.html', active: true, status: 'complete' },
};

function keyStatuses(configured: boolean): KeyStatuses {
  return { serpstat: { configured, maskedTail: configured ? 'abcd' : null }, dataforseo: { configured: false, maskedTail: null } };
}

/** The browser as the page sees it: `ownTabId` set when opened as an ordinary tab, unset in a real side panel. */
function setUpBrowser({ ownTabId, activeTabId }: { ownTabId?: number; activeTabId: number }) {
  // The promise overloads; spyOn picks the callback ones for its types.
  vi.spyOn(browser.tabs, 'getCurrent').mockResolvedValue((ownTabId ? tabs[ownTabId] : undefined) as never);
  vi.spyOn(browser.windows, 'getCurrent').mockResolvedValue({ id: OWN_WINDOW } as never);
  vi.spyOn(browser.tabs, 'query').mockResolvedValue([tabs[activeTabId]] as never);
  vi.spyOn(browser.tabs, 'get').mockImplementation((async (tabId: number) => tabs[tabId]) as never);
}

function renderPanel(initialTarget: string | null = null) {
  return render(
    <AppProviders client={createQueryClient()}>
      <SidePanelApp initialTarget={initialTarget} />
    </AppProviders>,
  );
}

const activate = (tabId: number) => fakeBrowser.tabs.onActivated.trigger({ tabId, windowId: tabs[tabId]!.windowId! });
/** The followed tab stays put long enough to settle (lib/ui/tab-settle.ts). */
const settle = () => act(() => vi.advanceTimersByTimeAsync(SETTLE_MS));
/** The user's choice in Options: look up the followed tab as soon as it settles. */
const lookUpFollowedTab = () => preferencesItem.setValue({ ...defaultPreferences, lookUpFollowedTab: true });
const emptyPage = async (_query: TableQuery, page: number) =>
  ok({ page, rows: [], total: 0, creditsSpent: 1, costUsd: 0, creditsLeft: 500, fromCache: false, fetchedAt: 1 });

beforeEach(() => {
  fakeBrowser.reset();
  sendRequestMock.mockReset();
  sendRequestMock.mockImplementation((async (request: Request) => {
    if (request.type === 'getKeyStatus') return ok(keyStatuses(false));
    // The panel's header asks for the site's kept looks (free) on every target.
    if (request.type === 'getSnapshots') return ok([]);
    throw new Error(`unexpected request ${request.type}`);
  }) as never);
  fakeClient.requestPage.mockReset();
  // Real time runs on, so waits for the UI work; settle() jumps the settle time.
  vi.useFakeTimers({ shouldAdvanceTime: true });
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('side panel: following the active tab', () => {
  it('follows the active tab of its own window and no other', async () => {
    setUpBrowser({ activeTabId: 5 });
    renderPanel();
    expect(await screen.findByRole('heading', { name: 'shop-example.co.uk' })).toBeTruthy();

    await activate(6);
    expect(await screen.findByRole('heading', { name: 'travel-example.com' })).toBeTruthy();

    await activate(7);
    await fakeBrowser.tabs.onUpdated.trigger(7, { url: 'https://other-window.example/next' }, tabs[7] as Browser.tabs.Tab);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(screen.getByRole('heading', { name: 'travel-example.com' })).toBeTruthy();

    const navigated = { ...tabs[6], url: 'https://www.shop-example.co.uk/cart' } as Browser.tabs.Tab;
    await fakeBrowser.tabs.onUpdated.trigger(6, { url: navigated.url }, navigated);
    expect(await screen.findByRole('heading', { name: 'shop-example.co.uk' })).toBeTruthy();
  });

  it('opened as a tab, ignores its own tab and keeps the last other tab', async () => {
    setUpBrowser({ ownTabId: 99, activeTabId: 99 });
    renderPanel();
    expect(await screen.findByText('Switch to a web page, or type a domain above.')).toBeTruthy();

    await activate(5);
    expect(await screen.findByRole('heading', { name: 'shop-example.co.uk' })).toBeTruthy();
    await activate(99);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(screen.getByRole('heading', { name: 'shop-example.co.uk' })).toBeTruthy();
  });

  it('explains a browser page and offers the Domain box', async () => {
    setUpBrowser({ activeTabId: 8 });
    renderPanel();
    const parsed = targetFromTabUrl('chrome://settings/');
    if (parsed.ok) throw new Error('a browser page must not be a target');
    expect(await screen.findByText(parsed.message)).toBeTruthy();

    fireEvent.change(screen.getByRole('textbox', { name: 'Domain' }), { target: { value: 'travel-example.com' } });
    fireEvent.click(screen.getByRole('button', { name: 'Look up' }));
    expect(await screen.findByRole('heading', { name: 'travel-example.com' })).toBeTruthy();
  });

  it('answers a mistyped domain in the Domain box with its reason and requests nothing', async () => {
    setUpBrowser({ activeTabId: 8 });
    sendRequestMock.mockImplementation((async (request: Request) => {
      if (request.type === 'getKeyStatus') return ok(keyStatuses(true));
      // The panel's header asks for the site's kept looks (free) on every target.
      if (request.type === 'getSnapshots') return ok([]);
      throw new Error(`unexpected request ${request.type}`);
    }) as never);
    renderPanel();
    const box = await screen.findByRole('textbox', { name: 'Domain' });
    for (const typed of ['exa mple.com', 'localhost', '192.168.1.1', 'intranet', 'javascript:alert(1)', 'foo.unknowntld', 'https://', 'a'.repeat(300)]) {
      fireEvent.change(box, { target: { value: typed } });
      fireEvent.click(screen.getByRole('button', { name: 'Look up' }));
      expect((await screen.findByRole('alert')).textContent!.length).toBeGreaterThan(20);
      expect(box.getAttribute('aria-invalid')).toBe('true');
    }
    expect(fakeClient.requestPage).not.toHaveBeenCalled();
    expect(fakeClient.requestPages).not.toHaveBeenCalled();
    expect(sendRequestMock.mock.calls.every(([request]) => request.type === 'getKeyStatus')).toBe(true);
  });

  it('shows the tables as soon as a key is saved in Options, without reopening', async () => {
    setUpBrowser({ activeTabId: 5 });
    await lookUpFollowedTab();
    renderPanel();
    await screen.findByRole('heading', { name: 'shop-example.co.uk' });
    await settle();
    expect(await screen.findByText('Add your Serpstat API token in Options to see backlinks.')).toBeTruthy();
    fakeClient.requestPage.mockImplementation(async (_query: TableQuery, page: number) =>
      ok({ page, rows: [], total: 0, creditsSpent: 1, costUsd: 0, creditsLeft: 500, fromCache: false, fetchedAt: 1 }),
    );
    sendRequestMock.mockImplementation((async () => ok(keyStatuses(true))) as never);
    // What Options' save leaves in storage (sealed); the panel only learns that it changed.
    await fakeBrowser.storage.local.set({ serpstatToken: { iv: 'aXY=', data: 'ZGF0YQ==' } });
    await vi.waitFor(() => expect(fakeClient.requestPage).toHaveBeenCalled());
    expect(screen.queryByText('Add your Serpstat API token in Options to see backlinks.')).toBeNull();
  });

  it('asks for a key before any table is requested', async () => {
    setUpBrowser({ activeTabId: 5 });
    await lookUpFollowedTab();
    renderPanel();
    await screen.findByRole('heading', { name: 'shop-example.co.uk' });
    await settle();
    expect(await screen.findByText('Add your Serpstat API token in Options to see backlinks.')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Open options' })).toBeTruthy();
    expect(fakeClient.requestPage).not.toHaveBeenCalled();
  });
});

describe('side panel: spending only on a tab the user stays on', () => {
  const configured = () =>
    sendRequestMock.mockImplementation((async () => ok({ ...keyStatuses(true), dataforseo: { configured: true, maskedTail: 'wxyz', login: 'me' } })) as never);
  const redirect = (url: string) =>
    fakeBrowser.tabs.onUpdated.trigger(5, { url, status: 'loading' }, { ...tabs[5], url, status: 'loading' } as Browser.tabs.Tab);

  it.each([
    ['serpstat', 'Look up (about 100 credits)'],
    ['dataforseo', 'Look up (about $0.02300)'],
  ] as const)('by default shows the settled site and a Look up button with the first page’s cost (%s), and asks nothing until it is pressed', async (provider, label) => {
    setUpBrowser({ activeTabId: 5 });
    configured();
    await preferencesItem.setValue({ ...defaultPreferences, provider });
    fakeClient.requestPage.mockImplementation(emptyPage);
    renderPanel();
    await screen.findByRole('heading', { name: 'shop-example.co.uk' });
    await settle();
    const lookUp = await screen.findByRole('button', { name: label });
    expect(screen.getByText(/Not looked up yet/)).toBeTruthy();
    await act(() => vi.advanceTimersByTimeAsync(SETTLE_MS * 5));
    expect(fakeClient.requestPage).not.toHaveBeenCalled();

    fireEvent.click(lookUp);
    await vi.waitFor(() => expect(fakeClient.requestPage).toHaveBeenCalled());
    expect(fakeClient.requestPage.mock.calls[0]![0]).toMatchObject({ provider, target: 'shop-example.co.uk' });
    expect(screen.queryByRole('button', { name: label })).toBeNull();
  });

  it('asks for a key, not for Look up, when the provider has none', async () => {
    setUpBrowser({ activeTabId: 5 });
    renderPanel();
    await screen.findByRole('heading', { name: 'shop-example.co.uk' });
    await settle();
    expect(await screen.findByText('Add your Serpstat API token in Options to see backlinks.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /^Look up \(/ })).toBeNull();
  });

  it('with looking up on, a tab redirected through twenty sites in a second asks only for the last, once it has settled', async () => {
    setUpBrowser({ activeTabId: 5 });
    configured();
    await lookUpFollowedTab();
    fakeClient.requestPage.mockImplementation(emptyPage);
    renderPanel();
    await screen.findByRole('heading', { name: 'shop-example.co.uk' });
    for (let hop = 20; hop >= 1; hop--) {
      await redirect(`https://hop-${hop}-example.com/`);
      expect(await screen.findByRole('heading', { name: `hop-${hop}-example.com` })).toBeTruthy();
      await act(() => vi.advanceTimersByTimeAsync(40));
    }
    const final = { ...tabs[5], url: 'https://news.travel-example.com/today', status: 'complete' } as Browser.tabs.Tab;
    await fakeBrowser.tabs.onUpdated.trigger(5, { url: final.url }, final);
    expect(await screen.findByRole('heading', { name: 'travel-example.com' })).toBeTruthy();
    expect(screen.getByRole('status').textContent).toMatch(/Waiting for this tab/);
    expect(fakeClient.requestPage).not.toHaveBeenCalled();

    await settle();
    await vi.waitFor(() => expect(fakeClient.requestPage).toHaveBeenCalled());
    expect(new Set(fakeClient.requestPage.mock.calls.map(([query]) => (query as TableQuery).target))).toEqual(new Set(['travel-example.com']));
    expect(screen.queryByText(/Waiting for this tab/)).toBeNull();
  });

  it('cancels the lookup of a site the tab leaves before its answer came', async () => {
    setUpBrowser({ activeTabId: 5 });
    configured();
    await lookUpFollowedTab();
    const signals: AbortSignal[] = [];
    fakeClient.requestPage.mockImplementation((_query: TableQuery, _page: number, signal: AbortSignal) => {
      signals.push(signal);
      return new Promise(() => undefined);
    });
    renderPanel();
    await screen.findByRole('heading', { name: 'shop-example.co.uk' });
    await settle();
    await vi.waitFor(() => expect(signals).toHaveLength(1));
    expect(signals[0]!.aborted).toBe(false);

    await redirect('https://hop-1-example.com/');
    expect(await screen.findByRole('heading', { name: 'hop-1-example.com' })).toBeTruthy();
    await vi.waitFor(() => expect(signals[0]!.aborted).toBe(true));
    expect(fakeClient.requestPage).toHaveBeenCalledTimes(1);
  });

  it.each([
    ['before the panel reads it', true],
    ['after the panel started following the tab', false],
  ] as const)('shows the site the popup hands over (%s) at once, with no Look up', async (_when, handedOverFirst) => {
    setUpBrowser({ activeTabId: 5 });
    configured();
    fakeClient.requestPage.mockImplementation(emptyPage);
    const handOver = () => handOverLookup('https://www.shop-example.co.uk/', OWN_WINDOW);
    if (handedOverFirst) await handOver();
    renderPanel();
    await screen.findByRole('heading', { name: 'shop-example.co.uk' });
    if (!handedOverFirst) await act(handOver);

    await vi.waitFor(() => expect(fakeClient.requestPage).toHaveBeenCalled());
    expect(fakeClient.requestPage.mock.calls[0]![0]).toMatchObject({ target: 'shop-example.co.uk' });
    await settle();
    expect(screen.queryByRole('button', { name: /^Look up \(/ })).toBeNull();
    // Taken once: a panel opened later follows its tab again.
    expect(await pendingLookupItem.getValue()).toBeNull();
  });

  it('looks up a typed domain at once, while the tab still loads', async () => {
    tabs[5] = { ...tabs[5], status: 'loading' };
    setUpBrowser({ activeTabId: 5 });
    try {
      configured();
      fakeClient.requestPage.mockImplementation(emptyPage);
      renderPanel();
      await screen.findByRole('heading', { name: 'shop-example.co.uk' });
      fireEvent.change(screen.getByRole('textbox', { name: 'Domain' }), { target: { value: 'travel-example.com' } });
      fireEvent.click(screen.getByRole('button', { name: 'Look up' }));
      await vi.waitFor(() => expect(fakeClient.requestPage).toHaveBeenCalled());
      expect(fakeClient.requestPage.mock.calls.map(([query]) => (query as TableQuery).target)).toEqual(['travel-example.com']);
    } finally {
      tabs[5] = { ...tabs[5], status: 'complete' };
    }
  });
});

describe('side panel: pin, Back and Forward', () => {
  const heading = (name: string) => screen.findByRole('heading', { name });

  it('keeps a pinned target while other tabs are activated, and follows the active tab again when unpinned', async () => {
    setUpBrowser({ activeTabId: 5 });
    renderPanel();
    expect(await heading('shop-example.co.uk')).toBeTruthy();
    const pin = screen.getByRole('button', { name: 'Pin' });
    expect(pin.getAttribute('aria-pressed')).toBe('false');

    fireEvent.click(pin);
    expect(pin.getAttribute('aria-pressed')).toBe('true');
    await activate(6);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(screen.getByRole('heading', { name: 'shop-example.co.uk' })).toBeTruthy();

    vi.mocked(browser.tabs.query).mockResolvedValue([tabs[6]] as never);
    fireEvent.click(pin);
    expect(await heading('travel-example.com')).toBeTruthy();
    expect(pin.getAttribute('aria-pressed')).toBe('false');
  });

  it('pins a typed domain, and goes Back and Forward between the targets shown', async () => {
    setUpBrowser({ activeTabId: 5 });
    renderPanel();
    expect(await heading('shop-example.co.uk')).toBeTruthy();
    await settle();
    const back = screen.getByRole('button', { name: 'Back' });
    const forward = screen.getByRole('button', { name: 'Forward' });
    expect((back as HTMLButtonElement).disabled).toBe(true);

    fireEvent.change(screen.getByRole('textbox', { name: 'Domain' }), { target: { value: 'münchen.de' } });
    fireEvent.click(screen.getByRole('button', { name: 'Look up' }));
    expect(await heading('münchen.de')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Pin' }).getAttribute('aria-pressed')).toBe('true');
    // Pinned by the lookup: another tab does not replace it.
    await activate(6);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(screen.getByRole('heading', { name: 'münchen.de' })).toBeTruthy();

    fireEvent.click(back);
    expect(await heading('shop-example.co.uk')).toBeTruthy();
    expect((back as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(forward);
    expect(await heading('münchen.de')).toBeTruthy();
    expect((forward as HTMLButtonElement).disabled).toBe(true);
  });
});

describe('side panel: ?target=', () => {
  it('starts from the target parameter and loads its referring domains', async () => {
    setUpBrowser({ ownTabId: 99, activeTabId: 99 });
    sendRequestMock.mockImplementation((async () => ok(keyStatuses(true))) as never);
    fakeClient.requestPage.mockImplementation(async (query: TableQuery, page: number) =>
      ok({ page, rows: [], total: 0, creditsSpent: 1, costUsd: 0, creditsLeft: 500, fromCache: false, fetchedAt: 1 }),
    );
    renderPanel('shop-example.co.uk');

    expect(await screen.findByRole('heading', { name: 'shop-example.co.uk' })).toBeTruthy();
    expect((await screen.findByRole('tab', { name: 'Referring domains' })).getAttribute('aria-selected')).toBe('true');
    await vi.waitFor(() => expect(fakeClient.requestPage).toHaveBeenCalled());
    const [query, page] = fakeClient.requestPage.mock.calls[0]!;
    expect(page).toBe(1);
    expect(query).toMatchObject({ provider: 'serpstat', report: 'refDomains', target: 'shop-example.co.uk', scope: 'domain_with_subdomains' });
    expect(await screen.findByText(/No referring domains found/)).toBeTruthy();
  });
});
