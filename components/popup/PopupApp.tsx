import { useState, useSyncExternalStore } from 'react';
import { browser } from 'wxt/browser';
import { t } from '@/lib/shared/i18n';
import { targetForScope, type Target } from '@/lib/shared/target-parse';
import { handOverLookup } from '@/lib/shared/pending-lookup';
import type { NeedsConsent } from '@/lib/shared/protocol';
import type { Result } from '@/lib/shared/result';
import { sumBilledRetries, type ReportId } from '@/lib/shared/reports';
import { addUpSpend } from '@/lib/shared/money';
import type { PartFacts, SummaryFigure, SummaryTotals, TopDomainsPart, TotalsPart } from '@/lib/shared/summary';
import type { Scope } from '@/lib/shared/reports';
import { snapshotValues } from '@/lib/shared/snapshots';
import { ChangeSinceLastLook, useSiteSnapshots } from '@/components/LookChanges';
import { isSettled, type PopupLookup, type PopupLookupState } from '@/lib/ui/messaging/popup-client';
import { openSidePanel } from '@/lib/ui/browser-actions';
import { DomainForm } from '@/components/DomainForm';
import { ErrorNotice } from '@/components/ErrorNotice';
import { describeBilledRetries, describeCost, formatAgo, formatAmount, formatChange, formatNumber, formatShare, formatSpent } from '@/lib/ui/format';
import { NoKeyNotice } from '@/components/NoKeyNotice';
import { useNow } from '@/components/TableFreshness';
import { displayTarget } from '@/lib/ui/target';
import { Button, mutedText, Notice, Skeleton } from '@/components/ui';
import { providerName, type ProviderId } from '@/lib/shared/providers';

/** The toolbar popup: the active tab's domain, its totals, top referring domains and what that cost. */
export function PopupApp({ lookup }: { lookup: PopupLookup }) {
  const state = useSyncExternalStore(lookup.subscribe, lookup.getState);
  const [panelProblem, setPanelProblem] = useState<string | null>(null);
  // The tab's window comes with the background's first answer; where it could not tell (or is
  // gone), the side panel opens in the popup's current window.
  const answered = Boolean(state?.target || state?.failure);
  const windowId = state?.windowId ?? (answered ? browser.windows.WINDOW_ID_CURRENT : null);

  // While a typed domain is read, the heading keeps showing the site before it.
  const answer = state?.target ?? state?.lastTarget ?? null;
  const target = answer?.target.ok ? answer.target : null;
  const unusableTab = state?.target && !state.target.target.ok && state.input.kind === 'tab' ? state.target.target : null;
  const heading = target && answer ? displayTarget(target, answer.scope) : answer ? t('popup_noSite') : t('popup_readingTab');

  /** Opens the side panel on the popup's site; on `report` when given ("Link gap vs my site"). */
  function handleOpenSidePanel(report?: ReportId) {
    if (windowId === null) return;
    // Called straight from the click: the browser only opens a panel during the user gesture.
    const opened = openSidePanel(windowId);
    // The popup's site is asked for, so the panel shows its tables at once rather than offering
    // Look up; handed over as the context menu does. The panel's pages are a new lookup, while
    // the summary's pages stay in the cache.
    const handedOver = target ? handOverLookup(targetForScope(target, 'url'), windowId, Date.now(), report) : Promise.resolve();
    // A hand-over that failed leaves the panel following the tab, offering Look up: no error to show.
    Promise.all([opened, handedOver.catch(() => undefined)]).then(
      () => window.close(),
      () => setPanelProblem(t('popup_panelNotOpened')),
    );
  }

  return (
    <main className="flex w-[380px] flex-col gap-3 p-3">
      <header className="flex items-center justify-between gap-2">
        <div className="min-w-0">
          <p className={`text-xs font-medium tracking-wide uppercase ${mutedText}`}>{t('extension_name')}</p>
          <h1 className="truncate text-lg font-semibold" title={heading}>
            {heading}
          </h1>
        </div>
        <Button onClick={() => handleOpenSidePanel()} disabled={windowId === null} className="shrink-0">
          {t('popup_openSidePanel')}
        </Button>
      </header>
      {target && (
        <Button onClick={() => handleOpenSidePanel('linkGap')} disabled={windowId === null} className="self-start">
          {t('popup_linkGap')}
        </Button>
      )}
      {panelProblem && <p role="alert" className="text-sm text-red-800 dark:text-red-300">{panelProblem}</p>}

      {unusableTab && !unusableTab.ok && <Notice>{unusableTab.message}</Notice>}

      {state && <Lookup state={state} lookup={lookup} />}

      <DomainForm onTarget={(typed: Target) => lookup.lookUp({ kind: 'typed', text: typed.url ?? typed.host })} />
    </main>
  );
}

function Lookup({ state, lookup }: { state: PopupLookupState; lookup: PopupLookup }) {
  const retry = () => lookup.lookUp(state.input);
  if (state.failure) return <ErrorNotice error={state.failure} onRetry={retry} />;
  if (!state.target) {
    return (
      <div aria-busy="true">
        <Skeleton lines={2} />
      </div>
    );
  }
  const { provider, keyConfigured } = state.target;
  if (!state.target.target.ok) return null;
  if (!keyConfigured) return <NoKeyNotice provider={provider} />;
  if (state.needs) return <OverLimit needs={state.needs} onLookUp={() => lookup.lookUp(state.input, 'continue')} />;
  return <SummaryView provider={provider} asked={targetForScope(state.target.target, state.target.scope)} state={state} onRetry={retry} />;
}

/** The totals and the top referring domains, each shown as soon as its answer is in; the cost once both are. */
function SummaryView({ provider, asked, state, onRetry }: { provider: ProviderId; asked: string; state: PopupLookupState; onRetry: () => void }) {
  const { totals, topDomains } = state;
  const settled = isSettled(state);
  // One failure shown once: both requests usually fail for the same reason (a key, the cap).
  const sameFailure = totals && !totals.ok && topDomains && !topDomains.ok && totals.error.code === topDomains.error.code;
  return (
    <section aria-label={t('popup_summary')} aria-busy={!settled} className="space-y-3">
      {!settled && <p className={`text-sm ${mutedText}`}>{t('popup_lookingUp', [providerName(provider)])}</p>}
      {totals === null ? (
        <div role="progressbar" aria-label={t('popup_loadingSummary')} className="h-1 w-full overflow-hidden rounded bg-slate-200 dark:bg-slate-700">
          <div className="h-full w-1/3 animate-pulse bg-blue-700 dark:bg-blue-400" />
        </div>
      ) : totals.ok ? (
        <>
          <Totals part={totals.data} provider={provider} />
          {totals.data.totals && state.target && (
            <PopupLookChange provider={provider} target={asked} scope={state.target.scope} shownAt={totals.data.fetchedAt} totals={totals.data.totals} />
          )}
        </>
      ) : (
        <ErrorNotice error={totals.error} onRetry={onRetry} />
      )}

      {topDomains === null ? (
        <Skeleton lines={5} />
      ) : topDomains.ok ? (
        <TopDomains rows={topDomains.data.rows} />
      ) : (
        !sameFailure && <ErrorNotice error={topDomains.error} onRetry={onRetry} />
      )}

      {settled && <CostLine provider={provider} parts={[totals, topDomains]} />}
    </section>
  );
}

/**
 * The totals shown against the kept look before them. Asked of the background once the totals are
 * in (their own look is kept by then): free, no provider call.
 */
function PopupLookChange({ provider, target, scope, shownAt, totals }: { provider: ProviderId; target: string; scope: Scope; shownAt: number; totals: SummaryTotals }) {
  const { snapshots } = useSiteSnapshots(provider, target, scope);
  return snapshots && <ChangeSinceLastLook snapshots={snapshots} shownAt={shownAt} values={snapshotValues(totals)} />;
}

function Totals({ part, provider }: { part: TotalsPart; provider: ProviderId }) {
  if (!part.totals) return <p className={`text-sm ${mutedText}`}>{t('popup_noData', [providerName(provider)])}</p>;
  const { referringDomains, backlinks, dofollowBacklinks, outboundDomains, rank } = part.totals;
  return (
    <div role="group" aria-label={t('popup_totals')}>
      <dl className="grid grid-cols-3 gap-2">
        <Total label={t('summary_refDomains')} figure={referringDomains} />
        <Total label={t('summary_backlinks')} figure={backlinks} />
        {dofollowBacklinks && backlinks && backlinks.value > 0 && (
          <Total label={t('summary_dofollow')} figure={dofollowBacklinks} shown={formatShare(dofollowBacklinks.value / backlinks.value)} />
        )}
        <Total label={t('summary_outDomains')} figure={outboundDomains} />
        <Total label={t('summary_rank')} figure={rank} />
      </dl>
    </div>
  );
}

/** One total, with its 7-day change where the provider gives it; a figure the provider does not give is left out. */
function Total({ label, figure, shown }: { label: string; figure: SummaryFigure | null; shown?: string }) {
  if (!figure) return null;
  const change = figure.weekChange;
  return (
    <div className="rounded border border-slate-200 p-2 dark:border-slate-700">
      <dt className={`text-xs ${mutedText}`}>{label}</dt>
      <dd className="text-lg font-semibold tabular-nums">{shown ?? formatNumber(figure.value)}</dd>
      {change !== null && !shown && <dd className={`text-xs tabular-nums ${mutedText}`}>{t('summary_weekChange', [formatChange(change)])}</dd>}
    </div>
  );
}

function TopDomains({ rows }: { rows: TopDomainsPart['rows'] }) {
  return (
    <>
      <table aria-label={t('popup_topRefDomains')} className="w-full border-collapse text-left text-[13px] tabular-nums">
        <thead className="bg-slate-100 dark:bg-slate-800">
          <tr>
            <th scope="col" className="px-2 py-1 font-semibold">{t('column_domain')}</th>
            <th scope="col" className="px-2 py-1 text-right font-semibold">{t('column_rank')}</th>
            <th scope="col" className="px-2 py-1 text-right font-semibold">{t('column_refPages')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => (
            <tr key={`${row.domain}-${index}`} className="border-b border-slate-200 dark:border-slate-700">
              <td className="max-w-48 truncate px-2 py-1" title={row.domain}>{row.domain}</td>
              <td className="px-2 py-1 text-right">{formatNumber(row.rank)}</td>
              <td className="px-2 py-1 text-right">{formatNumber(row.refPages)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 && <p className={`text-sm ${mutedText}`}>{t('popup_noRefDomains')}</p>}
    </>
  );
}

/** What the lookup cost, both requests together, as one line (as the popup always said it). */
function CostLine({ provider, parts }: { provider: ProviderId; parts: (Result<TotalsPart> | Result<TopDomainsPart> | null)[] }) {
  const now = useNow();
  const answered: PartFacts[] = parts.flatMap((part) => (part?.ok ? [part.data] : []));
  if (answered.length === 0) return null;
  const spend = addUpSpend(answered);
  const billedRetries = sumBilledRetries(answered);
  const creditsLeft = answered.findLast((part) => part.creditsLeft !== null)?.creditsLeft ?? null;
  const fromCache = answered.every((part) => part.fromCache);
  const fetchedAt = Math.min(...answered.map((part) => part.fetchedAt));
  return (
    <>
      <p className={`text-xs ${mutedText}`}>
        {fromCache
          ? // The cached balance is as old as the answers: the options page shows the latest one seen.
            t('popup_costFromCache', [formatAgo(fetchedAt, now), formatSpent({ creditsSpent: 0, costUsd: 0 }, provider)])
          : t('popup_lookupCost', [describeCost({ ...spend, creditsLeft }, provider)])}
      </p>
      {billedRetries && <p className={`text-xs ${mutedText}`}>{describeBilledRetries(billedRetries, provider)}</p>}
    </>
  );
}

function OverLimit({ needs, onLookUp }: { needs: NeedsConsent; onLookUp: () => void }) {
  const amount = (value: number) => formatAmount(needs.provider, value);
  return (
    <Notice>
      <p>{t('popup_overLimit', [amount(needs.nextCost), amount(needs.limit)])}</p>
      <Button className="mt-2" onClick={onLookUp}>
        {t('popup_overLimitLookUp', [amount(needs.nextCost)])}
      </Button>
    </Notice>
  );
}
