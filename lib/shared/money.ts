/** USD amounts are summed in micro-dollars so $0.02015 + $0.02015 is exactly $0.0403. */
export const toMicros = (usd: number) => Math.round(usd * 1_000_000);
export const fromMicros = (micros: number) => micros / 1_000_000;
/** a + b dollars, exact to the micro-dollar. */
export const addUsd = (a: number, b: number) => fromMicros(toMicros(a) + toMicros(b));
