import { t } from '../shared/i18n';
import type { ReportCapability } from '../shared/providers';
import type { Filter, ReportId } from '../shared/reports';

export type TextFilterField = Extract<Filter, { field: unknown }>['field'];
export type LinkAttribute = Extract<Filter, { kind: 'attribute' }>['values'][number];
export type FilterFlag = Extract<Filter, { kind: 'flag' }>['value'];
type SupportedCapability = Extract<ReportCapability, { supported: true }>;

export const linkAttributes: LinkAttribute[] = ['follow', 'nofollow', 'ugc', 'sponsored'];

/** The attributes the provider's attribute filter takes for a report (all four unless the catalogue narrows them). */
export function offeredAttributes(capability: SupportedCapability): LinkAttribute[] {
  return linkAttributes.filter((attribute) => capability.attributes?.includes(attribute) ?? true);
}

export const flagLabels: Record<FilterFlag, string> = {
  only_subdomains: t('filter_onlySubdomains'),
  no_subdomains: t('filter_noSubdomains'),
  only_main_page: t('filter_onlyMainPage'),
  last_week: t('filter_lastWeek'),
};

/** What the text filter can look in, per report: the domain, or a link's URLs and anchor. */
export const textFilterFields: Record<ReportId, { field: TextFilterField; label: string }[]> = {
  refDomains: [{ field: 'domain', label: t('column_domain') }],
  outDomains: [{ field: 'domain', label: t('column_domain') }],
  backlinks: [
    { field: 'urlFrom', label: t('column_urlFrom') },
    { field: 'urlTo', label: t('column_urlTo') },
    { field: 'anchor', label: t('column_anchor') },
  ],
  anchors: [{ field: 'anchor', label: t('column_anchor') }],
  topPages: [{ field: 'url', label: t('column_page') }],
  lostBacklinks: [
    { field: 'urlFrom', label: t('column_urlFrom') },
    { field: 'urlTo', label: t('column_urlTo') },
    { field: 'anchor', label: t('column_anchor') },
  ],
  outlinks: [
    { field: 'urlTo', label: t('column_urlTo') },
    { field: 'urlFrom', label: t('column_urlFrom') },
    { field: 'anchor', label: t('column_anchor') },
  ],
  linkGap: [{ field: 'domain', label: t('column_domain') }],
};

/** The filter bar's fields as typed, before they become provider-neutral filters. */
export interface FilterDraft {
  textMode: 'contains' | 'notContains';
  textField: TextFilterField;
  text: string;
  minRank: string;
  maxRank: string;
  attributes: LinkAttribute[];
  flags: FilterFlag[];
}

export function emptyDraft(report: ReportId): FilterDraft {
  return { textMode: 'contains', textField: textFilterFields[report][0]!.field, text: '', minRank: '', maxRank: '', attributes: [], flags: [] };
}

/** The draft that asks for `filters` (filters another tab hands over, such as an anchor to look for). */
export function draftFromFilters(report: ReportId, filters: readonly Filter[]): FilterDraft {
  const draft = emptyDraft(report);
  for (const filter of filters) {
    switch (filter.kind) {
      case 'contains':
      case 'notContains':
        Object.assign(draft, { textMode: filter.kind, textField: filter.field, text: filter.value });
        break;
      case 'minRank':
        draft.minRank = String(filter.value);
        break;
      case 'maxRank':
        draft.maxRank = String(filter.value);
        break;
      case 'attribute':
        draft.attributes = [...filter.values];
        break;
      case 'flag':
        draft.flags = [...draft.flags, filter.value];
        break;
    }
  }
  return draft;
}

/** How many of the criteria besides the text box differ from a new draft (shown while they are folded away). */
export function changedCriteriaCount(draft: FilterDraft, report: ReportId): number {
  const empty = emptyDraft(report);
  return (
    Number(draft.textMode !== empty.textMode) +
    Number(draft.textField !== empty.textField) +
    Number(draft.minRank.trim() !== '') +
    Number(draft.maxRank.trim() !== '') +
    draft.attributes.length +
    draft.flags.length
  );
}

export type DraftResult = { ok: true; filters: Filter[] } | { ok: false; message: string };

const MAX_RANK = 1000;

/** "" -> no filter; a whole number 0..1000 -> the number; anything else -> why not. */
function parseRank(text: string, name: string): { value: number | null } | { message: string } {
  const trimmed = text.trim();
  if (trimmed === '') return { value: null };
  const value = Number(trimmed);
  if (!/^\d+(\.\d+)?$/.test(trimmed) || value > MAX_RANK) return { message: t('filter_rankRange', [name, String(MAX_RANK)]) };
  return { value };
}

/**
 * The filters a draft asks for, only of the kinds the provider lists for the report (the bar shows
 * no others), in a fixed order so the same draft is always the same TableQuery (and cache key).
 */
export function filtersFromDraft(draft: FilterDraft, capability: SupportedCapability): DraftResult {
  const offers = (kind: Filter['kind']) => capability.filters.includes(kind);
  const filters: Filter[] = [];

  const text = draft.text.trim();
  if (text && offers(draft.textMode)) {
    if (text.length > 500) return { ok: false, message: t('filter_textTooLong') };
    filters.push({ kind: draft.textMode, field: draft.textField, value: text });
  }

  const min = offers('minRank') ? parseRank(draft.minRank, t('filter_minRank')) : { value: null };
  if ('message' in min) return { ok: false, message: min.message };
  const max = offers('maxRank') ? parseRank(draft.maxRank, t('filter_maxRank')) : { value: null };
  if ('message' in max) return { ok: false, message: max.message };
  if (min.value !== null && max.value !== null && min.value > max.value) {
    return { ok: false, message: t('filter_minAboveMax') };
  }
  if (min.value !== null) filters.push({ kind: 'minRank', value: min.value });
  if (max.value !== null) filters.push({ kind: 'maxRank', value: max.value });

  if (offers('attribute')) {
    const values = offeredAttributes(capability).filter((attribute) => draft.attributes.includes(attribute));
    if (values.length > 0) filters.push({ kind: 'attribute', values });
  }

  if (offers('flag')) {
    const flags = capability.flags.filter((flag): flag is FilterFlag => draft.flags.includes(flag as FilterFlag));
    if (flags.includes('only_subdomains') && flags.includes('no_subdomains')) {
      return { ok: false, message: t('filter_subdomainsConflict') };
    }
    for (const value of flags) filters.push({ kind: 'flag', value });
  }

  if (filters.length > 8) return { ok: false, message: t('filter_tooMany') };
  return { ok: true, filters };
}
