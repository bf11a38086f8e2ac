import { lensError, type LensError, type ProviderId } from '../errors';
import { fail, ok, type Result } from '../result';
import type { RequestContext } from './types';

export interface JsonAnswer {
  status: number;
  json: unknown;
}

export interface JsonRequest {
  provider: ProviderId;
  url: string;
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  ctx: Pick<RequestContext, 'signal' | 'fetch' | 'timeoutMs'>;
}

const providerName: Record<ProviderId, string> = { serpstat: 'Serpstat', dataforseo: 'DataForSEO' };

function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/**
 * One HTTP exchange that yields parsed JSON or a LensError: timeouts, user aborts, network
 * failures, 429 and unreadable bodies are told apart here once for both providers.
 * Messages never include the URL, whose query string carries the Serpstat token.
 */
export async function requestJson(request: JsonRequest): Promise<Result<JsonAnswer>> {
  const { provider, ctx } = request;
  const name = providerName[provider];
  const controller = new AbortController();
  let timedOut = false;
  const onAbort = () => controller.abort();
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, ctx.timeoutMs);

  const abortError = (): LensError =>
    timedOut
      ? lensError('timeout', `${name} did not answer within ${Math.round(ctx.timeoutMs / 1000)} seconds.`, { provider, retryable: true })
      : lensError('cancelled', 'The request was cancelled.', { provider });

  try {
    if (ctx.signal.aborted) return fail(abortError());
    let response: Response;
    try {
      response = await ctx.fetch(request.url, {
        method: request.method,
        headers: { Accept: 'application/json', ...request.headers },
        body: request.body,
        signal: controller.signal,
        credentials: 'omit',
      });
    } catch {
      if (controller.signal.aborted) return fail(abortError());
      return fail(lensError('network', `Could not connect to ${name}.`, { provider, retryable: true }));
    }
    let text: string;
    try {
      text = await response.text();
    } catch {
      if (controller.signal.aborted) return fail(abortError());
      return fail(lensError('network', `The connection to ${name} broke during the answer.`, { provider, retryable: true }));
    }
    if (response.status === 429) {
      return fail(
        lensError('rate_limited', `${name} answered “too many requests” (HTTP 429).`, {
          provider,
          retryable: true,
          retryAfterMs: retryAfterMs(response.headers.get('Retry-After')),
        }),
      );
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      if (response.status >= 500) {
        return fail(lensError('server_error', `${name} answered HTTP ${response.status}.`, { provider, retryable: true }));
      }
      const what = text.trim() === '' ? 'an empty answer' : text.trimStart().startsWith('<') ? 'a web page instead of data' : 'an incomplete answer';
      return fail(lensError('malformed', `${name} sent ${what} (HTTP ${response.status}).`, { provider }));
    }
    return ok({ status: response.status, json });
  } finally {
    clearTimeout(timer);
    ctx.signal.removeEventListener('abort', onAbort);
  }
}

/** "result.data.3.domain_from" from a zod issue path. */
export function issuePath(prefix: string, path: readonly PropertyKey[]): string {
  return [prefix, ...path.map(String)].filter(Boolean).join('.');
}
