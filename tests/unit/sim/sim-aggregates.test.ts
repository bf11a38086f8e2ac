import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getSubdomain } from 'tldts';
import { SIM_DATAFORSEO_LOGIN, SIM_DATAFORSEO_PASSWORD, SIM_SERPSTAT_TOKEN } from '../../sim/constants';
import { datasetSize, generateRows } from '../../sim/data';
import { aggregateAnchors, aggregatePages } from '../../sim/link-aggregates';
import { DATAFORSEO_ANCHORS_PATH, DATAFORSEO_DOMAIN_PAGES_PATH } from '../../sim/dataforseo';
import { startSimulator, type Simulator } from '../../sim/server';

/** The simulator's anchors and top pages: sums over the same backlinks the Backlinks table shows. */

const DOMAIN = 'shop-example.co.uk';
const links = () => generateRows(DOMAIN, 'backlinks', datasetSize(DOMAIN, 'backlinks'));
const auth = `Basic ${Buffer.from(`${SIM_DATAFORSEO_LOGIN}:${SIM_DATAFORSEO_PASSWORD}`).toString('base64')}`;

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ port: 0 });
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

type Row = Record<string, unknown>;
interface SerpstatAnswer {
  result?: { data: Row[]; summary_info: { total: number; left_lines: number; order: string } };
  error?: { code: number; message: string };
}
async function serpstat(method: string, params: Row): Promise<SerpstatAnswer> {
  const response = await fetch(`${sim.serpstatUrl}?token=${SIM_SERPSTAT_TOKEN}`, {
    method: 'POST',
    body: JSON.stringify({ id: '1', method: `SerpstatBacklinksProcedure.${method}`, params: { query: DOMAIN, searchType: 'domain_with_subdomains', ...params } }),
  });
  return (await response.json()) as SerpstatAnswer;
}
interface DataForSeoAnswer {
  cost: number;
  tasks: { status_code: number; status_message: string; cost: number; result: { total_count: number; items: Row[] }[] | null }[];
}
async function dataforseo(path: string, task: Row): Promise<DataForSeoAnswer> {
  const response = await fetch(`${sim.dataforseoUrl}${path}`, { method: 'POST', headers: { Authorization: auth }, body: JSON.stringify([{ target: DOMAIN, ...task }]) });
  return (await response.json()) as DataForSeoAnswer;
}

describe('link aggregates', () => {
  it('an anchor counts the backlinks with its text, their hosts and their nofollow links', () => {
    const all = links();
    for (const anchor of aggregateAnchors(all)) {
      const using = all.filter((link) => link.link_text === anchor.anchor);
      expect(anchor.backlinks).toBe(using.length);
      expect(anchor.refDomains).toBe(new Set(using.map((link) => new URL(link.url_from).hostname)).size);
      expect(anchor.nofollow).toBe(using.filter((link) => link.nofollow === 'nofollow').length);
    }
    expect(aggregateAnchors(all).reduce((sum, anchor) => sum + anchor.backlinks, 0)).toBe(all.length);
  });

  it('a page counts the backlinks to it; the home page comes linked with and without its slash', () => {
    const pages = aggregatePages(links());
    expect(pages.reduce((sum, page) => sum + page.backlinks, 0)).toBe(links().length);
    const home = pages.filter((page) => page.url === `https://${DOMAIN}/` || page.url === `https://${DOMAIN}`);
    expect(home.map((page) => page.path).sort()).toEqual(['', '/']);
    for (const page of pages) expect(page.refIps).toBeLessThanOrEqual(page.refDomains);
  });
});

describe('Serpstat getAnchors / getTopPages', () => {
  it('getAnchors answers the documented row shape, a credit a row, order echoed upper-case', async () => {
    const before = sim.creditsLeft();
    const answer = await serpstat('getAnchors', { sort: 'total', order: 'desc', size: 5 });
    const expected = aggregateAnchors(links()).sort((a, b) => b.backlinks - a.backlinks).slice(0, 5);
    expect(answer.result!.data).toEqual(expected.map((anchor) => ({ anchor: anchor.anchor, refDomains: anchor.refDomains, total: anchor.backlinks, noFollow: anchor.nofollow })));
    expect(answer.result!.summary_info).toMatchObject({ total: aggregateAnchors(links()).length, order: 'DESC', left_lines: before - 5 });
    expect(before - sim.creditsLeft()).toBe(5);
  });

  it('filters on nofollow and lastupdate (DD.MM.YYYY), and refuses the answer’s spelling noFollow', async () => {
    const nofollow = await serpstat('getAnchors', { complexFilter: [[{ field: 'nofollow', compareType: 'gte', value: [1] }]] });
    expect(nofollow.result!.data.length).toBeGreaterThan(0);
    expect(nofollow.result!.data.every((row) => (row.noFollow as number) >= 1)).toBe(true);
    const camel = await serpstat('getAnchors', { complexFilter: [[{ field: 'noFollow', compareType: 'gte', value: [1] }]] });
    expect(camel.error).toEqual({ code: 32117, message: 'Not allowed field: noFollow' });
    const recent = await serpstat('getAnchors', { complexFilter: [[{ field: 'lastupdate', compareType: 'gte', value: ['01.01.2025'] }]] });
    const firstUsed = new Map(aggregateAnchors(links()).map((anchor) => [anchor.anchor, anchor.firstSeen]));
    expect(recent.result!.data.every((row) => firstUsed.get(row.anchor as string)! >= '2025-01-01')).toBe(true);
  });

  it('no_subdomains sums only the links from hosts that are not subdomains', async () => {
    const answer = await serpstat('getAnchors', { size: 1000, complexFilter: [[{ additional_filters: 'no_subdomains' }]] });
    const kept = links().filter((link) => {
      const sub = getSubdomain(new URL(link.url_from).hostname) ?? '';
      return sub === '' || sub === 'www';
    });
    expect(answer.result!.summary_info.total).toBe(aggregateAnchors(kept).length);
    expect(answer.result!.data.reduce((sum, row) => sum + (row.total as number), 0)).toBe(kept.length);
  });

  it('getTopPages answers the path in url and the full address in urlTo, sorted by domains', async () => {
    const answer = await serpstat('getTopPages', { sort: 'domains', order: 'desc', size: 1000 });
    const rows = answer.result!.data;
    expect(rows.length).toBe(aggregatePages(links()).length);
    const counts = rows.map((row) => row.ref_domains as number);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    expect(rows.find((row) => row.urlTo === `https://${DOMAIN}`)).toMatchObject({ url: '' });
    expect(rows.find((row) => row.urlTo === `https://${DOMAIN}/`)).toMatchObject({ url: '/' });
    const filtered = await serpstat('getTopPages', { complexFilter: [[{ field: 'url_to', compareType: 'contains', value: ['/blog/'] }]] });
    expect(filtered.result!.data.every((row) => (row.urlTo as string).includes('/blog/'))).toBe(true);
    const wrongName = await serpstat('getTopPages', { sort: 'ref_domains' });
    expect(wrongName.error?.message).toContain('sort must be one of');
  });

  it('an empty site is “no data”, charged 1 credit', async () => {
    const before = sim.creditsLeft();
    const answer = await serpstat('getAnchors', { query: 'nodata-example.com' });
    expect(answer.error?.code).toBe(32015);
    expect(before - sim.creditsLeft()).toBe(1);
  });

  it('faults can target the method', async () => {
    sim.injectFault({ provider: 'serpstat', method: 'getTopPages', fault: { kind: 'serpstat-error', code: 32016, message: 'Large domains not supported' } });
    expect((await serpstat('getTopPages', {})).error?.code).toBe(32016);
    expect((await serpstat('getTopPages', {})).result).toBeDefined();
  });
});

describe('DataForSEO anchors/live / domain_pages/live', () => {
  it('anchors/live: the same anchors as Serpstat, null for an empty one, priced per call and row', async () => {
    const before = sim.balanceUsd();
    const answer = await dataforseo(DATAFORSEO_ANCHORS_PATH, { rank_scale: 'one_hundred', order_by: ['backlinks,desc'] });
    const items = answer.tasks[0]!.result![0]!.items;
    const anchors = aggregateAnchors(links());
    expect(items).toHaveLength(anchors.length);
    expect(items.map((item) => item.anchor ?? '').sort()).toEqual(anchors.map((anchor) => anchor.anchor).sort());
    expect(items.some((item) => item.anchor === null)).toBe(true);
    expect(items.every((item) => (item.rank as number) <= 100)).toBe(true);
    expect(items[0]!.first_seen).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \+00:00$/);
    const cost = Math.round((0.02 + 0.00003 * items.length) * 100_000) / 100_000;
    expect(answer.cost).toBe(cost);
    expect(before - sim.balanceUsd()).toBeCloseTo(cost, 10);
  });

  it('anchors/live: ranks on the default 0–1000 scale without rank_scale; an unknown field is a charged 40501', async () => {
    const thousand = await dataforseo(DATAFORSEO_ANCHORS_PATH, {});
    expect(Math.max(...thousand.tasks[0]!.result![0]!.items.map((item) => item.rank as number))).toBeGreaterThan(100);
    const before = sim.balanceUsd();
    const invalid = await dataforseo(DATAFORSEO_ANCHORS_PATH, { order_by: ['noFollow,desc'] });
    expect(invalid.tasks[0]).toMatchObject({ status_code: 40501, cost: 0.02, result: null });
    expect(before - sim.balanceUsd()).toBeCloseTo(0.02, 10);
  });

  it('domain_pages/live lists pages without backlinks unless filtered, sorts by page_summary paths, and refuses a page target', async () => {
    const all = await dataforseo(DATAFORSEO_DOMAIN_PAGES_PATH, { limit: 1000 });
    const unlinked = all.tasks[0]!.result![0]!.items.filter((item) => (item.page_summary as Row).backlinks === 0);
    expect(unlinked.map((item) => item.page)).toContain(`https://${DOMAIN}/contact/`);
    const linked = await dataforseo(DATAFORSEO_DOMAIN_PAGES_PATH, {
      limit: 1000,
      filters: ['page_summary.backlinks', '>', 0],
      order_by: ['page_summary.referring_domains,desc'],
    });
    const items = linked.tasks[0]!.result![0]!.items;
    expect(items.length).toBe(all.tasks[0]!.result![0]!.items.length - unlinked.length);
    const domains = items.map((item) => (item.page_summary as Row).referring_domains as number);
    expect(domains).toEqual([...domains].sort((a, b) => b - a));
    expect(items.every((item) => String(item.page).startsWith('https://'))).toBe(true);
    const page = await dataforseo(DATAFORSEO_DOMAIN_PAGES_PATH, { target: `https://${DOMAIN}/` });
    expect(page.tasks[0]).toMatchObject({ status_code: 40501, result: null });
  });
});
