import { dataforseo } from './dataforseo';
import { serpstat } from './serpstat';
import type { ProviderAdapter } from './types';
import type { ProviderId } from '../../shared/providers';

export const adapters: Record<ProviderId, ProviderAdapter> = { serpstat, dataforseo };
