import type { PortLike } from '../../lib/shared/port';

type Listener<T extends unknown[]> = (...args: T) => void;

function event<T extends unknown[]>() {
  const listeners = new Set<Listener<T>>();
  return {
    addListener: (listener: Listener<T>) => void listeners.add(listener),
    removeListener: (listener: Listener<T>) => void listeners.delete(listener),
    emit: (...args: T) => [...listeners].forEach((listener) => listener(...args)),
  };
}

interface PortEnd {
  sender?: PortLike['sender'];
  /** This end called disconnect(): nothing more reaches it. */
  detached: boolean;
  onMessage: ReturnType<typeof event<[unknown]>>;
  onDisconnect: ReturnType<typeof event<[]>>;
}

/**
 * Two connected in-memory ports (the browser's fake has no runtime.onConnect). Delivery is
 * asynchronous and structured-cloned like the real thing; disconnecting one end tells only the
 * other (after delivering what was already posted), and either end posting after that throws,
 * as a real Port does.
 */
export function createPortPair(name: string, sender?: PortLike['sender']): { client: PortLike; server: PortLike } {
  let connected = true;
  const end = (senderOfThisEnd?: PortLike['sender']): PortEnd => ({
    sender: senderOfThisEnd,
    detached: false,
    onMessage: event<[unknown]>(),
    onDisconnect: event<[]>(),
  });
  // The server end is the one runtime.onConnect hands out: it carries the connecting page as sender.
  const clientEnd = end();
  const serverEnd = end(sender);
  const wire = (self: PortEnd, other: PortEnd): PortLike => ({
    name,
    sender: self.sender,
    postMessage(message) {
      if (!connected) throw new Error('Attempting to use a disconnected port object');
      const copy = structuredClone(message);
      // Messages posted before a disconnect still arrive, in order, before onDisconnect.
      queueMicrotask(() => other.detached || other.onMessage.emit(copy));
    },
    disconnect() {
      if (!connected) return;
      connected = false;
      self.detached = true;
      queueMicrotask(() => other.onDisconnect.emit());
    },
    onMessage: { addListener: self.onMessage.addListener, removeListener: self.onMessage.removeListener },
    onDisconnect: { addListener: self.onDisconnect.addListener, removeListener: self.onDisconnect.removeListener },
  });
  return { client: wire(clientEnd, serverEnd), server: wire(serverEnd, clientEnd) };
}
