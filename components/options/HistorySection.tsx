import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { t, tPlural } from '@/lib/shared/i18n';
import { sendRequest } from '@/lib/ui/messaging/client';
import { formatBytes } from '@/lib/ui/cost-forms';
import { formatNumber } from '@/lib/ui/format';
import { toLensError, unwrapResult } from '@/lib/ui/queries';
import { Button } from '@/components/ui';
import { ErrorNotice } from '@/components/ErrorNotice';
import { Section, StatusLine } from './layout';
import { errorSentence, type StatusMessage } from './useCredentialActions';

const historyKey = ['historyStats'] as const;

/**
 * The history of looks (each summary the provider answered, and the referring domains of each
 * table's last two looks): what it holds, and Clear history, which asks first.
 */
export function HistorySection() {
  const stats = useQuery({ queryKey: historyKey, queryFn: async () => unwrapResult(await sendRequest({ type: 'getHistoryStats' })) });
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const [message, setMessage] = useState<StatusMessage | null>(null);

  const clear = useMutation({
    mutationFn: async () => unwrapResult(await sendRequest({ type: 'clearHistory' })),
    onMutate: () => setMessage(null),
    onSuccess: (after) => {
      setConfirming(false);
      setMessage({ tone: 'ok', text: t('history_cleared') });
      queryClient.setQueryData(historyKey, after);
    },
    onError: (thrown) => setMessage({ tone: 'error', text: errorSentence(toLensError(thrown)) }),
  });

  const held = stats.data;
  return (
    <Section title={t('history_title')}>
      <div className="flex flex-col gap-3">
        <p className="text-sm">
          {held
            ? t('history_holds', [
                tPlural('history_snapshots', held.snapshots, [formatNumber(held.snapshots)]),
                tPlural('cache_pages', held.domainPages, [formatNumber(held.domainPages)]),
                formatBytes(held.bytes),
              ])
            : t('cache_reading')}
        </p>
        {confirming ? (
          <div role="group" aria-label={t('history_clear')} className="space-y-2 rounded border border-red-300 p-2 dark:border-red-700">
            <p className="text-sm">{t('history_confirm')}</p>
            <div className="flex gap-2">
              <Button variant="danger" onClick={() => clear.mutate()} disabled={clear.isPending}>
                {t('history_confirmClear')}
              </Button>
              <Button onClick={() => setConfirming(false)}>{t('history_keep')}</Button>
            </div>
          </div>
        ) : (
          <div>
            <Button variant="danger" onClick={() => setConfirming(true)}>
              {t('history_clear')}
            </Button>
          </div>
        )}
        {stats.isError && <ErrorNotice error={toLensError(stats.error)} />}
        <StatusLine message={message} />
      </div>
    </Section>
  );
}
