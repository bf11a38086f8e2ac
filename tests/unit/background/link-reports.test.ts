import { describe, expect, it } from 'vitest';
import { buildDataForSeoRequest, dataforseo, parseDataForSeoPage } from '../../../lib/background/providers/dataforseo';
import { utcDateTime } from '../../../lib/background/providers/dates';
import { buildSerpstatRequest, parseSerpstatPage, serpstat } from '../../../lib/background/providers/serpstat';
import type { RequestContext } from '../../../lib/background/providers/types';
import { DATAFORSEO_BACKLINKS_OFFSET_LIMIT, firstTokenPage, providerCatalogue } from '../../../lib/shared/providers';
import { columnsFor, type TableQuery } from '../../../lib/shared/reports';
import * as docs from '../../fixtures/provider-docs-examples';
import { dataforseoErrors, serpstatErrors } from '../../fixtures/provider-errors';

/** Backlinks and Lost backlinks: both providers' adapters against the documented requests and answers. */

const serpstatQuery = (overrides: Partial<TableQuery> = {}): TableQuery => ({
  provider: 'serpstat',
  report: 'lostBacklinks',
  target: 'nike.com',
  scope: 'domain',
  filters: [],
  pageSize: 2,
  ...overrides,
});
const dataforseoQuery = (overrides: Partial<TableQuery> = {}): TableQuery => ({
  provider: 'dataforseo',
  report: 'backlinks',
  target: 'forbes.com',
  scope: 'domain_with_subdomains',
  filters: [],
  pageSize: 5,
  ...overrides,
});
const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status });

function contextAnswering(credentials: RequestContext['credentials'], answer: () => Response, seen: Request[]): RequestContext {
  return {
    baseUrl: credentials.provider === 'serpstat' ? 'https://api.serpstat.test/v4' : 'https://api.dataforseo.test',
    credentials,
    signal: new AbortController().signal,
    timeoutMs: 1000,
    fetch: async (input, init) => {
      seen.push(new Request(input, init));
      return answer();
    },
  };
}

describe('Serpstat getLostBacklinks', () => {
  it('builds the documented request, in the filter names the method takes (link_nofollow, not the rows’ nofollow)', () => {
    const built = buildSerpstatRequest(
      serpstatQuery({
        sort: { field: 'urlFrom', order: 'desc' },
        filters: [
          { kind: 'attribute', values: ['follow', 'nofollow', 'ugc', 'sponsored'] },
          { kind: 'flag', value: 'last_week' },
        ],
      }),
      1,
    );
    if (!built.ok) throw new Error(built.error.message);
    const { method, params } = docs.getLostBacklinksRequest;
    expect(built.data.method).toBe(method);
    expect(built.data.params).toMatchObject({ query: params.query, searchType: params.searchType, sort: params.sort, order: params.order, page: 1, size: 2 });
    const [first, second] = params.complexFilter;
    expect(built.data.params.complexFilter).toEqual([[first[0], second[1]]]);
  });

  it.each([
    ['anchor', 'anchor'],
    ['attribute', 'link_nofollow'],
    ['externalLinks', 'links_external'],
    ['urlTo', 'url_to'],
    ['lastSeen', 'check'],
  ])('sorts the column %s by the method’s field %s', (column, field) => {
    const built = buildSerpstatRequest(serpstatQuery({ sort: { field: column, order: 'asc' } }), 1);
    if (!built.ok) throw new Error(built.error.message);
    expect(built.data.params).toMatchObject({ sort: field, order: 'asc' });
  });

  it('filters URLs and anchors by the method’s names (anchor, not the rows’ link_text)', () => {
    const built = buildSerpstatRequest(
      serpstatQuery({
        filters: [
          { kind: 'contains', field: 'anchor', value: 'shoes' },
          { kind: 'notContains', field: 'urlTo', value: '/login' },
        ],
      }),
      1,
    );
    if (!built.ok) throw new Error(built.error.message);
    expect(built.data.params.complexFilter).toEqual([
      [
        { field: 'anchor', compareType: 'contains', value: ['shoes'] },
        { field: 'url_to', compareType: 'notContains', value: ['/login'] },
      ],
    ]);
  });

  it('refuses what getLostBacklinks cannot do: a rank filter, a first-seen or rank sort', () => {
    expect(buildSerpstatRequest(serpstatQuery({ filters: [{ kind: 'minRank', value: 10 }] }), 1)).toMatchObject({
      ok: false,
      error: { code: 'bad_filter', message: expect.stringContaining('Lost backlinks') },
    });
    for (const field of ['firstSeen', 'domainRank']) {
      expect(buildSerpstatRequest(serpstatQuery({ sort: { field, order: 'desc' } }), 1)).toMatchObject({ ok: false, error: { code: 'not_supported' } });
    }
  });

  it('normalises the documented answer: link_text, nofollow, links_ext and date_del into the link row', () => {
    const page = parseSerpstatPage('lostBacklinks', docs.getLostBacklinksResponse.result);
    expect(page).toEqual({
      ok: true,
      data: {
        rows: [
          {
            urlFrom: 'https://www.zamzamshop.ru/',
            urlTo: 'https://www.nike.com/',
            anchor: '',
            attribute: 'follow',
            linkType: 'href',
            externalLinks: 11,
            firstSeen: '2024-10-23',
            lastSeen: '2025-02-01 03:48:51',
            deletedAt: '2025-02-01 03:48:51',
            domainRank: 5,
          },
        ],
        total: 36,
        creditsSpent: 1,
        costUsd: 0,
        creditsLeft: 972850,
      },
    });
  });

  it.each([
    [(row: Record<string, unknown>) => delete row.date_del, 'result.data.0.date_del'],
    [(row: Record<string, unknown>) => (row.domain_rank = '5'), 'result.data.0.domain_rank'],
    [(row: Record<string, unknown>) => delete row.link_text, 'result.data.0.link_text'],
  ])('names a broken field and still books the credits it cost %#', (breakIt, path) => {
    const result = structuredClone(docs.getLostBacklinksResponse.result) as { data: Record<string, unknown>[] };
    breakIt(result.data[0]!);
    expect(parseSerpstatPage('lostBacklinks', result)).toMatchObject({
      ok: false,
      error: { code: 'malformed', message: expect.stringContaining(path), charged: { credits: 1 } },
    });
  });

  it.each(serpstatErrors)('maps "$name" over the wire', async ({ error, expected }) => {
    const seen: Request[] = [];
    const ctx = contextAnswering({ provider: 'serpstat', token: 'tok' }, () => json({ id: '1', error }), seen);
    const page = await serpstat.fetchPage(serpstatQuery(), 1, ctx);
    if (expected === 'no_data') expect(page).toMatchObject({ ok: true, data: { rows: [], creditsSpent: 1 } });
    else expect(page).toMatchObject({ ok: false, error: { code: expected, provider: 'serpstat' } });
    expect(((await seen[0]!.json()) as { method: string }).method).toBe('SerpstatBacklinksProcedure.getLostBacklinks');
  });
});

describe('DataForSEO backlinks/backlinks/live', () => {
  it('builds the documented task: mode as_is, the dofollow filter, the limit; ranks on 0-100', () => {
    const built = buildDataForSeoRequest(dataforseoQuery({ filters: [{ kind: 'attribute', values: ['follow'] }] }), 1);
    if (!built.ok) throw new Error(built.error.message);
    const documented = docs.backlinksLiveRequest[0];
    expect(built.data).toHaveLength(1);
    expect(built.data[0]).toMatchObject({ target: documented.target, mode: documented.mode, filters: documented.filters, limit: documented.limit });
    expect(built.data[0]).toMatchObject({ offset: 0, rank_scale: 'one_hundred', backlinks_status_type: 'live', include_subdomains: true });
  });

  it('asks for lost links with backlinks_status_type lost', () => {
    const built = buildDataForSeoRequest(dataforseoQuery({ report: 'lostBacklinks' }), 2);
    if (!built.ok) throw new Error(built.error.message);
    expect(built.data[0]).toMatchObject({ backlinks_status_type: 'lost', offset: 5, limit: 5 });
  });

  it.each([
    ['urlFrom', 'url_from'],
    ['urlTo', 'url_to'],
    ['anchor', 'anchor'],
    ['linkType', 'item_type'],
    ['externalLinks', 'page_from_external_links'],
    ['firstSeen', 'first_seen'],
    ['lastSeen', 'last_seen'],
    ['domainRank', 'domain_from_rank'],
  ])('sorts the column %s as order_by %s', (column, field) => {
    const built = buildDataForSeoRequest(dataforseoQuery({ sort: { field: column, order: 'desc' } }), 1);
    if (!built.ok) throw new Error(built.error.message);
    expect(built.data[0]!.order_by).toEqual([`${field},desc`]);
  });

  it('filters by its own field names: domain_from_rank for the rank, url_to / anchor matched ignoring case', () => {
    const built = buildDataForSeoRequest(
      dataforseoQuery({
        report: 'lostBacklinks',
        filters: [
          { kind: 'contains', field: 'urlTo', value: '/Blog/' },
          { kind: 'notContains', field: 'anchor', value: 'Click' },
          { kind: 'contains', field: 'domain', value: 'News' },
          { kind: 'minRank', value: 20 },
          { kind: 'maxRank', value: 80 },
          { kind: 'attribute', values: ['nofollow'] },
        ],
      }),
      1,
    );
    if (!built.ok) throw new Error(built.error.message);
    expect(built.data[0]!.filters).toEqual([
      ['url_to', 'ilike', '%/Blog/%'],
      'and',
      ['anchor', 'not_ilike', '%Click%'],
      'and',
      ['domain_from', 'like', '%news%'],
      'and',
      ['domain_from_rank', '>=', 20],
      'and',
      ['domain_from_rank', '<=', 80],
      'and',
      ['dofollow', '=', false],
    ]);
  });

  it('sends no condition for follow and nofollow together, and refuses ugc / sponsored, which it cannot filter', () => {
    const both = buildDataForSeoRequest(dataforseoQuery({ filters: [{ kind: 'attribute', values: ['follow', 'nofollow'] }] }), 1);
    if (!both.ok) throw new Error(both.error.message);
    expect(both.data[0]).not.toHaveProperty('filters');
    expect(buildDataForSeoRequest(dataforseoQuery({ filters: [{ kind: 'attribute', values: ['follow', 'ugc'] }] }), 1)).toMatchObject({
      ok: false,
      error: { code: 'bad_filter', message: 'DataForSEO cannot filter backlinks by ugc.' },
    });
    expect(buildDataForSeoRequest(dataforseoQuery({ filters: [{ kind: 'flag', value: 'last_week' }] }), 1)).toMatchObject({ ok: false, error: { code: 'bad_filter' } });
  });

  it('the catalogue offers exactly the attributes the adapter can filter by', () => {
    for (const report of ['backlinks', 'lostBacklinks'] as const) {
      const capability = providerCatalogue.dataforseo.reports[report];
      if (!capability.supported) throw new Error('offered');
      for (const value of ['follow', 'nofollow', 'ugc', 'sponsored'] as const) {
        const built = buildDataForSeoRequest(dataforseoQuery({ report, filters: [{ kind: 'attribute', values: [value] }] }), 1);
        expect(built.ok).toBe(capability.attributes?.includes(value) ?? true);
      }
    }
  });

  describe('paging past the offset limit', () => {
    const pageSize = 1000;
    const lastOffsetPage = DATAFORSEO_BACKLINKS_OFFSET_LIMIT / pageSize + 1;

    it('pages by offset up to 20,000, then continues by search_after_token without an offset', () => {
      expect(firstTokenPage(providerCatalogue.dataforseo.reports.backlinks, pageSize)).toBe(lastOffsetPage + 1);
      const last = buildDataForSeoRequest(dataforseoQuery({ pageSize }), lastOffsetPage);
      if (!last.ok) throw new Error(last.error.message);
      expect(last.data[0]).toMatchObject({ offset: 20_000 });
      expect(last.data[0]).not.toHaveProperty('search_after_token');
      const next = buildDataForSeoRequest(dataforseoQuery({ pageSize }), lastOffsetPage + 1, 'token-21');
      if (!next.ok) throw new Error(next.error.message);
      expect(next.data[0]).toMatchObject({ search_after_token: 'token-21', limit: pageSize });
      expect(next.data[0]).not.toHaveProperty('offset');
    });

    it('never sends an offset past the limit: without the page before’s token, nothing is asked', () => {
      expect(buildDataForSeoRequest(dataforseoQuery({ pageSize }), lastOffsetPage + 1)).toMatchObject({ ok: false, error: { code: 'internal' } });
      expect(firstTokenPage(providerCatalogue.dataforseo.reports.backlinks, 300)).toBe(68);
      expect(firstTokenPage(providerCatalogue.dataforseo.reports.refDomains, 300)).toBeNull();
      expect(firstTokenPage(providerCatalogue.serpstat.reports.backlinks, 300)).toBeNull();
    });

    it('sends the token over the wire with an otherwise identical task', async () => {
      const seen: Request[] = [];
      const ctx = contextAnswering({ provider: 'dataforseo', login: 'me', password: 'pw' }, () => json(docs.backlinksLiveResponse), seen);
      await dataforseo.fetchPage(dataforseoQuery({ pageSize }), lastOffsetPage, ctx);
      await dataforseo.fetchPage(dataforseoQuery({ pageSize }), lastOffsetPage + 1, ctx, 'token-21');
      expect(seen.map((request) => new URL(request.url).pathname)).toEqual(['/v3/backlinks/backlinks/live', '/v3/backlinks/backlinks/live']);
      const [offsetTask, tokenTask] = (await Promise.all(seen.map((request) => request.json()))) as Record<string, unknown>[][];
      const { offset, ...rest } = offsetTask![0]!;
      expect(offset).toBe(20_000);
      expect(tokenTask![0]).toEqual({ ...rest, search_after_token: 'token-21' });
    });
  });

  it('normalises the documented answer into the link row: attribute, item type, rank, dates in UTC without the zone', () => {
    const page = parseDataForSeoPage(docs.backlinksLiveResponse, 200, 'backlinks');
    expect(page).toEqual({
      ok: true,
      data: {
        rows: [
          {
            urlFrom: 'https://coefficient.io/convert-excel-to-google-sheets',
            urlTo: 'https://workspace.google.com/marketplace/app/coefficient_salesforce_hubspot_data_conn/182621001506',
            anchor: '5.0 Stars - Top Rated',
            attribute: 'follow',
            linkType: 'image',
            externalLinks: null,
            firstSeen: '2024-03-26 02:46:50',
            lastSeen: '2024-03-26 02:46:50',
            deletedAt: null,
            // The docs' answer was asked on the default 0-1000 scale; the adapter asks for 0-100.
            domainRank: 347,
          },
        ],
        total: 512,
        creditsSpent: 0,
        costUsd: 0.02015,
        creditsLeft: null,
        nextToken: '…',
      },
    });
  });

  it('fills exactly the columns the registry says DataForSEO fills', () => {
    const page = parseDataForSeoPage(docs.backlinksLiveResponse, 200, 'lostBacklinks');
    if (!page.ok) throw new Error(page.error.message);
    const row = page.data.rows[0] as unknown as Record<string, unknown>;
    const filled = columnsFor('lostBacklinks', 'dataforseo').map((column) => column.id);
    expect(filled).not.toContain('deletedAt');
    expect(row.deletedAt).toBeNull();
    // externalLinks may be null in an answer without page_from_external_links; the rest is there.
    for (const id of filled.filter((id) => id !== 'externalLinks')) expect(row[id], id).not.toBeNull();
  });

  it.each([
    [['nofollow'], false, 'nofollow'],
    [['ugc', 'nofollow'], false, 'ugc'],
    [['sponsored'], false, 'sponsored'],
    [null, true, 'follow'],
  ])('rel %j with dofollow %s is the attribute %s', (attributes, dofollow, expected) => {
    const answer = structuredClone(docs.backlinksLiveResponse);
    Object.assign(answer.tasks[0]!.result[0]!.items[0]!, { attributes, dofollow });
    const page = parseDataForSeoPage(answer, 200, 'backlinks');
    if (!page.ok) throw new Error(page.error.message);
    expect(page.data.rows[0]).toMatchObject({ attribute: expected });
  });

  it('names a broken item field and books what the answer cost', () => {
    const answer = structuredClone(docs.backlinksLiveResponse);
    (answer.tasks[0]!.result[0]!.items[0] as Record<string, unknown>).dofollow = 'yes';
    expect(parseDataForSeoPage(answer, 200, 'backlinks')).toMatchObject({
      ok: false,
      error: { code: 'malformed', message: expect.stringContaining('tasks.0.result.0.items.0.dofollow'), charged: { usd: 0.02015 } },
    });
  });

  it('a last page without a token carries none', () => {
    const answer = structuredClone(docs.backlinksLiveResponse) as { tasks: { result: Record<string, unknown>[] }[] };
    answer.tasks[0]!.result[0]!.search_after_token = null;
    const page = parseDataForSeoPage(answer, 200, 'backlinks');
    if (!page.ok) throw new Error(page.error.message);
    expect(page.data).not.toHaveProperty('nextToken');
  });

  it.each(dataforseoErrors)('maps status $statusCode at task level', ({ statusCode, statusMessage, expected, retryable }) => {
    const task = structuredClone(docs.backlinksLiveResponse) as { tasks: Record<string, unknown>[] };
    task.tasks[0] = { ...task.tasks[0], status_code: statusCode, status_message: statusMessage, result: null };
    expect(parseDataForSeoPage(task, 200, 'lostBacklinks')).toMatchObject({ ok: false, error: { code: expected, retryable, provider: 'dataforseo' } });
  });
});

describe('utcDateTime: dates with and without a zone, one form', () => {
  it.each([
    ['2024-03-26 02:46:50 +00:00', '2024-03-26 02:46:50'],
    ['2024-03-26 01:30:00 +02:00', '2024-03-25 23:30:00'],
    ['2024-03-26 23:00:00 -01:30', '2024-03-27 00:30:00'],
    ['2024-03-26T02:46:50Z', '2024-03-26 02:46:50'],
    ['2025-02-01 03:48:51', '2025-02-01 03:48:51'],
    ['2024-10-23', '2024-10-23'],
    ['not a date', 'not a date'],
  ])('%s → %s', (given, expected) => {
    expect(utcDateTime(given)).toBe(expected);
  });
  it('keeps a missing date missing', () => expect(utcDateTime(null)).toBeNull());
});
