import type { NeedsConsent, SpendConsent } from '../shared/protocol';
import { ok, type Result } from '../shared/result';
import type { RefDomainRow, Scope, TablePage, TableQuery } from '../shared/reports';
import { SUMMARY_REPORT, type PaidQuery, type PaidRow, type PartFacts, type SummaryQuery, type TopDomainsPart, type TotalsPart } from '../shared/summary';
import type { PaidFetch } from './cache/paid-fetch';
import type { ProviderId } from '../shared/providers';

/** What the popup's lookup needs of the worker: the paid (cached, billed, capped) fetch and the per-lookup limit. */
export interface SummaryClient {
  fetchPage: PaidFetch;
  /** The per-lookup limit, checked for the lookup's requests together before any is asked. */
  checkLimit: (requests: { query: PaidQuery; page: number }[], consent: SpendConsent | undefined) => Promise<NeedsConsent | null>;
  /** The provider sends one request at a time (Serpstat): then the totals are asked first, so they are what its first answer brings. */
  oneAtATime: (provider: ProviderId) => boolean;
}

/** Where each part of the lookup goes as soon as it has arrived. */
export interface SummaryParts {
  totals(result: Result<TotalsPart>): void;
  topDomains(result: Result<TopDomainsPart>): void;
}

const TOP_REFERRING_DOMAINS = 10;

/**
 * The popup's two requests: the provider's summary (its totals: 1 Serpstat credit, about $0.02
 * at DataForSEO) and the top 10 referring domains by rank, an ordinary cacheable page.
 */
export function summaryRequests(provider: ProviderId, target: string, scope: Scope): { totals: SummaryQuery; topDomains: TableQuery } {
  return {
    totals: { provider, report: SUMMARY_REPORT, target, scope },
    topDomains: { provider, report: 'refDomains', target, scope, filters: [], sort: { field: 'rank', order: 'desc' }, pageSize: TOP_REFERRING_DOMAINS },
  };
}

const factsOf = (page: TablePage<PaidRow>): PartFacts => ({
  creditsSpent: page.creditsSpent,
  costUsd: page.costUsd,
  ...(page.billedRetries ? { billedRetries: page.billedRetries } : {}),
  creditsLeft: page.creditsLeft,
  fromCache: page.fromCache,
  fetchedAt: page.fetchedAt,
});

/**
 * The popup's lookup: both requests checked together against the per-lookup limit, then asked,
 * each part handed to `parts` the moment it arrives (errors as data). Resolves once both parts
 * are handed over, with null, or at once with the limit's figures when nothing may be sent.
 */
export async function lookUpSummary(
  client: SummaryClient,
  provider: ProviderId,
  target: string,
  scope: Scope,
  signal: AbortSignal,
  consent: SpendConsent | undefined,
  parts: SummaryParts,
): Promise<NeedsConsent | null> {
  const requests = summaryRequests(provider, target, scope);
  const needs = await client.checkLimit(
    [
      { query: requests.totals, page: 1 },
      { query: requests.topDomains, page: 1 },
    ],
    consent,
  );
  if (needs) return needs;

  const totals = client.fetchPage(requests.totals, 1, signal).then((result) => {
    parts.totals(result.ok ? ok({ ...factsOf(result.data), totals: result.data.rows[0] ?? null }) : result);
  });
  const askTopDomains = () => client.fetchPage(requests.topDomains, 1, signal);
  const topDomains = (client.oneAtATime(provider) ? totals.then(askTopDomains) : askTopDomains()).then((result) => {
    const rows = result.ok ? (result.data.rows.slice(0, TOP_REFERRING_DOMAINS) as RefDomainRow[]) : [];
    parts.topDomains(result.ok ? ok({ ...factsOf(result.data), rows }) : result);
  });
  await Promise.all([totals, topDomains]);
  return null;
}
