import type { TablePage } from '../../shared/reports';
import { snapshotValues } from '../../shared/snapshots';
import { isSummaryQuery, type SummaryTotals } from '../../shared/summary';
import type { PaidFetch } from '../cache/paid-fetch';
import type { AnyPaidFetch } from '../usage';
import type { DomainLooks } from './domain-looks';
import type { SnapshotStore } from './snapshot-store';

/**
 * The paid fetch, keeping each look the provider answered: a summary becomes a snapshot of the
 * site, a referring-domain page joins its table's look. A page from the cache is a look already
 * kept, so nothing is written for it. Neither write holds the answer back: the looks' reads wait
 * for the writes asked before them, so the popup asking for the change right after its totals
 * finds its own look. No key is in anything kept.
 */
export function recordingLooks(fetchPage: AnyPaidFetch, looks: { snapshots: SnapshotStore; domainLooks: DomainLooks }): PaidFetch {
  const recording: AnyPaidFetch = async (query, page, signal, options) => {
    const result = await fetchPage(query, page, signal, options);
    if (!result.ok || result.data.fromCache) return result;
    // A look that could not be kept (a full disk) is not worth failing the answer the user paid for.
    if (isSummaryQuery(query)) {
      const totals = result.data.rows[0] as SummaryTotals | undefined;
      if (totals) {
        const { provider, target, scope } = query;
        void looks.snapshots.record({ provider, target, scope, fetchedAt: result.data.fetchedAt, values: snapshotValues(totals) }).catch(() => undefined);
      }
    } else if (query.report === 'refDomains') {
      void looks.domainLooks.recordPage(query, result.data as TablePage).catch(() => undefined);
    }
    return result;
  };
  // It answers exactly what `fetchPage` (a PaidFetch in the worker) answered.
  return recording as PaidFetch;
}
