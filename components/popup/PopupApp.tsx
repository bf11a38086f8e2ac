import { useEffect, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { browser } from 'wxt/browser';
import { t } from '@/lib/shared/i18n';
import type { TargetParse, Target } from '@/lib/shared/target-parse';
import { resolveTarget } from '@/lib/ui/resolve-target';
import type { Scope } from '@/lib/shared/reports';
import { handOverLookup } from '@/lib/shared/pending-lookup';
import { isNeedsConsent, type NeedsConsent } from '@/lib/shared/protocol';
import { keyStatusQuery, summaryQuery, toLensError } from '@/lib/ui/queries';
import { openSidePanel } from '@/lib/ui/browser-actions';
import { DomainForm } from '@/components/DomainForm';
import { ErrorNotice } from '@/components/ErrorNotice';
import { describeBilledRetries, describeCost, formatAgo, formatAmount, formatNumber, formatSpent } from '@/lib/ui/format';
import { NoKeyNotice } from '@/components/NoKeyNotice';
import { useNow } from '@/components/TableFreshness';
import { displayTarget, targetForScope } from '@/lib/ui/target';
import { Button, mutedText, Notice, Skeleton } from '@/components/ui';
import { usePreferences } from '@/components/usePreferences';
import { providerName, ProviderId } from '@/lib/shared/providers';

interface ActiveTab {
  windowId: number;
  parse: TargetParse;
}

/** The toolbar popup: the active tab's domain, its totals, top referring domains and what that cost. */
export function PopupApp() {
  const [activeTab, setActiveTab] = useState<ActiveTab | null>(null);
  const [typedTarget, setTypedTarget] = useState<Target | null>(null);
  const [panelProblem, setPanelProblem] = useState<string | null>(null);
  const preferences = usePreferences();

  useEffect(() => {
    void browser.tabs.query({ active: true, currentWindow: true }).then(async ([tab]) => {
      const parse = await resolveTarget('tab', tab?.url ?? '');
      setActiveTab({ windowId: tab?.windowId ?? browser.windows.WINDOW_ID_CURRENT, parse });
    });
  }, []);

  const tabTarget = activeTab?.parse.ok ? activeTab.parse : null;
  const target = typedTarget ?? tabTarget;
  const unusableTab = activeTab && !activeTab.parse.ok ? activeTab.parse : null;
  const heading = target
    ? displayTarget(target, preferences?.scope ?? 'domain_with_subdomains')
    : activeTab
      ? t('popup_noSite')
      : t('popup_readingTab');

  function handleOpenSidePanel() {
    if (!activeTab) return;
    // Called straight from the click: the browser only opens a panel during the user gesture.
    const opened = openSidePanel(activeTab.windowId);
    // The popup's site is asked for, so the panel shows its tables at once rather than offering
    // Look up; handed over as the context menu does. The panel's pages are a new lookup, while
    // the summary's pages stay in the cache.
    const handedOver = target ? handOverLookup(targetForScope(target, 'url'), activeTab.windowId) : Promise.resolve();
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
        <Button onClick={handleOpenSidePanel} disabled={!activeTab} className="shrink-0">
          {t('popup_openSidePanel')}
        </Button>
      </header>
      {panelProblem && <p role="alert" className="text-sm text-red-800 dark:text-red-300">{panelProblem}</p>}

      {unusableTab && !typedTarget && <Notice>{unusableTab.message}</Notice>}

      {target && preferences && <Lookup provider={preferences.provider} scope={preferences.scope} target={target} />}

      <DomainForm onTarget={setTypedTarget} />
    </main>
  );
}

function Lookup({ provider, scope, target }: { provider: ProviderId; scope: Scope; target: Target }) {
  const keyStatus = useQuery(keyStatusQuery());
  if (keyStatus.isPending) {
    return (
      <div aria-busy="true">
        <Skeleton lines={2} />
      </div>
    );
  }
  if (keyStatus.isError) return <ErrorNotice error={toLensError(keyStatus.error)} onRetry={() => void keyStatus.refetch()} />;
  if (!keyStatus.data[provider].configured) return <NoKeyNotice provider={provider} />;
  return <SummaryView provider={provider} scope={scope} target={targetForScope(target, scope)} />;
}

function SummaryView({ provider, scope, target }: { provider: ProviderId; scope: Scope; target: string }) {
  // The background answers "above your per-lookup limit" instead of spending; the click is forwarded as consent.
  const [consent, setConsent] = useState<'continue' | undefined>(undefined);
  const summary = useQuery(summaryQuery(provider, target, scope, consent));
  const now = useNow();

  if (summary.isPending) {
    return (
      <section aria-label={t('popup_summary')} aria-busy="true" className="space-y-2">
        <p className={`text-sm ${mutedText}`}>{t('popup_lookingUp', [providerName(provider)])}</p>
        <div role="progressbar" aria-label={t('popup_loadingSummary')} className="h-1 w-full overflow-hidden rounded bg-slate-200 dark:bg-slate-700">
          <div className="h-full w-1/3 animate-pulse bg-blue-700 dark:bg-blue-400" />
        </div>
        <Skeleton lines={5} />
      </section>
    );
  }
  if (summary.isError) return <ErrorNotice error={toLensError(summary.error)} onRetry={() => void summary.refetch()} />;

  const data = summary.data;
  if (isNeedsConsent(data)) return <OverLimit needs={data} onLookUp={() => setConsent('continue')} />;
  return (
    <section aria-label={t('popup_summary')} aria-busy="false" className="space-y-3">
      <dl className={`grid gap-2 ${data.backlinks == null ? 'grid-cols-2' : 'grid-cols-3'}`}>
        <Total label={t('summary_refDomains')} value={data.referringDomains} />
        <Total label={t('summary_outDomains')} value={data.outboundDomains} />
        {data.backlinks != null && <Total label={t('summary_backlinks')} value={data.backlinks} />}
      </dl>

      <table aria-label={t('popup_topRefDomains')} className="w-full border-collapse text-left text-[13px] tabular-nums">
        <thead className="bg-slate-100 dark:bg-slate-800">
          <tr>
            <th scope="col" className="px-2 py-1 font-semibold">{t('column_domain')}</th>
            <th scope="col" className="px-2 py-1 text-right font-semibold">{t('column_rank')}</th>
            <th scope="col" className="px-2 py-1 text-right font-semibold">{t('column_refPages')}</th>
          </tr>
        </thead>
        <tbody>
          {data.topReferringDomains.slice(0, 10).map((row, index) => (
            <tr key={`${row.domain}-${index}`} className="border-b border-slate-200 dark:border-slate-700">
              <td className="max-w-48 truncate px-2 py-1" title={row.domain}>{row.domain}</td>
              <td className="px-2 py-1 text-right">{formatNumber(row.rank)}</td>
              <td className="px-2 py-1 text-right">{formatNumber(row.refPages)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {data.topReferringDomains.length === 0 && <p className={`text-sm ${mutedText}`}>{t('popup_noRefDomains')}</p>}

      <p className={`text-xs ${mutedText}`}>
        {data.fromCache
          ? // The cached balance is as old as the pages: the options page shows the latest one seen.
            t('popup_costFromCache', [formatAgo(data.fetchedAt, now), formatSpent({ creditsSpent: 0, costUsd: 0 }, provider)])
          : t('popup_lookupCost', [describeCost(data, provider)])}
      </p>
      {data.billedRetries && <p className={`text-xs ${mutedText}`}>{describeBilledRetries(data.billedRetries, provider)}</p>}
    </section>
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

function Total({ label, value }: { label: string; value: number | null }) {
  return (
    <div className="rounded border border-slate-200 p-2 dark:border-slate-700">
      <dt className={`text-xs ${mutedText}`}>{label}</dt>
      <dd className="text-lg font-semibold tabular-nums">{formatNumber(value)}</dd>
    </div>
  );
}
