/**
 * The charts' arithmetic, kept out of React so it is tested alone: scales, ticks and one SVG path
 * per series (2,500 bars are one <path>, not 2,500 elements, so a long history draws in one go).
 */

export interface ChartSeries {
  id: string;
  label: string;
  kind: 'line' | 'bar';
  /** One value per label; null where there is no figure (a gap, never a zero). */
  values: (number | null)[];
  tone: ChartTone;
}
export type ChartTone = 'blue' | 'green' | 'red' | 'amber' | 'violet';

export interface ChartBox {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}
// About the side panel's width, so 11-unit text reads at about 11 px.
export const defaultBox: ChartBox = { width: 400, height: 200, left: 44, right: 8, top: 8, bottom: 22 };

/** Round steps (1, 2, 5 × 10ⁿ) from 0 to at least `max`: the y axis' grid lines. */
export function niceTicks(max: number, count = 4): number[] {
  if (!(max > 0)) return [0, 1];
  const rough = max / count;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((candidate) => candidate >= rough) ?? 10 * magnitude;
  const ticks: number[] = [];
  for (let value = 0; value < max + step; value += step) {
    ticks.push(Math.round(value * 1e9) / 1e9);
    if (value >= max) break;
  }
  return ticks;
}

/** A few label indexes spread evenly, the first and the last included. */
export function labelTicks(count: number, wanted = 3): number[] {
  if (count <= wanted) return Array.from({ length: count }, (_, i) => i);
  const step = (count - 1) / (wanted - 1);
  return Array.from({ length: wanted }, (_, i) => Math.round(i * step));
}

export interface ChartLayout {
  yTicks: { value: number; y: number }[];
  xTicks: { index: number; x: number }[];
  /** One path per series, in the series' order. */
  paths: { id: string; kind: 'line' | 'bar'; d: string; tone: ChartTone }[];
  /** x of each label's slot centre. */
  slotX: (index: number) => number;
  /** Width of one label's slot. */
  slotWidth: number;
}

const fixed = (value: number) => Math.round(value * 100) / 100;

/** Where everything goes: bars side by side in each label's slot, lines through the slots' centres. */
export function layoutChart(labels: readonly string[], series: readonly ChartSeries[], box: ChartBox = defaultBox): ChartLayout {
  const plotWidth = box.width - box.left - box.right;
  const plotHeight = box.height - box.top - box.bottom;
  const baseline = box.top + plotHeight;
  let max = 0;
  for (const one of series) for (const value of one.values) if (value !== null && value > max) max = value;
  const yTicks = niceTicks(max);
  const top = yTicks[yTicks.length - 1]!;
  const y = (value: number) => fixed(baseline - (value / top) * plotHeight);
  const slot = plotWidth / Math.max(1, labels.length);
  const slotX = (index: number) => fixed(box.left + slot * (index + 0.5));
  const bars = series.filter((one) => one.kind === 'bar');
  const barWidth = (slot * 0.8) / Math.max(1, bars.length);

  const paths = series.map((one) => {
    const parts: string[] = [];
    if (one.kind === 'bar') {
      const offset = bars.indexOf(one) * barWidth - (slot * 0.8) / 2;
      one.values.forEach((value, index) => {
        if (value === null || value === 0) return;
        const x = fixed(slotX(index) + offset);
        parts.push(`M${x} ${baseline}V${y(value)}h${fixed(barWidth)}V${baseline}Z`);
      });
    } else {
      let drawing = false;
      one.values.forEach((value, index) => {
        if (value === null) {
          drawing = false;
          return;
        }
        parts.push(`${drawing ? 'L' : 'M'}${slotX(index)} ${y(value)}`);
        drawing = true;
      });
    }
    return { id: one.id, kind: one.kind, d: parts.join(''), tone: one.tone };
  });

  return {
    yTicks: yTicks.map((value) => ({ value, y: y(value) })),
    xTicks: labelTicks(labels.length).map((index) => ({ index, x: slotX(index) })),
    paths,
    slotX,
    slotWidth: slot,
  };
}
