import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { LensError } from '@/lib/shared/errors';
import { describeError } from '@/lib/ui/error-text';
import { t } from '@/lib/shared/i18n';
import { sendRequest } from '@/lib/ui/messaging/client';
import type { AccountStatus, Credentials, KeyStatuses } from '@/lib/shared/protocol';
import { keyStatusQuery, queryKeys, toLensError, unwrapResult } from '@/lib/ui/queries';
import { formatBalanceUsd, formatNumber } from '@/lib/ui/format';
import type { ProviderId } from '@/lib/shared/providers';

export interface StatusMessage {
  tone: 'ok' | 'error';
  text: string;
}

/** A LensError as the one line the options page shows. */
export function errorSentence(error: LensError): string {
  const text = describeError(error);
  return `${text.title} ${text.nextStep}`;
}

/** "Connected. 972,836 credits left of 1,000,000." / "Connected. Balance $12.34." */
export function describeAccount(account: AccountStatus): string {
  if (account.balanceUsd != null) return t('account_balance', [formatBalanceUsd(account.balanceUsd)]);
  if (account.creditsLeft != null && account.creditsTotal != null) {
    return t('account_creditsOf', [formatNumber(account.creditsLeft), formatNumber(account.creditsTotal)]);
  }
  if (account.creditsLeft != null) return t('account_creditsLeft', [formatNumber(account.creditsLeft)]);
  return t('account_connected');
}

/** Save, remove and test one provider's credentials; the outcome lands in `message`. */
export function useCredentialActions(provider: ProviderId) {
  const queryClient = useQueryClient();
  const [message, setMessage] = useState<StatusMessage | null>(null);
  const showError = (thrown: unknown) => setMessage({ tone: 'error', text: errorSentence(toLensError(thrown)) });
  // The background forgets a balance when the key changes and notes the one a test reports.
  const storeStatus = (statuses: KeyStatuses) => {
    queryClient.setQueryData(keyStatusQuery().queryKey, statuses);
    void queryClient.invalidateQueries({ queryKey: queryKeys.usage });
  };

  const save = useMutation({
    mutationFn: async (credentials: Credentials) => unwrapResult(await sendRequest({ type: 'setKey', credentials })),
    onMutate: () => setMessage(null),
    onSuccess: (statuses) => {
      storeStatus(statuses);
      setMessage({ tone: 'ok', text: t('options_saved') });
    },
    onError: showError,
  });

  const remove = useMutation({
    mutationFn: async () => unwrapResult(await sendRequest({ type: 'clearKey', provider })),
    onMutate: () => setMessage(null),
    onSuccess: (statuses) => {
      storeStatus(statuses);
      setMessage({ tone: 'ok', text: t('options_removed') });
    },
    onError: showError,
  });

  /** Tests the typed credentials, or the saved ones when none are typed. Free: no credits spent. */
  const test = useMutation({
    mutationFn: async (credentials: Credentials | undefined) =>
      unwrapResult(await sendRequest({ type: 'testConnection', provider, credentials })),
    onMutate: () => setMessage(null),
    onSuccess: (account) => {
      setMessage({ tone: 'ok', text: describeAccount(account) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.usage });
    },
    onError: showError,
  });

  return { save, remove, test, message, setMessage, busy: save.isPending || remove.isPending || test.isPending };
}
