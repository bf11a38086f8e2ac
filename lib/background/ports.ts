import { browser } from 'wxt/browser';
import type { PortLike } from '../shared/port';
import { POPUP_PORT } from '../shared/protocol';
import { acceptPopupPort, type PopupServerDeps } from './popup-server';
import { acceptTablePort, type TableServerDeps } from './table-server';

/**
 * One listener for every port, registered synchronously at worker start so a connection that
 * woke the worker is not missed: the popup's port to the popup server, every other one to the
 * table server, which serves table ports from our own pages and disconnects anything else.
 */
export function setUpPorts(deps: TableServerDeps & PopupServerDeps): void {
  browser.runtime.onConnect.addListener((connected) => {
    const port = connected as unknown as PortLike;
    if (port.name === POPUP_PORT) acceptPopupPort(port, deps);
    else acceptTablePort(port, deps);
  });
}
