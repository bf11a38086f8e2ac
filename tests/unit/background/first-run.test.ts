import { beforeEach, describe, expect, it, vi } from 'vitest';
import { browser } from 'wxt/browser';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { handleInstalled, setUpFirstRun } from '@/lib/background/first-run';

/** The background's first run: a new installation opens Options at the welcome; an update does not. */

beforeEach(() => fakeBrowser.reset());

describe('handleInstalled', () => {
  it('opens the options page at its welcome on a new installation', async () => {
    const openTab = vi.fn(async () => undefined);
    await handleInstalled({ reason: 'install' }, openTab);
    expect(openTab).toHaveBeenCalledExactlyOnceWith(`${browser.runtime.getURL('/options.html')}#welcome`);
  });

  it.each(['update', 'chrome_update', 'browser_update', 'shared_module_update'])('opens nothing for %s', async (reason) => {
    const openTab = vi.fn(async () => undefined);
    await handleInstalled({ reason }, openTab);
    expect(openTab).not.toHaveBeenCalled();
  });
});

describe('setUpFirstRun', () => {
  it('listens to runtime.onInstalled and opens a tab only for "install"', async () => {
    const create = vi.spyOn(browser.tabs, 'create');
    setUpFirstRun();
    await fakeBrowser.runtime.onInstalled.trigger({ reason: 'update', previousVersion: '0.1.0', temporary: false });
    expect(create).not.toHaveBeenCalled();
    await fakeBrowser.runtime.onInstalled.trigger({ reason: 'install', temporary: false });
    await vi.waitFor(() => expect(create).toHaveBeenCalledExactlyOnceWith({ url: expect.stringMatching(/\/options\.html#welcome$/) }));
  });
});
