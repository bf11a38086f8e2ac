import { useCallback, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { estimateCost } from '@/lib/shared/budget';
import { resolveTarget } from '@/lib/ui/resolve-target';
import { t } from '@/lib/shared/i18n';
import type { Scope } from '@/lib/shared/reports';
import type { PanelTab } from '@/lib/ui/labels';
import { keyStatusQuery, toLensError } from '@/lib/ui/queries';
import { DomainForm } from '@/components/DomainForm';
import { ErrorNotice } from '@/components/ErrorNotice';
import { NoKeyNotice } from '@/components/NoKeyNotice';
import { effectiveProvider, effectiveScope, ReportControls, scopeChoices } from '@/components/ReportControls';
import { ReportTabs } from '@/components/ReportTabs';
import type { ProviderChoice } from '@/components/ReportTabs';
import { displayTarget } from '@/lib/ui/target';
import { formatMoney } from '@/lib/ui/format';
import { Button, Notice, Skeleton } from '@/components/ui';
import { usePreferences } from '@/components/usePreferences';
import type { Preferences } from '@/components/usePreferences';
import { TargetNavigation } from './TargetNavigation';
import { useFollowedTarget } from './useFollowedTarget';
import { moneyOf } from '@/lib/shared/money';
import { ProviderId, providerIds, providerName } from '@/lib/shared/providers';
import { SiteLooks } from '@/components/LookChanges';
import { targetForScope, type Target } from '@/lib/shared/target-parse';

/** What the header's controls show: the user's choice, or the saved default until they choose. */
interface Choices {
  provider: ProviderChoice;
  scope: Scope;
  report: PanelTab;
  scopeOptions: Scope[];
}

/** The side panel: full report tables for the followed tab's domain, or any domain typed in. */
export function SidePanelApp({ initialTarget }: { initialTarget: string | null }) {
  const { followed, pinned, canGoBack, canGoForward, lookUp, back, forward, setPinned, confirm, requestedReport } = useFollowedTarget(initialTarget);
  const preferences = usePreferences();
  const [chosenProvider, setChosenProvider] = useState<ProviderChoice | null>(null);
  const [chosenScope, setChosenScope] = useState<Scope | null>(null);
  const [report, setReport] = useState<PanelTab>('refDomains');
  // A hand-over that names a report opens it (adjusted while rendering, not in an effect).
  const [takenRequest, setTakenRequest] = useState(requestedReport);
  if (requestedReport !== takenRequest) {
    setTakenRequest(requestedReport);
    if (requestedReport) setReport(requestedReport.report);
  }
  const target = followed.state === 'ready' && followed.parse.ok ? followed.parse : null;
  // The site on screen: a settled target, or the one the tab is settling on.
  const shown = followed.state === 'settling' ? followed.parse : target;
  // Following without looking up: a site the tab settled on waits for Look up.
  const awaitsLookUp = followed.state === 'ready' && !followed.chosen && preferences !== null && !preferences.lookUpFollowedTab;

  let choices: Choices | null = null;
  if (preferences) {
    const provider = effectiveProvider(chosenProvider ?? preferences.provider, report, preferences.provider);
    // A typed domain has no page of its own, so "This page" needs a tab's page address.
    const scopeOptions = scopeChoices(provider, report, Boolean(shown?.url));
    choices = { provider, report, scopeOptions, scope: effectiveScope(chosenScope ?? preferences.scope, scopeOptions) };
  }

  const onLookUp = useCallback((domain: string) => void resolveTarget('typed', domain).then(lookUp), [lookUp]);

  const heading = shown
    ? displayTarget(shown, choices?.scope ?? 'domain_with_subdomains')
    : followed.state === 'loading'
      ? t('popup_readingTab')
      : t('popup_noSite');

  return (
    <main className="flex h-screen min-h-0 flex-col gap-2 p-3">
      <header className="space-y-2">
        <div className="flex items-center justify-between gap-2">
          <h1 className="min-w-0 truncate text-lg font-semibold" title={heading}>
            {heading}
          </h1>
          <TargetNavigation
            pinned={pinned}
            canGoBack={canGoBack}
            canGoForward={canGoForward}
            onBack={back}
            onForward={forward}
            onPinnedChange={setPinned}
          />
        </div>
        <DomainForm onTarget={lookUp} />
        {choices && (
          <ReportControls
            report={choices.report}
            provider={choices.provider}
            scope={choices.scope}
            scopeOptions={choices.scopeOptions}
            onProviderChange={setChosenProvider}
            onScopeChange={setChosenScope}
          />
        )}
        {target && choices && <HeaderLooks provider={choices.provider} target={targetForScope(target, choices.scope)} scope={choices.scope} />}
      </header>

      {followed.state === 'none' && <Notice>{t('sidepanel_switchTab')}</Notice>}
      {followed.state === 'ready' && !followed.parse.ok && <Notice>{followed.parse.message}</Notice>}
      {followed.state === 'settling' && (
        <p role="status" className="text-sm">
          {t('sidepanel_settling')}
        </p>
      )}
      {target && preferences && choices && (
        <Reports
          target={target}
          preferences={preferences}
          choices={choices}
          onSelectReport={setReport}
          onLookUp={onLookUp}
          onConfirm={awaitsLookUp ? confirm : null}
        />
      )}
    </main>
  );
}

/** The change since the last look at the site and the history of looks, per provider shown (free: kept in the background). */
function HeaderLooks({ provider, target, scope }: { provider: ProviderChoice; target: string; scope: Scope }) {
  if (provider !== 'both') return <SiteLooks provider={provider} target={target} scope={scope} />;
  return providerIds.map((one) => <SiteLooks key={one} provider={one} target={target} scope={scope} label={providerName(one)} />);
}

/** What the first page of the open table costs at most, in each provider's unit (a cached page costs nothing). */
function firstPageCost(provider: ProviderChoice, pageSize: number): string {
  const pageOne = { fromPage: 1, toPage: 1, pageSize, total: null };
  const cost = (one: ProviderId) => formatMoney(moneyOf(one, estimateCost(one, pageOne)));
  return provider === 'both' ? t('sidepanel_costBoth', [cost('serpstat'), cost('dataforseo')]) : cost(provider);
}

interface ReportsProps {
  target: Target;
  preferences: Preferences;
  choices: Choices;
  onSelectReport: (report: PanelTab) => void;
  onLookUp: (domain: string) => void;
  /** Set while the followed tab's site waits for **Look up** (following without looking up). */
  onConfirm: (() => void) | null;
}

function Reports({ target, preferences, choices, onSelectReport, onLookUp, onConfirm }: ReportsProps) {
  const keyStatus = useQuery(keyStatusQuery());
  if (keyStatus.isPending) {
    return (
      <div aria-busy="true">
        <Skeleton lines={4} />
      </div>
    );
  }
  if (keyStatus.isError) return <ErrorNotice error={toLensError(keyStatus.error)} onRetry={() => void keyStatus.refetch()} />;
  const providers = choices.provider === 'both' ? providerIds : [choices.provider];
  const missingKey = providers.find((provider) => !keyStatus.data[provider].configured);
  // No request without a key; the Provider select above can switch to a configured one.
  if (missingKey) return <NoKeyNotice provider={missingKey} />;
  if (onConfirm) {
    return (
      <div className="flex flex-wrap items-center gap-2">
        <Notice>{t('sidepanel_notLookedUp')}</Notice>
        <Button variant="primary" onClick={onConfirm}>
          {t('sidepanel_lookUpWithCost', [firstPageCost(choices.provider, preferences.pageSize)])}
        </Button>
      </div>
    );
  }
  return (
    <ReportTabs
      provider={choices.provider}
      target={targetForScope(target, choices.scope)}
      scope={choices.scope}
      pageSize={preferences.pageSize}
      selected={choices.report}
      onSelect={onSelectReport}
      onLookUp={onLookUp}
    />
  );
}
