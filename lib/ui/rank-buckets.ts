/**
 * The rank histogram's counting, apart from the chart drawing (`chart-geometry.ts`): the side panel
 * counts the loaded rows at once, while the chart code loads only when a chart is drawn.
 */

/** The rank ranges Serpstat's distribution uses (0, 1–9, …, 90–100): the loaded rows fall in the same. */
export const RANK_RANGES: readonly (readonly [number, number])[] = [[0, 0], [1, 9], [10, 19], [20, 29], [30, 39], [40, 49], [50, 59], [60, 69], [70, 79], [80, 89], [90, 100]];

/** How many of `ranks` (0–100) fall in each range; ranks the provider did not give are counted apart. */
export function rankBuckets(ranks: readonly (number | null)[]): { buckets: { from: number; to: number; domains: number }[]; unranked: number } {
  const buckets = RANK_RANGES.map(([from, to]) => ({ from, to, domains: 0 }));
  let unranked = 0;
  for (const rank of ranks) {
    // Ranks between two ranges' ends (DataForSEO may send 9.5) go to the range below.
    const bucket = rank === null ? undefined : buckets.findLast((one) => rank >= one.from);
    if (bucket && rank !== null && rank <= 100) bucket.domains += 1;
    else unranked += 1;
  }
  return { buckets, unranked };
}
