/**
 * Anchors and top pages, as sums over a site's backlinks (data.ts), so that both providers'
 * anchors and top pages agree with the Backlinks table of the same site: an anchor's backlinks
 * are the backlinks with that text, a page's referring domains the hosts linking to it.
 */
import { hashString, type SerpstatBacklinkRow } from './data';

/** One anchor text over the links that use it; natural order is the order of first use. */
export interface AnchorAggregate {
  anchor: string;
  backlinks: number;
  refDomains: number;
  nofollow: number;
  refPages: number;
  /** Earliest first_seen of its links, `YYYY-MM-DD`. */
  firstSeen: string;
  /** Best rank (0-100) of the domains that link with it. */
  rank: number;
}

/** One linked page of the site over the links to it. */
export interface PageAggregate {
  /** As linked: the home page is linked both as `https://host/` and as `https://host`. */
  url: string;
  /** The path part alone, as Serpstat's `url` ("/", "" or "/blog/…"). */
  path: string;
  backlinks: number;
  refPages: number;
  refDomains: number;
  refIps: number;
  firstSeen: string;
  rank: number;
}

const hostOf = (url: string) => /^[a-z][a-z0-9+.-]*:\/\/([^/?#:]+)/i.exec(url)?.[1]?.toLowerCase() ?? '';
const pathOf = (url: string) => /^[a-z][a-z0-9+.-]*:\/\/[^/?#]+(.*)$/i.exec(url)?.[1] ?? url;

/** A referring host's IP address, as a number: a few hosts share one, like on shared hosting. */
const ipOf = (host: string) => hashString(`ip|${host}`) % 4096;

/**
 * The page a link counts for. A third of the links to a home page link it without the trailing
 * slash, which the providers list as a page of its own (`"/"` and `""` in Serpstat's answer).
 */
function linkedPage(link: SerpstatBacklinkRow): string {
  const to = link.url_to;
  if (pathOf(to) === '/' && hashString(`slash|${link.url_from}`) % 3 === 0) return to.slice(0, -1);
  return to;
}

interface Group {
  key: string;
  links: number;
  nofollow: number;
  pages: Set<string>;
  hosts: Set<string>;
  ips: Set<number>;
  firstSeen: string;
  rank: number;
}

function groupLinks(links: readonly SerpstatBacklinkRow[], keyOf: (link: SerpstatBacklinkRow) => string): Group[] {
  const groups = new Map<string, Group>();
  for (const link of links) {
    const key = keyOf(link);
    let group = groups.get(key);
    if (!group) {
      group = { key, links: 0, nofollow: 0, pages: new Set(), hosts: new Set(), ips: new Set(), firstSeen: link.first_seen, rank: 0 };
      groups.set(key, group);
    }
    const host = hostOf(link.url_from);
    group.links++;
    if (link.nofollow === 'nofollow') group.nofollow++;
    group.pages.add(link.url_from);
    group.hosts.add(host);
    group.ips.add(ipOf(host));
    if (link.first_seen < group.firstSeen) group.firstSeen = link.first_seen;
    group.rank = Math.max(group.rank, link.domain_rank);
  }
  return [...groups.values()];
}

export function aggregateAnchors(links: readonly SerpstatBacklinkRow[]): AnchorAggregate[] {
  return groupLinks(links, (link) => link.link_text).map((group) => ({
    anchor: group.key,
    backlinks: group.links,
    refDomains: group.hosts.size,
    nofollow: group.nofollow,
    refPages: group.pages.size,
    firstSeen: group.firstSeen,
    rank: group.rank,
  }));
}

export function aggregatePages(links: readonly SerpstatBacklinkRow[]): PageAggregate[] {
  return groupLinks(links, linkedPage).map((group) => ({
    url: group.key,
    path: pathOf(group.key),
    backlinks: group.links,
    refPages: group.pages.size,
    refDomains: group.hosts.size,
    refIps: group.ips.size,
    firstSeen: group.firstSeen,
    rank: group.rank,
  }));
}

/**
 * Pages of the site that no backlink points to: DataForSEO's domain_pages lists every crawled
 * page, linked or not, so a top-pages table must filter them out.
 */
export function unlinkedPages(domain: string): string[] {
  return ['contact', 'privacy', 'terms', 'imprint'].map((slug) => `https://${domain.toLowerCase()}/${slug}/`);
}
