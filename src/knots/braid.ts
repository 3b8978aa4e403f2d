/**
 * Braids as words (NN-QFT triangle talk, first half, "Learning to Unknot": "Artin Braid Group",
 * "Braid Equivalence", "Knot Equivalence"). A braid on n strands is a word in the generators
 * sigma_1 .. sigma_(n-1) and their inverses: the letter i > 0 is sigma_i (strand i crosses over strand
 * i + 1, a positive crossing of the closure with strands oriented the same way), -i is its inverse.
 * Closing the braid (joining top to bottom) gives a knot or link; two words close to the same link
 * exactly when they are related by the braid relations and the Markov moves (Markov's theorem):
 *   BR1  sigma_i sigma_j = sigma_j sigma_i for |i - j| > 1 (far commutation),
 *   BR2  sigma_i sigma_(i+1) sigma_i = sigma_(i+1) sigma_i sigma_(i+1),
 *   M1   w -> g w g^(-1) (conjugation),
 *   M2   w -> w sigma_n^(+-1) on n + 1 strands (stabilisation), and its inverse.
 */
import { Rng } from '../core/random';
import { checkPositiveInteger, fail } from '../core/validate';

/** A braid word on `strands` strands (letters +-1 .. +-(strands - 1)). */
export interface Braid {
  readonly strands: number;
  readonly word: readonly number[];
}

/** A checked braid: letters non-zero integers with |letter| < strands (strands default max |letter| + 1). */
export function braid(word: readonly number[], strands?: number, fn = 'braid'): Braid {
  if (!Array.isArray(word)) fail(fn, 'word', 'an array of non-zero integers', word);
  for (const g of word) if (!Number.isInteger(g) || g === 0) fail(fn, 'word', 'non-zero integer letters (i for sigma_i, -i for its inverse)', g);
  const needed = word.reduce((m, g) => Math.max(m, Math.abs(g) + 1), 1);
  const n = strands === undefined ? needed : checkPositiveInteger(fn, 'strands', strands);
  if (n < needed) fail(fn, 'strands', `at least ${needed} (the word uses sigma_${needed - 1})`, n);
  return Object.freeze({ strands: n, word: Object.freeze(word.slice()) });
}

/** Writhe of the closure's diagram: the exponent sum (number of positive minus negative letters). */
export function writhe(b: Braid): number {
  return b.word.reduce((s, g) => s + Math.sign(g), 0);
}

/** The permutation of the strands (position at the bottom of the strand that starts at position p). */
export function strandPermutation(b: Braid): number[] {
  const pos = Array.from({ length: b.strands }, (_, p) => p);
  const at = Array.from({ length: b.strands }, (_, p) => p); // at[position] = strand
  for (const g of b.word) {
    const i = Math.abs(g) - 1;
    [at[i], at[i + 1]] = [at[i + 1], at[i]];
  }
  at.forEach((strand, position) => (pos[strand] = position));
  return pos;
}

/** Number of components of the closure: the cycles of the strand permutation. */
export function components(b: Braid): number {
  const perm = strandPermutation(b);
  const seen = new Array<boolean>(b.strands).fill(false);
  let cycles = 0;
  for (let p = 0; p < b.strands; p++) {
    if (seen[p]) continue;
    cycles++;
    for (let q = p; !seen[q]; q = perm[q]) seen[q] = true;
  }
  return cycles;
}

/** Cancel adjacent inverse pairs g g^(-1), cyclically too when `cyclic` (conjugation keeps the closure). */
export function freeReduce(b: Braid, cyclic = false): Braid {
  const out: number[] = [];
  for (const g of b.word) {
    if (out.length && out[out.length - 1] === -g) out.pop();
    else out.push(g);
  }
  if (cyclic) while (out.length > 1 && out[0] === -out[out.length - 1]) out.splice(out.length - 1, 1), out.splice(0, 1);
  return braid(out, b.strands);
}

/** M1: conjugation w -> g w g^(-1) by a generator (g = +-1 .. +-(n-1)). */
export function conjugate(b: Braid, g: number): Braid {
  return braid([g, ...b.word, -g], b.strands, 'conjugate');
}

/** Cyclic rotation of the word by k letters (a conjugation: the closure is unchanged). */
export function rotate(b: Braid, k: number): Braid {
  const n = b.word.length;
  if (!n) return b;
  const s = ((k % n) + n) % n;
  return braid([...b.word.slice(s), ...b.word.slice(0, s)], b.strands);
}

/** M2: stabilisation w -> w sigma_n^(sign) on n + 1 strands. */
export function stabilize(b: Braid, sign: 1 | -1): Braid {
  return braid([...b.word, sign * b.strands], b.strands + 1);
}

/**
 * Inverse M2: when the last generator sigma_(n-1) occurs exactly once, rotate it to the end and
 * remove it together with the last strand; null when it does not apply.
 */
export function destabilize(b: Braid): Braid | null {
  const top = b.strands - 1;
  if (top < 1) return null;
  const at = b.word.map((g, k) => (Math.abs(g) === top ? k : -1)).filter((k) => k >= 0);
  if (at.length !== 1) return null;
  const r = rotate(b, at[0] + 1); // the sigma_top letter is now last
  return braid(r.word.slice(0, -1), b.strands - 1);
}

/** BR1 at position k: swap letters k, k + 1 when they commute (|i - j| > 1); null otherwise. */
export function commute(b: Braid, k: number): Braid | null {
  const w = b.word;
  if (k < 0 || k + 1 >= w.length || Math.abs(Math.abs(w[k]) - Math.abs(w[k + 1])) < 2) return null;
  const out = w.slice();
  [out[k], out[k + 1]] = [out[k + 1], out[k]];
  return braid(out, b.strands);
}

/**
 * BR2 at position k, for letters a = sigma_i^e, c = sigma_j^d with |i - j| = 1, in its two forms:
 *   a c a -> c a c          when a, c have one sign (the relation itself),
 *   a c a^-1 -> sigma_j^(-e) sigma_i^d sigma_j^e   (the relation conjugated: e.g. s1 s2 s1^-1 = s2^-1 s1 s2;
 *                           an involution, and the only way to rewrite mixed-sign triples without inserting
 *                           inverse pairs).
 * Both sides are the same braid; null when letters k .. k+2 are of neither form.
 */
export function braidRelation(b: Braid, k: number): Braid | null {
  const w = b.word;
  if (k < 0 || k + 2 >= w.length) return null;
  const [a, c, d] = [w[k], w[k + 1], w[k + 2]];
  if (Math.abs(Math.abs(a) - Math.abs(c)) !== 1) return null;
  const out = w.slice();
  if (a === d && Math.sign(a) === Math.sign(c)) out.splice(k, 3, c, a, c);
  else if (a === -d) out.splice(k, 3, -Math.sign(a) * Math.abs(c), Math.sign(c) * Math.abs(a), Math.sign(a) * Math.abs(c));
  else return null;
  return braid(out, b.strands);
}

/**
 * The talk's SMARTCOLLAPSE: destabilise and cancel inverse pairs (cyclically) until nothing changes.
 * The closure is unchanged; the unknot on any number of strands collapses to the empty word on one
 * strand when the moves suffice (they need not: hard unknots stay long).
 */
export function smartCollapse(b: Braid): Braid {
  let cur = freeReduce(b, true);
  for (;;) {
    const d = destabilize(cur);
    if (!d) return cur;
    cur = freeReduce(d, true);
  }
}

/**
 * A letter replaced by a five-letter word equal to it in the braid group (from BR2):
 * sigma_i^(+-1) = sigma_j sigma_i sigma_j^(+-1) sigma_i^-1 sigma_j^-1 with j = i + 1 (`up`) or i - 1, the
 * other when that one does not exist.
 */
function expandLetter(b: Braid, k: number, up: boolean): Braid | null {
  const g = b.word[k];
  const i = Math.abs(g);
  let j = up ? i + 1 : i - 1;
  if (j < 1 || j >= b.strands) j = up ? i - 1 : i + 1; // the neighbour that exists
  if (j < 1 || j >= b.strands) return null;
  const s = Math.sign(g);
  const w = b.word.slice();
  w.splice(k, 1, j, i, s * j, -i, -j);
  return braid(w, b.strands);
}

/**
 * Letters k, k + 1 = a b of one sign with | |a| - |b| | = 1 replaced by the four-letter word b^-1 a b a
 * (equal to a b by BR2); null when they are not of that form.
 */
function expandPair(b: Braid, k: number): Braid | null {
  const w = b.word;
  if (k + 1 >= w.length) return null;
  const [x, y] = [w[k], w[k + 1]];
  if (Math.sign(x) !== Math.sign(y) || Math.abs(Math.abs(x) - Math.abs(y)) !== 1) return null;
  const out = w.slice();
  out.splice(k, 2, -y, x, y, x);
  return braid(out, b.strands);
}

/**
 * A random unknot on n strands with exactly `length` letters that does not shorten by cancelling
 * inverse pairs (cyclically): start from sigma_1^(+-1) ... sigma_(n-1)^(+-1) (each sign random; its
 * closure is the unknot) and apply random closure-preserving moves: conjugation by a random generator
 * (M1), a letter expanded into an equal five-letter word (BR2; near the target length a pair a b into
 * b^-1 a b a), BR1 and BR2 at random positions, cyclic rotation, cancelling inverse pairs after each
 * (the talk's Algorithm 5 at a fixed number of strands, with its SMARTCOLLAPSE as the cancellation;
 * restarted when it overshoots or has not arrived after 2000 + 200 length moves). Knots on n strands
 * have length = n - 1 (mod 2): the strand permutation is an n-cycle; on 2 strands only length 1 exists.
 */
export function randomUnknot(rng: Rng, strands: number, length: number): Braid {
  const fn = 'randomUnknot';
  checkLength(fn, strands, length);
  const letter = () => (1 + Math.floor(rng.uniform() * (strands - 1))) * (rng.uniform() < 0.5 ? 1 : -1);
  const start = () => braid(Array.from({ length: strands - 1 }, (_, i) => (i + 1) * (rng.uniform() < 0.5 ? 1 : -1)), strands);
  if (strands === 2 && length !== 1) fail(fn, 'length', '1 on 2 strands (a longer reduced 2-strand word closes to a torus knot or link)', length);
  let b = start();
  const budget = 2000 + 200 * length; // a draw that has not arrived after this many moves restarts
  let still = 0;
  for (let guard = 0; ; guard++) {
    if (guard > 1_000_000) throw new Error(`${fn}: no word of length ${length} reached`);
    if (b.word.length === length) {
      const c = freeReduce(b, true);
      if (c.word.length === length) return b;
      b = c;
    }
    if (b.word.length > length || ++still > budget) (b = start()), (still = 0);
    const move = rng.uniform();
    const k = Math.floor(rng.uniform() * Math.max(1, b.word.length));
    if (move < 0.2 && b.word.length + 2 <= length) b = conjugate(b, letter());
    else if (move < 0.4 && b.word.length + 4 <= length && b.word.length) b = expandLetter(b, k, rng.uniform() < 0.5) ?? b;
    else if (move < 0.4 && b.word.length + 2 <= length) b = expandPair(b, k) ?? b;
    else if (move < 0.9) b = braidRelation(b, k) ?? commute(b, k) ?? b;
    else b = rotate(b, k);
    b = freeReduce(b);
  }
}

function checkLength(fn: string, strands: number, length: number): void {
  checkPositiveInteger(fn, 'strands', strands);
  if (strands < 2) fail(fn, 'strands', 'at least 2', strands);
  if (!Number.isInteger(length) || length < strands - 1 || (length - strands + 1) % 2 !== 0) fail(fn, 'length', `an integer >= ${strands - 1} with the parity of ${strands - 1} (strands - 1)`, length);
}

/**
 * A uniformly random braid (a knot or a link): strands uniform in [minStrands, maxStrands], then a
 * number of letters uniform in [0, maxLetters], each letter uniform among the 2(n - 1) generators and
 * inverses. The test bed on which two algorithms for one invariant are compared.
 */
export function randomBraid(rng: Rng, maxLetters: number, minStrands = 2, maxStrands = 5): Braid {
  const fn = 'randomBraid';
  if (!Number.isInteger(maxLetters) || maxLetters < 0) fail(fn, 'maxLetters', 'a non-negative integer', maxLetters);
  checkPositiveInteger(fn, 'minStrands', minStrands);
  if (!Number.isInteger(maxStrands) || maxStrands < Math.max(2, minStrands)) fail(fn, 'maxStrands', `an integer >= max(2, minStrands = ${minStrands})`, maxStrands);
  const lo = Math.max(2, minStrands);
  const n = lo + Math.floor(rng.uniform() * (maxStrands - lo + 1));
  const c = Math.floor(rng.uniform() * (maxLetters + 1));
  return braid(Array.from({ length: c }, () => (1 + Math.floor(rng.uniform() * (n - 1))) * (rng.uniform() < 0.5 ? 1 : -1)), n);
}

/**
 * A random knot on n strands with `length` letters: uniform random letters, redrawn until the closure
 * has one component and no inverse pair cancels (the talk's Algorithm 6, KNOTIFY read as "keep words
 * whose closure is a knot", SMARTCOLLAPSE as "keep words that do not shorten").
 * Whether it is knotted is for an invariant to say (`jonesPolynomial`).
 */
export function randomKnotWord(rng: Rng, strands: number, length: number): Braid {
  const fn = 'randomKnotWord';
  checkLength(fn, strands, length);
  for (let tries = 0; tries < 1_000_000; tries++) {
    const w = Array.from({ length }, () => (1 + Math.floor(rng.uniform() * (strands - 1))) * (rng.uniform() < 0.5 ? 1 : -1));
    const b = braid(w, strands);
    if (components(b) === 1 && freeReduce(b, true).word.length === length) return b;
  }
  throw new Error(`${fn}: no knot found`);
}
