import { browser } from 'wxt/browser';
import type catalogue from '@/public/_locales/en/messages.json';

/**
 * Every user-facing string, by key, from `public/_locales/<language>/messages.json` (the browser's
 * own format and lookup: the UI language's file, else English). English is the reference catalogue;
 * a translation is one more file beside it.
 */
type Catalogue = typeof catalogue;
export type MessageKey = keyof Catalogue;

/** Keys whose message has `$name$` placeholders, filled from the substitutions in order. */
export type KeyWithPlaceholders = { [K in MessageKey]: Catalogue[K] extends { placeholders: object } ? K : never }[MessageKey];
export type KeyWithoutPlaceholders = Exclude<MessageKey, KeyWithPlaceholders>;

/** The message in the UI's language: `t('popup_openSidePanel')`, `t('error_network', [providerName])`. */
export function t(key: KeyWithoutPlaceholders): string;
export function t(key: KeyWithPlaceholders, substitutions: string[]): string;
export function t(key: MessageKey, substitutions?: string[]): string {
  return lookUp(key, substitutions);
}

/**
 * The browser's lookup by any name ("" for a name no catalogue has). Typed loosely on purpose:
 * `t` and `tPlural` type the names, and WXT's own typing of getMessage exists only after `wxt prepare`.
 */
function lookUp(name: string, substitutions?: string[]): string {
  return (browser.i18n as { getMessage(name: string, substitutions?: string[]): string }).getMessage(name, substitutions);
}

/** Base names of counted messages: `credits` for the keys `credits_one`, `credits_other` (and a translation's `credits_few`, …). */
export type PluralKey = { [K in MessageKey]: K extends `${infer Base}_other` ? Base : never }[MessageKey];

let pluralRules: Intl.PluralRules | undefined;

/**
 * The form of a counted message that the shown language uses for `count` (CLDR plural rules of
 * the catalogue's own language): `tPlural('credits', 11, ['11'])` is "11 credits". English has
 * `_one` and `_other`; a language with more forms adds `_few`, `_many`, …, and a form a
 * catalogue lacks falls back to `_other`.
 */
export function tPlural(base: PluralKey, count: number, substitutions: string[]): string {
  pluralRules ??= new Intl.PluralRules(t('catalogueLocale'));
  return lookUp(`${base}_${pluralRules.select(count)}`, substitutions) || lookUp(`${base}_other`, substitutions);
}

/**
 * A page's language, writing direction and title from the catalogue the browser chose. The HTML
 * has no <title>: WXT would copy it over the manifest's action and sidebar titles, which are the
 * catalogue's (the action's `__MSG_…__`, the sidebar's the extension name).
 */
export function localizeDocument(title: string): void {
  document.documentElement.lang = t('catalogueLocale');
  document.documentElement.dir = t('catalogueDirection');
  document.title = title;
}
