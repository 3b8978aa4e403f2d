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
 * with single-neuron moments M(B) = E[prod_{b in B} phi(x_b)] and E[w^k] = (k-1)!! (sw^2/N)^(k/2):
 *
 *   G4c = (sw^4 / N)   (3 M4 - (M2 M2 + 2 perms))
 *   G6c = (sw^6 / N^2) (15 M6 - 3 (M4 M2 + 14 perms) + 2 (M2 M2 M2 + 14 perms)),
 *
 * so G4c falls as 1/N and G6c as 1/N^2 exactly. G2 = sb^2 + sw^2 M2 = K at every width.
 *
 * Single-neuron moments: the pre-activations z_p = W0 . x_p + b0 are Gaussian with covariance
 * k(x_p, x_q); when they span at most 2 dimensions (always for D = 1) the moments are 2-d
 * integrals, done by Gauss-Hermite quadrature for smooth activations and exactly in polar
 * coordinates for ReLU (positively homogeneous: the radial integral is a Gamma function and the
 * angular one is split at the kinks). The Gauss-net's moments are closed-form at any rank. Otherwise,
 * or on request, by single-neuron Monte Carlo with jackknife errors.
 */
import { SingleLayerNet, densityVariance, hasGaussianPreactivations, preactivationCovariance } from './architectures';
import { drawDensity, spectralFactor } from './sampling';
import { gpKernel, unitActivation } from './kernels';
import { MomentAccumulator, TupleEstimates, tupleProducts } from './moments';
import { Rng } from './random';
import { gammaHalfInteger, gaussHermiteNormal, gaussLegendre } from './special';
import { connectedFromMoments, evenPartitions, sortedTuples, tupleIndex } from './tuples';
import { checkInputs, checkNonNegativeInteger, checkPositiveInteger, fail } from './validate';

/** E[phi_x(z)^power], z ~ N(0, k(x,x)), by Gauss-Hermite quadrature of the given order. */
export function unitMoment(net: SingleLayerNet, x: readonly number[], power: number, order = 160): number {
  checkPositiveInteger('unitMoment', 'power', power);
  const act = unitActivation(net, x);
  const s = Math.sqrt(preactivationCovariance(net, x, x));
  const { nodes, weights } = gaussHermiteNormal(order);
  let total = 0;
  for (let i = 0; i < nodes.length; i++) total += weights[i] * act(s * nodes[i]) ** power;
  return total;
}

/** Exact connected 4-point function at one point, G4c(x,x,x,x), at the net's width. */
export function connectedFourPointDiagonal(net: SingleLayerNet, x: readonly number[] | number): number {
  const [point] = checkInputs('connectedFourPointDiagonal', [x], net.dIn);
  const m2 = unitMoment(net, point, 2);
  const m4 = unitMoment(net, point, 4);
  return 3 * net.width * net.params.W1.variance ** 2 * (m4 - m2 * m2);
}

/** Exact excess kurtosis of f(x): G4c(x,x,x,x) / G2(x,x)^2, which falls as 1/N. */
export function excessKurtosis(net: SingleLayerNet, x: readonly number[] | number): number {
  const [point] = checkInputs('excessKurtosis', [x], net.dIn);
  const g2 = gpKernel(net)(point, point);
  return connectedFourPointDiagonal(net, point) / (g2 * g2);
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

/** How single-neuron moments were obtained: closed form (Gauss-net), 2-d quadrature, or Monte Carlo. */
export type SingleNeuronMethod = 'closed-form' | 'quadrature' | 'mc';

export interface ExactOptions {
  /** Highest order: 2, 4 or 6. */
  order: number;
  /**
   * 'exact' (default): closed form for the Gauss-net, 2-d quadrature for the others (an error if
   * the pre-activations span more than 2 dimensions); 'mc': single-neuron Monte Carlo; 'auto':
   * exact where possible, else single-neuron Monte Carlo.
   */
  method?: 'exact' | 'mc' | 'auto';
  /** Single-neuron samples for method 'mc' (default 10^6). */
  samples?: number;
  /** Seed for method 'mc'. */
  seed?: number;
  /** Gauss-Hermite points per dimension for smooth activations (default 96). */
  quadratureOrder?: number;
}

/** Exact (or single-neuron Monte Carlo) correlators of a single-layer net at its width. */
export interface FiniteWidthCorrelators {
  readonly inputs: number[][];
  readonly width: number;
  readonly method: SingleNeuronMethod;
  /** Single-neuron samples behind the numbers (0 for quadrature). */
  readonly samples: number;
  readonly G2: TupleEstimates;
  readonly G4c?: TupleEstimates;
  readonly G6c?: TupleEstimates;
}

function doubleFactorial(k: number): number {
  let r = 1;
  for (let i = k; i > 1; i -= 2) r *= i;
  return r;
}

/** Single-neuron moments M(t) for every sorted tuple t of every order 1..maxOrder, by 2-d quadrature. */
function quadratureMoments(net: SingleLayerNet, points: number[][], A: number[][], maxOrder: number, ghOrder: number): Float64Array[] {
  const P = points.length;
  const acts = points.map((x) => unitActivation(net, x));
  const a = A.map((row) => [row[0] ?? 0, row[1] ?? 0]);
  const sums: Float64Array[] = [];
  const scratch: Float64Array[] = [];
  for (let n = 1; n <= maxOrder; n++) {
    sums[n] = new Float64Array(sortedTuples(P, n).length);
    scratch[n] = new Float64Array(sums[n].length);
  }
  const phi = new Float64Array(P);
  const accumulate = (u0: number, u1: number, weight: (n: number) => number) => {
    for (let p = 0; p < P; p++) phi[p] = acts[p](a[p][0] * u0 + a[p][1] * u1);
    tupleProducts(phi, maxOrder, scratch);
    for (let n = 1; n <= maxOrder; n++) {
      const w = weight(n);
      const s = sums[n];
      const t = scratch[n];
      for (let k = 0; k < s.length; k++) s[k] += w * t[k];
    }
  };
  if (net.activation === 'relu') {
    // relu(r c) = r relu(c) for r >= 0: E[prod_B relu(z)] = R_|B| / (2 pi) int dtheta prod_B relu(c_p(theta)),
    // R_n = int_0^inf r^(n+1) exp(-r^2/2) dr = 2^(n/2) Gamma(n/2 + 1). Split theta at the kinks c_p = 0.
    const cuts = [0, 2 * Math.PI];
    for (const [c0, c1] of a) {
      if (c0 === 0 && c1 === 0) continue;
      const t = Math.atan2(-c0, c1); // c0 cos t + c1 sin t = 0
      for (const s of [t, t + Math.PI]) cuts.push(((s % (2 * Math.PI)) + 2 * Math.PI) % (2 * Math.PI));
    }
    cuts.sort((x, y) => x - y);
    const { nodes, weights } = gaussLegendre(24);
    const radial = (n: number) => (2 ** (n / 2) * gammaHalfInteger(n / 2 + 1)) / (2 * Math.PI);
    for (let c = 0; c + 1 < cuts.length; c++) {
      const lo = cuts[c];
      const hi = cuts[c + 1];
      if (hi - lo < 1e-15) continue;
      const half = (hi - lo) / 2;
      for (let i = 0; i < nodes.length; i++) {
        const theta = lo + half * (nodes[i] + 1);
        accumulate(Math.cos(theta), Math.sin(theta), (n) => half * weights[i] * radial(n));
      }
    }
  } else {
    const { nodes, weights } = gaussHermiteNormal(ghOrder);
    for (let i = 0; i < nodes.length; i++) {
      for (let j = 0; j < nodes.length; j++) {
        const w = weights[i] * weights[j];
        accumulate(nodes[i], nodes[j], () => w);
      }
    }
  }
  return sums;
}

/**
 * Gauss-net single-neuron moments in closed form, at any rank: with phi_a = exp(z_a - k_aa),
 * E[prod_a phi_a] = exp(Var(sum_a z_a)/2 - sum_a k_aa) = exp(sum_{a,b} k_ab / 2 - sum_a k_aa).
 */
function gaussNetMoments(net: SingleLayerNet, points: number[][], maxOrder: number): Float64Array[] {
  const P = points.length;
  const k = points.map((x) => points.map((y) => preactivationCovariance(net, x, y)));
  const out: Float64Array[] = [];
  for (let n = 1; n <= maxOrder; n++) {
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

/**
 * Moments of Cos-net and Scalar-net neurons phi(x) = F(w) cos(w . x + b), b ~ Unif[-pi, pi]. The
 * phase average of a product of k cosines keeps only the sign patterns s with sum_a s_a = 0:
 *   E_b[prod_a cos(w . x_a + b)] = 2^-k sum_{s in {+1,-1}^k, sum s = 0} cos(w . sum_a s_a x_a).
 * Cos-net (F = 1, w ~ N(0, v I)): E_w[cos(w . q)] = exp(-v |q|^2 / 2), closed form at any rank.
 * Scalar-net in D = 1 (w uniform on [-Lambda, Lambda]): E_w[F(w)^k cos(w q)] by Gauss-Legendre.
 */
function cosineMoments(net: SingleLayerNet, points: number[][], maxOrder: number): Float64Array[] {
  const P = points.length;
  const D = net.dIn;
  let phaseFree: (q: number[], k: number) => number;
  if (!net.spectrum) {
    const v = (net.params.W0 as { variance: number }).variance;
    phaseFree = (q) => Math.exp((-v * q.reduce((a, c) => a + c * c, 0)) / 2);
  } else {
    const { prefactor, mass, cutoff } = net.spectrum;
    const { nodes, weights } = gaussLegendre(32);
    const panels = 64;
    phaseFree = (q, k) => {
      // (1 / 2 Lambda) int_{-Lambda}^{Lambda} (F(w))^k cos(w q) dw = (1 / Lambda) int_0^Lambda ...
      let total = 0;
      const h = cutoff / panels;
      for (let j = 0; j < panels; j++) {
        for (let i = 0; i < nodes.length; i++) {
          const w = h * (j + (nodes[i] + 1) / 2);
          total += (h / 2) * weights[i] * (prefactor / Math.sqrt(w * w + mass * mass)) ** k * Math.cos(w * q[0]);
        }
      }
      return total / cutoff;
    };
  }
  const out: Float64Array[] = [];
  for (let n = 1; n <= maxOrder; n++) {
    out[n] = Float64Array.from(sortedTuples(P, n), (t) => {
      if (n % 2 === 1) return 0; // sum of an odd number of signs is never 0
      let total = 0;
      for (let mask = 0; mask < 1 << n; mask++) {
        let sum = 0;
        for (let a = 0; a < n; a++) sum += mask & (1 << a) ? 1 : -1;
        if (sum !== 0) continue;
        const q = new Array<number>(D).fill(0);
        for (let a = 0; a < n; a++) for (let j = 0; j < D; j++) q[j] += (mask & (1 << a) ? 1 : -1) * points[t[a]][j];
        total += phaseFree(q, n);
      }
      return total / 2 ** n;
    });
  }
  return out;
}

/** Draw single neurons (W0 row, b0, spectral factor) and accumulate their values phi(x_p). */
function neuronAccumulator(net: SingleLayerNet, points: number[][], maxOrder: number, samples: number, seed: number): MomentAccumulator {
  const P = points.length;
  const D = net.dIn;
  const acts = points.map((x) => unitActivation(net, x));
  const acc = new MomentAccumulator(P, Array.from({ length: maxOrder }, (_, i) => i + 1));
  const chunk = 4096;
  const w = new Float64Array(D);
  const b = new Float64Array(1);
  const values = new Float64Array(chunk * P);
  for (let start = 0; start < samples; start += chunk) {
    const count = Math.min(chunk, samples - start);
    const rng = Rng.stream(seed, start / chunk);
    for (let s = 0; s < count; s++) {
      drawDensity(rng, net.params.W0, w, 0, 1, D);
      drawDensity(rng, net.params.b0, b, 0, 1, 1);
      const F = net.spectrum ? spectralFactor(net.spectrum, w, 0, D) : 1;
      for (let p = 0; p < P; p++) {
        let z = b[0];
        for (let j = 0; j < D; j++) z += w[j] * points[p][j];
        values[s * P + p] = F * acts[p](z);
      }
    }
    acc.add(start, count, values);
  }
  return acc;
}

/**
 * Exact finite-width G2, G4c and G6c (up to `order`) of a single-layer net at all sorted input
 * tuples, from single-neuron moments (see the module comment). Standard errors are zero for
 * quadrature and jackknife errors for single-neuron Monte Carlo.
 */
export function finiteWidthCorrelators(net: SingleLayerNet, inputs: readonly (readonly number[] | number)[], options: ExactOptions): FiniteWidthCorrelators {
  const fn = 'finiteWidthCorrelators';
  const points = checkInputs(fn, inputs, net.dIn);
  const order = options?.order;
  if (order !== 2 && order !== 4 && order !== 6) fail(fn, 'order', '2, 4 or 6', order);
  const requested = options.method ?? 'exact';
  if (requested !== 'exact' && requested !== 'mc' && requested !== 'auto') fail(fn, 'method', 'exact, mc or auto', requested);
  const gaussian = hasGaussianPreactivations(net);
  const A = gaussian ? preactivationFactor(net, points) : [];
  const rank = A[0]?.length ?? 0;
  // Which exact route applies, and whether it is possible for these inputs.
  let exact: SingleNeuronMethod;
  let obstacle = '';
  const { W0, b0 } = net.params;
  const fullPeriod = b0.kind === 'uniform' && Math.abs(b0.high - b0.low - 2 * Math.PI) < 1e-12;
  if (net.activation === 'cos') {
    exact = net.spectrum ? 'quadrature' : 'closed-form';
    if (!fullPeriod || W0.kind !== (net.spectrum ? 'uniform-ball' : 'normal')) obstacle = 'the exact cosine moments need the Cos-/Scalar-net densities';
    else if (net.spectrum && net.dIn > 1) obstacle = `the Scalar-net's exact moments are implemented for D = 1 only, here D = ${net.dIn}`;
  } else {
    exact = net.activation === 'gauss' ? 'closed-form' : 'quadrature';
    if (!gaussian) obstacle = 'the first-layer densities are not Gaussian, which quadrature and the closed forms assume';
    else if (exact === 'quadrature' && rank > 2) obstacle = `their pre-activations span ${rank} dimensions; quadrature handles at most 2`;
  }
  const method: SingleNeuronMethod = requested === 'mc' || (requested === 'auto' && obstacle) ? 'mc' : exact;
  if (method !== 'mc' && obstacle) fail(fn, 'method', `'mc' for these inputs (${obstacle})`, requested);
  const P = points.length;
  const N = net.width;
  const s2 = net.params.W1.variance;
  const bias2 = densityVariance(net.params.b1, fn);
  const readout = (k: number) => doubleFactorial(k - 1) * s2 ** (k / 2);
  const orders = [2, 4, 6].filter((n) => n <= order);
  const partitions = new Map(orders.map((n) => [n, evenPartitions(n)]));
  const tuples = new Map(orders.map((n) => [n, sortedTuples(P, n)]));

  // Cumulants from single-neuron moment lookups M(n) (per sorted tuple of order n).
  const cumulants = (n: number, M: (k: number) => ArrayLike<number>): Float64Array => {
    const ts = tuples.get(n)!;
    const out = new Float64Array(ts.length);
    ts.forEach((t, k) => {
      if (n === 2) {
        out[k] = bias2 + N * readout(2) * M(2)[tupleIndex(t, P)];
        return;
      }
      out[k] = N * connectedFromMoments(t, (sub) => readout(sub.length) * M(sub.length)[tupleIndex(sub, P)], partitions.get(n));
    });
    return out;
  };

  const result: Record<string, TupleEstimates> = {};
  let samples = 0;
  if (method !== 'mc') {
    const M =
      net.activation === 'cos'
        ? cosineMoments(net, points, order)
        : method === 'closed-form'
          ? gaussNetMoments(net, points, order)
          : quadratureMoments(net, points, A, order, options.quadratureOrder ?? 96);
    for (const n of orders) {
      const value = cumulants(n, (k) => M[k]);
      result[n] = { order: n, tuples: tuples.get(n)!, value, stdErr: new Float64Array(value.length) };
    }
  } else {
    samples = checkPositiveInteger(fn, 'samples', options.samples ?? 1_000_000);
    const seed = checkNonNegativeInteger(fn, 'seed', options.seed ?? 0);
    const acc = neuronAccumulator(net, points, order, samples, seed);
    for (const n of orders) result[n] = acc.estimate(n, (means) => cumulants(n, means));
  }
  return Object.freeze({ inputs: points, width: N, method, samples, G2: result[2], G4c: result[4], G6c: result[6] });
}
