import type { RefDomainRow } from '../shared/reports';

export type SeenBy = 'Serpstat' | 'DataForSEO' | 'Both';

/** One referring domain as both providers see it ("Both" mode of the side panel). */
export interface MergedRefDomainRow {
  domain: string;
  serpstatRank: number | null;
  dataforseoRank: number | null;
  seenBy: SeenBy;
}

/** Providers may differ in case or a trailing root dot; the domain is the same. */
function domainKey(domain: string): string {
  return domain.trim().toLowerCase().replace(/\.$/, '');
}

/** The better of the two ranks, for ordering; a domain with no rank goes last. */
function bestRank(row: MergedRefDomainRow): number {
  return Math.max(row.serpstatRank ?? -1, row.dataforseoRank ?? -1);
}

/**
 * Serpstat and DataForSEO referring domains merged by domain: one row per domain with each
 * provider's rank and who saw it. Ordered by the best rank, highest first, then by domain, so the
 * order does not depend on which provider's page arrived first. A domain listed twice by one
 * provider keeps its first row.
 */
export function mergeRefDomains(serpstat: readonly RefDomainRow[], dataforseo: readonly RefDomainRow[]): MergedRefDomainRow[] {
  const byDomain = new Map<string, MergedRefDomainRow>();
  for (const row of serpstat) {
    const key = domainKey(row.domain);
    if (!byDomain.has(key)) byDomain.set(key, { domain: row.domain, serpstatRank: row.rank, dataforseoRank: null, seenBy: 'Serpstat' });
  }
  for (const row of dataforseo) {
    const key = domainKey(row.domain);
    const existing = byDomain.get(key);
    if (!existing) byDomain.set(key, { domain: row.domain, serpstatRank: null, dataforseoRank: row.rank, seenBy: 'DataForSEO' });
    else if (existing.seenBy === 'Serpstat') byDomain.set(key, { ...existing, dataforseoRank: row.rank, seenBy: 'Both' });
  }
  return [...byDomain.values()].sort((a, b) => bestRank(b) - bestRank(a) || domainKey(a.domain).localeCompare(domainKey(b.domain)));
}
