import type { z } from 'zod';
import { lensError, type LensError } from '../../shared/errors';
import { fail, ok, type Result } from '../../shared/result';
import type { RequestContext } from './types';
import { providerName, type ProviderId } from '../../shared/providers';

export interface JsonAnswer {
  status: number;
  json: unknown;
}

/** What one exchange needs from the RequestContext. */
export type HttpContext = Pick<RequestContext, 'signal' | 'fetch' | 'timeoutMs'>;

interface JsonRequest {
  provider: ProviderId;
  url: string;
  headers?: Record<string, string>;
  ctx: HttpContext;
}


/** Retry-After is either delay-seconds or an HTTP date. */
function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function unreadableBody(text: string): string {
  const trimmed = text.trim();
  if (trimmed === '') return 'an empty answer';
  if (trimmed.startsWith('<')) return 'a web page instead of data';
  return 'an incomplete answer';
}

/**
 * One HTTP exchange that yields parsed JSON or a LensError: timeouts, user aborts, network
 * failures, 429 and unreadable bodies are told apart here once for both providers.
 * Messages never include the URL, whose query string carries the Serpstat token.
 */
async function exchange(request: JsonRequest & { method: 'GET' | 'POST'; body?: string }): Promise<Result<JsonAnswer>> {
  const { provider, ctx } = request;
  const name = providerName(provider);
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
      ? lensError('timeout', `${name} did not answer within ${Math.max(1, Math.round(ctx.timeoutMs / 1000))} seconds.`, {
          provider,
          retryable: true,
        })
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
    const waitMs = retryAfterMs(response.headers.get('Retry-After'));
    if (response.status === 429) {
      return fail(
        lensError('rate_limited', `${name} answered “too many requests” (HTTP 429).`, {
          provider,
          retryable: true,
          ...(waitMs === undefined ? {} : { retryAfterMs: waitMs }),
        }),
      );
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      if (response.status >= 500) {
        return fail(
          lensError('server_error', `${name} answered HTTP ${response.status}.`, {
            provider,
            retryable: true,
            ...(waitMs === undefined ? {} : { retryAfterMs: waitMs }),
          }),
        );
      }
      return fail(lensError('malformed', `${name} sent an unreadable answer: ${unreadableBody(text)} (HTTP ${response.status}).`, { provider }));
    }
    return ok({ status: response.status, json });
  } finally {
    clearTimeout(timer);
    ctx.signal.removeEventListener('abort', onAbort);
  }
}

/** POSTs `body` as JSON; see `exchange` for the errors. */
export function postJson(request: JsonRequest & { body: unknown }): Promise<Result<JsonAnswer>> {
  return exchange({
    ...request,
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...request.headers },
    body: JSON.stringify(request.body),
  });
}

/** GETs a JSON document; see `exchange` for the errors. */
export function getJson(request: JsonRequest): Promise<Result<JsonAnswer>> {
  return exchange({ ...request, method: 'GET' });
}

/**
 * Removes secrets from a failed result's texts. Adapters' own messages never contain them;
 * this guards the provider's words (providerMessage), which could echo what was sent.
 */
export function withoutSecrets<T>(result: Result<T>, secrets: string[]): Result<T> {
  if (result.ok) return result;
  const variants = secrets.filter((secret) => secret.length > 0).flatMap((secret) => [secret, encodeURIComponent(secret)]);
  const scrub = (text: string) => variants.reduce((clean, secret) => clean.replaceAll(secret, '[hidden]'), text);
  const { error } = result;
  return fail({
    ...error,
    message: scrub(error.message),
    ...(error.providerMessage === undefined ? {} : { providerMessage: scrub(error.providerMessage) }),
  });
}

/**
 * A readable answer no real account gets (a negative cost or total, more rows than asked for):
 * booking it as it came would refund the daily cap or overlap the next page.
 */
export function impossibleAnswer(provider: ProviderId, what: string): LensError {
  return lensError('bad_answer', `${providerName(provider)} sent an impossible answer: ${what}.`, { provider });
}

/** A part of an answer that is missing or of the wrong type. */
export function unreadableAnswer(provider: ProviderId, path: string): LensError {
  return lensError('malformed', `${providerName(provider)} sent an unreadable answer: ${path} is missing or has the wrong type.`, { provider });
}

/** The first zod issue of an answer as an error: a number below its floor is impossible, anything else unreadable. */
export function answerIssue(provider: ProviderId, prefix: string, issue: z.core.$ZodIssue | undefined): LensError {
  const path = issuePath(prefix, issue?.path ?? []);
  return issue?.code === 'too_small' ? impossibleAnswer(provider, `${path} is negative`) : unreadableAnswer(provider, path);
}

/** "result.data.3.domain_from" from a zod issue path. */
export function issuePath(prefix: string, path: readonly PropertyKey[]): string {
  return [prefix, ...path.map(String)].filter(Boolean).join('.');
}
