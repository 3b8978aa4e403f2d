/**
 * Exact quantum-mechanics reference for phi^4 theory in one Euclidean dimension (lecture section 5.2).
 *
 * In d = 1 the Euclidean action
 *   S[phi] = int dtau [ (1/2) phi'(tau)^2 + (1/2) m^2 phi^2 + lambda phi^4 ]
 * is the path integral of a single quantum particle, the anharmonic oscillator (hbar = 1, unit mass)
 *   H = p^2/2 + m^2 x^2/2 + lambda x^4,
 * with phi(tau) the Heisenberg position x(tau) = e^{H tau} x e^{-H tau}. The Scalar-net ensemble at
 * infinite cutoff is the free field (lambda = 0), whose 2-point function e^{-m|tau|}/(2m) is the
 * harmonic oscillator's <0|x e^{-(H - E0)|tau|} x|0>. Inserting exp(-lambda int phi^4) into that
 * Gaussian ensemble (TASI lectures eqs. (135)-(137)) gives the interacting theory, and by the
 * transfer-matrix (Feynman-Kac) correspondence its correlators are those of the anharmonic oscillator:
 *   G2(0, tau) = <0| x e^{-(H - E0)|tau|} x |0> = sum_n |<0|x|n>|^2 e^{-(E_n - E0)|tau|},
 * a sum over the odd eigenstates n, dominated at large |tau| by the mass gap E1 - E0 (the
 * renormalised mass of the field theory; E0 is its vacuum energy per unit time), and x2 = G2(0, 0).
 *
 * Box variant. When the phi^4 insertion is integrated only over Euclidean times in [-L, L], the
 * transfer matrix is time dependent: e^{-H0 t} with H0 = p^2/2 + m^2 x^2/2 outside the box and
 * e^{-H t} inside. The path integral over the whole time line then projects onto the free ground
 * state |0f> at tau = -inf and tau = +inf, and for t1 <= t2
 *   <x(t1) x(t2)> = <0f| U(+inf, t2) x U(t2, t1) x U(t1, -inf) |0f> / <0f| U(+inf, -inf) |0f>,
 * U the time-ordered product of the segment propagators. Each segment is normalised by the ground
 * energy of its own Hamiltonian (e^{-(H - E0) t}, e^{-(H0 - m/2) t}); the factors cancel in the
 * ratio, and nothing overflows. Times may lie inside or outside the box and may be negative.
 *
 * Technique. H is diagonalised (float64, ml-matrix symmetric eigendecomposition) in a truncated
 * harmonic-oscillator basis {|k>, k < n} of frequency omega, where
 *   x = (a + a^dagger)/sqrt(2 omega),   H = omega (a^dagger a + 1/2) + (m^2 - omega^2)/2 x^2 + lambda x^4.
 * x^2 and x^4 are the products of the x matrix built on n + 4 states and then cut to n, so every
 * retained matrix element is exact; the truncation is only the Rayleigh-Ritz projection. H and H0
 * conserve parity, so the even states {0, 2, ..., n - 2} and the odd states {1, 3, ..., n - 1} are
 * diagonalised separately (n/2 states each); x maps the even block exactly into the odd block.
 * The basis frequency is the Gaussian variational one: the trial ground state of frequency omega has
 * <H> = omega/4 + m^2/(4 omega) + 3 lambda/(4 omega^2), stationary at omega^3 = m^2 omega + 6 lambda
 * (omega = m at lambda = 0, where the basis is the exact eigenbasis of H). In the box the same basis
 * also carries H0, whose eigenstates are squeezed states in the omega basis, badly represented when
 * m << omega_var; there the basis frequency is tilted towards m, omega = m^(1/4) omega_var^(3/4)
 * (empirically as fast as omega_var for m >~ 0.7, and several times smaller bases for m << lambda^(1/3)).
 * Typical sizes for tolerance 1e-12: n = 60-90 for m in [0.7, 1], lambda in [0.1, 2], box or not;
 * in a box m = 0.1, lambda = 2 needs n = 204 and m = 0.05, lambda = 1 n = 306, while m = 0.02,
 * lambda = 1 does not converge within the cap (infinite volume converges at n = 60-90 for all of these).
 * Convergence: the whole computation is repeated on a growing basis (n = 40, 60, 90, 136, 204, 306, 400) until
 * every reported number (E0, gap, x2, each G2) changes by less than `tolerance` (relative) between
 * two consecutive sizes; `precision` reports that largest change. Past n = 400 an Error is thrown.
 */
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { checkNonNegativeNumber, checkPositiveNumber, fail } from '../core/validate';

/** Input of `anharmonicOscillator`. */
export interface OscillatorOptions {
  /** m > 0, the bare mass (the harmonic frequency of H0). */
  mass: number;
  /** lambda >= 0, the coefficient of x^4 (phi^4). */
  coupling: number;
  /** Euclidean times tau at which G2(0, tau) is reported (finite numbers, any sign). */
  taus: readonly number[];
  /** L > 0: the interaction acts only for Euclidean times in [-L, L]; absent: infinite volume. */
  box?: number;
  /** Target relative precision of every reported number, default 1e-12. */
  tolerance?: number;
}

/** Output of `anharmonicOscillator`: the spectrum summary and the 2-point function. */
export interface Oscillator {
  readonly mass: number;
  readonly coupling: number;
  /** The half-width L of the box, or null for infinite volume. */
  readonly box: number | null;
  /** Ground energy of H = p^2/2 + m^2 x^2/2 + lambda x^4 (also in the box variant). */
  readonly E0: number;
  /** Mass gap E1 - E0 of H (also in the box variant). */
  readonly gap: number;
  /** G2(0, 0): <0|x^2|0> in infinite volume, <x(0)^2> of the box world with a box. */
  readonly x2: number;
  /** The requested times, in the given order. */
  readonly taus: number[];
  /** G2(0, tau) for each tau. */
  readonly G2: number[];
  /** Number of oscillator states of the final (converged) basis. */
  readonly basisSize: number;
  /** Frequency of the oscillator basis. */
  readonly omega: number;
  /** Largest relative change of any reported number between the last two basis sizes. */
  readonly precision: number;
}

/** Smallest basis tried, and the largest before giving up. */
const FIRST_SIZE = 40;
const MAX_SIZE = 400;

/**
 * The Gaussian variational frequency of H = p^2/2 + m^2 x^2/2 + lambda x^4: the positive root of
 * omega^3 = m^2 omega + 6 lambda (Newton from an upper bound, so it converges monotonically).
 */
export function variationalFrequency(mass: number, coupling: number): number {
  checkPositiveNumber('variationalFrequency', 'mass', mass);
  checkNonNegativeNumber('variationalFrequency', 'coupling', coupling);
  // f(w) = w^3 - m^2 w - 6 lambda is convex for w > 0 and positive at this start: Newton decreases monotonically.
  let w = Math.max(mass, Math.cbrt(6 * coupling)) * Math.SQRT2;
  for (let it = 0; it < 100; it++) {
    const next = w - (w * w * w - mass * mass * w - 6 * coupling) / (3 * w * w - mass * mass);
    if (!(next < w)) break;
    w = next;
  }
  return w;
}

/** Eigenpairs of one parity block: values[k], vectors[i * size + k] = component i of eigenvector k. */
interface Spectrum {
  readonly size: number;
  readonly values: Float64Array;
  readonly vectors: Float64Array;
  /** Lowest eigenvalue and its eigenvector. */
  readonly ground: number;
  readonly groundVector: Float64Array;
}

function spectrum(block: Matrix): Spectrum {
  const size = block.rows;
  const eig = new EigenvalueDecomposition(block, { assumeSymmetric: true });
  const values = Float64Array.from(eig.realEigenvalues);
  const V = eig.eigenvectorMatrix;
  const vectors = new Float64Array(size * size);
  for (let i = 0; i < size; i++) for (let k = 0; k < size; k++) vectors[i * size + k] = V.get(i, k);
  let low = 0;
  for (let k = 1; k < size; k++) if (values[k] < values[low]) low = k;
  const groundVector = new Float64Array(size);
  for (let i = 0; i < size; i++) groundVector[i] = vectors[i * size + low];
  return { size, values, vectors, ground: values[low], groundVector };
}

/** c_k = <k|v>, the components of v along the eigenvectors. */
function toEigenbasis(s: Spectrum, v: Float64Array): Float64Array {
  const c = new Float64Array(s.size);
  for (let i = 0; i < s.size; i++) {
    const vi = v[i];
    if (vi === 0) continue;
    const row = i * s.size;
    for (let k = 0; k < s.size; k++) c[k] += s.vectors[row + k] * vi;
  }
  return c;
}

function fromEigenbasis(s: Spectrum, c: Float64Array): Float64Array {
  const v = new Float64Array(s.size);
  for (let i = 0; i < s.size; i++) {
    const row = i * s.size;
    let sum = 0;
    for (let k = 0; k < s.size; k++) sum += s.vectors[row + k] * c[k];
    v[i] = sum;
  }
  return v;
}

/** e^{-(h - shift) t} v for the block h with spectrum s (t >= 0). */
function evolve(s: Spectrum, shift: number, t: number, v: Float64Array): Float64Array {
  if (t === 0) return v;
  const c = toEigenbasis(s, v);
  for (let k = 0; k < s.size; k++) c[k] *= Math.exp(-(s.values[k] - shift) * t);
  return fromEigenbasis(s, c);
}

function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}

/** The Hamiltonian p^2/2 + m^2 x^2/2 + lambda x^4 in the truncated basis, split by parity. */
interface Truncation {
  /** Number of basis states (even): `half` even states 0, 2, ..., and `half` odd states 1, 3, .... */
  readonly size: number;
  readonly half: number;
  readonly omega: number;
  readonly even: Spectrum;
  readonly odd: Spectrum;
}

/** Product of two banded dim x dim matrices (row-major) of half-bandwidths bandA, bandB. */
function bandedProduct(a: Float64Array, bandA: number, b: Float64Array, bandB: number, dim: number): Float64Array {
  const out = new Float64Array(dim * dim);
  for (let i = 0; i < dim; i++) {
    for (let k = Math.max(0, i - bandA); k <= Math.min(dim - 1, i + bandA); k++) {
      const aik = a[i * dim + k];
      if (aik === 0) continue;
      for (let j = Math.max(0, k - bandB); j <= Math.min(dim - 1, k + bandB); j++) out[i * dim + j] += aik * b[k * dim + j];
    }
  }
  return out;
}

/**
 * H in the basis of the first `size` oscillator states of frequency omega. x^2 and x^4 are formed on
 * size + 4 states and then truncated, so the retained elements are exact.
 */
function truncate(mass: number, coupling: number, omega: number, size: number): Truncation {
  const dim = size + 4;
  const x = new Float64Array(dim * dim);
  for (let k = 0; k + 1 < dim; k++) {
    const element = Math.sqrt((k + 1) / (2 * omega));
    x[k * dim + k + 1] = element;
    x[(k + 1) * dim + k] = element;
  }
  const x2 = bandedProduct(x, 1, x, 1, dim);
  const x4 = bandedProduct(x2, 2, x2, 2, dim);
  const quadratic = (mass * mass - omega * omega) / 2;
  const h = (i: number, j: number): number => (i === j ? omega * (i + 0.5) : 0) + quadratic * x2[i * dim + j] + coupling * x4[i * dim + j];
  const half = size / 2;
  const block = (parity: number): Spectrum => {
    const m = new Matrix(half, half);
    for (let a = 0; a < half; a++) for (let b = 0; b < half; b++) m.set(a, b, h(2 * a + parity, 2 * b + parity));
    return spectrum(m);
  };
  return { size, half, omega, even: block(0), odd: block(1) };
}

/** x applied to an even-sector vector: exact, the result lies in the odd block (states 2a + 1). */
function xEvenToOdd(v: Float64Array, omega: number): Float64Array {
  const half = v.length;
  const w = new Float64Array(half);
  const s = 1 / Math.sqrt(2 * omega);
  for (let a = 0; a < half; a++) {
    // <2a+1|x|2a> = sqrt((2a+1)/(2 omega)), <2a+1|x|2a+2> = sqrt((2a+2)/(2 omega)).
    w[a] = s * (Math.sqrt(2 * a + 1) * v[a] + (a + 1 < half ? Math.sqrt(2 * a + 2) * v[a + 1] : 0));
  }
  return w;
}

/** x applied to an odd-sector vector, projected on the even block (the transpose of xEvenToOdd). */
function xOddToEven(w: Float64Array, omega: number): Float64Array {
  const half = w.length;
  const v = new Float64Array(half);
  const s = 1 / Math.sqrt(2 * omega);
  for (let b = 0; b < half; b++) v[b] = s * (Math.sqrt(2 * b + 1) * w[b] + (b > 0 ? Math.sqrt(2 * b) * w[b - 1] : 0));
  return v;
}

/** Infinite volume: E0, gap, x2 = sum_n c_n^2, G2(tau) = sum_n c_n^2 e^{-(E_n - E0)|tau|}. */
function infiniteVolume(t: Truncation, taus: readonly number[]): number[] {
  const E0 = t.even.ground;
  const c = toEigenbasis(t.odd, xEvenToOdd(t.even.groundVector, t.omega));
  const weights = Array.from(c, (ck) => ck * ck);
  const g2 = (tau: number): number => {
    let sum = 0;
    for (let k = 0; k < weights.length; k++) sum += weights[k] * Math.exp(-(t.odd.values[k] - E0) * Math.abs(tau));
    return sum;
  };
  return [E0, t.odd.ground - E0, g2(0), ...taus.map(g2)];
}

/** The box world in one truncation: H (interacting) and H0 (free) spectra, both parities. */
interface BoxWorld {
  readonly L: number;
  readonly omega: number;
  readonly interacting: Truncation;
  readonly free: Truncation;
}

/**
 * Propagate a state of the given parity from time a to time b >= a through the box world, each
 * segment normalised by the ground energy of its own Hamiltonian.
 */
function propagate(world: BoxWorld, odd: boolean, a: number, b: number, v: Float64Array): Float64Array {
  const { L, interacting, free } = world;
  const pick = (t: Truncation): Spectrum => (odd ? t.odd : t.even);
  let state = v;
  const before = Math.min(b, -L) - a;
  if (before > 0) state = evolve(pick(free), free.even.ground, before, state);
  const inside = Math.min(b, L) - Math.max(a, -L);
  if (inside > 0) state = evolve(pick(interacting), interacting.even.ground, inside, state);
  const after = b - Math.max(a, L);
  if (after > 0) state = evolve(pick(free), free.even.ground, after, state);
  return state;
}

/** <x(t1) x(t2)> of the box world in one truncation. */
function boxValue(world: BoxWorld, t1: number, t2: number): number {
  const early = Math.min(t1, t2);
  const late = Math.max(t1, t2);
  const vacuum = world.free.even.groundVector;
  // Before min(early, -L) the free evolution leaves |0f> unchanged; after max(late, L) it projects on <0f|.
  let state = propagate(world, false, Math.min(early, -world.L), early, vacuum);
  state = xEvenToOdd(state, world.omega);
  state = propagate(world, true, early, late, state);
  state = xOddToEven(state, world.omega);
  state = propagate(world, false, late, Math.max(late, world.L), state);
  const norm = dot(vacuum, propagate(world, false, -world.L, world.L, vacuum));
  return dot(vacuum, state) / norm;
}

/** The box world's reported numbers: E0, gap (of H), x2 = G2(0, 0) and G2(0, tau) of the box. */
function boxNumbers(world: BoxWorld, taus: readonly number[]): number[] {
  const { interacting } = world;
  return [interacting.even.ground, interacting.odd.ground - interacting.even.ground, boxValue(world, 0, 0), ...taus.map((tau) => boxValue(world, 0, tau))];
}

function boxWorld(mass: number, coupling: number, L: number, omega: number, size: number): BoxWorld {
  return { L, omega, interacting: truncate(mass, coupling, omega, size), free: truncate(mass, 0, omega, size) };
}

/** Relative change between two reported numbers (0 when both vanish, e.g. underflowed correlators). */
function relativeChange(a: number, b: number): number {
  const scale = Math.max(Math.abs(a), Math.abs(b));
  return scale === 0 ? 0 : Math.abs(a - b) / scale;
}

/**
 * Evaluate `numbers(size)` on n = 40, 60, 90, ... (~1.5x, even) until two consecutive sizes agree to
 * `tolerance` in every entry; throw past MAX_SIZE.
 */
function converge(fn: string, tolerance: number, numbers: (size: number) => number[]): { values: number[]; size: number; precision: number } {
  let size = FIRST_SIZE;
  let previous = numbers(size);
  for (;;) {
    const next = Math.min(MAX_SIZE, 2 * Math.round((3 * size) / 4));
    if (next <= size) break;
    const current = numbers(next);
    let precision = 0;
    for (let i = 0; i < current.length; i++) precision = Math.max(precision, relativeChange(previous[i], current[i]));
    if (!Number.isFinite(precision) || current.some((v) => !Number.isFinite(v))) break;
    size = next;
    previous = current;
    if (precision < tolerance) return { values: current, size, precision };
  }
  throw new Error(`${fn}: the oscillator basis did not converge to relative ${tolerance} within ${MAX_SIZE} states`);
}

/** Basis frequency: omega_var in infinite volume, m^(1/4) omega_var^(3/4) with a box (H0 must fit too). */
function basisFrequency(mass: number, coupling: number, boxed: boolean): number {
  const w = variationalFrequency(mass, coupling);
  return boxed ? Math.pow(mass, 0.25) * Math.pow(w, 0.75) : w;
}

function checkTolerance(fn: string, tolerance: unknown): number {
  if (tolerance === undefined) return 1e-12;
  return checkPositiveNumber(fn, 'tolerance', tolerance);
}


/**
 * Anharmonic oscillator H = p^2/2 + m^2 x^2/2 + lambda x^4 by exact diagonalisation: E0, the gap
 * E1 - E0, x2 and G2(0, tau) = <x(0) x(tau)>, in infinite volume or (with `box`) with the
 * interaction switched on only for Euclidean times in [-box, box]. Converged by basis enlargement to
 * `tolerance` (relative, default 1e-12); throws an Error if 400 basis states do not suffice.
 */
export function anharmonicOscillator(options: OscillatorOptions): Oscillator {
  const fn = 'anharmonicOscillator';
  if (typeof options !== 'object' || options === null) fail(fn, 'options', 'an object', options);
  const mass = checkPositiveNumber(fn, 'mass', options.mass);
  const coupling = checkNonNegativeNumber(fn, 'coupling', options.coupling);
  const taus = options.taus as unknown;
  if (!Array.isArray(taus) || taus.length === 0) fail(fn, 'taus', 'a non-empty array of finite numbers', taus);
  taus.forEach((tau: unknown, i) => {
    if (typeof tau !== 'number' || !Number.isFinite(tau)) fail(fn, `taus[${i}]`, 'a finite number', tau);
  });
  const times = (taus as number[]).slice();
  const box = options.box === undefined ? null : checkPositiveNumber(fn, 'box', options.box);
  const tolerance = checkTolerance(fn, options.tolerance);
  const omega = basisFrequency(mass, coupling, box !== null);
  const { values, size, precision } = converge(fn, tolerance, (n) =>
    box === null ? infiniteVolume(truncate(mass, coupling, omega, n), times) : boxNumbers(boxWorld(mass, coupling, box, omega, n), times),
  );
  return {
    mass,
    coupling,
    box,
    E0: values[0],
    gap: values[1],
    x2: values[2],
    taus: times,
    G2: values.slice(3),
    basisSize: size,
    omega,
    precision,
  };
}

/**
 * <x(t1) x(t2)> of the box world (interaction lambda x^4 only for Euclidean times in [-box, box],
 * free ground state at both ends) for any two finite times, by the same converged diagonalisation
 * as `anharmonicOscillator` with `box`. Symmetric in t1, t2 and under (t1, t2) -> (-t1, -t2).
 */
export function boxCorrelator(mass: number, coupling: number, box: number, t1: number, t2: number, tolerance?: number): number {
  const fn = 'boxCorrelator';
  checkPositiveNumber(fn, 'mass', mass);
  checkNonNegativeNumber(fn, 'coupling', coupling);
  checkPositiveNumber(fn, 'box', box);
  if (typeof t1 !== 'number' || !Number.isFinite(t1)) fail(fn, 't1', 'a finite number', t1);
  if (typeof t2 !== 'number' || !Number.isFinite(t2)) fail(fn, 't2', 'a finite number', t2);
  const omega = basisFrequency(mass, coupling, true);
  const { values } = converge(fn, checkTolerance(fn, tolerance), (n) => [boxValue(boxWorld(mass, coupling, box, omega, n), t1, t2)]);
  return values[0];
}
