/**
 * The benchmark's figures as one table, printed to the terminal and written into
 * docs/benchmarks.md between two markers (the prose around them is kept).
 */
import type { Spread } from './stats';

/** `ratio`: one figure over another, both measured in the same run. */
export type Unit = 'ms' | 'KB' | 'MB' | 'tasks' | 'ratio';

export interface Target {
  /** How the target reads, e.g. "≤ 150 ms" or "≤ floor + 150 ms = 152 ms". */
  text: string;
  met: boolean;
}

export interface Figure {
  /** Stable key in results.json, e.g. "popup.cold@100ms". */
  id: string;
  label: string;
  /** Simulator latency per request; absent for figures it does not affect (sizes). */
  latencyMs?: number;
  unit: Unit;
  value: Spread;
  target?: Target;
}

/** 1 KB = 1,024 bytes, so a figure under a KB target is under it in either reading. */
export const KB = 1024;
export const MB = 1024 * 1024;

/** A target met when `value` (the median) is at most `limit`. */
export function atMost(value: number, limit: number, text: string): Target {
  return { text, met: value <= limit };
}

export function formatValue(value: number, unit: Unit): string {
  switch (unit) {
    case 'ms':
      return `${value < 10 ? value.toFixed(1) : Math.round(value).toLocaleString('en-US')} ms`;
    case 'KB':
      return `${value.toFixed(1)} KB`;
    case 'MB':
      return `${value.toFixed(1)} MB`;
    case 'tasks':
      return String(Math.round(value));
    case 'ratio':
      return `${value.toFixed(2)} ×`;
  }
}

const header = ['Figure', 'Latency', 'Median', 'Min – max', 'Runs', 'Target', 'Met'];

/** One row per figure: the cells both tables show. */
export function figureRows(figures: readonly Figure[]): string[][] {
  return figures.map((figure) => [
    figure.label,
    figure.latencyMs === undefined ? '' : `${figure.latencyMs} ms`,
    formatValue(figure.value.median, figure.unit),
    figure.value.runs > 1 ? `${formatValue(figure.value.min, figure.unit)} – ${formatValue(figure.value.max, figure.unit)}` : '',
    String(figure.value.runs),
    figure.target?.text ?? '',
    figure.target === undefined ? '' : figure.target.met ? 'yes' : 'NO',
  ]);
}

/** A plain-text table with columns padded to their widest cell. */
export function textTable(figures: readonly Figure[]): string {
  const rows = [header, ...figureRows(figures)];
  const widths = header.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const line = (row: string[]) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd();
  return [line(rows[0]!), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

export function markdownTable(figures: readonly Figure[]): string {
  const escape = (cell: string) => cell.replace(/\|/g, '\\|');
  const line = (row: string[]) => `| ${row.map(escape).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...figureRows(figures).map(line)].join('\n');
}

export const RESULTS_START = '<!-- bench:results:start -->';
export const RESULTS_END = '<!-- bench:results:end -->';

/** `document` with the text between the result markers replaced by `results` (markers appended if missing). */
export function replaceResults(document: string, results: string, markers = { start: RESULTS_START, end: RESULTS_END }): string {
  const block = `${markers.start}\n${results.trim()}\n${markers.end}`;
  const start = document.indexOf(markers.start);
  const end = document.indexOf(markers.end);
  if (start === -1 || end < start) return `${document.trimEnd()}\n\n${block}\n`;
  return document.slice(0, start) + block + document.slice(end + markers.end.length);
}
