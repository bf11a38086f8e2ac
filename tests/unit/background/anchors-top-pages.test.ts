import { describe, expect, it } from 'vitest';
import { buildSerpstatRequest, parseSerpstatPage, serpstat } from '../../../lib/background/providers/serpstat';
import { buildDataForSeoRequest, dataforseo, dataforseoSortFields, parseDataForSeoPage } from '../../../lib/background/providers/dataforseo';
import { providerCatalogue } from '../../../lib/shared/providers';
import type { RequestContext } from '../../../lib/background/providers/types';
import type { TableQuery } from '../../../lib/shared/reports';
import * as docs from '../../fixtures/provider-docs-examples';

/** Anchors and Top pages: each provider's documented requests and answers, and their quirks. */

const serpstatQuery = (overrides: Partial<TableQuery>): TableQuery => ({
  provider: 'serpstat',
  report: 'anchors',
  target: 'serpstat.com',
  scope: 'domain_with_subdomains',
  filters: [],
  pageSize: 2,
  ...overrides,
});
const dataforseoQuery = (overrides: Partial<TableQuery>): TableQuery => ({
  provider: 'dataforseo',
  report: 'anchors',
  target: 'forbes.com',
  scope: 'domain_with_subdomains',
  filters: [],
  pageSize: 4,
  ...overrides,
});

function answering(body: unknown, seen: Request[], provider: 'serpstat' | 'dataforseo'): RequestContext {
  return {
    baseUrl: provider === 'serpstat' ? 'https://api.serpstat.test/v4' : 'https://api.dataforseo.test',
    credentials: provider === 'serpstat' ? { provider, token: 'token' } : { provider, login: 'login', password: 'password' },
    signal: new AbortController().signal,
    timeoutMs: 1000,
    fetch: async (input, init) => {
      seen.push(new Request(input, init));
      return new Response(JSON.stringify(body), { status: 200 });
    },
  };
}

describe('Serpstat getAnchors', () => {
  it('builds the documented request: the sort and filter field names are the request’s, not the answer’s', () => {
    const built = buildSerpstatRequest(
      serpstatQuery({
        sort: { field: 'anchor', order: 'desc' },
        filters: [
          { kind: 'contains', field: 'anchor', value: 'serpstat' },
          { kind: 'flag', value: 'no_subdomains' },
        ],
      }),
      1,
    );
    if (!built.ok) throw new Error(built.error.message);
    const { method, params } = docs.getAnchorsRequest;
    expect(built.data.method).toBe(method);
    expect(built.data.params).toMatchObject({ query: params.query, searchType: params.searchType, sort: params.sort, order: params.order, page: 1, size: 2 });
    const documented = params.complexFilter[0];
    expect(built.data.params.complexFilter).toEqual([[documented[0], documented[3]]]);
  });

  it.each([
    ['backlinks', 'total'],
    ['refDomains', 'refDomains'],
    // The answer says noFollow; the field list says nofollow, which is what is sent.
    ['nofollow', 'nofollow'],
  ])('sorts by the column %s as %s', (column, field) => {
    const built = buildSerpstatRequest(serpstatQuery({ sort: { field: column, order: 'asc' } }), 1);
    if (!built.ok) throw new Error(built.error.message);
    expect(built.data.params).toMatchObject({ sort: field, order: 'asc' });
  });

  it('reads the documented answer into anchor rows, a credit a row', () => {
    expect(parseSerpstatPage('anchors', docs.getAnchorsResponse.result)).toEqual({
      ok: true,
      data: {
        rows: [
          { anchor: 'www.serpstat.com', refDomains: 10, backlinks: 11, nofollow: 1, rank: null, firstSeen: null, lostDate: null },
          { anchor: 'serpstat.com/ru', refDomains: 4, backlinks: 6, nofollow: 3, rank: null, firstSeen: null, lostDate: null },
        ],
        total: 64,
        creditsSpent: 2,
        costUsd: 0,
        creditsLeft: 972983,
      },
    });
  });

  it('keeps an empty anchor (an image link) as a row, and names a missing noFollow', () => {
    const result = structuredClone(docs.getAnchorsResponse.result) as { data: Record<string, unknown>[] };
    result.data[0]!.anchor = '';
    const page = parseSerpstatPage('anchors', result);
    if (!page.ok) throw new Error(page.error.message);
    expect(page.data.rows[0]).toMatchObject({ anchor: '', backlinks: 11 });
    delete result.data[1]!.noFollow;
    expect(parseSerpstatPage('anchors', result)).toMatchObject({ ok: false, error: { code: 'malformed', message: expect.stringContaining('result.data.1.noFollow') } });
  });

  it('refuses a page scope and filters the method lacks, before any request', () => {
    expect(buildSerpstatRequest(serpstatQuery({ filters: [{ kind: 'minRank', value: 3 }] }), 1)).toMatchObject({ ok: false, error: { code: 'bad_filter' } });
    expect(buildSerpstatRequest(serpstatQuery({ filters: [{ kind: 'contains', field: 'domain', value: 'x' }] }), 1)).toMatchObject({
      ok: false,
      error: { code: 'bad_filter', message: 'Serpstat cannot filter Anchors by “Domain”.' },
    });
    expect(buildSerpstatRequest(serpstatQuery({ sort: { field: 'rank', order: 'asc' } }), 1)).toMatchObject({ ok: false, error: { code: 'not_supported' } });
  });

  it('reads “no data” as a paid empty page and a filter error as bad_filter', async () => {
    const empty = await serpstat.fetchPage(serpstatQuery({}), 1, answering({ id: '1', error: { code: 32015, message: 'No data found for requested domain' } }, [], 'serpstat'));
    expect(empty).toEqual({ ok: true, data: { rows: [], total: 0, creditsSpent: 1, costUsd: 0, creditsLeft: null } });
    const filter = await serpstat.fetchPage(serpstatQuery({}), 1, answering({ id: '1', error: { code: 32117, message: 'Not allowed field: noFollow' } }, [], 'serpstat'));
    expect(filter).toMatchObject({ ok: false, error: { code: 'bad_filter', providerCode: 32117 } });
  });
});

describe('Serpstat getTopPages', () => {
  it('builds the documented request (url_to, the request’s name for urlTo)', () => {
    const built = buildSerpstatRequest(
      serpstatQuery({
        report: 'topPages',
        sort: { field: 'refIps', order: 'desc' },
        filters: [
          { kind: 'contains', field: 'url', value: 'serpstat' },
          { kind: 'flag', value: 'no_subdomains' },
        ],
      }),
      1,
    );
    if (!built.ok) throw new Error(built.error.message);
    const { method, params } = docs.getTopPagesRequest;
    expect(built.data.method).toBe(method);
    expect(built.data.params).toMatchObject({ query: params.query, searchType: params.searchType, sort: params.sort, order: params.order, page: 1, size: 2 });
    const documented = params.complexFilter[0];
    expect(built.data.params.complexFilter).toEqual([[documented[0], documented[3]]]);
  });

  it.each([
    ['refDomains', 'domains'],
    ['refPages', 'count'],
    ['url', 'url_to'],
  ])('sorts by the column %s as %s', (column, field) => {
    const built = buildSerpstatRequest(serpstatQuery({ report: 'topPages', sort: { field: column, order: 'desc' } }), 1);
    if (!built.ok) throw new Error(built.error.message);
    expect(built.data.params).toMatchObject({ sort: field });
  });

  it('reads the documented answer: the full urlTo, so the home page with and without its slash stays two labelled rows', () => {
    expect(parseSerpstatPage('topPages', docs.getTopPagesResponse.result)).toEqual({
      ok: true,
      data: {
        rows: [
          { url: 'https://serpstat.com/', refDomains: 3265, refPages: 52041, backlinks: null, refIps: 3144, rank: null, firstSeen: null, lostDate: null },
          { url: 'https://serpstat.com', refDomains: 385, refPages: 39889, backlinks: null, refIps: 392, rank: null, firstSeen: null, lostDate: null },
        ],
        total: 3608,
        creditsSpent: 2,
        costUsd: 0,
        creditsLeft: 971480,
      },
    });
  });

  it('names a missing urlTo rather than reading the path alone', () => {
    const result = structuredClone(docs.getTopPagesResponse.result) as { data: Record<string, unknown>[] };
    delete result.data[0]!.urlTo;
    expect(parseSerpstatPage('topPages', result)).toMatchObject({ ok: false, error: { code: 'malformed', message: expect.stringContaining('result.data.0.urlTo') } });
  });
});

describe('DataForSEO anchors/live', () => {
  it('the catalogue’s sortable columns are exactly those the adapter can sort by, for both reports', () => {
    for (const report of ['anchors', 'topPages'] as const) {
      const capability = providerCatalogue.dataforseo.reports[report];
      expect(capability.supported && capability.sortable).toEqual(Object.keys(dataforseoSortFields(report)));
    }
  });

  it('builds the documented task, asking for ranks on the 0–100 scale, and matches anchor text ignoring case', () => {
    const built = buildDataForSeoRequest(
      dataforseoQuery({ sort: { field: 'backlinks', order: 'desc' }, filters: [{ kind: 'contains', field: 'anchor', value: 'News' }] }),
      1,
    );
    if (!built.ok) throw new Error(built.error.message);
    const documented = docs.anchorsLiveRequest[0]!;
    expect(built.data).toEqual([
      {
        target: documented.target,
        limit: documented.limit,
        offset: 0,
        order_by: documented.order_by,
        rank_scale: 'one_hundred',
        include_subdomains: true,
        filters: ['anchor', 'ilike', '%News%'],
      },
    ]);
  });

  it('takes a page address as target', () => {
    const built = buildDataForSeoRequest(dataforseoQuery({ scope: 'url', target: 'https://forbes.com/sites/x/' }), 2);
    if (!built.ok) throw new Error(built.error.message);
    expect(built.data[0]).toMatchObject({ target: 'https://forbes.com/sites/x/', offset: 4 });
    expect(built.data[0]).not.toHaveProperty('include_subdomains');
  });

  it('reads the documented answer: nofollow from the attribute map, dates as sent, cost exactly', () => {
    expect(parseDataForSeoPage(docs.anchorsLiveResponse, 200, 'anchors')).toEqual({
      ok: true,
      data: {
        rows: [{ anchor: 'forbes news', refDomains: 410, backlinks: 5400, nofollow: 700, rank: 310, firstSeen: '2019-11-15 12:57:46 +00:00', lostDate: null }],
        total: 1200,
        creditsSpent: 0,
        costUsd: 0.02012,
        creditsLeft: null,
      },
    });
  });

  it('reads a null anchor as an empty one, a null attribute map as nofollow not known, and null items as no rows', () => {
    const answer = structuredClone(docs.anchorsLiveResponse) as { tasks: { result: { items: Record<string, unknown>[] | null }[] }[] };
    const item = answer.tasks[0]!.result[0]!.items![0]!;
    item.anchor = null;
    item.referring_links_attributes = null;
    const page = parseDataForSeoPage(answer, 200, 'anchors');
    if (!page.ok) throw new Error(page.error.message);
    expect(page.data.rows[0]).toMatchObject({ anchor: '', nofollow: null });
    item.referring_links_attributes = { noopener: 3 };
    const withoutNofollow = parseDataForSeoPage(answer, 200, 'anchors');
    expect(withoutNofollow.ok && withoutNofollow.data.rows[0]).toMatchObject({ nofollow: 0 });
    answer.tasks[0]!.result[0]!.items = null;
    expect(parseDataForSeoPage(answer, 200, 'anchors')).toMatchObject({ ok: true, data: { rows: [], costUsd: 0.02012 } });
  });

  it('names a broken item and keeps what the answer cost', () => {
    const answer = structuredClone(docs.anchorsLiveResponse) as { tasks: { result: { items: Record<string, unknown>[] }[] }[] };
    answer.tasks[0]!.result[0]!.items[0]!.referring_domains = '410';
    expect(parseDataForSeoPage(answer, 200, 'anchors')).toMatchObject({
      ok: false,
      error: { code: 'malformed', message: expect.stringContaining('tasks.0.result.0.items.0.referring_domains'), charged: { usd: 0.02012 } },
    });
  });

  it('posts to anchors/live and maps a charged invalid field to bad_filter', async () => {
    const seen: Request[] = [];
    const failed = structuredClone(docs.anchorsLiveResponse) as { cost: number; tasks: Record<string, unknown>[] };
    Object.assign(failed.tasks[0]!, { status_code: 40501, status_message: 'Invalid Field: "referring_links_types.anchors".', result: null });
    failed.cost = 0.02;
    const page = await dataforseo.fetchPage(dataforseoQuery({}), 1, answering(failed, seen, 'dataforseo'));
    expect(seen[0]!.url).toBe('https://api.dataforseo.test/v3/backlinks/anchors/live');
    expect(page).toMatchObject({ ok: false, error: { code: 'bad_filter', providerCode: 40501, charged: { credits: 0, usd: 0.02 } } });
  });
});

describe('DataForSEO domain_pages/live', () => {
  it('always sends an order and leaves out pages without backlinks, then the user’s filters (the documented grammar)', () => {
    const built = buildDataForSeoRequest(
      dataforseoQuery({ report: 'topPages', pageSize: 5, sort: { field: 'refDomains', order: 'desc' }, filters: [{ kind: 'contains', field: 'url', value: 'sites' }] }),
      1,
    );
    if (!built.ok) throw new Error(built.error.message);
    const documented = docs.domainPagesLiveRequest[0]!;
    // The documented filter: page_summary.backlinks > 5 and page like %sites%; ours keeps any page with a link.
    expect(built.data[0]!.filters).toEqual([['page_summary.backlinks', '>', 0], 'and', ['page', 'ilike', '%sites%']]);
    expect(documented.filters[1]).toBe('and');
    expect(built.data[0]).toMatchObject({ target: documented.target, limit: documented.limit, order_by: ['page_summary.referring_domains,desc'], rank_scale: 'one_hundred' });
  });

  it.each([
    ['backlinks', 'page_summary.backlinks'],
    ['rank', 'page_summary.rank'],
    ['refIps', 'page_summary.referring_ips'],
    ['url', 'page'],
  ])('sorts by the column %s as %s', (column, field) => {
    const built = buildDataForSeoRequest(dataforseoQuery({ report: 'topPages', sort: { field: column, order: 'asc' } }), 1);
    if (!built.ok) throw new Error(built.error.message);
    expect(built.data[0]!.order_by).toEqual([`${field},asc`]);
  });

  it('filters rank on page_summary.rank and counts its own condition against the 8 allowed', () => {
    const built = buildDataForSeoRequest(dataforseoQuery({ report: 'topPages', filters: [{ kind: 'minRank', value: 20 }] }), 1);
    if (!built.ok) throw new Error(built.error.message);
    expect(built.data[0]!.filters).toEqual([['page_summary.backlinks', '>', 0], 'and', ['page_summary.rank', '>=', 20]]);
    const eight = Array.from({ length: 8 }, (_, i) => ({ kind: 'minRank' as const, value: i }));
    expect(buildDataForSeoRequest(dataforseoQuery({ report: 'topPages', filters: eight }), 1)).toMatchObject({
      ok: false,
      error: { code: 'bad_filter', message: expect.stringContaining('at most 7') },
    });
  });

  it('refuses one page as target before any request (domain_pages takes a domain)', () => {
    expect(buildDataForSeoRequest(dataforseoQuery({ report: 'topPages', scope: 'url', target: 'https://forbes.com/x' }), 1)).toMatchObject({
      ok: false,
      error: { code: 'not_supported' },
    });
  });

  it('reads the documented (trimmed) answer: page_summary fields it leaves out are unknown, not zero', () => {
    expect(parseDataForSeoPage(docs.domainPagesLiveResponse, 200, 'topPages')).toEqual({
      ok: true,
      data: {
        rows: [
          {
            url: 'https://www.forbes.com/sites/example/',
            refDomains: 120,
            refPages: null,
            backlinks: 830,
            refIps: null,
            rank: 250,
            firstSeen: '2020-02-01 08:00:00 +00:00',
            lostDate: null,
          },
        ],
        total: 250000,
        creditsSpent: 0,
        costUsd: 0.02015,
        creditsLeft: null,
      },
    });
  });

  it('posts to domain_pages/live and names a missing page_summary', async () => {
    const seen: Request[] = [];
    const answer = structuredClone(docs.domainPagesLiveResponse) as { tasks: { result: { items: Record<string, unknown>[] }[] }[] };
    delete answer.tasks[0]!.result[0]!.items[0]!.page_summary;
    const page = await dataforseo.fetchPage(dataforseoQuery({ report: 'topPages' }), 1, answering(answer, seen, 'dataforseo'));
    expect(seen[0]!.url).toBe('https://api.dataforseo.test/v3/backlinks/domain_pages/live');
    expect(page).toMatchObject({ ok: false, error: { code: 'malformed', message: expect.stringContaining('items.0.page_summary'), charged: { usd: 0.02015 } } });
  });
});
