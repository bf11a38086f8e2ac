/**
 * Launches Debian Chromium with the built extension (.output/chrome-mv3) and drives its
 * surfaces. Shared by the Playwright fixtures (tests/e2e/fixtures.ts) and the demo
 * (scripts/demo.ts), so it depends on playwright-core's API only, not on the test runner.
 *
 * Two Chromium facts this works around (Chromium 156, Playwright 1.65):
 * - `headless: true` makes Playwright pass `--headless`, which in current Chromium is the
 *   new headless mode, and that one loads extensions; no `--headless=new` is needed.
 * - `chrome.action.openPopup()` opens the real popup as a CDP page target, but Playwright's
 *   connection never attaches to popup targets created after it connected, so no 'page'
 *   event fires. A second CDP connection made after the popup exists does attach it, so
 *   `openPopup` waits for the target and then connects over the browser's debugging port. The
 *   real side panel (opened by the popup's **Open side panel**) is such a target too.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import type { Browser, BrowserContext, CDPSession, Page, Worker } from '@playwright/test';
import { SIM_ORIGIN } from '../sim/constants';

/** The extension APIs the tests call from the service worker (evaluated there, not here). */
declare const chrome: { action: { openPopup(): Promise<void> }; i18n: { getUILanguage(): string } };

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
/** The unpacked build to load; EXTENSION_DIR points elsewhere, e.g. at a copy kept apart from rebuilds. */
export const EXTENSION_DIR = path.resolve(process.env.EXTENSION_DIR ?? path.join(projectRoot, '.output', 'chrome-mv3'));

/** The Chromium binary to drive; throws a sentence that says how to get one. */
export function chromiumPath(): string {
  const executable = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(executable)) {
    throw new Error(
      `Chromium not found at ${executable}: install Debian's chromium (apt-get install -y chromium) or set CHROMIUM_PATH`,
    );
  }
  return executable;
}

/** Fails unless .output/chrome-mv3 is a build that may call the simulator. */
export function assertSimBuild(): void {
  const manifestPath = path.join(EXTENSION_DIR, 'manifest.json');
  const buildHint = 'build it for the simulator first: npm run build:sim';
  if (!existsSync(manifestPath)) throw new Error(`No extension build at ${EXTENSION_DIR}: ${buildHint}`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { host_permissions?: string[] };
  if (!manifest.host_permissions?.includes(`${SIM_ORIGIN}/*`)) {
    throw new Error(`The build at ${EXTENSION_DIR} does not grant ${SIM_ORIGIN}: ${buildHint}`);
  }
}

export interface ExtensionBrowser {
  context: BrowserContext;
  /** The service worker as launched; after stopServiceWorker() use liveServiceWorker(). */
  serviceWorker: Worker;
  extensionId: string;
  /** The Options tab the installation opened, when launched with keepWelcomePage (else closed and null). */
  welcomePage: Page | null;
  /** The browser's --remote-debugging-port, for CDP connections of one's own (the benchmark's popup timer). */
  debuggingPort: number;
  /** `chrome-extension://ID/<page>`, e.g. extensionUrl('options.html'). */
  extensionUrl(page: string): string;
  /** Brings `tab` to the front, opens the toolbar popup for it and returns the popup page. */
  openPopup(tab: Page): Promise<Page>;
  /** The real side panel, once the extension has opened it (e.g. from the popup), attached like the popup. */
  openedSidePanel(): Promise<Page>;
  /** Stops the extension's service worker, as Chrome does when it idles, and waits until it is gone. */
  stopServiceWorker(): Promise<void>;
  /** The running service worker, started again first if it was stopped. */
  liveServiceWorker(): Promise<Worker>;
  close(): Promise<void>;
}

export interface LaunchOptions {
  headless: boolean;
  /**
   * A fresh profile installs the extension, which opens Options at its welcome
   * (lib/background/first-run.ts). That tab is closed before the browser is handed over, so
   * tests start with the tabs they open themselves; true keeps it as `welcomePage`.
   */
  keepWelcomePage?: boolean;
  /**
   * The browser's UI language, which picks the extension's catalogue (chrome.i18n) and the
   * formatting of numbers and dates: en-US unless a test asks for another (the German run).
   */
  language?: string;
  /**
   * Whether every tab gets the sample sites (the default). A route on the whole context also
   * pauses each of the service worker's requests until this process lets it go, so the benchmark
   * passes false and serves them only in the tab it browses (serveSampleSites).
   */
  sampleSitesInEveryTab?: boolean;
}

/** A chain of client-side redirects through `hops` sites, ending on `https://<finalHost>/` (see samplePageHtml). */
export function redirectChainUrl(hops: number, finalHost: string): string {
  return `https://hop-${hops}-example.com/?redirects=${hops}&then=${encodeURIComponent(finalHost)}`;
}

/**
 * The sample sites the tests and the demo browse; the simulator has data for any domain. A page
 * of a redirect chain (`?redirects=N&then=host`) moves on while it is still loading, as
 * redirect and consent hops do.
 */
export function samplePageHtml(url: URL): string {
  const title = `${url.hostname} (sample page)`;
  const redirects = Number(url.searchParams.get('redirects') ?? 0);
  const finalHost = url.searchParams.get('then') ?? '';
  const next = redirects > 1 ? redirectChainUrl(redirects - 1, finalHost) : `https://${finalHost}/`;
  const redirect = redirects >= 1 && /^[a-z0-9.-]+$/.test(finalHost) ? `<script>location.replace(${JSON.stringify(next)});</script>` : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>${redirect}</head>
<body style="font-family: sans-serif; margin: 3rem"><h1>${url.hostname}</h1>
<p>A sample page served by the Backlink Lens test browser at ${url.pathname}. Nothing here leaves this machine.</p></body></html>`;
}

/** Fulfils every http(s) request but the simulator's with a sample page, in `target` (a tab or the whole context). */
export async function serveSampleSites(target: BrowserContext | Page): Promise<void> {
  await target.route(
    (url) => (url.protocol === 'https:' || url.protocol === 'http:') && url.origin !== SIM_ORIGIN,
    (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body: samplePageHtml(new URL(route.request().url())) }),
  );
}

export async function launchExtensionBrowser({ headless, keepWelcomePage = false, language = 'en-US', sampleSitesInEveryTab = true }: LaunchOptions): Promise<ExtensionBrowser> {
  const executablePath = chromiumPath();
  assertSimBuild();
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'backlink-lens-profile-'));
  // "de" → de_DE, "en-US" → en_US: the form LANGUAGE, LANG and LC_ALL take.
  const posixLocale = language.includes('-') ? language.replace('-', '_') : `${language}_${language.toUpperCase()}`;
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless,
    viewport: { width: 1280, height: 800 },
    // Pinned, whatever this machine's language. On Linux, Chromium's UI language (the one
    // chrome.i18n answers with, and its pages' Intl) comes from the environment, and only when
    // Chromium has that language's locale file (Debian: chromium-l10n); --lang does it on other
    // systems, --accept-lang sets Accept-Language. `locale` too: Playwright's test runner would
    // otherwise emulate en-US in every page it opens (the popup, attached later, keeps the browser's).
    locale: language,
    env: { ...process.env, LANGUAGE: posixLocale, LC_ALL: `${posixLocale}.UTF-8`, LANG: `${posixLocale}.UTF-8` },
    args: [
      `--lang=${language}`,
      `--accept-lang=${language}`,
      `--disable-extensions-except=${EXTENSION_DIR}`,
      `--load-extension=${EXTENSION_DIR}`,
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      // Only loopback is reachable: sample sites are fulfilled by a route (serveSampleSites).
      '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1',
      // For the second CDP connection that attaches the popup (see the file comment).
      '--remote-debugging-port=0',
    ],
  });
  const attachedConnections: Browser[] = [];
  try {
    if (sampleSitesInEveryTab) await serveSampleSites(context);
    const serviceWorker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
    const extensionId = new URL(serviceWorker.url()).host;
    const extensionUrl = (page: string) => `chrome-extension://${extensionId}/${page}`;
    const debuggingPort = await readDebuggingPort(userDataDir);
    const uiLanguage = await serviceWorker.evaluate(() => chrome.i18n.getUILanguage());
    if (uiLanguage.split('-')[0] !== language.split('-')[0]) {
      throw new Error(`Chromium runs in ${uiLanguage}, not ${language}: install its translations (Debian: apt-get install -y chromium-l10n)`);
    }
    const installWelcome = await waitForPage(context, extensionUrl('options.html#welcome'));
    const welcomePage = keepWelcomePage ? installWelcome : null;
    if (!keepWelcomePage) await installWelcome.close();

    // The ServiceWorker CDP domain lives on page targets (not the browser's); a session on any
    // page reaches every worker of the profile, the extension's included. A page the tests
    // already have is used, since opening a tab would move the side panel to it. Playwright's
    // Worker outlives a stop (it is the same target once the worker runs again) and never says
    // it stopped, so the domain's status updates tell.
    interface WorkerControl {
      page: Page;
      session: CDPSession;
      reach(status: 'running' | 'stopped'): Promise<void>;
    }
    let workerControl: Promise<WorkerControl> | null = null;
    const openWorkerControl = async (): Promise<WorkerControl> => {
      const page = context.pages().find((open) => !open.isClosed()) ?? (await context.newPage());
      const session = await context.newCDPSession(page);
      let status: 'running' | 'stopped' = 'running';
      const waiters: { status: 'running' | 'stopped'; resolve: () => void }[] = [];
      session.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
        const ours = versions.filter((version) => version.scriptURL.startsWith(extensionUrl('')));
        if (ours.length === 0) return;
        status = ours.some((version) => version.runningStatus === 'running') ? 'running' : 'stopped';
        for (const waiter of waiters.filter((w) => w.status === status)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve();
        }
      });
      await session.send('ServiceWorker.enable');
      const reach = (wanted: 'running' | 'stopped') =>
        status === wanted ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ status: wanted, resolve }));
      return { page, session, reach };
    };
    const control = async () => {
      const current = await workerControl;
      if (!current || current.page.isClosed()) workerControl = openWorkerControl();
      return workerControl!;
    };

    const stopServiceWorker = async () => {
      const { session, reach } = await control();
      await session.send('ServiceWorker.stopAllWorkers');
      await withTimeout(reach('stopped'), 10_000, 'The extension’s service worker did not stop within 10 s');
    };

    const liveServiceWorker = async (): Promise<Worker> => {
      const { session, reach } = await control();
      await session.send('ServiceWorker.startWorker', { scopeURL: extensionUrl('') });
      await withTimeout(reach('running'), 10_000, 'The extension’s service worker did not start within 10 s');
      const workers = context.serviceWorkers().filter((worker) => new URL(worker.url()).host === extensionId);
      return workers.at(-1) ?? serviceWorker;
    };

    const openPopup = async (tab: Page): Promise<Page> => {
      const popupUrl = extensionUrl('popup.html');
      for (const connection of attachedConnections.splice(0)) await closePopupConnection(connection, popupUrl);
      const worker = await liveServiceWorker();
      await tab.bringToFront();
      await worker.evaluate(() => chrome.action.openPopup());
      return attachPage(popupUrl, 'chrome.action.openPopup() did not open');
    };

    /** A page the browser opened on its own (no Playwright 'page' event): attached by a new connection once its target exists. */
    const attachPage = async (url: string, failure: string): Promise<Page> => {
      const connection = await waitForPageConnection(debuggingPort, url, failure);
      attachedConnections.push(connection);
      const page = connection.contexts()[0]?.pages().find((open) => open.url() === url);
      if (!page) throw new Error(`The page target ${url} was not attached`);
      return page;
    };
    const openedSidePanel = () => attachPage(extensionUrl('sidepanel.html'), 'The side panel did not open');

    const close = async () => {
      for (const connection of attachedConnections.splice(0)) await connection.close().catch(() => undefined);
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    };
    return {
      context,
      serviceWorker,
      extensionId,
      welcomePage,
      debuggingPort,
      extensionUrl,
      openPopup,
      openedSidePanel,
      stopServiceWorker,
      liveServiceWorker,
      close,
    };
  } catch (error) {
    await context.close();
    rmSync(userDataDir, { recursive: true, force: true });
    throw error;
  }
}

/** A key's last four characters behind a mask ("…0001" or "•••• 0001"), never the whole key. */
export function maskedTailPattern(key: string): RegExp {
  return new RegExp(`(…|•+)\\s?${key.slice(-4).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);
}

/** Saves a Serpstat token through the options page, as a user would, and closes the page. */
export async function saveSerpstatKey(extension: ExtensionBrowser, token: string): Promise<void> {
  const options = await extension.context.newPage();
  await options.goto(extension.extensionUrl('options.html'));
  const serpstat = options.getByRole('region', { name: 'Serpstat' });
  await serpstat.getByLabel('Serpstat API token').fill(token);
  await serpstat.getByRole('button', { name: 'Save' }).click();
  // Saved once the key comes back, as its masked tail only.
  await serpstat.getByText(maskedTailPattern(token)).waitFor({ timeout: 10_000 });
  await options.close();
}

/** Chromium writes the port it chose for --remote-debugging-port=0 into the profile. */
async function readDebuggingPort(userDataDir: string): Promise<number> {
  const portFile = path.join(userDataDir, 'DevToolsActivePort');
  for (let attempt = 0; attempt < 100; attempt++) {
    if (existsSync(portFile)) {
      const port = Number(readFileSync(portFile, 'utf8').split('\n')[0]);
      if (port > 0) return port;
    }
    await sleep(50);
  }
  throw new Error(`Chromium did not report its debugging port in ${portFile}`);
}

/** The tab showing `url`, once one does (a tab the extension opens starts at about:blank). */
async function waitForPage(context: BrowserContext, url: string): Promise<Page> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const page = context.pages().find((open) => open.url() === url);
    if (page) return page;
    await sleep(50);
  }
  throw new Error(`The extension did not open ${url} when it was installed (within 10 s)`);
}

/** Connects once a page target at `url` exists (the popup, the side panel), so the new connection attaches it. */
async function waitForPageConnection(debuggingPort: number, url: string, failure: string): Promise<Browser> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const response = await fetch(`http://127.0.0.1:${debuggingPort}/json/list`);
    const targets = (await response.json()) as { type: string; url: string }[];
    if (targets.some((target) => target.type === 'page' && target.url === url)) {
      return chromium.connectOverCDP(`http://127.0.0.1:${debuggingPort}`);
    }
    await sleep(50);
  }
  throw new Error(`${failure} ${url} within 10 s`);
}

async function closePopupConnection(connection: Browser, popupUrl: string): Promise<void> {
  const popups = connection.contexts()[0]?.pages().filter((page) => page.url() === popupUrl) ?? [];
  for (const popup of popups) await popup.close().catch(() => undefined);
  await connection.close().catch(() => undefined);
}

async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
