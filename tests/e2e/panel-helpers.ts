/**
 * Helpers shared by the side-panel specs: open the panel on a target, write settings the way the
 * extension stores them, read the ledger, and read the table's status line and rows.
 */
import type { Locator, Page, Worker } from '@playwright/test';
import { SIM_DATAFORSEO_LOGIN, SIM_DATAFORSEO_PASSWORD } from '../sim/constants';
import type { BudgetSettings } from '../../lib/shared/budget';
import type { LedgerEntry } from '../../lib/background/ledger';
import type { Preferences } from '../../lib/shared/settings';
import { maskedTailPattern } from './extension-browser';
import type { ExtensionBrowser } from './extension-browser';
import { expect } from './fixtures';

/** The extension APIs evaluated in the service worker (there, not here). */
declare const chrome: { storage: { local: { set(items: Record<string, unknown>): Promise<void> } } };

/** The side panel page opened as a tab on a typed target (domain, or a URL for "This page"). */
export async function openPanel(extension: ExtensionBrowser, target: string): Promise<Page> {
  const panel = await extension.context.newPage();
  await panel.goto(extension.extensionUrl(`sidepanel.html?target=${encodeURIComponent(target)}`));
  return panel;
}

/** The side panel page opened without a target, following `siteUrl`, opened after it and brought to the front. */
export async function openPanelFollowing(extension: ExtensionBrowser, openSite: (url: string) => Promise<Page>, siteUrl: string, siteHeading: string) {
  const panel = await extension.context.newPage();
  await panel.goto(extension.extensionUrl('sidepanel.html'));
  const site = await openSite(siteUrl);
  await site.bringToFront();
  await expect(panel.getByRole('heading', { name: siteHeading })).toBeVisible();
  return { panel, site };
}

/** The side panel on `target`, at its Backlinks table, with every dialog a script opens recorded (and dismissed). */
export async function openBacklinksRecordingDialogs(extension: ExtensionBrowser, target: string) {
  const panel = await openPanel(extension, target);
  const dialogs: string[] = [];
  panel.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await panel.getByRole('tab', { name: 'Backlinks', exact: true }).click();
  return { panel, table: panel.getByRole('table', { name: 'Backlinks' }), dialogs };
}

/** Saves the DataForSEO login and API password through the options page, as a user would. */
export async function saveDataForSeoKey(extension: ExtensionBrowser): Promise<void> {
  const options = await extension.context.newPage();
  await options.goto(extension.extensionUrl('options.html'));
  const section = options.getByRole('region', { name: 'DataForSEO' });
  await section.getByLabel('DataForSEO login').fill(SIM_DATAFORSEO_LOGIN);
  await section.getByLabel('DataForSEO password').fill(SIM_DATAFORSEO_PASSWORD);
  await section.getByRole('button', { name: 'Save' }).click();
  await section.getByText(maskedTailPattern(SIM_DATAFORSEO_PASSWORD)).waitFor({ timeout: 10_000 });
  await options.close();
}

/** Writes `local:` storage items the way the extension stores them (WXT drops the "local:" prefix). */
export async function setLocalStorage(extension: ExtensionBrowser, items: { preferences?: Preferences; budget?: BudgetSettings }) {
  const worker = await extension.liveServiceWorker();
  await worker.evaluate((values) => chrome.storage.local.set(values), items);
}

/** The ledger's entries, read with plain IndexedDB in the service worker (no module imports there). */
export async function ledgerEntries(worker: Worker): Promise<LedgerEntry[]> {
  return worker.evaluate(
    () =>
      new Promise<LedgerEntry[]>((resolve, reject) => {
        const request = indexedDB.open('backlink-lens-ledger');
        // No ledger yet: leave creating it (and its store) to the extension.
        request.onupgradeneeded = () => request.transaction?.abort();
        request.onerror = () => (request.error?.name === 'AbortError' ? resolve([]) : reject(request.error));
        request.onsuccess = () => {
          const database = request.result;
          const read = database.transaction('entries').objectStore('entries').getAll();
          read.onsuccess = () => {
            database.close();
            resolve(read.result as LedgerEntry[]);
          };
          read.onerror = () => reject(read.error);
        };
      }),
  );
}

export const formatCount = (value: number) => new Intl.NumberFormat('en-US').format(value);

/** The table's status line, e.g. "300 of 2,000 loaded" (matched from its start: "1,300 of" is not "300 of"). */
export const loaded = (panel: Page, rows: number, total: number) =>
  panel.getByRole('status').filter({ hasText: new RegExp(`^${formatCount(rows)} of ${formatCount(total)} loaded`) });

/** How many rows the table's status line says are loaded. */
export async function loadedRows(panel: Page): Promise<number> {
  const text = await panel.getByRole('status').filter({ hasText: / loaded/ }).textContent();
  return Number(/^([\d,]+) of/.exec(text ?? '')?.[1]?.replace(/,/g, '') ?? Number.NaN);
}

/**
 * The first-column text of every row, read by scrolling the virtualised table from top to
 * bottom and keyed by aria-rowindex, so a row seen twice while scrolling is counted once.
 */
export async function readAllRows(panel: Page, label: string): Promise<string[]> {
  const scroller = panel.getByTestId('report-table-scroll');
  const byIndex = new Map<number, string>();
  await scroller.evaluate((element) => element.scrollTo({ top: 0 }));
  for (;;) {
    const visible = await panel
      .getByRole('table', { name: label })
      .locator('tbody tr[aria-rowindex]')
      .evaluateAll((rows) => rows.map((row) => [Number(row.getAttribute('aria-rowindex')), row.querySelector('td')?.textContent ?? ''] as const));
    for (const [index, text] of visible) byIndex.set(index, text);
    const atEnd = await scroller.evaluate((element) => {
      const before = element.scrollTop;
      element.scrollTop = before + element.clientHeight;
      return element.scrollTop === before;
    });
    if (atEnd) break;
    // Let the virtualiser render the rows now in view.
    await panel.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  }
  const indexes = [...byIndex.keys()].sort((a, b) => a - b);
  // Row 1 is the header: data rows are 2..n+1 with no gap.
  expect(indexes[0]).toBe(2);
  expect(indexes.at(-1)).toBe(indexes.length + 1);
  return indexes.map((index) => byIndex.get(index)!);
}

/** The text of one column in the rendered rows of a table (rows are virtualised: those on screen). */
export async function columnTexts(table: Locator, header: string): Promise<string[]> {
  const headers = await table.locator('thead th').allTextContents();
  const index = headers.findIndex((text) => text.replace(/[▲▼↕]/g, '').trim() === header);
  expect(index, `column "${header}" in ${headers.join(', ')}`).toBeGreaterThanOrEqual(0);
  return table.locator(`tbody tr:not([aria-hidden]) td:nth-child(${index + 1})`).allTextContents();
}
