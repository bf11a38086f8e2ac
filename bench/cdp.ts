/**
 * A minimal Chrome DevTools Protocol client over the browser's debugging WebSocket, in flat
 * session mode. Playwright's own sessions cannot reach targets it did not attach, such as the
 * extension popup, and browser-level auto-attach with a pause at start (which the popup
 * probe needs to instrument the popup before it runs) only exists in flat mode.
 */
import WebSocketClient from 'ws';

type Params = Record<string, unknown>;
type Listener = (params: Params, sessionId: string | undefined) => void;

export interface CdpClient {
  /** Sends a command to the browser, or to an attached target when `sessionId` is given. */
  send<T = Params>(method: string, params?: Params, sessionId?: string): Promise<T>;
  on(event: string, listener: Listener): void;
  close(): void;
}

interface Message {
  id?: number;
  method?: string;
  params?: Params;
  result?: Params;
  error?: { message: string };
  sessionId?: string;
}

/** Connects to the browser target of a Chromium started with --remote-debugging-port. */
export async function connectCdp(debuggingPort: number): Promise<CdpClient> {
  const version = (await (await fetch(`http://127.0.0.1:${debuggingPort}/json/version`)).json()) as { webSocketDebuggerUrl: string };
  const socket = new WebSocketClient(version.webSocketDebuggerUrl);
  await new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve(), { once: true });
    socket.addEventListener('error', () => reject(new Error(`No CDP connection on port ${debuggingPort}`)), { once: true });
  });

  let lastId = 0;
  const pending = new Map<number, { resolve: (result: Params) => void; reject: (error: Error) => void; method: string }>();
  const listeners = new Map<string, Listener[]>();
  socket.addEventListener('message', (event) => {
    const message = JSON.parse(String(event.data)) as Message;
    if (message.id !== undefined) {
      const call = pending.get(message.id);
      pending.delete(message.id);
      if (message.error) call?.reject(new Error(`${call.method}: ${message.error.message}`));
      else call?.resolve(message.result ?? {});
    } else if (message.method) {
      for (const listener of listeners.get(message.method) ?? []) listener(message.params ?? {}, message.sessionId);
    }
  });
  socket.addEventListener('close', () => {
    for (const call of pending.values()) call.reject(new Error(`${call.method}: the CDP connection closed`));
    pending.clear();
  });

  return {
    send<T>(method: string, params: Params = {}, sessionId?: string) {
      const id = ++lastId;
      socket.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
      return new Promise<T>((resolve, reject) => pending.set(id, { resolve: resolve as (result: Params) => void, reject, method }));
    },
    on(event, listener) {
      listeners.set(event, [...(listeners.get(event) ?? []), listener]);
    },
    close() {
      socket.close();
    },
  };
}
