import { z } from 'zod';
import { providerIdSchema } from './providers';

/**
 * Every failure the user can meet, provider-neutral. Adapters map provider codes onto these;
 * the UI turns each into a sentence with a next step (lib/ui/error-text.ts).
 */
export const errorCodes = [
  'no_key', // no credentials stored for the provider
  'bad_key', // provider rejected the credentials (Serpstat 403 family, DataForSEO 40100)
  'no_credits', // credits or balance exhausted (Serpstat 402 family / 32012, DataForSEO 40200 / 40210)
  'not_in_plan', // method or API not in the plan (Serpstat 403 "not in plan", DataForSEO 40204)
  'account_blocked', // user blocked / account paused / not verified / cost limit hit
  'rate_limited', // too many requests, after retries (Serpstat 429 family, DataForSEO 40202 / 40209, HTTP 429)
  'large_domain', // Serpstat 32016
  'not_supported', // Serpstat 32116, or a report the provider does not offer
  'bad_filter', // Serpstat 32117, DataForSEO 40501 / 40506
  'bad_request', // the request itself was malformed (Serpstat 400 family, DataForSEO 40502 / 40503)
  'server_error', // provider 5xx or internal error, after retries
  'network', // fetch failed: offline, DNS, connection reset
  'timeout', // no answer within the request timeout
  'malformed', // the answer did not match the documented schema
  'bad_answer', // a readable answer no real account gets: a negative cost or total, more rows than asked for
  'bad_target', // the domain or URL typed cannot be looked up
  'over_budget', // the daily cap set in Options would be passed
  'cancelled', // the user (or a closed panel) cancelled
  'internal', // a bug in the extension
] as const;
export const errorCodeSchema = z.enum(errorCodes);
export type ErrorCode = z.infer<typeof errorCodeSchema>;

export const lensErrorSchema = z.object({
  code: errorCodeSchema,
  /** One sentence, safe to show; never contains a key. */
  message: z.string(),
  retryable: z.boolean(),
  provider: providerIdSchema.optional(),
  /** The provider's own code and text, for support ("Serpstat 32117: Not allowed field: foo"). */
  providerCode: z.union([z.string(), z.number()]).optional(),
  providerMessage: z.string().optional(),
  /** How long the provider asked us to wait (HTTP Retry-After), when it said. */
  retryAfterMs: z.number().nonnegative().optional(),
  /** What a failed call still cost (DataForSEO charges "Invalid Field" answers), for the ledger. */
  charged: z.object({ credits: z.number(), usd: z.number() }).optional(),
  /** The daily cap that was reached (over_budget), in the provider's unit, so the UI can say it in the user's language. */
  dailyCap: z.number().nonnegative().optional(),
});
export type LensError = z.infer<typeof lensErrorSchema>;
/** What one provider request was billed: Serpstat credits, DataForSEO USD. */
export type Charge = NonNullable<LensError['charged']>;

export function lensError(
  code: ErrorCode,
  message: string,
  extra: Partial<Omit<LensError, 'code' | 'message'>> = {},
): LensError {
  return { code, message, retryable: extra.retryable ?? false, ...extra };
}
