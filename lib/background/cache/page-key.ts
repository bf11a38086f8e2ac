import { isSummaryQuery, type PaidQuery } from '../../shared/summary';
import { isChartQuery } from '../../shared/charts';
import type { TableQuery } from '../../shared/reports';

/** JSON with object keys sorted, so equal values always give equal strings. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The target as the provider tells it apart: a domain in any case is the same domain, and so are
 * a URL's scheme and host, but a URL's path and query are case-sensitive (/Products is not /products).
 */
export function targetIdentity(target: string): string {
  const trimmed = target.trim();
  if (!/^https?:\/\//i.test(trimmed)) return trimmed.toLowerCase();
  return trimmed.replace(/^https?:\/\/[^/?#]*/i, (origin) => origin.toLowerCase());
}

/** A Link gap's comparison, domains in any case being the same domain; the competitors keep their order (it numbers the columns). */
function comparisonIdentity(comparison: TableQuery['comparison']) {
  if (!comparison) return undefined;
  return { ...comparison, mySite: targetIdentity(comparison.mySite), competitors: comparison.competitors.map(targetIdentity) };
}

/**
 * The identity of one paid request: provider, report, target, scope, sort, order, filters,
 * page size and page (a summary or a chart has neither sort, filters nor pages), and a Link gap's
 * comparison. Filters are a set (all are ANDed), so their order does not matter. A page that
 * continues from the token of the page before (`after`) is also told apart by that token: it is
 * only the next page of the very answer that carried it, so a page kept from another chain (its
 * predecessor fetched again since) is never served after this one.
 */
export function pageCacheKey(query: PaidQuery, page: number, after?: string): string {
  const table = isSummaryQuery(query) || isChartQuery(query) ? null : query;
  const filters = (table?.filters ?? []).map(canonicalJson).sort();
  return canonicalJson({
    // 2: URL paths keep their case; a version-1 key may hold another page's rows.
    v: 2,
    provider: query.provider,
    report: query.report,
    target: targetIdentity(query.target),
    scope: query.scope,
    sort: table?.sort ?? null,
    filters,
    comparison: comparisonIdentity(table?.comparison),
    pageSize: table?.pageSize ?? null,
    page,
    after,
  });
}
