import { useMemo } from 'react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { t } from '@/lib/shared/i18n';
import { mergeRefDomains } from '@/lib/ui/merge';
import { capabilityOf, providerIds } from '@/lib/shared/providers';
import type { ColumnDef, RefDomainRow, Scope, TablePage, TableQuery } from '@/lib/shared/reports';
import { spendLimitOf, tableQuery, toLensError } from '@/lib/ui/queries';
import { ErrorNotice } from './ErrorNotice';
import { describeCost, formatNumber } from '@/lib/ui/format';
import { localizeColumns, reportLabel } from '@/lib/ui/labels';
import { SpendLimitNotice } from './LoadAll';
import { ReportTable } from './ReportTable';
import { Button, mutedText, Notice, Skeleton } from './ui';
import { useSpendConsent } from './useSpendConsent';
import { useTableClient } from './useTableClient';
import type { ProviderId } from '@/lib/shared/providers';
import { addUpSpend } from '@/lib/shared/money';

const bothProviders: ProviderId[] = [...providerIds];

/** The merged table's columns; localizeColumns heads them in the UI's language. */
export const mergedColumns: ColumnDef[] = localizeColumns([
  { id: 'domain', label: '', kind: 'domain', providers: bothProviders },
  { id: 'serpstatRank', label: '', kind: 'number', providers: bothProviders },
  { id: 'dataforseoRank', label: '', kind: 'number', providers: bothProviders },
  { id: 'seenBy', label: '', kind: 'text', providers: bothProviders },
]);

export const MERGED_SORT_REASON = t('merged_sortReason');

export interface MergedRefDomainsTabProps {
  target: string;
  scope: Scope;
  pageSize: number;
  onLookUp?: (domain: string) => void;
}

/**
 * One provider's referring domains in its default order (the order the merge pages through). Its
 * own table port, so the background's per-lookup limit holds each provider's pages back on its own.
 */
function useProviderTable(provider: ProviderId, target: string, scope: Scope, pageSize: number) {
  const client = useTableClient();
  const capability = capabilityOf(provider, 'refDomains');
  const query = useMemo<TableQuery>(
    () => ({ provider, report: 'refDomains', target, scope, sort: capability.supported ? capability.defaultSort : undefined, filters: [], pageSize }),
    [provider, target, scope, capability, pageSize],
  );
  const consent = useSpendConsent();
  const table = useInfiniteQuery(tableQuery(client, query, { takeConsent: consent.take, maxRows: capability.supported ? capability.maxRows : undefined }));
  return { table, consent };
}

function spendOf(pages: TablePage[]) {
  return {
    ...addUpSpend(pages),
    creditsLeft: pages.findLast((page) => page.creditsLeft != null)?.creditsLeft ?? null,
  };
}

/**
 * "Both (merge)": Serpstat and DataForSEO referring domains in one table, merged by domain.
 * Two table clients load in step (page N of each), so neither provider runs ahead and spends
 * more than the other; the merge itself happens here, in the browser.
 */
export function MergedRefDomainsTab({ target, scope, pageSize, onLookUp }: MergedRefDomainsTabProps) {
  const serpstatTable = useProviderTable('serpstat', target, scope, pageSize);
  const dataforseoTable = useProviderTable('dataforseo', target, scope, pageSize);
  const serpstat = serpstatTable.table;
  const dataforseo = dataforseoTable.table;
  const tables = [serpstat, dataforseo] as const;

  const serpstatPages = useMemo(() => serpstat.data?.pages ?? [], [serpstat.data]);
  const dataforseoPages = useMemo(() => dataforseo.data?.pages ?? [], [dataforseo.data]);
  const serpstatRows = useMemo(() => serpstatPages.flatMap((page) => page.rows as RefDomainRow[]), [serpstatPages]);
  const dataforseoRows = useMemo(() => dataforseoPages.flatMap((page) => page.rows as RefDomainRow[]), [dataforseoPages]);
  const merged = useMemo(() => mergeRefDomains(serpstatRows, dataforseoRows), [serpstatRows, dataforseoRows]);

  const busy = tables.some((table) => table.isFetching);
  // The background held a page of either provider back at its per-lookup limit: both wait for the user.
  const held = [serpstatTable, dataforseoTable].flatMap((provider) => {
    const needs = spendLimitOf(provider.table.error);
    return needs ? [{ ...provider, needs }] : [];
  });
  const failed = tables.some((table) => table.isError);
  const canLoadMore = !busy && !failed && tables.some((table) => table.hasNextPage);

  function continuePastLimit() {
    if (busy) return;
    for (const { table, consent } of held) {
      consent.give('continue');
      void ((table.data?.pages.length ?? 0) > 0 ? table.fetchNextPage({ cancelRefetch: false }) : table.refetch());
    }
  }

  function loadMore() {
    if (!canLoadMore) return;
    // Never cancel a page already on its way (and paid for) when called again before a re-render.
    for (const table of tables) if (table.hasNextPage) void table.fetchNextPage({ cancelRefetch: false });
  }

  const pending = tables.some((table) => table.isPending && !table.isError);
  const holdsFirstPage = held.length > 0 && merged.length === 0;
  const loadedAll = !pending && !busy && !failed && merged.length === 0;
  const mergedStatus = t('merged_loaded', [formatNumber(merged.length), formatNumber(serpstatRows.length), formatNumber(dataforseoRows.length)]);

  return (
    <div className="flex min-h-0 flex-1 flex-col gap-2" aria-busy={busy}>
      {holdsFirstPage ? null : pending && merged.length === 0 ? (
        <div className="p-2">
          <p className={`mb-2 text-sm ${mutedText}`}>{t('merged_loading')}</p>
          <Skeleton lines={6} />
        </div>
      ) : loadedAll ? (
        <Notice>{t('merged_noRows', [target])}</Notice>
      ) : merged.length > 0 ? (
        <ReportTable
          label={reportLabel('refDomains')}
          columns={mergedColumns}
          rows={merged}
          total={null}
          sort={undefined}
          sortable={[]}
          unsortableReason={MERGED_SORT_REASON}
          sortDisabledReason={MERGED_SORT_REASON}
          onSortChange={() => undefined}
          onNearEnd={loadMore}
          onLookUp={onLookUp}
        />
      ) : null}

      {bothProviders.map((provider, index) => {
        const table = tables[index]!;
        if (!table.error || spendLimitOf(table.error)) return null;
        const retry = () => void ((table.data?.pages.length ?? 0) > 0 ? table.fetchNextPage() : table.refetch());
        return <ErrorNotice key={provider} error={toLensError(table.error)} onRetry={retry} />;
      })}

      {held.length > 0 && !busy && <SpendLimitNotice limits={held.map(({ needs }) => needs)} onContinue={continuePastLimit} />}

      <div className={`flex flex-wrap items-center justify-between gap-2 text-xs ${mutedText}`}>
        <p role="status">
          {merged.length > 0 && (busy ? t('table_loadingMore', [mergedStatus]) : mergedStatus)}
        </p>
        {canLoadMore && (
          <Button onClick={loadMore} className="text-xs">
            {t('merged_loadNext', [formatNumber(pageSize)])}
          </Button>
        )}
      </div>
      {(serpstatPages.length > 0 || dataforseoPages.length > 0) && (
        <p className={`text-xs ${mutedText}`}>
          {t('merged_cost', [describeCost(spendOf(serpstatPages), 'serpstat'), describeCost(spendOf(dataforseoPages), 'dataforseo')])}
        </p>
      )}
    </div>
  );
}
