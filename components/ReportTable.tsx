import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { KeyboardEvent, PointerEvent, ReactNode, UIEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { t } from '@/lib/shared/i18n';
import type { AnyRow, ColumnDef, ColumnKind, Sort } from '@/lib/shared/reports';
import type { MergedRefDomainRow } from '@/lib/ui/merge';
import { formatCellText, safeHttpUrl } from '@/lib/ui/format';
import { focusRing } from './ui';

/** Fixed row height: single-line cells, so the virtualiser never has to measure. */
const ROW_HEIGHT = 29;
/** Ask for the next page when the user scrolls this close (px) to the end. */
const NEAR_END_PX = 240;
/** Inside the row's box: the scroller would clip a ring drawn outside it. */
const rowFocusRing = 'focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-blue-600 dark:focus-visible:outline-blue-400';
/** Column widths a user can set by dragging or with the arrow keys on a header's edge. */
const MIN_COLUMN_WIDTH = 48;
const MAX_COLUMN_WIDTH = 800;
const COLUMN_WIDTH_STEP = 16;
/** A domain as providers send it (ASCII / punycode): only then is it worth a link. */
const HOSTNAME = /^[a-z0-9-]+(\.[a-z0-9-]+)+$/i;

/** A report's rows, or referring domains merged from both providers. */
export type TableRow = AnyRow | MergedRefDomainRow;

export interface ReportTableProps {
  /** The report's name: the table's accessible name. */
  label: string;
  columns: ColumnDef[];
  rows: TableRow[];
  /** Rows the provider has in all (for aria-rowcount), null while unknown. */
  total: number | null;
  sort: Sort | undefined;
  /** Column ids the provider sorts by; other headers say why they are not buttons. */
  sortable: string[];
  unsortableReason: string;
  /** When set, no column sorts: headers are disabled buttons whose title says this. */
  sortDisabledReason?: string;
  onSortChange: (sort: Sort) => void;
  /** Called when the user scrolls near the last loaded row. */
  onNearEnd: () => void;
  /** Domain cells get a "Look up this domain" button that calls this. */
  onLookUp?: (domain: string) => void;
  /** Anchor cells get a "Show backlinks with this anchor" button that calls this. */
  onShowAnchorBacklinks?: (anchor: string) => void;
}

interface CellProps {
  kind: ColumnKind;
  value: unknown;
  onLookUp?: (domain: string) => void;
  onShowAnchorBacklinks?: (anchor: string) => void;
  /** -1 outside the focused row: Tab visits that row's links and buttons, then leaves the table. */
  tabIndex: 0 | -1;
}

/** The small icon button before a cell's text: look a domain up, show an anchor's backlinks. */
function CellAction({ label, title, tabIndex, onClick, icon }: { label: string; title: string; tabIndex: 0 | -1; onClick: () => void; icon: ReactNode }) {
  return (
    <button
      type="button"
      aria-label={label}
      tabIndex={tabIndex}
      title={title}
      onClick={onClick}
      className={`shrink-0 rounded px-0.5 text-slate-500 hover:text-blue-800 dark:text-slate-400 dark:hover:text-blue-300 ${focusRing}`}
    >
      <svg aria-hidden="true" viewBox="0 0 16 16" className="size-3.5" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinejoin="round" strokeLinecap="round">
        {icon}
      </svg>
    </button>
  );
}

function Cell({ kind, value, onLookUp, onShowAnchorBacklinks, tabIndex }: CellProps) {
  if (kind === 'anchor' && typeof value === 'string') {
    if (value === '') return <span className="text-slate-500 italic dark:text-slate-400">{t('table_emptyAnchor')}</span>;
    return (
      <span className="inline-flex max-w-full items-center gap-1">
        {onShowAnchorBacklinks && (
          <CellAction
            label={t('table_showAnchorBacklinks')}
            title={t('table_showAnchorBacklinksTitle', [value])}
            tabIndex={tabIndex}
            onClick={() => onShowAnchorBacklinks(value)}
            // A funnel: the Backlinks tab, filtered.
            icon={<path d="M2 3h12l-4.5 5.5V13l-3 1.5v-6z" />}
          />
        )}
        <span title={value} className="truncate">
          {value}
        </span>
      </span>
    );
  }
  if (kind === 'domain' && typeof value === 'string' && HOSTNAME.test(value)) {
    return (
      <span className="inline-flex max-w-full items-center gap-1">
        {onLookUp && (
          <CellAction
            label={t('table_lookUpDomain')}
            title={t('table_lookUpDomainTitle', [value])}
            tabIndex={tabIndex}
            onClick={() => onLookUp(value)}
            icon={
              <>
                <circle cx="6.5" cy="6.5" r="4.5" />
                <path d="m10 10 4.5 4.5" />
              </>
            }
          />
        )}
        <a href={`https://${value}`} target="_blank" rel="noopener noreferrer" title={value} tabIndex={tabIndex} className={`truncate text-blue-800 underline-offset-2 hover:underline dark:text-blue-300 ${focusRing}`}>
          {value}
        </a>
      </span>
    );
  }
  if (kind === 'url' && typeof value === 'string') {
    const href = safeHttpUrl(value);
    if (href) {
      return (
        <a href={href} target="_blank" rel="noopener noreferrer" title={value} tabIndex={tabIndex} className={`text-blue-800 underline-offset-2 hover:underline dark:text-blue-300 ${focusRing}`}>
          {value}
        </a>
      );
    }
  }
  const text = formatCellText(kind, value);
  // Long URLs and anchors are cut by the cell's width; the title keeps the whole text.
  return kind === 'url' || kind === 'text' || kind === 'domain' ? <span title={text}>{text}</span> : <>{text}</>;
}

/** New text columns start A→Z, numbers and dates biggest / newest first. */
function firstOrder(kind: ColumnKind): Sort['order'] {
  return kind === 'number' || kind === 'date' ? 'desc' : 'asc';
}

/**
 * A report table: virtualised rows, sticky header, server-side sort through header buttons.
 * Only the rows on screen become elements; nothing is built per loaded row, so 100,000 rows
 * cost their data and no more, and a new page of rows does not rebuild the ones before it.
 */
export function ReportTable({
  label,
  columns,
  rows,
  total,
  sort,
  sortable,
  unsortableReason,
  sortDisabledReason,
  onSortChange,
  onNearEnd,
  onLookUp,
  onShowAnchorBacklinks,
}: ReportTableProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  /** The row that takes Tab and the arrow keys (a roving tabindex over the virtualised rows). */
  const [activeIndex, setActiveIndex] = useState(0);
  /** The row the keys last moved to, before its focus lands: quick presses add up instead of repeating. */
  const intendedIndex = useRef(0);
  /** Widths set by the user; other columns size to their content. */
  const [widths, setWidths] = useState<Record<string, number>>({});
  /** Every header's width as laid out, for its resize handle's value (screen readers read it). */
  const [laidOutWidths, setLaidOutWidths] = useState<Record<string, number>>({});
  const headerRow = useRef<HTMLTableRowElement>(null);
  /** Each header's column id and its width as laid out now. */
  const headerWidths = () =>
    [...(headerRow.current?.querySelectorAll<HTMLElement>('th[data-column-id]') ?? [])].map((header) => [header.dataset.columnId!, header.offsetWidth] as const);
  useEffect(() => {
    const headers = headerRow.current?.querySelectorAll<HTMLElement>('th[data-column-id]') ?? [];
    const observer = new ResizeObserver(() => setLaidOutWidths(Object.fromEntries(headerWidths())));
    headers.forEach((header) => observer.observe(header));
    return () => observer.disconnect();
  }, [columns]);
  /**
   * The widths the columns took for the first rows shown, then held (a fixed table layout), so
   * the columns do not jump as rows with longer or shorter text scroll by. Measured again when
   * the columns, the table's rows (a new lookup) or the panel's width change.
   */
  const [heldWidths, setHeldWidths] = useState<Record<string, number> | null>(null);
  const hasRows = rows.length > 0;
  /** The columns by name: a parent may hand the same ones over as a new array on each render. */
  const columnIds = columns.map((column) => column.id).join('\n');
  useEffect(() => setHeldWidths(null), [columnIds, hasRows]);
  useEffect(() => {
    const scroller = scrollRef.current;
    if (!scroller) return;
    let width = scroller.clientWidth;
    const observer = new ResizeObserver(() => {
      if (scroller.clientWidth === width) return;
      width = scroller.clientWidth;
      setHeldWidths(null);
    });
    observer.observe(scroller);
    return () => observer.disconnect();
  }, []);
  // Read from the table as just laid out with free widths (the state's widths may be a layout old).
  useLayoutEffect(() => {
    if (heldWidths || !hasRows) return;
    const laidOut = headerWidths();
    // Not laid out yet (a hidden tab has no widths): held once it is (laidOutWidths changes then).
    if (laidOut.length !== columns.length || laidOut.some(([, width]) => width <= 0)) return;
    setHeldWidths(Object.fromEntries(laidOut));
  }, [heldWidths, hasRows, columns.length, laidOutWidths]);
  const domainColumn = columns.find((column) => column.kind === 'domain');
  const anchorColumn = columns.find((column) => column.kind === 'anchor');

  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualiser is read afresh each render; nothing memoises its output.
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 15,
  });
  const virtualRows = virtualizer.getVirtualItems();
  const paddingTop = virtualRows[0]?.start ?? 0;
  const paddingBottom = virtualRows.length > 0 ? virtualizer.getTotalSize() - virtualRows[virtualRows.length - 1]!.end : 0;

  function handleScroll(event: UIEvent<HTMLDivElement>) {
    const element = event.currentTarget;
    if (element.scrollHeight - element.scrollTop - element.clientHeight < NEAR_END_PX) onNearEnd();
  }

  /** Moves the keyboard focus to a row, scrolling it into view first (it may not be rendered yet). */
  function focusRow(index: number) {
    const target = Math.max(0, Math.min(rows.length - 1, index));
    intendedIndex.current = target;
    setActiveIndex(target);
    virtualizer.scrollToIndex(target, { align: 'auto' });
    let frames = 0;
    const focusWhenRendered = () => {
      const element = scrollRef.current?.querySelector<HTMLElement>(`tr[data-row-index="${target}"]`);
      if (element) element.focus({ preventScroll: true });
      else if (++frames < 10) requestAnimationFrame(focusWhenRendered);
    };
    requestAnimationFrame(focusWhenRendered);
  }

  function handleRowKeyDown(event: KeyboardEvent<HTMLTableSectionElement>) {
    const row = (event.target as HTMLElement).closest<HTMLElement>('tr[data-row-index]');
    if (!row) return;
    const index = intendedIndex.current;
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? ROW_HEIGHT * 10) / ROW_HEIGHT) - 1);
    const moves: Record<string, number> = { ArrowDown: index + 1, ArrowUp: index - 1, PageDown: index + page, PageUp: index - page, Home: 0, End: rows.length - 1 };
    if (event.key in moves) {
      event.preventDefault();
      focusRow(moves[event.key]!);
      return;
    }
    // Enter on the row itself (a link or button inside keeps its own Enter) looks its domain up,
    // or shows the backlinks with its anchor.
    if (event.key !== 'Enter' || !(event.target as HTMLElement).matches('tr')) return;
    const cells = rows[index] as unknown as Record<string, unknown>;
    if (domainColumn && onLookUp) {
      const value = cells[domainColumn.id];
      if (typeof value === 'string' && HOSTNAME.test(value)) {
        event.preventDefault();
        onLookUp(value);
      }
    } else if (anchorColumn && onShowAnchorBacklinks) {
      const value = cells[anchorColumn.id];
      if (typeof value === 'string' && value !== '') {
        event.preventDefault();
        onShowAnchorBacklinks(value);
      }
    }
  }

  function setColumnWidth(columnId: string, width: number) {
    setWidths((current) => ({ ...current, [columnId]: Math.round(Math.max(MIN_COLUMN_WIDTH, Math.min(MAX_COLUMN_WIDTH, width))) }));
  }

  function startResize(event: PointerEvent<HTMLSpanElement>, columnId: string) {
    const header = event.currentTarget.parentElement;
    if (!header) return;
    event.preventDefault();
    const startX = event.clientX;
    const startWidth = header.getBoundingClientRect().width;
    const handle = event.currentTarget;
    handle.setPointerCapture(event.pointerId);
    const onMove = (move: globalThis.PointerEvent) => setColumnWidth(columnId, startWidth + move.clientX - startX);
    const onUp = () => {
      handle.removeEventListener('pointermove', onMove);
      handle.removeEventListener('pointerup', onUp);
    };
    handle.addEventListener('pointermove', onMove);
    handle.addEventListener('pointerup', onUp);
  }

  function resizeWithKeys(event: KeyboardEvent<HTMLSpanElement>, columnId: string) {
    const step = event.key === 'ArrowRight' ? COLUMN_WIDTH_STEP : event.key === 'ArrowLeft' ? -COLUMN_WIDTH_STEP : 0;
    if (step === 0) return;
    event.preventDefault();
    const current = widths[columnId] ?? event.currentTarget.parentElement?.getBoundingClientRect().width ?? 120;
    setColumnWidth(columnId, current + step);
  }

  function toggleSort(column: ColumnDef) {
    // A new sort is a new table: start reading it from the top.
    scrollRef.current?.scrollTo({ top: 0 });
    if (sort?.field === column.id) onSortChange({ field: column.id, order: sort.order === 'desc' ? 'asc' : 'desc' });
    else onSortChange({ field: column.id, order: firstOrder(column.kind) });
  }

  return (
    <div ref={scrollRef} onScroll={handleScroll} className="min-h-40 flex-1 overflow-auto" data-testid="report-table-scroll">
      <table
        aria-label={label}
        aria-rowcount={total == null ? -1 : total + 1}
        className={`w-full border-collapse text-left text-[13px] tabular-nums ${heldWidths ? 'table-fixed' : ''}`}
      >
        {heldWidths && (
          <colgroup>
            {columns.map((column) => (
              <col key={column.id} style={{ width: widths[column.id] ?? heldWidths[column.id] }} />
            ))}
          </colgroup>
        )}
        <thead className="sticky top-0 z-10 bg-slate-100 dark:bg-slate-800">
          <tr ref={headerRow} aria-rowindex={1}>
            {columns.map((column) => {
              const isSortable = !sortDisabledReason && sortable.includes(column.id);
              const sorted = sort?.field === column.id ? sort.order : null;
              const ariaSort = !isSortable ? undefined : sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none';
              const alignRight = column.kind === 'number';
              return (
                <th
                  key={column.id}
                  data-column-id={column.id}
                  scope="col"
                  // Named by the column alone: its resize handle would otherwise join the name.
                  aria-label={column.label}
                  aria-sort={ariaSort}
                  style={widths[column.id] ? { width: widths[column.id], maxWidth: widths[column.id] } : undefined}
                  // A figure's header may wrap (its numbers are short), so a long one such as "Links
                  // to rival-shop.com" leaves room for the domains in a narrow panel.
                  className={`relative border-b border-slate-300 px-2 py-1 font-semibold dark:border-slate-600 ${alignRight ? 'text-right' : 'whitespace-nowrap'}`}
                >
                  {sortDisabledReason ? (
                    <button type="button" disabled title={sortDisabledReason} className="inline-flex items-center gap-1 rounded disabled:cursor-not-allowed">
                      {column.label}
                    </button>
                  ) : isSortable ? (
                    <button type="button" onClick={() => toggleSort(column)} className={`inline-flex items-center gap-1 rounded hover:text-blue-800 dark:hover:text-blue-300 ${focusRing}`}>
                      {column.label}
                      <span aria-hidden="true" className="w-3 text-xs">
                        {sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : '↕'}
                      </span>
                    </button>
                  ) : (
                    <span title={unsortableReason}>{column.label}</span>
                  )}
                  <span
                    role="separator"
                    aria-orientation="vertical"
                    aria-label={t('table_resizeColumn', [column.label])}
                    aria-valuenow={widths[column.id] ?? laidOutWidths[column.id] ?? MIN_COLUMN_WIDTH}
                    aria-valuemin={MIN_COLUMN_WIDTH}
                    aria-valuemax={MAX_COLUMN_WIDTH}
                    tabIndex={0}
                    title={t('table_resizeTitle')}
                    onPointerDown={(event) => startResize(event, column.id)}
                    onKeyDown={(event) => resizeWithKeys(event, column.id)}
                    className={`absolute top-0 right-0 h-full w-1.5 cursor-col-resize touch-none hover:bg-blue-400/60 focus-visible:bg-blue-500 ${focusRing}`}
                  />
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody onKeyDown={handleRowKeyDown}>
          {paddingTop > 0 && (
            <tr aria-hidden="true">
              <td colSpan={columns.length} style={{ height: paddingTop, padding: 0 }} />
            </tr>
          )}
          {virtualRows.map((virtualRow) => {
            const row = rows[virtualRow.index] as unknown as Record<string, unknown>;
            return (
              <tr
                key={virtualRow.index}
                aria-rowindex={virtualRow.index + 2}
                data-row-index={virtualRow.index}
                tabIndex={virtualRow.index === activeIndex ? 0 : -1}
                onFocus={(event) => {
                  if (event.target !== event.currentTarget) return;
                  intendedIndex.current = virtualRow.index;
                  setActiveIndex(virtualRow.index);
                }}
                style={{ height: ROW_HEIGHT }}
                className={`border-b border-slate-200 odd:bg-white even:bg-slate-50 dark:border-slate-700 dark:odd:bg-slate-900 dark:even:bg-slate-800/60 ${rowFocusRing}`}
              >
                {columns.map((column) => (
                  <td
                    key={column.id}
                    style={widths[column.id] ? { maxWidth: widths[column.id] } : undefined}
                    className={`max-w-72 truncate px-2 py-1 ${column.kind === 'number' ? 'text-right' : ''}`}
                  >
                    <Cell
                      kind={column.kind}
                      value={row[column.id]}
                      onLookUp={onLookUp}
                      onShowAnchorBacklinks={onShowAnchorBacklinks}
                      tabIndex={virtualRow.index === activeIndex ? 0 : -1}
                    />
                  </td>
                ))}
              </tr>
            );
          })}
          {paddingBottom > 0 && (
            <tr aria-hidden="true">
              <td colSpan={columns.length} style={{ height: paddingBottom, padding: 0 }} />
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
