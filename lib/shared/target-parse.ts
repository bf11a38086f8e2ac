import type { Scope } from './reports';

/**
 * A tab's address or typed text read as a lookup target, or why it is none. The background makes
 * it (lib/background/domain.ts, with the public-suffix list); the UI shows it (`resolveTarget`).
 */
/** `unanswered`: the background could not be asked (its message says so). */
export type TargetFailure = 'empty' | 'non_web' | 'ip' | 'localhost' | 'intranet' | 'invalid' | 'too_long' | 'unanswered';

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

/** A target that can be looked up. */
export type Target = Extract<TargetParse, { ok: true }>;

/** What the text to resolve is: a tab's address, or what the user typed in the Domain box. */
export type TargetInputKind = 'tab' | 'typed';

/** What the provider is asked about for a scope: the registrable domain, the host, or the page URL. */
export function targetForScope(target: Target, scope: Scope): string {
  switch (scope) {
    case 'domain_with_subdomains':
      return target.domain;
    case 'domain':
      return target.host;
    case 'url':
      // A typed bare domain has no page: its home page is the page.
      return target.url ?? `https://${target.host}/`;
  }
}
