import { z } from 'zod';
import { lensError } from '../shared/errors';
import { linkGapOverlapRowSchema, type LinkGapOverlap } from '../shared/link-gap-overlap';
import type { NeedsConsent, SpendConsent } from '../shared/protocol';
import { capabilityOf, providerName } from '../shared/providers';
import { fail, ok, type Result } from '../shared/result';
import { overlapQuery, type AnyRow, type Comparison, type TablePage, type TableQuery } from '../shared/reports';
import { unreadableAnswer } from './providers/http';

/** What the overlap counts need: the worker's paid, cached fetch and the per-lookup check of a one-shot lookup. */
export interface LinkGapOverlapClient {
  fetchPage(query: TableQuery, page: number, signal: AbortSignal): Promise<Result<TablePage<AnyRow>>>;
  checkLimit: (pages: { query: TableQuery; page: number }[], consent: SpendConsent | undefined) => Promise<NeedsConsent | null>;
}

/**
 * The overlap counts of a Link gap table's comparison, as one lookup: checked against the
 * per-lookup limit (nothing is sent past it without consent), then the one page of its
 * `overlapQuery` through the paid path, so it is cached, shared while on its way, held to the
 * daily cap and booked in the ledger once.
 */
export async function fetchLinkGapOverlap(
  client: LinkGapOverlapClient,
  table: TableQuery,
  signal: AbortSignal,
  consent?: SpendConsent,
): Promise<Result<LinkGapOverlap | NeedsConsent>> {
  const counted = countedTable(table);
  if (!counted.ok) return counted;
  const query = overlapQuery(counted.data);
  const needs = await client.checkLimit([{ query, page: 1 }], consent);
  if (needs) return ok(needs);

  const page = await client.fetchPage(query, 1, signal);
  if (!page.ok) return page;
  return overlapOf(counted.data, page.data);
}

/** The counts' page as the cache holds it (free, sends nothing); null when it is not cached. */
export type CachedCountsRead = (query: TableQuery, page: number) => Promise<TablePage<AnyRow> | null>;

/**
 * The overlap counts only if the cache holds them, for a tab that opens on an answer already paid
 * for: free, no per-lookup limit (nothing is spent), never a provider request; null when not cached.
 */
export async function cachedLinkGapOverlap(cachedPage: CachedCountsRead, table: TableQuery): Promise<Result<LinkGapOverlap | null>> {
  const counted = countedTable(table);
  if (!counted.ok) return counted;
  const page = await cachedPage(overlapQuery(counted.data), 1);
  return page ? overlapOf(counted.data, page) : ok(null);
}

/** The table with the comparison whose overlaps are counted, or why the provider does not count them. */
function countedTable(table: TableQuery): Result<TableQuery & { comparison: Comparison }> {
  const { provider, comparison } = table;
  const capability = capabilityOf(provider, 'linkGap');
  if (!comparison || !capability.supported || !capability.overlapCounts) {
    return fail(lensError('not_supported', `${providerName(provider)} does not count the overlaps of a link gap.`, { provider }));
  }
  return ok({ ...table, comparison });
}

/** The counts' page as the answer, its rows checked (a cached page is whatever IndexedDB kept). */
function overlapOf(table: TableQuery & { comparison: Comparison }, page: TablePage<AnyRow>): Result<LinkGapOverlap> {
  const { provider, comparison } = table;
  const sets = z.array(linkGapOverlapRowSchema).safeParse(page.rows);
  if (!sets.success) return fail(unreadableAnswer(provider, 'linkGap'));
  const { creditsSpent, costUsd, creditsLeft, fromCache, fetchedAt, billedRetries } = page;
  return ok({
    provider,
    mySite: comparison.mySite,
    competitors: [table.target, ...comparison.competitors],
    sets: sets.data,
    creditsSpent,
    costUsd,
    creditsLeft,
    fromCache,
    fetchedAt,
    ...(billedRetries ? { billedRetries } : {}),
  });
}
