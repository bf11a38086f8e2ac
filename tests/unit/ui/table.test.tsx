// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { lensError } from '@/lib/shared/errors';
import { describeError } from '@/lib/ui/error-text';
import type { NeedsConsent, Request } from '@/lib/shared/protocol';
import { capabilityOf, type ReportCapability } from '@/lib/shared/providers';
import { reportIds, reports } from '@/lib/shared/reports';
import type { LinkRow, RefDomainRow, ReportId, TablePage, TableQuery } from '@/lib/shared/reports';
import { HISTORY_TAB } from '@/lib/ui/labels';
import { fail, ok } from '@/lib/shared/result';
import type { Result } from '@/lib/shared/result';
import { AppProviders, createQueryClient } from '@/components/AppProviders';
import { ReportTab } from '@/components/ReportTab';
import { ReportTable } from '@/components/ReportTable';
import { ReportTabs, sidePanelReports } from '@/components/ReportTabs';

const fakeClient = vi.hoisted(() => ({ requestPage: vi.fn(), requestPages: vi.fn(), close: vi.fn() }));
vi.mock('@/lib/ui/messaging/table-client', () => ({ createTableClient: () => fakeClient }));
// The background's Load-all plan, from the total of the table the fake client serves.
const planTotal = vi.hoisted(() => ({ rows: 0 }));
vi.mock('@/lib/ui/messaging/client', async () => {
  const { planLoadAll } = await import('@/lib/shared/load-all');
  const { defaultBudget } = await import('@/lib/shared/budget');
  return {
    sendRequest: async (request: Request) =>
      request.type === 'planLoadAll'
        ? ok(planLoadAll({ provider: request.query.provider, pageSize: request.query.pageSize, loadedPages: request.loadedPages, total: planTotal.rows, budget: defaultBudget }))
        : fail(lensError('internal', `unexpected ${request.type}`)),
  };
});

const capability: Extract<ReportCapability, { supported: true }> = {
  supported: true,
  sortable: ['rank', 'refPages'],
  defaultSort: { field: 'rank', order: 'desc' },
  filters: [],
  flags: [],
  scopes: ['domain_with_subdomains', 'domain'],
};

function refDomain(index: number): RefDomainRow {
  return { domain: `ref${index}.example`, rank: 100 - index, refPages: index * 3, backlinks: null, firstSeen: '2024-05-01 10:00:00', lostDate: null, spamScore: null };
}

const rateLimited = lensError('rate_limited', 'Too many requests.', { provider: 'serpstat', retryable: true });

/** Page `page` of a table of `total` rows, 1 credit per row. */
function tablePage(query: TableQuery, page: number, total: number): TablePage {
  const first = (page - 1) * query.pageSize + 1;
  const rows = Array.from({ length: Math.max(0, Math.min(query.pageSize, total - first + 1)) }, (_, offset) => refDomain(first + offset));
  return { page, rows, total, creditsSpent: rows.length, costUsd: 0, creditsLeft: 1000 - page * query.pageSize, fromCache: false, fetchedAt: 1 };
}

/** A background answering pages of a table of `total` rows. */
function serveTable(total: number, failPage?: number) {
  planTotal.rows = total;
  fakeClient.requestPage.mockImplementation(async (query: TableQuery, page: number): Promise<Result<TablePage>> =>
    page === failPage ? fail(rateLimited) : ok(tablePage(query, page, total)),
  );
}

const requestedPages = () => fakeClient.requestPage.mock.calls.map(([query, page]) => ({ sort: (query as TableQuery).sort, page }));

function renderRefDomains(pageSize = 10) {
  return render(
    <AppProviders client={createQueryClient()}>
      <ReportTab provider="serpstat" report="refDomains" capability={capability} target="shop-example.co.uk" scope="domain_with_subdomains" pageSize={pageSize} />
    </AppProviders>,
  );
}

beforeEach(() => {
  // happy-dom has no layout; give the scroll box a height so the virtualiser shows rows.
  vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(600);
  fakeBrowser.reset();
  fakeClient.requestPage.mockReset();
  fakeClient.close.mockReset();
});
afterEach(cleanup);

describe('ReportTable', () => {
  it('renders provider text as text, never as markup or script links', () => {
    const hostile: LinkRow = {
      urlFrom: 'javascript:alert(1)',
      urlTo: 'https://shop-example.co.uk/landing',
      anchor: '<script>alert("x")</script>',
      attribute: 'follow',
      linkType: '<b>bold</b>',
      externalLinks: 3,
      firstSeen: null,
      lastSeen: null,
      deletedAt: null,
      domainRank: null,
    };
    const { container } = render(
      <ReportTable label="Backlinks" columns={reports.backlinks.columns} rows={[hostile]} total={1} sort={undefined} sortable={[]} unsortableReason="" onSortChange={() => undefined} onNearEnd={() => undefined} />,
    );
    const table = screen.getByRole('table', { name: 'Backlinks' });
    expect(within(table).getByText('<script>alert("x")</script>')).toBeTruthy();
    expect(within(table).getByText('<b>bold</b>')).toBeTruthy();
    expect(within(table).getByText('javascript:alert(1)').closest('a')).toBeNull();
    expect(container.querySelector('script, b')).toBeNull();
    const landing = within(table).getByRole('link', { name: 'https://shop-example.co.uk/landing' });
    expect(landing.getAttribute('href')).toBe('https://shop-example.co.uk/landing');
  });

  it('links domains to https in a new tab without an opener', () => {
    render(
      <ReportTable label="Referring domains" columns={reports.refDomains.columns} rows={[refDomain(1), { ...refDomain(2), domain: '<img src=x onerror=alert(1)>' }]} total={2} sort={undefined} sortable={[]} unsortableReason="" onSortChange={() => undefined} onNearEnd={() => undefined} />,
    );
    const link = screen.getByRole('link', { name: 'ref1.example' });
    expect(link.getAttribute('href')).toBe('https://ref1.example');
    expect(link.getAttribute('target')).toBe('_blank');
    expect(link.getAttribute('rel')).toBe('noopener noreferrer');
    expect(screen.getByText('<img src=x onerror=alert(1)>').closest('a')).toBeNull();
    expect(document.querySelector('img')).toBeNull();
  });

  it("puts only the focused row's links and buttons in the Tab order", () => {
    render(
      <ReportTable label="Referring domains" columns={reports.refDomains.columns} rows={[refDomain(1), refDomain(2), refDomain(3)]} total={3} sort={undefined} sortable={[]} unsortableReason="" onSortChange={() => undefined} onNearEnd={() => undefined} onLookUp={() => undefined} />,
    );
    const tabbable = () => screen.getAllByRole('link').filter((link) => link.tabIndex === 0).map((link) => link.textContent);
    const rowOf = (domain: string) => screen.getByRole('link', { name: domain }).closest('tr')!;
    expect(tabbable()).toEqual(['ref1.example']);
    expect(within(rowOf('ref1.example')).getByRole('button', { name: 'Look up this domain' }).tabIndex).toBe(0);
    expect(within(rowOf('ref2.example')).getByRole('button', { name: 'Look up this domain' }).tabIndex).toBe(-1);

    fireEvent.focus(rowOf('ref3.example'));
    expect(tabbable()).toEqual(['ref3.example']);
    expect(rowOf('ref3.example').tabIndex).toBe(0);
    expect(rowOf('ref1.example').tabIndex).toBe(-1);
  });
});

describe('ReportTab', () => {
  it('says under the cost line when a retried request was billed', async () => {
    fakeClient.requestPage.mockImplementation(async (query: TableQuery, page: number): Promise<Result<TablePage>> =>
      ok({
        ...tablePage(query, page, 5),
        creditsSpent: 0,
        costUsd: 0.0603,
        creditsLeft: null,
        billedRetries: { attempts: 2, credits: 0, usd: 0.04 },
      }),
    );
    render(
      <AppProviders client={createQueryClient()}>
        <ReportTab provider="dataforseo" report="refDomains" capability={capability} target="shop-example.co.uk" scope="domain_with_subdomains" pageSize={10} />
      </AppProviders>,
    );
    expect(await screen.findByText('This table cost $0.06030')).toBeTruthy();
    expect(screen.getByText('Includes $0.04000 for 2 failed requests that DataForSEO billed and that were retried')).toBeTruthy();
  });

  it('loads page 1 with the default sort and says how much is loaded and what it cost', async () => {
    serveTable(25);
    renderRefDomains();

    const table = await screen.findByRole('table', { name: 'Referring domains' });
    expect(within(table).getByRole('link', { name: 'ref1.example' })).toBeTruthy();
    expect(screen.getByText('10 of 25 loaded')).toBeTruthy();
    expect(screen.getByText('This table cost 10 credits · 990 credits left')).toBeTruthy();
    expect(requestedPages()).toEqual([{ sort: { field: 'rank', order: 'desc' }, page: 1 }]);
    expect(within(table).getByRole('columnheader', { name: /Rank/ }).getAttribute('aria-sort')).toBe('descending');
  });

  it('never claims more rows loaded than the table has when the provider’s total shrinks between pages', async () => {
    fakeClient.requestPage.mockImplementation(async (query: TableQuery, page: number): Promise<Result<TablePage>> =>
      ok({ ...tablePage(query, page, 25), total: page === 1 ? 25 : 15 }),
    );
    renderRefDomains();
    await screen.findByText('10 of 25 loaded');
    fireEvent.scroll(screen.getByTestId('report-table-scroll'));
    // Page 2 says 15 rows in all, yet 20 arrived: the table has at least what it holds.
    expect(await screen.findByText('20 of 20 loaded')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /Load next|Load all/ })).toBeNull();
    expect(requestedPages().map((request) => request.page)).toEqual([1, 2]);
  });

  it('sorts on the server when a sortable header is clicked, and explains the others', async () => {
    serveTable(25);
    renderRefDomains();
    const table = await screen.findByRole('table', { name: 'Referring domains' });

    fireEvent.click(within(table).getByRole('button', { name: /^Referring pages/ }));
    await vi.waitFor(() => expect(requestedPages()).toContainEqual({ sort: { field: 'refPages', order: 'desc' }, page: 1 }));
    expect(within(table).getByRole('columnheader', { name: /Referring pages/ }).getAttribute('aria-sort')).toBe('descending');
    expect(within(table).getByRole('columnheader', { name: /Rank/ }).getAttribute('aria-sort')).toBe('none');

    fireEvent.click(within(table).getByRole('button', { name: /^Referring pages/ }));
    await vi.waitFor(() => expect(requestedPages()).toContainEqual({ sort: { field: 'refPages', order: 'asc' }, page: 1 }));

    const domainHeader = within(table).getByRole('columnheader', { name: 'Domain' });
    expect(within(domainHeader).queryByRole('button')).toBeNull();
    expect(domainHeader.querySelector('[title]')?.getAttribute('title')).toMatch(/cannot sort/);
    expect(domainHeader.hasAttribute('aria-sort')).toBe(false);
    // Serpstat's referring domains carry no backlinks or dates: those columns are left out.
    expect(within(table).queryByRole('columnheader', { name: 'Backlinks' })).toBeNull();
    expect(within(table).getAllByRole('columnheader').map((header) => header.textContent?.replace(/[↕▲▼]/g, '').trim())).toEqual([
      'Domain',
      'Rank',
      'Referring pages',
    ]);
  });

  it('asks for the next page when scrolled to the end, and keeps loaded rows when a page fails', async () => {
    serveTable(25, 3);
    renderRefDomains();
    const table = await screen.findByRole('table', { name: 'Referring domains' });
    const scroller = screen.getByTestId('report-table-scroll');

    fireEvent.scroll(scroller);
    expect(await screen.findByText('20 of 25 loaded')).toBeTruthy();
    expect(screen.getByText('This table cost 20 credits · 980 credits left')).toBeTruthy();

    fireEvent.scroll(scroller);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain(describeError(rateLimited).title);
    expect(alert.textContent).toContain(describeError(rateLimited).nextStep);
    expect(screen.getByText('20 of 25 loaded')).toBeTruthy();
    expect(within(table).getByRole('link', { name: 'ref1.example' })).toBeTruthy();

    // A failed page is not asked again by scrolling, only by the user's "Try again".
    fireEvent.scroll(scroller);
    expect(requestedPages().map((request) => request.page)).toEqual([1, 2, 3]);
    serveTable(25);
    fireEvent.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('25 of 25 loaded')).toBeTruthy();
    expect(requestedPages().map((request) => request.page)).toEqual([1, 2, 3, 3]);

    // The last page is short: nothing more to ask for.
    fireEvent.scroll(scroller);
    expect(requestedPages()).toHaveLength(4);
    expect(screen.queryByRole('button', { name: /Load next/ })).toBeNull();
  });

  it('shows the background\'s per-lookup limit instead of an error, and forwards "Continue loading" with the next page only', async () => {
    // The background holds page 2 back until a request carries the user's answer.
    fakeClient.requestPage.mockImplementation(
      async (query: TableQuery, page: number, _signal?: AbortSignal, options?: { consent?: string }): Promise<Result<TablePage | NeedsConsent>> =>
        page === 2 && options?.consent !== 'continue'
          ? ok({ type: 'needsConsent', provider: 'serpstat', page: 2, nextCost: 10, spent: 10, limit: 15 })
          : ok(tablePage(query, page, 40)),
    );
    renderRefDomains();
    await screen.findByRole('table', { name: 'Referring domains' });
    fireEvent.scroll(screen.getByTestId('report-table-scroll'));
    expect(await screen.findByText('This table has reached your limit of 15 credits per lookup. The next page costs about 10 credits.')).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.queryByRole('button', { name: /Load next/ })).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'Continue loading' }));
    expect(await screen.findByText('20 of 40 loaded')).toBeTruthy();
    const consents = fakeClient.requestPage.mock.calls.map(([, page, , options]) => [page, (options as { consent?: string } | undefined)?.consent]);
    expect(consents).toEqual([
      [1, undefined],
      [2, undefined],
      [2, 'continue'],
    ]);
    // The answer went with that page only.
    fireEvent.click(screen.getByRole('button', { name: /Load next/ }));
    await vi.waitFor(() => expect(fakeClient.requestPage.mock.calls.at(-1)?.slice(1, 2)).toEqual([3]));
    expect((fakeClient.requestPage.mock.calls.at(-1)?.[3] as { consent?: string }).consent).toBeUndefined();
  });

  it('two near-end scrolls before a re-render ask for the next page once and never cancel it', async () => {
    serveTable(25);
    renderRefDomains();
    await screen.findByText('10 of 25 loaded');
    // Page 2 is on its way (and being paid for) until this test answers it.
    let answerPage2: (result: Result<TablePage>) => void = () => undefined;
    const page2Signals: (AbortSignal | undefined)[] = [];
    fakeClient.requestPage.mockImplementation((_query: TableQuery, _page: number, signal?: AbortSignal) => {
      page2Signals.push(signal);
      return new Promise<Result<TablePage>>((resolve) => (answerPage2 = resolve));
    });
    const scroller = screen.getByTestId('report-table-scroll');
    fireEvent.scroll(scroller);
    fireEvent.scroll(scroller);

    expect(requestedPages().map((request) => request.page)).toEqual([1, 2]);
    expect(page2Signals[0]?.aborted).toBe(false);
    answerPage2(ok({ page: 2, rows: Array.from({ length: 10 }, (_, i) => refDomain(11 + i)), total: 25, creditsSpent: 10, costUsd: 0, creditsLeft: 980, fromCache: false, fetchedAt: 1 }));
    expect(await screen.findByText('20 of 25 loaded')).toBeTruthy();
  });

  it('never shows the previous domain\'s rows while another domain loads', async () => {
    serveTable(25);
    const props = { provider: 'serpstat', report: 'refDomains', capability, scope: 'domain_with_subdomains', pageSize: 10 } as const;
    const queryClient = createQueryClient();
    const { rerender } = render(
      <AppProviders client={queryClient}>
        <ReportTab {...props} target="shop-example.co.uk" />
      </AppProviders>,
    );
    await screen.findByRole('link', { name: 'ref1.example' });

    fakeClient.requestPage.mockImplementation(() => new Promise(() => undefined));
    rerender(
      <AppProviders client={queryClient}>
        <ReportTab {...props} target="travel-example.com" />
      </AppProviders>,
    );
    expect(await screen.findByText('Loading referring domains…')).toBeTruthy();
    expect(screen.queryByRole('link', { name: 'ref1.example' })).toBeNull();
    expect(screen.queryByText(/of 25 loaded/)).toBeNull();
  });

  it('closes its table client when it goes away', async () => {
    serveTable(25);
    const { unmount } = renderRefDomains();
    await screen.findByRole('table', { name: 'Referring domains' });
    unmount();
    expect(fakeClient.close).toHaveBeenCalled();
  });
});

describe('Load all', () => {
  it('shows the first streamed page at once and batches the pages after it', async () => {
    serveTable(50);
    /** Hands the open stream one more page, as the background does when it arrives. */
    let deliver: (page: number) => void = () => undefined;
    fakeClient.requestPages.mockImplementation((query: TableQuery, _from: number, _to: number, onPage: (page: TablePage) => void) => {
      deliver = (page) => onPage(tablePage(query, page, 50));
      return new Promise(() => undefined);
    });
    renderRefDomains();
    const loadedText = (rows: number) => new RegExp(`^${rows} of 50 loaded`);
    /** The table's status line, read now (not waited for). */
    const shownNow = () => screen.getAllByRole('status').find((status) => / loaded/.test(status.textContent ?? ''))?.textContent;
    await screen.findByText(loadedText(10));
    fireEvent.click(await screen.findByRole('button', { name: 'Load all' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Start loading' }));
    // Starting is the user's yes to the estimate: forwarded for the background to allow.
    expect(fakeClient.requestPages.mock.calls[0]?.slice(1, 3)).toEqual([2, 5]);
    expect(fakeClient.requestPages.mock.calls[0]?.[5]).toEqual({ consent: 'loadAll' });

    // The clock is ours from here: a page shown "at once" is shown before any time passes.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const settle = (ms: number) => act(() => vi.advanceTimersByTimeAsync(ms));
    try {
      deliver(2);
      await settle(0);
      expect(shownNow()).toMatch(loadedText(20));
      // The pages after it wait for the batch: at most one re-render per 250 ms.
      deliver(3);
      deliver(4);
      await settle(200);
      expect(shownNow()).toMatch(loadedText(20));
      // 250 ms after the first flush, and a tick for the query cache to notify the table.
      await settle(50);
      await settle(1);
      expect(shownNow()).toMatch(loadedText(40));
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('ReportTabs', () => {
  it('moves between reports with the arrow keys and loads only the selected one', async () => {
    serveTable(25);
    render(
      <AppProviders client={createQueryClient()}>
        <ReportTabs provider="serpstat" target="shop-example.co.uk" scope="domain_with_subdomains" pageSize={10} />
      </AppProviders>,
    );
    const referring = screen.getByRole('tab', { name: 'Referring domains' });
    expect(referring.getAttribute('aria-selected')).toBe('true');
    await screen.findByRole('table', { name: 'Referring domains' });
    expect(fakeClient.requestPage.mock.calls.map(([query]) => (query as TableQuery).report)).toEqual(['refDomains']);

    fireEvent.keyDown(referring, { key: 'ArrowRight' });
    const backlinks = screen.getByRole('tab', { name: 'Backlinks' });
    expect(backlinks.getAttribute('aria-selected')).toBe('true');
    expect(document.activeElement).toBe(backlinks);
    expect(screen.getByRole('tabpanel').getAttribute('aria-labelledby')).toBe(backlinks.id);
    await vi.waitFor(() => expect(fakeClient.requestPage.mock.calls.map(([query]) => (query as TableQuery).report)).toEqual(['refDomains', 'backlinks']));
  });

  it('goes to the last tab with End and ArrowLeft from the first, to the first with Home and ArrowRight from the last', () => {
    serveTable(25);
    render(
      <AppProviders client={createQueryClient()}>
        <ReportTabs provider="serpstat" target="shop-example.co.uk" scope="domain_with_subdomains" pageSize={10} />
      </AppProviders>,
    );
    const tabs = screen.getAllByRole('tab');
    const selectedName = () => tabs.find((tab) => tab.getAttribute('aria-selected') === 'true')?.textContent;
    fireEvent.keyDown(tabs[0]!, { key: 'End' });
    expect(selectedName()).toBe(tabs.at(-1)!.textContent);
    expect(document.activeElement).toBe(tabs.at(-1));
    fireEvent.keyDown(tabs.at(-1)!, { key: 'ArrowRight' });
    expect(selectedName()).toBe('Referring domains');
    fireEvent.keyDown(tabs[0]!, { key: 'ArrowLeft' });
    expect(selectedName()).toBe(tabs.at(-1)!.textContent);
    fireEvent.keyDown(tabs.at(-1)!, { key: 'Home' });
    expect(selectedName()).toBe('Referring domains');
    // One tab stop: only the selected tab is in the Tab order.
    expect(tabs.filter((tab) => tab.tabIndex === 0)).toHaveLength(1);
  });

  it('lists the report tabs in the registry’s order, History last', () => {
    expect(sidePanelReports.at(-1)).toBe(HISTORY_TAB);
    const positions = sidePanelReports.slice(0, -1).map((report) => reportIds.indexOf(report as ReportId));
    expect(positions.every((position) => position >= 0)).toBe(true);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  });

  it("shows the provider's reason instead of a table it does not offer", () => {
    if (capabilityOf('dataforseo', 'outDomains').supported) throw new Error('DataForSEO is documented not to offer outbound domains');
    render(
      <AppProviders client={createQueryClient()}>
        <ReportTabs provider="dataforseo" target="shop-example.co.uk" scope="domain_with_subdomains" pageSize={10} />
      </AppProviders>,
    );
    fireEvent.click(screen.getByRole('tab', { name: 'Outbound domains' }));
    expect(screen.getByText('DataForSEO does not offer outbound domains. Switch to Serpstat for this report.')).toBeTruthy();
    expect(screen.queryByRole('table', { name: 'Outbound domains' })).toBeNull();
  });
});
