import { vi } from 'vitest';
import { render } from '@testing-library/react';
import { servePopupPort, type PopupServerDeps } from '@/lib/background/popup-server';
import type { PaidFetch } from '@/lib/background/cache/paid-fetch';
import type { NeedsConsent } from '@/lib/shared/protocol';
import { POPUP_PORT } from '@/lib/shared/protocol';
import { ok, type Result } from '@/lib/shared/result';
import type { RefDomainRow, TablePage } from '@/lib/shared/reports';
import { defaultPreferences, type Preferences } from '@/lib/shared/settings';
import type { PaidQuery, PaidRow, SummaryTotals } from '@/lib/shared/summary';
import { startPopupSession } from '@/lib/ui/messaging/popup-client';
import { startPopupPort } from '@/lib/ui/messaging/popup-start';
import { PopupApp } from '@/components/popup/PopupApp';
import { createPortPair } from './port-pair';

export const sampleTotals: SummaryTotals = {
  referringDomains: { value: 1234, weekChange: 12 },
  backlinks: { value: 56789, weekChange: -3 },
  dofollowBacklinks: { value: 42000, weekChange: 0 },
  outboundDomains: { value: 88, weekChange: 0 },
  rank: { value: 61, weekChange: null },
};

export const sampleTopRows: RefDomainRow[] = Array.from({ length: 10 }, (_, index) => ({
  domain: `ref${index + 1}.example`,
  rank: 90 - index,
  refPages: 1000 + index,
  backlinks: null,
  firstSeen: null,
  lostDate: null,
  spamScore: null,
}));

/** An answer as the paid fetch gives it: the summary's totals as its one row, or the top 10. */
export function paidAnswer(query: PaidQuery, overrides: Partial<TablePage<PaidRow>> = {}): TablePage<PaidRow> {
  const isSummary = query.report === 'summary';
  return {
    page: 1,
    rows: isSummary ? [sampleTotals] : sampleTopRows,
    total: isSummary ? 1 : 1234,
    creditsSpent: isSummary ? 1 : 10,
    costUsd: 0,
    creditsLeft: isSummary ? 972_835 : 972_825,
    fromCache: false,
    fetchedAt: 1,
    ...overrides,
  };
}

export interface FakeBackground {
  preferences?: Partial<Preferences>;
  keyConfigured?: boolean;
  fetchPage?: (query: PaidQuery) => Promise<Result<TablePage<PaidRow>>>;
  needs?: (consent: 'continue' | 'loadAll' | undefined) => NeedsConsent | null;
  /** The window the worker finds the popup's tab in (3); null when it cannot tell. */
  tabWindowId?: number | null;
}

/**
 * Renders the popup against the real popup server over an in-memory port, with the paid fetch
 * and the worker's settings faked: what the popup sends, the background reads as it would.
 */
export function renderPopup(tabUrl: string, background: FakeBackground = {}) {
  const fetchPage = vi.fn(
    (query: PaidQuery, _page: number, _signal: AbortSignal): Promise<Result<TablePage<PaidRow>>> =>
      background.fetchPage?.(query) ?? Promise.resolve(ok(paidAnswer(query))),
  );
  const checkLimit = vi.fn(async (_requests: unknown, consent: 'continue' | 'loadAll' | undefined) => background.needs?.(consent) ?? null);
  const served: PopupServerDeps = {
    // The tab the popup was opened on, in window 3, as the worker reads it.
    popupTab: async () => ({ url: tabUrl, windowId: background.tabWindowId === undefined ? 3 : background.tabWindowId }),
    preferences: async () => ({ ...defaultPreferences, ...background.preferences }),
    isKeyConfigured: async () => background.keyConfigured ?? true,
    summary: { fetchPage: fetchPage as unknown as PaidFetch, checkLimit, oneAtATime: (provider) => provider === 'serpstat' },
    isOwnSender: () => true,
  };
  const ports: { disconnect(): void }[] = [];
  const connect = () => {
    const { client, server } = createPortPair(POPUP_PORT, { id: 'test-extension-id', url: 'chrome-extension://test-extension-id/popup.html' });
    servePopupPort(server, served);
    ports.push(server);
    return client;
  };
  // As in the extension: the start script has asked for the tab's lookup before the app starts.
  const lookup = startPopupSession(startPopupPort(connect), connect);
  render(<PopupApp lookup={lookup} />);
  return {
    fetchPage,
    checkLimit,
    /** Stops the background end, as a worker Chrome stopped would. */
    stopWorker: () => ports.at(-1)?.disconnect(),
    connections: () => ports.length,
  };
}
