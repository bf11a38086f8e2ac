// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import type { Charts } from '@/lib/shared/charts';
import { ok } from '@/lib/shared/result';
import { sendRequest } from '@/lib/ui/messaging/client';
import { layoutChart, niceTicks } from '@/lib/ui/chart-geometry';
import { rankBuckets } from '@/lib/ui/rank-buckets';
import { AppProviders, createQueryClient } from '@/components/AppProviders';
import { HistoryTab } from '@/components/HistoryTab';
import { RankDistribution } from '@/components/RankDistribution';
import type { RefDomainRow } from '@/lib/shared/reports';
import { historyPoint as point } from '../history-point';

vi.mock('@/lib/ui/messaging/client', () => ({ sendRequest: vi.fn() }));
vi.mock('@/lib/ui/rank-buckets', async (original) => {
  const actual = await original<typeof import('@/lib/ui/rank-buckets')>();
  return { ...actual, rankBuckets: vi.fn(actual.rankBuckets) };
});
const sendRequestMock = vi.mocked(sendRequest);
/** The paid chart requests (the tests set their answers); the free cache-only ones answer `cachedCharts`. */
const paidMock = vi.fn();
let cachedCharts: Charts | null = null;
afterEach(cleanup);
beforeEach(() => {
  paidMock.mockReset();
  cachedCharts = null;
  sendRequestMock.mockReset();
  sendRequestMock.mockImplementation(async (request) => ('cachedOnly' in request && request.cachedOnly ? ok(cachedCharts) : paidMock(request)) as never);
});

const answer = (extra: Partial<Charts>): Charts => ({ provider: 'dataforseo', target: 'example.com', creditsSpent: 0, costUsd: 0.04447, creditsLeft: null, fromCache: false, fetchedAt: Date.now(), ...extra });

/** Unfolds every folded section (the charts' tables are made when unfolded). */
function unfoldAll() {
  for (const details of document.querySelectorAll('details')) {
    if (details.open) continue;
    details.open = true;
    fireEvent(details, new Event('toggle'));
  }
}

function renderWithQuery(node: React.ReactNode) {
  return render(<AppProviders client={createQueryClient()}>{node}</AppProviders>);
}

describe('chart geometry', () => {
  it('picks round grid steps from zero past the largest value', () => {
    expect(niceTicks(95)).toEqual([0, 50, 100]);
    expect(niceTicks(2400)).toEqual([0, 1000, 2000, 3000]);
    expect(niceTicks(0.046)).toEqual([0, 0.02, 0.04, 0.06]);
    expect(niceTicks(0)).toEqual([0, 1]);
  });

  it('draws each series as one path: a gap where there is no figure, no bar for it', () => {
    const layout = layoutChart(['a', 'b', 'c'], [
      { id: 'line', label: 'Line', kind: 'line', values: [1, null, 3], tone: 'blue' },
      { id: 'bars', label: 'Bars', kind: 'bar', values: [2, null, 0], tone: 'green' },
    ]);
    const [line, bars] = layout.paths;
    expect(line!.d.match(/M/g)).toHaveLength(2);
    expect(line!.d).not.toContain('L');
    expect(bars!.d.match(/M/g)).toHaveLength(1);
  });

  it('keeps 2,500 points in one path per series', () => {
    const values = Array.from({ length: 2500 }, (_, i) => i % 97);
    const layout = layoutChart(values.map((_, i) => String(i)), [{ id: 'bars', label: 'Bars', kind: 'bar', values, tone: 'blue' }]);
    expect(layout.paths).toHaveLength(1);
    expect(layout.paths[0]!.d.match(/M/g)).toHaveLength(values.filter((value) => value > 0).length);
  });

  it('buckets ranks like Serpstat (0, 1–9, …, 90–100) and counts the unranked apart', () => {
    const { buckets, unranked } = rankBuckets([0, 1, 9, 9.5, 10, 55, 100, null, 101]);
    expect(buckets.map((bucket) => bucket.domains)).toEqual([1, 3, 1, 0, 0, 0, 1, 0, 0, 0, 1]);
    expect(unranked).toBe(2);
  });
});

describe('History tab', () => {
  it('says what it costs, sends nothing until the click, then asks for both DataForSEO charts', async () => {
    paidMock.mockResolvedValue(
      ok(
        answer({
          linkTotals: [point('2021-04-01', { referringDomains: 100, backlinks: 900 }), point('2021-05-01', { referringDomains: 120, backlinks: 950, newBacklinks: 60, lostBacklinks: 10 })],
          newLost: [point('2026-11-23', { newBacklinks: 4, lostBacklinks: 2 }), point('2026-11-30', { newBacklinks: 1, lostBacklinks: 0, partial: true })],
        }),
      ),
    );
    renderWithQuery(<HistoryTab provider="dataforseo" target="example.com" scope="domain_with_subdomains" />);
    const button = await screen.findByRole('button', { name: /^Load history \(\$0\.04\d+\)$/ });
    expect(paidMock).not.toHaveBeenCalled();
    fireEvent.click(button);
    await screen.findByRole('heading', { name: 'New and lost per week' });
    expect(paidMock).toHaveBeenCalledTimes(1);
    expect(paidMock).toHaveBeenCalledWith({ type: 'getCharts', provider: 'dataforseo', charts: ['linkTotals', 'newLost'], target: 'example.com', scope: 'domain_with_subdomains' });
    unfoldAll();
    // The text alternative: every figure, "no data" for months before May 2021, the running week said.
    const monthly = screen.getByRole('table', { name: 'New and lost per month' });
    expect(within(monthly).getAllByRole('row')[1]!.textContent).toContain('no data');
    const weekly = screen.getByRole('table', { name: 'New and lost per week' });
    expect(within(weekly).getAllByRole('row').at(-1)!.textContent).toContain('still counting');
    expect(screen.getByRole('img', { name: /Referring domains: 100 on .*, 120 on / })).toBeTruthy();
    expect(screen.getByText('These charts cost $0.04447', { exact: false })).toBeTruthy();
  });

  it('asks before charts above the per-lookup limit and sends them with the go-ahead', async () => {
    paidMock.mockResolvedValueOnce(ok({ type: 'needsConsent', provider: 'serpstat', page: 1, nextCost: 1, spent: 0, limit: 0 }));
    paidMock.mockResolvedValueOnce(ok(answer({ provider: 'serpstat', creditsSpent: 1, costUsd: 0, newLost: [point('2025-08-25', { newBacklinks: 3, lostBacklinks: 1 })] })));
    renderWithQuery(<HistoryTab provider="serpstat" target="example.com" scope="domain" />);
    fireEvent.click(await screen.findByRole('button', { name: 'Load history (1 credit)' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Load for 1 credit' }));
    await screen.findByRole('heading', { name: 'New and lost per week' });
    expect(paidMock).toHaveBeenLastCalledWith({ type: 'getCharts', provider: 'serpstat', charts: ['newLost'], target: 'example.com', scope: 'domain', consent: 'continue' });
  });

  it('shows charts the cache still holds as the tab opens, without a click, and asks for nothing paid', async () => {
    cachedCharts = answer({ provider: 'serpstat', creditsSpent: 0, costUsd: 0, fromCache: true, newLost: [point('2025-08-25', { newBacklinks: 3, lostBacklinks: 1 })] });
    renderWithQuery(<HistoryTab provider="serpstat" target="example.com" scope="domain" />);
    await screen.findByRole('heading', { name: 'New and lost per week' });
    expect(screen.getByText(/^From cache · fetched .* · cost 0 credits$/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: /^Load history/ })).toBeNull();
    expect(paidMock).not.toHaveBeenCalled();
    expect(sendRequestMock).toHaveBeenCalledWith({ type: 'getCharts', provider: 'serpstat', charts: ['newLost'], target: 'example.com', scope: 'domain', cachedOnly: true });
  });

  it('says DataForSEO keeps no history for a host alone, and asks nothing', () => {
    renderWithQuery(<HistoryTab provider="dataforseo" target="blog.example.com" scope="domain" />);
    expect(screen.getByText(/DataForSEO keeps this history for a whole domain/)).toBeTruthy();
    expect(screen.queryByRole('button')).toBeNull();
  });
});

describe('Rank distribution', () => {
  const row = (rank: number | null): RefDomainRow => ({ domain: `d${rank}.com`, rank, refPages: 1, backlinks: null, firstSeen: null, lostDate: null, spamScore: null });

  it('counts the loaded rows only while unfolded, once per set of rows, not at every page of a Load all', async () => {
    const counting = vi.mocked(rankBuckets);
    counting.mockClear();
    const rows = [row(5), row(55)];
    const client = createQueryClient();
    const view = (shown: RefDomainRow[]) => (
      <AppProviders client={client}>
        <RankDistribution provider="dataforseo" target="example.com" scope="domain" rows={shown} />
      </AppProviders>
    );
    const { rerender } = render(view(rows));
    const more = [...rows, row(57)];
    rerender(view(more));
    expect(counting).not.toHaveBeenCalled();
    unfoldAll();
    await screen.findByRole('heading', { name: 'The 3 referring domains loaded, by rank' });
    expect(counting).toHaveBeenCalledTimes(1);
    rerender(view(more));
    expect(counting).toHaveBeenCalledTimes(1);
  });

  it('draws the loaded rows for free, and Serpstat’s whole profile only on request', async () => {
    paidMock.mockResolvedValue(ok(answer({ provider: 'serpstat', creditsSpent: 1, costUsd: 0, rankDistribution: [{ from: 0, to: 0, domains: 7 }, { from: 90, to: 100, domains: 2 }] })));
    renderWithQuery(<RankDistribution provider="serpstat" target="example.com" scope="domain" rows={[row(5), row(55), row(57), row(null)]} />);
    unfoldAll();
    await screen.findByRole('heading', { name: 'The 4 referring domains loaded, by rank' });
    unfoldAll();
    const loaded = await screen.findByRole('table', { name: 'The 4 referring domains loaded, by rank' });
    const cells = within(loaded).getAllByRole('row').map((tr) => tr.textContent);
    expect(cells).toContain('1–91');
    expect(cells).toContain('50–592');
    expect(screen.getByText('1 domain has no rank and is left out.')).toBeTruthy();
    expect(paidMock).not.toHaveBeenCalled();
    fireEvent.click(await screen.findByRole('button', { name: 'Whole profile (1 credit)' }));
    await screen.findByRole('heading', { name: 'All referring domains, by rank (Serpstat)' });
    expect(paidMock).toHaveBeenCalledWith({ type: 'getCharts', provider: 'serpstat', charts: ['rankDistribution'], target: 'example.com', scope: 'domain' });
  });
});
