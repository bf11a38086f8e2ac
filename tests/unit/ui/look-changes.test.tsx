// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { ok } from '@/lib/shared/result';
import type { TablePage, TableQuery } from '@/lib/shared/reports';
import type { DomainChanges, SiteSnapshot, SnapshotValues } from '@/lib/shared/snapshots';
import { sendRequest } from '@/lib/ui/messaging/client';
import { formatDay, formatDayTime } from '@/lib/ui/format';
import { ChangeSinceLastLook, SiteLooks } from '@/components/LookChanges';
import { DomainChangesDisclosure } from '@/components/DomainChanges';

vi.mock('@/lib/ui/messaging/client', () => ({ sendRequest: vi.fn() }));
const sendRequestMock = vi.mocked(sendRequest);

const values = (referringDomains: number, backlinks: number | null, rank: number | null = 40): SnapshotValues => ({
  referringDomains,
  backlinks,
  dofollowBacklinks: null,
  outboundDomains: null,
  rank,
});
const look = (fetchedAt: number, lookValues: SnapshotValues): SiteSnapshot => ({ provider: 'serpstat', target: 'example.com', scope: 'domain', fetchedAt, values: lookValues });
const NOV_3 = new Date(2026, 10, 3, 10, 0).getTime();
const NOV_10 = new Date(2026, 10, 10, 9, 30).getTime();

beforeEach(() => sendRequestMock.mockReset());
afterEach(cleanup);

describe('the change since the last look', () => {
  it('names each figure that moved against the look before the one shown, with that look’s day', () => {
    const looks = [look(NOV_10, values(1_216, 497)), look(NOV_3, values(1_204, 500))];
    render(<ChangeSinceLastLook snapshots={looks} shownAt={NOV_10} values={values(1_216, 497)} />);
    expect(screen.getByText(`Since ${formatDay(NOV_3)}: Referring domains +12, Backlinks -3`)).toBeTruthy();
  });

  it('says nothing moved, and nothing at all on a first look', () => {
    const { container, rerender } = render(<ChangeSinceLastLook snapshots={[look(NOV_3, values(5, 5))]} shownAt={NOV_10} values={values(5, 5)} />);
    expect(container.textContent).toBe(`No change since ${formatDay(NOV_3)}`);
    rerender(<ChangeSinceLastLook snapshots={[look(NOV_3, values(5, 5))]} shownAt={NOV_3} values={values(5, 5)} />);
    expect(container.textContent).toBe('');
  });
});

describe('the history of my looks', () => {
  it('lists each kept look with its figures, and Delete asks the background to delete that one', async () => {
    const looks = [look(NOV_10, values(1_216, 497)), look(NOV_3, values(1_204, 500))];
    sendRequestMock.mockImplementation(async (request) => (request?.type === 'getSnapshots' ? ok(looks) : ok([looks[0]])) as never);
    render(<SiteLooks provider="serpstat" target="example.com" scope="domain" />);
    expect(await screen.findByText(`Since ${formatDay(NOV_3)}: Referring domains +12, Backlinks -3`)).toBeTruthy();
    expect(sendRequestMock).toHaveBeenCalledWith({ type: 'getSnapshots', site: { provider: 'serpstat', target: 'example.com', scope: 'domain' } });
    const table = screen.getByRole('table', { name: 'My looks at example.com' });
    expect(within(table).getAllByRole('columnheader').map((cell) => cell.textContent)).toEqual(['Looked', 'Referring domains', 'Backlinks', 'Domain rank', 'Delete']);
    expect(within(table).getAllByRole('row').slice(1).map((row) => row.textContent)).toEqual([
      `${formatDayTime(NOV_10)}1,21649740Delete`,
      `${formatDayTime(NOV_3)}1,20450040Delete`,
    ]);

    fireEvent.click(within(table).getByRole('button', { name: `Delete the look of ${formatDayTime(NOV_3)}` }));
    expect(await screen.findByText('History of my looks (1)')).toBeTruthy();
    expect(sendRequestMock).toHaveBeenLastCalledWith({ type: 'deleteSnapshot', site: { provider: 'serpstat', target: 'example.com', scope: 'domain' }, fetchedAt: NOV_3 });
    expect(screen.queryByText(/^Since /)).toBeNull();
  });

  it('asks again when the page gets the focus back, so a look the popup took meanwhile is listed', async () => {
    const looks = [look(NOV_3, values(1_204, 500))];
    sendRequestMock.mockImplementation(async () => ok([...looks]) as never);
    render(<SiteLooks provider="serpstat" target="example.com" scope="domain" />);
    expect(await screen.findByText('History of my looks (1)')).toBeTruthy();
    looks.unshift(look(NOV_10, values(1_216, 497)));
    fireEvent.focus(window);
    expect(await screen.findByText('History of my looks (2)')).toBeTruthy();
    expect(screen.getByText(`Since ${formatDay(NOV_3)}: Referring domains +12, Backlinks -3`)).toBeTruthy();
  });
});

describe('new and lost referring domains', () => {
  const query: TableQuery = { provider: 'serpstat', report: 'refDomains', target: 'example.com', scope: 'domain', filters: [], pageSize: 100 };
  const page = { page: 1, rows: [], total: 1_230, creditsSpent: 0, costUsd: 0, creditsLeft: null, fromCache: false, fetchedAt: NOV_10 } as TablePage;
  const changes: DomainChanges = {
    then: { at: NOV_3, loaded: 300, total: 1_204 },
    now: { at: NOV_10, loaded: 300, total: 1_230 },
    appeared: ['new.com'],
    appearedCount: 1_001,
    disappeared: ['gone.com', 'lost.org'],
    disappearedCount: 2,
    partial: true,
  };

  it('asks only when opened, then says what was compared, that it is partial, and lists both', async () => {
    sendRequestMock.mockResolvedValue(ok(changes) as never);
    render(<DomainChangesDisclosure query={query} pages={[page]} />);
    expect(sendRequestMock).not.toHaveBeenCalled();
    const details = screen.getByText('New and lost referring domains since my last look').closest('details')!;
    details.open = true;
    fireEvent(details, new Event('toggle'));
    expect(await screen.findByText(`Compared 300 of 1,204 domains on ${formatDay(NOV_3)} with 300 of 1,230 on ${formatDay(NOV_10)}.`)).toBeTruthy();
    expect(sendRequestMock).toHaveBeenCalledWith({ type: 'getDomainChanges', query });
    expect(screen.getByText(/^Partial:/)).toBeTruthy();
    expect(within(screen.getByRole('region', { name: '1,001 new domains' })).getAllByRole('listitem').map((item) => item.textContent)).toEqual(['new.com']);
    expect(screen.getByText('and 1,000 more')).toBeTruthy();
    expect(within(screen.getByRole('region', { name: '2 lost domains' })).getAllByRole('listitem').map((item) => item.textContent)).toEqual(['gone.com', 'lost.org']);
  });

  it('says when there is no earlier look, and a whole comparison is not called partial', async () => {
    sendRequestMock.mockResolvedValueOnce(ok(null) as never);
    const { rerender } = render(<DomainChangesDisclosure query={query} pages={[page]} />);
    const details = screen.getByText('New and lost referring domains since my last look').closest('details')!;
    details.open = true;
    fireEvent(details, new Event('toggle'));
    expect(await screen.findByText(/^No earlier look at this table/)).toBeTruthy();
    // A Refresh: the pages on screen changed, so the changes are asked again.
    sendRequestMock.mockResolvedValueOnce(ok({ ...changes, partial: false, then: { at: NOV_3, loaded: 1_204, total: 1_204 } }) as never);
    rerender(<DomainChangesDisclosure query={query} pages={[{ ...page, fetchedAt: NOV_10 + 1 }]} />);
    expect(await screen.findByText(/^Compared 1,204 of 1,204/)).toBeTruthy();
    expect(screen.queryByText(/^Partial:/)).toBeNull();
  });
});
