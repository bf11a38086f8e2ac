/** The summary of repeated measurements of one figure: median with the range around it. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  runs: number;
}

/** Median (the mean of the middle two for an even count), min and max of at least one sample. */
export function spread(samples: readonly number[]): Spread {
  if (samples.length === 0) throw new Error('spread() needs at least one sample');
  if (samples.some((sample) => !Number.isFinite(sample))) throw new Error(`spread() got a sample that is not a number: ${samples.join(', ')}`);
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { median, min: sorted[0]!, max: sorted.at(-1)!, runs: sorted.length };
}
