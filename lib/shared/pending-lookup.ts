import { storage } from 'wxt/utils/storage';
import type { ReportId } from './reports';

/**
 * A lookup asked for outside the side panel (context menu, the popup's Open side panel), handed
 * to the panel of that window.
 * Session storage: nothing about browsing outlives the browser session, and no key is involved.
 */
export interface PendingLookup {
  /** The link or page address the user chose; the panel parses it like a tab's address. */
  url: string;
  /** The window whose panel should show it; null when the browser did not say. */
  windowId: number | null;
  requestedAt: number;
  /** The report the panel should open on (the popup's "Link gap vs my site"); absent: the one it shows. */
  report?: ReportId;
}

export const pendingLookupItem = storage.defineItem<PendingLookup | null>('session:pendingLookup', { fallback: null });

/** Hands `url` to the side panel of `windowId` (null: whichever panel opens), which looks it up at once, on `report` if given. */
export function handOverLookup(url: string, windowId: number | null, now = Date.now(), report?: ReportId): Promise<void> {
  return pendingLookupItem.setValue({ url, windowId, requestedAt: now, ...(report ? { report } : {}) });
}

/** A panel opened later than this after the click follows its tab instead of an old request. */
export const PENDING_LOOKUP_MAX_AGE_MS = 30_000;

/** Whether the panel of `windowId` should take this lookup now. */
export function isPendingLookupFor(pending: PendingLookup | null, windowId: number | null, now: number): pending is PendingLookup {
  if (!pending || now - pending.requestedAt > PENDING_LOOKUP_MAX_AGE_MS) return false;
  return pending.windowId === null || windowId === null || pending.windowId === windowId;
}
