import { lensError, type ProviderId } from '../errors';
import { fail, ok, type Result } from '../result';
import type { TablePage, TableQuery } from '../reports';
import type { AccountStatus, Credentials, ProviderAdapter, RequestContext } from '../providers/types';
import { withRetry, type RequestQueue, type RetryOptions } from './queue';

export interface ProviderClientDeps {
  adapters: Record<ProviderId, ProviderAdapter>;
  getCredentials: (provider: ProviderId) => Promise<Credentials | null>;
  baseUrls: Record<ProviderId, string>;
  fetch: typeof fetch;
  queues: Record<ProviderId, RequestQueue>;
  timeoutMs: number;
  retry?: RetryOptions;
}

const providerName: Record<ProviderId, string> = { serpstat: 'Serpstat', dataforseo: 'DataForSEO' };

/** The only place that puts keys and network together: adapter + queue + retries. */
export function createProviderClient(deps: ProviderClientDeps) {
  async function call<T>(
    provider: ProviderId,
    given: Credentials | undefined,
    signal: AbortSignal,
    run: (adapter: ProviderAdapter, ctx: RequestContext) => Promise<Result<T>>,
  ): Promise<Result<T>> {
    const credentials = given ?? (await deps.getCredentials(provider));
    if (!credentials) {
      return fail(lensError('no_key', `No ${providerName[provider]} credentials are saved.`, { provider }));
    }
    const adapter = deps.adapters[provider];
    const queue = deps.queues[provider];
    return withRetry(
      () =>
        queue.run(
          (queued) =>
            run(adapter, {
              baseUrl: deps.baseUrls[provider],
              credentials,
              signal: queued,
              fetch: deps.fetch,
              timeoutMs: deps.timeoutMs,
            }),
          signal,
        ),
      signal,
      deps.retry,
    );
  }

  return {
    async fetchPage(query: TableQuery, page: number, signal: AbortSignal): Promise<Result<TablePage>> {
      const result = await call(query.provider, undefined, signal, (adapter, ctx) => adapter.fetchPage(query, page, ctx));
      if (!result.ok) return result;
      return ok({ ...result.data, page, fromCache: false, fetchedAt: Date.now() });
    },
    testConnection(provider: ProviderId, credentials: Credentials | undefined, signal: AbortSignal): Promise<Result<AccountStatus>> {
      return call(provider, credentials, signal, (adapter, ctx) => adapter.testConnection(ctx));
    },
  };
}

export type ProviderClient = ReturnType<typeof createProviderClient>;
