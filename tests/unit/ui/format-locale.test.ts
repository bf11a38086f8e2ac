import { afterEach, describe, expect, it, vi } from 'vitest';
import { browser } from 'wxt/browser';
import { englishMessage } from '../i18n-setup';

/**
 * lib/ui/format.ts writes numbers, amounts and dates in the browser's UI language. The other
 * unit tests run in en-US (tests/unit/i18n-setup.ts); here the UI language is switched, and the
 * module loaded fresh, since it makes its Intl formatters once per page.
 */
async function formatIn(uiLanguage: string, catalogueLocale = 'en') {
  vi.spyOn(browser.i18n, 'getUILanguage').mockReturnValue(uiLanguage);
  vi.spyOn(browser.i18n, 'getMessage').mockImplementation(((name: string, substitutions?: string[]) =>
    name === 'catalogueLocale' ? catalogueLocale : englishMessage(name, substitutions)) as typeof browser.i18n.getMessage);
  vi.resetModules();
  return import('@/lib/ui/format');
}

/** Intl puts a no-break space between a German amount and its currency sign. */
const spaced = (text: string) => text.replaceAll(/[\u00a0\u202f]/g, ' ');

afterEach(() => vi.resetModules());

describe('in a German browser', () => {
  it('groups with dots and writes decimals with a comma', async () => {
    const format = await formatIn('de');
    expect(format.formatLocale()).toBe('de');
    expect(format.formatNumber(1234567)).toBe('1.234.567');
    expect(format.formatNumber(12.5)).toBe('12,5');
    expect(format.formatOneDecimal(14.25)).toBe('14,3');
    expect(format.formatForInput(1234.5)).toBe('1234,5');
    expect(format.decimalSeparator()).toBe(',');
  });

  it('writes dollars as German does, DataForSEO costs to exactly 5 decimals', async () => {
    const format = await formatIn('de');
    expect(spaced(format.formatCostUsd(0.0203))).toBe('0,02030 $');
    expect(spaced(format.formatBalanceUsd(1234.5))).toBe('1.234,50 $');
  });

  it('says how long ago and which day in German', async () => {
    const format = await formatIn('de');
    const now = Date.UTC(2026, 10, 30, 12);
    expect(format.formatAgo(now - 3 * 3_600_000, now)).toBe('vor 3 Std.');
    expect(format.formatAgo(now - 5 * 60_000, now)).toBe('vor 5 Min.');
    expect(format.formatAgo(now - 3 * 86_400_000, now)).toBe('vor 3 Tagen');
    expect(format.formatDate('2024-05-01 23:30:00')).toBe('01.05.2024');
    expect(format.formatDate('2024-05-01T00:10:00+02:00')).toBe('01.05.2024');
  });
});

describe('in an English browser', () => {
  it('writes the figures the other tests read', async () => {
    const format = await formatIn('en-US');
    expect(format.formatNumber(1234567)).toBe('1,234,567');
    expect(format.formatCostUsd(0.0203)).toBe('$0.02030');
    expect(format.formatBalanceUsd(12.34)).toBe('$12.34');
    expect(format.formatAgo(0, 3 * 3_600_000)).toBe('3 hr. ago');
    expect(format.formatAgo(0, 30_000)).toBe('just now');
    expect(format.formatDate('2024-05-01 10:00:00')).toBe('May 1, 2024');
    expect(format.formatDate('not a date')).toBe('not a date');
  });
});

describe('a UI language Intl cannot use', () => {
  it.each(['', 'en_US', 'not a tag!'])('%j falls back to the catalogue’s language', async (uiLanguage) => {
    const format = await formatIn(uiLanguage, 'de');
    expect(format.formatLocale()).toBe('de');
    expect(format.formatNumber(1234)).toBe('1.234');
  });
});

describe('reading a number typed in a form', () => {
  it('English: commas group, the dot is the decimal point', async () => {
    const { readNumber } = await import('@/lib/ui/cost-forms');
    expect(readNumber('1,000', '.')).toBe(1000);
    expect(readNumber(' $0.50 ', '.')).toBe(0.5);
    expect(readNumber('0,5', '.')).toBe(5);
    expect(readNumber('ten', '.')).toBeNull();
  });

  it('German: the comma is the decimal sign, dots group thousands, and "0.50" still means a half', async () => {
    const { readNumber } = await import('@/lib/ui/cost-forms');
    expect(readNumber('0,50', ',')).toBe(0.5);
    expect(readNumber('0,50 $', ',')).toBe(0.5);
    expect(readNumber('1.000', ',')).toBe(1000);
    expect(readNumber('12.500,5', ',')).toBe(12500.5);
    expect(readNumber('0.50', ',')).toBe(0.5);
    expect(readNumber('0.500', ',')).toBe(0.5);
    expect(readNumber('1 000', ',')).toBe(1000);
    expect(readNumber('1,2,3', ',')).toBeNull();
  });
});

describe('the CSV export in a German browser', () => {
  it('keeps machine-readable values: plain numbers and the provider’s dates, not German figures', async () => {
    await formatIn('de');
    const { rowsToCsv } = await import('@/lib/ui/csv');
    const columns = [
      { id: 'domain', label: 'Domain', kind: 'domain' },
      { id: 'refPages', label: 'Referring pages', kind: 'number' },
      { id: 'firstSeen', label: 'First seen', kind: 'date' },
    ] as const;
    const csv = await rowsToCsv([{ domain: 'example.de', refPages: 1234.5, firstSeen: '2024-05-01 10:00:00' }] as never, columns as never);
    expect(csv).toBe('\uFEFFDomain,Referring pages,First seen\r\nexample.de,1234.5,2024-05-01 10:00:00');
  });
});
