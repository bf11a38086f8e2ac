import { z } from 'zod';
import { lensError, type LensError } from '../../shared/errors';
import { fail, ok, type Result } from '../../shared/result';
import {
  reports,
  type AnchorRow,
  type AnyRow,
  type Comparison,
  type Filter,
  type LinkGapOverlapRow,
  type LinkGapRow,
  type LinkRow,
  type OutDomainRow,
  type RefDomainRow,
  type ReportId,
  type TableQuery,
  type TopPageRow,
} from '../../shared/reports';
import { answerIssue, postJson, unreadableAnswer, withoutSecrets } from './http';
import type { AccountStatus } from '../../shared/protocol';
import { capabilityOf } from '../../shared/providers';
import type { ProviderAdapter, RequestContext } from './types';
import type { ProviderPage } from '../../shared/reports';
import type { SummaryFigure, SummaryQuery, SummaryTotals } from '../../shared/summary';

const provider = 'serpstat';

export const serpstatMethods: Record<ReportId, string> = {
  refDomains: 'SerpstatBacklinksProcedure.getRefDomains',
  outDomains: 'SerpstatBacklinksProcedure.getOutDomains',
  backlinks: 'SerpstatBacklinksProcedure.getNewBacklinks',
  anchors: 'SerpstatBacklinksProcedure.getAnchors',
  topPages: 'SerpstatBacklinksProcedure.getTopPages',
  lostBacklinks: 'SerpstatBacklinksProcedure.getLostBacklinks',
  outlinks: 'SerpstatBacklinksProcedure.getOutlinks',
  linkGap: 'SerpstatBacklinksProcedure.getIntersect',
};
const STATS_METHOD = 'SerpstatLimitsProcedure.getStats';
/** The popup's totals, 1 credit (never the old `getSummary`, switched off and 5 credits). */
export const SERPSTAT_SUMMARY_METHOD = 'SerpstatBacklinksProcedure.getSummaryV2';
export const SERPSTAT_OVERLAP_METHOD = 'SerpstatBacklinksProcedure.getIntersectSummary';

/**
 * Row-model column → the method's own sort field (only those each method's docs allow). The link
 * methods sort and filter by names their rows do not carry: `anchor` is the rows' link_text,
 * `link_nofollow` their nofollow, `links_external` their links_ext, `check` their last_visited.
 */
const linkSortFields = {
  urlFrom: 'url_from',
  urlTo: 'url_to',
  anchor: 'anchor',
  attribute: 'link_nofollow',
  externalLinks: 'links_external',
  linkType: 'link_type',
  lastSeen: 'check',
};
export const serpstatSortFields: Record<ReportId, Record<string, string>> = {
  refDomains: { domain: 'domain_from', rank: 'domain_rank', refPages: 'domain_links' },
  outDomains: { domain: 'domain_to', rank: 'domain_rank', links: 'domain_links' },
  backlinks: { ...linkSortFields, firstSeen: 'add', domainRank: 'domain_rank' },
  // The answer says noFollow, the sort and filter field is nofollow.
  anchors: { anchor: 'anchor', refDomains: 'refDomains', backlinks: 'total', nofollow: 'nofollow' },
  // The answer says ref_domains, ref_pages and urlTo; the fields are domains, count and url_to.
  topPages: { url: 'url_to', refDomains: 'domains', refPages: 'count', refIps: 'ips' },
  lostBacklinks: linkSortFields,
  outlinks: linkSortFields,
  // getIntersect's domain #1 is my site (links_count1); the competitors are #2 and #3.
  linkGap: { rank: 'domain_rank', linksTo1: 'links_count2', linksTo2: 'links_count3' },
};

/** Row-model text fields → the method's filter field. */
const textFilterFields: Record<ReportId, Partial<Record<string, string>>> = {
  refDomains: { domain: 'domain_from' },
  outDomains: { domain: 'domain_to' },
  backlinks: { domain: 'url_from', urlFrom: 'url_from', urlTo: 'url_to', anchor: 'anchor' },
  anchors: { anchor: 'anchor' },
  topPages: { url: 'url_to' },
  lostBacklinks: { domain: 'url_from', urlFrom: 'url_from', urlTo: 'url_to', anchor: 'anchor' },
  outlinks: { domain: 'url_to', urlFrom: 'url_from', urlTo: 'url_to', anchor: 'anchor' },
  linkGap: {},
};
const rankFilterField: Partial<Record<ReportId, string>> = {
  refDomains: 'domain_rank',
  outDomains: 'domain_rank',
  backlinks: 'domain_rank',
  linkGap: 'domain_rank',
};
/** The flags the catalogue lists for a report: Serpstat's filter grammar has these and no others. */
function flagsOf(report: ReportId): string[] {
  const offered = capabilityOf(provider, report);
  return offered.supported ? offered.flags : [];
}
/** Whether the catalogue offers the link-attribute filter (`link_nofollow`) for a report. */
function filtersByAttribute(report: ReportId): boolean {
  const offered = capabilityOf(provider, report);
  return offered.supported && offered.filters.includes('attribute');
}

/** “Domain rank” for "domainRank": errors name columns as the table heads them. */
function columnLabel(report: ReportId, id: string): string {
  const label = [reports[report], ...Object.values(reports)]
    .flatMap((def) => def.columns)
    .find((column) => column.id === id)?.label;
  return `“${label ?? id}”`;
}

type Condition = { field: string; compareType: string; value: (string | number)[] } | { additional_filters: string };

function filterConditions(report: ReportId, filters: Filter[]): Result<Condition[]> {
  const conditions: Condition[] = [];
  for (const filter of filters) {
    const reject = (what: string) =>
      fail<Condition[]>(lensError('bad_filter', `Serpstat cannot filter ${reports[report].label} by ${what}.`, { provider }));
    switch (filter.kind) {
      case 'contains':
      case 'notContains': {
        const field = textFilterFields[report][filter.field];
        if (!field) return reject(columnLabel(report, filter.field));
        conditions.push({ field, compareType: filter.kind, value: [filter.value] });
        break;
      }
      case 'minRank':
      case 'maxRank': {
        const field = rankFilterField[report];
        if (!field) return reject('rank');
        conditions.push({ field, compareType: filter.kind === 'minRank' ? 'gte' : 'lte', value: [filter.value] });
        break;
      }
      case 'attribute':
        if (!filtersByAttribute(report)) return reject('link attribute');
        conditions.push({ field: 'link_nofollow', compareType: 'contains', value: [...filter.values] });
        break;
      case 'flag':
        if (!flagsOf(report).includes(filter.value)) return reject(filter.value.replaceAll('_', ' '));
        conditions.push({ additional_filters: filter.value });
        break;
    }
  }
  return ok(conditions);
}

export interface SerpstatCall {
  id: string;
  method: string;
  params: Record<string, unknown>;
}

/** getIntersect compares my site with at most two competitors (links_count1..3). */
const MAX_SERPSTAT_COMPETITORS = 2;

/**
 * Link gap as getIntersect's complexFilter: no link to my site (links_count1 = 0) and at least one
 * to a competitor, in one AND group for "all", one group per competitor for "any" (the groups are
 * ORed); the user's filters join every group. Built from the documented fields, not a documented
 * example (docs/providers.md).
 */
function linkGapGroups(comparison: Comparison, competitors: number, userConditions: Condition[]): Condition[][] {
  const notToMySite: Condition = { field: 'links_count1', compareType: 'eq', value: [0] };
  const linksTo = (position: number): Condition => ({ field: `links_count${position + 2}`, compareType: 'gte', value: [1] });
  const positions = Array.from({ length: competitors }, (_, position) => position);
  if (comparison.match === 'all') return [[notToMySite, ...positions.map(linksTo), ...userConditions]];
  return positions.map((position) => [notToMySite, linksTo(position), ...userConditions]);
}

/** The JSON-RPC body for one page of a report. */
export function buildSerpstatRequest(query: TableQuery, page: number): Result<SerpstatCall> {
  if (query.scope === 'url') {
    return fail(lensError('not_supported', 'Serpstat looks up whole domains or hosts, not single pages.', { provider }));
  }
  const comparison = query.report === 'linkGap' ? query.comparison : undefined;
  if (query.report === 'linkGap' && !comparison) {
    return fail(lensError('bad_request', 'A link gap needs your own site to compare with.', { provider }));
  }
  const competitors = comparison ? [query.target, ...comparison.competitors] : [];
  if (competitors.length > MAX_SERPSTAT_COMPETITORS) {
    return fail(lensError('not_supported', `Serpstat compares your site with at most ${MAX_SERPSTAT_COMPETITORS} competitors.`, { provider }));
  }
  if (comparison?.overlap) {
    // getIntersectSummary takes no paging, sort or filter: all the sets come in one answer.
    return ok({ id: `linkGapOverlap-${page}`, method: SERPSTAT_OVERLAP_METHOD, params: { query: comparison.mySite, intersect: competitors } });
  }
  // getIntersect has no searchType; my site is its query (domain #1), the competitors its intersect.
  const params: Record<string, unknown> = comparison
    ? { query: comparison.mySite, intersect: competitors, page, size: query.pageSize }
    : { query: query.target, searchType: query.scope, page, size: query.pageSize };
  if (query.sort) {
    const field = serpstatSortFields[query.report][query.sort.field];
    if (!field) {
      const column = columnLabel(query.report, query.sort.field);
      return fail(lensError('not_supported', `Serpstat cannot sort ${reports[query.report].label} by ${column}.`, { provider }));
    }
    params.sort = field;
    params.order = query.sort.order;
  }
  const conditions = filterConditions(query.report, query.filters);
  if (!conditions.ok) return conditions;
  if (comparison) params.complexFilter = linkGapGroups(comparison, competitors.length, conditions.data);
  else if (conditions.data.length > 0) params.complexFilter = [conditions.data];
  return ok({ id: `${query.report}-${page}`, method: serpstatMethods[query.report], params });
}

/** The JSON-RPC body for a site's summary; the scope is always sent, since clients disagree on the default. */
export function buildSerpstatSummaryRequest(query: SummaryQuery): Result<SerpstatCall> {
  if (query.scope === 'url') {
    return fail(lensError('not_supported', 'Serpstat looks up whole domains or hosts, not single pages.', { provider }));
  }
  return ok({ id: 'summary', method: SERPSTAT_SUMMARY_METHOD, params: { query: query.target, searchType: query.scope } });
}

// Answers, as documented. zod objects ignore unknown extra fields.
// A negative balance or total is no answer a real account gets: refused as impossible.
const summaryInfoSchema = z.object({
  left_lines: z.number().nonnegative(),
  page: z.number().optional(),
  count: z.number().optional(),
  total: z.number().int().nonnegative(),
});
const refDomainSchema = z
  .object({
    domain_from: z.string(),
    ref_pages: z.number(),
    // The docs' example says domainRank; accept the spelling the other methods use too.
    domainRank: z.number().optional(),
    domain_rank: z.number().optional(),
  })
  .refine((row) => row.domainRank !== undefined || row.domain_rank !== undefined, {
    message: 'missing',
    path: ['domainRank'],
  });
const outDomainSchema = z.object({ domain_to: z.string(), domain_links: z.number(), domain_rank: z.number() });
const linkBase = {
  url_from: z.string(),
  url_to: z.string(),
  nofollow: z.string(),
  link_type: z.string(),
  links_ext: z.number(),
  link_text: z.string(),
  first_seen: z.string(),
  last_visited: z.string(),
};
const backlinkSchema = z.object({ ...linkBase, domain_rank: z.number() });
/**
 * getIntersect rows: `Domain`, `SDR` and one `"Links count for domain #N <domain>"` per compared
 * domain. The label embeds the domain as Serpstat wrote it, so only its #N is read: 1 is my site,
 * 2 and 3 the competitors in the order sent.
 */
const LINKS_COUNT_LABEL = /^Links count for domain #([1-3])(?:\s|$)/;
const intersectRowSchema = z
  .object({ Domain: z.string(), SDR: z.number() })
  .catchall(z.unknown())
  .transform((row, context): LinkGapRow => {
    const counts: [number | null, number | null, number | null] = [null, null, null];
    for (const [key, value] of Object.entries(row)) {
      const position = LINKS_COUNT_LABEL.exec(key)?.[1];
      if (!position) continue;
      if (typeof value !== 'number' || value < 0) {
        context.addIssue({ code: 'custom', message: 'not a count', path: [key] });
        return z.NEVER;
      }
      counts[Number(position) - 1] = value;
    }
    if (counts[1] === null) {
      context.addIssue({ code: 'custom', message: 'missing', path: ['Links count for domain #2'] });
      return z.NEVER;
    }
    return { domain: row.Domain, rank: row.SDR, linksTo1: counts[1], linksTo2: counts[2], linksTo3: null };
  });
// date_del: when the loss was recorded (the crawl that found the link gone).
const lostBacklinkSchema = z.object({ ...linkBase, date_del: z.string(), domain_rank: z.number() });
const outlinkSchema = z.object({ ...linkBase, date_del: z.string().nullable() });
const anchorSchema = z.object({ anchor: z.string().nullable(), refDomains: z.number(), total: z.number(), noFollow: z.number() });
// `url` is the page's path only ("" and "/" both stand for the home page): the row keeps urlTo.
const topPageSchema = z.object({ urlTo: z.string(), ref_pages: z.number(), ref_domains: z.number(), ips: z.number() });

/** getIntersectSummary rows: `domains` is one domain or several joined by ", " (a display string). */
const overlapRowSchema = z
  .object({ referring_domains_count: z.number().int().nonnegative(), domains: z.string().min(1) })
  .transform((row): LinkGapOverlapRow => ({ domains: row.domains.split(',').map((domain) => domain.trim()), referringDomains: row.referring_domains_count }));
/** The overlap answer's summary_info says total 0 (not meaningful): its rows are the whole table. */
const overlapEnvelopeSchema = z.object({ data: z.array(overlapRowSchema), summary_info: summaryInfoSchema.pick({ left_lines: true }) });

/** Validates a documented getIntersectSummary `result`: every set in one page. Exported for the docs' example. */
export function parseSerpstatOverlap(result: unknown): Result<ProviderPage> {
  const sent = (result as { data?: unknown } | null)?.data;
  const billed = Array.isArray(sent) ? { charged: { credits: creditsFor(sent.length), usd: 0 } } : {};
  const parsed = overlapEnvelopeSchema.safeParse(result);
  if (!parsed.success) return fail({ ...answerIssue(provider, 'result', parsed.error.issues[0]), ...billed });
  const rows = parsed.data.data;
  return ok({ rows, total: rows.length, creditsSpent: creditsFor(rows.length), costUsd: 0, creditsLeft: parsed.data.summary_info.left_lines });
}

const normalisers: Record<ReportId, (raw: unknown) => z.ZodSafeParseResult<AnyRow>> = {
  refDomains: (raw) =>
    refDomainSchema
      .transform(
        (row): RefDomainRow => ({
          domain: row.domain_from,
          rank: row.domainRank ?? row.domain_rank ?? null,
          refPages: row.ref_pages,
          backlinks: null,
          firstSeen: null,
          lostDate: null,
          spamScore: null,
        }),
      )
      .safeParse(raw),
  outDomains: (raw) =>
    outDomainSchema
      .transform((row): OutDomainRow => ({ domain: row.domain_to, rank: row.domain_rank, links: row.domain_links }))
      .safeParse(raw),
  backlinks: (raw) => backlinkSchema.transform((row) => linkRow(row, row.domain_rank, null)).safeParse(raw),
  anchors: (raw) =>
    anchorSchema
      .transform(
        (row): AnchorRow => ({
          anchor: row.anchor ?? '',
          refDomains: row.refDomains,
          backlinks: row.total,
          nofollow: row.noFollow,
          rank: null,
          firstSeen: null,
          lostDate: null,
        }),
      )
      .safeParse(raw),
  topPages: (raw) =>
    topPageSchema
      .transform(
        (row): TopPageRow => ({
          url: row.urlTo,
          refDomains: row.ref_domains,
          refPages: row.ref_pages,
          backlinks: null,
          refIps: row.ips,
          rank: null,
          firstSeen: null,
          lostDate: null,
        }),
      )
      .safeParse(raw),
  lostBacklinks: (raw) => lostBacklinkSchema.transform((row) => linkRow(row, row.domain_rank, row.date_del)).safeParse(raw),
  outlinks: (raw) => outlinkSchema.transform((row) => linkRow(row, null, row.date_del)).safeParse(raw),
  linkGap: (raw) => intersectRowSchema.safeParse(raw),
};

function linkRow(
  row: z.infer<z.ZodObject<typeof linkBase>>,
  domainRank: number | null,
  deletedAt: string | null,
): LinkRow {
  return {
    urlFrom: row.url_from,
    urlTo: row.url_to,
    anchor: row.link_text,
    attribute: row.nofollow,
    linkType: row.link_type,
    externalLinks: row.links_ext,
    firstSeen: row.first_seen,
    lastSeen: row.last_visited,
    deletedAt,
    domainRank,
  };
}

const errorSchema = z.object({ error: z.object({ code: z.number(), message: z.string() }) });

/** A JSON-RPC error object → LensError; "no data" is not an error but an empty page. */
export function mapSerpstatError(code: number, message: string): LensError | 'no_data' {
  const extra = { provider, providerCode: code, providerMessage: message } as const;
  const text = message.toLowerCase();
  if (code === 32015 || code === 32017 || /no data|data not found/.test(text)) return 'no_data';
  if (code === 32012) return lensError('no_credits', 'Serpstat API credits are used up.', extra);
  if (code === 32016) return lensError('large_domain', 'Serpstat does not serve this report for very large domains.', extra);
  if (code === 32116) return lensError('not_supported', 'Serpstat does not support this method.', extra);
  if (code === 32117) return lensError('bad_filter', `Serpstat rejected a filter: ${message}`, extra);
  if (code === 429 || /frequency|too many/.test(text)) {
    return lensError('rate_limited', 'Serpstat limits how often requests can be made.', { ...extra, retryable: true });
  }
  if (code >= 500 && code < 600) return lensError('server_error', 'Serpstat had an internal error.', { ...extra, retryable: true });
  if (code === 402 || /credit/.test(text)) return lensError('no_credits', 'Serpstat API credits are used up.', extra);
  if (/block/.test(text)) return lensError('account_blocked', 'Serpstat blocked this account.', extra);
  if (/plan|not available|not allowed/.test(text)) return lensError('not_in_plan', 'This Serpstat method is not in your plan.', extra);
  if (code === 403 || /token/.test(text)) return lensError('bad_key', 'Serpstat rejected the API token.', extra);
  return lensError('bad_request', `Serpstat rejected the request: ${message}`, extra);
}

/** Sends one JSON-RPC call and returns its `result`, or the error it stands for. */
export async function call(method: string, params: Record<string, unknown>, id: string, ctx: RequestContext): Promise<Result<unknown> | 'no_data'> {
  if (ctx.credentials.provider !== 'serpstat') {
    return fail(lensError('internal', 'Serpstat was called with credentials of another provider.', { provider }));
  }
  const answer = await postJson({
    provider,
    url: `${ctx.baseUrl}?token=${encodeURIComponent(ctx.credentials.token)}`,
    body: { id, method, params },
    ctx,
  });
  if (!answer.ok) return answer;
  const { status, json } = answer.data;
  const error = errorSchema.safeParse(json);
  if (error.success) {
    const mapped = mapSerpstatError(error.data.error.code, error.data.error.message);
    return mapped === 'no_data' ? mapped : fail(mapped);
  }
  if (status >= 500) return fail(lensError('server_error', `Serpstat answered HTTP ${status}.`, { provider, retryable: true }));
  if (status !== 200) return fail(lensError('bad_request', `Serpstat answered HTTP ${status}.`, { provider }));
  if (!json || typeof json !== 'object' || !('result' in json)) {
    return fail(lensError('malformed', 'Serpstat sent an unreadable answer: it has neither a result nor an error.', { provider }));
  }
  return ok((json as { result: unknown }).result);
}

/** The token, to scrub from any text an error carries. */
export const secretsOf = (ctx: RequestContext): string[] => (ctx.credentials.provider === 'serpstat' ? [ctx.credentials.token] : []);

/** 1 credit per row sent, and 1 for an empty answer. */
const creditsFor = (rowsSent: number) => Math.max(1, rowsSent);

/** Validates and normalises a documented `result` into one page. Exported for the docs' examples. */
export function parseSerpstatPage(report: ReportId, result: unknown): Result<ProviderPage> {
  // Serpstat bills the rows it sent even when one of them is unreadable: the ledger must count them.
  const sent = (result as { data?: unknown } | null)?.data;
  const billed = Array.isArray(sent) ? { charged: { credits: creditsFor(sent.length), usd: 0 } } : {};
  const unreadable = (error: LensError) => fail<ProviderPage>({ ...error, ...billed });
  const envelope = z.object({ data: z.array(z.unknown()), summary_info: summaryInfoSchema }).safeParse(result);
  if (!envelope.success) return unreadable(answerIssue(provider, 'result', envelope.error.issues[0]));
  const rows: AnyRow[] = [];
  for (const [index, raw] of envelope.data.data.entries()) {
    const row = normalisers[report](raw);
    if (!row.success) return unreadable(answerIssue(provider, `result.data.${index}`, row.error.issues[0]));
    rows.push(row.data);
  }
  return ok({
    rows,
    total: envelope.data.summary_info.total,
    creditsSpent: creditsFor(rows.length),
    costUsd: 0,
    creditsLeft: envelope.data.summary_info.left_lines,
  });
}

const count = z.number().int().nonnegative().optional();
const change = z.number().int().optional();
/**
 * getSummaryV2's `result.data`: one object. Each counter has a 7-day delta beside it (`*_change`,
 * which may be negative); the rank is only under the misspelled `sersptat_domain_rank`.
 */
const summaryDataSchema = z.object({
  sersptat_domain_rank: z.number().nonnegative().optional(),
  referring_domains: count,
  referring_domains_change: change,
  backlinks: count,
  backlinks_change: change,
  dofollow_backlinks: count,
  dofollow_backlinks_change: change,
  external_domains: count,
  external_domains_change: change,
});
const figure = (value: number | undefined, weekChange?: number): SummaryFigure | null =>
  value === undefined ? null : { value, weekChange: weekChange ?? null };

/** Validates and normalises a getSummaryV2 `result` into its totals as a one-row page. Exported for the docs' example. */
export function parseSerpstatSummary(result: unknown): Result<ProviderPage<SummaryTotals>> {
  // One credit whatever the answer holds: the ledger counts an unreadable one too.
  const unreadable = (error: LensError) => fail<ProviderPage<SummaryTotals>>({ ...error, charged: { credits: 1, usd: 0 } });
  const envelope = z.object({ data: z.unknown(), summary_info: z.object({ left_lines: z.number().nonnegative() }) }).safeParse(result);
  if (!envelope.success) return unreadable(answerIssue(provider, 'result', envelope.error.issues[0]));
  const creditsLeft = envelope.data.summary_info.left_lines;
  // The docs call `data` an array of objects, but every client reads one object: an empty array is no data.
  if (Array.isArray(envelope.data.data) && envelope.data.data.length === 0) {
    return ok({ rows: [], total: 0, creditsSpent: 1, costUsd: 0, creditsLeft });
  }
  const data = summaryDataSchema.safeParse(envelope.data.data);
  if (!data.success) return unreadable(answerIssue(provider, 'result.data', data.error.issues[0]));
  const totals: SummaryTotals = {
    referringDomains: figure(data.data.referring_domains, data.data.referring_domains_change),
    backlinks: figure(data.data.backlinks, data.data.backlinks_change),
    dofollowBacklinks: figure(data.data.dofollow_backlinks, data.data.dofollow_backlinks_change),
    outboundDomains: figure(data.data.external_domains, data.data.external_domains_change),
    rank: figure(data.data.sersptat_domain_rank),
  };
  return ok({ rows: [totals], total: 1, creditsSpent: 1, costUsd: 0, creditsLeft });
}

async function fetchSummary(query: SummaryQuery, ctx: RequestContext): Promise<Result<ProviderPage<SummaryTotals>>> {
  const request = buildSerpstatSummaryRequest(query);
  if (!request.ok) return request;
  const result = await call(request.data.method, request.data.params, request.data.id, ctx);
  // "No data" is charged 1 credit and is an answer worth caching, not an error.
  if (result === 'no_data') return ok({ rows: [], total: 0, creditsSpent: 1, costUsd: 0, creditsLeft: null });
  if (!result.ok) return result;
  return parseSerpstatSummary(result.data);
}

const statsSchema = z.object({ max_lines: z.number().nonnegative(), used_lines: z.number().optional(), left_lines: z.number().nonnegative() });

async function fetchPage(query: TableQuery, page: number, ctx: RequestContext): Promise<Result<ProviderPage>> {
  const request = buildSerpstatRequest(query, page);
  if (!request.ok) return request;
  const result = await call(request.data.method, request.data.params, request.data.id, ctx);
  // "No data" is charged 1 credit and is an answer worth caching, not an error.
  if (result === 'no_data') return ok({ rows: [], total: 0, creditsSpent: 1, costUsd: 0, creditsLeft: null });
  if (!result.ok) return result;
  if (request.data.method === SERPSTAT_OVERLAP_METHOD) return parseSerpstatOverlap(result.data);
  return parseSerpstatPage(query.report, result.data);
}

async function testConnection(ctx: RequestContext): Promise<Result<AccountStatus>> {
  const result = await call(STATS_METHOD, {}, 'stats', ctx);
  if (result === 'no_data') return fail(unreadableAnswer(provider, 'result'));
  if (!result.ok) return result;
  const stats = statsSchema.safeParse(result.data);
  if (!stats.success) return fail(answerIssue(provider, 'result', stats.error.issues[0]));
  return ok({ provider, creditsLeft: stats.data.left_lines, creditsTotal: stats.data.max_lines, balanceUsd: null });
}

export const serpstat: ProviderAdapter = {
  id: provider,
  fetchPage: async (query, page, ctx) => withoutSecrets(await fetchPage(query, page, ctx), secretsOf(ctx)),
  fetchSummary: async (query, ctx) => withoutSecrets(await fetchSummary(query, ctx), secretsOf(ctx)),
  testConnection: async (ctx) => withoutSecrets(await testConnection(ctx), secretsOf(ctx)),
};
