import type { ProviderId } from '../errors';
import { ok, type Result } from '../result';
import type { RefDomainRow, Scope, Summary, TablePage } from '../reports';
import type { ProviderClient } from './provider-client';

/** What the summary needs: a page fetcher (the paid, cached one in the worker) and the capabilities. */
export type SummaryClient = Pick<ProviderClient, 'fetchPage' | 'supports'>;

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
): Promise<Result<Summary>> {
  const base = { provider, target, scope, filters: [] };
  const top = await client.fetchPage(
    { ...base, report: 'refDomains', sort: { field: 'rank', order: 'desc' }, pageSize: TOP_REFERRING_DOMAINS },
    1,
    signal,
  );
  if (!top.ok) return top;
  const pages: TablePage[] = [top.data];
  let outboundDomains: number | null = null;
  if (client.supports(provider, 'outDomains')) {
    const out = await client.fetchPage({ ...base, report: 'outDomains', pageSize: 1 }, 1, signal);
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
    creditsSpent: pages.reduce((sum, p) => sum + p.creditsSpent, 0),
    // Rounded to micro-dollars so two float costs do not print as 0.30000000000000004.
    costUsd: Math.round(pages.reduce((sum, p) => sum + p.costUsd, 0) * 1e6) / 1e6,
    creditsLeft: pages.findLast((p) => p.creditsLeft !== null)?.creditsLeft ?? null,
    fromCache: pages.every((p) => p.fromCache),
    fetchedAt: Math.min(...pages.map((p) => p.fetchedAt)),
  });
}
