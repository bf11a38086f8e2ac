import { browser } from 'wxt/browser';

/** The side panel is available on every tab; the popup's button opens it (Chrome only). */
export function setUpSidePanel(): void {
  const sidePanel = (browser as unknown as { sidePanel?: { setOptions(options: object): Promise<void> } }).sidePanel;
  if (!sidePanel) return; // Firefox uses sidebar_action instead.
  void sidePanel.setOptions({ path: 'sidepanel.html', enabled: true }).catch(() => undefined);
}
