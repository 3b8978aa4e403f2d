/**
 * Reading a Kolmogorov-Arnold network back as a formula (lecture section 2, eqs. (25)-(26); pykan's
 * suggest_symbolic / auto_symbolic / symbolic_formula). Each kept edge's learned function, sampled at
 * the activations the training inputs produce, is compared with every library function f under an
 * affine change of both axes,
 *   phi(x) ~ c f(a x + b) + d,
 * and the edge is snapped to the best one; training then continues on a, b, c, d (in float64, so a
 * correct formula reaches RMSE ~1e-10), and the composed formula is simplified.
 *
 * The fit (`fitAffine`, pykan's fit_params): for (a, b) on a 101 x 101 grid of [-10, 10]^2 the best c, d
 * are linear least squares and the quality is r^2 = corr(f(a x + b), phi)^2; the grid is zoomed three
 * times around the best cell (or shifted, when the best lies on its border). Unlike pykan, (a, b) that
 * put a sample outside f's domain (log, sqrt: a x + b <= 0; 1/x: a sign change) are not candidates, r^2
 * has no 1e-4 added to its denominator, the grid is over the slope and shift of the standardised input
 * (x - mean) / sd (pykan's is over x itself, which misses slopes below 0.2 or above 10 in x's units),
 * and the search runs on at most 64 samples (evenly spaced in sorted order) while r^2, c and d come
 * from all of them.
 *
 * The automatic choice (pykan's auto_symbolic) minimises
 *   w complexity(f) + (1 - w) log2(1 + 1e-5 - r^2),   w = 0.8,
 * so a simpler function wins unless a more complex one fits clearly better.
 */
import { checkPositiveInteger, fail } from '../core/validate';
import { Kan } from './kan';
import { DEFAULT_SYMBOLIC_LIBRARY, SYMBOLIC_FUNCTIONS, SymbolicName, inDomain, isSymbolicName } from './symbolic-functions';
import { formatFormula, parseFormula, simplify } from './formula';

/** An affine fit c f(a x + b) + d of one function, with its r^2. */
export interface AffineFit {
  readonly name: SymbolicName;
  readonly a: number;
  readonly b: number;
  readonly c: number;
  readonly d: number;
  readonly r2: number;
}

/** Options of `fitAffine`: pykan's fit_params defaults. */
export interface AffineFitOptions {
  aRange?: readonly [number, number];
  bRange?: readonly [number, number];
  gridNumber?: number;
  iterations?: number;
  /** Samples used by the grid search (default 64). */
  searchSamples?: number;
}

/** c, d by least squares and r^2 of y against g = f(a x + b); r2 = -Infinity when a sample leaves f's domain. */
function linearFit(name: SymbolicName, xs: ArrayLike<number>, ys: ArrayLike<number>, a: number, b: number): { c: number; d: number; r2: number } {
  const F = SYMBOLIC_FUNCTIONS[name];
  const n = xs.length;
  let sg = 0, sy = 0, sign = 0;
  const g = new Float64Array(n);
  for (let s = 0; s < n; s++) {
    const u = a * xs[s] + b;
    if (!inDomain(F.domain, u)) return { c: 0, d: 0, r2: -Infinity };
    if (F.domain === 'nonzero') {
      const sg0 = Math.sign(u);
      if (sign !== 0 && sg0 !== sign) return { c: 0, d: 0, r2: -Infinity };
      sign = sg0;
    }
    g[s] = F.f(u);
    sg += g[s];
    sy += ys[s];
  }
  const mg = sg / n, my = sy / n;
  let cov = 0, vg = 0, vy = 0;
  for (let s = 0; s < n; s++) {
    const dg = g[s] - mg, dy = ys[s] - my;
    cov += dg * dy;
    vg += dg * dg;
    vy += dy * dy;
  }
  if (!(vg > 0) || !(vy > 0) || !Number.isFinite(vg)) return { c: 0, d: my, r2: 0 };
  const c = cov / vg;
  return { c, d: my - c * mg, r2: (cov * cov) / (vg * vy) };
}

/** r^2 of y against f(a x + b) in one pass (for the grid search); -Infinity outside the domain. */
function searchR2(name: SymbolicName, xs: Float64Array, ys: Float64Array, a: number, b: number): number {
  const F = SYMBOLIC_FUNCTIONS[name];
  const n = xs.length;
  // shifted sums (about the first sample) keep the one-pass moments accurate enough for ranking
  const g0 = F.f(a * xs[0] + b), y0 = ys[0];
  let sg = 0, sgg = 0, sgy = 0, sy = 0, syy = 0, sign = 0;
  for (let s = 0; s < n; s++) {
    const u = a * xs[s] + b;
    if (!inDomain(F.domain, u)) return -Infinity;
    if (F.domain === 'nonzero') {
      const sg0 = u > 0 ? 1 : -1;
      if (sign !== 0 && sg0 !== sign) return -Infinity;
      sign = sg0;
    }
    const g = F.f(u) - g0, y = ys[s] - y0;
    sg += g; sgg += g * g; sgy += g * y; sy += y; syy += y * y;
  }
  const vg = sgg - (sg * sg) / n, vy = syy - (sy * sy) / n, cov = sgy - (sg * sy) / n;
  return vg > 0 && vy > 0 && Number.isFinite(vg) ? (cov * cov) / (vg * vy) : 0;
}

/** The best c f(a x + b) + d through the samples (see the module comment). */
export function fitAffine(name: SymbolicName, xs: ArrayLike<number>, ys: ArrayLike<number>, options: AffineFitOptions = {}): AffineFit {
  const fn = 'fitAffine';
  if (!isSymbolicName(name)) fail(fn, 'name', 'a library function name', name);
  if (xs.length !== ys.length || xs.length < 3) fail(fn, 'xs.length', `at least 3 and equal to ys.length = ${ys.length}`, xs.length);
  if (name === '0') return { name, a: 0, b: 0, c: 0, d: 0, r2: 0 };
  const grid = checkPositiveInteger(fn, 'gridNumber', options.gridNumber ?? 101);
  const iterations = checkPositiveInteger(fn, 'iterations', options.iterations ?? 3);
  let [a0, a1] = options.aRange ?? [-10, 10];
  let [b0, b1] = options.bRange ?? [-10, 10];
  // search samples: evenly spaced in sorted order of x
  const order = Array.from({ length: xs.length }, (_, s) => s).sort((p, q) => xs[p] - xs[q]);
  const m = Math.min(xs.length, checkPositiveInteger(fn, 'searchSamples', options.searchSamples ?? 64));
  const pick = Array.from({ length: m }, (_, s) => order[Math.round((s * (xs.length - 1)) / Math.max(m - 1, 1))]);
  // the search runs in the standardised variable z = (x - m) / sd, so that [-10, 10] covers the
  // useful slopes whatever the scale of the edge's input; a = a_z / sd, b = b_z - a_z m / sd
  let m0 = 0, v0 = 0;
  for (let s = 0; s < xs.length; s++) m0 += xs[s];
  m0 /= xs.length;
  for (let s = 0; s < xs.length; s++) v0 += (xs[s] - m0) ** 2;
  const sd = Math.sqrt(v0 / xs.length) || 1;
  const sx = Float64Array.from(pick, (s) => (xs[s] - m0) / sd), sy = Float64Array.from(pick, (s) => ys[s]);
  let best = { a: 1, b: 0, r2: -Infinity };
  for (let it = 0; it < iterations; it++) {
    const as = Float64Array.from({ length: grid }, (_, q) => a0 + ((a1 - a0) * q) / (grid - 1));
    const bs = Float64Array.from({ length: grid }, (_, q) => b0 + ((b1 - b0) * q) / (grid - 1));
    let bi = -1, bj = -1, br2 = -Infinity;
    for (let i = 0; i < grid; i++) {
      for (let j = 0; j < grid; j++) {
        const r2 = searchR2(name, sx, sy, as[i], bs[j]);
        if (r2 > br2) {
          br2 = r2;
          bi = i;
          bj = j;
        }
      }
    }
    if (bi < 0) break;
    best = { a: as[bi], b: bs[bj], r2: br2 };
    [a0, a1] = [as[Math.max(bi - 1, 0)], as[Math.min(bi + 1, grid - 1)]];
    [b0, b1] = [bs[Math.max(bj - 1, 0)], bs[Math.min(bj + 1, grid - 1)]];
  }
  if (!(best.r2 > -Infinity)) return { name, a: 0, b: 0, c: 0, d: 0, r2: -Infinity };
  const a = best.a / sd, b = best.b - (best.a * m0) / sd;
  const { c, d, r2 } = linearFit(name, xs, ys, a, b);
  return canonicalAffine({ name, a, b, c, d, r2 });
}

/**
 * The same function with the slope a moved into c where the function is a power (so |a| = 1):
 * c (a x + b)^n = c a^n (x + b/a)^n, c / (a x + b) = (c / a) / (x + b/a), c sqrt(a x + b) =
 * c sqrt|a| sqrt(+-x + b/|a|), c (a x + b) + d = (c a) x + (c b + d). For these functions a and c are
 * interchangeable, and leaving both free at very different sizes (c ~ 1e-3, a ~ 20) stalls L-BFGS.
 */
function canonicalAffine(f: AffineFit): AffineFit {
  const { name, a, b, c, d, r2 } = f;
  if (!(a !== 0) || !Number.isFinite(a)) return f;
  const power: Partial<Record<SymbolicName, number>> = { 'x^2': 2, 'x^3': 3, 'x^4': 4, '1/x': -1 };
  if (name === 'x') return { name, a: 1, b: 0, c: c * a, d: c * b + d, r2 };
  const n = power[name];
  if (n !== undefined) return { name, a: 1, b: b / a, c: c * a ** n, d, r2 };
  if (name === 'sqrt') return { name, a: Math.sign(a), b: b / Math.abs(a), c: c * Math.sqrt(Math.abs(a)), d, r2 };
  return f;
}

/** pykan's ranking loss: w complexity + (1 - w) log2(1 + 1e-5 - r^2). */
export function symbolicScore(fit: AffineFit, weightSimple = 0.8): number {
  const r2 = Number.isFinite(fit.r2) ? Math.min(fit.r2, 1) : -1e8;
  return weightSimple * SYMBOLIC_FUNCTIONS[fit.name].complexity + (1 - weightSimple) * Math.log2(1 + 1e-5 - r2);
}

/** The inputs and outputs of edge (l, i -> j) at the rows of x. */
export function edgeSamples(model: Kan, x: Float64Array, B: number, l: number, i: number, j: number): { xs: Float64Array; ys: Float64Array } {
  const e = model.edgeIndex('edgeSamples', l, i, j);
  const { acts, phi } = model.activations(x, B);
  const nIn = model.width[l], E = nIn * model.width[l + 1];
  return {
    xs: Float64Array.from({ length: B }, (_, b) => acts[l][b * nIn + i]),
    ys: Float64Array.from({ length: B }, (_, b) => phi[l][b * E + e]),
  };
}

/** Every library function's fit to edge (l, i -> j), best score first. */
export function suggestSymbolic(model: Kan, x: Float64Array, B: number, l: number, i: number, j: number, library: readonly SymbolicName[] = DEFAULT_SYMBOLIC_LIBRARY, weightSimple = 0.8): AffineFit[] {
  const { xs, ys } = edgeSamples(model, x, B, l, i, j);
  library.forEach((n, q) => { if (!isSymbolicName(n)) fail('suggestSymbolic', `library[${q}]`, 'a library function name', n); });
  return library.map((name) => fitAffine(name, xs, ys)).sort((p, q) => symbolicScore(p, weightSimple) - symbolicScore(q, weightSimple));
}

/** One snapped edge: where it is and what it became. */
export interface SnappedEdge extends AffineFit {
  readonly l: number;
  readonly i: number;
  readonly j: number;
}

/**
 * Snaps every kept spline edge to its best library function (pykan's auto_symbolic), in place, and
 * returns what each became (with r^2, as fitted). Masked edges are skipped; already snapped edges are
 * kept. Hidden nodes are then brought to unit spread (`normaliseHidden`), which changes the reported
 * a, b, c, d of the model but not its function.
 */
export function autoSymbolic(model: Kan, x: Float64Array, B: number, options: { library?: readonly SymbolicName[]; weightSimple?: number } = {}): SnappedEdge[] {
  const out: SnappedEdge[] = [];
  for (let l = 0; l < model.depth; l++) {
    const nIn = model.width[l], nOut = model.width[l + 1];
    for (let i = 0; i < nIn; i++) {
      for (let j = 0; j < nOut; j++) {
        const e = i * nOut + j;
        if (model.masks[l][e] === 0 || model.symbolic[l][e] !== null) continue;
        const best = suggestSymbolic(model, x, B, l, i, j, options.library, options.weightSimple)[0];
        model.fixSymbolic(l, i, j, best.name, best);
        out.push({ ...best, l, i, j });
      }
    }
  }
  normaliseHidden(model, x, B);
  return out;
}

/**
 * Rescales hidden nodes to unit spread where that leaves the network's function unchanged: for a
 * hidden node whose kept outgoing edges are all snapped and whose spread sd over the rows of x is
 * outside [0.1, 10] (well-scaled nodes are left as trained), h -> (h - m) / sd, with
 * the incoming edges' outputs scaled by 1/sd (snapped: c, d; splines: w_b, w_s) and the mean taken
 * out of one snapped incoming edge's d, and each outgoing edge's a, b adjusted (a -> a sd,
 * b -> b + a m). A trained KAN's hidden scale is arbitrary (an edge's c and the next edge's a trade
 * off), and snapped parameters of very different sizes (c ~ 1e-5 against a ~ 1e4) stall L-BFGS.
 * Returns the number of nodes rescaled.
 */
export function normaliseHidden(model: Kan, x: Float64Array, B: number): number {
  let count = 0;
  for (let l = 1; l < model.depth; l++) {
    const acts = model.activations(x, B).acts[l];
    const n = model.width[l], nOut = model.width[l + 1], nPrev = model.width[l - 1];
    const inL = model.layerLayout(l - 1), outL = model.layerLayout(l);
    for (let h = 0; h < n; h++) {
      const outgoing = Array.from({ length: nOut }, (_, j) => h * nOut + j).filter((e) => model.masks[l][e] !== 0);
      if (outgoing.length === 0 || outgoing.some((e) => model.symbolic[l][e] === null)) continue;
      let m = 0, v = 0;
      for (let b = 0; b < B; b++) m += acts[b * n + h];
      m /= B;
      for (let b = 0; b < B; b++) v += (acts[b * n + h] - m) ** 2;
      const sd = Math.sqrt(v / B);
      if (!(sd > 0) || !Number.isFinite(sd) || (sd >= 0.1 && sd <= 10)) continue;
      const incoming = Array.from({ length: nPrev }, (_, i) => i * n + h).filter((e) => model.masks[l - 1][e] !== 0);
      const shiftEdge = incoming.find((e) => model.symbolic[l - 1][e] !== null);
      const shift = shiftEdge === undefined ? 0 : m;
      const th = model.theta;
      for (const e of incoming) {
        if (model.symbolic[l - 1][e] !== null) {
          th[inL.affine + 4 * e + 2] /= sd;
          th[inL.affine + 4 * e + 3] = (th[inL.affine + 4 * e + 3] - (e === shiftEdge ? shift : 0)) / sd;
        } else {
          th[inL.base + e] /= sd;
          th[inL.spline + e] /= sd;
        }
      }
      for (const e of outgoing) {
        const a = th[outL.affine + 4 * e];
        th[outL.affine + 4 * e + 1] += a * shift;
        th[outL.affine + 4 * e] = a * sd;
      }
      count++;
    }
  }
  return count;
}

const numberText = (v: number) => (v < 0 ? `(${String(v)})` : String(v));

/**
 * The network's function as a formula in x1, x2, ... (one per output), composed from the snapped
 * edges (every kept edge must be snapped) and simplified: constants rounded to `digits` significant
 * digits (default 4) and snapped to integers, simple fractions and multiples of pi where within
 * rounding (see formula.ts). `raw` is the composition before simplification, at full precision.
 */
export function symbolicFormula(model: Kan, options: { digits?: number } = {}): { formulas: string[]; raw: string[] } {
  let nodes = Array.from({ length: model.width[0] }, (_, i) => `x${i + 1}`);
  for (let l = 0; l < model.depth; l++) {
    const nIn = model.width[l], nOut = model.width[l + 1];
    const { affine } = model.layerLayout(l);
    const next: string[] = [];
    for (let j = 0; j < nOut; j++) {
      const terms: string[] = [];
      for (let i = 0; i < nIn; i++) {
        const e = i * nOut + j;
        if (model.masks[l][e] === 0) continue;
        const name = model.symbolic[l][e];
        if (name === null) throw new Error(`symbolicFormula: edge (layer ${l}, ${i} -> ${j}) is still a spline; snap it first (autoSymbolic or fixSymbolic)`);
        if (name === '0') continue;
        const [a, b, c, d] = model.theta.subarray(affine + 4 * e, affine + 4 * e + 4);
        const u = `${numberText(a)}*(${nodes[i]}) + ${numberText(b)}`;
        terms.push(`${numberText(c)}*${SYMBOLIC_FUNCTIONS[name].print(u)} + ${numberText(d)}`);
      }
      next.push(terms.length ? terms.join(' + ') : '0');
    }
    nodes = next;
  }
  const digits = options.digits ?? 4;
  return { raw: nodes, formulas: nodes.map((t) => formatFormula(simplify(parseFormula(t), { digits }))) };
}
