import { useEffect, useId, useLayoutEffect, useRef, useState } from 'react';
import type { KeyboardEvent, RefObject } from 'react';
import { t } from '@/lib/shared/i18n';
import { capabilityOf, providerIds, providerName } from '@/lib/shared/providers';
import type { Filter, ReportId, Scope } from '@/lib/shared/reports';
import { textFilterFields } from '@/lib/ui/filter-draft';
import { HISTORY_TAB, reportInSentence, tabLabel, type PanelTab } from '@/lib/ui/labels';
import { HistoryTab } from './HistoryTab';
import { LinkGapTab } from './LinkGapTab';
import { MergedRefDomainsTab } from './MergedRefDomainsTab';
import { ReportTab } from './ReportTab';
import { Notice } from './ui';
import type { ProviderId } from '@/lib/shared/providers';

/** The side panel's tables, in the order of `reportIds` (a report joins once its tab is built), and History (charts) last. */
export const sidePanelReports: PanelTab[] = ['refDomains', 'backlinks', 'lostBacklinks', 'anchors', 'topPages', 'outDomains', 'outlinks', 'linkGap', HISTORY_TAB];

/** A provider, or "both" merged (referring domains only). */
export type ProviderChoice = ProviderId | 'both';

export interface ReportTabsProps {
  provider: ProviderChoice;
  target: string;
  scope: Scope;
  pageSize: number;
  /** The selected report when the caller owns it (the side panel's header controls depend on it). */
  selected?: PanelTab;
  onSelect?: (report: PanelTab) => void;
  /** Makes a domain of a table the side panel's target. */
  onLookUp?: (domain: string) => void;
}

/** Why a tab shows no table: the provider lacks the report (and whether the other one has it). */
function notOffered(provider: ProviderId, report: ReportId): string {
  const other = providerIds.find((id) => id !== provider)!;
  return capabilityOf(other, report).supported
    ? t('tabs_notOfferedSwitch', [providerName(provider), reportInSentence(report), providerName(other)])
    : t('tabs_notOffered', [providerName(provider), reportInSentence(report)]);
}

/** Filters one tab hands to another as it opens it; `serial` tells two handovers of the same filters apart. */
interface FilterHandover {
  report: ReportId;
  filters: Filter[];
  serial: number;
}

/** Whether `provider`'s Backlinks table can be filtered to the links with an anchor text. */
function filtersBacklinksByAnchor(provider: ProviderId): boolean {
  const backlinks = capabilityOf(provider, 'backlinks');
  return backlinks.supported && backlinks.filters.includes('contains') && textFilterFields.backlinks.some(({ field }) => field === 'anchor');
}

/** Whether tabs are hidden before / after the visible part of a strip that scrolls sideways. */
function useOverflow(strip: RefObject<HTMLDivElement | null>) {
  const [hidden, setHidden] = useState({ before: false, after: false });
  useLayoutEffect(() => {
    const element = strip.current;
    if (!element) return;
    const update = () => {
      const end = element.scrollWidth - element.clientWidth;
      // A pixel of slack: zoomed layouts scroll to fractions.
      const next = { before: element.scrollLeft > 1, after: element.scrollLeft < end - 1 };
      setHidden((previous) => (previous.before === next.before && previous.after === next.after ? previous : next));
    };
    update();
    element.addEventListener('scroll', update, { passive: true });
    const resized = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(update);
    resized?.observe(element);
    return () => {
      element.removeEventListener('scroll', update);
      resized?.disconnect();
    };
  }, [strip]);
  return hidden;
}

/** A strip edge's arrow: pointer users scroll with it; keyboard users have the arrow keys, so it takes no focus. */
function ScrollHint({ side, onClick }: { side: 'before' | 'after'; onClick: () => void }) {
  const before = side === 'before';
  return (
    <button
      type="button"
      aria-hidden="true"
      tabIndex={-1}
      onClick={onClick}
      data-scroll-hint={side}
      className={`absolute inset-y-0 ${before ? 'left-0 bg-linear-to-r pr-3 pl-0.5' : 'right-0 bg-linear-to-l pr-0.5 pl-3'} from-white from-60% to-transparent text-base leading-none text-slate-600 hover:text-slate-900 dark:from-slate-900 dark:text-slate-300 dark:hover:text-white`}
    >
      {before ? '‹' : '›'}
    </button>
  );
}

/**
 * ARIA tabs (arrow keys, Home, End); only the selected report is mounted, so only it spends. When
 * the tabs do not fit the panel, the strip scrolls sideways: the selected tab is scrolled into
 * view, and an arrow at each edge with hidden tabs shows there are more (and scrolls to them).
 */
export function ReportTabs({ provider, target, scope, pageSize, selected: controlledSelected, onSelect, onLookUp }: ReportTabsProps) {
  const [ownSelected, setOwnSelected] = useState<PanelTab>(sidePanelReports[0]!);
  const selected = controlledSelected ?? ownSelected;
  const setSelected = onSelect ?? setOwnSelected;
  const [handover, setHandover] = useState<FilterHandover | null>(null);
  const tabRefs = useRef(new Map<PanelTab, HTMLButtonElement>());
  const strip = useRef<HTMLDivElement>(null);
  const hidden = useOverflow(strip);
  const baseId = useId();
  const tabId = (report: PanelTab) => `${baseId}-tab-${report}`;
  const panelId = (report: PanelTab) => `${baseId}-panel-${report}`;

  // Whoever selected it (a click, a key, the anchors table), the selected tab is shown whole.
  useEffect(() => {
    tabRefs.current.get(selected)?.scrollIntoView?.({ block: 'nearest', inline: 'nearest' });
  }, [selected]);
  const scrollStrip = (direction: -1 | 1) => {
    const element = strip.current;
    element?.scrollBy?.({ left: direction * element.clientWidth * 0.8, behavior: 'smooth' });
  };

  function select(report: PanelTab) {
    // A tab the user opens starts without filters, as it always did.
    setHandover(null);
    setSelected(report);
    tabRefs.current.get(report)?.focus();
  }

  /** An anchor row's action: the Backlinks tab, filtered to the links whose text contains the anchor. */
  function showAnchorBacklinks(anchor: string) {
    setHandover((previous) => ({ report: 'backlinks', filters: [{ kind: 'contains', field: 'anchor', value: anchor }], serial: (previous?.serial ?? 0) + 1 }));
    setSelected('backlinks');
    tabRefs.current.get('backlinks')?.focus();
  }

  function handleKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const index = sidePanelReports.indexOf(selected);
    const last = sidePanelReports.length - 1;
    const next: Record<string, number> = { ArrowRight: index === last ? 0 : index + 1, ArrowLeft: index === 0 ? last : index - 1, Home: 0, End: last };
    const target = next[event.key];
    if (target === undefined) return;
    event.preventDefault();
    select(sidePanelReports[target]!);
  }

  const isMerged = provider === 'both' && selected === 'refDomains';
  // "Both" exists for referring domains only; other tabs of a "both" panel are Serpstat's.
  const singleProvider: ProviderId = provider === 'both' ? 'serpstat' : provider;
  const capability = selected === HISTORY_TAB ? null : capabilityOf(singleProvider, selected);
  const handedOver = handover?.report === selected ? handover : null;

  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <div className="relative border-b border-slate-300 dark:border-slate-600">
        <div
          ref={strip}
          role="tablist"
          aria-label={t('tabs_reports')}
          onKeyDown={handleKeyDown}
          // scroll-px: a tab scrolled into view clears the edge arrows.
          className="flex scroll-px-6 gap-0.5 overflow-x-auto [scrollbar-width:none] [&::-webkit-scrollbar]:hidden"
        >
          {sidePanelReports.map((report) => {
            const isSelected = report === selected;
            return (
              <button
                key={report}
                ref={(element) => {
                  if (element) tabRefs.current.set(report, element);
                  else tabRefs.current.delete(report);
                }}
                type="button"
                role="tab"
                id={tabId(report)}
                aria-selected={isSelected}
                aria-controls={panelId(report)}
                tabIndex={isSelected ? 0 : -1}
                onClick={() => select(report)}
                // The strip clips what sticks out, so the focus ring is drawn inside the tab.
                className={`shrink-0 border-b-2 px-2.5 py-1.5 text-sm font-medium whitespace-nowrap focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-blue-600 dark:focus-visible:outline-blue-400 ${
                  isSelected
                    ? 'border-blue-700 text-blue-800 dark:border-blue-400 dark:text-blue-300'
                    : 'border-transparent text-slate-600 hover:text-slate-900 dark:text-slate-300 dark:hover:text-white'
                }`}
              >
                {tabLabel(report)}
              </button>
            );
          })}
        </div>
        {hidden.before && <ScrollHint side="before" onClick={() => scrollStrip(-1)} />}
        {hidden.after && <ScrollHint side="after" onClick={() => scrollStrip(1)} />}
      </div>
      <div role="tabpanel" id={panelId(selected)} aria-labelledby={tabId(selected)} className="flex min-h-0 flex-1 flex-col pt-2">
        {selected === HISTORY_TAB || !capability ? (
          <HistoryTab key={`${singleProvider}:${target}:${scope}`} provider={singleProvider} target={target} scope={scope} />
        ) : isMerged ? (
          <MergedRefDomainsTab key={`both:${target}:${scope}`} target={target} scope={scope} pageSize={pageSize} onLookUp={onLookUp} />
        ) : !capability.supported ? (
          <Notice>{notOffered(singleProvider, selected)}</Notice>
        ) : !capability.scopes.includes(scope) ? (
          <Notice>{t('tabs_scopeNotOffered', [providerName(singleProvider), reportInSentence(selected)])}</Notice>
        ) : selected === 'linkGap' ? (
          <LinkGapTab key={singleProvider} provider={singleProvider} capability={capability} target={target} scope={scope} pageSize={pageSize} onLookUp={onLookUp} />
        ) : (
          <ReportTab
            key={`${singleProvider}:${selected}:${handedOver?.serial ?? 0}`}
            provider={singleProvider}
            report={selected}
            capability={capability}
            target={target}
            scope={scope}
            pageSize={pageSize}
            onLookUp={onLookUp}
            initialFilters={handedOver?.filters}
            onShowAnchorBacklinks={selected === 'anchors' && filtersBacklinksByAnchor(singleProvider) ? showAnchorBacklinks : undefined}
          />
        )}
      </div>
    </div>
  );
}
