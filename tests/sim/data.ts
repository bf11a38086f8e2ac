/**
 * Deterministic data sets for the provider simulator. Everything here is a pure function of
 * the analysed domain, the report and the row count, so tests compute the expected rows with
 * the same functions the server uses. Size overrides (setDatasetSize) live in the server.
 */
import type { ReportId } from '../../lib/shared/reports';

/**
 * The reports with a data set of their own; anchors and top pages are sums over the backlinks
 * (link-aggregates.ts), and Link gap is computed from the compared domains' referring domains.
 */
export type SimReport = Exclude<ReportId, 'anchors' | 'topPages' | 'linkGap'>;

export interface SerpstatRefDomainRow {
  domain_from: string;
  ref_pages: number;
  domainRank: number;
}
export interface SerpstatOutDomainRow {
  domain_to: string;
  domain_links: number;
  domain_rank: number;
}
interface SerpstatLinkRowBase {
  url_from: string;
  url_to: string;
  nofollow: 'follow' | 'nofollow' | 'ugc' | 'sponsored';
  link_type: string;
  links_ext: number;
  link_text: string;
  first_seen: string;
  last_visited: string;
}
export interface SerpstatBacklinkRow extends SerpstatLinkRowBase {
  domain_rank: number;
}
export interface SerpstatOutlinkRow extends SerpstatLinkRowBase {
  date_del: string | null;
}
/** getLostBacklinks: `date_del` is the crawl that found the link gone, equal to `last_visited` as in the docs' example. */
export interface SerpstatLostBacklinkRow extends SerpstatLinkRowBase {
  date_del: string;
  domain_rank: number;
}
export interface SerpstatRowByReport {
  refDomains: SerpstatRefDomainRow;
  outDomains: SerpstatOutDomainRow;
  backlinks: SerpstatBacklinkRow;
  lostBacklinks: SerpstatLostBacklinkRow;
  outlinks: SerpstatOutlinkRow;
}
export type SerpstatRow = SerpstatRowByReport[SimReport];

/** One item of DataForSEO `backlinks/referring_domains/live`, rank on the one_thousand scale. */
export interface DataForSeoReferringDomainItem {
  type: 'backlinks_referring_domain';
  domain: string;
  rank: number;
  backlinks: number;
  first_seen: string;
  lost_date: string | null;
  backlinks_spam_score: number;
  broken_backlinks: number;
  broken_pages: number;
  referring_domains: number;
  referring_domains_nofollow: number;
  referring_main_domains: number;
  referring_main_domains_nofollow: number;
  referring_ips: number;
  referring_subnets: number;
  referring_pages: number;
  referring_links_tld: Record<string, number>;
  referring_links_types: Record<string, number>;
  referring_links_attributes: Record<string, number> | null;
  referring_links_platform_types: Record<string, number>;
  referring_links_semantic_locations: Record<string, number>;
  referring_links_countries: Record<string, number>;
  referring_pages_nofollow: number;
}

/** One item of DataForSEO `backlinks/backlinks/live` (the fields the simulator sends), ranks on the one_thousand scale. */
export interface DataForSeoBacklinkItem {
  type: 'backlink';
  domain_from: string;
  url_from: string;
  url_from_https: boolean;
  domain_to: string;
  url_to: string;
  url_to_https: boolean;
  tld_from: string;
  is_new: boolean;
  is_lost: boolean;
  backlink_spam_score: number;
  rank: number;
  page_from_rank: number;
  domain_from_rank: number;
  page_from_external_links: number;
  first_seen: string;
  prev_seen: string | null;
  last_seen: string;
  item_type: string;
  attributes: string[] | null;
  dofollow: boolean;
  anchor: string;
  text_pre: string | null;
  text_post: string | null;
  semantic_location: string;
  links_count: number;
  is_broken: boolean;
  is_indirect_link: boolean;
  indirect_link_path: null;
}

/** "Today" for the data sets, fixed so dates (and the last_week filter) never drift. */
export const SIM_TODAY = '2025-09-01';
const TODAY_MS = Date.parse(`${SIM_TODAY}T00:00:00Z`);
const DAY_MS = 86_400_000;

/** Share of DataForSEO referring domains that Serpstat's refDomains also lists. */
export const SHARED_DOMAIN_SHARE = 0.7;

// ---------------------------------------------------------------------------------------------
// Seeded randomness

/** FNV-1a, 32 bit. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** mulberry32: small, fast and good enough for test data. */
function seededRandom(seed: string): () => number {
  let state = hashString(seed);
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

type Random = () => number;
const int = (rand: Random, min: number, max: number) => min + Math.floor(rand() * (max - min + 1));
const pick = <T>(rand: Random, list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
/** Heavy-tailed count >= 1: most values small, a few large. */
const heavyTail = (rand: Random, max: number) => Math.min(max, Math.floor(Math.exp(rand() * rand() * Math.log(max))));

/** A picker over `{ value: weight }`, weights summing to 1, built once (hot path of generation). */
function weighted<T extends string>(weights: Record<T, number>): (rand: Random) => T {
  const values = Object.keys(weights) as T[];
  const cumulative: number[] = [];
  let sum = 0;
  for (const value of values) cumulative.push((sum += weights[value]));
  return (rand) => {
    const roll = rand() * sum;
    for (let i = 0; i < cumulative.length; i++) if (roll < cumulative[i]!) return values[i]!;
    return values[values.length - 1]!;
  };
}

// ---------------------------------------------------------------------------------------------
// Dates

const dayStrings = new Map<number, string>();
/** `YYYY-MM-DD` for a day counted back from SIM_TODAY (0 = today). */
function dayString(daysAgo: number): string {
  let text = dayStrings.get(daysAgo);
  if (!text) {
    text = new Date(TODAY_MS - daysAgo * DAY_MS).toISOString().slice(0, 10);
    dayStrings.set(daysAgo, text);
  }
  return text;
}
const two = (n: number) => (n < 10 ? `0${n}` : String(n));
function timeOfDay(rand: Random): string {
  return `${two(int(rand, 0, 23))}:${two(int(rand, 0, 59))}:${two(int(rand, 0, 59))}`;
}
/** Days ago for a "first seen" date: up to ~10 years back, with ~4% inside the last week. */
function firstSeenDaysAgo(rand: Random): number {
  return rand() < 0.04 ? int(rand, 0, 6) : int(rand, 7, 3650);
}

/** Days between a `YYYY-MM-DD…` date and SIM_TODAY. */
export function daysBeforeToday(date: string): number {
  return Math.round((TODAY_MS - Date.parse(`${date.slice(0, 10)}T00:00:00Z`)) / DAY_MS);
}

/**
 * The date Serpstat's `check` sort and filter field uses. Link rows: `first_seen`. Domain rows
 * carry no date on the wire, so it is derived from the row's domain.
 */
export function checkDate(report: SimReport, row: SerpstatRow): string {
  if (report === 'lostBacklinks') return (row as SerpstatLostBacklinkRow).date_del;
  if (report === 'backlinks' || report === 'outlinks') return (row as SerpstatLinkRowBase).first_seen;
  const domain = report === 'refDomains' ? (row as SerpstatRefDomainRow).domain_from : (row as SerpstatOutDomainRow).domain_to;
  return dayString(firstSeenDaysAgo(seededRandom(`check|${domain}`)));
}

// ---------------------------------------------------------------------------------------------
// Domain names

const words = [
  'alpha', 'amber', 'anchor', 'apex', 'arctic', 'atlas', 'aurora', 'bay', 'beacon', 'berry', 'bright', 'brook',
  'canyon', 'cedar', 'cloud', 'coast', 'copper', 'craft', 'crest', 'data', 'delta', 'digital', 'echo', 'ember',
  'falcon', 'fern', 'field', 'fjord', 'forge', 'fox', 'garden', 'globe', 'gold', 'granite', 'green', 'grove',
  'harbor', 'hawk', 'home', 'horizon', 'iron', 'island', 'jade', 'juniper', 'kite', 'lake', 'leaf', 'light',
  'linen', 'lotus', 'lunar', 'maple', 'market', 'meadow', 'media', 'metro', 'mint', 'moss', 'nest', 'north',
  'nova', 'oak', 'ocean', 'orbit', 'peak', 'pine', 'pixel', 'planet', 'prairie', 'prime', 'quartz', 'quest',
  'rapid', 'raven', 'ridge', 'river', 'rocket', 'rose', 'sage', 'salt', 'signal', 'silver', 'sky', 'solar',
  'spark', 'spring', 'stone', 'summit', 'swift', 'tech', 'tide', 'timber', 'trail', 'travel', 'true', 'urban',
  'valley', 'vector', 'velvet', 'vista', 'wave', 'willow', 'wind', 'wolf', 'wood', 'zen', 'review', 'guide',
  'news', 'daily', 'hub', 'labs', 'studio', 'works', 'shop', 'store', 'blog', 'press', 'times', 'insider',
  'kitchen', 'garage', 'health', 'fitness', 'finance', 'money', 'crypto', 'seo', 'marketing', 'design', 'code',
  'dev', 'cloud9', 'pets', 'bikes', 'books', 'music', 'photo', 'games', 'sports', 'local', 'world', 'global',
] as const;
const pickTld = weighted({
  com: 0.42, net: 0.07, org: 0.07, io: 0.04, 'co.uk': 0.06, de: 0.06, fr: 0.03, nl: 0.03, 'com.au': 0.02,
  ca: 0.02, es: 0.02, it: 0.02, pl: 0.02, ru: 0.02, jp: 0.01, info: 0.02, co: 0.02, 'co.jp': 0.01, se: 0.01,
  ch: 0.01, eu: 0.01, us: 0.01, in: 0.01, 'com.br': 0.01, me: 0.01, dev: 0.01,
});
const subdomains = ['blog', 'shop', 'news', 'forum', 'docs', 'en', 'de', 'm', 'community', 'support', 'app', 'help'];
const wellKnown = [
  'reddit.com', 'medium.com', 'github.com', 'en.wikipedia.org', 'de.wikipedia.org', 'stackoverflow.com',
  'news.ycombinator.com', 'bbc.co.uk', 'theguardian.com', 'nytimes.com', 'forbes.com', 'techcrunch.com',
  'producthunt.com', 'dev.to', 'quora.com', 'pinterest.com', 'linkedin.com', 'x.com', 'facebook.com',
  'youtube.com', 'wordpress.org', 'blogspot.com', 'tumblr.com', 'substack.com', 'spiegel.de', 'lemonde.fr',
  'support.google.com', 'chrome.google.com', 'developer.mozilla.org', 'amazon.co.uk',
];
/** Internationalised names as they travel on the wire (punycode), e.g. bücher.de. */
const idnDomains = [
  'xn--bcher-kva.de', 'xn--mller-kva.de', 'xn--caf-dma.fr', 'xn--bckerei-schmidt-0kb.de', 'xn--strae-oqa.de',
  'xn--bersetzer-p9a.at', 'xn--lan-9la.fr', 'xn--nio-8ma.es', 'xn--kln-blog-n4a.de', 'xn--h1alffa9f.xn--p1ai',
  'xn--e1afmkfd.xn--p1ai', 'xn--r8jz45g.jp', 'xn--stlle-hra.se', 'xn--smrrebrd-64af.dk', 'xn--zrich-kva.ch',
  'xn--bcher-kva.co.uk',
];

function domainCandidate(rand: Random): string {
  const tld = pickTld(rand);
  const roll = rand();
  if (roll < 0.36) return `${pick(rand, words)}${pick(rand, words)}.${tld}`;
  if (roll < 0.56) return `${pick(rand, words)}.${tld}`;
  if (roll < 0.68) return `${pick(rand, words)}-${pick(rand, words)}.${tld}`;
  if (roll < 0.84) return `${pick(rand, subdomains)}.${pick(rand, words)}${pick(rand, words)}.${tld}`;
  if (roll < 0.92) return `${pick(rand, words)}${int(rand, 1, 999)}.${tld}`;
  if (roll < 0.97) return pick(rand, wellKnown);
  return pick(rand, idnDomains);
}

/** A generator of domain names, unique per call sequence (and never one of `exclude`). */
function uniqueDomains(rand: Random, exclude: ReadonlySet<string> = new Set()): () => string {
  const used = new Set<string>();
  let counter = 0;
  return () => {
    for (let attempt = 0; attempt < 4; attempt++) {
      const name = domainCandidate(rand);
      if (!used.has(name) && !exclude.has(name)) {
        used.add(name);
        return name;
      }
    }
    // Dense data sets run out of word pairs: number the first label (ASCII only, IDN stay intact).
    for (;;) {
      const name = `${pick(rand, words)}${pick(rand, words)}${++counter}.${pickTld(rand)}`;
      if (!used.has(name) && !exclude.has(name)) {
        used.add(name);
        return name;
      }
    }
  };
}

/** Rank 0-100, skewed low like real domain ranks. */
const skewedRank = (rand: Random) => Math.round(100 * rand() * rand());

// ---------------------------------------------------------------------------------------------
// Sizes

/** Domains that have no data at all: `nodata.example`, `nodata-shop.com`, … */
export function isNoDataDomain(domain: string): boolean {
  return domain.toLowerCase().startsWith('nodata');
}

const sizeRanges: Record<SimReport, [number, number]> = {
  refDomains: [200, 2_500],
  outDomains: [50, 800],
  backlinks: [300, 5_000],
  lostBacklinks: [50, 1_500],
  outlinks: [300, 5_000],
};

/** Default row count of a data set, from a hash of the domain (0 for no-data domains). */
export function datasetSize(domain: string, report: SimReport): number {
  if (isNoDataDomain(domain)) return 0;
  const [min, max] = sizeRanges[report];
  return min + (hashString(`size|${domain.toLowerCase()}|${report}`) % (max - min + 1));
}

// ---------------------------------------------------------------------------------------------
// Row generators

const hostileKinds = ['img', 'script', 'rtl', 'emoji', 'long-url', 'javascript-url'] as const;
/** About 2% of link rows carry one of these, so the UI's escaping is exercised. */
const HOSTILE_SHARE = 0.02;
const LONG_URL_LENGTH = 2_000;

const anchorPool = [
  '', '', 'click here', 'read more', 'this article', 'source', 'website', 'here', 'official site',
  'best tools of the year', 'a great guide', 'learn more', 'view the report', 'pricing', 'documentation',
  'download', 'case study', 'our partner', 'see the full list', 'Обзор сервиса', 'Mehr erfahren', 'en savoir plus',
];
const pathSlugs = [
  'how-to-start', 'best-tools', 'review', 'top-10-list', 'guide', 'news', 'case-study', 'checklist', 'tips',
  'comparison', 'tutorial', 'resources', 'faq', 'weekly-roundup', 'interview', 'announcement',
];
const pickLinkType = weighted({ href: 0.86, redirect: 0.06, img: 0.05, canonical: 0.02, frame: 0.01 });
const pickAttribute = weighted({ follow: 0.7, nofollow: 0.2, ugc: 0.05, sponsored: 0.05 });

function sourcePath(rand: Random, index: number): string {
  const roll = rand();
  if (roll < 0.08) return '/';
  if (roll < 0.4) return `/blog/${pick(rand, pathSlugs)}-${index}/`;
  if (roll < 0.55) return `/news/${int(rand, 2016, 2025)}/${pick(rand, pathSlugs)}-${index}`;
  if (roll < 0.65) return `/forum/thread-${index}?page=${int(rand, 1, 20)}`;
  if (roll < 0.75) return `/${pick(rand, pathSlugs)}-${index}.html`;
  return `/${pick(rand, pathSlugs)}/${pick(rand, pathSlugs)}-${index}/?utm_source=${pick(rand, words)}`;
}

/** A handful of pages of one site that links point to. */
function sitePages(rand: Random, host: string): string[] {
  const pages = [`https://${host}/`];
  const count = int(rand, 8, 30);
  for (let i = 0; i < count; i++) pages.push(`https://${host}/${pick(rand, ['blog', 'docs', 'tools', 'pricing', 'about'])}/${pick(rand, pathSlugs)}-${i}/`);
  return pages;
}

function generateRefDomains(domain: string, count: number): SerpstatRefDomainRow[] {
  const rand = seededRandom(`${domain}|refDomains`);
  const nextDomain = uniqueDomains(rand, new Set([domain]));
  const rows: SerpstatRefDomainRow[] = new Array(count);
  for (let i = 0; i < count; i++) {
    rows[i] = { domain_from: nextDomain(), ref_pages: heavyTail(rand, 20_000), domainRank: skewedRank(rand) };
  }
  return rows;
}

function generateOutDomains(domain: string, count: number): SerpstatOutDomainRow[] {
  const rand = seededRandom(`${domain}|outDomains`);
  const nextDomain = uniqueDomains(rand, new Set([domain]));
  const rows: SerpstatOutDomainRow[] = new Array(count);
  for (let i = 0; i < count; i++) {
    rows[i] = { domain_to: nextDomain(), domain_links: heavyTail(rand, 5_000), domain_rank: skewedRank(rand) };
  }
  return rows;
}

function linkBase(rand: Random, urlFrom: string, urlTo: string): SerpstatLinkRowBase {
  const firstSeenAgo = firstSeenDaysAgo(rand);
  const visitedAgo = int(rand, 0, Math.min(firstSeenAgo, 120));
  return {
    url_from: urlFrom,
    url_to: urlTo,
    nofollow: pickAttribute(rand),
    link_type: pickLinkType(rand),
    links_ext: int(rand, 0, 300),
    link_text: pick(rand, anchorPool),
    first_seen: dayString(firstSeenAgo),
    last_visited: `${dayString(visitedAgo)} ${timeOfDay(rand)}`,
  };
}

function makeHostile(rand: Random, row: SerpstatLinkRowBase): void {
  switch (pick(rand, hostileKinds)) {
    case 'img':
      row.link_text = '<img src=x onerror=alert(1)>';
      break;
    case 'script':
      row.link_text = '<script>alert(1)</script>';
      break;
    case 'rtl':
      row.link_text = 'invoice\u202Efdp.exe';
      break;
    case 'emoji':
      row.link_text = '🔥 Best deals 🚀 👉 here';
      break;
    case 'long-url': {
      const prefix = `${row.url_from.replace(/[?#].*$/, '').replace(/\/?$/, '/')}?q=`;
      row.url_from = prefix + 'x'.repeat(Math.max(0, LONG_URL_LENGTH - prefix.length));
      break;
    }
    case 'javascript-url':
      row.url_to = 'javascript:alert(1)';
      break;
  }
}

/** Hosts (with their rank) that links of a report come from or go to. */
function hostPool(domain: string, report: 'refDomains' | 'outDomains'): { host: string; rank: number }[] {
  const size = datasetSize(domain, report);
  if (report === 'refDomains') {
    const rows = size > 0 ? generateRows(domain, 'refDomains', size) : generateRows(`${domain}#pool`, 'refDomains', 200);
    return rows.map((row) => ({ host: row.domain_from, rank: row.domainRank }));
  }
  const rows = size > 0 ? generateRows(domain, 'outDomains', size) : generateRows(`${domain}#pool`, 'outDomains', 200);
  return rows.map((row) => ({ host: row.domain_to, rank: row.domain_rank }));
}

function generateBacklinks(domain: string, count: number): SerpstatBacklinkRow[] {
  const rand = seededRandom(`${domain}|backlinks`);
  const sources = hostPool(domain, 'refDomains');
  const targets = sitePages(rand, domain);
  const rows: SerpstatBacklinkRow[] = new Array(count);
  for (let i = 0; i < count; i++) {
    // Square the roll so a few referring domains carry many links, like real link graphs.
    const source = sources[Math.floor(rand() * rand() * sources.length)]!;
    const scheme = rand() < 0.9 ? 'https' : 'http';
    const base = linkBase(rand, `${scheme}://${source.host}${sourcePath(rand, i)}`, targets[Math.floor(rand() * rand() * targets.length)]!);
    if (rand() < HOSTILE_SHARE) makeHostile(rand, base);
    rows[i] = { ...base, domain_rank: source.rank };
  }
  return rows;
}

/** Links the site had: like its backlinks, each found gone on a crawl after it was first seen. */
function generateLostBacklinks(domain: string, count: number): SerpstatLostBacklinkRow[] {
  const rand = seededRandom(`${domain}|lostBacklinks`);
  const sources = hostPool(domain, 'refDomains');
  const targets = sitePages(rand, domain);
  const rows: SerpstatLostBacklinkRow[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const source = sources[Math.floor(rand() * rand() * sources.length)]!;
    const base = linkBase(rand, `https://${source.host}${sourcePath(rand, i)}`, targets[Math.floor(rand() * rand() * targets.length)]!);
    if (rand() < HOSTILE_SHARE) makeHostile(rand, base);
    // Lost within the last year, and never before it was first seen.
    const lostAgo = int(rand, 0, Math.min(365, daysBeforeToday(base.first_seen)));
    const dateDel = `${dayString(lostAgo)} ${timeOfDay(rand)}`;
    rows[i] = { ...base, last_visited: dateDel, date_del: dateDel, domain_rank: source.rank };
  }
  return rows;
}

function generateOutlinks(domain: string, count: number): SerpstatOutlinkRow[] {
  const rand = seededRandom(`${domain}|outlinks`);
  const destinations = hostPool(domain, 'outDomains');
  const rows: SerpstatOutlinkRow[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const destination = destinations[Math.floor(rand() * rand() * destinations.length)]!;
    const urlTo = rand() < 0.3 ? `https://${destination.host}/` : `https://${destination.host}/${pick(rand, pathSlugs)}/${int(rand, 1, 9999)}`;
    const base = linkBase(rand, `https://${domain}${sourcePath(rand, i)}`, urlTo);
    if (rand() < HOSTILE_SHARE) makeHostile(rand, base);
    const deleted = rand() < 0.12;
    const dateDel = deleted ? dayString(int(rand, 0, daysBeforeToday(base.first_seen))) : null;
    rows[i] = { ...base, date_del: dateDel };
  }
  return rows;
}

const generators: { [R in SimReport]: (domain: string, count: number) => SerpstatRowByReport[R][] } = {
  refDomains: generateRefDomains,
  outDomains: generateOutDomains,
  backlinks: generateBacklinks,
  lostBacklinks: generateLostBacklinks,
  outlinks: generateOutlinks,
};

/** Generated data sets are reused; the oldest entries are dropped past this many. */
const CACHE_ENTRIES = 48;
const rowCache = new Map<string, unknown[]>();

function cached<T>(key: string, build: () => T[]): T[] {
  const hit = rowCache.get(key);
  if (hit) return hit as T[];
  const rows = build();
  if (rowCache.size >= CACHE_ENTRIES) rowCache.delete(rowCache.keys().next().value!);
  rowCache.set(key, rows);
  return rows;
}

/**
 * The full data set of one report for one analysed domain, in Serpstat's wire shape and in its
 * natural (unsorted) order. Same arguments, same rows. The returned array is shared: do not mutate.
 */
export function generateRows<R extends SimReport>(domain: string, report: R, count: number): SerpstatRowByReport[R][] {
  const key = domain.toLowerCase();
  const rowCount = Math.max(0, Math.floor(count));
  return cached(`serpstat|${key}|${report}|${rowCount}`, () => generators[report](key, rowCount));
}

// ---------------------------------------------------------------------------------------------
// DataForSEO referring domains

const tldOf = (domain: string) => domain.slice(domain.lastIndexOf('.') + 1);
const countries = ['US', 'DE', 'GB', 'FR', 'NL', 'CA', 'ES', 'IT', 'UA', 'PL', 'JP', 'AU', ''];
const platforms = ['blogs', 'cms', 'news', 'organization', 'ecommerce', 'message-boards', 'unknown'];
const semanticLocations = ['article', 'main', 'footer', 'aside', 'section', 'header', ''];

function dataForSeoItem(rand: Random, domain: string, referringPages: number, rank100: number): DataForSeoReferringDomainItem {
  const backlinks = referringPages + heavyTail(rand, Math.max(2, referringPages));
  const nofollowPages = rand() < 0.7 ? 0 : int(rand, 1, referringPages);
  const firstSeenAgo = firstSeenDaysAgo(rand);
  const lost = rand() < 0.08;
  const images = rand() < 0.3 ? int(rand, 1, Math.max(1, Math.floor(backlinks / 4))) : 0;
  const attributes: Record<string, number> = {};
  if (nofollowPages > 0) attributes.nofollow = nofollowPages;
  if (rand() < 0.4) attributes.noopener = int(rand, 1, backlinks);
  if (rand() < 0.2) attributes.noreferrer = int(rand, 1, backlinks);
  const country = pick(rand, countries);
  const subdomainCount = rand() < 0.8 ? 1 : int(rand, 2, 9);
  return {
    type: 'backlinks_referring_domain',
    domain,
    rank: Math.min(1000, Math.max(0, rank100 * 10 + int(rand, -9, 9))),
    backlinks,
    first_seen: `${dayString(firstSeenAgo)} ${timeOfDay(rand)} +00:00`,
    lost_date: lost ? `${dayString(int(rand, 0, firstSeenAgo))} ${timeOfDay(rand)} +00:00` : null,
    backlinks_spam_score: rand() < 0.75 ? 0 : int(rand, 1, 100),
    broken_backlinks: rand() < 0.85 ? 0 : int(rand, 1, 20),
    broken_pages: rand() < 0.9 ? 0 : int(rand, 1, 5),
    referring_domains: subdomainCount,
    referring_domains_nofollow: nofollowPages > 0 ? 1 : 0,
    referring_main_domains: 1,
    referring_main_domains_nofollow: nofollowPages > 0 ? 1 : 0,
    referring_ips: subdomainCount,
    referring_subnets: subdomainCount,
    referring_pages: referringPages,
    referring_links_tld: { [tldOf(domain)]: backlinks },
    referring_links_types: images > 0 ? { anchor: backlinks - images, image: images } : { anchor: backlinks },
    referring_links_attributes: Object.keys(attributes).length > 0 ? attributes : null,
    referring_links_platform_types: { [pick(rand, platforms)]: referringPages, [pick(rand, platforms)]: int(rand, 1, referringPages) },
    referring_links_semantic_locations: { [pick(rand, semanticLocations)]: referringPages },
    referring_links_countries: country ? { [country]: referringPages } : { '': referringPages },
    referring_pages_nofollow: nofollowPages,
  };
}

/**
 * DataForSEO's referring domains of `domain`, natural order, rank on the one_thousand scale.
 * Row i reuses Serpstat's refDomains row i (same domain, same referring pages, rank ×10) for
 * about SHARED_DOMAIN_SHARE of the rows; the rest are domains Serpstat does not list.
 * `count` is normally the refDomains size of the same domain.
 */
export function generateDataForSeoReferringDomains(domain: string, count: number): DataForSeoReferringDomainItem[] {
  const key = domain.toLowerCase();
  const rowCount = Math.max(0, Math.floor(count));
  return cached(`dataforseo|${key}|${rowCount}`, () => {
    const serpstatRows = generateRows(key, 'refDomains', rowCount);
    const rand = seededRandom(`${key}|dataforseo|referring_domains`);
    const ownDomains = uniqueDomains(seededRandom(`${key}|dataforseo|domains`), new Set([key, ...serpstatRows.map((row) => row.domain_from)]));
    return serpstatRows.map((serpstatRow) =>
      rand() < SHARED_DOMAIN_SHARE
        ? dataForSeoItem(rand, serpstatRow.domain_from, serpstatRow.ref_pages, serpstatRow.domainRank)
        : dataForSeoItem(rand, ownDomains(), heavyTail(rand, 20_000), skewedRank(rand)),
    );
  });
}

// ---------------------------------------------------------------------------------------------
// DataForSEO backlinks

const itemTypes: Record<string, string> = { href: 'anchor', img: 'image', redirect: 'redirect', canonical: 'canonical', frame: 'anchor' };
const hostOfUrl = (url: string) => /^[a-z][a-z0-9+.-]*:\/\/([^/?#:]+)/i.exec(url)?.[1]?.toLowerCase() ?? '';

/** A Serpstat link row as DataForSEO's backlinks/live item: the same link, in its fields and date format. */
function dataForSeoBacklink(row: SerpstatBacklinkRow | SerpstatLostBacklinkRow, domain: string, index: number, lost: boolean): DataForSeoBacklinkItem {
  const rand = seededRandom(`${domain}|dataforseo|backlink|${lost ? 'lost' : 'live'}|${index}`);
  const domainFrom = hostOfUrl(row.url_from);
  const rank = Math.min(1000, row.domain_rank * 10 + int(rand, 0, 9));
  const firstSeen = `${row.first_seen} ${timeOfDay(rand)} +00:00`;
  return {
    type: 'backlink',
    domain_from: domainFrom,
    url_from: row.url_from,
    url_from_https: row.url_from.startsWith('https:'),
    domain_to: hostOfUrl(row.url_to) || domain,
    url_to: row.url_to,
    url_to_https: row.url_to.startsWith('https:'),
    tld_from: tldOf(domainFrom),
    is_new: !lost && daysBeforeToday(row.first_seen) < 30,
    is_lost: lost,
    backlink_spam_score: rand() < 0.8 ? 0 : int(rand, 1, 60),
    rank: Math.round(rank * rand()),
    page_from_rank: Math.round(rank * (0.5 + rand() / 2)),
    domain_from_rank: rank,
    page_from_external_links: row.links_ext,
    first_seen: firstSeen,
    prev_seen: null,
    last_seen: `${row.last_visited} +00:00`,
    item_type: itemTypes[row.link_type] ?? 'anchor',
    attributes: row.nofollow === 'follow' ? (rand() < 0.3 ? ['noopener'] : null) : row.nofollow === 'nofollow' ? ['nofollow'] : ['nofollow', row.nofollow],
    dofollow: row.nofollow === 'follow',
    anchor: row.link_text,
    text_pre: null,
    text_post: null,
    semantic_location: pick(rand, semanticLocations),
    links_count: 1,
    is_broken: false,
    is_indirect_link: false,
    indirect_link_path: null,
  };
}

/**
 * DataForSEO's backlinks of `domain`, natural order: its live links are Serpstat's backlinks data set
 * (`liveCount` rows) and its lost ones Serpstat's lost backlinks (`lostCount`), each in DataForSEO's
 * shape (ranks ×10 on the one_thousand scale, dates with a zone, ugc and sponsored as rel values).
 */
export function generateDataForSeoBacklinks(domain: string, status: 'live' | 'lost', count: number): DataForSeoBacklinkItem[] {
  const key = domain.toLowerCase();
  const rowCount = Math.max(0, Math.floor(count));
  return cached(`dataforseo|backlinks|${status}|${key}|${rowCount}`, () =>
    status === 'live'
      ? generateRows(key, 'backlinks', rowCount).map((row, index) => dataForSeoBacklink(row, key, index, false))
      : generateRows(key, 'lostBacklinks', rowCount).map((row, index) => dataForSeoBacklink(row, key, index, true)),
  );
}

/** Rank of the analysed domain itself (summary endpoints), 0-100. */
export function targetRank(domain: string): number {
  return hashString(`rank|${domain.toLowerCase()}`) % 101;
}

/**
 * Whether a referring domain links to one page (`url`) of a site: about a tenth of the site's
 * referring domains do. DataForSEO answers an absolute-URL target with that subset.
 */
export function linksToPage(referringDomain: string, url: string): boolean {
  return hashString(`page|${url}|${referringDomain}`) % 10 === 0;
}

// ---------------------------------------------------------------------------------------------
// Link gap

/**
 * What a link gap of the simulator holds, computed from the compared domains' referring domains
 * (Serpstat: refDomains rows and their ref_pages; DataForSEO: live referring domains and their
 * backlinks), not from the simulator's own intersection code: the domains that link to any / all
 * of `competitors` and not to `mySite`, each with its links to every competitor (0 where none),
 * and the competitor's linking domains that also link to my site (which the gap must leave out).
 * `sizes` are the data-set sizes set on the simulator (others keep datasetSize).
 */
export function linkGapExpectation(
  provider: 'serpstat' | 'dataforseo',
  mySite: string,
  competitors: readonly string[],
  match: 'any' | 'all',
  sizes: Readonly<Record<string, number>> = {},
): { domains: Map<string, number[]>; linkingToBoth: string[] } {
  const sizeOf = (domain: string) => sizes[domain] ?? datasetSize(domain, 'refDomains');
  const linksFrom = (domain: string): Map<string, number> =>
    provider === 'serpstat'
      ? new Map(generateRows(domain, 'refDomains', sizeOf(domain)).map((row) => [row.domain_from, row.ref_pages]))
      : new Map(
          generateDataForSeoReferringDomains(domain, sizeOf(domain))
            .filter((item) => item.lost_date === null)
            .map((item) => [item.domain, item.backlinks]),
        );
  const mine = linksFrom(mySite);
  const perCompetitor = competitors.map(linksFrom);
  const candidates = new Set(perCompetitor.flatMap((links) => [...links.keys()]));
  const domains = new Map<string, number[]>();
  for (const domain of candidates) {
    if (mine.has(domain)) continue;
    const links = perCompetitor.map((linksTo) => linksTo.get(domain) ?? 0);
    if (match === 'all' ? links.every((count) => count > 0) : links.some((count) => count > 0)) domains.set(domain, links);
  }
  const linkingToBoth = [...perCompetitor[0]!.keys()].filter((domain) => mine.has(domain));
  return { domains, linkingToBoth };
}
