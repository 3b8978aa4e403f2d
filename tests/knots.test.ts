/**
 * Braids and knot invariants (src/knots/), each against a second route:
 * - Jones: Temperley-Lieb algebra against the 2^c state sum with union-find loops, on random braids;
 *   both against tabulated values (unknot, trefoil and its mirror, figure-eight, 5_1, 5_2, Hopf link,
 *   unlinks) and against the torus-knot closed form V(T(p,q)) = t^((p-1)(q-1)/2) (1 - t^(p+1) - t^(q+1) + t^(p+q)) / (1 - t^2);
 * - Alexander: reduced Burau against the Fox Jacobian (unreduced Burau) minor, on random braids; both against
 *   tabulated values and the torus-knot closed form Delta = t^(-(p-1)(q-1)/2) (t^(pq) - 1)(t - 1) / ((t^p - 1)(t^q - 1));
 * - invariance of both under the braid relations and Markov moves; random unknots have V = 1 and Delta = 1.
 */
import { Rng } from '../src/core/random';
import { Laurent } from '../src/knots/laurent';
import { braid, braidRelation, commute, components, conjugate, destabilize, freeReduce, randomBraid, randomKnotWord, randomUnknot, rotate, smartCollapse, stabilize, writhe } from '../src/knots/braid';
import { alexanderFox, alexanderPolynomial, jonesPolynomial, jonesStateSum, randomKnot } from '../src/knots/invariants';
import { KNOT_TABLE } from '../src/knots/table';

const V = (w: number[], n?: number) => jonesPolynomial(braid(w, n)).toRecord(4);
const D = (w: number[], n?: number) => alexanderPolynomial(braid(w, n)).toRecord(2);

/** A polynomial in t from {exponent: coefficient} (integer exponents). */
const poly = (rec: Record<number, number>) => {
  const keys = Object.keys(rec).map(Number);
  const low = Math.min(...keys);
  const c = new Array<number>(Math.max(...keys) - low + 1).fill(0);
  for (const k of keys) c[k - low] = rec[k];
  return Laurent.of(low, c);
};

describe('tabulated knots and links', () => {
  test('unknot, unlinks, Hopf link', () => {
    for (const [w, n] of [[[], 1], [[1], 2], [[1, 2], 3], [[-1, 2, -3], 4]] as [number[], number][]) {
      expect(V(w, n)).toEqual({ 0: 1 });
      expect(D(w, n)).toEqual({ 0: 1 });
    }
    expect(V([], 2)).toEqual({ '-0.5': -1, '0.5': -1 });
    expect(D([], 2)).toEqual({});
    expect(V([1, 1])).toEqual({ '0.5': -1, '2.5': -1 });
    expect(D([1, 1])).toEqual({ '-0.5': -1, '0.5': 1 });
    expect(components(braid([1, 1]))).toBe(2);
    expect(components(braid([1, 2, 1, 2, 1, 2]))).toBe(3);
  });

  test('trefoil (closure of sigma_1^3: V = t + t^3 - t^4) and its mirror, figure-eight, 5_1, 5_2', () => {
    expect(V([1, 1, 1])).toEqual({ 1: 1, 3: 1, 4: -1 });
    expect(V([-1, -1, -1])).toEqual({ '-1': 1, '-3': 1, '-4': -1 });
    expect(D([1, 1, 1])).toEqual({ '-1': 1, 0: -1, 1: 1 });
    expect(V([1, -2, 1, -2])).toEqual({ '-2': 1, '-1': -1, 0: 1, 1: -1, 2: 1 });
    expect(jonesPolynomial(braid([1, 1, 1])).toString('t', 4)).toBe('t + t^3 - t^4');
    expect(jonesPolynomial(braid([1, -2, 1, -2])).toString('t', 4)).toBe('t^-2 - t^-1 + 1 - t + t^2');
    expect(alexanderPolynomial(braid([1, 1, 1, 2, -1, 2])).toString('t', 2)).toBe('2t^-1 - 3 + 2t');
    expect(jonesPolynomial(braid([1, 1])).toString('t', 4)).toBe('-t^0.5 - t^2.5');
    expect(D([1, -2, 1, -2])).toEqual({ '-1': -1, 0: 3, 1: -1 });
    expect(V([1, 1, 1, 1, 1])).toEqual({ 2: 1, 4: 1, 5: -1, 6: 1, 7: -1 });
    expect(D([1, 1, 1, 1, 1])).toEqual({ '-2': 1, '-1': -1, 0: 1, 1: -1, 2: 1 });
    // 5_2 from the positive braid sigma_1^3 sigma_2 sigma_1^-1 sigma_2 (the mirror of the table's chirality).
    expect(V([1, 1, 1, 2, -1, 2])).toEqual({ 1: 1, 2: -1, 3: 2, 4: -1, 5: 1, 6: -1 });
    expect(D([1, 1, 1, 2, -1, 2])).toEqual({ '-1': 2, 0: -3, 1: 2 });
  });

  test('torus knots T(p, q) = closure of (sigma_1 ... sigma_(p-1))^q against the closed forms', () => {
    for (const [p, q] of [[2, 3], [2, 7], [3, 4], [3, 5], [4, 5], [2, 9]]) {
      const w = Array.from({ length: q }, () => Array.from({ length: p - 1 }, (_, i) => i + 1)).flat();
      const b = braid(w, p);
      // Jones: t^((p-1)(q-1)/2) (1 - t^(p+1) - t^(q+1) + t^(p+q)) / (1 - t^2), exponents in t.
      const num = poly({ 0: 1, [p + 1]: -1, [q + 1]: -1, [p + q]: 1 }).add(Laurent.ZERO);
      const jones = num.divExact(poly({ 0: 1, 2: -1 })).shift(((p - 1) * (q - 1)) / 2);
      expect(jonesPolynomial(b).equals(jones.substitutePower(4))).toBe(true);
      // Alexander: (t^(pq) - 1)(t - 1) / ((t^p - 1)(t^q - 1)), symmetric.
      const a = poly({ 0: -1, [p * q]: 1 }).mul(poly({ 0: -1, 1: 1 })).divExact(poly({ 0: -1, [p]: 1 }).mul(poly({ 0: -1, [q]: 1 })));
      const sym = a.substitutePower(2).shift(-(a.low + a.high));
      expect(alexanderPolynomial(b).equals(sym)).toBe(true);
    }
  });
});

describe('every knot up to 7 crossings (standard braid words)', () => {
  // name: [braid word, tabulated Alexander coefficients (Rolfsen), determinant], from the one table in src/knots/table.ts
  const TABLE: Record<string, [number[], number[], number]> = Object.fromEntries(KNOT_TABLE.map((k) => [k.name, [k.braid.word.slice(), k.alexander.slice(), k.determinant]]));
  test.each(Object.entries(TABLE))('%s: Alexander equals the table; |V(-1)| = |Delta(-1)| = determinant; span of V = crossing number (alternating)', (name, [w, alex, det]) => {
    const b = braid(w);
    expect(components(b)).toBe(1);
    const a = alexanderPolynomial(b).toRecord(2);
    const half = (alex.length - 1) / 2;
    expect(a).toEqual(Object.fromEntries(alex.map((c, k) => [String(k - half), c])));
    const v = jonesPolynomial(b).toRecord(4);
    const exps = Object.keys(v).map(Number);
    expect(exps.every(Number.isInteger)).toBe(true);
    const at = (rec: Record<string, number>) => Object.entries(rec).reduce((s, [e, c]) => s + c * (Number(e) % 2 === 0 ? 1 : -1), 0);
    expect(Math.abs(at(v))).toBe(det);
    expect(Math.abs(at(a))).toBe(det);
    expect(Math.max(...exps) - Math.min(...exps)).toBe(Number(name.split('_')[0]));
    expect(jonesPolynomial(b).equals(jonesStateSum(b))).toBe(true);
  });
});

describe('two algorithms per invariant agree on random braids', () => {
  test('Jones: Temperley-Lieb = state sum (300 braids, 2-5 strands, up to 12 crossings)', () => {
    const rng = Rng.stream(1, 0);
    for (let k = 0; k < 300; k++) {
      const b = randomBraid(rng, 12);
      expect(jonesPolynomial(b).equals(jonesStateSum(b))).toBe(true);
    }
  });

  test('Alexander: reduced Burau = Fox Jacobian minor (up to sign for links), and Delta(1) = 1 for knots', () => {
    const rng = Rng.stream(2, 0);
    for (let k = 0; k < 200; k++) {
      const b = randomBraid(rng, 15);
      const burau = alexanderPolynomial(b);
      const fox = alexanderFox(b);
      expect(burau.equals(fox) || burau.equals(fox.neg())).toBe(true);
      if (components(b) === 1) expect(burau.atOne()).toBe(1n);
      else expect(burau.atOne()).toBe(0n);
    }
  });
});

describe('braid moves keep the closure', () => {
  const invariants = (b: ReturnType<typeof braid>) => [jonesPolynomial(b), alexanderPolynomial(b)];
  const same = (a: Laurent[], b: Laurent[]) => a.every((p, k) => p.equals(b[k]));
  test('BR1, BR2, conjugation, rotation, stabilisation, destabilisation, free reduction and SMARTCOLLAPSE', () => {
    const b = braid([1, 1, 2, -1, 2, 3, -2, 3], 4);
    const ref = invariants(b);
    expect(same(invariants(conjugate(b, -2)), ref)).toBe(true);
    expect(same(invariants(rotate(b, 3)), ref)).toBe(true);
    expect(same(invariants(stabilize(b, 1)), ref)).toBe(true);
    expect(same(invariants(stabilize(b, -1)), ref)).toBe(true);
    expect(same(invariants(destabilize(stabilize(b, -1))!), ref)).toBe(true);
    expect(same(invariants(freeReduce(braid([2, -2, ...b.word, 1, -1], 4))), ref)).toBe(true);
    const br2 = braidRelation(braid([2, 3, 2, 1], 4), 0)!;
    expect(br2.word).toEqual([3, 2, 3, 1]);
    expect(same(invariants(br2), invariants(braid([2, 3, 2, 1], 4)))).toBe(true);
    // The conjugated form on every sign pattern (an involution), checked by both invariants after a knotting tail.
    for (const [a, c] of [[1, 2], [1, -2], [-1, 2], [-1, -2], [2, 1], [-2, 1], [3, 2], [2, -3]]) {
      const w = braid([a, c, -a, 1, 1, 2, -3, 2, 2], 4);
      const m = braidRelation(w, 0)!;
      expect(m.word.slice(0, 3)).toEqual([-Math.sign(a) * Math.abs(c), Math.sign(c) * Math.abs(a), Math.sign(a) * Math.abs(c)]);
      expect(braidRelation(m, 0)!.word).toEqual(w.word);
      expect(same(invariants(m), invariants(w))).toBe(true);
    }
    expect(braidRelation(braid([1, -2, 1], 3), 0)).toBeNull();
    expect(braidRelation(braid([1, 3, -1], 4), 0)).toBeNull();
    expect(commute(braid([1, 3], 4), 0)!.word).toEqual([3, 1]);
    expect(commute(braid([1, 2], 4), 0)).toBeNull();
    expect(smartCollapse(braid([1, -2, 3], 4)).word).toEqual([]);
    expect(writhe(braid([1, -2, 3], 4))).toBe(1);
  });

  test('random unknots (4 strands, 21 letters) have V = 1 and Delta = 1; random knots are knots with V != 1', () => {
    for (let i = 0; i < 100; i++) {
      const u = randomUnknot(Rng.stream(4, i), 4, 21);
      expect(u.word).toHaveLength(21);
      expect(freeReduce(u, true).word).toHaveLength(21);
      expect(jonesPolynomial(u).equals(Laurent.ONE)).toBe(true);
      expect(alexanderPolynomial(u).equals(Laurent.ONE)).toBe(true);
      const k = randomKnot(Rng.stream(5, i), 4, 21);
      expect(components(k)).toBe(1);
      expect(k.word).toHaveLength(21);
      expect(jonesPolynomial(k).equals(Laurent.ONE)).toBe(false);
    }
    expect(() => randomUnknot(Rng.stream(0, 0), 4, 20)).toThrow(/length/);
    expect(() => randomUnknot(Rng.stream(0, 0), 2, 3)).toThrow(/length.*2 strands/);
    expect(randomUnknot(Rng.stream(0, 0), 2, 1).word).toHaveLength(1);
    // Short and long words that the generator once could not reach (stuck draws now restart).
    expect(randomUnknot(Rng.stream(0, 1), 4, 5).word).toHaveLength(5);
    expect(randomUnknot(Rng.stream(0, 2), 3, 4).word).toHaveLength(4);
    expect(jonesPolynomial(randomUnknot(Rng.stream(0, 3), 3, 96)).equals(Laurent.ONE)).toBe(true);
    expect(components(randomKnotWord(Rng.stream(6, 0), 5, 30))).toBe(1);
  });

  test('bad words are refused naming the argument', () => {
    expect(() => braid([1, 0, 1])).toThrow(/word/);
    expect(() => braid([1, 1.5])).toThrow(/word/);
    expect(() => braid([1, 3], 3)).toThrow(/strands/);
  });
});
