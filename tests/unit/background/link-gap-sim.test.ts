import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { serpstat } from '../../../lib/background/providers/serpstat';
import { dataforseo } from '../../../lib/background/providers/dataforseo';
import type { Credentials } from '../../../lib/shared/protocol';
import type { RequestContext } from '../../../lib/background/providers/types';
import { overlapQuery, type Comparison, type LinkGapOverlapRow, type LinkGapRow, type TableQuery } from '../../../lib/shared/reports';
import { startSimulator, type Simulator } from '../../sim/server';
import { linkGapExpectation } from '../../sim/data';
import { SIM_DATAFORSEO_LOGIN, SIM_DATAFORSEO_PASSWORD, SIM_SERPSTAT_TOKEN } from '../../sim/constants';

/** Link gap through the real adapters and the simulator, checked against the simulator's data sets. */
let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ port: 0 });
});
afterAll(() => sim.close());
beforeEach(() => {
  sim.reset();
  // Small competitors keep every page of the gap cheap to walk; my site keeps its full set.
  sim.setDatasetSize(COMPETITOR, 'refDomains', 400);
  sim.setDatasetSize(OTHER, 'refDomains', 600);
});

const MY_SITE = 'shop-example.co.uk';
const COMPETITOR = 'rival-shop.com';
const OTHER = 'garden-rival.net';
const sizes = { [COMPETITOR]: 400, [OTHER]: 600 };

function ctx(credentials: Credentials): RequestContext {
  return {
    baseUrl: credentials.provider === 'serpstat' ? sim.serpstatUrl : sim.dataforseoUrl,
    credentials,
    signal: new AbortController().signal,
    fetch: (input, init) => fetch(input, init),
    timeoutMs: 10_000,
  };
}
const contexts = {
  serpstat: () => ctx({ provider: 'serpstat', token: SIM_SERPSTAT_TOKEN }),
  dataforseo: () => ctx({ provider: 'dataforseo', login: SIM_DATAFORSEO_LOGIN, password: SIM_DATAFORSEO_PASSWORD }),
};
const adapters = { serpstat, dataforseo };

const gapQuery = (provider: TableQuery['provider'], comparison: Partial<Comparison> = {}, overrides: Partial<TableQuery> = {}) =>
  ({
    provider,
    report: 'linkGap',
    target: COMPETITOR,
    scope: 'domain_with_subdomains',
    filters: [],
    pageSize: 100,
    comparison: { mySite: MY_SITE, competitors: [], match: 'all', ...comparison },
    ...overrides,
  }) as TableQuery & { comparison: Comparison };

/** Every page of the table, and what each cost. */
async function allRows(query: TableQuery) {
  const rows: LinkGapRow[] = [];
  const costs: { rows: number; credits: number; usd: number }[] = [];
  for (let page = 1; ; page++) {
    const answer = await adapters[query.provider].fetchPage(query, page, contexts[query.provider]());
    if (!answer.ok) throw new Error(answer.error.message);
    rows.push(...(answer.data.rows as LinkGapRow[]));
    costs.push({ rows: answer.data.rows.length, credits: answer.data.creditsSpent, usd: answer.data.costUsd });
    if (rows.length >= answer.data.total || answer.data.rows.length === 0) return { rows, costs, total: answer.data.total };
  }
}

describe.each(['serpstat', 'dataforseo'] as const)('%s link gap against the simulator', (provider) => {
  it('lists exactly the domains that link to the competitor and not to my site, with their links to it', async () => {
    const expected = linkGapExpectation(provider, MY_SITE, [COMPETITOR], 'all', sizes);
    // The data make the gap checkable: some domains link to both, so leaving mine out matters.
    expect(expected.linkingToBoth.length).toBeGreaterThan(10);
    const { rows, total } = await allRows(gapQuery(provider));
    expect(total).toBe(expected.domains.size);
    expect(new Set(rows.map((row) => row.domain))).toEqual(new Set(expected.domains.keys()));
    for (const row of rows) expect(row.linksTo1, row.domain).toBe(expected.domains.get(row.domain)![0]);
    for (const domain of expected.linkingToBoth) expect(rows.some((row) => row.domain === domain)).toBe(false);
  });

  it('with two competitors, "all" keeps the domains that link to both of them and not to me', async () => {
    const expected = linkGapExpectation(provider, MY_SITE, [COMPETITOR, OTHER], 'all', sizes);
    expect(expected.domains.size).toBeGreaterThan(0);
    const { rows } = await allRows(gapQuery(provider, { competitors: [OTHER] }));
    expect(new Set(rows.map((row) => row.domain))).toEqual(new Set(expected.domains.keys()));
    for (const row of rows) expect([row.linksTo1, row.linksTo2]).toEqual(expected.domains.get(row.domain));
  });

  it('bills what it sends: the estimate’s per-row price is what the simulator charged', async () => {
    const before = { credits: sim.creditsLeft(), usd: sim.balanceUsd() };
    const { costs } = await allRows(gapQuery(provider, {}, { pageSize: 250 }));
    if (provider === 'serpstat') {
      for (const cost of costs) expect(cost.credits).toBe(Math.max(1, cost.rows));
      expect(before.credits - sim.creditsLeft()).toBe(costs.reduce((sum, cost) => sum + cost.credits, 0));
    } else {
      for (const cost of costs) expect(cost.usd).toBeCloseTo(0.02 + 0.00003 * cost.rows, 8);
      expect(before.usd - sim.balanceUsd()).toBeCloseTo(costs.reduce((sum, cost) => sum + cost.usd, 0), 8);
    }
  });
});

describe('Serpstat link gap: "any" and the overlap counts', () => {
  it('"any" keeps the domains that link to either competitor and not to me, with 0 for the one they skip', async () => {
    const expected = linkGapExpectation('serpstat', MY_SITE, [COMPETITOR, OTHER], 'any', sizes);
    const { rows } = await allRows(gapQuery('serpstat', { competitors: [OTHER], match: 'any' }));
    expect(new Set(rows.map((row) => row.domain))).toEqual(new Set(expected.domains.keys()));
    expect(rows.some((row) => row.linksTo1 === 0) && rows.some((row) => row.linksTo2 === 0)).toBe(true);
  });

  it('counts each set of the compared domains, 1 credit per row', async () => {
    const before = sim.creditsLeft();
    const query = overlapQuery(gapQuery('serpstat', { competitors: [OTHER] }));
    const page = await serpstat.fetchPage(query, 1, contexts.serpstat());
    if (!page.ok) throw new Error(page.error.message);
    const rows = page.data.rows as LinkGapOverlapRow[];
    expect(rows).toHaveLength(7);
    expect(before - sim.creditsLeft()).toBe(7);
    const mineAndCompetitor = rows.find((row) => row.domains.length === 2 && row.domains.includes(MY_SITE) && row.domains.includes(COMPETITOR));
    expect(mineAndCompetitor?.referringDomains).toBe(linkGapExpectation('serpstat', MY_SITE, [COMPETITOR], 'all', sizes).linkingToBoth.length);
  });
});
