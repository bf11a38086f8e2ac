import { describe, expect, it } from 'vitest';
import { buildDataForSeoRequest, dataforseo, dataforseoSortFields, parseDataForSeoPage } from '../../../lib/background/providers/dataforseo';
import { providerCatalogue } from '../../../lib/shared/providers';
import type { RequestContext } from '../../../lib/background/providers/types';
import { reportIds, type TableQuery } from '../../../lib/shared/reports';
import { dataforseoErrors } from '../../fixtures/provider-errors';
import { referringDomainsLiveRequest, referringDomainsLiveResponse } from '../../fixtures/provider-docs-examples';

const LOGIN = 'me@example.com';
const PASSWORD = 'api+pass/wörd==';
const BASIC = 'bWVAZXhhbXBsZS5jb206YXBpK3Bhc3Mvd8O2cmQ9PQ==';
const leaks = (value: unknown) => {
  const text = JSON.stringify(value);
  return [PASSWORD, encodeURIComponent(PASSWORD), BASIC].some((secret) => text.includes(secret));
};

function contextAnswering(answer: () => Response | Promise<Response>, seen: Request[] = []): RequestContext {
  return {
    baseUrl: 'https://api.dataforseo.test',
    credentials: { provider: 'dataforseo', login: LOGIN, password: PASSWORD },
    signal: new AbortController().signal,
    timeoutMs: 1000,
    fetch: async (input, init) => {
      seen.push(new Request(input, init));
      return answer();
    },
  };
}
const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status });

const query = (overrides: Partial<TableQuery> = {}): TableQuery => ({
  provider: 'dataforseo',
  report: 'refDomains',
  target: 'backlinko.com',
  scope: 'domain_with_subdomains',
  sort: { field: 'rank', order: 'desc' },
  filters: [],
  pageSize: 5,
  ...overrides,
});

describe('the catalogue and the adapter agree', () => {
  it.each(reportIds.filter((report) => providerCatalogue.dataforseo.reports[report].supported))(
    '%s: the columns the catalogue calls sortable are exactly those the adapter can sort by',
    (report) => {
      const capability = providerCatalogue.dataforseo.reports[report];
      expect(capability.supported && [...capability.sortable].sort()).toEqual(Object.keys(dataforseoSortFields(report)).sort());
    },
  );

  it.each(reportIds.filter((report) => !providerCatalogue.dataforseo.reports[report].supported))(
    '%s, which the catalogue says DataForSEO lacks, is refused before any request',
    (report) => {
      expect(buildDataForSeoRequest(query({ report }), 1)).toMatchObject({ ok: false, error: { code: 'not_supported' } });
    },
  );
});

describe('buildDataForSeoRequest', () => {
  it('builds the documented task shape: an array of one task with limit, offset and order_by', () => {
    const built = buildDataForSeoRequest(query(), 1);
    if (!built.ok) throw new Error(built.error.message);
    const documented = referringDomainsLiveRequest[0]!;
    expect(built.data).toHaveLength(1);
    expect(built.data[0]).toMatchObject({ target: documented.target, limit: documented.limit, order_by: documented.order_by });
    expect(built.data[0]).toMatchObject({ offset: 0, rank_scale: 'one_hundred', include_subdomains: true });
  });

  it('pages with offset and maps scope', () => {
    const built = buildDataForSeoRequest(query({ scope: 'domain', target: 'www.backlinko.com', pageSize: 100 }), 3);
    if (!built.ok) throw new Error(built.error.message);
    expect(built.data[0]).toMatchObject({ target: 'backlinko.com', limit: 100, offset: 200, include_subdomains: false });
  });

  it('sends an absolute URL for a page lookup', () => {
    const built = buildDataForSeoRequest(query({ scope: 'url', target: 'https://backlinko.com/seo' }), 1);
    if (!built.ok) throw new Error(built.error.message);
    expect(built.data[0]).toMatchObject({ target: 'https://backlinko.com/seo' });
    expect(built.data[0]).not.toHaveProperty('include_subdomains');
    expect(buildDataForSeoRequest(query({ scope: 'url', target: 'backlinko.com' }), 1)).toMatchObject({ ok: false, error: { code: 'bad_target' } });
  });

  it('maps filters to its own grammar, joined by "and"', () => {
    const one = buildDataForSeoRequest(query({ filters: [{ kind: 'minRank', value: 10 }] }), 1);
    if (!one.ok) throw new Error(one.error.message);
    expect(one.data[0]!.filters).toEqual(['rank', '>=', 10]);
    const three = buildDataForSeoRequest(
      query({
        filters: [
          { kind: 'contains', field: 'domain', value: 'Blog' },
          { kind: 'notContains', field: 'domain', value: 'spam' },
          { kind: 'maxRank', value: 90 },
        ],
      }),
      1,
    );
    if (!three.ok) throw new Error(three.error.message);
    expect(three.data[0]!.filters).toEqual([
      ['domain', 'like', '%blog%'],
      'and',
      ['domain', 'not_like', '%spam%'],
      'and',
      ['rank', '<=', 90],
    ]);
  });

  it('refuses reports and filters it does not offer', () => {
    expect(buildDataForSeoRequest(query({ report: 'outDomains' }), 1)).toMatchObject({ ok: false, error: { code: 'not_supported' } });
    expect(buildDataForSeoRequest(query({ filters: [{ kind: 'flag', value: 'last_week' }] }), 1)).toMatchObject({ ok: false, error: { code: 'bad_filter' } });
    expect(buildDataForSeoRequest(query({ sort: { field: 'links', order: 'asc' } }), 1)).toMatchObject({ ok: false, error: { code: 'not_supported' } });
    expect(buildDataForSeoRequest(query({ filters: [{ kind: 'contains', field: 'anchor', value: 'x' }] }), 1)).toMatchObject({
      ok: false,
      error: { code: 'bad_filter', message: expect.stringContaining('anchor') },
    });
    const nine = Array.from({ length: 9 }, (_, i) => ({ kind: 'minRank' as const, value: i }));
    expect(buildDataForSeoRequest(query({ filters: nine }), 1)).toMatchObject({ ok: false, error: { code: 'bad_filter', message: expect.stringContaining('8') } });
    const eight = buildDataForSeoRequest(query({ filters: nine.slice(1) }), 1);
    if (!eight.ok) throw new Error(eight.error.message);
    expect(eight.data[0]!.filters).toHaveLength(15);
  });

  it.each([
    ['domain', 'domain'],
    ['rank', 'rank'],
    ['backlinks', 'backlinks'],
    ['refPages', 'referring_pages'],
    ['firstSeen', 'first_seen'],
    ['spamScore', 'backlinks_spam_score'],
  ])('sorts by %s as order_by %s', (column, field) => {
    const built = buildDataForSeoRequest(query({ sort: { field: column, order: 'asc' } }), 1);
    if (!built.ok) throw new Error(built.error.message);
    expect(built.data[0]!.order_by).toEqual([`${field},asc`]);
  });
});

describe('parseDataForSeoPage', () => {
  it('normalises the documented answer, cost exactly', () => {
    const page = parseDataForSeoPage(referringDomainsLiveResponse);
    if (!page.ok) throw new Error(page.error.message);
    expect(page.data).toMatchObject({ total: 131, costUsd: 0.02015, creditsSpent: 0, creditsLeft: null });
    expect(page.data.rows).toHaveLength(5);
    expect(page.data.rows[1]).toEqual({
      domain: 'semrush.com',
      rank: 299,
      refPages: 204,
      backlinks: 238,
      firstSeen: '2019-09-17 05:41:24 +00:00',
      lostDate: null,
      spamScore: 0,
    });
  });

  it('names a missing or mistyped field', () => {
    const broken = structuredClone(referringDomainsLiveResponse);
    (broken.tasks[0]!.result[0]!.items[2] as Record<string, unknown>).rank = null;
    const page = parseDataForSeoPage(broken);
    expect(page).toMatchObject({ ok: false, error: { code: 'malformed' } });
    if (!page.ok) expect(page.error.message).toContain('tasks.0.result.0.items.2.rank');
  });

  it('keeps what an unreadable answer cost, for the ledger', () => {
    const brokenItem = structuredClone(referringDomainsLiveResponse);
    (brokenItem.tasks[0]!.result[0]!.items[2] as Record<string, unknown>).domain = 7;
    const noTotal = structuredClone(referringDomainsLiveResponse);
    delete (noTotal.tasks[0]!.result[0] as Record<string, unknown>).total_count;
    for (const broken of [brokenItem, noTotal]) {
      expect(parseDataForSeoPage(broken)).toMatchObject({ ok: false, error: { code: 'malformed', charged: { credits: 0, usd: 0.02015 } } });
    }
  });

  it.each(dataforseoErrors)('maps status $statusCode at the top and at task level', ({ statusCode, statusMessage, expected, retryable }) => {
    const top = { ...referringDomainsLiveResponse, status_code: statusCode, status_message: statusMessage, tasks: null };
    expect(parseDataForSeoPage(top)).toMatchObject({ ok: false, error: { code: expected, retryable, providerCode: statusCode } });
    const task = structuredClone(referringDomainsLiveResponse) as { tasks: Record<string, unknown>[]; tasks_error: number };
    task.tasks[0] = { ...task.tasks[0], status_code: statusCode, status_message: statusMessage, result: null };
    expect(parseDataForSeoPage(task)).toMatchObject({ ok: false, error: { code: expected, retryable, provider: 'dataforseo' } });
  });

  it('keeps what a charged failure cost, for the ledger', () => {
    const task = structuredClone(referringDomainsLiveResponse) as { cost: number; tasks: Record<string, unknown>[] };
    task.cost = 0.02;
    task.tasks[0] = { ...task.tasks[0], status_code: 40501, status_message: 'Invalid Field: "foo".', result: null };
    expect(parseDataForSeoPage(task)).toMatchObject({ ok: false, error: { code: 'bad_filter', charged: { credits: 0, usd: 0.02 } } });
  });
});

describe('parseDataForSeoPage refuses impossible answers', () => {
  it('a negative cost is a bad answer, booked as nothing (it would refund the daily cap)', () => {
    const answered = { ...structuredClone(referringDomainsLiveResponse), cost: -0.02 };
    const failed = structuredClone(referringDomainsLiveResponse) as { cost: number; tasks: Record<string, unknown>[] };
    failed.cost = -0.02;
    failed.tasks[0] = { ...failed.tasks[0], status_code: 40202, status_message: 'Rate limit', result: null };
    const taskOnly = structuredClone(referringDomainsLiveResponse) as { tasks: Record<string, unknown>[] };
    taskOnly.tasks[0] = { ...taskOnly.tasks[0], cost: -0.02 };
    const failedAtTop = { ...structuredClone(referringDomainsLiveResponse), status_code: 50000, status_message: 'Internal Error', cost: -0.02, tasks: null };
    for (const json of [answered, failed, taskOnly, failedAtTop]) {
      const page = parseDataForSeoPage(json);
      expect(page).toMatchObject({ ok: false, error: { code: 'bad_answer', provider: 'dataforseo' } });
      if (!page.ok) expect(page.error.charged?.usd ?? 0).toBeGreaterThanOrEqual(0);
    }
  });

  it('a negative total is a bad answer; what the answer cost is still booked', () => {
    const broken = structuredClone(referringDomainsLiveResponse);
    (broken.tasks[0]!.result[0] as Record<string, unknown>).total_count = -131;
    const page = parseDataForSeoPage(broken);
    expect(page).toMatchObject({ ok: false, error: { code: 'bad_answer', charged: { credits: 0, usd: 0.02015 } } });
    if (!page.ok) expect(page.error.message).toContain('tasks.0.result.0.total_count is negative');
  });
});

describe('dataforseo adapter over HTTP', () => {
  it('posts the task array with Basic auth of the UTF-8 login:password', async () => {
    const seen: Request[] = [];
    const page = await dataforseo.fetchPage(query(), 1, contextAnswering(() => json(referringDomainsLiveResponse), seen));
    expect(page.ok).toBe(true);
    expect(seen[0]!.method).toBe('POST');
    expect(seen[0]!.url).toBe('https://api.dataforseo.test/v3/backlinks/referring_domains/live');
    expect(seen[0]!.headers.get('Authorization')).toBe(`Basic ${BASIC}`);
    expect(Buffer.from(BASIC, 'base64').toString('utf8')).toBe(`${LOGIN}:${PASSWORD}`);
    expect(seen[0]!.headers.get('Content-Type')).toBe('application/json');
    expect(await seen[0]!.json()).toEqual([expect.objectContaining({ target: 'backlinko.com', limit: 5 })]);
  });

  it("sends no cookies the browser holds for the provider's site, only the Basic auth it builds", async () => {
    const seen: Request[] = [];
    await dataforseo.fetchPage(query(), 1, contextAnswering(() => json(referringDomainsLiveResponse), seen));
    await dataforseo.testConnection(contextAnswering(() => json({}), seen));
    expect(seen.map((request) => request.credentials)).toEqual(['omit', 'omit']);
  });

  it('sends nothing for a report it does not offer', async () => {
    const seen: Request[] = [];
    const page = await dataforseo.fetchPage(query({ report: 'outlinks' }), 1, contextAnswering(() => json({}), seen));
    expect(page).toMatchObject({ ok: false, error: { code: 'not_supported' } });
    expect(seen).toHaveLength(0);
  });

  const envelope = (statusCode: number, statusMessage: string) => ({
    version: '0.1',
    status_code: statusCode,
    status_message: statusMessage,
    time: '0 sec.',
    cost: 0,
    tasks_count: 0,
    tasks_error: 0,
    tasks: null,
  });

  it.each(dataforseoErrors)(
    'maps status $statusCode sent with HTTP $http to $expected',
    async ({ statusCode, statusMessage, http, expected, retryable }) => {
      const page = await dataforseo.fetchPage(query(), 1, contextAnswering(() => json(envelope(statusCode, statusMessage), http)));
      expect(page).toMatchObject({
        ok: false,
        error: { code: expected, retryable, provider: 'dataforseo', providerCode: statusCode, providerMessage: statusMessage },
      });
      const status = await dataforseo.testConnection(contextAnswering(() => json(envelope(statusCode, statusMessage), http)));
      expect(status).toMatchObject({ ok: false, error: { code: expected, retryable } });
    },
  );

  const hang = (signal: AbortSignal) =>
    new Promise<Response>((_resolve, reject) => signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
  const faults = [
    { name: 'HTTP 429 with Retry-After', answer: () => new Response('', { status: 429, headers: { 'Retry-After': '30' } }), code: 'rate_limited', retryable: true },
    { name: 'HTTP 500 HTML', answer: () => new Response('<html><body>Bad gateway</body></html>', { status: 500 }), code: 'server_error', retryable: true },
    { name: 'HTTP 503 JSON without status_code', answer: () => json({ error: 'maintenance' }, 503), code: 'server_error', retryable: true },
    { name: 'HTTP 401 JSON without status_code', answer: () => json({ message: 'Unauthorized' }, 401), code: 'bad_key', retryable: false },
    { name: 'an HTML page with 200', answer: () => new Response('<!doctype html><p>login</p>', { status: 200 }), code: 'malformed', retryable: false },
    { name: 'an empty body', answer: () => new Response('', { status: 200 }), code: 'malformed', retryable: false },
    { name: 'truncated JSON', answer: () => new Response(JSON.stringify(referringDomainsLiveResponse).slice(0, 300)), code: 'malformed', retryable: false },
    { name: 'a success without tasks', answer: () => json(envelope(20000, 'Ok.')), code: 'malformed', retryable: false },
    { name: 'a network failure', answer: () => Promise.reject(new TypeError('Failed to fetch')), code: 'network', retryable: true },
  ];
  it.each(faults)('turns $name into a $code error', async ({ answer, code, retryable }) => {
    const page = await dataforseo.fetchPage(query(), 1, contextAnswering(answer));
    expect(page).toMatchObject({ ok: false, error: { code, retryable, provider: 'dataforseo' } });
    if (!page.ok) expect(page.error.message).toContain('DataForSEO');
  });

  it('keeps Retry-After of a 429', async () => {
    const page = await dataforseo.fetchPage(query(), 1, contextAnswering(() => new Response('', { status: 429, headers: { 'Retry-After': '30' } })));
    expect(page).toMatchObject({ ok: false, error: { code: 'rate_limited', retryAfterMs: 30_000 } });
  });

  it('times out a hanging request and tells it from a cancel', async () => {
    const ctx = contextAnswering(() => new Response());
    const timedOut = await dataforseo.fetchPage(query(), 1, { ...ctx, timeoutMs: 20, fetch: (_url, init) => hang(init!.signal!) });
    expect(timedOut).toMatchObject({ ok: false, error: { code: 'timeout', retryable: true } });
    const controller = new AbortController();
    const pending = dataforseo.testConnection({ ...ctx, signal: controller.signal, fetch: (_url, init) => hang(init!.signal!) });
    controller.abort();
    expect(await pending).toMatchObject({ ok: false, error: { code: 'cancelled', retryable: false } });
  });

  it('never lets the password into an error, on any error path', async () => {
    const answers = [
      ...dataforseoErrors.map(({ statusCode, statusMessage, http }) => () => json(envelope(statusCode, statusMessage), http)),
      // A provider that echoes what it was sent.
      () => json(envelope(40501, `Invalid Field: "${PASSWORD}".`)),
      () => json(envelope(40100, `Bad credentials: ${BASIC}`), 401),
      ...faults.map(({ answer }) => answer),
    ];
    const errors: unknown[] = [];
    for (const answer of answers) {
      for (const result of [
        await dataforseo.fetchPage(query(), 1, contextAnswering(answer)),
        await dataforseo.testConnection(contextAnswering(answer)),
      ]) {
        if (!result.ok) errors.push(result.error);
      }
    }
    expect(errors).toHaveLength(answers.length * 2);
    for (const error of errors) expect(leaks(error), JSON.stringify(error)).toBe(false);
  });

  it('tests the connection with the free user_data call and shows the balance', async () => {
    const seen: Request[] = [];
    const body = {
      ...referringDomainsLiveResponse,
      cost: 0,
      tasks: [{ ...referringDomainsLiveResponse.tasks[0], cost: 0, result: [{ login: LOGIN, money: { total: 50, balance: 12.34 } }] }],
    };
    const status = await dataforseo.testConnection(contextAnswering(() => json(body), seen));
    expect(status).toEqual({ ok: true, data: { provider: 'dataforseo', creditsLeft: null, creditsTotal: null, balanceUsd: 12.34 } });
    expect(seen[0]!.method).toBe('GET');
    expect(seen[0]!.url).toBe('https://api.dataforseo.test/v3/appendix/user_data');
    expect(seen[0]!.headers.get('Authorization')).toBe(`Basic ${BASIC}`);
  });

  it('names the field when user_data has no balance', async () => {
    const body = { ...referringDomainsLiveResponse, tasks: [{ ...referringDomainsLiveResponse.tasks[0], result: [{ money: { total: 50 } }] }] };
    const status = await dataforseo.testConnection(contextAnswering(() => json(body)));
    expect(status).toMatchObject({ ok: false, error: { code: 'malformed', message: expect.stringContaining('tasks.0.result.0.money.balance') } });
  });
});
