import type { TableQuery } from '../reports';

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
 * The identity of one paid request: provider, report, target, scope, sort, order, filters,
 * page size and page. Filters are a set (all are ANDed), so their order does not matter.
 */
export function pageCacheKey(query: TableQuery, page: number): string {
  const filters = query.filters.map(canonicalJson).sort();
  return canonicalJson({
    v: 1,
    provider: query.provider,
    report: query.report,
    target: query.target.trim().toLowerCase(),
    scope: query.scope,
    sort: query.sort ?? null,
    filters,
    pageSize: query.pageSize,
    page,
  });
}
