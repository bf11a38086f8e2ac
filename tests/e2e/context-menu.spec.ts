/**
 * The context menu and the side panel: the items exist in the real browser, and a lookup handed
 * over the way the menu's click handler hands it (session storage, unit-tested in
 * context-menu.test.ts) takes over the open panel. Native menus cannot be clicked headless.
 */
import { SIM_SERPSTAT_TOKEN } from '../sim/constants';
import { expect, saveSerpstatKey, serpstatCalls, test } from './fixtures';
import { openPanelFollowing } from './panel-helpers';

/** The extension APIs evaluated in the service worker (there, not here). */
declare const chrome: {
  contextMenus: { update(id: string, properties: { title: string }): Promise<void> };
  storage: { session: { set(items: Record<string, unknown>): Promise<void> } };
};

test.beforeEach(async ({ extension }) => {
  await saveSerpstatKey(extension, SIM_SERPSTAT_TOKEN);
});

test('the link and page items exist; an unknown item does not', async ({ extension }) => {
  const worker = await extension.liveServiceWorker();
  // update() fails for an item that was never created, so it tells which exist.
  const exists = (id: string) =>
    worker.evaluate(
      (menuId) =>
        chrome.contextMenus.update(menuId, { title: menuId === 'lookup-link' ? 'Look up backlinks for this link' : 'Look up backlinks for this page' }).then(
          () => true,
          () => false,
        ),
      id,
    );
  await expect.poll(() => exists('lookup-link')).toBe(true);
  expect(await exists('lookup-page')).toBe(true);
  expect(await exists('no-such-item')).toBe(false);
});

test('a context-menu lookup takes over the open panel; a javascript: link gets an explanation and no request', async ({
  extension,
  openSite,
  sim,
}) => {
  const { panel } = await openPanelFollowing(extension, openSite, 'https://www.shop-example.co.uk/', 'shop-example.co.uk');

  const worker = await extension.liveServiceWorker();
  const handOver = (url: string) =>
    worker.evaluate((linkUrl) => chrome.storage.session.set({ pendingLookup: { url: linkUrl, windowId: null, requestedAt: Date.now() } }), url);

  await handOver('https://blog.linked-example.org/some/post');
  await expect(panel.getByRole('heading', { name: 'linked-example.org' })).toBeVisible();
  await expect(panel.getByRole('table', { name: 'Referring domains' })).toBeVisible();

  const requestsBefore = sim.log.length;
  await handOver('javascript:alert(1)');
  await expect(panel.getByRole('heading', { name: 'No site to look up' })).toBeVisible();
  await panel.waitForTimeout(500);
  expect(sim.log).toHaveLength(requestsBefore);
  expect(serpstatCalls(sim, 'getRefDomains').some((entry) => entry.params.query === 'linked-example.org')).toBe(true);
});
