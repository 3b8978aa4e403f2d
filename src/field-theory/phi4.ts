/**
 * phi^4 theory as a deformed network ensemble (TASI lectures section 5.2, eqs. (134)-(137)), in one
 * Euclidean dimension where it is the anharmonic oscillator (oscillator.ts).
 *
 * The free theory is the Scalar-net of eq. (72) with D = 1: f(t) = sum_i W1_i F(w_i) cos(w_i t + b_i),
 * w ~ Unif[-Lambda, Lambda], b ~ Unif[-pi, pi], W1 ~ N(0, 1/N), F(w) = sqrt(2 Lambda / pi) / sqrt(w^2 + m^2),
 * whose 2-point function at every width is the free propagator with a hard momentum cutoff,
 *   K(t) = (1/pi) int_0^Lambda cos(p t) / (p^2 + m^2) dp  ->  e^{-m|t|} / (2m) as Lambda -> inf  (eq. (74)).
 * Inserting exp(-lambda int_{-L}^{L} f(t)^4 dt) into the parameter integral (eq. (135), with the
 * minus sign a damping potential needs: the seed writes e^{+int V} and e^{int phi^4}, see
 * docs/lecture-map.md) deforms P(theta) into P~(theta) (eq. (136)); the box [-L, L] is the infrared
 * cutoff eq. (137)'s remark asks for. The deformation couples the neurons: the parameters are no
 * longer independent, which is how the interaction evades the central limit theorem.
 *
 * Three routes to G2 of the deformed ensemble:
 * - first order in lambda, exactly: Delta G2(x1, x2) = -lambda int_box dy [G6(x1, x2, y, y, y, y)
 *   - G2(x1, x2) G4(y, y, y, y)]. At infinite width the generated Feynman rules give one diagram
 *   (the tadpole, -12 int K(x1, y) K(x2, y) K(y, y)); at width N the Scalar-net's single-neuron
 *   cumulants add kappa4 / N and kappa6 / N^2 terms (TASI eqs. (44)-(51) at order 4 and 6);
 * - importance reweighting of free Scalar-net draws by exp(-lambda S4), S4 = int_box f^4;
 * - Hamiltonian Monte Carlo on theta under P~ (hmc.ts).
 */
import { gaussLegendre } from '../core/special';
import { checkNonNegativeNumber, checkPositiveInteger, checkPositiveNumber, fail } from '../core/validate';
import { integrateBox } from '../statistics/quadrature';
import { connectedFromMoments, expandSymmetric } from '../statistics/tuples';
import { TailDiagnostic, describeTail, tailDiagnostic } from '../statistics/tails';
import { SingleLayerNet, scalarNet } from '../nets/architectures';
import { scalarPropagator } from '../exact/gp-kernels';
import { forEachOutputBatch } from '../ensembles/ensemble';
import { Diagram, evaluateDiagrams, generateDiagrams, localInteraction } from '../eft/feynman';

/** The deformed ensemble's defining numbers: free mass m, momentum cutoff Lambda, box half-width L. */
export interface Phi4Theory {
  /** m > 0. */
  readonly mass: number;
  /** Lambda > 0, or Infinity (infinite width only: the uniform-ball Scalar-net needs a finite ball). */
  readonly cutoff: number;
  /** L > 0: the interaction acts on [-L, L]. */
  readonly box: number;
}

function checkTheory(fn: string, t: Phi4Theory): Phi4Theory {
  if (t === null || typeof t !== 'object') fail(fn, 'options', 'an object with mass, cutoff and box', t);
  const mass = checkPositiveNumber(fn, 'mass', t.mass);
  if (!(t.cutoff === Infinity || (typeof t.cutoff === 'number' && t.cutoff > 0 && Number.isFinite(t.cutoff)))) fail(fn, 'cutoff', 'a positive number or Infinity', t.cutoff);
  const box = checkPositiveNumber(fn, 'box', t.box);
  if (!Number.isFinite(box)) fail(fn, 'box', 'a finite positive number (the infrared cutoff)', t.box);
  return { mass, cutoff: t.cutoff, box };
}

/** A non-empty list of finite times (any sign), copied; a RangeError naming `arg` otherwise. */
export function checkTimes(fn: string, arg: string, times: unknown): number[] {
  if (!Array.isArray(times) || !times.length || times.some((t) => typeof t !== 'number' || !Number.isFinite(t))) fail(fn, arg, 'a non-empty list of finite times', times);
  return (times as number[]).slice();
}

/**
 * The free 2-point function K(t1, t2) of the theory (TASI eq. (74) in D = 1; e^{-m|t|}/(2m) at
 * infinite cutoff). At a finite cutoff K(r) is band-limited to |p| < Lambda, so on panels of width
 * 2 / Lambda (phase at most 2) its 16-point Chebyshev interpolant is exact to ~1e-14 of K(0): the
 * panels covering [0, rMax] are tabulated once from `scalarPropagator`, beyond rMax it is called directly.
 */
export function freeTwoPoint(mass: number, cutoff: number, rMax = 0): (t1: number, t2: number) => number {
  if (cutoff === Infinity || rMax <= 0) return (t1, t2) => scalarPropagator(1, mass, cutoff, Math.abs(t1 - t2));
  const ORDER = 16;
  const h = Math.min(0.5, 2 / cutoff);
  const count = Math.ceil(rMax / h);
  // Chebyshev points of the first kind on each panel, and the values there.
  const cheb = Array.from({ length: ORDER }, (_, j) => Math.cos((Math.PI * (j + 0.5)) / ORDER));
  const values = new Float64Array(count * ORDER);
  for (let k = 0; k < count; k++) for (let j = 0; j < ORDER; j++) values[k * ORDER + j] = scalarPropagator(1, mass, cutoff, h * (k + (cheb[j] + 1) / 2));
  // Barycentric weights of first-kind Chebyshev points: (-1)^j sin((j + 1/2) pi / n).
  const bw = cheb.map((_, j) => (j % 2 ? -1 : 1) * Math.sin((Math.PI * (j + 0.5)) / ORDER));
  return (t1, t2) => {
    const r = Math.abs(t1 - t2);
    const k = Math.floor(r / h);
    if (k >= count) return scalarPropagator(1, mass, cutoff, r);
    const u = (2 * (r - h * k)) / h - 1;
    let num = 0;
    let den = 0;
    for (let j = 0; j < ORDER; j++) {
      const d = u - cheb[j];
      if (d === 0) return values[k * ORDER + j];
      const c = bw[j] / d;
      num += c * values[k * ORDER + j];
      den += c;
    }
    return num / den;
  };
}

/** The Scalar-net of the theory at width N (D = 1, sigma_w1 = 1; TASI eq. (72)). */
export function phi4Net(theory: Phi4Theory, width: number): SingleLayerNet {
  const t = checkTheory('phi4Net', theory);
  if (t.cutoff === Infinity) fail('phi4Net', 'cutoff', 'finite at finite width (the uniform-ball Scalar-net needs a finite ball)', t.cutoff);
  return scalarNet({ width, mass: t.mass, cutoff: t.cutoff });
}

/**
 * The first-order diagrams of G2 under lambda int f^4, generated (not typed): every Wick contraction
 * of two external legs with one quartic vertex, vacuum bubbles dropped, 2-point corrections kept
 * (they are the whole answer here). One diagram remains: the tadpole, coefficient -12.
 */
export function phi4FirstOrderDiagrams(): Diagram[] {
  return generateDiagrams(2, [localInteraction('lambda', 4)], { dropTwoPointCorrections: false });
}

/** Delta G2 = lambda * coefficient + O(lambda^2), with the width dependence split out. */
export interface Phi4FirstOrder {
  readonly mass: number;
  readonly cutoff: number;
  readonly box: number;
  /** N, or null for infinite width. */
  readonly width: number | null;
  readonly inputs: number[];
  /** d G2(x_i, x_j) / d lambda at lambda = 0: infinite + perWidth / N + perWidth2 / N^2. */
  readonly coefficient: number[][];
  /** The infinite-width part (the tadpole diagram). */
  readonly infinite: number[][];
  /** The coefficients of 1/N and 1/N^2 (null at infinite width, where they are not computed). */
  readonly perWidth: number[][] | null;
  readonly perWidth2: number[][] | null;
  /** Integration error estimate of `coefficient` (absolute). */
  readonly error: number[][];
}

/** Options of `phi4FirstOrder`: the theory, the input times, and the width (absent: infinite). */
export interface Phi4FirstOrderOptions extends Phi4Theory {
  inputs: readonly number[];
  width?: number;
  /** Relative tolerance of the box integrals (default 1e-8). */
  tolerance?: number;
}

const square = (n: number): number[][] => Array.from({ length: n }, () => new Array<number>(n).fill(0));

/** An n x n symmetric matrix from values stored per sorted pair (the order of `sortedTuples(n, 2)`). */
const fromPairs = (values: ArrayLike<number>, n: number): number[][] => expandSymmetric(values, n, 2) as number[][];

/**
 * Single-neuron moments of the D = 1 Scalar-net, h(t) = u F(w) cos(w t + b) with u ~ N(0, 1):
 *   E[h(a_1) ... h(a_n)] = (n-1)!! int_0^Lambda (dw / Lambda) F(w)^n E_b prod_k cos(w a_k + b)
 * (the moments behind TASI eqs. (44)-(51)). The phase average of a product of n cosines is a
 * trigonometric polynomial of degree n in b, so J = 7 equally spaced phases average it exactly for
 * n <= 6; the w-integral is Gauss-Legendre on panels shorter than a third of the fastest oscillation.
 */
class ScalarNeuronMoments {
  private readonly w: Float64Array;
  private readonly weight: Float64Array; // quadrature weight / Lambda
  private readonly F2: Float64Array;
  private static readonly J = 7;

  constructor(mass: number, cutoff: number, maxFrequency: number) {
    const { nodes, weights } = gaussLegendre(16);
    const panels = 8 + Math.ceil((cutoff * maxFrequency) / (Math.PI / 1.5));
    const h = cutoff / panels;
    const size = panels * nodes.length;
    this.w = new Float64Array(size);
    this.weight = new Float64Array(size);
    this.F2 = new Float64Array(size);
    const P2 = (2 * cutoff) / Math.PI; // F(w)^2 = P2 / (w^2 + m^2): 2 vol(B) / ((2 pi) sw1^2) with vol = 2 Lambda
    for (let k = 0, i = 0; k < panels; k++) {
      for (let j = 0; j < nodes.length; j++, i++) {
        this.w[i] = h * (k + (nodes[j] + 1) / 2);
        this.weight[i] = ((h / 2) * weights[j]) / cutoff;
        this.F2[i] = P2 / (this.w[i] * this.w[i] + mass * mass);
      }
    }
  }

  /** cos(w a + 2 pi j / J) on the grid, J blocks of the node count (a table per point). */
  table(a: number): Float64Array {
    const J = ScalarNeuronMoments.J;
    const n = this.w.length;
    const out = new Float64Array(J * n);
    const cos = Math.cos;
    for (let j = 0; j < J; j++) {
      const beta = (2 * Math.PI * j) / J;
      for (let i = 0; i < n; i++) out[j * n + i] = cos(this.w[i] * a + beta);
    }
    return out;
  }

  /** E[h(a_1) ... h(a_n)] from the points' tables (n even, <= 6). */
  moment(tables: readonly Float64Array[]): number {
    const J = ScalarNeuronMoments.J;
    const n = tables.length;
    const size = this.w.length;
    let dfact = 1;
    for (let k = n - 1; k > 1; k -= 2) dfact *= k;
    let total = 0;
    for (let i = 0; i < size; i++) {
      let avg = 0;
      for (let j = 0; j < J; j++) {
        let prod = 1;
        for (let k = 0; k < n; k++) prod *= tables[k][j * size + i];
        avg += prod;
      }
      total += this.weight[i] * this.F2[i] ** (n / 2) * avg;
    }
    return (dfact * total) / J;
  }
}

/**
 * The first-order change of G2 per unit lambda, exactly (to the stated integration tolerance):
 *   d G2(x1, x2)/d lambda = -int_{-L}^{L} dy [G6(x1, x2, y, y, y, y) - G2(x1, x2) G4(y, y, y, y)]
 * (the O(lambda) term of eq. (135)'s insertion). Splitting G6 and G4 into the Scalar-net's exact
 * connected functions (G2 = K at every width, G4c = kappa4 / N, G6c = kappa6 / N^2 with kappa the
 * single-neuron cumulants) leaves
 *   -int dy [12 K1y K2y Kyy                                              (the tadpole diagram)
 *           + (6 kappa4(1,2,y,y) Kyy + 4 kappa4(1,y,y,y) K2y + 4 kappa4(2,y,y,y) K1y) / N
 *           + kappa6(1,2,y,y,y,y) / N^2].
 * The infinite-width term comes from the generated Feynman rules (`phi4FirstOrderDiagrams`), the
 * others from single-neuron moments integrated over the box by adaptive Gauss-Kronrod.
 */
export function phi4FirstOrder(options: Phi4FirstOrderOptions): Phi4FirstOrder {
  const fn = 'phi4FirstOrder';
  const t = checkTheory(fn, options);
  const inputs = checkTimes(fn, 'inputs', options.inputs);
  const width = options.width === undefined ? null : checkPositiveInteger(fn, 'width', options.width);
  if (width !== null && t.cutoff === Infinity) fail(fn, 'cutoff', 'finite when a width is given (the uniform-ball Scalar-net needs a finite ball)', t.cutoff);
  const relTol = checkPositiveNumber(fn, 'tolerance', options.tolerance ?? 1e-8);
  const n = inputs.length;
  const K = freeTwoPoint(t.mass, t.cutoff, t.box + Math.max(...inputs.map(Math.abs)));
  const tadpole = evaluateDiagrams(phi4FirstOrderDiagrams(), 2, (x, y) => K(x[0], y[0]), inputs.map((x) => [x]), t.box, { relTol, absTol: 1e-14 });
  const infinite = fromPairs(tadpole.value, n);
  const error = fromPairs(tadpole.error, n);
  if (width === null) return { ...t, width, inputs, coefficient: infinite, infinite, perWidth: null, perWidth2: null, error };

  const { c1, c2, e1, e2 } = widthTerms(t, inputs, relTol);
  const total = (c0: ArrayLike<number>, a: ArrayLike<number>, b: ArrayLike<number>) => Float64Array.from(c0, (v, k) => v + a[k] / width + b[k] / (width * width));
  return {
    ...t,
    width,
    inputs,
    coefficient: fromPairs(total(tadpole.value, c1, c2), n),
    infinite,
    perWidth: fromPairs(c1, n),
    perWidth2: fromPairs(c2, n),
    error: fromPairs(total(tadpole.error, e1, e2), n),
  };
}

/** The 1/N and 1/N^2 coefficients of d G2 / d lambda, per sorted pair of inputs, with errors. */
function widthTerms(t: Phi4Theory, inputs: number[], relTol: number): { c1: Float64Array; c2: Float64Array; e1: Float64Array; e2: Float64Array } {
  const n = inputs.length;
  const pairs = (n * (n + 1)) / 2;
  const maxX = Math.max(...inputs.map(Math.abs));
  const moments = new ScalarNeuronMoments(t.mass, t.cutoff, 2 * maxX + 4 * t.box + 1);
  const xTables = inputs.map((x) => moments.table(x));
  const integrand = ([y]: number[]): Float64Array => {
    const tables = [...xTables, moments.table(y)];
    const Y = n;
    const cache = new Map<string, number>();
    const moment = (idx: number[]): number => {
      const key = idx.slice().sort((a, b) => a - b).join(',');
      let v = cache.get(key);
      if (v === undefined) cache.set(key, (v = moments.moment(idx.map((i) => tables[i]))));
      return v;
    };
    const kappa = (idx: number[]): number => connectedFromMoments(idx, moment);
    const Kyy = moment([Y, Y]);
    const out = new Float64Array(2 * pairs);
    const k3 = inputs.map((_, p) => kappa([p, Y, Y, Y]));
    let k = 0;
    for (let p = 0; p < n; p++) {
      for (let q = p; q < n; q++, k++) {
        out[k] = -(6 * kappa([p, q, Y, Y]) * Kyy + 4 * k3[p] * moment([q, Y]) + 4 * k3[q] * moment([p, Y]));
        out[pairs + k] = -kappa([p, q, Y, Y, Y, Y]);
      }
    }
    return out;
  };
  const r = integrateBox(integrand, 1, t.box, 2 * pairs, { relTol, absTol: 1e-13, breakpoints: inputs.filter((x) => Math.abs(x) < t.box) });
  return { c1: r.value.slice(0, pairs), c2: r.value.slice(pairs), e1: r.error.slice(0, pairs), e2: r.error.slice(pairs) };
}

/**
 * Nodes and weights integrating every e^{i omega t} with |omega| <= bandwidth over [-L, L] to
 * relative accuracy `tolerance` (Gauss-Legendre on equal panels, the panel count found by checking
 * the rule on a grid of frequencies against 2 sin(omega L) / omega). S4 = int f^4 of a Scalar-net is
 * such a sum with bandwidth 4 Lambda, so the rule integrates it to that accuracy.
 */
export function bandLimitedRule(box: number, bandwidth: number, tolerance = 1e-9): { nodes: Float64Array; weights: Float64Array } {
  checkPositiveNumber('bandLimitedRule', 'box', box);
  checkNonNegativeNumber('bandLimitedRule', 'bandwidth', bandwidth);
  const { nodes: gn, weights: gw } = gaussLegendre(16);
  for (let panels = 1; panels < 1e5; panels = Math.ceil(panels * 1.25)) {
    const h = (2 * box) / panels;
    const nodes = new Float64Array(panels * 16);
    const weights = new Float64Array(panels * 16);
    for (let k = 0, i = 0; k < panels; k++) {
      for (let j = 0; j < 16; j++, i++) {
        nodes[i] = -box + h * (k + (gn[j] + 1) / 2);
        weights[i] = (h / 2) * gw[j];
      }
    }
    let worst = 0;
    for (let s = 0; s <= 256; s++) {
      const omega = (bandwidth * s) / 256;
      let total = 0;
      for (let i = 0; i < nodes.length; i++) total += weights[i] * Math.cos(omega * nodes[i]);
      const exact = omega === 0 ? 2 * box : (2 * Math.sin(omega * box)) / omega;
      worst = Math.max(worst, Math.abs(total - exact));
    }
    if (worst <= tolerance * 2 * box) return { nodes, weights };
  }
  throw new Error(`bandLimitedRule: no rule found for bandwidth ${bandwidth} on [-${box}, ${box}]`);
}

/** Options of `phi4Reweight`. */
export interface Phi4ReweightOptions extends Phi4Theory {
  /** N: width of the Scalar-net. */
  width: number;
  /** lambda >= 0 values: one free ensemble is reweighted to each. */
  couplings: readonly number[];
  /** Times at which G2 is measured. */
  inputs: readonly number[];
  /** M: free networks drawn. */
  nets: number;
  seed: number;
  progress?: boolean;
}

/** G2 of the deformed ensemble at one coupling, by self-normalised importance weights. */
export interface Phi4Estimate {
  readonly coupling: number;
  /** G2[i][j] = <f(x_i) f(x_j)> under P~. */
  readonly G2: number[][];
  /** Delta-method standard error of each entry: sqrt(sum w^2 (y - G2)^2) / sum w. */
  readonly stdErr: number[][];
  /** Effective sample size (sum w)^2 / sum w^2. */
  readonly effectiveSamples: number;
  /** PSIS k-hat of the importance weights (the lab's tail diagnostic). */
  readonly weightTail: TailDiagnostic;
  /** <S4> under P~ (the action of the insertion per unit lambda). */
  readonly meanAction: number;
  /** Why the estimate should not be trusted (empty when nothing is wrong). */
  readonly warnings: string[];
}

/** The reweighted ensemble at every coupling, with what was drawn. */
export interface Phi4Reweighted {
  readonly method: 'reweight';
  readonly mass: number;
  readonly cutoff: number;
  readonly box: number;
  readonly width: number;
  readonly nets: number;
  readonly seed: number;
  readonly inputs: number[];
  /** Quadrature nodes used for S4 = int_box f^4. */
  readonly actionNodes: number;
  readonly estimates: Phi4Estimate[];
}

/** Fewest effective samples below which a reweighted estimate is flagged. */
export const MIN_EFFECTIVE_SAMPLES = 100;

/**
 * phi^4 by importance reweighting (eqs. (135)-(136) read as weights): draw M free Scalar-nets with
 * the ensemble engine, evaluate f at the inputs and at the nodes of `bandLimitedRule` (S4 exact to
 * 1e-9), and average with weights exp(-lambda S4). Every weight is at most 1, yet when lambda S4
 * fluctuates by many units across the free ensemble a handful of networks carry the estimate:
 * the effective sample size and the PSIS k-hat of the weights say so, and each estimate lists a
 * warning when ESS < 100 or k-hat reaches its threshold.
 */
export async function phi4Reweight(options: Phi4ReweightOptions): Promise<Phi4Reweighted> {
  const fn = 'phi4Reweight';
  const t = checkTheory(fn, options);
  if (t.cutoff === Infinity) fail(fn, 'cutoff', 'finite (Monte Carlo draws the uniform-ball Scalar-net)', t.cutoff);
  const width = checkPositiveInteger(fn, 'width', options.width);
  const inputs = checkTimes(fn, 'inputs', options.inputs);
  const couplings = checkTimes(fn, 'couplings', options.couplings).map((c) => checkNonNegativeNumber(fn, 'couplings', c));
  const M = checkPositiveInteger(fn, 'nets', options.nets);
  const net = phi4Net(t, width);
  const { nodes, weights } = bandLimitedRule(t.box, 4 * t.cutoff);
  const n = inputs.length;
  const points = [...inputs, ...nodes].map((x) => [x]);
  const P = points.length;
  const S4 = new Float64Array(M);
  const f = new Float64Array(M * n);
  await forEachOutputBatch(net, points, { nets: M, seed: options.seed, progress: options.progress ?? true }, ({ first, count, outputs }) => {
    for (let b = 0; b < count; b++) {
      const row = b * P;
      const m = first + b;
      for (let p = 0; p < n; p++) f[m * n + p] = outputs[row + p];
      let s = 0;
      for (let q = 0; q < nodes.length; q++) {
        const v = outputs[row + n + q];
        const v2 = v * v;
        s += weights[q] * v2 * v2;
      }
      S4[m] = s;
    }
  });
  const estimates = couplings.map((lambda) => reweightedEstimate(lambda, S4, f, n));
  return { method: 'reweight', ...t, width, nets: M, seed: options.seed, inputs, actionNodes: nodes.length, estimates };
}

/** The self-normalised estimate at one coupling from the free draws' S4 and outputs. */
export function reweightedEstimate(lambda: number, S4: Float64Array, f: Float64Array, n: number): Phi4Estimate {
  const M = S4.length;
  let minS = Infinity;
  for (let m = 0; m < M; m++) minS = Math.min(minS, S4[m]);
  const w = new Float64Array(M);
  let sw = 0;
  let sw2 = 0;
  let sAction = 0;
  for (let m = 0; m < M; m++) {
    w[m] = Math.exp(-lambda * (S4[m] - minS));
    sw += w[m];
    sw2 += w[m] * w[m];
    sAction += w[m] * S4[m];
  }
  const G2 = square(n);
  const stdErr = square(n);
  for (let p = 0; p < n; p++) {
    for (let q = p; q < n; q++) {
      let s = 0;
      for (let m = 0; m < M; m++) s += w[m] * f[m * n + p] * f[m * n + q];
      const g = s / sw;
      let v = 0;
      for (let m = 0; m < M; m++) {
        const d = f[m * n + p] * f[m * n + q] - g;
        v += w[m] * w[m] * d * d;
      }
      G2[p][q] = G2[q][p] = g;
      stdErr[p][q] = stdErr[q][p] = Math.sqrt(v) / sw;
    }
  }
  const effectiveSamples = (sw * sw) / sw2;
  const weightTail = lambda === 0 ? { khat: -Infinity, threshold: NaN, reliable: true, samples: M, tail: 0, point: -1 } : tailDiagnostic(w, M);
  const warnings: string[] = [];
  if (effectiveSamples < MIN_EFFECTIVE_SAMPLES) warnings.push(`reweighting to lambda = ${lambda}: only ${effectiveSamples.toFixed(1)} effective samples of ${M} networks (fewer than ${MIN_EFFECTIVE_SAMPLES}); the estimate and its error bar are not to be trusted`);
  if (!weightTail.reliable) warnings.push(`reweighting to lambda = ${lambda}: the importance weights are heavy-tailed, ${describeTail(weightTail)}; the estimate is dominated by a few networks (use HMC)`);
  return { coupling: lambda, G2, stdErr, effectiveSamples, weightTail, meanAction: sAction / sw, warnings };
}
