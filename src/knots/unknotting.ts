/**
 * Unknotting as a game ("Learning to Unknot", NN-QFT triangle talk: "Unknotting with RL").
 *
 * State: a braid word with a cursor at one of its letters, zero-padded to a fixed length 2N for an
 * N-letter start (the talk's state space). Actions, each keeping the closure's knot type:
 *   0  shift the cursor left (cyclically),
 *   1  shift the cursor right,
 *   2  BR1 at the cursor (swap the letter there with the next when they commute), then shift right,
 *   3  BR2 at the cursor (a b a -> b a b for letters of one sign with | |a| - |b| | = 1), then shift right
 *      (both read the word cyclically, as the closure does: the letters may wrap round its end),
 *   4  SMARTCOLLAPSE: destabilise and cancel inverse pairs (cyclically) until nothing changes,
 *   5 + 2(i - 1) and 6 + 2(i - 1): Markov 1, conjugation by sigma_i and by sigma_i^(-1), i = 1 .. n - 1
 *      (the cursor stays on the same letter; refused when the word would outgrow 2N).
 * A move that does not apply leaves the state unchanged (it still costs a step). The reward of a step
 * is minus the braid length after it, divided by N (the talk's "negative braid length", scaled so that
 * returns are comparable across N); an episode ends at the empty word (the unknot on one strand)
 * or after `maxSteps` moves (the talk's 300). SMARTCOLLAPSE is the only move that shortens a word.
 */
import { Rng } from '../core/random';
import { checkPositiveInteger, fail } from '../core/validate';
import { Braid, braidRelation, commute, conjugate, rotate, smartCollapse } from './braid';

/** The talk's step cap. */
export const MAX_UNKNOT_STEPS = 300;

/** Number of actions on n strands: 5 + 2 (n - 1). */
export function unknotActions(strands: number): number {
  return 5 + 2 * (strands - 1);
}

/** Short names of the actions on n strands (for tables of what an agent does). */
export function unknotActionNames(strands: number): string[] {
  const names = ['shift left', 'shift right', 'BR1 + shift', 'BR2 + shift', 'SmartCollapse'];
  for (let i = 1; i < strands; i++) names.push(`conjugate s${i}`, `conjugate s${i}^-1`);
  return names;
}

/** One game: the braid, the cursor and the steps taken. */
export class UnknotGame {
  /** Number of letters of the padded state (2N). */
  readonly capacity: number;
  /** Number of strands of the start (the action space is fixed by it). */
  readonly strands: number;
  braid: Braid;
  cursor = 0;
  steps = 0;

  constructor(start: Braid, readonly maxSteps = MAX_UNKNOT_STEPS, capacity = 2 * start.word.length) {
    this.strands = start.strands;
    this.braid = start;
    this.capacity = Math.max(capacity, start.word.length, 2);
  }

  get length(): number {
    return this.braid.word.length;
  }

  /** True at the empty word. */
  get solved(): boolean {
    return this.braid.word.length === 0;
  }

  get done(): boolean {
    return this.solved || this.steps >= this.maxSteps;
  }

  /** The state after `action` without taking it (the braid and the cursor). */
  peek(action: number): { braid: Braid; cursor: number } {
    const b = this.braid;
    const L = b.word.length;
    const right = (k: number, len: number) => (len ? (k + 1) % len : 0);
    switch (action) {
      case 0:
        return { braid: b, cursor: L ? (this.cursor + L - 1) % L : 0 };
      case 1:
        return { braid: b, cursor: right(this.cursor, L) };
      case 2:
        return { braid: cyclicMove(b, this.cursor, commute), cursor: right(this.cursor, L) };
      case 3:
        return { braid: cyclicMove(b, this.cursor, braidRelation), cursor: right(this.cursor, L) };
      case 4: {
        const c = smartCollapse(b);
        return { braid: c, cursor: Math.min(this.cursor, Math.max(0, c.word.length - 1)) };
      }
      default: {
        const j = action - 5;
        const i = 1 + (j >> 1);
        if (j < 0 || i >= b.strands || L + 2 > this.capacity) return { braid: b, cursor: this.cursor };
        return { braid: conjugate(b, j % 2 === 0 ? i : -i), cursor: this.cursor + 1 };
      }
    }
  }

  /** Take `action`; returns the reward, minus the new length over N. */
  step(action: number): number {
    const next = this.peek(action);
    this.braid = next.braid;
    this.cursor = next.cursor;
    this.steps++;
    return -this.braid.word.length / (this.capacity / 2);
  }

  /**
   * The state as tokens, read from the cursor round the (cyclic) word and zero-padded to `capacity`:
   * token 0 pads, letter g on the start's n strands is g + n for g < 0 and g + n - 1 for g > 0.
   */
  encode(out: Float32Array | Int32Array, offset = 0): void {
    const w = this.braid.word;
    const n = this.strands;
    for (let k = 0; k < this.capacity; k++) {
      if (k < w.length) {
        const g = w[(this.cursor + k) % w.length];
        out[offset + k] = g < 0 ? g + n : g + n - 1;
      } else out[offset + k] = 0;
    }
  }
}

/**
 * A move at position k of the closed (cyclic) word: applied to the word rotated so that k comes first,
 * then rotated back (the letters it replaces may wrap round the end); b itself when it does not apply.
 */
function cyclicMove(b: Braid, k: number, move: (b: Braid, k: number) => Braid | null): Braid {
  const L = b.word.length;
  if (k + 3 <= L) return move(b, k) ?? b;
  const r = move(rotate(b, k), 0);
  return r ? rotate(r, L - k) : b;
}

/** Number of tokens of the encoded state on n strands: 2n - 1 (padding included). */
export function unknotTokens(strands: number): number {
  return 2 * strands - 1;
}

/** Outcome of playing a set of games: which were unknotted, in how many moves, the final lengths. */
export interface UnknotOutcome {
  readonly solved: boolean[];
  readonly moves: number[];
  readonly finalLength: number[];
  /** Fraction solved with its binomial standard error. */
  readonly fraction: number;
  readonly stdErr: number;
  /** How often each action was taken, over all games. */
  readonly actionCounts: number[];
}

/** Summarise finished games. */
export function unknotOutcome(games: readonly UnknotGame[], actionCounts: number[]): UnknotOutcome {
  const solved = games.map((g) => g.solved);
  const fraction = solved.filter(Boolean).length / Math.max(1, games.length);
  return {
    solved,
    moves: games.map((g) => g.steps),
    finalLength: games.map((g) => g.length),
    fraction,
    stdErr: Math.sqrt((fraction * (1 - fraction)) / Math.max(1, games.length)),
    actionCounts,
  };
}

/** A policy of the baselines: the action to take in a game. */
export type UnknotPolicy = (game: UnknotGame, rng: Rng) => number;

/** The random walker: every action with equal probability. */
export const randomWalker: UnknotPolicy = (game, rng) => Math.floor(rng.uniform() * unknotActions(game.strands));

/**
 * The greedy player: the action whose result is shortest, ties broken at random (in practice a random
 * walker that collapses whenever collapsing shortens the word).
 */
export const greedyPlayer: UnknotPolicy = (game, rng) => {
  const A = unknotActions(game.strands);
  let best = Infinity;
  let choice = 0;
  let ties = 0;
  for (let a = 0; a < A; a++) {
    const len = a === 4 || a >= 5 ? game.peek(a).braid.word.length : game.length;
    if (len < best) (best = len), (choice = a), (ties = 1);
    else if (len === best && rng.uniform() * ++ties < 1) choice = a;
  }
  return choice;
};

/** Play `policy` on every start braid (game s uses stream (seed, s)); returns the outcome. */
export function playUnknot(starts: readonly Braid[], policy: UnknotPolicy, options: { seed: number; maxSteps?: number }): UnknotOutcome {
  const maxSteps = checkPositiveInteger('playUnknot', 'maxSteps', options.maxSteps ?? MAX_UNKNOT_STEPS);
  if (!starts.length) fail('playUnknot', 'starts', 'at least one braid', 0);
  const games = starts.map((b) => new UnknotGame(b, maxSteps));
  const counts = new Array<number>(unknotActions(starts[0].strands)).fill(0);
  games.forEach((g, s) => {
    const rng = Rng.stream(options.seed, s);
    while (!g.done) {
      const a = policy(g, rng);
      counts[a]++;
      g.step(a);
    }
  });
  return unknotOutcome(games, counts);
}
