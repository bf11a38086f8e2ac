import { useState, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { t } from '@/lib/shared/i18n';
import { requestEstimate } from '@/lib/shared/budget';
import type { ChartId, Charts } from '@/lib/shared/charts';
import { addUpSpend, moneyOf } from '@/lib/shared/money';
import { isNeedsConsent } from '@/lib/shared/protocol';
import type { ProviderId } from '@/lib/shared/providers';
import type { Scope } from '@/lib/shared/reports';
import { chartsQuery, toLensError } from '@/lib/ui/queries';
import { describeBilledRetries, describeCost, formatAgo, formatAmount, formatMoney } from '@/lib/ui/format';
import { ErrorNotice } from './ErrorNotice';
import { useNow } from './TableFreshness';
import { Button, mutedText, Notice, Skeleton } from './ui';

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

/**
 * A paid, one-shot chart lookup: says what it costs and sends nothing until the button is pressed;
 * above the per-lookup limit it asks again with the background's figures; then the charts, what
 * they cost and whether they came from the cache. Asked again later, the cached answer is free.
 */
export function ChartLookup({ provider, target, scope, charts, askLabel, children }: ChartLookupProps) {
  const [consent, setConsent] = useState<'continue' | undefined>(undefined);
  const [asked, setAsked] = useState(false);
  const query = useQuery({ ...chartsQuery(provider, charts, target, scope, consent), enabled: asked });
  const cost = chartsCost(provider, target, scope, charts);
  const now = useNow();

  // A disabled query still shows an answer already fetched (another visit to this tab).
  if (!query.data && !query.isError && !asked) {
    return (
      <Button variant="primary" className="self-start text-xs" onClick={() => setAsked(true)}>
        {askLabel(cost)}
      </Button>
    );
  }
  if (query.isError) return <ErrorNotice error={toLensError(query.error)} onRetry={() => void query.refetch()} />;
  if (!query.data) {
    return (
      <div aria-busy="true">
        <p className={`text-xs ${mutedText}`}>{t('charts_loading')}</p>
        <Skeleton lines={4} />
      </div>
    );
  }
  const answer = query.data;
  if (isNeedsConsent(answer)) {
    return (
      <Notice>
        <p>{t('charts_overLimit', [formatAmount(provider, answer.nextCost), formatAmount(provider, answer.limit)])}</p>
        <Button
          className="mt-2 text-xs"
          onClick={() => {
            setConsent('continue');
            setAsked(true);
          }}
        >
          {t('charts_loadAnyway', [formatAmount(provider, answer.nextCost)])}
        </Button>
      </Notice>
    );
  }
  const spent = describeCost(answer, provider);
  return (
    <div className="flex flex-col gap-3">
      {children(answer)}
      <p className={`text-xs ${mutedText}`}>
        {answer.fromCache ? t('popup_costFromCache', [formatAgo(answer.fetchedAt, now), spent]) : t('charts_cost', [spent])}
      </p>
      {answer.billedRetries && <p className={`text-xs ${mutedText}`}>{describeBilledRetries(answer.billedRetries, provider)}</p>}
    </div>
  );
}
