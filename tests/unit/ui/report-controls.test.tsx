// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { targetFromInput } from '@/lib/background/domain';
import { lensError } from '@/lib/shared/errors';
import { describeError } from '@/lib/ui/error-text';
import { capabilityOf } from '@/lib/shared/providers';
import { fail, ok } from '@/lib/shared/result';
import type { TableQuery } from '@/lib/shared/reports';
import { sendRequest } from '@/lib/ui/messaging/client';
import { preferencesItem } from '@/lib/shared/settings';
import { MERGED_SORT_REASON } from '@/components/MergedRefDomainsTab';
import { scopeChoices } from '@/components/ReportControls';
import { answerPanelRequests, bothKeys, providerRows, refDomain, renderPanel, servePages, setUpPanelPage } from '../panel-harness';

vi.mock('@/lib/ui/messaging/client', () => ({ sendRequest: vi.fn() }));
// The background's free answer, without its message: `sendRequest` here records provider requests only.
vi.mock('@/lib/ui/resolve-target', () => import('../resolve-target-here'));
const fakeClient = vi.hoisted(() => ({ requestPage: vi.fn(), requestPages: vi.fn(), close: vi.fn() }));
vi.mock('@/lib/ui/messaging/table-client', () => ({ createTableClient: () => fakeClient }));
const sendRequestMock = vi.mocked(sendRequest);

const serve = (answer?: Parameters<typeof servePages>[1]) => servePages(fakeClient, answer);

const queries = () => fakeClient.requestPage.mock.calls.map(([query]) => query as TableQuery);
const lastQuery = () => queries().at(-1)!;


const optionLabels = (select: HTMLElement) => within(select).getAllByRole('option').map((option) => option.textContent);

beforeEach(() => {
  fakeBrowser.reset();
  setUpPanelPage();
  answerPanelRequests(sendRequestMock);
  fakeClient.requestPage.mockReset();
  serve();
});
afterEach(cleanup);

describe('Provider and Scope', () => {
  it('start from the saved defaults and switch the table to the chosen provider', async () => {
    await preferencesItem.setValue({ ...(await preferencesItem.getValue()), provider: 'dataforseo', scope: 'domain' });
    renderPanel('shop-example.co.uk');

    const provider = await screen.findByRole('combobox', { name: 'Provider' });
    expect((provider as HTMLSelectElement).value).toBe('dataforseo');
    expect(optionLabels(provider)).toEqual(['Serpstat', 'DataForSEO', 'Both (merge)']);
    await vi.waitFor(() => expect(lastQuery()).toMatchObject({ provider: 'dataforseo', report: 'refDomains', scope: 'domain' }));

    fireEvent.change(provider, { target: { value: 'serpstat' } });
    await vi.waitFor(() => expect(lastQuery()).toMatchObject({ provider: 'serpstat', report: 'refDomains', scope: 'domain' }));
    expect(await screen.findByRole('link', { name: 'alpha-example.com' })).toBeTruthy();
  });

  it('offer only the scopes the provider lists, and "This page" only for a page address', async () => {
    renderPanel('https://www.shop-example.co.uk/blog/post');
    const scope = await screen.findByRole('combobox', { name: 'Scope' });
    expect(optionLabels(scope)).toEqual(['Root domain with subdomains', 'This host only']);

    fireEvent.change(screen.getByRole('combobox', { name: 'Provider' }), { target: { value: 'dataforseo' } });
    expect(optionLabels(screen.getByRole('combobox', { name: 'Scope' }))).toEqual(['Root domain with subdomains', 'This host only', 'This page']);

    fireEvent.change(screen.getByRole('combobox', { name: 'Scope' }), { target: { value: 'url' } });
    await vi.waitFor(() =>
      expect(lastQuery()).toMatchObject({ provider: 'dataforseo', scope: 'url', target: 'https://www.shop-example.co.uk/blog/post' }),
    );
    expect(screen.getByRole('heading', { name: 'https://www.shop-example.co.uk/blog/post' })).toBeTruthy();

    fireEvent.change(screen.getByRole('combobox', { name: 'Scope' }), { target: { value: 'domain' } });
    await vi.waitFor(() => expect(lastQuery()).toMatchObject({ scope: 'domain', target: 'www.shop-example.co.uk' }));

    // Back to Serpstat, which looks up no single page: the select shows what is really asked.
    fireEvent.change(screen.getByRole('combobox', { name: 'Scope' }), { target: { value: 'url' } });
    fireEvent.change(screen.getByRole('combobox', { name: 'Provider' }), { target: { value: 'serpstat' } });
    expect((screen.getByRole('combobox', { name: 'Scope' }) as HTMLSelectElement).value).toBe('domain_with_subdomains');
    await vi.waitFor(() => expect(lastQuery()).toMatchObject({ provider: 'serpstat', scope: 'domain_with_subdomains', target: 'shop-example.co.uk' }));
    expect(queries().some((query) => query.provider === 'serpstat' && query.scope === 'url')).toBe(false);
  });

  it('a typed domain has no page, so "This page" is not offered', () => {
    expect(scopeChoices('dataforseo', 'refDomains', false)).toEqual(['domain_with_subdomains', 'domain']);
    expect(scopeChoices('both', 'refDomains', true)).toEqual(['domain_with_subdomains', 'domain']);
  });

  it('offer "Both (merge)" on referring domains only, and show the reason for a report the provider lacks', async () => {
    renderPanel('shop-example.co.uk');
    fireEvent.click(await screen.findByRole('tab', { name: 'Outlinks' }));
    const provider = screen.getByRole('combobox', { name: 'Provider' });
    expect(optionLabels(provider)).toEqual(['Serpstat', 'DataForSEO']);
    await vi.waitFor(() => expect(lastQuery()).toMatchObject({ provider: 'serpstat', report: 'outlinks', sort: { field: 'lastSeen', order: 'desc' } }));

    const requestsBefore = queries().length;
    fireEvent.change(provider, { target: { value: 'dataforseo' } });
    if (capabilityOf('dataforseo', 'outlinks').supported) throw new Error('DataForSEO is documented not to offer outlinks');
    expect(within(screen.getByRole('tabpanel')).getByText('DataForSEO does not offer outlinks. Switch to Serpstat for this report.')).toBeTruthy();
    expect(screen.queryByRole('table')).toBeNull();
    expect(queries()).toHaveLength(requestsBefore);
  });

  it('lists every report as a tab', async () => {
    renderPanel('shop-example.co.uk');
    const names = (await screen.findAllByRole('tab')).map((tab) => tab.textContent);
    expect(names).toEqual(['Referring domains', 'Backlinks', 'Lost backlinks', 'Anchors', 'Top pages', 'Outbound domains', 'Outlinks', 'Link gap', 'History']);
  });
});

describe('Both (merge)', () => {
  it('asks both providers for page 1 and shows one row per domain with who saw it', async () => {
    renderPanel('shop-example.co.uk');
    fireEvent.change(await screen.findByRole('combobox', { name: 'Provider' }), { target: { value: 'both' } });

    const table = await screen.findByRole('table', { name: 'Referring domains' });
    await within(table).findByText('delta-example.org');
    const heads = within(table).getAllByRole('columnheader').map((head) => head.textContent);
    expect(heads).toEqual(['Domain', 'Serpstat rank', 'DataForSEO rank', 'Seen by']);
    const shared = within(table).getByText('shared-example.net').closest('tr')!;
    expect(within(shared).getByText('Both')).toBeTruthy();
    expect(within(within(table).getByText('alpha-example.com').closest('tr')!).getByText('Serpstat')).toBeTruthy();
    expect(within(within(table).getByText('delta-example.org').closest('tr')!).getByText('DataForSEO')).toBeTruthy();
    expect(screen.getByText('3 domains from 2 + 2 rows loaded')).toBeTruthy();

    const merged = queries().filter((query) => query.report === 'refDomains' && query.scope === 'domain_with_subdomains');
    expect(merged.map((query) => query.provider).sort()).toEqual(['dataforseo', 'serpstat']);

    const sortHeads = within(table).getAllByRole('button', { name: /^(Domain|Serpstat rank|DataForSEO rank|Seen by)$/ });
    expect(sortHeads).toHaveLength(4);
    for (const head of sortHeads) {
      expect((head as HTMLButtonElement).disabled).toBe(true);
      expect(head.getAttribute('title')).toBe(MERGED_SORT_REASON);
    }
  });

  it('asks for the missing key when one provider has none, before any request', async () => {
    sendRequestMock.mockImplementation((async () => ok({ ...bothKeys, dataforseo: { configured: false, maskedTail: null } })) as never);
    renderPanel('shop-example.co.uk');
    await vi.waitFor(() => expect(fakeClient.requestPage).toHaveBeenCalledTimes(1));
    fireEvent.change(await screen.findByRole('combobox', { name: 'Provider' }), { target: { value: 'both' } });
    expect(await screen.findByText('Add your DataForSEO API login and password in Options to see backlinks.')).toBeTruthy();
    expect(queries().every((query) => query.provider === 'serpstat')).toBe(true);
  });
});

describe('Filters', () => {
  it('turn into a new server-side query and a rejected one is explained', async () => {
    const rejected = lensError('bad_filter', 'Serpstat cannot filter Referring domains by “Anchor text”.', { provider: 'serpstat' });
    serve((query) => (query.filters.some((filter) => filter.kind === 'maxRank') ? fail(rejected) : undefined));
    renderPanel('shop-example.co.uk');
    await screen.findByRole('table', { name: 'Referring domains' });

    fireEvent.keyDown(document.body, { key: '/' });
    const text = screen.getByRole('searchbox', { name: 'Filter text' });
    expect(document.activeElement).toBe(text);
    // The criteria besides the text box are folded away until asked for.
    const more = screen.getByRole('button', { name: 'More filters' });
    expect(more.getAttribute('aria-expanded')).toBe('false');
    expect(screen.queryByRole('textbox', { name: 'Min rank' })).toBeNull();
    fireEvent.click(more);
    expect(more.getAttribute('aria-expanded')).toBe('true');
    fireEvent.change(screen.getByRole('combobox', { name: 'Text match' }), { target: { value: 'notContains' } });
    fireEvent.change(text, { target: { value: 'spam' } });
    fireEvent.change(screen.getByRole('textbox', { name: 'Min rank' }), { target: { value: '20' } });
    fireEvent.click(screen.getByRole('checkbox', { name: 'No subdomains' }));
    expect(text.getAttribute('placeholder')).toBe('Domain does not contain… (press /)');
    // Folded again, the button still says how many of its criteria are set.
    fireEvent.click(more);
    expect(more.textContent).toContain('More filters (3)');
    fireEvent.click(screen.getByRole('button', { name: 'Apply filters' }));
    fireEvent.click(more);
    await vi.waitFor(() =>
      expect(lastQuery().filters).toEqual([
        { kind: 'notContains', field: 'domain', value: 'spam' },
        { kind: 'minRank', value: 20 },
        { kind: 'flag', value: 'no_subdomains' },
      ]),
    );

    fireEvent.change(screen.getByRole('textbox', { name: 'Max rank' }), { target: { value: '10' } });
    fireEvent.click(screen.getByRole('button', { name: 'Apply filters' }));
    expect(await screen.findByRole('alert')).toHaveProperty('textContent', 'Min rank is above max rank: no domain could match.');

    fireEvent.change(screen.getByRole('textbox', { name: 'Max rank' }), { target: { value: '80' } });
    fireEvent.click(screen.getByRole('button', { name: 'Apply filters' }));
    expect(await screen.findByText(describeError(rejected).title)).toBeTruthy();

    // Without filters the table is the one already paid for: it comes back from the query cache.
    const requestsBefore = queries().length;
    fireEvent.click(screen.getByRole('button', { name: 'Clear filters' }));
    expect(await screen.findByRole('link', { name: 'alpha-example.com' })).toBeTruthy();
    expect((screen.getByRole('searchbox', { name: 'Filter text' }) as HTMLInputElement).value).toBe('');
    expect(queries()).toHaveLength(requestsBefore);
  });

  it('show only the kinds the provider lists: link attributes on backlinks, no flags for DataForSEO', async () => {
    renderPanel('shop-example.co.uk');
    fireEvent.click(await screen.findByRole('tab', { name: 'Backlinks' }));
    fireEvent.click(await screen.findByRole('button', { name: 'More filters' }));
    expect(optionLabels(await screen.findByRole('combobox', { name: 'Filter in' }))).toEqual(['URL from', 'URL to', 'Anchor text']);
    for (const attribute of ['follow', 'nofollow', 'ugc', 'sponsored']) expect(screen.getByRole('checkbox', { name: attribute })).toBeTruthy();
    fireEvent.click(screen.getByRole('checkbox', { name: 'nofollow' }));
    fireEvent.click(screen.getByRole('button', { name: 'Apply filters' }));
    await vi.waitFor(() => expect(lastQuery()).toMatchObject({ report: 'backlinks', filters: [{ kind: 'attribute', values: ['nofollow'] }] }));

    fireEvent.click(screen.getByRole('tab', { name: 'Referring domains' }));
    fireEvent.change(screen.getByRole('combobox', { name: 'Provider' }), { target: { value: 'dataforseo' } });
    fireEvent.click(await screen.findByRole('button', { name: 'More filters' }));
    await screen.findByRole('textbox', { name: 'Min rank' });
    expect(screen.queryAllByRole('checkbox')).toEqual([]);
  });
});

describe('Look up this domain', () => {
  it('makes a domain of the table the side panel target', async () => {
    renderPanel('shop-example.co.uk');
    const table = await screen.findByRole('table', { name: 'Referring domains' });
    const row = (await within(table).findByRole('link', { name: 'alpha-example.com' })).closest('tr')!;
    fireEvent.click(within(row).getByRole('button', { name: 'Look up this domain' }));
    expect(await screen.findByRole('heading', { name: 'alpha-example.com' })).toBeTruthy();
    await vi.waitFor(() => expect(lastQuery()).toMatchObject({ target: 'alpha-example.com', report: 'refDomains' }));
  });

  it('explains a domain from the table that providers cannot answer for, and sends nothing for it', async () => {
    providerRows.serpstat = [refDomain('intranet.example', 10)];
    try {
      renderPanel('shop-example.co.uk');
      const table = await screen.findByRole('table', { name: 'Referring domains' });
      const row = (await within(table).findByRole('link', { name: 'intranet.example' })).closest('tr')!;
      const requestsBefore = queries().length;
      fireEvent.click(within(row).getByRole('button', { name: 'Look up this domain' }));
      const parsed = targetFromInput('intranet.example');
      if (parsed.ok) throw new Error('a reserved name must not be a target');
      expect(await screen.findByText(parsed.message)).toBeTruthy();
      expect(queries()).toHaveLength(requestsBefore);
    } finally {
      providerRows.serpstat = [refDomain('alpha-example.com', 90), refDomain('shared-example.net', 50)];
    }
  });
});

describe('Anchors', () => {
  const anchorRow = (anchor: string) => ({ anchor, refDomains: 3, backlinks: 5, nofollow: 1, rank: null, firstSeen: null, lostDate: null });
  const anchorPage = (page: number) => ok({ page, rows: [anchorRow('read more'), anchorRow('')], total: 2, creditsSpent: 2, costUsd: 0, creditsLeft: null, fromCache: false, fetchedAt: 1 });

  it('an anchor row’s button opens Backlinks filtered to that anchor; a link without text has none', async () => {
    serve((query, page) => (query.report === 'anchors' ? anchorPage(page) : undefined));
    renderPanel('shop-example.co.uk');
    fireEvent.click(await screen.findByRole('tab', { name: 'Anchors' }));
    const table = await screen.findByRole('table', { name: 'Anchors' });
    expect(within(table).getByText('(no anchor text)')).toBeTruthy();
    const buttons = await within(table).findAllByRole('button', { name: 'Show backlinks with this anchor' });
    expect(buttons).toHaveLength(1);
    fireEvent.click(buttons[0]!);

    expect((await screen.findByRole('tab', { name: 'Backlinks' })).getAttribute('aria-selected')).toBe('true');
    expect((screen.getByRole('searchbox', { name: 'Filter text' }) as HTMLInputElement).value).toBe('read more');
    await vi.waitFor(() => expect(lastQuery()).toMatchObject({ report: 'backlinks', filters: [{ kind: 'contains', field: 'anchor', value: 'read more' }] }));
  });

  it('hands the anchor to the same provider’s Backlinks (DataForSEO)', async () => {
    serve((query, page) => (query.report === 'anchors' ? anchorPage(page) : undefined));
    renderPanel('shop-example.co.uk');
    fireEvent.change(await screen.findByRole('combobox', { name: 'Provider' }), { target: { value: 'dataforseo' } });
    fireEvent.click(await screen.findByRole('tab', { name: 'Anchors' }));
    const table = await screen.findByRole('table', { name: 'Anchors' });
    fireEvent.click(await within(table).findByRole('button', { name: 'Show backlinks with this anchor' }));
    await vi.waitFor(() =>
      expect(lastQuery()).toMatchObject({ provider: 'dataforseo', report: 'backlinks', filters: [{ kind: 'contains', field: 'anchor', value: 'read more' }] }),
    );
  });
});
