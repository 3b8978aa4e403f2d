/**
 * Knot invariants of closed braids, the ground truth of "Learning to Unknot" (NN-QFT triangle talk,
 * first half: "The Prior at Low Crossing Numbers", where the Jones polynomial labels the knots),
 * each by two independent algorithms:
 *
 * Jones polynomial. The Kauffman bracket <D> with <crossing> = A <smoothing 0> + A^-1 <smoothing inf>
 * and loop value d = -A^2 - A^-2, normalised <O> = 1; V(t) = (-A^3)^(-w) <D> at A = t^(-1/4), w the
 * writhe. Route 1 (`jonesPolynomial`): the braid as an element of the Temperley-Lieb algebra,
 * sigma_i = A 1 + A^-1 e_i, multiplied letter by letter in the basis of planar matchings (size the
 * Catalan number of the strands: polynomial in the crossings at fixed strands), then the Markov trace
 * d^(loops - 1). Route 2 (`jonesStateSum`): the 2^c states summed directly, loops counted by union-find
 * on the closed diagram (exponential; a cross-check). With these conventions the closure of sigma_1^3
 * has V = t + t^3 - t^4 and the unknot V = 1.
 *
 * Alexander polynomial, Conway-normalised (Delta(t) = Delta(1/t) up to the sign (-1)^(components - 1),
 * Delta(1) = 1 for knots, Delta = t^(1/2) - t^(-1/2) for the positive Hopf link). Route 1
 * (`alexanderPolynomial`): the reduced Burau representation, Delta(t^-1) = (t^(1/2) - t^(-1/2)) /
 * (t^(n/2) - t^(-n/2)) t^(-e/2) det(I - B(beta)) with e the exponent sum. Route 2 (`alexanderFox`): the
 * Fox Jacobian of the Artin action (the unreduced Burau matrices), det of (J - I) with the last row and
 * column deleted, normalised only up to sign and powers of t (compared after normalising).
 */
import { Braid, randomKnotWord, writhe } from './braid';
import { Laurent } from './laurent';

// ---------------------------------------------------------------------------------------------
// Temperley-Lieb diagrams: a perfect matching of 2n points, top 0..n-1 and bottom n..2n-1.

type Diagram = Int32Array;

function identityDiagram(n: number): Diagram {
  const m = new Int32Array(2 * n);
  for (let p = 0; p < n; p++) {
    m[p] = n + p;
    m[n + p] = p;
  }
  return m;
}

/** e_i (0-based i): top i joined to top i+1, bottom i to bottom i+1, the rest straight through. */
function cupCap(n: number, i: number): Diagram {
  const m = identityDiagram(n);
  m[i] = i + 1;
  m[i + 1] = i;
  m[n + i] = n + i + 1;
  m[n + i + 1] = n + i;
  return m;
}

/**
 * D1 stacked above D2 (D1's bottom glued to D2's top): the resulting matching and the closed loops
 * formed in the middle. Nodes 0..2n-1 are D1's points, 2n..4n-1 D2's; outer nodes are D1's top and
 * D2's bottom; a path alternates matching edges and glue edges (D1 bottom p = D2 top p).
 */
function compose(d1: Diagram, d2: Diagram, n: number): { diagram: Diagram; loops: number } {
  const match = (x: number): number => (x < 2 * n ? d1[x] : 2 * n + d2[x - 2 * n]);
  const glue = (x: number): number => (x < 2 * n ? 2 * n + (x - n) : n + (x - 2 * n)); // only for inner nodes
  const inner = (x: number): boolean => x >= n && x < 3 * n;
  const outerIndex = (x: number): number => (x < n ? x : n + (x - 3 * n)); // result index of an outer node
  const seen = new Uint8Array(4 * n);
  const out = new Int32Array(2 * n).fill(-1);
  for (const x of [...Array.from({ length: n }, (_, p) => p), ...Array.from({ length: n }, (_, p) => 3 * n + p)]) {
    if (seen[x]) continue;
    seen[x] = 1;
    let y = match(x);
    while (inner(y)) {
      seen[y] = 1;
      const z = glue(y);
      seen[z] = 1;
      y = match(z);
    }
    seen[y] = 1;
    out[outerIndex(x)] = outerIndex(y);
    out[outerIndex(y)] = outerIndex(x);
  }
  let loops = 0;
  for (let x = n; x < 3 * n; x++) {
    if (seen[x]) continue;
    loops++;
    let y = x;
    while (!seen[y]) {
      seen[y] = 1;
      const z = glue(y);
      seen[z] = 1;
      y = match(z);
    }
  }
  return { diagram: out, loops };
}

/** Loops of the Markov closure of a diagram (top p joined to bottom p). */
function closureLoops(d: Diagram, n: number): number {
  const seen = new Uint8Array(2 * n);
  let loops = 0;
  for (let start = 0; start < 2 * n; start++) {
    if (seen[start]) continue;
    loops++;
    let p = start;
    while (!seen[p]) {
      seen[p] = 1;
      const q = d[p];
      seen[q] = 1;
      p = q < n ? q + n : q - n; // across the closure arc
    }
  }
  return loops;
}

/** d = -A^2 - A^-2 (the value of a closed loop). */
const LOOP = Laurent.of(-2, [-1, 0, 0, 0, -1]);

/** The Kauffman bracket of the closure (normalised <O> = 1), as a Laurent polynomial in A, by the Temperley-Lieb algebra. */
export function kauffmanBracket(b: Braid): Laurent {
  const n = b.strands;
  let element = new Map<string, { d: Diagram; c: Laurent }>([[identityDiagram(n).join(','), { d: identityDiagram(n), c: Laurent.ONE }]]);
  const loopPowers: Laurent[] = [Laurent.ONE];
  const loopPow = (k: number) => {
    while (loopPowers.length <= k) loopPowers.push(loopPowers[loopPowers.length - 1].mul(LOOP));
    return loopPowers[k];
  };
  for (const g of b.word) {
    const i = Math.abs(g) - 1;
    const e = cupCap(n, i);
    const aId = Laurent.monomial(1, g > 0 ? 1 : -1);
    const aE = Laurent.monomial(1, g > 0 ? -1 : 1);
    const next = new Map<string, { d: Diagram; c: Laurent }>();
    const addTo = (d: Diagram, c: Laurent) => {
      const key = d.join(',');
      const cur = next.get(key);
      const sum = cur ? cur.c.add(c) : c;
      if (sum.isZero) next.delete(key);
      else next.set(key, { d, c: sum });
    };
    for (const { d, c } of element.values()) {
      addTo(d, c.mul(aId));
      const { diagram, loops } = compose(d, e, n);
      addTo(diagram, c.mul(aE).mul(loopPow(loops)));
    }
    element = next;
  }
  let total = Laurent.ZERO;
  for (const { d, c } of element.values()) total = total.add(c.mul(loopPow(closureLoops(d, n) - 1)));
  return total;
}

/** V(t) from the bracket: (-A^3)^(-w) <D> at A = t^(-1/4); returned in the variable t^(1/4) (exponent k means t^(k/4)). */
function jonesFromBracket(bracket: Laurent, w: number): Laurent {
  const framing = Laurent.monomial(w % 2 === 0 ? 1 : -1, -3 * w); // (-A^3)^(-w)
  return bracket.mul(framing).substitutePower(-1);
}

/** The Jones polynomial of the closure in the variable t^(1/4) (use `toRecord(4)` for exponents of t), by the Temperley-Lieb algebra. */
export function jonesPolynomial(b: Braid): Laurent {
  return jonesFromBracket(kauffmanBracket(b), writhe(b));
}

/** The same by the state sum over all 2^c smoothings (union-find loop count): the independent cross-check. */
export function jonesStateSum(b: Braid): Laurent {
  const n = b.strands;
  const c = b.word.length;
  if (c > 24) throw new RangeError(`jonesStateSum: 2^${c} states are too many (at most 24 crossings)`);
  // Points (level k, position p), k = 0..c-1; level c is level 0 (the closure).
  const id = (k: number, p: number) => (k % c) * n + p;
  const parent = new Int32Array(Math.max(1, c) * n);
  const find = (x: number): number => {
    while (parent[x] !== x) x = parent[x] = parent[parent[x]];
    return x;
  };
  const counts = new Map<number, bigint>(); // exponent of A -> count of states, weighted by d^(loops-1) later
  let total = Laurent.ZERO;
  const loopPowers: Laurent[] = [Laurent.ONE];
  const loopPow = (k: number) => {
    while (loopPowers.length <= k) loopPowers.push(loopPowers[loopPowers.length - 1].mul(LOOP));
    return loopPowers[k];
  };
  if (c === 0) return jonesFromBracket(loopPow(n - 1), 0);
  for (let state = 0; state < 2 ** c; state++) {
    for (let x = 0; x < parent.length; x++) parent[x] = x;
    let aPower = 0;
    for (let k = 0; k < c; k++) {
      const g = b.word[k];
      const i = Math.abs(g) - 1;
      const horizontal = ((state >> k) & 1) === 1;
      aPower += (horizontal ? -1 : 1) * Math.sign(g);
      for (let p = 0; p < n; p++) {
        if (p === i || p === i + 1) continue;
        parent[find(id(k, p))] = find(id(k + 1, p));
      }
      if (horizontal) {
        parent[find(id(k, i))] = find(id(k, i + 1));
        parent[find(id(k + 1, i))] = find(id(k + 1, i + 1));
      } else {
        parent[find(id(k, i))] = find(id(k + 1, i));
        parent[find(id(k, i + 1))] = find(id(k + 1, i + 1));
      }
    }
    let loops = 0;
    for (let x = 0; x < c * n; x++) if (find(x) === x) loops++;
    counts.set(aPower * 1000 + loops, (counts.get(aPower * 1000 + loops) ?? 0n) + 1n);
  }
  for (const [key, count] of counts) {
    const loops = ((key % 1000) + 1000) % 1000;
    const aPower = (key - loops) / 1000;
    total = total.add(Laurent.monomial(count, aPower).mul(loopPow(loops - 1)));
  }
  return jonesFromBracket(total, writhe(b));
}

// ---------------------------------------------------------------------------------------------
// Alexander polynomial.

type Matrix = Laurent[][];

const T = Laurent.monomial(1, 1);
const T_INV = Laurent.monomial(1, -1);
const ONE = Laurent.ONE;
const ZERO = Laurent.ZERO;

function identity(n: number): Matrix {
  return Array.from({ length: n }, (_, r) => Array.from({ length: n }, (_, c) => (r === c ? ONE : ZERO)));
}

function matMul(a: Matrix, b: Matrix): Matrix {
  const n = a.length;
  return a.map((row) => Array.from({ length: n }, (_, c) => row.reduce((s, x, k) => (x.isZero || b[k][c].isZero ? s : s.add(x.mul(b[k][c]))), ZERO)));
}

/** Determinant by Laplace expansion over column subsets (memoised; fine for the small matrices here). */
function determinant(m: Matrix): Laurent {
  const n = m.length;
  if (n === 0) return ONE;
  const memo = new Map<number, Laurent>();
  const rec = (row: number, used: number): Laurent => {
    if (row === n) return ONE;
    const cached = memo.get(used);
    if (cached) return cached;
    let total = ZERO;
    let sign = 1;
    for (let c = 0; c < n; c++) {
      if (used & (1 << c)) continue;
      if (!m[row][c].isZero) {
        const term = m[row][c].mul(rec(row + 1, used | (1 << c)));
        total = sign > 0 ? total.add(term) : total.sub(term);
      }
      sign = -sign;
    }
    memo.set(used, total);
    return total;
  };
  return rec(0, 0);
}

/** Reduced Burau matrix of one letter on n strands ((n-1) x (n-1)). */
function reducedBurau(g: number, n: number): Matrix {
  const m = identity(n - 1);
  const i = Math.abs(g) - 1; // 0-based generator index; rows/cols 0..n-2
  if (n === 2) {
    m[0][0] = g > 0 ? T.neg() : T_INV.neg();
    return m;
  }
  if (g > 0) {
    if (i > 0) m[i][i - 1] = T;
    m[i][i] = T.neg();
    if (i + 1 < n - 1) m[i][i + 1] = ONE;
  } else {
    if (i > 0) m[i][i - 1] = ONE;
    m[i][i] = T_INV.neg();
    if (i + 1 < n - 1) m[i][i + 1] = T_INV;
  }
  return m;
}

/** Unreduced Burau matrix of one letter (the abelianised Fox Jacobian of the Artin action on the free group). */
function unreducedBurau(g: number, n: number): Matrix {
  const m = identity(n);
  const i = Math.abs(g) - 1;
  if (g > 0) {
    // x_i -> x_i x_(i+1) x_i^-1, x_(i+1) -> x_i
    m[i][i] = ONE.sub(T);
    m[i][i + 1] = T;
    m[i + 1][i] = ONE;
    m[i + 1][i + 1] = ZERO;
  } else {
    // x_i -> x_(i+1), x_(i+1) -> x_(i+1)^-1 x_i x_(i+1)
    m[i][i] = ZERO;
    m[i][i + 1] = ONE;
    m[i + 1][i] = T_INV;
    m[i + 1][i + 1] = ONE.sub(T_INV);
  }
  return m;
}

/** Shift to the symmetric representative (exponents in half-units: variable t^(1/2)). */
function symmetric(p: Laurent): Laurent {
  if (p.isZero) return p;
  return p.shift(-(p.low + p.high) / 2);
}

/**
 * The Conway-normalised Alexander polynomial of the closure, in the variable t^(1/2) (exponent k means
 * t^(k/2); use `toRecord(2)`), by the reduced Burau representation (see the module comment).
 */
export function alexanderPolynomial(b: Braid): Laurent {
  const n = b.strands;
  if (n === 1) return ONE;
  let B = identity(n - 1);
  for (const g of b.word) B = matMul(B, reducedBurau(g, n));
  const IminusB = B.map((row, r) => row.map((x, c) => (r === c ? ONE.sub(x) : x.neg())));
  const det = determinant(IminusB).substitutePower(2); // in s = t^(1/2)
  const e = writhe(b);
  // (s - 1/s) s^(-e) det / (s^n - s^-n), then s -> 1/s.
  const numerator = det.mul(Laurent.of(-1, [-1, 0, 1])).shift(-e);
  const denominator = Laurent.of(-n, [-1, ...new Array<number>(2 * n - 1).fill(0), 1]);
  return numerator.divExact(denominator).substitutePower(-1);
}

/**
 * The Alexander polynomial by Fox calculus: the (n-1) x (n-1) minor of J - I, J the product of the
 * unreduced Burau (Fox Jacobian) matrices; normalised to the symmetric representative with a positive
 * value at t = 1 for knots (for links, up to sign). Variable t^(1/2) as `alexanderPolynomial`.
 */
export function alexanderFox(b: Braid): Laurent {
  const n = b.strands;
  if (n === 1) return ONE;
  let J = identity(n);
  for (const g of b.word) J = matMul(J, unreducedBurau(g, n));
  const minor = J.slice(0, n - 1).map((row, r) => row.slice(0, n - 1).map((x, c) => (r === c ? x.sub(ONE) : x)));
  let p = symmetric(determinant(minor).substitutePower(2));
  if (p.atOne() < 0n) p = p.neg();
  return p;
}

/**
 * A random non-trivial knot on n strands with `length` letters: `randomKnotWord` redrawn while its
 * Jones polynomial is 1 (the talk labels its prior by the Jones polynomial; no non-trivial knot with
 * V = 1 is known).
 */
export function randomKnot(rng: import('../core/random').Rng, strands: number, length: number): Braid {
  for (let tries = 0; tries < 100_000; tries++) {
    const b = randomKnotWord(rng, strands, length);
    if (!jonesPolynomial(b).equals(Laurent.ONE)) return b;
  }
  throw new Error(`randomKnot: no knotted word of length ${length} on ${strands} strands found`);
}
