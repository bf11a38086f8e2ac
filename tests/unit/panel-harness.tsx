import { vi, type Mock } from 'vitest';
import { render } from '@testing-library/react';
import { browser } from 'wxt/browser';
import type { KeyStatuses, Request } from '@/lib/shared/protocol';
import { ok, type Result } from '@/lib/shared/result';
import type { RefDomainRow, TablePage, TableQuery } from '@/lib/shared/reports';
import { AppProviders, createQueryClient } from '@/components/AppProviders';
import { SidePanelApp } from '@/components/sidepanel/SidePanelApp';

/**
 * The side panel's tests with a fake background: each test file mocks the request and table
 * clients itself (vi.mock is per file) and hands its fakes to these.
 */

export const bothKeys: KeyStatuses = {
  serpstat: { configured: true, maskedTail: 'abcd' },
  dataforseo: { configured: true, maskedTail: '0001', login: 'me@example.com' },
};

export function refDomain(domain: string, rank: number): RefDomainRow {
  return { domain, rank, refPages: 2, backlinks: null, firstSeen: null, lostDate: null, spamScore: null };
}

/** Rows per provider for referring domains; other reports answer empty. */
export const providerRows: Record<string, RefDomainRow[]> = {
  serpstat: [refDomain('alpha-example.com', 90), refDomain('shared-example.net', 50)],
  dataforseo: [refDomain('shared-example.net', 48), refDomain('delta-example.org', 70)],
};

export interface FakeTableClient {
  requestPage: Mock;
  requestPages: Mock;
  close: Mock;
}

/** The table client answers `answer`'s page where it gives one, else the provider's referring domains on page 1. */
export function servePages(client: FakeTableClient, answer?: (query: TableQuery, page: number) => Result<TablePage> | undefined) {
  client.requestPage.mockImplementation(async (query: TableQuery, page: number): Promise<Result<TablePage>> => {
    const special = answer?.(query, page);
    if (special) return special;
    const rows = query.report === 'refDomains' && page === 1 ? providerRows[query.provider]! : [];
    return ok({ page, rows, total: rows.length, creditsSpent: rows.length, costUsd: 0, creditsLeft: null, fromCache: false, fetchedAt: 1 });
  });
}

/** The background's answers to the panel's free requests: both keys set, no kept looks; anything else is a test error. */
export function answerPanelRequests(sendRequestMock: Mock) {
  sendRequestMock.mockReset();
  sendRequestMock.mockImplementation(async (request: Request) => {
    if (request.type === 'getKeyStatus') return ok(bothKeys);
    // The panel's header asks for the site's kept looks (free) on every target.
    if (request.type === 'getSnapshots') return ok([]);
    throw new Error(`unexpected request ${request.type}`);
  });
}

/** A panel page in window 1 with a table of 600 px. */
export function setUpPanelPage() {
  vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(600);
  vi.spyOn(browser.tabs, 'getCurrent').mockResolvedValue({ id: 99, windowId: 1 } as never);
  vi.spyOn(browser.windows, 'getCurrent').mockResolvedValue({ id: 1 } as never);
}

export function renderPanel(initialTarget: string) {
  return render(
    <AppProviders client={createQueryClient()}>
      <SidePanelApp initialTarget={initialTarget} />
    </AppProviders>,
  );
}
