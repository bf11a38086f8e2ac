import { describe, expect, it, vi } from 'vitest';
import { FIRST_LOOKUP, leavePopupPort, startPopupPort, takePopupPort } from '@/lib/ui/messaging/popup-start';
import { startPopupSession } from '@/lib/ui/messaging/popup-client';
import { servePopupPort, type PopupServerDeps } from '@/lib/background/popup-server';
import type { PaidFetch } from '@/lib/background/cache/paid-fetch';
import { POPUP_PORT, type PortLike } from '@/lib/shared/port';
import { ok } from '@/lib/shared/result';
import { defaultPreferences } from '@/lib/shared/settings';
import type { PaidQuery } from '@/lib/shared/summary';
import { paidAnswer } from '../popup-harness';
import { createPortPair } from '../port-pair';

const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

/** A background end that records what the popup posted, and lets the test answer. */
function fakeBackground() {
  const { client, server } = createPortPair(POPUP_PORT, { id: 'test-extension-id', url: 'chrome-extension://test-extension-id/popup.html' });
  const posted: unknown[] = [];
  server.onMessage.addListener((message) => posted.push(message));
  return { client, server, posted };
}

describe("the popup's start script", () => {
  it('asks for the lookup of the tab the popup was opened on as soon as it runs', async () => {
    const background = fakeBackground();
    startPopupPort(() => background.client);
    await settle();
    expect(background.posted).toEqual([{ type: 'lookUp', requestId: 1, input: { kind: 'tab' } }]);
    expect(FIRST_LOOKUP.requestId).toBe(1);
  });

  it('keeps the answers that come before the app listens, and hands them over once, in order, then the rest as they come', async () => {
    const background = fakeBackground();
    const port = startPopupPort(() => background.client);
    background.server.postMessage({ n: 1 });
    background.server.postMessage({ n: 2 });
    await settle();
    const heard: unknown[] = [];
    port.onMessage.addListener((message) => heard.push(message));
    expect(heard).toEqual([{ n: 1 }, { n: 2 }]);
    background.server.postMessage({ n: 3 });
    await settle();
    expect(heard).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    // A second listener hears only what comes after it.
    const later: unknown[] = [];
    port.onMessage.addListener((message) => later.push(message));
    background.server.postMessage({ n: 4 });
    await settle();
    expect(heard).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }]);
    expect(later).toEqual([{ n: 4 }]);
  });

  it('tells the app of a disconnect that came before it listened', async () => {
    const background = fakeBackground();
    const port = startPopupPort(() => background.client);
    background.server.disconnect();
    await settle();
    const gone = vi.fn();
    port.onDisconnect.addListener(gone);
    await settle();
    expect(gone).toHaveBeenCalledTimes(1);
  });

  it('leaves its port for the app once, and the app takes nothing when the script did not run', () => {
    const page: Record<string, unknown> = {};
    const background = fakeBackground();
    leavePopupPort(() => background.client, page);
    expect(takePopupPort(page)).not.toBeNull();
    expect(takePopupPort(page)).toBeNull();
    expect(takePopupPort({})).toBeNull();
  });
});

describe('the popup app going on from the start script', () => {
  function served(): PopupServerDeps {
    return {
      popupTab: async () => ({ url: 'https://shop-example.co.uk/', windowId: 1 }),
      preferences: async () => defaultPreferences,
      isKeyConfigured: async () => true,
      summary: {
        fetchPage: (async (query: PaidQuery) => ok(paidAnswer(query))) as unknown as PaidFetch,
        checkLimit: async () => null,
        oneAtATime: () => false,
      },
      isOwnSender: () => true,
    };
  }

  it('shows the answers that arrived while its scripts loaded, on the same port, without asking again', async () => {
    const deps = served();
    const fetchPage = vi.spyOn(deps.summary, 'fetchPage');
    const connections: PortLike[] = [];
    const connect = () => {
      const { client, server } = createPortPair(POPUP_PORT, { id: 'test-extension-id', url: 'chrome-extension://test-extension-id/popup.html' });
      servePopupPort(server, deps);
      connections.push(client);
      return client;
    };
    const started = startPopupPort(connect);
    // The whole lookup is answered before the app starts.
    await settle();
    const lookup = startPopupSession(started, connect);
    expect(lookup.getState()).toMatchObject({
      input: { kind: 'tab' },
      target: { requestId: 1, target: { ok: true, domain: 'shop-example.co.uk' } },
      totals: { ok: true },
      topDomains: { ok: true },
      failure: null,
    });
    expect(connections).toHaveLength(1);
    expect(fetchPage).toHaveBeenCalledTimes(2);

    // The next lookup goes on the same port, with the next id.
    lookup.lookUp({ kind: 'typed', text: 'other-example.com' });
    await settle();
    expect(lookup.getState()).toMatchObject({ target: { requestId: 2, target: { domain: 'other-example.com' } }, totals: { ok: true } });
    expect(connections).toHaveLength(1);
  });

  it('asks for the tab itself when the start script did not run', async () => {
    const background = fakeBackground();
    startPopupSession(null, () => background.client);
    await settle();
    expect(background.posted).toEqual([{ type: 'lookUp', requestId: 1, input: { kind: 'tab' } }]);
  });
});
