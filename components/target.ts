import type { TargetParse } from '@/lib/domain';
import type { Scope } from '@/lib/reports';

/** A target that can be looked up. */
export type Target = Extract<TargetParse, { ok: true }>;

/** What the provider is asked about for a scope: the registrable domain, the host, or the page URL. */
export function targetForScope(target: Target, scope: Scope): string {
  switch (scope) {
    case 'domain_with_subdomains':
      return target.domain;
    case 'domain':
      return target.host;
    case 'url':
      return target.url;
  }
}
