/**
 * Serpstat API v4 (JSON-RPC over `POST /v4?token=…`) as described in docs/providers.md: parameter
 * validation, complexFilter, stable sort, paging, credits and the documented error objects.
 */
import { getSubdomain } from 'tldts';
import { SIM_SERPSTAT_TOKEN } from './constants';
import { type AccountView, type ProviderAnswer, SmallCache, sortedByKey } from './answer';
import { serpstatChartAnswers } from './charts';
import {
  checkDate,
  daysBeforeToday,
  generateRows,
  hashString,
  targetRank,
  type SerpstatBacklinkRow,
  type SerpstatLostBacklinkRow,
  type SerpstatOutDomainRow,
  type SerpstatOutlinkRow,
  type SerpstatRefDomainRow,
  type SerpstatRow,
  type SimReport,
} from './data';
import { aggregateAnchors, aggregatePages, type AnchorAggregate, type PageAggregate } from './link-aggregates';

/** At most this many rows of one method can be paged through (docs/providers.md). */
export const SERPSTAT_MAX_ROWS = 60_000;

export const SERPSTAT_LIST_METHODS = {
  'SerpstatBacklinksProcedure.getRefDomains': 'refDomains',
  'SerpstatBacklinksProcedure.getOutDomains': 'outDomains',
  'SerpstatBacklinksProcedure.getNewBacklinks': 'backlinks',
  'SerpstatBacklinksProcedure.getLostBacklinks': 'lostBacklinks',
  'SerpstatBacklinksProcedure.getOutlinks': 'outlinks',
} as const satisfies Record<string, SimReport>;
type ListMethod = keyof typeof SERPSTAT_LIST_METHODS;
/** Methods whose rows are sums over the site's backlinks (link-aggregates.ts). */
export const SERPSTAT_AGGREGATE_METHODS = {
  'SerpstatBacklinksProcedure.getAnchors': 'anchors',
  'SerpstatBacklinksProcedure.getTopPages': 'topPages',
} as const;
type AggregateMethod = keyof typeof SERPSTAT_AGGREGATE_METHODS;
export const SERPSTAT_STATS_METHOD = 'SerpstatLimitsProcedure.getStats';
export const SERPSTAT_SUMMARY_METHOD = 'SerpstatBacklinksProcedure.getSummaryV2';
export const SERPSTAT_INTERSECT_METHOD = 'SerpstatBacklinksProcedure.getIntersect';
export const SERPSTAT_INTERSECT_SUMMARY_METHOD = 'SerpstatBacklinksProcedure.getIntersectSummary';

export interface SerpstatCall {
  id: unknown;
  method: string;
  params: unknown;
}

/** The JSON-RPC envelope, or why it is not one. */
export function parseSerpstatCall(body: string): SerpstatCall | { invalid: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { invalid: 'body is not JSON' };
  }
  if (!isObject(parsed)) return { invalid: 'body must be an object' };
  if (typeof parsed.method !== 'string') return { invalid: 'method is required' };
  return { id: parsed.id ?? null, method: parsed.method, params: parsed.params ?? {} };
}

export function serpstatError(id: unknown, code: number, message: string, charged = 0): ProviderAnswer {
  return { status: 200, body: { id, error: { code, message } }, rows: 0, charged, outcome: 'error' };
}

class SchemaError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}
const schemaError = (detail: string) => new SchemaError(400, `Invalid request: JSON schema error: ${detail}`);
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

// ---------------------------------------------------------------------------------------------
// Fields

/** A row of getAnchors / getTopPages, as sent. */
export interface SerpstatAnchorRow {
  anchor: string;
  refDomains: number;
  total: number;
  noFollow: number;
}
export interface SerpstatTopPageRow {
  url: string;
  ref_pages: number;
  ref_domains: number;
  ips: number;
  urlTo: string;
}
type WireRow = SerpstatRow | SerpstatAnchorRow | SerpstatTopPageRow;

type FieldKind = 'string' | 'enum' | 'number' | 'date';
interface FieldDef {
  kind: FieldKind;
  get(row: WireRow): string | number;
  /** An enum the filter names in its own words: filter value → row value; others are refused. */
  filterValues?: Record<string, string>;
}
const refRow = (row: WireRow) => row as SerpstatRefDomainRow;
const outRow = (row: WireRow) => row as SerpstatOutDomainRow;
const linkRow = (row: WireRow) => row as SerpstatBacklinkRow & SerpstatOutlinkRow;

const linkFields: Record<string, FieldDef> = {
  url_from: { kind: 'string', get: (row) => linkRow(row).url_from },
  url_to: { kind: 'string', get: (row) => linkRow(row).url_to },
  anchor: { kind: 'string', get: (row) => linkRow(row).link_text },
  link_nofollow: { kind: 'enum', get: (row) => linkRow(row).nofollow },
  links_external: { kind: 'number', get: (row) => linkRow(row).links_ext },
  link_type: { kind: 'enum', get: (row) => linkRow(row).link_type },
  // The docs do not say what `check` and `add` are; both use the discovery date here.
  check: { kind: 'date', get: (row) => linkRow(row).first_seen },
  add: { kind: 'date', get: (row) => linkRow(row).first_seen },
};

/**
 * getLostBacklinks filters `link_type` by other words than its rows use (docs: `text` for what the
 * rows call `href`): filter value → row value.
 */
const lostLinkTypeValues: Record<string, string> = {
  text: 'href', redirect: 'redirect', iframe: 'frame', form: 'form', canonical: 'canonical', rss: 'rss', alternate: 'alternate', image: 'img',
};
const lostRow = (row: WireRow) => row as SerpstatLostBacklinkRow;

interface MethodDef {
  report: SimReport;
  /** Filter fields, which are also the sort fields unless `sortFields` narrows them. */
  fields: Record<string, FieldDef>;
  sortFields: string[];
  defaultSort: string;
  /** The analysed-side key used by subdomain filters: a domain or a URL. */
  host(row: WireRow): string;
  linkPerDomain: boolean;
}

const methods: Record<ListMethod, MethodDef> = {
  'SerpstatBacklinksProcedure.getRefDomains': {
    report: 'refDomains',
    fields: {
      domain_from: { kind: 'string', get: (row) => refRow(row).domain_from },
      domain_rank: { kind: 'number', get: (row) => refRow(row).domainRank },
      domain_links: { kind: 'number', get: (row) => refRow(row).ref_pages },
      check: { kind: 'date', get: (row) => checkDate('refDomains', row as SerpstatRow) },
    },
    sortFields: ['domain_links', 'domain_from', 'domain_rank', 'check'],
    defaultSort: 'check',
    host: (row) => refRow(row).domain_from,
    linkPerDomain: false,
  },
  'SerpstatBacklinksProcedure.getOutDomains': {
    report: 'outDomains',
    fields: {
      domain_to: { kind: 'string', get: (row) => outRow(row).domain_to },
      domain_rank: { kind: 'number', get: (row) => outRow(row).domain_rank },
      domain_links: { kind: 'number', get: (row) => outRow(row).domain_links },
    },
    sortFields: ['domain_links', 'domain_to', 'domain_rank'],
    defaultSort: 'domain_rank',
    host: (row) => outRow(row).domain_to,
    linkPerDomain: false,
  },
  'SerpstatBacklinksProcedure.getNewBacklinks': {
    report: 'backlinks',
    fields: { ...linkFields, domain_rank: { kind: 'number', get: (row) => linkRow(row).domain_rank } },
    sortFields: ['url_from', 'anchor', 'link_nofollow', 'links_external', 'link_type', 'url_to', 'check', 'add', 'domain_rank'],
    defaultSort: 'check',
    host: (row) => hostOf(linkRow(row).url_from),
    linkPerDomain: true,
  },
  'SerpstatBacklinksProcedure.getLostBacklinks': {
    report: 'lostBacklinks',
    fields: {
      ...linkFields,
      link_type: { kind: 'enum', get: (row) => lostRow(row).link_type, filterValues: lostLinkTypeValues },
      // The date of the check that found the link gone.
      check: { kind: 'date', get: (row) => lostRow(row).date_del },
    },
    // No add or domain_rank here (docs); date_del only in one third-party validator, so refused.
    sortFields: ['url_from', 'anchor', 'link_nofollow', 'links_external', 'link_type', 'url_to', 'check'],
    defaultSort: 'check',
    host: (row) => hostOf(lostRow(row).url_from),
    linkPerDomain: true,
  },
  'SerpstatBacklinksProcedure.getOutlinks': {
    report: 'outlinks',
    fields: linkFields,
    sortFields: ['url_from', 'anchor', 'link_nofollow', 'links_external', 'link_type', 'url_to', 'check'],
    defaultSort: 'check',
    host: (row) => hostOf(linkRow(row).url_to),
    linkPerDomain: true,
  },
};

/** getAnchors / getTopPages: sort and filter fields (the docs' five each), over rows summed from the backlinks. */
interface AggregateMethodDef {
  fields: Record<string, FieldDef>;
  defaultSort: string;
  /** Extra documented parameters the method takes. */
  params: string[];
  rows(aggregates: { anchors: AnchorAggregate[]; pages: PageAggregate[] }): { row: SerpstatAnchorRow | SerpstatTopPageRow; firstSeen: string }[];
}

const aggregateFirstSeen = new WeakMap<object, string>();
/** `lastupdate`: the first time a link of the row was seen. */
const lastUpdate: FieldDef = { kind: 'date', get: (row) => aggregateFirstSeen.get(row) ?? '' };
const anchorRow = (row: WireRow) => row as SerpstatAnchorRow;
const topPageRow = (row: WireRow) => row as SerpstatTopPageRow;

const aggregateMethods: Record<AggregateMethod, AggregateMethodDef> = {
  'SerpstatBacklinksProcedure.getAnchors': {
    fields: {
      total: { kind: 'number', get: (row) => anchorRow(row).total },
      refDomains: { kind: 'number', get: (row) => anchorRow(row).refDomains },
      nofollow: { kind: 'number', get: (row) => anchorRow(row).noFollow },
      anchor: { kind: 'string', get: (row) => anchorRow(row).anchor },
      lastupdate: lastUpdate,
    },
    defaultSort: 'lastupdate',
    params: ['anchor', 'count'],
    rows: ({ anchors }) =>
      anchors.map((anchor) => ({
        row: { anchor: anchor.anchor, refDomains: anchor.refDomains, total: anchor.backlinks, noFollow: anchor.nofollow },
        firstSeen: anchor.firstSeen,
      })),
  },
  'SerpstatBacklinksProcedure.getTopPages': {
    fields: {
      ips: { kind: 'number', get: (row) => topPageRow(row).ips },
      count: { kind: 'number', get: (row) => topPageRow(row).ref_pages },
      domains: { kind: 'number', get: (row) => topPageRow(row).ref_domains },
      url_to: { kind: 'string', get: (row) => topPageRow(row).urlTo },
      lastupdate: lastUpdate,
    },
    defaultSort: 'lastupdate',
    params: [],
    rows: ({ pages }) =>
      pages.map((page) => ({
        row: { url: page.path, ref_pages: page.refPages, ref_domains: page.refDomains, ips: page.refIps, urlTo: page.url },
        firstSeen: page.firstSeen,
      })),
  },
};

const hostOf = (url: string) => /^[a-z][a-z0-9+.-]*:\/\/([^/?#:]+)/i.exec(url)?.[1]?.toLowerCase() ?? '';
const pathOf = (url: string) => /^[a-z][a-z0-9+.-]*:\/\/[^/?#]+(.*)$/i.exec(url)?.[1] ?? url;
const isMainPage = (url: string) => {
  const path = pathOf(url);
  return path === '' || path === '/';
};

const subdomainCache = new Map<string, boolean>();
/** `blog.example.com` is a subdomain, `www.example.com` and `example.co.uk` are not. */
function isSubdomain(host: string): boolean {
  let known = subdomainCache.get(host);
  if (known === undefined) {
    const sub = getSubdomain(host) ?? '';
    known = sub !== '' && sub !== 'www';
    subdomainCache.set(host, known);
  }
  return known;
}

// ---------------------------------------------------------------------------------------------
// Parameters

const compareTypes = ['gt', 'lt', 'gte', 'lte', 'eq', 'neq', 'between', 'contains', 'notContains', 'startsWith', 'endsWith'];
const additionalFilters = ['no_subdomains', 'only_main_page', 'last_week', 'only_subdomains', 'only_hosts'];
type Predicate = (row: WireRow) => boolean;

interface ListParams {
  query: string;
  sort: string;
  order: 'asc' | 'desc';
  page: number;
  size: number;
  linkPerDomain: number | null;
  filter: Predicate | null;
}

function integerParam(params: Record<string, unknown>, name: string, fallback: number, min: number, max = Infinity): number {
  const value = params[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw schemaError(`${name} must be an integer ${max === Infinity ? `>= ${min}` : `from ${min} to ${max}`}`);
  }
  return value;
}

function queryParam(params: Record<string, unknown>): string {
  if (typeof params.query !== 'string' || params.query.trim() === '') throw schemaError('query is required');
  const searchType = params.searchType;
  if (searchType !== undefined && searchType !== 'domain' && searchType !== 'domain_with_subdomains') {
    throw schemaError('searchType must be one of domain, domain_with_subdomains');
  }
  return params.query.trim().toLowerCase();
}

/** `1.1.2030` (the docs' example) or `2030-01-01` → `2030-01-01`. */
function dateValue(value: unknown): string {
  if (typeof value === 'string') {
    const dotted = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(value);
    if (dotted) return `${dotted[3]}-${dotted[2]!.padStart(2, '0')}-${dotted[1]!.padStart(2, '0')}`;
    if (/^\d{4}-\d{2}-\d{2}/.test(value)) return value.slice(0, 10);
  }
  throw schemaError(`invalid date ${JSON.stringify(value)}`);
}

function conditionPredicate(method: MethodDef, condition: Record<string, unknown>): Predicate {
  if ('additional_filters' in condition) return additionalFilter(method, condition.additional_filters);
  const fieldName = condition.field;
  if (typeof fieldName !== 'string') throw schemaError('field is required');
  const field = method.fields[fieldName];
  if (!field) throw new SchemaError(32117, `Not allowed field: ${fieldName}`);
  if (condition.compareType === undefined) throw new SchemaError(32117, 'Field compareType is required');
  const compareType = condition.compareType;
  if (typeof compareType !== 'string' || !compareTypes.includes(compareType)) {
    throw schemaError(`compareType must be one of ${compareTypes.join(', ')}`);
  }
  const values = condition.value;
  if (!Array.isArray(values) || values.length === 0) throw schemaError('value must be a non-empty array');
  if (compareType === 'between' && values.length !== 2) throw schemaError('between takes two values');

  if (field.kind === 'number' || field.kind === 'date') {
    const operands = values.map((value) => {
      if (field.kind === 'date') return dateValue(value);
      const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      if (typeof number !== 'number' || Number.isNaN(number)) throw schemaError(`${fieldName} takes numbers`);
      return number;
    });
    const get = field.kind === 'date' ? (row: WireRow) => String(field.get(row)).slice(0, 10) : field.get;
    const [first, second] = operands as [string | number, string | number];
    switch (compareType) {
      case 'gt': return (row) => get(row) > first;
      case 'lt': return (row) => get(row) < first;
      case 'gte': return (row) => get(row) >= first;
      case 'lte': return (row) => get(row) <= first;
      case 'eq': return (row) => operands.includes(get(row));
      case 'neq': return (row) => !operands.includes(get(row));
      case 'between': return (row) => get(row) >= first && get(row) <= second;
      default: throw schemaError(`compareType ${compareType} does not apply to ${fieldName}`);
    }
  }

  // Text comparisons ignore case. Enum fields (link_nofollow, link_type) match whole values, so
  // "contains follow" does not also match "nofollow".
  const needles = values.map((value) => {
    const word = String(value).toLowerCase();
    if (!field.filterValues) return word;
    const rowValue = field.filterValues[word];
    if (rowValue === undefined) throw new SchemaError(32117, `Not allowed value: ${word}`);
    return rowValue;
  });
  const text = (row: WireRow) => String(field.get(row)).toLowerCase();
  const exact = (row: WireRow) => needles.includes(text(row));
  switch (compareType) {
    case 'eq': return exact;
    case 'neq': return (row) => !exact(row);
    case 'contains': return field.kind === 'enum' ? exact : (row) => needles.some((needle) => text(row).includes(needle));
    case 'notContains': return field.kind === 'enum' ? (row) => !exact(row) : (row) => !needles.some((needle) => text(row).includes(needle));
    case 'startsWith': return (row) => needles.some((needle) => text(row).startsWith(needle));
    case 'endsWith': return (row) => needles.some((needle) => text(row).endsWith(needle));
    default: throw schemaError(`compareType ${compareType} does not apply to ${fieldName}`);
  }
}

function additionalFilter(method: MethodDef, name: unknown): Predicate {
  if (typeof name !== 'string' || !additionalFilters.includes(name)) {
    throw schemaError(`additional_filters must be one of ${additionalFilters.join(', ')}`);
  }
  const isLinkReport = method.report === 'backlinks' || method.report === 'lostBacklinks' || method.report === 'outlinks';
  switch (name) {
    case 'no_subdomains':
      return (row) => !isSubdomain(method.host(row));
    case 'only_subdomains':
      return (row) => isSubdomain(method.host(row));
    case 'only_main_page':
      // Links from a site's home page; domain reports have no pages, so it keeps every row.
      return isLinkReport ? (row) => isMainPage(linkRow(row).url_from) : () => true;
    case 'only_hosts':
      // Links to a site's home page; for domain reports, root hosts only.
      return isLinkReport ? (row) => isMainPage(linkRow(row).url_to) : (row) => !isSubdomain(method.host(row));
    default: {
      const check = method.fields.check;
      return check ? (row) => daysBeforeToday(String(check.get(row))) < 7 : () => true;
    }
  }
}

function complexFilterPredicate(method: MethodDef, complexFilter: unknown): Predicate | null {
  if (complexFilter === undefined) return null;
  if (!Array.isArray(complexFilter) || !complexFilter.every(Array.isArray)) {
    throw schemaError('complexFilter must be an array of arrays');
  }
  const groups = (complexFilter as unknown[][]).map((group) => {
    const conditions = group.map((condition) => {
      if (!isObject(condition)) throw schemaError('complexFilter conditions must be objects');
      return conditionPredicate(method, condition);
    });
    return (row: WireRow) => conditions.every((condition) => condition(row));
  });
  if (groups.length === 0) return null;
  return (row) => groups.some((group) => group(row));
}

// ---------------------------------------------------------------------------------------------
// Link gap: getIntersect and getIntersectSummary

/** One donor of getIntersect: its links (ref_pages) to each compared domain, 0 where it has none. */
export interface SimIntersectDonor {
  domain: string;
  /** From the first compared domain's referring domains that list it. */
  rank: number;
  /** By position: 0 is `query`, then `intersect` in order. */
  links: number[];
}

/**
 * Every domain that links to any of `domains` (their refDomains data sets), in order of first
 * appearance; a donor missing from a domain's set gives it 0 links, as the docs' example shows.
 */
export function intersectDonors(domains: readonly string[], sizeOf: (domain: string) => number): SimIntersectDonor[] {
  const donors = new Map<string, SimIntersectDonor>();
  domains.forEach((domain, position) => {
    for (const row of generateRows(domain, 'refDomains', sizeOf(domain))) {
      let donor = donors.get(row.domain_from);
      if (!donor) {
        donor = { domain: row.domain_from, rank: row.domainRank, links: domains.map(() => 0) };
        donors.set(row.domain_from, donor);
      }
      donor.links[position] = row.ref_pages;
    }
  });
  return [...donors.values()];
}

const donorRow = (row: WireRow) => row as unknown as SimIntersectDonor;
const linksCountField = (position: number): FieldDef => ({ kind: 'number', get: (row) => donorRow(row).links[position] ?? 0 });
/** getIntersect's sort and filter fields; its rows carry none of these names (docs/providers.md). */
const intersectMethod: MethodDef = {
  report: 'refDomains',
  fields: {
    domain_rank: { kind: 'number', get: (row) => donorRow(row).rank },
    links_count1: linksCountField(0),
    links_count2: linksCountField(1),
    links_count3: linksCountField(2),
  },
  sortFields: ['domain_rank', 'links_count1', 'links_count2', 'links_count3'],
  defaultSort: 'domain_rank',
  host: (row) => donorRow(row).domain,
  linkPerDomain: false,
};

/** `query` and 1–2 `intersect` domains, as the server writes them into its row labels (lowercase, no www.). */
function comparedDomains(params: Record<string, unknown>): string[] {
  if (typeof params.query !== 'string' || params.query.trim() === '') throw schemaError('query is required');
  const intersect = params.intersect;
  if (!Array.isArray(intersect) || intersect.length === 0 || intersect.some((domain) => typeof domain !== 'string' || domain.trim() === '')) {
    throw schemaError('intersect must be a non-empty array of domains');
  }
  if (intersect.length > 2) throw schemaError('intersect takes at most 2 domains');
  return [params.query, ...(intersect as string[])].map((domain) => domain.trim().toLowerCase().replace(/^www\./, ''));
}

/** The wire row: `Domain`, `SDR` and a "Links count for domain #N <domain>" label per compared domain. */
function intersectWireRow(donor: SimIntersectDonor, domains: readonly string[]): Record<string, string | number> {
  const row: Record<string, string | number> = { Domain: donor.domain, SDR: donor.rank };
  domains.forEach((domain, position) => (row[`Links count for domain #${position + 1} ${domain}`] = donor.links[position]!));
  return row;
}

const intersectViews = new SmallCache<SerpstatRow[]>(16);

function answerIntersect(call: SerpstatCall, account: AccountView): ProviderAnswer {
  if (!isObject(call.params)) throw schemaError('params must be an object');
  const rawParams = call.params;
  const allowed = ['query', 'intersect', 'sort', 'order', 'page', 'size', 'complexFilter'];
  const unknown = Object.keys(rawParams).find((key) => !allowed.includes(key));
  if (unknown) throw schemaError(`unknown parameter ${unknown}`);
  const domains = comparedDomains(rawParams);
  const sort = rawParams.sort ?? intersectMethod.defaultSort;
  if (typeof sort !== 'string' || !intersectMethod.sortFields.includes(sort)) throw schemaError(`sort must be one of ${intersectMethod.sortFields.join(', ')}`);
  const order = rawParams.order ?? 'desc';
  if (order !== 'asc' && order !== 'desc') throw schemaError('order must be asc or desc');
  const page = integerParam(rawParams, 'page', 1, 1);
  const size = integerParam(rawParams, 'size', 100, 1, 1000);
  const filter = complexFilterPredicate(intersectMethod, rawParams.complexFilter);
  if (account.serpstatCreditsLeft < 1) return serpstatError(call.id, 32012, 'Credits exceeded');
  const sizes = domains.map((domain) => account.sizeOf(domain, 'refDomains'));
  if (sizes.every((count) => count === 0)) return serpstatError(call.id, 32015, 'No data found for requested domain', 1);

  const sorted = intersectViews.getOrCreate(`${domains.join(',')}|${sizes.join(',')}|${sort}|${order}`, () =>
    sortedByKey<SerpstatRow>(
      intersectDonors(domains, (domain) => account.sizeOf(domain, 'refDomains')) as unknown as SerpstatRow[],
      intersectMethod.fields[sort]!.get,
      order === 'desc',
    ),
  );
  const matching = filter ? sorted.filter(filter) : sorted;
  const start = (page - 1) * size;
  const data = page * size > SERPSTAT_MAX_ROWS ? [] : matching.slice(start, start + size).map((row) => intersectWireRow(donorRow(row), domains));
  const charged = Math.max(1, data.length);
  if (account.serpstatCreditsLeft < charged) return serpstatError(call.id, 32012, 'Credits exceeded');
  return {
    status: 200,
    body: {
      id: call.id,
      result: {
        data,
        summary_info: { left_lines: account.serpstatCreditsLeft - charged, page, count: data.length, total: matching.length, sort, order: order.toUpperCase() },
      },
    },
    rows: data.length,
    charged,
    outcome: 'ok',
  };
}

/**
 * getIntersectSummary: the referring domains of every set of the compared domains (each alone, and
 * what two or all three share), in the mirrored docs' order; 1 credit per row, total 0.
 */
function answerIntersectSummary(call: SerpstatCall, account: AccountView): ProviderAnswer {
  if (!isObject(call.params)) throw schemaError('params must be an object');
  const unknown = Object.keys(call.params).find((key) => key !== 'query' && key !== 'intersect');
  if (unknown) throw schemaError(`unknown parameter ${unknown}`);
  const domains = comparedDomains(call.params);
  if (account.serpstatCreditsLeft < 1) return serpstatError(call.id, 32012, 'Credits exceeded');
  const donors = intersectDonors(domains, (domain) => account.sizeOf(domain, 'refDomains'));
  if (donors.length === 0) return serpstatError(call.id, 32015, 'No data found for requested domain', 1);
  const data: { referring_domains_count: number; domains: string }[] = [];
  // Sets by binary counting: 1, 2, 1+2, 3, 1+3, 2+3, 1+2+3.
  for (let set = 1; set < 2 ** domains.length; set++) {
    const members = domains.flatMap((_, position) => ((set >> position) & 1 ? [position] : []));
    const count = donors.filter((donor) => members.every((position) => donor.links[position]! > 0)).length;
    data.push({ referring_domains_count: count, domains: members.map((position) => domains[position]).join(', ') });
  }
  if (account.serpstatCreditsLeft < data.length) return serpstatError(call.id, 32012, 'Credits exceeded');
  return {
    status: 200,
    body: { id: call.id, result: { data, summary_info: { left_lines: account.serpstatCreditsLeft - data.length, page: 1, count: data.length, total: 0, sort: '', order: '' } } },
    rows: data.length,
    charged: data.length,
    outcome: 'ok',
  };
}

function listParams(method: MethodDef, rawParams: unknown): ListParams {
  if (!isObject(rawParams)) throw schemaError('params must be an object');
  const allowed = ['query', 'searchType', 'sort', 'order', 'page', 'size', 'complexFilter', ...(method.linkPerDomain ? ['linkPerDomain'] : [])];
  const unknown = Object.keys(rawParams).find((key) => !allowed.includes(key));
  if (unknown) throw schemaError(`unknown parameter ${unknown}`);
  const query = queryParam(rawParams);
  const sort = rawParams.sort ?? method.defaultSort;
  if (typeof sort !== 'string' || !method.sortFields.includes(sort)) {
    throw schemaError(`sort must be one of ${method.sortFields.join(', ')}`);
  }
  const order = rawParams.order ?? 'desc';
  if (order !== 'asc' && order !== 'desc') throw schemaError('order must be asc or desc');
  return {
    query,
    sort,
    order,
    page: integerParam(rawParams, 'page', 1, 1),
    size: integerParam(rawParams, 'size', 100, 1, 1000),
    linkPerDomain: rawParams.linkPerDomain === undefined ? null : integerParam(rawParams, 'linkPerDomain', 1, 1),
    filter: complexFilterPredicate(method, rawParams.complexFilter),
  };
}

// ---------------------------------------------------------------------------------------------
// Answers

const sortedViews = new SmallCache<SerpstatRow[]>(32);

function answerList(call: SerpstatCall, method: MethodDef, account: AccountView): ProviderAnswer {
  const params = listParams(method, call.params);
  const size = account.sizeOf(params.query, method.report);
  if (account.serpstatCreditsLeft < 1) return serpstatError(call.id, 32012, 'Credits exceeded');
  if (size === 0) return serpstatError(call.id, 32015, 'No data found for requested domain', 1);

  const sorted = sortedViews.getOrCreate(`${params.query}|${method.report}|${size}|${params.sort}|${params.order}`, () =>
    sortedByKey<SerpstatRow>(generateRows(params.query, method.report, size), method.fields[params.sort]!.get, params.order === 'desc'),
  );
  let matching = params.filter ? sorted.filter(params.filter) : sorted;
  if (params.linkPerDomain !== null) matching = limitLinksPerDomain(matching, params.linkPerDomain);
  return listAnswer(call, params, matching, account);
}

/** One page of the matching rows, charged a credit a row (1 for an empty page). */
function listAnswer(call: SerpstatCall, params: ListParams, matching: readonly WireRow[], account: AccountView): ProviderAnswer {
  const start = (params.page - 1) * params.size;
  const beyondLimit = params.page * params.size > SERPSTAT_MAX_ROWS;
  const data = beyondLimit ? [] : matching.slice(start, start + params.size);
  const charged = Math.max(1, data.length);
  if (account.serpstatCreditsLeft < charged) return serpstatError(call.id, 32012, 'Credits exceeded');
  return {
    status: 200,
    body: {
      id: call.id,
      result: {
        data,
        summary_info: {
          left_lines: account.serpstatCreditsLeft - charged,
          page: params.page,
          count: data.length,
          total: matching.length,
          sort: params.sort,
          order: params.order.toUpperCase(),
        },
      },
    },
    rows: data.length,
    charged,
    outcome: 'ok',
  };
}

const aggregateViews = new SmallCache<{ anchors: AnchorAggregate[]; pages: PageAggregate[] }>(16);

/**
 * `additional_filters` of getAnchors / getTopPages act on the links that are summed (as they do on
 * getNewBacklinks); the other conditions on the summed rows. The flags of every group apply.
 */
function splitAggregateFilter(complexFilter: unknown): { flags: string[]; rowFilter: unknown[][] | undefined } {
  if (complexFilter === undefined) return { flags: [], rowFilter: undefined };
  if (!Array.isArray(complexFilter) || !complexFilter.every(Array.isArray)) throw schemaError('complexFilter must be an array of arrays');
  const flags: string[] = [];
  const groups = (complexFilter as unknown[][]).map((group) =>
    group.filter((condition) => {
      if (!isObject(condition) || !('additional_filters' in condition)) return true;
      const flag = condition.additional_filters;
      if (typeof flag !== 'string' || !additionalFilters.includes(flag)) {
        throw schemaError(`additional_filters must be one of ${additionalFilters.join(', ')}`);
      }
      flags.push(flag);
      return false;
    }),
  );
  // A group left with no condition matches every row, and so does the whole OR.
  return { flags: [...new Set(flags)].sort(), rowFilter: groups.some((group) => group.length === 0) ? undefined : groups };
}

function answerAggregate(call: SerpstatCall, def: AggregateMethodDef, account: AccountView): ProviderAnswer {
  if (!isObject(call.params)) throw schemaError('params must be an object');
  const rawParams: Record<string, unknown> = { ...call.params };
  const extras = Object.fromEntries(def.params.map((name) => [name, rawParams[name]]));
  for (const name of def.params) delete rawParams[name];
  const { flags, rowFilter } = splitAggregateFilter(rawParams.complexFilter);
  if (rowFilter) rawParams.complexFilter = rowFilter;
  else delete rawParams.complexFilter;
  const method: MethodDef = {
    report: 'backlinks',
    fields: def.fields,
    sortFields: Object.keys(def.fields),
    defaultSort: def.defaultSort,
    host: () => '',
    linkPerDomain: false,
  };
  const params = listParams(method, rawParams);
  // `anchor` (text in the anchor; the docs leave exact or partial open) and `count` (words in it).
  const anchorText = extras.anchor === undefined ? null : String(extras.anchor).toLowerCase();
  const words = extras.count === undefined ? null : Number(extras.count);
  if (words !== null && !(Number.isInteger(words) && words >= 1)) throw schemaError('count must be a whole number of words');

  const size = account.sizeOf(params.query, 'backlinks');
  if (account.serpstatCreditsLeft < 1) return serpstatError(call.id, 32012, 'Credits exceeded');
  if (size === 0) return serpstatError(call.id, 32015, 'No data found for requested domain', 1);
  const backlinksMethod = methods['SerpstatBacklinksProcedure.getNewBacklinks'];
  const aggregates = aggregateViews.getOrCreate(`${params.query}|${size}|${flags.join()}|${anchorText}|${words}`, () => {
    const linkFilters = flags.map((flag) => additionalFilter(backlinksMethod, flag));
    const links = generateRows(params.query, 'backlinks', size).filter(
      (link) =>
        linkFilters.every((keep) => keep(link)) &&
        (anchorText === null || link.link_text.toLowerCase().includes(anchorText)) &&
        (words === null || link.link_text.split(/\s+/).filter(Boolean).length === words),
    );
    return { anchors: aggregateAnchors(links), pages: aggregatePages(links) };
  });
  const rows = def.rows(aggregates).map(({ row, firstSeen }) => {
    aggregateFirstSeen.set(row, firstSeen);
    return row;
  });
  const sorted = sortedByKey<WireRow>(rows, def.fields[params.sort]!.get, params.order === 'desc');
  return listAnswer(call, params, params.filter ? sorted.filter(params.filter) : sorted, account);
}

/** `linkPerDomain`: keep the first N links (in the current order) from each source host. */
function limitLinksPerDomain(rows: SerpstatRow[], perDomain: number): SerpstatRow[] {
  const seen = new Map<string, number>();
  return rows.filter((row) => {
    const host = hostOf(linkRow(row).url_from);
    const count = seen.get(host) ?? 0;
    seen.set(host, count + 1);
    return count < perDomain;
  });
}

function answerStats(call: SerpstatCall, account: AccountView): ProviderAnswer {
  return {
    status: 200,
    body: {
      id: call.id,
      result: {
        max_lines: account.serpstatMaxCredits,
        used_lines: account.serpstatMaxCredits - account.serpstatCreditsLeft,
        left_lines: account.serpstatCreditsLeft,
        user_info: { user_id: 100001, tariff_id: 7, tariff_name: 'Team (simulator)', api_requests_per_second: 10 },
      },
    },
    rows: 0,
    charged: 0,
    outcome: 'ok',
  };
}

/**
 * A counter's 7-day delta (`*_change`): deterministic per domain and counter, within ±5% of the
 * counter and never below minus the counter itself; some are negative, some 0.
 */
export function serpstatWeekChange(domain: string, counter: string, value: number): number {
  const span = Math.floor(value / 20);
  if (span === 0) return 0;
  return (hashString(`change|${domain}|${counter}`) % (2 * span + 1)) - span;
}

/**
 * getSummaryV2: totals of the four data sets, each counter with its `*_change` delta, and the rank
 * under the documented misspelled key `sersptat_domain_rank`; 1 credit, also for "no data".
 */
function answerSummary(call: SerpstatCall, account: AccountView): ProviderAnswer {
  if (!isObject(call.params)) throw schemaError('params must be an object');
  const unknown = Object.keys(call.params).find((key) => key !== 'query' && key !== 'searchType');
  if (unknown) throw schemaError(`unknown parameter ${unknown}`);
  const query = queryParam(call.params);
  if (account.serpstatCreditsLeft < 1) return serpstatError(call.id, 32012, 'Credits exceeded');
  const refDomains = account.sizeOf(query, 'refDomains');
  const backlinkCount = account.sizeOf(query, 'backlinks');
  if (refDomains === 0 && backlinkCount === 0) return serpstatError(call.id, 32015, 'No data found for requested domain', 1);
  const backlinks = generateRows(query, 'backlinks', backlinkCount);
  const nofollow = backlinks.filter((row) => row.nofollow !== 'follow').length;
  const ofType = (type: string) => backlinks.filter((row) => row.link_type === type).length;
  const counters: Record<string, number> = {
    referring_domains: refDomains,
    referring_malicious_domains: Math.floor(refDomains / 97),
    referring_ip_addresses: Math.ceil(refDomains * 0.9),
    referring_subnets: Math.ceil(refDomains * 0.7),
    backlinks: backlinkCount,
    backlinks_from_mainpages: backlinks.filter((row) => isMainPage(row.url_from)).length,
    nofollow_backlinks: nofollow,
    dofollow_backlinks: backlinkCount - nofollow,
    text_backlinks: ofType('href'),
    image_backlinks: ofType('img'),
    redirect_backlinks: ofType('redirect'),
    canonical_backlinks: ofType('canonical'),
    alternate_backlinks: 0,
    rss_backlinks: 0,
    frame_backlinks: ofType('frame'),
    form_backlinks: 0,
    external_domains: account.sizeOf(query, 'outDomains'),
    external_malicious_domains: 0,
    external_links: account.sizeOf(query, 'outlinks'),
  };
  const data: Record<string, number> = { sersptat_domain_rank: targetRank(query), redirected_domains: 0 };
  for (const [counter, value] of Object.entries(counters)) {
    data[counter] = value;
    data[`${counter}_change`] = serpstatWeekChange(query, counter, value);
  }
  return {
    status: 200,
    body: { id: call.id, result: { data, summary_info: { left_lines: account.serpstatCreditsLeft - 1 } } },
    rows: 1,
    charged: 1,
    outcome: 'ok',
  };
}

/** Answers one authenticated-or-not JSON-RPC call. `token` is the URL's `token` parameter. */
export function answerSerpstat(call: SerpstatCall, token: string | null, account: AccountView): ProviderAnswer {
  if (!token) return serpstatError(call.id, 400, 'Token not found');
  if (token !== SIM_SERPSTAT_TOKEN) return serpstatError(call.id, 403, 'Invalid token!');
  try {
    if (call.method === SERPSTAT_STATS_METHOD) return answerStats(call, account);
    if (call.method === SERPSTAT_SUMMARY_METHOD) return answerSummary(call, account);
    const aggregate = aggregateMethods[call.method as AggregateMethod];
    if (aggregate) return answerAggregate(call, aggregate, account);
    const chart = serpstatChartAnswers[call.method];
    if (chart) return chart(call, account);
    if (call.method === SERPSTAT_INTERSECT_METHOD) return answerIntersect(call, account);
    if (call.method === SERPSTAT_INTERSECT_SUMMARY_METHOD) return answerIntersectSummary(call, account);
    const method = methods[call.method as ListMethod];
    if (!method) return serpstatError(call.id, 32116, 'Method not supported');
    return answerList(call, method, account);
  } catch (error) {
    if (error instanceof SchemaError) return serpstatError(call.id, error.code, error.message);
    throw error;
  }
}
