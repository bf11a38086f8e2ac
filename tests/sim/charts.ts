/**
 * The one-shot chart methods, as documented in docs/providers.md: Serpstat's weekly new/lost
 * history and rank distribution (1 credit each, no data charged too), DataForSEO's monthly
 * history since 2019 (new/lost 0 before May 2021) and new/lost per period (the last bucket runs
 * past date_to), each billed $0.02 + $0.00003 per item.
 */
import type { AccountView, ProviderAnswer } from './answer';
import { generateRows, hashString, SIM_TODAY } from './data';
import { checkCommonFields, dataforseoCost, dataforseoTaskAnswer, dataforseoTopError, enumField, invalidField, targetField } from './dataforseo';
import { serpstatError, type SerpstatCall } from './serpstat';

export const SERPSTAT_CHANGES_HISTORY_METHOD = 'SerpstatBacklinksProcedure.getBacklinksChangesHistory';
export const SERPSTAT_DISTRIBUTION_SDR_METHOD = 'SerpstatBacklinksProcedure.getDistributionSDR';
export const DATAFORSEO_HISTORY_PATH = '/v3/backlinks/history/live';
export const DATAFORSEO_NEW_LOST_PATH = '/v3/backlinks/timeseries_new_lost_summary/live';

/** Weekly points Serpstat's history has for a domain in the simulator (about two years). */
export const SERPSTAT_HISTORY_WEEKS = 104;
/** Domains named `longhistory…` have 2,500 weekly points: the benchmark draws them. */
export const LONG_HISTORY_WEEKS = 2_500;
export const isLongHistoryDomain = (domain: string) => domain.startsWith('longhistory');
const DAY_MS = 86_400_000;
const dayOf = (time: number) => new Date(time).toISOString().slice(0, 10);
const timeOf = (day: string) => Date.parse(`${day}T00:00:00Z`);
/** 0..1, the same for the same text. */
const unit = (text: string) => hashString(text) / 4_294_967_296;

// ---------------------------------------------------------------------------------------------
// Serpstat

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** `query` and `searchType`, the only parameters; the domain, or the schema error's answer. */
function chartQuery(call: SerpstatCall): string | ProviderAnswer {
  const params = call.params;
  if (!isObject(params)) return serpstatError(call.id, 400, 'Invalid request: JSON schema error: params must be an object');
  const unknown = Object.keys(params).find((key) => key !== 'query' && key !== 'searchType');
  if (unknown) return serpstatError(call.id, 400, `Invalid request: JSON schema error: unknown parameter ${unknown}`);
  if (typeof params.query !== 'string' || params.query.trim() === '') return serpstatError(call.id, 400, 'Invalid request: JSON schema error: query is required');
  if (params.searchType !== undefined && params.searchType !== 'domain' && params.searchType !== 'domain_with_subdomains') {
    return serpstatError(call.id, 400, 'Invalid request: JSON schema error: searchType must be one of domain, domain_with_subdomains');
  }
  return params.query.trim().toLowerCase();
}

/** 1 credit, also for "no data". */
function serpstatChart(call: SerpstatCall, account: AccountView, data: (domain: string) => unknown[] | null): ProviderAnswer {
  const domain = chartQuery(call);
  if (typeof domain !== 'string') return domain;
  if (account.serpstatCreditsLeft < 1) return serpstatError(call.id, 32012, 'Credits exceeded');
  const rows = data(domain);
  if (!rows) return serpstatError(call.id, 32015, 'No data found for requested domain', 1);
  return {
    status: 200,
    body: {
      id: call.id,
      // total, sort and order are null for the history method (the docs' quirk), "" for the distribution.
      result: { data: rows, summary_info: { left_lines: account.serpstatCreditsLeft - 1, page: 1, count: rows.length, total: null, sort: null, order: null } },
    },
    rows: rows.length,
    charged: 1,
    outcome: 'ok',
  };
}

/** Weekly new/lost links, oldest Monday first, ending at the simulator's today; sized by the backlinks data set. */
export function serpstatChangesHistory(domain: string, backlinks: number): { date: string; new_links: number; lost_links: number }[] {
  const today = timeOf(SIM_TODAY);
  // The Monday on or before today.
  const lastMonday = today - ((new Date(today).getUTCDay() + 6) % 7) * DAY_MS;
  const perWeek = Math.max(1, Math.round(backlinks / 60));
  const weeks = isLongHistoryDomain(domain) ? LONG_HISTORY_WEEKS : SERPSTAT_HISTORY_WEEKS;
  return Array.from({ length: weeks }, (_, index) => {
    const date = dayOf(lastMonday - (weeks - 1 - index) * 7 * DAY_MS);
    return {
      date,
      new_links: Math.round(perWeek * (0.3 + 1.4 * unit(`new|${domain}|${date}`))),
      lost_links: Math.round(perWeek * (0.2 + 1.2 * unit(`lost|${domain}|${date}`))),
    };
  });
}

const SDR_RANGES: [number, number][] = [[0, 0], [1, 9], [10, 19], [20, 29], [30, 39], [40, 49], [50, 59], [60, 69], [70, 79], [80, 89], [90, 100]];
const sdrLabel = ([from, to]: [number, number]) => (from === to ? String(from) : `${from} - ${to}`);

/** The refDomains data set's ranks in Serpstat's 11 buckets: the same domains the table pages through. */
export function serpstatDistribution(domain: string, refDomains: number): { sdr_range: string; domains: number }[] {
  const counts = SDR_RANGES.map(() => 0);
  for (const row of generateRows(domain, 'refDomains', refDomains)) {
    const index = SDR_RANGES.findIndex(([from, to]) => row.domainRank >= from && row.domainRank <= to);
    if (index >= 0) counts[index]! += 1;
  }
  return SDR_RANGES.map((range, index) => ({ sdr_range: sdrLabel(range), domains: counts[index]! }));
}

export const serpstatChartAnswers: Record<string, (call: SerpstatCall, account: AccountView) => ProviderAnswer> = {
  [SERPSTAT_CHANGES_HISTORY_METHOD]: (call, account) =>
    serpstatChart(call, account, (domain) => {
      const backlinks = account.sizeOf(domain, 'backlinks');
      return backlinks === 0 ? null : serpstatChangesHistory(domain, backlinks);
    }),
  [SERPSTAT_DISTRIBUTION_SDR_METHOD]: (call, account) =>
    serpstatChart(call, account, (domain) => {
      const refDomains = account.sizeOf(domain, 'refDomains');
      return refDomains === 0 ? null : serpstatDistribution(domain, refDomains);
    }),
};

// ---------------------------------------------------------------------------------------------
// DataForSEO

/** A `yyyy-mm-dd` field between `min` and the real today (the provider refuses a future date_to). */
function dateField(task: Record<string, unknown>, name: string, min: string, fallback: string): string {
  const value = task[name] ?? fallback;
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(timeOf(value))) throw invalidField(name);
  if (value < min || value > dayOf(Date.now())) throw invalidField(name);
  return value;
}

function dateRange(task: Record<string, unknown>, min: string, defaultFrom: string): { from: string; to: string } {
  const to = dateField(task, 'date_to', min, dayOf(Date.now()));
  const from = dateField(task, 'date_from', min, defaultFrom);
  if (from > to) throw invalidField('date_from');
  return { from, to };
}

/** A domain only: the history endpoints take no page address. */
function domainTarget(task: Record<string, unknown>): string {
  const target = targetField(task);
  if (target.url) throw invalidField('target');
  return target.host.replace(/^www\./, '');
}

const stamp = (day: string) => `${day} 00:00:00 +00:00`;

/** Referring domains and backlinks grow towards today's data set; new/lost are 0 before May 2021, as documented. */
function answerHistory(task: Record<string, unknown>, account: AccountView, started: number): ProviderAnswer {
  checkCommonFields(task, ['target', 'date_from', 'date_to', 'rank_scale', 'tag']);
  const domain = domainTarget(task);
  enumField(task, 'rank_scale', ['one_thousand', 'one_hundred'], 'one_thousand');
  const { from, to } = dateRange(task, '2019-01-01', '2019-01-01');
  const refDomains = account.sizeOf(domain, 'refDomains');
  const backlinks = account.sizeOf(domain, 'backlinks');
  const months: string[] = [];
  // One item per month whose first day is in the range (metrics as of the first day of the month).
  for (let month = new Date(`${from.slice(0, 7)}-01T00:00:00Z`); dayOf(month.getTime()) <= to; month.setUTCMonth(month.getUTCMonth() + 1)) {
    const day = dayOf(month.getTime());
    if (day >= from) months.push(day);
  }
  const items = refDomains === 0 && backlinks === 0 ? [] : months.map((day, index) => {
    const grown = 0.4 + 0.6 * (months.length === 1 ? 1 : index / (months.length - 1));
    const known = day >= '2021-05-01';
    const churn = (what: string, base: number) => (known ? Math.round(base * (0.02 + 0.06 * unit(`${what}|${domain}|${day}`))) : 0);
    return {
      type: 'backlinks_history',
      date: stamp(day),
      rank: Math.round(30 + 40 * unit(`rank|${domain}`)),
      backlinks: Math.round(backlinks * grown),
      new_backlinks: churn('nb', backlinks),
      lost_backlinks: churn('lb', backlinks),
      new_referring_domains: churn('nd', refDomains),
      lost_referring_domains: churn('ld', refDomains),
      crawled_pages: Math.round(backlinks * grown * 0.3),
      referring_domains: Math.round(refDomains * grown),
      referring_main_domains: Math.round(refDomains * grown * 0.8),
    };
  });
  const cost = dataforseoCost(items.length);
  if (account.dataforseoBalanceUsd < cost) return dataforseoTopError(40210, 'Insufficient funds.');
  const data = { api: 'backlinks', function: 'history', ...task };
  const result = { target: domain, date_from: from, date_to: to, items_count: items.length, items };
  return dataforseoTaskAnswer({ statusCode: 20000, statusMessage: 'Ok.', cost, path: DATAFORSEO_HISTORY_PATH, data, result: [result] }, started, items.length);
}

type GroupRange = 'day' | 'week' | 'month' | 'year';

/** The last day of the period `day` falls in (weeks run Monday to Sunday). */
export function periodEnd(day: string, group: GroupRange): string {
  const date = new Date(timeOf(day));
  if (group === 'day') return day;
  if (group === 'week') return dayOf(date.getTime() + ((7 - date.getUTCDay()) % 7) * DAY_MS);
  if (group === 'month') return dayOf(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0));
  return `${date.getUTCFullYear()}-12-31`;
}

/** Every period from date_from's to date_to's, each labelled with its last day: the last one may end after date_to. */
function answerNewLost(task: Record<string, unknown>, account: AccountView, started: number): ProviderAnswer {
  checkCommonFields(task, ['target', 'date_from', 'date_to', 'group_range', 'include_subdomains', 'tag']);
  const domain = domainTarget(task);
  const group = enumField<GroupRange>(task, 'group_range', ['day', 'week', 'month', 'year'], 'month');
  const { from, to } = dateRange(task, '2019-01-30', '2019-01-30');
  const refDomains = account.sizeOf(domain, 'refDomains');
  const backlinks = account.sizeOf(domain, 'backlinks');
  const ends: string[] = [];
  for (let end = periodEnd(from, group); ; end = periodEnd(dayOf(timeOf(end) + DAY_MS), group)) {
    ends.push(end);
    if (end >= to) break;
  }
  const days: Record<GroupRange, number> = { day: 1, week: 7, month: 30, year: 365 };
  const items = ends.map((end) => {
    const churn = (what: string, base: number) => Math.round((base / 365) * days[group] * (0.5 + unit(`${what}|${domain}|${end}`)));
    return {
      type: 'backlinks_timeseries_new_lost_summary',
      date: stamp(end),
      new_backlinks: churn('nb', backlinks),
      lost_backlinks: churn('lb', backlinks),
      new_referring_domains: churn('nd', refDomains),
      lost_referring_domains: churn('ld', refDomains),
      new_referring_main_domains: churn('nm', refDomains * 0.8),
      lost_referring_main_domains: churn('lm', refDomains * 0.8),
    };
  });
  const cost = dataforseoCost(items.length);
  if (account.dataforseoBalanceUsd < cost) return dataforseoTopError(40210, 'Insufficient funds.');
  const data = { api: 'backlinks', function: 'timeseries_new_lost_summary', ...task };
  const result = { target: domain, date_from: from, date_to: to, group_range: group, items_count: items.length, items };
  return dataforseoTaskAnswer({ statusCode: 20000, statusMessage: 'Ok.', cost, path: DATAFORSEO_NEW_LOST_PATH, data, result: [result] }, started, items.length);
}

export const dataforseoChartAnswers: Record<string, (task: Record<string, unknown>, account: AccountView, started: number) => ProviderAnswer> = {
  [DATAFORSEO_HISTORY_PATH]: answerHistory,
  [DATAFORSEO_NEW_LOST_PATH]: answerNewLost,
};
