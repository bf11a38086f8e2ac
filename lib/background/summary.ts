import type { ProviderId } from '../errors';
import { ok, type Result } from '../result';
import type { RefDomainRow, Scope, Summary, TablePage, TableQuery } from '../reports';
import type { ProviderAdapter } from '../providers/types';

type PageFetch = (query: TableQuery, page: number, signal: AbortSignal) => Promise<Result<TablePage>>;

/**
 * The popup's numbers from two ordinary (cacheable) pages: the top 10 referring domains by rank,
 * whose total is the referring-domain count, and a one-row outbound page for its total.
 */
export async function fetchSummary(
  fetchPage: PageFetch,
  adapters: Record<ProviderId, ProviderAdapter>,
  provider: ProviderId,
  target: string,
  scope: Scope,
  signal: AbortSignal,
): Promise<Result<Summary>> {
  const base = { provider, target, scope, filters: [] };
  const top = await fetchPage({ ...base, report: 'refDomains', sort: { field: 'rank', order: 'desc' }, pageSize: 10 }, 1, signal);
  if (!top.ok) return top;
  const pages = [top.data];
  let outboundDomains: number | null = null;
  if (adapters[provider].capabilities.outDomains.supported) {
    const out = await fetchPage({ ...base, report: 'outDomains', pageSize: 1 }, 1, signal);
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
    topReferringDomains: top.data.rows.slice(0, 10) as RefDomainRow[],
    creditsSpent: pages.reduce((sum, p) => sum + p.creditsSpent, 0),
    costUsd: Math.round(pages.reduce((sum, p) => sum + p.costUsd, 0) * 1e6) / 1e6,
    creditsLeft: pages.findLast((p) => p.creditsLeft !== null)?.creditsLeft ?? null,
    fromCache: pages.every((p) => p.fromCache),
    fetchedAt: Math.min(...pages.map((p) => p.fetchedAt)),
  });
}
