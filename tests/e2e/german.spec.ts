/**
 * The browser in German (playwright.config.ts, project "de": LANGUAGE, --lang and Accept-Language
 * set to de): the popup, the side panel and the options page read the German catalogue and write
 * numbers, amounts and dates the German way.
 */
import { SIM_DATAFORSEO_LOGIN, SIM_DATAFORSEO_PASSWORD, SIM_SERPSTAT_TOKEN } from '../sim/constants';
import { maskedTailPattern } from './extension-browser';
import type { ExtensionBrowser } from './extension-browser';
import { expect, test } from './fixtures';

/** A figure of four or more digits grouped with dots, as German writes it: "1.206", "999.989". */
const GERMAN_THOUSANDS = String.raw`\d{1,3}(?:\.\d{3})+`;

/** Saves both providers' keys through the German options page, as a German user would. */
async function saveKeysInGerman(extension: ExtensionBrowser) {
  const options = await extension.context.newPage();
  await options.goto(extension.extensionUrl('options.html'));
  const serpstat = options.getByRole('region', { name: 'Serpstat' });
  await serpstat.getByLabel('Serpstat-API-Token').fill(SIM_SERPSTAT_TOKEN);
  await serpstat.getByRole('button', { name: 'Speichern' }).click();
  await expect(serpstat.getByText(maskedTailPattern(SIM_SERPSTAT_TOKEN))).toBeVisible();
  const dataforseo = options.getByRole('region', { name: 'DataForSEO' });
  await dataforseo.getByLabel('DataForSEO-Login').fill(SIM_DATAFORSEO_LOGIN);
  await dataforseo.getByLabel('DataForSEO-Passwort').fill(SIM_DATAFORSEO_PASSWORD);
  await dataforseo.getByRole('button', { name: 'Speichern' }).click();
  await expect(dataforseo.getByText(maskedTailPattern(SIM_DATAFORSEO_PASSWORD))).toBeVisible();
  return options;
}

test('the options page is German: headings, welcome, amounts, privacy policy, balance', async ({ extension }) => {
  const options = await saveKeysInGerman(extension);
  await options.goto(extension.extensionUrl('options.html#welcome'));
  await options.reload();
  expect(await options.evaluate(() => document.documentElement.lang)).toBe('de');
  expect(await options.title()).toBe('Backlink Lens – Optionen');
  await expect(options.getByRole('heading', { level: 1, name: 'Backlink Lens – Optionen' })).toBeVisible();

  // The welcome's prices: credits in German words, dollars the German way ("0,02300 $").
  const welcome = options.getByRole('region', { name: 'Willkommen bei Backlink Lens' });
  await expect(welcome.getByText(/eine Seite mit 100 Zeilen in der Seitenleiste kostet also 100 Credits/)).toBeVisible();
  await expect(welcome.getByText(/DataForSEO berechnet 0,02000\s\$ pro Anfrage plus 0,00003\s\$ pro Zeile, dieselbe Seite kostet dort 0,02300\s\$/)).toBeVisible();

  await options.getByRole('link', { name: 'Datenschutz' }).click();
  const privacy = options.getByRole('region', { name: 'Datenschutzerklärung' });
  await expect(privacy).toBeInViewport();
  await expect(privacy.getByRole('heading', { name: 'Was wann an wen gesendet wird' })).toBeVisible();

  // Test connection answers with the balance in German figures.
  await options.getByRole('region', { name: 'Serpstat' }).getByRole('button', { name: 'Verbindung testen' }).click();
  await expect(options.getByText(new RegExp(`^Verbunden\\. Noch ${GERMAN_THOUSANDS} von ${GERMAN_THOUSANDS} Credits\\.$`))).toBeVisible();
  await options.getByRole('region', { name: 'DataForSEO' }).getByRole('button', { name: 'Verbindung testen' }).click();
  await expect(options.getByText(/^Verbunden\. Guthaben [\d.]+,\d{2}\s\$\.$/)).toBeVisible();
  await expect(options.getByRole('region', { name: 'Budget' }).getByLabel('Höchstens USD pro Abfrage ohne Rückfrage')).toHaveValue('0,5');
});

test('the popup is German: totals with German thousands, the cost and the credits left', async ({ extension, openSite }) => {
  await (await saveKeysInGerman(extension)).close();
  const site = await openSite('https://www.shop-example.co.uk/');
  const popup = await extension.openPopup(site);
  await expect(popup.getByText('Verweisende Domains', { exact: true })).toBeVisible();
  await expect(popup.getByText(new RegExp(`^${GERMAN_THOUSANDS}$`)).first()).toBeVisible();
  await expect(popup.getByRole('table', { name: 'Top verweisende Domains' })).toBeVisible();
  await expect(popup.getByText(new RegExp(`^Kosten dieser Abfrage: \\d+ Credits · noch ${GERMAN_THOUSANDS} Credits$`))).toBeVisible({ timeout: 30_000 });
  await expect(popup.getByRole('button', { name: 'Seitenleiste öffnen' })).toBeVisible();
});

test('the side panel is German: reports, loaded count, dates and DataForSEO dollars', async ({ extension }) => {
  await (await saveKeysInGerman(extension)).close();
  const panel = await extension.context.newPage();
  await panel.goto(extension.extensionUrl('sidepanel.html?target=shop-example.co.uk'));
  await expect(panel.getByRole('tab', { name: 'Verweisende Domains' })).toBeVisible();
  await expect(panel.getByText(new RegExp(`^100 von ${GERMAN_THOUSANDS} geladen$`))).toBeVisible({ timeout: 30_000 });
  await expect(panel.getByText(/^Kosten dieser Tabelle: 100 Credits · noch [\d.]+ Credits$/)).toBeVisible();
  await expect(panel.getByRole('button', { name: 'Alle laden' })).toBeVisible();

  // DataForSEO: its exact cost in dollars the German way, and dates as German days.
  await panel.getByLabel('Anbieter').selectOption('dataforseo');
  await expect(panel.getByText(/^Kosten dieser Tabelle: 0,0\d{4}\s\$$/)).toBeVisible({ timeout: 30_000 });
  await expect(panel.getByRole('columnheader', { name: /Zuerst gesehen/ })).toBeVisible();
  await expect(panel.getByRole('cell', { name: /^\d{2}\.\d{2}\.\d{4}$/ }).first()).toBeVisible();
});
