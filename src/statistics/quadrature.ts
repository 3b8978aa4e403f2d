/**
 * Integrals of vector-valued functions over a cutoff box [-L, L]^dim, with an error estimate.
 *
 * - dim 1: adaptive Gauss-Kronrod (7-point Gauss inside a 15-point Kronrod rule); the error of an
 *   interval is |Kronrod - Gauss|, and the interval with the largest error is halved until the
 *   total is below tolerance. The box is first cut at a geometric grid of breakpoints (0, +-0.5,
 *   +-1, +-2, ...), so a narrow feature near the inputs is seen even when the cutoff is huge.
 * - dim 2: the same on squares with the product rules (49 Gauss, 225 Kronrod nodes), splitting the
 *   worst square in four.
 * - dim >= 3: randomised quasi-Monte Carlo (a Korobov rank-1 lattice, R independent random shifts);
 *   the value is the mean over shifts and the error its standard error (a statistical 1 sigma).
 *
 * Every component of the integrand is integrated on the same nodes; the error reported per
 * component, and the refinement is driven by the worst component relative to its own size.
 */
import { Rng } from '../core/random';
import { MeanAccumulator } from './stats';
import { fail } from '../core/validate';

/** Value and error estimate per component, and the number of integrand evaluations. */
export interface BoxIntegral {
  readonly value: Float64Array;
  readonly error: Float64Array;
  readonly evaluations: number;
  /** 'adaptive' (deterministic error estimate) or 'qmc' (standard error over random shifts). */
  readonly method: 'adaptive' | 'qmc';
}

export interface BoxOptions {
  /** Stop when every component's error is below max(absTol, relTol |value|) (defaults 1e-10, 1e-7). */
  relTol?: number;
  absTol?: number;
  /** Most integrand evaluations (default 2e6). Reaching it is not an error: the error says so. */
  maxEvaluations?: number;
  /** QMC only: lattice points per shift (default 4093, a prime) and shifts (default 16). */
  latticePoints?: number;
  shifts?: number;
  seed?: number;
  /**
   * Adaptive rules only: interior points where every axis is split before refining (default: a
   * geometric grid 0, +-0.5, +-1, +-2, ... so that features near the origin are seen at any cutoff).
   */
  breakpoints?: readonly number[];
}

/** The default breakpoints: 0 and +-0.5 * 2^k inside (-cutoff, cutoff). */
function geometricBreakpoints(cutoff: number): number[] {
  const out = [0];
  for (let b = 0.5; b < cutoff; b *= 2) out.push(b, -b);
  return out.sort((a, b) => a - b);
}

// Gauss-Kronrod 7-15 on [-1, 1]: Kronrod nodes (positive half, descending; the last is 0) and
// weights; the 7-point Gauss rule uses the odd-indexed nodes.
const XK = [0.991455371120812639206854697526329, 0.949107912342758524526189684047851, 0.864864423359769072789712788640926, 0.741531185599394439863864773280788, 0.586087235467691130294144845693013, 0.405845151377397166906606412076961, 0.207784955007898467600689403773245, 0];
const WK = [0.02293532201052922496373200805897, 0.063092092629978553290700663189204, 0.104790010322250183839876322541518, 0.140653259715525918745189590510238, 0.16900472663926790282658342659855, 0.190350578064785409913256402421014, 0.204432940075298892414161999234649, 0.209482141084727828012999174891714];
const WG = [0, 0.129484966168869693270611432679082, 0, 0.27970539148927666790146777142378, 0, 0.381830050505118944950369775488975, 0, 0.417959183673469387755102040816327];

/** The 15 nodes on [-1, 1] with Kronrod and Gauss weights (Gauss weight 0 off the Gauss nodes). */
const RULE: { x: number; wk: number; wg: number }[] = [];
for (let i = 0; i < 8; i++) {
  RULE.push({ x: -XK[i], wk: WK[i], wg: WG[i] });
  if (i < 7) RULE.push({ x: XK[i], wk: WK[i], wg: WG[i] });
}

interface Cell {
  lo: number[];
  hi: number[];
  value: Float64Array;
  error: Float64Array;
  worst: number;
}

/** Apply the product Kronrod and Gauss rules on one cell. */
function ruleOnCell(f: (point: number[]) => ArrayLike<number>, lo: number[], hi: number[], size: number): { value: Float64Array; error: Float64Array } {
  const dim = lo.length;
  const half = lo.map((l, j) => (hi[j] - l) / 2);
  const mid = lo.map((l, j) => (hi[j] + l) / 2);
  const volume = half.reduce((a, b) => a * b, 1);
  const kron = new Float64Array(size);
  const gauss = new Float64Array(size);
  const idx = new Array<number>(dim).fill(0);
  const point = new Array<number>(dim);
  for (;;) {
    let wk = volume;
    let wg = volume;
    for (let j = 0; j < dim; j++) {
      const r = RULE[idx[j]];
      point[j] = mid[j] + half[j] * r.x;
      wk *= r.wk;
      wg *= r.wg;
    }
    const v = f(point);
    for (let c = 0; c < size; c++) {
      kron[c] += wk * v[c];
      if (wg !== 0) gauss[c] += wg * v[c];
    }
    let j = 0;
    while (j < dim && ++idx[j] === RULE.length) idx[j++] = 0;
    if (j === dim) break;
  }
  const error = new Float64Array(size);
  for (let c = 0; c < size; c++) error[c] = Math.abs(kron[c] - gauss[c]);
  return { value: kron, error };
}

function adaptive(f: (point: number[]) => ArrayLike<number>, dim: number, cutoff: number, size: number, options: Required<Pick<BoxOptions, 'relTol' | 'absTol' | 'maxEvaluations' | 'breakpoints'>>): BoxIntegral {
  const perCell = RULE.length ** dim;
  const make = (lo: number[], hi: number[]): Cell => {
    const { value, error } = ruleOnCell(f, lo, hi, size);
    return { lo, hi, value, error, worst: 0 };
  };
  const edges = [-cutoff, ...options.breakpoints.filter((b) => b > -cutoff && b < cutoff), cutoff];
  const cells: Cell[] = [];
  const segment = (axis: number, lo: number[], hi: number[]) => {
    if (axis === dim) return void cells.push(make(lo, hi));
    for (let k = 0; k + 1 < edges.length; k++) segment(axis + 1, [...lo, edges[k]], [...hi, edges[k + 1]]);
  };
  segment(0, [], []);
  let evaluations = perCell * cells.length;
  const total = (key: 'value' | 'error') => {
    const out = new Float64Array(size);
    for (const cell of cells) for (let c = 0; c < size; c++) out[c] += cell[key][c];
    return out;
  };
  for (;;) {
    const value = total('value');
    const error = total('error');
    // How far each component is from its target; done when none is over.
    const scale = new Float64Array(size);
    let over = false;
    for (let c = 0; c < size; c++) {
      scale[c] = Math.max(options.absTol, options.relTol * Math.abs(value[c]));
      if (error[c] > scale[c]) over = true;
    }
    if (!over || evaluations + (2 ** dim) * perCell > options.maxEvaluations) return { value, error, evaluations, method: 'adaptive' };
    let worstAt = 0;
    for (let k = 0; k < cells.length; k++) {
      let w = 0;
      for (let c = 0; c < size; c++) w = Math.max(w, cells[k].error[c] / scale[c]);
      cells[k].worst = w;
      if (w > cells[worstAt].worst) worstAt = k;
    }
    const [cell] = cells.splice(worstAt, 1);
    // Split in all directions at the midpoint.
    for (let corner = 0; corner < 2 ** dim; corner++) {
      const lo = cell.lo.slice();
      const hi = cell.hi.slice();
      for (let j = 0; j < dim; j++) {
        const m = (cell.lo[j] + cell.hi[j]) / 2;
        if ((corner >> j) & 1) lo[j] = m;
        else hi[j] = m;
      }
      cells.push(make(lo, hi));
      evaluations += perCell;
    }
  }
}

/** Korobov generator a for n points: powers of a spread the lattice (a fixed, good-enough choice). */
function korobovVector(dim: number, n: number): number[] {
  const a = Math.max(2, Math.round(n * 0.3819660113)); // golden-section multiplier
  const z = [1];
  for (let j = 1; j < dim; j++) z.push((z[j - 1] * a) % n);
  return z;
}

function qmc(f: (point: number[]) => ArrayLike<number>, dim: number, cutoff: number, size: number, n: number, shifts: number, seed: number): BoxIntegral {
  const z = korobovVector(dim, n);
  const rng = Rng.stream(seed, 0);
  const volume = (2 * cutoff) ** dim;
  const perShift = new MeanAccumulator(size); // one estimate per random shift
  const point = new Array<number>(dim);
  for (let s = 0; s < shifts; s++) {
    const shift = Array.from({ length: dim }, () => rng.uniform());
    const sum = new Float64Array(size);
    for (let k = 0; k < n; k++) {
      for (let j = 0; j < dim; j++) {
        let u = (k * z[j]) / n + shift[j];
        u -= Math.floor(u);
        // Baker's (tent) transform: periodises the integrand, much smaller error for smooth f.
        u = 1 - Math.abs(2 * u - 1);
        point[j] = -cutoff + 2 * cutoff * u;
      }
      const v = f(point);
      for (let c = 0; c < size; c++) sum[c] += v[c];
    }
    for (let c = 0; c < size; c++) sum[c] *= volume / n;
    perShift.push(sum);
  }
  return { value: perShift.means(), error: perShift.stdErrs(), evaluations: n * shifts, method: 'qmc' };
}

/**
 * Integrate the vector function `f` (each call returns `size` numbers) over [-cutoff, cutoff]^dim.
 * See the module comment for the rule used at each dimension.
 */
export function integrateBox(f: (point: number[]) => ArrayLike<number>, dim: number, cutoff: number, size: number, options: BoxOptions = {}): BoxIntegral {
  if (!Number.isInteger(dim) || dim < 1) fail('integrateBox', 'dim', 'a positive integer', dim);
  if (!(cutoff > 0) || !Number.isFinite(cutoff)) fail('integrateBox', 'cutoff', 'a positive finite number', cutoff);
  const relTol = options.relTol ?? 1e-7;
  const absTol = options.absTol ?? 1e-10;
  const maxEvaluations = options.maxEvaluations ?? 2e6;
  if (dim <= 2) return adaptive(f, dim, cutoff, size, { relTol, absTol, maxEvaluations, breakpoints: [...new Set(options.breakpoints ?? geometricBreakpoints(cutoff))].sort((a, b) => a - b) });
  return qmc(f, dim, cutoff, size, options.latticePoints ?? 4093, options.shifts ?? 16, options.seed ?? 1);
}
