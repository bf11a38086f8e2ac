import type { Scope } from '@/lib/shared/reports';
import type { Target } from '../shared/target-parse';

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
