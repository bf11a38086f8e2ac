import type { BudgetSettings } from '@/lib/shared/budget';
import { t, tPlural } from '@/lib/shared/i18n';
import { settingBounds, type CacheSettings } from '@/lib/shared/settings';
import { decimalSeparator, formatForInput, formatNumber, formatOneDecimal } from '@/lib/ui/format';

/** What the user typed in the Cache or Budget form, field by field. */
export type FormText<T> = Record<keyof T, string>;

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

export const BUDGET_LABELS: Record<keyof BudgetSettings, string> = {
  perLookupCredits: t('budget_perLookupCredits'),
  perLookupUsd: t('budget_perLookupUsd'),
  dailyCapCredits: t('budget_dailyCapCredits'),
  dailyCapUsd: t('budget_dailyCapUsd'),
};

export const CACHE_LABELS: Record<keyof CacheSettings, string> = {
  ttlHours: t('cache_ttlHours'),
  maxMegabytes: t('cache_maxMegabytes'),
};

const MAX_CREDITS = 1_000_000_000;
const MAX_USD = 1_000_000;

/** "1.000" or "12.500,5": dots that group thousands, in a language with a decimal comma. */
const GROUPED_WITH_DOTS = /^[1-9]\d{0,2}(\.\d{3})+(,\d*)?$/;

/**
 * A number as people type it: "1,000", " 0.50", "$2"; in a language with a decimal comma
 * (German) "0,50" and "1.000", and "0.50" still as a half. Null when it is not one.
 */
export function readNumber(text: string, decimal = decimalSeparator()): number | null {
  const bare = text.trim().replace(/^\$|\s*\$$/g, '').replaceAll(/[\s\u00a0\u202f]/g, '');
  const cleaned = decimal === ',' ? (GROUPED_WITH_DOTS.test(bare) ? bare.replaceAll('.', '') : bare).replace(',', '.') : bare.replaceAll(',', '');
  if (!/^\d+(\.\d+)?$|^\.\d+$/.test(cleaned)) return null;
  const value = Number(cleaned);
  return Number.isFinite(value) ? value : null;
}

interface Rule {
  label: string;
  whole: boolean;
  min: number;
  max: number;
  /** Empty means "no limit" (null) instead of an error. */
  optional?: boolean;
}

function readField(text: string, rule: Rule): Parsed<number | null> {
  if (rule.optional && text.trim() === '') return { ok: true, value: null };
  const value = readNumber(text);
  if (value === null || (rule.whole && !Number.isInteger(value)) || value < rule.min || value > rule.max) {
    const key = rule.whole
      ? rule.optional ? 'form_mustBeWholeOrEmpty' : 'form_mustBeWhole'
      : rule.optional ? 'form_mustBeNumberOrEmpty' : 'form_mustBeNumber';
    return { ok: false, message: t(key, [rule.label, formatNumber(rule.min), formatNumber(rule.max)]) };
  }
  return { ok: true, value };
}

/** Every field valid, or the message for the first that is not: nothing is saved then. */
function readAll<T extends Record<string, number | null>>(
  text: FormText<T>,
  rules: Record<keyof T, Rule>,
): Parsed<T> {
  const value: Partial<Record<keyof T, number | null>> = {};
  for (const key of Object.keys(rules) as (keyof T)[]) {
    const field = readField(text[key], rules[key]);
    if (!field.ok) return field;
    value[key] = field.value;
  }
  return { ok: true, value: value as T };
}

export function parseBudgetForm(text: FormText<BudgetSettings>): Parsed<BudgetSettings> {
  return readAll<BudgetSettings & Record<string, number | null>>(text, {
    perLookupCredits: { label: BUDGET_LABELS.perLookupCredits, whole: true, min: 0, max: MAX_CREDITS },
    perLookupUsd: { label: BUDGET_LABELS.perLookupUsd, whole: false, min: 0, max: MAX_USD },
    dailyCapCredits: { label: BUDGET_LABELS.dailyCapCredits, whole: true, min: 0, max: MAX_CREDITS, optional: true },
    dailyCapUsd: { label: BUDGET_LABELS.dailyCapUsd, whole: false, min: 0, max: MAX_USD, optional: true },
  });
}

export function parseCacheForm(text: FormText<CacheSettings>): Parsed<CacheSettings> {
  return readAll<CacheSettings & Record<string, number | null>>(text, {
    ttlHours: { label: CACHE_LABELS.ttlHours, whole: false, ...settingBounds.ttlHours },
    maxMegabytes: { label: CACHE_LABELS.maxMegabytes, whole: false, ...settingBounds.maxMegabytes },
  });
}

/** Stored settings as the form shows them: a cap of null is an empty box. */
export function budgetText(budget: BudgetSettings): FormText<BudgetSettings> {
  return {
    perLookupCredits: formatForInput(budget.perLookupCredits),
    perLookupUsd: formatForInput(budget.perLookupUsd),
    dailyCapCredits: budget.dailyCapCredits === null ? '' : formatForInput(budget.dailyCapCredits),
    dailyCapUsd: budget.dailyCapUsd === null ? '' : formatForInput(budget.dailyCapUsd),
  };
}

export function cacheText(settings: CacheSettings): FormText<CacheSettings> {
  return { ttlHours: formatForInput(settings.ttlHours), maxMegabytes: formatForInput(settings.maxMegabytes) };
}

/** "812 bytes", "14.2 kB", "3.5 MB" (decimal units, as the size cap is set in MB; German "14,2 kB"). */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return tPlural('bytes', bytes, [formatNumber(bytes)]);
  if (bytes < 1_000_000) return t('bytes_kilobytes', [formatOneDecimal(bytes / 1000)]);
  return t('bytes_megabytes', [formatOneDecimal(bytes / 1_000_000)]);
}
