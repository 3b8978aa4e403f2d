/**
 * Index combinatorics for n-point functions at P input points.
 *
 * An n-point function of a real field is symmetric under permuting its arguments, so it is
 * stored once per *sorted* index tuple i1 <= i2 <= ... <= in (a multiset): C(P + n - 1, n) numbers
 * instead of P^n (at P = 6: 462 instead of 46656 for n = 6).
 *
 * Connected parts come from moments through the set-partition (Moebius) formula
 *   G_c(1..n) = sum over partitions pi of {1..n}: (-1)^(|pi|-1) (|pi|-1)! prod_{B in pi} G(B),
 * restricted to partitions into even blocks for ensembles with f -> -f symmetry (odd moments
 * vanish, TASI eq. (59)): e.g. G4c = G4 - (G2 G2 + 2 perms) (TASI eq. (49)),
 * G6c = G6 - (G4 G2 + 14 perms) + 2 (G2 G2 G2 + 14 perms).
 * Without that symmetry all partitions count (`setPartitions`): the general joint cumulant, i.e. the
 * derivatives of W[J] = log Z[J] of appendix A, eq. (140).
 */

/** All sorted tuples of length n over 0..P-1, in lexicographic order. */
export function sortedTuples(P: number, n: number): number[][] {
  const out: number[][] = [];
  const t = new Array<number>(n).fill(0);
  const rec = (pos: number, min: number) => {
    if (pos === n) {
      out.push(t.slice());
      return;
    }
    for (let i = min; i < P; i++) {
      t[pos] = i;
      rec(pos + 1, i);
    }
  };
  rec(0, 0);
  return out;
}

/** Binomial coefficient C(n, k) for small arguments. */
export function binomial(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return Math.round(r);
}

// C(a, b) for a < BINOMIAL_ROWS, b <= 8: every binomial `tupleIndex` needs for up to 64 points
// and order 8 (filled on first use by Pascal's rule, exact in float64).
const BINOMIAL_ROWS = 80;
let binomials: Float64Array | null = null;
function binomialTable(): Float64Array {
  if (!binomials) {
    binomials = new Float64Array(BINOMIAL_ROWS * 9);
    for (let a = 0; a < BINOMIAL_ROWS; a++) {
      binomials[a * 9] = 1;
      for (let b = 1; b <= 8 && b <= a; b++) binomials[a * 9 + b] = binomials[(a - 1) * 9 + b - 1] + (b <= a - 1 ? binomials[(a - 1) * 9 + b] : 0);
    }
  }
  return binomials;
}

/**
 * Position of a (not necessarily sorted) tuple in `sortedTuples(P, n)`: the tuple is sorted, then
 * ranked by counting the lexicographically smaller sorted tuples.
 */
export function tupleIndex(tuple: readonly number[], P: number): number {
  const n = tuple.length;
  const t = tuple.slice();
  for (let i = 1; i < n; i++) {
    const v = t[i];
    let j = i - 1;
    for (; j >= 0 && t[j] > v; j--) t[j + 1] = t[j];
    t[j + 1] = v;
  }
  const table = P + n < BINOMIAL_ROWS && n <= 9 ? binomialTable() : null;
  let index = 0;
  let min = 0;
  for (let pos = 0; pos < n; pos++) {
    const k = n - pos - 1;
    for (let i = min; i < t[pos]; i++) index += table ? table[(P - i + k - 1) * 9 + k] : binomial(P - i + k - 1, k);
    min = t[pos];
  }
  return index;
}

/** A set partition of positions 0..n-1 into blocks. */
export type Partition = number[][];

/**
 * All partitions of {0..n-1} whose blocks all have even size (n even), e.g. 3 for n = 4, 15 + 15 + 1
 * for n = 6: the "perms" of TASI eq. (49) for an ensemble with the Z2 symmetry of eq. (59).
 */
export function evenPartitions(n: number): Partition[] {
  const out: Partition[] = [];
  const rec = (rest: number[], blocks: Partition) => {
    if (rest.length === 0) {
      out.push(blocks.map((b) => b.slice()));
      return;
    }
    const [first, ...others] = rest;
    // Choose the other members of first's block: an odd number of them (so the block is even).
    const m = others.length;
    for (let mask = 0; mask < 1 << m; mask++) {
      const chosen = others.filter((_, i) => mask & (1 << i));
      if (chosen.length % 2 === 0) continue;
      const remaining = others.filter((_, i) => !(mask & (1 << i)));
      rec(remaining, [...blocks, [first, ...chosen]]);
    }
  };
  rec(Array.from({ length: n }, (_, i) => i), []);
  return out;
}

/**
 * All set partitions of {0..n-1} (Bell number of them: 1, 2, 5, 15, 52, 203 for n = 1..6): the
 * terms of a joint cumulant (appendix A, eq. (140)).
 */
export function setPartitions(n: number): Partition[] {
  const out: Partition[] = [];
  const rec = (i: number, blocks: Partition) => {
    if (i === n) {
      out.push(blocks.map((b) => b.slice()));
      return;
    }
    for (const b of blocks) {
      b.push(i);
      rec(i + 1, blocks);
      b.pop();
    }
    blocks.push([i]);
    rec(i + 1, blocks);
    blocks.pop();
  };
  rec(0, []);
  return out;
}

/**
 * Moebius weight of a partition with k blocks: (-1)^(k-1) (k-1)! (cumulants from moments,
 * appendix A, eqs. (139)-(140)).
 */
export function partitionWeight(blocks: number): number {
  let f = 1;
  for (let i = 2; i < blocks; i++) f *= i;
  return (blocks % 2 === 1 ? 1 : -1) * f;
}

/**
 * Connected n-point function at one index tuple from moment lookups, for an even ensemble (TASI
 * eq. (49) at n = 4, and its analogue at any even n).
 * `moment(tuple)` returns the full moment G(tuple) for any (unsorted) index tuple of even length.
 */
export function connectedFromMoments(tuple: readonly number[], moment: (t: number[]) => number, partitions = evenPartitions(tuple.length)): number {
  let total = 0;
  for (const blocks of partitions) {
    let term = partitionWeight(blocks.length);
    for (const block of blocks) term *= moment(block.map((pos) => tuple[pos]));
    total += term;
  }
  return total;
}

const denseMaps = new Map<string, Int32Array>();

/**
 * For every index tuple (i1, ..., in) over 0..P-1 in row-major order (P^n of them, i1 slowest): its
 * position in `sortedTuples(P, n)`, i.e. `tupleIndex` of each, computed once per (P, n): the tuple is
 * sorted, then ranked by summing, position by position, the counts of sorted tuples that branch off
 * below it (a table of partial sums of binomials).
 */
export function denseTupleIndex(P: number, n: number): Int32Array {
  const key = `${P}:${n}`;
  const cached = denseMaps.get(key);
  if (cached) return cached;
  // below[(k * (P + 1) + a) * (P + 1) + b] = sum_{i = a}^{b - 1} C(P - i + k - 1, k): tuples whose next
  // entry is smaller than b (and at least a) with k entries after it.
  const W = P + 1;
  const below = new Float64Array(n * W * W);
  for (let k = 0; k < n; k++) {
    for (let a = 0; a <= P; a++) {
      let sum = 0;
      for (let b = a; b <= P; b++) {
        below[(k * W + a) * W + b] = sum;
        if (b < P) sum += binomial(P - b + k - 1, k);
      }
    }
  }
  const total = P ** n;
  const out = new Int32Array(total);
  const digits = new Int32Array(n);
  const t = new Int32Array(n);
  for (let d = 0; d < total; d++) {
    t.set(digits);
    for (let i = 1; i < n; i++) {
      const v = t[i];
      let j = i - 1;
      for (; j >= 0 && t[j] > v; j--) t[j + 1] = t[j];
      t[j + 1] = v;
    }
    let rank = 0;
    let min = 0;
    for (let pos = 0; pos < n; pos++) {
      rank += below[((n - pos - 1) * W + min) * W + t[pos]];
      min = t[pos];
    }
    out[d] = rank;
    for (let i = n - 1; i >= 0 && ++digits[i] === P; i--) digits[i] = 0; // odometer
  }
  denseMaps.set(key, out);
  return out;
}

/** Expand values stored per sorted tuple into a dense nested P^n array (all permutations filled). */
export function expandSymmetric(values: ArrayLike<number>, P: number, n: number): unknown {
  const map = denseTupleIndex(P, n);
  if (n === 0) return values[0];
  // Innermost rows first, then P at a time into the level above, up to one array.
  let level: unknown[] = new Array(map.length / P);
  for (let r = 0, at = 0; r < level.length; r++) {
    const row = new Array<number>(P);
    for (let i = 0; i < P; i++) row[i] = values[map[at++]];
    level[r] = row;
  }
  for (let k = 1; k < n; k++) {
    const up: unknown[] = new Array(level.length / P);
    for (let r = 0; r < up.length; r++) up[r] = level.slice(r * P, r * P + P);
    level = up;
  }
  return level[0];
}
