import { describe, expect, it } from 'vitest';
import { targetForScope } from '../../../lib/shared/target-parse';
import { targetFromInput, targetFromTabUrl } from '../../../lib/background/domain';
import { isLookupTarget, scopes } from '../../../lib/shared/reports';

type Expect = { domain: string; host?: string; display?: string; url?: string | null } | { reason: string };

const tabCases: [string, Expect][] = [
  ['https://example.com/', { domain: 'example.com', host: 'example.com', url: 'https://example.com/' }],
  ['https://www.example.com/page?q=1#x', { domain: 'example.com', host: 'www.example.com' }],
  ['http://blog.shop.co.uk/post', { domain: 'shop.co.uk', host: 'blog.shop.co.uk' }],
  ['https://a.b.c.example.com.au/', { domain: 'example.com.au', host: 'a.b.c.example.com.au' }],
  ['https://Example.COM/', { domain: 'example.com', host: 'example.com' }],
  ['https://example.com./', { domain: 'example.com', host: 'example.com' }],
  ['https://example.com:8443/x', { domain: 'example.com', host: 'example.com' }],
  ['https://user.github.io/repo', { domain: 'user.github.io', host: 'user.github.io' }],
  ['https://foo.bar.blogspot.com/', { domain: 'bar.blogspot.com' }],
  ['http://xn--mnchen-3ya.de/', { domain: 'xn--mnchen-3ya.de', display: 'münchen.de' }],
  ['https://münchen.de/', { domain: 'xn--mnchen-3ya.de', display: 'münchen.de' }],
  ['https://www.bücher.de/x', { domain: 'xn--bcher-kva.de', host: 'www.xn--bcher-kva.de', display: 'bücher.de' }],
  ['https://пример.рф/', { domain: 'xn--e1afmkfd.xn--p1ai', display: 'пример.рф' }],
  ['https://example.io/', { domain: 'example.io' }],
  ['HTTPS://WWW.EXAMPLE.COM/Path?Q=1', { domain: 'example.com', host: 'www.example.com', url: 'https://www.example.com/Path?Q=1' }],
  ['https://user:secret@example.com/a#section', { domain: 'example.com', url: 'https://example.com/a' }],
  ['https://docs.example.com/file.pdf', { domain: 'example.com', host: 'docs.example.com' }],
  ['https://chrome.google.com/search', { domain: 'google.com' }],
  ['http://10.0.0.1:8080/', { reason: 'ip' }],
  ['http://0x7f.1/', { reason: 'ip' }],
  ['http://192.168.1.1/', { reason: 'ip' }],
  ['http://8.8.8.8:80/', { reason: 'ip' }],
  ['http://[::1]/', { reason: 'ip' }],
  ['http://[2001:db8::1]:8080/', { reason: 'ip' }],
  ['http://localhost:3000/', { reason: 'localhost' }],
  ['http://app.localhost/', { reason: 'localhost' }],
  ['http://intranet/', { reason: 'intranet' }],
  ['http://router.local/', { reason: 'intranet' }],
  ['http://nas.home.arpa/', { reason: 'intranet' }],
  ['https://wiki.corp/', { reason: 'intranet' }],
  ['https://foo.unknowntld/', { reason: 'invalid' }],
  ['chrome://extensions/', { reason: 'non_web' }],
  ['about:blank', { reason: 'non_web' }],
  ['file:///home/me/page.html', { reason: 'non_web' }],
  ['chrome-extension://mhjfbmdgcfjbbpaeojofohoefgiehjai/index.html', { reason: 'non_web' }],
  ['view-source:https://example.com/', { reason: 'non_web' }],
  ['data:text/html,hi', { reason: 'non_web' }],
  ['edge://settings', { reason: 'non_web' }],
  ['https://chromewebstore.google.com/detail/abc', { reason: 'non_web' }],
  ['https://chrome.google.com/webstore/category/extensions', { reason: 'non_web' }],
  ['https://addons.mozilla.org/en-US/firefox/', { reason: 'non_web' }],
  ['https://microsoftedge.microsoft.com/addons/detail/x', { reason: 'non_web' }],
  ['blob:https://example.com/2b1c7c1e', { reason: 'non_web' }],
  ['javascript:void(0)', { reason: 'non_web' }],
  ['moz-extension://abc/page.html', { reason: 'non_web' }],
  ['', { reason: 'non_web' }],
  ['not a url', { reason: 'non_web' }],
];

function check(result: ReturnType<typeof targetFromTabUrl>, expected: Expect) {
  if ('reason' in expected) {
    expect(result).toMatchObject({ ok: false, reason: expected.reason });
    if (!result.ok) expect(result.message.length).toBeGreaterThan(20);
    return;
  }
  expect(result.ok).toBe(true);
  if (!result.ok) return;
  expect(result.domain).toBe(expected.domain);
  if (expected.host) expect(result.host).toBe(expected.host);
  expect(result.displayDomain).toBe(expected.display ?? expected.domain);
  if (expected.url !== undefined) expect(result.url).toBe(expected.url);
}

/** The explanation of an entry that must not be a target. */
function failureMessage(result: ReturnType<typeof targetFromInput>, entry: string): string {
  if (result.ok) throw new Error(`${entry} must not be a target`);
  return result.message;
}

describe('targetFromTabUrl', () => {
  it.each(tabCases)('%s', (url, expected) => check(targetFromTabUrl(url), expected));

  it.each([
    ['chrome://version', 'a browser page (chrome:), not a web page'],
    ['file:///tmp/a.html', 'a file on your computer'],
    ['chrome-extension://mhjfbmdgcfjbbpaeojofohoefgiehjai/index.html', 'PDF viewer'],
    ['https://chromewebstore.google.com/detail/abc', 'Chrome Web Store'],
    ['http://127.0.0.1/', '127.0.0.1 is an IP address'],
    ['http://localhost:3000/', 'localhost'],
    ['http://router.local/', 'router.local is a private network name'],
  ])('explains %s and points to the Domain box', (url, words) => {
    const message = failureMessage(targetFromTabUrl(url), url);
    expect(message).toContain(words);
    expect(message).toContain('Domain box');
  });

  it('treats an undefined tab URL as nothing to look up', () => {
    expect(targetFromTabUrl(undefined)).toMatchObject({ ok: false, reason: 'non_web' });
  });
});

const inputCases: [string, Expect][] = [
  ['example.com', { domain: 'example.com', url: null }],
  ['  Example.COM  ', { domain: 'example.com', url: null }],
  ['www.example.co.uk', { domain: 'example.co.uk', host: 'www.example.co.uk' }],
  ['https://www.example.com/', { domain: 'example.com', url: null }],
  ['https://www.example.com/blog/post', { domain: 'example.com', url: 'https://www.example.com/blog/post' }],
  ['example.com/blog', { domain: 'example.com', url: null }],
  ['münchen.de', { domain: 'xn--mnchen-3ya.de', display: 'münchen.de' }],
  ['xn--mnchen-3ya.de', { domain: 'xn--mnchen-3ya.de', display: 'münchen.de' }],
  ['', { reason: 'empty' }],
  ['   ', { reason: 'empty' }],
  ['http://', { reason: 'invalid' }],
  ['https:///', { reason: 'invalid' }],
  ['exa mple.com', { reason: 'invalid' }],
  ['example .com', { reason: 'invalid' }],
  ['a'.repeat(300), { reason: 'too_long' }],
  [`${'a'.repeat(63)}.`.repeat(4) + 'com', { reason: 'too_long' }],
  ['1.2.3.4', { reason: 'ip' }],
  ['[::1]', { reason: 'ip' }],
  ['localhost', { reason: 'localhost' }],
  ['localhost:8080', { reason: 'localhost' }],
  ['example', { reason: 'intranet' }],
  ['ftp://example.com', { reason: 'non_web' }],
  ['javascript://alert(1)', { reason: 'non_web' }],
  ['exa_mple..com', { reason: 'invalid' }],
  ['foo.notatld', { reason: 'invalid' }],
  ['EXAMPLE.co.UK.', { domain: 'example.co.uk', host: 'example.co.uk' }],
  ['example.com:8080', { domain: 'example.com', url: null }],
  ['http:example.com', { domain: 'example.com' }],
  ['sub.münchen.de/seite', { domain: 'xn--mnchen-3ya.de', host: 'sub.xn--mnchen-3ya.de', display: 'münchen.de', url: null }],
  ['example.com:abc', { reason: 'invalid' }],
  ['192.168.0.1:80', { reason: 'ip' }],
  ['[2001:db8::1]', { reason: 'ip' }],
  ['printer.lan', { reason: 'intranet' }],
  ['router.local', { reason: 'intranet' }],
  ['mailto:me@example.com', { reason: 'non_web' }],
  ['about:blank', { reason: 'non_web' }],
  ['javascript:alert(1)', { reason: 'non_web' }],
  ['data:text/html,hi', { reason: 'non_web' }],
  ['chrome://settings', { reason: 'non_web' }],
  ['https://' + 'a'.repeat(300) + '.com', { reason: 'too_long' }],
  ['https://exa mple.com/', { reason: 'invalid' }],
  ['example.com other.com', { reason: 'invalid' }],
  ['example.com,other.com', { reason: 'invalid' }],
  ['*.example.com', { reason: 'invalid' }],
  ['-shop.com', { reason: 'invalid' }],
  [`${'a'.repeat(64)}.com`, { reason: 'invalid' }],
  ['.example.com', { reason: 'invalid' }],
  ['me@example.com', { reason: 'invalid' }],
  ['com', { reason: 'invalid' }],
  ['co.uk', { reason: 'invalid' }],
  ['999.1.1.1', { reason: 'invalid' }],
  ['https://8.8.8.8/dns', { reason: 'ip' }],
  ['my_shop.blogspot.com', { domain: 'my_shop.blogspot.com', host: 'my_shop.blogspot.com' }],
  ['https://me:secret@example.com/page', { domain: 'example.com', url: 'https://example.com/page' }],
];

describe('targetFromInput', () => {
  it.each(inputCases)('%j', (input, expected) => check(targetFromInput(input), expected));

  // Each message names the problem in the user's terms; none sends them back to the box they typed in.
  it.each([
    ['http://', 'only the start of an address'],
    ['exa mple.com', 'cannot contain spaces'],
    ['a'.repeat(300), 'longer than the 253 characters'],
    ['https://' + 'a'.repeat(300) + '.com', 'longer than the 253 characters'],
    ['1.2.3.4', '1.2.3.4 is an IP address'],
    ['[::1]', 'is an IP address'],
    ['localhost:8080', 'localhost is your own computer'],
    ['printer.lan', 'printer.lan is a private network name'],
    ['example.com,other.com', 'more than one domain'],
    ['*.example.com', 'contains “*”'],
    // Chromium's URL parser hands the host back percent-encoded.
    ['%2A.example.com', '“*.example.com” contains “*”'],
    ['example..com', 'empty part between dots'],
    ['-shop.com', 'starts or ends with a hyphen (“-shop”)'],
    [`${'a'.repeat(64)}.com`, 'longer than the 63 characters'],
    ['me@example.com', 'email address. To look up its site, type example.com'],
    ['com', '“com” is only a domain ending. Type the whole domain, e.g. example.com'],
    ['foo.notatld', 'does not end in a known domain suffix'],
    ['mailto:me@example.com', 'mailto: addresses are not websites'],
  ])('explains %j', (input, words) => {
    const message = failureMessage(targetFromInput(input), input);
    expect(message).toContain(words);
    expect(message).not.toContain('Domain box');
  });
});

describe('what the background accepts', () => {
  it('every target the UI builds from an accepted tab or typed input passes the protocol’s check, in every scope', () => {
    const accepted = [...tabCases.map(([url]) => targetFromTabUrl(url)), ...inputCases.map(([input]) => targetFromInput(input))].filter(
      (parse) => parse.ok,
    );
    expect(accepted.length).toBeGreaterThan(20);
    for (const target of accepted) {
      for (const scope of scopes) expect(isLookupTarget(targetForScope(target, scope), scope), `${target.host} (${scope})`).toBe(true);
    }
  });

  it('refuses, in every scope, each host the UI refuses as an address, localhost or intranet name (the same rules, without the suffix list)', () => {
    const refusedWebPages = tabCases.filter(([, expected]) => 'reason' in expected && ['ip', 'localhost', 'intranet'].includes(expected.reason));
    expect(refusedWebPages.length).toBeGreaterThan(10);
    for (const [address] of refusedWebPages) {
      const url = new URL(address);
      const host = url.hostname.replace(/\.$/, '');
      for (const scope of ['domain_with_subdomains', 'domain'] as const) expect(isLookupTarget(host, scope), `${host} (${scope})`).toBe(false);
      expect(isLookupTarget(url.href, 'url'), url.href).toBe(false);
    }
  });
});
