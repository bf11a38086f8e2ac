import type { ProviderId } from '@/lib/errors';
import { t, tPlural } from '@/lib/i18n';
import type { BilledRetries, ColumnKind } from '@/lib/reports';

export const providerNames: Record<ProviderId, string> = { serpstat: 'Serpstat', dataforseo: 'DataForSEO' };

/**
 * Fixed locale: the same digits in every browser, and in the tests that read them. Words come in
 * the UI's language (lib/i18n.ts); numbers, amounts and dates here could follow it later
 * (Intl with the catalogue's locale) once a translation exists and the tests pin a locale.
 */
const integerFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

/** "1,234"; "—" when the provider did not say. */
export function formatNumber(value: number | null | undefined): string {
  return value == null || !Number.isFinite(value) ? '—' : integerFormat.format(value);
}

/** "1 credit" / "11 credits". */
export function formatCredits(value: number): string {
  return tPlural('credits', value, [formatNumber(value)]);
}

/** DataForSEO costs exactly as the answer said them, to 5 decimals: "$0.02030". */
export function formatCostUsd(value: number): string {
  return `$${value.toFixed(5)}`;
}

/** An account balance: "$12.34". */
export function formatBalanceUsd(value: number): string {
  return `$${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** What a lookup or a table cost, in the provider's own unit: "11 credits" or "$0.02030". */
export function formatSpent(spend: { creditsSpent: number; costUsd: number }, provider: ProviderId): string {
  return provider === 'dataforseo' ? formatCostUsd(spend.costUsd) : formatCredits(spend.creditsSpent);
}

/** The cost plus the balance when the provider told it: "11 credits · 972,825 credits left". */
export function describeCost(spend: { creditsSpent: number; costUsd: number; creditsLeft: number | null }, provider: ProviderId): string {
  const spent = formatSpent(spend, provider);
  return spend.creditsLeft == null ? spent : tPlural('cost_withCreditsLeft', spend.creditsLeft, [spent, formatNumber(spend.creditsLeft)]);
}

/** "Includes $0.04000 for 2 failed requests that DataForSEO billed and that were retried". */
export function describeBilledRetries(retries: BilledRetries, provider: ProviderId): string {
  const cost = formatSpent({ creditsSpent: retries.credits, costUsd: retries.usd }, provider);
  return tPlural('cost_billedRetries', retries.attempts, [cost, formatNumber(retries.attempts), providerNames[provider]]);
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** How long ago, coarse enough to read at a glance: "just now", "5 min ago", "3 h ago", "2 days ago". */
export function formatAgo(time: number, now: number): string {
  const elapsed = now - time;
  // A moment in the future (another device's clock) is as good as now.
  if (elapsed < MINUTE_MS) return t('ago_justNow');
  const [base, count] =
    elapsed < HOUR_MS
      ? (['ago_minutes', Math.floor(elapsed / MINUTE_MS)] as const)
      : elapsed < 48 * HOUR_MS
        ? (['ago_hours', Math.floor(elapsed / HOUR_MS)] as const)
        : (['ago_days', Math.floor(elapsed / (24 * HOUR_MS))] as const);
  return tPlural(base, count, [formatNumber(count)]);
}

/** Provider dates come as "2024-05-01 12:00:00" or ISO; the day is what a reader needs. */
export function formatDate(value: string | null | undefined): string {
  if (!value) return '—';
  const day = /^\d{4}-\d{2}-\d{2}/.exec(value);
  return day ? day[0] : value;
}

/** Text of a cell whose kind is not a link. */
export function formatCellText(kind: ColumnKind, value: unknown): string {
  if (value == null || value === '') return '—';
  switch (kind) {
    case 'number':
      return typeof value === 'number' ? formatNumber(value) : String(value);
    case 'date':
      return formatDate(String(value));
    default:
      return String(value);
  }
}

/** An http(s) URL to link to, or null when the value is not one (never a javascript: link). */
export function safeHttpUrl(value: string): string | null {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}
