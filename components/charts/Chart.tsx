import { useId, useMemo, useRef, useState } from 'react';
import { t } from '@/lib/shared/i18n';
import { defaultBox, layoutChart, type ChartSeries, type ChartTone } from '@/lib/ui/chart-geometry';
import { rowsToCsv, saveTextFile } from '@/lib/ui/csv';
import { formatNumber } from '@/lib/ui/format';
import { Button, focusRing, mutedText } from '../ui';

/**
 * Hand-written SVG, chosen over uPlot and Chart.js by measurement (docs/benchmarks.md): a few KB in
 * its own lazily loaded chunk, one <path> per series however many points, colours from the page's
 * CSS (so dark mode follows), and a table beside it for screen readers and for the CSV.
 */

const toneClass: Record<ChartTone, string> = {
  blue: 'text-blue-600 dark:text-blue-400',
  green: 'text-emerald-600 dark:text-emerald-400',
  red: 'text-rose-600 dark:text-rose-400',
  amber: 'text-amber-600 dark:text-amber-400',
  violet: 'text-violet-600 dark:text-violet-400',
};

export interface ChartProps {
  /** The chart's name: its heading, the image's and the table's accessible name. */
  title: string;
  /** One sentence a screen reader reads for the image (the table has every figure). */
  summary: string;
  /** Heading of the first table column ("Week", "Rank"). */
  labelHeading: string;
  labels: string[];
  /** The labels as shown (formatted dates, rank ranges). */
  displayLabels?: string[];
  series: ChartSeries[];
  /** Index from which the labels' periods are still being counted (shown lighter, said in the table). */
  partialFrom?: number;
  /** Names the exported files: "history_example.com_dataforseo_2026-11-30". */
  fileStem: string;
  /** How a value reads in the table (money in Options). */
  formatValue?: (value: number) => string;
}

/** The SVG with each element's colour written in, on the page's background, for a PNG. */
function standaloneSvg(svg: SVGSVGElement): string {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  const originals = [svg, ...svg.querySelectorAll('*')];
  const copies = [copy, ...copy.querySelectorAll('*')];
  originals.forEach((element, index) => {
    const style = getComputedStyle(element);
    (copies[index] as SVGElement).setAttribute('color', style.color);
    if (element instanceof SVGTextElement) (copies[index] as SVGElement).setAttribute('font-family', style.fontFamily);
  });
  let background = getComputedStyle(document.body).backgroundColor;
  if (background === 'rgba(0, 0, 0, 0)') background = 'white';
  const backdrop = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
  backdrop.setAttribute('width', '100%');
  backdrop.setAttribute('height', '100%');
  backdrop.setAttribute('fill', background);
  copy.insertBefore(backdrop, copy.firstChild);
  copy.setAttribute('width', String(defaultBox.width * 2));
  copy.setAttribute('height', String(defaultBox.height * 2));
  return new XMLSerializer().serializeToString(copy);
}

async function savePng(svg: SVGSVGElement, fileName: string): Promise<void> {
  const image = new Image();
  image.src = URL.createObjectURL(new Blob([standaloneSvg(svg)], { type: 'image/svg+xml' }));
  await image.decode();
  const canvas = document.createElement('canvas');
  canvas.width = defaultBox.width * 2;
  canvas.height = defaultBox.height * 2;
  canvas.getContext('2d')?.drawImage(image, 0, 0);
  URL.revokeObjectURL(image.src);
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  if (blob) saveTextFile(fileName, blob);
}

/** A bar or line chart (or both) over labelled periods, with its table and exports. */
export function Chart({ title, summary, labelHeading, labels, displayLabels = labels, series, partialFrom, fileStem, formatValue = formatNumber }: ChartProps) {
  const titleId = useId();
  const svgRef = useRef<SVGSVGElement>(null);
  const [message, setMessage] = useState('');
  // The table's rows are made when it is unfolded: 2,500 rows would otherwise cost the chart its smoothness.
  const [tableShown, setTableShown] = useState(false);
  const layout = useMemo(() => layoutChart(labels, series), [labels, series]);
  const box = defaultBox;
  const cellText = (value: number | null) => (value === null ? t('chart_noData') : formatValue(value));

  async function exportCsv() {
    const columns = [
      { id: 'label', label: labelHeading, kind: 'text' as const, providers: [] },
      ...series.map((one) => ({ id: one.id, label: one.label, kind: 'number' as const, providers: [] })),
    ];
    const rows = labels.map((label, index) => Object.fromEntries([['label', label], ...series.map((one) => [one.id, one.values[index] ?? ''])]));
    const fileName = `${fileStem}.csv`;
    saveTextFile(fileName, await rowsToCsv(rows, columns));
    setMessage(t('chart_saved', [fileName]));
  }
  async function exportPng() {
    if (!svgRef.current) return;
    const fileName = `${fileStem}.png`;
    await savePng(svgRef.current, fileName);
    setMessage(t('chart_saved', [fileName]));
  }

  return (
    <figure className="flex flex-col gap-1" aria-labelledby={titleId}>
      <h3 id={titleId} className="text-sm font-semibold">
        {title}
      </h3>
      <svg ref={svgRef} viewBox={`0 0 ${box.width} ${box.height}`} role="img" aria-label={summary} className="w-full text-slate-500 dark:text-slate-400">
        {layout.yTicks.map((tick) => (
          <g key={tick.value}>
            <line x1={box.left} x2={box.width - box.right} y1={tick.y} y2={tick.y} stroke="currentColor" strokeOpacity={0.25} />
            <text x={box.left - 4} y={tick.y} dy="0.32em" textAnchor="end" fontSize={11} fill="currentColor">
              {formatNumber(tick.value)}
            </text>
          </g>
        ))}
        {layout.xTicks.map((tick, index) => (
          <text
            key={tick.index}
            // The first and last labels lean inwards, so neither is cut at the edge.
            x={index === 0 ? box.left : index === layout.xTicks.length - 1 ? box.width - box.right : tick.x}
            y={box.height - 6}
            textAnchor={index === 0 ? 'start' : index === layout.xTicks.length - 1 ? 'end' : 'middle'}
            fontSize={11}
            fill="currentColor"
          >
            {displayLabels[tick.index]}
          </text>
        ))}
        {partialFrom !== undefined && partialFrom < labels.length && (
          <rect
            x={layout.slotX(partialFrom) - layout.slotWidth / 2}
            y={box.top}
            width={box.width - box.right - layout.slotX(partialFrom) + layout.slotWidth / 2}
            height={box.height - box.top - box.bottom}
            fill="currentColor"
            fillOpacity={0.08}
          />
        )}
        {layout.paths.map((path) => (
          <path
            key={path.id}
            d={path.d}
            className={toneClass[path.tone]}
            fill={path.kind === 'bar' ? 'currentColor' : 'none'}
            stroke={path.kind === 'line' ? 'currentColor' : 'none'}
            strokeWidth={2}
            strokeLinejoin="round"
          />
        ))}
      </svg>
      <ul className="flex flex-wrap gap-x-3 text-xs" aria-hidden="true">
        {series.map((one) => (
          <li key={one.id} className="flex items-center gap-1">
            <span className={`inline-block h-2.5 w-2.5 rounded-sm bg-current ${toneClass[one.tone]}`} />
            {one.label}
          </li>
        ))}
      </ul>
      <details className="text-xs" onToggle={(event) => setTableShown(event.currentTarget.open)}>
        <summary className={`cursor-pointer rounded ${mutedText} ${focusRing}`}>{t('chart_showTable')}</summary>
        {/* Focusable, so a long table scrolls from the keyboard. */}
        {tableShown && (
          <div className={`max-h-48 overflow-auto rounded ${focusRing}`} tabIndex={0} role="region" aria-label={title}>
            <table aria-label={title} className="w-full border-collapse text-left">
              <thead>
                <tr>
                  <th scope="col" className="px-1">{labelHeading}</th>
                  {series.map((one) => (
                    <th key={one.id} scope="col" className="px-1 text-right">
                      {one.label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {labels.map((label, index) => (
                  <tr key={label} className="border-t border-slate-200 dark:border-slate-700">
                    <th scope="row" className="px-1 font-normal tabular-nums">
                      {displayLabels[index]}
                      {partialFrom !== undefined && index >= partialFrom ? ` (${t('chart_stillCounting')})` : ''}
                    </th>
                    {series.map((one) => (
                      <td key={one.id} className="px-1 text-right tabular-nums">
                        {cellText(one.values[index] ?? null)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </details>
      <div className={`flex flex-wrap items-center gap-2 text-xs ${mutedText}`}>
        <Button className="text-xs" onClick={() => void exportPng()} aria-label={t('chart_exportPngOf', [title])}>
          {t('chart_exportPng')}
        </Button>
        <Button className="text-xs" onClick={() => void exportCsv()} aria-label={t('chart_exportCsvOf', [title])}>
          {t('export_csv')}
        </Button>
        <p role="status" className="min-w-0 break-all">
          {message}
        </p>
      </div>
    </figure>
  );
}
