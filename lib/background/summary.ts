import type { NeedsConsent, SpendConsent } from '../shared/protocol';
import { ok, type Result } from '../shared/result';
import { sumBilledRetries, type RefDomainRow, type Scope, type Summary, type TablePage, type TableQuery } from '../shared/reports';
import type { ProviderClient } from './provider-client';
import type { ProviderId } from '../shared/providers';
import { addUpSpend } from '../shared/money';

/**
 * What the summary needs: a page fetcher (the paid, cached one in the worker), the capabilities,
 * and the per-lookup limit, checked for the summary's pages together before any is asked.
 */
export type SummaryClient = Pick<ProviderClient, 'supports'> & {
  fetchPage(query: TableQuery, page: number, signal: AbortSignal): Promise<Result<TablePage>>;
  checkLimit?: (pages: { query: TableQuery; page: number }[], consent: SpendConsent | undefined) => Promise<NeedsConsent | null>;
};

const TOP_REFERRING_DOMAINS = 10;

/**
 * The popup's numbers from ordinary (cacheable) pages: the top 10 referring domains by rank,
 * whose total is the referring-domain count, and a one-row outbound page for its total.
 */
export async function fetchSummary(
  client: SummaryClient,
  provider: ProviderId,
  target: string,
  scope: Scope,
  signal: AbortSignal,
  consent?: SpendConsent,
): Promise<Result<Summary | NeedsConsent>> {
  const base = { provider, target, scope, filters: [] };
  const topQuery: TableQuery = { ...base, report: 'refDomains', sort: { field: 'rank', order: 'desc' }, pageSize: TOP_REFERRING_DOMAINS };
  const outQuery: TableQuery | null = client.supports(provider, 'outDomains') ? { ...base, report: 'outDomains', pageSize: 1 } : null;
  const needs = await client.checkLimit?.(
    [topQuery, outQuery].flatMap((query) => (query ? [{ query, page: 1 }] : [])),
    consent,
  );
  if (needs) return ok(needs);
  const top = await client.fetchPage(topQuery, 1, signal);
  if (!top.ok) return top;
  const pages: TablePage[] = [top.data];
  let outboundDomains: number | null = null;
  if (outQuery) {
    const out = await client.fetchPage(outQuery, 1, signal);
    // The outbound count is a bonus: without it the popup still shows what it has.
    if (out.ok) {
      pages.push(out.data);
      outboundDomains = out.data.total;
    }
  }
  return ok({
    provider,
    target,
    referringDomains: top.data.total,
    outboundDomains,
    backlinks: null,
    topReferringDomains: top.data.rows.slice(0, TOP_REFERRING_DOMAINS) as RefDomainRow[],
    ...addUpSpend(pages),
    billedRetries: sumBilledRetries(pages) ?? undefined,
    creditsLeft: pages.findLast((p) => p.creditsLeft !== null)?.creditsLeft ?? null,
    fromCache: pages.every((p) => p.fromCache),
    fetchedAt: Math.min(...pages.map((p) => p.fetchedAt)),
  });
}
