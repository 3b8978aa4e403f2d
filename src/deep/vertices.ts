/**
 * The 1/n expansion of deep MLPs, layer by layer: the kernel K^(l), the four-point vertex V4^(l)
 * (order 1/n) and the six-point vertex V6^(l) (order 1/n^2), by their recursions in depth (EFT4ML
 * slides, "fluctuations of G", "1/n expansion", "going deep"; the large-N talk, "Diagrammatic
 * framework", 6-point; Roberts, Yaida and Hanin, chapter 4; Banta, Cai, Craig and Zhang,
 * arXiv:2305.02334).
 *
 * Conventions (PDLT). Layer 1 is the first pre-activation z^(1) = W^(1) x + b^(1); layer l + 1 is
 * z^(l+1) = W^(l+1) sigma(z^(l)) + b^(l+1), with Var(b) = C_b, Var(W) = C_W / n_l (n_0 = D), so a
 * net with h hidden layers of width n has its output at l = h + 1 (`mlp({ depth: h })` with
 * sigmaW^2 = C_W, sigmaB^2 = C_b). Given layer l, the neurons of layer l + 1 are independent
 * Gaussians with the random covariance G^_ab = C_b + (C_W / n) sum_j sigma(z_ja) sigma(z_jb), so
 * every connected correlator of layer l + 1 is a cumulant of G^ (neuron indices i):
 *
 *   <z_i1a1 z_i2a2>                = delta_i1i2 G_a1a2,                     G = K + O(1/n),
 *   <z_i1 z_i2 z_i3 z_i4>_c        = (1/n) [delta_i1i2 delta_i3i4 V4_(a1a2)(a3a4) + 2 perms],
 *   <z_i1 ... z_i6>_c              = (1/n^2) [delta delta delta V6_(a1a2)(a3a4)(a5a6) + 14 perms],
 *
 * i.e. V4 / n = Cov(G^_a1a2, G^_a3a4) and V6 / n^2 = kappa_3(G^_a1a2, G^_a3a4, G^_a5a6), both
 * normalised by the width of the layer below. Expanding the cumulants of the sum over neurons j
 * (same neuron, two, three different neurons, the latter correlated through V4 and V6 of layer l),
 * with <.> the Gaussian expectation under K^(l), A = sigma_a1 sigma_a2, B = sigma_a3 sigma_a4,
 * C = sigma_a5 sigma_a6, M_A[b1 b2] = <d^2 A / dz_b1 dz_b2>, T_B[b1..b4] = <d^4 B / dz_b1..dz_b4>:
 *
 *   K^(l+1)  = C_b + C_W <sigma_a1 sigma_a2>,
 *   V4^(l+1) = C_W^2 (<A B> - <A><B>) + (C_W^2 / 4) sum_b V4_(b1b2)(b3b4) M_A[b1b2] M_B[b3b4],
 *   V6^(l+1) = C_W^3 kappa_3(A, B, C)                                                        [one neuron]
 *            + (C_W^3 / 4) sum_b V4_(b1b2)(b3b4) (M_AB - <B> M_A - <A> M_B)[b1b2] M_C[b3b4] + 2 perms   [two]
 *            + (C_W^3 / 8) sum_b V6_(b1b2)(b3b4)(b5b6) M_A[b1b2] M_B[b3b4] M_C[b5b6]           [three: V6]
 *            + (C_W^3 / 16) sum_b V4_(b1b2)(b3b4) V4_(b5b6)(b7b8) M_A[b1b2] T_B[b3b4b5b6] M_C[b7b8] + 2 perms
 *                                                                                         [three: V4 V4 chain]
 *
 * with kappa_3(A, B, C) = <ABC> - <AB><C> - <AC><B> - <BC><A> + 2 <A><B><C> and M_AB the bracket of
 * the product A B; V4^(1) = V6^(1) = 0. The second term of V4 and the last three of V6 are the
 * large-N talk's diagrams with one, two and three neuron sums. At l = 2 V4 and V6 are exact (layer
 * 1 is Gaussian): n V4 and n^2 V6 summed over pairings are the single-layer G4c and G6c of
 * exact/finite-width.ts. Single input: <z^4> / <z^2>^2 = 3 + 3 V4 / (n K^2) + O(1/n^2) (the
 * `kurtosis`); ReLU at C_b = 0, C_W = 2 gives V4^(l) = 5 (l - 1) K^2 against the exact
 * 3 prod_l (1 + 5 / n), so the expansion parameter is the depth-to-width ratio l / n.
 *
 * The brackets come from gaussian.ts (derivatives by Hermite weights, exact to ~1e-13 for the
 * registry's activations), so at most two distinct inputs (the Gaussian integrals are 1-d or 2-d).
 * Widths are equal (n_l = n), so V4 and V6 do not depend on n; only the kurtosis does.
 */
import { fail } from '../core/validate';
import { Activation } from '../nets/activations';
import { DeepNetOptions, deepNet, flatIndex as flat, indexTuples as tuples } from './deep-net';
import { GaussianNodes, gaussianNodes, hermite2, hermite4 } from './gaussian';

/** Options of `vertexRecursion`: the net (one or two distinct inputs). */
export type VertexOptions = DeepNetOptions;

/** Per layer l = 1 .. L: tensors over the input indices, flattened row-major. */
export interface VertexRecursion {
  readonly inputs: number[][];
  readonly width: number;
  /** K^(l): P x P, flattened. */
  readonly K: Float64Array[];
  /** V4^(l)_(ab)(cd): P^4, flattened (index ((a P + b) P + c) P + d). */
  readonly V4: Float64Array[];
  /** V6^(l)_(ab)(cd)(ef): P^6, flattened. */
  readonly V6: Float64Array[];
  /** 3 + 3 V4_(aa)(aa) / (n K_aa^2) per input a: <z^4>/<z^2>^2 at order 1/n. */
  readonly kurtosis: Float64Array[];
}

/** The Gaussian brackets of one layer under K (module comment), cached by index multiset. */
class Brackets {
  private readonly g: GaussianNodes;
  private readonly s: Float64Array[];
  private readonly products = new Map<string, Float64Array>();
  private readonly cache = new Map<string, number>();

  constructor(act: Activation, K: number[][], where: string) {
    this.g = gaussianNodes(K, where);
    this.s = this.g.z.map((z) => z.map((v) => act.fn(v)));
  }

  /** Per-node product of sigma at the given input indices. */
  private product(idx: readonly number[]): Float64Array {
    const key = [...idx].sort().join('');
    let p = this.products.get(key);
    if (!p) {
      p = new Float64Array(this.g.w.length).fill(1);
      for (const a of idx) {
        const s = this.s[a];
        for (let i = 0; i < p.length; i++) p[i] *= s[i];
      }
      this.products.set(key, p);
    }
    return p;
  }

  /** <prod sigma>, times the Hermite weight of the derivative indices `d` (0, 2 or 4 of them). */
  bracket(idx: readonly number[], d: readonly number[] = []): number {
    const key = `${[...idx].sort().join('')}|${[...d].sort().join('')}`;
    let v = this.cache.get(key);
    if (v === undefined) {
      const F = this.product(idx);
      const { g } = this;
      const w = g.w;
      let t = 0;
      if (d.length === 0) for (let i = 0; i < w.length; i++) t += w[i] * F[i];
      else if (d.length === 2) for (let i = 0; i < w.length; i++) t += w[i] * F[i] * hermite2(g, d[0], d[1], i);
      else for (let i = 0; i < w.length; i++) t += w[i] * F[i] * hermite4(g, d[0], d[1], d[2], d[3], i);
      v = t;
      this.cache.set(key, v);
    }
    return v;
  }
}

/**
 * K, V4, V6 and the kurtosis layer by layer (module comment).
 * @example vertexRecursion({ activation: 'relu', cw: 2, cb: 0, width: 64, layers: 4, inputs: [[1]] }).V4 // 0, 5, 10, 15 (x K^2)
 */
export function vertexRecursion(options: VertexOptions): VertexRecursion {
  const fn = 'vertexRecursion';
  const { act, cw, cb, width: n, layers: L, inputs: xs, K1 } = deepNet(fn, options);
  const P = xs.length;
  if (P > 2) fail(fn, 'inputs', 'one or two input points (the vertices need 1-d or 2-d Gaussian integrals)', `${P} points`);
  if (P === 2 && xs[0].every((v, j) => v === xs[1][j])) fail(fn, 'inputs', 'distinct points', JSON.stringify(xs));
  let K: number[][] = K1;
  if (!xs.every((_, a) => K[a][a] > 0)) fail(fn, 'inputs', 'points with a positive first-layer variance C_b + C_W x.x / D', JSON.stringify(xs));
  let V4 = new Float64Array(P ** 4);
  let V6 = new Float64Array(P ** 6);
  const out = { inputs: xs, width: n, K: [] as Float64Array[], V4: [] as Float64Array[], V6: [] as Float64Array[], kurtosis: [] as Float64Array[] };
  const t4 = tuples(P, 4);
  const t6 = tuples(P, 6);
  for (let l = 1; ; l++) {
    out.K.push(Float64Array.from(K.flat()));
    out.V4.push(V4);
    out.V6.push(V6);
    out.kurtosis.push(Float64Array.from(xs, (_, a) => 3 + (3 * V4[flat([a, a, a, a], P)]) / (n * K[a][a] ** 2)));
    if (l === L) break;
    const br = new Brackets(act, K, `${fn} (layer ${l})`);
    const S = (idx: number[]) => br.bracket(idx);
    const M = (pair: number[], b: number[]) => br.bracket(pair, b);
    const v4 = (t: number[]) => V4[flat(t, P)];
    const nextK = K.map((row, a) => row.map((_, b) => cb + cw * S([a, b])));
    // sum_b V4_(b1b2)(b3b4) X[b1b2] Y[b3b4]
    const contract4 = (X: (b: number[]) => number, Y: (b: number[]) => number) => {
      let t = 0;
      for (const b of t4) {
        const v = v4(b);
        if (v !== 0) t += v * X([b[0], b[1]]) * Y([b[2], b[3]]);
      }
      return t;
    };
    const nextV4 = new Float64Array(P ** 4);
    for (const [a1, a2, a3, a4] of t4) {
      const A = [a1, a2];
      const B = [a3, a4];
      nextV4[flat([a1, a2, a3, a4], P)] =
        cw * cw * (S([a1, a2, a3, a4]) - S(A) * S(B)) + ((cw * cw) / 4) * contract4((b) => M(A, b), (b) => M(B, b));
    }
    const nextV6 = new Float64Array(P ** 6);
    for (const t of t6) {
      const A = [t[0], t[1]];
      const B = [t[2], t[3]];
      const C = [t[4], t[5]];
      const triples: [number[], number[], number[]][] = [
        [A, B, C],
        [B, C, A],
        [C, A, B],
      ];
      let one = S(t) + 2 * S(A) * S(B) * S(C);
      for (const [X, Y, Z] of triples) one -= S([...X, ...Y]) * S(Z);
      // two neurons: (X, Y) on one, Z on the other
      let two = 0;
      for (const [X, Y, Z] of triples) two += contract4((b) => M([...X, ...Y], b) - S(Y) * M(X, b) - S(X) * M(Y, b), (b) => M(Z, b));
      let threeV6 = 0;
      for (const b of t6) {
        const v = V6[flat(b, P)];
        if (v !== 0) threeV6 += v * M(A, [b[0], b[1]]) * M(B, [b[2], b[3]]) * M(C, [b[4], b[5]]);
      }
      // chains X - Y - Z with Y in the middle
      let chain = 0;
      for (const [X, Y, Z] of [
        [A, B, C],
        [B, A, C],
        [A, C, B],
      ]) {
        for (const b of t4) {
          const v = v4(b);
          if (v === 0) continue;
          const left = v * M(X, [b[0], b[1]]);
          for (const c of t4) {
            const w = v4(c);
            if (w !== 0) chain += left * br.bracket(Y, [b[2], b[3], c[0], c[1]]) * w * M(Z, [c[2], c[3]]);
          }
        }
      }
      nextV6[flat(t, P)] = cw ** 3 * (one + two / 4 + threeV6 / 8 + chain / 16);
    }
    K = nextK;
    V4 = nextV4;
    V6 = nextV6;
    if (![...K.flat(), ...V4, ...V6].every(Number.isFinite)) {
      throw new RangeError(`${fn}: the recursion overflows float64 at layer ${l + 1} with cw ${cw}, cb ${cb}; use fewer layers or smaller scales`);
    }
  }
  return out;
}
