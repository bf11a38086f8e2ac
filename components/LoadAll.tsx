import { useId } from 'react';
import { t, tPlural } from '@/lib/shared/i18n';
import { formatTimeLeft, loadAllProgress, type LoadAllPlan } from '@/lib/shared/load-all';
import type { NeedsConsent } from '@/lib/shared/protocol';
import type { ReportId, TablePage } from '@/lib/shared/reports';
import { ErrorNotice } from './ErrorNotice';
import { formatAmount, formatMoney, formatNumber, formatSpent } from '@/lib/ui/format';
import { reportInSentence } from '@/lib/ui/labels';
import { useNow } from './TableFreshness';
import { Button, mutedText, Notice } from './ui';
import type { LoadAllState } from './useLoadAll';
import { providerName, ProviderId } from '@/lib/shared/providers';
import { moneyOf, addUpSpend } from '@/lib/shared/money';

/** A plan's cost in the provider's unit: "9,900 credits" or "$2.32970". */
function formatEstimate(plan: LoadAllPlan): string {
  return formatMoney(moneyOf(plan.estimate.provider, plan.estimate));
}

export interface LoadAllConfirmProps {
  report: ReportId;
  plan: LoadAllPlan;
  onStart: () => void;
  onCancel: () => void;
}

/** The estimate, shown before anything is spent; Escape or Cancel closes it without a request. */
export function LoadAllConfirm({ report, plan, onStart, onCancel }: LoadAllConfirmProps) {
  const titleId = useId();
  const bodyId = useId();
  const provider = plan.estimate.provider;
  const requests = plan.estimate.requests;
  return (
    <div
      role="dialog"
      aria-labelledby={titleId}
      aria-describedby={bodyId}
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.stopPropagation();
          onCancel();
        }
      }}
      className="rounded border border-blue-300 bg-blue-50 p-3 text-sm text-slate-900 dark:border-blue-700 dark:bg-slate-800 dark:text-slate-100"
    >
      <h2 id={titleId} className="font-semibold">
        {t('loadAll_title', [reportInSentence(report)])}
      </h2>
      <div id={bodyId} className="mt-1 space-y-1">
        <p>
          {tPlural('loadAll_estimate', requests, [
            formatNumber(plan.estimate.rows),
            formatNumber(requests),
            formatNumber(plan.fromPage),
            formatNumber(plan.toPage),
            formatEstimate(plan),
          ])}
        </p>
        {plan.rowsBeyondProviderLimit > 0 && (
          <p>
            {t('loadAll_providerLimit', [providerName(provider), formatNumber(plan.expectedRows), formatNumber(plan.rowsBeyondProviderLimit)])}
          </p>
        )}
        {plan.overPerLookupLimit && (
          <p className="font-semibold text-amber-800 dark:text-amber-300">
            {t('loadAll_overLimit', [formatAmount(provider, plan.limit)])}
          </p>
        )}
        <p className={mutedText}>{t('loadAll_cacheNote')}</p>
      </div>
      <div className="mt-2 flex gap-2">
        {/* Focus moves into the dialog so keyboard and screen-reader users land on it. */}
        <Button autoFocus variant="primary" onClick={onStart}>
          {t('loadAll_start')}
        </Button>
        <Button onClick={onCancel}>{t('loadAll_cancel')}</Button>
      </div>
    </div>
  );
}

export interface LoadAllProgressProps {
  state: Extract<LoadAllState, { phase: 'running' | 'paused' | 'failed' }>;
  provider: ProviderId;
  pages: TablePage[];
  rowsLoaded: number;
  activeMs: () => number;
  onPause: () => void;
  onResume: () => void;
  onCancel: () => void;
}

/** Rows, pages, money spent and time left of a running "Load all", with pause, resume and cancel. */
export function LoadAllProgress({ state, provider, pages, rowsLoaded, activeMs, onPause, onResume, onCancel }: LoadAllProgressProps) {
  const { plan } = state;
  // Time left keeps counting down between pages.
  useNow(state.phase === 'running' ? 1000 : 60_000);
  const progress = loadAllProgress(plan, pages.length - plan.fromPage + 1, activeMs());
  const thisRun = pages.slice(plan.fromPage - 1);
  const spent = addUpSpend(thisRun);
  const expected = plan.expectedRows;
  // The bar shows what its value says (rows of the table loaded), not this run's share of pages.
  const filled = expected > 0 ? Math.min(rowsLoaded, expected) / expected : 1;
  const progressLine = t('loadAll_progress', [
    formatNumber(rowsLoaded),
    formatNumber(expected),
    formatNumber(pages.length),
    formatNumber(plan.toPage),
    formatSpent(spent, provider),
    formatEstimate(plan),
  ]);
  return (
    <section aria-label={t('loadAll_region')} className="space-y-1 rounded border border-slate-300 p-2 text-xs dark:border-slate-600">
      <div
        role="progressbar"
        aria-label={t('loadAll_progressLabel')}
        aria-valuemin={0}
        aria-valuemax={expected}
        aria-valuenow={Math.min(rowsLoaded, expected)}
        aria-valuetext={t('loadAll_progressValue', [formatNumber(rowsLoaded), formatNumber(expected)])}
        className="h-2 overflow-hidden rounded bg-slate-200 dark:bg-slate-700"
      >
        {/* Grown by a transform, not its width: the compositor moves it with no layout or paint on the
            page's thread, which a Load all at full speed needs for its pages. */}
        <div
          data-testid="load-all-bar"
          className="h-full origin-left bg-blue-700 transition-transform motion-reduce:transition-none dark:bg-blue-400"
          style={{ transform: `scaleX(${filled})` }}
        />
      </div>
      <p className={mutedText}>
        {state.phase === 'running'
          ? t('loadAll_progressTimeLeft', [progressLine, formatTimeLeft(progress.msLeft)])
          : state.phase === 'paused'
            ? t('loadAll_progressPaused', [progressLine])
            : progressLine}
      </p>
      {state.phase === 'failed' && <ErrorNotice error={state.error} />}
      <div className="flex gap-2">
        {state.phase === 'running' ? (
          <Button onClick={onPause} className="text-xs">
            {t('loadAll_pause')}
          </Button>
        ) : (
          <Button onClick={onResume} variant="primary" className="text-xs">
            {t('loadAll_resume')}
          </Button>
        )}
        <Button onClick={onCancel} variant="danger" className="text-xs">
          {t('loadAll_cancelLoading')}
        </Button>
      </div>
    </section>
  );
}

/**
 * The background's per-lookup limit held a page back (or a first page above it; the merged table
 * shows one line per provider): nothing is fetched until the user says so.
 */
export function SpendLimitNotice({ limits, onContinue }: { limits: NeedsConsent[]; onContinue: () => void }) {
  // Nothing is loaded yet: the first page alone is above the limit.
  const firstPage = limits.every((needs) => needs.page === 1);
  return (
    <Notice>
      {limits.map((needs) => {
        const limit = formatAmount(needs.provider, needs.limit);
        const nextCost = formatAmount(needs.provider, needs.nextCost);
        return (
          <p key={needs.provider}>
            {needs.page === 1 ? t('spendLimit_firstPage', [nextCost, limit]) : t('spendLimit_reached', [limit, nextCost])}
          </p>
        );
      })}
      <Button className="mt-2 text-xs" onClick={onContinue}>
        {firstPage ? t('spendLimit_loadFirstPage') : t('spendLimit_continue')}
      </Button>
    </Notice>
  );
}
