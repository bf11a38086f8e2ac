import { browser } from 'wxt/browser';

/** Firefox's sidebar API; absent from the Chrome typings WXT ships. */
interface SidebarAction {
  open(): Promise<void>;
}

/**
 * Opens the side panel (Firefox: the sidebar) of `windowId`. Must be called synchronously in the
 * handler of a user action (click, context menu, keyboard command): both browsers refuse once
 * the gesture has passed, so nothing may be awaited before this call.
 */
export function openSidePanel(windowId: number): Promise<void> {
  if (import.meta.env.FIREFOX) {
    const sidebarAction = (browser as unknown as { sidebarAction?: SidebarAction }).sidebarAction;
    return sidebarAction ? sidebarAction.open() : Promise.reject(new Error('This browser has no sidebar.'));
  }
  return browser.sidePanel.open({ windowId });
}
