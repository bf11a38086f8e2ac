import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { csvFileName, domainsOf, rowsToCsv } from '../../../lib/ui/csv';
import { columnsFor, type LinkRow, type RefDomainRow } from '../../../lib/shared/reports';

const refColumns = columnsFor('refDomains', 'serpstat');
const linkColumns = columnsFor('backlinks', 'serpstat');

function refRow(domain: string, rank: number | null = 10): RefDomainRow {
  return { domain, rank, refPages: 3, backlinks: null, firstSeen: null, lostDate: null, spamScore: null };
}
function linkRow(overrides: Partial<LinkRow>): LinkRow {
  return {
    urlFrom: 'https://blog.example.org/post',
    urlTo: 'https://shop.example.com/',
    anchor: 'shop',
    attribute: 'follow',
    linkType: 'href',
    externalLinks: 4,
    firstSeen: '2025-08-01',
    lastSeen: '2025-08-20',
    deletedAt: null,
    domainRank: 51,
    ...overrides,
  };
}

/** Parses the file back the way a spreadsheet import would (header row first). */
function parseBack(csv: string): string[][] {
  expect(csv.startsWith('\uFEFF')).toBe(true);
  const parsed = Papa.parse<string[]>(csv.slice(1), { header: false });
  expect(parsed.errors).toEqual([]);
  return parsed.data;
}

describe('rowsToCsv', () => {
  it('writes a header of the column labels and raw values, empty for missing ones', async () => {
    const csv = await rowsToCsv([refRow('a.com', 55), refRow('b.com', null)], refColumns);
    expect(parseBack(csv)).toEqual([
      ['Domain', 'Rank', 'Referring pages'],
      ['a.com', '55', '3'],
      ['b.com', '', '3'],
    ]);
  });

  it('quotes commas, quotes and line breaks so hostile anchors round-trip exactly', async () => {
    const anchors = ['a, b', 'say "hi"', 'line\nbreak', 'cr\r\nlf', '<script>alert(1)</script>', '\u202Eevil.exe', 'x'.repeat(10_000)];
    const csv = await rowsToCsv(anchors.map((anchor) => linkRow({ anchor })), linkColumns);
    const anchorColumn = linkColumns.findIndex((column) => column.id === 'anchor');
    expect(parseBack(csv).slice(1).map((row) => row[anchorColumn])).toEqual(anchors);
  });

  it.each([
    ['=HYPERLINK("http://evil.example","click")'],
    ['+1+2'],
    ['-2+3'],
    ['@SUM(A1:A2)'],
    ['\t=1+1'],
    ['\r=1+1'],
    ['=cmd|\' /C calc\'!A0\nsecond line'],
  ])('neutralises a cell that starts a formula: %j', async (anchor) => {
    const csv = await rowsToCsv([linkRow({ anchor })], linkColumns);
    const anchorColumn = linkColumns.findIndex((column) => column.id === 'anchor');
    expect(parseBack(csv)[1]?.[anchorColumn]).toBe(`'${anchor}`);
  });

  it('leaves numbers and ordinary text alone', async () => {
    const csv = await rowsToCsv([linkRow({ anchor: 'a = b', externalLinks: 0 })], linkColumns);
    const row = parseBack(csv)[1]!;
    expect(row[linkColumns.findIndex((column) => column.id === 'anchor')]).toBe('a = b');
    expect(row[linkColumns.findIndex((column) => column.id === 'externalLinks')]).toBe('0');
  });
});

describe('csvFileName', () => {
  const date = new Date(2026, 10, 22, 23, 30);

  it('names the report, target, provider and local day', () => {
    expect(csvFileName({ report: 'refDomains', target: 'example.com', provider: 'serpstat', filters: [], date })).toBe(
      'referring-domains_example.com_serpstat_2026-11-22.csv',
    );
  });

  it('adds a sort other than the default and the active filters', () => {
    const name = csvFileName({
      report: 'backlinks',
      target: 'https://shop.example.com/page?x=1',
      provider: 'dataforseo',
      sort: { field: 'domainRank', order: 'asc' },
      defaultSort: { field: 'lastSeen', order: 'desc' },
      filters: [
        { kind: 'contains', field: 'anchor', value: 'Buy Now!' },
        { kind: 'minRank', value: 30 },
        { kind: 'attribute', values: ['nofollow', 'ugc'] },
        { kind: 'flag', value: 'last_week' },
      ],
      date,
    });
    expect(name).toBe('backlinks_shop.example.com_dataforseo_domainrank-asc_anchor-contains-buy-now_rank-min-30_nofollow-ugc_last-week_2026-11-22.csv');
  });

  it('keeps path separators and other unsafe characters out of the name', () => {
    const name = csvFileName({
      report: 'outlinks',
      target: 'example.com',
      provider: 'serpstat',
      filters: [{ kind: 'contains', field: 'urlTo', value: '../../etc/passwd:*?"<>|' }],
      date,
    });
    expect(name).toBe('outlinks_example.com_serpstat_urlto-contains-..-..-etc-passwd_2026-11-22.csv');
    expect(name).not.toMatch(/[/\\:*?"<>|]/);
  });
});

describe('domainsOf', () => {
  it('takes the domain column of domain reports, each domain once', () => {
    expect(domainsOf('refDomains', [refRow('a.com'), refRow('b.com'), refRow('a.com')])).toEqual(['a.com', 'b.com']);
  });

  it('takes the linking host for backlinks and the linked host for outlinks', () => {
    const rows = [linkRow({}), linkRow({ urlFrom: 'http://news.example.net/x', urlTo: 'https://other.example/' }), linkRow({ urlFrom: 'not a url' })];
    expect(domainsOf('backlinks', rows)).toEqual(['blog.example.org', 'news.example.net']);
    expect(domainsOf('outlinks', rows)).toEqual(['shop.example.com', 'other.example']);
  });
});
