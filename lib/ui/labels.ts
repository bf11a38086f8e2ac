import { t, type KeyWithoutPlaceholders } from '@/lib/shared/i18n';
import type { ColumnDef, ReportId, Scope } from '@/lib/shared/reports';

/** The side panel's History tab: charts, not a table (components/HistoryTab.tsx). */
export const HISTORY_TAB = 'history';
/** A side-panel tab: a report's table, or History. */
export type PanelTab = ReportId | typeof HISTORY_TAB;

const reportLabelKeys: Record<ReportId, KeyWithoutPlaceholders> = {
  refDomains: 'report_refDomains',
  outDomains: 'report_outDomains',
  backlinks: 'report_backlinks',
  anchors: 'report_anchors',
  topPages: 'report_topPages',
  lostBacklinks: 'report_lostBacklinks',
  outlinks: 'report_outlinks',
  linkGap: 'report_linkGap',
};
const reportInSentenceKeys: Record<ReportId, KeyWithoutPlaceholders> = {
  refDomains: 'reportInSentence_refDomains',
  outDomains: 'reportInSentence_outDomains',
  backlinks: 'reportInSentence_backlinks',
  anchors: 'reportInSentence_anchors',
  topPages: 'reportInSentence_topPages',
  lostBacklinks: 'reportInSentence_lostBacklinks',
  outlinks: 'reportInSentence_outlinks',
  linkGap: 'reportInSentence_linkGap',
};
const scopeLabelKeys: Record<Scope, KeyWithoutPlaceholders> = {
  domain_with_subdomains: 'scope_domainWithSubdomains',
  domain: 'scope_domain',
  url: 'scope_url',
};
/** By column id (lib/shared/reports.ts and the merged table); the same id means the same heading in every report. */
export const columnLabelKeys: Record<string, KeyWithoutPlaceholders> = {
  domain: 'column_domain',
  rank: 'column_rank',
  refPages: 'column_refPages',
  refDomains: 'column_refDomains',
  refIps: 'column_refIps',
  nofollow: 'column_nofollow',
  url: 'column_page',
  backlinks: 'column_backlinks',
  firstSeen: 'column_firstSeen',
  lastSeen: 'column_lastSeen',
  lostDate: 'column_lostDate',
  spamScore: 'column_spamScore',
  links: 'column_links',
  linksTo1: 'column_linksTo1',
  linksTo2: 'column_linksTo2',
  linksTo3: 'column_linksTo3',
  urlFrom: 'column_urlFrom',
  urlTo: 'column_urlTo',
  anchor: 'column_anchor',
  attribute: 'column_attribute',
  linkType: 'column_linkType',
  externalLinks: 'column_externalLinks',
  domainRank: 'column_domainRank',
  deletedAt: 'column_deletedAt',
  serpstatRank: 'column_serpstatRank',
  dataforseoRank: 'column_dataforseoRank',
  seenBy: 'column_seenBy',
};

/** A scope as the Scope selects offer it: "Root domain with subdomains". */
export const scopeLabel = (scope: Scope) => t(scopeLabelKeys[scope]);

/** A report's name as a tab and table name: "Referring domains". */
export const reportLabel = (report: ReportId) => t(reportLabelKeys[report]);

/** A tab's name: a report's, or "History". */
export const tabLabel = (tab: PanelTab) => (tab === HISTORY_TAB ? t('tabs_history') : reportLabel(tab));

/** A report's name inside a sentence: "Load all referring domains?". */
export const reportInSentence = (report: ReportId) => t(reportInSentenceKeys[report]);

/**
 * Columns with their headings in the UI's language (the table, its accessible names and the CSV
 * header). lib/shared/reports.ts keeps English labels for the messages the background builds.
 */
export function localizeColumns(columns: readonly ColumnDef[]): ColumnDef[] {
  return columns.map((column) => {
    const key = columnLabelKeys[column.id];
    if (!key) throw new Error(`No heading in the catalogue for the column "${column.id}"`);
    return { ...column, label: t(key) };
  });
}
