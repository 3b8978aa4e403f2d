/**
 * The B-spline basis of Kolmogorov-Arnold edges (src/expressivity/bsplines.ts) against independent
 * computations: the recursive Cox-de Boor definition written out naively, closed forms of uniform
 * B-splines at knots and midpoints, partition of unity, local support, exact reproduction of
 * polynomials up to the order, the approximation order h^(k+1), and grid extension that keeps a
 * spline on a nested grid exactly.
 */
import { bsplineBasis, bsplineSpan, extendedGrid, fitCoefficients, gridFromPoints, refineGrid, splineValue } from '../src/expressivity/bsplines';
import { Rng } from '../src/core/random';

/** B_{i,p}(x) by the recursive definition, with 0/0 = 0 (the second route). */
function naive(t: Float64Array, i: number, p: number, x: number): number {
  if (p === 0) return t[i] <= x && x < t[i + 1] ? 1 : 0;
  const a = t[i + p] - t[i];
  const b = t[i + p + 1] - t[i + 1];
  return (a > 0 ? ((x - t[i]) / a) * naive(t, i, p - 1, x) : 0) + (b > 0 ? ((t[i + p + 1] - x) / b) * naive(t, i + 1, p - 1, x) : 0);
}

const rng = Rng.stream(13);
const uniform = (lo: number, hi: number) => lo + (hi - lo) * rng.uniform();

describe('B-spline basis', () => {
  test.each([0, 1, 2, 3, 4])('order %i: the recursive definition, partition of unity on [lo, hi), non-negativity and local support', (k) => {
    for (const G of [1, 3, 7]) {
      const grid = extendedGrid(-0.5, 2, G, k);
      expect(grid.knots.length).toBe(G + 2 * k + 1);
      expect(grid.size).toBe(G + k);
      for (let s = 0; s < 200; s++) {
        // points in [lo, hi) and some in the extension beyond it
        const x = s < 150 ? uniform(grid.lo, grid.hi) : uniform(grid.knots[0], grid.knots[grid.knots.length - 1]);
        const b = bsplineBasis(grid, x);
        for (let i = 0; i < grid.size; i++) {
          expect(Math.abs(b[i] - naive(grid.knots, i, k, x))).toBeLessThan(1e-14);
          expect(b[i]).toBeGreaterThanOrEqual(0);
          if (x < grid.knots[i] || x >= grid.knots[i + k + 1]) expect(b[i]).toBe(0);
        }
        if (s < 150) expect(Math.abs(b.reduce((a, v) => a + v, 0) - 1)).toBeLessThan(1e-14);
      }
      expect(Array.from(bsplineBasis(grid, grid.knots[grid.knots.length - 1] + 1))).toEqual(Array(grid.size).fill(0));
    }
  });

  test('uniform B-splines take their closed-form values: hats, 1/8 3/4 1/8 mid-interval, 1/6 2/3 1/6 at a knot', () => {
    const hat = bsplineBasis(extendedGrid(0, 4, 4, 1), 1.25); // B_i is the hat on [t_i, t_{i+2}] = [i - 1, i + 1]
    expect(Array.from(hat).map((v) => +v.toFixed(15))).toEqual([0, 0.75, 0.25, 0, 0]);
    const quadratic = bsplineBasis(extendedGrid(0, 4, 4, 2), 1.5);
    expect(Array.from(quadratic)).toEqual([0, 0.125, 0.75, 0.125, 0, 0]);
    const cubic = bsplineBasis(extendedGrid(-1, 1, 4, 3), 0);
    [0, 0, 1 / 6, 2 / 3, 1 / 6, 0, 0].forEach((v, i) => expect(cubic[i]).toBeCloseTo(v, 15));
  });
});

describe('least squares and grid extension', () => {
  const fresh = Float64Array.from({ length: 301 }, (_, s) => -1 + (2 * s) / 301 + 1e-3);
  const maxError = (grid: ReturnType<typeof extendedGrid>, c: ArrayLike<number>, f: (x: number) => number) => Math.max(...Array.from(fresh, (x) => Math.abs(splineValue(grid, c, x) - f(x))));
  const samples = Float64Array.from({ length: 400 }, () => uniform(-1, 1));

  test('polynomials up to degree k are reproduced exactly; degree k + 1 is not', () => {
    for (const k of [1, 2, 3]) {
      const grid = extendedGrid(-1, 1, 5, k);
      for (let m = 0; m <= k + 1; m++) {
        const f = (x: number) => (x - 0.3) ** m;
        const error = maxError(grid, fitCoefficients(grid, samples, Array.from(samples, f)), f);
        if (m <= k) expect(error).toBeLessThan(1e-12);
        else expect(error).toBeGreaterThan(1e-5);
      }
    }
  });

  test('the error of a smooth target falls like h^(k+1): slope -4 for cubic splines', () => {
    const f = (x: number) => Math.sin(3 * x);
    const dense = Float64Array.from({ length: 4000 }, (_, s) => -1 + (2 * (s + 0.5)) / 4000);
    const Gs = [4, 8, 16, 32];
    const errors = Gs.map((G) => {
      const grid = extendedGrid(-1, 1, G, 3);
      return maxError(grid, fitCoefficients(grid, dense, Array.from(dense, f)), f);
    });
    const slope = Math.log(errors[3] / errors[1]) / Math.log(Gs[3] / Gs[1]);
    expect(slope).toBeGreaterThan(-4.5);
    expect(slope).toBeLessThan(-3.5);
  });

  test('refining to a nested grid keeps the spline exactly; to another grid it stays close', () => {
    const coarse = extendedGrid(-1, 1, 3, 3);
    const c = Float64Array.from({ length: coarse.size }, () => uniform(-1, 1));
    const spline = (x: number) => splineValue(coarse, c, x);
    const nested = refineGrid(coarse, c, 6);
    expect(nested.grid.size).toBe(9);
    expect(maxError(nested.grid, nested.coefficients, spline)).toBeLessThan(1e-12);
    const other = refineGrid(coarse, c, 5);
    const err = maxError(other.grid, other.coefficients, spline);
    expect(err).toBeGreaterThan(1e-12); // not in the finer space...
    expect(err).toBeLessThan(0.05 * Math.max(...Array.from(fresh, (x) => Math.abs(spline(x))))); // ...but close to it
  });

  test('a basis function without samples is named; a ridge makes the fit determined; bad arguments are refused', () => {
    const grid = extendedGrid(0, 1, 4, 1);
    expect(() => fitCoefficients(grid, [0.1, 0.2], [1, 2])).toThrow(/basis function 2 of 5 is not determined by the 2 samples/);
    const c = fitCoefficients(grid, [0.1, 0.2], [1, 2], 1e-6);
    expect(c.every(Number.isFinite)).toBe(true);
    expect(() => extendedGrid(1, 1, 4, 3)).toThrow(/extendedGrid: hi must be a finite number above lo = 1, got 1/);
    expect(() => extendedGrid(NaN, 1, 4, 3)).toThrow(/extendedGrid: lo must be a finite number, got NaN/);
    expect(() => extendedGrid(0, 1, 0, 3)).toThrow(/intervals must be a positive integer, got 0/);
    expect(() => extendedGrid(0, 1, 2, -1)).toThrow(/order must be an integer in 0..10, got -1/);
    expect(() => fitCoefficients(grid, [0.1], [1, 2])).toThrow(/fitCoefficients: ys.length must be xs.length = 1, got 2/);
    expect(() => splineValue(grid, [1, 2], 0.5)).toThrow(/splineValue: coefficients.length must be 5 \(G \+ k\), got 2/);
  });
});

describe('grids adapted to data and the basis derivative', () => {
  test.each([1, 2, 3])('order %i on a non-uniform grid: the recursive definition, partition of unity, pykan extension by the mean spacing', (k) => {
    const pts = [-1, -0.7, -0.2, 0.05, 0.6, 1.3];
    const grid = gridFromPoints(pts, k);
    const G = pts.length - 1, h = (1.3 - -1) / G;
    expect(grid.knots.length).toBe(G + 2 * k + 1);
    for (let j = 0; j < k; j++) {
      expect(grid.knots[j]).toBeCloseTo(-1 - (k - j) * h, 14);
      expect(grid.knots[G + k + 1 + j]).toBeCloseTo(1.3 + (j + 1) * h, 14);
    }
    for (let s = 0; s < 300; s++) {
      const x = uniform(grid.knots[0], grid.knots[grid.knots.length - 1]);
      const b = bsplineBasis(grid, x);
      for (let i = 0; i < grid.size; i++) expect(Math.abs(b[i] - naive(grid.knots, i, k, x))).toBeLessThan(1e-13);
      if (x >= -1 && x < 1.3) expect(Math.abs(b.reduce((a, v) => a + v, 0) - 1)).toBeLessThan(1e-13);
    }
  });

  test('bsplineSpan: slopes equal central differences of the naive basis (order 3, non-uniform knots)', () => {
    const grid = gridFromPoints([-1, -0.4, 0.1, 0.3, 1], 3);
    const N = new Float64Array(4), dN = new Float64Array(4);
    for (let s = 0; s < 200; s++) {
      const x = uniform(-1.5, 1.5);
      const i0 = bsplineSpan(grid, x, N, dN);
      for (let r = 0; r < 4; r++) {
        const i = i0 + r;
        if (i < 0 || i >= grid.size) continue;
        const eps = 1e-6;
        // skip points within eps of a knot, where the third derivative jumps
        if (Array.from(grid.knots).some((t) => Math.abs(t - x) < 2 * eps)) continue;
        const fd = (naive(grid.knots, i, 3, x + eps) - naive(grid.knots, i, 3, x - eps)) / (2 * eps);
        expect(Math.abs(dN[r] - fd)).toBeLessThan(1e-6);
        expect(N[r]).toBeCloseTo(naive(grid.knots, i, 3, x), 13);
      }
    }
    expect(bsplineSpan(grid, 100, N, dN)).toBeNaN();
  });

  test('gridFromPoints names a knot that is not above the one before it', () => {
    expect(() => gridFromPoints([0, 0.5, 0.5, 1], 3)).toThrow(/points\[2\]/);
  });
});
