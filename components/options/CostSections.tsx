import { lazy, Suspense, useState } from 'react';
import type { FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { BudgetSettings } from '@/lib/shared/budget';
import { t, tPlural } from '@/lib/shared/i18n';
import { sendRequest } from '@/lib/ui/messaging/client';
import type { DaySpend, ProviderBalance } from '@/lib/shared/protocol';
import { queryKeys, toLensError, unwrapResult, usageQuery } from '@/lib/ui/queries';
import { budgetItem, cacheSettingsItem, getCacheSettings } from '@/lib/shared/settings';
import type { CacheSettings } from '@/lib/shared/settings';
import { ErrorNotice } from '@/components/ErrorNotice';
import { formatAgo, formatBalanceUsd, formatDate, formatNumber, formatSpent } from '@/lib/ui/format';
import { useNow } from '@/components/TableFreshness';
import { useBudget, useStoredSetting } from '@/components/usePreferences';
import { Button, inputClass, mutedText } from '@/components/ui';
import {
    BUDGET_LABELS,
    CACHE_LABELS,
    budgetText,
    cacheText,
    formatBytes,
    parseBudgetForm,
    parseCacheForm,
    type FormText,
    type Parsed,
} from '@/lib/ui/cost-forms';
import { Field, Section, StatusLine } from './layout';
import { errorSentence, type StatusMessage } from './useCredentialActions';
import { providerName, ProviderId, providerIds } from '@/lib/shared/providers';


/** What a day cost or saved, in the provider's unit: "1,234 credits" / "$0.02030". */
const spentText = (provider: ProviderId, credits: number, usd: number) => formatSpent({ creditsSpent: credits, costUsd: usd }, provider);

/** Per provider sums; USD in micro-dollars so the total is exact to 5 decimals. */
function totalsOf(days: DaySpend[], provider: ProviderId) {
  const rows = days.filter((day) => day.provider === provider);
  const micros = (usd: number) => Math.round(usd * 1_000_000);
  return {
    rows: rows.length,
    requests: rows.reduce((sum, day) => sum + day.requests, 0),
    credits: rows.reduce((sum, day) => sum + day.credits, 0),
    usd: rows.reduce((sum, day) => sum + micros(day.usd), 0) / 1_000_000,
    savedCredits: rows.reduce((sum, day) => sum + day.savedCredits, 0),
    savedUsd: rows.reduce((sum, day) => sum + micros(day.savedUsd), 0) / 1_000_000,
  };
}

/** "972,836 credits left · seen 5 min. ago" / "Balance $12.34 · seen 1 hr. ago". */
function describeBalance(balance: ProviderBalance | null, now: number): string {
  if (!balance) return t('usage_noBalance');
  const parts: string[] = [];
  if (balance.creditsLeft != null) parts.push(t('usage_creditsLeft', [formatNumber(balance.creditsLeft)]));
  if (balance.balanceUsd != null) parts.push(t('usage_balance', [formatBalanceUsd(balance.balanceUsd)]));
  parts.push(t('usage_seen', [formatAgo(balance.seenAt, now)]));
  return parts.join(' · ');
}

// The chart code is its own chunk, loaded once there is spend to draw.
const UsageCharts = lazy(() => import('../charts/ProfileCharts').then((module) => ({ default: module.UsageCharts })));

const cell = 'px-2 py-1';
const numberCell = `${cell} text-right tabular-nums`;

/** Spend per day and provider over the last 30 days, what the cache saved, and the balances last seen. */
export function UsageSection() {
  const usage = useQuery(usageQuery());
  const now = useNow();
  return (
    <Section title={t('usage_title')}>
      {usage.isError && <ErrorNotice error={toLensError(usage.error)} onRetry={() => void usage.refetch()} />}
      {usage.isPending && <p className={`text-sm ${mutedText}`}>{t('options_loading')}</p>}
      {usage.data && (
        <div className="flex flex-col gap-3">
          {usage.data.days.length === 0 ? (
            <p className={`text-sm ${mutedText}`}>{t('usage_none')}</p>
          ) : (
            <>
              <Suspense fallback={null}>
                <UsageCharts days={usage.data.days} />
              </Suspense>
              <SpendTable days={usage.data.days} />
            </>
          )}
          <ul aria-label={t('usage_balances')} className="text-sm">
            {providerIds.map((provider) => (
              <li key={provider}>
                <span className="font-medium">{providerName(provider)}:</span> {describeBalance(usage.data.balances[provider], now)}
              </li>
            ))}
          </ul>
        </div>
      )}
    </Section>
  );
}

function SpendTable({ days }: { days: DaySpend[] }) {
  return (
    <div className="overflow-x-auto">
      <table aria-label={t('usage_spendPerDay')} className="w-full border-collapse text-left text-sm">
        <thead className="bg-slate-100 dark:bg-slate-800">
          <tr>
            <th scope="col" className={cell}>{t('usage_day')}</th>
            <th scope="col" className={cell}>{t('usage_provider')}</th>
            <th scope="col" className={`${cell} text-right`}>{t('usage_requests')}</th>
            <th scope="col" className={`${cell} text-right`}>{t('usage_spent')}</th>
            <th scope="col" className={`${cell} text-right`}>{t('usage_saved')}</th>
          </tr>
        </thead>
        <tbody>
          {days.map((day) => (
            <tr key={`${day.day}|${day.provider}`} className="border-b border-slate-200 dark:border-slate-700">
              <th scope="row" className={`${cell} font-normal tabular-nums`}>{formatDate(day.day)}</th>
              <td className={cell}>{providerName(day.provider)}</td>
              <td className={numberCell}>{formatNumber(day.requests)}</td>
              <td className={numberCell}>{spentText(day.provider, day.credits, day.usd)}</td>
              <td className={numberCell}>{spentText(day.provider, day.savedCredits, day.savedUsd)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot className="font-semibold">
          {/* Credits and dollars do not add up: one total per provider. */}
          {providerIds.map((provider) => ({ provider, total: totalsOf(days, provider) }))
            .filter(({ total }) => total.rows > 0)
            .map(({ provider, total }) => (
              <tr key={provider}>
                <th scope="row" className={cell}>{t('usage_total')}</th>
                <td className={cell}>{providerName(provider)}</td>
                <td className={numberCell}>{formatNumber(total.requests)}</td>
                <td className={numberCell}>{spentText(provider, total.credits, total.usd)}</td>
                <td className={numberCell}>{spentText(provider, total.savedCredits, total.savedUsd)}</td>
              </tr>
            ))}
        </tfoot>
      </table>
    </div>
  );
}


const pagesText = (count: number) => tPlural('cache_pages', count, [formatNumber(count)]);

/** Cache lifetime and size, what it holds now, and "Clear cache". */
export function CacheSection() {
  const settings = useStoredSetting(getCacheSettings, cacheSettingsItem);
  const usage = useQuery(usageQuery());
  const queryClient = useQueryClient();
  const [message, setMessage] = useState<StatusMessage | null>(null);

  const clear = useMutation({
    mutationFn: async () => {
      // Read the size just before, so the message says what this click freed.
      const before = unwrapResult(await sendRequest({ type: 'getUsage' })).cache;
      const after = unwrapResult(await sendRequest({ type: 'clearCache' }));
      return { entries: Math.max(0, before.entries - after.entries), bytes: Math.max(0, before.bytes - after.bytes) };
    },
    onMutate: () => setMessage(null),
    onSuccess: (freed) => {
      setMessage({ tone: 'ok', text: t('cache_cleared', [pagesText(freed.entries), formatBytes(freed.bytes)]) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.usage });
    },
    onError: (thrown) => setMessage({ tone: 'error', text: errorSentence(toLensError(thrown)) }),
  });

  const stats = usage.data?.cache;
  return (
    <Section title={t('cache_title')}>
      <div className="flex flex-col gap-3">
        <p className="text-sm">
          {stats ? t('cache_holds', [pagesText(stats.entries), formatBytes(stats.bytes)]) : t('cache_reading')}
        </p>
        {settings ? (
          <SettingsForm<CacheSettings>
            labels={CACHE_LABELS}
            initial={cacheText(settings)}
            parse={parseCacheForm}
            save={(value) => cacheSettingsItem.setValue(value)}
            savedText={t('cache_saved')}
            onMessage={setMessage}
          />
        ) : (
          <p className={`text-sm ${mutedText}`}>{t('options_loading')}</p>
        )}
        <div>
          <Button variant="danger" onClick={() => clear.mutate()} disabled={clear.isPending}>
            {t('cache_clear')}
          </Button>
        </div>
        <StatusLine message={message} />
      </div>
    </Section>
  );
}

/** Per-lookup limits (ask first above them) and daily caps (stop at them). */
export function BudgetSection() {
  const budget = useBudget();
  const [message, setMessage] = useState<StatusMessage | null>(null);
  return (
    <Section title={t('budget_title')}>
      {budget ? (
        <SettingsForm<BudgetSettings>
          labels={BUDGET_LABELS}
          initial={budgetText(budget)}
          parse={parseBudgetForm}
          save={(value) => budgetItem.setValue(value)}
          savedText={t('budget_saved')}
          hint={t('budget_capHint')}
          onMessage={setMessage}
        />
      ) : (
        <p className={`text-sm ${mutedText}`}>{t('options_loading')}</p>
      )}
      <StatusLine message={message} />
    </Section>
  );
}

interface SettingsFormProps<T> {
  labels: Record<keyof T, string>;
  /** The stored values as text; the form keeps what the user types from then on. */
  initial: FormText<T>;
  parse: (text: FormText<T>) => Parsed<T>;
  save: (value: T) => Promise<void>;
  savedText: string;
  hint?: string;
  onMessage: (message: StatusMessage) => void;
}

/** Number fields saved together, and only when every one of them is valid. */
function SettingsForm<T>({ labels, initial, parse, save, savedText, hint, onMessage }: SettingsFormProps<T>) {
  const [text, setText] = useState(initial);
  const keys = Object.keys(labels) as (keyof T & string)[];

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const parsed = parse(text);
    if (!parsed.ok) {
      onMessage({ tone: 'error', text: t('form_notSaved', [parsed.message]) });
      return;
    }
    try {
      await save(parsed.value);
      onMessage({ tone: 'ok', text: savedText });
    } catch {
      onMessage({ tone: 'error', text: t('form_saveFailed') });
    }
  }

  return (
    <form onSubmit={(event) => void submit(event)} className="flex flex-col gap-3" noValidate>
      <div className="grid gap-3 sm:grid-cols-2">
        {keys.map((key) => (
          <Field key={key} label={labels[key]}>
            {(id) => (
              <input
                id={id}
                type="text"
                inputMode="decimal"
                autoComplete="off"
                className={inputClass}
                value={text[key]}
                onChange={(event) => setText((current) => ({ ...current, [key]: event.target.value }))}
              />
            )}
          </Field>
        ))}
      </div>
      {hint && <p className={`text-xs ${mutedText}`}>{hint}</p>}
      <div>
        <Button type="submit" variant="primary">
          {t('options_save')}
        </Button>
      </div>
    </form>
  );
}
