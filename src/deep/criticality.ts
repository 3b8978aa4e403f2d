/**
 * Criticality of deep networks at infinite width: the single-input kernel recursion as an RG flow
 * in depth (EFT4ML slides, "going deep - recursion relations" and "solving the recursion"; the
 * large-N talk, "Criticality"), in the conventions of Roberts, Yaida and Hanin ("PDLT"):
 *
 *   K^(l+1) = C_b + C_W g(K^(l)),           g(K) = <sigma(z)^2>_K,   z ~ N(0, K),
 *   chi_par(K)  = (C_W / K) <z sigma'(z) sigma(z)>_K  = C_W g'(K),
 *   chi_perp(K) = C_W <sigma'(z)^2>_K.
 *
 * A fixed point K* = C_b + C_W g(K*) attracts the diagonal flow when chi_par(K*) <= 1;
 * chi_perp(K*) decides whether two nearby inputs decorrelate (> 1, "chaotic") or merge (< 1,
 * "ordered"). Criticality is chi_par = chi_perp = 1: only there do deviations from K* decay as
 * power laws in depth (e.g. tanh at C_b = 0, C_W = 1: K^(l) ~ 1/(2 l)) instead of exponentially.
 *
 * Mapping to other conventions: C_W = sigma_w^2 (weights of variance sigma_w^2 / fan-in) and
 * C_b = sigma_b^2, exactly the `sigmaW`, `sigmaB` of this lab's `mlp` (whose first layer has
 * K^(1) = C_b + C_W x.x / D). g and chi_perp use the registry's closed forms (`pair`,
 * `derivativePair`) where they exist, otherwise the 1-d rule of gaussian.ts (exact to ~1e-13), as
 * does chi_par always; at K = 0 the susceptibilities are their limits K -> 0+ (evaluated at K = 1e-200).
 */
import { fail, checkNonNegativeNumber, checkPositiveInteger } from '../core/validate';
import { Activation, ActivationName, activation as lookUp } from '../nets/activations';
import { gaussianNodes } from './gaussian';

/** 1-d nodes of N(0, 1); a Gaussian expectation at variance K reads f(sqrt(K) u). */
let unitNodes: { u: Float64Array; w: Float64Array } | undefined;
function standardNodes(): { u: Float64Array; w: Float64Array } {
  if (!unitNodes) {
    const g = gaussianNodes([[1]]);
    unitNodes = { u: g.z[0], w: g.w };
  }
  return unitNodes;
}

/** <f(z)>, z ~ N(0, K) (K >= 0). */
function mean(K: number, f: (z: number) => number): number {
  const { u, w } = standardNodes();
  const s = Math.sqrt(K);
  let t = 0;
  for (let i = 0; i < u.length; i++) t += w[i] * f(s * u[i]);
  return t;
}

/** Smallest variance at which the K -> 0 limits are evaluated. */
const TINY_K = 1e-200;

/** g(K) = <sigma(z)^2>_K, the single-input kernel map of the EFT4ML slides. */
export function kernelMap(act: ActivationName | Activation, K: number): number {
  const a = lookUp(act, 'kernelMap');
  return a.pair ? a.pair(K, K, K) : mean(K, (z) => a.fn(z) ** 2);
}

/** chi_par(K) = (C_W / K) <z sigma'(z) sigma(z)>_K (module comment), its K -> 0+ limit at K = 0. */
export function chiParallel(act: ActivationName | Activation, cw: number, K: number): number {
  const a = lookUp(act, 'chiParallel');
  const k = Math.max(K, TINY_K);
  const s = Math.sqrt(k);
  // (1/K) <z s' s> = <u sigma'(s u) sigma(s u) / s>: well defined as K -> 0 when sigma(0) = 0.
  const { u, w } = standardNodes();
  let t = 0;
  for (let i = 0; i < u.length; i++) t += w[i] * u[i] * a.derivative(s * u[i]) * (a.fn(s * u[i]) / s);
  return cw * t;
}

/** chi_perp(K) = C_W <sigma'(z)^2>_K (module comment). */
export function chiPerp(act: ActivationName | Activation, cw: number, K: number): number {
  const a = lookUp(act, 'chiPerp');
  const k = Math.max(K, TINY_K);
  return cw * (a.derivativePair ? a.derivativePair(k, k, k) : mean(k, (z) => a.derivative(z) ** 2));
}

/**
 * The universality classes of the kernel flow (PDLT chapter 5):
 * - 'scale-invariant': sigma(l z) = l sigma(z) for l > 0 (ReLU, leaky ReLU, linear): g(K) is
 *   linear, every K is a fixed point at C_b = 0, C_W = 1 / <sigma'^2>;
 * - 'K*=0': sigma(0) = 0, sigma'(0) != 0 and g(K) < sigma'(0)^2 K for small K > 0 (tanh, erf, sin):
 *   the critical point is C_b = 0, C_W = 1 / sigma'(0)^2 with K* = 0, approached as a power law;
 * - 'nonzero K*': a critical point at some K* > 0 with C_b >= 0 (GELU: K* ~ 4, C_b ~ 0.19,
 *   C_W ~ 1.98); there chi_par = 1 but g'' != 0, so the fixed point attracts the flow from one
 *   side only (half-stable);
 * - 'none': no critical point of these kinds (sigmoid, softplus, cos).
 */
export type UniversalityClass = 'scale-invariant' | 'K*=0' | 'nonzero K*' | 'none';

/** A critical point: (C_b, C_W) and the fixed point there (K_star null: every K, scale-invariant). */
export interface CriticalPoint {
  readonly cb: number;
  readonly cw: number;
  readonly K_star: number | null;
}

/**
 * A critical point at K* > 0: along chi_perp(K) = 1 (C_W = 1 / <sigma'^2>_K) the K where chi_par = 1
 * too, scanned over K in [1e-3, 1e3] (20 points a decade) and refined by bisection; kept when
 * C_b = K - C_W g(K) >= 0.
 */
function nonzeroCriticalPoint(a: Activation): CriticalPoint | null {
  const cwAt = (K: number) => 1 / chiPerp(a, 1, K);
  const gap = (K: number) => chiParallel(a, cwAt(K), K) - 1;
  const cbAt = (K: number) => K - cwAt(K) * kernelMap(a, K);
  let prevK = 1e-3;
  let prev = gap(prevK);
  for (let e = -2.95; e <= 3 + 1e-9; e += 0.05) {
    const K = 10 ** e;
    const g = gap(K);
    if (Number.isFinite(g) && Number.isFinite(prev) && Math.sign(g) !== Math.sign(prev)) {
      let [lo, hi, glo] = [prevK, K, prev];
      for (let it = 0; it < 100; it++) {
        const mid = 0.5 * (lo + hi);
        const gm = gap(mid);
        if (Math.sign(gm) === Math.sign(glo)) [lo, glo] = [mid, gm];
        else hi = mid;
      }
      const Kc = 0.5 * (lo + hi);
      if (cbAt(Kc) >= 0) return { cb: cbAt(Kc), cw: cwAt(Kc), K_star: Kc };
    }
    prevK = K;
    prev = g;
  }
  return null;
}

/** The activation's universality class (see `UniversalityClass`). */
export function universalityClass(act: ActivationName | Activation): UniversalityClass {
  const a = lookUp(act, 'universalityClass');
  const probes = [0.3, 1.7, -0.45, -2.2];
  const scale = Math.abs(a.fn(0)) < 1e-15 && probes.every((z) => Math.abs(a.fn(2.5 * z) - 2.5 * a.fn(z)) <= 1e-12 * (1 + Math.abs(a.fn(2.5 * z))));
  if (scale) return 'scale-invariant';
  const s1 = a.derivative(0);
  const k = 1e-3;
  if (Math.abs(a.fn(0)) <= 1e-15 && Math.abs(s1) >= 1e-12 && kernelMap(a, k) < s1 * s1 * k) return 'K*=0';
  return nonzeroCriticalPoint(a) ? 'nonzero K*' : 'none';
}

/** The critical point (C_b, C_W, K*) of the activation's class, or null for class 'none'. */
export function criticalPoint(act: ActivationName | Activation): CriticalPoint | null {
  const a = lookUp(act, 'criticalPoint');
  const cls = universalityClass(a);
  if (cls === 'none') return null;
  if (cls === 'K*=0') return { cb: 0, cw: 1 / a.derivative(0) ** 2, K_star: 0 };
  if (cls === 'nonzero K*') return nonzeroCriticalPoint(a);
  // Scale-invariant: <sigma'^2> does not depend on K, and every K is a fixed point.
  return { cb: 0, cw: 1 / chiPerp(a, 1, 1), K_star: null };
}

/**
 * The fixed point the flow reaches from K^(1) = k0: the nearest root of C_b + C_W g(K) - K in the
 * direction the flow moves (bisection to double precision). k0 itself when it is already a fixed
 * point (to 1e-12 relative; e.g. every K of ReLU at C_b = 0, C_W = 2); 0 when F(0) = 0 and the
 * root lies below 1e-10 max(1, k0), where F is below rounding; null when the kernel grows without
 * bound (no fixed point above k0 up to 1e12 k0).
 */
export function fixedPoint(act: ActivationName | Activation, cw: number, cb: number, k0 = 1): number | null {
  const fn = 'fixedPoint';
  const a = lookUp(act, fn);
  checkNonNegativeNumber(fn, 'cw', cw);
  checkNonNegativeNumber(fn, 'cb', cb);
  checkNonNegativeNumber(fn, 'k0', k0);
  const F = (K: number) => cb + cw * kernelMap(a, K) - K;
  const f0 = F(k0);
  if (Math.abs(f0) <= 1e-12 * Math.max(1, k0)) return k0;
  let lo: number;
  let hi: number;
  if (f0 > 0) {
    // The flow moves up: find K > k0 with F(K) < 0.
    lo = k0;
    hi = Math.max(2 * k0, 1e-300);
    const top = 1e12 * Math.max(1, k0, cb);
    while (F(hi) >= 0) {
      lo = hi;
      hi *= 2;
      if (hi > top) return null;
    }
  } else {
    // The flow moves down: F(0) = cb + cw sigma(0)^2 >= 0, so a root lies in [0, k0).
    lo = 0;
    hi = k0;
  }
  // Invariant: F(lo) >= 0 > F(hi).
  for (let it = 0; it < 2000 && hi - lo > 4e-16 * hi; it++) {
    const mid = 0.5 * (lo + hi);
    if (mid === lo || mid === hi) break;
    if (F(mid) >= 0) lo = mid;
    else hi = mid;
  }
  // Near K = 0 with F(0) = 0 (C_b = 0, sigma(0) = 0) F(K) is O(K^2) and drowns in rounding below
  // ~1e-13: a root that small is K* = 0 to double precision.
  const root = 0.5 * (lo + hi);
  return F(0) === 0 && root < 1e-10 * Math.max(1, k0) ? 0 : root;
}

/** The single-input kernel flow K^(1) = k0, K^(l+1) = C_b + C_W g(K^(l)), l = 1 .. layers. */
export function kernelFlow(act: ActivationName | Activation, cw: number, cb: number, k0: number, layers: number): number[] {
  const a = lookUp(act, 'kernelFlow');
  checkPositiveInteger('kernelFlow', 'layers', layers);
  const K = [checkNonNegativeNumber('kernelFlow', 'k0', k0)];
  for (let l = 1; l < layers; l++) K.push(cb + cw * kernelMap(a, K[l - 1]));
  return K;
}

/** What `criticality` reports (the JSON of `nnft criticality`). */
export interface Criticality {
  readonly activation: string;
  readonly cw: number;
  readonly cb: number;
  readonly k0: number;
  /** The fixed point reached from k0 (null: the kernel diverges). */
  readonly K_star: number | null;
  /** chi_par and chi_perp at K* (null without a fixed point). */
  readonly chi_parallel: number | null;
  readonly chi_perp: number | null;
  /** K^(1) = k0, ..., K^(layers). */
  readonly K: number[];
  /** chi_par(K*) <= 1 (to 1e-9): K* attracts the diagonal flow (marginally when = 1). */
  readonly stable: boolean;
  /** chi_par = chi_perp = 1 at K* (each to 1e-6). */
  readonly critical: boolean;
  readonly class: UniversalityClass;
  /** The activation's critical point (C_b, C_W, K*), null for class 'none'. */
  readonly critical_point: CriticalPoint | null;
}

/** Tolerance on chi = 1 for `critical`. */
export const CRITICAL_TOLERANCE = 1e-6;

/**
 * Fixed point, susceptibilities, stability and the kernel's flow for one (C_b, C_W) (module
 * comment; EFT4ML slides, "solving the recursion").
 * @example criticality({ activation: 'tanh', cw: 1, cb: 0, layers: 100 }).critical // true
 */
export function criticality(options: { activation: ActivationName | Activation; cw: number; cb: number; layers?: number; k0?: number }): Criticality {
  const fn = 'criticality';
  const a = lookUp(options.activation, fn);
  const cw = checkNonNegativeNumber(fn, 'cw', options.cw);
  const cb = checkNonNegativeNumber(fn, 'cb', options.cb);
  const layers = checkPositiveInteger(fn, 'layers', options.layers ?? 10);
  const k0 = checkNonNegativeNumber(fn, 'k0', options.k0 ?? 1);
  if (a.normalized) fail(fn, 'activation', 'an activation of deep networks (not the input-normalised Gauss unit)', a.name);
  const Kstar = fixedPoint(a, cw, cb, k0);
  const par = Kstar === null ? null : chiParallel(a, cw, Kstar);
  const perp = Kstar === null ? null : chiPerp(a, cw, Kstar);
  return {
    activation: a.name,
    cw,
    cb,
    k0,
    K_star: Kstar,
    chi_parallel: par,
    chi_perp: perp,
    K: kernelFlow(a, cw, cb, k0, layers),
    stable: par !== null && par <= 1 + 1e-9,
    critical: par !== null && perp !== null && Math.abs(par - 1) <= CRITICAL_TOLERANCE && Math.abs(perp - 1) <= CRITICAL_TOLERANCE,
    class: universalityClass(a),
    critical_point: criticalPoint(a),
  };
}

/**
 * The order-to-chaos line of the phase diagram: for each C_b, the C_W at which chi_perp(K*) = 1
 * (K* reached from k0 = 1), by bisection on [cwMin, cwMax]; NaN where chi_perp - 1 does not change
 * sign there. Below the line two inputs merge with depth (ordered), above it they decorrelate
 * (chaotic); the critical point sits on it where chi_par = 1 as well.
 */
export function orderChaosLine(act: ActivationName | Activation, cbValues: readonly number[], cwMin = 0.05, cwMax = 8): number[] {
  const a = lookUp(act, 'orderChaosLine');
  const excess = (cb: number, cw: number) => {
    const K = fixedPoint(a, cw, cb, 1);
    return K === null ? Infinity : chiPerp(a, cw, K) - 1;
  };
  return cbValues.map((cb) => {
    let lo = cwMin;
    let hi = cwMax;
    if (!(excess(cb, lo) < 0 && excess(cb, hi) > 0)) return NaN;
    for (let it = 0; it < 60; it++) {
      const mid = 0.5 * (lo + hi);
      if (excess(cb, mid) < 0) lo = mid;
      else hi = mid;
    }
    return 0.5 * (lo + hi);
  });
}
