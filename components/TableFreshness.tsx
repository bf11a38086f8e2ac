import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { estimateCost } from '@/lib/shared/budget';
import { t } from '@/lib/shared/i18n';
import type { TablePage } from '@/lib/shared/reports';
import { formatAgo, formatMoney } from '@/lib/ui/format';
import { Button, mutedText } from './ui';
import type { ProviderId } from '@/lib/shared/providers';
import { moneyOf } from '@/lib/shared/money';

const MINUTE_MS = 60_000;

/** The current time, updated every minute so "3 min. ago" keeps counting. */
export function useNow(intervalMs = MINUTE_MS): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/**
 * "Refresh" for a paged table: while `run` refetches the loaded pages, `active()` says so, and
 * the table's page fetcher (tableQuery's `refreshing`) asks each of them past the cache.
 */
export function useTableRefresh() {
  const activeRef = useRef(false);
  const [running, setRunning] = useState(false);
  const active = useCallback(() => activeRef.current, []);
  const run = useCallback(async (refetch: () => Promise<unknown>) => {
    activeRef.current = true;
    setRunning(true);
    try {
      await refetch();
    } finally {
      activeRef.current = false;
      setRunning(false);
    }
  }, []);
  return { active, run, running };
}

/** "live" when every page was just paid for, else when the oldest page was fetched. */
export function describeFreshness(pages: TablePage[], now: number): string {
  if (!pages.some((page) => page.fromCache)) return t('freshness_live');
  return t('freshness_fetched', [formatAgo(Math.min(...pages.map((page) => page.fetchedAt)), now)]);
}

/** What fetching the loaded pages again costs: "Refresh costs about 100 credits" / "… about $0.04600". */
export function describeRefreshCost(provider: ProviderId, pages: TablePage[], pageSize: number): string {
  const loadedRows = pages.reduce((sum, page) => sum + page.rows.length, 0);
  const estimate = estimateCost(provider, { fromPage: 1, toPage: Math.max(1, pages.length), pageSize, total: loadedRows });
  return t('freshness_refreshCost', [formatMoney(moneyOf(provider, estimate))]);
}

export interface TableFreshnessProps {
  provider: ProviderId;
  /** The pages loaded so far, in order. */
  pages: TablePage[];
  pageSize: number;
  /** A refresh is under way. */
  refreshing: boolean;
  /** The table is busy with something else (loading more, a new sort). */
  disabled: boolean;
  onRefresh: () => void;
}

/** How fresh a table is, and a Refresh button that says what it costs before it is pressed. */
export function TableFreshness({ provider, pages, pageSize, refreshing, disabled, onRefresh }: TableFreshnessProps) {
  const now = useNow();
  const costId = useId();
  const cost = describeRefreshCost(provider, pages, pageSize);
  return (
    <div className={`flex flex-wrap items-center gap-2 text-xs ${mutedText}`}>
      <p>{refreshing ? t('freshness_refreshing') : describeFreshness(pages, now)}</p>
      <Button onClick={onRefresh} disabled={disabled || refreshing} title={cost} aria-describedby={costId} className="text-xs">
        {t('freshness_refresh')}
      </Button>
      <span id={costId} className="sr-only">
        {cost}
      </span>
    </div>
  );
}
