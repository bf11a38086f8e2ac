import { describe, expect, it } from 'vitest';
import { mergeRefDomains } from '@/lib/ui/merge';
import type { RefDomainRow } from '@/lib/shared/reports';

function row(domain: string, rank: number | null): RefDomainRow {
  return { domain, rank, refPages: 1, backlinks: null, firstSeen: null, lostDate: null, spamScore: null };
}

describe('mergeRefDomains', () => {
  it('joins rows of the same domain and says who saw each', () => {
    const merged = mergeRefDomains([row('a.example', 80), row('b.example', 60)], [row('b.example', 55), row('c.example', 70)]);
    expect(merged).toEqual([
      { domain: 'a.example', serpstatRank: 80, dataforseoRank: null, seenBy: 'Serpstat' },
      { domain: 'c.example', serpstatRank: null, dataforseoRank: 70, seenBy: 'DataForSEO' },
      { domain: 'b.example', serpstatRank: 60, dataforseoRank: 55, seenBy: 'Both' },
    ]);
  });

  it('matches domains whatever their case or trailing dot', () => {
    const merged = mergeRefDomains([row('News.Example', 10)], [row('news.example.', 12)]);
    expect(merged).toHaveLength(1);
    expect(merged[0]).toMatchObject({ seenBy: 'Both', serpstatRank: 10, dataforseoRank: 12 });
  });

  it('keeps the first row of a domain a provider lists twice', () => {
    const merged = mergeRefDomains([row('a.example', 5), row('a.example', 90)], [row('d.example', 1), row('d.example', 99)]);
    expect(merged).toEqual([
      { domain: 'a.example', serpstatRank: 5, dataforseoRank: null, seenBy: 'Serpstat' },
      { domain: 'd.example', serpstatRank: null, dataforseoRank: 1, seenBy: 'DataForSEO' },
    ]);
  });

  it('orders by the better rank, then by domain, and puts unranked domains last', () => {
    const merged = mergeRefDomains([row('z.example', null), row('m.example', 40)], [row('b.example', 40), row('m.example', 90)]);
    expect(merged.map((entry) => entry.domain)).toEqual(['m.example', 'b.example', 'z.example']);
  });

  it('gives the same table whichever provider answered first', () => {
    const serpstat = [row('a.example', 30), row('b.example', 20)];
    const dataforseo = [row('b.example', 25), row('c.example', 30)];
    const forward = mergeRefDomains(serpstat, dataforseo).map((entry) => entry.domain);
    const fromEmpty = mergeRefDomains([], dataforseo);
    expect(forward).toEqual(['a.example', 'c.example', 'b.example']);
    expect(fromEmpty.every((entry) => entry.seenBy === 'DataForSEO')).toBe(true);
    expect(mergeRefDomains([], [])).toEqual([]);
  });
});
