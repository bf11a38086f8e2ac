import { lazy, Suspense } from 'react';
import { t } from '@/lib/shared/i18n';
import { chartScopes, historyChartsOf } from '@/lib/shared/charts';
import { providerName, type ProviderId } from '@/lib/shared/providers';
import type { Scope } from '@/lib/shared/reports';
import { ChartLookup } from './ChartLookup';
import { mutedText, Notice, Skeleton } from './ui';

// The chart code is its own chunk: the panel's first paint does not load it.
const HistoryCharts = lazy(() => import('./charts/ProfileCharts').then((module) => ({ default: module.HistoryCharts })));

export interface HistoryTabProps {
  provider: ProviderId;
  /** A domain or host, as the Scope chose it. */
  target: string;
  scope: Scope;
}

/**
 * The History tab: referring domains and backlinks over time, and new vs lost per period, from
 * the provider's history endpoints. Paid, so nothing is asked until the user presses the button
 * that says what it costs.
 */
export function HistoryTab({ provider, target, scope }: HistoryTabProps) {
  const charts = historyChartsOf(provider);
  if (!chartScopes(provider, charts).includes(scope)) {
    return <Notice>{t('history_scopeNotOffered', [providerName(provider)])}</Notice>;
  }
  return (
    <div className="flex min-h-0 flex-1 flex-col gap-2 overflow-y-auto">
      <p className={`text-xs ${mutedText}`}>{t(provider === 'serpstat' ? 'history_aboutSerpstat' : 'history_aboutDataForSeo')}</p>
      <ChartLookup provider={provider} target={target} scope={scope} charts={charts} askLabel={(cost) => t('history_load', [cost])}>
        {(answer) => (
          <Suspense fallback={<Skeleton lines={4} />}>
            <HistoryCharts charts={answer} />
          </Suspense>
        )}
      </ChartLookup>
    </div>
  );
}
