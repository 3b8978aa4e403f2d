/**
 * Small Monte Carlo summaries the notebooks repeat: pulls of estimates against exact values and
 * their summary, and the excess kurtosis of an ensemble's output with a jackknife error bar. The
 * arithmetic (and its order) is what the notebooks did inline, so their numbers do not move.
 */
import { fail } from '../core/validate';
import { Estimate, jackknife } from '../statistics/stats';

function checkSeries(fn: string, arg: string, value: unknown, length?: number): ArrayLike<number> {
  const ok = value !== null && typeof value === 'object' && typeof (value as ArrayLike<number>).length === 'number';
  if (!ok) fail(fn, arg, 'an array of numbers', value);
  const n = (value as ArrayLike<number>).length;
  if (length === undefined ? n === 0 : n !== length) fail(fn, `${arg}.length`, length === undefined ? 'positive' : `${length} (the length of estimates)`, n);
  return value as ArrayLike<number>;
}

/**
 * Pulls (estimate - exact) / stdErr, entry by entry: how far each Monte Carlo estimate sits from its
 * exact value in units of its own standard error. Honest error bars give pulls that scatter like a
 * standard normal.
 */
export function pulls(estimates: ArrayLike<number>, stdErrs: ArrayLike<number>, exact: ArrayLike<number>): number[] {
  const est = checkSeries('pulls', 'estimates', estimates);
  const se = checkSeries('pulls', 'stdErrs', stdErrs, est.length);
  const ex = checkSeries('pulls', 'exact', exact, est.length);
  return Array.from(est, (v, k) => (v - ex[k]) / se[k]);
}

/** A summary of pulls (`pullSummary`). */
export interface PullSummary {
  /** Number of pulls. */
  readonly entries: number;
  /** The largest |pull| (NaN if any pull is NaN). */
  readonly maxAbsPull: number;
  /** Sum of squared pulls over their number: about 1 for honest, independent error bars. */
  readonly chi2PerEntry: number;
}

/**
 * The largest |pull| and chi^2 per entry of a list of pulls (`pulls`). For correlated estimates
 * (entries sharing their networks) chi^2 per entry is only a rough guide.
 */
export function pullSummary(values: readonly number[]): PullSummary {
  const p = checkSeries('pullSummary', 'values', values) as readonly number[];
  return { entries: p.length, maxAbsPull: Math.max(...p.map(Math.abs)), chi2PerEntry: p.reduce((a, z) => a + z * z, 0) / p.length };
}

/**
 * Excess kurtosis of a zero-mean ensemble output, <f^4> / <f^2>^2 - 3 (moments about zero, as for
 * network outputs whose odd moments vanish by symmetry), with a delete-one-batch jackknife error
 * (`jackknife`, bias-corrected): the samples are split into `batches` consecutive batches of equal
 * size, each contributing its means of f^2 and f^4. The ratio of moments is why a jackknife is
 * needed; the count of samples must be a multiple of `batches`.
 */
export function jackknifeKurtosis(samples: ArrayLike<number>, batches: number): Estimate {
  const fn = 'jackknifeKurtosis';
  const f = checkSeries(fn, 'samples', samples);
  if (typeof batches !== 'number' || !Number.isSafeInteger(batches) || batches < 2) fail(fn, 'batches', 'an integer >= 2', batches);
  if (f.length % batches !== 0) fail(fn, 'samples.length', `a multiple of batches (${batches})`, f.length);
  const per = f.length / batches;
  const batchMeans = Array.from({ length: batches }, (_, b) => {
    let m2 = 0, m4 = 0;
    for (let i = b * per; i < (b + 1) * per; i++) {
      const v = f[i] * f[i];
      m2 += v;
      m4 += v * v;
    }
    return [m2 / per, m4 / per];
  });
  return jackknife(batchMeans, ([m2, m4]) => m4 / (m2 * m2) - 3);
}
