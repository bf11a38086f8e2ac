import { z } from 'zod';
import { lensError } from '../shared/errors';
import { linkGapOverlapRowSchema, type LinkGapOverlap } from '../shared/link-gap-overlap';
import type { NeedsConsent, SpendConsent } from '../shared/protocol';
import { capabilityOf, providerName } from '../shared/providers';
import { fail, ok, type Result } from '../shared/result';
import { overlapQuery, type AnyRow, type TablePage, type TableQuery } from '../shared/reports';
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
  const { provider, comparison } = table;
  const capability = capabilityOf(provider, 'linkGap');
  if (!comparison || !capability.supported || !capability.overlapCounts) {
    return fail(lensError('not_supported', `${providerName(provider)} does not count the overlaps of a link gap.`, { provider }));
  }
  const query = overlapQuery({ ...table, comparison });
  const needs = await client.checkLimit([{ query, page: 1 }], consent);
  if (needs) return ok(needs);

  const page = await client.fetchPage(query, 1, signal);
  if (!page.ok) return page;
  const sets = z.array(linkGapOverlapRowSchema).safeParse(page.data.rows);
  if (!sets.success) return fail(unreadableAnswer(provider, 'linkGap'));
  const { creditsSpent, costUsd, creditsLeft, fromCache, fetchedAt, billedRetries } = page.data;
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
