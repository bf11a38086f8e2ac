import { useId, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import type { ProviderId } from '@/lib/errors';
import { adapters } from '@/lib/providers';
import { reports } from '@/lib/reports';
import type { ReportId, Scope } from '@/lib/reports';
import { providerNames } from './format';
import { ReportTab } from './ReportTab';
import { focusRing, Notice } from './ui';

/** The side panel's tables, in tab order. Backlinks and Outlinks join once their tables land. */
export const sidePanelReports: ReportId[] = ['refDomains', 'outDomains'];

export interface ReportTabsProps {
  provider: ProviderId;
  target: string;
  scope: Scope;
  pageSize: number;
}

/** ARIA tabs (arrow keys, Home, End); only the selected report is mounted, so only it spends. */
export function ReportTabs({ provider, target, scope, pageSize }: ReportTabsProps) {
  const [selected, setSelected] = useState<ReportId>(sidePanelReports[0]!);
  const tabRefs = useRef(new Map<ReportId, HTMLButtonElement>());
  const baseId = useId();
  const tabId = (report: ReportId) => `${baseId}-tab-${report}`;
  const panelId = (report: ReportId) => `${baseId}-panel-${report}`;

  function select(report: ReportId) {
    setSelected(report);
    tabRefs.current.get(report)?.focus();
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

  const capability = adapters[provider].capabilities[selected];

  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <div role="tablist" aria-label="Reports" onKeyDown={handleKeyDown} className="flex gap-1 border-b border-slate-300 dark:border-slate-600">
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
              className={`-mb-px border-b-2 px-3 py-1.5 text-sm font-medium ${focusRing} ${
                isSelected
                  ? 'border-blue-700 text-blue-800 dark:border-blue-400 dark:text-blue-300'
                  : 'border-transparent text-slate-600 hover:text-slate-900 dark:text-slate-300 dark:hover:text-white'
              }`}
            >
              {reports[report].label}
            </button>
          );
        })}
      </div>
      <div role="tabpanel" id={panelId(selected)} aria-labelledby={tabId(selected)} className="flex min-h-0 flex-1 flex-col pt-2">
        {!capability.supported ? (
          <Notice>{capability.reason}</Notice>
        ) : !capability.scopes.includes(scope) ? (
          <Notice>
            {providerNames[provider]} cannot look up {reports[selected].label.toLowerCase()} for this scope. Choose another scope in Options.
          </Notice>
        ) : (
          <ReportTab
            key={`${provider}:${selected}`}
            provider={provider}
            report={selected}
            capability={capability}
            target={target}
            scope={scope}
            pageSize={pageSize}
          />
        )}
      </div>
    </div>
  );
}
