import type { HistoryPoint } from '../../lib/shared/charts';

/** One period of a history with the figures given, the others null (no data). */
export const historyPoint = (date: string, values: Partial<HistoryPoint> = {}): HistoryPoint => ({
  date,
  backlinks: null,
  referringDomains: null,
  newBacklinks: null,
  lostBacklinks: null,
  newReferringDomains: null,
  lostReferringDomains: null,
  partial: false,
  ...values,
});
