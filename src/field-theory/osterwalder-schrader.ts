/**
 * When is a network ensemble a *quantum* field theory? The Osterwalder-Schrader checks of TASI
 * lectures section 5.1 (eqs. (131)-(137)), made numerical.
 *
 * A pair (phi_theta, P(theta)) defines Euclidean correlators G^(n)(x_1..x_n) = E[phi(x_1)..phi(x_n)]
 * (eq. (131)). They continue to a Lorentzian theory with a Hilbert space of non-negative norm when
 * they obey the Osterwalder-Schrader properties:
 *  - Euclidean invariance: the correlators do not change when every point is translated or rotated;
 *  - permutation invariance in their arguments;
 *  - reflection positivity (eq. (133)): with R the reflection tau -> -tau of the first coordinate,
 *    G^(2n)(x_1..x_n, R x_1..R x_n) >= 0; in its full (matrix) form, for any functions F_A of the
 *    field at positive times the matrix <Theta(F_A) F_B> = <F_A(R x) F_B(x)> is positive
 *    semi-definite (eq. (133) is its diagonal);
 *  - cluster decomposition: connected correlators vanish when groups of points move apart.
 *
 * What this module measures, for the single-layer architectures of the library:
 *  - `reflectionPositivity`: the n = 1 matrix M_ij = K(x_i, R x_j) of the infinite-width 2-point
 *    function at points x_i = tau_i e_1 (exact kernels), and its eigenvalues. For a kernel depending
 *    on tau_i + tau_j only, M is a Hankel matrix, positive semi-definite for every choice of times
 *    exactly when K(tau) is a Laplace transform of a positive measure (completely monotone); the
 *    free propagator e^{-m tau}/(2m) is one (rank one), a Gaussian e^{-a tau^2} is not.
 *  - `reflectionMatrixExact` / `reflectionMatrixMC`: the matrix over the monomials phi(x_i) and
 *    phi(x_i) phi(x_j) at finite width, exactly (TASI eqs. (44)-(51) via `finiteWidthCorrelators`) or
 *    from a sampled ensemble with jackknife errors.
 *  - `clusterDecomposition`: G2(x_1, x_3 + a) and the finite-width connected G4c(x_1, x_2, x_3 + a,
 *    x_4 + a) as the separation a grows.
 *  - `euclideanInvariance`: G2 and G4c under a translation along e_1 and a rotation, and G4c under
 *    permutations of its points.
 *  - `osReport`: all of it for Scalar-, Cos-, Gauss-, Erf- and ReLU-nets, with verdicts.
 * Eqs. (134)-(137) (deforming a reflection-positive Gaussian NN-FT by a local potential) rest on the
 * Gaussian theory being reflection positive: `reflectionPositivity` is the test of that input.
 */
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { fail } from '../core/validate';
import { SingleLayerNet, cosNet, requireSingleLayer, singleLayerNet, scalarNet } from '../nets/architectures';
import { Kernel, gpKernel, scalarPropagator } from '../exact/gp-kernels';
import { finiteWidthCorrelators } from '../exact/finite-width';
import { forEachOutputBatch } from '../ensembles/ensemble';
import { combineJackknife } from '../statistics/stats';
import { tupleIndex } from '../statistics/tuples';

/** The infinite-width 2-point functions `reflectionPositivity` knows. */
export type ReflectionKernelName = 'free' | 'gauss' | 'erf' | 'relu' | 'cos';
const KERNELS: readonly ReflectionKernelName[] = ['free', 'gauss', 'erf', 'relu', 'cos'];

/** Which options apply to which kernel (anything else is rejected). */
const APPLICABLE: Record<ReflectionKernelName, readonly string[]> = {
  free: ['kernel', 'times', 'mass', 'cutoff', 'dIn'],
  gauss: ['kernel', 'times', 'sigmaW', 'sigmaB', 'dIn'],
  erf: ['kernel', 'times', 'sigmaW', 'sigmaB', 'dIn'],
  relu: ['kernel', 'times', 'sigmaW', 'sigmaB', 'dIn'],
  cos: ['kernel', 'times', 'sigmaW', 'dIn'],
};

export interface ReflectionOptions {
  kernel: ReflectionKernelName;
  /** Euclidean times tau_i > 0: the points tau_i e_1 in R^D. */
  times: readonly number[];
  /** 'free' only: the mass m (default 1). */
  mass?: number;
  /** 'free' only: the Scalar-net's momentum cutoff Lambda, or Infinity (default Infinity). */
  cutoff?: number;
  /** gauss, erf, relu: sigma_w (default 1); cos: sigma_w0 (with sigma_w1 = 1). */
  sigmaW?: number;
  /** gauss, erf, relu: sigma_b (default 1). */
  sigmaB?: number;
  /** D (default 1; 'free': 1, 2 or 3). */
  dIn?: number;
}

interface CheckedReflection {
  kernel: ReflectionKernelName;
  times: number[];
  mass: number;
  cutoff: number;
  sigmaW: number;
  sigmaB: number;
  dIn: number;
}

/** Check every option against its kernel (a RangeError naming the option and the value). */
function checkReflectionOptions(fn: string, options: unknown): CheckedReflection {
  if (options === null || typeof options !== 'object') fail(fn, 'options', 'an object like { kernel: "free", times: [0.1, 0.5] }', options);
  const o = options as Record<string, unknown>;
  const kernel = o.kernel as ReflectionKernelName;
  if (!KERNELS.includes(kernel)) fail(fn, 'kernel', `one of ${KERNELS.join(', ')}`, o.kernel);
  for (const key of Object.keys(o)) {
    if (o[key] !== undefined && !APPLICABLE[kernel].includes(key)) fail(fn, key, `absent for kernel '${kernel}' (it takes ${APPLICABLE[kernel].join(', ')})`, o[key]);
  }
  const times = checkTimes(fn, 'times', o.times);
  const dIn = o.dIn ?? 1;
  if (typeof dIn !== 'number' || !Number.isSafeInteger(dIn) || dIn <= 0 || (kernel === 'free' && dIn > 3)) {
    fail(fn, 'dIn', kernel === 'free' ? '1, 2 or 3 for the free propagator' : 'a positive integer', dIn);
  }
  const mass = o.mass ?? 1;
  if (typeof mass !== 'number' || !Number.isFinite(mass) || mass <= 0) fail(fn, 'mass', 'a positive finite number', mass);
  const cutoff = o.cutoff ?? Infinity;
  if (typeof cutoff !== 'number' || Number.isNaN(cutoff) || cutoff <= 0) fail(fn, 'cutoff', 'a positive number or Infinity', cutoff);
  const sigmaW = o.sigmaW ?? 1;
  if (typeof sigmaW !== 'number' || !Number.isFinite(sigmaW) || sigmaW < 0) fail(fn, 'sigmaW', 'a non-negative finite number', sigmaW);
  const sigmaB = o.sigmaB ?? 1;
  if (typeof sigmaB !== 'number' || !Number.isFinite(sigmaB) || sigmaB < 0) fail(fn, 'sigmaB', 'a non-negative finite number', sigmaB);
  return { kernel, times, mass, cutoff, sigmaW, sigmaB, dIn };
}

function checkTimes(fn: string, arg: string, times: unknown): number[] {
  if (!Array.isArray(times) || times.length === 0 || !times.every((t) => typeof t === 'number' && Number.isFinite(t) && t > 0)) {
    fail(fn, arg, 'a non-empty array of finite Euclidean times > 0', times);
  }
  return (times as number[]).slice();
}

/** The point tau e_1 in R^D (and R(tau e_1) = -tau e_1 by passing -tau). */
function onTimeAxis(tau: number, D: number): number[] {
  const x = new Array<number>(D).fill(0);
  x[0] = tau;
  return x;
}

function kernelOf(c: CheckedReflection): Kernel {
  if (c.kernel === 'free') {
    const { dIn, mass, cutoff } = c;
    return (x, y) => {
      let r2 = 0;
      for (let j = 0; j < x.length; j++) r2 += (x[j] - y[j]) ** 2;
      return scalarPropagator(dIn, mass, cutoff, Math.sqrt(r2));
    };
  }
  // The 2-point function is width-independent (TASI eq. (39)): width 1 is as good as any.
  if (c.kernel === 'cos') return gpKernel(cosNet({ width: 1, dIn: c.dIn, sigmaW0: c.sigmaW }));
  return gpKernel(singleLayerNet(c.kernel, { width: 1, dIn: c.dIn, sigmaW: c.sigmaW, sigmaB: c.sigmaB }));
}

/**
 * The infinite-width 2-point function the options name: for 'free' the Scalar-net propagator with
 * momentum cutoff Lambda (TASI eq. (74); e^{-m r}/(2m) in D = 1 at Lambda = Infinity), otherwise the
 * GP kernel of the Gauss-, Erf-, ReLU- or Cos-net (eqs. (39), (62), (70)) at the given sigmas.
 */
export function reflectionKernel(options: ReflectionOptions): Kernel {
  return kernelOf(checkReflectionOptions('reflectionKernel', options));
}

/** Eigenvalues of a symmetric matrix, ascending (float64, ml-matrix). */
export function symmetricEigenvalues(M: readonly (readonly number[])[]): number[] {
  const eig = new EigenvalueDecomposition(new Matrix(M.map((r) => r.slice())), { assumeSymmetric: true });
  return eig.realEigenvalues.slice().sort((a, b) => a - b);
}

/** Rounding allowance for an n x n eigenproblem: 64 n eps max|lambda|. */
function roundingAllowance(eigenvalues: readonly number[]): number {
  const top = Math.max(0, ...eigenvalues.map(Math.abs));
  return 64 * eigenvalues.length * Number.EPSILON * top;
}

export interface ReflectionResult {
  times: number[];
  /** The matrix M_ij = K(x_i, R x_j). */
  matrix: number[][];
  /** Eigenvalues of M, ascending. */
  eigenvalues: number[];
  minEigenvalue: number;
  /** minEigenvalue >= -tolerance. */
  positive: boolean;
  /** Rounding allowance behind `positive`: 64 n eps max|eigenvalue|. */
  tolerance: number;
}

/**
 * Reflection positivity of a 2-point function (TASI eq. (133) at n = 1, and its matrix form): the
 * eigenvalues of M_ij = K(x_i, R x_j) at x_i = tau_i e_1, R x = (-tau, 0, ..). M is positive
 * semi-definite iff sum_ij c_i c_j G2(R x_i, x_j) = <Theta(F) F> >= 0 for every F = sum_i c_i phi(x_i).
 * `positive` allows 64 n eps max|eigenvalue| of rounding (the kernels' own quadrature error, for the
 * free propagator at finite cutoff, is not included).
 */
export function reflectionPositivity(options: ReflectionOptions): ReflectionResult {
  const c = checkReflectionOptions('reflectionPositivity', options);
  const K = kernelOf(c);
  const matrix = c.times.map((a) => c.times.map((b) => K(onTimeAxis(a, c.dIn), onTimeAxis(-b, c.dIn))));
  // Exactly symmetric (K(x_i, R x_j) = K(x_j, R x_i) for these rotation-invariant nets, up to rounding).
  for (let i = 0; i < matrix.length; i++) for (let j = 0; j < i; j++) matrix[i][j] = matrix[j][i] = (matrix[i][j] + matrix[j][i]) / 2;
  const eigenvalues = symmetricEigenvalues(matrix);
  const tolerance = roundingAllowance(eigenvalues);
  return { times: c.times, matrix, eigenvalues, minEigenvalue: eigenvalues[0], positive: eigenvalues[0] >= -tolerance, tolerance };
}

// ---------------------------------------------------------------------------------------------
// The reflection matrix over monomials, exact and Monte Carlo.

/** Monomials in the field at the positive times: [i] for phi(x_i), [i, j] (i <= j) for phi(x_i) phi(x_j). */
function monomials(n: number, degree: 1 | 2): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < n; i++) out.push([i]);
  if (degree === 2) for (let i = 0; i < n; i++) for (let j = i; j < n; j++) out.push([i, j]);
  return out;
}

function monomialLabel(m: readonly number[], times: readonly number[]): string {
  return m.map((i) => `phi(${times[i]})`).join(' ');
}

function checkDegree(fn: string, degree: unknown): 1 | 2 {
  if (degree !== 1 && degree !== 2) fail(fn, 'degree', '1 or 2', degree);
  return degree as 1 | 2;
}

/** The points of the matrix: x_1..x_n at the positive times, then R x_1..R x_n. */
function reflectionPoints(times: readonly number[], D: number): number[][] {
  return [...times.map((t) => onTimeAxis(t, D)), ...times.map((t) => onTimeAxis(-t, D))];
}

export interface ReflectionMatrixExact {
  times: number[];
  degree: 1 | 2;
  /** The monomials F_A, as index lists into `times`, and readable labels. */
  monomials: number[][];
  labels: string[];
  /** <Theta(F_A) F_B> = E[F_A(R x) F_B(x)]. */
  matrix: number[][];
  eigenvalues: number[];
  minEigenvalue: number;
  positive: boolean;
  /** Rounding allowance plus the Frobenius norm of the integration errors of the entries. */
  tolerance: number;
}

/**
 * The reflection matrix <Theta(F_A) F_B> of a single-layer net at its width, exactly: entries of
 * order 2 are G2 = K (TASI eq. (39)), of order 3 vanish (the readout W1 is symmetric, so f -> -f is
 * a symmetry), of order 4 are G4 = G4c + (G2 G2 + 2 perms) with the exact finite-width G4c of
 * eqs. (44)-(51) (`finiteWidthCorrelators`). Degree 1 is the 2-point matrix of `reflectionPositivity`;
 * degree 2 adds the 4-point function's reflection positivity (eq. (133) at n = 2 on the diagonal).
 */
export function reflectionMatrixExact(net: SingleLayerNet, times: readonly number[], options: { degree: 1 | 2 }): ReflectionMatrixExact {
  const fn = 'reflectionMatrixExact';
  requireSingleLayer(fn, net);
  const ts = checkTimes(fn, 'times', times);
  const degree = checkDegree(fn, options?.degree);
  const n = ts.length;
  const points = reflectionPoints(ts, net.dIn);
  const P = points.length;
  const c = finiteWidthCorrelators(net, points, { order: degree === 1 ? 2 : 4 });
  const g2 = (p: number, q: number) => c.G2.value[tupleIndex([p, q], P)];
  const err2 = (p: number, q: number) => c.integrationError?.G2[tupleIndex([p, q], P)] ?? 0;
  const moment = (t: number[]): [number, number] => {
    if (t.length === 2) return [g2(t[0], t[1]), err2(t[0], t[1])];
    if (t.length === 3) return [0, 0];
    const k = tupleIndex(t, P);
    const [a, b, cc, d] = t;
    const value = c.G4c!.value[k] + g2(a, b) * g2(cc, d) + g2(a, cc) * g2(b, d) + g2(a, d) * g2(b, cc);
    const error = (c.integrationError?.G4c?.[k] ?? 0) + err2(a, b) * Math.abs(g2(cc, d)) + err2(cc, d) * Math.abs(g2(a, b));
    return [value, error];
  };
  const mons = monomials(n, degree);
  const matrix = mons.map(() => new Array<number>(mons.length).fill(0));
  let errors2 = 0;
  for (let A = 0; A < mons.length; A++) {
    for (let B = A; B < mons.length; B++) {
      const [v, e] = moment([...mons[A].map((i) => i + n), ...mons[B]]);
      matrix[A][B] = matrix[B][A] = v;
      errors2 += (A === B ? 1 : 2) * e * e;
    }
  }
  const eigenvalues = symmetricEigenvalues(matrix);
  const tolerance = roundingAllowance(eigenvalues) + Math.sqrt(errors2);
  return {
    times: ts,
    degree,
    monomials: mons,
    labels: mons.map((m) => monomialLabel(m, ts)),
    matrix,
    eigenvalues,
    minEigenvalue: eigenvalues[0],
    positive: eigenvalues[0] >= -tolerance,
    tolerance,
  };
}

export interface ReflectionMCOptions {
  /** M: networks drawn. */
  nets: number;
  seed: number;
  degree: 1 | 2;
  /** Jackknife blocks (network m goes to block m mod blocks; default 32). */
  blocks?: number;
  /** Errors allowed for the verdict (default 3). */
  z?: number;
  progress?: boolean;
}

/** A Monte Carlo number with its standard error. */
export interface ValueWithError {
  value: number;
  stdErr: number;
}

export interface ReflectionMatrixMC {
  times: number[];
  degree: 1 | 2;
  nets: number;
  blocks: number;
  monomials: number[][];
  labels: string[];
  /** Symmetrised estimate (<Theta(F_A) F_B> + <Theta(F_B) F_A>) / 2 and its standard errors. */
  matrix: number[][];
  stdErr: number[][];
  /** Eigenvalues of `matrix`, ascending. */
  eigenvalues: number[];
  /** Smallest eigenvalue: jackknife (bias-corrected) estimate and error over the blocks. */
  minEigenvalue: ValueWithError;
  /** The diagonal: G^(2k)(x_A, R x_A) of eq. (133), one per monomial. */
  diagonal: ValueWithError[];
  z: number;
  /** 'positive': minEigenvalue >= -z stdErr (no violation resolved); 'violated' otherwise. */
  verdict: 'positive' | 'violated';
}

/**
 * The reflection matrix <Theta(F_A) F_B> over the monomials F_A of degree <= `degree` at the positive
 * times, from M sampled networks (TASI eq. (131) by Monte Carlo; eq. (133) and its matrix form):
 * per network F_A(x) and Theta(F_A) = F_A(R x) from the outputs at x_i and R x_i, products summed in
 * float64 per jackknife block. The smallest eigenvalue gets a delete-one-block jackknife error; the
 * verdict is 'violated' when it lies more than z errors below 0. Note that a matrix of exact rank
 * deficiency has a smallest eigenvalue biased below 0 by noise (the jackknife corrects part of it).
 */
export async function reflectionMatrixMC(net: SingleLayerNet, times: readonly number[], options: ReflectionMCOptions): Promise<ReflectionMatrixMC> {
  const fn = 'reflectionMatrixMC';
  requireSingleLayer(fn, net);
  const ts = checkTimes(fn, 'times', times);
  if (options === null || typeof options !== 'object') fail(fn, 'options', 'an object like { nets, seed, degree }', options);
  const degree = checkDegree(fn, options.degree);
  const nets = options.nets;
  if (typeof nets !== 'number' || !Number.isSafeInteger(nets) || nets < 2) fail(fn, 'nets', 'an integer >= 2', nets);
  const blocks = options.blocks ?? 32;
  if (typeof blocks !== 'number' || !Number.isSafeInteger(blocks) || blocks < 2 || blocks > nets) fail(fn, 'blocks', `an integer in [2, nets = ${nets}]`, blocks);
  const z = options.z ?? 3;
  if (typeof z !== 'number' || !Number.isFinite(z) || z <= 0) fail(fn, 'z', 'a positive finite number', z);
  const n = ts.length;
  const points = reflectionPoints(ts, net.dIn);
  const P = points.length;
  const mons = monomials(n, degree);
  const K = mons.length;
  const pairs = (K * (K + 1)) / 2;
  const sums = new Float64Array(blocks * pairs);
  const counts = new Float64Array(blocks);
  const F = new Float64Array(K);
  const TF = new Float64Array(K);
  await forEachOutputBatch(net, points, { nets, seed: options.seed, progress: options.progress ?? false }, ({ first, count, outputs }) => {
    for (let b = 0; b < count; b++) {
      const row = b * P;
      for (let A = 0; A < K; A++) {
        const m = mons[A];
        let f = outputs[row + m[0]];
        let tf = outputs[row + n + m[0]];
        for (let k = 1; k < m.length; k++) {
          f *= outputs[row + m[k]];
          tf *= outputs[row + n + m[k]];
        }
        F[A] = f;
        TF[A] = tf;
      }
      const block = (first + b) % blocks;
      counts[block]++;
      let k = block * pairs;
      for (let A = 0; A < K; A++) for (let B = A; B < K; B++) sums[k++] += (TF[A] * F[B] + TF[B] * F[A]) / 2;
    }
  });
  const total = new Float64Array(pairs);
  for (let blk = 0; blk < blocks; blk++) for (let k = 0; k < pairs; k++) total[k] += sums[blk * pairs + k];
  const toMatrix = (v: ArrayLike<number>) => {
    const M = mons.map(() => new Array<number>(K).fill(0));
    let k = 0;
    for (let A = 0; A < K; A++) for (let B = A; B < K; B++) M[A][B] = M[B][A] = v[k++];
    return M;
  };
  const full = Float64Array.from(total, (s) => s / nets);
  const replicas = Array.from({ length: blocks }, (_, blk) => Float64Array.from(total, (s, k) => (s - sums[blk * pairs + k]) / (nets - counts[blk])));
  const entries = combineJackknife(full, replicas, false);
  const matrix = toMatrix(full);
  const stdErr = toMatrix(entries.stdErr);
  const eigenvalues = symmetricEigenvalues(matrix);
  const minEig = combineJackknife([eigenvalues[0]], replicas.map((r) => [symmetricEigenvalues(toMatrix(r))[0]]), true);
  const minEigenvalue = { value: minEig.value[0], stdErr: minEig.stdErr[0] };
  return {
    times: ts,
    degree,
    nets,
    blocks,
    monomials: mons,
    labels: mons.map((m) => monomialLabel(m, ts)),
    matrix,
    stdErr,
    eigenvalues,
    minEigenvalue,
    diagonal: mons.map((_, A) => ({ value: matrix[A][A], stdErr: stdErr[A][A] })),
    z,
    verdict: minEigenvalue.value >= -z * minEigenvalue.stdErr ? 'positive' : 'violated',
  };
}

// ---------------------------------------------------------------------------------------------
// Cluster decomposition.

export interface ClusterOptions {
  /** Times of x_1, x_2 (points t e_1). */
  pair1: readonly [number, number];
  /** Times of x_3, x_4 before the shift. */
  pair2: readonly [number, number];
  /** Separations a >= 0 (x_3, x_4 move to (t + a) e_1); the first is the reference (usually 0). */
  separations: readonly number[];
  /** |ratio| at the largest separation below which a quantity counts as decayed (default 1e-2). */
  threshold?: number;
}

export interface ClusterRow {
  separation: number;
  /** G2(x_1, x_3 + a) (exact; the same at every width). */
  G2: number;
  /** G2 relative to its value at the first separation. */
  G2Ratio: number;
  /** Exact finite-width G4c(x_1, x_2, x_3 + a, x_4 + a) at the net's width. */
  G4c: number;
  G4cRatio: number;
}

export interface ClusterResult {
  rows: ClusterRow[];
  threshold: number;
  /** |G2 ratio| at the largest separation <= threshold. */
  G2Decays: boolean;
  /** |G4c ratio| at the largest separation <= threshold. */
  G4cDecays: boolean;
}

/**
 * Cluster decomposition (TASI section 5.1): move the pair (x_3, x_4) a distance a along e_1 away
 * from (x_1, x_2) and follow the 2-point function between the groups and the connected 4-point
 * function, exact at the net's width (TASI eqs. (44)-(51)). At finite width every neuron's readout
 * weight multiplies the net at all points, so G4c = (sw^4 / N)(3 M4 - M2 M2 - 2 perms) need not
 * vanish: for cosine units the phase average keeps sign patterns in which the shift cancels.
 */
export function clusterDecomposition(net: SingleLayerNet, options: ClusterOptions): ClusterResult {
  const fn = 'clusterDecomposition';
  requireSingleLayer(fn, net);
  if (options === null || typeof options !== 'object') fail(fn, 'options', 'an object like { pair1, pair2, separations }', options);
  const pair = (arg: string, p: unknown): [number, number] => {
    if (!Array.isArray(p) || p.length !== 2 || !p.every((t) => typeof t === 'number' && Number.isFinite(t))) fail(fn, arg, 'two finite times', p);
    return [p[0], p[1]];
  };
  const [t1, t2] = pair('pair1', options.pair1);
  const [t3, t4] = pair('pair2', options.pair2);
  const seps = options.separations;
  if (!Array.isArray(seps) || seps.length === 0 || !seps.every((a) => typeof a === 'number' && Number.isFinite(a) && a >= 0)) {
    fail(fn, 'separations', 'a non-empty array of finite separations >= 0', seps);
  }
  const threshold = options.threshold ?? 1e-2;
  if (typeof threshold !== 'number' || !(threshold > 0)) fail(fn, 'threshold', 'a positive number', threshold);
  const D = net.dIn;
  const K = gpKernel(net);
  const raw = seps.map((a) => {
    const pts = [t1, t2, t3 + a, t4 + a].map((t) => onTimeAxis(t, D));
    const c = finiteWidthCorrelators(net, pts, { order: 4 });
    return { separation: a, G2: K(pts[0], pts[2]), G4c: c.G4c!.value[tupleIndex([0, 1, 2, 3], 4)] };
  });
  const rows = raw.map((r) => ({ ...r, G2Ratio: r.G2 / raw[0].G2, G4cRatio: r.G4c / raw[0].G4c }));
  const far = rows.reduce((a, b) => (b.separation > a.separation ? b : a));
  return { rows, threshold, G2Decays: Math.abs(far.G2Ratio) <= threshold, G4cDecays: Math.abs(far.G4cRatio) <= threshold };
}

// ---------------------------------------------------------------------------------------------
// Euclidean and permutation invariance.

export interface InvarianceOptions {
  /** Times of the points t e_1 (default 0.1, 0.3, 0.5, 0.7, 0.9). */
  times?: readonly number[];
  /** Translation along e_1 (default 1). */
  shift?: number;
  /** Rotation angle in the (e_1, e_2) plane, D >= 2 only (default 0.7). */
  angle?: number;
  /** Relative deviation below which a symmetry counts as holding (default 1e-8). */
  tolerance?: number;
}

export interface Deviation {
  /** max |G(moved) - G| / max |G| over all sorted tuples. */
  G2: number;
  G4c: number;
}

export interface InvarianceResult {
  times: number[];
  shift: number;
  angle: number;
  tolerance: number;
  translation: Deviation;
  /** Undefined in D = 1 (no rotations besides the reflection). */
  rotation?: Deviation;
  /**
   * G4c with the points listed in reverse order, compared tuple by tuple (max relative deviation).
   * Correlators are stored per sorted tuple, so permutation invariance holds by construction; the
   * check shows that the route does not depend on the order in which the points are handed to it.
   */
  permutation: number;
  translationInvariant: { G2: boolean; G4c: boolean };
  rotationInvariant?: { G2: boolean; G4c: boolean };
  permutationInvariant: boolean;
}

function maxRelativeDeviation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let scale = 0;
  let worst = 0;
  for (let k = 0; k < b.length; k++) scale = Math.max(scale, Math.abs(b[k]));
  for (let k = 0; k < b.length; k++) worst = Math.max(worst, Math.abs(a[k] - b[k]));
  return scale > 0 ? worst / scale : worst;
}

/**
 * Euclidean invariance (TASI section 5.1, engineered in section 3.3: eqs. (65)-(70)) of the exact G2
 * and the exact finite-width G4c at points t_i e_1: under x -> x + shift e_1 and (D >= 2) a rotation
 * by `angle` in the (e_1, e_2) plane; and permutation invariance of G4c (by construction; checked).
 */
export function euclideanInvariance(net: SingleLayerNet, options: InvarianceOptions = {}): InvarianceResult {
  const fn = 'euclideanInvariance';
  requireSingleLayer(fn, net);
  if (options === null || typeof options !== 'object') fail(fn, 'options', 'an object', options);
  const times = options.times === undefined ? [0.1, 0.3, 0.5, 0.7, 0.9] : checkTimes(fn, 'times', options.times);
  const shift = options.shift ?? 1;
  if (typeof shift !== 'number' || !Number.isFinite(shift)) fail(fn, 'shift', 'a finite number', shift);
  const angle = options.angle ?? 0.7;
  if (typeof angle !== 'number' || !Number.isFinite(angle)) fail(fn, 'angle', 'a finite number', angle);
  const tolerance = options.tolerance ?? 1e-8;
  if (typeof tolerance !== 'number' || !(tolerance > 0)) fail(fn, 'tolerance', 'a positive number', tolerance);
  const D = net.dIn;
  const base = times.map((t) => onTimeAxis(t, D));
  const correlators = (pts: number[][]) => {
    const c = finiteWidthCorrelators(net, pts, { order: 4 });
    return { G2: c.G2.value, G4c: c.G4c!.value };
  };
  const ref = correlators(base);
  const compare = (pts: number[][]): Deviation => {
    const moved = correlators(pts);
    return { G2: maxRelativeDeviation(moved.G2, ref.G2), G4c: maxRelativeDeviation(moved.G4c, ref.G4c) };
  };
  const translation = compare(base.map((x) => x.map((c, j) => (j === 0 ? c + shift : c))));
  let rotation: Deviation | undefined;
  if (D >= 2) {
    const [cs, sn] = [Math.cos(angle), Math.sin(angle)];
    rotation = compare(base.map((x) => x.map((c, j) => (j === 0 ? cs * x[0] - sn * x[1] : j === 1 ? sn * x[0] + cs * x[1] : c))));
  }
  // Permutation: reverse the list; tuple t of the original is tuple (P - 1 - t) of the reversed one.
  const P = base.length;
  const reversed = correlators(base.slice().reverse());
  const perm = new Float64Array(ref.G4c.length);
  let k = 0;
  for (let a = 0; a < P; a++) for (let b = a; b < P; b++) for (let c = b; c < P; c++) for (let d = c; d < P; d++) perm[k++] = reversed.G4c[tupleIndex([a, b, c, d].map((i) => P - 1 - i), P)];
  const permutation = maxRelativeDeviation(perm, ref.G4c);
  const ok = (d: Deviation) => ({ G2: d.G2 <= tolerance, G4c: d.G4c <= tolerance });
  return {
    times,
    shift,
    angle,
    tolerance,
    translation,
    rotation,
    permutation,
    translationInvariant: ok(translation),
    rotationInvariant: rotation && ok(rotation),
    permutationInvariant: permutation <= tolerance,
  };
}

// ---------------------------------------------------------------------------------------------
// The report.

export type OsVerdict = 'holds' | 'fails' | 'n.a.';

export interface OsEntry {
  verdict: OsVerdict;
  /** The number behind the verdict (NaN for n.a.). */
  value: number;
  /** What the number is. */
  measure: string;
  /** Why, in terms of the architecture. */
  reason: string;
}

export type OsProperty = 'euclideanG2' | 'euclideanG4c' | 'permutation' | 'reflectionG2' | 'reflectionDegree2' | 'clusterG2' | 'clusterG4c';
export const OS_PROPERTIES: readonly OsProperty[] = ['euclideanG2', 'euclideanG4c', 'permutation', 'reflectionG2', 'reflectionDegree2', 'clusterG2', 'clusterG4c'];

export interface OsRow {
  architecture: string;
  entries: Record<OsProperty, OsEntry>;
}

export interface OsReportOptions {
  /** Euclidean times of the reflection matrices (default 0.1, 0.3, 0.5, 0.7, 0.9). */
  times?: readonly number[];
  /** Width N of the finite-width checks (default 10). */
  width?: number;
  /** Finite cutoff of the Scalar-net row (default 10). */
  cutoff?: number;
  /** Separations of the cluster check (default 0, 1, 2, 5, 10). */
  separations?: readonly number[];
}

export interface OsReport {
  times: number[];
  width: number;
  cutoff: number;
  rows: OsRow[];
}

type ArchKey = 'scalar' | 'scalarInf' | 'cos' | 'gauss' | 'erf' | 'relu';

/** One-line reasons, per architecture and property, for the verdict the numbers give. */
const REASONS: Record<ArchKey, Record<OsProperty, Partial<Record<OsVerdict, string>>>> = {
  scalar: {
    euclideanG2: { holds: 'G2 is the cutoff propagator, a function of |x - y| only' },
    euclideanG4c: { holds: 'shifts and rotations are absorbed into the phases b0 and the isotropic ball density of W0 (eqs. (65)-(66)), at every width' },
    permutation: { holds: 'correlators of a commuting field are symmetric; stored per sorted tuple' },
    reflectionG2: { fails: 'the hard momentum cutoff adds an oscillating ~ sin(Lambda tau)/(pi Lambda^2 tau) to e^{-m tau}/(2m): not a Laplace transform of a positive measure (the violation shrinks as 1/Lambda^2)' },
    reflectionDegree2: { fails: 'already the 2-point block is not positive' },
    clusterG2: { holds: 'the cutoff propagator decays (as e^{-m a} plus an oscillating ~1/(Lambda^2 a) tail)' },
    clusterG4c: { fails: 'the phase average keeps the cosine patterns in which the shift cancels: G4c tends to a nonzero constant ~ 1/N' },
  },
  scalarInf: {
    euclideanG2: { holds: 'the free propagator depends on |x - y| only' },
    euclideanG4c: { 'n.a.': 'no finite-width net: the uniform ball of radius Lambda = infinity does not exist (the prefactor ~ sqrt(vol(B_Lambda)) diverges)' },
    permutation: { holds: 'a Gaussian theory (infinite width only): G2(x, y) = G2(y, x) and no higher connected correlators' },
    reflectionG2: { holds: 'e^{-m tau}/(2m) is the Laplace transform of a point mass at E = m: the reflection matrix is rank one and positive' },
    reflectionDegree2: { 'n.a.': 'no finite-width net at Lambda = infinity' },
    clusterG2: { holds: 'e^{-m a}/(2m) decays exponentially with the mass gap m' },
    clusterG4c: { 'n.a.': 'no finite-width net at Lambda = infinity' },
  },
  cos: {
    euclideanG2: { holds: 'K = (sw1^2/2) e^{-sw0^2 |x - y|^2 / (2D)} (eq. (70))' },
    euclideanG4c: { holds: 'shifts and rotations are absorbed into the uniform phases b0 and the isotropic Gaussian W0 (eqs. (65)-(66)), at every width' },
    permutation: { holds: 'correlators of a commuting field are symmetric; stored per sorted tuple' },
    reflectionG2: { fails: 'the Gaussian e^{-a tau^2} is not completely monotone in tau (its spectral weight is not positive)' },
    reflectionDegree2: { fails: 'already the 2-point block is not positive' },
    clusterG2: { holds: 'the Gaussian kernel decays as e^{-a^2/2}' },
    clusterG4c: { fails: 'the phase average keeps the cosine patterns in which the shift cancels: G4c tends to a nonzero constant ~ 1/N' },
  },
  gauss: {
    euclideanG2: { holds: 'K = sb^2 + sw^2 e^{-sw^2 |x - y|^2 / (2D)} (eq. (62)): the input-dependent normalisation makes it translation invariant' },
    euclideanG4c: { fails: 'the normalisation fixes only the second moment: M4 = exp(sum_{a<b} k_ab - sum_a k_aa / 2) depends on the dot products x_a.x_b, so a shift changes it (a rotation does not)' },
    permutation: { holds: 'correlators of a commuting field are symmetric; stored per sorted tuple' },
    reflectionG2: { fails: 'the Gaussian e^{-a tau^2} is not completely monotone in tau (its spectral weight is not positive); sb^2 adds only a rank-one piece' },
    reflectionDegree2: { fails: 'already the 2-point block is not positive' },
    clusterG2: { fails: 'G2 tends to sb^2, the variance of the output bias b1 (a random constant shared by all points)' },
    clusterG4c: { fails: 'the single neuron exp(z - k) makes M4 grow like e^{2 sw^2 a (t1 + t2)}: G4c diverges with the separation' },
  },
  erf: {
    euclideanG2: { fails: 'K depends on x.y and |x|, |y| separately (sb^2 + sw^2 x.y / D), not on x - y; it is rotation invariant' },
    euclideanG4c: { fails: 'the pre-activation covariance sb^2 + sw^2 x.y / D is not translation invariant; it is rotation invariant' },
    permutation: { holds: 'correlators of a commuting field are symmetric; stored per sorted tuple' },
    reflectionG2: { fails: 'the odd unit feels the reflected covariance k(x_i, R x_j) = sb^2 - sw^2 tau_i tau_j: its -tau_i tau_j part is a negative direction (K is not even a function of tau_i + tau_j)' },
    reflectionDegree2: { fails: 'already the 2-point block is not positive' },
    clusterG2: { fails: 'erf saturates: G2(x1, x3 + a) tends to a nonzero constant' },
    clusterG4c: { fails: 'the saturated neuron (sign of W0) is shared by near and far points: G4c tends to a nonzero constant ~ 1/N' },
  },
  relu: {
    euclideanG2: { fails: 'K depends on |x|, |y| and their angle (arc-cosine kernel), not on x - y; it is rotation invariant' },
    euclideanG4c: { fails: 'the pre-activation covariance sb^2 + sw^2 x.y / D is not translation invariant; it is rotation invariant' },
    permutation: { holds: 'correlators of a commuting field are symmetric; stored per sorted tuple' },
    reflectionG2: { fails: 'the odd part z/2 of ReLU contributes sw^2 k(x_i, R x_j)/4 with k(x_i, R x_j) = sb^2 - sw^2 tau_i tau_j: a negative direction (K is not a function of tau_i + tau_j)' },
    reflectionDegree2: { fails: 'already the 2-point block is not positive' },
    clusterG2: { fails: 'ReLU is homogeneous: G2(x1, x3 + a) grows linearly with a' },
    clusterG4c: { fails: 'ReLU is homogeneous: G4c grows (about as a^2) with the separation instead of vanishing' },
  },
};

function entry(arch: ArchKey, property: OsProperty, verdict: OsVerdict, value: number, measure: string): OsEntry {
  const reasons = REASONS[arch][property];
  const reason = reasons[verdict] ?? `the numbers say '${verdict}', against the expectation '${Object.keys(reasons).join('/')}': ${Object.values(reasons).join('; ')}`;
  return { verdict, value, measure, reason };
}

const fmt = (x: number): string => x.toExponential(1);

const NA = (arch: ArchKey, property: OsProperty, measure: string): OsEntry => entry(arch, property, 'n.a.', NaN, measure);

/**
 * The Osterwalder-Schrader properties (TASI section 5.1, eqs. (131)-(133)) of every single-layer
 * architecture at the default sigmas and mass 1: Scalar-net at a finite cutoff and at infinite cutoff
 * (kernel only), Cos-, Gauss-, Erf- and ReLU-net. Per property a verdict, the number behind it and a
 * one-line reason. Reflection positivity and clustering in D = 1, Euclidean invariance in D = 2
 * (translation by 1 along e_1 and a rotation by 0.7), at width `width` where the width matters.
 */
export function osReport(options: OsReportOptions = {}): OsReport {
  const fn = 'osReport';
  if (options === null || typeof options !== 'object') fail(fn, 'options', 'an object', options);
  const times = options.times === undefined ? [0.1, 0.3, 0.5, 0.7, 0.9] : checkTimes(fn, 'times', options.times);
  const width = options.width ?? 10;
  if (typeof width !== 'number' || !Number.isSafeInteger(width) || width <= 0) fail(fn, 'width', 'a positive integer', width);
  const cutoff = options.cutoff ?? 10;
  if (typeof cutoff !== 'number' || !Number.isFinite(cutoff) || cutoff <= 0) fail(fn, 'cutoff', 'a positive finite number', cutoff);
  const separations = options.separations ?? [0, 1, 2, 5, 10];
  const clusterPairs = { pair1: [0.1, 0.3] as const, pair2: [0.5, 0.7] as const, separations };
  const verdict = (ok: boolean): OsVerdict => (ok ? 'holds' : 'fails');

  const rowFor = (arch: ArchKey, label: string, make: (dIn: number) => SingleLayerNet, kernel: ReflectionOptions): OsRow => {
    const inv = euclideanInvariance(make(2), { times });
    const net = make(1);
    const rp = reflectionPositivity(kernel);
    const rp2 = reflectionMatrixExact(net, times, { degree: 2 });
    const cl = clusterDecomposition(net, clusterPairs);
    const far = cl.rows[cl.rows.length - 1];
    const e2 = Math.max(inv.translation.G2, inv.rotation!.G2);
    const e4 = Math.max(inv.translation.G4c, inv.rotation!.G4c);
    return {
      architecture: label,
      entries: {
        euclideanG2: entry(arch, 'euclideanG2', verdict(e2 <= inv.tolerance), e2, `max relative change of G2 (D = 2): translation ${fmt(inv.translation.G2)}, rotation ${fmt(inv.rotation!.G2)}`),
        euclideanG4c: entry(arch, 'euclideanG4c', verdict(e4 <= inv.tolerance), e4, `max relative change of G4c (D = 2, N = ${width}): translation ${fmt(inv.translation.G4c)}, rotation ${fmt(inv.rotation!.G4c)}`),
        permutation: entry(arch, 'permutation', verdict(inv.permutationInvariant), inv.permutation, 'max relative change of G4c when the points are listed in reverse'),
        reflectionG2: entry(arch, 'reflectionG2', verdict(rp.positive), rp.minEigenvalue, 'min eigenvalue of K(x_i, R x_j)'),
        reflectionDegree2: entry(arch, 'reflectionDegree2', verdict(rp2.positive), rp2.minEigenvalue, `min eigenvalue of <Theta(F_A) F_B>, degree 2, N = ${width}`),
        clusterG2: entry(arch, 'clusterG2', verdict(cl.G2Decays), far.G2Ratio, `G2(x1, x3 + a) / G2(a = 0) at a = ${far.separation}`),
        clusterG4c: entry(arch, 'clusterG4c', verdict(cl.G4cDecays), far.G4cRatio, `G4c(a) / G4c(0) at a = ${far.separation}, N = ${width}`),
      },
    };
  };

  const rows: OsRow[] = [
    rowFor('scalar', `Scalar-net (Lambda = ${cutoff})`, (dIn) => scalarNet({ width, dIn, mass: 1, cutoff }), { kernel: 'free', times, mass: 1, cutoff }),
    scalarInfiniteRow(times, separations),
    rowFor('cos', 'Cos-net', (dIn) => cosNet({ width, dIn }), { kernel: 'cos', times }),
    rowFor('gauss', 'Gauss-net', (dIn) => singleLayerNet('gauss', { width, dIn }), { kernel: 'gauss', times }),
    rowFor('erf', 'Erf-net', (dIn) => singleLayerNet('erf', { width, dIn }), { kernel: 'erf', times }),
    rowFor('relu', 'ReLU-net', (dIn) => singleLayerNet('relu', { width, dIn }), { kernel: 'relu', times }),
  ];
  return { times, width, cutoff, rows };
}

/** The Scalar-net at Lambda = infinity: the free propagator only (no finite-width net exists). */
function scalarInfiniteRow(times: number[], separations: readonly number[]): OsRow {
  const arch = 'scalarInf';
  const rp = reflectionPositivity({ kernel: 'free', times, mass: 1 });
  // G2 in D = 2 (K0(m r)/(2 pi)) under the same translation and rotation as the other rows.
  const K2 = reflectionKernel({ kernel: 'free', times: [1], mass: 1, dIn: 2 });
  const pts = times.map((t) => [t, 0]);
  const [cs, sn] = [Math.cos(0.7), Math.sin(0.7)];
  const moved = [pts.map(([x, y]) => [x + 1, y]), pts.map(([x, y]) => [cs * x - sn * y, sn * x + cs * y])];
  const offDiagonal = (ps: number[][]) => ps.flatMap((x, i) => ps.slice(i + 1).map((y) => K2(x, y)));
  const ref = offDiagonal(pts);
  const symmetry = Math.max(...pts.flatMap((x, i) => pts.slice(i + 1).map((y) => Math.abs(K2(x, y) - K2(y, x)))));
  const e2 = Math.max(...moved.map((ps) => maxRelativeDeviation(offDiagonal(ps), ref)));
  const K1 = reflectionKernel({ kernel: 'free', times: [1], mass: 1 });
  const far = Math.max(...separations);
  const ratio = K1([0.1], [0.5 + far]) / K1([0.1], [0.5 + separations[0]]);
  return {
    architecture: 'Scalar-net (Lambda = infinity, kernel only)',
    entries: {
      euclideanG2: entry(arch, 'euclideanG2', e2 <= 1e-8 ? 'holds' : 'fails', e2, 'max relative change of G2 (D = 2, off-diagonal: K0 diverges at r = 0) under translation and rotation'),
      euclideanG4c: NA(arch, 'euclideanG4c', 'not computed'),
      permutation: entry(arch, 'permutation', symmetry <= 1e-15 ? 'holds' : 'fails', symmetry, 'max |G2(x, y) - G2(y, x)| (D = 2)'),
      reflectionG2: entry(arch, 'reflectionG2', rp.positive ? 'holds' : 'fails', rp.minEigenvalue, 'min eigenvalue of K(x_i, R x_j)'),
      reflectionDegree2: NA(arch, 'reflectionDegree2', 'not computed'),
      clusterG2: entry(arch, 'clusterG2', Math.abs(ratio) <= 1e-2 ? 'holds' : 'fails', ratio, `G2(x1, x3 + a) / G2(a = 0) at a = ${far}`),
      clusterG4c: NA(arch, 'clusterG4c', 'not computed'),
    },
  };
}

/** The report as a plain-text table: one block per architecture, one line per property. */
export function formatOsReport(report: OsReport): string {
  const lines = [`Osterwalder-Schrader checks (times ${report.times.join(';')}, N = ${report.width}, Scalar-net cutoff ${report.cutoff}, mass 1, default sigmas)`];
  for (const row of report.rows) {
    lines.push('', row.architecture);
    for (const p of OS_PROPERTIES) {
      const e = row.entries[p];
      const v = Number.isNaN(e.value) ? '-' : e.value.toExponential(3);
      lines.push(`  ${p.padEnd(18)} ${e.verdict.padEnd(6)} ${v.padStart(11)}  ${e.measure}; ${e.reason}`);
    }
  }
  return lines.join('\n');
}
