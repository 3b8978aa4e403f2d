/**
 * Small numeric helpers shared by notebooks and tests.
 */

/** n evenly spaced numbers from a to b inclusive. */
export function linspace(a: number, b: number, n: number): number[] {
  if (!Number.isInteger(n) || n < 2) throw new RangeError(`linspace: n must be an integer >= 2, got ${n}`);
  return Array.from({ length: n }, (_, i) => a + ((b - a) * i) / (n - 1));
}

/** n log-spaced numbers from a to b inclusive (a, b > 0). */
export function logspace(a: number, b: number, n: number): number[] {
  return linspace(Math.log(a), Math.log(b), n).map(Math.exp);
}

/** Entries m[p][q] with p <= q, row by row (the distinct entries of a symmetric matrix). */
export function upperTriangle(m: readonly (readonly number[])[]): number[] {
  const out: number[] = [];
  for (let p = 0; p < m.length; p++) for (let q = p; q < m.length; q++) out.push(m[p][q]);
  return out;
}

/**
 * Least-squares slope of log(y) against log(x), with its standard error from the residuals:
 * the exponent of a power law y ~ x^slope.
 */
export function logLogSlope(x: readonly number[], y: readonly number[]): { slope: number; stdErr: number } {
  if (x.length !== y.length || x.length < 3) throw new RangeError(`logLogSlope: need >= 3 paired points, got ${x.length} and ${y.length}`);
  const lx = x.map(Math.log);
  const ly = y.map(Math.log);
  const n = lx.length;
  const mx = lx.reduce((a, b) => a + b, 0) / n;
  const my = ly.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (lx[i] - mx) ** 2;
    sxy += (lx[i] - mx) * (ly[i] - my);
  }
  const slope = sxy / sxx;
  let rss = 0;
  for (let i = 0; i < n; i++) rss += (ly[i] - my - slope * (lx[i] - mx)) ** 2;
  return { slope, stdErr: Math.sqrt(rss / (n - 2) / sxx) };
}
