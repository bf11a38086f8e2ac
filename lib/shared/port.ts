/**
 * Port name of the popup's lookup. Here rather than in protocol.ts, so that the popup's start
 * script (lib/ui/messaging/popup-start.ts) can connect without loading zod.
 */
export const POPUP_PORT = 'popup';

/** The part of runtime.Port the table stream uses, so tests can hand in an in-memory pair. */
export interface PortLike {
  name: string;
  sender?: { id?: string; url?: string; tab?: { url?: string }; frameId?: number; documentId?: string };
  postMessage(message: unknown): void;
  disconnect(): void;
  onMessage: {
    addListener(listener: (message: unknown) => void): void;
    removeListener(listener: (message: unknown) => void): void;
  };
  onDisconnect: {
    addListener(listener: () => void): void;
    removeListener(listener: () => void): void;
  };
}
