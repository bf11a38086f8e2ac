import { useState, type ReactNode } from 'react';
import { useQuery, type QueryKey, type UseQueryOptions } from '@tanstack/react-query';
import { t } from '@/lib/shared/i18n';
import { isNeedsConsent, type NeedsConsent } from '@/lib/shared/protocol';
import type { ProviderId } from '@/lib/shared/providers';
import type { PartFacts } from '@/lib/shared/summary';
import { toLensError, type OneShotAsk } from '@/lib/ui/queries';
import { describeBilledRetries, describeCost, formatAgo, formatAmount } from '@/lib/ui/format';
import { ErrorNotice } from './ErrorNotice';
import { useNow } from './TableFreshness';
import { Button, mutedText, Notice, Skeleton } from './ui';

export interface PaidLookupProps<T extends PartFacts, K extends QueryKey> {
  provider: ProviderId;
  /** The lookup's query options, paid or from the cache alone (OneShotAsk); null: the cache holds no answer. */
  lookup: (ask?: OneShotAsk) => UseQueryOptions<T | NeedsConsent | null, Error, T | NeedsConsent | null, K>;
  /** The button's text, with the cost in it ("Load history (about $0.04447)"). */
  askLabel: string;
  texts: {
    loading: string;
    /** Under the answer: what it cost ("These charts cost 1 credit"). */
    spent: (cost: string) => string;
    /** Above the per-lookup limit: what it would cost and the limit; nothing was sent. */
    overLimit: (cost: string, limit: string) => string;
  };
  children: (answer: T) => ReactNode;
}

/**
 * A paid, one-shot lookup (charts, overlap counts): says what it costs and sends nothing until the
 * button is pressed; above the per-lookup limit it asks again with the background's figures; then
 * the answer, what it cost and whether it came from the cache. An answer the background's cache
 * still holds shows when the tab opens, free and without a click.
 */
export function PaidLookup<T extends PartFacts, K extends QueryKey>({ provider, lookup, askLabel, texts, children }: PaidLookupProps<T, K>) {
  const [consent, setConsent] = useState<'continue' | undefined>(undefined);
  const [asked, setAsked] = useState(false);
  const query = useQuery({ ...lookup(consent), enabled: asked });
  // Asked once as the tab opens, free and never sending a request: an answer already paid for
  // shows without a click, and the button only when the cache holds none.
  const cached = useQuery({ ...lookup('cachedOnly'), enabled: !asked && !query.data });
  const now = useNow();

  // A disabled query still shows an answer already fetched (another visit to this tab).
  const answer = query.data ?? (asked ? undefined : cached.data);
  if (!answer && !query.isError && !asked) {
    // The cache answers at once: a quiet wait rather than a button that turns into the answer.
    if (cached.isPending) return <div aria-busy="true" className="min-h-7" />;
    return (
      <Button variant="primary" className="self-start text-xs" onClick={() => setAsked(true)}>
        {askLabel}
      </Button>
    );
  }
  if (query.isError) return <ErrorNotice error={toLensError(query.error)} onRetry={() => void query.refetch()} />;
  if (!answer) {
    return (
      <div aria-busy="true">
        <p className={`text-xs ${mutedText}`}>{texts.loading}</p>
        <Skeleton lines={4} />
      </div>
    );
  }
  if (isNeedsConsent(answer)) {
    return (
      <Notice>
        <p>{texts.overLimit(formatAmount(provider, answer.nextCost), formatAmount(provider, answer.limit))}</p>
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
      <p className={`text-xs ${mutedText}`}>{answer.fromCache ? t('popup_costFromCache', [formatAgo(answer.fetchedAt, now), spent]) : texts.spent(spent)}</p>
      {answer.billedRetries && <p className={`text-xs ${mutedText}`}>{describeBilledRetries(answer.billedRetries, provider)}</p>}
    </div>
  );
}
