/**
 * Security in the built extension (issue 7): keys never reach an extension page (every runtime
 * answer, port message and storage change the pages receive is recorded), the DOM, the console,
 * errors or an exported file; they live sealed in storage.local only; nothing outside the
 * extension's own pages can talk to the background; hostile provider text stays inert; and
 * nothing is requested until the user looks something up.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { SIM_DATAFORSEO_LOGIN, SIM_DATAFORSEO_PASSWORD, SIM_ORIGIN, SIM_SERPSTAT_TOKEN } from '../sim/constants';
import type { Preferences } from '../../lib/shared/settings';
import { EXTENSION_DIR, maskedTailPattern } from './extension-browser';
import { expect, saveSerpstatKey, test } from './fixtures';
import { openBacklinksRecordingDialogs, openPanel, saveDataForSeoKey, setLocalStorage } from './panel-helpers';

/** The extension APIs evaluated in extension pages and the service worker (there, not here). */
declare const chrome: {
  runtime: {
    sendMessage(message: unknown): Promise<unknown>;
    connect(info: { name: string }): { onMessage: { addListener(listener: (message: unknown) => void): void } };
    onMessage: { hasListeners(): boolean };
    onMessageExternal: { hasListeners(): boolean };
    onConnectExternal: { hasListeners(): boolean };
  };
  storage: {
    local: { get(keys: null): Promise<Record<string, unknown>> };
    sync: { get(keys: null): Promise<Record<string, unknown>> };
    onChanged: { addListener(listener: (changes: unknown, area: string) => void): void };
  };
};
declare function recordReceived(channel: string, text: string): void;

const domain = 'shop-example.co.uk';
const secrets = [SIM_SERPSTAT_TOKEN, SIM_DATAFORSEO_PASSWORD, Buffer.from(`${SIM_DATAFORSEO_LOGIN}:${SIM_DATAFORSEO_PASSWORD}`).toString('base64')];
const preferences: Preferences = { provider: 'serpstat', scope: 'domain_with_subdomains', pageSize: 100, serpstatRequestsPerSecond: 10, dataforseoPagesAtOnce: 4, lookUpFollowedTab: false };

function expectNoSecret(where: string, text: string) {
  for (const secret of secrets) expect(text.includes(secret), `${where} contains a key`).toBe(false);
}

/** Everything a page shows or holds in its document: markup, typed values, titles. */
async function pageText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const values = [...document.querySelectorAll('input, textarea')].map((field) => (field as HTMLInputElement).value);
    return [document.documentElement.outerHTML, document.body.innerText, ...values].join('\n');
  });
}

/** Clicks "Export CSV" and reads the file the browser saved. */
async function exportCsvText(panel: Page): Promise<string> {
  const [download] = await Promise.all([panel.waitForEvent('download'), panel.getByRole('button', { name: 'Export CSV' }).click()]);
  return readFile(await download.path(), 'utf8');
}

test('no key reaches an extension page: not in any message, the DOM, the console, an error or the CSV', async ({ extension, sim }) => {
  const { context } = extension;
  const received: { channel: string; text: string }[] = [];
  await context.exposeFunction('recordReceived', (channel: string, text: string) => received.push({ channel, text }));
  // In every extension page, before its own scripts: record each answer, port message and storage change it receives.
  await context.addInitScript(() => {
    if (location.protocol !== 'chrome-extension:') return;
    const keep = (channel: string, message: unknown) => recordReceived(channel, JSON.stringify(message) ?? 'undefined');
    const runtime = chrome.runtime;
    const sendMessage = runtime.sendMessage.bind(runtime);
    runtime.sendMessage = (message: unknown) => {
      const answer = sendMessage(message);
      answer.then((value) => keep('answer', value)).catch(() => undefined);
      return answer;
    };
    const connect = runtime.connect.bind(runtime);
    runtime.connect = (info: { name: string }) => {
      const port = connect(info);
      port.onMessage.addListener((message) => keep('port', message));
      return port;
    };
    chrome.storage.onChanged.addListener((changes, area) => keep(`storage.${area}`, changes));
  });
  const consoleLines: string[] = [];
  const errors: string[] = [];
  context.on('console', (message) => consoleLines.push(message.text()));
  extension.serviceWorker.on('console', (message) => consoleLines.push(message.text()));
  context.on('weberror', (error) => errors.push(String(error.error())));
  await setLocalStorage(extension, { preferences });

  // Options: both keys saved and tested, as a user would.
  const options = await context.newPage();
  await options.goto(extension.extensionUrl('options.html'));
  const serpstat = options.getByRole('region', { name: 'Serpstat' });
  await serpstat.getByLabel('Serpstat API token').fill(SIM_SERPSTAT_TOKEN);
  await serpstat.getByRole('button', { name: 'Save' }).click();
  await expect(serpstat.getByText(maskedTailPattern(SIM_SERPSTAT_TOKEN))).toBeVisible();
  await serpstat.getByRole('button', { name: 'Test connection' }).click();
  await expect(serpstat.getByText(/credits left/i).first()).toBeVisible();
  const dataforseo = options.getByRole('region', { name: 'DataForSEO' });
  await dataforseo.getByLabel('DataForSEO login').fill(SIM_DATAFORSEO_LOGIN);
  await dataforseo.getByLabel('DataForSEO password').fill(SIM_DATAFORSEO_PASSWORD);
  await dataforseo.getByRole('button', { name: 'Save' }).click();
  await expect(dataforseo.getByText(maskedTailPattern(SIM_DATAFORSEO_PASSWORD))).toBeVisible();
  await dataforseo.getByRole('button', { name: 'Test connection' }).click();
  await expect(dataforseo.getByText(/balance/i).first()).toBeVisible();

  // The side panel: Serpstat rows, a provider error that echoes the token, DataForSEO rows, a CSV.
  const panel = await openPanel(extension, domain);
  await expect(panel.getByRole('table', { name: 'Referring domains' }).locator('tbody tr:not([aria-hidden])').first()).toBeVisible();
  sim.injectFault({ provider: 'serpstat', method: 'getNewBacklinks', fault: { kind: 'serpstat-error', code: 403, message: `Invalid token ${SIM_SERPSTAT_TOKEN}` } });
  await panel.getByRole('tab', { name: 'Backlinks', exact: true }).click();
  await expect(panel.getByText(/Serpstat rejected your API token/)).toBeVisible();
  await panel.getByRole('tab', { name: 'Referring domains' }).click();
  sim.injectFault({
    provider: 'dataforseo',
    fault: { kind: 'dataforseo-status', statusCode: 40501, statusMessage: `Invalid Field: "${SIM_DATAFORSEO_PASSWORD}".`, level: 'task' },
  });
  await panel.getByRole('combobox', { name: 'Provider' }).selectOption({ label: 'DataForSEO' });
  await expect(panel.getByText(/DataForSEO did not accept a filter/)).toBeVisible();
  await panel.getByRole('combobox', { name: 'Provider' }).selectOption({ label: 'Serpstat' });
  await expect(panel.getByRole('table', { name: 'Referring domains' }).locator('tbody tr:not([aria-hidden])').first()).toBeVisible();
  const csv = await exportCsvText(panel);
  expect(csv.split('\n').length).toBeGreaterThan(100);
  expectNoSecret('the exported CSV', csv);

  // What was recorded is real: key statuses, connection tests and table pages went by.
  const channels = new Set(received.map((entry) => entry.channel));
  expect(channels).toContain('answer');
  expect(channels).toContain('port');
  expect(received.some((entry) => entry.text.includes('"maskedTail"'))).toBe(true);
  expect(received.some((entry) => entry.text.includes('"type":"page"'))).toBe(true);
  expect(received.some((entry) => entry.text.includes('[hidden]'))).toBe(true);
  // No answer, port message or storage change event carries a key.
  expect(channels).toContain('storage.local');
  for (const entry of received) expectNoSecret(`a ${entry.channel} message`, entry.text);

  for (const page of [options, panel]) {
    expectNoSecret(page.url(), await pageText(page));
    // No page listens for runtime messages, so none is handed what another page sends the background.
    expect(await page.evaluate(() => chrome.runtime.onMessage.hasListeners())).toBe(false);
  }
  await expect(serpstat.getByText(maskedTailPattern(SIM_SERPSTAT_TOKEN))).toBeVisible();
  expectNoSecret('the console', consoleLines.join('\n'));
  expectNoSecret('uncaught errors', errors.join('\n'));
});

test('keys live in storage.local, sealed, never in storage.sync', async ({ extension }) => {
  await saveSerpstatKey(extension, SIM_SERPSTAT_TOKEN);
  await saveDataForSeoKey(extension);
  const worker = await extension.liveServiceWorker();
  const local = await worker.evaluate(() => chrome.storage.local.get(null));
  expect(local).toMatchObject({
    serpstatToken: { iv: expect.any(String), data: expect.any(String) },
    dataforseoCredentials: { login: SIM_DATAFORSEO_LOGIN, password: { iv: expect.any(String), data: expect.any(String) } },
  });
  expectNoSecret('storage.local', JSON.stringify(local));
  expect(await worker.evaluate(() => chrome.storage.sync.get(null))).toEqual({});
});

test('only the extension’s own pages can reach the background', async ({ extension, openSite }) => {
  // The built manifest opens no door: no external messaging, no content scripts, no resources for web pages.
  const manifest = JSON.parse(readFileSync(path.join(EXTENSION_DIR, 'manifest.json'), 'utf8')) as Record<string, unknown>;
  for (const key of ['externally_connectable', 'content_scripts', 'web_accessible_resources', 'optional_permissions', 'optional_host_permissions']) {
    expect(manifest, key).not.toHaveProperty(key);
  }
  expect(manifest.permissions).toEqual(['storage', 'sidePanel', 'tabs', 'contextMenus']);
  expect(manifest.host_permissions).toEqual(['https://api.serpstat.com/*', 'https://api.dataforseo.com/*', `${SIM_ORIGIN}/*`]);
  // No script of the build listens to other extensions or web pages.
  const scripts = readdirSync(EXTENSION_DIR, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.js'));
  expect(scripts).toContain('background.js');
  for (const script of scripts) {
    const code = readFileSync(path.join(EXTENSION_DIR, script), 'utf8');
    expect(code, script).not.toMatch(/onMessageExternal|onConnectExternal|executeScript|registerContentScripts/);
  }

  const worker = await extension.liveServiceWorker();
  expect(await worker.evaluate(() => [chrome.runtime.onMessageExternal.hasListeners(), chrome.runtime.onConnectExternal.hasListeners()])).toEqual([false, false]);
  // A web page has no way to address the extension at all.
  const site = await openSite(`https://${domain}/`);
  expect(await site.evaluate(() => typeof (globalThis as { chrome?: { runtime?: { sendMessage?: unknown } } }).chrome?.runtime?.sendMessage)).toBe('undefined');
});

test('hostile provider text stays inert: RTL overrides, 10,000-character strings, data: and javascript: URLs, formulas in the CSV', async ({
  extension,
  sim,
}) => {
  await saveSerpstatKey(extension, SIM_SERPSTAT_TOKEN);
  await setLocalStorage(extension, { preferences });
  const long = `${'A'.repeat(10_000)}<b>bold</b>`;
  const hostile = {
    dataUrl: 'data:text/html,<script>alert(1)</script>',
    scriptUrl: 'javascript:alert(2)',
    rtl: 'invoice\u202Etxt.exe',
    formula: '=HYPERLINK("https://evil.example","click")',
  };
  sim.injectFault({
    provider: 'serpstat',
    method: 'getNewBacklinks',
    fault: {
      kind: 'mutate',
      changes: [
        { path: 'result.data.0.url_to', value: hostile.dataUrl },
        { path: 'result.data.0.url_from', value: hostile.scriptUrl },
        { path: 'result.data.1.link_text', value: hostile.rtl },
        { path: 'result.data.2.link_text', value: long },
        { path: 'result.data.3.link_text', value: hostile.formula },
        { path: 'result.data.4.url_from', value: `https://long.example/${'x'.repeat(10_000)}` },
      ],
    },
  });
  const { panel, table, dialogs } = await openBacklinksRecordingDialogs(extension, domain);
  await expect(table.getByText(hostile.rtl)).toBeVisible();

  // Text, not markup; URLs other than http(s) are never links.
  await expect(table.getByText(hostile.dataUrl)).toBeVisible();
  await expect(table.getByText(hostile.dataUrl).locator('xpath=ancestor-or-self::a')).toHaveCount(0);
  await expect(table.getByText(hostile.scriptUrl).locator('xpath=ancestor-or-self::a')).toHaveCount(0);
  const hrefs = await panel.locator('a[href]').evaluateAll((links) => links.map((link) => (link as HTMLAnchorElement).protocol));
  expect(hrefs.every((protocol) => protocol === 'https:' || protocol === 'http:')).toBe(true);
  expect(await table.locator('script, b, img, iframe').count()).toBe(0);
  const longCell = table.getByText(long);
  await expect(longCell).toHaveText(long);
  // A 10,000-character cell is cut to the table's width, never stretching the panel.
  const widths = await panel.evaluate(() => ({ page: document.documentElement.scrollWidth, view: window.innerWidth }));
  expect(widths.page).toBeLessThanOrEqual(widths.view);
  await table.getByText(hostile.dataUrl).click();
  await table.getByText(hostile.scriptUrl).click();
  expect(dialogs).toEqual([]);
  expect(panel.url()).toBe(extension.extensionUrl(`sidepanel.html?target=${domain}`));

  // The CSV keeps every character and defuses the formula.
  const csv = await exportCsvText(panel);
  expect(csv).toContain(`"'${hostile.formula.replaceAll('"', '""')}"`);
  expect(csv).toContain(hostile.rtl);
  expect(csv).toContain(long);

  // Domains a provider sends are links only when they are host names.
  const hostileDomains = ['<img src=x onerror=alert(3)>', 'evil\u202Emoc.example.com', 'javascript:alert(4)'];
  sim.injectFault({
    provider: 'dataforseo',
    fault: { kind: 'mutate', changes: hostileDomains.map((value, index) => ({ path: `tasks.0.result.0.items.${index}.domain`, value })) },
  });
  // Saved while the panel is open: the panel notices without being reopened.
  await saveDataForSeoKey(extension);
  await panel.getByRole('tab', { name: 'Referring domains' }).click();
  await panel.getByRole('combobox', { name: 'Provider' }).selectOption({ label: 'DataForSEO' });
  const domains = panel.getByRole('table', { name: 'Referring domains' });
  for (const text of hostileDomains) {
    await expect(domains.getByText(text, { exact: true })).toBeVisible();
    await expect(domains.getByText(text, { exact: true }).locator('xpath=ancestor-or-self::a')).toHaveCount(0);
  }
  expect(await domains.locator('img, script').count()).toBe(0);
  const domainHrefs = await domains.locator('a[href]').evaluateAll((links) => links.map((link) => (link as HTMLAnchorElement).protocol));
  expect(domainHrefs.length).toBeGreaterThan(0);
  expect(domainHrefs.every((protocol) => protocol === 'https:')).toBe(true);
  expect(dialogs).toEqual([]);
});

test('nothing is requested until the user looks something up: tabs open and switch with the panel closed', async ({ extension, openSite, sim }) => {
  await saveSerpstatKey(extension, SIM_SERPSTAT_TOKEN);
  await saveDataForSeoKey(extension);
  const sites = [];
  for (const url of [`https://${domain}/`, 'https://news.travel-example.com/today', 'https://münchen.de/', 'https://blog.example.org/post?x=1']) {
    sites.push(await openSite(url));
  }
  for (const site of sites) await site.bringToFront();
  await extension.stopServiceWorker();
  await extension.liveServiceWorker();
  await sites[0]!.reload();
  // The options page's free usage read goes through the background after all of the above.
  const options = await extension.context.newPage();
  await options.goto(extension.extensionUrl('options.html'));
  await expect(options.getByRole('region', { name: 'Serpstat' }).getByText(maskedTailPattern(SIM_SERPSTAT_TOKEN))).toBeVisible();
  await expect(options.getByText('Nothing spent or served from the cache in the last 30 days.')).toBeVisible();
  expect(sim.log).toEqual([]);
});
