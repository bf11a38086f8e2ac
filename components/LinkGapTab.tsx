import { useId, useMemo, useState } from 'react';
import { t } from '@/lib/shared/i18n';
import { providerName, type ProviderId, type ReportCapability } from '@/lib/shared/providers';
import { columnsFor, type ColumnDef, type Comparison, type LinkGapMatch, type Scope } from '@/lib/shared/reports';
import { openOptionsPage } from '@/lib/ui/browser-actions';
import { localizeColumns } from '@/lib/ui/labels';
import { targetForScope } from '@/lib/shared/target-parse';
import { DomainForm } from './DomainForm';
import { LinkGapOverlap } from './LinkGapOverlap';
import { ReportTab } from './ReportTab';
import { Button, fieldClass, mutedText, Notice, Skeleton } from './ui';
import { usePreferences } from './usePreferences';

type SupportedCapability = Extract<ReportCapability, { supported: true }>;

/** The link-count columns, one per competitor compared. */
const linkColumnIds = ['linksTo1', 'linksTo2', 'linksTo3'];

/** The table's columns: one "Links to rival.com" per competitor compared. */
function linkGapColumns(provider: ProviderId, competitors: string[]): ColumnDef[] {
  return localizeColumns(columnsFor('linkGap', provider)).flatMap((column) => {
    const position = linkColumnIds.indexOf(column.id);
    if (position < 0) return [column];
    const competitor = competitors[position];
    return competitor ? [{ ...column, label: t('column_linksToSite', [competitor]) }] : [];
  });
}

/** A domain as the providers tell sites apart: any case, with or without www. */
const siteKey = (domain: string) => domain.toLowerCase().replace(/^www\./, '');

export interface LinkGapTabProps {
  provider: ProviderId;
  capability: SupportedCapability;
  /** The competitor: the panel's target, already chosen for the scope. */
  target: string;
  scope: Scope;
  pageSize: number;
  onLookUp?: (domain: string) => void;
}

/**
 * Link gap: the domains that link to the panel's site (a competitor) and not to my site, with up
 * to two more competitors (any or all of them). Nothing is asked without my site, or on it.
 */
export function LinkGapTab(props: LinkGapTabProps) {
  const preferences = usePreferences();
  if (!preferences) {
    return (
      <div aria-busy="true">
        <Skeleton lines={3} />
      </div>
    );
  }
  const mySites = preferences.mySites ?? [];
  if (mySites.length === 0) {
    return (
      <Notice>
        <p>{t('linkGap_noMySite')}</p>
        <Button variant="primary" className="mt-2" onClick={() => openOptionsPage('mySites')}>
          {t('linkGap_setMySite')}
        </Button>
      </Notice>
    );
  }
  if (mySites.some((site) => siteKey(site) === siteKey(props.target))) {
    return (
      <Notice>
        <p className="mb-2">{t('linkGap_ownSite', [props.target])}</p>
        <DomainForm
          label={t('linkGap_competitorDomain')}
          name={t('linkGap_competitorSearch')}
          onTarget={(parsed) => props.onLookUp?.(targetForScope(parsed, props.scope))}
        />
      </Notice>
    );
  }
  return <LinkGapTable {...props} mySites={mySites} />;
}

function LinkGapTable({ provider, capability, target, scope, pageSize, onLookUp, mySites }: LinkGapTabProps & { mySites: string[] }) {
  const [chosenSite, setChosenSite] = useState<string | null>(null);
  const [competitors, setCompetitors] = useState<string[]>([]);
  const [chosenMatch, setChosenMatch] = useState<LinkGapMatch>('any');
  const mySiteId = useId();
  const mySite = chosenSite && mySites.includes(chosenSite) ? chosenSite : mySites[0]!;
  const matches = capability.matches ?? ['all'];
  const match = matches.includes(chosenMatch) ? chosenMatch : matches[0]!;
  // Another provider may compare fewer: the competitors past its limit wait, unused.
  const maxCompetitors = capability.maxCompetitors ?? 1;
  const compared = useMemo(() => competitors.slice(0, maxCompetitors - 1), [competitors, maxCompetitors]);
  const comparison = useMemo<Comparison>(() => ({ mySite, competitors: compared, match }), [mySite, compared, match]);
  const all = [target, ...compared];
  const columns = useMemo<ColumnDef[]>(() => linkGapColumns(provider, [target, ...compared]), [provider, target, compared]);
  const canAdd = all.length < maxCompetitors;
  const isCompared = (domain: string) => [...all, mySite].some((site) => siteKey(site) === siteKey(domain));

  return (
    <div className="flex min-h-0 flex-1 flex-col gap-2">
      <div className="space-y-2 text-sm">
        <p>{t(compared.length === 0 ? 'linkGap_explained' : match === 'all' ? 'linkGap_explainedAll' : 'linkGap_explainedAny', [all.join(', '), mySite])}</p>
        {mySites.length > 1 && (
          <div className="flex items-center gap-2">
            <label htmlFor={mySiteId} className="font-medium">
              {t('linkGap_mySite')}
            </label>
            <select id={mySiteId} className={fieldClass} value={mySite} onChange={(event) => setChosenSite(event.target.value)}>
              {mySites.map((site) => (
                <option key={site} value={site}>
                  {site}
                </option>
              ))}
            </select>
          </div>
        )}
        {compared.length > 0 && (
          <ul className="flex flex-wrap gap-2" aria-label={t('linkGap_competitors')}>
            {compared.map((domain) => (
              <li key={domain} className="inline-flex items-center gap-1 rounded border border-slate-300 px-2 py-0.5 dark:border-slate-600">
                {domain}
                <Button className="px-1 py-0 text-xs" aria-label={t('linkGap_removeCompetitor', [domain])} onClick={() => setCompetitors((list) => list.filter((item) => item !== domain))}>
                  ×
                </Button>
              </li>
            ))}
          </ul>
        )}
        {canAdd && (
          <DomainForm
            label={t('linkGap_anotherCompetitor')}
            name={t('linkGap_addCompetitor')}
            submitLabel={t('linkGap_addCompetitor')}
            refuse={(parsed) => (isCompared(targetForScope(parsed, scope)) ? t('linkGap_alreadyCompared', [targetForScope(parsed, scope)]) : null)}
            onTarget={(parsed) => setCompetitors([...compared, targetForScope(parsed, scope)])}
          />
        )}
        {!canAdd && competitors.length > compared.length && <p className={mutedText}>{t('linkGap_tooManyCompetitors', [providerName(provider), String(maxCompetitors)])}</p>}
        {compared.length > 0 &&
          (matches.length > 1 ? (
            <fieldset className="flex flex-wrap items-center gap-3">
              <legend className="float-left mr-2 font-medium">{t('linkGap_matchLegend')}</legend>
              {matches.map((option) => (
                <label key={option} className="inline-flex items-center gap-1">
                  <input type="radio" name="linkGapMatch" value={option} checked={match === option} onChange={() => setChosenMatch(option)} />
                  {t(option === 'any' ? 'linkGap_matchAny' : 'linkGap_matchAll')}
                </label>
              ))}
            </fieldset>
          ) : (
            <p className={mutedText}>{t('linkGap_allOnly', [providerName(provider)])}</p>
          ))}
      </div>
      <LinkGapOverlap
        key={`${provider}:overlap:${mySite}:${compared.join(',')}`}
        provider={provider}
        capability={capability}
        table={{ provider, report: 'linkGap', target, scope, filters: [], pageSize, comparison }}
      />
      <ReportTab
        key={`${provider}:linkGap:${mySite}:${compared.join(',')}:${match}`}
        provider={provider}
        report="linkGap"
        capability={capability}
        target={target}
        scope={scope}
        pageSize={pageSize}
        onLookUp={onLookUp}
        comparison={comparison}
        columns={columns}
      />
    </div>
  );
}
