// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { browser } from 'wxt/browser';
import { fail, ok } from '@/lib/shared/result';
import { lensError } from '@/lib/shared/errors';
import type { Request } from '@/lib/shared/protocol';
import type { LinkGapOverlap } from '@/lib/shared/link-gap-overlap';
import type { LinkGapRow, TableQuery } from '@/lib/shared/reports';
import { sendRequest } from '@/lib/ui/messaging/client';
import { defaultPreferences, preferencesItem } from '@/lib/shared/settings';
import { handOverLookup } from '@/lib/shared/pending-lookup';
import { csvFileName } from '@/lib/ui/csv';
import { AppProviders, createQueryClient } from '@/components/AppProviders';
import { SidePanelApp } from '@/components/sidepanel/SidePanelApp';
import { answerPanelRequests, renderPanel, servePages, setUpPanelPage } from '../panel-harness';

vi.mock('@/lib/ui/messaging/client', () => ({ sendRequest: vi.fn() }));
// The background's free answer, without its message: `sendRequest` here records provider requests only.
vi.mock('@/lib/ui/resolve-target', () => import('../resolve-target-here'));
const fakeClient = vi.hoisted(() => ({ requestPage: vi.fn(), requestPages: vi.fn(), close: vi.fn() }));
vi.mock('@/lib/ui/messaging/table-client', () => ({ createTableClient: () => fakeClient }));
const sendRequestMock = vi.mocked(sendRequest);

const serve = (answer?: Parameters<typeof servePages>[1]) => servePages(fakeClient, answer);

const queries = () => fakeClient.requestPage.mock.calls.map(([query]) => query as TableQuery);
const lastQuery = () => queries().at(-1)!;

const gapRow = (domain: string, linksTo1: number, linksTo2: number | null = null): LinkGapRow => ({ domain, rank: 40, linksTo1, linksTo2, linksTo3: null });

beforeEach(() => {
  fakeBrowser.reset();
  setUpPanelPage();
  answerPanelRequests(sendRequestMock);
  fakeClient.requestPage.mockReset();
  serve((query, page) => {
    if (query.report !== 'linkGap') return undefined;
    const rows = [gapRow('outreach-example.org', 3, query.comparison?.competitors.length ? 5 : null)];
    return ok({ page, rows, total: rows.length, creditsSpent: rows.length, costUsd: 0, creditsLeft: null, fromCache: false, fetchedAt: 1 });
  });
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

async function openLinkGap(target = 'rival-example.com') {
  renderPanel(target);
  fireEvent.click(await screen.findByRole('tab', { name: 'Link gap' }));
}

describe('Link gap tab', () => {
  it('without my site: says what it is for, links to Options, and asks for nothing', async () => {
    await openLinkGap();
    expect(await screen.findByText(/Add your own site in Options first/)).toBeTruthy();
    const create = vi.spyOn(browser.tabs, 'create').mockResolvedValue({} as never);
    fireEvent.click(screen.getByRole('button', { name: 'Add my site in Options' }));
    expect(create).toHaveBeenCalledWith({ url: expect.stringMatching(/options\.html#mySites$/) });
    expect(queries().filter((query) => query.report === 'linkGap')).toEqual([]);
  });

  it('on my own site (with or without www.): says so, offers a competitor box that looks one up, and asks for nothing there', async () => {
    // "This host only": the panel's target keeps its www.
    await preferencesItem.setValue({ ...defaultPreferences, provider: 'dataforseo', scope: 'domain', mySites: ['rival-example.com'] });
    await openLinkGap('www.rival-example.com');
    expect(await screen.findByText(/is your own site/)).toBeTruthy();
    expect(queries().filter((query) => query.report === 'linkGap')).toEqual([]);
    fireEvent.change(screen.getByRole('textbox', { name: 'Competitor' }), { target: { value: 'other-example.net' } });
    fireEvent.submit(screen.getByRole('search', { name: 'Look up a competitor' }));
    await waitFor(() => expect(queries().filter((query) => query.report === 'linkGap').map((query) => query.target)).toEqual(['other-example.net']));
  });

  it('asks for the competitor against my site, the first of My sites by default, with a column per competitor', async () => {
    await preferencesItem.setValue({ ...defaultPreferences, mySites: ['my-example.com', 'second-example.com'] });
    await openLinkGap();
    const table = await screen.findByRole('table', { name: 'Link gap' });
    expect(within(table).getByRole('columnheader', { name: /Links to rival-example\.com/ })).toBeTruthy();
    expect(lastQuery()).toMatchObject({ report: 'linkGap', target: 'rival-example.com', comparison: { mySite: 'my-example.com', competitors: [], match: 'any' } });
    fireEvent.change(screen.getByRole('combobox', { name: 'My site' }), { target: { value: 'second-example.com' } });
    await waitFor(() => expect(lastQuery().comparison?.mySite).toBe('second-example.com'));
  });

  it('adds a competitor (any or all of them), refuses one already compared, and Serpstat stops at two', async () => {
    await preferencesItem.setValue({ ...defaultPreferences, mySites: ['my-example.com'] });
    await openLinkGap();
    await screen.findByRole('table', { name: 'Link gap' });
    const box = screen.getByRole('textbox', { name: 'Another competitor' });
    fireEvent.change(box, { target: { value: 'my-example.com' } });
    fireEvent.submit(screen.getByRole('search', { name: 'Add competitor' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/already compared/);
    fireEvent.change(box, { target: { value: 'https://www.other-example.net/page' } });
    fireEvent.submit(screen.getByRole('search', { name: 'Add competitor' }));
    await waitFor(() => expect(lastQuery().comparison).toEqual({ mySite: 'my-example.com', competitors: ['other-example.net'], match: 'any' }));
    expect(await screen.findByRole('columnheader', { name: /Links to other-example\.net/ })).toBeTruthy();
    fireEvent.click(screen.getByRole('radio', { name: 'all of them' }));
    await waitFor(() => expect(lastQuery().comparison?.match).toBe('all'));
    // Serpstat compares my site with two competitors: no box for a third.
    expect(screen.queryByRole('textbox', { name: 'Another competitor' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Remove other-example.net' }));
    await waitFor(() => expect(lastQuery().comparison?.competitors).toEqual([]));
  });

  it('with DataForSEO: all of them only, up to three competitors', async () => {
    await preferencesItem.setValue({ ...defaultPreferences, provider: 'dataforseo', mySites: ['my-example.com'] });
    await openLinkGap();
    await screen.findByRole('table', { name: 'Link gap' });
    for (const competitor of ['one-example.net', 'two-example.org']) {
      fireEvent.change(screen.getByRole('textbox', { name: 'Another competitor' }), { target: { value: competitor } });
      fireEvent.submit(screen.getByRole('search', { name: 'Add competitor' }));
      await screen.findByRole('button', { name: `Remove ${competitor}` });
    }
    await waitFor(() => expect(lastQuery()).toMatchObject({ provider: 'dataforseo', comparison: { competitors: ['one-example.net', 'two-example.org'], match: 'all' } }));
    expect(screen.queryByRole('radio')).toBeNull();
    expect(screen.getByText('DataForSEO lists the domains that link to all of them.')).toBeTruthy();
    expect(screen.queryByRole('textbox', { name: 'Another competitor' })).toBeNull();
  });

  it('opens on Link gap when the popup hands the site over for it', async () => {
    await preferencesItem.setValue({ ...defaultPreferences, mySites: ['my-example.com'] });
    render(
      <AppProviders client={createQueryClient()}>
        <SidePanelApp initialTarget={null} />
      </AppProviders>,
    );
    await handOverLookup('https://rival-example.com/', 1, Date.now(), 'linkGap');
    expect((await screen.findByRole('tab', { name: 'Link gap' })).getAttribute('aria-selected')).toBe('true');
    await waitFor(() => expect(lastQuery()).toMatchObject({ report: 'linkGap', target: 'rival-example.com' }));
  });
});

const MINE = 'my-example.com';
const RIVAL = 'rival-example.com';
const OTHER = 'other-example.net';

/** The provider docs' example with these sites, rows out of order and names reversed inside them. */
const sets = [
  { domains: [OTHER, RIVAL, MINE], referringDomains: 100 },
  { domains: [OTHER, RIVAL], referringDomains: 180 },
  { domains: [OTHER, MINE], referringDomains: 140 },
  { domains: [OTHER], referringDomains: 332 },
  { domains: [RIVAL, MINE], referringDomains: 131 },
  { domains: [RIVAL], referringDomains: 460 },
  { domains: [MINE], referringDomains: 522 },
];
const answer = (overrides: Partial<LinkGapOverlap> = {}): LinkGapOverlap => ({
  provider: 'serpstat',
  mySite: MINE,
  competitors: [RIVAL, OTHER],
  sets,
  creditsSpent: 7,
  costUsd: 0,
  creditsLeft: 1000,
  fromCache: false,
  fetchedAt: Date.now(),
  ...overrides,
});

type OverlapRequest = Extract<Request, { type: 'getLinkGapOverlap' }>;
/** The paid overlap requests the panel sent; `reply` answers them. */
let reply: (request: OverlapRequest) => unknown;
/** What the cache holds, answered to the free cache-only requests: nothing unless a test says so. */
let cachedReply: (request: OverlapRequest) => unknown;
const allOverlapRequests = () =>
  sendRequestMock.mock.calls.map(([request]) => request as Request).filter((request): request is OverlapRequest => request.type === 'getLinkGapOverlap');
const overlapRequests = () => allOverlapRequests().filter((request) => !request.cachedOnly);

async function openOverlap(provider: 'serpstat' | 'dataforseo' = 'serpstat') {
  await preferencesItem.setValue({ ...defaultPreferences, provider, mySites: [MINE] });
  await openLinkGap(RIVAL);
  await screen.findByRole('table', { name: 'Link gap' });
}

async function addCompetitor(domain: string) {
  fireEvent.change(screen.getByRole('textbox', { name: 'Another competitor' }), { target: { value: domain } });
  fireEvent.submit(screen.getByRole('search', { name: 'Add competitor' }));
  await screen.findByRole('button', { name: `Remove ${domain}` });
}

/** The table's cells of the row headed `name`. */
const rowCells = (table: HTMLElement, name: string | RegExp) =>
  within(within(table).getByRole('rowheader', { name }).closest('tr')!)
    .getAllByRole('cell')
    .map((cell) => cell.textContent);

describe('Link gap overlap counts', () => {
  beforeEach(() => {
    const panelAnswers = sendRequestMock.getMockImplementation()!;
    reply = () => ok(answer());
    cachedReply = () => ok(null);
    sendRequestMock.mockImplementation(
      async (request: Request) => (request.type === 'getLinkGapOverlap' ? (request.cachedOnly ? cachedReply : reply)(request) : panelAnswers(request)) as never,
    );
  });

  it('shows counts the cache still holds as the tab opens, without a click, and asks for nothing paid', async () => {
    cachedReply = () => ok(answer({ fromCache: true, creditsSpent: 0, creditsLeft: null }));
    await openOverlap();
    await addCompetitor(OTHER);
    const table = await screen.findByRole('table', { name: `Overlap counts: ${MINE}, ${RIVAL}, ${OTHER}` });
    expect(rowCells(table, `all of ${MINE}, ${RIVAL}, ${OTHER}`)[0]).toBe('100');
    expect(screen.getByText(/^From cache · fetched .* · cost 0 credits$/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: /Overlap counts/ })).toBeNull();
    expect(overlapRequests()).toEqual([]);
    expect(allOverlapRequests().at(-1)).toMatchObject({ cachedOnly: true, query: { comparison: { mySite: MINE, competitors: [OTHER] } } });
  });

  it('says the exact cost before the click (3 credits, 7 with another competitor) and asks for nothing until then', async () => {
    await openOverlap();
    expect(await screen.findByRole('button', { name: 'Overlap counts (3 credits)' })).toBeTruthy();
    await addCompetitor(OTHER);
    expect(await screen.findByRole('button', { name: 'Overlap counts (7 credits)' })).toBeTruthy();
    expect(overlapRequests()).toEqual([]);
  });

  it('asks once for the tab’s comparison and shows each total, each shared set and the gap worked out from them', async () => {
    await openOverlap();
    await addCompetitor(OTHER);
    fireEvent.click(await screen.findByRole('button', { name: 'Overlap counts (7 credits)' }));
    const table = await screen.findByRole('table', { name: `Overlap counts: ${MINE}, ${RIVAL}, ${OTHER}` });
    expect(overlapRequests()).toHaveLength(1);
    expect(overlapRequests()[0]!.query).toMatchObject({ report: 'linkGap', target: RIVAL, comparison: { mySite: MINE, competitors: [OTHER] } });
    expect(rowCells(table, MINE)[0]).toBe('522');
    expect(rowCells(table, RIVAL)[0]).toBe('460');
    expect(rowCells(table, `all of ${MINE}, ${RIVAL}`)[0]).toBe('131');
    expect(rowCells(table, `all of ${RIVAL}, ${OTHER}`)[0]).toBe('180');
    expect(rowCells(table, `all of ${MINE}, ${RIVAL}, ${OTHER}`)[0]).toBe('100');
    expect(rowCells(table, `Domains that link to ${RIVAL} and not to ${MINE}.`)).toEqual(['329', '460 − 131']);
    expect(rowCells(table, `Domains that link to ${OTHER} and not to ${MINE}.`)).toEqual(['192', '332 − 140']);
    expect(rowCells(table, `Domains that link to any of ${RIVAL}, ${OTHER} and not to ${MINE}.`)).toEqual(['441', '460 − 131 + 332 − 140 − 180 + 100']);
    expect(rowCells(table, `Domains that link to all of ${RIVAL}, ${OTHER} and not to ${MINE}.`)).toEqual(['80', '180 − 100']);
    expect(within(table).getAllByRole('columnheader').map((header) => header.textContent)).toEqual(['Domains that link to', 'Referring domains', 'Worked out as']);
    expect(screen.getByText('These counts cost 7 credits · 1,000 credits left')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /Overlap counts/ })).toBeNull();
  });

  it('says a cached answer cost nothing, and a count missing from the answer', async () => {
    reply = () => ok(answer({ competitors: [RIVAL], sets: [{ domains: [RIVAL], referringDomains: 460 }], fromCache: true, creditsSpent: 0, creditsLeft: null }));
    await openOverlap();
    fireEvent.click(await screen.findByRole('button', { name: 'Overlap counts (3 credits)' }));
    const table = await screen.findByRole('table', { name: `Overlap counts: ${MINE}, ${RIVAL}` });
    expect(rowCells(table, MINE)[0]).toBe('not in the answer');
    expect(rowCells(table, `Domains that link to ${RIVAL} and not to ${MINE}.`)).toEqual(['not in the answer', 'a count it needs is missing']);
    expect(screen.getByText(/^From cache · fetched .* · cost 0 credits$/)).toBeTruthy();
  });

  it('above the per-lookup limit: says so, and asks again with consent only when the user agrees', async () => {
    reply = (request) => ok(request.consent ? answer() : { type: 'needsConsent', provider: 'serpstat', page: 1, nextCost: 7, spent: 0, limit: 5 });
    await openOverlap();
    await addCompetitor(OTHER);
    fireEvent.click(await screen.findByRole('button', { name: 'Overlap counts (7 credits)' }));
    expect(await screen.findByText('The overlap counts cost about 7 credits, above your limit of 5 credits per lookup. Nothing has been sent.')).toBeTruthy();
    expect(overlapRequests().map((request) => request.consent)).toEqual([undefined]);
    fireEvent.click(screen.getByRole('button', { name: 'Load for 7 credits' }));
    await screen.findByRole('table', { name: /^Overlap counts/ });
    expect(overlapRequests().map((request) => request.consent)).toEqual([undefined, 'continue']);
  });

  it('shows an error with its next step', async () => {
    reply = () => fail(lensError('over_budget', 'The daily cap is reached.', { provider: 'serpstat', dailyCap: 5 }));
    await openOverlap();
    fireEvent.click(await screen.findByRole('button', { name: 'Overlap counts (3 credits)' }));
    expect(await screen.findByRole('alert')).toBeTruthy();
    expect(screen.queryByRole('table', { name: /^Overlap counts/ })).toBeNull();
  });

  it('with DataForSEO: no button that cannot work, a line naming the provider that counts them', async () => {
    await openOverlap('dataforseo');
    expect(await screen.findByText(/DataForSEO does not count how many linking domains the sites share; Serpstat does/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: /Overlap counts/ })).toBeNull();
    await waitFor(() => expect(overlapRequests()).toEqual([]));
  });
});

describe('Link gap export name', () => {
  const base = { report: 'linkGap' as const, target: 'rival-example.com', provider: 'serpstat' as const, filters: [], date: new Date(2026, 10, 22) };
  it('names the competitor and my site: link-gap_<competitor>_vs_<mine>_<provider>_<date>.csv', () => {
    expect(csvFileName({ ...base, comparison: { mySite: 'my-example.com', competitors: [], match: 'any' } })).toBe(
      'link-gap_rival-example.com_vs_my-example.com_serpstat_2026-11-22.csv',
    );
  });
  it('with more competitors, names them and whether any or all of them', () => {
    expect(csvFileName({ ...base, provider: 'dataforseo', comparison: { mySite: 'my-example.com', competitors: ['other-example.net'], match: 'all' } })).toBe(
      'link-gap_rival-example.com_other-example.net_all_vs_my-example.com_dataforseo_2026-11-22.csv',
    );
  });
});
