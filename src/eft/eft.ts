/**
 * The Wilsonian effective field theory of a finite-width ensemble (the NN-QFT experiments):
 * measure couplings from the 4-point function, predict the 6-point function, run the cutoff.
 *
 * Conventions (as in the NN-QFT talk; see feynman.ts for the diagram rules):
 * - The propagator is the GP kernel K of the net, exact at every width for the single-layer nets.
 *   `bias: false` drops the output bias's constant sigma_b^2 from K (the other convention).
 * - Delta G_n = G_n - G_n^GP, with G_n^GP the free (Wick) n-point function of K; estimated by
 *   default with the measured G2 in the Wick pairings (see `DeviationEstimator`).
 * - First order: Delta G_n = sum_c g_c C_c(x_1..x_n), where C_c is the generated first-order change
 *   of G_n per unit coupling, vertices integrated over [-cutoff, cutoff]^d_in.
 * - Couplings are fitted to Delta G4 on a set of training tuples by weighted least squares, weights
 *   1 / stderr^2 of each measured Delta G4; their errors are delete-one-block jackknife errors of the
 *   whole fit, so correlations between tuples are accounted for.
 * - MAPE is in percent: 100 mean |pred - meas| / |meas| over the held-out tuples; MSE is mean
 *   (pred - meas)^2 there.
 */
import { SingleLayerNet, cosNet, densityVariance, singleLayerNet, withDensities } from '../nets/architectures';
import { gpKernel } from '../exact/gp-kernels';
import { CorrelatorRun } from '../ensembles/runs';
import { MomentAccumulator } from '../statistics/moments';
import { DiagramValues, EvaluateOptions, Propagator, derivativeQuartic, evaluateDiagrams, generateDiagrams, localInteraction, nonLocalQuartic, radialQuartic } from './feynman';
import { Estimate } from '../statistics/stats';
import { tupleIndex } from '../statistics/tuples';
import { fail } from '../core/validate';

/** The kernels the CLI and notebooks name. */
export const KERNEL_NAMES = ['erf', 'relu', 'gauss', 'cos'] as const;
export type KernelName = (typeof KERNEL_NAMES)[number];

export interface PropagatorOptions {
  kernel: KernelName;
  sigmaW?: number;
  sigmaB?: number;
  dIn?: number;
  /** Keep the output bias's constant sigma_b^2 in K (default true). */
  bias?: boolean;
}

/**
 * The single-layer net whose GP kernel is the named propagator (Cos-net: sigma_w for both layers,
 * output bias sigma_b): the Erf-, ReLU- and Gauss-nets of the NN-QFT talk ("A flash of some
 * experimental results"), and the Cos-net of TASI eqs. (68)-(69).
 */
export function propagatorNet(options: PropagatorOptions): SingleLayerNet {
  const { kernel, sigmaW = 1, sigmaB = 1, dIn = 1 } = options;
  if (!KERNEL_NAMES.includes(kernel)) fail('propagator', 'kernel', `one of ${KERNEL_NAMES.join(', ')}`, kernel);
  if (kernel === 'cos') return withDensities(cosNet({ width: 1, dIn, sigmaW0: sigmaW, sigmaW1: sigmaW }), { b1: { kind: 'normal', mean: 0, variance: sigmaB * sigmaB } });
  return singleLayerNet(kernel, { width: 1, dIn, sigmaW, sigmaB });
}

/**
 * The GP kernel of the named net as a propagator, with or without the bias constant (NN-QFT talk:
 * the kernel is the free propagator, G2 = K, its eq. (3.17); TASI eqs. (39), (41)).
 */
export function propagator(options: PropagatorOptions): Propagator {
  const net = propagatorNet(options);
  const K = gpKernel(net);
  if (options.bias ?? true) return K;
  const s2b = densityVariance(net.layers[1].bias, 'propagator');
  return (x, y) => K(x, y) - s2b;
}

/** The interactions of the NN-QFT talk's model ladder. */
export const INTERACTIONS = {
  /** local quartic lambda int f^4 (the talk's lambda, lambda_0 in its table) */
  lambda: localInteraction('lambda', 4),
  /** local sextic kappa int f^6 */
  kappa: localInteraction('kappa', 6),
  /** quartic with two derivatives lambda_2 int f^2 (df . df) */
  lambda2: derivativeQuartic('lambda2'),
  /** quartic weighted by |y|^2, lambdaR2 int |y|^2 f^4 (what the public NN-QFT code fits as its lambda_2) */
  lambdaR2: radialQuartic('lambdaR2'),
  /** non-local quartic lambda_NL int int f(y)^2 f(z)^2 */
  lambdaNL: nonLocalQuartic('lambdaNL'),
} as const;
export type CouplingName = keyof typeof INTERACTIONS;

/**
 * The model ladder of the NN-QFT talk's table "Verification of EFT predictions", couplings
 * (lambda_0, lambda_2, lambda_NL): M0 (GP, no coupling), M1 (+ local quartic), M2 (+ derivative
 * quartic), M3 (+ non-local quartic). The talk's second coupling is read two ways: M2/M3 take it
 * as the derivative quartic the talk's words suggest, M2r/M3r as the |y|^2-weighted quartic its
 * public code integrates.
 */
export const MODEL_LADDER: readonly { name: string; couplings: readonly CouplingName[] }[] = [
  { name: 'M0', couplings: [] },
  { name: 'M1', couplings: ['lambda'] },
  { name: 'M2', couplings: ['lambda', 'lambda2'] },
  { name: 'M2r', couplings: ['lambda', 'lambdaR2'] },
  { name: 'M3', couplings: ['lambda', 'lambda2', 'lambdaNL'] },
  { name: 'M3r', couplings: ['lambda', 'lambdaR2', 'lambdaNL'] },
];

/**
 * The first-order change of the full `order`-point function per unit coupling, at every sorted
 * tuple of `inputs` (what `nnft feynman` prints), keyed by coupling name: the O(g) terms of the
 * NN-QFT talk's eqs. (3.18) (order 4) and (3.19) (order 6), vertices integrated over the cutoff box.
 */
export function firstOrderCoefficients(K: Propagator, inputs: readonly (readonly number[])[], order: number, couplings: readonly CouplingName[], cutoff: number, options: EvaluateOptions = {}): Record<string, DiagramValues> {
  if (order !== 4 && order !== 6) fail('firstOrderCoefficients', 'order', '4 or 6', order);
  const out: Record<string, DiagramValues> = {};
  for (const c of couplings) {
    if (!(c in INTERACTIONS)) fail('firstOrderCoefficients', 'couplings', `names among ${Object.keys(INTERACTIONS).join(', ')}`, c);
    out[c] = evaluateDiagrams(generateDiagrams(order, [INTERACTIONS[c]]), order, K, inputs, cutoff, options);
  }
  return out;
}

/**
 * The free (Gaussian) n-point function of K at every sorted tuple: the Wick pairings, generated
 * (NN-QFT talk, "GP predictions for correlation functions": G4 = K K + 2 perms; the subtraction in
 * TASI eq. (49)).
 */
export function gaussianNPoint(K: Propagator, inputs: readonly (readonly number[])[], n: number): Float64Array {
  return evaluateDiagrams(generateDiagrams(n, []), n, K, inputs, 1).value;
}

/** Weighted least squares: minimise sum_rows w (y - A g)^2; returns g. A is rows x couplings. */
export function weightedLeastSquares(y: ArrayLike<number>, A: readonly ArrayLike<number>[], w: ArrayLike<number>, rows: readonly number[]): Float64Array {
  const C = A.length;
  // Normal equations, scaled by the column norms for conditioning (couplings differ by decades).
  const scale = A.map((col) => Math.sqrt(rows.reduce((s, r) => s + w[r] * col[r] * col[r], 0)) || 1);
  const M = Array.from({ length: C }, (_, i) => Array.from({ length: C }, (_, j) => rows.reduce((s, r) => s + (w[r] * A[i][r] * A[j][r]) / (scale[i] * scale[j]), 0)));
  const b = Array.from({ length: C }, (_, i) => rows.reduce((s, r) => s + (w[r] * A[i][r] * y[r]) / scale[i], 0));
  // Gaussian elimination with partial pivoting (C <= a few).
  for (let k = 0; k < C; k++) {
    let p = k;
    for (let i = k + 1; i < C; i++) if (Math.abs(M[i][k]) > Math.abs(M[p][k])) p = i;
    [M[k], M[p]] = [M[p], M[k]];
    [b[k], b[p]] = [b[p], b[k]];
    if (Math.abs(M[k][k]) < 1e-14) fail('weightedLeastSquares', 'A', 'columns that are linearly independent on the fitted rows', `${C} columns on ${rows.length} rows`);
    for (let i = k + 1; i < C; i++) {
      const f = M[i][k] / M[k][k];
      for (let j = k; j < C; j++) M[i][j] -= f * M[k][j];
      b[i] -= f * b[k];
    }
  }
  const g = new Float64Array(C);
  for (let k = C - 1; k >= 0; k--) {
    let s = b[k];
    for (let j = k + 1; j < C; j++) s -= M[k][j] * g[j];
    g[k] = s / M[k][k];
  }
  return g.map((v, k) => v / scale[k]);
}

/**
 * How Delta G_n is estimated from the moments: 'connected' subtracts the Wick pairings of the
 * *measured* G2 (the connected function; the same mean, since G2 = K at every width, and a smaller
 * variance, because G_n and G2 fluctuate together), 'gp' those of the exact kernel K.
 */
export type DeviationEstimator = 'connected' | 'gp';

/** Delta G_n as a function of the accumulated means (for jackknifed statistics). */
function deviationOf(inputs: readonly (readonly number[])[], K: Propagator, n: 4 | 6, estimator: DeviationEstimator): (means: (order: number) => Float64Array) => Float64Array {
  const P = inputs.length;
  if (estimator === 'gp') {
    const free = gaussianNPoint(K, inputs, n);
    return (means) => means(n).map((m, t) => m - free[t]);
  }
  if (estimator !== 'connected') fail('measuredDeviation', 'estimator', "'connected' or 'gp'", estimator);
  // Wick pairings of the measured G2: the same generator, with input indices as points.
  const indices = Array.from({ length: P }, (_, a) => [a]);
  const pairings = generateDiagrams(n, []); // once, not per jackknife replica
  return (means) => {
    const g2 = means(2);
    const G2: Propagator = (a, b) => g2[tupleIndex([a[0], b[0]], P)];
    const free = evaluateDiagrams(pairings, n, G2, indices, 1).value;
    return means(n).map((m, t) => m - free[t]);
  };
}

/** A run's moments, Delta G_n as a statistic of them, and its jackknife estimate; `fn` names the caller in errors. */
function deviationJackknife(fn: string, run: CorrelatorRun, K: Propagator, n: 4 | 6, estimator: DeviationEstimator) {
  const acc = MomentAccumulator.fromJSON(run.accumulator);
  if (!acc.orders.includes(n)) fail(fn, 'run', `a run with moments of order ${n}`, `orders ${acc.orders.join(', ')}`);
  const deviation = deviationOf(run.config.inputs, K, n, estimator);
  return { acc, deviation, measured: acc.jackknife(deviation, estimator === 'connected') };
}

/**
 * Measured Delta G_n = G_n - G_n^GP (jackknife errors) of a correlator run, the NN-QFT talk's
 * experimental correlators minus their free part; K is the exact kernel.
 */
export function measuredDeviation(run: CorrelatorRun, K: Propagator, n: 4 | 6, estimator: DeviationEstimator = 'connected'): { value: Float64Array; stdErr: Float64Array } {
  return deviationJackknife('measuredDeviation', run, K, n, estimator).measured;
}

/** What every fit to a run's Delta G4 needs: the moments, Delta G4 as a statistic, its estimate and WLS weights. */
function prepareFit(fn: string, run: CorrelatorRun, K: Propagator, estimator: DeviationEstimator) {
  const { acc, deviation, measured } = deviationJackknife(fn, run, K, 4, estimator);
  const weights = measured.stdErr.map((s) => 1 / Math.max(s * s, 1e-300));
  return { acc, deviation, measured, weights };
}

/**
 * Mean absolute percentage error 100 mean |predicted - measured| / |measured| over `rows` (the
 * MAPE column of the NN-QFT talk's table "Verification of EFT predictions").
 */
export function mapePercent(predicted: ArrayLike<number>, measured: ArrayLike<number>, rows: readonly number[]): number {
  return (100 * rows.reduce((s, t) => s + Math.abs(predicted[t] - measured[t]) / Math.abs(measured[t]), 0)) / rows.length;
}

/** The result of fitting one model of the ladder to a run. */
export interface CouplingFit {
  readonly model: string;
  readonly couplings: Readonly<Record<string, Estimate>>;
  /** Tuple rows (indices into the sorted 4-tuples) used for the fit and held out. */
  readonly trainRows: readonly number[];
  readonly testRows: readonly number[];
  /** Prediction of Delta G4 at every sorted tuple (fit on all networks). */
  readonly predicted: Float64Array;
  readonly measured: { value: Float64Array; stdErr: Float64Array };
  /** On the held-out tuples: MAPE (percent) and MSE. */
  readonly mape: number;
  readonly mse: number;
}

const toEstimate = (value: number, stdErr: number, count: number): Estimate => ({ value, stdErr, count });

/**
 * Fit the couplings of `model` to Delta G4 of `run` on `trainRows` (default: every other sorted
 * tuple) and score it on the rest: the NN-QFT talk's test/train split on the connected 4-point
 * function ("Verification of EFT predictions"), with Delta G4 at first order as in its eq. (3.18).
 * `coefficients` holds the first-order 4-point coefficients of each coupling (from
 * `firstOrderCoefficients`), so one integration serves many fits.
 */
export function fitModel(run: CorrelatorRun, K: Propagator, coefficients: Readonly<Record<string, DiagramValues>>, model: { name: string; couplings: readonly string[] }, trainRows?: readonly number[], estimator: DeviationEstimator = 'connected'): CouplingFit {
  const { acc, deviation, measured, weights: w } = prepareFit('fitModel', run, K, estimator);
  const rowsAll = Array.from(measured.value, (_, t) => t);
  const train = trainRows ?? rowsAll.filter((t) => t % 2 === 0);
  const test = rowsAll.filter((t) => !train.includes(t));
  if (train.length < model.couplings.length) fail('fitModel', 'trainRows', `at least ${model.couplings.length} tuples`, train.length);
  const A = model.couplings.map((c) => {
    const col = coefficients[c];
    if (!col) fail('fitModel', 'coefficients', `an entry for coupling ${c}`, Object.keys(coefficients));
    return col.value;
  });
  const fit = (dg: ArrayLike<number>) => (A.length ? weightedLeastSquares(dg, A, w, train) : new Float64Array(0));
  const jack = acc.jackknife((means) => fit(deviation(means)), true);
  const couplings: Record<string, Estimate> = {};
  model.couplings.forEach((c, k) => (couplings[c] = toEstimate(jack.value[k], jack.stdErr[k], acc.count)));
  const predicted = new Float64Array(measured.value.length);
  model.couplings.forEach((_, k) => A[k].forEach((a, t) => (predicted[t] += jack.value[k] * a)));
  const scoreRows = test.length ? test : train;
  const mape = mapePercent(predicted, measured.value, scoreRows);
  const mse = scoreRows.reduce((s, t) => s + (predicted[t] - measured.value[t]) ** 2, 0) / scoreRows.length;
  return { model: model.name, couplings, trainRows: train, testRows: test, predicted, measured, mape, mse };
}

/**
 * The first-order prediction of Delta G6 from fitted couplings (the NN-QFT talk's eq. (3.19): couplings
 * measured on the 4-point function predict the 6-point function), with its error propagated from the
 * couplings' errors (independently; the 6-point coefficients themselves are integrated to 1e-7).
 */
export function predictSixPoint(fit: CouplingFit, coefficients6: Readonly<Record<string, DiagramValues>>): { value: Float64Array; stdErr: Float64Array } {
  const names = Object.keys(fit.couplings);
  const size = coefficients6[names[0]]?.value.length ?? 0;
  const value = new Float64Array(size);
  const variance = new Float64Array(size);
  for (const c of names) {
    const col = coefficients6[c];
    if (!col) fail('predictSixPoint', 'coefficients6', `an entry for coupling ${c}`, Object.keys(coefficients6));
    const { value: mean, stdErr } = fit.couplings[c];
    col.value.forEach((a, t) => {
      value[t] += mean * a;
      variance[t] += (stdErr * a) ** 2;
    });
  }
  return { value, stdErr: variance.map(Math.sqrt) };
}

/** lambda against the cutoff, and the log-log slope d log|lambda| / d log cutoff = beta / lambda. */
export interface RunningCoupling {
  readonly cutoffs: readonly number[];
  readonly lambda: readonly Estimate[];
  /** Fitted slope of log|lambda| against log(cutoff) over the cutoffs, with its jackknife error. */
  readonly slope: Estimate;
}

/**
 * Fit the local quartic lambda to Delta G4 of `run` (all tuples) at each cutoff, and the slope of
 * log|lambda| against log cutoff (least squares over the cutoffs, jackknifed as a whole). The talk's
 * beta(lambda) = -d_in lambda (from dG4/d log Lambda = 0, its eq. (4.13)) is slope = -d_in.
 */
export function runningCoupling(run: CorrelatorRun, K: Propagator, cutoffs: readonly number[], options: EvaluateOptions & { estimator?: DeviationEstimator } = {}): RunningCoupling {
  if (cutoffs.length < 2 || cutoffs.some((c) => !(c > 0))) fail('runningCoupling', 'cutoffs', 'at least two positive numbers', cutoffs);
  const { acc, deviation, measured, weights: w } = prepareFit('runningCoupling', run, K, options.estimator ?? 'connected');
  const rows = Array.from(measured.value, (_, t) => t);
  const columns = cutoffs.map((L) => firstOrderCoefficients(K, run.config.inputs, 4, ['lambda'], L, options).lambda.value);
  const logs = cutoffs.map(Math.log);
  const meanLog = logs.reduce((a, b) => a + b, 0) / logs.length;
  const sxx = logs.reduce((s, l) => s + (l - meanLog) ** 2, 0);
  const jack = acc.jackknife((means) => {
    const dg = deviation(means);
    const lambdas = columns.map((col) => weightedLeastSquares(dg, [col], w, rows)[0]);
    const ly = lambdas.map((l) => Math.log(Math.abs(l)));
    const meanY = ly.reduce((a, b) => a + b, 0) / ly.length;
    const slope = logs.reduce((s, l, k) => s + (l - meanLog) * (ly[k] - meanY), 0) / sxx;
    return [...lambdas, slope];
  }, true);
  return {
    cutoffs: [...cutoffs],
    lambda: cutoffs.map((_, k) => toEstimate(jack.value[k], jack.stdErr[k], acc.count)),
    slope: toEstimate(jack.value[cutoffs.length], jack.stdErr[cutoffs.length], acc.count),
  };
}
