import { z } from 'zod';
import { lensError, type ErrorCode, type LensError } from '../../shared/errors';
import { fail, ok, type Result } from '../../shared/result';
import type { AnchorRow, AnyRow, Filter, LinkGapRow, LinkRow, RefDomainRow, ReportId, TableQuery, TopPageRow, ProviderPage } from '../../shared/reports';
import { answerIssue, getJson, impossibleAnswer, issuePath, postJson, unreadableAnswer, withoutSecrets, type JsonAnswer } from './http';
import type { AccountStatus } from '../../shared/protocol';
import { capabilityOf, firstTokenPage } from '../../shared/providers';
import { utcDateTime } from './dates';
import type { ProviderAdapter, RequestContext } from './types';
import type { SummaryQuery, SummaryTotals } from '../../shared/summary';

const provider = 'dataforseo';
const SUMMARY_PATH = '/v3/backlinks/summary/live';
const USER_DATA_PATH = '/v3/appendix/user_data';
const SUCCESS = 20000;
/** DataForSEO takes at most 8 filter conditions (docs/providers.md). */
const MAX_FILTERS = 8;

type TextField = Extract<Filter, { field: unknown }>['field'];

/** How one report is asked for and read: its endpoint, its field names, its item schema. */
interface DataForSeoReport {
  path: string;
  /** Row-model column → order_by field (nested fields with a dot: page_summary.rank). */
  sortFields: Record<string, string>;
  /** Row-model text field → the item field a contains filter matches, and the like operator: `ilike` ignores case. */
  textFields: Partial<Record<TextField, { field: string; like: 'like' | 'ilike' }>>;
  rankField: string;
  /** What "referring domains" and the like read in a sentence. */
  name: string;
  /** Conditions every request of the report carries, before the user's filters. */
  fixedFilters?: Condition[];
  /** Task fields every request of the report carries (backlinks/live: which links). */
  task?: Record<string, unknown>;
  item: z.ZodType<AnyRow>;
}

const referringDomainSchema = z.object({
  domain: z.string(),
  rank: z.number(),
  backlinks: z.number(),
  first_seen: z.string().nullable(),
  lost_date: z.string().nullable(),
  backlinks_spam_score: z.number().nullable(),
  referring_pages: z.number(),
});
const anchorSchema = z.object({
  // null or "" for image links and empty anchors.
  anchor: z.string().nullable(),
  rank: z.number(),
  backlinks: z.number(),
  referring_domains: z.number(),
  first_seen: z.string().nullable(),
  lost_date: z.string().nullable(),
  // Links per rel attribute. The docs do not say what null means: read as not known, as the summary reads it.
  referring_links_attributes: z.record(z.string(), z.number()).nullable(),
});
// The documented example leaves out some page_summary fields: absent, the row says "not known".
const domainPageSchema = z.object({
  page: z.string(),
  page_summary: z.object({
    rank: z.number(),
    backlinks: z.number(),
    referring_domains: z.number(),
    referring_pages: z.number().nullish(),
    referring_ips: z.number().nullish(),
    first_seen: z.string().nullish(),
    lost_date: z.string().nullish(),
  }),
});

/** One target's stats in a domain_intersection item; `target` there is the linking domain. */
const intersectionStatsSchema = z.object({ target: z.string(), rank: z.number().nullable(), backlinks: z.number().nonnegative() });
const domainIntersectionItemSchema = z.object({
  // Keyed like the request's targets; every domain links to all of them ("all"), so "1" is always there.
  domain_intersection: z.object({ '1': intersectionStatsSchema }).catchall(intersectionStatsSchema),
});

const backlinkItemSchema = z.object({
  url_from: z.string(),
  url_to: z.string(),
  anchor: z.string().nullable(),
  dofollow: z.boolean(),
  attributes: z.array(z.string()).nullable().optional(),
  item_type: z.string().nullable().optional(),
  page_from_external_links: z.number().nullable().optional(),
  first_seen: z.string().nullable(),
  last_seen: z.string().nullable(),
  domain_from_rank: z.number().nullable().optional(),
});

/** Serpstat's one word for a link (follow, nofollow, ugc, sponsored) from `dofollow` and the rel values. */
function linkAttribute(dofollow: boolean, rel: readonly string[]): string {
  if (rel.includes('sponsored')) return 'sponsored';
  if (rel.includes('ugc')) return 'ugc';
  return dofollow ? 'follow' : 'nofollow';
}

const linkItem = backlinkItemSchema.transform(
  (item): LinkRow => ({
    urlFrom: item.url_from,
    urlTo: item.url_to,
    anchor: item.anchor ?? '',
    attribute: linkAttribute(item.dofollow, item.attributes ?? []),
    linkType: item.item_type ?? null,
    externalLinks: item.page_from_external_links ?? null,
    firstSeen: utcDateTime(item.first_seen),
    lastSeen: utcDateTime(item.last_seen),
    // No loss date: a lost link's last_seen is when it was last found, in Last seen.
    deletedAt: null,
    domainRank: item.domain_from_rank ?? null,
  }),
);

/** Both link reports: one endpoint, the same fields; backlinks_status_type picks live or lost links. */
const linkReport = (status: 'live' | 'lost', name: string): DataForSeoReport => ({
  path: '/v3/backlinks/backlinks/live',
  task: { mode: 'as_is', backlinks_status_type: status },
  sortFields: {
    urlFrom: 'url_from',
    urlTo: 'url_to',
    anchor: 'anchor',
    linkType: 'item_type',
    externalLinks: 'page_from_external_links',
    firstSeen: 'first_seen',
    lastSeen: 'last_seen',
    domainRank: 'domain_from_rank',
  },
  // Domains are stored lowercase; URLs and anchors keep their case, so they are matched with ilike.
  textFields: {
    domain: { field: 'domain_from', like: 'like' },
    urlFrom: { field: 'url_from', like: 'ilike' },
    urlTo: { field: 'url_to', like: 'ilike' },
    anchor: { field: 'anchor', like: 'ilike' },
  },
  rankField: 'domain_from_rank',
  name,
  item: linkItem,
});

const dataforseoReports: Partial<Record<ReportId, DataForSeoReport>> = {
  backlinks: linkReport('live', 'backlinks'),
  lostBacklinks: linkReport('lost', 'lost backlinks'),
  refDomains: {
    path: '/v3/backlinks/referring_domains/live',
    sortFields: {
      domain: 'domain',
      rank: 'rank',
      backlinks: 'backlinks',
      refPages: 'referring_pages',
      firstSeen: 'first_seen',
      lostDate: 'lost_date',
      spamScore: 'backlinks_spam_score',
    },
    // Domains are stored lowercase, so a lowercase pattern with like matches whatever case was typed.
    textFields: { domain: { field: 'domain', like: 'like' } },
    rankField: 'rank',
    name: 'referring domains',
    item: referringDomainSchema.transform(
      (item): RefDomainRow => ({
        domain: item.domain,
        rank: item.rank,
        refPages: item.referring_pages,
        backlinks: item.backlinks,
        firstSeen: item.first_seen,
        lostDate: item.lost_date,
        spamScore: item.backlinks_spam_score,
      }),
    ),
  },
  anchors: {
    path: '/v3/backlinks/anchors/live',
    // Nofollow links are a key of the referring_links_attributes map: not offered as a sort until
    // DataForSEO documents sorting by a map key (docs/providers.md).
    sortFields: {
      anchor: 'anchor',
      refDomains: 'referring_domains',
      backlinks: 'backlinks',
      rank: 'rank',
      firstSeen: 'first_seen',
      lostDate: 'lost_date',
    },
    textFields: { anchor: { field: 'anchor', like: 'ilike' } },
    rankField: 'rank',
    name: 'anchors',
    item: anchorSchema.transform(
      (item): AnchorRow => ({
        anchor: item.anchor ?? '',
        refDomains: item.referring_domains,
        backlinks: item.backlinks,
        nofollow: item.referring_links_attributes ? (item.referring_links_attributes.nofollow ?? 0) : null,
        rank: item.rank,
        firstSeen: item.first_seen,
        lostDate: item.lost_date,
      }),
    ),
  },
  topPages: {
    path: '/v3/backlinks/domain_pages/live',
    sortFields: {
      url: 'page',
      refDomains: 'page_summary.referring_domains',
      refPages: 'page_summary.referring_pages',
      backlinks: 'page_summary.backlinks',
      refIps: 'page_summary.referring_ips',
      rank: 'page_summary.rank',
      firstSeen: 'page_summary.first_seen',
      lostDate: 'page_summary.lost_date',
    },
    textFields: { url: { field: 'page', like: 'ilike' } },
    rankField: 'page_summary.rank',
    name: 'top pages',
    // domain_pages lists every crawled page of the site; top pages are those with links.
    fixedFilters: [['page_summary.backlinks', '>', 0]],
    item: domainPageSchema.transform(
      ({ page, page_summary: summary }): TopPageRow => ({
        url: page,
        refDomains: summary.referring_domains,
        refPages: summary.referring_pages ?? null,
        backlinks: summary.backlinks,
        refIps: summary.referring_ips ?? null,
        rank: summary.rank,
        firstSeen: summary.first_seen ?? null,
        lostDate: summary.lost_date ?? null,
      }),
    ),
  },
  // Every field is per target ("1." is the panel's competitor): the rank shown is the one towards it.
  linkGap: {
    path: '/v3/backlinks/domain_intersection/live',
    sortFields: { rank: '1.rank', linksTo1: '1.backlinks', linksTo2: '2.backlinks', linksTo3: '3.backlinks' },
    textFields: { domain: { field: '1.target', like: 'like' } },
    rankField: '1.rank',
    name: 'link gap domains',
    item: domainIntersectionItemSchema.transform(
      ({ domain_intersection: stats }): LinkGapRow => ({
        domain: stats['1'].target,
        rank: stats['1'].rank,
        linksTo1: stats['1'].backlinks,
        linksTo2: stats['2']?.backlinks ?? null,
        linksTo3: stats['3']?.backlinks ?? null,
      }),
    ),
  },
};

/** Per report: row-model column → DataForSEO order_by field. */
export const dataforseoSortFields = (report: ReportId): Record<string, string> => dataforseoReports[report]?.sortFields ?? {};

/** Why a report DataForSEO lacks is refused (the catalogue says which it lacks). */
const notOffered: Partial<Record<ReportId, string>> = {
  outDomains: 'DataForSEO does not offer outbound domains. Switch to Serpstat for this report.',
  outlinks: 'DataForSEO does not offer outlinks. Switch to Serpstat for this report.',
};

type Condition = [string, string, string | number | boolean];

/** The condition a filter is; null when it asks for every row (follow and nofollow together). */
function filterCondition(report: DataForSeoReport, filter: Filter, attributes: readonly string[] | undefined): Result<Condition | null> {
  switch (filter.kind) {
    case 'contains':
    case 'notContains': {
      const text = report.textFields[filter.field];
      if (!text) break;
      // % matches any run of characters.
      const value = text.like === 'like' ? filter.value.toLowerCase() : filter.value;
      return ok([text.field, filter.kind === 'contains' ? text.like : `not_${text.like}`, `%${value}%`]);
    }
    case 'minRank':
      return ok([report.rankField, '>=', filter.value]);
    case 'maxRank':
      return ok([report.rankField, '<=', filter.value]);
    case 'attribute': {
      // A link is dofollow or not; the rows' attribute column also names ugc and sponsored from rel.
      if (!attributes || !filter.values.every((value) => attributes.includes(value))) break;
      const follow = filter.values.includes('follow');
      return ok(follow && filter.values.includes('nofollow') ? null : ['dofollow', '=', follow]);
    }
  }
  const what =
    filter.kind === 'flag'
      ? filter.value.replaceAll('_', ' ')
      : filter.kind === 'attribute'
        ? filter.values.filter((value) => !attributes?.includes(value)).join(', ') || 'link attribute'
        : filter.field;
  return fail(lensError('bad_filter', `DataForSEO cannot filter ${report.name} by ${what}.`, { provider }));
}

/** The target as DataForSEO reads it: a domain without scheme and without www. (docs/providers.md), or a page's address. */
function targetFields(target: string, scope: SummaryQuery['scope']): Result<Record<string, unknown>> {
  if (scope === 'url' && !/^https?:\/\//i.test(target)) {
    return fail(lensError('bad_target', 'A “this page” lookup needs the page’s full address (https://…).', { provider }));
  }
  if (scope === 'url') return ok({ target });
  return ok({ target: withoutWww(target), include_subdomains: scope === 'domain_with_subdomains' });
}

/** DataForSEO wants a domain without www. (docs/providers.md). */
const withoutWww = (domain: string) => domain.replace(/^www\./i, '');

/**
 * A link gap's targets: the competitors as an object keyed "1", "2", … (not an array) and my site
 * in exclude_targets, so its linking domains are left out. "Any" is not documented: refused.
 */
function comparisonFields(query: TableQuery): Result<Record<string, unknown>> {
  const comparison = query.comparison;
  if (!comparison) return fail(lensError('bad_request', 'A link gap needs your own site to compare with.', { provider }));
  if (comparison.match === 'any') {
    return fail(lensError('not_supported', 'DataForSEO lists only the domains that link to all the competitors.', { provider }));
  }
  const competitors = [query.target, ...comparison.competitors];
  return ok({
    targets: Object.fromEntries(competitors.map((domain, index) => [String(index + 1), withoutWww(domain)])),
    exclude_targets: [withoutWww(comparison.mySite)],
    include_subdomains: query.scope === 'domain_with_subdomains',
  });
}

/** The task array for a site's summary, its rank on the 0–100 scale Serpstat uses (the default is 0–1000). */
export function buildDataForSeoSummaryRequest(query: SummaryQuery): Result<Record<string, unknown>[]> {
  const target = targetFields(query.target, query.scope);
  if (!target.ok) return target;
  return ok([{ ...target.data, rank_scale: 'one_hundred' }]);
}

/**
 * The task array for one page of a report. Past the report's offset limit, a page continues from
 * the one before: `after` is the search_after_token that page's answer carried, sent with the
 * same task and without an offset.
 */
export function buildDataForSeoRequest(query: TableQuery, page: number, after?: string): Result<Record<string, unknown>[]> {
  const report = dataforseoReports[query.report];
  const capability = capabilityOf(provider, query.report);
  if (!report || !capability.supported) {
    return fail(lensError('not_supported', notOffered[query.report] ?? 'DataForSEO does not offer this report.', { provider }));
  }
  if (!capability.scopes.includes(query.scope)) {
    return fail(lensError('not_supported', `DataForSEO looks up ${report.name} of a whole domain or host, not of one page.`, { provider }));
  }
  const target = query.report === 'linkGap' ? comparisonFields(query) : targetFields(query.target, query.scope);
  if (!target.ok) return target;
  const task: Record<string, unknown> = {
    ...target.data,
    ...report.task,
    limit: query.pageSize,
    rank_scale: 'one_hundred',
  };
  const tokenFrom = firstTokenPage(capability, query.pageSize);
  if (tokenFrom !== null && page >= tokenFrom) {
    if (!after) {
      return fail(lensError('internal', `DataForSEO continues past ${capability.offsetLimit} rows only from the page before.`, { provider }));
    }
    task.search_after_token = after;
  } else {
    task.offset = (page - 1) * query.pageSize;
  }
  if (query.sort) {
    const field = report.sortFields[query.sort.field];
    // A link gap's "3.backlinks" with two competitors names a target that is not there.
    const compared = query.comparison ? Number(field?.split('.')[0]) <= query.comparison.competitors.length + 1 : true;
    if (!field || !compared) return fail(lensError('not_supported', `DataForSEO cannot sort ${report.name} by “${query.sort.field}”.`, { provider }));
    task.order_by = [`${field},${query.sort.order}`];
  }
  const conditions: Condition[] = [...(report.fixedFilters ?? [])];
  const room = MAX_FILTERS - conditions.length;
  if (query.filters.length > room) {
    return fail(lensError('bad_filter', `DataForSEO takes at most ${room} filters here; remove ${query.filters.length - room}.`, { provider }));
  }
  for (const filter of query.filters) {
    const condition = filterCondition(report, filter, capability.attributes);
    if (!condition.ok) return condition;
    if (condition.data) conditions.push(condition.data);
  }
  if (conditions.length === 1) task.filters = conditions[0];
  if (conditions.length > 1) task.filters = conditions.flatMap((c, i) => (i === 0 ? [c] : ['and', c]));
  return ok([task]);
}

const statusCodes: Record<number, { code: ErrorCode; retryable?: boolean; text: string }> = {
  40100: { code: 'bad_key', text: 'DataForSEO rejected the login or API password.' },
  40104: { code: 'account_blocked', text: 'The DataForSEO account is not verified yet.' },
  40200: { code: 'no_credits', text: 'DataForSEO asks for payment.' },
  40201: { code: 'account_blocked', text: 'The DataForSEO account is paused.' },
  40202: { code: 'rate_limited', retryable: true, text: 'DataForSEO’s per-minute request limit was reached.' },
  40203: { code: 'account_blocked', text: 'The cost limit set in the DataForSEO dashboard was reached.' },
  40204: { code: 'not_in_plan', text: 'The DataForSEO account has no Backlinks API subscription.' },
  40209: { code: 'rate_limited', retryable: true, text: 'More than 30 DataForSEO requests were in flight.' },
  40210: { code: 'no_credits', text: 'The DataForSEO balance is too low.' },
  40501: { code: 'bad_filter', text: 'DataForSEO rejected a field.' },
  40502: { code: 'bad_request', text: 'DataForSEO received an empty request.' },
  40503: { code: 'bad_request', text: 'DataForSEO could not read the request.' },
  40506: { code: 'bad_filter', text: 'DataForSEO does not know a field in the request.' },
  50000: { code: 'server_error', retryable: true, text: 'DataForSEO had an internal error.' },
  50301: { code: 'server_error', retryable: true, text: 'DataForSEO is temporarily unavailable.' },
  50303: { code: 'server_error', retryable: true, text: 'DataForSEO is temporarily unavailable.' },
  50401: { code: 'timeout', retryable: true, text: 'DataForSEO’s live task timed out.' },
};

/** A DataForSEO status_code other than 20000 → LensError. */
export function mapDataForSeoStatus(statusCode: number, statusMessage: string, costUsd = 0): LensError {
  const known = statusCodes[statusCode];
  const fallback = statusCode >= 50000
    ? { code: 'server_error' as const, retryable: true, text: 'DataForSEO had a problem on its side.' }
    : { code: 'bad_request' as const, retryable: false, text: 'DataForSEO refused the request.' };
  const { code, retryable = false, text } = known ?? fallback;
  return lensError(code, text, {
    provider,
    retryable,
    providerCode: statusCode,
    providerMessage: statusMessage,
    ...(costUsd > 0 ? { charged: { credits: 0, usd: costUsd } } : {}),
  });
}

const statusSchema = z.object({ status_code: z.number(), status_message: z.string().default(''), cost: z.number().default(0) });
const envelopeSchema = z.object({
  status_code: z.number(),
  status_message: z.string(),
  cost: z.number().nonnegative(),
  tasks: z
    .array(
      z.object({
        status_code: z.number(),
        // The backlinks/live example of the docs leaves it out of a successful task.
        status_message: z.string().default(''),
        cost: z.number().nonnegative(),
        result: z.array(z.unknown()).nullable(),
      }),
    )
    .nullable(),
});
const listResultSchema = z.object({
  total_count: z.number().int().nonnegative(),
  // An empty answer may say null rather than [].
  items: z.array(z.unknown()).nullable(),
  // backlinks/live: where the next answer continues past the offset limit.
  search_after_token: z.string().nullable().optional(),
});

/** An answer without a readable status_code: the HTTP status is all there is to go on. */
function httpStatusError(status: number, path: string): LensError {
  if (status === 401) return lensError('bad_key', 'DataForSEO rejected the login or API password.', { provider });
  if (status >= 500) return lensError('server_error', `DataForSEO answered HTTP ${status}.`, { provider, retryable: true });
  return unreadableAnswer(provider, path);
}

/**
 * The one task's `result` array of a successful answer, or the error its status codes stand for.
 * A null `result` is an error unless `nullIsNoData` (the summary's answer for a target it knows nothing of).
 */
export function taskResult(json: unknown, httpStatus = 200, nullIsNoData = false): Result<{ result: unknown[]; costUsd: number }> {
  const status = statusSchema.safeParse(json);
  if (!status.success) return fail(httpStatusError(httpStatus, issuePath('', status.error.issues[0]?.path ?? []) || 'status_code'));
  // A negative cost would be booked as a refund against the daily cap.
  if (status.data.cost < 0) return fail(impossibleAnswer(provider, `a negative cost (${status.data.cost})`));
  if (status.data.status_code !== SUCCESS) {
    return fail(mapDataForSeoStatus(status.data.status_code, status.data.status_message, status.data.cost));
  }
  // A successful envelope says what it cost even when what is inside cannot be read: the ledger counts it.
  const unreadable = (error: LensError) => fail<never>(billed(error, status.data.cost));
  const envelope = envelopeSchema.safeParse(json);
  if (!envelope.success) return unreadable(answerIssue(provider, '', envelope.error.issues[0]));
  const task = envelope.data.tasks?.[0];
  if (!task) return unreadable(unreadableAnswer(provider, 'tasks.0'));
  if (task.status_code !== SUCCESS) return fail(mapDataForSeoStatus(task.status_code, task.status_message, envelope.data.cost));
  if (!task.result && !nullIsNoData) return unreadable(unreadableAnswer(provider, 'tasks.0.result'));
  return ok({ result: task.result ?? [], costUsd: envelope.data.cost });
}

/** An unusable part of an answer that still cost `costUsd`: the ledger counts it. */
export function billed(error: LensError, costUsd: number): LensError {
  return { ...error, ...(costUsd > 0 ? { charged: { credits: 0, usd: costUsd } } : {}) };
}

/** Validates and normalises one page of a report's answer. Exported for the docs' examples. */
export function parseDataForSeoPage(json: unknown, httpStatus = 200, report: ReportId = 'refDomains'): Result<ProviderPage> {
  const task = taskResult(json, httpStatus);
  if (!task.ok) return task;
  const unreadable = (error: LensError) => fail<ProviderPage>(billed(error, task.data.costUsd));
  const itemSchema = dataforseoReports[report]?.item;
  if (!itemSchema) return unreadable(lensError('internal', `DataForSEO has no reader for the ${report} report.`, { provider }));
  const parsed = listResultSchema.safeParse(task.data.result[0]);
  if (!parsed.success) return unreadable(answerIssue(provider, 'tasks.0.result.0', parsed.error.issues[0]));
  const rows: AnyRow[] = [];
  for (const [index, raw] of (parsed.data.items ?? []).entries()) {
    const item = itemSchema.safeParse(raw);
    if (!item.success) return unreadable(answerIssue(provider, `tasks.0.result.0.items.${index}`, item.error.issues[0]));
    rows.push(item.data);
  }
  const token = parsed.data.search_after_token;
  return ok({
    rows,
    total: parsed.data.total_count,
    creditsSpent: 0,
    costUsd: task.data.costUsd,
    creditsLeft: null,
    ...(token ? { nextToken: token } : {}),
  });
}

const summaryCount = z.number().int().nonnegative();
/** The summary's metrics object (`tasks[0].result[0]`, no `items`): only what the totals need is read. */
const summaryResultSchema = z.object({
  rank: z.number().nonnegative(),
  backlinks: summaryCount,
  referring_domains: summaryCount,
  // Capped at `internal_list_limit` entries (10 by default), but it has only six keys; null when there are none.
  referring_links_attributes: z.record(z.string(), z.number()).nullable().optional(),
});

/**
 * Validates and normalises a backlinks/summary/live answer into its totals as a one-row page
 * (none when the target has no data, which is still billed). Exported for the docs' example.
 */
export function parseDataForSeoSummary(json: unknown, httpStatus = 200): Result<ProviderPage<SummaryTotals>> {
  const task = taskResult(json, httpStatus, true);
  if (!task.ok) return task;
  const costUsd = task.data.costUsd;
  const noData = { rows: [], total: 0, creditsSpent: 0, costUsd, creditsLeft: null };
  if (task.data.result.length === 0 || task.data.result[0] === null) return ok(noData);
  const parsed = summaryResultSchema.safeParse(task.data.result[0]);
  if (!parsed.success) return fail(billed(answerIssue(provider, 'tasks.0.result.0', parsed.error.issues[0]), costUsd));
  const { rank, backlinks, referring_domains, referring_links_attributes } = parsed.data;
  // No dofollow count in this endpoint: backlinks less the nofollow ones, when the attributes are given.
  const nofollow = referring_links_attributes?.nofollow;
  const figure = (value: number) => ({ value, weekChange: null });
  const totals: SummaryTotals = {
    referringDomains: figure(referring_domains),
    backlinks: figure(backlinks),
    dofollowBacklinks: referring_links_attributes ? figure(Math.max(0, backlinks - (nofollow ?? 0))) : null,
    outboundDomains: null,
    rank: figure(rank),
  };
  return ok({ rows: [totals], total: 1, creditsSpent: 0, costUsd, creditsLeft: null });
}

function basicCredentials(ctx: RequestContext): Result<string> {
  if (ctx.credentials.provider !== 'dataforseo') {
    return fail(lensError('internal', 'DataForSEO was called with credentials of another provider.', { provider }));
  }
  // btoa takes Latin-1 only: encode UTF-8 first so any login or password works.
  const bytes = new TextEncoder().encode(`${ctx.credentials.login}:${ctx.credentials.password}`);
  return ok(btoa(String.fromCharCode(...bytes)));
}

/** The password and its Basic form, to scrub from any text an error carries. */
export function secretsOf(ctx: RequestContext): string[] {
  if (ctx.credentials.provider !== 'dataforseo') return [];
  const encoded = basicCredentials(ctx);
  return [ctx.credentials.password, ...(encoded.ok ? [encoded.data] : [])];
}

const userDataSchema = z.object({ money: z.object({ balance: z.number() }) });

/** POSTs one live task array with the account's Basic credentials. */
export async function postTask(path: string, body: Result<Record<string, unknown>[]>, ctx: RequestContext): Promise<Result<JsonAnswer>> {
  if (!body.ok) return body;
  const credentials = basicCredentials(ctx);
  if (!credentials.ok) return credentials;
  return postJson({ provider, url: `${ctx.baseUrl}${path}`, headers: { Authorization: `Basic ${credentials.data}` }, body: body.data, ctx });
}

async function fetchPage(query: TableQuery, page: number, ctx: RequestContext, after?: string): Promise<Result<ProviderPage>> {
  // A report without a path is refused by the request builder, before anything is sent.
  const answer = await postTask(dataforseoReports[query.report]?.path ?? '', buildDataForSeoRequest(query, page, after), ctx);
  return answer.ok ? parseDataForSeoPage(answer.data.json, answer.data.status, query.report) : answer;
}

async function fetchSummary(query: SummaryQuery, ctx: RequestContext): Promise<Result<ProviderPage<SummaryTotals>>> {
  const answer = await postTask(SUMMARY_PATH, buildDataForSeoSummaryRequest(query), ctx);
  return answer.ok ? parseDataForSeoSummary(answer.data.json, answer.data.status) : answer;
}

function parseUserData({ json, status }: JsonAnswer): Result<AccountStatus> {
  const task = taskResult(json, status);
  if (!task.ok) return task;
  const user = userDataSchema.safeParse(task.data.result[0]);
  if (!user.success) return fail(answerIssue(provider, 'tasks.0.result.0', user.error.issues[0]));
  return ok({ provider, creditsLeft: null, creditsTotal: null, balanceUsd: user.data.money.balance });
}

async function testConnection(ctx: RequestContext): Promise<Result<AccountStatus>> {
  const credentials = basicCredentials(ctx);
  if (!credentials.ok) return credentials;
  const answer = await getJson({ provider, url: `${ctx.baseUrl}${USER_DATA_PATH}`, headers: { Authorization: `Basic ${credentials.data}` }, ctx });
  if (!answer.ok) return answer;
  return parseUserData(answer.data);
}

export const dataforseo: ProviderAdapter = {
  id: provider,
  fetchPage: async (query, page, ctx, after) => withoutSecrets(await fetchPage(query, page, ctx, after), secretsOf(ctx)),
  fetchSummary: async (query, ctx) => withoutSecrets(await fetchSummary(query, ctx), secretsOf(ctx)),
  testConnection: async (ctx) => withoutSecrets(await testConnection(ctx), secretsOf(ctx)),
};
