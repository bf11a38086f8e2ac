import { t } from '@/lib/shared/i18n';
import type { Charts, HistoryPoint, RankBucket } from '@/lib/shared/charts';
import type { DaySpend } from '@/lib/shared/protocol';
import { providerName, type ProviderId } from '@/lib/shared/providers';
import type { ChartSeries } from '@/lib/ui/chart-geometry';
import { formatAmount, formatDate, formatNumber } from '@/lib/ui/format';
import { Notice } from '../ui';
import { Chart } from './Chart';

/**
 * The charts of the History tab, the rank distribution and the Options usage: loaded on demand
 * (React.lazy), so the side panel's and the options page's first paint do not pay for them.
 */

const today = () => new Date().toISOString().slice(0, 10);
const stem = (what: string, target: string, provider: ProviderId) => `${what}_${target}_${provider}_${today()}`;
const values = (points: HistoryPoint[], key: keyof Omit<HistoryPoint, 'date' | 'partial'>) => points.map((point) => point[key]);
const hasAny = (series: ChartSeries) => series.values.some((value) => value !== null);

/** "Referring domains: 1,200 on 1 Jan 2019 → 2,400 on 1 Nov 2026." for each line. */
function trendSummary(points: HistoryPoint[], series: ChartSeries[]): string {
  return series
    .map((one) => {
      const known = one.values.flatMap((value, index) => (value === null ? [] : [{ value, date: points[index]!.date }]));
      if (known.length === 0) return t('chart_seriesNoData', [one.label]);
      const first = known[0]!;
      const last = known[known.length - 1]!;
      return t('chart_seriesTrend', [one.label, formatNumber(first.value), formatDate(first.date), formatNumber(last.value), formatDate(last.date)]);
    })
    .join(' ');
}

/** "New backlinks: 5,320 in 53 weeks; lost backlinks: 4,100." */
function totalsSummary(series: ChartSeries[]): string {
  return series
    .map((one) => t('chart_seriesTotal', [one.label, formatNumber(one.values.reduce<number>((sum, value) => sum + (value ?? 0), 0))]))
    .join(' ');
}

function NewLostChart({ points, title, fileStem }: { points: HistoryPoint[]; title: string; fileStem: string }) {
  const series: ChartSeries[] = [
    { id: 'newBacklinks', label: t('chart_newBacklinks'), kind: 'bar', values: values(points, 'newBacklinks'), tone: 'green' },
    { id: 'lostBacklinks', label: t('chart_lostBacklinks'), kind: 'bar', values: values(points, 'lostBacklinks'), tone: 'red' },
    { id: 'newReferringDomains', label: t('chart_newReferringDomains'), kind: 'line', values: values(points, 'newReferringDomains'), tone: 'blue' },
    { id: 'lostReferringDomains', label: t('chart_lostReferringDomains'), kind: 'line', values: values(points, 'lostReferringDomains'), tone: 'amber' },
  ].filter((one) => hasAny(one as ChartSeries)) as ChartSeries[];
  const partialFrom = points.findIndex((point) => point.partial);
  return (
    <Chart
      title={title}
      summary={`${title}. ${totalsSummary(series)}${partialFrom >= 0 ? ` ${t('chart_lastStillCounting')}` : ''}`}
      labelHeading={t('chart_period')}
      labels={points.map((point) => point.date)}
      displayLabels={points.map((point) => formatDate(point.date))}
      series={series}
      partialFrom={partialFrom >= 0 ? partialFrom : undefined}
      fileStem={fileStem}
    />
  );
}

/** The History tab's charts: totals over time where the provider has them, and new vs lost per period. */
export function HistoryCharts({ charts }: { charts: Charts }) {
  const { provider, target } = charts;
  const totals = charts.linkTotals ?? [];
  const newLost = charts.newLost ?? [];
  if (totals.length === 0 && newLost.length === 0) return <Notice>{t('history_noData', [providerName(provider), target])}</Notice>;
  const totalSeries: ChartSeries[] = [
    { id: 'referringDomains', label: t('chart_referringDomains'), kind: 'line', values: values(totals, 'referringDomains'), tone: 'blue' },
    { id: 'backlinks', label: t('chart_backlinks'), kind: 'line', values: values(totals, 'backlinks'), tone: 'violet' },
  ];
  const monthlyChanges = totals.some((point) => point.newBacklinks !== null);
  return (
    <div className="flex flex-col gap-4">
      {totals.length > 0 && (
        <>
          {/* Referring domains and backlinks differ by orders of magnitude: one chart each keeps both readable. */}
          {totalSeries.map((one) => (
            <Chart
              key={one.id}
              title={t('history_totalsTitle', [one.label])}
              summary={trendSummary(totals, [one])}
              labelHeading={t('chart_month')}
              labels={totals.map((point) => point.date)}
              displayLabels={totals.map((point) => formatDate(point.date))}
              series={[one]}
              fileStem={stem(`history-${one.id}`, target, provider)}
            />
          ))}
          {monthlyChanges && (
            <NewLostChart points={totals} title={t('history_monthlyNewLost')} fileStem={stem('history-monthly-new-lost', target, provider)} />
          )}
          <p className="text-xs">{t('history_noChangesBefore')}</p>
        </>
      )}
      {newLost.length > 0 && (
        <NewLostChart points={newLost} title={t('history_weeklyNewLost')} fileStem={stem('history-weekly-new-lost', target, provider)} />
      )}
    </div>
  );
}

const rangeLabel = (bucket: RankBucket) => (bucket.from === bucket.to ? String(bucket.from) : `${bucket.from}–${bucket.to}`);

/** Referring domains by rank: the loaded rows, and the whole profile when it was asked for. */
export function RankChart({ title, buckets, fileStem }: { title: string; buckets: RankBucket[]; fileStem: string }) {
  const total = buckets.reduce((sum, bucket) => sum + bucket.domains, 0);
  const strongest = buckets.filter((bucket) => bucket.from >= 50).reduce((sum, bucket) => sum + bucket.domains, 0);
  const series: ChartSeries[] = [{ id: 'domains', label: t('chart_referringDomains'), kind: 'bar', values: buckets.map((bucket) => bucket.domains), tone: 'blue' }];
  return (
    <Chart
      title={title}
      summary={t('rank_summary', [formatNumber(total), formatNumber(strongest), formatNumber(total === 0 ? 0 : Math.round((strongest / total) * 100))])}
      labelHeading={t('rank_range')}
      labels={buckets.map(rangeLabel)}
      series={series}
      fileStem={fileStem}
    />
  );
}

/** Options → Usage: what each day cost, one chart per provider in its own unit, the last 30 days. */
export function UsageCharts({ days }: { days: DaySpend[] }) {
  const providers = [...new Set(days.map((day) => day.provider))];
  return (
    <div className="grid gap-3 sm:grid-cols-2">
      {providers.map((provider) => {
        const own = days.filter((day) => day.provider === provider).sort((a, b) => (a.day < b.day ? -1 : 1));
        const spent = own.map((day) => (provider === 'serpstat' ? day.credits : day.usd));
        const series: ChartSeries[] = [{ id: 'spent', label: t('usage_spent'), kind: 'bar', values: spent, tone: provider === 'serpstat' ? 'blue' : 'violet' }];
        const total = spent.reduce((sum, value) => sum + value, 0);
        const title = t('usage_chartTitle', [providerName(provider)]);
        return (
          <Chart
            key={provider}
            title={title}
            summary={t('usage_chartSummary', [providerName(provider), formatAmount(provider, total), formatNumber(own.length)])}
            labelHeading={t('usage_day')}
            labels={own.map((day) => day.day)}
            displayLabels={own.map((day) => formatDate(day.day))}
            series={series}
            fileStem={`usage_${provider}_${today()}`}
            formatValue={(value) => formatAmount(provider, value)}
          />
        );
      })}
    </div>
  );
}
