import { useMemo, useState } from 'react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { t } from '@/lib/shared/i18n';
import { type ReportCapability, type ProviderId, providerName } from '@/lib/shared/providers';
import { columnsFor, sumBilledRetries } from '@/lib/shared/reports';
import type { ColumnDef, Comparison, Filter, ReportId, Scope, Sort, TableQuery, RefDomainRow } from '@/lib/shared/reports';
import { spendLimitOf, tableQuery, toLensError } from '@/lib/ui/queries';
import { ErrorNotice } from './ErrorNotice';
import { FilterBar } from './FilterBar';
import { describeBilledRetries, describeCost, formatNumber } from '@/lib/ui/format';
import { localizeColumns, reportInSentence, reportLabel } from '@/lib/ui/labels';
import { LoadAllConfirm, LoadAllProgress, SpendLimitNotice } from './LoadAll';
import { ReportTable } from './ReportTable';
import { TableExport } from './TableExport';
import { RankDistribution } from './RankDistribution';
import { DomainChangesDisclosure } from './DomainChanges';
import { TableFreshness, useTableRefresh } from './TableFreshness';
import { Button, mutedText, Notice, Skeleton } from './ui';
import { useLoadAll } from './useLoadAll';
import { useSpendConsent } from './useSpendConsent';
import { useTableClient } from './useTableClient';
import { addUpSpend } from '@/lib/shared/money';

/** Same provider, report, target, scope, filters and page size: only the sort differs. */
function isSameTableSortedDifferently(previous: TableQuery, next: TableQuery): boolean {
  const { sort: _previousSort, ...previousRest } = previous;
  const { sort: _nextSort, ...nextRest } = next;
  return JSON.stringify(previousRest) === JSON.stringify(nextRest);
}

type SupportedCapability = Extract<ReportCapability, { supported: true }>;

export interface ReportTabProps {
  provider: ProviderId;
  report: ReportId;
  capability: SupportedCapability;
  /** Already chosen for the scope (domain, host or URL). */
  target: string;
  scope: Scope;
  pageSize: number;
  /** Makes a domain of the table the side panel's target ("Look up this domain"). */
  onLookUp?: (domain: string) => void;
  /** Filters the table starts with (handed over from another tab). */
  initialFilters?: Filter[];
  /** Opens the backlinks that use an anchor of the table (the Anchors report). */
  onShowAnchorBacklinks?: (anchor: string) => void;
  /** Link gap: my site and the other competitors, part of the table's identity. */
  comparison?: Comparison;
  /** Headings that depend on the table (Link gap's "Links to rival.com"), instead of the report's own. */
  columns?: ColumnDef[];
}

/** One report for one target: page 1 on open, more pages as the user scrolls or asks. */
export function ReportTab({
  provider,
  report,
  capability,
  target,
  scope,
  pageSize,
  onLookUp,
  initialFilters,
  onShowAnchorBacklinks,
  comparison,
  columns: givenColumns,
}: ReportTabProps) {
  const [sort, setSort] = useState<Sort>(capability.defaultSort);
  const [filters, setFilters] = useState<Filter[]>(initialFilters ?? []);
  const client = useTableClient();
  const refresh = useTableRefresh();
  const query = useMemo<TableQuery>(
    () => ({ provider, report, target, scope, sort, filters, pageSize, ...(comparison ? { comparison } : {}) }),
    [provider, report, target, scope, sort, filters, pageSize, comparison],
  );
  // The per-lookup limit is the background's: past it, a page comes back as SpendLimitReached and
  // nothing is sent. The user's answer waits here for the next page asked, which forwards it.
  const consent = useSpendConsent();
  const table = useInfiniteQuery({
    ...tableQuery(client, query, { refreshing: refresh.active, takeConsent: consent.take, maxRows: capability.maxRows }),
    // A new sort of the same table keeps the old rows (and the focused header) until page 1 arrives;
    // another target or scope starts empty so no row is shown under the wrong domain.
    placeholderData: (previous, previousQuery) =>
      previousQuery && isSameTableSortedDifferently(previousQuery.queryKey[1], query) ? previous : undefined,
  });
  const resorting = table.isPlaceholderData;

  const pages = useMemo(() => table.data?.pages ?? [], [table.data]);
  const rows = useMemo(() => pages.flatMap((page) => page.rows), [pages]);
  // The provider's latest total; never fewer than the rows it already sent (a total can shrink between pages).
  const total = pages.length > 0 ? Math.max(pages[pages.length - 1]!.total, rows.length) : null;
  const spend = useMemo(
    () => ({
      ...addUpSpend(pages),
      creditsLeft: pages.findLast((page) => page.creditsLeft != null)?.creditsLeft ?? null,
    }),
    [pages],
  );
  const pagesFromCache = pages.filter((page) => page.fromCache).length;
  const billedRetries = useMemo(() => sumBilledRetries(pages), [pages]);
  const loadAll = useLoadAll({ client, query, pages, total });
  const loadingAll = loadAll.state.phase !== 'idle';

  const limitReached = spendLimitOf(table.error);

  const canLoadMore = table.hasNextPage && !table.isFetching && !table.isError && !loadingAll;
  const reachableRows = total === null ? null : Math.min(total, capability.maxRows ?? total);
  const canLoadAll = reachableRows !== null && rows.length < reachableRows && table.hasNextPage && !table.isFetching && !loadingAll;

  function loadMore() {
    // canLoadMore is as of the last render; cancelRefetch: false keeps a second call before the
    // next render from cancelling the page already on its way (and paid for) and asking again.
    if (canLoadMore) void table.fetchNextPage({ cancelRefetch: false });
  }
  function continuePastLimit() {
    if (table.isFetching) return;
    consent.give('continue');
    void (pages.length > 0 ? table.fetchNextPage({ cancelRefetch: false }) : table.refetch());
  }
  // After a failed later page, the earlier ones stay and only the missing page is asked again.
  const retry = () => void (pages.length > 0 ? table.fetchNextPage() : table.refetch());

  const columns = givenColumns ?? localizeColumns(columnsFor(report, provider));
  const error = table.error && !limitReached ? toLensError(table.error) : null;
  const loadedStatus = total != null ? t('table_loadedOf', [formatNumber(rows.length), formatNumber(total)]) : null;

  return (
    <div className="flex min-h-0 flex-1 flex-col gap-2" aria-busy={table.isFetching}>
      {capability.filters.length > 0 && <FilterBar report={report} capability={capability} onApply={setFilters} initialFilters={initialFilters} />}
      {limitReached && pages.length === 0 ? (
        <SpendLimitNotice limits={[limitReached]} onContinue={continuePastLimit} />
      ) : table.isPending && !error ? (
        <div className="p-2">
          <p className={`mb-2 text-sm ${mutedText}`}>{t('table_loading', [reportInSentence(report)])}</p>
          <Skeleton lines={6} />
        </div>
      ) : total === 0 ? (
        <Notice>{t(filters.length > 0 ? 'table_noRowsFiltered' : 'table_noRows', [reportInSentence(report), target])}</Notice>
      ) : rows.length > 0 ? (
        <ReportTable
          label={reportLabel(report)}
          columns={columns}
          rows={rows}
          total={total}
          sort={sort}
          sortable={capability.sortable}
          unsortableReason={t('table_unsortable', [providerName(provider), reportInSentence(report)])}
          onSortChange={setSort}
          onNearEnd={loadMore}
          onLookUp={onLookUp}
          onShowAnchorBacklinks={onShowAnchorBacklinks}
        />
      ) : null}

      {error && <ErrorNotice error={error} onRetry={retry} />}

      <div className={`flex flex-wrap items-center justify-between gap-2 text-xs ${mutedText}`}>
        <p role="status">
          {resorting ? t('table_sorting') : loadedStatus && (table.isFetchingNextPage ? t('table_loadingMore', [loadedStatus]) : loadedStatus)}
        </p>
        <div className="flex gap-2">
          {canLoadMore && (
            <Button onClick={loadMore} className="text-xs">
              {t('table_loadNext', [formatNumber(pageSize)])}
            </Button>
          )}
          {canLoadAll && (
            <Button onClick={loadAll.ask} className="text-xs">
              {t('table_loadAll')}
            </Button>
          )}
        </div>
      </div>
      {loadAll.planError && <ErrorNotice error={loadAll.planError} onRetry={loadAll.ask} />}
      {loadAll.state.phase === 'confirming' && (
        <LoadAllConfirm report={report} plan={loadAll.state.plan} onStart={loadAll.start} onCancel={loadAll.cancel} />
      )}
      {(loadAll.state.phase === 'running' || loadAll.state.phase === 'paused' || loadAll.state.phase === 'failed') && (
        <LoadAllProgress
          state={loadAll.state}
          provider={provider}
          pages={pages}
          rowsLoaded={rows.length}
          activeMs={loadAll.activeMs}
          onPause={loadAll.pause}
          onResume={loadAll.resume}
          onCancel={loadAll.cancel}
        />
      )}
      {limitReached && pages.length > 0 && !loadingAll && !table.isFetching && (
        <SpendLimitNotice limits={[limitReached]} onContinue={continuePastLimit} />
      )}
      {pages.length > 0 && !resorting && (
        <p className={`text-xs ${mutedText}`}>
          {pagesFromCache > 0
            ? t('table_costWithCache', [describeCost(spend, provider), formatNumber(pagesFromCache), formatNumber(pages.length)])
            : t('table_cost', [describeCost(spend, provider)])}
        </p>
      )}
      {billedRetries && !resorting && <p className={`text-xs ${mutedText}`}>{describeBilledRetries(billedRetries, provider)}</p>}
      {pages.length > 0 && !resorting && (
        <TableFreshness
          provider={provider}
          pages={pages}
          pageSize={pageSize}
          refreshing={refresh.running}
          disabled={table.isFetching || loadingAll}
          onRefresh={() => void refresh.run(() => table.refetch())}
        />
      )}
      {rows.length > 0 && !resorting && (
        <TableExport
          rows={rows}
          columns={columns}
          naming={{ report, target, provider, sort, defaultSort: capability.defaultSort, filters, comparison }}
          complete={total !== null && rows.length >= total}
        />
      )}
      {report === 'refDomains' && rows.length > 0 && !resorting && (
        <RankDistribution provider={provider} target={target} scope={scope} rows={rows as RefDomainRow[]} />
      )}
      {report === 'refDomains' && pages.length > 0 && !resorting && <DomainChangesDisclosure query={query} pages={pages} />}
    </div>
  );
}
