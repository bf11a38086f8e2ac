import { useId } from 'react';
import type { BudgetSettings } from '@/lib/budget';
import type { ProviderId } from '@/lib/errors';
import { formatTimeLeft, loadAllProgress, type LoadAllPlan } from '@/lib/load-all';
import type { TablePage } from '@/lib/reports';
import { ErrorNotice } from './ErrorNotice';
import { formatCostUsd, formatCredits, formatNumber, formatSpent, providerNames } from './format';
import { useNow } from './TableFreshness';
import { Button, mutedText, Notice } from './ui';
import type { LoadAllState } from './useLoadAll';

/** A plan's cost in the provider's unit: "9,900 credits" or "$2.32970". */
function formatEstimate(plan: LoadAllPlan): string {
  return plan.estimate.provider === 'serpstat' ? formatCredits(plan.estimate.credits) : formatCostUsd(plan.estimate.usd);
}

function formatLimit(provider: ProviderId, budget: BudgetSettings): string {
  return provider === 'serpstat' ? formatCredits(budget.perLookupCredits) : formatCostUsd(budget.perLookupUsd);
}

export interface LoadAllConfirmProps {
  label: string;
  plan: LoadAllPlan;
  budget: BudgetSettings;
  onStart: () => void;
  onCancel: () => void;
}

/** The estimate, shown before anything is spent; Escape or Cancel closes it without a request. */
export function LoadAllConfirm({ label, plan, budget, onStart, onCancel }: LoadAllConfirmProps) {
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
        Load all {label.toLowerCase()}?
      </h2>
      <div id={bodyId} className="mt-1 space-y-1">
        <p>
          {formatNumber(plan.estimate.rows)} more rows in {formatNumber(requests)} {requests === 1 ? 'request' : 'requests'} (pages{' '}
          {formatNumber(plan.fromPage)}–{formatNumber(plan.toPage)}), estimated cost <strong>{formatEstimate(plan)}</strong>.
        </p>
        {plan.rowsBeyondProviderLimit > 0 && (
          <p>
            {providerNames[provider]} sends at most {formatNumber(plan.expectedRows)} rows for one query, so{' '}
            {formatNumber(plan.rowsBeyondProviderLimit)} rows stay out. Add a filter to reach them.
          </p>
        )}
        {plan.overPerLookupLimit && (
          <p className="font-semibold text-amber-800 dark:text-amber-300">
            That is above your limit of {formatLimit(provider, budget)} per lookup.
          </p>
        )}
        <p className={mutedText}>Pages already fetched come from the cache for free. You can pause or cancel at any time; loaded rows stay.</p>
      </div>
      <div className="mt-2 flex gap-2">
        {/* Focus moves into the dialog so keyboard and screen-reader users land on it. */}
        <Button autoFocus variant="primary" onClick={onStart}>
          Start loading
        </Button>
        <Button onClick={onCancel}>Cancel</Button>
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
  const spent = {
    creditsSpent: thisRun.reduce((sum, page) => sum + page.creditsSpent, 0),
    costUsd: thisRun.reduce((sum, page) => sum + page.costUsd, 0),
  };
  const expected = plan.expectedRows;
  const percent = Math.round(progress.fraction * 100);
  return (
    <section aria-label="Load all" className="space-y-1 rounded border border-slate-300 p-2 text-xs dark:border-slate-600">
      <div
        role="progressbar"
        aria-label="Loading all rows"
        aria-valuemin={0}
        aria-valuemax={expected}
        aria-valuenow={Math.min(rowsLoaded, expected)}
        aria-valuetext={`${formatNumber(rowsLoaded)} of ${formatNumber(expected)} rows`}
        className="h-2 overflow-hidden rounded bg-slate-200 dark:bg-slate-700"
      >
        <div className="h-full bg-blue-700 transition-[width] dark:bg-blue-400" style={{ width: `${percent}%` }} />
      </div>
      <p className={mutedText}>
        {formatNumber(rowsLoaded)} / {formatNumber(expected)} rows · page {formatNumber(pages.length)} of {formatNumber(plan.toPage)} · spent {formatSpent(spent, provider)} of about {formatEstimate(plan)}
        {state.phase === 'running' && ` · ${formatTimeLeft(progress.msLeft)}`}
        {state.phase === 'paused' && ' · paused'}
      </p>
      {state.phase === 'failed' && <ErrorNotice error={state.error} />}
      <div className="flex gap-2">
        {state.phase === 'running' ? (
          <Button onClick={onPause} className="text-xs">
            Pause
          </Button>
        ) : (
          <Button onClick={onResume} variant="primary" className="text-xs">
            Resume
          </Button>
        )}
        <Button onClick={onCancel} variant="danger" className="text-xs">
          Cancel loading
        </Button>
      </div>
    </section>
  );
}

/** The per-lookup limit reached (or a first page above it): nothing is fetched until the user says so. */
export function SpendLimitNotice({
  provider,
  budget,
  nextCost,
  firstPage = false,
  onContinue,
}: {
  provider: ProviderId;
  budget: BudgetSettings;
  nextCost: string;
  /** Nothing is loaded yet: the first page alone is above the limit. */
  firstPage?: boolean;
  onContinue: () => void;
}) {
  const limit = formatLimit(provider, budget);
  return (
    <Notice>
      <p>
        {firstPage
          ? `The first page of this table costs up to ${nextCost}, above your limit of ${limit} per lookup. A page already in the cache is free.`
          : `This table has reached your limit of ${limit} per lookup. The next page costs about ${nextCost}.`}
      </p>
      <Button className="mt-2 text-xs" onClick={onContinue}>
        {firstPage ? 'Load the first page' : 'Continue loading'}
      </Button>
    </Notice>
  );
}
