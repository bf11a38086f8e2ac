import { dataforseo } from './dataforseo';
import { fetchDataForSeoChart } from './dataforseo-charts';
import { serpstat } from './serpstat';
import { fetchSerpstatChart } from './serpstat-charts';
import type { ProviderAdapter } from './types';
import type { ProviderId } from '../../shared/providers';

// The charts' one-shot requests live in their own files, beside each provider's tables.
export const adapters: Record<ProviderId, ProviderAdapter> = {
  serpstat: { ...serpstat, fetchChart: fetchSerpstatChart },
  dataforseo: { ...dataforseo, fetchChart: fetchDataForSeoChart },
};
