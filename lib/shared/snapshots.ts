import type { ProviderId } from './providers';
import type { Scope } from './reports';
import type { SummaryTotals } from './summary';

/**
 * "Changes since my last look": each summary the provider answers (not the cache) is kept as a
 * snapshot of the site's figures, per provider, target and scope. A summary served again from the
 * cache is the same look, so it adds nothing; the popup and the panel compare what they show with
 * the snapshot before it, without asking anyone for anything.
 */

/** The figures a snapshot keeps, in the order the change line names them. */
export const snapshotFigures = ['referringDomains', 'backlinks', 'dofollowBacklinks', 'outboundDomains', 'rank'] as const;
export type SnapshotFigure = (typeof snapshotFigures)[number];
/** Each figure's value, or null where the provider did not give it. */
export type SnapshotValues = Record<SnapshotFigure, number | null>;

/** One look at a site's summary. */
export interface SiteSnapshot {
  provider: ProviderId;
  target: string;
  scope: Scope;
  /** Epoch ms when the provider answered: the look's date, and with the site its identity. */
  fetchedAt: number;
  values: SnapshotValues;
}

/** Which site's snapshots: one provider, target and scope (another scope is another site). */
export interface SnapshotSite {
  provider: ProviderId;
  target: string;
  scope: Scope;
}

/** The values of a summary's totals (the 7-day changes are the provider's own, not a look). */
export function snapshotValues(totals: SummaryTotals): SnapshotValues {
  return Object.fromEntries(snapshotFigures.map((figure) => [figure, totals[figure]?.value ?? null])) as SnapshotValues;
}

export interface FigureChange {
  figure: SnapshotFigure;
  /** Now less then: positive when the figure grew. */
  change: number;
}

/** How each figure both looks gave moved, unchanged ones left out. */
export function changesBetween(then: SnapshotValues, now: SnapshotValues): FigureChange[] {
  return snapshotFigures.flatMap((figure) => {
    const [before, after] = [then[figure], now[figure]];
    return before == null || after == null || before === after ? [] : [{ figure, change: after - before }];
  });
}

/**
 * The look before the one shown (taken at `shownAt`): the newest snapshot older than it.
 * `snapshots` are newest first, as the background answers them.
 */
export function lookBefore(snapshots: readonly SiteSnapshot[], shownAt: number): SiteSnapshot | null {
  return snapshots.find((snapshot) => snapshot.fetchedAt < shownAt) ?? null;
}

/** How many snapshots and kept referring-domain pages the history holds (Options). */
export interface HistoryStats {
  snapshots: number;
  domainPages: number;
  bytes: number;
}

/** One side of a referring-domain comparison: when that look was, and how much of the table it loaded. */
export interface DomainLookSide {
  /** Epoch ms of the look's first page from the provider. */
  at: number;
  /** Domains the look loaded (its pages still kept). */
  loaded: number;
  /** Referring domains the provider said the table has. */
  total: number;
}

/** At most this many domains of each list travel to the panel; the counts are always whole. */
export const DOMAIN_CHANGES_LISTED = 1_000;

/** Referring domains that appeared and disappeared between a table's last two looks. */
export interface DomainChanges {
  then: DomainLookSide;
  now: DomainLookSide;
  appeared: string[];
  appearedCount: number;
  disappeared: string[];
  disappearedCount: number;
  /**
   * Either look loaded only part of the table: a domain may be listed only because it lay
   * outside the rows the other look loaded.
   */
  partial: boolean;
}
