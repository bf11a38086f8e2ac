import { describe, expect, it, vi } from 'vitest';
import { QueryClient } from '@tanstack/react-query';
import { lensError } from '@/lib/shared/errors';
import type { TablePage, TableQuery } from '@/lib/shared/reports';
import { fail, ok } from '@/lib/shared/result';
import { LensErrorException, nextPageAfter, queryKeys, tableQuery, toLensError } from '@/lib/ui/queries';

vi.mock('@/lib/ui/messaging/client', () => ({ sendRequest: vi.fn() }));

const query: TableQuery = {
  provider: 'serpstat',
  report: 'refDomains',
  target: 'shop-example.co.uk',
  scope: 'domain_with_subdomains',
  sort: { field: 'rank', order: 'desc' },
  filters: [],
  pageSize: 100,
};

function page(number: number, rows: number, total: number): TablePage {
  return { page: number, rows: Array.from({ length: rows }, () => ({ domain: 'a.example', rank: 1, links: 1 })), total, creditsSpent: rows, costUsd: 0, creditsLeft: null, fromCache: false, fetchedAt: 0 };
}

describe('nextPageAfter', () => {
  it('asks for the next page while the total says more rows exist', () => {
    expect(nextPageAfter(page(1, 100, 1234), 100)).toBe(2);
    expect(nextPageAfter(page(12, 100, 1234), 100)).toBe(13);
  });
  it('stops at the last page, and at a short page whatever the total claims', () => {
    expect(nextPageAfter(page(13, 34, 1234), 100)).toBeUndefined();
    expect(nextPageAfter(page(10, 100, 1000), 100)).toBeUndefined();
    expect(nextPageAfter(page(2, 60, 60_000), 100)).toBeUndefined();
    expect(nextPageAfter(page(1, 0, 0), 100)).toBeUndefined();
  });

  it('never goes past the provider\'s row cap (Serpstat 60,000: no page 601)', () => {
    expect(nextPageAfter(page(599, 100, 250_000), 100, 60_000)).toBe(600);
    expect(nextPageAfter(page(600, 100, 250_000), 100, 60_000)).toBeUndefined();
    expect(nextPageAfter(page(600, 100, 250_000), 100)).toBe(601);
  });
});

describe('tableQuery', () => {
  it('keys on the whole query, so another sort is another table', () => {
    const client = { requestPage: vi.fn(), requestPages: vi.fn(), close: vi.fn() };
    const bySpamScore = { ...query, sort: { field: 'spamScore', order: 'asc' as const } };
    expect(tableQuery(client, query).queryKey).toEqual(queryKeys.table(query));
    expect(tableQuery(client, query).queryKey).not.toEqual(tableQuery(client, bySpamScore).queryKey);
  });

  it('fetches pages through the client with the abort signal, and throws a failed page as its LensError', async () => {
    const error = lensError('no_credits', 'Credits exhausted.', { provider: 'serpstat' });
    const client = {
      requestPage: vi.fn(async (_query: TableQuery, pageNumber: number) => (pageNumber === 1 ? ok(page(1, 100, 150)) : fail(error))),
      requestPages: vi.fn(),
      close: vi.fn(),
    };
    const queryClient = new QueryClient();
    const data = await queryClient.fetchInfiniteQuery(tableQuery(client, query));
    expect(data.pages.map((loaded) => loaded.page)).toEqual([1]);
    expect(client.requestPage).toHaveBeenCalledWith(query, 1, expect.any(AbortSignal), {});

    const options = tableQuery(client, query);
    const thrown = await Promise.resolve(
      options.queryFn!({ pageParam: 2, signal: new AbortController().signal, queryKey: options.queryKey, meta: undefined, client: queryClient, direction: 'forward' } as never),
    ).catch((caught: unknown) => caught);
    expect(thrown).toBeInstanceOf(LensErrorException);
    expect(toLensError(thrown)).toEqual(error);
  });

  it('reports anything else thrown as an internal error', () => {
    expect(toLensError(new Error('boom'))).toMatchObject({ code: 'internal', message: 'boom' });
  });
});
