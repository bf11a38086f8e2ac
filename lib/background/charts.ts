import { z } from 'zod';
import { lensError } from '../shared/errors';
import type { NeedsConsent, SpendConsent } from '../shared/protocol';
import { fail, ok, type Result } from '../shared/result';
import { sumBilledRetries, type Scope, type TablePage } from '../shared/reports';
import { chartRowSchemas, offersChart, type ChartId, type ChartQuery, type ChartRow, type Charts } from '../shared/charts';
import { addUpSpend } from '../shared/money';
import { providerName, type ProviderId } from '../shared/providers';
import { unreadableAnswer } from './providers/http';

/** What the charts need: the paid, cached fetch of the worker and the per-lookup check of a one-shot lookup. */
export interface ChartsClient {
  fetchPage(query: ChartQuery, page: number, signal: AbortSignal): Promise<Result<TablePage<ChartRow>>>;
  checkLimit: (pages: { query: ChartQuery; page: number }[], consent: SpendConsent | undefined) => Promise<NeedsConsent | null>;
}

export interface ChartsRequest {
  provider: ProviderId;
  charts: ChartId[];
  target: string;
  scope: Scope;
}

/** A chart's page as the cache holds it (free, sends nothing); null when it is not cached. */
export type CachedChartRead = (query: ChartQuery, page: number) => Promise<TablePage<ChartRow> | null>;

/**
 * The charts asked for, as one lookup: their requests together against the per-lookup limit
 * (nothing is sent past it without consent), then one after another through the paid path, so
 * each is cached and in the ledger. A chart that failed fails the answer; those fetched before
 * it are cached, so asking again pays only for the rest.
 */
export async function fetchCharts(
  client: ChartsClient,
  request: ChartsRequest,
  signal: AbortSignal,
  consent?: SpendConsent,
): Promise<Result<Charts | NeedsConsent>> {
  const queries = chartQueries(request);
  if (!queries.ok) return queries;
  const needs = await client.checkLimit(queries.data.map((query) => ({ query, page: 1 })), consent);
  if (needs) return ok(needs);
  return readCharts<never>(request, queries.data, (query) => client.fetchPage(query, 1, signal));
}

/**
 * The charts only as far as the cache holds them, for a tab that opens on an answer already paid
 * for: free, no per-lookup limit (nothing is spent), never a provider request; null unless every
 * chart is cached.
 */
export async function cachedCharts(cachedPage: CachedChartRead, request: ChartsRequest): Promise<Result<Charts | null>> {
  const queries = chartQueries(request);
  if (!queries.ok) return queries;
  const charts = await readCharts(request, queries.data, async (query) => {
    const page = await cachedPage(query, 1);
    return page && ok(page);
  });
  return charts ?? ok(null);
}

/** One query per chart asked for, or why the provider does not draw one of them. */
function chartQueries({ provider, target, scope, charts }: ChartsRequest): Result<ChartQuery[]> {
  const unique = [...new Set(charts)];
  const lacking = unique.find((chart) => !offersChart(provider, chart, scope));
  if (lacking) return fail(lensError('not_supported', `${providerName(provider)} does not draw this chart for this scope.`, { provider }));
  return ok(unique.map((report): ChartQuery => ({ provider, report, target, scope })));
}

/**
 * The charts' pages one after another, as one answer; a page that fails (or is not cached:
 * `Miss`) stops the lookup before the next is asked.
 */
async function readCharts<Miss extends null>(
  { provider, target }: ChartsRequest,
  queries: ChartQuery[],
  readPage: (query: ChartQuery) => Promise<Result<TablePage<ChartRow>> | Miss>,
): Promise<Result<Charts> | Miss> {
  const answer: Partial<Pick<Charts, ChartId>> = {};
  const pages: TablePage<ChartRow>[] = [];
  for (const query of queries) {
    const page = await readPage(query);
    if (!page || !page.ok) return page;
    // Cached answers are whatever IndexedDB kept: only points of the right shape are drawn.
    const rows = z.array(chartRowSchemas[query.report]).safeParse(page.data.rows);
    if (!rows.success) return fail(unreadableAnswer(provider, query.report));
    Object.assign(answer, { [query.report]: rows.data });
    pages.push(page.data);
  }
  return ok({
    provider,
    target,
    ...answer,
    ...addUpSpend(pages),
    billedRetries: sumBilledRetries(pages) ?? undefined,
    creditsLeft: pages.findLast((p) => p.creditsLeft !== null)?.creditsLeft ?? null,
    fromCache: pages.every((p) => p.fromCache),
    fetchedAt: Math.min(...pages.map((p) => p.fetchedAt)),
  });
}
