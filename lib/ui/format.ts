import { browser } from 'wxt/browser';
import { t, tPlural } from '@/lib/shared/i18n';
import type { BilledRetries, ColumnKind } from '@/lib/shared/reports';
import { providerName, providerCatalogue, ProviderId } from '@/lib/shared/providers';
import { Money, PageSpend, pageCost, moneyOf } from '../shared/money';

/**
 * Numbers, amounts and dates are written the way the browser's UI language writes them (German:
 * "1.234", "0,02030 $"), words come from the catalogue the browser chose (lib/shared/i18n.ts). A UI
 * language Intl does not know falls back to the catalogue's. Made on first use, like i18n's
 * plural rules: the language cannot change while a page is open.
 */
let locale: string | undefined;
export function formatLocale(): string {
  if (locale) return locale;
  locale = knownLocale(browser.i18n.getUILanguage?.()) ?? t('catalogueLocale');
  return locale;
}

/** The tag when Intl has data for it; null for none, an unknown language or a malformed tag. */
function knownLocale(tag: string | undefined): string | null {
  try {
    return tag && Intl.NumberFormat.supportedLocalesOf([tag]).length > 0 ? tag : null;
  } catch {
    return null;
  }
}

const formatters = new Map<string, Intl.NumberFormat>();
/** One Intl.NumberFormat per set of options, in the UI's language. */
function numberFormat(name: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  let format = formatters.get(name);
  if (!format) formatters.set(name, (format = new Intl.NumberFormat(formatLocale(), options)));
  return format;
}

/** "1,234" (German "1.234"); "—" when the provider did not say. */
export function formatNumber(value: number | null | undefined): string {
  return value == null || !Number.isFinite(value) ? '—' : numberFormat('number', { maximumFractionDigits: 2 }).format(value);
}

/** "14.2" with exactly one decimal (German "14,2"): sizes in kB and MB. */
export function formatOneDecimal(value: number): string {
  return numberFormat('oneDecimal', { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(value);
}

/** "+12", "−3", "0": a change with its sign. */
export function formatChange(value: number): string {
  return numberFormat('change', { maximumFractionDigits: 2, signDisplay: 'exceptZero' }).format(value);
}

/** "71%" (German "71 %"): a share from 0 to 1. */
export function formatShare(value: number): string {
  return numberFormat('share', { style: 'percent', maximumFractionDigits: 0 }).format(value);
}

/** A number to put back in a form field: no grouping, so it reads back as typed ("0.5", German "0,5"). */
export function formatForInput(value: number): string {
  return numberFormat('input', { useGrouping: false, maximumFractionDigits: 6 }).format(value);
}

/** The UI language's decimal separator: "." in English, "," in German. */
export function decimalSeparator(): string {
  return numberFormat('number', { maximumFractionDigits: 2 }).formatToParts(1.5).find((part) => part.type === 'decimal')?.value ?? '.';
}

/** "1 credit" / "11 credits". */
export function formatCredits(value: number): string {
  return tPlural('credits', value, [formatNumber(value)]);
}

/** DataForSEO costs exactly as the answer said them, to 5 decimals: "$0.02030" (German "0,02030 $"). */
export function formatCostUsd(value: number): string {
  return numberFormat('costUsd', { style: 'currency', currency: 'USD', minimumFractionDigits: 5, maximumFractionDigits: 5 }).format(value);
}

/** An account balance: "$12.34" (German "12,34 $"). */
export function formatBalanceUsd(value: number): string {
  return numberFormat('balanceUsd', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(value);
}

/** An amount in its unit: "11 credits" or "$0.02030". */
export function formatMoney({ unit, amount }: Money): string {
  return unit === 'credits' ? formatCredits(amount) : formatCostUsd(amount);
}

/** An amount of the provider's unit (a cost, a limit): "100 credits" or "$0.50000". */
export function formatAmount(provider: ProviderId, amount: number): string {
  return formatMoney({ unit: providerCatalogue[provider].unit, amount });
}

/** What a lookup or a table cost, in the provider's own unit: "11 credits" or "$0.02030". */
export function formatSpent(spend: PageSpend, provider: ProviderId): string {
  return formatMoney(pageCost(provider, spend));
}

/** The cost plus the balance when the provider told it: "11 credits · 972,825 credits left". */
export function describeCost(spend: { creditsSpent: number; costUsd: number; creditsLeft: number | null }, provider: ProviderId): string {
  const spent = formatSpent(spend, provider);
  return spend.creditsLeft == null ? spent : tPlural('cost_withCreditsLeft', spend.creditsLeft, [spent, formatNumber(spend.creditsLeft)]);
}

/** "Includes $0.04000 for 2 failed requests that DataForSEO billed and that were retried". */
export function describeBilledRetries(retries: BilledRetries, provider: ProviderId): string {
  const cost = formatMoney(moneyOf(provider, retries));
  return tPlural('cost_billedRetries', retries.attempts, [cost, formatNumber(retries.attempts), providerName(provider)]);
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

let relativeTime: Intl.RelativeTimeFormat | undefined;

/** How long ago, coarse enough to read at a glance: "just now", "5 min. ago", "3 hr. ago", "2 days ago" (German "vor 3 Std."). */
export function formatAgo(time: number, now: number): string {
  const elapsed = now - time;
  // A moment in the future (another device's clock) is as good as now.
  if (elapsed < MINUTE_MS) return t('ago_justNow');
  relativeTime ??= new Intl.RelativeTimeFormat(formatLocale(), { style: 'short', numeric: 'always' });
  if (elapsed < HOUR_MS) return relativeTime.format(-Math.floor(elapsed / MINUTE_MS), 'minute');
  if (elapsed < 48 * HOUR_MS) return relativeTime.format(-Math.floor(elapsed / HOUR_MS), 'hour');
  return relativeTime.format(-Math.floor(elapsed / (24 * HOUR_MS)), 'day');
}

let dayFormat: Intl.DateTimeFormat | undefined;

/**
 * A calendar day as the UI language writes it: "May 1, 2024" (German "01.05.2024"). Provider dates
 * come as "2024-05-01 12:00:00" or ISO, ledger days as "2024-05-01": the day is what a reader
 * needs, and it is the day written there (no time-zone shift). Anything else is shown as it came.
 */
export function formatDate(value: string | null | undefined): string {
  if (!value) return '—';
  const day = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (!day) return value;
  const [year, month, date] = day.slice(1).map(Number) as [number, number, number];
  dayFormat ??= new Intl.DateTimeFormat(formatLocale(), { dateStyle: 'medium', timeZone: 'UTC' });
  return dayFormat.format(Date.UTC(year, month - 1, date));
}

let momentDay: Intl.DateTimeFormat | undefined;
let momentDayTime: Intl.DateTimeFormat | undefined;

/** The local day of a moment (epoch ms): "Nov 3, 2026" (German "03.11.2026"). */
export function formatDay(time: number): string {
  momentDay ??= new Intl.DateTimeFormat(formatLocale(), { dateStyle: 'medium' });
  return momentDay.format(time);
}

/** A moment to the minute, in local time: "Nov 3, 2026, 10:05 AM" (German "03.11.2026, 10:05"). */
export function formatDayTime(time: number): string {
  momentDayTime ??= new Intl.DateTimeFormat(formatLocale(), { dateStyle: 'medium', timeStyle: 'short' });
  return momentDayTime.format(time);
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
