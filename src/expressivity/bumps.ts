/**
 * The constructive side of the universal approximation theorem (lecture section 2.1, TASI eqs.
 * (21)-(24), Fig. 1): a single hidden layer of steep sigmoids that builds a continuous 1-D target out
 * of bumps.
 *
 * On [lo, hi] cut into N equal cells [a_k, a_{k+1}] with midpoints m_k, the bump of cell k is
 * sigma(s (x - a_k)) - sigma(s (x - a_{k+1})): close to 1 inside the cell and to 0 outside once the
 * steepness s is large against 1/h (h = (hi - lo) / N), the step of eq. (24). The network
 *   phi(x) = sum_k f(m_k) [sigma(s (x - a_k)) - sigma(s (x - a_{k+1}))]
 * is eq. (21) with d = 1 and 2N hidden units (w0 = s, b0 = -s a, w1 = +-f(m_k), b1 = 0); the outermost
 * edges a_0 and a_N are moved one cell out (to lo - h and hi + h), so that phi(lo) and phi(hi) are not
 * halved by a sigmoid sitting on the boundary. For an
 * L-Lipschitz f the staircase it tends to is within L h / 2 of f, and at a cell edge the sigmoid
 * splits the jump |f(m_k) - f(m_{k-1})| <= L h, so the sup-norm error falls like 1/N once s h is large
 * (the error of the smoothing itself decays like exp(-s h / 2) away from the edges).
 *
 * (The seed's eq. (21) writes the double sum sum_i sum_j w_i sigma(w_ij x_j + b_i); the sum over
 * input coordinates belongs inside the sigmoid, sigma(sum_j w_ij x_j + b_i), as in its eq. (24) and in
 * Cybenko's theorem. In one dimension the two agree.)
 */
import { checkPositiveInteger, fail } from '../core/validate';
import { ACTIVATION_REGISTRY } from '../nets/activations';

/** The logistic sigmoid of eq. (23), as the activation registry defines it. */
const sigmoid = ACTIVATION_REGISTRY.sigmoid.fn;

/** A single-hidden-layer sigmoid net of eq. (21) in one dimension, its parameters and its function. */
export interface SigmoidNet1D {
  /** w0_i, b0_i, w1_i for the 2N hidden units, and the output bias b1. */
  readonly w0: Float64Array;
  readonly b0: Float64Array;
  readonly w1: Float64Array;
  readonly b1: number;
  /** phi(x) = sum_i w1_i sigma(w0_i x + b0_i) + b1, in float64. */
  readonly evaluate: (x: number) => number;
}

/**
 * The bump network of f on [lo, hi] with N cells and steepness s (see the module comment).
 * `steepness` defaults to 20 / h, steep enough that the smoothing error is below the staircase's.
 */
export function bumpNet(f: (x: number) => number, lo: number, hi: number, N: number, steepness?: number): SigmoidNet1D {
  const fn = 'bumpNet';
  if (typeof f !== 'function') fail(fn, 'f', 'a function of one number', f);
  if (!Number.isFinite(lo)) fail(fn, 'lo', 'a finite number', lo);
  if (!Number.isFinite(hi) || !(hi > lo)) fail(fn, 'hi', `a finite number above lo = ${lo}`, hi);
  checkPositiveInteger(fn, 'N', N);
  const h = (hi - lo) / N;
  const s = steepness ?? 20 / h;
  if (!Number.isFinite(s) || !(s > 0)) fail(fn, 'steepness', 'a finite positive number', steepness);
  const w0 = new Float64Array(2 * N).fill(s);
  const b0 = new Float64Array(2 * N);
  const w1 = new Float64Array(2 * N);
  for (let k = 0; k < N; k++) {
    const a = lo + k * h;
    const height = f(a + h / 2);
    if (!Number.isFinite(height)) fail(fn, 'f', `finite on [lo, hi] (f(${a + h / 2}) is not)`, height);
    // rises at a_k and falls at a_{k+1}; the outermost edges sit one cell outside the box, so the
    // first and last bumps are already flat at lo and hi
    b0[2 * k] = -s * (k === 0 ? lo - h : a);
    b0[2 * k + 1] = -s * (k === N - 1 ? hi + h : a + h);
    w1[2 * k] = height;
    w1[2 * k + 1] = -height;
  }
  const evaluate = (x: number) => {
    let sum = 0;
    for (let i = 0; i < 2 * N; i++) sum += w1[i] * sigmoid(w0[i] * x + b0[i]);
    return sum;
  };
  return Object.freeze({ w0, b0, w1, b1: 0, evaluate });
}

/** max |f(x) - g(x)| over `points` equally spaced points of [lo, hi] (endpoints included). */
export function supNormError(f: (x: number) => number, g: (x: number) => number, lo: number, hi: number, points = 10001): number {
  checkPositiveInteger('supNormError', 'points', points);
  let worst = 0;
  for (let p = 0; p < points; p++) {
    const x = points === 1 ? lo : lo + ((hi - lo) * p) / (points - 1);
    worst = Math.max(worst, Math.abs(f(x) - g(x)));
  }
  return worst;
}
