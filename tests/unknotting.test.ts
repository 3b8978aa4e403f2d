/**
 * The unknotting game and its players (src/knots/unknotting.ts, unknot-agent.ts):
 * - every action keeps the knot type (Jones and Alexander polynomials before and after), wrap-around included;
 * - games replayed by an independent reference implementation of the talk's moves (built here from
 *   braid.ts alone) end in the same words;
 * - the state encoding decodes back to the word read from the cursor;
 * - the greedy player beats the random walker, and a briefly trained PPO agent beats the random walker,
 *   each by more than z = 4 standard errors of the difference of two proportions.
 */
import { Rng } from '../src/core/random';
import { Braid, braid, braidRelation, commute, conjugate, randomUnknot, rotate, smartCollapse } from '../src/knots/braid';
import { alexanderPolynomial, jonesPolynomial } from '../src/knots/invariants';
import { Laurent } from '../src/knots/laurent';
import { MAX_UNKNOT_STEPS, UnknotGame, greedyPlayer, playUnknot, randomWalker, unknotActionNames, unknotActions } from '../src/knots/unknotting';
import { trainUnknotAgent } from '../src/knots/unknot-agent';

const Z = 4;
const starts = (n: number, N: number, count: number, seed: number) => Array.from({ length: count }, (_, s) => randomUnknot(Rng.stream(seed, s), n, N));
const differs = (a: { fraction: number }, b: { fraction: number }, count: number) => {
  const se = Math.sqrt((a.fraction * (1 - a.fraction) + b.fraction * (1 - b.fraction)) / count);
  return (a.fraction - b.fraction) / Math.max(se, 1 / count);
};

/** The moves again, written out from braid.ts without UnknotGame: the word as a cyclic list with a cursor. */
function referenceStep(b: Braid, cursor: number, action: number, capacity: number): { b: Braid; cursor: number } {
  const L = b.word.length;
  const next = L ? (cursor + 1) % L : 0;
  const atCursor = (move: (x: Braid, k: number) => Braid | null) => {
    const turned = move(rotate(b, cursor), 0); // the letters from the cursor on, wrapping round
    return turned ? rotate(turned, L - cursor) : b;
  };
  if (action === 0) return { b, cursor: L ? (cursor - 1 + L) % L : 0 };
  if (action === 1) return { b, cursor: next };
  if (action === 2) return { b: atCursor(commute), cursor: next };
  if (action === 3) return { b: atCursor(braidRelation), cursor: next };
  if (action === 4) {
    const c = smartCollapse(b);
    return { b: c, cursor: Math.max(0, Math.min(cursor, c.word.length - 1)) };
  }
  const i = 1 + Math.floor((action - 5) / 2);
  if (i >= b.strands || L + 2 > capacity) return { b, cursor };
  return { b: conjugate(b, (action - 5) % 2 === 0 ? i : -i), cursor: cursor + 1 };
}

describe('the unknotting game', () => {
  test('actions: 5 + 2(n - 1), named', () => {
    expect(unknotActions(3)).toBe(9);
    expect(unknotActionNames(4)).toHaveLength(11);
    expect(unknotActionNames(3)[4]).toBe('SmartCollapse');
    expect(MAX_UNKNOT_STEPS).toBe(300);
  });

  test('every action keeps the knot type (3- and 4-strand knots, random actions, wrap-around included)', () => {
    const rng = Rng.stream(11, 0);
    for (const [w, n] of [[[1, 1, 1, 2, -1, 2], 3], [[1, -2, 3, 1, -2, 3, 2], 4], [[1, -2, 1, -2], 3]] as [number[], number][]) {
      const g = new UnknotGame(braid(w, n), 1000);
      const ref = [jonesPolynomial(g.braid), alexanderPolynomial(g.braid)];
      const moved = new Set<number>();
      for (let t = 0; t < 200; t++) {
        const a = Math.floor(rng.uniform() * unknotActions(n));
        const before = g.braid;
        g.step(a);
        if (g.braid !== before) moved.add(a);
        expect(jonesPolynomial(g.braid).equals(ref[0])).toBe(true);
        expect(alexanderPolynomial(g.braid).equals(ref[1])).toBe(true);
        expect(g.length).toBeLessThanOrEqual(g.capacity);
      }
      expect(moved.has(3) && moved.has(4) && moved.has(5)).toBe(true);
    }
  });

  test('games replayed by the reference moves end in the same words; only SmartCollapse shortens', () => {
    const rng = Rng.stream(12, 0);
    for (const b of starts(4, 17, 20, 13)) {
      const g = new UnknotGame(b, 300);
      let ref = { b, cursor: 0 };
      while (!g.done) {
        const a = Math.floor(rng.uniform() * unknotActions(4));
        const before = g.length;
        g.step(a);
        ref = referenceStep(ref.b, ref.cursor, a, g.capacity);
        expect(g.braid.word).toEqual(ref.b.word);
        expect(g.braid.strands).toBe(ref.b.strands);
        expect(g.cursor).toBe(ref.cursor);
        if (a !== 4) expect(g.length).toBeGreaterThanOrEqual(before);
      }
    }
  });

  test('the state is the word read from the cursor, zero-padded; conjugation is refused at capacity', () => {
    const g = new UnknotGame(braid([1, -2, 2, 1, -1], 3), 300, 6);
    g.cursor = 3;
    const tok = new Int32Array(6);
    g.encode(tok);
    // tokens: g < 0 -> g + n, g > 0 -> g + n - 1 on n = 3 strands; 0 pads.
    expect(Array.from(tok)).toEqual([3, 2, 3, 1, 4, 0]);
    const before = g.braid;
    g.step(5);
    expect(g.braid).toBe(before); // 5 + 2 letters > capacity 6
    expect(g.step(1)).toBeCloseTo(-5 / 3, 12); // reward: minus length over N = capacity / 2
  });

  test('bad input is refused naming the argument', () => {
    expect(() => playUnknot([], randomWalker, { seed: 0 })).toThrow(/starts/);
    expect(() => playUnknot(starts(3, 10, 1, 0), randomWalker, { seed: 0, maxSteps: 0 })).toThrow(/maxSteps/);
  });
});

describe('players', () => {
  test('greedy beats the random walker on 24-letter unknots (3 strands)', () => {
    const set = starts(3, 24, 200, 21);
    const rw = playUnknot(set, randomWalker, { seed: 1 });
    const gr = playUnknot(set, greedyPlayer, { seed: 1 });
    expect(differs(gr, rw, set.length)).toBeGreaterThan(Z);
    expect(rw.actionCounts.reduce((a, b) => a + b, 0)).toBe(rw.moves.reduce((a, b) => a + b, 0));
    rw.solved.forEach((s, i) => expect(s).toBe(rw.finalLength[i] === 0));
  });

  test('a briefly trained PPO agent beats the random walker on unseen 16-letter unknots', async () => {
    await expect(trainUnknotAgent({ strands: 2, length: 1, updates: 1, seed: 0 })).rejects.toThrow(/strands/);
    await expect(trainUnknotAgent({ strands: 3, length: 15, updates: 1, seed: 0 })).rejects.toThrow(/length/);
    const agent = await trainUnknotAgent({ strands: 3, length: 16, updates: 12, games: 16, seed: 1, progress: false });
    try {
      const set = starts(3, 16, 200, 22); // stream 22: not the training starts (stream 2)
      const rw = playUnknot(set, randomWalker, { seed: 1 });
      const ag = await agent.play(set, { seed: 1 });
      expect(differs(ag, rw, set.length)).toBeGreaterThan(Z);
      expect(agent.curve).toHaveLength(12);
      await expect(agent.play([braid([1, 2, 3], 4)], { seed: 0 })).rejects.toThrow(/strands/);
    } finally {
      agent.dispose();
    }
  }, 120_000);
});
