import type { ProviderId } from '../../shared/errors';
import type { Result } from '../../shared/result';
import type { AnyRow, Filter, ReportId, Scope, TableQuery } from '../../shared/reports';

export type Credentials =
  | { provider: 'serpstat'; token: string }
  | { provider: 'dataforseo'; login: string; password: string };

/** What one provider call needs besides the query. Only the background builds this. */
export interface RequestContext {
  /** Serpstat: ".../v4"; DataForSEO: the origin (paths start with /v3/). */
  baseUrl: string;
  credentials: Credentials;
  signal: AbortSignal;
  fetch: typeof fetch;
  /** Abort and report "timeout" after this long. */
  timeoutMs: number;
}

/** One provider answer for one page, before the background adds cache facts. */
export interface ProviderPage {
  rows: AnyRow[];
  total: number;
  creditsSpent: number;
  costUsd: number;
  creditsLeft: number | null;
}

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
    }
  | { supported: false; reason: string };

/**
 * One adapter per provider (lib/background/providers/<id>.ts): request builder, zod schemas, normaliser,
 * error map. Every method makes exactly one HTTP request and never throws: retries, rate
 * limits, cache and ledger belong to the background around it.
 */
export interface ProviderAdapter {
  id: ProviderId;
  label: string;
  capabilities: Record<ReportId, ReportCapability>;
  fetchPage(query: TableQuery, page: number, ctx: RequestContext): Promise<Result<ProviderPage>>;
  testConnection(ctx: RequestContext): Promise<Result<AccountStatus>>;
}
