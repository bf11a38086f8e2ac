import { parse } from 'tldts';
import punycode from 'punycode.js';
import { t, type KeyWithoutPlaceholders } from '../shared/i18n';
import { DNS_LABEL, MAX_HOST_LENGTH, isIpAddressHost, isLocalhost, isPrivateNetworkHost, pageAddress, storePage, type StorePage } from '../shared/host-rules';
import type { TargetFailure, TargetInputKind, TargetParse } from '../shared/target-parse';

const STORE_NAMES: Record<StorePage['store'], KeyWithoutPlaceholders> = {
  chrome: 'domain_storeChrome',
  edge: 'domain_storeEdge',
  firefox: 'domain_storeFirefox',
};
/** The next step after a tab that is no public site. */
const typeDomain = () => t('domain_typeDomain');
/** The next step after a typed entry that is no public site (the user is already in the Domain box). */
const typePublicDomain = () => t('domain_typePublicDomain');
/** A problem sentence, then the next step. */
const withNextStep = (problem: string, nextStep: string) => t('domain_withNextStep', [problem, nextStep]);
/** Chrome's built-in PDF viewer is an extension page. */
const PDF_VIEWER_ID = 'mhjfbmdgcfjbbpaeojofohoefgiehjai';
const BROWSER_SCHEMES = new Set(['chrome', 'edge', 'about', 'brave', 'opera', 'vivaldi', 'devtools', 'chrome-search', 'chrome-untrusted']);
const EXTENSION_SCHEMES = new Set(['chrome-extension', 'moz-extension', 'extension']);

/** What a tab with a non-web scheme is, in the user's terms. */
function nonWebPageKind(url: URL): string {
  const scheme = url.protocol.replace(/:$/, '');
  if (EXTENSION_SCHEMES.has(scheme)) return url.hostname === PDF_VIEWER_ID ? t('domain_pdfViewer') : t('domain_extensionPage');
  if (BROWSER_SCHEMES.has(scheme)) return t('domain_browserPage', [scheme]);
  if (scheme === 'file') return t('domain_filePage');
  if (scheme === 'view-source') return t('domain_sourceView');
  return t('domain_otherScheme', [scheme]);
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
  const shown = punycode.toUnicode(readable);
  const labels = readable.split('.');
  if (labels.some((label) => label === '')) return t('domain_emptyPart', [shown]);
  const badCharacter = /[^a-z0-9_.-]/.exec(readable)?.[0];
  if (badCharacter) {
    return badCharacter === ','
      ? t('domain_severalDomains', [shown])
      : t('domain_badCharacter', [shown, badCharacter]);
  }
  const badLabel = labels.find((label) => !DNS_LABEL.test(label));
  if (badLabel) {
    return badLabel.length > 63
      ? t('domain_longPart', [shown])
      : t('domain_hyphenPart', [shown, badLabel]);
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
    return failure('too_long', t('domain_hostTooLong', [String(MAX_HOST_LENGTH)]));
  }
  const store = storePage(host, url.pathname);
  if (store) {
    return failure('non_web', withNextStep(t('domain_store', [t(STORE_NAMES[store.store])]), nextStep));
  }
  if (isIpAddressHost(host)) return failure('ip', withNextStep(t('domain_ip', [host]), nextStep));
  // Private suffixes too, so user.github.io is its own site, not github.io.
  const parsed = parse(host, { allowPrivateDomains: true });
  if (parsed.isIp) return failure('ip', withNextStep(t('domain_ip', [host]), nextStep));
  if (isLocalhost(host)) {
    return failure('localhost', withNextStep(t('domain_localhost', [host]), nextStep));
  }
  const syntaxProblem = hostSyntaxProblem(host);
  if (syntaxProblem) return failure('invalid', syntaxProblem);
  if (!parsed.domain && parsed.publicSuffix === host && (parsed.isIcann || parsed.isPrivate)) {
    return failure('invalid', t('domain_onlySuffix', [punycode.toUnicode(host)]));
  }
  if (isPrivateNetworkHost(host)) {
    return failure('intranet', withNextStep(t('domain_intranet', [host]), nextStep));
  }
  if (!(parsed.isIcann || parsed.isPrivate) || !parsed.domain) {
    return failure('invalid', t('domain_unknownSuffix', [punycode.toUnicode(host)]));
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
  const noWebAddress = () => failure('non_web', withNextStep(t('domain_noWebAddress'), typeDomain()));
  if (!tabUrl) return noWebAddress();
  let url: URL;
  try {
    url = new URL(tabUrl);
  } catch {
    return noWebAddress();
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return failure('non_web', withNextStep(t('domain_notWebPage', [nonWebPageKind(url)]), typeDomain()));
  }
  return targetFromWebUrl(url, true, typeDomain());
}

/** A domain or URL typed by hand in the Domain box. */
export function targetFromInput(input: string): TargetParse {
  const text = input.trim();
  if (!text) return failure('empty', t('domain_empty'));
  if (text.length > MAX_HOST_LENGTH + 'https://'.length && !/^https?:\/\//i.test(text)) {
    return failure('too_long', t('domain_tooLong', [String(MAX_HOST_LENGTH)]));
  }
  if (/^https?:\/*$/i.test(text)) {
    return failure('invalid', t('domain_onlyScheme', [text]));
  }
  if (/\s/.test(text)) return failure('invalid', t('domain_spaces'));
  // "example.com:8080" is a host and port, "mailto:" or "about:blank" a scheme.
  const scheme = /^([a-z][a-z0-9+-]*):(?!\d+(?:[/?#]|$))/i.exec(text)?.[1]?.toLowerCase();
  const hasScheme = scheme !== undefined;
  if (hasScheme && scheme !== 'http' && scheme !== 'https') {
    return failure('non_web', t('domain_notWebScheme', [scheme]));
  }
  // Without a scheme, "@" is an email address rather than a login before the host.
  const email = hasScheme ? null : /^[^@/]+@([^@/]+)$/.exec(text);
  if (email) return failure('invalid', t('domain_email', [text, email[1]!]));
  let url: URL;
  try {
    url = new URL(hasScheme ? text : `http://${text}`);
  } catch {
    return failure('invalid', t('domain_notDomain', [text]));
  }
  if (!url.hostname) {
    return failure('invalid', t('domain_noDomainAfterScheme', [text]));
  }
  // Keep the URL only when the user typed a page, not a bare domain.
  const isPage = hasScheme && (url.pathname !== '/' || url.search !== '');
  return targetFromWebUrl(url, isPage, typePublicDomain());
}

/** Answers the UI's `resolveTarget`: the public-suffix list stays in the background's bundle. */
export function resolveTarget(kind: TargetInputKind, input: string): TargetParse {
  return kind === 'tab' ? targetFromTabUrl(input) : targetFromInput(input);
}
