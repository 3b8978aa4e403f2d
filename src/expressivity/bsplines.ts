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
 * The grid whose G + 1 inner knots are `points` (strictly increasing, e.g. placed at quantiles of the
 * data), extended by k knots on each side spaced by the mean inner spacing (points[G] - points[0]) / G,
 * as pykan extends adapted grids. `extendedGrid` is the case of equally spaced points.
 */
export function gridFromPoints(points: ArrayLike<number>, order: number): SplineGrid {
  const fn = 'gridFromPoints';
  const G = points.length - 1;
  if (G < 1) fail(fn, 'points', 'at least 2 knots', points.length);
  if (!Number.isInteger(order) || order < 0 || order > 10) fail(fn, 'order', 'an integer in 0..10', order);
  for (let i = 0; i <= G; i++) {
    if (!Number.isFinite(points[i]) || (i > 0 && !(points[i] > points[i - 1]))) fail(fn, `points[${i}]`, 'finite and above the knot before it', points[i]);
  }
  const lo = points[0], hi = points[G];
  const h = (hi - lo) / G;
  const knots = new Float64Array(G + 2 * order + 1);
  for (let j = 0; j < order; j++) {
    knots[j] = lo - (order - j) * h;
    knots[G + order + 1 + j] = hi + (j + 1) * h;
  }
  for (let i = 0; i <= G; i++) knots[order + i] = points[i];
  return Object.freeze({ lo, hi, intervals: G, order, knots, size: G + order });
}

/**
 * The k + 1 basis functions that can be non-zero at x: writes B_{i0+r,k}(x) to values[r] and, when
 * `slopes` is given, dB_{i0+r,k}/dx to slopes[r] (r = 0..k), and returns i0 = j - k for the knot
 * interval t_j <= x < t_{j+1}; returns NaN (and writes nothing) outside [t_0, t_{G+2k}). Indices i0 + r
 * outside 0..G+k-1 belong to no basis function and are to be skipped. With `offset`, values[offset + r]
 * and slopes[offset + r] are written instead. Any strictly increasing knots
 * (uniform or adapted to data) are allowed. The derivative is the order-(k-1) formula
 *   B'_{i,k}(x) = k [B_{i,k-1}(x) / (t_{i+k} - t_i) - B_{i+1,k-1}(x) / (t_{i+k+1} - t_{i+1})].
 */
export function bsplineSpan(grid: SplineGrid, x: number, values: Float64Array, slopes?: Float64Array, offset = 0): number {
  const { knots: t, order: k } = grid;
  const last = t.length - 1;
  if (!(x >= t[0] && x < t[last])) return NaN;
  // The interval j with t_j <= x < t_{j+1}: a guess from the mean knot spacing, then corrected.
  let j = Math.min(last - 1, Math.max(0, Math.floor(((x - t[0]) / (t[last] - t[0])) * last)));
  while (j > 0 && x < t[j]) j--;
  while (j < last - 1 && x >= t[j + 1]) j++;
  if (k === 3) return cubicSpan(t, x, j, values, slopes, offset);
  // values[o + r] = B_{j-p+r, p}(x) for r = 0..p, raised one order at a time (the Cox-de Boor
  // recursion in the triangular form of Piegl & Tiller's BasisFuns, with left[q] = x - t_{j+1-q} and
  // right[q] = t_{j+q} - x; terms whose knots lie beyond the ends are zero there and are skipped).
  const N = values, o = offset, left = LEFT, right = RIGHT;
  N[o] = 1;
  for (let p = 1; p <= k; p++) {
    left[p] = j + 1 - p >= 0 ? x - t[j + 1 - p] : NaN;
    right[p] = j + p <= last ? t[j + p] - x : NaN;
    if (p === k && slopes) {
      // N[o + 0..k-1] = B_{j-k+1+r, k-1}: B'_{i,k} = k [B_{i,k-1} / (t_{i+k} - t_i) - B_{i+1,k-1} / (t_{i+k+1} - t_{i+1})]
      for (let r = 0; r <= k; r++) {
        const i = j - k + r;
        const a = r > 0 ? N[o + r - 1] / (t[i + k] - t[i]) : 0;
        const b = r < k ? N[o + r] / (t[i + k + 1] - t[i + 1]) : 0;
        slopes[o + r] = k * (a - b);
      }
    }
    let saved = 0;
    for (let r = 0; r < p; r++) {
      const temp = N[o + r] / (right[r + 1] + left[p - r]);
      N[o + r] = saved + right[r + 1] * temp;
      saved = left[p - r] * temp;
    }
    N[o + p] = saved;
  }
  if (k === 0 && slopes) slopes[o] = 0;
  return j - k;
}

/**
 * The cubic case of bsplineSpan written out (the same recursion, 2.5x faster): l_q = x - t_{j+1-q},
 * r_q = t_{j+q} - x; order 1 (a), order 2 (b), then q_r = b_r / (t_{j+1+r} - t_{j-2+r}) gives both the
 * order-3 values and their slopes 3 (q_{r-1} - q_r).
 */
function cubicSpan(t: Float64Array, x: number, j: number, N: Float64Array, dN: Float64Array | undefined, o: number): number {
  const l1 = x - t[j], l2 = x - t[j - 1], l3 = x - t[j - 2];
  const r1 = t[j + 1] - x, r2 = t[j + 2] - x, r3 = t[j + 3] - x;
  const inv = 1 / (r1 + l1);
  const a0 = r1 * inv, a1 = l1 * inv;
  const t0 = a0 / (r1 + l2), t1 = a1 / (r2 + l1);
  const b0 = r1 * t0, b1 = l2 * t0 + r2 * t1, b2 = l1 * t1;
  const q0 = b0 / (r1 + l3), q1 = b1 / (r2 + l2), q2 = b2 / (r3 + l1);
  if (dN) {
    dN[o] = -3 * q0;
    dN[o + 1] = 3 * (q0 - q1);
    dN[o + 2] = 3 * (q1 - q2);
    dN[o + 3] = 3 * q2;
  }
  N[o] = r1 * q0;
  N[o + 1] = l3 * q0 + r2 * q1;
  N[o + 2] = l2 * q1 + r3 * q2;
  N[o + 3] = l1 * q2;
  return j - 3;
}

/** Scratch for bsplineSpan (orders up to 10). */
const LEFT = new Float64Array(11);
const RIGHT = new Float64Array(11);

/**
 * The values of all G + k basis functions at x, written to `out` (length >= size; zero outside the
 * support). Outside the extended grid every value is 0.
 */
export function bsplineBasis(grid: SplineGrid, x: number, out: Float64Array = new Float64Array(grid.size)): Float64Array {
  const { order: k, size } = grid;
  out.fill(0, 0, size);
  const N = new Float64Array(k + 1);
  const i0 = bsplineSpan(grid, x, N);
  if (Number.isNaN(i0)) return out;
  for (let r = 0; r <= k; r++) {
    const i = i0 + r;
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
