import { describe, expect, it } from 'vitest';
import { buildSerpstatRequest, parseSerpstatOverlap, parseSerpstatPage } from '../../../lib/background/providers/serpstat';
import { buildDataForSeoRequest, parseDataForSeoPage } from '../../../lib/background/providers/dataforseo';
import { pageCacheKey } from '../../../lib/background/cache/page-key';
import { overlapQuery, tableQuerySchema, type Comparison, type TableQuery } from '../../../lib/shared/reports';
import * as docs from '../../fixtures/provider-docs-examples';

const comparison = (overrides: Partial<Comparison> = {}): Comparison => ({ mySite: 'gepur.com', competitors: [], match: 'all', ...overrides });
const linkGap = (overrides: Partial<TableQuery> = {}): TableQuery & { comparison: Comparison } => ({
  provider: 'serpstat',
  report: 'linkGap',
  target: 'klubok.com',
  scope: 'domain_with_subdomains',
  filters: [],
  pageSize: 2,
  comparison: comparison(),
  ...overrides,
} as TableQuery & { comparison: Comparison });

describe('Serpstat getIntersect', () => {
  it('sends my site as query (domain #1) and the competitors as intersect, in the documented shape', () => {
    const built = buildSerpstatRequest(
      linkGap({ target: 'klubok.com', comparison: comparison({ competitors: ['issaplus.com'] }), sort: { field: 'linksTo1', order: 'desc' } }),
      1,
    );
    expect(built.ok).toBe(true);
    if (!built.ok) return;
    const documented = docs.getIntersectRequest;
    expect(built.data.method).toBe(documented.method);
    expect(built.data.params).toMatchObject({ query: documented.params.query, intersect: documented.params.intersect, page: 1, size: 2, order: 'desc' });
    // Sorting by links to the first competitor is links_count2: #1 is my site.
    expect(built.data.params.sort).toBe('links_count2');
    // No searchType: the method has none.
    expect(built.data.params).not.toHaveProperty('searchType');
  });

  it('asks for "not to me" as links_count1 = 0 with a competitor ≥ 1, built from the documented fields', () => {
    const one = buildSerpstatRequest(linkGap({ filters: [{ kind: 'minRank', value: 10 }] }), 1);
    expect(one.ok && one.data.params.complexFilter).toEqual([
      [
        { field: 'links_count1', compareType: 'eq', value: [0] },
        { field: 'links_count2', compareType: 'gte', value: [1] },
        { field: 'domain_rank', compareType: 'gte', value: [10] },
      ],
    ]);
    const all = buildSerpstatRequest(linkGap({ comparison: comparison({ competitors: ['issaplus.com'], match: 'all' }) }), 1);
    expect(all.ok && all.data.params.complexFilter).toEqual([
      [
        { field: 'links_count1', compareType: 'eq', value: [0] },
        { field: 'links_count2', compareType: 'gte', value: [1] },
        { field: 'links_count3', compareType: 'gte', value: [1] },
      ],
    ]);
    // Any of them: one AND group per competitor, the groups ORed.
    const any = buildSerpstatRequest(linkGap({ comparison: comparison({ competitors: ['issaplus.com'], match: 'any' }) }), 1);
    expect(any.ok && any.data.params.complexFilter).toEqual([
      [
        { field: 'links_count1', compareType: 'eq', value: [0] },
        { field: 'links_count2', compareType: 'gte', value: [1] },
      ],
      [
        { field: 'links_count1', compareType: 'eq', value: [0] },
        { field: 'links_count3', compareType: 'gte', value: [1] },
      ],
    ]);
  });

  it('refuses a third competitor (Serpstat has no links_count4) and filters it has no field for', () => {
    const three = buildSerpstatRequest(linkGap({ comparison: comparison({ competitors: ['a.com', 'b.com'] }) }), 1);
    expect(three).toMatchObject({ ok: false, error: { code: 'not_supported' } });
    const text = buildSerpstatRequest(linkGap({ filters: [{ kind: 'contains', field: 'domain', value: 'blog' }] }), 1);
    expect(text).toMatchObject({ ok: false, error: { code: 'bad_filter' } });
  });

  it('reads the documented answer by each label’s #N, never by the domain in it', () => {
    const page = parseSerpstatPage('linkGap', docs.getIntersectResponse.result);
    expect(page).toMatchObject({ ok: true, data: { total: 233, creditsSpent: 2, creditsLeft: 972852 } });
    expect(page.ok && page.data.rows).toEqual([
      { domain: 'znaxarenko.mybb.ru', rank: 5, linksTo1: 3, linksTo2: 0, linksTo3: null },
      { domain: 'speshka.com', rank: 30, linksTo1: 1, linksTo2: 92, linksTo3: null },
    ]);
    // The server may write the domains otherwise (case, www.): only the #N counts.
    const renamed = structuredClone(docs.getIntersectResponse.result) as { data: Record<string, unknown>[] };
    renamed.data = renamed.data.map((row) =>
      Object.fromEntries(Object.entries(row).map(([key, value]) => [key.replace(/ (\S+)$/, (_, domain: string) => ` WWW.${domain.toUpperCase()}`), value])),
    );
    expect(parseSerpstatPage('linkGap', renamed)).toEqual(page);
  });

  it('refuses a row without the first competitor’s count, or with a count that is no number', () => {
    const missing = structuredClone(docs.getIntersectResponse.result) as { data: Record<string, unknown>[] };
    delete missing.data[0]!['Links count for domain #2 klubok.com'];
    expect(parseSerpstatPage('linkGap', missing)).toMatchObject({ ok: false, error: { code: 'malformed', charged: { credits: 2 } } });
    const text = structuredClone(docs.getIntersectResponse.result) as { data: Record<string, unknown>[] };
    text.data[1]!['Links count for domain #3 issaplus.com'] = '92';
    expect(parseSerpstatPage('linkGap', text)).toMatchObject({ ok: false, error: { code: 'malformed' } });
  });
});

describe('Serpstat getIntersectSummary', () => {
  it('asks for the overlap counts of my site and the competitors as documented, one row per set (7 credits for three domains)', () => {
    const counts = overlapQuery(linkGap({ comparison: comparison({ competitors: ['issaplus.com'] }), sort: { field: 'rank', order: 'asc' } }));
    expect(counts.pageSize).toBe(7);
    const built = buildSerpstatRequest(counts, 1);
    expect(built.ok && { method: built.data.method, params: built.data.params }).toEqual({
      method: docs.getIntersectSummaryRequest.method,
      params: docs.getIntersectSummaryRequest.params,
    });
  });

  it('reads the documented answer into sets, each with its count', () => {
    const page = parseSerpstatOverlap(docs.getIntersectSummaryResponse.result);
    expect(page).toMatchObject({ ok: true, data: { total: 7, creditsSpent: 7, creditsLeft: 972954 } });
    expect(page.ok && page.data.rows[2]).toEqual({ domains: ['gepur.com', 'klubok.com'], referringDomains: 131 });
    expect(page.ok && page.data.rows[6]).toEqual({ domains: ['gepur.com', 'klubok.com', 'issaplus.com'], referringDomains: 100 });
  });
});

describe('DataForSEO domain_intersection', () => {
  const dataforseoGap = (overrides: Partial<TableQuery> = {}) =>
    linkGap({ provider: 'dataforseo', target: 'moz.com', comparison: comparison({ mySite: 'semrush.com', competitors: ['ahrefs.com'] }), ...overrides });

  it('sends the competitors as a targets object keyed "1"… and my site in exclude_targets, as documented', () => {
    const built = buildDataForSeoRequest(dataforseoGap({ scope: 'domain', pageSize: 5, sort: { field: 'linksTo1', order: 'desc' } }), 1);
    const documented = docs.domainIntersectionLiveRequest[0]!;
    expect(built.ok && built.data[0]).toMatchObject({
      targets: documented.targets,
      exclude_targets: documented.exclude_targets,
      limit: documented.limit,
      include_subdomains: documented.include_subdomains,
      order_by: documented.order_by,
      offset: 0,
      rank_scale: 'one_hundred',
    });
    expect(built.ok && built.data[0]).not.toHaveProperty('target');
  });

  it('filters by the linking domain as "1.target" and the rank as "1.rank"', () => {
    const built = buildDataForSeoRequest(dataforseoGap({ filters: [{ kind: 'contains', field: 'domain', value: 'Blog' }, { kind: 'minRank', value: 20 }] }), 2);
    expect(built.ok && built.data[0]).toMatchObject({ offset: 2, filters: [['1.target', 'like', '%blog%'], 'and', ['1.rank', '>=', 20]] });
  });

  it('refuses "any" (not documented), and a sort by a competitor that is not compared', () => {
    expect(buildDataForSeoRequest(dataforseoGap({ comparison: comparison({ mySite: 'semrush.com', match: 'any', competitors: ['ahrefs.com'] }) }), 1)).toMatchObject({
      ok: false,
      error: { code: 'not_supported' },
    });
    expect(buildDataForSeoRequest(dataforseoGap({ sort: { field: 'linksTo3', order: 'desc' } }), 1)).toMatchObject({ ok: false, error: { code: 'not_supported' } });
  });

  it('reads the documented answer: inside an item, "target" is the linking domain', () => {
    const page = parseDataForSeoPage(docs.domainIntersectionLiveResponse, 200, 'linkGap');
    expect(page).toMatchObject({ ok: true, data: { total: 9000, costUsd: 0.02015, creditsSpent: 0 } });
    expect(page.ok && page.data.rows).toEqual([{ domain: 'example-blog.com', rank: 120, linksTo1: 340, linksTo2: 25, linksTo3: null }]);
  });

  it('refuses an item without the first target, keeping what the answer cost', () => {
    const answer = structuredClone(docs.domainIntersectionLiveResponse) as { tasks: { result: { items: { domain_intersection: Record<string, unknown> }[] }[] }[] };
    delete answer.tasks[0]!.result[0]!.items[0]!.domain_intersection['1'];
    expect(parseDataForSeoPage(answer, 200, 'linkGap')).toMatchObject({ ok: false, error: { code: 'malformed', charged: { usd: 0.02015 } } });
  });
});

describe('the comparison in the table query', () => {
  it('is required for a link gap and refused on any other report', () => {
    expect(tableQuerySchema.safeParse(linkGap()).success).toBe(true);
    const { comparison: _, ...withoutComparison } = linkGap();
    expect(tableQuerySchema.safeParse(withoutComparison).success).toBe(false);
    expect(tableQuerySchema.safeParse({ ...linkGap(), report: 'refDomains' }).success).toBe(false);
  });

  it('holds my site and the competitors to the target’s host rules, each a different site', () => {
    for (const mySite of ['localhost', '192.168.1.1', 'not a domain', 'intranet', 'chromewebstore.google.com']) {
      expect(tableQuerySchema.safeParse(linkGap({ comparison: comparison({ mySite }) })).success, mySite).toBe(false);
    }
    expect(tableQuerySchema.safeParse(linkGap({ comparison: comparison({ competitors: ['10.0.0.1'] }) })).success).toBe(false);
    expect(tableQuerySchema.safeParse(linkGap({ comparison: comparison({ competitors: ['a.com', 'b.com', 'c.com'] }) })).success).toBe(false);
    // My site is not a competitor, and no competitor is compared twice.
    expect(tableQuerySchema.safeParse(linkGap({ target: 'www.gepur.com' })).success).toBe(false);
    expect(tableQuerySchema.safeParse(linkGap({ comparison: comparison({ competitors: ['KLUBOK.com'] }) })).success).toBe(false);
  });

  it('is part of the cache key: another site of mine, competitor or any/all is another table', () => {
    const base = pageCacheKey(linkGap(), 1);
    expect(pageCacheKey(linkGap({ comparison: comparison({ mySite: 'other.com' }) }), 1)).not.toBe(base);
    expect(pageCacheKey(linkGap({ comparison: comparison({ competitors: ['issaplus.com'] }) }), 1)).not.toBe(
      pageCacheKey(linkGap({ comparison: comparison({ competitors: ['issaplus.com'], match: 'any' }) }), 1),
    );
    expect(pageCacheKey(overlapQuery(linkGap()), 1)).not.toBe(pageCacheKey({ ...linkGap(), pageSize: 3 }, 1));
    // A domain in any case is the same domain.
    expect(pageCacheKey(linkGap({ comparison: comparison({ mySite: 'GEPUR.com' }) }), 1)).toBe(base);
  });
});
