/**
 * Feynman rules for the effective action of a finite-width network ensemble (the NN-QFT picture).
 *
 * The ensemble is modelled as a Gaussian process with kernel K (the free propagator) deformed by
 * interactions, P[f] ~ exp(-S_GP[f] - sum_k g_k O_k[f]), each O_k an integral of a product of fields
 * over the cutoff box [-L, L]^d_in. Expanding exp(-sum g O) in the couplings, an n-point function
 * is a sum of Gaussian expectations, i.e. of Wick contractions. This module *generates* them:
 *
 * 1. Every perfect matching of the legs (n external points plus the legs of every vertex) is a
 *    labelled diagram; there is no hand-written list of diagrams or coefficients anywhere.
 * 2. Diagrams with a vacuum bubble (a component without external points) cancel against the
 *    normalisation Z and are dropped.
 * 3. Optionally (default on, "rule 4.5" of the NN-QFT talk) diagrams containing a correction to the
 *    2-point function are dropped: a connected set of vertices joined to the rest of the diagram by
 *    exactly two lines. This is right when K is the exact 2-point function at every width, as for
 *    the single-layer nets of the library.
 * 4. Labelled diagrams that are the same integral after renaming integration variables are merged;
 *    the count of matchings is the combinatorial factor, times (-1)^V / prod_k m_k! from the
 *    exponential (m_k vertices of interaction k).
 *
 * Symmetry factors: the interactions here carry no 1/k! (g int f^k, as in the NN-QFT talk), so a
 * diagram's `coefficient` is the signed count itself. In the textbook normalisation (g/k!) int f^k
 * the same term reads (-1)^V g^V / S with the symmetry factor
 *   S = prod_k m_k! (k!)^(m_k) / contractions
 * (e.g. the tree-level 4-point vertex: 4! matchings, S = 1; the 4-point diagram with one quartic
 * vertex and a self-loop at the 2-point level: S = 2). `symmetryFactor(d)` gives S for local
 * vertices, and tests/feynman.test.ts checks it against the textbook values.
 *
 * An interaction is a list of legs at one or more points of the vertex (`points` > 1 gives a
 * non-local vertex, integrated over each point), each leg optionally carrying a derivative
 * d/dy_mu whose index mu is summed with the other leg of the same `derivative` pair.
 *
 * Conventions: G^(n)(x_1..x_n) = <f(x_1) ... f(x_n)>, full (not connected) unless `connected` is
 * asked for; the coefficient of a term is exactly what multiplies its product of couplings.
 */
import { BoxOptions, integrateBox } from '../statistics/quadrature';
import { sortedTuples as sortedTuplesOf } from '../statistics/tuples';
import { fail } from '../core/validate';

/** One leg of a vertex: at which of the vertex's points it sits, and its derivative pair (if any). */
export interface Leg {
  readonly point: number;
  /** Legs with the same non-negative `derivative` carry d/dy_mu with one summed mu. */
  readonly derivative?: number;
}

/** A term g integral O of the action: its coupling's name, its points and legs. */
export interface Interaction {
  readonly coupling: string;
  /** Number of integration points of the vertex (1: local). */
  readonly points: number;
  readonly legs: readonly Leg[];
  /** How it is written, for display (e.g. "lambda int f^4"). */
  readonly description: string;
  /**
   * A position-dependent weight w(y_0, y_1, ...) multiplying the vertex under its integrals (for
   * g int w(y) f^k); absent means 1. It changes the integrals, not the combinatorics.
   */
  readonly weight?: (points: readonly (readonly number[])[]) => number;
}

/** The local interaction g integral f^k (the NN-QFT talk's Delta S: lambda f^4, kappa f^6, ...). */
export function localInteraction(coupling: string, power: number): Interaction {
  if (!Number.isInteger(power) || power < 1) fail('localInteraction', 'power', 'a positive integer', power);
  return { coupling, points: 1, legs: Array.from({ length: power }, () => ({ point: 0 })), description: `${coupling} int f^${power}` };
}

/**
 * The quartic interaction with two derivatives, g integral f^2 (d f . d f): one reading of the
 * NN-QFT talk's lambda_2.
 */
export function derivativeQuartic(coupling: string): Interaction {
  return { coupling, points: 1, legs: [{ point: 0 }, { point: 0 }, { point: 0, derivative: 0 }, { point: 0, derivative: 0 }], description: `${coupling} int f^2 (df . df)` };
}

/**
 * The quartic weighted by the squared distance from the origin, g integral |y|^2 f^4: the public
 * NN-QFT code's "lambda_2" (its local2 integral), which breaks translation invariance.
 */
export function radialQuartic(coupling: string): Interaction {
  const weight = (points: readonly (readonly number[])[]) => points[0].reduce((s, c) => s + c * c, 0);
  return { ...localInteraction(coupling, 4), weight, description: `${coupling} int |y|^2 f^4` };
}

/**
 * The non-local quartic g integral integral f(y)^2 f(z)^2 (both points over the box): the NN-QFT
 * talk's lambda_NL.
 */
export function nonLocalQuartic(coupling: string): Interaction {
  return { coupling, points: 2, legs: [{ point: 0 }, { point: 0 }, { point: 1 }, { point: 1 }], description: `${coupling} int int f(y)^2 f(z)^2` };
}

/**
 * An end of a propagator: external point `ext` (0-based), or vertex `vertex`'s point `point` with
 * the derivative pair `derivative` (-1: none).
 */
export type End = ExternalEnd | VertexEnd;
export interface ExternalEnd {
  readonly ext: number;
}
export interface VertexEnd {
  readonly vertex: number;
  readonly point: number;
  readonly derivative: number;
}

/** A propagator K(a, b), with derivatives where an end carries one. */
export type Line = readonly [End, End];

/** A term of an n-point function: coefficient x integral over the vertices of the product of lines. */
export interface Diagram {
  /** Combinatorial factor with the sign and 1/m! of the expansion: the term is coefficient * prod(couplings) * integral. */
  readonly coefficient: number;
  /** The vertices' interactions, in order (vertex v is `vertices[v]`). */
  readonly vertices: readonly Interaction[];
  readonly lines: readonly Line[];
  /** Number of labelled Wick contractions it stands for. */
  readonly contractions: number;
}

export interface DiagramOptions {
  /** Drop diagrams with a 2-point-function correction (default true: K is the exact 2-point function). */
  dropTwoPointCorrections?: boolean;
  /** Keep only diagrams in which every external point is connected to every other (default false). */
  connected?: boolean;
}

function isExt(e: End): e is ExternalEnd {
  return 'ext' in e;
}

function endKey(e: End): string {
  return isExt(e) ? `x${e.ext}` : `v${e.vertex}.${e.point}${e.derivative >= 0 ? 'd' + e.derivative : ''}`;
}

function lineKey(l: Line): string {
  const a = endKey(l[0]);
  const b = endKey(l[1]);
  return a < b ? `${a}-${b}` : `${b}-${a}`;
}

/** All permutations of 0..n-1. */
function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  const out: number[][] = [];
  for (const p of permutations(n - 1)) for (let i = 0; i <= p.length; i++) out.push([...p.slice(0, i), n - 1, ...p.slice(i)]);
  return out;
}

/**
 * Renamings of integration variables that leave the set of vertices unchanged: permutations of
 * vertices with the same interaction, and of points within a vertex whose legs look alike.
 */
function relabellings(vertices: readonly Interaction[]): ((e: End) => End)[] {
  const vertexPerms = permutations(vertices.length).filter((p) => p.every((q, v) => vertices[q] === vertices[v]));
  const pointPerms = vertices.map((inter) => {
    const signature = (pt: number) =>
      inter.legs
        .filter((l) => l.point === pt)
        .map((l) => l.derivative ?? -1)
        .sort()
        .join(',');
    return permutations(inter.points).filter((p) => p.every((q, pt) => signature(q) === signature(pt)));
  });
  const out: ((e: End) => End)[] = [];
  const choose = (v: number, chosen: number[][]) => {
    if (v === vertices.length) {
      for (const vp of vertexPerms) {
        out.push((e) => (isExt(e) ? e : { vertex: vp[e.vertex], point: chosen[e.vertex][e.point], derivative: e.derivative }));
      }
      return;
    }
    for (const pp of pointPerms[v]) choose(v + 1, [...chosen, pp]);
  };
  choose(0, []);
  return out;
}

/** Connected components of the graph whose nodes are external points and vertices. */
function components(n: number, vertexCount: number, lines: readonly Line[]): number[] {
  const parent = Array.from({ length: n + vertexCount }, (_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  const node = (e: End) => (isExt(e) ? e.ext : n + e.vertex);
  for (const [a, b] of lines) parent[find(node(a))] = find(node(b));
  return parent.map((_, i) => find(i));
}

/**
 * Whether some connected set of vertices meets the rest of the diagram in exactly two line ends
 * (a self-energy insertion) or in none (a vacuum bubble).
 */
function hasInsertion(vertexCount: number, lines: readonly Line[]): { bubble: boolean; twoPoint: boolean } {
  let bubble = false;
  let twoPoint = false;
  for (let mask = 1; mask < 1 << vertexCount; mask++) {
    const inside = Array.from({ length: vertexCount }, (_, v) => ((mask >> v) & 1) === 1);
    // connected within itself?
    const members = inside.flatMap((b, v) => (b ? [v] : []));
    const reached = new Set([members[0]]);
    let grew = true;
    while (grew) {
      grew = false;
      for (const [a, b] of lines) {
        if (isExt(a) || isExt(b) || !inside[a.vertex] || !inside[b.vertex]) continue;
        if (reached.has(a.vertex) !== reached.has(b.vertex)) {
          reached.add(a.vertex);
          reached.add(b.vertex);
          grew = true;
        }
      }
    }
    if (reached.size !== members.length) continue;
    let leaving = 0;
    for (const [a, b] of lines) if ((!isExt(a) && inside[a.vertex]) !== (!isExt(b) && inside[b.vertex])) leaving++;
    if (leaving === 0) bubble = true;
    if (leaving === 2) twoPoint = true;
  }
  return { bubble, twoPoint };
}

/**
 * The diagrams of the n-point function at the order given by `vertices` (one entry per vertex:
 * [phi4] is first order in its coupling, [phi4, phi4] second order), generated from Wick's theorem
 * by the NN-QFT talk's Feynman rules 1)-7) (4.5 optional); at first order in lambda and kappa they
 * are its eqs. (3.17)-(3.19). With no vertices: the Gaussian (free) terms.
 */
export function generateDiagrams(n: number, vertices: readonly Interaction[], options: DiagramOptions = {}): Diagram[] {
  if (!Number.isInteger(n) || n < 0) fail('generateDiagrams', 'n', 'a non-negative integer', n);
  const dropTwoPoint = options.dropTwoPointCorrections ?? true;
  const ends: End[] = [];
  for (let i = 0; i < n; i++) ends.push({ ext: i });
  vertices.forEach((inter, v) => inter.legs.forEach((leg) => ends.push({ vertex: v, point: leg.point, derivative: leg.derivative ?? -1 })));
  if (ends.length % 2 === 1) return [];
  if (ends.length > 16) fail('generateDiagrams', 'n + legs', 'at most 16 (15!! matchings)', ends.length);
  const relabel = relabellings(vertices);
  const merged = new Map<string, { lines: Line[]; count: number }>();
  const used = new Array<boolean>(ends.length).fill(false);
  const current: Line[] = [];

  const accept = () => {
    const lines = current.slice();
    // Vacuum bubbles and 2-point insertions, judged on vertex subsets.
    const { bubble, twoPoint } = hasInsertion(vertices.length, lines);
    if (bubble || (dropTwoPoint && twoPoint)) return;
    if (options.connected && n > 0) {
      const comp = components(n, vertices.length, lines);
      if (comp.slice(0, n).some((c) => c !== comp[0])) return;
    }
    // Canonical form: the smallest sorted line list over renamings of integration variables.
    let best = '';
    let bestLines: Line[] = lines;
    for (const r of relabel) {
      const renamed = lines.map((l) => [r(l[0]), r(l[1])] as Line);
      const key = renamed.map(lineKey).sort().join(' ');
      if (best === '' || key < best) {
        best = key;
        bestLines = renamed;
      }
    }
    const entry = merged.get(best);
    if (entry) entry.count++;
    else merged.set(best, { lines: bestLines, count: 1 });
  };

  const match = () => {
    const first = used.indexOf(false);
    if (first < 0) return accept();
    used[first] = true;
    for (let j = first + 1; j < ends.length; j++) {
      if (used[j]) continue;
      used[j] = true;
      current.push([ends[first], ends[j]]);
      match();
      current.pop();
      used[j] = false;
    }
    used[first] = false;
  };
  match();

  // (-1)^V / prod_k m_k!: the expansion of exp(-sum_k g_k O_k).
  const multiplicity = new Map<Interaction, number>();
  for (const inter of vertices) multiplicity.set(inter, (multiplicity.get(inter) ?? 0) + 1);
  let prefactor = vertices.length % 2 === 0 ? 1 : -1;
  for (const m of multiplicity.values()) for (let k = 2; k <= m; k++) prefactor /= k;
  return [...merged.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([, { lines, count }]) => ({ coefficient: prefactor * count, vertices, lines: lines.map((l) => [l[0], l[1]] as Line).sort((a, b) => (lineKey(a) < lineKey(b) ? -1 : 1)), contractions: count }));
}

/**
 * The textbook symmetry factor S of a diagram, for interactions normalised as (g/k!) int f^k with k
 * legs: S = prod_k m_k! (k!)^(m_k) / contractions, so that the term is (-1)^V prod g / S times its
 * integral (see the module comment; m_k vertices of interaction k).
 */
export function symmetryFactor(d: Diagram): number {
  const multiplicity = new Map<Interaction, number>();
  for (const inter of d.vertices) multiplicity.set(inter, (multiplicity.get(inter) ?? 0) + 1);
  let s = 1;
  for (const [inter, m] of multiplicity) {
    for (let k = 2; k <= m; k++) s *= k;
    for (let k = 2; k <= inter.legs.length; k++) s *= k ** m;
  }
  return s / d.contractions;
}

/** A readable form of a diagram: "-24 int dy K(x1,y) K(x2,y) K(x3,y) K(x4,y)". */
export function describeDiagram(d: Diagram): string {
  const name = (e: End) => {
    if (isExt(e)) return `x${e.ext + 1}`;
    const base = 'yzuvw'[e.vertex] ?? `y${e.vertex}`;
    const pt = d.vertices[e.vertex].points > 1 ? `${base}${e.point + 1}` : base;
    return e.derivative >= 0 ? `d${pt}` : pt;
  };
  const vars = d.vertices.flatMap((inter, v) => Array.from({ length: inter.points }, (_, p) => name({ vertex: v, point: p, derivative: -1 })));
  const integral = vars.length ? `int ${vars.map((v) => 'd' + v).join(' ')} ` : '';
  const couplings = d.vertices.map((inter) => inter.coupling).join(' ');
  return `${d.coefficient} ${couplings ? couplings + ' ' : ''}${integral}${d.lines.map(([a, b]) => `K(${name(a)},${name(b)})`).join(' ')}`.trim();
}

// ---------------------------------------------------------------------------------------------
// Evaluating diagrams: integrate the vertices over the cutoff box, for every input tuple.

/** A propagator on R^dIn (any kernel of the library, or the user's). */
export type Propagator = (x: readonly number[], y: readonly number[]) => number;

/** Values of a sum of diagrams at every sorted tuple of input indices (see `sortedTuples`). */
export interface DiagramValues {
  readonly tuples: readonly (readonly number[])[];
  readonly value: Float64Array;
  /** Integration error estimate (adaptive) or standard error (QMC); zeros without vertices. */
  readonly error: Float64Array;
  readonly method: 'none' | 'adaptive' | 'qmc';
  readonly evaluations: number;
}

export interface EvaluateOptions extends BoxOptions {
  /** Step of the central differences for derivative legs (default 1e-4 relative to scale 1). */
  derivativeStep?: number;
}

/**
 * Derivative of K(u, v) in direction du of u and/or dv of v (-1: none), by central differences.
 */
function kernelDerivative(K: Propagator, u: readonly number[], v: readonly number[], du: number, dv: number, h: number): number {
  if (du < 0 && dv < 0) return K(u, v);
  const shifted = (w: readonly number[], dir: number, by: number) => w.map((c, j) => (j === dir ? c + by : c));
  if (du >= 0 && dv < 0) return (K(shifted(u, du, h), v) - K(shifted(u, du, -h), v)) / (2 * h);
  if (du < 0) return (K(u, shifted(v, dv, h)) - K(u, shifted(v, dv, -h))) / (2 * h);
  const H = Math.sqrt(h); // second derivative: balance truncation against rounding
  const f = (a: number, b: number) => K(shifted(u, du, a), shifted(v, dv, b));
  return (f(H, H) - f(H, -H) - f(-H, H) + f(-H, -H)) / (4 * H * H);
}

/** One factor of a compiled term: an external pair, an external-vertex line, or a vertex-vertex line. */
type Factor = { kind: 'xx'; a: number; b: number } | { kind: 'xv'; a: number; p: number; dir: number } | { kind: 'vv'; slot: number };

interface CompiledTerm {
  coefficient: number;
  factors: Factor[];
}

/**
 * Sum of `diagrams` (all with the same vertices and n external points) at every sorted n-tuple of
 * `inputs`, with the vertices integrated over [-cutoff, cutoff]^dIn: the NN-QFT talk's rules 5)-6)
 * (a coupling integral per vertex, K per line) with its hard cutoff S -> S_Lambda.
 */
export function evaluateDiagrams(diagrams: readonly Diagram[], n: number, kernel: Propagator, inputs: readonly (readonly number[])[], cutoff: number, options: EvaluateOptions = {}): DiagramValues {
  const P = inputs.length;
  const dIn = inputs[0]?.length ?? 0;
  if (!P || inputs.some((x) => x.length !== dIn || x.some((c) => !Number.isFinite(c)))) fail('evaluateDiagrams', 'inputs', 'points of one dimension with finite coordinates', inputs);
  if (!(cutoff > 0)) fail('evaluateDiagrams', 'cutoff', 'a positive number', cutoff);
  const tuples = sortedTuplesOf(P, n);
  const vertices = diagrams[0]?.vertices ?? [];
  if (diagrams.some((d) => d.vertices.length !== vertices.length || d.vertices.some((v, i) => v !== vertices[i]))) {
    fail('evaluateDiagrams', 'diagrams', 'diagrams of one order (the same vertices)', diagrams.length);
  }
  // Integration points: vertex v's point p is point index pointBase[v] + p.
  const pointBase: number[] = [];
  let points = 0;
  for (const inter of vertices) {
    pointBase.push(points);
    points += inter.points;
  }
  const h = options.derivativeStep ?? 1e-4;

  // Compile: expand summed derivative indices into terms; vertex-vertex lines get slots.
  const vvSlots: { p: number; q: number; dp: number; dq: number }[] = [];
  const slotOf = (p: number, q: number, dp: number, dq: number) => {
    let k = vvSlots.findIndex((s) => s.p === p && s.q === q && s.dp === dp && s.dq === dq);
    if (k < 0) k = vvSlots.push({ p, q, dp, dq }) - 1;
    return k;
  };
  let needsGradient = false;
  const compiled: CompiledTerm[] = [];
  for (const d of diagrams) {
    const pairs = [...new Set(d.lines.flatMap((l) => l.flatMap((e) => (!isExt(e) && e.derivative >= 0 ? [`${e.vertex}:${e.derivative}`] : []))))];
    const assignments = cartesian(pairs.length, dIn);
    for (const mus of assignments) {
      const dirOf = (e: VertexEnd) => (e.derivative >= 0 ? mus[pairs.indexOf(`${e.vertex}:${e.derivative}`)] : -1);
      const factors: Factor[] = d.lines.map(([a, b]) => {
        if (isExt(a) && isExt(b)) return { kind: 'xx', a: a.ext, b: b.ext };
        if (isExt(a) || isExt(b)) {
          const x = (isExt(a) ? a : b) as ExternalEnd;
          const v = (isExt(a) ? b : a) as VertexEnd;
          const dir = dirOf(v);
          if (dir >= 0) needsGradient = true;
          return { kind: 'xv', a: x.ext, p: pointBase[v.vertex] + v.point, dir };
        }
        return { kind: 'vv', slot: slotOf(pointBase[a.vertex] + a.point, pointBase[b.vertex] + b.point, dirOf(a), dirOf(b)) };
      });
      compiled.push({ coefficient: d.coefficient, factors });
    }
  }

  const Kxx = inputs.map((x) => inputs.map((y) => kernel(x, y)));
  // xv[p][dir + 1][a]: K(x_a, y_p) and its derivatives in y_p.
  const xv = Array.from({ length: points }, () => Array.from({ length: dIn + 1 }, () => new Float64Array(P)));
  const vv = new Float64Array(vvSlots.length);
  const out = new Float64Array(tuples.length);
  const integrand = (point: readonly number[]): Float64Array => {
    const ys = Array.from({ length: points }, (_, p) => point.slice(p * dIn, (p + 1) * dIn));
    let weight = 1;
    vertices.forEach((inter, v) => inter.weight && (weight *= inter.weight(ys.slice(pointBase[v], pointBase[v] + inter.points))));
    for (let p = 0; p < points; p++) {
      for (let a = 0; a < P; a++) {
        xv[p][0][a] = kernel(inputs[a], ys[p]);
        if (needsGradient) for (let mu = 0; mu < dIn; mu++) xv[p][mu + 1][a] = kernelDerivative(kernel, inputs[a], ys[p], -1, mu, h);
      }
    }
    vvSlots.forEach((s, k) => (vv[k] = kernelDerivative(kernel, ys[s.p], ys[s.q], s.dp, s.dq, h)));
    for (let t = 0; t < tuples.length; t++) {
      const tuple = tuples[t];
      let total = 0;
      for (const term of compiled) {
        let prod = term.coefficient;
        for (const f of term.factors) {
          prod *= f.kind === 'xx' ? Kxx[tuple[f.a]][tuple[f.b]] : f.kind === 'xv' ? xv[f.p][f.dir + 1][tuple[f.a]] : vv[f.slot];
        }
        total += prod;
      }
      out[t] = weight * total;
    }
    return out;
  };
  if (points === 0) {
    const value = Float64Array.from(integrand([]));
    return { tuples, value, error: new Float64Array(tuples.length), method: 'none', evaluations: 1 };
  }
  const r = integrateBox(integrand, points * dIn, cutoff, tuples.length, options);
  return { tuples, value: r.value, error: r.error, method: r.method, evaluations: r.evaluations };
}

/** All assignments of `count` indices each in 0..range-1. */
function cartesian(count: number, range: number): number[][] {
  let out: number[][] = [[]];
  for (let i = 0; i < count; i++) out = out.flatMap((a) => Array.from({ length: range }, (_, r) => [...a, r]));
  return out;
}
