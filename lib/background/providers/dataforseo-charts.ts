import { z } from 'zod';
import { lensError, type LensError } from '../../shared/errors';
import { fail, ok, type Result } from '../../shared/result';
import type { ProviderPage } from '../../shared/reports';
import { HISTORY_CHANGES_FROM, HISTORY_FROM, NEW_LOST_WEEKS, type ChartId, type ChartQuery, type ChartRow, type HistoryPoint } from '../../shared/charts';
import { answerIssue, withoutSecrets } from './http';
import { billed, postTask, secretsOf, taskResult } from './dataforseo';
import type { RequestContext } from './types';

const provider = 'dataforseo';

export const dataforseoChartPaths: Partial<Record<ChartId, string>> = {
  linkTotals: '/v3/backlinks/history/live',
  newLost: '/v3/backlinks/timeseries_new_lost_summary/live',
};

const DAY_MS = 86_400_000;
/** yyyy-mm-dd of a moment, in UTC (the provider's dates are UTC). */
const utcDay = (time: number) => new Date(time).toISOString().slice(0, 10);

/**
 * The task for one chart as of `today`: the monthly history since 2019 (its whole length costs
 * about $0.023), or weekly new and lost over the last year (about 53 buckets, $0.022; daily
 * buckets over the same range would be 365 items).
 */
export function buildDataForSeoChartRequest(query: ChartQuery, today: Date): Result<Record<string, unknown>[]> {
  if (query.scope !== 'domain_with_subdomains' || !dataforseoChartPaths[query.report]) {
    return fail(lensError('not_supported', 'DataForSEO draws this history for a whole domain with its subdomains only.', { provider }));
  }
  // A domain goes without scheme and without www.
  const target = query.target.replace(/^www\./i, '');
  const dateTo = utcDay(today.getTime());
  if (query.report === 'linkTotals') {
    return ok([{ target, date_from: HISTORY_FROM, date_to: dateTo, rank_scale: 'one_hundred' }]);
  }
  const dateFrom = utcDay(today.getTime() - NEW_LOST_WEEKS * 7 * DAY_MS);
  return ok([{ target, date_from: dateFrom, date_to: dateTo, group_range: 'week', include_subdomains: true }]);
}

const resultSchema = z.object({ date_to: z.string().nullable().optional(), items: z.array(z.unknown()).nullable() });
const count = z.number().int().nonnegative();
const changeFields = {
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}/),
  new_backlinks: count,
  lost_backlinks: count,
  new_referring_domains: count,
  lost_referring_domains: count,
};
const historyItemSchema = z.object({ ...changeFields, backlinks: count, referring_domains: count });
const newLostItemSchema = z.object(changeFields);

/** Validates and normalises a history/live or timeseries_new_lost_summary/live answer. Exported for the docs' examples. */
export function parseDataForSeoChart(chart: ChartId, json: unknown, httpStatus = 200): Result<ProviderPage<ChartRow>> {
  const task = taskResult(json, httpStatus);
  if (!task.ok) return task;
  const unreadable = (error: LensError) => fail<ProviderPage<ChartRow>>(billed(error, task.data.costUsd));
  const parsed = resultSchema.safeParse(task.data.result[0]);
  if (!parsed.success) return unreadable(answerIssue(provider, 'tasks.0.result.0', parsed.error.issues[0]));
  const askedTo = parsed.data.date_to?.slice(0, 10) ?? null;
  const rows: HistoryPoint[] = [];
  for (const [index, raw] of (parsed.data.items ?? []).entries()) {
    const where = `tasks.0.result.0.items.${index}`;
    if (chart === 'linkTotals') {
      const item = historyItemSchema.safeParse(raw);
      if (!item.success) return unreadable(answerIssue(provider, where, item.error.issues[0]));
      const date = item.data.date.slice(0, 10);
      // Before May 2021 new and lost come as 0: the provider had no such data then, so none is shown.
      const known = date >= HISTORY_CHANGES_FROM;
      rows.push({
        date,
        backlinks: item.data.backlinks,
        referringDomains: item.data.referring_domains,
        newBacklinks: known ? item.data.new_backlinks : null,
        lostBacklinks: known ? item.data.lost_backlinks : null,
        newReferringDomains: known ? item.data.new_referring_domains : null,
        lostReferringDomains: known ? item.data.lost_referring_domains : null,
        partial: false,
      });
    } else {
      const item = newLostItemSchema.safeParse(raw);
      if (!item.success) return unreadable(answerIssue(provider, where, item.error.issues[0]));
      const date = item.data.date.slice(0, 10);
      rows.push({
        date,
        backlinks: null,
        referringDomains: null,
        newBacklinks: item.data.new_backlinks,
        lostBacklinks: item.data.lost_backlinks,
        newReferringDomains: item.data.new_referring_domains,
        lostReferringDomains: item.data.lost_referring_domains,
        // A bucket is labelled with its last day: one that ends after the day asked for is still counting.
        partial: askedTo !== null && date > askedTo,
      });
    }
  }
  rows.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return ok({ rows, total: rows.length, creditsSpent: 0, costUsd: task.data.costUsd, creditsLeft: null });
}

async function fetchChart(query: ChartQuery, ctx: RequestContext): Promise<Result<ProviderPage<ChartRow>>> {
  const path = dataforseoChartPaths[query.report] ?? '';
  const answer = await postTask(path, buildDataForSeoChartRequest(query, new Date()), ctx);
  return answer.ok ? parseDataForSeoChart(query.report, answer.data.json, answer.data.status) : answer;
}

export const fetchDataForSeoChart = async (query: ChartQuery, ctx: RequestContext) => withoutSecrets(await fetchChart(query, ctx), secretsOf(ctx));
