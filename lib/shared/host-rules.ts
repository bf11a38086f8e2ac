/**
 * The rules for which hosts and page addresses can be looked up, without the public suffix list:
 * lib/background/domain.ts explains each refusal to the user (with the list, answering `resolveTarget`),
 * and lib/shared/reports.ts applies the same rules to every lookup message, whoever sent it.
 */

export const MAX_HOST_LENGTH = 253;
/** Suffixes that only exist inside a network (RFC 6762, RFC 2606 and common router names). */
const PRIVATE_SUFFIXES = new Set(['local', 'localhost', 'internal', 'intranet', 'lan', 'home', 'corp', 'private', 'test', 'example', 'invalid', 'localdomain', 'home.arpa']);
/** One host label: letters, digits, underscores (some hosts have them) and inner hyphens (IDN labels are punycode by now), at most 63 characters. */
export const DNS_LABEL = /^(?!-)[a-z0-9_-]{1,63}(?<!-)$/;

/** Pages the browser keeps for itself even though their scheme is https. */
export const STORE_PAGES = [
  { host: 'chromewebstore.google.com', store: 'chrome' },
  { host: 'chrome.google.com', path: '/webstore', store: 'chrome' },
  { host: 'microsoftedge.microsoft.com', path: '/addons', store: 'edge' },
  { host: 'addons.mozilla.org', store: 'firefox' },
] as const satisfies readonly { host: string; path?: string; store: string }[];
export type StorePage = (typeof STORE_PAGES)[number];

/** The extension store `host` (ASCII, lowercase) and `path` belong to, if any. */
export function storePage(host: string, path: string): StorePage | undefined {
  return STORE_PAGES.find((page) => page.host === host && (!('path' in page) || path.startsWith(page.path)));
}

/** An IPv6 literal or a dotted-decimal address (the URL parser has already turned other IPv4 forms into this one). */
export function isIpAddressHost(host: string): boolean {
  return host.startsWith('[') || /^[\d.]+$/.test(host);
}

export function isLocalhost(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost');
}

/** A name that only resolves inside a network: one label ("printer"), or a private suffix ("printer.local", "wiki.corp"). */
export function isPrivateNetworkHost(host: string): boolean {
  const labels = host.split('.');
  return labels.length < 2 || PRIVATE_SUFFIXES.has(labels.at(-1)!) || PRIVATE_SUFFIXES.has(labels.slice(-2).join('.'));
}

/** The page's address as a provider indexes it: no login in it, no #fragment. */
export function pageAddress(url: URL): string {
  const page = new URL(url.href);
  page.username = '';
  page.password = '';
  page.hash = '';
  return page.href;
}
