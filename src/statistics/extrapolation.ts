/**
 * Extrapolation of Monte Carlo estimates to a limit (continuum, infinite width): a weighted
 * least-squares polynomial y(h) = c_0 + c_1 h + ... + c_d h^d in a small parameter h (1/cutoff,
 * 1/width), read off at h = 0 with the error its covariance implies. A lab tool, not a lecture
 * formula; comparing degrees d and d + 1 measures the systematic error of the truncation.
 */
import { fail } from '../core/validate';

/** The fit's value at h = 0, its standard error, and the goodness of fit. */
export interface Extrapolation {
  readonly value: number;
  readonly stdErr: number;
  /** Coefficients c_0 .. c_d. */
  readonly coefficients: number[];
  /** chi^2 of the fit and its degrees of freedom (points - d - 1). */
  readonly chi2: number;
  readonly dof: number;
}

/**
 * Fit y_i +- err_i at h_i with a polynomial of degree `degree` (at most points - 1) by weighted
 * least squares (normal equations in float64, solved by Gaussian elimination with pivoting).
 */
export function extrapolate(h: readonly number[], y: readonly number[], err: readonly number[], degree = 1): Extrapolation {
  const n = h.length;
  const p = degree + 1;
  if (!Number.isInteger(degree) || degree < 0) fail('extrapolate', 'degree', 'a non-negative integer', degree);
  if (n < p || y.length !== n || err.length !== n) fail('extrapolate', 'h', `at least degree + 1 = ${p} points with a value and an error each`, n);
  if (!err.every((e) => e > 0 && Number.isFinite(e))) fail('extrapolate', 'err', 'positive finite errors', err);
  // Normal matrix A = X^T W X and b = X^T W y.
  const A = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  const b = new Array<number>(p).fill(0);
  for (let i = 0; i < n; i++) {
    const w = 1 / (err[i] * err[i]);
    for (let r = 0; r < p; r++) {
      b[r] += w * h[i] ** r * y[i];
      for (let c = 0; c < p; c++) A[r][c] += w * h[i] ** (r + c);
    }
  }
  const inverse = invert(A);
  const coefficients = inverse.map((row) => row.reduce((s, v, c) => s + v * b[c], 0));
  let chi2 = 0;
  for (let i = 0; i < n; i++) {
    const fit = coefficients.reduce((s, c, k) => s + c * h[i] ** k, 0);
    chi2 += ((y[i] - fit) / err[i]) ** 2;
  }
  return { value: coefficients[0], stdErr: Math.sqrt(inverse[0][0]), coefficients, chi2, dof: n - p };
}

/** Inverse of a small square matrix by Gauss-Jordan elimination with partial pivoting. */
function invert(M: number[][]): number[][] {
  const n = M.length;
  const a = M.map((row, i) => [...row, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) pivot = r;
    if (!(Math.abs(a[pivot][col]) > 0)) throw new Error('extrapolate: the points do not determine the polynomial (repeated h?)');
    [a[col], a[pivot]] = [a[pivot], a[col]];
    const d = a[col][col];
    for (let c = 0; c < 2 * n; c++) a[col][c] /= d;
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = a[r][col];
      if (f !== 0) for (let c = 0; c < 2 * n; c++) a[r][c] -= f * a[col][c];
    }
  }
  return a.map((row) => row.slice(n));
}
