/**
 * Exact finite-width statistics of single-layer nets from single-neuron expectations.
 *
 * f(x) - b1 = sum_i w_i phi_i(x) is a sum of N i.i.d. terms (TASI lectures eqs. (44)-(51), appendix
 * A), with w ~ N(0, sw^2/N) independent of the neuron phi(x) = act_x(W0 . x + b0). Cumulants of
 * independent terms add, and the Gaussian bias b1 only enters G2, so for even n >= 4
 *
 *   G_c^(n)(x_1..x_n) = N * sum over even set partitions pi of {1..n}:
 *                         (-1)^(|pi|-1) (|pi|-1)!  prod_{B in pi} E[w^|B|] M(B),
 *
 * with single-neuron moments M(B) = E[prod_{b in B} phi(x_b)] and E[w^k] = (k-1)!! (sw^2/N)^(k/2)
 * (eqs. (50)-(51) are the n = 4 case, written out):
 *
 *   G4c = (sw^4 / N)   (3 M4 - (M2 M2 + 2 perms))
 *   G6c = (sw^6 / N^2) (15 M6 - 3 (M4 M2 + 14 perms) + 2 (M2 M2 M2 + 14 perms)),
 *
 * so G4c falls as 1/N and G6c as 1/N^2 exactly. G2 = sb^2 + sw^2 M2 = K at every width.
 *
 * Single-neuron moments, and how accurate they are. "Exact" means: closed form, or a quadrature
 * refined until two successive refinements agree on every cumulant to the requested relative
 * `tolerance` (default 1e-10); the difference of the last two is reported per tuple as the
 * integration error (conservative: it is the error of the coarser of the two, and the finer one is
 * returned). If the cap is reached first, an Error names the tuple and the accuracy reached.
 * - Gauss-net and Cos-net: closed forms at any rank (integration error 0). Erf and ReLU M2: closed
 *   forms too (the kernels' arcsine formulas).
 * - Erf, Tanh: the pre-activations z_p = W0 . x_p + b0 are Gaussian, z = A u with u ~ N(0, I_r); for
 *   r <= 2 (always in D = 1) the moments are r-dimensional Gaussian integrals, done by the
 *   trapezoid rule with step halving (see `trapezoidLevels` for why this rule and not Gauss-Hermite).
 * - ReLU: in polar coordinates, exactly in the radius (a Gamma function) and by Gauss-Legendre in
 *   the angle between the kinks, with the order doubled until converged.
 * - Scalar-net (any D): every moment is a 1-d radial integral against the sphere average of a
 *   cosine (`ballAverage`); composite Gauss-Legendre with the order doubled until converged.
 * - Otherwise (pre-activations spanning > 2 dimensions for Erf/Tanh/ReLU, non-Gaussian first-layer
 *   densities, other cosine densities), or on request: single-neuron Monte Carlo with jackknife
 *   errors, `method: 'mc'`; with `method: 'auto'` the reason is in `fallbackReason`.
 */
import { ACTIVATION_REGISTRY } from '../nets/activations';
import { SingleLayerNet, densityVariance, hasGaussianPreactivations, preactivationCovariance, requireSingleLayer, unitActivation } from '../nets/architectures';
import { forEachNeuronChunk } from '../nets/sampling';

import { MomentAccumulator, TupleEstimates } from '../statistics/moments';
import { ballAverage, gammaHalfInteger, gaussLegendre } from '../core/special';
import { Partition, evenPartitions, partitionWeight, sortedTuples, tupleIndex } from '../statistics/tuples';
import { checkInputs, checkNonNegativeInteger, checkPositiveInteger, fail } from '../core/validate';

/** Default relative accuracy of the quadratures on every cumulant. */
const DEFAULT_TOLERANCE = 1e-10;
/**
 * A cumulant that cancels to ~0 out of larger terms cannot be known to better than rounding of
 * those terms: a change below ROUNDOFF x its natural size (see `cumulants` in `exactCorrelators`)
 * counts as converged whatever its relative size.
 */
const ROUNDOFF = 1e-13;
/**
 * Gaussian integrals are truncated at |u| <= R, R^2 = 2 ln(1e6 / tolerance) (8.6 at 1e-10): the
 * tail of a bounded integrand, even against E[u^6], stays below 1e-2 x tolerance.
 */
const truncationRadius = (tol: number) => Math.sqrt(2 * Math.log(1e6 / tol));
/** Most grid points of the trapezoid rule (per level) before a net counts as too steep for it. */
const MAX_GRID_POINTS = 2 ** 22;

function checkTolerance(fn: string, tolerance: unknown): number {
  const tol = tolerance ?? DEFAULT_TOLERANCE;
  if (typeof tol !== 'number' || !(tol >= 1e-14 && tol <= 1e-2)) fail(fn, 'tolerance', 'a relative accuracy in [1e-14, 1e-2]', tolerance);
  return tol as number;
}

/** Accuracy options of the exact routes. */
export interface ToleranceOptions {
  /** Relative accuracy the quadrature must reach (default 1e-10; see the module comment). */
  tolerance?: number;
}

/**
 * E[phi_x(z)^power], z ~ N(0, k(x,x)): the single-neuron moment at one input that enters TASI
 * eqs. (47)-(51) on the diagonal, for nets with Gaussian pre-activations. ReLU and Gauss-net
 * in closed form (E[relu(z)^p] = k^(p/2) 2^(p/2) Gamma((p+1)/2) / (2 sqrt(pi)); E[exp(p (z - k))] =
 * exp(k p (p - 2) / 2)); odd powers of the odd Erf/Tanh vanish; otherwise the 1-d trapezoid rule of
 * `trapezoidLevels`, halved until two steps agree to `tolerance` (relative). Throws if it does not.
 */
export function unitMoment(net: SingleLayerNet, x: readonly number[] | number, power: number, options: ToleranceOptions = {}): number {
  const fn = 'unitMoment';
  checkPositiveInteger(fn, 'power', power);
  if (options === null || typeof options !== 'object') fail(fn, 'options', 'an object like { tolerance: 1e-10 }', options);
  const tol = checkTolerance(fn, options.tolerance);
  const [point] = checkInputs(fn, [x], net.dIn);
  const k = preactivationCovariance(net, point, point);
  const s = Math.sqrt(k);
  if (net.activation === 'relu') return (s ** power * 2 ** (power / 2) * gammaHalfInteger((power + 1) / 2)) / (2 * Math.sqrt(Math.PI));
  if (net.activation === 'gauss') return Math.exp((k * power * (power - 2)) / 2);
  const act = unitActivation(net, point);
  const odd = isOdd(net);
  if (odd && power % 2 === 1) return 0;
  if (s === 0) return act(0) ** power;
  const plan = trapezoidPlan(net, s, 1, power, tol);
  if (typeof plan === 'string') throw new Error(`${fn}: ${plan}`);
  let previous = NaN;
  let change = NaN;
  for (const M of trapezoidLevels([act], [[s]], 1, power, odd, plan)) {
    const value = M[power][0];
    change = Math.abs(value - previous);
    if (change <= tol * Math.abs(value)) return value;
    previous = value;
  }
  throw new Error(`${fn}: the trapezoid rule did not reach relative accuracy ${tol} for E[phi^${power}] at x = (${point.join(', ')}) within ${MAX_GRID_POINTS} points; reached ${(change / Math.abs(previous)).toExponential(1)} relative`);
}

/**
 * Exact connected 4-point function at one point, G4c(x,x,x,x), at the net's width: the n = 4 case
 * of the module comment (TASI lectures eqs. (50)-(51)), converged to `tolerance`.
 */
export function connectedFourPointDiagonal(net: SingleLayerNet, x: readonly number[] | number, options: ToleranceOptions = {}): number {
  return exactCorrelators('connectedFourPointDiagonal', net, [x], { order: 4, tolerance: options?.tolerance }).G4c!.value[0];
}

/**
 * Exact excess kurtosis of f(x): G4c(x,x,x,x) / G2(x,x)^2 (TASI eqs. (49)-(51) over the square of
 * eq. (39)), which falls as 1/N: appendix A, eq. (143) at r = 4.
 */
export function excessKurtosis(net: SingleLayerNet, x: readonly number[] | number, options: ToleranceOptions = {}): number {
  const c = exactCorrelators('excessKurtosis', net, [x], { order: 4, tolerance: options?.tolerance });
  return c.G4c!.value[0] / c.G2.value[0] ** 2;
}

/**
 * A factor A (P x r) of the pre-activation covariance, C = A A^T, by pivoted Cholesky; r is the
 * numerical rank. Then z_p = sum_j A[p][j] u_j with u ~ N(0, I_r).
 */
export function preactivationFactor(net: SingleLayerNet, points: readonly (readonly number[])[]): number[][] {
  const P = points.length;
  const C = points.map((x) => points.map((y) => preactivationCovariance(net, x, y)));
  const A = points.map(() => [] as number[]);
  const d = C.map((row, i) => row[i]);
  const scale = Math.max(...d, 0);
  const used = new Set<number>();
  for (let r = 0; r < P; r++) {
    let pivot = -1;
    for (let i = 0; i < P; i++) if (!used.has(i) && (pivot < 0 || d[i] > d[pivot])) pivot = i;
    if (pivot < 0 || d[pivot] <= 1e-12 * scale) break;
    used.add(pivot);
    const root = Math.sqrt(d[pivot]);
    for (let i = 0; i < P; i++) {
      let s = C[i][pivot];
      for (let j = 0; j < r; j++) s -= A[i][j] * A[pivot][j];
      A[i][r] = used.has(i) && i !== pivot ? 0 : s / root;
    }
    for (let i = 0; i < P; i++) if (!used.has(i)) d[i] -= A[i][r] ** 2;
    d[pivot] = 0;
  }
  return A;
}

/** How single-neuron moments were obtained: closed form, converged quadrature, or Monte Carlo. */
export type SingleNeuronMethod = 'closed-form' | 'quadrature' | 'mc';

export interface ExactOptions {
  /** Highest order: 2, 4 or 6. */
  order: number;
  /**
   * 'exact' (default): closed forms and converged quadratures (an error where neither applies, e.g.
   * Erf pre-activations spanning more than 2 dimensions); 'mc': single-neuron Monte Carlo; 'auto':
   * exact where possible, else single-neuron Monte Carlo (the reason in `fallbackReason`).
   */
  method?: 'exact' | 'mc' | 'auto';
  /** Single-neuron samples for method 'mc' (default 10^6). */
  samples?: number;
  /** Seed for method 'mc'. */
  seed?: number;
  /**
   * Relative accuracy of the quadratures on every cumulant (default 1e-10, in [1e-14, 1e-2]): refine
   * until two successive refinements differ by at most tolerance x |G| (or by rounding level of the
   * terms, for a cumulant that cancels to ~0). An Error if the cap is reached first.
   */
  tolerance?: number;
}

/** Exact (or single-neuron Monte Carlo) correlators of a single-layer net at its width. */
export interface FiniteWidthCorrelators {
  readonly inputs: number[][];
  readonly width: number;
  readonly method: SingleNeuronMethod;
  /** Single-neuron samples behind the numbers (0 unless method is 'mc'). */
  readonly samples: number;
  readonly G2: TupleEstimates;
  readonly G4c?: TupleEstimates;
  readonly G6c?: TupleEstimates;
  /**
   * Absolute integration error per sorted tuple, in the order of the estimates: the change between
   * the last two refinements of the quadrature (an upper estimate), 0 for closed forms; absent for
   * Monte Carlo (whose statistical errors are the estimates' stdErr).
   */
  readonly integrationError?: { readonly G2: Float64Array; readonly G4c?: Float64Array; readonly G6c?: Float64Array };
  /** With method 'auto': why single-neuron Monte Carlo was used instead of an exact route. */
  readonly fallbackReason?: string;
}

function doubleFactorial(k: number): number {
  let r = 1;
  for (let i = k; i > 1; i -= 2) r *= i;
  return r;
}

/** Activations with phi(-z) = -phi(z): their odd moments vanish and even integrands are even in u. */
function isOdd(net: SingleLayerNet): boolean {
  return ACTIVATION_REGISTRY[net.activation].odd === true;
}

/**
 * Products of phi over every sorted tuple of the even orders 2..maxOrder (the order of
 * `sortedTuples`), as flat loops: the k-th tuple of order n >= 4 is the product over its first n - 2
 * indices (order n - 2) times the product over its last two (order 2). `accumulate` adds weight x
 * product to sums[n].
 */
class TupleProducts {
  private readonly head: Int32Array[] = [];
  private readonly tail: Int32Array[] = [];
  private readonly pairA: Int32Array;
  private readonly pairB: Int32Array;
  private readonly products: Float64Array[] = [];
  constructor(
    readonly P: number,
    readonly maxOrder: number,
  ) {
    const pairs = sortedTuples(P, 2);
    this.pairA = Int32Array.from(pairs, (t) => t[0]);
    this.pairB = Int32Array.from(pairs, (t) => t[1]);
    for (let n = 2; n <= maxOrder; n += 2) {
      const ts = sortedTuples(P, n);
      this.head[n] = Int32Array.from(ts, (t) => (n === 2 ? 0 : tupleIndex(t.slice(0, -2), P)));
      this.tail[n] = Int32Array.from(ts, (t) => tupleIndex(t.slice(-2), P));
      this.products[n] = new Float64Array(ts.length);
    }
  }
  /** Zeroed sums for the even orders. */
  sums(): Float64Array[] {
    const out: Float64Array[] = [];
    for (let n = 2; n <= this.maxOrder; n += 2) out[n] = new Float64Array(this.products[n].length);
    return out;
  }
  accumulate(phi: Float64Array, weight: number, sums: Float64Array[]): void {
    const pairs = this.products[2];
    const s2 = sums[2];
    for (let k = 0; k < pairs.length; k++) {
      const v = phi[this.pairA[k]] * phi[this.pairB[k]];
      pairs[k] = v;
      s2[k] += weight * v;
    }
    for (let n = 4; n <= this.maxOrder; n += 2) {
      const head = this.head[n];
      const tail = this.tail[n];
      const below = this.products[n - 2];
      const here = this.products[n];
      const s = sums[n];
      for (let k = 0; k < here.length; k++) {
        const v = below[head[k]] * pairs[tail[k]];
        here[k] = v;
        s[k] += weight * v;
      }
    }
  }
}

/**
 * Step and number of halvings for `trapezoidLevels`, or why the rule is impractical. The error of
 * the trapezoid rule for int g(u) exp(-u^2/2) du with g analytic in the strip |Im u| < d and bounded
 * there by B is about B exp(-2 pi d / h) (exponential, not algebraic, in 1/h). Erf is entire but grows
 * like exp(s^2 y^2) at height y, so for erf(s u)^k the best strip gives exp(-pi^2 / (h^2 (k s^2 +
 * 1/2))); tanh(s u) has poles at height pi / (2 s), giving exp(-pi^2 / (s h)) up to a prefactor that
 * grows with the power (measured: h s ~ 0.55 pi^2 / ln(1e12) reaches 1e-12 for tanh^6). The first step
 * aims at 1e-2 x tolerance, so that the next one usually confirms it.
 */
function trapezoidPlan(net: SingleLayerNet, sMax: number, rank: number, maxOrder: number, tol: number): { h0: number; levels: number; R: number } | string {
  const L = Math.log(100 / tol);
  const gaussianOnly = Math.PI * Math.sqrt(2 / L);
  const h0 = net.activation === 'tanh' ? Math.min(gaussianOnly, (0.55 * Math.PI ** 2) / (sMax * L)) : Math.PI / Math.sqrt(L * (maxOrder * sMax * sMax + 0.5));
  const R = truncationRadius(tol);
  const points = (h: number) => (rank === 1 ? (2 * R) / h : (Math.PI * (R / h) ** 2) / (isOdd(net) ? 2 : 1));
  if (points(h0 / 2) > MAX_GRID_POINTS) {
    return `the pre-activations are too steep for the trapezoid rule (standard deviation up to ${sMax.toPrecision(3)}: more than ${MAX_GRID_POINTS} grid points)`;
  }
  let levels = 1;
  while (points(h0 / 2 ** (levels + 1)) <= MAX_GRID_POINTS) levels++;
  return { h0, levels, R };
}

/**
 * Gaussian expectations M(t) = E[prod_{p in t} phi_p(A_p . u)], u ~ N(0, I_r), r = 1 or 2, for every
 * sorted tuple t of every even order <= maxOrder, by the trapezoid rule on the grid h Z^r within
 * |u| <= R (`truncationRadius`), at h = h0, h0/2, ..., h0/2^levels (one yield per step; each halving adds only the new
 * points, T_{h/2} = (T_h + midpoint sum) / 2).
 *
 * Why the trapezoid rule: for an integrand analytic in a strip around the real axis and decaying
 * like a Gaussian, it converges geometrically in 1/h (see `trapezoidPlan`), while Gauss-Hermite
 * needs many nodes for erf(s u)^6, which is near a step function once s is large (at 96 nodes,
 * 1.8e-3 relative on the G6c of an Erf-net with sw = 1.5). For odd activations the even-order
 * integrands are even in u: half the plane, weights doubled.
 */
function* trapezoidLevels(acts: ((z: number) => number)[], A: number[][], rank: number, maxOrder: number, odd: boolean, plan: { h0: number; levels: number; R: number }): Generator<Float64Array[]> {
  const { h0, levels, R } = plan;
  const P = acts.length;
  const table = new TupleProducts(P, maxOrder);
  const sums = table.sums();
  const a0 = A.map((row) => row[0] ?? 0);
  const a1 = A.map((row) => row[1] ?? 0);
  const phi = new Float64Array(P);
  const add = (u0: number, u1: number, weight: number) => {
    for (let p = 0; p < P; p++) phi[p] = acts[p](a0[p] * u0 + a1[p] * u1);
    table.accumulate(phi, weight, sums);
  };
  for (let level = 0; level <= levels; level++) {
    const h = h0 / 2 ** level;
    const reach = R / h;
    const I = Math.floor(reach);
    // At level > 0 only the points with an odd index are new (the others were the previous grid).
    const fresh = (i: number, j: number) => level === 0 || ((i | j) & 1) !== 0;
    for (let i = odd ? 0 : -I; i <= I; i++) {
      const J = rank === 2 ? Math.floor(Math.sqrt(Math.max(reach * reach - i * i, 0))) : 0;
      for (let j = odd && i === 0 ? 0 : -J; j <= J; j++) {
        if (!fresh(i, j)) continue;
        const double = odd && (i > 0 || j > 0) ? 2 : 1;
        add(i * h, j * h, double * Math.exp(-((i * i + j * j) * h * h) / 2));
      }
    }
    const scale = h ** rank / (2 * Math.PI) ** (rank / 2);
    const out: Float64Array[] = [];
    for (let n = 2; n <= maxOrder; n += 2) out[n] = sums[n].map((v) => v * scale);
    yield out;
  }
}

/**
 * ReLU moments in polar coordinates u = rho (cos t, sin t): relu is positively homogeneous, so
 *   E[prod_B relu(z)] = R_|B| / (2 pi) int_0^{2 pi} dt prod_B relu(c_p(t)),  c_p(t) = A_p . (cos t, sin t),
 *   R_n = int_0^inf rho^(n+1) exp(-rho^2/2) d rho = 2^(n/2) Gamma(n/2 + 1).
 * The angular integrand is a trigonometric polynomial between the kinks c_p = 0; Gauss-Legendre on
 * each arc, at orders 32, 64, ..., 512 (one yield per order).
 */
function* reluLevels(A: number[][], maxOrder: number): Generator<Float64Array[]> {
  const P = A.length;
  const a = A.map((row) => [row[0] ?? 0, row[1] ?? 0]);
  const cuts = [0, 2 * Math.PI];
  for (const [c0, c1] of a) {
    if (c0 === 0 && c1 === 0) continue;
    const t = Math.atan2(-c0, c1); // c0 cos t + c1 sin t = 0
    for (const s of [t, t + Math.PI]) cuts.push(((s % (2 * Math.PI)) + 2 * Math.PI) % (2 * Math.PI));
  }
  cuts.sort((x, y) => x - y);
  const radial = (n: number) => (2 ** (n / 2) * gammaHalfInteger(n / 2 + 1)) / (2 * Math.PI);
  const table = new TupleProducts(P, maxOrder);
  const phi = new Float64Array(P);
  for (let order = 32; order <= 512; order *= 2) {
    const sums = table.sums();
    const { nodes, weights } = gaussLegendre(order);
    for (let c = 0; c + 1 < cuts.length; c++) {
      const lo = cuts[c];
      const hi = cuts[c + 1];
      if (hi - lo < 1e-15) continue;
      const half = (hi - lo) / 2;
      for (let i = 0; i < nodes.length; i++) {
        const theta = lo + half * (nodes[i] + 1);
        const ct = Math.cos(theta);
        const st = Math.sin(theta);
        for (let p = 0; p < P; p++) phi[p] = Math.max(a[p][0] * ct + a[p][1] * st, 0);
        table.accumulate(phi, half * weights[i], sums);
      }
    }
    for (let n = 2; n <= maxOrder; n += 2) {
      const r = radial(n);
      sums[n] = sums[n].map((v) => v * r);
    }
    yield sums;
  }
}

/**
 * Gauss-net single-neuron moments in closed form, at any rank: with phi_a = exp(z_a - k_aa),
 * E[prod_a phi_a] = exp(Var(sum_a z_a)/2 - sum_a k_aa) = exp(sum_{a,b} k_ab / 2 - sum_a k_aa).
 */
function gaussNetMoments(net: SingleLayerNet, points: number[][], maxOrder: number): Float64Array[] {
  const P = points.length;
  const k = points.map((x) => points.map((y) => preactivationCovariance(net, x, y)));
  const out: Float64Array[] = [];
  for (let n = 2; n <= maxOrder; n += 2) {
    out[n] = Float64Array.from(sortedTuples(P, n), (t) => {
      let exponent = 0;
      for (const a of t) {
        exponent -= k[a][a];
        for (const b of t) exponent += k[a][b] / 2;
      }
      return Math.exp(exponent);
    });
  }
  return out;
}

/** Erf and ReLU second moments in closed form (the kernels' arcsine formulas, TASI eqs. (36)-(39)). */
function closedSecondMoments(net: SingleLayerNet, points: number[][]): Float64Array | undefined {
  if (net.activation !== 'erf' && net.activation !== 'relu') return undefined;
  const pair = ACTIVATION_REGISTRY[net.activation].pair!;
  const P = points.length;
  const k = points.map((x) => points.map((y) => preactivationCovariance(net, x, y)));
  return Float64Array.from(sortedTuples(P, 2), ([p, q]) => pair(k[p][p], k[p][q], k[q][q]));
}

/**
 * The phase average of a product of n cosines keeps only the sign patterns s with sum_a s_a = 0:
 *   E_b[prod_a cos(w . x_a + b)] = 2^-n sum_{s in {+1,-1}^n, sum s = 0} cos(w . sum_a s_a x_a),
 * and s, -s give the same cosine. Calls visit(q) for each pattern with s_1 = +1 (q = sum_a s_a x_{t_a});
 * M(t) = 2^(1-n) sum over those of E_w[F(w)^n cos(w . q)].
 */
function balancedSums(points: number[][], t: readonly number[], visit: (q: number[]) => void): void {
  const n = t.length;
  const D = points[0].length;
  for (let mask = 1; mask < 1 << n; mask += 2) {
    let plus = 0;
    for (let a = 0; a < n; a++) if (mask & (1 << a)) plus++;
    if (2 * plus !== n) continue;
    const q = new Array<number>(D).fill(0);
    for (let a = 0; a < n; a++) for (let j = 0; j < D; j++) q[j] += (mask & (1 << a) ? 1 : -1) * points[t[a]][j];
    visit(q);
  }
}

/**
 * Cos-net moments phi(x) = cos(w . x + b), w ~ N(0, v I), b ~ Unif[-pi, pi], in closed form:
 * E_w[cos(w . q)] = exp(-v |q|^2 / 2) in `balancedSums`.
 */
function cosNetMoments(net: SingleLayerNet, points: number[][], maxOrder: number): Float64Array[] {
  const v = (net.layers[0].weight as { variance: number }).variance;
  const out: Float64Array[] = [];
  for (let n = 2; n <= maxOrder; n += 2) {
    out[n] = Float64Array.from(sortedTuples(points.length, n), (t) => {
      let total = 0;
      balancedSums(points, t, (q) => (total += Math.exp((-v * q.reduce((a, c) => a + c * c, 0)) / 2)));
      return total / 2 ** (n - 1);
    });
  }
  return out;
}

/**
 * Scalar-net moments (TASI lectures eqs. (72)-(73)): phi(x) = F(|w|) cos(w . x + b), w uniform in
 * the D-ball of radius Lambda, F(p) = c / sqrt(p^2 + m^2). With `balancedSums`, every moment is a sum
 * of E_w[F(|w|)^n cos(w . q)], which depends on r = |q| only: in spherical coordinates
 *   E_w[F^n cos(w . q)] = (D / Lambda^D) int_0^Lambda p^(D-1) F(p)^n A_D(p r) dp,
 * A_D the sphere average of a cosine (`ballAverage`: cos, J0, sin(x)/x, ... for D = 1, 2, 3, ...).
 * Composite Gauss-Legendre on panels graded geometrically towards 0 (m/2, m, 2m, ...: the poles of
 * F at p = +-i m) and no wider than half a period of the fastest cosine, at orders 16, 32, ..., 256
 * per panel (one yield per order). Each distinct (n, r) is integrated once.
 */
function* scalarLevels(net: SingleLayerNet, points: number[][], maxOrder: number): Generator<Float64Array[]> {
  const { prefactor, mass, cutoff } = net.spectrum!;
  const D = net.dIn;
  const P = points.length;
  const radii: number[] = [];
  const radiusIndex = new Map<string, number>();
  const needs: number[] = []; // per radius: bit n/2 set if order n needs it
  const patterns: number[][][] = []; // patterns[n][tuple] = radius indices
  for (let n = 2; n <= maxOrder; n += 2) {
    patterns[n] = sortedTuples(P, n).map((t) => {
      const idx: number[] = [];
      balancedSums(points, t, (q) => {
        const r = Math.hypot(...q);
        const key = r.toPrecision(14);
        let i = radiusIndex.get(key);
        if (i === undefined) {
          i = radii.length;
          radii.push(r);
          needs.push(0);
          radiusIndex.set(key, i);
        }
        needs[i] |= 1 << (n / 2);
        idx.push(i);
      });
      return idx;
    });
  }
  const rMax = Math.max(...radii);
  const edges = [0];
  if (mass > 0) for (let b = mass / 2; b < cutoff; b *= 2) edges.push(b);
  edges.push(cutoff);
  const panels: [number, number][] = [];
  const widest = rMax > 0 ? Math.PI / rMax : Infinity;
  for (let e = 0; e + 1 < edges.length; e++) {
    const pieces = Math.max(1, Math.ceil((edges[e + 1] - edges[e]) / widest));
    const w = (edges[e + 1] - edges[e]) / pieces;
    for (let j = 0; j < pieces; j++) panels.push([edges[e] + j * w, edges[e] + (j + 1) * w]);
  }
  const norm = D / cutoff ** D;
  const F2 = prefactor * prefactor;
  for (let order = 16; order <= 256; order *= 2) {
    const { nodes, weights } = gaussLegendre(order);
    const V: Float64Array[] = [];
    for (let n = 2; n <= maxOrder; n += 2) V[n] = new Float64Array(radii.length);
    const Fn: number[] = [];
    for (const [lo, hi] of panels) {
      const half = (hi - lo) / 2;
      for (let i = 0; i < nodes.length; i++) {
        const p = lo + half * (nodes[i] + 1);
        const base = norm * half * weights[i] * p ** (D - 1);
        const f2 = F2 / (p * p + mass * mass);
        for (let n = 2, f = f2; n <= maxOrder; n += 2, f *= f2) Fn[n] = base * f;
        for (let k = 0; k < radii.length; k++) {
          const avg = ballAverage(D, p * radii[k]);
          for (let n = 2; n <= maxOrder; n += 2) if (needs[k] & (1 << (n / 2))) V[n][k] += Fn[n] * avg;
        }
      }
    }
    const out: Float64Array[] = [];
    for (let n = 2; n <= maxOrder; n += 2) out[n] = Float64Array.from(patterns[n], (idx) => idx.reduce((a, i) => a + V[n][i], 0) / 2 ** (n - 1));
    yield out;
  }
}

/** Draw single neurons (W0 row, b0, spectral factor) and accumulate their values phi(x_p). */
function neuronAccumulator(net: SingleLayerNet, points: number[][], maxOrder: number, samples: number, seed: number): MomentAccumulator {
  const acc = new MomentAccumulator(points.length, Array.from({ length: maxOrder }, (_, i) => i + 1));
  forEachNeuronChunk(net, points, samples, seed, (start, count, values) => acc.add(start, count, values));
  return acc;
}

/** An exact route: closed-form moments, or a sequence of ever finer quadratures. */
type Route = { kind: 'closed-form'; moments: Float64Array[] } | { kind: 'quadrature'; levels: Iterable<Float64Array[]>; rule: string };

/**
 * Exact finite-width G2, G4c and G6c (up to `order`) of a single-layer net at all sorted input
 * tuples, from single-neuron moments (see the module comment): G2 by TASI eq. (39), G4c by
 * eqs. (44)-(51), G6c by the same cumulant expansion at n = 6; for the Gauss-, Cos- and Scalar-nets
 * these are eqs. (62)/(64), (70)/(71) and (74) at finite width. Standard errors are zero for the
 * exact routes (their integration errors are in `integrationError`) and jackknife errors for
 * single-neuron Monte Carlo.
 */
export function finiteWidthCorrelators(net: SingleLayerNet, inputs: readonly (readonly number[] | number)[], options: ExactOptions): FiniteWidthCorrelators {
  return exactCorrelators('finiteWidthCorrelators', net, inputs, options);
}

function exactCorrelators(fn: string, net: SingleLayerNet, inputs: readonly (readonly number[] | number)[], options: ExactOptions): FiniteWidthCorrelators {
  requireSingleLayer(fn, net);
  const points = checkInputs(fn, inputs, net.dIn);
  const order = options?.order;
  if (order !== 2 && order !== 4 && order !== 6) fail(fn, 'order', '2, 4 or 6', order);
  const requested = options.method ?? 'exact';
  if (requested !== 'exact' && requested !== 'mc' && requested !== 'auto') fail(fn, 'method', 'exact, mc or auto', requested);
  const tol = checkTolerance(fn, options.tolerance);
  const P = points.length;
  const N = net.width;
  const s2 = densityVariance(net.layers[1].weight, fn);
  const bias2 = densityVariance(net.layers[1].bias, fn);
  const readout = (k: number) => doubleFactorial(k - 1) * s2 ** (k / 2);
  const orders = [2, 4, 6].filter((n) => n <= order);
  const partitions = new Map(orders.map((n) => [n, evenPartitions(n)]));
  const tuples = new Map(orders.map((n) => [n, sortedTuples(P, n)]));

  // Which exact route applies, or why none does.
  let route: Route | undefined;
  let obstacle = '';
  if (requested !== 'mc') {
    const found = exactRoute(fn, net, points, order, tol, requested);
    if (typeof found === 'string') obstacle = found;
    else route = found;
  }
  if (requested === 'exact' && obstacle) fail(fn, 'method', `'mc' for these inputs (${obstacle})`, requested);

  // Cumulants from single-neuron moments M(k) per sorted tuple of order k; optionally also their
  // natural size, the sum over the partition terms of |weight| prod_B E[w^|B|] Hoelder(B), with
  // |M(B)| <= Hoelder(B) = prod_{b in B} M(b, ..., b)^(1/|B|): the scale against which a cumulant
  // that cancels to ~0 is judged (not the computed terms, which may all be rounding noise).
  const diagonal = new Map(orders.map((n) => [n, Array.from({ length: P }, (_, b) => tupleIndex(new Array<number>(n).fill(b), P))]));
  const cumulants = (n: number, M: (k: number) => ArrayLike<number>, magnitude?: Float64Array): Float64Array => {
    const ts = tuples.get(n)!;
    const out = new Float64Array(ts.length);
    const hoelder = (block: number[]) => block.reduce((a, b) => a * Math.abs(M(block.length)[diagonal.get(block.length)![b]]) ** (1 / block.length), 1);
    ts.forEach((t, k) => {
      if (n === 2) {
        out[k] = bias2 + N * readout(2) * M(2)[tupleIndex(t, P)];
        if (magnitude) magnitude[k] = Math.abs(bias2) + N * readout(2) * hoelder(t);
        return;
      }
      let total = 0;
      let size = 0;
      for (const blocks of partitions.get(n)! as Partition[]) {
        let term = partitionWeight(blocks.length);
        let bound = Math.abs(term);
        for (const block of blocks) {
          const sub = block.map((pos) => t[pos]);
          term *= readout(block.length) * M(block.length)[tupleIndex(sub, P)];
          if (magnitude) bound *= readout(block.length) * hoelder(sub);
        }
        total += term;
        size += bound;
      }
      out[k] = N * total;
      if (magnitude) magnitude[k] = N * size;
    });
    return out;
  };

  const result: Record<number, TupleEstimates> = {};
  const errors: Record<number, Float64Array> = {};
  let samples = 0;
  let method: SingleNeuronMethod;
  if (route) {
    method = route.kind;
    let values: Record<number, Float64Array>;
    if (route.kind === 'closed-form') {
      const moments = route.moments;
      values = Object.fromEntries(orders.map((n) => [n, cumulants(n, (k) => moments[k])]));
      for (const n of orders) errors[n] = new Float64Array(values[n].length);
    } else {
      values = converge(fn, route, orders, tuples, tol, (M, n, magnitude) => cumulants(n, (k) => M[k], magnitude), errors);
    }
    for (const n of orders) result[n] = { order: n, tuples: tuples.get(n)!, value: values[n], stdErr: new Float64Array(values[n].length) };
  } else {
    method = 'mc';
    samples = checkPositiveInteger(fn, 'samples', options.samples ?? 1_000_000);
    const seed = checkNonNegativeInteger(fn, 'seed', options.seed ?? 0);
    const acc = neuronAccumulator(net, points, order, samples, seed);
    for (const n of orders) result[n] = acc.estimate(n, (means) => cumulants(n, means));
  }
  return Object.freeze({
    inputs: points,
    width: N,
    method,
    samples,
    G2: result[2],
    G4c: result[4],
    G6c: result[6],
    ...(route ? { integrationError: Object.freeze({ G2: errors[2], G4c: errors[4], G6c: errors[6] }) } : {}),
    ...(obstacle ? { fallbackReason: obstacle } : {}),
  });
}

/** The exact route for a net and inputs, or the reason there is none. */
function exactRoute(fn: string, net: SingleLayerNet, points: number[][], order: number, tol: number, requested: string): Route | string {
  const { weight: W0, bias: b0 } = net.layers[0];
  if (net.activation === 'cos') {
    const fullPeriod = b0.kind === 'uniform' && Math.abs(b0.high - b0.low - 2 * Math.PI) < 1e-12;
    if (!fullPeriod || W0.kind !== (net.spectrum ? 'uniform-ball' : 'normal')) return 'the exact cosine moments need the Cos-/Scalar-net densities';
    if (!net.spectrum) return { kind: 'closed-form', moments: cosNetMoments(net, points, order) };
    if (net.spectrum.mass === 0 && net.dIn <= order) {
      // int_0 p^(D-1) p^-n dp diverges for n >= D: G_n is infinite, and no method can estimate it.
      fail(fn, 'net', `a Scalar-net with G${order === 2 ? 2 : order + 'c'} finite; with mass 0, E[F(w)^${order}] diverges at w = 0 for D = ${net.dIn} <= ${order}`, `${requested} at mass 0`);
    }
    return { kind: 'quadrature', levels: scalarLevels(net, points, order), rule: 'radial Gauss-Legendre quadrature (orders 16..256)' };
  }
  if (!hasGaussianPreactivations(net)) return 'the first-layer densities are not Gaussian, which quadrature and the closed forms assume';
  if (net.activation === 'gauss') return { kind: 'closed-form', moments: gaussNetMoments(net, points, order) };
  const m2 = closedSecondMoments(net, points);
  if (order === 2 && m2) {
    const moments: Float64Array[] = [];
    moments[2] = m2;
    return { kind: 'closed-form', moments };
  }
  const A = preactivationFactor(net, points);
  const rank = A[0]?.length ?? 0;
  if (rank > 2) return `their pre-activations span ${rank} dimensions; quadrature handles at most 2`;
  const withClosedM2 = function* (levels: Iterable<Float64Array[]>) {
    for (const M of levels) {
      if (m2) M[2] = m2;
      yield M;
    }
  };
  if (net.activation === 'relu') return { kind: 'quadrature', levels: withClosedM2(reluLevels(A, order)), rule: 'angular Gauss-Legendre quadrature (orders 32..512)' };
  const acts = points.map((x) => unitActivation(net, x));
  if (rank === 0) {
    // Every pre-activation is identically 0.
    const moments: Float64Array[] = [];
    for (let n = 2; n <= order; n += 2) moments[n] = Float64Array.from(sortedTuples(points.length, n), (t) => t.reduce((a, p) => a * acts[p](0), 1));
    return { kind: 'closed-form', moments };
  }
  const sMax = Math.sqrt(Math.max(...A.map((row) => row.reduce((a, c) => a + c * c, 0))));
  const plan = trapezoidPlan(net, sMax, rank, order, tol);
  if (typeof plan === 'string') return plan;
  return { kind: 'quadrature', levels: withClosedM2(trapezoidLevels(acts, A, rank, order, isOdd(net), plan)), rule: `${rank}-d trapezoid rule (${plan.levels} halvings of h = ${plan.h0.toPrecision(3)})` };
}

/**
 * Run a route's refinements until two successive ones agree on every cumulant: |change| <=
 * max(tol |G|, ROUNDOFF x magnitude). Returns the last cumulants and fills `errors` with |change|.
 */
function converge(
  fn: string,
  route: { levels: Iterable<Float64Array[]>; rule: string },
  orders: number[],
  tuples: Map<number, number[][]>,
  tol: number,
  cumulantsOf: (M: Float64Array[], n: number, magnitude: Float64Array) => Float64Array,
  errors: Record<number, Float64Array>,
): Record<number, Float64Array> {
  let previous: Record<number, Float64Array> | undefined;
  let worst = { ratio: 0, n: 0, k: 0, change: 0, value: 0 };
  for (const M of route.levels) {
    const current: Record<number, Float64Array> = {};
    const magnitudes: Record<number, Float64Array> = {};
    for (const n of orders) {
      magnitudes[n] = new Float64Array(tuples.get(n)!.length);
      current[n] = cumulantsOf(M, n, magnitudes[n]);
    }
    if (previous) {
      worst = { ratio: 0, n: 0, k: 0, change: 0, value: 0 };
      for (const n of orders) {
        const change = current[n].map((v, k) => Math.abs(v - previous![n][k]));
        errors[n] = change;
        change.forEach((c, k) => {
          const ratio = c / Math.max(tol * Math.abs(current[n][k]), ROUNDOFF * magnitudes[n][k], Number.MIN_VALUE);
          if (ratio > worst.ratio) worst = { ratio, n, k, change: c, value: current[n][k] };
        });
      }
      if (worst.ratio <= 1) return current;
    }
    previous = current;
  }
  const name = worst.n === 2 ? 'G2' : `G${worst.n}c`;
  throw new Error(
    `${fn}: the ${route.rule} did not converge to relative accuracy ${tol}: ${name} at tuple (${tuples.get(worst.n)![worst.k].join(', ')}) ` +
      `= ${worst.value.toPrecision(10)} still changed by ${worst.change.toExponential(2)} (${(worst.change / Math.abs(worst.value)).toExponential(1)} relative) at the last refinement`,
  );
}
