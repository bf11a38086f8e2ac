import { browser } from 'wxt/browser';

export { openSidePanel } from '@/lib/side-panel-open';

export function openOptionsPage(): void {
  void browser.runtime.openOptionsPage();
}
