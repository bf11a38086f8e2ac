import { useEffect, useId, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { changedCriteriaCount, draftFromFilters, emptyDraft, filtersFromDraft, flagLabels, offeredAttributes, textFilterFields } from '@/lib/ui/filter-draft';
import type { FilterDraft, FilterFlag, LinkAttribute } from '@/lib/ui/filter-draft';
import { t } from '@/lib/shared/i18n';
import type { ReportCapability } from '@/lib/shared/providers';
import type { Filter, ReportId } from '@/lib/shared/reports';
import { Button, fieldClass, mutedText } from './ui';

type SupportedCapability = Extract<ReportCapability, { supported: true }>;

export interface FilterBarProps {
  report: ReportId;
  capability: SupportedCapability;
  /** Called with the filters to ask the provider for (a new table), on Apply or Clear. */
  onApply: (filters: Filter[]) => void;
  /** Filters already applied when the bar appears (handed over from another tab). */
  initialFilters?: Filter[];
}

const textModeLabels: Record<FilterDraft['textMode'], string> = { contains: t('filter_contains'), notContains: t('filter_notContains') };

/** Typing in a field must not be stolen by the "/" shortcut. */
function isEditable(element: EventTarget | null): boolean {
  if (!(element instanceof HTMLElement)) return false;
  return element.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(element.tagName);
}

function toggled<T>(list: T[], value: T, on: boolean): T[] {
  return on ? [...list, value] : list.filter((item) => item !== value);
}

/**
 * The filters a provider offers for one report (capability.filters, capability.flags), applied on
 * the server: Apply turns the draft into filters and so into a new TableQuery. "/" focuses the text box.
 * Only the text box and its buttons take a row; the other criteria fold under "More filters" so a
 * narrow side panel keeps its height for the table.
 */
export function FilterBar({ report, capability, onApply, initialFilters = [] }: FilterBarProps) {
  const [draft, setDraft] = useState<FilterDraft>(() => draftFromFilters(report, initialFilters));
  const [problem, setProblem] = useState<string | null>(null);
  const [applied, setApplied] = useState(initialFilters.length > 0);
  const [moreOpen, setMoreOpen] = useState(false);
  const textRef = useRef<HTMLInputElement>(null);
  const problemId = useId();
  const moreId = useId();
  const offers = (kind: Filter['kind']) => capability.filters.includes(kind);
  const textFields = textFilterFields[report];
  const flags = capability.flags.filter((flag): flag is FilterFlag => flag in flagLabels);

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey || isEditable(event.target)) return;
      event.preventDefault();
      textRef.current?.focus();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, []);

  const update = (change: Partial<FilterDraft>) => setDraft((current) => ({ ...current, ...change }));

  function apply(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const result = filtersFromDraft(draft, capability);
    if (!result.ok) {
      setProblem(result.message);
      return;
    }
    setProblem(null);
    setApplied(result.filters.length > 0);
    onApply(result.filters);
  }

  function clear() {
    setDraft(emptyDraft(report));
    setProblem(null);
    setApplied(false);
    onApply([]);
  }

  const hasText = offers('contains') || offers('notContains');
  const hasMore = hasText || offers('minRank') || offers('maxRank') || offers('attribute') || (offers('flag') && flags.length > 0);
  const changedCount = changedCriteriaCount(draft, report);
  const fieldLabel = textFields.find(({ field }) => field === draft.textField)?.label ?? '';
  return (
    <form role="search" aria-label={t('filter_name')} onSubmit={apply} noValidate className="space-y-1.5 text-sm">
      <div className="flex flex-wrap items-center gap-1.5">
        {hasText && (
          <input
            ref={textRef}
            type="search"
            aria-label={t('filter_text')}
            // Says what the text is matched against, which the folded criteria choose.
            placeholder={t('filter_placeholder', [fieldLabel, textModeLabels[draft.textMode]])}
            autoComplete="off"
            spellCheck={false}
            className={`${fieldClass} w-28 flex-1`}
            value={draft.text}
            onChange={(event) => update({ text: event.target.value })}
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? problemId : undefined}
          />
        )}
        {/* "Apply" alone leaves the text box room in a narrow panel; the name says what it applies. */}
        <Button type="submit" aria-label={t('filter_applyName')} className="text-xs">
          {t('filter_apply')}
        </Button>
        {hasMore && (
          <Button aria-expanded={moreOpen} aria-controls={moreId} onClick={() => setMoreOpen((open) => !open)} className="text-xs">
            {changedCount > 0 ? t('filter_moreChanged', [String(changedCount)]) : t('filter_more')}
            <span aria-hidden="true">{moreOpen ? '▴' : '▾'}</span>
          </Button>
        )}
        {applied && (
          <Button onClick={clear} className="text-xs">
            {t('filter_clear')}
          </Button>
        )}
      </div>
      {hasMore && (
        <div id={moreId} hidden={!moreOpen} className={`space-y-1.5 text-xs ${mutedText}`}>
          <div className="flex flex-wrap items-center gap-1.5">
            {hasText && textFields.length > 1 && (
              <select aria-label={t('filter_in')} className={fieldClass} value={draft.textField} onChange={(event) => update({ textField: event.target.value as FilterDraft['textField'] })}>
                {textFields.map(({ field, label }) => (
                  <option key={field} value={field}>
                    {label}
                  </option>
                ))}
              </select>
            )}
            {hasText && (
              <select aria-label={t('filter_textMatch')} className={fieldClass} value={draft.textMode} onChange={(event) => update({ textMode: event.target.value as FilterDraft['textMode'] })}>
                {offers('contains') && <option value="contains">{textModeLabels.contains}</option>}
                {offers('notContains') && <option value="notContains">{textModeLabels.notContains}</option>}
              </select>
            )}
            {offers('minRank') && (
              <input type="text" inputMode="numeric" aria-label={t('filter_minRank')} placeholder={t('filter_minRank')} className={`${fieldClass} w-24`} value={draft.minRank} onChange={(event) => update({ minRank: event.target.value })} />
            )}
            {offers('maxRank') && (
              <input type="text" inputMode="numeric" aria-label={t('filter_maxRank')} placeholder={t('filter_maxRank')} className={`${fieldClass} w-24`} value={draft.maxRank} onChange={(event) => update({ maxRank: event.target.value })} />
            )}
          </div>
          {(offers('attribute') || (offers('flag') && flags.length > 0)) && (
            <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
              {offers('attribute') && (
                <fieldset className="flex flex-wrap items-center gap-2">
                  <legend className="float-left mr-1 font-medium">{t('filter_linkAttribute')}</legend>
                  {offeredAttributes(capability).map((attribute: LinkAttribute) => (
                    <label key={attribute} className="inline-flex items-center gap-1">
                      <input type="checkbox" checked={draft.attributes.includes(attribute)} onChange={(event) => update({ attributes: toggled(draft.attributes, attribute, event.target.checked) })} />
                      {attribute}
                    </label>
                  ))}
                </fieldset>
              )}
              {offers('flag') &&
                flags.map((flag) => (
                  <label key={flag} className="inline-flex items-center gap-1">
                    <input type="checkbox" checked={draft.flags.includes(flag)} onChange={(event) => update({ flags: toggled(draft.flags, flag, event.target.checked) })} />
                    {flagLabels[flag]}
                  </label>
                ))}
            </div>
          )}
        </div>
      )}
      {problem && (
        <p id={problemId} role="alert" className="text-red-800 dark:text-red-300">
          {problem}
        </p>
      )}
    </form>
  );
}
