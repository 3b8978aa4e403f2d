/**
 * Bayesian inference at finite width (EFT4ML slides, "Lack of representation learning" and
 * "Bayesian learning at finite width"). Observe one output neuron z_1 at the training inputs A
 * (values y_A, no noise) and ask what that says about another output neuron z_2 of the same net.
 * At infinite width the output neurons are independent and nothing moves. At finite width both
 * share the random metric G^ of the last layer (metric-chain.ts), so conditioning on z_1 shifts
 * the metric, and with it the 2-point function of z_2 at any inputs b, b':
 *
 *   E[z_2b z_2b' | z_1A = y] = E[G^_bb' | y]
 *                           = G_bb' + (1 / 2n) sum_{a1 a2 in A} V4_(bb')(a1a2) (G^-1 y y^T G^-1 - G^-1)_a1a2 + O(1/n^2),
 *
 * from p(y | G^) = N(y; 0, G^_AA) expanded to first order in Cov(G^) = V4 / n. With one training
 * point and b = b' = a this is the slides' G + (y^2 - G) V / (2 n G^2). The shift (representation
 * learning) is the 1/n effect; `posteriorShift` returns it, with G = K at this order.
 *
 * The brute-force check: the same networks drawn by the metric chain, each weighted by its
 * likelihood N(y; 0, G^_AA) of the observation (importance weighting over the prior; no noise is
 * needed since the likelihood is exact given G^), the shift read off as the weighted minus the
 * unweighted mean of G^_bb', with jackknife errors and the Pareto diagnostic of the weights.
 */
import { fail } from '../core/validate';
import { Estimate, jackknife } from '../statistics/stats';
import { TailDiagnostic, paretoTailSize, tailDiagnostic } from '../statistics/tails';
import { MetricSamples, metricEntry } from './metric-chain';

/** Inverse of a 1 x 1 or 2 x 2 symmetric matrix. */
function inverse(G: number[][]): number[][] {
  if (G.length === 1) return [[1 / G[0][0]]];
  const det = G[0][0] * G[1][1] - G[0][1] * G[1][0];
  return [
    [G[1][1] / det, -G[0][1] / det],
    [-G[1][0] / det, G[0][0] / det],
  ];
}

/** The training inputs (1 or 2 of the P input indices) and the values observed there. */
function checkObservation(fn: string, P: number, train: readonly number[], y: readonly number[]): void {
  if (!train.length || train.length > 2 || train.some((a) => !(Number.isInteger(a) && a >= 0 && a < P))) fail(fn, 'train', `1 or 2 input indices in 0..${P - 1}`, JSON.stringify(train));
  if (y.length !== train.length || !y.every(Number.isFinite)) fail(fn, 'y', `${train.length} finite observed value(s)`, JSON.stringify(y));
}

/**
 * The 1/n shift E[G^_bb' | z_1A = y] - G_bb' (module comment) for every (b, b') of the P inputs,
 * from the output layer's K (P x P, flattened) and V4 (P^4, flattened) at width n. `train` are the
 * indices of the training inputs (1 or 2 of the P), `y` the observed values there.
 */
export function posteriorShift(K: ArrayLike<number>, V4: ArrayLike<number>, width: number, train: readonly number[], y: readonly number[]): number[][] {
  const fn = 'posteriorShift';
  const P = Math.round(Math.sqrt(K.length));
  if (P * P !== K.length || V4.length !== P ** 4) fail(fn, 'V4', `P^4 = ${P ** 4} entries for a ${P} x ${P} K`, V4.length);
  checkObservation(fn, P, train, y);
  const GA = train.map((a) => train.map((b) => K[a * P + b]));
  const inv = inverse(GA);
  const u = inv.map((row) => row.reduce((s, v, j) => s + v * y[j], 0));
  const R = train.map((_, i) => train.map((__, j) => u[i] * u[j] - inv[i][j]));
  return Array.from({ length: P }, (_, b) =>
    Array.from({ length: P }, (__, c) => {
      let t = 0;
      train.forEach((a1, i) => train.forEach((a2, j) => (t += V4[((b * P + c) * P + a1) * P + a2] * R[i][j])));
      return t / (2 * width);
    }),
  );
}

/** The brute-force shift with its error bars and the diagnostic of the importance weights. */
export interface BruteForceShift {
  /** Weighted minus unweighted mean of G^_bb', per (b, b') (P x P). */
  readonly shift: Estimate[][];
  /** The prior mean E[G^_bb'] (the unweighted mean). */
  readonly prior: Estimate[][];
  /** Effective sample size (sum w)^2 / sum w^2 of the weights. */
  readonly effectiveSamples: number;
  /** Pareto k-hat of the importance weights (unreliable above the threshold). */
  readonly weights: TailDiagnostic;
}

/** Importance-weighted brute force over sampled output metrics (module comment). */
export function bruteForceShift(samples: MetricSamples, train: readonly number[], y: readonly number[], blocks = 20): BruteForceShift {
  const fn = 'bruteForceShift';
  const { entries, nets: M } = samples;
  const P = samples.inputs.length;
  const E = entries.length;
  checkObservation(fn, P, train, y);
  const entryOf = (a: number, b: number) => metricEntry(samples, a, b);
  // log N(y; 0, G_AA) per network, then weights relative to the largest (the training block's entries looked up once).
  const block = train.map((a) => train.map((b) => entryOf(a, b)));
  const G = train.map(() => train.map(() => 0));
  const logw = new Float64Array(M);
  for (let m = 0; m < M; m++) {
    block.forEach((row, i) => row.forEach((e, j) => (G[i][j] = samples.samples[m * E + e])));
    const det = G.length === 1 ? G[0][0] : G[0][0] * G[1][1] - G[0][1] ** 2;
    if (!(det > 0)) {
      logw[m] = -Infinity;
      continue;
    }
    const inv = inverse(G);
    let q = 0;
    train.forEach((_, i) => train.forEach((__, j) => (q += y[i] * inv[i][j] * y[j])));
    logw[m] = -0.5 * q - 0.5 * Math.log(det);
  }
  let top = -Infinity;
  for (const v of logw) if (v > top) top = v;
  const w = logw.map((v) => Math.exp(v - top));
  let sw = 0;
  let sw2 = 0;
  for (const v of w) {
    sw += v;
    sw2 += v * v;
  }
  const per = Math.floor(M / blocks);
  // Block means of w, w G_e and G_e.
  const means: number[][] = [];
  for (let b = 0; b < blocks; b++) {
    const last = b === blocks - 1 ? M : (b + 1) * per;
    const sums = new Array<number>(1 + 2 * E).fill(0);
    for (let m = b * per; m < last; m++) {
      sums[0] += w[m];
      for (let e = 0; e < E; e++) {
        const g = samples.samples[m * E + e];
        sums[1 + e] += w[m] * g;
        sums[1 + E + e] += g;
      }
    }
    means.push(sums.map((s) => s / (last - b * per)));
  }
  const grid = <T>(f: (e: number) => T) => Array.from({ length: P }, (_, b) => Array.from({ length: P }, (__, c) => f(entryOf(b, c))));
  const sorted = Float64Array.from(w).sort();
  return {
    shift: grid((e) => jackknife(means, (mu) => mu[1 + e] / mu[0] - mu[1 + E + e])),
    prior: grid((e) => jackknife(means, (mu) => mu[1 + E + e])),
    effectiveSamples: (sw * sw) / sw2,
    weights: tailDiagnostic(sorted.subarray(Math.max(0, M - paretoTailSize(M) - 1)), M),
  };
}
