// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { ReportCapability, ProviderId } from '@/lib/shared/providers';
import type { RefDomainRow, TablePage, TableQuery } from '@/lib/shared/reports';
import { ok } from '@/lib/shared/result';
import type { Result } from '@/lib/shared/result';
import { sendRequest } from '@/lib/ui/messaging/client';
import { AppProviders, createQueryClient } from '@/components/AppProviders';
import { formatAgo } from '@/lib/ui/format';
import { ReportTab } from '@/components/ReportTab';
import { describeFreshness, describeRefreshCost, TableFreshness } from '@/components/TableFreshness';
import { paidAnswer, renderPopup } from '../popup-harness';

const fakeClient = vi.hoisted(() => ({ requestPage: vi.fn(), requestPages: vi.fn(), close: vi.fn() }));
vi.mock('@/lib/ui/messaging/table-client', () => ({ createTableClient: () => fakeClient }));
vi.mock('@/lib/ui/messaging/client', () => ({ sendRequest: vi.fn() }));
// The background's free answer, without its message: `sendRequest` here records provider requests only.
vi.mock('@/lib/ui/resolve-target', () => import('../resolve-target-here'));
const sendRequestMock = vi.mocked(sendRequest);

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const PAGE_SIZE = 10;

function refDomain(index: number): RefDomainRow {
  return { domain: `ref${index}.example`, rank: 100 - index, refPages: index, backlinks: null, firstSeen: null, lostDate: null, spamScore: null };
}

function tablePage(page: number, rows: number, extra: Partial<TablePage> = {}): TablePage {
  const first = (page - 1) * PAGE_SIZE + 1;
  return {
    page,
    rows: Array.from({ length: rows }, (_, offset) => refDomain(first + offset)),
    total: 25,
    creditsSpent: 0,
    costUsd: 0,
    creditsLeft: null,
    fromCache: true,
    fetchedAt: Date.now() - 3 * HOUR,
    ...extra,
  };
}

beforeEach(() => {
  vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(600);
  fakeBrowser.reset();
  fakeClient.requestPage.mockReset();
  sendRequestMock.mockReset();
});
afterEach(cleanup);

describe('formatAgo', () => {
  it.each([
    [20 * 1000, 'just now'],
    [-5 * MINUTE, 'just now'],
    [5 * MINUTE, '5 min. ago'],
    [59 * MINUTE, '59 min. ago'],
    [3 * HOUR + 20 * MINUTE, '3 hr. ago'],
    [47 * HOUR, '47 hr. ago'],
    [3 * 24 * HOUR, '3 days ago'],
  ])('%i ms ago is "%s"', (elapsed, text) => {
    expect(formatAgo(1_000_000_000_000 - elapsed, 1_000_000_000_000)).toBe(text);
  });
});

describe('describeFreshness', () => {
  const now = Date.now();
  it('is "live" when every page was fetched just now', () => {
    expect(describeFreshness([tablePage(1, 10, { fromCache: false, fetchedAt: now - 2 * HOUR })], now)).toBe('live');
  });
  it('tells the age of the oldest page when any came from the cache', () => {
    const pages = [tablePage(1, 10, { fetchedAt: now - 3 * HOUR }), tablePage(2, 10, { fromCache: false, fetchedAt: now })];
    expect(describeFreshness(pages, now)).toBe('fetched 3 hr. ago');
  });
});

describe('describeRefreshCost', () => {
  it.each<[ProviderId, TablePage[], string]>([
    ['serpstat', [tablePage(1, 10), tablePage(2, 10), tablePage(3, 5)], 'Refresh costs about 25 credits'],
    // An empty answer still costs Serpstat 1 credit.
    ['serpstat', [tablePage(1, 0, { total: 0 })], 'Refresh costs about 1 credit'],
    // 2 requests × $0.02 + 20 rows × $0.00003.
    ['dataforseo', [tablePage(1, 10), tablePage(2, 10)], 'Refresh costs about $0.04060'],
  ])('%s', (provider, pages, text) => {
    expect(describeRefreshCost(provider, pages, PAGE_SIZE)).toBe(text);
  });
});

describe('TableFreshness', () => {
  it('names the cost as the Refresh button’s description and calls onRefresh on click', () => {
    const onRefresh = vi.fn();
    render(<TableFreshness provider="serpstat" pages={[tablePage(1, 10)]} pageSize={PAGE_SIZE} refreshing={false} disabled={false} onRefresh={onRefresh} />);
    const button = screen.getByRole('button', { name: 'Refresh' });
    expect(button.getAttribute('title')).toBe('Refresh costs about 10 credits');
    expect(document.getElementById(button.getAttribute('aria-describedby')!)?.textContent).toBe('Refresh costs about 10 credits');
    expect(screen.getByText('fetched 3 hr. ago')).toBeTruthy();
    fireEvent.click(button);
    expect(onRefresh).toHaveBeenCalledTimes(1);
  });

  it('cannot be pressed while the table is busy or refreshing', () => {
    const { rerender } = render(
      <TableFreshness provider="serpstat" pages={[tablePage(1, 10)]} pageSize={PAGE_SIZE} refreshing={false} disabled onRefresh={vi.fn()} />,
    );
    expect((screen.getByRole('button', { name: 'Refresh' }) as HTMLButtonElement).disabled).toBe(true);
    rerender(<TableFreshness provider="serpstat" pages={[tablePage(1, 10)]} pageSize={PAGE_SIZE} refreshing disabled={false} onRefresh={vi.fn()} />);
    expect((screen.getByRole('button', { name: 'Refresh' }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText('refreshing…')).toBeTruthy();
  });
});

describe('Refresh in a report table', () => {
  const capability: Extract<ReportCapability, { supported: true }> = {
    supported: true,
    sortable: ['rank'],
    defaultSort: { field: 'rank', order: 'desc' },
    filters: [],
    flags: [],
    scopes: ['domain_with_subdomains'],
  };

  it('re-fetches every loaded page past the cache, then loads later pages normally', async () => {
    // Pages come from the cache until asked with refresh, which the provider answers live.
    fakeClient.requestPage.mockImplementation(
      async (_query: TableQuery, page: number, _signal?: AbortSignal, options?: { refresh?: boolean }): Promise<Result<TablePage>> =>
        ok(tablePage(page, page < 3 ? 10 : 5, options?.refresh ? { fromCache: false, fetchedAt: Date.now(), creditsSpent: 10 } : {})),
    );
    render(
      <AppProviders client={createQueryClient()}>
        <ReportTab provider="serpstat" report="refDomains" capability={capability} target="example.com" scope="domain_with_subdomains" pageSize={PAGE_SIZE} />
      </AppProviders>,
    );
    expect(await screen.findByText('fetched 3 hr. ago')).toBeTruthy();
    fireEvent.click(await screen.findByRole('button', { name: `Load next ${PAGE_SIZE}` }));
    await screen.findByText('20 of 25 loaded');
    expect(screen.getByRole('button', { name: 'Refresh' }).getAttribute('title')).toBe('Refresh costs about 20 credits');

    fireEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    expect(await screen.findByText('live')).toBeTruthy();
    // Each refreshed page carries the click as the user's go-ahead past the background's per-lookup limit.
    const calls = () => fakeClient.requestPage.mock.calls.map(([, page, , options]) => [page, options?.refresh ?? false, options?.consent]);
    expect(calls()).toEqual([
      [1, false, undefined],
      [2, false, undefined],
      [1, true, 'continue'],
      [2, true, 'continue'],
    ]);

    fireEvent.click(await screen.findByRole('button', { name: `Load next ${PAGE_SIZE}` }));
    await screen.findByText('25 of 25 loaded');
    expect(calls().at(-1)).toEqual([3, false, undefined]);
  });
});

describe('popup from cache', () => {
  function showFromCache(provider: ProviderId, fetchedAt: number) {
    // The popup asks for the kept looks once the totals are in: none kept here.
    sendRequestMock.mockResolvedValue(ok([]) as never);
    renderPopup('https://example.com/', {
      preferences: { provider },
      fetchPage: async (query) => ok(paidAnswer(query, { creditsSpent: 0, costUsd: 0, creditsLeft: provider === 'serpstat' ? 500 : null, fromCache: true, fetchedAt })),
    });
  }

  it('says the summary came from cache, how old it is, and that it cost nothing', async () => {
    showFromCache('serpstat', Date.now() - 3 * HOUR);
    expect(await screen.findByText('From cache · fetched 3 hr. ago · cost 0 credits')).toBeTruthy();
  });

  it('in dollars for DataForSEO', async () => {
    showFromCache('dataforseo', Date.now() - 5 * MINUTE);
    expect(await screen.findByText('From cache · fetched 5 min. ago · cost $0.00000')).toBeTruthy();
  });
});
