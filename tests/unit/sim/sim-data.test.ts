import { describe, expect, it } from 'vitest';
import {
  SIM_TODAY,
  checkDate,
  daysBeforeToday,
  datasetSize,
  generateDataForSeoReferringDomains,
  generateRows,
  isNoDataDomain,
  type SerpstatBacklinkRow,
  type SerpstatOutlinkRow,
} from '../../sim/data';

const reportIds = ['refDomains', 'outDomains', 'backlinks', 'outlinks'] as const;

describe('simulator data sets', () => {
  it('derives default sizes from the domain, inside the documented ranges', () => {
    const ranges = { refDomains: [200, 2_500], outDomains: [50, 800], backlinks: [300, 5_000], outlinks: [300, 5_000] };
    const sizes = new Set<number>();
    for (let i = 0; i < 200; i++) {
      for (const report of reportIds) {
        const size = datasetSize(`site${i}.example`, report);
        expect(size).toBeGreaterThanOrEqual(ranges[report][0]!);
        expect(size).toBeLessThanOrEqual(ranges[report][1]!);
        sizes.add(size);
      }
    }
    expect(sizes.size).toBeGreaterThan(100);
    expect(datasetSize('example.com', 'refDomains')).toBe(datasetSize('EXAMPLE.com', 'refDomains'));
  });

  it('has no data for nodata.* domains', () => {
    expect(isNoDataDomain('nodata.example')).toBe(true);
    for (const report of reportIds) expect(datasetSize('nodata.example', report)).toBe(0);
  });

  it('is deterministic: a smaller data set is the prefix of a larger one', () => {
    for (const report of reportIds) {
      const small = generateRows('determinism.example', report, 50);
      const large = generateRows('determinism.example', report, 120);
      expect(large.slice(0, 50)).toEqual(small);
      expect(generateRows('other.example', report, 50)).not.toEqual(small);
    }
  });

  it('sends rows in each method’s documented wire shape', () => {
    const keys = (report: (typeof reportIds)[number]) => Object.keys(generateRows('shape.example', report, 1)[0]!).sort();
    expect(keys('refDomains')).toEqual(['domainRank', 'domain_from', 'ref_pages']);
    expect(keys('outDomains')).toEqual(['domain_links', 'domain_rank', 'domain_to']);
    expect(keys('backlinks')).toEqual(
      ['domain_rank', 'first_seen', 'last_visited', 'link_text', 'link_type', 'links_ext', 'nofollow', 'url_from', 'url_to'].sort(),
    );
    expect(keys('outlinks')).toEqual(
      ['date_del', 'first_seen', 'last_visited', 'link_text', 'link_type', 'links_ext', 'nofollow', 'url_from', 'url_to'].sort(),
    );
    for (const row of generateRows('shape.example', 'backlinks', 500)) {
      expect(row.domain_rank).toBeGreaterThanOrEqual(0);
      expect(row.domain_rank).toBeLessThanOrEqual(100);
      expect(row.first_seen).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(row.last_visited).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
      expect(row.last_visited.slice(0, 10) >= row.first_seen).toBe(true);
      expect(['follow', 'nofollow', 'ugc', 'sponsored']).toContain(row.nofollow);
      expect(row.first_seen <= SIM_TODAY).toBe(true);
    }
  });

  it('generates varied, realistic domains, unique within a data set', () => {
    const domains = generateRows('variety.example', 'refDomains', 2_500).map((row) => row.domain_from);
    expect(new Set(domains).size).toBe(domains.length);
    expect(domains.some((domain) => domain.endsWith('.co.uk'))).toBe(true);
    expect(domains.some((domain) => domain.startsWith('xn--'))).toBe(true);
    expect(domains.some((domain) => /^(blog|shop|news|forum|docs)\./.test(domain))).toBe(true);
    expect(domains.every((domain) => /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(domain))).toBe(true);
    const ranks = generateRows('variety.example', 'refDomains', 2_500).map((row) => row.domainRank);
    expect(Math.min(...ranks)).toBe(0);
    expect(Math.max(...ranks)).toBeGreaterThan(90);
  });

  it('puts hostile strings in about 2% of link rows', () => {
    const rows: (SerpstatBacklinkRow | SerpstatOutlinkRow)[] = [
      ...generateRows('hostile.example', 'backlinks', 5_000),
      ...generateRows('hostile.example', 'outlinks', 5_000),
    ];
    const kinds = {
      img: rows.filter((row) => row.link_text === '<img src=x onerror=alert(1)>').length,
      script: rows.filter((row) => row.link_text === '<script>alert(1)</script>').length,
      rtl: rows.filter((row) => row.link_text.includes('\u202E')).length,
      emoji: rows.filter((row) => /\p{Extended_Pictographic}/u.test(row.link_text)).length,
      longUrl: rows.filter((row) => row.url_from.length >= 2_000).length,
      javascriptUrl: rows.filter((row) => row.url_to === 'javascript:alert(1)').length,
    };
    for (const count of Object.values(kinds)) expect(count).toBeGreaterThan(0);
    const total = Object.values(kinds).reduce((sum, count) => sum + count, 0);
    expect(total / rows.length).toBeGreaterThan(0.01);
    expect(total / rows.length).toBeLessThan(0.035);
  });

  it('builds 100,000 unique rows quickly', () => {
    const started = performance.now();
    const rows = generateRows('huge.example', 'refDomains', 100_000);
    const elapsed = performance.now() - started;
    expect(rows).toHaveLength(100_000);
    expect(new Set(rows.map((row) => row.domain_from)).size).toBe(100_000);
    // "Well under a second" on a developer machine; generous here so a loaded CI box passes.
    expect(elapsed).toBeLessThan(2_000);
    expect(generateRows('huge.example', 'refDomains', 100_000)).toBe(rows);
  });

  it('uses first_seen as the link rows’ check date and a stable derived date for domain rows', () => {
    const link = generateRows('check.example', 'backlinks', 1)[0]!;
    expect(checkDate('backlinks', link)).toBe(link.first_seen);
    const domainRow = generateRows('check.example', 'refDomains', 1)[0]!;
    expect(checkDate('refDomains', domainRow)).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(checkDate('refDomains', domainRow)).toBe(checkDate('refDomains', { ...domainRow }));
    expect(daysBeforeToday(SIM_TODAY)).toBe(0);
  });

  it('shares about 70% of referring domains between Serpstat and DataForSEO', () => {
    const serpstat = generateRows('both.example', 'refDomains', 2_000);
    const dataforseo = generateDataForSeoReferringDomains('both.example', 2_000);
    const serpstatDomains = new Set(serpstat.map((row) => row.domain_from));
    const shared = dataforseo.filter((item) => serpstatDomains.has(item.domain)).length;
    expect(shared / dataforseo.length).toBeGreaterThan(0.6);
    expect(shared / dataforseo.length).toBeLessThan(0.8);
    expect(new Set(dataforseo.map((item) => item.domain)).size).toBe(2_000);
    for (const item of dataforseo) {
      expect(item.type).toBe('backlinks_referring_domain');
      expect(item.rank).toBeGreaterThanOrEqual(0);
      expect(item.rank).toBeLessThanOrEqual(1000);
      expect(item.backlinks).toBeGreaterThanOrEqual(item.referring_pages);
      expect(item.first_seen).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \+00:00$/);
    }
  });
});
