// Summaries of repeated timings. These machines are noisy (2 shared cores), so every figure is a
// median of several runs, with the spread kept beside it so a reader can see how far to trust it.

export interface Summary {
  runs: number;
  median: number;
  p95: number;
  min: number;
  max: number;
}

/** Nearest-rank percentile (q in 0..1) of `values`; NaN for an empty list. */
export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1];
}

/** The median; the mean of the middle two for an even count. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function summarise(values: readonly number[]): Summary {
  return {
    runs: values.length,
    median: round(median(values)),
    p95: round(percentile(values, 0.95)),
    min: round(Math.min(...values)),
    max: round(Math.max(...values)),
  };
}

/** Three significant figures are all a noisy timing deserves (and keep results.json readable). */
export function round(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const digits = Math.max(0, 2 - Math.floor(Math.log10(Math.abs(x))));
  return Number(x.toFixed(Math.min(digits, 6)));
}
