import { useEffect, useMemo } from 'react';
import { createTableClient } from '@/lib/ui/messaging/table-client';
import type { TableClient } from '@/lib/ui/messaging/table-client';

/** A table client that opens its Port on the first request, and again after close(). */
function lazyTableClient(): TableClient {
  let current: TableClient | null = null;
  const open = () => (current ??= createTableClient());
  return {
    requestPage: (query, page, signal, options) => open().requestPage(query, page, signal, options),
    requestPages: (query, from, to, onPage, signal, options) => open().requestPages(query, from, to, onPage, signal, options),
    close: () => {
      current?.close();
      current = null;
    },
  };
}

/**
 * One table client (one Port) per mounted table, closed on unmount, which tells the background
 * to stop spending on this table. Opening lazily keeps it correct when React runs an effect's
 * cleanup and setup twice (StrictMode).
 */
export function useTableClient(): TableClient {
  const client = useMemo(() => lazyTableClient(), []);
  useEffect(() => () => client.close(), [client]);
  return client;
}
