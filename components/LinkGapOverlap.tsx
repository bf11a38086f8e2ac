import { t } from '@/lib/shared/i18n';
import { requestEstimate } from '@/lib/shared/budget';
import { derivedCount, gapTerms, nonEmptySubsets, overlapCountOf, type LinkGapOverlap as Overlap, type OverlapTerm } from '@/lib/shared/link-gap-overlap';
import { moneyOf } from '@/lib/shared/money';
import { capabilityOf, providerIds, providerName, type ProviderId, type ReportCapability } from '@/lib/shared/providers';
import { overlapQuery, type Comparison, type TableQuery } from '@/lib/shared/reports';
import { formatMoney, formatNumber } from '@/lib/ui/format';
import { linkGapOverlapQuery } from '@/lib/ui/queries';
import { PaidLookup } from './PaidLookup';
import { mutedText, Notice } from './ui';

type SupportedCapability = Extract<ReportCapability, { supported: true }>;

export interface LinkGapOverlapProps {
  provider: ProviderId;
  capability: SupportedCapability;
  /** The tab's Link gap table: its target, my site and competitors are what is counted. */
  table: TableQuery & { comparison: Comparison };
}

const countingProviders = providerIds.filter((id) => {
  const capability = capabilityOf(id, 'linkGap');
  return capability.supported && capability.overlapCounts;
});

/**
 * The Link gap comparison's overlap counts, asked for by a button that says their exact cost (one
 * credit per set: 3 for my site and one competitor, 7 for two); a provider without them says
 * which one counts them instead of showing a button that cannot work.
 */
export function LinkGapOverlap({ provider, capability, table }: LinkGapOverlapProps) {
  if (!capability.overlapCounts) {
    if (countingProviders.length === 0) return null;
    return <p className={`text-xs ${mutedText}`}>{t('overlap_notOffered', [providerName(provider), countingProviders.map(providerName).join(', ')])}</p>;
  }
  // The table below explains a scope the provider does not compare in.
  if (!capability.scopes.includes(table.scope)) return null;
  const cost = formatMoney(moneyOf(provider, requestEstimate(overlapQuery(table), 1)));
  return (
    <PaidLookup
      provider={provider}
      lookup={(ask) => linkGapOverlapQuery(table, ask)}
      askLabel={t('overlap_ask', [cost])}
      texts={{
        loading: t('overlap_loading'),
        spent: (spent) => t('overlap_cost', [spent]),
        overLimit: (estimate, limit) => t('overlap_overLimit', [estimate, limit]),
      }}
    >
      {(answer) => <OverlapTable answer={answer} />}
    </PaidLookup>
  );
}

/** Every combination of two or more of `domains`, pairs first, each in the order they were compared. */
const combinations = (domains: readonly string[]) =>
  nonEmptySubsets(domains)
    .filter((members) => members.length > 1)
    .sort((a, b) => a.length - b.length);

/** "460 − 131 + 332": the counts a figure is worked out from. */
function arithmetic(terms: readonly OverlapTerm[], counts: readonly number[]): string {
  return terms
    .map((term, index) => {
      const count = formatNumber(counts[index]!);
      if (index === 0) return term.sign < 0 ? `−${count}` : count;
      return `${term.sign < 0 ? ' − ' : ' + '}${count}`;
    })
    .join('');
}

/** One row of the table: what is counted, the figure, and where it comes from. */
interface OverlapRow {
  label: string;
  count: string;
  how: string;
}

const cell = 'px-2 py-1';
const numberCell = `${cell} text-right tabular-nums`;
const groupHeader = `${cell} bg-slate-100 text-left text-xs font-medium dark:bg-slate-800`;

/** The counts as a table: each site's total, what they share, and the link gap worked out from them. */
function OverlapTable({ answer }: { answer: Overlap }) {
  const { provider, mySite, competitors, sets } = answer;
  if (sets.length === 0) return <Notice>{t('overlap_noData', [providerName(provider)])}</Notice>;
  const domains = [mySite, ...competitors];
  const answered = providerName(provider);
  const countText = (count: number | null) => (count === null ? t('overlap_missing') : formatNumber(count));

  const gaps: { label: string; terms: OverlapTerm[] }[] = competitors.map((competitor) => ({
    label: t('linkGap_explained', [competitor, mySite]),
    terms: gapTerms(mySite, [competitor], 'any'),
  }));
  if (competitors.length > 1) {
    const all = competitors.join(', ');
    gaps.push(
      { label: t('linkGap_explainedAny', [all, mySite]), terms: gapTerms(mySite, competitors, 'any') },
      { label: t('linkGap_explainedAll', [all, mySite]), terms: gapTerms(mySite, competitors, 'all') },
    );
  }
  const answeredRow = (label: string, members: string[]): OverlapRow => ({ label, count: countText(overlapCountOf(sets, members)), how: t('overlap_asAnswered', [answered]) });
  const groups: { title: string; rows: OverlapRow[] }[] = [
    { title: t('overlap_groupTotals'), rows: domains.map((domain) => answeredRow(domain, [domain])) },
    { title: t('overlap_groupShared'), rows: combinations(domains).map((members) => answeredRow(t('overlap_sharedBy', [members.join(', ')]), members)) },
    {
      title: t('overlap_groupGap'),
      rows: gaps.map(({ label, terms }) => {
        const figure = derivedCount(sets, terms);
        return figure
          ? { label, count: formatNumber(figure.value), how: arithmetic(terms, figure.counts) }
          : { label, count: t('overlap_missing'), how: t('overlap_notWorkedOut') };
      }),
    },
  ];

  return (
    <div className="flex flex-col gap-1">
      <table className="w-full border-collapse text-left text-xs">
        <caption className="text-left text-sm font-medium">{t('overlap_caption', [domains.join(', ')])}</caption>
        <thead>
          <tr>
            <th scope="col" className={cell}>
              {t('overlap_columnSet')}
            </th>
            <th scope="col" className={`${cell} text-right`}>
              {t('overlap_columnCount')}
            </th>
            <th scope="col" className={cell}>
              {t('overlap_columnHow')}
            </th>
          </tr>
        </thead>
        {groups.map(({ title, rows }) => (
          <tbody key={title}>
            <tr>
              <th scope="rowgroup" colSpan={3} className={groupHeader}>
                {title}
              </th>
            </tr>
            {rows.map(({ label, count, how }) => (
              <tr key={label} className="border-t border-slate-200 dark:border-slate-700">
                <th scope="row" className={`${cell} font-normal`}>
                  {label}
                </th>
                <td className={numberCell}>{count}</td>
                <td className={`${cell} ${mutedText} tabular-nums`}>{how}</td>
              </tr>
            ))}
          </tbody>
        ))}
      </table>
      <p className={`text-xs ${mutedText}`}>{t('overlap_note')}</p>
    </div>
  );
}
