import { describe, expect, it } from 'vitest';
import { changedCriteriaCount, emptyDraft, filtersFromDraft } from '@/lib/ui/filter-draft';
import type { FilterDraft } from '@/lib/ui/filter-draft';
import { providerCatalogue, type ReportCapability } from '@/lib/shared/providers';
import type { ReportId } from '@/lib/shared/reports';
import type { ProviderId } from '@/lib/shared/providers';

type Supported = Extract<ReportCapability, { supported: true }>;

function capabilityOf(provider: ProviderId, report: ReportId): Supported {
  const capability = providerCatalogue[provider].reports[report];
  if (!capability.supported) throw new Error(`${provider} ${report} is expected to be supported`);
  return capability;
}

const draft = (report: ReportId, change: Partial<FilterDraft>): FilterDraft => ({ ...emptyDraft(report), ...change });

describe('filtersFromDraft', () => {
  it('an empty draft asks for no filters', () => {
    expect(filtersFromDraft(emptyDraft('refDomains'), capabilityOf('serpstat', 'refDomains'))).toEqual({ ok: true, filters: [] });
  });

  it('maps text, ranks and flags of referring domains in a fixed order', () => {
    const result = filtersFromDraft(
      draft('refDomains', { textMode: 'notContains', text: '  blog ', minRank: '10', maxRank: '60.5', flags: ['only_subdomains', 'last_week'] }),
      capabilityOf('serpstat', 'refDomains'),
    );
    expect(result).toEqual({
      ok: true,
      filters: [
        { kind: 'notContains', field: 'domain', value: 'blog' },
        { kind: 'minRank', value: 10 },
        { kind: 'maxRank', value: 60.5 },
        // In the capability's order, not the order they were ticked.
        { kind: 'flag', value: 'last_week' },
        { kind: 'flag', value: 'only_subdomains' },
      ],
    });
  });

  it('maps link filters: the chosen URL field and the attributes in a fixed order', () => {
    const result = filtersFromDraft(
      draft('backlinks', { textField: 'urlTo', text: '/blog/', attributes: ['ugc', 'follow'], flags: ['only_main_page'] }),
      capabilityOf('serpstat', 'backlinks'),
    );
    expect(result).toEqual({
      ok: true,
      filters: [
        { kind: 'contains', field: 'urlTo', value: '/blog/' },
        { kind: 'attribute', values: ['follow', 'ugc'] },
        { kind: 'flag', value: 'only_main_page' },
      ],
    });
    expect(emptyDraft('backlinks').textField).toBe('urlFrom');
    expect(emptyDraft('outlinks').textField).toBe('urlTo');
  });

  it('leaves out kinds the provider does not list for the report', () => {
    // Serpstat outlinks have no rank filter; DataForSEO has no flags or attributes.
    expect(filtersFromDraft(draft('outlinks', { minRank: '5' }), capabilityOf('serpstat', 'outlinks'))).toEqual({ ok: true, filters: [] });
    expect(
      filtersFromDraft(draft('refDomains', { flags: ['last_week'], attributes: ['follow'], minRank: '3' }), capabilityOf('dataforseo', 'refDomains')),
    ).toEqual({ ok: true, filters: [{ kind: 'minRank', value: 3 }] });
  });

  it('explains a rank that is not a number from 0 to 1000, or a min above the max', () => {
    const capability = capabilityOf('serpstat', 'refDomains');
    expect(filtersFromDraft(draft('refDomains', { minRank: 'ten' }), capability)).toEqual({ ok: false, message: 'Min rank must be a number from 0 to 1000.' });
    expect(filtersFromDraft(draft('refDomains', { maxRank: '-1' }), capability)).toEqual({ ok: false, message: 'Max rank must be a number from 0 to 1000.' });
    expect(filtersFromDraft(draft('refDomains', { maxRank: '1001' }), capability)).toMatchObject({ ok: false });
    expect(filtersFromDraft(draft('refDomains', { minRank: '50', maxRank: '20' }), capability)).toEqual({
      ok: false,
      message: 'Min rank is above max rank: no domain could match.',
    });
  });

  it('refuses subdomain flags that contradict each other, and over-long text', () => {
    const capability = capabilityOf('serpstat', 'refDomains');
    expect(filtersFromDraft(draft('refDomains', { flags: ['no_subdomains', 'only_subdomains'] }), capability)).toMatchObject({ ok: false });
    expect(filtersFromDraft(draft('refDomains', { text: 'x'.repeat(501) }), capability)).toMatchObject({ ok: false });
  });
});

describe('changedCriteriaCount', () => {
  it('counts the criteria besides the text that differ from a new draft', () => {
    expect(changedCriteriaCount(emptyDraft('backlinks'), 'backlinks')).toBe(0);
    expect(changedCriteriaCount(draft('backlinks', { text: 'shoes', minRank: '  ' }), 'backlinks')).toBe(0);
    expect(changedCriteriaCount(draft('backlinks', { textField: 'anchor', textMode: 'notContains', maxRank: '40' }), 'backlinks')).toBe(3);
    expect(changedCriteriaCount(draft('refDomains', { attributes: ['nofollow', 'ugc'], flags: ['last_week'] }), 'refDomains')).toBe(3);
    // The first field of outlinks is "URL to": that is its new draft, not a change.
    expect(changedCriteriaCount(draft('outlinks', { textField: 'urlTo' }), 'outlinks')).toBe(0);
  });
});
