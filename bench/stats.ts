/**
 * How sure a ratio of load times is. Single landing loads on a shared two-core machine spread
 * widely (30 to 160 ms for one lab page, one browser, nothing else changing) and one load does not
 * predict the next, so a ratio needs its uncertainty beside it to be read at all.
 */

/** Two-sided 95% Student t quantiles for 1–30 degrees of freedom (any statistics table). */
const T95 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
  2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/** The two-sided 95% t quantile; past the table, the Cornish–Fisher expansion (within 0.001 there). */
export function t95(df: number): number {
  const tabled = T95[Math.round(df) - 1];
  if (tabled !== undefined) return tabled;
  const z = 1.959964;
  return z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df ** 2);
}

export interface Ratio {
  ratio: number;
  /** The 95% confidence interval of the ratio. */
  low: number;
  high: number;
}

/** Loads that measured nothing (no navigation entry: NaN) are left out, not allowed to make the whole ratio NaN. */
const measured = (xs: number[]) => xs.filter((x) => Number.isFinite(x) && x > 0);
const meanLog = (xs: number[]) => xs.reduce((a, x) => a + Math.log(x), 0) / xs.length;

/**
 * The ratio of `test` to `base` load times, measured in cycles: cycle i holds the loads of each
 * condition taken one after the other (`test[i]`, `base[i]`). Each cycle gives the difference of
 * the two conditions' mean log load times, so a machine that gets slower over the run hits both
 * alike; the ratio is the exponent of the mean difference, and its interval the t interval over
 * cycles. The geometric mean rather than the median: on loads measured here, two halves of one
 * condition's loads agree closer (6.5% against 8.7% for 50 loads each).
 */
export function pairedRatio(test: number[][], base: number[][]): Ratio {
  const diffs = test
    .map((xs, i) => [measured(xs), measured(base[i] ?? [])] as const)
    .filter(([a, b]) => a.length > 0 && b.length > 0)
    .map(([a, b]) => meanLog(a) - meanLog(b));
  const n = diffs.length;
  if (n === 0) return { ratio: Number.NaN, low: Number.NaN, high: Number.NaN };
  const mean = diffs.reduce((a, d) => a + d, 0) / n;
  const sd = n > 1 ? Math.sqrt(diffs.reduce((a, d) => a + (d - mean) ** 2, 0) / (n - 1)) : Number.NaN;
  const half = n > 1 ? (t95(n - 1) * sd) / Math.sqrt(n) : Number.NaN;
  return { ratio: Math.exp(mean), low: Math.exp(mean - half), high: Math.exp(mean + half) };
}

/** `1.038 (95% CI 0.981–1.098)` */
export function formatRatio(r: Ratio): string {
  return `${r.ratio.toFixed(3)} (95% CI ${r.low.toFixed(3)}–${r.high.toFixed(3)})`;
}
