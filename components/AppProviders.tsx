import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import { queryKeys } from '@/lib/ui/queries';
import { watchCredentialChanges } from '@/lib/shared/settings';

/** Defaults for the UI: provider data never refreshes by itself (lib/ui/queries.ts sets the rest). */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { refetchOnWindowFocus: false, refetchOnReconnect: false },
      mutations: { retry: false },
    },
  });
}

export function AppProviders({ children, client }: { children: ReactNode; client?: QueryClient }) {
  const [queryClient] = useState(() => client ?? createQueryClient());
  // A key saved in Options shows at once in an open side panel or popup ("Add your key" goes away).
  useEffect(() => watchCredentialChanges(() => void queryClient.invalidateQueries({ queryKey: queryKeys.keyStatus })), [queryClient]);
  return <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>;
}
