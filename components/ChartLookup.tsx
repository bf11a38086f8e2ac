import type { ReactNode } from 'react';
import { t } from '@/lib/shared/i18n';
import { requestEstimate } from '@/lib/shared/budget';
import type { ChartId, Charts } from '@/lib/shared/charts';
import { addUpSpend, moneyOf } from '@/lib/shared/money';
import type { ProviderId } from '@/lib/shared/providers';
import type { Scope } from '@/lib/shared/reports';
import { chartsQuery } from '@/lib/ui/queries';
import { formatMoney } from '@/lib/ui/format';
import { PaidLookup } from './PaidLookup';

/** What the charts are estimated to cost before anything is sent: "about $0.04447", "2 credits". */
export function chartsCost(provider: ProviderId, target: string, scope: Scope, charts: readonly ChartId[]): string {
  const estimates = charts.map((report) => requestEstimate({ provider, report, target, scope }, 1));
  const total = addUpSpend(estimates.map((estimate) => ({ creditsSpent: estimate.credits, costUsd: estimate.usd })));
  return formatMoney(moneyOf(provider, { credits: total.creditsSpent, usd: total.costUsd }));
}

export interface ChartLookupProps {
  provider: ProviderId;
  target: string;
  scope: Scope;
  charts: readonly ChartId[];
  /** The button's text, with the cost in it ("Load history (about $0.04447)"). */
  askLabel: (cost: string) => string;
  /** What the answer draws (lazily loaded chart code). */
  children: (charts: Charts) => ReactNode;
}

/** The charts of a target as a paid one-shot lookup (PaidLookup). */
export function ChartLookup({ provider, target, scope, charts, askLabel, children }: ChartLookupProps) {
  return (
    <PaidLookup
      provider={provider}
      lookup={(ask) => chartsQuery(provider, charts, target, scope, ask)}
      askLabel={askLabel(chartsCost(provider, target, scope, charts))}
      texts={{
        loading: t('charts_loading'),
        spent: (cost) => t('charts_cost', [cost]),
        overLimit: (cost, limit) => t('charts_overLimit', [cost, limit]),
      }}
    >
      {children}
    </PaidLookup>
  );
}
