import type { Scope } from '@/lib/shared/reports';
import { Target } from '../shared/target-parse';

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

/** What the heading shows for a scope: the domain in Unicode, the host, or the page URL. */
export function displayTarget(target: Target, scope: Scope): string {
  switch (scope) {
    case 'domain_with_subdomains':
      return target.displayDomain;
    case 'domain':
      // The host's subdomain labels, then the registrable domain in its Unicode form.
      return target.host.endsWith(target.domain)
        ? `${target.host.slice(0, target.host.length - target.domain.length)}${target.displayDomain}`
        : target.host;
    case 'url':
      return target.url ?? `https://${target.host}/`;
  }
}
