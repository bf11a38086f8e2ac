/**
 * DataForSEO Backlinks API v3 as described in docs/providers.md: Basic auth, one task per POST,
 * the status_code envelope, filters / order_by / offset / limit, cost per request and row.
 */
import { getDomain } from 'tldts';
import { SIM_DATAFORSEO_LOGIN, SIM_DATAFORSEO_PASSWORD } from './constants';
import { type AccountView, type ProviderAnswer, SmallCache } from './answer';
import {
  generateDataForSeoBacklinks,
  generateDataForSeoReferringDomains,
  generateRows,
  hashString,
  linksToPage,
  targetRank,
  type DataForSeoBacklinkItem,
  type DataForSeoReferringDomainItem,
} from './data';
import { aggregateAnchors, aggregatePages, unlinkedPages } from './link-aggregates';
import { dataforseoChartAnswers } from './charts';

export const DATAFORSEO_REFERRING_DOMAINS_PATH = '/v3/backlinks/referring_domains/live';
export const DATAFORSEO_ANCHORS_PATH = '/v3/backlinks/anchors/live';
export const DATAFORSEO_DOMAIN_PAGES_PATH = '/v3/backlinks/domain_pages/live';
export const DATAFORSEO_SUMMARY_PATH = '/v3/backlinks/summary/live';
export const DATAFORSEO_DOMAIN_INTERSECTION_PATH = '/v3/backlinks/domain_intersection/live';
/** domain_intersection takes at most this many targets and exclude_targets (docs/providers.md). */
export const DATAFORSEO_MAX_INTERSECTION_TARGETS = 20;
export const DATAFORSEO_MAX_EXCLUDE_TARGETS = 10;
export const DATAFORSEO_BACKLINKS_PATH = '/v3/backlinks/backlinks/live';
/** backlinks/live pages by offset up to here; deeper, by search_after_token. */
export const DATAFORSEO_MAX_OFFSET = 20_000;
export const DATAFORSEO_USER_DATA_PATH = '/v3/appendix/user_data';

/** Price per request and per returned row, USD. */
export const DATAFORSEO_BASE_COST = 0.02;
export const DATAFORSEO_ROW_COST = 0.00003;
export const DATAFORSEO_MAX_FILTERS = 8;
export const DATAFORSEO_MAX_ORDER_RULES = 3;
const API_VERSION = '0.1.20250901';

/** $0.02 + $0.00003 per row, to 5 decimals like the provider's `cost`. */
export function dataforseoCost(rows: number): number {
  return roundUsd(DATAFORSEO_BASE_COST + DATAFORSEO_ROW_COST * rows);
}
export const roundUsd = (usd: number) => Math.round(usd * 100_000) / 100_000;

export function isDataForSeoAuthorized(authorization: string | undefined): boolean {
  const match = /^Basic\s+(.+)$/i.exec(authorization ?? '');
  if (!match) return false;
  return Buffer.from(match[1]!, 'base64').toString('utf8') === `${SIM_DATAFORSEO_LOGIN}:${SIM_DATAFORSEO_PASSWORD}`;
}

// ---------------------------------------------------------------------------------------------
// Envelope

let taskCounter = 0;
/** Looks like the provider's task ids (`09291844-1535-0273-0000-a8b98c0b9eab`). */
function taskId(): string {
  const now = new Date();
  const stamp = `${String(now.getUTCMonth() + 1).padStart(2, '0')}${String(now.getUTCDate()).padStart(2, '0')}${String(now.getUTCHours()).padStart(2, '0')}${String(now.getUTCMinutes()).padStart(2, '0')}`;
  const serial = (++taskCounter).toString(16).padStart(12, '0');
  return `${stamp}-1535-0273-0000-${serial}`;
}
const elapsed = (started: number) => `${((performance.now() - started) / 1000).toFixed(4)} sec.`;

interface TaskOutcome {
  statusCode: number;
  statusMessage: string;
  cost: number;
  path: string;
  data: Record<string, unknown> | null;
  result: unknown[] | null;
}

function taskObject(task: TaskOutcome, started: number) {
  return {
    id: taskId(),
    status_code: task.statusCode,
    status_message: task.statusMessage,
    time: elapsed(started),
    cost: task.cost,
    result_count: task.result?.length ?? 0,
    path: task.path.split('/').filter(Boolean),
    data: task.data,
    result: task.result,
  };
}

/** An envelope with a top-level error: no tasks ran. */
export function dataforseoTopError(statusCode: number, statusMessage: string, http = 200): ProviderAnswer {
  return {
    status: http,
    body: {
      version: API_VERSION,
      status_code: statusCode,
      status_message: statusMessage,
      time: '0 sec.',
      cost: 0,
      tasks_count: 0,
      tasks_error: 0,
      tasks: null,
    },
    rows: 0,
    charged: 0,
    outcome: 'error',
  };
}

/** A successful envelope around one task, which itself may have failed. */
export function dataforseoTaskAnswer(task: TaskOutcome, started: number, rows: number, http = 200): ProviderAnswer {
  const failed = task.statusCode !== 20000;
  return {
    status: http,
    body: {
      version: API_VERSION,
      status_code: 20000,
      status_message: 'Ok.',
      time: elapsed(started),
      cost: task.cost,
      tasks_count: 1,
      tasks_error: failed ? 1 : 0,
      tasks: [taskObject(task, started)],
    },
    rows,
    charged: task.cost,
    outcome: failed ? 'error' : 'ok',
  };
}

// ---------------------------------------------------------------------------------------------
// Task parsing

export class TaskError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}
export const invalidField = (name: string) => new TaskError(40501, `Invalid Field: "${name}".`);
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The one task of a POST body, or the top-level error the provider gives instead. */
export function parseDataForSeoTask(body: string): { task: Record<string, unknown> } | { error: ProviderAnswer } {
  if (body.trim() === '') return { error: dataforseoTopError(40502, 'No POST data detected.') };
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { error: dataforseoTopError(40503, 'POST Data Is Invalid.') };
  }
  if (Array.isArray(parsed) && parsed.length === 0) return { error: dataforseoTopError(40502, 'No POST data detected.') };
  if (!Array.isArray(parsed) || parsed.length !== 1 || !isObject(parsed[0])) {
    return { error: dataforseoTopError(40503, 'POST Data Is Invalid.') };
  }
  return { task: parsed[0] };
}

const commonTaskFields = [
  'target', 'include_subdomains', 'include_indirect_links', 'exclude_internal_backlinks', 'internal_list_limit',
  'backlinks_status_type', 'backlinks_filters', 'rank_scale', 'tag',
];
const referringDomainsFields = [...commonTaskFields, 'limit', 'offset', 'filters', 'order_by'];
const backlinksTaskFields = [...commonTaskFields, 'mode', 'limit', 'offset', 'search_after_token', 'filters', 'order_by'];
// domain_pages has no include_indirect_links (the provider's client lists none).
const domainPagesFields = referringDomainsFields.filter((name) => name !== 'include_indirect_links');

interface Target {
  /** The site whose data set answers: the domain, or the host of a page URL. */
  host: string;
  /** Set when the target is one page. */
  url: string | null;
}

export function targetField(task: Record<string, unknown>): Target {
  const target = task.target;
  if (typeof target !== 'string' || target.trim() === '') throw invalidField('target');
  if (/^https?:\/\//i.test(target)) {
    try {
      const url = new URL(target);
      return { host: url.hostname.toLowerCase(), url: url.href };
    } catch {
      throw invalidField('target');
    }
  }
  if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(target)) throw invalidField('target');
  return { host: target.toLowerCase(), url: null };
}

function integerField(task: Record<string, unknown>, name: string, fallback: number, min: number, max = Infinity): number {
  const value = task[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) throw invalidField(name);
  return value;
}

export function enumField<T extends string>(task: Record<string, unknown>, name: string, allowed: readonly T[], fallback: T): T {
  const value = task[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !allowed.includes(value as T)) throw invalidField(name);
  return value as T;
}

export function checkCommonFields(task: Record<string, unknown>, allowed: string[]): void {
  const unknown = Object.keys(task).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) throw new TaskError(40506, `Unknown Fields in POST Data: ${unknown.join(', ')}.`);
  for (const name of ['include_subdomains', 'include_indirect_links', 'exclude_internal_backlinks']) {
    if (task[name] !== undefined && typeof task[name] !== 'boolean') throw invalidField(name);
  }
  if (task.tag !== undefined && (typeof task.tag !== 'string' || task.tag.length > 255)) throw invalidField('tag');
  if (task.backlinks_filters !== undefined && !Array.isArray(task.backlinks_filters)) throw invalidField('backlinks_filters');
}

// ---------------------------------------------------------------------------------------------
// Items: scale, status, filters, order

type Item = DataForSeoReferringDomainItem;
type Scalar = string | number | null;
const itemFields = [
  'domain', 'rank', 'backlinks', 'first_seen', 'lost_date', 'backlinks_spam_score', 'broken_backlinks', 'broken_pages',
  'referring_domains', 'referring_domains_nofollow', 'referring_main_domains', 'referring_main_domains_nofollow',
  'referring_ips', 'referring_subnets', 'referring_pages', 'referring_pages_nofollow',
] as const;
type ItemField = (typeof itemFields)[number];

/** The fields an endpoint filters and sorts by (nested ones by their dotted path), read from any item. */
type AnyItem = object;
type Fields = Record<string, (item: AnyItem) => Scalar>;
/** Top-level fields by name; `page_summary.rank` and the like by their path. */
function fieldsOf(names: readonly string[]): Fields {
  // Split once: the getters run for every item of 100,000-row data sets.
  return Object.fromEntries(
    names.map((name) => {
      const [first, second] = name.split('.') as [string, string | undefined];
      const get =
        second === undefined
          ? (item: AnyItem) => ((item as Record<string, unknown>)[first] ?? null) as Scalar
          : (item: AnyItem) => (((item as Record<string, Record<string, unknown> | null>)[first])?.[second] ?? null) as Scalar;
      return [name, get];
    }),
  );
}
const referringDomainFields = fieldsOf(itemFields);
const anchorFields = fieldsOf([...itemFields.filter((name) => name !== 'domain'), 'anchor']);
const domainPageFields = fieldsOf([
  'page', 'domain', 'status_code', 'first_visited', 'fetch_time', 'size', 'meta.title', 'meta.internal_links_count', 'meta.external_links_count',
  ...itemFields.filter((name) => name !== 'domain').map((name) => `page_summary.${name}`),
]);
/** The backlinks/live item fields a filter or order_by may name (its scalar fields). */
const backlinkFields = fieldsOf([
  'domain_from', 'url_from', 'url_from_https', 'domain_to', 'url_to', 'url_to_https', 'tld_from', 'is_new', 'is_lost',
  'backlink_spam_score', 'rank', 'page_from_rank', 'domain_from_rank', 'page_from_external_links', 'first_seen', 'prev_seen',
  'last_seen', 'item_type', 'dofollow', 'anchor', 'text_pre', 'text_post', 'semantic_location', 'links_count', 'is_broken',
  'is_indirect_link',
]);

const filterOps = ['=', '<>', '<', '<=', '>', '>=', 'in', 'not_in', 'like', 'not_like', 'ilike', 'not_ilike', 'regex', 'not_regex', 'match', 'not_match'];
type ItemPredicate = (item: AnyItem) => boolean;

const likePattern = (pattern: string, flags: string) =>
  new RegExp(`^${pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.')}$`, flags);

function conditionPredicate(condition: unknown[], fields: Fields): ItemPredicate {
  const [field, op, value] = condition;
  const getter = typeof field === 'string' && Object.hasOwn(fields, field) ? fields[field]! : null;
  if (!getter || typeof field !== 'string') throw invalidField(String(field));
  if (typeof op !== 'string' || !filterOps.includes(op)) throw invalidField(String(op));
  const get = getter;
  const text = (item: AnyItem) => String(get(item) ?? '');
  switch (op) {
    case '=': return (item) => get(item) === value;
    case '<>': return (item) => get(item) !== value;
    case '<': case '<=': case '>': case '>=': {
      if (typeof value !== 'number' && typeof value !== 'string') throw invalidField(field);
      return (item) => {
        const actual = get(item);
        if (actual === null) return false;
        if (op === '<') return actual < value;
        if (op === '<=') return actual <= value;
        if (op === '>') return actual > value;
        return actual >= value;
      };
    }
    case 'in': case 'not_in': {
      if (!Array.isArray(value)) throw invalidField(field);
      return op === 'in' ? (item) => value.includes(get(item)) : (item) => !value.includes(get(item));
    }
    case 'like': case 'not_like': case 'ilike': case 'not_ilike': {
      if (typeof value !== 'string') throw invalidField(field);
      const pattern = likePattern(value, op.includes('ilike') ? 'i' : '');
      return op.startsWith('not_') ? (item) => !pattern.test(text(item)) : (item) => pattern.test(text(item));
    }
    case 'regex': case 'not_regex': {
      let pattern: RegExp;
      try {
        pattern = new RegExp(String(value));
      } catch {
        throw invalidField(field);
      }
      return op === 'regex' ? (item) => pattern.test(text(item)) : (item) => !pattern.test(text(item));
    }
    default: {
      // match / not_match: full-text search, every word of the value somewhere in the field.
      const terms = String(value).toLowerCase().split(/\s+/).filter(Boolean);
      const matches = (item: AnyItem) => terms.every((term) => text(item).toLowerCase().includes(term));
      return op === 'match' ? matches : (item) => !matches(item);
    }
  }
}

const isCondition = (node: unknown[]) =>
  node.length === 3 && typeof node[0] === 'string' && typeof node[1] === 'string' && node[1] !== 'and' && node[1] !== 'or';

/**
 * `["rank", ">", 10]` or `[cond, "and", cond, "or", [cond, "or", cond]]`; "and" binds tighter
 * than "or". Counts conditions into `counter`.
 */
function filterPredicate(node: unknown, counter: { conditions: number }, fields: Fields): ItemPredicate {
  if (!Array.isArray(node) || node.length === 0) throw invalidField('filters');
  if (isCondition(node)) {
    counter.conditions++;
    return conditionPredicate(node, fields);
  }
  if (node.length % 2 === 0) throw invalidField('filters');
  const orGroups: ItemPredicate[][] = [[filterPredicate(node[0], counter, fields)]];
  for (let i = 1; i < node.length; i += 2) {
    const operator = node[i];
    const operand = filterPredicate(node[i + 1], counter, fields);
    if (operator === 'and') orGroups[orGroups.length - 1]!.push(operand);
    else if (operator === 'or') orGroups.push([operand]);
    else throw invalidField(String(operator));
  }
  return (item) => orGroups.some((group) => group.every((predicate) => predicate(item)));
}

interface OrderRule {
  get: (item: AnyItem) => Scalar;
  descending: boolean;
}
/** `fallback`: the order without order_by (the docs do not say it; for domain_pages it is no ranking). */
function orderRules(value: unknown, fields: Fields, fallback: string): OrderRule[] {
  const rules = value ?? [fallback];
  if (!Array.isArray(rules) || rules.length === 0 || rules.length > DATAFORSEO_MAX_ORDER_RULES) throw invalidField('order_by');
  return rules.map((rule) => {
    const [field, direction, extra] = typeof rule === 'string' ? rule.split(',').map((part) => part.trim()) : [];
    if (field === undefined || !Object.hasOwn(fields, field) || (direction !== 'asc' && direction !== 'desc') || extra !== undefined) {
      throw invalidField(typeof rule === 'string' ? rule : 'order_by');
    }
    return { get: fields[field]!, descending: direction === 'desc' };
  });
}

/** Stable multi-key sort; nulls last. */
function sortItems<T extends object>(items: T[], rules: OrderRule[]): T[] {
  // Each item's keys read once, not at every comparison.
  const indexed = items.map((item, index) => ({ item, index, keys: rules.map((rule) => rule.get(item)) }));
  indexed.sort((a, b) => {
    for (const [r, rule] of rules.entries()) {
      const x = a.keys[r]!;
      const y = b.keys[r]!;
      if (x === y) continue;
      if (x === null) return 1;
      if (y === null) return -1;
      return (x < y ? -1 : 1) * (rule.descending ? -1 : 1);
    }
    return a.index - b.index;
  });
  return indexed.map((entry) => entry.item);
}

/**
 * Each data set's sorted (and filtered) views, per endpoint, filters and order: the pages of one
 * table sort it once, not once a page (100,000 rows took about 60 ms a page). The data sets come
 * from caches of their own, so a view lives as long as its data set.
 */
const sortedViews = new WeakMap<readonly object[], SmallCache<object[]>>();

function sortedView<T extends object>(items: T[], path: string, task: Record<string, unknown>, filter: ItemPredicate | null, rules: OrderRule[]): T[] {
  let views = sortedViews.get(items);
  if (!views) sortedViews.set(items, (views = new SmallCache<object[]>(8)));
  const key = JSON.stringify([path, task.filters ?? null, task.order_by ?? null]);
  // The view is shared: callers slice it, never change it.
  return views.getOrCreate(key, () => sortItems(filter ? items.filter(filter) : items, rules)) as T[];
}

type RankScale = 'one_thousand' | 'one_hundred';
type StatusType = 'all' | 'live' | 'lost';
const nestedObjectFields = [
  'referring_links_tld', 'referring_links_types', 'referring_links_attributes', 'referring_links_platform_types',
  'referring_links_semantic_locations', 'referring_links_countries',
] as const;

const itemViews = new SmallCache<Item[]>(32);

/**
 * The target's referring domains for a scale and status, natural order. Ranks on one_hundred are
 * the one_thousand rank / 10, rounded.
 */
function targetItems(target: Target, scale: RankScale, status: StatusType, account: AccountView): Item[] {
  const size = account.sizeOf(target.host, 'refDomains');
  return itemViews.getOrCreate(`${target.host}|${target.url}|${size}|${scale}|${status}`, () =>
    generateDataForSeoReferringDomains(target.host, size)
      .filter((item) => (target.url === null ? true : linksToPage(item.domain, target.url)))
      .filter((item) => (status === 'all' ? true : status === 'live' ? item.lost_date === null : item.lost_date !== null))
      .map((item) => (scale === 'one_hundred' ? { ...item, rank: Math.round(item.rank / 10) } : item)),
  );
}

function limitNestedObjects<T extends Partial<Record<(typeof nestedObjectFields)[number], Record<string, number> | null>>>(item: T, limit: number): T {
  const copy = { ...item };
  for (const field of nestedObjectFields) {
    const value = item[field];
    if (value && Object.keys(value).length > limit) copy[field] = Object.fromEntries(Object.entries(value).slice(0, limit));
  }
  return copy;
}

/** The task's `filters` as one predicate (null without), at most DATAFORSEO_MAX_FILTERS conditions. */
function filtersOf(task: Record<string, unknown>, fields: Fields): ItemPredicate | null {
  const counter = { conditions: 0 };
  const filter = task.filters === undefined ? null : filterPredicate(task.filters, counter, fields);
  if (counter.conditions > DATAFORSEO_MAX_FILTERS) throw invalidField('filters');
  return filter;
}

// ---------------------------------------------------------------------------------------------
// Endpoints

function answerReferringDomains(task: Record<string, unknown>, account: AccountView, started: number): ProviderAnswer {
  const list = listTask(task, referringDomainsFields, referringDomainFields, 'rank,desc');
  const items = targetItems(list.target, list.scale, list.status, account);
  return listAnswer(task, DATAFORSEO_REFERRING_DOMAINS_PATH, 'referring_domains', items, list, account, started);
}

type ScaleAndStatus = { scale: RankScale; status: StatusType };

/** Reads a task's common list fields: target, paging, rank scale, status, order and filters. */
function listTask(task: Record<string, unknown>, allowed: string[], fields: Fields, defaultOrder: string) {
  checkCommonFields(task, allowed);
  return {
    target: targetField(task),
    limit: integerField(task, 'limit', 100, 1, 1000),
    offset: integerField(task, 'offset', 0, 0),
    internalListLimit: integerField(task, 'internal_list_limit', 10, 1, 1000),
    scale: enumField<RankScale>(task, 'rank_scale', ['one_thousand', 'one_hundred'], 'one_thousand'),
    status: enumField<StatusType>(task, 'backlinks_status_type', ['all', 'live', 'lost'], 'live'),
    rules: orderRules(task.order_by, fields, defaultOrder),
    filter: filtersOf(task, fields),
  };
}

/** One page of `items` as a task answer: $0.02 plus $0.00003 a row. */
function listAnswer(task: Record<string, unknown>, path: string, fn: string, items: object[], list: ReturnType<typeof listTask>, account: AccountView, started: number): ProviderAnswer {
  const matching = sortedView(items, path, task, list.filter, list.rules);
  const page = matching.slice(list.offset, list.offset + list.limit).map((item) => limitNestedObjects(item, list.internalListLimit));
  const cost = dataforseoCost(page.length);
  if (account.dataforseoBalanceUsd < cost) return dataforseoTopError(40210, 'Insufficient funds.');
  return dataforseoTaskAnswer(
    {
      statusCode: 20000,
      statusMessage: 'Ok.',
      cost,
      path,
      data: { api: 'backlinks', function: fn, ...task },
      result: [{ target: task.target, total_count: matching.length, items_count: page.length, items: page }],
    },
    started,
    page.length,
  );
}

// ---------------------------------------------------------------------------------------------
// Link gap: domain_intersection

const domainIntersectionFields = [
  'targets', 'exclude_targets', 'limit', 'offset', 'filters', 'order_by', 'internal_list_limit', 'backlinks_status_type',
  'backlinks_filters', 'include_subdomains', 'include_indirect_links', 'exclude_internal_backlinks', 'intersection_mode', 'rank_scale', 'tag',
];
/** The per-target stats of an item: the referring-domain item's figures, `target` being the linking domain. */
const intersectionStatFields = ['target', 'rank', 'backlinks', 'first_seen', 'lost_date', 'backlinks_spam_score', 'referring_pages', 'referring_pages_nofollow'] as const;

/** `targets`: an object keyed "1".."20" (an array is refused), each a domain. */
function intersectionTargets(task: Record<string, unknown>): [string, Target][] {
  const targets = task.targets;
  if (!isObject(targets)) throw invalidField('targets');
  const entries = Object.entries(targets);
  if (entries.length === 0 || entries.length > DATAFORSEO_MAX_INTERSECTION_TARGETS) throw invalidField('targets');
  return entries.map(([key, domain]) => {
    if (!/^[1-9]\d*$/.test(key)) throw invalidField(`targets.${key}`);
    return [key, targetField({ target: domain })];
  });
}

function excludedTargets(task: Record<string, unknown>): Target[] {
  const excluded = task.exclude_targets;
  if (excluded === undefined) return [];
  if (!Array.isArray(excluded) || excluded.length > DATAFORSEO_MAX_EXCLUDE_TARGETS) throw invalidField('exclude_targets');
  return excluded.map((domain) => targetField({ target: domain }));
}

/**
 * The domains that link to every target and to none of `exclude_targets` (live items by default,
 * as referring_domains/live lists them), in target "1"'s natural order; filters and order_by name
 * `N.field`. The docs leave `intersection_mode` vague: both modes answer this here.
 */
function answerDomainIntersection(task: Record<string, unknown>, account: AccountView, started: number): ProviderAnswer {
  checkCommonFields(task, domainIntersectionFields);
  const targets = intersectionTargets(task);
  const excluded = excludedTargets(task);
  const limit = integerField(task, 'limit', 100, 1, 1000);
  const offset = integerField(task, 'offset', 0, 0);
  const scale = enumField<RankScale>(task, 'rank_scale', ['one_thousand', 'one_hundred'], 'one_thousand');
  const status = enumField<StatusType>(task, 'backlinks_status_type', ['all', 'live', 'lost'], 'live');
  enumField(task, 'intersection_mode', ['all', 'partial'], 'all');
  const keys = targets.map(([key]) => key);
  const fields: Fields = Object.fromEntries(
    keys.flatMap((key) =>
      intersectionStatFields.map((field) => [`${key}.${field}`, (item: AnyItem) => ((item as IntersectionItem).domain_intersection[key]![field] ?? null) as Scalar]),
    ),
  );
  const rules = orderRules(task.order_by, fields, `${keys[0]}.rank,desc`);
  const filter = filtersOf(task, fields);

  const byTarget = targets.map(([key, target]) => [key, new Map(targetItems(target, scale, status, account).map((item) => [item.domain, item]))] as const);
  const excludedDomains = new Set(excluded.flatMap((target) => targetItems(target, scale, status, account).map((item) => item.domain)));
  const items: IntersectionItem[] = [];
  for (const domain of byTarget[0]![1].keys()) {
    if (excludedDomains.has(domain) || !byTarget.every(([, linking]) => linking.has(domain))) continue;
    items.push({
      domain_intersection: Object.fromEntries(
        byTarget.map(([key, linking]) => {
          const item = linking.get(domain)!;
          return [key, { type: 'backlinks_domain_intersection', ...Object.fromEntries(intersectionStatFields.map((field) => [field, field === 'target' ? domain : item[field]])) }];
        }),
      ),
      summary: { intersections_count: keys.length },
    });
  }
  const matching = sortItems(filter ? items.filter(filter) : items, rules);
  const page = matching.slice(offset, offset + limit);
  // Billed per item (linking domain), not per target × item.
  const cost = dataforseoCost(page.length);
  if (account.dataforseoBalanceUsd < cost) return dataforseoTopError(40210, 'Insufficient funds.');
  return dataforseoTaskAnswer(
    {
      statusCode: 20000,
      statusMessage: 'Ok.',
      cost,
      path: DATAFORSEO_DOMAIN_INTERSECTION_PATH,
      data: { api: 'backlinks', function: 'domain_intersection', ...task },
      result: [{ targets: task.targets, total_count: matching.length, items_count: page.length, items: page }],
    },
    started,
    page.length,
  );
}
interface IntersectionItem {
  domain_intersection: Record<string, Record<string, unknown>>;
  summary: { intersections_count: number };
}

/** "2024-05-01" → "2024-05-01 hh:mm:ss +00:00", the time of day fixed by `seed`. */
function zonedTime(day: string, seed: string): string {
  const seconds = hashString(seed) % 86_400;
  const two = (n: number) => String(n).padStart(2, '0');
  return `${day} ${two(Math.floor(seconds / 3600))}:${two(Math.floor(seconds / 60) % 60)}:${two(seconds % 60)} +00:00`;
}

const aggregateViews = new SmallCache<object[]>(16);

/** The site's backlinks (Serpstat's data set), the links to one page when the target is a page. */
function targetLinks(target: Target, account: AccountView) {
  const links = generateRows(target.host, 'backlinks', account.sizeOf(target.host, 'backlinks'));
  if (target.url === null) return links;
  const page = target.url.replace(/\/$/, '');
  return links.filter((link) => link.url_to.replace(/\/$/, '') === page);
}

/** anchors/live: one item per anchor text of the target's backlinks (link-aggregates.ts); none is lost. */
function anchorItems(target: Target, { scale, status }: ScaleAndStatus, account: AccountView): object[] {
  return aggregateViews.getOrCreate(`anchors|${target.host}|${target.url}|${account.sizeOf(target.host, 'backlinks')}|${scale}|${status}`, () =>
    status === 'lost'
      ? []
      : aggregateAnchors(targetLinks(target, account)).map((anchor) => {
          const nofollowDomains = Math.min(anchor.refDomains, anchor.nofollow);
          return {
            type: 'backlinks_anchor',
            // Links without text come back as null.
            anchor: anchor.anchor === '' ? null : anchor.anchor,
            rank: scale === 'one_thousand' ? anchor.rank * 10 : anchor.rank,
            backlinks: anchor.backlinks,
            first_seen: zonedTime(anchor.firstSeen, `anchor|${target.host}|${anchor.anchor}`),
            lost_date: null,
            backlinks_spam_score: hashString(`spam|${anchor.anchor}`) % 30,
            broken_backlinks: 0,
            broken_pages: 0,
            referring_domains: anchor.refDomains,
            referring_domains_nofollow: nofollowDomains,
            referring_main_domains: anchor.refDomains,
            referring_main_domains_nofollow: nofollowDomains,
            referring_ips: anchor.refDomains,
            referring_subnets: anchor.refDomains,
            referring_pages: anchor.refPages,
            referring_pages_nofollow: Math.min(anchor.refPages, anchor.nofollow),
            referring_links_tld: {},
            referring_links_types: { [anchor.anchor === '' ? 'image' : 'anchor']: anchor.backlinks },
            // No link with an attribute: null, as the provider sends it.
            referring_links_attributes: anchor.nofollow > 0 ? { nofollow: anchor.nofollow } : null,
            referring_links_platform_types: {},
            referring_links_semantic_locations: {},
            referring_links_countries: {},
          };
        }),
  );
}

/** domain_pages/live: every crawled page of the site, the linked ones with their backlinks summed. */
function domainPageItems(target: Target, { scale, status }: ScaleAndStatus, account: AccountView): object[] {
  return aggregateViews.getOrCreate(`pages|${target.host}|${account.sizeOf(target.host, 'backlinks')}|${scale}|${status}`, () => {
    const onSite = new RegExp(`^https?://([a-z0-9-]+\\.)*${target.host.replace(/\./g, '\\.')}(/|$)`, 'i');
    const linked = status === 'lost' ? [] : aggregatePages(targetLinks(target, account)).filter((page) => onSite.test(page.url));
    const linkedUrls = new Set(linked.map((page) => page.url));
    const unlinked = unlinkedPages(target.host).filter((url) => !linkedUrls.has(url));
    const pageItem = (url: string, summary: Record<string, unknown>) => {
      const host = /^https?:\/\/([^/]+)/i.exec(url)?.[1]?.toLowerCase() ?? target.host;
      const seed = hashString(`page|${url}`);
      return {
        type: 'backlinks_domain_page',
        main_domain: getDomain(host) ?? host,
        domain: host,
        tld: host.slice(host.lastIndexOf('.') + 1),
        page: url,
        ip: '192.0.2.10',
        first_visited: zonedTime('2025-08-20', `visited|${url}`),
        prev_visited: zonedTime('2025-07-20', `visited|${url}`),
        fetch_time: zonedTime('2025-08-20', `visited|${url}`),
        status_code: 200,
        location: null,
        size: 20_000 + (seed % 80_000),
        encoded_size: 5_000 + (seed % 20_000),
        content_encoding: 'gzip',
        media_type: 'text/html',
        server: 'nginx',
        meta: { title: `Page ${(seed % 900) + 100}`, internal_links_count: 20 + (seed % 200), external_links_count: seed % 40 },
        page_summary: summary,
      };
    };
    return [
      ...linked.map((page) =>
        pageItem(page.url, {
          first_seen: zonedTime(page.firstSeen, `page|${page.url}`),
          lost_date: null,
          rank: scale === 'one_thousand' ? page.rank * 10 : page.rank,
          backlinks: page.backlinks,
          backlinks_spam_score: 0,
          broken_backlinks: 0,
          broken_pages: 0,
          referring_domains: page.refDomains,
          referring_domains_nofollow: 0,
          referring_main_domains: page.refDomains,
          referring_main_domains_nofollow: 0,
          referring_ips: page.refIps,
          referring_subnets: page.refIps,
          referring_pages: page.refPages,
          referring_pages_nofollow: 0,
        }),
      ),
      ...unlinked.map((url) =>
        pageItem(url, {
          first_seen: null,
          lost_date: null,
          rank: 0,
          backlinks: 0,
          backlinks_spam_score: 0,
          broken_backlinks: 0,
          broken_pages: 0,
          referring_domains: 0,
          referring_domains_nofollow: 0,
          referring_main_domains: 0,
          referring_main_domains_nofollow: 0,
          referring_ips: 0,
          referring_subnets: 0,
          referring_pages: 0,
          referring_pages_nofollow: 0,
        }),
      ),
    ];
  });
}

/** Every task field but the ones a continuation may change: the token binds to this. */
function continuationIdentity(task: Record<string, unknown>): number {
  const kept = Object.keys(task)
    .filter((key) => key !== 'offset' && key !== 'search_after_token' && key !== 'tag')
    .sort()
    .map((key) => [key, task[key]]);
  return hashString(JSON.stringify(kept));
}

/** An opaque search_after_token: where the next answer of the same task starts. */
function continuationToken(task: Record<string, unknown>, next: number): string {
  return Buffer.from(JSON.stringify({ task: continuationIdentity(task), next })).toString('base64url');
}

/** Where a token says to continue, or the 40501 a token of another task (or none at all) gets. */
function continuationStart(task: Record<string, unknown>, token: unknown): number {
  if (typeof token !== 'string' || token === '') throw invalidField('search_after_token');
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { task?: unknown; next?: unknown };
    if (parsed.task === continuationIdentity(task) && typeof parsed.next === 'number' && Number.isInteger(parsed.next) && parsed.next >= 0) return parsed.next;
  } catch {
    // Not one of ours: refused below.
  }
  throw invalidField('search_after_token');
}

type BacklinkMode = 'as_is' | 'one_per_domain' | 'one_per_anchor';

/** The first link of each linking domain or anchor, in the current order. */
function onePer(items: DataForSeoBacklinkItem[], mode: BacklinkMode): DataForSeoBacklinkItem[] {
  if (mode === 'as_is') return items;
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = mode === 'one_per_domain' ? item.domain_from : item.anchor;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const backlinkViews = new SmallCache<DataForSeoBacklinkItem[]>(32);

/** The target's backlinks for a status and scale, natural order: live ones, lost ones or both. */
function targetBacklinks(target: Target, { scale, status }: ScaleAndStatus, account: AccountView): DataForSeoBacklinkItem[] {
  const live = account.sizeOf(target.host, 'backlinks');
  const lost = account.sizeOf(target.host, 'lostBacklinks');
  return backlinkViews.getOrCreate(`${target.host}|${target.url}|${live}|${lost}|${scale}|${status}`, () => {
    const items = [
      ...(status === 'lost' ? [] : generateDataForSeoBacklinks(target.host, 'live', live)),
      ...(status === 'live' ? [] : generateDataForSeoBacklinks(target.host, 'lost', lost)),
    ].filter((item) => target.url === null || item.url_to === target.url || linksToPage(item.url_from, target.url));
    if (scale === 'one_thousand') return items;
    const tenth = (rank: number) => Math.round(rank / 10);
    return items.map((item) => ({ ...item, rank: tenth(item.rank), page_from_rank: tenth(item.page_from_rank), domain_from_rank: tenth(item.domain_from_rank) }));
  });
}

/**
 * backlinks/backlinks/live: offset up to DATAFORSEO_MAX_OFFSET (deeper is an invalid field); past
 * it, search_after_token from the answer before, with the task otherwise the same (its offset is
 * then ignored). Every answer that has more after it carries the token for what follows.
 */
function answerBacklinks(task: Record<string, unknown>, account: AccountView, started: number): ProviderAnswer {
  const list = listTask(task, backlinksTaskFields, backlinkFields, 'rank,desc');
  const mode = enumField<BacklinkMode>(task, 'mode', ['as_is', 'one_per_domain', 'one_per_anchor'], 'as_is');
  if (list.offset > DATAFORSEO_MAX_OFFSET) throw invalidField('offset');
  const start = task.search_after_token === undefined ? list.offset : continuationStart(task, task.search_after_token);
  const items = targetBacklinks(list.target, list, account);
  const matching = onePer(sortedView(items, DATAFORSEO_BACKLINKS_PATH, task, list.filter, list.rules), mode);
  const page = matching.slice(start, start + list.limit);
  const cost = dataforseoCost(page.length);
  if (account.dataforseoBalanceUsd < cost) return dataforseoTopError(40210, 'Insufficient funds.');
  const next = start + page.length;
  const result = {
    target: task.target,
    mode,
    custom_mode: null,
    total_count: matching.length,
    items_count: page.length,
    items: page,
    search_after_token: next < matching.length ? continuationToken(task, next) : null,
  };
  const data = { api: 'backlinks', function: 'backlinks', ...task };
  return dataforseoTaskAnswer({ statusCode: 20000, statusMessage: 'Ok.', cost, path: DATAFORSEO_BACKLINKS_PATH, data, result: [result] }, started, page.length);
}

function answerAnchors(task: Record<string, unknown>, account: AccountView, started: number): ProviderAnswer {
  const list = listTask(task, referringDomainsFields, anchorFields, 'backlinks,desc');
  return listAnswer(task, DATAFORSEO_ANCHORS_PATH, 'anchors', anchorItems(list.target, list, account), list, account, started);
}

function answerDomainPages(task: Record<string, unknown>, account: AccountView, started: number): ProviderAnswer {
  // Natural order without order_by: the crawl's, not a ranking (docs/providers.md).
  const list = listTask(task, domainPagesFields, domainPageFields, 'page,asc');
  // A page is no target here: the expected answer is an invalid field.
  if (list.target.url !== null) throw invalidField('target');
  return listAnswer(task, DATAFORSEO_DOMAIN_PAGES_PATH, 'domain_pages', domainPageItems(list.target, list, account), list, account, started);
}

function sumInto(totals: Record<string, number>, counts: Record<string, number> | null): void {
  for (const [key, count] of Object.entries(counts ?? {})) totals[key] = (totals[key] ?? 0) + count;
}
const topEntries = (totals: Record<string, number>, limit: number) =>
  Object.fromEntries(Object.entries(totals).sort((a, b) => b[1] - a[1]).slice(0, limit));

/** Totals over the same items referring_domains/live lists for this target and status. */
function answerSummary(task: Record<string, unknown>, account: AccountView, started: number): ProviderAnswer {
  const data = { api: 'backlinks', function: 'summary', ...task };
  checkCommonFields(task, commonTaskFields);
  const target = targetField(task);
  const internalListLimit = integerField(task, 'internal_list_limit', 10, 1, 1000);
  const scale = enumField<RankScale>(task, 'rank_scale', ['one_thousand', 'one_hundred'], 'one_thousand');
  const status = enumField<StatusType>(task, 'backlinks_status_type', ['all', 'live', 'lost'], 'live');
  const items = targetItems(target, scale, status, account);
  const cost = dataforseoCost(1);
  if (account.dataforseoBalanceUsd < cost) return dataforseoTopError(40210, 'Insufficient funds.');
  // A target never linked to: no result at all, still billed (as observed).
  if (account.sizeOf(target.host, 'refDomains') === 0) {
    return dataforseoTaskAnswer({ statusCode: 20000, statusMessage: 'Ok.', cost, path: DATAFORSEO_SUMMARY_PATH, data, result: null }, started, 0);
  }

  const sum = (field: ItemField) => items.reduce((total, item) => total + (item[field] as number), 0);
  const nested = Object.fromEntries(
    nestedObjectFields.map((field) => {
      const totals: Record<string, number> = {};
      for (const item of items) sumInto(totals, item[field]);
      return [field, topEntries(totals, internalListLimit)];
    }),
  );
  const mainDomains = new Set(items.map((item) => getDomain(item.domain) ?? item.domain));
  const nofollowMainDomains = new Set(items.filter((item) => item.referring_pages_nofollow > 0).map((item) => getDomain(item.domain) ?? item.domain));
  const firstSeen = items.reduce<string | null>((earliest, item) => (earliest === null || item.first_seen < earliest ? item.first_seen : earliest), null);
  const rank = targetRank(target.host) * (scale === 'one_thousand' ? 10 : 1);
  const backlinks = sum('backlinks');
  const result = {
    target: task.target,
    first_seen: firstSeen,
    lost_date: null,
    rank,
    backlinks,
    backlinks_spam_score: items.length === 0 ? 0 : Math.round(sum('backlinks_spam_score') / items.length),
    crawled_pages: Math.max(1, Math.round(backlinks / 7)),
    info: { server: 'nginx', cms: null, platform_type: ['organization'], ip_address: '192.0.2.10', country: 'US', is_ip: false, target_spam_score: 2 },
    internal_links_count: Math.round(backlinks / 3),
    external_links_count: Math.round(backlinks / 11),
    broken_backlinks: sum('broken_backlinks'),
    broken_pages: sum('broken_pages'),
    referring_domains: items.length,
    referring_domains_nofollow: sum('referring_domains_nofollow'),
    referring_main_domains: mainDomains.size,
    referring_main_domains_nofollow: nofollowMainDomains.size,
    referring_ips: sum('referring_ips'),
    referring_subnets: sum('referring_subnets'),
    referring_pages: sum('referring_pages'),
    referring_pages_nofollow: sum('referring_pages_nofollow'),
    ...nested,
  };
  return dataforseoTaskAnswer({ statusCode: 20000, statusMessage: 'Ok.', cost, path: DATAFORSEO_SUMMARY_PATH, data, result: [result] }, started, 1);
}

function answerUserData(account: AccountView, started: number): ProviderAnswer {
  const spent = roundUsd(account.dataforseoInitialBalanceUsd - account.dataforseoBalanceUsd);
  const result = {
    login: SIM_DATAFORSEO_LOGIN,
    timezone: 'UTC',
    rates: {
      limits: { day: { serp: 'unlimited', backlinks: 'unlimited' }, minute: { total: 2000, backlinks: 2000 } },
      statistics: { day: { total: 0 }, minute: { total: 0 } },
    },
    money: {
      total: account.dataforseoInitialBalanceUsd,
      balance: account.dataforseoBalanceUsd,
      limits: { day: { total: 0 }, minute: { total: 0 } },
      statistics: { day: { total: spent, backlinks: spent }, minute: { total: 0 } },
    },
    price: { backlinks: { referring_domains: { live: { cost_type: 'per_request', cost: DATAFORSEO_BASE_COST, cost_per_row: DATAFORSEO_ROW_COST } } } },
    backlinks_subscription_expiry_date: '2026-09-01 00:00:00 +00:00',
  };
  return dataforseoTaskAnswer(
    { statusCode: 20000, statusMessage: 'Ok.', cost: 0, path: DATAFORSEO_USER_DATA_PATH, data: { api: 'appendix', function: 'user_data' }, result: [result] },
    started,
    0,
  );
}

/** Answers one authorised DataForSEO request. `body` is the raw POST body. */
export function answerDataForSeo(path: string, httpMethod: string, body: string, account: AccountView): ProviderAnswer {
  const started = performance.now();
  if (path === DATAFORSEO_USER_DATA_PATH) return answerUserData(account, started);
  const handlers: Record<string, typeof answerSummary> = {
    [DATAFORSEO_REFERRING_DOMAINS_PATH]: answerReferringDomains,
    [DATAFORSEO_SUMMARY_PATH]: answerSummary,
    [DATAFORSEO_ANCHORS_PATH]: answerAnchors,
    [DATAFORSEO_DOMAIN_PAGES_PATH]: answerDomainPages,
    ...dataforseoChartAnswers,
    [DATAFORSEO_DOMAIN_INTERSECTION_PATH]: answerDomainIntersection,
    [DATAFORSEO_BACKLINKS_PATH]: answerBacklinks,
  };
  const handler = handlers[path];
  if (!handler) return dataforseoTopError(40400, 'Not Found.', 404);
  if (httpMethod !== 'POST') return dataforseoTopError(40502, 'No POST data detected.');
  const parsed = parseDataForSeoTask(body);
  if ('error' in parsed) return parsed.error;
  const task = parsed.task;
  try {
    return handler(task, account, started);
  } catch (error) {
    if (!(error instanceof TaskError)) throw error;
    // An invalid field is charged the base price (docs/providers.md); other task errors are free.
    const cost = error.statusCode === 40501 ? DATAFORSEO_BASE_COST : 0;
    if (account.dataforseoBalanceUsd < cost) return dataforseoTopError(40210, 'Insufficient funds.');
    return dataforseoTaskError(path, task, error.statusCode, error.message, cost);
  }
}

/** A task that failed with `statusCode` inside a successful envelope, charged `cost` USD. */
export function dataforseoTaskError(path: string, task: unknown, statusCode: number, statusMessage: string, cost: number, http = 200): ProviderAnswer {
  const [, , api = '', fn = ''] = path.split('/');
  const data = { api, function: fn, ...(isObject(task) ? task : {}) };
  return dataforseoTaskAnswer({ statusCode, statusMessage, cost, path, data, result: null }, performance.now(), 0, http);
}
