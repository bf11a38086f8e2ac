import { z } from 'zod';
import type { ProviderId } from './providers';
import { tableQuerySchema, type LinkGapOverlapRow } from './reports';
import type { PartFacts } from './summary';

/**
 * Link gap's overlap counts (Serpstat getIntersectSummary): how many domains link to each compared
 * domain and to each combination of them. A one-shot paid request, asked for by a click, through
 * the same paid path as a table's pages (cache, ledger, daily cap, per-lookup limit); the
 * background asks for it as the one page of `overlapQuery` of the tab's Link gap table.
 */
export const linkGapOverlapRequestSchema = z.lazy(() => z
  .object({
    type: z.literal('getLinkGapOverlap'),
    /** The tab's Link gap table: its target, my site and competitors say what is compared; its sort, filters and any/all do not count. */
    query: tableQuerySchema,
    /** The user's go-ahead after the background said the counts are above the per-lookup limit. */
    consent: z.literal('continue').optional(),
    /** Only what the cache holds (free, nothing sent), for a tab that opens on counts already paid for; null when not cached. */
    cachedOnly: z.literal(true).optional(),
  })
  .refine((request) => request.query.report === 'linkGap', { message: 'overlap counts are a Link gap report', path: ['query', 'report'] }));

/** A cached answer is whatever IndexedDB kept: only rows of this shape are shown. */
export const linkGapOverlapRowSchema: z.ZodType<LinkGapOverlapRow> = z.lazy(() => z.object({
  domains: z.array(z.string().min(1)).min(1),
  referringDomains: z.number().int().nonnegative(),
}));

/** The overlap counts of one comparison, with what they cost and how fresh they are. */
export interface LinkGapOverlap extends PartFacts {
  provider: ProviderId;
  mySite: string;
  /** The panel's target first, then the competitors added in the tab. */
  competitors: string[];
  /** One row per set of the compared domains the provider answered, in its order. */
  sets: LinkGapOverlapRow[];
}

/** A domain as the provider writes it back: any case, with or without www. */
const siteKey = (domain: string) => domain.trim().toLowerCase().replace(/^www\./, '');
const setKey = (domains: readonly string[]) => [...new Set(domains.map(siteKey))].sort().join(',');

/**
 * The count of one set of domains, looked up by the set (the provider's rows come in no fixed
 * order, nor do the names inside a row); null when the answer has no row for it.
 */
export function overlapCountOf(sets: readonly LinkGapOverlapRow[], domains: readonly string[]): number | null {
  const wanted = setKey(domains);
  return sets.find((row) => setKey(row.domains) === wanted)?.referringDomains ?? null;
}

/** Every non-empty subset of `items`, each in the items' order (the sets getIntersectSummary counts). */
export function nonEmptySubsets<T>(items: readonly T[]): T[][] {
  return Array.from({ length: 2 ** items.length - 1 }, (_, index) => items.filter((_, position) => ((index + 1) >> position) & 1));
}

/** One term of a figure derived from the counts: `sign` × the count of the domains' shared donors. */
export interface OverlapTerm {
  sign: 1 | -1;
  domains: string[];
}

/**
 * Donors the competitors have and my site lacks, as sums of the counts (the single-domain rows are
 * totals, not "only this domain"): for one competitor C, C − C∩M; for "any" of them the
 * inclusion–exclusion over every non-empty set S of competitors, (−1)^(|S|+1) × (∩S − ∩S∩M);
 * for "all" of them ∩C − ∩C∩M.
 */
export function gapTerms(mySite: string, competitors: readonly string[], match: 'any' | 'all'): OverlapTerm[] {
  if (match === 'all') {
    return [
      { sign: 1, domains: [...competitors] },
      { sign: -1, domains: [...competitors, mySite] },
    ];
  }
  return nonEmptySubsets(competitors).flatMap((members): OverlapTerm[] => {
    const sign = members.length % 2 === 1 ? 1 : -1;
    return [
      { sign, domains: members },
      { sign: sign === 1 ? -1 : 1, domains: [...members, mySite] },
    ];
  });
}

/** A derived figure with the counts it comes from; null when a count it needs is not in the answer. */
export function derivedCount(sets: readonly LinkGapOverlapRow[], terms: readonly OverlapTerm[]): { value: number; counts: number[] } | null {
  const counts = terms.map((term) => overlapCountOf(sets, term.domains));
  if (counts.some((count) => count === null)) return null;
  const value = terms.reduce((sum, term, index) => sum + term.sign * counts[index]!, 0);
  // Counts that do not add up (a provider's inconsistency) give no figure rather than a negative one.
  return value < 0 ? null : { value, counts: counts as number[] };
}
