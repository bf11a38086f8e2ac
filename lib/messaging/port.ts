/** The part of runtime.Port the table stream uses, so tests can hand in an in-memory pair. */
export interface PortLike {
  name: string;
  sender?: { id?: string; url?: string; tab?: unknown; frameId?: number };
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

type Listener<T extends unknown[]> = (...args: T) => void;

function event<T extends unknown[]>() {
  const listeners = new Set<Listener<T>>();
  return {
    addListener: (listener: Listener<T>) => void listeners.add(listener),
    removeListener: (listener: Listener<T>) => void listeners.delete(listener),
    emit: (...args: T) => [...listeners].forEach((listener) => listener(...args)),
  };
}

/**
 * Two connected in-memory ports (the browser's fake has no runtime.onConnect). Delivery is
 * asynchronous and structured-cloned like the real thing; disconnecting one end tells the other.
 */
export function createPortPair(name: string, sender?: PortLike['sender']): { client: PortLike; server: PortLike } {
  let connected = true;
  const make = (senderOfThisEnd?: PortLike['sender']) => {
    const onMessage = event<[unknown]>();
    const onDisconnect = event<[]>();
    return { onMessage, onDisconnect, port: null as unknown as PortLike, sender: senderOfThisEnd };
  };
  const a = make();
  const b = make(sender);
  const wire = (self: ReturnType<typeof make>, other: ReturnType<typeof make>): PortLike => ({
    name,
    sender: self.sender,
    postMessage(message) {
      if (!connected) throw new Error('Attempting to use a disconnected port object');
      const copy = structuredClone(message);
      queueMicrotask(() => connected && other.onMessage.emit(copy));
    },
    disconnect() {
      if (!connected) return;
      connected = false;
      queueMicrotask(() => other.onDisconnect.emit());
    },
    onMessage: { addListener: self.onMessage.addListener, removeListener: self.onMessage.removeListener },
    onDisconnect: { addListener: self.onDisconnect.addListener, removeListener: self.onDisconnect.removeListener },
  });
  return { client: wire(a, b), server: wire(b, a) };
}
