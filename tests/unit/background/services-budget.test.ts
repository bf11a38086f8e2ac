import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createBackgroundServices } from '../../../lib/background/services';
import { defaultBudget } from '../../../lib/shared/budget';
import type { TableQuery } from '../../../lib/shared/reports';
import { budgetItem } from '../../../lib/shared/settings';

afterEach(() => vi.restoreAllMocks());

const query: TableQuery = { provider: 'serpstat', report: 'refDomains', target: 'example.com', scope: 'domain_with_subdomains', filters: [], sort: { field: 'rank', order: 'desc' }, pageSize: 100 };

describe('the budget in the worker', () => {
  it('is read from storage once per worker start, and a change on the options page is heard', async () => {
    await budgetItem.setValue({ ...defaultBudget, perLookupCredits: 1_000 });
    const reads = vi.spyOn(budgetItem, 'getValue');
    const services = createBackgroundServices();
    const pages = [{ query, page: 1 }];
    for (let check = 0; check < 5; check++) expect(await services.summary.checkLimit(pages, undefined)).toBeNull();
    expect(reads).toHaveBeenCalledTimes(1);
    // A lower per-lookup limit applies to the next check, still without a read.
    await budgetItem.setValue({ ...defaultBudget, perLookupCredits: 10 });
    await vi.waitFor(async () => expect(await services.summary.checkLimit(pages, undefined)).toMatchObject({ type: 'needsConsent', limit: 10 }));
    expect(reads).toHaveBeenCalledTimes(1);
  });
});
