import { describe, expect, it, vi } from 'vitest';
import { popupTab, type PopupTabApis } from '../../../lib/background/popup-tab';

const popupSender = { id: 'test-extension-id', url: 'chrome-extension://test-extension-id/popup.html', documentId: 'popup-document' };

/** Two windows, each with its active tab; window 2 was focused last. */
function browserOf(overrides: Partial<PopupTabApis> = {}) {
  const queryTabs = vi.fn(async (query: Parameters<PopupTabApis['queryTabs']>[0]) =>
    'windowId' in query ? [{ url: query.windowId === 1 ? 'https://first-window.example/' : 'https://second-window.example/', windowId: query.windowId }] : [{ url: 'https://second-window.example/', windowId: 2 }],
  );
  const getContexts = vi.fn(async (filter: { documentIds: string[] }) => (filter.documentIds.includes('popup-document') ? [{ windowId: 1 }] : []));
  return { queryTabs, getContexts, ...overrides };
}

describe("the popup's tab, read by the background", () => {
  it("is the active tab of the popup's own window, found from the popup's document", async () => {
    const apis = browserOf();
    // Its window goes to the popup with the target, for the side panel.
    expect(await popupTab(popupSender, apis)).toEqual({ url: 'https://first-window.example/', windowId: 1 });
    expect(apis.getContexts).toHaveBeenCalledWith({ documentIds: ['popup-document'] });
    expect(apis.queryTabs).toHaveBeenCalledWith({ active: true, windowId: 1 });
  });

  it('is the active tab of the window focused last where the browser cannot say where the popup is', async () => {
    const second = { url: 'https://second-window.example/', windowId: 2 };
    expect(await popupTab(popupSender, browserOf({ getContexts: undefined }))).toEqual(second);
    expect(await popupTab({ ...popupSender, documentId: undefined }, browserOf())).toEqual(second);
    // A popup context with no window (-1), or none found.
    expect(await popupTab(popupSender, browserOf({ getContexts: async () => [{ windowId: -1 }] }))).toEqual(second);
    expect(await popupTab({ ...popupSender, documentId: 'closed' }, browserOf())).toEqual(second);
    expect(await popupTab(popupSender, browserOf({ getContexts: () => Promise.reject(new Error('no such document')) }))).toEqual(second);
  });

  it('is no address when there is no tab to read, so the popup explains rather than fails', async () => {
    // The popup's window is still known when its tab is not.
    expect(await popupTab(popupSender, browserOf({ queryTabs: async () => [] }))).toEqual({ url: '', windowId: 1 });
    expect(await popupTab(popupSender, browserOf({ queryTabs: async () => [{}] }))).toEqual({ url: '', windowId: 1 });
    expect(await popupTab(popupSender, browserOf({ queryTabs: () => Promise.reject(new Error('no window')) }))).toEqual({ url: '', windowId: null });
  });
});
