import type { ProviderId } from '../../shared/errors';
import { dataforseo } from './dataforseo';
import { serpstat } from './serpstat';
import type { ProviderAdapter } from './types';

export const adapters: Record<ProviderId, ProviderAdapter> = { serpstat, dataforseo };

export const providerLabels: Record<ProviderId, string> = { serpstat: 'Serpstat', dataforseo: 'DataForSEO' };
