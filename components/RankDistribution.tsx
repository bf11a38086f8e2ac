import { lazy, Suspense, useMemo, useState } from 'react';
import { t, tPlural } from '@/lib/shared/i18n';
import { offersChart, type RankBucket } from '@/lib/shared/charts';
import type { ProviderId } from '@/lib/shared/providers';
import type { RefDomainRow, Scope } from '@/lib/shared/reports';
import { rankBuckets } from '@/lib/ui/rank-buckets';
import { formatNumber } from '@/lib/ui/format';
import { ChartLookup } from './ChartLookup';
import { focusRing, mutedText, Skeleton } from './ui';

const RankChart = lazy(() => import('./charts/ProfileCharts').then((module) => ({ default: module.RankChart })));

const today = () => new Date().toISOString().slice(0, 10);

export interface RankDistributionProps {
  provider: ProviderId;
  target: string;
  scope: Scope;
  /** The rows loaded in the Referring domains table: their histogram costs nothing. */
  rows: readonly RefDomainRow[];
}

/**
 * "Rank distribution" under the Referring domains table, folded until opened (the chart code loads
 * then): a histogram of the loaded rows' ranks, free, and for Serpstat the whole profile's
 * (getDistributionSDR, 1 credit) on request.
 */
export function RankDistribution({ provider, target, scope, rows }: RankDistributionProps) {
  const [open, setOpen] = useState(false);
  // Counted only while unfolded, and once per set of rows: folded under a Load all, counting every
  // loaded row again at each page's arrival would be a pass over up to 100,000 rows a page.
  const loaded = useMemo(() => (open ? rankBuckets(rows.map((row) => row.rank)) : null), [open, rows]);
  const chart = (title: string, buckets: RankBucket[], what: string) => (
    <Suspense fallback={<Skeleton lines={3} />}>
      <RankChart title={title} buckets={buckets} fileStem={`rank-distribution-${what}_${target}_${provider}_${today()}`} />
    </Suspense>
  );
  return (
    <details className="text-sm" onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary className={`cursor-pointer rounded text-xs font-medium ${focusRing}`}>{t('rank_title')}</summary>
      {loaded && (
        <div className="mt-2 flex max-h-[60vh] flex-col gap-3 overflow-y-auto">
          {chart(tPlural('rank_loadedTitle', rows.length, [formatNumber(rows.length)]), loaded.buckets, 'loaded')}
          {loaded.unranked > 0 && <p className={`text-xs ${mutedText}`}>{tPlural('rank_unranked', loaded.unranked, [formatNumber(loaded.unranked)])}</p>}
          {offersChart(provider, 'rankDistribution', scope) && (
            <ChartLookup
              provider={provider}
              target={target}
              scope={scope}
              charts={['rankDistribution']}
              askLabel={(cost) => t('rank_loadWhole', [cost])}
            >
              {(answer) => chart(t('rank_wholeTitle'), answer.rankDistribution ?? [], 'profile')}
            </ChartLookup>
          )}
        </div>
      )}
    </details>
  );
}
