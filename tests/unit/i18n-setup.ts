/**
 * Vitest setup: WXT's fakeBrowser has no i18n, so `browser.i18n.getMessage` answers from the
 * English catalogue here the way the browser does, and components render their real English text.
 */
import { fakeBrowser } from 'wxt/testing/fake-browser';
import english from '@/public/_locales/en/messages.json';

interface CatalogueEntry {
  message: string;
  placeholders?: Record<string, { content: string }>;
}

const catalogue: Record<string, CatalogueEntry> = english;

/** A catalogue message with its `$name$` placeholders and then `$1`…`$9` filled in, `$$` as `$`. */
export function englishMessage(name: string, substitutions: string | string[] = []): string {
  const entry = catalogue[name];
  if (!entry) return '';
  const values = typeof substitutions === 'string' ? [substitutions] : substitutions;
  const placeholders = new Map(Object.entries(entry.placeholders ?? {}).map(([key, value]) => [key.toLowerCase(), value.content]));
  const withContents = entry.message.replace(/\$([A-Za-z0-9_@]+)\$/g, (whole, placeholder: string) => placeholders.get(placeholder.toLowerCase()) ?? whole);
  return withContents.replace(/\$(\$|[1-9])/g, (_whole, which: string) => (which === '$' ? '$' : (values[Number(which) - 1] ?? '')));
}

fakeBrowser.i18n.getMessage = englishMessage as typeof fakeBrowser.i18n.getMessage;
fakeBrowser.i18n.getUILanguage = () => 'en-US';
