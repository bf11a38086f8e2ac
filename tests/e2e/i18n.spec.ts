import { readFileSync } from 'node:fs';
import path from 'node:path';
import { EXTENSION_DIR } from './extension-browser';
import { expect, test } from './fixtures';

/** The extension APIs this page calls (the e2e tests have no chrome typings). */
declare const chrome: {
  management: { getSelf(): Promise<{ name: string; description: string }> };
  i18n: { getMessage(name: string, substitutions?: string[]): string };
};

const english = JSON.parse(readFileSync(path.join(EXTENSION_DIR, '_locales/en/messages.json'), 'utf8')) as Record<string, { message: string }>;

test('the built extension reads its texts from the English catalogue: manifest, page titles, language', async ({ extension }) => {
  const options = await extension.context.newPage();
  await options.goto(extension.extensionUrl('options.html'));
  await expect(options.getByRole('heading', { level: 1 })).toHaveText(english.options_heading!.message);
  expect(await options.title()).toBe(english.options_documentTitle!.message);
  expect(await options.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual(['en', 'ltr']);

  // The browser fills the manifest's __MSG_…__ names from the catalogue.
  const self = await options.evaluate(() => chrome.management.getSelf());
  expect(self.name).toBe('Backlink Lens');
  expect(self.description).toBe(english.extension_description!.message);
  const placeholder = await options.evaluate(() => chrome.i18n.getMessage('table_lookUpDomainTitle', ['example.com']));
  expect(placeholder).toBe('Look up example.com in the side panel');
});
