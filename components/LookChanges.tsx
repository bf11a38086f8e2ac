import { useCallback, useEffect, useState } from 'react';
import type { Result } from '@/lib/shared/result';
import { t } from '@/lib/shared/i18n';
import type { ProviderId } from '@/lib/shared/providers';
import type { Scope } from '@/lib/shared/reports';
import { changesBetween, lookBefore, snapshotFigures, type SiteSnapshot, type SnapshotFigure, type SnapshotValues } from '@/lib/shared/snapshots';
import { sendRequest } from '@/lib/ui/messaging/client';
import { formatChange, formatDay, formatDayTime, formatLocale, formatNumber } from '@/lib/ui/format';
import { ErrorNotice } from '@/components/ErrorNotice';
import { Button, focusRing } from '@/components/ui';

/** A figure's name, as the popup's totals name it. */
export function figureLabel(figure: SnapshotFigure): string {
  switch (figure) {
    case 'referringDomains':
      return t('summary_refDomains');
    case 'backlinks':
      return t('summary_backlinks');
    case 'dofollowBacklinks':
      return t('looks_dofollowBacklinks');
    case 'outboundDomains':
      return t('summary_outDomains');
    case 'rank':
      return t('summary_rank');
  }
}

/**
 * A site's kept looks, asked of the background (free: no provider call), and deleting one. Asked
 * again whenever the site changes, and when the page gets the focus back: the popup may have
 * taken a new look at the same site meanwhile. Null until the answer is in.
 */
export function useSiteSnapshots(provider: ProviderId, target: string, scope: Scope) {
  const [answer, setAnswer] = useState<{ site: string; result: Result<SiteSnapshot[]> } | null>(null);
  const siteId = JSON.stringify([provider, target, scope]);

  useEffect(() => {
    let current = true;
    const ask = () => {
      void sendRequest({ type: 'getSnapshots', site: { provider, target, scope } }).then((result) => {
        if (current) setAnswer({ site: siteId, result });
      });
    };
    ask();
    window.addEventListener('focus', ask);
    return () => {
      current = false;
      window.removeEventListener('focus', ask);
    };
  }, [provider, target, scope, siteId]);

  const remove = useCallback(
    async (fetchedAt: number) => {
      setAnswer({ site: siteId, result: await sendRequest({ type: 'deleteSnapshot', site: { provider, target, scope }, fetchedAt }) });
    },
    [provider, target, scope, siteId],
  );

  const result = answer?.site === siteId ? answer.result : null;
  return { snapshots: result?.ok ? result.data : null, error: result && !result.ok ? result.error : null, remove };
}

let listFormat: Intl.ListFormat | undefined;

/**
 * "Since Nov 3, 2026: Referring domains +12, Backlinks −3": the figures shown (a look taken at
 * `shownAt`) against the kept look before them. Nothing when there is no look before.
 */
export function ChangeSinceLastLook({ snapshots, shownAt, values, label }: { snapshots: SiteSnapshot[]; shownAt: number; values: SnapshotValues; label?: string }) {
  const before = lookBefore(snapshots, shownAt);
  if (!before) return null;
  const changes = changesBetween(before.values, values);
  const date = formatDay(before.fetchedAt);
  listFormat ??= new Intl.ListFormat(formatLocale(), { style: 'short', type: 'unit' });
  const text =
    changes.length === 0
      ? t('looks_noChange', [date])
      : t('looks_changeSince', [date, listFormat.format(changes.map(({ figure, change }) => t('looks_figureChange', [figureLabel(figure), formatChange(change)])))]);
  return (
    <p className="text-xs" data-look-change="">
      {label ? `${label}: ${text}` : text}
    </p>
  );
}

/**
 * The side panel's line for a site: its newest kept look against the one before, and the
 * "History of my looks" disclosure listing each with its figures and Delete.
 */
export function SiteLooks({ provider, target, scope, label }: { provider: ProviderId; target: string; scope: Scope; label?: string }) {
  const { snapshots, error, remove } = useSiteSnapshots(provider, target, scope);
  if (error) return <ErrorNotice error={error} />;
  const newest = snapshots?.[0];
  if (!snapshots || !newest) return null;
  // Only the figures some look gave get a column.
  const figures = snapshotFigures.filter((figure) => snapshots.some((look) => look.values[figure] != null));
  const cell = 'px-2 py-1';
  return (
    <div className="space-y-1">
      <ChangeSinceLastLook snapshots={snapshots} shownAt={newest.fetchedAt} values={newest.values} label={label} />
      <details className="text-xs">
        <summary className={`cursor-pointer rounded ${focusRing}`}>
          {label ? `${label}: ` : ''}
          {t('looks_history', [formatNumber(snapshots.length)])}
        </summary>
        <table aria-label={t('looks_historyTable', [target])} className="mt-1 w-full border-collapse text-left tabular-nums">
          <thead className="bg-slate-100 dark:bg-slate-800">
            <tr>
              <th scope="col" className={cell}>{t('looks_lookedAt')}</th>
              {figures.map((figure) => (
                <th key={figure} scope="col" className={`${cell} text-right`}>{figureLabel(figure)}</th>
              ))}
              <th scope="col" className={cell}>
                <span className="sr-only">{t('looks_delete')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {snapshots.map((look) => (
              <tr key={look.fetchedAt} className="border-b border-slate-200 dark:border-slate-700">
                <td className={cell}>{formatDayTime(look.fetchedAt)}</td>
                {figures.map((figure) => (
                  <td key={figure} className={`${cell} text-right`}>{formatNumber(look.values[figure])}</td>
                ))}
                <td className={`${cell} text-right`}>
                  <Button className="text-xs" aria-label={t('looks_deleteLook', [formatDayTime(look.fetchedAt)])} onClick={() => void remove(look.fetchedAt)}>
                    {t('looks_delete')}
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </div>
  );
}
