import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { serpstat } from '../../../lib/background/providers/serpstat';
import { dataforseo } from '../../../lib/background/providers/dataforseo';
import type { Credentials } from '../../../lib/shared/protocol';
import type { RequestContext } from '../../../lib/background/providers/types';
import type { ReportId, TableQuery } from '../../../lib/shared/reports';
import { startSimulator, type Simulator } from '../../sim/server';
import { datasetSize, generateRows } from '../../sim/data';
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
