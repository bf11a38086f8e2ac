import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { serpstat } from '../../../lib/background/providers/serpstat';
import { dataforseo } from '../../../lib/background/providers/dataforseo';
import type { Credentials } from '../../../lib/shared/protocol';
import type { RequestContext } from '../../../lib/background/providers/types';
import type { ReportId, TableQuery } from '../../../lib/shared/reports';
import { startSimulator, type Simulator } from '../../sim/server';
import { datasetSize, generateRows } from '../../sim/data';
import { SIM_DATAFORSEO_LOGIN, SIM_DATAFORSEO_PASSWORD, SIM_SERPSTAT_TOKEN } from '../../sim/constants';

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
