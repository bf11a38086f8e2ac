// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { defaultBudget } from '@/lib/shared/budget';
import type { DaySpend } from '@/lib/shared/protocol';
import type { KeyStatuses, Request, Usage } from '@/lib/shared/protocol';
import { ok } from '@/lib/shared/result';
import { budgetItem, cacheSettingsItem, defaultCacheSettings, getBudget, getCacheSettings } from '@/lib/shared/settings';
import { sendRequest } from '@/lib/ui/messaging/client';
import { AppProviders, createQueryClient } from '@/components/AppProviders';
import { OptionsApp } from '@/components/options/OptionsApp';

vi.mock('@/lib/ui/messaging/client', () => ({ sendRequest: vi.fn() }));
const sendRequestMock = vi.mocked(sendRequest);

const noKeys: KeyStatuses = {
  serpstat: { configured: true, maskedTail: 'abcd' },
  dataforseo: { configured: false, maskedTail: null },
};
const MINUTE = 60_000;

const days: DaySpend[] = [
  { day: '2025-09-02', provider: 'dataforseo', requests: 2, credits: 0, usd: 0.04006, savedCredits: 0, savedUsd: 0.02003 },
  { day: '2025-09-02', provider: 'serpstat', requests: 3, credits: 1210, usd: 0, savedCredits: 100, savedUsd: 0 },
  { day: '2025-09-01', provider: 'serpstat', requests: 1, credits: 11, usd: 0, savedCredits: 0, savedUsd: 0 },
  { day: '2025-09-01', provider: 'dataforseo', requests: 1, credits: 0, usd: 0.02015, savedCredits: 0, savedUsd: 0 },
];

/** A background with a usage ledger and a page cache that Clear cache empties. */
function fakeBackground(usage: Usage) {
  let cache = usage.cache;
  sendRequestMock.mockImplementation((async (request: Request) => {
    switch (request.type) {
      case 'getKeyStatus':
        return ok(noKeys);
      case 'getUsage':
        return ok({ ...usage, cache });
      case 'clearCache':
        cache = { entries: 0, bytes: 0 };
        return ok(cache);
      default:
        throw new Error(`unexpected request ${request.type}`);
    }
  }) as never);
}

function renderOptions() {
  render(
    <AppProviders client={createQueryClient()}>
      <OptionsApp />
    </AppProviders>,
  );
  return {
    usage: screen.getByRole('region', { name: 'Usage' }),
    cache: screen.getByRole('region', { name: 'Cache' }),
    budget: screen.getByRole('region', { name: 'Budget' }),
  };
}

/** Each row of a table as the texts of its cells. */
const rowsOf = (table: HTMLElement) =>
  within(table)
    .getAllByRole('row')
    .map((row) => [...row.querySelectorAll('th, td')].map((cell) => cell.textContent));

const type = (region: HTMLElement, label: string, value: string) =>
  fireEvent.change(within(region).getByLabelText(label), { target: { value } });

beforeEach(() => {
  fakeBrowser.reset();
  sendRequestMock.mockReset();
  fakeBackground({
    days,
    cache: { entries: 12, bytes: 1_234_567 },
    balances: { serpstat: { creditsLeft: 972_836, balanceUsd: null, seenAt: Date.now() - 5 * MINUTE }, dataforseo: null },
  });
});
afterEach(cleanup);

describe('options: Usage', () => {
  it('shows spend per day and provider, exact dollars, what the cache saved, and totals per provider', async () => {
    const { usage } = renderOptions();
    const table = await within(usage).findByRole('table', { name: 'Spend per day' });
    expect(rowsOf(table)).toEqual([
      ['Day', 'Provider', 'Requests', 'Spent', 'Saved by the cache'],
      ['Sep 2, 2025', 'DataForSEO', '2', '$0.04006', '$0.02003'],
      ['Sep 2, 2025', 'Serpstat', '3', '1,210 credits', '100 credits'],
      ['Sep 1, 2025', 'Serpstat', '1', '11 credits', '0 credits'],
      ['Sep 1, 2025', 'DataForSEO', '1', '$0.02015', '$0.00000'],
      ['Total', 'Serpstat', '4', '1,221 credits', '100 credits'],
      ['Total', 'DataForSEO', '3', '$0.06021', '$0.02003'],
    ]);
  });

  it('shows the balance last seen per provider and how long ago', async () => {
    const { usage } = renderOptions();
    const balances = await within(usage).findByRole('list', { name: 'Balances last seen' });
    expect(within(balances).getAllByRole('listitem').map((item) => item.textContent)).toEqual([
      'Serpstat: 972,836 credits left · seen 5 min. ago',
      'DataForSEO: No balance seen yet.',
    ]);
  });

  it('says so when nothing was spent', async () => {
    fakeBackground({ days: [], cache: { entries: 0, bytes: 0 }, balances: { serpstat: null, dataforseo: null } });
    const { usage } = renderOptions();
    expect(await within(usage).findByText('Nothing spent or served from the cache in the last 30 days.')).toBeTruthy();
    expect(within(usage).queryByRole('table')).toBeNull();
  });
});

describe('options: Cache', () => {
  it('shows what the cache holds and reports what Clear cache freed, without asking', async () => {
    const { cache } = renderOptions();
    expect(await within(cache).findByText('12 pages cached · 1.2 MB')).toBeTruthy();

    fireEvent.click(within(cache).getByRole('button', { name: 'Clear cache' }));
    const status = within(cache).getByRole('status');
    await vi.waitFor(() => expect(status.textContent).toBe('Cache cleared: freed 12 pages (1.2 MB).'));
    expect(status.getAttribute('aria-live')).toBe('polite');
    expect(await within(cache).findByText('0 pages cached · 0 bytes')).toBeTruthy();
    expect(sendRequestMock.mock.calls.filter(([request]) => request.type === 'clearCache')).toHaveLength(1);
  });

  it('saves the lifetime and size, and saves nothing when one is not a number in range', async () => {
    const { cache } = renderOptions();
    expect(((await within(cache).findByLabelText('Keep pages for (hours)')) as HTMLInputElement).value).toBe('24');

    type(cache, 'Keep pages for (hours)', '6');
    type(cache, 'Maximum cache size (MB)', '5000');
    fireEvent.click(within(cache).getByRole('button', { name: 'Save' }));
    await vi.waitFor(() =>
      expect(within(cache).getByRole('status').textContent).toBe('“Maximum cache size (MB)” must be a number from 1 to 1,000. Nothing was saved.'),
    );
    expect(await getCacheSettings()).toEqual(defaultCacheSettings);

    type(cache, 'Maximum cache size (MB)', '50');
    fireEvent.click(within(cache).getByRole('button', { name: 'Save' }));
    await vi.waitFor(() => expect(within(cache).getByRole('status').textContent).toBe('Cache settings saved.'));
    expect(await cacheSettingsItem.getValue()).toEqual({ ttlHours: 6, maxMegabytes: 50 });
  });
});

describe('options: Budget', () => {
  it('shows the defaults: 1,000 credits and $0.50 per lookup, no daily caps', async () => {
    const { budget } = renderOptions();
    const value = (label: string) => (within(budget).getByLabelText(label) as HTMLInputElement).value;
    await within(budget).findByLabelText('Max credits per lookup without asking');
    expect(value('Max credits per lookup without asking')).toBe('1000');
    expect(value('Max USD per lookup without asking')).toBe('0.5');
    expect(value('Daily cap (credits)')).toBe('');
    expect(value('Daily cap (USD)')).toBe('');
  });

  it('saves limits and caps as typed ("5,000", "$1.25"); an empty cap is no cap', async () => {
    const { budget } = renderOptions();
    await within(budget).findByLabelText('Daily cap (credits)');
    type(budget, 'Max credits per lookup without asking', '2,000');
    type(budget, 'Max USD per lookup without asking', '$0.75');
    type(budget, 'Daily cap (credits)', '5,000');
    type(budget, 'Daily cap (USD)', '1.25');
    fireEvent.click(within(budget).getByRole('button', { name: 'Save' }));
    await vi.waitFor(() => expect(within(budget).getByRole('status').textContent).toBe('Budget saved.'));
    expect(await budgetItem.getValue()).toEqual({ perLookupCredits: 2000, perLookupUsd: 0.75, dailyCapCredits: 5000, dailyCapUsd: 1.25 });

    type(budget, 'Daily cap (credits)', ' ');
    fireEvent.click(within(budget).getByRole('button', { name: 'Save' }));
    await vi.waitFor(async () => expect((await getBudget()).dailyCapCredits).toBeNull());
  });

  it.each([
    ['Max credits per lookup without asking', '12.5', '“Max credits per lookup without asking” must be a whole number from 0 to 1,000,000,000.'],
    ['Max USD per lookup without asking', '', '“Max USD per lookup without asking” must be a number from 0 to 1,000,000.'],
    ['Daily cap (credits)', '-5', '“Daily cap (credits)” must be a whole number from 0 to 1,000,000,000, or empty for no cap.'],
    ['Daily cap (USD)', 'ten', '“Daily cap (USD)” must be a number from 0 to 1,000,000, or empty for no cap.'],
  ])('refuses %s = "%s" with a clear message and saves nothing', async (label, typed, message) => {
    const { budget } = renderOptions();
    await within(budget).findByLabelText(label);
    type(budget, 'Daily cap (credits)', '100');
    type(budget, label, typed);
    fireEvent.click(within(budget).getByRole('button', { name: 'Save' }));
    await vi.waitFor(() => expect(within(budget).getByRole('status').textContent).toBe(`${message} Nothing was saved.`));
    expect(await getBudget()).toEqual(defaultBudget);
  });
});
