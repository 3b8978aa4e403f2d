/**
 * Correlation coefficients with error bars: Pearson's r, Spearman's rank correlation (Pearson's r of
 * the ranks) and the Fisher-z standard error of either.
 */
/** A correlation coefficient with its Fisher-z error. */
export interface Correlation {
  /** The coefficient; stdErr by the delta method, (1 - r^2) sigma_z; count the number of pairs. */
  readonly value: number;
  readonly stdErr: number;
  readonly count: number;
  /** atanh(r) and its standard error sigma_z (1 / sqrt(n - 3) for Pearson, sqrt(1.06 / (n - 3)) for Spearman). */
  readonly z: number;
  readonly zStdErr: number;
  /** tanh(z -+ sigma_z): the one-sigma interval, asymmetric near +-1. */
  readonly interval: readonly [number, number];
}

/**
 * A correlation coefficient r of n pairs with its Fisher-z error: z = atanh(r) has standard error
 * sqrt(zVariance / (n - 3)) (zVariance 1 for Pearson's r of bivariate normal data, 1.06 for Spearman's
 * rank correlation, Fieller-Hartley-Pearson 1957).
 */
export function fisherCorrelation(r: number, n: number, zVariance = 1): Correlation {
  const z = Math.atanh(Math.max(-1 + 1e-15, Math.min(1 - 1e-15, r)));
  const zStdErr = n > 3 ? Math.sqrt(zVariance / (n - 3)) : NaN;
  return { value: r, stdErr: (1 - r * r) * zStdErr, count: n, z, zStdErr, interval: [Math.tanh(z - zStdErr), Math.tanh(z + zStdErr)] };
}

/** Pearson's r of two equally long samples (float64 sums about the means). NaN when either is constant. */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : NaN;
}

/** Ranks 1..n, ties given their average rank. */
export function ranks(x: ArrayLike<number>): Float64Array {
  const order = Array.from({ length: x.length }, (_, i) => i).sort((a, b) => x[a] - x[b]);
  const r = new Float64Array(x.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && x[order[j + 1]] === x[order[i]]) j++;
    for (let k = i; k <= j; k++) r[order[k]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return r;
}

