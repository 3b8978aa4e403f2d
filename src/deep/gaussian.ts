/**
 * Gaussian expectations of products of activations at one or two inputs, with their derivatives,
 * in float64: the brackets <F>_K, <d^2 F / dz_a dz_b>_K and <d^4 F / dz_a dz_b dz_c dz_d>_K that the
 * layer-to-layer recursions of deep networks are built from (EFT4ML slides, "going deep -
 * recursion relations"; the book of Roberts, Yaida and Hanin, chapter 4).
 *
 * Derivatives never touch the activation: Gaussian integration by parts moves them onto the
 * density, <d_a d_b F>_K = <F H_ab>_K and <d_a d_b d_c d_d F>_K = <F H_abcd>_K with the Hermite
 * polynomials of N(0, K) (y = K^-1 z, A = K^-1):
 *
 *   H_ab   = y_a y_b - A_ab,
 *   H_abcd = y_a y_b y_c y_d - (A_ab y_c y_d + 5 perms) + (A_ab A_cd + 2 perms),
 *
 * so ReLU's kink (act'' = delta) needs no special treatment. The nodes live in the standardised
 * coordinates u (z = L u with L the Cholesky factor of K) and the integrand is smooth between the
 * rays where some z_a = 0 (the only kinks of the registry's activations):
 * - one input: Gauss-Legendre of order 160 on [-12, 0] and on [0, 12] (the Gaussian tail beyond
 *   12 standard deviations is below 1e-31);
 * - two inputs: polar coordinates in the u-plane, the angle split at the four rays where z_1 = 0 or
 *   z_2 = 0 (Gauss-Legendre of order 64 per sector), the radius by Gauss-Legendre of order 96 on
 *   [0, 13].
 * Between kinks every integrand of the registry is analytic, so the rules converge exponentially:
 * the brackets are exact to ~1e-13 relative for the registry's activations (tests compare the
 * closed forms of erf and ReLU). Two inputs whose correlation is within 1e-9 of +-1 have merged:
 * K^-1 does not exist and a RangeError says so.
 */
import { gaussLegendre } from '../core/special';
import { fail } from '../core/validate';

/** Largest |u| (1-d) or radius (2-d) of the rules, in standard deviations. */
const CUT_1D = 12;
const CUT_2D = 13;
const ORDER_1D = 160;
const ORDER_ANGLE = 64;
const ORDER_RADIUS = 96;
/** Correlations closer than this to +-1 count as merged inputs. */
export const MERGED = 1e-9;

/** Nodes of a Gaussian rule: values z_a and y_a = (K^-1 z)_a at each node, weights summing to 1. */
export interface GaussianNodes {
  /** Number of inputs P (1 or 2). */
  readonly P: number;
  /** z[a][i]: input a's pre-activation at node i. */
  readonly z: readonly Float64Array[];
  /** y[a][i] = (K^-1 z)_a at node i. */
  readonly y: readonly Float64Array[];
  /** Weights (the Gaussian measure of each node). */
  readonly w: Float64Array;
  /** A = K^-1 (P x P). */
  readonly A: readonly (readonly number[])[];
}

/**
 * The quadrature nodes of N(0, K) for a 1 x 1 or 2 x 2 covariance K (see the module comment).
 * Throws when K is not positive definite (a zero variance, or two merged inputs).
 */
export function gaussianNodes(K: readonly (readonly number[])[], fn = 'gaussianNodes'): GaussianNodes {
  const P = K.length;
  if (P === 1) {
    const k = K[0][0];
    if (!(k > 0) || !Number.isFinite(k)) fail(fn, 'K', 'a positive finite variance', k);
    const s = Math.sqrt(k);
    const { nodes, weights } = gaussLegendre(ORDER_1D);
    const n = 2 * nodes.length;
    const z = new Float64Array(n);
    const y = new Float64Array(n);
    const w = new Float64Array(n);
    const half = CUT_1D / 2;
    for (let i = 0; i < nodes.length; i++) {
      const u = half * (nodes[i] + 1); // [0, CUT]
      const wi = (half * weights[i] * Math.exp(-0.5 * u * u)) / Math.sqrt(2 * Math.PI);
      for (const [j, sign] of [[2 * i, 1], [2 * i + 1, -1]] as const) {
        z[j] = sign * s * u;
        y[j] = z[j] / k;
        w[j] = wi;
      }
    }
    return { P, z: [z], y: [y], w, A: [[1 / k]] };
  }
  if (P !== 2) fail(fn, 'K', 'a 1 x 1 or 2 x 2 covariance (one or two distinct inputs)', `${P} x ${P}`);
  const [k11, k12, k22] = [K[0][0], K[0][1], K[1][1]];
  if (!(k11 > 0) || !(k22 > 0) || !Number.isFinite(k11 + k12 + k22)) fail(fn, 'K', 'a covariance with positive finite variances', JSON.stringify(K));
  const s1 = Math.sqrt(k11);
  const s2 = Math.sqrt(k22);
  const rho = k12 / (s1 * s2);
  if (!(Math.abs(rho) < 1 - MERGED)) {
    throw new RangeError(`${fn}: the two inputs have correlation ${rho} (within ${MERGED} of +-1): they have merged and K has no inverse; use one input`);
  }
  const c = Math.sqrt(1 - rho * rho);
  // Rays where z1 = 0 (u1 = 0) or z2 = 0 (rho u1 + c u2 = 0).
  const t2 = Math.atan2(-rho, c);
  const wrap = (t: number) => (t < -Math.PI ? t + 2 * Math.PI : t >= Math.PI ? t - 2 * Math.PI : t);
  const cuts = [-Math.PI / 2, Math.PI / 2, wrap(t2), wrap(t2 + Math.PI)].sort((a, b) => a - b);
  const sectors: [number, number][] = [];
  for (let i = 0; i < 4; i++) sectors.push([cuts[i], i < 3 ? cuts[i + 1] : cuts[0] + 2 * Math.PI]);
  const ang = gaussLegendre(ORDER_ANGLE);
  const rad = gaussLegendre(ORDER_RADIUS);
  const n = 4 * ang.nodes.length * rad.nodes.length;
  const z1 = new Float64Array(n);
  const z2 = new Float64Array(n);
  const y1 = new Float64Array(n);
  const y2 = new Float64Array(n);
  const w = new Float64Array(n);
  const det = k11 * k22 - k12 * k12;
  const A = [
    [k22 / det, -k12 / det],
    [-k12 / det, k11 / det],
  ];
  let m = 0;
  const halfR = CUT_2D / 2;
  for (const [a, b] of sectors) {
    const halfT = (b - a) / 2;
    for (let i = 0; i < ang.nodes.length; i++) {
      const t = a + halfT * (ang.nodes[i] + 1);
      const ct = Math.cos(t);
      const st = Math.sin(t);
      for (let j = 0; j < rad.nodes.length; j++) {
        const r = halfR * (rad.nodes[j] + 1);
        const u1 = r * ct;
        const u2 = r * st;
        z1[m] = s1 * u1;
        z2[m] = s2 * (rho * u1 + c * u2);
        y1[m] = A[0][0] * z1[m] + A[0][1] * z2[m];
        y2[m] = A[1][0] * z1[m] + A[1][1] * z2[m];
        w[m] = (halfT * ang.weights[i] * halfR * rad.weights[j] * r * Math.exp(-0.5 * r * r)) / (2 * Math.PI);
        m++;
      }
    }
  }
  return { P, z: [z1, z2], y: [y1, y2], w, A };
}

/** H_ab at node i (module comment). */
export function hermite2(g: GaussianNodes, a: number, b: number, i: number): number {
  return g.y[a][i] * g.y[b][i] - g.A[a][b];
}

/** H_abcd at node i (module comment). */
export function hermite4(g: GaussianNodes, a: number, b: number, c: number, d: number, i: number): number {
  const { A } = g;
  const ya = g.y[a][i];
  const yb = g.y[b][i];
  const yc = g.y[c][i];
  const yd = g.y[d][i];
  return (
    ya * yb * yc * yd -
    (A[a][b] * yc * yd + A[a][c] * yb * yd + A[a][d] * yb * yc + A[b][c] * ya * yd + A[b][d] * ya * yc + A[c][d] * ya * yb) +
    (A[a][b] * A[c][d] + A[a][c] * A[b][d] + A[a][d] * A[b][c])
  );
}

/** sum_i w_i F_i H_i for a per-node integrand F and per-node weight factor H (1 when absent). */
export function expectation(g: GaussianNodes, F: Float64Array, H?: (i: number) => number): number {
  let s = 0;
  const w = g.w;
  if (!H) for (let i = 0; i < w.length; i++) s += w[i] * F[i];
  else for (let i = 0; i < w.length; i++) s += w[i] * F[i] * H(i);
  return s;
}
