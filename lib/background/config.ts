import type { ProviderId } from '../shared/providers';

const trimSlash = (url: string) => url.replace(/\/+$/, '');

/**
 * Provider endpoints, fixed at build time: a build with
 * WXT_SERPSTAT_API_URL / WXT_DATAFORSEO_API_URL set talks to those instead, e.g. the simulator.
 */
export const providerBaseUrls: Record<ProviderId, string> = {
  serpstat: trimSlash(import.meta.env.WXT_SERPSTAT_API_URL || 'https://api.serpstat.com/v4'),
  dataforseo: trimSlash(import.meta.env.WXT_DATAFORSEO_API_URL || 'https://api.dataforseo.com'),
};

/** A provider call that has not answered by then is abandoned (and retried when that can help). */
export const REQUEST_TIMEOUT_MS = 30_000;
