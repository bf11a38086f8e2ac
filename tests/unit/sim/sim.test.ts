import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getSubdomain } from 'tldts';
import { dataforseoErrors, serpstatErrors } from '../../fixtures/provider-errors';
import { SIM_DATAFORSEO_LOGIN, SIM_DATAFORSEO_PASSWORD, SIM_SERPSTAT_TOKEN } from '../../sim/constants';
import {
  SIM_TODAY,
  checkDate,
  daysBeforeToday,
  datasetSize,
  generateDataForSeoReferringDomains,
  generateRows,
  type DataForSeoReferringDomainItem,
  type SerpstatRow,
  type SimReport,
} from '../../sim/data';
import { startSimulator, type Simulator } from '../../sim/server';

// ---------------------------------------------------------------------------------------------
// Helpers

interface SerpstatBody<Row = Record<string, unknown>> {
  id: unknown;
  result?: {
    data: Row[];
    summary_info: { left_lines: number; page: number; count: number; total: number; sort: string; order: string };
  };
  error?: { code: number; message: string };
}
interface DataForSeoTask<Result = unknown> {
  id: string;
  status_code: number;
  status_message: string;
  cost: number;
  result_count: number;
  path: string[];
  data: Record<string, unknown>;
  result: Result[] | null;
}
interface DataForSeoBody<Result = unknown> {
  version: string;
  status_code: number;
  status_message: string;
  time: string;
  cost: number;
  tasks_count: number;
  tasks_error: number;
  tasks: DataForSeoTask<Result>[] | null;
}
interface ReferringDomainsResult {
  target: string;
  total_count: number;
  items_count: number;
  items: DataForSeoReferringDomainItem[];
}

const BACKLINKS = 'SerpstatBacklinksProcedure';
const REFERRING_DOMAINS = '/v3/backlinks/referring_domains/live';
const validAuth = `Basic ${Buffer.from(`${SIM_DATAFORSEO_LOGIN}:${SIM_DATAFORSEO_PASSWORD}`).toString('base64')}`;

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ port: 0 });
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

function serpstatRequest(target: Simulator, method: string, params: unknown, token: string | null = SIM_SERPSTAT_TOKEN, init: RequestInit = {}) {
  const url = token === null ? target.serpstatUrl : `${target.serpstatUrl}?token=${encodeURIComponent(token)}`;
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ id: 'req-1', method, params }),
    ...init,
  });
}
async function serpstat<Row = Record<string, unknown>>(method: string, params: unknown, token?: string | null, target = sim) {
  const response = await serpstatRequest(target, method, params, token);
  expect(response.status).toBe(200);
  return (await response.json()) as SerpstatBody<Row>;
}
async function dataforseo<Result = ReferringDomainsResult>(path: string, body?: unknown, auth = validAuth, target = sim) {
  const response = await fetch(target.url + path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: auth, 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as DataForSeoBody<Result> };
}
const firstResult = <Result>(body: DataForSeoBody<Result>) => body.tasks![0]!.result![0]!;

/** The simulator's order: a stable sort, ties in natural order whatever the direction. */
function stableSort<T>(rows: readonly T[], key: (row: T) => string | number, descending: boolean): T[] {
  return rows
    .map((row, index) => ({ row, index }))
    .sort((a, b) => {
      const x = key(a.row);
      const y = key(b.row);
      if (x === y) return a.index - b.index;
      return (x < y ? -1 : 1) * (descending ? -1 : 1);
    })
    .map((entry) => entry.row);
}
const allRows = <R extends SimReport>(domain: string, report: R) => generateRows(domain, report, datasetSize(domain, report));
const isSubdomain = (host: string) => !['', 'www'].includes(getSubdomain(host) ?? '');

// ---------------------------------------------------------------------------------------------
// Serpstat

describe('Serpstat list methods', () => {
  const domain = 'example.com';

  it('pages getRefDomains in the default order (check, descending) with the documented summary_info', async () => {
    const expected = stableSort(allRows(domain, 'refDomains'), (row) => checkDate('refDomains', row), true);
    const page1 = await serpstat(`${BACKLINKS}.getRefDomains`, { query: domain, searchType: 'domain', size: 100 });
    const page2 = await serpstat(`${BACKLINKS}.getRefDomains`, { query: domain, searchType: 'domain', size: 100, page: 2 });
    expect(page1.id).toBe('req-1');
    expect(page1.result!.data).toEqual(expected.slice(0, 100));
    expect(page2.result!.data).toEqual(expected.slice(100, 200));
    expect(page2.result!.summary_info).toEqual({
      left_lines: 1_000_000 - 200,
      page: 2,
      count: 100,
      total: datasetSize(domain, 'refDomains'),
      sort: 'check',
      order: 'DESC',
    });
  });

  const sortCases: { method: string; report: SimReport; sort: string; key: (row: SerpstatRow) => string | number }[] = [
    { method: 'getRefDomains', report: 'refDomains', sort: 'domain_rank', key: (row) => (row as { domainRank: number }).domainRank },
    { method: 'getRefDomains', report: 'refDomains', sort: 'domain_from', key: (row) => (row as { domain_from: string }).domain_from },
    { method: 'getOutDomains', report: 'outDomains', sort: 'domain_links', key: (row) => (row as { domain_links: number }).domain_links },
    { method: 'getNewBacklinks', report: 'backlinks', sort: 'links_external', key: (row) => (row as { links_ext: number }).links_ext },
    { method: 'getNewBacklinks', report: 'backlinks', sort: 'domain_rank', key: (row) => (row as { domain_rank: number }).domain_rank },
    { method: 'getOutlinks', report: 'outlinks', sort: 'url_to', key: (row) => (row as { url_to: string }).url_to },
  ];
  it.each(sortCases)('$method sorts by $sort both ways and reports the full total', async ({ method, report, sort, key }) => {
    const rows = allRows(domain, report) as SerpstatRow[];
    for (const order of ['asc', 'desc'] as const) {
      const expected = stableSort(rows, key, order === 'desc');
      const lastPage = Math.ceil(rows.length / 250);
      const first = await serpstat(`${BACKLINKS}.${method}`, { query: domain, searchType: 'domain_with_subdomains', sort, order, size: 250 });
      const last = await serpstat(`${BACKLINKS}.${method}`, { query: domain, searchType: 'domain', sort, order, size: 250, page: lastPage });
      expect(first.result!.data).toEqual(expected.slice(0, 250));
      expect(last.result!.data).toEqual(expected.slice((lastPage - 1) * 250));
      expect(first.result!.summary_info).toMatchObject({ total: rows.length, sort, order: order.toUpperCase() });
    }
  });

  it('uses each method’s default sort', async () => {
    const out = await serpstat(`${BACKLINKS}.getOutDomains`, { query: domain, size: 5 });
    expect(out.result!.summary_info).toMatchObject({ sort: 'domain_rank', order: 'DESC' });
    const links = await serpstat(`${BACKLINKS}.getOutlinks`, { query: domain, size: 5 });
    expect(links.result!.summary_info.sort).toBe('check');
    const expected = stableSort(allRows(domain, 'outlinks'), (row) => row.first_seen, true);
    expect(links.result!.data).toEqual(expected.slice(0, 5));
  });

  it('filters with contains AND gte, OR-ing the groups', async () => {
    const rows = allRows(domain, 'refDomains');
    const filter = [
      [
        { field: 'domain_from', compareType: 'contains', value: ['.com'] },
        { field: 'domain_rank', compareType: 'gte', value: [40] },
      ],
      [{ field: 'domain_links', compareType: 'gte', value: [5000] }],
    ];
    const expected = rows.filter((row) => (row.domain_from.includes('.com') && row.domainRank >= 40) || row.ref_pages >= 5000);
    const body = await serpstat<{ domain_from: string; domainRank: number; ref_pages: number }>(`${BACKLINKS}.getRefDomains`, {
      query: domain,
      searchType: 'domain',
      sort: 'domain_rank',
      size: 1000,
      complexFilter: filter,
    });
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(rows.length);
    expect(body.result!.summary_info.total).toBe(expected.length);
    expect(body.result!.data).toEqual(stableSort(expected, (row) => row.domainRank, true).slice(0, 1000));
  });

  it('filters links with notContains and between', async () => {
    const rows = allRows(domain, 'outlinks');
    const body = await serpstat(`${BACKLINKS}.getOutlinks`, {
      query: domain,
      searchType: 'domain',
      size: 1,
      complexFilter: [
        [
          { field: 'url_from', compareType: 'notContains', value: ['/blog/'] },
          { field: 'links_external', compareType: 'between', value: [10, 50] },
          { field: 'check', compareType: 'lte', value: ['1.1.2030'] },
        ],
      ],
    });
    const expected = rows.filter((row) => !row.url_from.includes('/blog/') && row.links_ext >= 10 && row.links_ext <= 50);
    expect(expected.length).toBeGreaterThan(0);
    expect(body.result!.summary_info.total).toBe(expected.length);
  });

  it('matches link attributes as whole values', async () => {
    const rows = allRows(domain, 'backlinks');
    const body = await serpstat(`${BACKLINKS}.getNewBacklinks`, {
      query: domain,
      searchType: 'domain',
      size: 1,
      complexFilter: [[{ field: 'link_nofollow', compareType: 'contains', value: ['follow'] }]],
    });
    expect(body.result!.summary_info.total).toBe(rows.filter((row) => row.nofollow === 'follow').length);
  });

  it('applies additional filters: no_subdomains, only_subdomains, only_main_page, last_week', async () => {
    const refRows = allRows(domain, 'refDomains');
    const total = async (method: string, additional: string) =>
      (await serpstat(`${BACKLINKS}.${method}`, { query: domain, searchType: 'domain', size: 1, complexFilter: [[{ additional_filters: additional }]] }))
        .result!.summary_info.total;
    const subdomains = refRows.filter((row) => isSubdomain(row.domain_from)).length;
    expect(subdomains).toBeGreaterThan(0);
    expect(await total('getRefDomains', 'no_subdomains')).toBe(refRows.length - subdomains);
    expect(await total('getRefDomains', 'only_subdomains')).toBe(subdomains);

    const links = allRows(domain, 'backlinks');
    const mainPage = links.filter((row) => new URL(row.url_from).pathname === '/' && !new URL(row.url_from).search).length;
    expect(mainPage).toBeGreaterThan(0);
    expect(await total('getNewBacklinks', 'only_main_page')).toBe(mainPage);
    const lastWeek = links.filter((row) => daysBeforeToday(row.first_seen) < 7).length;
    expect(lastWeek).toBeGreaterThan(0);
    expect(await total('getNewBacklinks', 'last_week')).toBe(lastWeek);
  });

  it('limits links per source domain with linkPerDomain', async () => {
    const body = await serpstat<{ url_from: string }>(`${BACKLINKS}.getNewBacklinks`, { query: domain, searchType: 'domain', size: 1000, linkPerDomain: 1 });
    const hosts = body.result!.data.map((row) => new URL(row.url_from).hostname);
    expect(new Set(hosts).size).toBe(hosts.length);
    expect(body.result!.summary_info.total).toBe(new Set(allRows(domain, 'backlinks').map((row) => new URL(row.url_from).hostname)).size);
  });

  it('answers the same request with the same rows twice', async () => {
    const params = { query: 'again.example', searchType: 'domain', sort: 'domain_rank', order: 'asc', size: 50, page: 3 };
    const first = await serpstat(`${BACKLINKS}.getOutDomains`, params);
    const second = await serpstat(`${BACKLINKS}.getOutDomains`, params);
    expect(second.result!.data).toEqual(first.result!.data);
  });

  it('serves a 100,000-row data set up to the 60,000-row paging limit', async () => {
    sim.setDatasetSize('big.example', 'refDomains', 100_000);
    const expected = stableSort(generateRows('big.example', 'refDomains', 100_000), (row) => row.domainRank, true);
    const last = await serpstat(`${BACKLINKS}.getRefDomains`, { query: 'big.example', searchType: 'domain', sort: 'domain_rank', size: 1000, page: 60 });
    expect(last.result!.data).toEqual(expected.slice(59_000, 60_000));
    expect(last.result!.summary_info.total).toBe(100_000);
    const before = sim.creditsLeft();
    const beyond = await serpstat(`${BACKLINKS}.getRefDomains`, { query: 'big.example', searchType: 'domain', sort: 'domain_rank', size: 1000, page: 61 });
    expect(beyond.result!.data).toEqual([]);
    expect(beyond.result!.summary_info).toMatchObject({ count: 0, total: 100_000 });
    expect(before - sim.creditsLeft()).toBe(1);
  });
});

describe('Serpstat validation, auth and credits', () => {
  const method = `${BACKLINKS}.getRefDomains`;
  const valid = { query: 'example.com', searchType: 'domain' };

  it.each([
    ['bad sort', { ...valid, sort: 'url_from' }],
    ['size 0', { ...valid, size: 0 }],
    ['size 1001', { ...valid, size: 1001 }],
    ['page 0', { ...valid, page: 0 }],
    ['bad order', { ...valid, order: 'up' }],
    ['bad searchType', { ...valid, searchType: 'everything' }],
    ['missing query', { searchType: 'domain' }],
    ['bad compareType', { ...valid, complexFilter: [[{ field: 'domain_rank', compareType: 'around', value: [1] }]] }],
    ['complexFilter not nested', { ...valid, complexFilter: [{ field: 'domain_rank', compareType: 'gt', value: [1] }] }],
    ['bad additional filter', { ...valid, complexFilter: [[{ additional_filters: 'yesterday' }]] }],
  ])('rejects %s with a JSON schema error, free of charge', async (_name, params) => {
    const body = await serpstat(method, params);
    expect(body.error!.code).toBe(400);
    expect(body.error!.message).toMatch(/^Invalid request: JSON schema error/);
    expect(sim.creditsLeft()).toBe(1_000_000);
  });

  it('rejects fields the method does not allow with 32117', async () => {
    const badField = await serpstat(method, { ...valid, complexFilter: [[{ field: 'foo', compareType: 'eq', value: [1] }]] });
    expect(badField.error).toEqual({ code: 32117, message: 'Not allowed field: foo' });
    const linkField = await serpstat(`${BACKLINKS}.getOutlinks`, { ...valid, complexFilter: [[{ field: 'domain_rank', compareType: 'gt', value: [1] }]] });
    expect(linkField.error).toEqual({ code: 32117, message: 'Not allowed field: domain_rank' });
    const noCompare = await serpstat(method, { ...valid, complexFilter: [[{ field: 'domain_rank', value: [1] }]] });
    expect(noCompare.error).toEqual({ code: 32117, message: 'Field compareType is required' });
  });

  it('rejects unknown methods with 32116', async () => {
    const body = await serpstat(`${BACKLINKS}.getEverything`, valid);
    expect(body.error!.code).toBe(32116);
  });

  it('answers a missing or wrong token with the documented errors', async () => {
    const missing = await serpstat(method, valid, null);
    expect(missing.error).toEqual(serpstatErrors.find((fixture) => fixture.name === 'missing token')!.error);
    const wrong = await serpstat(method, valid, 'not-the-token');
    expect(wrong.error).toEqual(serpstatErrors.find((fixture) => fixture.name === 'invalid token')!.error);
    expect(missing.result).toBeUndefined();
    expect(sim.log.map((entry) => entry.outcome)).toEqual(['error', 'error']);
  });

  it('charges one credit per row, at least one per request, and tells left_lines', async () => {
    const full = await serpstat(method, { ...valid, size: 37 });
    expect(full.result!.summary_info.left_lines).toBe(1_000_000 - 37);
    const total = datasetSize('example.com', 'refDomains');
    const empty = await serpstat(method, { ...valid, size: 1000, page: Math.ceil(total / 1000) + 1 });
    expect(empty.result!.data).toEqual([]);
    expect(empty.result!.summary_info.left_lines).toBe(1_000_000 - 38);
    expect(sim.creditsLeft()).toBe(1_000_000 - 38);
    expect(sim.log.map((entry) => [entry.rows, entry.charged])).toEqual([
      [37, 37],
      [0, 1],
    ]);
  });

  it('reports the balance for free with getStats', async () => {
    await serpstat(method, { ...valid, size: 10 });
    const stats = (await serpstat('SerpstatLimitsProcedure.getStats', {})) as unknown as {
      result: { max_lines: number; used_lines: number; left_lines: number; user_info: object };
    };
    expect(stats.result).toMatchObject({ max_lines: 1_000_000, used_lines: 10, left_lines: 999_990 });
    expect(stats.result.user_info).toBeTypeOf('object');
    expect(sim.creditsLeft()).toBe(999_990);
  });

  it('answers 32012 once credits run out', async () => {
    const small = await startSimulator({ port: 0, serpstatCredits: 150 });
    try {
      const first = await serpstat(method, { ...valid, size: 100 }, undefined, small);
      expect(first.result!.summary_info.left_lines).toBe(50);
      const tooMany = await serpstat(method, { ...valid, size: 100 }, undefined, small);
      expect(tooMany.error).toEqual({ code: 32012, message: 'Credits exceeded' });
      await serpstat(method, { ...valid, size: 50 }, undefined, small);
      expect(small.creditsLeft()).toBe(0);
      const none = await serpstat(method, { ...valid, size: 1 }, undefined, small);
      expect(none.error!.code).toBe(32012);
    } finally {
      await small.close();
    }
  });

  it('answers 32015 for a domain without data and charges 1 credit', async () => {
    const body = await serpstat(method, { query: 'nodata.example', searchType: 'domain' });
    expect(body.error).toEqual({ code: 32015, message: 'No data found for requested domain' });
    sim.setDatasetSize('emptied.example', 'outDomains', 0);
    const emptied = await serpstat(`${BACKLINKS}.getOutDomains`, { query: 'emptied.example', searchType: 'domain' });
    expect(emptied.error!.code).toBe(32015);
    expect(sim.creditsLeft()).toBe(1_000_000 - 2);
    expect(sim.log.map((entry) => entry.charged)).toEqual([1, 1]);
  });

  it('sums the data sets in getSummaryV2 for 1 credit', async () => {
    const body = (await serpstat('SerpstatBacklinksProcedure.getSummaryV2', valid)) as unknown as { result: { data: Record<string, number> } };
    const backlinks = allRows('example.com', 'backlinks');
    expect(body.result.data).toMatchObject({
      referring_domains: datasetSize('example.com', 'refDomains'),
      backlinks: backlinks.length,
      nofollow_backlinks: backlinks.filter((row) => row.nofollow !== 'follow').length,
      external_domains: datasetSize('example.com', 'outDomains'),
    });
    expect(sim.creditsLeft()).toBe(1_000_000 - 1);
  });

  it('logs provider requests with method, params, rows and charge', async () => {
    const params = { ...valid, size: 3 };
    await serpstat(method, params);
    await fetch(`${sim.url}/__sim/health`);
    expect(sim.log).toEqual([
      { seq: 1, time: expect.any(Number), provider: 'serpstat', method, params, status: 200, outcome: 'ok', rows: 3, charged: 3 },
    ]);
    expect(JSON.stringify(sim.log)).not.toContain(SIM_SERPSTAT_TOKEN);
  });
});

// ---------------------------------------------------------------------------------------------
// DataForSEO

describe('DataForSEO', () => {
  const domain = 'example.com';
  const liveItems = () =>
    generateDataForSeoReferringDomains(domain, datasetSize(domain, 'refDomains')).filter((item) => item.lost_date === null);

  it('answers referring_domains/live in the documented envelope and charges $0.02 + $0.00003 a row', async () => {
    const task = { target: domain, limit: 5, order_by: ['rank,desc'], exclude_internal_backlinks: true, tag: 'mine' };
    const { status, body } = await dataforseo(REFERRING_DOMAINS, [task]);
    expect(status).toBe(200);
    expect(body).toMatchObject({ status_code: 20000, status_message: 'Ok.', cost: 0.02015, tasks_count: 1, tasks_error: 0 });
    expect(body.version).toMatch(/^0\.1\./);
    expect(body.time).toMatch(/^\d+\.\d+ sec\.$/);
    const taskAnswer = body.tasks![0]!;
    expect(taskAnswer).toMatchObject({ status_code: 20000, cost: 0.02015, result_count: 1, path: ['v3', 'backlinks', 'referring_domains', 'live'] });
    expect(taskAnswer.id).toMatch(/^\d{8}-\d{4}-\d{4}-\d{4}-[0-9a-f]{12}$/);
    expect(taskAnswer.data).toEqual({ api: 'backlinks', function: 'referring_domains', ...task });
    const result = firstResult(body);
    const expected = stableSort(liveItems(), (item) => item.rank, true);
    expect(result).toMatchObject({ target: domain, total_count: expected.length, items_count: 5 });
    expect(result.items.map((item) => item.domain)).toEqual(expected.slice(0, 5).map((item) => item.domain));
    expect(sim.balanceUsd()).toBe(99.97985);
    expect(sim.log[0]).toMatchObject({ provider: 'dataforseo', method: REFERRING_DOMAINS, params: task, rows: 5, charged: 0.02015, outcome: 'ok' });
  });

  it('pages with offset and limit and sorts by up to three order_by rules', async () => {
    const orderBy = ['backlinks_spam_score,asc', 'backlinks,desc'];
    const { body } = await dataforseo(REFERRING_DOMAINS, [{ target: domain, limit: 100, offset: 200, order_by: orderBy }]);
    const expected = liveItems()
      .map((item, index) => ({ item, index }))
      .sort((a, b) => a.item.backlinks_spam_score - b.item.backlinks_spam_score || b.item.backlinks - a.item.backlinks || a.index - b.index)
      .map((entry) => entry.item);
    expect(firstResult(body).items).toEqual(expected.slice(200, 300));
    const tooMany = await dataforseo(REFERRING_DOMAINS, [{ target: domain, order_by: ['rank,desc', 'backlinks,desc', 'domain,asc', 'first_seen,asc'] }]);
    expect(tooMany.body.tasks![0]!.status_code).toBe(40501);
  });

  it('pages of one data set asked in turns under other orders and filters each come from their own order (sorted views are kept)', async () => {
    const byRank = stableSort(liveItems(), (item) => item.rank, true);
    const byBacklinks = stableSort(liveItems(), (item) => item.backlinks, false);
    const filters = ['rank', '<', 300];
    const filteredByRank = byRank.filter((item) => item.rank < 300);
    const page = async (offset: number, task: Record<string, unknown>) =>
      firstResult((await dataforseo(REFERRING_DOMAINS, [{ target: domain, limit: 50, offset, ...task }])).body).items.map((item) => item.domain);
    for (const offset of [0, 50, 100]) {
      expect(await page(offset, { order_by: ['rank,desc'] })).toEqual(byRank.slice(offset, offset + 50).map((item) => item.domain));
      expect(await page(offset, { order_by: ['backlinks,asc'] })).toEqual(byBacklinks.slice(offset, offset + 50).map((item) => item.domain));
      expect(await page(offset, { order_by: ['rank,desc'], filters })).toEqual(filteredByRank.slice(offset, offset + 50).map((item) => item.domain));
    }
  });

  it('filters with and/or, nested groups and like', async () => {
    const filters = [['rank', '>', 300], 'and', [['domain', 'like', '%.com'], 'or', ['referring_pages', '>=', 1000]]];
    const { body } = await dataforseo(REFERRING_DOMAINS, [{ target: domain, limit: 1000, filters }]);
    const expected = liveItems().filter((item) => item.rank > 300 && (item.domain.endsWith('.com') || item.referring_pages >= 1000));
    expect(expected.length).toBeGreaterThan(0);
    expect(firstResult(body).total_count).toBe(expected.length);
    expect(new Set(firstResult(body).items.map((item) => item.domain))).toEqual(new Set(expected.map((item) => item.domain)));
  });

  it('gives ranks on the one_hundred scale when asked', async () => {
    const { body } = await dataforseo(REFERRING_DOMAINS, [{ target: domain, limit: 1000, rank_scale: 'one_hundred' }]);
    const ranks = firstResult(body).items.map((item) => item.rank);
    expect(Math.max(...ranks)).toBeLessThanOrEqual(100);
    const byDomain = new Map(liveItems().map((item) => [item.domain, item.rank]));
    for (const item of firstResult(body).items) expect(item.rank).toBe(Math.round(byDomain.get(item.domain)! / 10));
  });

  it('answers a page URL target with a subset of the site’s referring domains', async () => {
    const site = await dataforseo(REFERRING_DOMAINS, [{ target: domain, limit: 1 }]);
    const page = await dataforseo(REFERRING_DOMAINS, [{ target: `https://${domain}/pricing/`, limit: 1 }]);
    expect(firstResult(page.body).total_count).toBeGreaterThan(0);
    expect(firstResult(page.body).total_count).toBeLessThan(firstResult(site.body).total_count / 3);
  });

  it('answers an invalid filter field with 40501 and charges the base price', async () => {
    const { status, body } = await dataforseo(REFERRING_DOMAINS, [{ target: domain, filters: ['foo', '=', 1] }]);
    expect(status).toBe(200);
    expect(body).toMatchObject({ status_code: 20000, tasks_error: 1, cost: 0.02 });
    const fixture = dataforseoErrors.find((error) => error.statusCode === 40501)!;
    expect(body.tasks![0]).toMatchObject({ status_code: 40501, status_message: fixture.statusMessage, result: null });
    expect(sim.balanceUsd()).toBe(99.98);
    const badOp = await dataforseo(REFERRING_DOMAINS, [{ target: domain, filters: ['rank', '~', 1] }]);
    expect(badOp.body.tasks![0]!.status_code).toBe(40501);
    const nine = Array.from({ length: 9 }, () => ['rank', '>', 1]).flatMap((condition, i) => (i === 0 ? [condition] : ['and', condition]));
    expect((await dataforseo(REFERRING_DOMAINS, [{ target: domain, filters: nine }])).body.tasks![0]!.status_code).toBe(40501);
    expect((await dataforseo(REFERRING_DOMAINS, [{ target: domain, limit: 1001 }])).body.tasks![0]!.status_code).toBe(40501);
  });

  it('answers unknown fields and malformed bodies without charging', async () => {
    const unknown = await dataforseo(REFERRING_DOMAINS, [{ target: domain, foo: 1 }]);
    expect(unknown.body.tasks![0]).toMatchObject({ status_code: 40506, status_message: 'Unknown Fields in POST Data: foo.' });
    const notArray = await dataforseo(REFERRING_DOMAINS, { target: domain });
    expect(notArray.body).toMatchObject({ status_code: 40503, status_message: 'POST Data Is Invalid.', tasks: null });
    const two = await dataforseo(REFERRING_DOMAINS, [{ target: domain }, { target: domain }]);
    expect(two.body.status_code).toBe(40503);
    const empty = await dataforseo(REFERRING_DOMAINS, []);
    expect(empty.body).toMatchObject({ status_code: 40502, status_message: 'No POST data detected.' });
    expect(sim.balanceUsd()).toBe(100);
  });

  it('answers wrong credentials with HTTP 401 and status 40100', async () => {
    const wrong = `Basic ${Buffer.from(`${SIM_DATAFORSEO_LOGIN}:nope`).toString('base64')}`;
    const { status, body } = await dataforseo(REFERRING_DOMAINS, [{ target: domain }], wrong);
    const fixture = dataforseoErrors.find((error) => error.statusCode === 40100)!;
    expect(status).toBe(fixture.http);
    expect(body).toMatchObject({ status_code: 40100, status_message: fixture.statusMessage, cost: 0 });
    expect((await dataforseo('/v3/appendix/user_data', undefined, '')).status).toBe(401);
  });

  it('answers 40210 when the balance cannot pay', async () => {
    const poor = await startSimulator({ port: 0, dataforseoBalanceUsd: 0.02 });
    try {
      const { body } = await dataforseo(REFERRING_DOMAINS, [{ target: domain, limit: 10 }], validAuth, poor);
      expect(body.status_code).toBe(40210);
      expect(poor.balanceUsd()).toBe(0.02);
    } finally {
      await poor.close();
    }
  });

  it('tells the balance for free in appendix/user_data', async () => {
    await dataforseo(REFERRING_DOMAINS, [{ target: domain, limit: 10 }]);
    const { status, body } = await dataforseo<{ login: string; money: { total: number; balance: number } }>('/v3/appendix/user_data');
    expect(status).toBe(200);
    expect(body.cost).toBe(0);
    expect(firstResult(body)).toMatchObject({ login: SIM_DATAFORSEO_LOGIN, money: { total: 100, balance: 99.9797 } });
    expect(sim.balanceUsd()).toBe(99.9797);
  });

  it('gives summary/live totals consistent with referring_domains', async () => {
    const { body } = await dataforseo<Record<string, unknown>>('/v3/backlinks/summary/live', [{ target: domain, rank_scale: 'one_hundred' }]);
    const items = liveItems();
    const summary = firstResult(body);
    expect(summary).toMatchObject({
      target: domain,
      referring_domains: items.length,
      backlinks: items.reduce((sum, item) => sum + item.backlinks, 0),
      referring_pages: items.reduce((sum, item) => sum + item.referring_pages, 0),
      lost_date: null,
      backlinks_spam_score: expect.any(Number),
    });
    expect(summary.rank as number).toBeLessThanOrEqual(100);
    expect((summary.referring_links_attributes as { nofollow: number }).nofollow).toBe(
      items.reduce((sum, item) => sum + (item.referring_links_attributes?.nofollow ?? 0), 0),
    );
    expect(summary.referring_main_domains as number).toBeLessThanOrEqual(items.length);
    expect(summary.first_seen as string <= `${SIM_TODAY} 23:59:59 +00:00`).toBe(true);
    expect(body.cost).toBe(0.02003);
  });
});

// ---------------------------------------------------------------------------------------------
// Faults

describe('fault injection', () => {
  const method = `${BACKLINKS}.getRefDomains`;
  const params = { query: 'example.com', searchType: 'domain', size: 10 };

  it('sends an HTTP error with Retry-After once, then answers normally', async () => {
    sim.injectFault({ provider: 'serpstat', fault: { kind: 'http', status: 429, retryAfter: 2 } });
    const faulted = await serpstatRequest(sim, method, params);
    expect(faulted.status).toBe(429);
    expect(faulted.headers.get('retry-after')).toBe('2');
    expect(faulted.headers.get('access-control-allow-origin')).toBe('*');
    const next = await serpstatRequest(sim, method, params);
    expect(next.status).toBe(200);
    expect(sim.log.map((entry) => [entry.outcome, entry.status, entry.charged, entry.fault])).toEqual([
      ['fault', 429, 0, 'http'],
      ['ok', 200, 10, undefined],
    ]);
    expect(sim.creditsLeft()).toBe(1_000_000 - 10);
  });

  it('sends a 502 HTML body for an http fault with one', async () => {
    sim.injectFault({ fault: { kind: 'http', status: 502, body: '<html>Bad Gateway</html>' } });
    const response = await serpstatRequest(sim, method, params);
    expect(response.status).toBe(502);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    expect(await response.text()).toBe('<html>Bad Gateway</html>');
  });

  it('sends Serpstat error objects, charging only the documented no-data errors', async () => {
    sim.injectFault({ fault: { kind: 'serpstat-error', code: 429, message: 'Too many queries' }, times: 2 });
    sim.injectFault({ fault: { kind: 'serpstat-error', code: 32015, message: 'No data found for requested domain' } });
    for (let i = 0; i < 3; i++) await serpstat(method, params);
    expect(sim.log.map((entry) => [entry.outcome, entry.charged])).toEqual([
      ['fault', 0],
      ['fault', 0],
      ['fault', 1],
    ]);
    const body = await serpstat(method, params);
    expect(body.result!.data).toHaveLength(10);
  });

  it('sends DataForSEO status codes at the top or inside the task', async () => {
    sim.injectFault({ provider: 'dataforseo', fault: { kind: 'dataforseo-status', statusCode: 50000, statusMessage: 'Internal Error.', level: 'top', http: 500 } });
    sim.injectFault({ provider: 'dataforseo', fault: { kind: 'dataforseo-status', statusCode: 40202, statusMessage: 'Rate limit per minute exceeded.', level: 'task' } });
    const top = await dataforseo(REFERRING_DOMAINS, [{ target: 'example.com' }]);
    expect(top.status).toBe(500);
    expect(top.body).toMatchObject({ status_code: 50000, tasks: null });
    const task = await dataforseo(REFERRING_DOMAINS, [{ target: 'example.com' }]);
    expect(task.status).toBe(200);
    expect(task.body).toMatchObject({ status_code: 20000, tasks_error: 1 });
    expect(task.body.tasks![0]).toMatchObject({ status_code: 40202, result: null });
    expect(sim.balanceUsd()).toBe(100);
  });

  it('bills a failed DataForSEO task the cost its fault gives', async () => {
    sim.injectFault({ provider: 'dataforseo', fault: { kind: 'dataforseo-status', statusCode: 40202, statusMessage: 'Rate limit per minute exceeded.', level: 'task', cost: 0.02 } });
    const task = await dataforseo(REFERRING_DOMAINS, [{ target: 'example.com' }]);
    expect(task.body).toMatchObject({ status_code: 20000, cost: 0.02, tasks_error: 1 });
    expect(task.body.tasks![0]).toMatchObject({ status_code: 40202, cost: 0.02, result: null });
    expect(sim.balanceUsd()).toBe(99.98);
    expect(sim.log.at(-1)).toMatchObject({ outcome: 'fault', charged: 0.02 });
  });

  it('matches faults by provider and method, and fires everyNth without limit', async () => {
    sim.injectFault({ method: 'getOutDomains', fault: { kind: 'http', status: 503 }, everyNth: 2 });
    for (let i = 0; i < 2; i++) await serpstatRequest(sim, method, params);
    for (let i = 0; i < 4; i++) await serpstatRequest(sim, `${BACKLINKS}.getOutDomains`, params);
    await dataforseo(REFERRING_DOMAINS, [{ target: 'example.com', limit: 1 }]);
    expect(sim.log.map((entry) => entry.status)).toEqual([200, 200, 200, 503, 200, 503, 200]);
  });

  it('takes a list of faults in turn', async () => {
    sim.injectFault({ fault: [{ kind: 'http', status: 503 }, { kind: 'http', status: 429 }], everyNth: 2 });
    for (let i = 0; i < 6; i++) await serpstatRequest(sim, method, params);
    expect(sim.log.map((entry) => entry.status)).toEqual([200, 503, 200, 429, 200, 503]);
    expect(() => sim.injectFault({ fault: [] })).toThrow(/at least one/);
    expect(() => sim.injectFault({ fault: [{ kind: 'hang' }, { kind: 'nope' }] } as never)).toThrow(/unknown fault kind/);
  });

  it('keeps a hanging request open until the client gives up', async () => {
    sim.injectFault({ fault: { kind: 'hang' } });
    await expect(serpstatRequest(sim, method, params, SIM_SERPSTAT_TOKEN, { signal: AbortSignal.timeout(150) })).rejects.toThrow(
      expect.objectContaining({ name: 'TimeoutError' }),
    );
    expect(sim.log[0]).toMatchObject({ outcome: 'fault', fault: 'hang', status: 0, charged: 0 });
  });

  it('resets the connection', async () => {
    sim.injectFault({ fault: { kind: 'reset' } });
    await expect(serpstatRequest(sim, method, params)).rejects.toThrow(TypeError);
    expect(sim.log[0]).toMatchObject({ outcome: 'fault', fault: 'reset', status: 0 });
  });

  it('truncates the JSON body, charging nothing', async () => {
    sim.injectFault({ fault: { kind: 'truncated' } });
    const response = await serpstatRequest(sim, method, params);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text.startsWith('{"id":"req-1","result":{"data":[')).toBe(true);
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
    expect(sim.creditsLeft()).toBe(1_000_000);
  });

  it('sends an empty body or an HTML page with status 200', async () => {
    sim.injectFault({ fault: { kind: 'empty-body' } });
    sim.injectFault({ fault: { kind: 'html-200' } });
    const empty = await serpstatRequest(sim, method, params);
    expect(empty.status).toBe(200);
    expect(await empty.text()).toBe('');
    const html = await serpstatRequest(sim, method, params);
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toMatch(/text\/html/);
    expect(await html.text()).toMatch(/^<!DOCTYPE html>/);
    expect(sim.creditsLeft()).toBe(1_000_000);
  });

  it('changes one field of the normal answer and charges it like the normal answer', async () => {
    sim.injectFault({ fault: { kind: 'mutate', changes: [{ path: 'result.data.0.ref_pages', value: '12' }, { path: 'result.data.1.extra', value: null }] } });
    sim.injectFault({ fault: { kind: 'mutate', changes: [{ path: 'result.summary_info.total', remove: true }] } });
    sim.injectFault({ fault: { kind: 'mutate', changes: [{ path: 'no.such.field', value: 1 }] } });
    const [typed, removed, unchanged] = [await serpstat(method, params), await serpstat(method, params), await serpstat(method, params)];
    expect(typed.result!.data[0]!.ref_pages).toBe('12');
    expect(typed.result!.data[1]).toHaveProperty('extra', null);
    expect(removed.result!.summary_info).not.toHaveProperty('total');
    expect(unchanged.result!.data).toHaveLength(10);
    expect(sim.log.map((entry) => [entry.fault, entry.charged, entry.rows])).toEqual([
      ['mutate', 10, 10],
      ['mutate', 10, 10],
      ['mutate', 10, 10],
    ]);
    expect(sim.creditsLeft()).toBe(1_000_000 - 30);
    expect(() => sim.injectFault({ fault: { kind: 'mutate', changes: [{ path: '' }] } })).toThrow(/path/);
    expect(() => sim.injectFault({ fault: { kind: 'mutate', changes: [] } })).toThrow(/changes/);
  });

  it('waits the configured latency before answering', async () => {
    sim.setLatency(150);
    const started = performance.now();
    await serpstatRequest(sim, method, params);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    sim.reset();
    const quick = performance.now();
    await serpstatRequest(sim, method, params);
    expect(performance.now() - quick).toBeLessThan(140);
  });

  it('ends hanging sockets on close', async () => {
    const own = await startSimulator({ port: 0 });
    own.injectFault({ fault: { kind: 'hang' } });
    const pending = serpstatRequest(own, method, params);
    await expect.poll(() => own.log.length).toBe(1);
    await own.close();
    await expect(pending).rejects.toThrow(TypeError);
  });

  it('rejects malformed rules', () => {
    expect(() => sim.injectFault({ fault: { kind: 'explode' } } as never)).toThrow(/unknown fault kind/);
    expect(() => sim.injectFault({ fault: { kind: 'hang' }, times: 0 })).toThrow(/times/);
  });
});

// ---------------------------------------------------------------------------------------------
// Control endpoints

describe('control endpoints', () => {
  const post = (path: string, body: unknown) => fetch(sim.url + path, { method: 'POST', body: JSON.stringify(body) });

  it('drives faults, data sets, the log and reset over HTTP, outside the log', async () => {
    expect(await (await fetch(`${sim.url}/__sim/health`)).json()).toMatchObject({ ok: true, serpstatUrl: sim.serpstatUrl, creditsLeft: 1_000_000 });
    expect((await post('/__sim/datasets', { domain: 'http.example', report: 'outDomains', rows: 7 })).status).toBe(200);
    expect((await post('/__sim/faults', { provider: 'serpstat', fault: { kind: 'http', status: 500 } })).status).toBe(200);
    expect((await serpstatRequest(sim, `${BACKLINKS}.getOutDomains`, { query: 'http.example', searchType: 'domain' })).status).toBe(500);
    const body = await serpstat(`${BACKLINKS}.getOutDomains`, { query: 'http.example', searchType: 'domain' });
    expect(body.result!.summary_info.total).toBe(7);
    const log = (await (await fetch(`${sim.url}/__sim/log`)).json()) as unknown[];
    expect(log).toHaveLength(2);
    expect((await post('/__sim/reset', {})).status).toBe(200);
    expect(sim.log).toEqual([]);
    expect(sim.creditsLeft()).toBe(1_000_000);
    const afterReset = await serpstat(`${BACKLINKS}.getOutDomains`, { query: 'http.example', searchType: 'domain' });
    expect(afterReset.result!.summary_info.total).toBe(datasetSize('http.example', 'outDomains'));
  });

  it('rejects bad control input with 400 and a reason', async () => {
    const badFault = await post('/__sim/faults', { fault: { kind: 'nope' } });
    expect(badFault.status).toBe(400);
    expect(await badFault.json()).toEqual({ error: 'unknown fault kind "nope"' });
    expect((await post('/__sim/datasets', { domain: 'x.example', report: 'everything', rows: 1 })).status).toBe(400);
    expect((await fetch(`${sim.url}/__sim/nothing`)).status).toBe(404);
  });

  it('answers CORS preflight for the extension', async () => {
    const preflight = await fetch(sim.serpstatUrl, { method: 'OPTIONS' });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-headers')).toBe('authorization, content-type');
    expect(sim.log).toEqual([]);
  });
});
