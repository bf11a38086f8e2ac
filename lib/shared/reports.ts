import { z } from 'zod';
import { isIpAddressHost, isLocalhost, isPrivateNetworkHost, pageAddress, storePage } from './host-rules';
import { addUsd } from './money';
import { providerIds, providerIdSchema, type ProviderId } from './providers';

/** The side panel's tables, in tab order; docs/architecture.md says what else a new one needs. */
export const reportIds = ['refDomains', 'backlinks', 'lostBacklinks', 'anchors', 'topPages', 'outDomains', 'outlinks', 'linkGap'] as const;
export const reportIdSchema = z.enum(reportIds);
export type ReportId = z.infer<typeof reportIdSchema>;

/** root domain with subdomains / this host only / this page URL (DataForSEO only). */
export const scopes = ['domain_with_subdomains', 'domain', 'url'] as const;
export const scopeSchema = z.enum(scopes);
export type Scope = z.infer<typeof scopeSchema>;

// One row model per report, whatever the provider called its fields.
export interface RefDomainRow {
  domain: string;
  rank: number | null;
  refPages: number | null;
  backlinks: number | null;
  firstSeen: string | null;
  lostDate: string | null;
  spamScore: number | null;
}
export interface OutDomainRow {
  domain: string;
  rank: number | null;
  links: number | null;
}
/**
 * One link, whichever provider sent it. Dates are "YYYY-MM-DD" or "YYYY-MM-DD HH:MM:SS"; a date the
 * provider gave with a zone (DataForSEO's "+00:00") is turned into UTC and written without it.
 */
export interface LinkRow {
  urlFrom: string;
  urlTo: string;
  anchor: string;
  /** follow / nofollow / ugc / sponsored as the provider says it. */
  attribute: string;
  linkType: string | null;
  externalLinks: number | null;
  firstSeen: string | null;
  lastSeen: string | null;
  deletedAt: string | null;
  domainRank: number | null;
}
/** One anchor text of the links to a site, with what uses it. */
export interface AnchorRow {
  /** "" for links without text (images, empty anchors); the providers send "" or null. */
  anchor: string;
  backlinks: number | null;
  refDomains: number | null;
  /** Links with this anchor that carry rel="nofollow". */
  nofollow: number | null;
  rank: number | null;
  firstSeen: string | null;
  lostDate: string | null;
}
/** One page of a site and the links it attracts. */
export interface TopPageRow {
  /** The page's full address (Serpstat's own `url` is its path only). */
  url: string;
  refDomains: number | null;
  refPages: number | null;
  backlinks: number | null;
  /** Referring IP addresses. */
  refIps: number | null;
  rank: number | null;
  firstSeen: string | null;
  lostDate: string | null;
}
/**
 * A domain that links to the competitors and not to my site (Link gap). `linksTo1` counts its
 * links to the panel's target, `linksTo2` / `linksTo3` to the competitors added in the tab.
 */
export interface LinkGapRow {
  domain: string;
  rank: number | null;
  linksTo1: number | null;
  linksTo2: number | null;
  linksTo3: number | null;
}
export interface RowByReport {
  refDomains: RefDomainRow;
  outDomains: OutDomainRow;
  backlinks: LinkRow;
  lostBacklinks: LinkRow;
  anchors: AnchorRow;
  topPages: TopPageRow;
  outlinks: LinkRow;
  linkGap: LinkGapRow;
}
/**
 * How many domains link to every domain of one set of the compared domains (Serpstat's
 * getIntersectSummary): a single domain's total, or what two or three of them share.
 */
export interface LinkGapOverlapRow {
  domains: string[];
  referringDomains: number;
}
export type AnyRow = RowByReport[ReportId] | LinkGapOverlapRow;

/** `anchor`: an anchor text, which can show the backlinks that use it. */
export type ColumnKind = 'domain' | 'url' | 'number' | 'date' | 'text' | 'anchor';
export interface ColumnDef {
  id: string;
  label: string;
  kind: ColumnKind;
  /** The providers whose answers fill this column; other providers' tables leave it out. */
  providers: ProviderId[];
}
export interface ReportDef {
  id: ReportId;
  /** Tab name and the table's accessible name, by which the e2e tests find it. */
  label: string;
  columns: ColumnDef[];
}

const both: ProviderId[] = [...providerIds];
const serpstatOnly: ProviderId[] = ['serpstat'];
const dataforseoOnly: ProviderId[] = ['dataforseo'];

/** The columns every link report has, filled by `providers`. */
const linkColumns = (providers: ProviderId[]): ColumnDef[] => [
  { id: 'urlFrom', label: 'URL from', kind: 'url', providers },
  { id: 'urlTo', label: 'URL to', kind: 'url', providers },
  { id: 'anchor', label: 'Anchor text', kind: 'text', providers },
  { id: 'attribute', label: 'Link attribute', kind: 'text', providers },
  { id: 'linkType', label: 'Link type', kind: 'text', providers },
  { id: 'externalLinks', label: 'External links', kind: 'number', providers },
  { id: 'firstSeen', label: 'First seen', kind: 'date', providers },
  { id: 'lastSeen', label: 'Last seen', kind: 'date', providers },
];

export const reports: Record<ReportId, ReportDef> = {
  refDomains: {
    id: 'refDomains',
    label: 'Referring domains',
    columns: [
      { id: 'domain', label: 'Domain', kind: 'domain', providers: both },
      { id: 'rank', label: 'Rank', kind: 'number', providers: both },
      { id: 'refPages', label: 'Referring pages', kind: 'number', providers: both },
      { id: 'backlinks', label: 'Backlinks', kind: 'number', providers: dataforseoOnly },
      { id: 'firstSeen', label: 'First seen', kind: 'date', providers: dataforseoOnly },
      { id: 'lostDate', label: 'Lost', kind: 'date', providers: dataforseoOnly },
      { id: 'spamScore', label: 'Spam score', kind: 'number', providers: dataforseoOnly },
    ],
  },
  outDomains: {
    id: 'outDomains',
    label: 'Outbound domains',
    columns: [
      { id: 'domain', label: 'Domain', kind: 'domain', providers: serpstatOnly },
      { id: 'rank', label: 'Rank', kind: 'number', providers: serpstatOnly },
      { id: 'links', label: 'Links', kind: 'number', providers: serpstatOnly },
    ],
  },
  backlinks: {
    id: 'backlinks',
    label: 'Backlinks',
    // DataForSEO: attribute from dofollow and rel, linkType its item_type, externalLinks page_from_external_links, domainRank domain_from_rank.
    columns: [...linkColumns(both), { id: 'domainRank', label: 'Domain rank', kind: 'number', providers: both }],
  },
  lostBacklinks: {
    id: 'lostBacklinks',
    label: 'Lost backlinks',
    columns: [
      ...linkColumns(both),
      // Serpstat's date_del; DataForSEO has no loss date (its last_seen is in Last seen).
      { id: 'deletedAt', label: 'Deleted', kind: 'date', providers: serpstatOnly },
      { id: 'domainRank', label: 'Domain rank', kind: 'number', providers: both },
    ],
  },
  anchors: {
    id: 'anchors',
    label: 'Anchors',
    columns: [
      { id: 'anchor', label: 'Anchor text', kind: 'anchor', providers: both },
      { id: 'refDomains', label: 'Referring domains', kind: 'number', providers: both },
      { id: 'backlinks', label: 'Backlinks', kind: 'number', providers: both },
      { id: 'nofollow', label: 'Nofollow backlinks', kind: 'number', providers: both },
      { id: 'rank', label: 'Rank', kind: 'number', providers: dataforseoOnly },
      { id: 'firstSeen', label: 'First seen', kind: 'date', providers: dataforseoOnly },
      { id: 'lostDate', label: 'Lost', kind: 'date', providers: dataforseoOnly },
    ],
  },
  topPages: {
    id: 'topPages',
    label: 'Top pages',
    columns: [
      { id: 'url', label: 'Page', kind: 'url', providers: both },
      { id: 'refDomains', label: 'Referring domains', kind: 'number', providers: both },
      { id: 'refPages', label: 'Referring pages', kind: 'number', providers: both },
      { id: 'backlinks', label: 'Backlinks', kind: 'number', providers: dataforseoOnly },
      { id: 'refIps', label: 'Referring IPs', kind: 'number', providers: both },
      { id: 'rank', label: 'Rank', kind: 'number', providers: dataforseoOnly },
      { id: 'firstSeen', label: 'First seen', kind: 'date', providers: dataforseoOnly },
      { id: 'lostDate', label: 'Lost', kind: 'date', providers: dataforseoOnly },
    ],
  },
  outlinks: {
    id: 'outlinks',
    label: 'Outlinks',
    columns: [...linkColumns(serpstatOnly), { id: 'deletedAt', label: 'Deleted', kind: 'date', providers: serpstatOnly }],
  },
  linkGap: {
    id: 'linkGap',
    label: 'Link gap',
    // The link counts are headed by the competitor's domain in the UI (one column per competitor compared).
    columns: [
      { id: 'domain', label: 'Domain', kind: 'domain', providers: both },
      { id: 'rank', label: 'Rank', kind: 'number', providers: both },
      { id: 'linksTo1', label: 'Links to competitor 1', kind: 'number', providers: both },
      { id: 'linksTo2', label: 'Links to competitor 2', kind: 'number', providers: both },
      { id: 'linksTo3', label: 'Links to competitor 3', kind: 'number', providers: both },
    ],
  },
};

/** The columns a provider's answers fill for a report, in the registry's order. */
export function columnsFor(report: ReportId, provider: ProviderId): ColumnDef[] {
  return reports[report].columns.filter((column) => column.providers.includes(provider));
}

/** Provider-neutral filters; each adapter maps them to its own grammar or rejects them. Built on first parse, like every table schema (lib/shared/protocol.ts). */
export const filterSchema = z.lazy(() => z.discriminatedUnion('kind', [
  z.object({
    kind: z.enum(['contains', 'notContains']),
    field: z.enum(['domain', 'urlFrom', 'urlTo', 'anchor', 'url']),
    value: z.string().min(1).max(500),
  }),
  z.object({ kind: z.enum(['minRank', 'maxRank']), value: z.number().min(0).max(1000) }),
  z.object({
    kind: z.literal('attribute'),
    values: z.array(z.enum(['follow', 'nofollow', 'ugc', 'sponsored'])).min(1),
  }),
  z.object({
    kind: z.literal('flag'),
    value: z.enum(['no_subdomains', 'only_subdomains', 'only_main_page', 'last_week']),
  }),
]));
export type Filter = z.infer<typeof filterSchema>;

export const sortSchema = z.lazy(() => z.object({
  /** A column id of the report's row model, e.g. "rank"; the adapter maps it to its field. */
  field: z.string().min(1).max(64),
  order: z.enum(['asc', 'desc']),
}));
export type Sort = z.infer<typeof sortSchema>;

/**
 * A public host name in ASCII (punycode): dot-separated labels of letters, digits, hyphens (and
 * the underscores browsers accept), ending in a top-level domain of letters or an IDN one.
 */
const HOST_NAME = /^(?=.{1,253}$)(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/i;

/** A host a provider can look up: a public name by the shared rules, checked without the suffix list. */
function isPublicHostName(host: string): boolean {
  return HOST_NAME.test(host) && !isIpAddressHost(host) && !isLocalhost(host) && !isPrivateNetworkHost(host) && !storePage(host, '/');
}

/**
 * Whether a target can go to a provider: a host name, or for "this page" an http(s) address on
 * one, without a login or #fragment. The UI only sends what lib/background/domain.ts accepted; this applies
 * the same rules (lib/shared/host-rules.ts) to any other sender, so its typo (or worse) costs no request
 * and no URL credentials reach a provider. It needs no public suffix list, so the schemas stay small.
 */
export function isLookupTarget(target: string, scope: Scope): boolean {
  if (scope !== 'url') return isPublicHostName(target);
  if (!URL.canParse(target)) return false;
  const url = new URL(target);
  const host = url.hostname.replace(/\.$/, '');
  return (
    (url.protocol === 'http:' || url.protocol === 'https:') &&
    url.href === pageAddress(url) &&
    isPublicHostName(host) &&
    !storePage(host, url.pathname)
  );
}
export const lookupTargetIssue = { message: 'not a domain or web address that can be looked up', path: ['target'] };

/** Link gap: domains that link to any one of the competitors, or to all of them. */
export const linkGapMatches = ['any', 'all'] as const;
export type LinkGapMatch = (typeof linkGapMatches)[number];

/** The competitors the tab may add to the panel's target (the providers compare at most three domains). */
export const MAX_EXTRA_COMPETITORS = 2;

/** A domain of a comparison (and of My sites): held to the same host rules as a target. */
export const comparedHost = z.lazy(() => z.string().min(1).max(253).refine((host) => isPublicHostName(host), 'not a domain that can be looked up'));

/**
 * What a Link gap table compares the target (a competitor) with: my site, whose linking domains
 * are left out, up to two more competitors, and whether a domain must link to any or all of them.
 */
export const comparisonSchema = z.lazy(() => z.object({
  mySite: comparedHost,
  competitors: z.array(comparedHost).max(MAX_EXTRA_COMPETITORS),
  match: z.enum(linkGapMatches),
  /** The counts of each overlap of the compared domains' linking domains, not the domains (one page, LinkGapOverlapRow). */
  overlap: z.literal(true).optional(),
}));
export type Comparison = z.infer<typeof comparisonSchema>;

/** The compared domains, target first, as providers tell them apart (case, a leading www.). */
const sameSite = (host: string) => host.toLowerCase().replace(/^www\./, '');

/** Every compared domain once: my site is not a competitor and no competitor is there twice. */
function isDistinctComparison(target: string, comparison: Comparison): boolean {
  const sites = [target, comparison.mySite, ...comparison.competitors].map(sameSite);
  return new Set(sites).size === sites.length;
}

/** Everything that identifies one table; with a page number, one cacheable request. */
export const tableQuerySchema = z.lazy(() => z
  .object({
    provider: providerIdSchema,
    report: reportIdSchema,
    /** Registrable domain or host (ASCII/punycode), or an absolute URL when scope is "url". */
    target: z.string().min(1).max(2048),
    scope: scopeSchema,
    sort: sortSchema.optional(),
    filters: z.array(filterSchema).max(8),
    pageSize: z.number().int().min(1).max(1000),
    /** Link gap only (and always there): my site and the other competitors; part of the table's identity. */
    comparison: comparisonSchema.optional(),
  })
  .refine((query) => isLookupTarget(query.target, query.scope), lookupTargetIssue)
  .refine((query) => (query.report === 'linkGap') === (query.comparison !== undefined), {
    message: 'a Link gap table needs my site, and only a Link gap table takes one',
    path: ['comparison'],
  })
  .refine((query) => !query.comparison || isDistinctComparison(query.target, query.comparison), {
    message: 'my site and the competitors must be different domains',
    path: ['comparison'],
  }));
export type TableQuery = z.infer<typeof tableQuerySchema>;

/** Sets of the compared domains (my site and the competitors): every one of them alone and each combination. */
export const overlapSetCount = (comparison: Comparison) => 2 ** (comparison.competitors.length + 2) - 1;

/**
 * The one-page table of a Link gap's overlap counts: one row per set, so the page size is what
 * the rows cost; the sort, filters and any/all of the domain table do not apply.
 */
export function overlapQuery(query: TableQuery & { comparison: Comparison }): TableQuery {
  const { sort: _sort, ...rest } = query;
  return { ...rest, filters: [], pageSize: overlapSetCount(query.comparison), comparison: { ...query.comparison, match: 'all', overlap: true } };
}

/** How many failed tries of one request the provider billed, and what they cost together. */
export interface BilledRetries {
  attempts: number;
  credits: number;
  usd: number;
}

/** The billed retries of several pages together; null when none was billed. */
export function sumBilledRetries(pages: { billedRetries?: BilledRetries }[]): BilledRetries | null {
  const billed = pages.flatMap((page) => (page.billedRetries ? [page.billedRetries] : []));
  if (billed.length === 0) return null;
  return billed.reduce((sum, retries) => ({
    attempts: sum.attempts + retries.attempts,
    credits: sum.credits + retries.credits,
    usd: addUsd(sum.usd, retries.usd),
  }));
}

/** One provider answer for one page, before the background adds cache facts. */
export interface ProviderPage<R = AnyRow> {
  rows: R[];
  /** Rows the provider says match the query (all pages). */
  total: number;
  /** Serpstat credits this page cost, billed retries included (0 when served from cache). */
  creditsSpent: number;
  /** DataForSEO USD this page cost, exactly as the answers said, billed retries included (0 when from cache). */
  costUsd: number;
  /** Account balance after the call where the answer tells it (Serpstat left_lines). */
  creditsLeft: number | null;
  /**
   * Where the next page continues when the provider pages past its offset limit by token
   * (DataForSEO backlinks: search_after_token); absent otherwise.
   */
  nextToken?: string;
}

/** One page as the background hands it to the UI. */
export interface TablePage<R = AnyRow> extends ProviderPage<R> {
  /** 1-based. */
  page: number;
  /**
   * Failed tries the provider billed before this answer came (a DataForSEO rate limit or
   * server error with a cost, then asked again): already in creditsSpent / costUsd.
   */
  billedRetries?: BilledRetries;
  fromCache: boolean;
  /** Epoch ms when the provider answered. */
  fetchedAt: number;
}

/**
 * The provider's total reached, a short page (providers cap deep paging, so the total can claim
 * more than they will ever send), or the provider's row cap: fetching further would only spend
 * credits on nothing.
 */
export function isLastPage(page: { page: number; rows: readonly unknown[]; total: number }, pageSize: number, maxRows?: number): boolean {
  return page.rows.length < pageSize || page.page * pageSize >= Math.min(page.total, maxRows ?? Infinity);
}
