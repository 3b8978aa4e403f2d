/**
 * Special functions and quadrature rules in float64.
 */

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

/**
 * The error function erf(x) = (2/sqrt(pi)) int_0^x exp(-t^2) dt, to about 1e-14 absolute.
 * |x| < 3: Maclaurin series; otherwise 1 - erfc(|x|) with erfc from its continued fraction.
 */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const ax = Math.abs(x);
  if (ax >= 6) return x < 0 ? -1 : 1; // erfc(6) = 2.2e-17: 1 - erfc rounds to 1
  if (ax < 3) {
    // erf(x) = 2/sqrt(pi) sum_n (-1)^n x^(2n+1) / (n! (2n+1))
    const x2 = x * x;
    let term = x;
    let sum = x;
    for (let n = 1; n < 200; n++) {
      term *= -x2 / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return TWO_OVER_SQRT_PI * sum;
  }
  const value = 1 - erfcContinuedFraction(ax);
  return x < 0 ? -value : value;
}

/**
 * erf with |error| < 3e-7 and no transcendental call (Abramowitz & Stegun 7.1.28):
 * erf(x) = 1 - (1 + a1 x + ... + a6 x^6)^-16 for x >= 0, odd in x.
 */
export function fastErf(x: number): number {
  const ax = x < 0 ? -x : x;
  let q = 1 + ax * (0.0705230784 + ax * (0.0422820123 + ax * (0.0092705272 + ax * (0.0001520143 + ax * (0.0002765672 + ax * 0.0000430638)))));
  q *= q; // ^2
  q *= q; // ^4
  q *= q; // ^8
  q *= q; // ^16
  const y = 1 - 1 / q;
  return x < 0 ? -y : y;
}

/** erfc(x) for x >= 3 by the Laplace continued fraction, evaluated with modified Lentz. */
function erfcContinuedFraction(x: number): number {
  // erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...)))))
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 500; n++) {
    const a = n / 2;
    d = x + a * d;
    d = Math.abs(d) < tiny ? tiny : d;
    c = x + a / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
}

export interface QuadratureRule {
  readonly nodes: Float64Array;
  readonly weights: Float64Array;
}

const hermiteCache = new Map<number, QuadratureRule>();

/**
 * Gauss-Hermite rule for E[g(Z)], Z ~ N(0, 1): E[g(Z)] ~= sum_i weights[i] g(nodes[i]).
 * (Physicists' nodes found by Newton's method on the Hermite recurrence, then rescaled.)
 */
export function gaussHermiteNormal(order: number): QuadratureRule {
  const cached = hermiteCache.get(order);
  if (cached) return cached;
  // Above ~198 nodes the three-term recurrence underflows at the start value pi^(-1/4) and the weights
  // collapse to ~1e-160 (measured); 190 keeps a margin.
  if (!Number.isInteger(order) || order < 1 || order > 190) {
    throw new RangeError(`gaussHermiteNormal: order must be an integer in [1, 190], got ${order}`);
  }
  const n = order;
  const x = new Float64Array(n);
  const w = new Float64Array(n);
  const pim4 = Math.pow(Math.PI, -0.25);
  let z = 0;
  for (let i = 0; i < Math.floor((n + 1) / 2); i++) {
    // Initial guesses (Numerical Recipes, gauher).
    if (i === 0) z = Math.sqrt(2 * n + 1) - 1.85575 * Math.pow(2 * n + 1, -0.16667);
    else if (i === 1) z -= (1.14 * Math.pow(n, 0.426)) / z;
    else if (i === 2) z = 1.86 * z - 0.86 * x[0];
    else if (i === 3) z = 1.91 * z - 0.91 * x[1];
    else z = 2 * z - x[i - 2];
    let pp = 0;
    for (let iter = 0; iter < 100; iter++) {
      let p1 = pim4;
      let p2 = 0;
      for (let j = 0; j < n; j++) {
        const p3 = p2;
        p2 = p1;
        p1 = z * Math.sqrt(2 / (j + 1)) * p2 - Math.sqrt(j / (j + 1)) * p3;
      }
      pp = Math.sqrt(2 * n) * p2;
      const z1 = z;
      z = z1 - p1 / pp;
      if (Math.abs(z - z1) <= 1e-15 * Math.max(1, Math.abs(z))) break;
    }
    x[i] = z;
    x[n - 1 - i] = -z;
    w[i] = 2 / (pp * pp);
    w[n - 1 - i] = w[i];
  }
  // Weight exp(-t^2) -> standard normal: t = z / sqrt(2), weights / sqrt(pi).
  const nodes = new Float64Array(n);
  const weights = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    nodes[i] = Math.SQRT2 * x[n - 1 - i];
    weights[i] = w[n - 1 - i] / Math.sqrt(Math.PI);
  }
  const rule = Object.freeze({ nodes, weights });
  hermiteCache.set(order, rule);
  return rule;
}

/**
 * E[g(u) h(v)] for (u, v) ~ N(0, [[kuu, kuv], [kuv, kvv]]) by a tensor-product Gauss-Hermite
 * rule after the Cholesky change of variables u = a z1, v = c z1 + d z2.
 */
export function gaussianPairExpectation(
  g: (u: number) => number,
  h: (v: number) => number,
  kuu: number,
  kuv: number,
  kvv: number,
  order = 80,
): number {
  const { nodes, weights } = gaussHermiteNormal(order);
  const a = Math.sqrt(Math.max(kuu, 0));
  const c = a > 0 ? kuv / a : 0;
  const d = Math.sqrt(Math.max(kvv - c * c, 0));
  let total = 0;
  for (let i = 0; i < nodes.length; i++) {
    const gu = g(a * nodes[i]);
    if (gu === 0) continue;
    let inner = 0;
    for (let j = 0; j < nodes.length; j++) inner += weights[j] * h(c * nodes[i] + d * nodes[j]);
    total += weights[i] * gu * inner;
  }
  return total;
}

const legendreCache = new Map<number, QuadratureRule>();

/** Gauss-Legendre rule on [-1, 1]: int_{-1}^{1} g(t) dt ~= sum_i weights[i] g(nodes[i]). */
export function gaussLegendre(order: number): QuadratureRule {
  const cached = legendreCache.get(order);
  if (cached) return cached;
  if (!Number.isInteger(order) || order < 1 || order > 1000) throw new RangeError(`gaussLegendre: order must be an integer in [1, 1000], got ${order}`);
  const n = order;
  const nodes = new Float64Array(n);
  const weights = new Float64Array(n);
  for (let i = 0; i < Math.ceil(n / 2); i++) {
    let z = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let dp = 0;
    for (let iter = 0; iter < 100; iter++) {
      let p1 = 1;
      let p2 = 0;
      for (let j = 1; j <= n; j++) {
        const p3 = p2;
        p2 = p1;
        p1 = ((2 * j - 1) * z * p2 - (j - 1) * p3) / j;
      }
      dp = (n * (z * p1 - p2)) / (z * z - 1);
      const z1 = z;
      z = z1 - p1 / dp;
      if (Math.abs(z - z1) < 1e-15) break;
    }
    nodes[i] = -z;
    nodes[n - 1 - i] = z;
    weights[i] = weights[n - 1 - i] = 2 / ((1 - z * z) * dp * dp);
  }
  const rule = Object.freeze({ nodes, weights });
  legendreCache.set(order, rule);
  return rule;
}

/** Gamma function at positive integers and half-integers (exact recursion from 1 and sqrt(pi)). */
export function gammaHalfInteger(x: number): number {
  if (!(x > 0) || !Number.isInteger(2 * x)) throw new RangeError(`gammaHalfInteger: x must be a positive integer or half-integer, got ${x}`);
  let g = Number.isInteger(x) ? 1 : Math.sqrt(Math.PI);
  for (let y = Number.isInteger(x) ? 1 : 0.5; y < x; y += 1) g *= y;
  return g;
}

/**
 * Bessel J0(x) and J1(x), to about 1e-15 absolute at any real x.
 * |x| <= 4: their power series J_n(x) = sum_m (-1)^m (x/2)^(2m+n) / (m! (m+n)!) (terms stay below
 * ~10, so little is lost to cancellation). Otherwise Miller's backward recurrence: start far above
 * the turning point k ~ |x| (where J_k is negligible) with an arbitrary seed, run
 * J_{k-1} = (2k/x) J_k - J_{k+1} down to k = 0 (stable in this direction), and normalise with the
 * identity J0 + 2 (J2 + J4 + ...) = 1.
 */
export function besselJ01(x: number): [number, number] {
  if (!Number.isFinite(x)) throw new RangeError(`besselJ01: x must be finite, got ${x}`);
  const ax = Math.abs(x);
  const sign = x < 0 ? -1 : 1; // J0 is even, J1 odd
  if (ax <= 4) {
    const q = -(ax * ax) / 4;
    let t0 = 1;
    let t1 = ax / 2;
    let j0 = t0;
    let j1 = t1;
    for (let m = 1; m < 60; m++) {
      t0 *= q / (m * m);
      t1 *= q / (m * (m + 1));
      j0 += t0;
      j1 += t1;
      if (Math.abs(t0) < 1e-17 && Math.abs(t1) < 1e-17) break;
    }
    return [j0, sign * j1];
  }
  // Start index: J_k(x) falls like an Airy tail beyond k ~ x + O(x^(1/3)); 12 x^(1/3) + 40 leaves it
  // below 1e-30 relative, and Miller's error is of that order.
  let k = 2 * Math.ceil((ax + 12 * Math.cbrt(ax) + 40) / 2);
  let next = 0; // J_{k+1}
  let cur = 1e-30; // J_k, unnormalised
  let norm = 0; // J0 + 2 (J2 + J4 + ...), unnormalised
  let j1 = 0;
  for (; k > 0; k--) {
    const prev = ((2 * k) / ax) * cur - next; // J_{k-1}
    next = cur;
    cur = prev;
    if (k - 1 === 1) j1 = cur;
    if ((k - 1) % 2 === 0 && k - 1 > 0) norm += 2 * cur;
    if (Math.abs(cur) > 1e250) {
      cur *= 1e-250;
      next *= 1e-250;
      norm *= 1e-250;
      j1 *= 1e-250;
    }
  }
  norm += cur;
  return [cur / norm, (sign * j1) / norm];
}

/**
 * The average of cos(rho n . e) over unit vectors n uniform on the sphere S^(D-1) (e any unit
 * vector): A_D(rho) = Gamma(D/2) (2/rho)^(D/2-1) J_(D/2-1)(rho), so A_1 = cos, A_2 = J0,
 * A_3 = sin(rho)/rho, A_4 = 2 J1(rho)/rho. It turns the average of g(|w|) cos(w . q) over a D-ball
 * into a radial integral. rho <= max(4, D): the series sum_m (-rho^2/4)^m / (m! (D/2)_m) (terms
 * stay small); otherwise the closed forms above, lifted to D + 2 by the Bessel recurrence written for
 * A_D: A_{D+2} = (D (D - 2) / rho^2) (A_D - A_{D-2}) (stable upward while rho > D/2).
 */
export function ballAverage(D: number, rho: number): number {
  if (!Number.isInteger(D) || D < 1) throw new RangeError(`ballAverage: D must be a positive integer, got ${D}`);
  const r = Math.abs(rho);
  if (r <= Math.max(4, D)) {
    const q = -(r * r) / 4;
    let term = 1;
    let sum = 1;
    for (let m = 1; m < 200; m++) {
      term *= q / (m * (D / 2 + m - 1));
      sum += term;
      if (Math.abs(term) < 1e-17 * Math.max(1, Math.abs(sum))) break;
    }
    return sum;
  }
  let lower: number; // A_{d-2}
  let upper: number; // A_d
  let d: number;
  if (D % 2 === 1) {
    lower = Math.cos(r);
    upper = Math.sin(r) / r;
    d = 3;
    if (D === 1) return lower;
  } else {
    const [j0, j1] = besselJ01(r);
    lower = j0;
    upper = (2 * j1) / r;
    d = 4;
    if (D === 2) return lower;
  }
  for (; d < D; d += 2) {
    const lifted = ((d * (d - 2)) / (r * r)) * (upper - lower);
    lower = upper;
    upper = lifted;
  }
  return upper;
}
