/**
 * The popup's first lookup, asked before the app's scripts have even loaded: `popup.html` runs
 * `entrypoints/popup-start.ts` first, which opens the popup's port and posts the `lookUp` of the
 * tab the popup was opened on (the background reads the tab), so the background answers while
 * the browser still loads and evaluates React and zod. The answers wait on the port until the app
 * takes it over; it validates them as it reads them, like every later answer.
 *
 * No shared imports beyond the port's name: this module is the whole of the start script.
 */
import { POPUP_PORT, type PortLike } from '../../shared/port';

/** The first lookUp: the tab the popup was opened on. The app's lookup goes on from this id. */
export const FIRST_LOOKUP = { type: 'lookUp', requestId: 1, input: { kind: 'tab' } } as const;

/** Where the start script leaves the port for the app. */
const STARTED_PORT = '__backlinkLensPopupPort';

type Listener = (message: unknown) => void;

/**
 * Connects, posts the first lookUp and keeps every answer until someone listens: the first
 * message listener added gets the kept answers at once, in order, then each as it comes; a
 * disconnect before then is told to the first disconnect listener added.
 */
export function startPopupPort(connect: () => PortLike): PortLike {
  const port = connect();
  let kept: unknown[] | null = [];
  let disconnected = false;
  const keep: Listener = (message) => kept?.push(message);
  const noteDisconnect = () => void (disconnected = true);
  port.onMessage.addListener(keep);
  port.onDisconnect.addListener(noteDisconnect);
  try {
    port.postMessage(FIRST_LOOKUP);
  } catch {
    // The background is not there: the app hears it as a disconnect and offers Try again.
    disconnected = true;
  }
  return {
    name: port.name,
    postMessage: (message) => port.postMessage(message),
    disconnect: () => port.disconnect(),
    onMessage: {
      addListener(listener) {
        const waiting = kept;
        if (waiting) {
          kept = null;
          port.onMessage.removeListener(keep);
          for (const message of waiting) listener(message);
        }
        port.onMessage.addListener(listener);
      },
      removeListener: (listener) => port.onMessage.removeListener(listener),
    },
    onDisconnect: {
      addListener(listener) {
        port.onDisconnect.removeListener(noteDisconnect);
        port.onDisconnect.addListener(listener);
        // Told after the caller has its port in hand, as a real disconnect would be.
        if (disconnected) queueMicrotask(listener);
      },
      removeListener: (listener) => port.onDisconnect.removeListener(listener),
    },
  };
}

/** Run by the start script: opens the port and leaves it for the app. */
export function leavePopupPort(connect: () => PortLike, global: Record<string, unknown> = globalThis as never): void {
  global[STARTED_PORT] = startPopupPort(connect);
}

/** The port the start script opened, handed over once; null when it did not run. */
export function takePopupPort(global: Record<string, unknown> = globalThis as never): PortLike | null {
  const port = (global[STARTED_PORT] as PortLike | undefined) ?? null;
  delete global[STARTED_PORT];
  return port;
}

/** Opens the popup's port. */
export const connectPopupPort = (runtime: { connect(info: { name: string }): unknown }): PortLike => runtime.connect({ name: POPUP_PORT }) as PortLike;
