/**
 * B-splines on an extended uniform grid, in float64: the learnable part of a Kolmogorov-Arnold
 * network's edge (lecture section 2: the Kolmogorov-Arnold representation, TASI eq. (25), inspires
 * edges phi(x) = w_b silu(x) + w_s sum_i c_i B_i(x) with trainable coefficients c_i).
 *
 * Grid convention (pykan's): G equal intervals on [lo, hi], extended by k intervals of the same width on
 * each side, knots t_j = lo + (j - k) h for j = 0 .. G + 2k, h = (hi - lo) / G. The order-k basis has
 * G + k functions B_0 .. B_{G+k-1}; B_i is supported on [t_i, t_{i+k+1}) and they sum to 1 on [lo, hi).
 * Values come from the Cox-de Boor recursion,
 *   B_{j,0}(x) = 1 if t_j <= x < t_{j+1}, else 0,
 *   B_{j,p}(x) = (x - t_j) / (t_{j+p} - t_j) B_{j,p-1}(x) + (t_{j+p+1} - x) / (t_{j+p+1} - t_{j+1}) B_{j+1,p-1}(x),
 * evaluated only on the k + 1 functions that can be non-zero at x.
 *
 * Coefficients for given samples come from linear least squares (`fitCoefficients`, the normal
 * equations solved by Cholesky in float64, with an optional ridge), which is also how a grid is
 * refined (`refineGrid`, KAN's grid extension): the old spline is sampled densely and fitted on the new
 * grid. A finer grid whose knots include the old ones (G' a multiple of G) holds the old spline
 * exactly, so refinement then changes nothing but rounding.
 */
import { checkNonNegativeNumber, checkPositiveInteger, fail } from '../core/validate';

/** An extended uniform knot vector for splines of order k (see the module comment). */
export interface SplineGrid {
  readonly lo: number;
  readonly hi: number;
  /** G: intervals on [lo, hi]. */
  readonly intervals: number;
  /** k: polynomial order of the pieces (3: cubic). */
  readonly order: number;
  /** t_0 .. t_{G+2k}. */
  readonly knots: Float64Array;
  /** G + k: number of basis functions. */
  readonly size: number;
}

/** The extended uniform grid of G intervals on [lo, hi] for order-k splines. */
export function extendedGrid(lo: number, hi: number, intervals: number, order: number): SplineGrid {
  const fn = 'extendedGrid';
  if (!Number.isFinite(lo)) fail(fn, 'lo', 'a finite number', lo);
  if (!Number.isFinite(hi) || !(hi > lo)) fail(fn, 'hi', `a finite number above lo = ${lo}`, hi);
  checkPositiveInteger(fn, 'intervals', intervals);
  if (!Number.isInteger(order) || order < 0 || order > 10) fail(fn, 'order', 'an integer in 0..10', order);
  const h = (hi - lo) / intervals;
  const knots = Float64Array.from({ length: intervals + 2 * order + 1 }, (_, j) => lo + (j - order) * h);
  return Object.freeze({ lo, hi, intervals, order, knots, size: intervals + order });
}

/**
 * The values of all G + k basis functions at x, written to `out` (length >= size; zero outside the
 * support). Outside the extended grid every value is 0.
 */
export function bsplineBasis(grid: SplineGrid, x: number, out: Float64Array = new Float64Array(grid.size)): Float64Array {
  const { knots: t, order: k, size } = grid;
  out.fill(0, 0, size);
  const last = t.length - 1;
  if (!(x >= t[0] && x < t[last])) return out;
  // The interval j with t_j <= x < t_{j+1} (uniform knots: by division, then corrected for rounding).
  const h = (grid.hi - grid.lo) / grid.intervals;
  let j = Math.min(last - 1, Math.max(0, Math.floor((x - t[0]) / h)));
  while (j > 0 && x < t[j]) j--;
  while (j < last - 1 && x >= t[j + 1]) j++;
  // N[r] = B_{j-p+r, p}(x) for r = 0..p, built up from p = 0 (de Boor's triangular scheme).
  const N = new Float64Array(k + 1);
  N[0] = 1;
  for (let p = 1; p <= k; p++) {
    for (let r = p; r >= 0; r--) {
      const i = j - p + r; // B_{i,p} = w1 B_{i,p-1} + w2 B_{i+1,p-1}
      const left = r > 0 ? ((x - t[i]) / (t[i + p] - t[i])) * N[r - 1] : 0;
      const right = r < p ? ((t[i + p + 1] - x) / (t[i + p + 1] - t[i + 1])) * N[r] : 0;
      N[r] = left + right;
    }
  }
  for (let r = 0; r <= k; r++) {
    const i = j - k + r;
    if (i >= 0 && i < size) out[i] = N[r];
  }
  return out;
}

/** sum_i c_i B_i(x). */
export function splineValue(grid: SplineGrid, coefficients: ArrayLike<number>, x: number): number {
  if (coefficients.length !== grid.size) fail('splineValue', 'coefficients.length', `${grid.size} (G + k)`, coefficients.length);
  const b = bsplineBasis(grid, x);
  let s = 0;
  for (let i = 0; i < grid.size; i++) s += coefficients[i] * b[i];
  return s;
}

/**
 * Least-squares coefficients c minimising sum_s (sum_i c_i B_i(x_s) - y_s)^2 + ridge |c|^2, from the
 * normal equations (B^T B + ridge I) c = B^T y by Cholesky in float64. Basis functions that no sample
 * reaches make the system singular without a ridge: that is an error naming them.
 */
export function fitCoefficients(grid: SplineGrid, xs: ArrayLike<number>, ys: ArrayLike<number>, ridge = 0): Float64Array {
  const fn = 'fitCoefficients';
  if (xs.length !== ys.length) fail(fn, 'ys.length', `xs.length = ${xs.length}`, ys.length);
  checkNonNegativeNumber(fn, 'ridge', ridge);
  const n = grid.size;
  const A = new Float64Array(n * n);
  const rhs = new Float64Array(n);
  const b = new Float64Array(n);
  for (let s = 0; s < xs.length; s++) {
    bsplineBasis(grid, xs[s], b);
    for (let i = 0; i < n; i++) {
      if (b[i] === 0) continue;
      rhs[i] += b[i] * ys[s];
      for (let j = 0; j < n; j++) A[i * n + j] += b[i] * b[j];
    }
  }
  for (let i = 0; i < n; i++) A[i * n + i] += ridge;
  // Cholesky A = L L^T in place (lower triangle), then two triangular solves.
  for (let j = 0; j < n; j++) {
    let d = A[j * n + j];
    for (let m = 0; m < j; m++) d -= A[j * n + m] * A[j * n + m];
    if (!(d > 1e-14 * (1 + Math.abs(A[j * n + j])))) {
      throw new RangeError(`${fn}: basis function ${j} of ${n} is not determined by the ${xs.length} samples (none or too few in its support [${grid.knots[j]}, ${grid.knots[j + grid.order + 1]})); add samples or a ridge`);
    }
    const l = Math.sqrt(d);
    A[j * n + j] = l;
    for (let i = j + 1; i < n; i++) {
      let v = A[i * n + j];
      for (let m = 0; m < j; m++) v -= A[i * n + m] * A[j * n + m];
      A[i * n + j] = v / l;
    }
  }
  const c = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let v = rhs[i];
    for (let m = 0; m < i; m++) v -= A[i * n + m] * c[m];
    c[i] = v / A[i * n + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let v = c[i];
    for (let m = i + 1; m < n; m++) v -= A[m * n + i] * c[m];
    c[i] = v / A[i * n + i];
  }
  return c;
}

/**
 * Grid extension: the spline (grid, coefficients) carried to G' intervals on the same [lo, hi] by a
 * least-squares fit to its values at 4 (G' + k) + 1 equally spaced points of [lo, hi). Exact (up to
 * rounding) when G' is a multiple of G; otherwise the best order-k approximation on the new grid.
 */
export function refineGrid(grid: SplineGrid, coefficients: ArrayLike<number>, intervals: number): { grid: SplineGrid; coefficients: Float64Array } {
  const fine = extendedGrid(grid.lo, grid.hi, checkPositiveInteger('refineGrid', 'intervals', intervals), grid.order);
  const samples = 4 * fine.size + 1;
  const xs = Float64Array.from({ length: samples }, (_, s) => grid.lo + ((grid.hi - grid.lo) * s) / samples);
  const ys = Float64Array.from(xs, (x) => splineValue(grid, coefficients, x));
  return { grid: fine, coefficients: fitCoefficients(fine, xs, ys) };
}
