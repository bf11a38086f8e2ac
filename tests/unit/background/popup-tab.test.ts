import { describe, expect, it, vi } from 'vitest';
import { popupTabUrl, type PopupTabApis } from '../../../lib/background/popup-tab';

const popupSender = { id: 'test-extension-id', url: 'chrome-extension://test-extension-id/popup.html', documentId: 'popup-document' };

/** Two windows, each with its active tab; window 2 was focused last. */
function browserOf(overrides: Partial<PopupTabApis> = {}) {
  const queryTabs = vi.fn(async (query: Parameters<PopupTabApis['queryTabs']>[0]) =>
    'windowId' in query ? [{ url: query.windowId === 1 ? 'https://first-window.example/' : 'https://second-window.example/' }] : [{ url: 'https://second-window.example/' }],
  );
  const getContexts = vi.fn(async (filter: { documentIds: string[] }) => (filter.documentIds.includes('popup-document') ? [{ windowId: 1 }] : []));
  return { queryTabs, getContexts, ...overrides };
}

describe("the popup's tab, read by the background", () => {
  it("is the active tab of the popup's own window, found from the popup's document", async () => {
    const apis = browserOf();
    expect(await popupTabUrl(popupSender, apis)).toBe('https://first-window.example/');
    expect(apis.getContexts).toHaveBeenCalledWith({ documentIds: ['popup-document'] });
    expect(apis.queryTabs).toHaveBeenCalledWith({ active: true, windowId: 1 });
  });

  it('is the active tab of the window focused last where the browser cannot say where the popup is', async () => {
    expect(await popupTabUrl(popupSender, browserOf({ getContexts: undefined }))).toBe('https://second-window.example/');
    expect(await popupTabUrl({ ...popupSender, documentId: undefined }, browserOf())).toBe('https://second-window.example/');
    // A popup context with no window (-1), or none found.
    expect(await popupTabUrl(popupSender, browserOf({ getContexts: async () => [{ windowId: -1 }] }))).toBe('https://second-window.example/');
    expect(await popupTabUrl({ ...popupSender, documentId: 'closed' }, browserOf())).toBe('https://second-window.example/');
    expect(await popupTabUrl(popupSender, browserOf({ getContexts: () => Promise.reject(new Error('no such document')) }))).toBe('https://second-window.example/');
  });

  it('is no address when there is no tab to read, so the popup explains rather than fails', async () => {
    expect(await popupTabUrl(popupSender, browserOf({ queryTabs: async () => [] }))).toBe('');
    expect(await popupTabUrl(popupSender, browserOf({ queryTabs: async () => [{}] }))).toBe('');
    expect(await popupTabUrl(popupSender, browserOf({ queryTabs: () => Promise.reject(new Error('no window')) }))).toBe('');
  });
});
