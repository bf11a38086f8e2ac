import { useId } from 'react';
import { t } from '@/lib/shared/i18n';
import { capabilityOf, providerIds, providerName } from '@/lib/shared/providers';
import { reportIds, scopes } from '@/lib/shared/reports';
import type { Scope } from '@/lib/shared/reports';
import { chartScopes, historyChartsOf } from '@/lib/shared/charts';
import { HISTORY_TAB, type PanelTab } from '@/lib/ui/labels';
import { scopeLabel } from '@/lib/ui/labels';
import type { ProviderChoice } from './ReportTabs';
import { fieldClass } from './ui';
import type { ProviderId } from '@/lib/shared/providers';


/** The Provider select's options for a report: "Both (merge)" only for referring domains. */
export function providerChoices(report: PanelTab): { value: ProviderChoice; label: string }[] {
  const single = providerIds.map((id) => ({ value: id as ProviderChoice, label: providerName(id) }));
  return report === 'refDomains' ? [...single, { value: 'both', label: t('controls_both') }] : single;
}

/** "Both" is kept while the user looks at another tab, where the default provider stands in. */
export function effectiveProvider(choice: ProviderChoice, report: PanelTab, fallback: ProviderId): ProviderChoice {
  return choice === 'both' && report !== 'refDomains' ? fallback : choice;
}

/** Scopes one provider offers for a report; for a report it lacks, those of its other reports. */
function providerScopes(provider: ProviderId, report: PanelTab): Scope[] {
  if (report === HISTORY_TAB) return chartScopes(provider, historyChartsOf(provider));
  const capability = capabilityOf(provider, report);
  if (capability.supported) return capability.scopes;
  return scopes.filter((scope) => reportIds.some((id) => {
    const other = capabilityOf(provider, id);
    return other.supported && other.scopes.includes(scope);
  }));
}

/**
 * The scopes the Scope select offers: those the provider lists for the report ("both": those
 * both list), and "This page" only when the target is a page's address.
 */
export function scopeChoices(provider: ProviderChoice, report: PanelTab, hasPageUrl: boolean): Scope[] {
  const offered =
    provider === 'both'
      ? providerScopes('serpstat', report).filter((scope) => providerScopes('dataforseo', report).includes(scope))
      : providerScopes(provider, report);
  return offered.filter((scope) => scope !== 'url' || hasPageUrl);
}

/** The chosen scope when it is offered, else the first one offered (the select shows which). */
export function effectiveScope(chosen: Scope, offered: Scope[]): Scope {
  return offered.includes(chosen) ? chosen : (offered[0] ?? chosen);
}

const selectClass = `${fieldClass} w-auto`;

export interface ReportControlsProps {
  report: PanelTab;
  provider: ProviderChoice;
  scope: Scope;
  scopeOptions: Scope[];
  onProviderChange: (provider: ProviderChoice) => void;
  onScopeChange: (scope: Scope) => void;
}

/** The side panel header's "Provider" and "Scope" selects. */
export function ReportControls({ report, provider, scope, scopeOptions, onProviderChange, onScopeChange }: ReportControlsProps) {
  const providerId = useId();
  const scopeId = useId();
  return (
    <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm">
      <div className="flex items-center gap-1.5">
        <label htmlFor={providerId} className="font-medium">
          {t('controls_provider')}
        </label>
        <select id={providerId} className={selectClass} value={provider} onChange={(event) => onProviderChange(event.target.value as ProviderChoice)}>
          {providerChoices(report).map((choice) => (
            <option key={choice.value} value={choice.value}>
              {choice.label}
            </option>
          ))}
        </select>
      </div>
      <div className="flex items-center gap-1.5">
        <label htmlFor={scopeId} className="font-medium">
          {t('controls_scope')}
        </label>
        <select id={scopeId} className={selectClass} value={scope} disabled={scopeOptions.length === 0} onChange={(event) => onScopeChange(event.target.value as Scope)}>
          {scopeOptions.map((option) => (
            <option key={option} value={option}>
              {scopeLabel(option)}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}
