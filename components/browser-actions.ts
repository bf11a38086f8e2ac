import { browser } from 'wxt/browser';

/** Firefox's sidebar API; absent from the Chrome typings WXT ships. */
interface SidebarAction {
  open(): Promise<void>;
}

export function openOptionsPage(): void {
  void browser.runtime.openOptionsPage();
}

/**
 * Opens the side panel of `windowId`. Must run synchronously inside a click handler: both
 * browsers refuse to open a panel once the user gesture has passed (no await before the call).
 */
export function openSidePanel(windowId: number): Promise<void> {
  if (import.meta.env.FIREFOX) {
    const sidebarAction = (browser as unknown as { sidebarAction?: SidebarAction }).sidebarAction;
    return sidebarAction ? sidebarAction.open() : Promise.reject(new Error('This browser has no sidebar.'));
  }
  return browser.sidePanel.open({ windowId });
}
