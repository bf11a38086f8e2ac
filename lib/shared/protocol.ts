import { z } from 'zod';
import { lensErrorSchema } from './errors';
import type { LensError } from './errors';
import type { Result } from './result';
import { isLookupTarget, lookupTargetIssue, scopeSchema, tableQuerySchema } from './reports';
import type { Scope, TablePage } from './reports';
import type { TopDomainsPart, TotalsPart } from './summary';
import type { LoadAllPlan } from './load-all';
import type { DomainChanges, HistoryStats, SiteSnapshot } from './snapshots';
import { providerIdSchema } from './providers';
import type { ProviderId } from './providers';
import type { TargetParse } from './target-parse';
import { chartsRequestSchema, type Charts } from './charts';
import { linkGapOverlapRequestSchema, type LinkGapOverlap } from './link-gap-overlap';

// Extension pages and the worker forbid eval (MV3's content security policy): zod is told not to
// try `new Function` for faster parsing, a try the browser reports as a policy violation.
z.config({ jitless: true });

/**
 * The one UI ↔ background protocol. Requests are validated with these schemas in the
 * background; every handler answers a Result, never throws across the boundary.
 * No response type carries a key: the UI only ever learns "configured" and a masked tail.
 *
 * What only the background and the side panel parse is built on its first parse (`z.lazy`):
 * the popup loads this module for its port's schemas, and building all the others held up its
 * first render.
 */

const serpstatCredentials = () => z.object({
  provider: z.literal('serpstat'),
  token: z.string().trim().min(1).max(256),
});
const dataforseoCredentials = () => z.object({
  provider: z.literal('dataforseo'),
  login: z.string().trim().min(1).max(256),
  password: z.string().trim().min(1).max(256),
});
export const credentialsSchema = z.lazy(() => z.discriminatedUnion('provider', [serpstatCredentials(), dataforseoCredentials()]));
/** A provider's keys: only the options page (typing them) and the background (using them) hold them. */
export type Credentials = z.infer<typeof credentialsSchema>;

/** One site's looks: provider, target and scope. */
const snapshotSiteSchema = z.lazy(() => z
  .object({ provider: providerIdSchema, target: z.string().min(1).max(2048), scope: scopeSchema })
  .refine((site) => isLookupTarget(site.target, site.scope), lookupTargetIssue));

/**
 * A table that is streamed page by page: Link gap's overlap counts are one paid answer, asked
 * only with `getLinkGapOverlap`, never as pages (a "page 2" would be billed again).
 */
const streamedTableQuerySchema = z.lazy(() => tableQuerySchema.refine((query) => !query.comparison?.overlap, {
  message: 'overlap counts are asked with getLinkGapOverlap',
  path: ['comparison', 'overlap'],
}));

export const requestSchema = z.lazy(() => z.discriminatedUnion('type', [
  z.object({ type: z.literal('getKeyStatus') }),
  z.object({ type: z.literal('setKey'), credentials: credentialsSchema }),
  z.object({ type: z.literal('clearKey'), provider: providerIdSchema }),
  /** Test the typed (unsaved) credentials, or the stored ones when omitted. Free calls only. */
  z.object({
    type: z.literal('testConnection'),
    provider: providerIdSchema,
    credentials: credentialsSchema.optional(),
  }),
  /** The side panel's charts of a target (lib/shared/charts.ts): paid, one lookup, asked for by a click (or `cachedOnly`: free, from the cache alone). */
  chartsRequestSchema,
  /** A Link gap comparison's overlap counts (lib/shared/link-gap-overlap.ts): paid, one lookup, asked for by a click (or `cachedOnly`: free, from the cache alone). */
  linkGapOverlapRequestSchema,
  /**
   * A tab's address or typed text as a lookup target, or why it is none. Free: no provider call;
   * the background holds the public-suffix list so the popup and side panel need not load it.
   */
  z.object({ type: z.literal('resolveTarget'), kind: z.enum(['tab', 'typed']), input: z.string().max(8192) }),
  /** Spend per day, cache size and the balances last seen. Free: no provider call. */
  z.object({ type: z.literal('getUsage') }),
  /** "Load all"'s estimate for a table with `loadedPages` loaded, from the total the background last saw. Free. */
  z.object({ type: z.literal('planLoadAll'), query: streamedTableQuerySchema, loadedPages: z.number().int().min(0).max(100_000) }),
  /** Empties the page cache; answers its new (empty) size. */
  z.object({ type: z.literal('clearCache') }),
  /** A site's snapshots (its summaries as the provider answered them), newest first. Free. */
  z.object({ type: z.literal('getSnapshots'), site: snapshotSiteSchema }),
  /** Deletes one snapshot of a site; answers the site's snapshots left. */
  z.object({ type: z.literal('deleteSnapshot'), site: snapshotSiteSchema, fetchedAt: z.number().finite() }),
  /** The referring domains that appeared and disappeared between a table's last two looks. Free. */
  z.object({ type: z.literal('getDomainChanges'), query: tableQuerySchema }),
  /** What the history of looks holds (Options). */
  z.object({ type: z.literal('getHistoryStats') }),
  /** Deletes every snapshot and kept referring-domain page; answers the new (empty) figures. */
  z.object({ type: z.literal('clearHistory') }),
]));
export type Request = z.infer<typeof requestSchema>;
export type RequestType = Request['type'];

export interface KeyStatus {
  configured: boolean;
  /** Last 4 characters of the token (Serpstat) or the API password (DataForSEO), else null. */
  maskedTail: string | null;
  /** DataForSEO login is not secret; shown so the user knows which account is set. */
  login?: string | null;
}
export type KeyStatuses = Record<ProviderId, KeyStatus>;

/** Result of the free "Test connection" call. */
export interface AccountStatus {
  provider: ProviderId;
  /** Serpstat left_lines. */
  creditsLeft: number | null;
  /** Serpstat max_lines. */
  creditsTotal: number | null;
  /** DataForSEO money.balance. */
  balanceUsd: number | null;
}

/** A provider balance as last reported by a paid page or a connection test. */
export interface ProviderBalance {
  /** Serpstat left_lines. */
  creditsLeft: number | null;
  /** DataForSEO money.balance. */
  balanceUsd: number | null;
  /** Epoch ms when the provider said it. */
  seenAt: number;
}
export type ProviderBalances = Record<ProviderId, ProviderBalance | null>;

/** One day's spend for one provider, from the ledger. */
export interface DaySpend {
  day: string;
  provider: ProviderId;
  requests: number;
  credits: number;
  usd: number;
  savedCredits: number;
  savedUsd: number;
}

export interface CacheStats {
  entries: number;
  bytes: number;
}

export interface Usage {
  /** The last 30 days per provider, newest first (days without requests are left out). */
  days: DaySpend[];
  cache: CacheStats;
  balances: ProviderBalances;
}

/**
 * The user's answer to a per-lookup limit, forwarded by the UI; the background turns it into
 * allowance itself. 'continue': one more limit's worth (at least the next page) from what the
 * lookup has spent. 'loadAll': the Load-all estimate from the total the background last saw.
 */
export const spendConsentSchema = z.enum(['continue', 'loadAll']);
export type SpendConsent = z.infer<typeof spendConsentSchema>;

/**
 * The per-lookup limit stops a lookup before its next request: nothing was sent. Amounts are in
 * the provider's unit (Serpstat credits, DataForSEO dollars).
 */
export interface NeedsConsent {
  type: 'needsConsent';
  provider: ProviderId;
  /** The page that waits (1: nothing of this lookup is loaded yet). */
  page: number;
  /** What the waiting request is estimated to cost. */
  nextCost: number;
  /** What this lookup has paid so far. */
  spent: number;
  /** The user's per-lookup limit. */
  limit: number;
}

/** The per-lookup limit held the lookup back: nothing was sent. */
export const isNeedsConsent = (value: object): value is NeedsConsent => 'type' in value && value.type === 'needsConsent';

export interface ResponseData {
  getKeyStatus: KeyStatuses;
  setKey: KeyStatuses;
  clearKey: KeyStatuses;
  testConnection: AccountStatus;
  /** Null only for `cachedOnly`, when a chart is not cached. */
  getCharts: Charts | NeedsConsent | null;
  /** Null only for `cachedOnly`, when the counts are not cached. */
  getLinkGapOverlap: LinkGapOverlap | NeedsConsent | null;
  resolveTarget: TargetParse;
  getUsage: Usage;
  /** Null when every page the provider will send is loaded (or no page of the table was seen). */
  planLoadAll: LoadAllPlan | null;
  clearCache: CacheStats;
  getSnapshots: SiteSnapshot[];
  deleteSnapshot: SiteSnapshot[];
  /** Null while the table has fewer than two looks. */
  getDomainChanges: DomainChanges | null;
  getHistoryStats: HistoryStats;
  clearHistory: HistoryStats;
}
export type Response<T extends RequestType> = Result<ResponseData[T]>;

export { POPUP_PORT } from './port';

/**
 * UI → background on the popup port: everything the popup needs, in one message. The background
 * reads the address as a target, takes the user's provider and scope, checks the key and the
 * per-lookup limit, asks for the totals and the top referring domains at once, and answers in
 * parts as each is ready (PopupServerMessage). A new lookUp replaces the one before it.
 */
export const popupClientMessageSchema = z.lazy(() => z.object({
  type: z.literal('lookUp'),
  /** Echoed on every answer, so the answers of a replaced lookup are ignored. */
  requestId: z.number().int().nonnegative(),
  /** The tab the popup was opened on (the background reads its address), or a domain typed in the Domain box. */
  input: z.discriminatedUnion('kind', [z.strictObject({ kind: z.literal('tab') }), z.object({ kind: z.literal('typed'), text: z.string().max(8192) })]),
  /** The user's go-ahead after the background said the lookup is above the per-lookup limit. */
  consent: z.literal('continue').optional(),
}));
export type PopupClientMessage = z.infer<typeof popupClientMessageSchema>;

/** The popup's first answer, at once: what the input is as a target, and which provider, scope and key the lookup takes. */
export interface PopupTarget {
  type: 'target';
  requestId: number;
  target: TargetParse;
  provider: ProviderId;
  scope: Scope;
  /** False: no request is made; the popup asks for a key. */
  keyConfigured: boolean;
  /** The window of the tab the popup was opened on, where its side panel opens; null for a typed domain, or when no tab could be read. */
  windowId: number | null;
}

/** Background → UI on the popup port: the target first, then each part as it arrives (or the limit's figures). */
export type PopupServerMessage =
  | PopupTarget
  | { type: 'totals'; requestId: number; result: Result<TotalsPart> }
  | { type: 'topDomains'; requestId: number; result: Result<TopDomainsPart> }
  /** The per-lookup limit held the lookup back: nothing was sent. */
  | (NeedsConsent & { requestId: number })
  /** The lookup could not be made at all (a malformed request, a failure in the background). */
  | { type: 'error'; requestId: number; error: LensError };

/** A NeedsConsent on a port, for the answer of `requestId`. */
const needsConsentMessageSchema = z.object({
  type: z.literal('needsConsent'),
  requestId: z.number(),
  provider: providerIdSchema,
  page: z.number(),
  nextCost: z.number(),
  spent: z.number(),
  limit: z.number(),
});

const partResult = z.union([z.object({ ok: z.literal(true), data: z.looseObject({ fromCache: z.boolean() }) }), z.object({ ok: z.literal(false), error: lensErrorSchema })]);
export const popupServerMessageSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('target'),
    requestId: z.number(),
    target: z.looseObject({ ok: z.boolean() }),
    provider: providerIdSchema,
    scope: scopeSchema,
    keyConfigured: z.boolean(),
    windowId: z.number().nullable(),
  }),
  z.object({ type: z.literal('totals'), requestId: z.number(), result: partResult }),
  z.object({ type: z.literal('topDomains'), requestId: z.number(), result: partResult }),
  needsConsentMessageSchema,
  z.object({ type: z.literal('error'), requestId: z.number(), error: lensErrorSchema }),
]);

/** Port name of a streamed table. */
export const TABLE_PORT = 'table';

/**
 * UI → background on a table port. The UI owns what it has: it asks for a range of pages and
 * the background streams them in order, so a reconnect after a worker restart just asks again
 * from the next missing page.
 */
export const tableClientMessageSchema = z.lazy(() => z.discriminatedUnion('type', [
  z.object({
    type: z.literal('fetch'),
    /** Echoed on every answer so a stale answer for an older query is ignored. */
    requestId: z.number().int().nonnegative(),
    query: streamedTableQuerySchema,
    fromPage: z.number().int().min(1).max(100_000),
    toPage: z.number().int().min(1).max(100_000),
    /** "Refresh": the first page of this request skips the cache and is paid for again. */
    refresh: z.boolean().optional(),
    /** The user's answer to a `needsConsent` (or the Load all confirmation); applies to this request only. */
    consent: spendConsentSchema.optional(),
  }),
  z.object({ type: z.literal('cancel'), requestId: z.number().int().nonnegative() }),
]));
export type TableClientMessage = z.infer<typeof tableClientMessageSchema>;

/** Background → UI on a table port. */
export type TableServerMessage =
  | { type: 'page'; requestId: number; page: TablePage }
  /** Every requested page was sent, or the last page of the table was reached. */
  | { type: 'done'; requestId: number; lastPage: number; total: number }
  | { type: 'error'; requestId: number; page: number; error: LensError }
  /** The per-lookup limit stops the stream before `page`: nothing more is asked until a fetch carries consent. */
  | (NeedsConsent & { requestId: number });

export const tableServerMessageSchema = z.lazy(() => z.discriminatedUnion('type', [
  z.object({ type: z.literal('page'), requestId: z.number(), page: z.any() }),
  z.object({ type: z.literal('done'), requestId: z.number(), lastPage: z.number(), total: z.number() }),
  z.object({ type: z.literal('error'), requestId: z.number(), page: z.number(), error: lensErrorSchema }),
  needsConsentMessageSchema,
]));

