import { describe, expect, it } from 'vitest';
import { buildSerpstatRequest, mapSerpstatError, parseSerpstatPage, serpstat, serpstatSortFields } from '../../../lib/background/providers/serpstat';
import { providerCatalogue } from '../../../lib/shared/providers';
import type { RequestContext } from '../../../lib/background/providers/types';
import { reportIds, type ReportId, type TableQuery } from '../../../lib/shared/reports';
import { serpstatErrors } from '../../fixtures/provider-errors';
import * as docs from '../../fixtures/provider-docs-examples';

// "+", "/" and "=" differ once URL-encoded, so both spellings are checked for leaks.
const TOKEN = 'secret+token/abcd==';
const leaks = (value: unknown) => {
  const text = JSON.stringify(value);
  return text.includes(TOKEN) || text.includes(encodeURIComponent(TOKEN));
};

function contextAnswering(answer: () => Response | Promise<Response>, seen: Request[] = []): RequestContext {
  return {
    baseUrl: 'https://api.serpstat.test/v4',
    credentials: { provider: 'serpstat', token: TOKEN },
    signal: new AbortController().signal,
    timeoutMs: 1000,
    fetch: async (input, init) => {
      seen.push(new Request(input, init));
      return answer();
    },
  };
}
const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

const query = (overrides: Partial<TableQuery>): TableQuery => ({
  provider: 'serpstat',
  report: 'refDomains',
  target: 'serpstat.com',
  scope: 'domain',
  filters: [],
  pageSize: 2,
  ...overrides,
});

describe('the catalogue and the adapter agree', () => {
  it.each(reportIds)('%s: the columns the catalogue calls sortable are exactly those the adapter can sort by', (report) => {
    const capability = providerCatalogue.serpstat.reports[report];
    expect(capability.supported && capability.sortable).toEqual(Object.keys(serpstatSortFields[report]));
  });
});

describe('buildSerpstatRequest matches the documented request bodies', () => {
  it('getRefDomains', () => {
    const built = buildSerpstatRequest(
      query({
        sort: { field: 'rank', order: 'desc' },
        filters: [
          { kind: 'contains', field: 'domain', value: '.com' },
          { kind: 'minRank', value: 1 },
          { kind: 'flag', value: 'last_week' },
        ],
      }),
      1,
    );
    expect(built.ok).toBe(true);
    if (!built.ok) return;
    const { method, params } = docs.getRefDomainsRequest;
    expect(built.data.method).toBe(method);
    expect(built.data.params).toMatchObject({
      query: params.query,
      searchType: params.searchType,
      order: params.order,
      page: params.page,
      size: params.size,
      sort: params.sort,
    });
    // Every condition built is one the docs show, in the same shape.
    const documented = params.complexFilter[0];
    expect(built.data.params.complexFilter).toEqual([
      [documented[0], documented[1], documented[3]],
    ]);
  });

  it('getOutDomains', () => {
    const built = buildSerpstatRequest(
      query({
        report: 'outDomains',
        scope: 'domain_with_subdomains',
        sort: { field: 'links', order: 'desc' },
        filters: [
          { kind: 'contains', field: 'domain', value: '.com' },
          { kind: 'minRank', value: 1 },
          { kind: 'flag', value: 'only_subdomains' },
        ],
      }),
      1,
    );
    if (!built.ok) throw new Error(built.error.message);
    const { method, params } = docs.getOutDomainsRequest;
    expect(built.data.method).toBe(method);
    expect(built.data.params).toMatchObject({ query: params.query, searchType: params.searchType, sort: params.sort, order: params.order, page: 1, size: 2 });
    const documented = params.complexFilter[0];
    expect(built.data.params.complexFilter).toEqual([[documented[0], documented[1], documented[3]]]);
  });

  it('getNewBacklinks', () => {
    const built = buildSerpstatRequest(
      query({
        report: 'backlinks',
        sort: { field: 'urlFrom', order: 'desc' },
        filters: [
          { kind: 'notContains', field: 'urlFrom', value: '7654765' },
          { kind: 'notContains', field: 'anchor', value: 'Stat' },
          { kind: 'flag', value: 'no_subdomains' },
          { kind: 'flag', value: 'only_main_page' },
        ],
      }),
      1,
    );
    if (!built.ok) throw new Error(built.error.message);
    const { method, params } = docs.getNewBacklinksRequest;
    expect(built.data.method).toBe(method);
    expect(built.data.params).toMatchObject({
      query: params.query,
      searchType: params.searchType,
      sort: params.sort,
      order: params.order,
      page: params.page,
      size: params.size,
    });
    // The docs OR the flags in a second group; one AND group is what the side panel means.
    const [first, second] = params.complexFilter;
    expect(built.data.params.complexFilter).toEqual([[first[0], first[1], ...second]]);
  });

  it('getOutlinks', () => {
    const built = buildSerpstatRequest(
      query({
        report: 'outlinks',
        sort: { field: 'urlFrom', order: 'desc' },
        filters: [
          { kind: 'notContains', field: 'urlFrom', value: '7654765' },
          { kind: 'attribute', values: ['follow', 'nofollow', 'ugc', 'sponsored'] },
          { kind: 'notContains', field: 'anchor', value: 'лопспрол' },
        ],
      }),
      1,
    );
    if (!built.ok) throw new Error(built.error.message);
    const { method, params } = docs.getOutlinksRequest;
    expect(built.data.method).toBe(method);
    expect(built.data.params).toMatchObject({
      query: params.query,
      searchType: params.searchType,
      sort: params.sort,
      order: params.order,
      page: params.page,
      size: params.size,
    });
    const documented = params.complexFilter[0];
    expect(built.data.params.complexFilter).toEqual([[documented[0], documented[1], documented[2]]]);
  });

  it('omits complexFilter without filters and sort without a sort', () => {
    const built = buildSerpstatRequest(query({}), 3);
    expect(built).toEqual({
      ok: true,
      data: { id: 'refDomains-3', method: 'SerpstatBacklinksProcedure.getRefDomains', params: { query: 'serpstat.com', searchType: 'domain', page: 3, size: 2 } },
    });
  });

  it('refuses what the method does not take, naming it', () => {
    const unsortable = buildSerpstatRequest(query({ report: 'outlinks', sort: { field: 'domainRank', order: 'asc' } }), 1);
    expect(unsortable).toMatchObject({ ok: false, error: { code: 'not_supported', message: 'Serpstat cannot sort Outlinks by “Domain rank”.' } });
    const firstSeen = buildSerpstatRequest(query({ report: 'outlinks', sort: { field: 'firstSeen', order: 'asc' } }), 1);
    expect(firstSeen).toMatchObject({ ok: false, error: { code: 'not_supported', message: expect.stringContaining('First seen') } });
    const badFilter = buildSerpstatRequest(query({ report: 'outlinks', filters: [{ kind: 'minRank', value: 3 }] }), 1);
    expect(badFilter).toMatchObject({ ok: false, error: { code: 'bad_filter', message: expect.stringContaining('rank') } });
    const urlFilter = buildSerpstatRequest(query({ filters: [{ kind: 'contains', field: 'urlFrom', value: 'x' }] }), 1);
    expect(urlFilter).toMatchObject({ ok: false, error: { code: 'bad_filter', message: 'Serpstat cannot filter Referring domains by “URL from”.' } });
    const attribute = buildSerpstatRequest(query({ report: 'outDomains', filters: [{ kind: 'attribute', values: ['follow'] }] }), 1);
    expect(attribute).toMatchObject({ ok: false, error: { code: 'bad_filter', message: expect.stringContaining('link attribute') } });
    const flag = buildSerpstatRequest(query({ report: 'outDomains', filters: [{ kind: 'flag', value: 'last_week' }] }), 1);
    expect(flag).toMatchObject({ ok: false, error: { code: 'bad_filter', message: expect.stringContaining('last week') } });
    const page = buildSerpstatRequest(query({ scope: 'url', target: 'https://serpstat.com/x' }), 1);
    expect(page).toMatchObject({ ok: false, error: { code: 'not_supported' } });
  });
});

describe('parseSerpstatPage normalises the documented answers', () => {
  it('getRefDomains (domainRank)', () => {
    expect(parseSerpstatPage('refDomains', docs.getRefDomainsResponse.result)).toEqual({
      ok: true,
      data: {
        rows: [
          { domain: 'elsner.com', rank: 47, refPages: 2, backlinks: null, firstSeen: null, lostDate: null, spamScore: null },
          { domain: 'telnyx.com', rank: 46, refPages: 3, backlinks: null, firstSeen: null, lostDate: null, spamScore: null },
        ],
        total: 26,
        creditsSpent: 2,
        costUsd: 0,
        creditsLeft: 972836,
      },
    });
  });

  it('getOutDomains (domain_rank)', () => {
    const page = parseSerpstatPage('outDomains', docs.getOutDomainsResponse.result);
    expect(page).toMatchObject({ ok: true, data: { total: 335, creditsLeft: 972838 } });
    if (page.ok) expect(page.data.rows[0]).toEqual({ domain: 'support.google.com', rank: 0, links: 340 });
  });

  it('getNewBacklinks (nofollow, links_ext)', () => {
    const page = parseSerpstatPage('backlinks', docs.getNewBacklinksResponse.result);
    if (!page.ok) throw new Error(page.error.message);
    expect(page.data.rows[1]).toEqual({
      urlFrom: 'https://www.schweiz-navigator.de/',
      urlTo: 'https://serpstat.com/users/login/',
      anchor: '',
      attribute: 'follow',
      linkType: 'redirect',
      externalLinks: 1,
      firstSeen: '2022-07-25',
      lastSeen: '2025-01-30 20:22:03',
      deletedAt: null,
      domainRank: 18,
    });
    expect(page.data.total).toBe(62);
  });

  it('getOutlinks (date_del null)', () => {
    const page = parseSerpstatPage('outlinks', docs.getOutlinksResponse.result);
    if (!page.ok) throw new Error(page.error.message);
    expect(page.data.rows[0]).toMatchObject({ anchor: 'Install for Microsoft Edge', externalLinks: 13, deletedAt: null, domainRank: null });
    expect(page.data.total).toBe(99241);
  });

  type Row = Record<string, unknown>;
  const brokenRows: [ReportId, { result: unknown }, (row: Row) => unknown, string][] = [
    ['refDomains', docs.getRefDomainsResponse, (row) => delete row.domainRank, 'result.data.0.domainRank'],
    ['refDomains', docs.getRefDomainsResponse, (row) => (row.domainRank = null), 'result.data.0.domainRank'],
    ['refDomains', docs.getRefDomainsResponse, (row) => (row.ref_pages = '2'), 'result.data.0.ref_pages'],
    ['backlinks', docs.getNewBacklinksResponse, (row) => delete row.nofollow, 'result.data.0.nofollow'],
    ['backlinks', docs.getNewBacklinksResponse, (row) => (row.links_ext = null), 'result.data.0.links_ext'],
    ['outlinks', docs.getOutlinksResponse, (row) => delete row.date_del, 'result.data.0.date_del'],
    ['outlinks', docs.getOutlinksResponse, (row) => (row.url_from = 5), 'result.data.0.url_from'],
  ];
  it.each(brokenRows)('%s: names the broken field %#', (report, answer, breakIt, path) => {
    const result = structuredClone(answer.result) as { data: Record<string, unknown>[] };
    breakIt(result.data[0]!);
    const page = parseSerpstatPage(report, result);
    expect(page).toMatchObject({ ok: false, error: { code: 'malformed', message: expect.stringContaining(path) } });
  });

  it('reads a deletion date where the docs allow null', () => {
    const result = structuredClone(docs.getOutlinksResponse.result) as { data: Record<string, unknown>[] };
    result.data[1]!.date_del = '2025-02-10';
    const page = parseSerpstatPage('outlinks', result);
    if (!page.ok) throw new Error(page.error.message);
    expect(page.data.rows.map((row) => (row as { deletedAt: string | null }).deletedAt)).toEqual([null, '2025-02-10']);
  });

  it('charges 1 credit for an empty page', () => {
    const result = { data: [], summary_info: { left_lines: 10, page: 1, count: 0, total: 0 } };
    expect(parseSerpstatPage('refDomains', result)).toEqual({ ok: true, data: { rows: [], total: 0, creditsSpent: 1, costUsd: 0, creditsLeft: 10 } });
  });

  it('tolerates unknown extra fields', () => {
    const result = structuredClone(docs.getOutDomainsResponse.result) as Record<string, unknown> & { data: Record<string, unknown>[] };
    result.data[0]!.brand_new_metric = 5;
    result.extra = { anything: true };
    expect(parseSerpstatPage('outDomains', result).ok).toBe(true);
  });

  it.each([
    ['a missing field', (r: { data: Record<string, unknown>[] }) => delete r.data[1]!.domain_to, 'result.data.1.domain_to'],
    ['a wrong type', (r: { data: Record<string, unknown>[] }) => (r.data[0]!.domain_links = '340'), 'result.data.0.domain_links'],
    ['null for a number', (r: { data: Record<string, unknown>[] }) => (r.data[0]!.domain_rank = null), 'result.data.0.domain_rank'],
    ['no summary_info', (r: { data: Record<string, unknown>[]; summary_info?: unknown }) => delete r.summary_info, 'result.summary_info'],
  ])('names the field for %s', (_name, breakIt, path) => {
    const result = structuredClone(docs.getOutDomainsResponse.result);
    breakIt(result as never);
    const page = parseSerpstatPage('outDomains', result);
    expect(page).toMatchObject({ ok: false, error: { code: 'malformed', provider: 'serpstat' } });
    if (!page.ok) expect(page.error.message).toContain(path);
  });

  it('keeps what an unreadable answer was billed (a credit per row sent), for the ledger', () => {
    const result = structuredClone(docs.getOutDomainsResponse.result) as { data: Record<string, unknown>[] };
    result.data[0]!.domain_links = '340';
    expect(parseSerpstatPage('outDomains', result)).toMatchObject({
      ok: false,
      error: { code: 'malformed', charged: { credits: result.data.length, usd: 0 } },
    });
    // Without a list of rows there is no telling what was billed.
    const page = parseSerpstatPage('outDomains', { summary_info: {} });
    expect(page.ok || page.error.charged).toBeUndefined();
  });
});

describe('parseSerpstatPage refuses impossible answers', () => {
  it.each([
    ['total', 'result.summary_info.total'],
    ['left_lines', 'result.summary_info.left_lines'],
  ])('a negative %s is a bad answer, not a page', (field, path) => {
    const result = structuredClone(docs.getOutDomainsResponse.result) as { summary_info: Record<string, unknown> };
    result.summary_info[field] = -5;
    const page = parseSerpstatPage('outDomains', result);
    expect(page).toMatchObject({ ok: false, error: { code: 'bad_answer', provider: 'serpstat' } });
    if (!page.ok) expect(page.error.message).toContain(`${path} is negative`);
  });
});

describe('serpstat adapter over HTTP', () => {
  it('posts JSON-RPC to the base URL with the token in the query string', async () => {
    const seen: Request[] = [];
    const page = await serpstat.fetchPage(query({}), 1, contextAnswering(() => json(docs.getRefDomainsResponse), seen));
    expect(page.ok).toBe(true);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.method).toBe('POST');
    expect(seen[0]!.url).toBe(`https://api.serpstat.test/v4?token=${encodeURIComponent(TOKEN)}`);
    expect(seen[0]!.headers.get('Content-Type')).toBe('application/json');
    expect(await seen[0]!.json()).toMatchObject({ method: 'SerpstatBacklinksProcedure.getRefDomains', params: { query: 'serpstat.com' } });
  });

  it("sends no cookies or HTTP auth the browser holds for the provider's site, only the token", async () => {
    const seen: Request[] = [];
    await serpstat.fetchPage(query({}), 1, contextAnswering(() => json(docs.getRefDomainsResponse), seen));
    await serpstat.testConnection(contextAnswering(() => json({ id: 'stats', result: { max_lines: 10, left_lines: 5 } }), seen));
    expect(seen.map((request) => request.credentials)).toEqual(['omit', 'omit']);
  });

  it.each(serpstatErrors)('maps the $name error object (HTTP 200)', async ({ error, expected, retryable }) => {
    const page = await serpstat.fetchPage(query({}), 1, contextAnswering(() => json({ id: '1', error })));
    if (expected === 'no_data') {
      expect(page).toEqual({ ok: true, data: { rows: [], total: 0, creditsSpent: 1, costUsd: 0, creditsLeft: null } });
      return;
    }
    expect(page).toMatchObject({ ok: false, error: { code: expected, retryable, provider: 'serpstat', providerCode: error.code } });
    expect(mapSerpstatError(error.code, error.message)).toMatchObject({ code: expected });
  });

  const faults: [string, () => Response | Promise<Response>, string, boolean][] = [
    ['HTTP 429 with Retry-After', () => new Response('slow down', { status: 429, headers: { 'Retry-After': '7' } }), 'rate_limited', true],
    ['HTTP 500 HTML', () => new Response('<html>oops</html>', { status: 500 }), 'server_error', true],
    ['HTTP 502 JSON without error', () => json({ message: 'bad gateway' }, 502), 'server_error', true],
    ['HTTP 503 with an empty body', () => new Response('', { status: 503 }), 'server_error', true],
    ['HTTP 404 JSON without error', () => json({ message: 'not here' }, 404), 'bad_request', false],
    ['an HTML page with 200', () => new Response('<!doctype html><title>Maintenance</title>', { status: 200 }), 'malformed', false],
    ['an empty body', () => new Response('', { status: 200 }), 'malformed', false],
    ['truncated JSON', () => new Response(JSON.stringify(docs.getRefDomainsResponse).slice(0, 80), { status: 200 }), 'malformed', false],
    ['neither result nor error', () => json({ id: '1' }), 'malformed', false],
    ['a network failure', () => Promise.reject(new TypeError('Failed to fetch')), 'network', true],
  ];
  it.each(faults.map(([name, answer, code, retryable]) => ({ name, answer, code, retryable })))(
    'turns $name into a $code error',
    async ({ answer, code, retryable }) => {
      const page = await serpstat.fetchPage(query({}), 1, contextAnswering(answer));
      expect(page).toMatchObject({ ok: false, error: { code, retryable, provider: 'serpstat' } });
      if (!page.ok) expect(page.error.message).toContain('Serpstat');
    },
  );

  it('reads Retry-After as seconds or as a date, and leaves it out when absent', async () => {
    const seconds = await serpstat.fetchPage(query({}), 1, contextAnswering(() => new Response('', { status: 429, headers: { 'Retry-After': '7' } })));
    expect(seconds).toMatchObject({ ok: false, error: { retryAfterMs: 7000 } });
    const inTwoMinutes = new Date(Date.now() + 120_000).toUTCString();
    const date = await serpstat.fetchPage(query({}), 1, contextAnswering(() => new Response('', { status: 429, headers: { 'Retry-After': inTwoMinutes } })));
    if (date.ok) throw new Error('expected an error');
    expect(date.error.retryAfterMs).toBeGreaterThan(100_000);
    expect(date.error.retryAfterMs).toBeLessThanOrEqual(120_000);
    const none = await serpstat.fetchPage(query({}), 1, contextAnswering(() => new Response('', { status: 429 })));
    expect(none).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
    if (!none.ok) expect(none.error).not.toHaveProperty('retryAfterMs');
  });

  it('times out a hanging request and tells it from a cancel', async () => {
    const hang = (signal: AbortSignal) =>
      new Promise<Response>((_resolve, reject) => signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
    const ctx = contextAnswering(() => new Response());
    const timedOut = await serpstat.fetchPage(query({}), 1, { ...ctx, timeoutMs: 20, fetch: (_url, init) => hang(init!.signal!) });
    expect(timedOut).toMatchObject({ ok: false, error: { code: 'timeout', retryable: true } });

    const controller = new AbortController();
    const pending = serpstat.fetchPage(query({}), 1, { ...ctx, signal: controller.signal, fetch: (_url, init) => hang(init!.signal!) });
    controller.abort();
    expect(await pending).toMatchObject({ ok: false, error: { code: 'cancelled', retryable: false } });

    const already = new AbortController();
    already.abort();
    const seen: Request[] = [];
    const skipped = await serpstat.fetchPage(query({}), 1, { ...contextAnswering(() => json(docs.getRefDomainsResponse), seen), signal: already.signal });
    expect(skipped).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    expect(seen).toHaveLength(0);
  });

  it('builds nothing and sends nothing for a request it cannot make', async () => {
    const seen: Request[] = [];
    const page = await serpstat.fetchPage(query({ scope: 'url', target: 'https://serpstat.com/x' }), 1, contextAnswering(() => json({}), seen));
    expect(page).toMatchObject({ ok: false, error: { code: 'not_supported' } });
    expect(seen).toHaveLength(0);
  });

  it('never lets the token into an error, on any error path', async () => {
    const hang = (signal: AbortSignal) =>
      new Promise<Response>((_resolve, reject) => signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
    const answers: (() => Response | Promise<Response>)[] = [
      ...serpstatErrors.map(({ error }) => () => json({ id: '1', error })),
      // A provider that echoes what it was sent, in both spellings.
      () => json({ id: '1', error: { code: 403, message: `Invalid token ${TOKEN}` } }),
      () => json({ id: '1', error: { code: 32117, message: `Not allowed field: ${encodeURIComponent(TOKEN)}` } }),
      ...faults.map(([, answer]) => answer),
      () => json({ id: '1', result: { data: [{ domain_from: TOKEN }], summary_info: { left_lines: 1, total: 1 } } }),
    ];
    const errors: unknown[] = [];
    for (const answer of answers) {
      const page = await serpstat.fetchPage(query({}), 1, contextAnswering(answer));
      const status = await serpstat.testConnection(contextAnswering(answer));
      for (const result of [page, status]) if (!result.ok) errors.push(result.error);
    }
    const ctx = contextAnswering(() => new Response());
    const timedOut = await serpstat.fetchPage(query({}), 1, { ...ctx, timeoutMs: 10, fetch: (_url, init) => hang(init!.signal!) });
    if (!timedOut.ok) errors.push(timedOut.error);
    expect(errors.length).toBeGreaterThanOrEqual(answers.length * 2 - 2);
    for (const error of errors) expect(leaks(error), JSON.stringify(error)).toBe(false);
  });

  it('tests the connection with the free getStats call', async () => {
    const seen: Request[] = [];
    const status = await serpstat.testConnection(
      contextAnswering(() => json({ id: 'stats', result: { max_lines: 1_000_000, used_lines: 27_164, left_lines: 972_836, user_info: {} } }), seen),
    );
    expect(status).toEqual({ ok: true, data: { provider: 'serpstat', creditsLeft: 972_836, creditsTotal: 1_000_000, balanceUsd: null } });
    expect(await seen[0]!.json()).toMatchObject({ method: 'SerpstatLimitsProcedure.getStats' });
  });
});
