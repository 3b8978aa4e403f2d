/**
 * Kolmogorov-Arnold networks in float64 on the host (lecture section 2: the Kolmogorov-Arnold
 * representation f(x) = sum_q Phi_q(sum_p phi_{q,p}(x_p)), TASI eq. (25), inspires networks whose
 * learnable functions sit on the edges; Liu et al., "KAN: Kolmogorov-Arnold Networks", eqs. (2.2)-(2.12)).
 *
 * A layer with n_in inputs and n_out outputs has an edge (i -> j) for every pair, and
 *   y_j = sum_i phi_ij(x_i),   phi_ij(x) = m_ij [w_b,ij silu(x) + w_s,ij sum_m c_ij,m B_m(x)]     (spline edge)
 *                              phi_ij(x) = m_ij [c f(a x + b) + d]                               (snapped edge)
 * with silu(x) = x / (1 + e^-x), B_m the order-k B-splines on the extended grid of input i (G intervals
 * plus k on each side, see bsplines.ts; every edge leaving input i shares its grid, as in pykan) and
 * m_ij in {0, 1} the pruning mask. A network of widths [n_0, ..., n_L] composes L layers.
 *
 * Conventions are pykan's (KindXiaoming/pykan, v0.2) so that its tutorial numbers can be reproduced:
 * grid range [-1, 1] at the start; c initialised by a least-squares fit to uniform noise of size
 * noiseScale / G at the grid points, w_b ~ U(-1, 1) / sqrt(n_in), w_s = 1 / sqrt(n_in); the loss is the
 * mean squared error plus lambda times pykan's sparsity regulariser (v0.2, reg_metric
 * 'edge_forward_spline_n'; the KAN paper's eqs. (2.17)-(2.20) with its L1 norm replaced by a spread):
 *   sum over layers of  mu_1 sum_ij A_ij + mu_2 (H_rows + H_cols),   A_ij = sd(phi_ij) / (sd(x_i) + 0.1),
 *   H_rows = -mean_j sum_i p_ij log2(p_ij + 1e-4),  p_ij = A_ij / (sum_i A_ij + 1)   (H_cols: i and j
 *   exchanged), standard deviations over the batch (unbiased), snapped edges excluded, the gradient
 *   taken through both spreads (mu_1 = 1, mu_2 = 2 by default);
 * grids follow the data (`updateGrid`: G + 1 knots at sample quantiles mixed with a uniform grid,
 * weight gridEps = 0.02 on the uniform one, and each spline refitted by least squares, pykan's
 * update_grid_from_samples); `refine(G')` is grid extension (a new network on G' intervals whose
 * splines are least-squares fits to the old ones at the samples). `fit` follows pykan's `fit`: L-BFGS
 * steps as in torch (see core/optimize.ts), the grid updated from the training inputs every
 * stopGridUpdate / gridUpdates steps before step stopGridUpdate (default: every 5 steps before 50).
 *
 * Unlike pykan everything, training included, is float64: the loss can go down to ~1e-20 (RMSE 1e-10),
 * which a snapped formula needs to be recognised. Memory is O(batch x edges x (k + 1)): the basis is
 * kept only at the k + 1 non-zero functions of each sample, never as a dense batch x edges x (G + k)
 * tensor.
 */
import { Adam, Lbfgs } from '../core/optimize';
import { Rng } from '../core/random';
import { checkNonNegativeInteger, checkNonNegativeNumber, checkPositiveInteger, checkPositiveNumber, fail } from '../core/validate';
import { SplineGrid, bsplineSpan, fitCoefficients, gridFromPoints } from './bsplines';
import { SYMBOLIC_FUNCTIONS, SymbolicName, isSymbolicName } from './symbolic-functions';

/** Options of a new network (pykan's defaults). */
export interface KanOptions {
  /** Widths [n_0, ..., n_L], e.g. [2, 5, 1]. */
  width: readonly number[];
  /** G: grid intervals (default 3). */
  grid?: number;
  /** k: spline order (default 3, cubic). */
  order?: number;
  /** Seed of the initialisation (default 0). */
  seed?: number;
  /** Initial grid range (default [-1, 1]). */
  range?: readonly [number, number];
  /** Size of the initial spline noise (default 0.3, pykan's MultKAN). */
  noiseScale?: number;
  /** Weight of the uniform grid in grid updates (default 0.02). */
  gridEps?: number;
}

/** Parameter offsets of one layer in the network's parameter vector. */
interface LayerLayout {
  readonly nIn: number;
  readonly nOut: number;
  /** G + k coefficients per edge, edge e = i * nOut + j. */
  readonly size: number;
  readonly coef: number;
  readonly base: number;
  readonly spline: number;
  /** a, b, c, d of each edge's snapped form (4 per edge). */
  readonly affine: number;
}

/** Per-layer values kept by a forward pass for the backward pass. */
interface LayerCache {
  readonly x: Float64Array;
  /** i0 of each input's first non-zero basis function (OUTSIDE beyond the extended grid) */
  readonly span: Int32Array;
  readonly N: Float64Array;
  readonly dN: Float64Array;
  readonly spline: Float64Array;
  /** silu and its slope at each input, B x n_in */
  readonly silu: Float64Array;
  readonly dsilu: Float64Array;
  readonly phi: Float64Array;
  readonly y: Float64Array;
}

/** Training data: rows of inputs and of targets. */
export interface KanData {
  readonly x: readonly (readonly number[])[];
  readonly y: readonly (readonly number[])[];
}

/** Options of `Kan.fit`. */
export interface KanFitOptions {
  steps: number;
  /** 'lbfgs' (full batch, default) or 'adam'. */
  optimizer?: 'lbfgs' | 'adam';
  /** lambda: weight of the sparsity regulariser (default 0). */
  lambda?: number;
  lambdaL1?: number;
  lambdaEntropy?: number;
  /** Learning rate (default 1 for L-BFGS, 1e-2 for Adam). */
  lr?: number;
  /** Adam mini-batch size (default: the whole training set). */
  batch?: number;
  /** Update grids from the training inputs (default true). */
  updateGrid?: boolean;
  gridUpdates?: number;
  stopGridUpdate?: number;
  /** Test data for the history (optional). */
  test?: KanData;
  /** Seed of the mini-batch order (default 0). */
  seed?: number;
  /** Called after each step with (step, steps). */
  onStep?: (step: number, steps: number) => void;
}

/** One row of a training history. */
export interface KanHistoryRow {
  readonly step: number;
  readonly trainRmse: number;
  readonly testRmse?: number;
  readonly regularisation: number;
}

/** Attribution scores (pykan's attribute): one per node of every layer, one per edge. */
export interface KanScores {
  /** nodes[l][i]: score of node i of layer l (l = 0 inputs .. L outputs). */
  readonly nodes: Float64Array[];
  /** edges[l][i * nOut + j]. */
  readonly edges: Float64Array[];
}


/** The span of an input beyond the extended grid: max(0, -i0) > k + 1, so no basis function is visited. */
const OUTSIDE = -(2 ** 20);

function checkWidth(fn: string, width: unknown): number[] {
  if (!Array.isArray(width) || width.length < 2) fail(fn, 'width', 'an array of at least 2 positive integers, e.g. [2, 5, 1]', width);
  width.forEach((n, l) => checkPositiveInteger(fn, `width[${l}]`, n));
  return [...width] as number[];
}

function flatRows(fn: string, arg: string, rows: readonly (readonly number[])[], cols: number): Float64Array {
  if (!Array.isArray(rows) || rows.length === 0) fail(fn, arg, 'a non-empty array of rows', rows);
  const out = new Float64Array(rows.length * cols);
  rows.forEach((r, b) => {
    if (!r || r.length !== cols) fail(fn, `${arg}[${b}]`, `a row of ${cols} numbers`, r);
    for (let i = 0; i < cols; i++) {
      if (!Number.isFinite(r[i])) fail(fn, `${arg}[${b}][${i}]`, 'a finite number', r[i]);
      out[b * cols + i] = r[i];
    }
  });
  return out;
}

/**
 * A Kolmogorov-Arnold network (see the module comment). All parameters live in one float64 vector
 * `theta` (spline coefficients, w_b, w_s and the snapped edges' a, b, c, d, layer by layer), which the
 * optimisers move in place.
 */
export class Kan {
  readonly width: readonly number[];
  readonly order: number;
  readonly intervals: number;
  readonly gridEps: number;
  /** grids[l][i]: the knots of input i of layer l. */
  readonly grids: SplineGrid[][];
  /** masks[l][e]: 1 for a kept edge, 0 for a pruned one. */
  readonly masks: Float64Array[];
  /** symbolic[l][e]: the function an edge is snapped to, or null for a spline edge. */
  readonly symbolic: (SymbolicName | null)[][];
  readonly theta: Float64Array;
  private readonly layout: LayerLayout[];
  /** Forward buffers reused by lossAndGradient (per layer and batch size). */
  private pool?: Map<string, Omit<LayerCache, 'x'>>;

  constructor(options: KanOptions) {
    const fn = 'Kan';
    this.width = checkWidth(fn, options.width);
    this.intervals = checkPositiveInteger(fn, 'grid', options.grid ?? 3);
    const k = options.order ?? 3;
    if (!Number.isInteger(k) || k < 1 || k > 10) fail(fn, 'order', 'an integer in 1..10', k);
    this.order = k;
    const seed = checkNonNegativeInteger(fn, 'seed', options.seed ?? 0);
    const [lo, hi] = options.range ?? [-1, 1];
    if (!Number.isFinite(lo) || !Number.isFinite(hi) || !(hi > lo)) fail(fn, 'range', 'two finite numbers lo < hi', options.range);
    const noise = checkNonNegativeNumber(fn, 'noiseScale', options.noiseScale ?? 0.3);
    this.gridEps = options.gridEps ?? 0.02;
    if (!(this.gridEps >= 0 && this.gridEps <= 1)) fail(fn, 'gridEps', 'a number in [0, 1]', options.gridEps);
    const G = this.intervals;
    this.layout = [];
    let offset = 0;
    for (let l = 0; l + 1 < this.width.length; l++) {
      const nIn = this.width[l], nOut = this.width[l + 1], E = nIn * nOut, size = G + k;
      const lay = { nIn, nOut, size, coef: offset, base: offset + E * size, spline: offset + E * (size + 1), affine: offset + E * (size + 2) };
      this.layout.push(lay);
      offset = lay.affine + 4 * E;
    }
    this.theta = new Float64Array(offset);
    const uniform = Float64Array.from({ length: G + 1 }, (_, m) => lo + ((hi - lo) * m) / G);
    this.grids = this.layout.map((lay) => Array.from({ length: lay.nIn }, () => gridFromPoints(uniform, k)));
    this.masks = this.layout.map((lay) => new Float64Array(lay.nIn * lay.nOut).fill(1));
    this.symbolic = this.layout.map((lay) => new Array<SymbolicName | null>(lay.nIn * lay.nOut).fill(null));
    const rng = Rng.stream(seed, 0);
    this.layout.forEach((lay, l) => {
      const E = lay.nIn * lay.nOut;
      for (let e = 0; e < E; e++) {
        const i = Math.floor(e / lay.nOut);
        const ys = Float64Array.from(uniform, () => ((rng.uniform() - 0.5) * noise) / G);
        this.theta.set(fitCoefficients(this.grids[l][i], uniform, ys, 1e-8), lay.coef + e * lay.size);
        this.theta[lay.base + e] = (rng.uniform() * 2 - 1) / Math.sqrt(lay.nIn);
        this.theta[lay.spline + e] = 1 / Math.sqrt(lay.nIn);
        this.theta.set([1, 0, 1, 0], lay.affine + 4 * e);
      }
    });
  }

  /** Number of layers L. */
  get depth(): number {
    return this.layout.length;
  }

  /** The parameter offsets of layer l (coefficients, w_b, w_s, affine). */
  layerLayout(l: number): LayerLayout {
    return this.layout[l];
  }

  /** A copy of this network (grids, masks, snapped edges and parameters). */
  clone(): Kan {
    const c = Object.create(Kan.prototype) as Kan;
    Object.assign(c, {
      width: [...this.width], order: this.order, intervals: this.intervals, gridEps: this.gridEps,
      grids: this.grids.map((g) => [...g]), masks: this.masks.map((m) => Float64Array.from(m)),
      symbolic: this.symbolic.map((s) => [...s]), theta: Float64Array.from(this.theta), layout: this.layout,
    });
    return c;
  }

  /** Forward pass over B rows of `x` (row-major B x n_0), keeping what the backward pass needs. */
  private forwardCached(x: Float64Array, B: number, reuse = false): LayerCache[] {
    const k = this.order, K = k + 1, th = this.theta;
    const caches: LayerCache[] = [];
    let act = x;
    for (let l = 0; l < this.layout.length; l++) {
      const { nIn, nOut, size, coef, base, spline, affine } = this.layout[l];
      const E = nIn * nOut;
      const buffers = this.buffers(l, B, reuse);
      const { span, N: NB, dN: dNB, spline: splineV, phi, y, silu: siluV, dsilu: dsiluV } = buffers;
      const mask = this.masks[l], sym = this.symbolic[l];
      for (let i = 0; i < nIn; i++) {
        const grid = this.grids[l][i];
        for (let b = 0; b < B; b++) {
          const xv = act[b * nIn + i];
          const o = (b * nIn + i) * K;
          const found = bsplineSpan(grid, xv, NB, dNB, o);
          // the basis functions 0..size-1 among i0 .. i0 + k (none outside the grid: rLo > rHi)
          const i0 = Number.isNaN(found) ? OUTSIDE : found;
          span[b * nIn + i] = i0;
          const rLo = Math.max(0, -i0), rHi = Math.min(K, size - i0);
          const sg = 1 / (1 + Math.exp(-xv));
          const sl = xv * sg;
          siluV[b * nIn + i] = sl;
          dsiluV[b * nIn + i] = sg + sl * (1 - sg);
          for (let j = 0; j < nOut; j++) {
            const e = i * nOut + j;
            if (mask[e] === 0) continue;
            const name = sym[e];
            let value: number;
            if (name !== null) {
              const a = th[affine + 4 * e], bb = th[affine + 4 * e + 1], c = th[affine + 4 * e + 2], d = th[affine + 4 * e + 3];
              value = c * SYMBOLIC_FUNCTIONS[name].f(a * xv + bb) + d;
            } else {
              let s = 0;
              const ce = coef + e * size + i0;
              for (let r = rLo; r < rHi; r++) s += th[ce + r] * NB[o + r];
              splineV[b * E + e] = s;
              value = th[base + e] * sl + th[spline + e] * s;
            }
            value *= mask[e];
            phi[b * E + e] = value;
            y[b * nOut + j] += value;
          }
        }
      }
      caches.push({ x: act, span, N: NB, dN: dNB, spline: splineV, silu: siluV, dsilu: dsiluV, phi, y });
      act = y;
    }
    return caches;
  }

  /** Per-layer forward buffers (zeroed where accumulated); reused between calls with the same B when `reuse`. */
  private buffers(l: number, B: number, reuse: boolean): Omit<LayerCache, 'x'> {
    const { nIn, nOut } = this.layout[l];
    const E = nIn * nOut, K = this.order + 1;
    const fresh = () => ({
      span: new Int32Array(B * nIn), N: new Float64Array(B * nIn * K), dN: new Float64Array(B * nIn * K),
      spline: new Float64Array(B * E), phi: new Float64Array(B * E), y: new Float64Array(B * nOut),
      silu: new Float64Array(B * nIn), dsilu: new Float64Array(B * nIn),
    });
    if (!reuse) return fresh();
    this.pool ??= new Map();
    const key = `${l}:${B}`;
    let buf = this.pool.get(key);
    if (buf === undefined) {
      buf = fresh();
      this.pool.set(key, buf);
    } else {
      buf.spline.fill(0);
      buf.phi.fill(0);
      buf.y.fill(0);
    }
    return buf;
  }

  /** Outputs at B rows of x (row-major), float64. */
  forwardFlat(x: Float64Array, B: number): Float64Array {
    const c = this.forwardCached(x, B);
    return c[c.length - 1].y;
  }

  /** sqrt(mean (phi - y)^2) over `rows` rows of x and y (row-major), evaluated 4096 rows at a time. */
  rmseFlat(x: Float64Array, y: Float64Array, rows: number): number {
    const n0 = this.width[0], nL = this.width[this.width.length - 1];
    let s = 0;
    for (let r0 = 0; r0 < rows; r0 += 4096) {
      const r1 = Math.min(rows, r0 + 4096);
      const out = this.forwardFlat(x.subarray(r0 * n0, r1 * n0), r1 - r0);
      for (let p = 0; p < (r1 - r0) * nL; p++) s += (out[p] - y[r0 * nL + p]) ** 2;
    }
    return Math.sqrt(s / (rows * nL));
  }

  /** Outputs at the given points, one row per point. */
  evaluate(points: readonly (readonly number[])[]): number[][] {
    const n0 = this.width[0], nL = this.width[this.width.length - 1];
    const y = this.forwardFlat(flatRows('Kan.evaluate', 'points', points, n0), points.length);
    return points.map((_, b) => Array.from(y.subarray(b * nL, (b + 1) * nL)));
  }

  /**
   * The activations of every layer at B rows of x: acts[l] (B x n_l, l = 0..L) and the edge outputs
   * phi[l] (B x n_l n_{l+1}), for plots, attribution and symbolic fits.
   */
  activations(x: Float64Array, B: number): { acts: Float64Array[]; phi: Float64Array[] } {
    const c = this.forwardCached(x, B);
    return { acts: [...c.map((l) => l.x), c[c.length - 1].y], phi: c.map((l) => l.phi) };
  }

  /**
   * The regulariser of the module comment and, per layer, the factors of its gradient:
   * d reg / d phi_e(b) = phi[e] (phi_e(b) - mean_e) and d reg / d x_i(b) = x[i] (x_i(b) - mean_i).
   */
  private regulariser(caches: LayerCache[], B: number, l1: number, entropy: number): { value: number; phi: { w: Float64Array; mean: Float64Array }[]; x: { w: Float64Array; mean: Float64Array }[] } {
    let value = 0;
    const LN2 = Math.LN2, EPS = 1e-4;
    const phiFactors: { w: Float64Array; mean: Float64Array }[] = [];
    const xFactors: { w: Float64Array; mean: Float64Array }[] = [];
    caches.forEach((c, l) => {
      const { nIn, nOut } = this.layout[l];
      const E = nIn * nOut;
      const sym = this.symbolic[l];
      // standard deviations (unbiased, as torch.std) of each input and each spline edge's output
      const mx = new Float64Array(nIn), sx = new Float64Array(nIn), mp = new Float64Array(E), sp = new Float64Array(E);
      for (let b = 0; b < B; b++) {
        for (let i = 0; i < nIn; i++) mx[i] += c.x[b * nIn + i];
        for (let e = 0; e < E; e++) mp[e] += c.phi[b * E + e];
      }
      for (let i = 0; i < nIn; i++) mx[i] /= B;
      for (let e = 0; e < E; e++) mp[e] /= B;
      for (let b = 0; b < B; b++) {
        for (let i = 0; i < nIn; i++) sx[i] += (c.x[b * nIn + i] - mx[i]) ** 2;
        for (let e = 0; e < E; e++) sp[e] += (c.phi[b * E + e] - mp[e]) ** 2;
      }
      const dof = Math.max(B - 1, 1);
      for (let i = 0; i < nIn; i++) sx[i] = Math.sqrt(sx[i] / dof);
      for (let e = 0; e < E; e++) sp[e] = sym[e] === null ? Math.sqrt(sp[e] / dof) : 0;
      // A_ij = sd(phi_ij) / (sd(x_i) + 0.1)
      const A = new Float64Array(E);
      for (let e = 0; e < E; e++) A[e] = sp[e] / (sx[Math.floor(e / nOut)] + 0.1);
      const dA = new Float64Array(E).fill(l1);
      let total = 0;
      for (let e = 0; e < E; e++) total += A[e];
      let entRow = 0, entCol = 0;
      // rows: for each output j, p_i = A_ij / (sum_i A_ij + 1); columns: for each input i, over j
      const entropyOf = (members: number[], count: number) => {
        let T = 1;
        for (const e of members) T += A[e];
        let H = 0, qp = 0;
        const q = members.map((e) => {
          const p = A[e] / T;
          H -= p * Math.log2(p + EPS);
          const qe = Math.log2(p + EPS) + p / ((p + EPS) * LN2);
          qp += qe * p;
          return qe;
        });
        // d H / d A_k = -(q_k - sum_i q_i p_i) / T, averaged over the `count` rows (or columns)
        members.forEach((e, m) => { dA[e] -= (entropy * (q[m] - qp)) / (T * count); });
        return H / count;
      };
      for (let j = 0; j < nOut; j++) entRow += entropyOf(Array.from({ length: nIn }, (_, i) => i * nOut + j), nOut);
      for (let i = 0; i < nIn; i++) entCol += entropyOf(Array.from({ length: nOut }, (_, j) => i * nOut + j), nIn);
      value += l1 * total + entropy * (entRow + entCol);
      const wPhi = new Float64Array(E), wX = new Float64Array(nIn);
      for (let e = 0; e < E; e++) {
        const i = Math.floor(e / nOut), R = sx[i] + 0.1;
        if (sp[e] > 0) wPhi[e] = dA[e] / (dof * sp[e] * R);
        if (sx[i] > 0) wX[i] -= (dA[e] * sp[e]) / (R * R * dof * sx[i]);
      }
      phiFactors.push({ w: wPhi, mean: mp });
      xFactors.push({ w: wX, mean: mx });
    });
    return { value, phi: phiFactors, x: xFactors };
  }

  /**
   * Loss = mean squared error over B rows + lambda * regulariser; writes its gradient with respect to
   * theta into `grad` and returns { loss, mse, reg }.
   */
  lossAndGradient(x: Float64Array, target: Float64Array, B: number, grad: Float64Array, lambda = 0, l1 = 1, entropy = 2): { loss: number; mse: number; reg: number } {
    const caches = this.forwardCached(x, B, true);
    const L = this.layout.length, nL = this.width[L];
    const out = caches[L - 1].y;
    let mse = 0;
    const g = new Float64Array(B * nL);
    for (let p = 0; p < B * nL; p++) {
      const r = out[p] - target[p];
      mse += r * r;
      g[p] = (2 * r) / (B * nL);
    }
    mse /= B * nL;
    const reg = lambda > 0 ? this.regulariser(caches, B, l1, entropy) : null;
    grad.fill(0);
    const th = this.theta, k = this.order, K = k + 1;
    let gOut = g;
    for (let l = L - 1; l >= 0; l--) {
      const { nIn, nOut, size, coef, base, spline, affine } = this.layout[l];
      const E = nIn * nOut;
      const c = caches[l];
      const gIn = new Float64Array(B * nIn);
      const mask = this.masks[l], sym = this.symbolic[l];
      const rp = reg ? reg.phi[l] : null, rx = reg ? reg.x[l] : null;
      for (let b = 0; b < B; b++) {
        for (let i = 0; i < nIn; i++) {
          const xv = c.x[b * nIn + i];
          const i0 = c.span[b * nIn + i];
          const rLo = Math.max(0, -i0), rHi = Math.min(K, size - i0);
          const o = (b * nIn + i) * K;
          let gx = 0;
          for (let j = 0; j < nOut; j++) {
            const e = i * nOut + j;
            if (mask[e] === 0) continue;
            let ge = gOut[b * nOut + j];
            if (rp) ge += lambda * rp.w[e] * (c.phi[b * E + e] - rp.mean[e]);
            ge *= mask[e];
            if (ge === 0) continue;
            const name = sym[e];
            if (name !== null) {
              const ao = affine + 4 * e;
              const a = th[ao], bb = th[ao + 1], cc = th[ao + 2];
              const u = a * xv + bb;
              const F = SYMBOLIC_FUNCTIONS[name];
              const fu = F.f(u), du = F.df(u);
              grad[ao] += ge * cc * du * xv;
              grad[ao + 1] += ge * cc * du;
              grad[ao + 2] += ge * fu;
              grad[ao + 3] += ge;
              gx += ge * cc * du * a;
            } else {
              const wb = th[base + e], ws = th[spline + e];
              grad[base + e] += ge * c.silu[b * nIn + i];
              grad[spline + e] += ge * c.spline[b * E + e];
              let ds = 0;
              const ce = coef + e * size + i0;
              const gs = ge * ws;
              for (let r = rLo; r < rHi; r++) {
                grad[ce + r] += gs * c.N[o + r];
                ds += th[ce + r] * c.dN[o + r];
              }
              gx += ge * (wb * c.dsilu[b * nIn + i] + ws * ds);
            }
          }
          gIn[b * nIn + i] = rx ? gx + lambda * rx.w[i] * (xv - rx.mean[i]) : gx;
        }
      }
      gOut = gIn;
    }
    return { loss: mse + (reg ? lambda * reg.value : 0), mse, reg: reg ? reg.value : 0 };
  }

  /**
   * Grids adapted to the inputs (pykan's update_grid_from_samples), layer by layer: for each input
   * node, G + 1 knots at the sample quantiles (sorted samples at positions floor(B m / G) and the
   * largest), mixed with the uniform grid on the same range with weight gridEps, extended by k on
   * each side; every spline leaving the node is refitted to its own values at the samples (least
   * squares, ridge 1e-8). Nodes whose samples span less than 1e-9 keep their grid.
   */
  updateGrid(x: Float64Array, B: number): void {
    let act = x;
    for (let l = 0; l < this.layout.length; l++) {
      this.regrid(l, act, B, this.intervals, this);
      if (l + 1 < this.layout.length) act = this.slice(l).forwardCached(act, B)[0].y;
    }
  }

  /** The single layer l as a one-layer network sharing nothing (for layer-wise passes). */
  private slice(l: number): Kan {
    const lay = this.layout[l];
    const width = [lay.nIn, lay.nOut];
    const n = lay.affine + 4 * lay.nIn * lay.nOut - lay.coef;
    const c = Object.create(Kan.prototype) as Kan;
    Object.assign(c, {
      width, order: this.order, intervals: this.intervals, gridEps: this.gridEps,
      grids: [this.grids[l]], masks: [this.masks[l]], symbolic: [this.symbolic[l]],
      theta: this.theta.subarray(lay.coef, lay.coef + n),
      layout: [{ ...lay, coef: 0, base: lay.base - lay.coef, spline: lay.spline - lay.coef, affine: lay.affine - lay.coef }],
    });
    return c;
  }

  /**
   * New grids with G' intervals for layer l of `target` from the inputs `act` of this network's layer
   * l, and target's spline coefficients fitted to this network's splines there.
   */
  private regrid(l: number, act: Float64Array, B: number, G: number, target: Kan): void {
    const lay = this.layout[l], tl = target.layout[l];
    const k = this.order;
    for (let i = 0; i < lay.nIn; i++) {
      const old = this.grids[l][i];
      let xs = Float64Array.from({ length: B }, (_, b) => act[b * lay.nIn + i]).sort();
      if (!(xs[B - 1] - xs[0] > 1e-9)) {
        // a (nearly) constant input: keep the grid's range, resampled on G' intervals
        if (target === this) continue;
        const n = 4 * (G + k) + 1;
        xs = Float64Array.from({ length: n }, (_, s) => old.lo + ((old.hi - old.lo) * s) / (n - 1));
      }
      const S = xs.length;
      const lo = xs[0], hi = xs[S - 1];
      const pts = new Float64Array(G + 1);
      for (let m = 0; m < G; m++) pts[m] = xs[Math.floor((S / G) * m)];
      pts[G] = hi;
      const h = (hi - lo) / G;
      for (let m = 0; m <= G; m++) pts[m] = this.gridEps * (lo + h * m) + (1 - this.gridEps) * pts[m];
      let increasing = true;
      for (let m = 1; m <= G; m++) if (!(pts[m] > pts[m - 1])) increasing = false;
      if (!increasing) for (let m = 0; m <= G; m++) pts[m] = lo + h * m;
      const grid = gridFromPoints(pts, k);
      const N = new Float64Array(k + 1);
      for (let j = 0; j < lay.nOut; j++) {
        const e = i * lay.nOut + j;
        const ce = lay.coef + e * lay.size;
        const ys = Float64Array.from(xs, (xv) => {
          const i0 = bsplineSpan(old, xv, N);
          let s = 0;
          if (!Number.isNaN(i0)) for (let r = 0; r <= k; r++) if (i0 + r >= 0 && i0 + r < lay.size) s += this.theta[ce + i0 + r] * N[r];
          return s;
        });
        target.theta.set(fitCoefficients(grid, xs, ys, 1e-8), tl.coef + e * tl.size);
      }
      target.grids[l][i] = grid;
    }
  }

  /**
   * Grid extension (pykan's refine): a new network with G' intervals whose grids follow the
   * inputs of each layer at `x` and whose splines are least-squares fits to this network's; w_b, w_s,
   * masks and snapped edges are copied. Returns the new network; this one is unchanged.
   */
  refine(intervals: number, x: Float64Array, B: number): Kan {
    checkPositiveInteger('Kan.refine', 'intervals', intervals);
    const next = new Kan({ width: this.width, grid: intervals, order: this.order, gridEps: this.gridEps, noiseScale: 0 });
    const { acts } = this.activations(x, B);
    this.layout.forEach((lay, l) => {
      const nl = next.layout[l];
      const E = lay.nIn * lay.nOut;
      next.theta.set(this.theta.subarray(lay.base, lay.affine + 4 * E), nl.base);
      next.masks[l].set(this.masks[l]);
      next.symbolic[l] = [...this.symbolic[l]];
      next.grids[l] = [...this.grids[l]];
      this.regrid(l, acts[l], B, intervals, next);
    });
    return next;
  }

  /**
   * Attribution scores (pykan's attribute): the outputs score 1 each; going backwards, edge (i -> j)
   * scores sd(phi_ij) / (sd(y_j) + 1e-4) times node j's score and node i scores the sum over its
   * outgoing edges, standard deviations over the rows of x; with several outputs, the scores of each
   * output's query are averaged.
   */
  attribute(x: Float64Array, B: number): KanScores {
    const { acts, phi } = this.activations(x, B);
    const L = this.layout.length;
    const sd = (v: Float64Array, cols: number, col: number) => {
      let m = 0, s = 0;
      for (let b = 0; b < B; b++) m += v[b * cols + col];
      m /= B;
      for (let b = 0; b < B; b++) s += (v[b * cols + col] - m) ** 2;
      return Math.sqrt(s / Math.max(B - 1, 1));
    };
    const nodes = this.width.map((n) => new Float64Array(n));
    const edges = this.layout.map((lay) => new Float64Array(lay.nIn * lay.nOut));
    const nL = this.width[L];
    for (let q = 0; q < nL; q++) {
      let score = new Float64Array(nL);
      score[q] = 1;
      for (let p = 0; p < nL; p++) nodes[L][p] += score[p] / nL;
      for (let l = L - 1; l >= 0; l--) {
        const { nIn, nOut } = this.layout[l];
        const E = nIn * nOut;
        const below = new Float64Array(nIn);
        for (let j = 0; j < nOut; j++) {
          const sy = sd(acts[l + 1], nOut, j);
          for (let i = 0; i < nIn; i++) {
            const e = i * nOut + j;
            const es = (sd(phi[l], E, e) / (sy + 1e-4)) * score[j];
            edges[l][e] += es / nL;
            below[i] += es;
          }
        }
        for (let i = 0; i < nIn; i++) nodes[l][i] += below[i] / nL;
        score = below;
      }
    }
    return { nodes, edges };
  }

  /**
   * Pruning (pykan's prune): hidden nodes scoring below nodeThreshold are removed (a smaller network
   * is returned), then edges scoring below edgeThreshold are masked. Defaults 1e-2 and 3e-2.
   */
  prune(x: Float64Array, B: number, nodeThreshold = 1e-2, edgeThreshold = 3e-2): Kan {
    checkNonNegativeNumber('Kan.prune', 'nodeThreshold', nodeThreshold);
    checkNonNegativeNumber('Kan.prune', 'edgeThreshold', edgeThreshold);
    const scores = this.attribute(x, B);
    const keep = this.width.map((n, l) => Array.from({ length: n }, (_, i) => i).filter((i) => l === 0 || l === this.width.length - 1 || scores.nodes[l][i] > nodeThreshold));
    keep.forEach((kept, l) => { if (kept.length === 0) keep[l] = [Array.from(scores.nodes[l]).indexOf(Math.max(...scores.nodes[l]))]; });
    const next = new Kan({ width: keep.map((k) => k.length), grid: this.intervals, order: this.order, gridEps: this.gridEps, noiseScale: 0 });
    this.layout.forEach((lay, l) => {
      const nl = next.layout[l];
      keep[l].forEach((i, ni) => {
        next.grids[l][ni] = this.grids[l][i];
        keep[l + 1].forEach((j, nj) => {
          const e = i * lay.nOut + j, ne = ni * nl.nOut + nj;
          next.theta.set(this.theta.subarray(lay.coef + e * lay.size, lay.coef + (e + 1) * lay.size), nl.coef + ne * nl.size);
          next.theta[nl.base + ne] = this.theta[lay.base + e];
          next.theta[nl.spline + ne] = this.theta[lay.spline + e];
          next.theta.set(this.theta.subarray(lay.affine + 4 * e, lay.affine + 4 * e + 4), nl.affine + 4 * ne);
          next.masks[l][ne] = this.masks[l][e] * (scores.edges[l][e] >= edgeThreshold ? 1 : 0);
          next.symbolic[l][ne] = this.symbolic[l][e];
        });
      });
    });
    return next;
  }

  /** Snaps edge (l, i -> j) to `name` with y = c f(a x + b) + d; '0' masks nothing but outputs 0. */
  fixSymbolic(l: number, i: number, j: number, name: SymbolicName, params: { a: number; b: number; c: number; d: number }): void {
    const e = this.edgeIndex('Kan.fixSymbolic', l, i, j);
    if (!isSymbolicName(name)) fail('Kan.fixSymbolic', 'name', 'a library function name', name);
    this.symbolic[l][e] = name;
    this.theta.set([params.a, params.b, params.c, params.d], this.layout[l].affine + 4 * e);
  }

  /** The index e of edge (l, i -> j), checked. */
  edgeIndex(fn: string, l: number, i: number, j: number): number {
    if (!Number.isInteger(l) || l < 0 || l >= this.layout.length) fail(fn, 'l', `a layer index in 0..${this.layout.length - 1}`, l);
    const { nIn, nOut } = this.layout[l];
    if (!Number.isInteger(i) || i < 0 || i >= nIn) fail(fn, 'i', `an input index in 0..${nIn - 1}`, i);
    if (!Number.isInteger(j) || j < 0 || j >= nOut) fail(fn, 'j', `an output index in 0..${nOut - 1}`, j);
    return i * nOut + j;
  }

  /** Values of edge (l, i -> j) at the points xs (its own function of its input; for plots and fits). */
  edgeFunction(l: number, i: number, j: number, xs: ArrayLike<number>): Float64Array {
    const e = this.edgeIndex('Kan.edgeFunction', l, i, j);
    const one = this.slice(l);
    const { nIn } = this.layout[l];
    const x = new Float64Array(xs.length * nIn);
    for (let b = 0; b < xs.length; b++) x[b * nIn + i] = xs[b];
    const phi = one.forwardCached(x, xs.length)[0].phi;
    const E = nIn * this.layout[l].nOut;
    return Float64Array.from({ length: xs.length }, (_, b) => phi[b * E + e]);
  }

  /** Number of trainable parameters of kept edges (spline edges: G + k + 2; snapped edges: 4). */
  parameterCount(): number {
    let n = 0;
    this.layout.forEach((lay, l) => {
      for (let e = 0; e < lay.nIn * lay.nOut; e++) if (this.masks[l][e] !== 0) n += this.symbolic[l][e] === null ? lay.size + 2 : 4;
    });
    return n;
  }

  /**
   * Training (pykan's fit; see the module comment). L-BFGS: `steps` optimiser steps of up to 20
   * iterations each on the full training set; Adam: `steps` updates on mini-batches of `batch` rows
   * drawn without replacement (an epoch at a time, seeded). Records the training RMSE (of the data
   * term, at the parameters after the step), the test RMSE and the regulariser after every step.
   */
  fit(data: KanData, options: KanFitOptions): KanHistoryRow[] {
    const fn = 'Kan.fit';
    const steps = checkNonNegativeInteger(fn, 'steps', options.steps);
    const n0 = this.width[0], nL = this.width[this.width.length - 1];
    const X = flatRows(fn, 'data.x', data.x, n0), Y = flatRows(fn, 'data.y', data.y, nL);
    const B = data.x.length;
    if (data.y.length !== B) fail(fn, 'data.y.length', `data.x.length = ${B}`, data.y.length);
    const test = options.test ? { x: flatRows(fn, 'test.x', options.test.x, n0), y: flatRows(fn, 'test.y', options.test.y, nL), B: options.test.x.length } : null;
    const optimizer = options.optimizer ?? 'lbfgs';
    if (optimizer !== 'lbfgs' && optimizer !== 'adam') fail(fn, 'optimizer', "'lbfgs' or 'adam'", optimizer);
    const lambda = checkNonNegativeNumber(fn, 'lambda', options.lambda ?? 0);
    const l1 = checkNonNegativeNumber(fn, 'lambdaL1', options.lambdaL1 ?? 1);
    const ent = checkNonNegativeNumber(fn, 'lambdaEntropy', options.lambdaEntropy ?? 2);
    const lr = checkPositiveNumber(fn, 'lr', options.lr ?? (optimizer === 'lbfgs' ? 1 : 1e-2));
    const batch = Math.min(B, checkPositiveInteger(fn, 'batch', options.batch ?? B));
    const gridUpdates = checkPositiveInteger(fn, 'gridUpdates', options.gridUpdates ?? 10);
    const stopGrid = checkNonNegativeInteger(fn, 'stopGridUpdate', options.stopGridUpdate ?? 50);
    const every = Math.max(1, Math.floor(stopGrid / gridUpdates));
    const updateGrid = options.updateGrid ?? true;
    const grad = new Float64Array(this.theta.length);
    const history: KanHistoryRow[] = [];
    // the grid update sees at most 20000 rows (the quantiles do not need more; memory stays bounded)
    const gridRows = Math.min(B, 20000);
    const objective = (rows0: number, rows: number) => (theta: Float64Array, g: Float64Array) => {
      void theta;
      return this.lossAndGradient(X.subarray(rows0 * n0, (rows0 + rows) * n0), Y.subarray(rows0 * nL, (rows0 + rows) * nL), rows, g, lambda, l1, ent).loss;
    };
    const lbfgs = optimizer === 'lbfgs' ? new Lbfgs(this.theta, objective(0, B), { lr }) : null;
    const adam = optimizer === 'adam' ? new Adam(this.theta, { lr }) : null;
    const nextBatch = miniBatches(X, Y, B, n0, nL, batch, Rng.stream(checkNonNegativeInteger(fn, 'seed', options.seed ?? 0), 1));
    const bx = new Float64Array(batch * n0), by = new Float64Array(batch * nL);
    for (let step = 0; step < steps; step++) {
      if (updateGrid && step % every === 0 && step < stopGrid) {
        this.updateGrid(X.subarray(0, gridRows * n0), gridRows);
      }
      let reg = 0;
      if (lbfgs) lbfgs.step();
      else {
        if (batch === B) {
          reg = this.lossAndGradient(X, Y, B, grad, lambda, l1, ent).reg;
        } else {
          nextBatch(bx, by);
          reg = this.lossAndGradient(bx, by, batch, grad, lambda, l1, ent).reg;
        }
        adam!.step(grad);
      }
      if (lbfgs && lambda > 0) reg = this.lossAndGradient(X, Y, B, grad, lambda, l1, ent).reg;
      history.push({ step: step + 1, trainRmse: this.rmseFlat(X, Y, B), testRmse: test ? this.rmseFlat(test.x, test.y, test.B) : undefined, regularisation: reg });
      options.onStep?.(step + 1, steps);
    }
    return history;
  }
}

/**
 * Mini-batches of `batch` rows drawn without replacement, an epoch at a time (a Fisher-Yates shuffle
 * of the row order from `rng` at the start of each epoch): each call of the returned function copies
 * the next batch's inputs and targets into bx (batch x n0) and by (batch x nL).
 */
export function miniBatches(X: Float64Array, Y: Float64Array, rows: number, n0: number, nL: number, batch: number, rng: Rng): (bx: Float64Array | Float32Array, by: Float64Array | Float32Array) => void {
  const order = Uint32Array.from({ length: rows }, (_, i) => i);
  let cursor = rows;
  return (bx, by) => {
    for (let r = 0; r < batch; r++) {
      if (cursor >= rows) {
        for (let i = rows - 1; i > 0; i--) {
          const j = Math.floor(rng.uniform() * (i + 1));
          const t = order[i];
          order[i] = order[j];
          order[j] = t;
        }
        cursor = 0;
      }
      const src = order[cursor++];
      for (let c = 0; c < n0; c++) bx[r * n0 + c] = X[src * n0 + c];
      for (let c = 0; c < nL; c++) by[r * nL + c] = Y[src * nL + c];
    }
  };
}

/** Rows as a flat row-major float64 array (checked: finite, `cols` per row). */
export function kanRows(rows: readonly (readonly number[])[], cols: number): Float64Array {
  return flatRows('kanRows', 'rows', rows, cols);
}
