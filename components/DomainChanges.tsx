import { useEffect, useState } from 'react';
import type { Result } from '@/lib/shared/result';
import { t, tPlural } from '@/lib/shared/i18n';
import type { TablePage, TableQuery } from '@/lib/shared/reports';
import type { DomainChanges } from '@/lib/shared/snapshots';
import { sendRequest } from '@/lib/ui/messaging/client';
import { formatDay, formatNumber } from '@/lib/ui/format';
import { ErrorNotice } from '@/components/ErrorNotice';
import { focusRing, mutedText, Skeleton } from '@/components/ui';

/**
 * "New and lost referring domains since my last look" under the Referring domains table: asked of
 * the background when opened, and again when the table's pages change (Refresh, more pages), since
 * each page the provider answers joins the table's look. Free: computed from the kept looks.
 */
export function DomainChangesDisclosure({ query, pages }: { query: TableQuery; pages: TablePage[] }) {
  const [open, setOpen] = useState(false);
  const [answer, setAnswer] = useState<{ asked: string; result: Result<DomainChanges | null> } | null>(null);
  const queryId = JSON.stringify(query);
  // What the look holds on screen: how many pages, and when each was answered.
  const pagesId = pages.map((page) => page.fetchedAt).join(',');

  useEffect(() => {
    if (!open) return;
    let current = true;
    void sendRequest({ type: 'getDomainChanges', query: JSON.parse(queryId) as TableQuery }).then((result) => {
      if (current) setAnswer({ asked: queryId, result });
    });
    return () => {
      current = false;
    };
  }, [open, queryId, pagesId]);

  // An answer for another table is none: the table changed while it was on its way.
  const result = answer?.asked === queryId ? answer.result : null;
  return (
    <details className="text-xs" onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary className={`cursor-pointer rounded ${focusRing}`}>{t('domainChanges_title')}</summary>
      <div className="mt-1 space-y-1">
        {!result ? <Skeleton lines={2} /> : result.ok ? <ChangesView changes={result.data} /> : <ErrorNotice error={result.error} />}
      </div>
    </details>
  );
}

function ChangesView({ changes }: { changes: DomainChanges | null }) {
  if (!changes) return <p className={mutedText}>{t('domainChanges_none')}</p>;
  const { then, now } = changes;
  return (
    <>
      <p>
        {t('domainChanges_compared', [
          formatNumber(then.loaded),
          formatNumber(then.total),
          formatDay(then.at),
          formatNumber(now.loaded),
          formatNumber(now.total),
          formatDay(now.at),
        ])}
      </p>
      {changes.partial && <p className="font-medium">{t('domainChanges_partial')}</p>}
      {changes.appearedCount === 0 && changes.disappearedCount === 0 ? (
        <p>{t('domainChanges_noChange')}</p>
      ) : (
        <div className="grid grid-cols-2 gap-2">
          <DomainList heading={tPlural('domainChanges_appeared', changes.appearedCount, [formatNumber(changes.appearedCount)])} domains={changes.appeared} count={changes.appearedCount} />
          <DomainList heading={tPlural('domainChanges_disappeared', changes.disappearedCount, [formatNumber(changes.disappearedCount)])} domains={changes.disappeared} count={changes.disappearedCount} />
        </div>
      )}
    </>
  );
}

function DomainList({ heading, domains, count }: { heading: string; domains: string[]; count: number }) {
  return (
    <section aria-label={heading}>
      <h3 className="font-semibold">{heading}</h3>
      <ul className="max-h-40 overflow-y-auto">
        {domains.map((domain) => (
          <li key={domain} className="truncate" title={domain}>
            {domain}
          </li>
        ))}
      </ul>
      {count > domains.length && <p className={mutedText}>{t('domainChanges_more', [formatNumber(count - domains.length)])}</p>}
    </section>
  );
}
