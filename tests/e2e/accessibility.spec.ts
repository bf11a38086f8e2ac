/**
 * WCAG 2 A/AA checks (axe-core) of the popup, the side panel (table, folded filters, an error,
 * Load all dialog, progress, Link gap's overlap counts) and the options page, in the light and the dark colour scheme, plus
 * dark-mode screenshots for a look. Contrast is checked on what is on screen, so each state is
 * checked where it shows. And every control reached with Tab shows a focus ring.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from '@playwright/test';
import { SIM_SERPSTAT_TOKEN } from '../sim/constants';
import type { Preferences } from '../../lib/shared/settings';
import { expect, saveSerpstatKey, test } from './fixtures';
import { loaded, openPanel, setLocalStorage } from './panel-helpers';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}
declare const axe: { run(context: Document, options: object): Promise<{ violations: AxeViolation[] }> };

/** Every WCAG 2.0/2.1 A and AA violation on the page as it is now, as readable lines. */
async function wcagViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol: the extension's CSP (rightly) refuses an injected <script>.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const { violations } = await page.evaluate(() => axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }));
  return violations.flatMap((violation) =>
    violation.nodes.map((node) => `${violation.id} (${violation.help}) at ${node.target.join(' ')}: ${node.failureSummary ?? ''}`),
  );
}

/** The page background's relative brightness, 0 (black) to 1 (white), whatever colour syntax the CSS uses. */
async function backgroundBrightness(page: Page): Promise<number> {
  return page.evaluate(() => {
    const context = document.createElement('canvas').getContext('2d')!;
    context.fillStyle = getComputedStyle(document.body).backgroundColor;
    context.fillRect(0, 0, 1, 1);
    const [red, green, blue] = context.getImageData(0, 0, 1, 1).data;
    return (red! + green! + blue!) / (3 * 255);
  });
}

interface FocusStop {
  name: string;
  ring: boolean;
}

/**
 * Presses Tab from the top of the page until focus leaves it or comes round again (at most `limit`
 * times) and says, for each element reached, its name and whether a focus ring is drawn.
 */
async function tabThrough(page: Page, limit: number): Promise<FocusStop[]> {
  // A click on the page's top-left corner (padding, nothing focusable) starts Tab from the top.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.mouse.click(1, 1);
  const stops: FocusStop[] = [];
  const seen = new Set<string>();
  for (let press = 0; press < limit; press++) {
    await page.keyboard.press('Tab');
    const stop = await page.evaluate(() => {
      const element = document.activeElement as HTMLElement | null;
      if (!element || element === document.body) return null;
      const style = getComputedStyle(element);
      const label = element.getAttribute('aria-label') ?? ((element as HTMLInputElement).labels?.[0]?.textContent || element.textContent || element.getAttribute('placeholder') || '');
      const all = [...document.querySelectorAll('*')];
      return {
        key: `${all.indexOf(element)}`,
        name: `${element.tagName.toLowerCase()} ${label.trim().slice(0, 40)}`,
        ring: element.matches(':focus-visible') && style.outlineStyle !== 'none' && (style.outlineStyle === 'auto' || parseFloat(style.outlineWidth) >= 2),
      };
    });
    if (!stop || seen.has(stop.key)) break;
    seen.add(stop.key);
    stops.push({ name: stop.name, ring: stop.ring });
  }
  return stops;
}

const preferences: Preferences = { provider: 'serpstat', scope: 'domain_with_subdomains', pageSize: 100, serpstatRequestsPerSecond: 1, dataforseoPagesAtOnce: 4, lookUpFollowedTab: false };

test.beforeEach(async ({ extension }) => {
  await saveSerpstatKey(extension, SIM_SERPSTAT_TOKEN);
  await setLocalStorage(extension, { preferences });
});

for (const colorScheme of ['light', 'dark'] as const) {
  test(`popup, side panel and options meet WCAG AA in the ${colorScheme} scheme`, async ({ extension, openSite, sim }, testInfo) => {
    sim.setDatasetSize('shop-example.co.uk', 'refDomains', 1_000);
    await extension.context.pages()[0]?.emulateMedia({ colorScheme });

    const site = await openSite('https://www.shop-example.co.uk/');
    const popup = await extension.openPopup(site);
    await popup.emulateMedia({ colorScheme });
    await expect(popup.getByText(/^This lookup cost/)).toBeVisible({ timeout: 15_000 });
    expect(await wcagViolations(popup), 'popup').toEqual([]);
    await popup.close();

    const panel = await openPanel(extension, 'shop-example.co.uk');
    await panel.setViewportSize({ width: 420, height: 900 });
    await panel.emulateMedia({ colorScheme });
    await expect(loaded(panel, 100, 1_000)).toBeVisible();
    expect(await wcagViolations(panel), 'side panel with its table').toEqual([]);
    // The scheme is the one asked for (axe alone would pass a page stuck in light).
    if (colorScheme === 'dark') expect(await backgroundBrightness(panel)).toBeLessThan(0.2);
    else expect(await backgroundBrightness(panel)).toBeGreaterThan(0.9);
    await panel.getByRole('button', { name: 'More filters' }).click();
    await panel.getByRole('textbox', { name: 'Domain' }).fill('http://');
    await panel.getByRole('button', { name: 'Look up', exact: true }).click();
    await expect(panel.getByRole('search', { name: 'Look up a domain' }).getByRole('alert')).toBeVisible();
    expect(await wcagViolations(panel), 'side panel with the filters unfolded and a Domain box error').toEqual([]);
    await panel.screenshot({ path: testInfo.outputPath(`sidepanel-${colorScheme}.png`) });

    await panel.getByRole('button', { name: 'Load all' }).click();
    await expect(panel.getByRole('dialog')).toBeVisible();
    expect(await wcagViolations(panel), 'Load all dialog').toEqual([]);
    await panel.getByRole('button', { name: 'Start loading' }).click();
    await expect(panel.getByRole('progressbar', { name: 'Loading all rows' })).toBeVisible();
    await panel.getByRole('button', { name: 'Pause' }).click();
    expect(await wcagViolations(panel), 'Load all progress, paused').toEqual([]);

    const options = await extension.context.newPage();
    await options.emulateMedia({ colorScheme });
    // At #welcome, as installation opens it: the welcome and the privacy policy are checked too.
    await options.goto(extension.extensionUrl('options.html#welcome'));
    await expect(options.getByRole('region', { name: 'Welcome to Backlink Lens' })).toBeVisible();
    await expect(options.getByRole('region', { name: 'Privacy policy' })).toBeAttached();
    expect(await wcagViolations(options), 'options').toEqual([]);
  });
}

for (const colorScheme of ['light', 'dark'] as const) {
  test(`the rank distribution, the History tab and the usage chart meet WCAG AA in the ${colorScheme} scheme`, async ({ extension }, testInfo) => {
    const panel = await openPanel(extension, 'shop-example.co.uk');
    await panel.setViewportSize({ width: 420, height: 900 });
    await panel.emulateMedia({ colorScheme });
    await expect(panel.getByText(/^100 of [\d,]+ loaded$/)).toBeVisible();
    await panel.getByText('Rank distribution').click();
    await panel.getByText('Show as table').click();
    await expect(panel.getByRole('table', { name: /referring domains loaded, by rank/ })).toBeVisible();
    expect(await wcagViolations(panel), 'rank distribution with its table').toEqual([]);

    await panel.getByRole('tab', { name: 'History' }).click();
    await panel.getByRole('button', { name: 'Load history (1 credit)' }).click();
    await expect(panel.getByRole('heading', { name: 'New and lost per week' })).toBeVisible();
    await panel.getByText('Show as table').click();
    expect(await wcagViolations(panel), 'History tab with its chart and table').toEqual([]);
    await panel.screenshot({ path: testInfo.outputPath(`history-${colorScheme}.png`) });

    const options = await extension.context.newPage();
    await options.emulateMedia({ colorScheme });
    await options.goto(extension.extensionUrl('options.html'));
    await expect(options.getByRole('heading', { name: 'Serpstat spending per day' })).toBeVisible();
    expect(await wcagViolations(options), 'options with the usage chart').toEqual([]);
  });
}

for (const colorScheme of ['light', 'dark'] as const) {
  test(`the Link gap tab with its overlap counts table meets WCAG AA in the ${colorScheme} scheme`, async ({ extension }) => {
    await setLocalStorage(extension, { preferences: { ...preferences, mySites: ['shop-example.co.uk'] } });
    const panel = await openPanel(extension, 'rival-shop.com');
    await panel.setViewportSize({ width: 420, height: 900 });
    await panel.emulateMedia({ colorScheme });
    await panel.getByRole('tab', { name: 'Link gap' }).click();
    await panel.getByRole('button', { name: 'Overlap counts (3 credits)' }).click();
    await expect(panel.getByRole('table', { name: 'Overlap counts: shop-example.co.uk, rival-shop.com' })).toBeVisible();
    expect(await wcagViolations(panel), 'Link gap with the overlap counts').toEqual([]);
  });
}

test('the report tabs in a 360 px panel scroll sideways with an arrow where tabs are hidden, and the keys reach every tab', async ({ extension }) => {
  const panel = await openPanel(extension, 'shop-example.co.uk');
  await panel.setViewportSize({ width: 360, height: 800 });
  await expect(panel.getByText(/^100 of [\d,]+ loaded$/)).toBeVisible();
  const strip = panel.getByRole('tablist', { name: 'Reports' });
  const tabs = strip.getByRole('tab');
  const names = await tabs.allTextContents();
  const hint = (side: 'before' | 'after') => panel.locator(`[data-scroll-hint="${side}"]`);
  /** Whether the tab is wholly inside the strip's visible part (not under an edge arrow). */
  const shownWhole = (name: string) =>
    strip.getByRole('tab', { name, exact: true }).evaluate((tab) => {
      const box = tab.parentElement!.getBoundingClientRect();
      const own = tab.getBoundingClientRect();
      return own.left >= box.left - 1 && own.right <= box.right + 1;
    });

  // The tabs do not fit: the strip scrolls, the page does not, and the arrow says more are to the right.
  expect(await strip.evaluate((element) => element.scrollWidth > element.clientWidth)).toBe(true);
  expect(await panel.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await expect(hint('after')).toBeVisible();
  await expect(hint('before')).toHaveCount(0);
  expect(await wcagViolations(panel), 'side panel at 360 px').toEqual([]);

  // ArrowRight walks through every tab once, each selected, focused and scrolled into view.
  await strip.getByRole('tab', { selected: true }).focus();
  const visited: string[] = [];
  for (let press = 0; press < names.length; press++) {
    await panel.keyboard.press('ArrowRight');
    const selected = strip.getByRole('tab', { selected: true });
    await expect(selected).toBeFocused();
    const name = (await selected.textContent()) ?? '';
    visited.push(name);
    expect(await shownWhole(name), name).toBe(true);
  }
  expect(visited).toEqual([...names.slice(1), names[0]]);

  await panel.keyboard.press('End');
  await expect(tabs.last()).toHaveAttribute('aria-selected', 'true');
  expect(await shownWhole(names.at(-1)!)).toBe(true);
  await expect(hint('before')).toBeVisible();
  expect(await wcagViolations(panel), 'side panel at 360 px, last tab').toEqual([]);
  await panel.keyboard.press('Home');
  await expect(tabs.first()).toHaveAttribute('aria-selected', 'true');
  await expect(tabs.first()).toBeFocused();
  await panel.keyboard.press('ArrowLeft');
  await expect(tabs.last()).toHaveAttribute('aria-selected', 'true');

  // The arrows scroll for a pointer; they take no focus (Tab goes from the selected tab on into the panel).
  await panel.keyboard.press('Home');
  await hint('after').click();
  await expect.poll(() => strip.evaluate((element) => element.scrollLeft)).toBeGreaterThan(0);
  await expect(tabs.first()).toHaveAttribute('aria-selected', 'true');
  expect(await hint('after').getAttribute('tabindex')).toBe('-1');
});

for (const colorScheme of ['light', 'dark'] as const) {
  test(`the change since the last look, the history of looks and Clear history meet WCAG AA in the ${colorScheme} scheme`, async ({ extension, openSite, sim }) => {
    const domain = 'looks-a11y-example.com';
    sim.setDatasetSize(domain, 'refDomains', 120);
    const site = await openSite(`https://${domain}/`);
    await (await extension.openPopup(site)).close();
    const panel = await openPanel(extension, domain);
    await expect(loaded(panel, 100, 120)).toBeVisible();

    sim.setDatasetSize(domain, 'refDomains', 130);
    const options = await extension.context.newPage();
    await options.emulateMedia({ colorScheme });
    await options.goto(extension.extensionUrl('options.html'));
    await options.getByRole('button', { name: 'Clear cache' }).click();
    await expect(options.getByText(/^Cache cleared/)).toBeVisible();

    const popup = await extension.openPopup(site);
    await popup.emulateMedia({ colorScheme });
    await expect(popup.getByText(/^Since .*: Referring domains \+10/)).toBeVisible();
    expect(await wcagViolations(popup), 'popup with the change since the last look').toEqual([]);
    await popup.close();

    await panel.emulateMedia({ colorScheme });
    await panel.reload();
    await expect(loaded(panel, 100, 130)).toBeVisible();
    await panel.getByText('History of my looks (2)').click();
    await panel.getByText('New and lost referring domains since my last look').click();
    await expect(panel.getByText(/^Compared 100 of 120 domains/)).toBeVisible();
    expect(await wcagViolations(panel), 'side panel with the history of looks and the new and lost domains').toEqual([]);

    await options.reload();
    await options.getByRole('button', { name: 'Clear history' }).click();
    await expect(options.getByRole('button', { name: 'Delete history' })).toBeVisible();
    expect(await wcagViolations(options), 'options asking before Clear history').toEqual([]);
  });
}

test('every control of the side panel, popup and options page is reached with Tab and shows a focus ring', async ({ extension, openSite }) => {
  const panel = await openPanel(extension, 'shop-example.co.uk');
  await panel.setViewportSize({ width: 420, height: 900 });
  await expect(panel.getByText(/^100 of [\d,]+ loaded$/)).toBeVisible();
  await panel.getByRole('button', { name: 'More filters' }).click();
  const panelStops = await tabThrough(panel, 300);
  expect(panelStops.filter((stop) => !stop.ring)).toEqual([]);
  const names = panelStops.map((stop) => stop.name).join('\n');
  for (const control of ['button Pin', 'input Domain', 'button Look up', 'select Provider', 'button Referring domains', 'input Filter text', 'button Apply filters', 'button More filters', 'select Text match', 'input Min rank', 'input Last week', 'span Resize Domain column', 'tr ', 'button Look up this domain', 'button Load all', 'button Export CSV']) {
    expect(names).toContain(control);
  }
  // One row's links and buttons, not those of every rendered row.
  expect(panelStops.filter((stop) => stop.name === 'button Look up this domain')).toHaveLength(1);

  const options = await extension.context.newPage();
  await options.goto(extension.extensionUrl('options.html'));
  await expect(options.getByRole('region', { name: 'Serpstat' })).toBeVisible();
  const optionStops = await tabThrough(options, 100);
  expect(optionStops.map((stop) => stop.name).join('\n')).toContain('button Test connection');
  expect(optionStops.map((stop) => stop.name)).toContain('a Privacy');
  expect(optionStops.filter((stop) => !stop.ring)).toEqual([]);

  const popup = await extension.openPopup(await openSite('https://www.shop-example.co.uk/'));
  await expect(popup.getByText(/^This lookup cost/)).toBeVisible({ timeout: 15_000 });
  const popupStops = await tabThrough(popup, 100);
  expect(popupStops.map((stop) => stop.name).join('\n')).toContain('button Open side panel');
  expect(popupStops.filter((stop) => !stop.ring)).toEqual([]);
});

test('the Anchors and Top pages tables meet WCAG AA, and an anchor’s button is reached with Tab and shows a focus ring', async ({ extension }) => {
  const panel = await openPanel(extension, 'shop-example.co.uk');
  await panel.setViewportSize({ width: 420, height: 900 });
  for (const report of ['Anchors', 'Top pages']) {
    await panel.getByRole('tab', { name: report }).click();
    await expect(panel.getByRole('table', { name: report }).locator('tbody tr:not([aria-hidden])').first()).toBeVisible();
    expect(await wcagViolations(panel), report).toEqual([]);
  }
  await panel.getByRole('tab', { name: 'Anchors' }).click();
  // The top anchor may be an image link's (no text, no button): the keys move to one with text.
  const anchors = panel.getByRole('table', { name: 'Anchors' });
  await anchors.locator('tbody tr:not([aria-hidden])').first().focus();
  await panel.keyboard.press('ArrowDown');
  await panel.keyboard.press('ArrowDown');
  const stops = await tabThrough(panel, 300);
  expect(stops.filter((stop) => !stop.ring)).toEqual([]);
  expect(stops.filter((stop) => stop.name === 'button Show backlinks with this anchor')).toHaveLength(1);
});
