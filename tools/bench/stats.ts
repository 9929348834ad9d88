/**
 * Order statistics for the benchmark. Percentiles use linear interpolation between closest ranks (the "R-7"
 * definition that numpy and most spreadsheets use by default), so that p50 of an even-sized sample is the mean of
 * the two middle values and small samples do not jump from one observation to the next.
 */

/** Summary of a sample. */
export interface Summary {
  /** Number of observations. */
  readonly n: number;
  readonly min: number;
  readonly p50: number;
  readonly p95: number;
  readonly max: number;
  readonly mean: number;
}

/**
 * The `p`-th percentile (0 ≤ p ≤ 100) of `values`, interpolated linearly between closest ranks.
 * Throws on an empty sample or an out-of-range `p`: a benchmark figure computed from nothing must not look like 0.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new RangeError("percentile of an empty sample");
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile ${p} is outside 0..100`);
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const lower = Math.floor(rank);
  const upper = Math.ceil(rank);
  const low = sorted[lower] as number;
  const high = sorted[upper] as number;
  return low + (high - low) * (rank - lower);
}

/** The median (the 50th percentile). */
export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** n, min, p50, p95, max and mean of a non-empty sample. */
export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) throw new RangeError("summary of an empty sample");
  let sum = 0;
  for (const v of values) sum += v;
  return {
    n: values.length,
    min: Math.min(...values),
    p50: percentile(values, 50),
    p95: percentile(values, 95),
    max: Math.max(...values),
    mean: sum / values.length,
  };
}

/** Rounds to `digits` decimals (for reports; the JSON keeps what the report shows). */
export function round(value: number, digits = 2): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
