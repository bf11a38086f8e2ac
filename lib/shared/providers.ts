import { z } from 'zod';
import type { Filter, LinkGapMatch, ReportId, Scope } from './reports';

type LinkAttribute = Extract<Filter, { kind: 'attribute' }>['values'][number];

/**
 * The provider catalogue: what each provider is and offers, for the UI (which controls to show)
 * and the background (what to refuse before a request). How to ask a provider lives in its
 * adapter (lib/background/providers/); docs/providers.md says where the facts come from.
 */

export const providerIds = ['serpstat', 'dataforseo'] as const;
export const providerIdSchema = z.enum(providerIds);
export type ProviderId = z.infer<typeof providerIdSchema>;

/** What a provider bills in: Serpstat API credits, DataForSEO US dollars. */
export type MoneyUnit = 'credits' | 'usd';

/** What a provider offers for one report: the UI renders its controls from this. */
export type ReportCapability =
  | {
      supported: true;
      /** Column ids (row model) the provider can sort by, server-side. */
      sortable: string[];
      defaultSort: { field: string; order: 'asc' | 'desc' };
      filters: Filter['kind'][];
      flags: string[];
      scopes: Scope[];
      /** The most rows the provider sends for one query, whatever its total says. */
      maxRows?: number;
      /** Link gap: how domains may be matched against several competitors (any of them, all of them). */
      matches?: LinkGapMatch[];
      /** Link gap: the most competitors (the panel's target included) compared with my site at once. */
      maxCompetitors?: number;
      /** Link gap: the provider can count each overlap of the compared domains' linking domains, a paid call of its own. */
      overlapCounts?: boolean;
      /** The link attributes the attribute filter can ask for, when the provider takes fewer than all four. */
      attributes?: LinkAttribute[];
      /**
       * The deepest offset the provider pages to; each page past it continues from the page before
       * with the token that page's answer carried (DataForSEO backlinks: 20,000), so it is asked
       * only once its predecessor has arrived.
       */
      offsetLimit?: number;
    }
  | { supported: false };

export interface ProviderInfo {
  id: ProviderId;
  /** Display name: a brand, the same in every language. */
  name: string;
  /** The unit of every cost, limit and balance of this provider. */
  unit: MoneyUnit;
  /** For estimates before a request, in `unit`: what each request and each row returned costs, and the least a request costs. */
  pricing: { perRequest: number; perRow: number; minPerRequest: number };
  /** Requests the provider lets one account have on their way at once. */
  maxInFlight: number;
  reports: Record<ReportId, ReportCapability>;
}

/** Serpstat plans allow 1 request a second, the top ones up to 10: the user picks from these. */
export const SERPSTAT_REQUESTS_PER_SECOND = [1, 2, 3, 5, 10] as const;

/** Serpstat sends at most 60,000 rows per method; deeper pages come back empty but still cost. */
export const SERPSTAT_MAX_ROWS = 60_000;

const serpstatLinkSorts = ['urlFrom', 'urlTo', 'anchor', 'attribute', 'externalLinks', 'linkType', 'lastSeen'];
const serpstatScopes: Scope[] = ['domain_with_subdomains', 'domain'];
/** A Serpstat link method without rank filter and first-seen sort (getOutlinks, getLostBacklinks). */
const serpstatLinkList: ReportCapability = {
  supported: true,
  sortable: serpstatLinkSorts,
  defaultSort: { field: 'lastSeen', order: 'desc' },
  filters: ['contains', 'notContains', 'flag', 'attribute'],
  flags: ['no_subdomains', 'only_main_page', 'last_week'],
  scopes: serpstatScopes,
  maxRows: SERPSTAT_MAX_ROWS,
};
/** DataForSEO's backlinks/backlinks/live offset limit; past it, search_after_token. */
export const DATAFORSEO_BACKLINKS_OFFSET_LIMIT = 20_000;
const dataforseoLinkSorts = ['urlFrom', 'urlTo', 'anchor', 'linkType', 'externalLinks', 'firstSeen', 'lastSeen', 'domainRank'];
/** Both link reports of DataForSEO: one endpoint, the same fields (docs/providers.md). */
const dataforseoLinks = {
  supported: true,
  sortable: dataforseoLinkSorts,
  filters: ['contains', 'notContains', 'minRank', 'maxRank', 'attribute'],
  // Its `dofollow` is follow or nofollow; ugc and sponsored are rel values it has no filter for.
  attributes: ['follow', 'nofollow'],
  flags: [],
  scopes: ['domain_with_subdomains', 'domain', 'url'],
  offsetLimit: DATAFORSEO_BACKLINKS_OFFSET_LIMIT,
} as const satisfies Omit<Extract<ReportCapability, { supported: true }>, 'defaultSort'>;

export const providerCatalogue: Record<ProviderId, ProviderInfo> = {
  serpstat: {
    id: 'serpstat',
    name: 'Serpstat',
    unit: 'credits',
    // 1 credit per row, and an empty answer still costs 1.
    pricing: { perRequest: 0, perRow: 1, minPerRequest: 1 },
    // One at a time, spaced by the plan's rate (SERPSTAT_REQUESTS_PER_SECOND, chosen in Options).
    maxInFlight: 1,
    reports: {
      refDomains: {
        supported: true,
        sortable: ['domain', 'rank', 'refPages'],
        defaultSort: { field: 'rank', order: 'desc' },
        filters: ['contains', 'notContains', 'flag', 'minRank', 'maxRank'],
        flags: ['last_week', 'no_subdomains', 'only_subdomains'],
        scopes: serpstatScopes,
        maxRows: SERPSTAT_MAX_ROWS,
      },
      outDomains: {
        supported: true,
        sortable: ['domain', 'rank', 'links'],
        defaultSort: { field: 'links', order: 'desc' },
        filters: ['contains', 'notContains', 'flag', 'minRank', 'maxRank'],
        flags: ['no_subdomains', 'only_subdomains'],
        scopes: serpstatScopes,
        maxRows: SERPSTAT_MAX_ROWS,
      },
      backlinks: {
        supported: true,
        sortable: [...serpstatLinkSorts, 'firstSeen', 'domainRank'],
        defaultSort: { field: 'lastSeen', order: 'desc' },
        filters: ['contains', 'notContains', 'flag', 'minRank', 'maxRank', 'attribute'],
        flags: ['no_subdomains', 'only_main_page', 'last_week'],
        scopes: serpstatScopes,
        maxRows: SERPSTAT_MAX_ROWS,
      },
      anchors: {
        supported: true,
        sortable: ['anchor', 'refDomains', 'backlinks', 'nofollow'],
        defaultSort: { field: 'refDomains', order: 'desc' },
        filters: ['contains', 'notContains', 'flag'],
        flags: ['no_subdomains'],
        scopes: serpstatScopes,
        maxRows: SERPSTAT_MAX_ROWS,
      },
      topPages: {
        supported: true,
        sortable: ['url', 'refDomains', 'refPages', 'refIps'],
        // Serpstat's own default (the date found) is no ranking.
        defaultSort: { field: 'refDomains', order: 'desc' },
        filters: ['contains', 'notContains', 'flag'],
        flags: ['no_subdomains'],
        scopes: serpstatScopes,
        maxRows: SERPSTAT_MAX_ROWS,
      },
      // getLostBacklinks, like getOutlinks, sorts and filters by neither the first-seen date nor the domain rank.
      lostBacklinks: serpstatLinkList,
      outlinks: serpstatLinkList,
      // getIntersect has no searchType: it compares whole domains, as the default scope does.
      linkGap: {
        supported: true,
        sortable: ['rank', 'linksTo1', 'linksTo2'],
        defaultSort: { field: 'rank', order: 'desc' },
        filters: ['minRank', 'maxRank'],
        flags: [],
        scopes: ['domain_with_subdomains'],
        maxRows: SERPSTAT_MAX_ROWS,
        // My site is domain #1, so two competitors fill links_count2 and links_count3.
        maxCompetitors: 2,
        matches: ['any', 'all'],
        overlapCounts: true,
      },
    },
  },
  dataforseo: {
    id: 'dataforseo',
    name: 'DataForSEO',
    unit: 'usd',
    // A live backlinks request: a base price plus a little per row; the answer states the exact cost.
    pricing: { perRequest: 0.02, perRow: 0.00003, minPerRequest: 0 },
    maxInFlight: 30,
    reports: {
      refDomains: {
        supported: true,
        sortable: ['domain', 'rank', 'backlinks', 'refPages', 'firstSeen', 'lostDate', 'spamScore'],
        defaultSort: { field: 'rank', order: 'desc' },
        filters: ['contains', 'notContains', 'minRank', 'maxRank'],
        flags: [],
        scopes: ['domain_with_subdomains', 'domain', 'url'],
      },
      outDomains: { supported: false },
      backlinks: { ...dataforseoLinks, defaultSort: { field: 'firstSeen', order: 'desc' } },
      lostBacklinks: { ...dataforseoLinks, defaultSort: { field: 'lastSeen', order: 'desc' } },
      anchors: {
        supported: true,
        sortable: ['anchor', 'refDomains', 'backlinks', 'rank', 'firstSeen', 'lostDate'],
        defaultSort: { field: 'refDomains', order: 'desc' },
        filters: ['contains', 'notContains', 'minRank', 'maxRank'],
        flags: [],
        scopes: ['domain_with_subdomains', 'domain', 'url'],
      },
      topPages: {
        supported: true,
        sortable: ['url', 'refDomains', 'refPages', 'backlinks', 'refIps', 'rank', 'firstSeen', 'lostDate'],
        defaultSort: { field: 'refDomains', order: 'desc' },
        filters: ['contains', 'notContains', 'minRank', 'maxRank'],
        flags: [],
        // domain_pages takes a domain or host, never one page.
        scopes: ['domain_with_subdomains', 'domain'],
      },
      outlinks: { supported: false },
      // domain_intersection lists the domains that link to every target; "any" is not documented.
      linkGap: {
        supported: true,
        sortable: ['rank', 'linksTo1', 'linksTo2', 'linksTo3'],
        defaultSort: { field: 'rank', order: 'desc' },
        filters: ['contains', 'notContains', 'minRank', 'maxRank'],
        flags: [],
        scopes: ['domain_with_subdomains', 'domain'],
        maxCompetitors: 3,
        matches: ['all'],
      },
    },
  },
};

/** "Serpstat", "DataForSEO". */
export function providerName(provider: ProviderId): string {
  return providerCatalogue[provider].name;
}

/**
 * The first page that continues by token: the first whose offset passes the capability's offset
 * limit; null when the report pages by offset (or page number) all the way.
 */
export function firstTokenPage(capability: ReportCapability, pageSize: number): number | null {
  if (!capability.supported || capability.offsetLimit === undefined) return null;
  return Math.floor(capability.offsetLimit / pageSize) + 2;
}

/** What `provider` offers for `report`. */
export function capabilityOf(provider: ProviderId, report: ReportId): ReportCapability {
  return providerCatalogue[provider].reports[report];
}
