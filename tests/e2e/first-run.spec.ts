import { launchExtensionBrowser } from './extension-browser';
import { expect, test } from './fixtures';

/** A new user: installation opens Options at the welcome; without a key, "Open options" lands on the key's field. */

test('installing opens Options at the welcome: what it does, where the keys come from, what a lookup costs', async ({ sim }) => {
  await sim.reset();
  const extension = await launchExtensionBrowser({ headless: true, keepWelcomePage: true });
  try {
    const welcome = extension.welcomePage!;
    expect(welcome.url()).toBe(extension.extensionUrl('options.html#welcome'));
    const section = welcome.getByRole('region', { name: 'Welcome to Backlink Lens' });
    await expect(section).toBeVisible();
    await expect(section.getByText(/API page of your Serpstat account/)).toBeVisible();
    await expect(section.getByText(/API Access page of the DataForSEO dashboard/)).toBeVisible();
    await expect(section.getByText(/a side-panel page of 100 rows costs 100 credits/)).toBeVisible();
    // The privacy policy is on the same page, offline: the link at the top jumps to it.
    await welcome.getByRole('link', { name: 'Privacy' }).click();
    await expect(welcome.getByRole('region', { name: 'Privacy policy' })).toBeInViewport();
    await expect(section).toBeVisible();
    // One welcome, and nothing sent to a provider.
    expect(extension.context.pages().filter((page) => page.url().includes('options.html'))).toEqual([welcome]);
    expect(sim.log).toEqual([]);
  } finally {
    await extension.close();
  }
});

test('without a key, the popup’s "Open options" opens Options with the Serpstat token field focused', async ({ openSite, extension, sim }) => {
  const site = await openSite('https://www.shop-example.co.uk/');
  const popup = await extension.openPopup(site);
  const optionsOpened = extension.context.waitForEvent('page', (page) => page.url().includes('options.html'));
  await popup.getByRole('button', { name: 'Open options' }).click();
  const options = await optionsOpened;
  await options.waitForURL(extension.extensionUrl('options.html#serpstat'));
  await expect(options.getByLabel('Serpstat API token')).toBeFocused();
  expect(sim.log).toEqual([]);
});

test('without a DataForSEO key, the side panel’s "Open options" focuses the DataForSEO login', async ({ extension, sim }) => {
  const panel = await extension.context.newPage();
  await panel.goto(extension.extensionUrl('sidepanel.html?target=shop-example.co.uk'));
  await panel.getByLabel('Provider').selectOption('dataforseo');
  await expect(panel.getByText('Add your DataForSEO API login and password in Options to see backlinks.')).toBeVisible();
  const optionsOpened = extension.context.waitForEvent('page');
  await panel.getByRole('button', { name: 'Open options' }).click();
  const options = await optionsOpened;
  await options.waitForURL(extension.extensionUrl('options.html#dataforseo'));
  await expect(options.getByLabel('DataForSEO login')).toBeFocused();
  expect(sim.log).toEqual([]);
});
