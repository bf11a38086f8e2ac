import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { serpstat } from '../../../lib/background/providers/serpstat';
import { dataforseo } from '../../../lib/background/providers/dataforseo';
import type { Credentials } from '../../../lib/shared/protocol';
import { providerCatalogue } from '../../../lib/shared/providers';
import type { RequestContext } from '../../../lib/background/providers/types';
import type { LinkRow, ReportId, TableQuery } from '../../../lib/shared/reports';
import { startSimulator, type Simulator } from '../../sim/server';
import { datasetSize, generateDataForSeoBacklinks, generateRows } from '../../sim/data';
import { DATAFORSEO_BACKLINKS_PATH, dataforseoCost } from '../../sim/dataforseo';
import { SIM_DATAFORSEO_LOGIN, SIM_DATAFORSEO_PASSWORD, SIM_SERPSTAT_TOKEN } from '../../sim/constants';
import { fetchSerpstatChart } from '../../../lib/background/providers/serpstat-charts';
import { fetchDataForSeoChart } from '../../../lib/background/providers/dataforseo-charts';
import { monthsSinceHistoryStart, type ChartQuery, type HistoryPoint } from '../../../lib/shared/charts';
import { SERPSTAT_HISTORY_WEEKS } from '../../sim/charts';

/** The adapters and the simulator agree on the wire: real HTTP over loopback, no mocks. */
let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ port: 0 });
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

function ctx(credentials: Credentials): RequestContext {
  return {
    baseUrl: credentials.provider === 'serpstat' ? sim.serpstatUrl : sim.dataforseoUrl,
    credentials,
    signal: new AbortController().signal,
    fetch: (input, init) => fetch(input, init),
    timeoutMs: 5000,
  };
}
const serpstatCtx = () => ctx({ provider: 'serpstat', token: SIM_SERPSTAT_TOKEN });
const dataforseoCtx = () => ctx({ provider: 'dataforseo', login: SIM_DATAFORSEO_LOGIN, password: SIM_DATAFORSEO_PASSWORD });

const DOMAIN = 'shop-example.co.uk';
const query = (report: ReportId, overrides: Partial<TableQuery> = {}): TableQuery => ({
  provider: 'serpstat',
  report,
  target: DOMAIN,
  scope: 'domain_with_subdomains',
  filters: [],
  pageSize: 100,
  ...overrides,
});

describe('Serpstat adapter against the simulator', () => {
  it.each(['refDomains', 'outDomains', 'backlinks', 'outlinks'] as const)('pages through %s with the total and credits', async (report) => {
    const page = await serpstat.fetchPage(query(report), 2, serpstatCtx());
    if (!page.ok) throw new Error(page.error.message);
    const size = datasetSize(DOMAIN, report);
    expect(page.data.total).toBe(size);
    expect(page.data.rows).toHaveLength(Math.min(100, Math.max(0, size - 100)));
    expect(page.data.creditsSpent).toBe(page.data.rows.length);
    expect(page.data.creditsLeft).toBe(sim.creditsLeft());
  });

  it('gets the top referring domains by rank, as the simulator sorts them', async () => {
    const page = await serpstat.fetchPage(query('refDomains', { pageSize: 10, sort: { field: 'rank', order: 'desc' } }), 1, serpstatCtx());
    if (!page.ok) throw new Error(page.error.message);
    const all = generateRows(DOMAIN, 'refDomains', datasetSize(DOMAIN, 'refDomains'));
    const expected = all
      .map((row, index) => ({ row, index }))
      .sort((a, b) => b.row.domainRank - a.row.domainRank || a.index - b.index)
      .slice(0, 10)
      .map(({ row }) => row.domain_from);
    expect(page.data.rows.map((row) => ('domain' in row ? row.domain : ''))).toEqual(expected);
  });

  it('sends filters the simulator accepts and applies', async () => {
    const page = await serpstat.fetchPage(
      query('refDomains', { filters: [{ kind: 'minRank', value: 50 }, { kind: 'contains', field: 'domain', value: '.com' }] }),
      1,
      serpstatCtx(),
    );
    if (!page.ok) throw new Error(page.error.message);
    for (const row of page.data.rows) {
      if (!('spamScore' in row)) throw new Error('not a referring domain row');
      expect(row.rank).toBeGreaterThanOrEqual(50);
      expect(row.domain).toContain('.com');
    }
  });

  it('sees a wrong token as bad_key and an empty domain as a paid empty page', async () => {
    const wrong = await serpstat.fetchPage(query('refDomains'), 1, ctx({ provider: 'serpstat', token: 'wrong' }));
    expect(wrong).toMatchObject({ ok: false, error: { code: 'bad_key' } });
    const empty = await serpstat.fetchPage(query('refDomains', { target: 'nodata-example.com' }), 1, serpstatCtx());
    expect(empty).toMatchObject({ ok: true, data: { rows: [], total: 0, creditsSpent: 1 } });
  });

  it('tests the connection for free', async () => {
    const before = sim.creditsLeft();
    const status = await serpstat.testConnection(serpstatCtx());
    expect(status).toMatchObject({ ok: true, data: { creditsLeft: before } });
    expect(sim.creditsLeft()).toBe(before);
  });
});

describe('DataForSEO adapter against the simulator', () => {
  it('pages through referring domains with the exact cost', async () => {
    const before = sim.balanceUsd();
    const page = await dataforseo.fetchPage(query('refDomains', { provider: 'dataforseo', sort: { field: 'rank', order: 'desc' } }), 1, dataforseoCtx());
    if (!page.ok) throw new Error(page.error.message);
    expect(page.data.rows).toHaveLength(100);
    expect(page.data.total).toBeGreaterThan(100);
    expect(page.data.costUsd).toBeGreaterThan(0);
    expect(before - sim.balanceUsd()).toBeCloseTo(page.data.costUsd, 10);
    const ranks = page.data.rows.map((row) => ('rank' in row ? row.rank ?? 0 : 0));
    expect(Math.max(...ranks)).toBeLessThanOrEqual(100);
    expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
  });

  it('sees wrong credentials as bad_key and reads the balance for free', async () => {
    const wrong = await dataforseo.testConnection(ctx({ provider: 'dataforseo', login: 'x', password: 'y' }));
    expect(wrong).toMatchObject({ ok: false, error: { code: 'bad_key' } });
    const status = await dataforseo.testConnection(dataforseoCtx());
    expect(status).toMatchObject({ ok: true, data: { balanceUsd: sim.balanceUsd() } });
  });
});

describe('chart adapters against the simulator', () => {
  const chart = (provider: ChartQuery['provider'], report: ChartQuery['report'], overrides: Partial<ChartQuery> = {}): ChartQuery => ({
    provider,
    report,
    target: DOMAIN,
    scope: 'domain_with_subdomains',
    ...overrides,
  });

  it('Serpstat: weekly history and the rank distribution of the same domains the table lists, 1 credit each', async () => {
    const before = sim.creditsLeft();
    const history = await fetchSerpstatChart(chart('serpstat', 'newLost', { target: DOMAIN }), serpstatCtx());
    if (!history.ok) throw new Error(history.error.message);
    expect(history.data.rows).toHaveLength(SERPSTAT_HISTORY_WEEKS);
    expect(history.data.creditsSpent).toBe(1);
    const distribution = await fetchSerpstatChart(chart('serpstat', 'rankDistribution', { target: DOMAIN, scope: 'domain' }), serpstatCtx());
    if (!distribution.ok) throw new Error(distribution.error.message);
    const ranks = generateRows(DOMAIN, 'refDomains', datasetSize(DOMAIN, 'refDomains')).map((row) => row.domainRank);
    const buckets = distribution.data.rows as { from: number; to: number; domains: number }[];
    expect(buckets).toHaveLength(11);
    expect(buckets.reduce((sum, bucket) => sum + bucket.domains, 0)).toBe(ranks.length);
    expect(buckets[5]).toEqual({ from: 40, to: 49, domains: ranks.filter((rank) => rank >= 40 && rank <= 49).length });
    expect(sim.creditsLeft()).toBe(before - 2);
    expect(sim.log.map((entry) => [entry.method, entry.params])).toEqual([
      ['SerpstatBacklinksProcedure.getBacklinksChangesHistory', { query: DOMAIN, searchType: 'domain_with_subdomains' }],
      ['SerpstatBacklinksProcedure.getDistributionSDR', { query: DOMAIN, searchType: 'domain' }],
    ]);
  });

  it('Serpstat: a domain without data is an empty chart, still charged 1 credit', async () => {
    const before = sim.creditsLeft();
    const empty = await fetchSerpstatChart(chart('serpstat', 'newLost', { target: 'nodata-shop.com' }), serpstatCtx());
    expect(empty).toMatchObject({ ok: true, data: { rows: [], creditsSpent: 1 } });
    expect(sim.creditsLeft()).toBe(before - 1);
  });

  it('DataForSEO: monthly totals since 2019 with no new/lost before May 2021, weekly new/lost with the last week still counting', async () => {
    const totals = await fetchDataForSeoChart(chart('dataforseo', 'linkTotals', { target: DOMAIN }), dataforseoCtx());
    if (!totals.ok) throw new Error(totals.error.message);
    const points = totals.data.rows as HistoryPoint[];
    expect(points).toHaveLength(monthsSinceHistoryStart(new Date()));
    expect(points[0]).toMatchObject({ date: '2019-01-01', newBacklinks: null, lostReferringDomains: null });
    expect(points.find((p) => p.date === '2021-05-01')?.newBacklinks).toEqual(expect.any(Number));
    expect(totals.data.costUsd).toBeCloseTo(0.02 + 0.00003 * points.length, 6);

    const newLost = await fetchDataForSeoChart(chart('dataforseo', 'newLost', { target: DOMAIN }), dataforseoCtx());
    if (!newLost.ok) throw new Error(newLost.error.message);
    const weeks = newLost.data.rows as HistoryPoint[];
    expect(weeks.length).toBeGreaterThanOrEqual(53);
    expect(weeks.length).toBeLessThanOrEqual(54);
    expect(weeks.at(-1)!.partial).toBe(weeks.at(-1)!.date > new Date().toISOString().slice(0, 10));
    expect(weeks.slice(0, -1).every((week) => !week.partial)).toBe(true);
    expect(sim.log.map((entry) => entry.method)).toEqual(['/v3/backlinks/history/live', '/v3/backlinks/timeseries_new_lost_summary/live']);
    expect(sim.log[1]!.params).toMatchObject({ group_range: 'week', include_subdomains: true });
  });
});

// Backlinks and Lost backlinks: quirks, token paging and billing on the wire.
const links = (rows: unknown[]) => rows as LinkRow[];
const lostQuery = (overrides: Partial<TableQuery>) => query('lostBacklinks', overrides);

describe('Serpstat getLostBacklinks in the simulator', () => {
  it('pages through lost links with their loss date, 1 credit a row', async () => {
    sim.setDatasetSize(DOMAIN, 'lostBacklinks', 150);
    const before = sim.creditsLeft();
    const page = await serpstat.fetchPage(lostQuery({ sort: { field: 'lastSeen', order: 'desc' } }), 2, serpstatCtx());
    if (!page.ok) throw new Error(page.error.message);
    expect(page.data).toMatchObject({ total: 150, creditsSpent: 50 });
    expect(before - sim.creditsLeft()).toBe(50);
    const rows = links(page.data.rows);
    expect(rows.every((row) => row.deletedAt !== null && row.deletedAt === row.lastSeen)).toBe(true);
    // `check` (the loss date) sorts newest first.
    const dates = rows.map((row) => row.deletedAt!);
    expect(dates).toEqual([...dates].sort().reverse());
    expect(sim.log.at(-1)).toMatchObject({ method: 'SerpstatBacklinksProcedure.getLostBacklinks', charged: 50 });
  });

  it('applies the link_nofollow and anchor filters the adapter sends for the rows’ nofollow and link_text', async () => {
    const page = await serpstat.fetchPage(
      lostQuery({ filters: [{ kind: 'attribute', values: ['nofollow'] }, { kind: 'notContains', field: 'anchor', value: 'here' }] }),
      1,
      serpstatCtx(),
    );
    if (!page.ok) throw new Error(page.error.message);
    expect(page.data.rows.length).toBeGreaterThan(0);
    for (const row of links(page.data.rows)) {
      expect(row.attribute).toBe('nofollow');
      expect(row.anchor.toLowerCase()).not.toContain('here');
    }
  });

  it('charges 1 credit for an empty answer', async () => {
    const before = sim.creditsLeft();
    const page = await serpstat.fetchPage(lostQuery({ target: 'nodata-example.com' }), 1, serpstatCtx());
    expect(page).toMatchObject({ ok: true, data: { rows: [], total: 0, creditsSpent: 1 } });
    expect(before - sim.creditsLeft()).toBe(1);
  });

  it('refuses what the docs say the method lacks: domain_rank sorting, an unknown link_type filter value', async () => {
    const call = (params: Record<string, unknown>) =>
      fetch(`${sim.serpstatUrl}?token=${SIM_SERPSTAT_TOKEN}`, {
        method: 'POST',
        body: JSON.stringify({ id: 1, method: 'SerpstatBacklinksProcedure.getLostBacklinks', params: { query: DOMAIN, searchType: 'domain', ...params } }),
      }).then((response) => response.json() as Promise<{ error?: { code: number; message: string }; result?: { data: { link_type: string }[] } }>);
    expect((await call({ sort: 'domain_rank' })).error?.code).toBe(400);
    expect((await call({ complexFilter: [[{ field: 'link_type', compareType: 'eq', value: ['href'] }]] })).error).toMatchObject({ code: 32117 });
    // The filter says `text` for what the rows call `href` (docs).
    const text = await call({ complexFilter: [[{ field: 'link_type', compareType: 'eq', value: ['text'] }]] });
    expect(text.result!.data.length).toBeGreaterThan(0);
    expect(new Set(text.result!.data.map((row) => row.link_type))).toEqual(new Set(['href']));
    // Filter dates are DD.MM.YYYY, the docs' "1.1.2030" included.
    expect((await call({ complexFilter: [[{ field: 'check', compareType: 'lte', value: ['1.1.2030'] }]] })).result).toBeDefined();
  });
});

describe('DataForSEO backlinks/backlinks/live in the simulator', () => {
  const dfs = (overrides: Partial<TableQuery> = {}) =>
    lostQuery({ provider: 'dataforseo', report: 'backlinks', sort: { field: 'domainRank', order: 'desc' }, ...overrides });

  it('answers live links on 0-100 ranks, cost per call plus per row, exactly as billed', async () => {
    const before = sim.balanceUsd();
    const page = await dataforseo.fetchPage(dfs(), 1, dataforseoCtx());
    if (!page.ok) throw new Error(page.error.message);
    expect(page.data.rows).toHaveLength(100);
    expect(page.data.costUsd).toBe(dataforseoCost(100));
    expect(before - sim.balanceUsd()).toBeCloseTo(page.data.costUsd, 10);
    const ranks = links(page.data.rows).map((row) => row.domainRank ?? -1);
    expect(Math.max(...ranks)).toBeLessThanOrEqual(100);
    expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
    expect(links(page.data.rows).every((row) => !/\+\d\d:\d\d$/.test(row.firstSeen ?? ''))).toBe(true);
    expect(sim.log.at(-1)).toMatchObject({ method: DATAFORSEO_BACKLINKS_PATH, params: { backlinks_status_type: 'live', rank_scale: 'one_hundred' } });
  });

  it('answers lost links for the lost report, and the attribute filter as dofollow', async () => {
    sim.setDatasetSize(DOMAIN, 'lostBacklinks', 300);
    const page = await dataforseo.fetchPage(dfs({ report: 'lostBacklinks', filters: [{ kind: 'attribute', values: ['nofollow'] }] }), 1, dataforseoCtx());
    if (!page.ok) throw new Error(page.error.message);
    const lost = generateDataForSeoBacklinks(DOMAIN, 'lost', 300);
    expect(page.data.total).toBe(lost.filter((item) => !item.dofollow).length);
    const lostUrls = new Set(lost.map((item) => item.url_from));
    for (const row of links(page.data.rows)) {
      expect(lostUrls.has(row.urlFrom)).toBe(true);
      expect(row.attribute).not.toBe('follow');
    }
  });

  it('pages past offset 20,000 with the token of the page before, to the last row, without a gap or a repeat', async () => {
    sim.setDatasetSize(DOMAIN, 'backlinks', 23_500);
    const big = dfs({ pageSize: 1000, sort: { field: 'firstSeen', order: 'desc' } });
    const urls: string[] = [];
    let token: string | undefined;
    for (let page = 19; page <= 24; page += 1) {
      const answer = await dataforseo.fetchPage(big, page, dataforseoCtx(), page >= 22 ? token : undefined);
      if (!answer.ok) throw new Error(`page ${page}: ${answer.error.message}`);
      urls.push(...links(answer.data.rows).map((row) => `${row.urlFrom} ${row.urlTo}`));
      token = answer.data.nextToken;
      if (page === 24) expect(token).toBeUndefined();
    }
    const sent = sim.log.map((entry) => entry.params as Record<string, unknown>);
    expect(sent.map((task) => task.offset)).toEqual([18_000, 19_000, 20_000, undefined, undefined, undefined]);
    expect(sent.slice(3).every((task) => typeof task.search_after_token === 'string')).toBe(true);
    // Rows 18,000..23,499 of the sorted list, in order: what offsets would have given.
    const sorted = generateDataForSeoBacklinks(DOMAIN, 'live', 23_500)
      .map((item, index) => ({ item, index }))
      .sort((a, b) => (a.item.first_seen === b.item.first_seen ? a.index - b.index : a.item.first_seen < b.item.first_seen ? 1 : -1))
      .map(({ item }) => `${item.url_from} ${item.url_to}`);
    expect(urls).toEqual(sorted.slice(18_000));
    // 23,500 generated rows sorted a few times: generous on a busy machine.
  }, 60_000);

  it('refuses an offset past 20,000 and a token of another task as invalid fields, billed like any 40501', async () => {
    const post = (task: Record<string, unknown>) =>
      fetch(`${sim.dataforseoUrl}${DATAFORSEO_BACKLINKS_PATH}`, {
        method: 'POST',
        headers: { Authorization: `Basic ${Buffer.from(`${SIM_DATAFORSEO_LOGIN}:${SIM_DATAFORSEO_PASSWORD}`).toString('base64')}` },
        body: JSON.stringify([{ target: DOMAIN, limit: 10, ...task }]),
      }).then((response) => response.json() as Promise<{ tasks: { status_code: number; status_message: string; result: { search_after_token: string | null }[] | null }[] }>);
    const tooDeep = await post({ offset: 20_001 });
    expect(tooDeep.tasks[0]).toMatchObject({ status_code: 40501, status_message: 'Invalid Field: "offset".' });
    const first = await post({ offset: 0 });
    const token = first.tasks[0]!.result![0]!.search_after_token!;
    expect(await post({ search_after_token: token })).toMatchObject({ tasks: [{ status_code: 20000 }] });
    const otherTask = await post({ search_after_token: token, order_by: ['rank,asc'] });
    expect(otherTask.tasks[0]).toMatchObject({ status_code: 40501, status_message: 'Invalid Field: "search_after_token".' });
    expect(sim.log.filter((entry) => entry.outcome === 'error').map((entry) => entry.charged)).toEqual([0.02, 0.02]);
  });
});

describe('Anchors and Top pages: adapters and simulator agree on every sort and filter the catalogue offers', () => {
  const adapters = { serpstat, dataforseo } as const;
  const contexts = { serpstat: serpstatCtx, dataforseo: dataforseoCtx } as const;
  const cases = (['serpstat', 'dataforseo'] as const).flatMap((provider) =>
    (['anchors', 'topPages'] as const).flatMap((report) => {
      const capability = providerCatalogue[provider].reports[report];
      return capability.supported ? capability.sortable.map((column) => [provider, report, column] as const) : [];
    }),
  );

  it.each(cases)('%s %s sorted by %s', async (provider, report, column) => {
    const textField = report === 'anchors' ? 'anchor' : 'url';
    const capability = providerCatalogue[provider].reports[report];
    const filters: TableQuery['filters'] = [{ kind: 'notContains', field: textField, value: 'zzz' }];
    if (capability.supported && capability.filters.includes('minRank')) filters.push({ kind: 'minRank', value: 0 });
    if (capability.supported && capability.flags.includes('no_subdomains')) filters.push({ kind: 'flag', value: 'no_subdomains' });
    const page = await adapters[provider].fetchPage(query(report, { provider, sort: { field: column, order: 'desc' }, filters }), 1, contexts[provider]());
    if (!page.ok) throw new Error(page.error.message);
    expect(page.data.rows.length).toBeGreaterThan(0);
    expect(page.data.total).toBeGreaterThanOrEqual(page.data.rows.length);
  });
});
