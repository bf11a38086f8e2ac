import type { AnyRow, ColumnDef, Comparison, Filter, ReportId, Sort } from '../shared/reports';
import type { ProviderId } from '../shared/providers';

/** The host of an absolute URL, or null when the text is not one. */
function hostOfUrl(value: string): string | null {
  try {
    return new URL(value).hostname || null;
  } catch {
    return null;
  }
}

/** The local calendar day, "2026-11-22": the day the user exported on, not UTC's. */
function localDay(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/**
 * Cells a spreadsheet would run as a formula (OWASP "CSV injection"). Anchored at the very start
 * only: papaparse's own default pattern also requires no line break in the cell, so
 * "=HYPERLINK(…)\n" would slip through it.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * The rows as CSV, one column per table column, raw values (numbers unformatted, dates as the
 * provider sent them). Quoting is papaparse's; formula-like text cells get a leading apostrophe.
 * A byte-order mark first, so spreadsheet apps read Unicode domains right. Papaparse is imported
 * here, at export time, so the side panel does not load it until the user exports.
 */
export async function rowsToCsv(rows: readonly AnyRow[] | readonly Record<string, unknown>[], columns: readonly ColumnDef[]): Promise<string> {
  const { default: Papa } = await import('papaparse');
  const data = rows.map((row) =>
    columns.map((column) => {
      const value = (row as unknown as Record<string, unknown>)[column.id];
      return value ?? '';
    }),
  );
  const csv = Papa.unparse(
    { fields: columns.map((column) => column.label), data },
    { escapeFormulae: FORMULA_START, newline: '\r\n' },
  );
  return `\uFEFF${csv}`;
}

/** Saves text (CSV) or a blob (PNG) as a file through the page's own download (no `downloads` permission needed). */
export function saveTextFile(fileName: string, content: string | Blob): void {
  const blob = typeof content === 'string' ? new Blob([content], { type: 'text/csv;charset=utf-8' }) : content;
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  // The download has its own reference by the time the next task runs.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

const reportFileNames: Record<ReportId, string> = {
  refDomains: 'referring-domains',
  outDomains: 'outbound-domains',
  backlinks: 'backlinks',
  anchors: 'anchors',
  topPages: 'top-pages',
  lostBacklinks: 'lost-backlinks',
  outlinks: 'outlinks',
  linkGap: 'link-gap',
};

/** Letters, digits, dots and dashes only: safe in a file name on every system. */
function fileNamePart(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9.\u00c0-\uffff-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 60);
}

function describeFilter(filter: Filter): string {
  switch (filter.kind) {
    case 'contains':
    case 'notContains':
      return `${filter.field}-${filter.kind === 'contains' ? 'contains' : 'not-contains'}-${filter.value}`;
    case 'minRank':
      return `rank-min-${filter.value}`;
    case 'maxRank':
      return `rank-max-${filter.value}`;
    case 'attribute':
      return filter.values.join('-');
    case 'flag':
      return filter.value.replaceAll('_', '-');
  }
}

export interface CsvFileNameInput {
  report: ReportId;
  /** The table's target: a domain or, for "This page", a URL. */
  target: string;
  provider: ProviderId;
  /** Left out of the name when it is the report's default order. */
  sort?: Sort;
  defaultSort?: Sort;
  filters: Filter[];
  /** Link gap: the other competitors compared, any or all of them, and my site. */
  comparison?: Comparison;
  date: Date;
}

/**
 * "referring-domains_example.com_serpstat_2026-11-22.csv", with the sort (when not the default)
 * and the active filters before the date, so two exports of one table never look alike. A link
 * gap names the competitors and my site: "link-gap_rival.com_vs_mine.com_serpstat_2026-11-22.csv"
 * ("link-gap_rival.com_other.com_all_vs_mine.com_…" with more competitors).
 */
export function csvFileName({ report, target, provider, sort, defaultSort, filters, comparison, date }: CsvFileNameInput): string {
  const targetPart = fileNamePart(hostOfUrl(target) ?? target);
  const compared = comparison
    ? [...comparison.competitors.map(fileNamePart), ...(comparison.competitors.length > 0 ? [comparison.match] : []), 'vs', fileNamePart(comparison.mySite)]
    : [];
  const parts = [reportFileNames[report], targetPart || 'target', ...compared, provider];
  if (sort && (sort.field !== defaultSort?.field || sort.order !== defaultSort?.order)) {
    parts.push(fileNamePart(`${sort.field}-${sort.order}`));
  }
  for (const filter of filters) parts.push(fileNamePart(describeFilter(filter)));
  parts.push(localDay(date));
  return `${parts.filter(Boolean).join('_')}.csv`;
}

/** Whether a report's rows name domains to copy: an anchor names none. */
export const hasDomains = (report: ReportId) => report !== 'anchors';

/**
 * The domains of a table for "Copy domains": the domain column of domain reports, the linking
 * page's host for backlinks, the linked page's host for outlinks and the page's host for top
 * pages; each once, in table order.
 */
export function domainsOf(report: ReportId, rows: readonly AnyRow[]): string[] {
  const domains = rows.map((row) => {
    if ('domain' in row) return row.domain;
    if ('url' in row) return hostOfUrl(row.url);
    if (!('urlFrom' in row)) return null;
    return hostOfUrl(report === 'outlinks' ? row.urlTo : row.urlFrom);
  });
  return [...new Set(domains.filter((domain): domain is string => Boolean(domain)))];
}
