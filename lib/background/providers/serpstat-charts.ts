import { z } from 'zod';
import { lensError, type LensError } from '../../shared/errors';
import { fail, ok, type Result } from '../../shared/result';
import type { ProviderPage } from '../../shared/reports';
import type { ChartId, ChartQuery, ChartRow, HistoryPoint, RankBucket } from '../../shared/charts';
import { answerIssue, withoutSecrets } from './http';
import { call, secretsOf, type SerpstatCall } from './serpstat';
import type { RequestContext } from './types';

const provider = 'serpstat';

/** Serpstat's one-shot methods behind the charts: no paging, sort or filter, 1 credit each. */
export const serpstatChartMethods: Partial<Record<ChartId, string>> = {
  newLost: 'SerpstatBacklinksProcedure.getBacklinksChangesHistory',
  rankDistribution: 'SerpstatBacklinksProcedure.getDistributionSDR',
};

/** Both methods bill 1 credit per request, an empty answer included. */
const CREDITS_PER_CHART = 1;

export function buildSerpstatChartRequest(query: ChartQuery): Result<SerpstatCall> {
  const method = serpstatChartMethods[query.report];
  if (!method) return fail(lensError('not_supported', 'Serpstat does not draw this chart.', { provider }));
  if (query.scope === 'url') {
    return fail(lensError('not_supported', 'Serpstat looks up whole domains or hosts, not single pages.', { provider }));
  }
  // searchType is required on one version of the docs and optional on another: always sent.
  return ok({ id: query.report, method, params: { query: query.target, searchType: query.scope } });
}

// `total`, `sort` and `order` are null here (not 0 or ""), and the balance may be missing: only the balance is read.
const summaryInfoSchema = z.object({ left_lines: z.number().nonnegative().nullable().optional() }).nullable().optional();
const changeSchema = z.object({ date: z.string().regex(/^\d{4}-\d{2}-\d{2}/), new_links: z.number().int().nonnegative(), lost_links: z.number().int().nonnegative() });
const bucketSchema = z.object({ sdr_range: z.string(), domains: z.number().int().nonnegative() });

/** "0", "1 - 9", …, "90 - 100": labels with spaces around the dash, not numeric keys. */
export function parseSdrRange(label: string): { from: number; to: number } | null {
  const match = /^\s*(\d{1,3})\s*(?:[-–]\s*(\d{1,3})\s*)?$/.exec(label);
  if (!match) return null;
  const from = Number(match[1]);
  const to = match[2] === undefined ? from : Number(match[2]);
  return from <= to && to <= 100 ? { from, to } : null;
}

function changePoint(row: z.infer<typeof changeSchema>): HistoryPoint {
  return {
    date: row.date.slice(0, 10),
    backlinks: null,
    referringDomains: null,
    newBacklinks: row.new_links,
    lostBacklinks: row.lost_links,
    newReferringDomains: null,
    lostReferringDomains: null,
    partial: false,
  };
}

/** Validates and normalises a documented `result` of a chart method. Exported for the docs' examples. */
export function parseSerpstatChart(chart: ChartId, result: unknown): Result<ProviderPage<ChartRow>> {
  // The credit is spent whatever the answer holds: an unreadable one still goes in the ledger.
  const unreadable = (error: LensError) => fail<ProviderPage<ChartRow>>({ ...error, charged: { credits: CREDITS_PER_CHART, usd: 0 } });
  const envelope = z.object({ data: z.array(z.unknown()), summary_info: summaryInfoSchema }).safeParse(result);
  if (!envelope.success) return unreadable(answerIssue(provider, 'result', envelope.error.issues[0]));
  const rows: ChartRow[] = [];
  for (const [index, raw] of envelope.data.data.entries()) {
    const where = `result.data.${index}`;
    if (chart === 'rankDistribution') {
      const bucket = bucketSchema.safeParse(raw);
      if (!bucket.success) return unreadable(answerIssue(provider, where, bucket.error.issues[0]));
      const range = parseSdrRange(bucket.data.sdr_range);
      if (!range) return unreadable(answerIssue(provider, where, { code: 'custom', path: ['sdr_range'], message: 'not a rank range', input: bucket.data.sdr_range }));
      rows.push({ ...range, domains: bucket.data.domains } satisfies RankBucket);
    } else {
      const change = changeSchema.safeParse(raw);
      if (!change.success) return unreadable(answerIssue(provider, where, change.error.issues[0]));
      rows.push(changePoint(change.data));
    }
  }
  // The docs do not promise an order: oldest first, lowest rank first.
  const key = (row: ChartRow) => ('date' in row ? row.date : String(row.from).padStart(3, '0'));
  rows.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return ok({ rows, total: rows.length, creditsSpent: CREDITS_PER_CHART, costUsd: 0, creditsLeft: envelope.data.summary_info?.left_lines ?? null });
}

async function fetchChart(query: ChartQuery, ctx: RequestContext): Promise<Result<ProviderPage<ChartRow>>> {
  const request = buildSerpstatChartRequest(query);
  if (!request.ok) return request;
  const result = await call(request.data.method, request.data.params, request.data.id, ctx);
  // "No data" is charged 1 credit and is an answer worth caching: a chart with nothing to draw.
  if (result === 'no_data') return ok({ rows: [], total: 0, creditsSpent: CREDITS_PER_CHART, costUsd: 0, creditsLeft: null });
  if (!result.ok) return result;
  return parseSerpstatChart(query.report, result.data);
}

export const fetchSerpstatChart = async (query: ChartQuery, ctx: RequestContext) => withoutSecrets(await fetchChart(query, ctx), secretsOf(ctx));
