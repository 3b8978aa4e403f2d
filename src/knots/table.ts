/**
 * The knots up to seven crossings (Rolfsen's table: 0_1, 3_1, 4_1, 5_1, 5_2, 6_1 - 6_3, 7_1 - 7_7), one
 * braid word each, and `identifyKnot`, which names the closure of a braid by its invariants (NN-QFT
 * triangle talk, first half, "Learning to Unknot": figure 1's knot examples and "The Prior at Low
 * Crossing Numbers", where knots are told apart by the Jones polynomial).
 *
 * The braid words are KnotInfo's braid notation (the chirality of each entry is that of its word:
 * 3_1 is the closure of sigma_1^3, the right-handed trefoil with V = t + t^3 - t^4). Beside each word
 * the table keeps the tabulated Conway-normalised Alexander polynomial (coefficients of t^(-d) .. t^d)
 * and the determinant |Delta(-1)|; tests/knots.test.ts checks every word against them, and the span of
 * its Jones polynomial against the crossing number (all these knots are alternating, so the span is
 * the crossing number). Within the table, no two entries or mirror images share both polynomials
 * (tests/knots-diagram.test.ts), so the pair identifies an entry; the Jones polynomial also tells
 * every chiral knot here from its mirror (only 0_1, 4_1 and 6_3 are amphichiral).
 */
import { fail } from '../core/validate';
import { Braid, braid, components, smartCollapse } from './braid';
import { alexanderPolynomial, jonesPolynomial } from './invariants';
import { Laurent } from './laurent';

/** One knot of the table. */
export interface KnotTableEntry {
  /** Rolfsen's name, crossings_index ('0_1' the unknot). */
  readonly name: string;
  /** A braid word whose closure is the knot (KnotInfo's braid notation). */
  readonly braid: Braid;
  /** The crossing number. */
  readonly crossings: number;
  /** The tabulated Alexander polynomial: coefficients of t^(-d) .. t^d (symmetric, Delta(1) = 1). */
  readonly alexander: readonly number[];
  /** The determinant |Delta(-1)| = |V(-1)|. */
  readonly determinant: number;
}

function entry(name: string, word: number[], alexander: number[], determinant: number): KnotTableEntry {
  return Object.freeze({ name, braid: braid(word), crossings: Number(name.split('_')[0]), alexander: Object.freeze(alexander), determinant });
}

/** The prime knots up to seven crossings with one braid word each, in Rolfsen's order. */
export const KNOT_TABLE: readonly KnotTableEntry[] = Object.freeze([
  entry('0_1', [], [1], 1),
  entry('3_1', [1, 1, 1], [1, -1, 1], 3),
  entry('4_1', [1, -2, 1, -2], [-1, 3, -1], 5),
  entry('5_1', [1, 1, 1, 1, 1], [1, -1, 1, -1, 1], 5),
  entry('5_2', [1, 1, 1, 2, -1, 2], [2, -3, 2], 7),
  entry('6_1', [1, 1, 2, -1, -3, 2, -3], [-2, 5, -2], 9),
  entry('6_2', [1, 1, 1, -2, 1, -2], [-1, 3, -3, 3, -1], 11),
  entry('6_3', [1, 1, -2, 1, -2, -2], [1, -3, 5, -3, 1], 13),
  entry('7_1', [1, 1, 1, 1, 1, 1, 1], [1, -1, 1, -1, 1, -1, 1], 7),
  entry('7_2', [1, 1, 1, 2, -1, 2, 3, -2, 3], [3, -5, 3], 11),
  entry('7_3', [1, 1, 1, 1, 1, 2, -1, 2], [2, -3, 3, -3, 2], 13),
  entry('7_4', [1, 1, 2, -1, 2, 2, 3, -2, 3], [4, -7, 4], 15),
  entry('7_5', [1, 1, 1, 1, 2, -1, 2, 2], [2, -4, 5, -4, 2], 17),
  entry('7_6', [1, 1, -2, 1, 3, -2, 3], [-1, 5, -7, 5, -1], 19),
  entry('7_7', [1, -2, 1, -2, 3, -2, 3], [1, -5, 9, -5, 1], 21),
]);

/** Jones polynomial of each entry, of its mirror (t -> 1/t), and the Alexander polynomial; computed once. */
let fingerprints: { jones: Laurent; mirror: Laurent; alexander: Laurent }[] | null = null;

function tableFingerprints(): { jones: Laurent; mirror: Laurent; alexander: Laurent }[] {
  if (!fingerprints) {
    fingerprints = KNOT_TABLE.map((k) => {
      const jones = jonesPolynomial(k.braid);
      return { jones, mirror: jones.substitutePower(-1), alexander: alexanderPolynomial(k.braid) };
    });
  }
  return fingerprints;
}

/**
 * The table name of the closure of `b`: the entry whose Jones and Alexander polynomials it has, with
 * a trailing '*' when it is the mirror image of a chiral entry (its Jones polynomial is the entry's
 * under t -> 1/t; amphichiral entries never get a star); null when the closure is a link (more than
 * one component) or a knot outside the table (more than seven crossings, or composite). The braid is
 * first shortened by SMARTCOLLAPSE (the closure is unchanged) to keep the Jones polynomial cheap.
 * @example identifyKnot(braid([-1, -1, -1])) // '3_1*' (the left-handed trefoil)
 */
export function identifyKnot(b: Braid): string | null {
  const fn = 'identifyKnot';
  if (!b || typeof b !== 'object' || !Array.isArray(b.word)) fail(fn, 'b', 'a braid {strands, word}', b);
  const checked = braid(b.word, b.strands, fn);
  if (components(checked) !== 1) return null;
  const short = smartCollapse(checked);
  const jones = jonesPolynomial(short);
  let alexander: Laurent | null = null;
  const sameAlexander = (a: Laurent) => (alexander ??= alexanderPolynomial(short)).equals(a);
  const prints = tableFingerprints();
  for (let k = 0; k < KNOT_TABLE.length; k++) {
    const f = prints[k];
    if (jones.equals(f.jones) && sameAlexander(f.alexander)) return KNOT_TABLE[k].name;
    if (!f.mirror.equals(f.jones) && jones.equals(f.mirror) && sameAlexander(f.alexander)) return `${KNOT_TABLE[k].name}*`;
  }
  return null;
}
