import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it, vi } from 'vitest';
import { browser } from 'wxt/browser';
import { t, tPlural } from '@/lib/shared/i18n';
import config from '../../../wxt.config';
import { englishMessage } from '../i18n-setup';
import { columnLabelKeys, localizeColumns } from '@/lib/ui/labels';
import { reports } from '@/lib/shared/reports';

interface CatalogueEntry {
  message: string;
  description?: string;
  placeholders?: Record<string, { content: string; example?: string }>;
}
type Catalogue = Record<string, CatalogueEntry>;

const root = join(__dirname, '../../..');
const localesDir = join(root, 'public/_locales');
const readCatalogue = (locale: string): Catalogue => JSON.parse(readFileSync(join(localesDir, locale, 'messages.json'), 'utf8'));
const english = readCatalogue('en');
const translations = readdirSync(localesDir).filter((locale) => locale !== 'en');

/** The extension's own code: every file that can show text to the user. */
function sourceFiles(): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory() ? walk(join(dir, entry.name)) : /\.tsx?$/.test(entry.name) ? [join(dir, entry.name)] : [],
    );
  return [...['entrypoints', 'components', 'lib'].flatMap((dir) => walk(join(root, dir))), join(root, 'wxt.config.ts')];
}

interface MessageCall {
  where: string;
  fn: 't' | 'tPlural';
  /** The key (t) or plural base (tPlural) when written as a literal. */
  key: string | null;
  /** How many substitutions a literal array passes; null when they are not a literal array. */
  substitutions: number | null;
}

/** Every t()/tPlural() call and every string literal in the code, read with the TypeScript parser. */
function scanCode() {
  const calls: MessageCall[] = [];
  const literals = new Set<string>();
  for (const file of sourceFiles()) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node) => {
      if (ts.isStringLiteralLike(node)) literals.add(node.text);
      if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && (node.expression.text === 't' || node.expression.text === 'tPlural')) {
        const fn = node.expression.text;
        const [keyArg] = node.arguments;
        const substitutionsArg = node.arguments[fn === 't' ? 1 : 2];
        const { line } = source.getLineAndCharacterOfPosition(node.getStart());
        calls.push({
          where: `${relative(root, file)}:${line + 1}`,
          fn,
          key: keyArg && ts.isStringLiteralLike(keyArg) ? keyArg.text : null,
          substitutions: substitutionsArg === undefined ? 0 : ts.isArrayLiteralExpression(substitutionsArg) ? substitutionsArg.elements.length : null,
        });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return { calls, literals };
}

const { calls, literals } = scanCode();
const pluralForms = /^(.+)_(zero|one|two|few|many|other)$/;
const placeholderCount = (name: string) => Object.keys(english[name]?.placeholders ?? {}).length;

/** The `$name$` references of a message, lower case (the browser matches them case-insensitively). */
const referencedPlaceholders = (message: string) => new Set([...message.matchAll(/\$([A-Za-z0-9_@]+)\$/g)].map((match) => match[1]!.toLowerCase()));

describe('the English catalogue and the code agree', () => {
  it('finds the calls it checks (the scan itself works)', () => {
    expect(calls.some((call) => call.fn === 't' && call.key === 'catalogueLocale')).toBe(true);
  });

  it('every key the code names exists', () => {
    const missing = calls.filter((call) => call.key !== null && (call.fn === 't' ? !english[call.key] : !english[`${call.key}_other`]));
    expect(missing.map((call) => `${call.where}: ${call.key}`)).toEqual([]);
  });

  it('every entry is used: named in the code, a counted form of a base tPlural uses, or __MSG_…__ in the manifest', () => {
    const manifestNames = new Set([...literals].flatMap((text) => [...text.matchAll(/__MSG_(\w+)__/g)].map((match) => match[1]!)));
    const pluralBases = new Set(calls.filter((call) => call.fn === 'tPlural' && call.key).map((call) => call.key!));
    const unused = Object.keys(english).filter((name) => {
      const base = pluralForms.exec(name)?.[1];
      return !literals.has(name) && !manifestNames.has(name) && !(base && (pluralBases.has(base) || literals.has(base)));
    });
    expect(unused).toEqual([]);
  });

  it('each call passes as many substitutions as its message has placeholders', () => {
    const wrong = calls
      .filter((call) => call.key !== null && call.substitutions !== null)
      .filter((call) => call.substitutions !== placeholderCount(call.fn === 't' ? call.key! : `${call.key}_other`))
      .map((call) => `${call.where}: ${call.key} gets ${call.substitutions}`);
    expect(wrong).toEqual([]);
  });

  it('placeholders: each $name$ is declared, each declared one is used, and they fill $1…$n in order', () => {
    const problems: string[] = [];
    for (const [name, entry] of Object.entries(english)) {
      const declared = Object.keys(entry.placeholders ?? {}).map((placeholder) => placeholder.toLowerCase());
      const used = referencedPlaceholders(entry.message);
      if ([...used].sort().join() !== [...declared].sort().join()) problems.push(`${name}: uses ${[...used]} but declares ${declared}`);
      const contents = Object.values(entry.placeholders ?? {}).map((placeholder) => placeholder.content);
      if (contents.join() !== contents.map((_, index) => `$${index + 1}`).join()) problems.push(`${name}: placeholder contents ${contents}`);
    }
    expect(problems).toEqual([]);
  });

  it('the counted forms of one message take the same placeholders, and English has _one and _other', () => {
    const bases = new Set(Object.keys(english).flatMap((name) => pluralForms.exec(name)?.[1] ?? []));
    for (const base of bases) {
      expect(english, base).toHaveProperty(`${base}_one`);
      expect(english, base).toHaveProperty(`${base}_other`);
      const forms = Object.keys(english).filter((name) => pluralForms.exec(name)?.[1] === base);
      for (const form of forms) expect(placeholderContents(english[form]!), form).toEqual(placeholderContents(english[`${base}_other`]!));
    }
  });

  it('names differ in more than case (the browser ignores case) and every entry says what it is for', () => {
    const names = Object.keys(english);
    expect(new Set(names.map((name) => name.toLowerCase())).size).toBe(names.length);
    expect(names.filter((name) => !english[name]!.description)).toEqual([]);
  });

  it('states its language and writing direction', () => {
    expect(english.catalogueLocale?.message).toBe('en');
    expect(english.catalogueDirection?.message).toBe('ltr');
  });
});

/** Placeholder name → which substitution fills it; examples may be translated. */
const placeholderContents = (entry: CatalogueEntry) =>
  Object.fromEntries(Object.entries(entry.placeholders ?? {}).map(([name, placeholder]) => [name.toLowerCase(), placeholder.content]));

describe.each(translations)('the %s translation', (locale) => {
  const catalogue = readCatalogue(locale);

  it('has only keys of the English catalogue (a counted message may add its language’s forms)', () => {
    const unknown = Object.keys(catalogue).filter((name) => {
      const base = pluralForms.exec(name)?.[1];
      return !english[name] && !(base && english[`${base}_other`]);
    });
    expect(unknown).toEqual([]);
  });

  it('states its language and a writing direction', () => {
    expect(catalogue.catalogueLocale?.message).toMatch(/^[a-z]{2,3}(-[A-Za-z0-9]+)*$/);
    expect(['ltr', 'rtl']).toContain(catalogue.catalogueDirection?.message);
  });

  it('uses the same placeholders as English', () => {
    for (const [name, entry] of Object.entries(catalogue)) {
      const reference = english[name] ?? english[`${pluralForms.exec(name)?.[1]}_other`];
      expect(referencedPlaceholders(entry.message), name).toEqual(referencedPlaceholders(reference!.message));
      expect(placeholderContents(entry), name).toEqual(placeholderContents(reference!));
    }
  });
});

describe('the German catalogue', () => {
  it('is complete: every English message is translated (German counts like English: _one and _other)', () => {
    const german = readCatalogue('de');
    expect(Object.keys(english).filter((name) => !german[name]?.message)).toEqual([]);
    expect(german.catalogueLocale?.message).toBe('de');
  });
});

describe('labels', () => {
  it('every column of every report has a heading in the catalogue', () => {
    const ids = Object.values(reports).flatMap((report) => report.columns.map((column) => column.id));
    expect(ids.filter((id) => !(id in columnLabelKeys))).toEqual([]);
    expect(localizeColumns(reports.refDomains.columns).map((column) => column.label)).toContain('Referring pages');
  });
});

describe('the manifest', () => {
  type ManifestFactory = (env: { browser: string }) => Record<string, unknown>;
  it.each(['chrome', 'firefox'])('for %s: English by default, its texts from the catalogue', (browser) => {
    const manifest = (config.manifest as unknown as ManifestFactory)({ browser });
    expect(manifest.default_locale).toBe('en');
    const names = [...JSON.stringify(manifest).matchAll(/__MSG_(\w+)__/g)].map((match) => match[1]!);
    expect(names).toEqual(expect.arrayContaining(['extension_name', 'extension_description', 'extension_actionTitle']));
    expect(names.filter((name) => !english[name])).toEqual([]);
  });
});

describe('t and tPlural in the unit tests', () => {
  it('answer with the English messages', () => {
    expect(t('extension_name')).toBe('Backlink Lens');
    expect(t('catalogueLocale')).toBe('en');
  });

  it('tPlural uses the catalogue language’s form, and _other where a catalogue lacks that form', async () => {
    // A Polish UI before a Polish catalogue exists: "few" (2) is not in the English file.
    const lookUp = vi.spyOn(browser.i18n, 'getMessage');
    lookUp.mockImplementation(((name: string, substitutions?: string[]) =>
      name === 'catalogueLocale' ? 'pl' : englishMessage(name, substitutions)) as typeof browser.i18n.getMessage);
    vi.resetModules();
    const fresh = await import('@/lib/shared/i18n');
    expect(fresh.tPlural('credits', 2, ['2'])).toBe('2 credits');
    expect(lookUp).toHaveBeenCalledWith('credits_few', ['2']);
    expect(fresh.tPlural('credits', 1, ['1'])).toBe('1 credit');
  });

  it('tPlural picks the English form for the count', () => {
    expect(tPlural('credits', 1, ['1'])).toBe('1 credit');
    expect(tPlural('credits', 0, ['0'])).toBe('0 credits');
    expect(tPlural('credits', 11, ['11'])).toBe('11 credits');
  });
});
