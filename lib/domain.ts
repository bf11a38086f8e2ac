import { parse } from 'tldts';
import punycode from 'punycode.js';

export type TargetFailure = 'empty' | 'non_web' | 'ip' | 'localhost' | 'intranet' | 'invalid' | 'too_long';

export type TargetParse =
  | {
      ok: true;
      /** Registrable domain, ASCII (punycode), lowercase, e.g. "shop.co.uk". */
      domain: string;
      /** The full host, ASCII, e.g. "blog.shop.co.uk". */
      host: string;
      /** The domain as people read it: Unicode for IDN ("münchen.de"). */
      displayDomain: string;
      /** The absolute http(s) URL when the input was one (for a "this page" lookup). */
      url: string | null;
    }
  | { ok: false; reason: TargetFailure; message: string };

const MAX_HOST_LENGTH = 253;
/** Suffixes that only exist inside a network (RFC 6762, RFC 2606 and common router names). */
const PRIVATE_SUFFIXES = new Set(['local', 'localhost', 'internal', 'intranet', 'lan', 'home', 'corp', 'private', 'test', 'example', 'invalid', 'localdomain', 'home.arpa']);
/** Pages the browser keeps for itself even though their scheme is https. */
const STORE_PAGES: { host: string; path?: string; name: string }[] = [
  { host: 'chromewebstore.google.com', name: 'the Chrome Web Store' },
  { host: 'chrome.google.com', path: '/webstore', name: 'the Chrome Web Store' },
  { host: 'microsoftedge.microsoft.com', path: '/addons', name: 'the Edge Add-ons store' },
  { host: 'addons.mozilla.org', name: 'the Firefox Add-ons site' },
];
const TYPE_DOMAIN = 'Type a domain in the Domain box to look it up.';
/** The next step after a typed entry that is no public site (the user is already in the Domain box). */
const TYPE_PUBLIC_DOMAIN = 'Type a public domain such as example.com.';
/** One host label: letters, digits, underscores (some hosts have them) and inner hyphens (IDN labels are punycode by now), at most 63 characters. */
const DNS_LABEL = /^(?!-)[a-z0-9_-]{1,63}(?<!-)$/;
/** Chrome's built-in PDF viewer is an extension page. */
const PDF_VIEWER_ID = 'mhjfbmdgcfjbbpaeojofohoefgiehjai';
const BROWSER_SCHEMES = new Set(['chrome', 'edge', 'about', 'brave', 'opera', 'vivaldi', 'devtools', 'chrome-search', 'chrome-untrusted']);
const EXTENSION_SCHEMES = new Set(['chrome-extension', 'moz-extension', 'extension']);

/** What a tab with a non-web scheme is, in the user's terms. */
function nonWebPageKind(url: URL): string {
  const scheme = url.protocol.replace(/:$/, '');
  if (EXTENSION_SCHEMES.has(scheme)) return url.hostname === PDF_VIEWER_ID ? 'the browser’s PDF viewer' : 'a page of a browser extension';
  if (BROWSER_SCHEMES.has(scheme)) return `a browser page (${scheme}:)`;
  if (scheme === 'file') return 'a file on your computer (file://)';
  if (scheme === 'view-source') return 'the source code view of a page';
  return `a ${scheme}: page without a web address`;
}

/** The page's address as a provider indexes it: no login in it, no #fragment. */
function pageAddress(url: URL): string {
  const page = new URL(url.href);
  page.username = '';
  page.password = '';
  page.hash = '';
  return page.href;
}

function failure(reason: TargetFailure, message: string): TargetParse {
  return { ok: false, reason, message };
}

/** Why `host` (ASCII, lowercase) cannot be a domain name, in words, or null when its syntax is fine. */
function hostSyntaxProblem(host: string): string | null {
  // Browsers' URL parsers percent-encode some characters in a host ("*" becomes "%2A"); show what was typed.
  let readable = host;
  try {
    readable = decodeURIComponent(host);
  } catch {
    // A lone "%" stays as it is, and is named below as the character a domain cannot have.
  }
  const shown = `“${punycode.toUnicode(readable)}”`;
  const labels = readable.split('.');
  if (labels.some((label) => label === '')) return `${shown} has an empty part between dots. Check for a doubled or leading dot.`;
  const badCharacter = /[^a-z0-9_.-]/.exec(readable)?.[0];
  if (badCharacter) {
    return badCharacter === ','
      ? `${shown} looks like more than one domain. Type one domain at a time.`
      : `${shown} contains “${badCharacter}”, which a domain name cannot have. Use letters, digits, hyphens and dots.`;
  }
  const badLabel = labels.find((label) => !DNS_LABEL.test(label));
  if (badLabel) {
    return badLabel.length > 63
      ? `${shown} has a part longer than the 63 characters allowed between dots.`
      : `${shown} has a part that starts or ends with a hyphen (“${badLabel}”), which a domain name cannot have.`;
  }
  return null;
}

/**
 * Host checks shared by tab URLs and typed input; `url` is a parsed http(s) URL. `nextStep` ends
 * messages about hosts that are no public site: where the user can go from there.
 */
function targetFromWebUrl(url: URL, keepUrl: boolean, nextStep: string): TargetParse {
  const host = url.hostname.replace(/\.$/, '');
  if (host.length > MAX_HOST_LENGTH) {
    return failure('too_long', `That host name is longer than the ${MAX_HOST_LENGTH} characters a domain can have.`);
  }
  const store = STORE_PAGES.find((page) => page.host === host && (!page.path || url.pathname.startsWith(page.path)));
  if (store) {
    return failure('non_web', `This is ${store.name}, which has no backlinks of its own to show. ${nextStep}`);
  }
  if (host.startsWith('[') || /^[\d.]+$/.test(host)) {
    return failure('ip', `${host} is an IP address; backlink providers only index domain names. ${nextStep}`);
  }
  // Private suffixes too, so user.github.io is its own site, not github.io.
  const parsed = parse(host, { allowPrivateDomains: true });
  if (parsed.isIp) {
    return failure('ip', `${host} is an IP address; backlink providers only index domain names. ${nextStep}`);
  }
  if (host === 'localhost' || host.endsWith('.localhost')) {
    return failure('localhost', `${host} is your own computer, so nobody on the web links to it. ${nextStep}`);
  }
  const syntaxProblem = hostSyntaxProblem(host);
  if (syntaxProblem) return failure('invalid', syntaxProblem);
  if (!parsed.domain && parsed.publicSuffix === host && (parsed.isIcann || parsed.isPrivate)) {
    return failure('invalid', `“${punycode.toUnicode(host)}” is only a domain ending. Type the whole domain, e.g. example.${host}.`);
  }
  const suffix = parsed.publicSuffix ?? '';
  if (!host.includes('.') || PRIVATE_SUFFIXES.has(suffix) || PRIVATE_SUFFIXES.has(host.split('.').slice(-2).join('.'))) {
    return failure('intranet', `${host} is a private network name, not a public website, so providers have no data for it. ${nextStep}`);
  }
  if (!(parsed.isIcann || parsed.isPrivate) || !parsed.domain) {
    return failure('invalid', `“${punycode.toUnicode(host)}” does not end in a known domain suffix (like .com or .co.uk). Check the spelling.`);
  }
  return {
    ok: true,
    domain: parsed.domain,
    host,
    displayDomain: punycode.toUnicode(parsed.domain),
    url: keepUrl ? pageAddress(url) : null,
  };
}

/** The lookup target of a browser tab, or why a tab has none (chrome://, file://, the store, …). */
export function targetFromTabUrl(tabUrl: string | undefined): TargetParse {
  if (!tabUrl) return failure('non_web', `This tab has no web address. ${TYPE_DOMAIN}`);
  let url: URL;
  try {
    url = new URL(tabUrl);
  } catch {
    return failure('non_web', `This tab has no web address. ${TYPE_DOMAIN}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return failure('non_web', `This is ${nonWebPageKind(url)}, not a web page, so nobody links to it. ${TYPE_DOMAIN}`);
  }
  return targetFromWebUrl(url, true, TYPE_DOMAIN);
}

/** A domain or URL typed by hand in the Domain box. */
export function targetFromInput(input: string): TargetParse {
  const text = input.trim();
  if (!text) return failure('empty', 'Type a domain such as example.com.');
  if (text.length > MAX_HOST_LENGTH + 'https://'.length && !/^https?:\/\//i.test(text)) {
    return failure('too_long', `That is longer than the ${MAX_HOST_LENGTH} characters a domain can have.`);
  }
  if (/^https?:\/*$/i.test(text)) {
    return failure('invalid', `“${text}” is only the start of an address. Add the domain after it, e.g. https://example.com.`);
  }
  if (/\s/.test(text)) return failure('invalid', 'A domain cannot contain spaces. Type one domain such as example.com.');
  // "example.com:8080" is a host and port, "mailto:" or "about:blank" a scheme.
  const scheme = /^([a-z][a-z0-9+-]*):(?!\d+(?:[/?#]|$))/i.exec(text)?.[1]?.toLowerCase();
  const hasScheme = scheme !== undefined;
  if (hasScheme && scheme !== 'http' && scheme !== 'https') {
    return failure('non_web', `${scheme}: addresses are not websites. Type a domain such as example.com.`);
  }
  // Without a scheme, "@" is an email address rather than a login before the host.
  const email = hasScheme ? null : /^[^@/]+@([^@/]+)$/.exec(text);
  if (email) return failure('invalid', `“${text}” is an email address. To look up its site, type ${email[1]}.`);
  let url: URL;
  try {
    url = new URL(hasScheme ? text : `http://${text}`);
  } catch {
    return failure('invalid', `“${text}” is not a domain or web address. Type a domain such as example.com.`);
  }
  if (!url.hostname) {
    return failure('invalid', `“${text}” has no domain after the scheme. Type a domain such as example.com.`);
  }
  // Keep the URL only when the user typed a page, not a bare domain.
  const isPage = hasScheme && (url.pathname !== '/' || url.search !== '');
  return targetFromWebUrl(url, isPage, TYPE_PUBLIC_DOMAIN);
}
