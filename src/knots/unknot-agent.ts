/**
 * A policy-gradient unknotter ("Learning to Unknot", NN-QFT triangle talk: "Unknotting with RL",
 * "Results + Interpretability"). The talk trains TRPO and A3C; here the agent is PPO (proximal policy
 * optimisation), TRPO's first-order cousin: the same trust region, kept by clipping the probability
 * ratio instead of a KL constraint solved with conjugate gradients.
 *
 * Policy and value are two networks of two tanh layers on the one-hot state of `UnknotGame.encode`
 * (the padded word read from the cursor). Rollouts run `games` games side by side, each restarted
 * from a fresh random unknot of the training prior when it ends; advantages from GAE(gamma, lambda);
 * per update `epochs` passes of clipped-surrogate + value + entropy loss over shuffled mini-batches.
 * Everything random (weights, start braids, actions, shuffles) comes from seeded streams.
 */
import type * as Tensors from '../core/backend';
import { Rng } from '../core/random';
import { checkPositiveInteger, fail } from '../core/validate';
import { progressBar } from '../core/progress';
import { Braid, randomUnknot } from './braid';
import { MAX_UNKNOT_STEPS, UnknotGame, UnknotOutcome, unknotActions, unknotOutcome, unknotTokens } from './unknotting';

const tensors = (): typeof Tensors => require('../core/backend');

export interface UnknotAgentOptions {
  /** Strands of the training unknots. */
  strands: number;
  /** Longest training unknot (N letters; the state is padded to 2N). */
  length: number;
  /**
   * Shortest training unknot, default strands + 1: start lengths are drawn uniformly from the
   * admissible ones in [minLength, N] (a curriculum: short words teach what long ones need).
   */
  minLength?: number;
  /** PPO updates. */
  updates: number;
  seed: number;
  /** Games played side by side, default 32. */
  games?: number;
  /** Steps per game per update, default 64. */
  horizon?: number;
  /** Passes over each rollout, default 4; mini-batch size default 256. */
  epochs?: number;
  batchSize?: number;
  /** Hidden width, default 128. */
  width?: number;
  /** Adam learning rate, default 1e-3. */
  learningRate?: number;
  /** Discount and GAE lambda, default 0.99 and 0.95; clip 0.2; entropy weight 0.01. */
  gamma?: number;
  lambda?: number;
  clip?: number;
  entropy?: number;
  /** Step cap per game, default the talk's 300. */
  maxSteps?: number;
  progress?: boolean;
}

/** A trained agent: its action probabilities, a way to play, the learning curve. */
export interface UnknotAgent {
  readonly strands: number;
  readonly capacity: number;
  /** Per update: the fraction of the games finished in that rollout that were solved (NaN when none finished), how many finished, their mean final length. */
  readonly curve: { solved: number; finished: number; meanLength: number }[];
  readonly parameters: number;
  readonly seconds: number;
  /** Play the agent (sampling its policy, stream (seed, s) for game s) on each start braid. */
  play(starts: readonly Braid[], options: { seed: number; maxSteps?: number }): Promise<UnknotOutcome>;
  /** Action probabilities for the current state of each game. */
  probabilities(games: readonly UnknotGame[]): Promise<Float32Array[]>;
  dispose(): void;
}

/** Train the PPO unknotter on random unknots of the prior (`randomUnknot`, stream (seed + 1, k) for the k-th start, its length drawn first). */
export async function trainUnknotAgent(options: UnknotAgentOptions): Promise<UnknotAgent> {
  const fn = 'trainUnknotAgent';
  const strands = checkPositiveInteger(fn, 'strands', options.strands);
  if (strands < 3) fail(fn, 'strands', 'at least 3', strands);
  const N = checkPositiveInteger(fn, 'length', options.length);
  if ((N - strands + 1) % 2 !== 0 || N < strands - 1) fail(fn, 'length', `an integer >= ${strands - 1} with the parity of strands - 1`, N);
  const minLength = checkPositiveInteger(fn, 'minLength', options.minLength ?? Math.min(N, strands + 1));
  if (minLength > N || minLength < strands - 1) fail(fn, 'minLength', `an integer in [${strands - 1}, ${N}]`, minLength);
  const lengths: number[] = [];
  for (let l = minLength; l <= N; l++) if ((l - strands + 1) % 2 === 0) lengths.push(l);
  const updates = checkPositiveInteger(fn, 'updates', options.updates);
  const E = checkPositiveInteger(fn, 'games', options.games ?? 32);
  const T = checkPositiveInteger(fn, 'horizon', options.horizon ?? 64);
  const epochs = checkPositiveInteger(fn, 'epochs', options.epochs ?? 4);
  const batch = checkPositiveInteger(fn, 'batchSize', options.batchSize ?? 256);
  const H = checkPositiveInteger(fn, 'width', options.width ?? 128);
  const maxSteps = checkPositiveInteger(fn, 'maxSteps', options.maxSteps ?? MAX_UNKNOT_STEPS);
  const lr = options.learningRate ?? 1e-3;
  const gamma = options.gamma ?? 0.99;
  const lambda = options.lambda ?? 0.95;
  const clip = options.clip ?? 0.2;
  const entropyWeight = options.entropy ?? 0.01;
  for (const [name, v] of [['learningRate', lr], ['gamma', gamma], ['lambda', lambda], ['clip', clip]] as const) {
    if (!(v > 0 && v <= 1)) fail(fn, name, 'a number in (0, 1]', v);
  }
  if (!(entropyWeight >= 0)) fail(fn, 'entropy', 'a non-negative number', entropyWeight);
  const { tf } = tensors();
  await tensors().ensureBackend();
  const started = Date.now();
  const C = 2 * N;
  const V = unknotTokens(strands);
  const A = unknotActions(strands);
  const D = C * V;
  const init = Rng.stream(options.seed, 0);
  const vars: Tensors.tf.Variable[] = [];
  const v = (shape: number[], scale: number) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const a = new Float32Array(size);
    for (let i = 0; i < size; i++) a[i] = init.normal() * scale;
    const x = tf.variable(tf.tensor(a, shape));
    vars.push(x);
    return x;
  };
  const mlp = (out: number, last: number) => {
    const W1 = v([D, H], Math.sqrt(1 / D));
    const b1 = v([H], 0);
    const W2 = v([H, H], Math.sqrt(1 / H));
    const b2 = v([H], 0);
    const W3 = v([H, out], last / Math.sqrt(H));
    const b3 = v([out], 0);
    return (x: Tensors.tf.Tensor2D) => tf.add(tf.matMul(tf.tanh(tf.add(tf.matMul(tf.tanh(tf.add(tf.matMul(x, W1), b1)), W2), b2)), W3), b3) as Tensors.tf.Tensor2D;
  };
  const policyNet = mlp(A, 0.01);
  const valueNet = mlp(1, 1);
  const oneHot = (tok: Int32Array, rows: number) => tf.reshape(tf.oneHot(tf.tensor2d(tok, [rows, C], 'int32'), V), [rows, D]) as Tensors.tf.Tensor2D;

  const encode = (games: readonly UnknotGame[]) => {
    const tok = new Int32Array(games.length * C);
    games.forEach((g, i) => g.encode(tok, i * C));
    return tok;
  };
  const forward = async (tok: Int32Array, rows: number) => {
    const [p, val] = tf.tidy(() => {
      const x = oneHot(tok, rows);
      return [tf.softmax(policyNet(x)), tf.reshape(valueNet(x), [-1])];
    });
    const out = { probs: (await p.data()) as Float32Array, values: (await val.data()) as Float32Array };
    tf.dispose([p, val]);
    return out;
  };
  const sample = (probs: Float32Array, row: number, rng: Rng) => {
    let u = rng.uniform();
    for (let a = 0; a < A; a++) {
      u -= probs[row * A + a];
      if (u < 0) return a;
    }
    return A - 1;
  };

  // Training games, restarted from fresh prior draws.
  let drawn = 0;
  const fresh = () => {
    const rng = Rng.stream(options.seed + 1, drawn++);
    const length = lengths[Math.floor(rng.uniform() * lengths.length)];
    return new UnknotGame(randomUnknot(rng, strands, length), maxSteps, C);
  };
  const games = Array.from({ length: E }, fresh);
  const actRng = Rng.stream(options.seed, 1);
  const optimizer = tf.train.adam(lr);
  const curve: { solved: number; finished: number; meanLength: number }[] = [];
  const S = E * T;
  const obs = new Int32Array(S * C);
  const actions = new Int32Array(S);
  const oldLogp = new Float32Array(S);
  const values = new Float32Array(S);
  const rewards = new Float32Array(S);
  const dones = new Uint8Array(S);
  const adv = new Float32Array(S);
  const ret = new Float32Array(S);
  const bar = progressBar(`PPO unknotter (N = ${N}, ${strands} strands)`, updates, 'updates', options.progress ?? true);
  try {
    for (let u = 0; u < updates; u++) {
      let finished = 0;
      let solved = 0;
      let lengthSum = 0;
      for (let t = 0; t < T; t++) {
        const tok = encode(games);
        obs.set(tok, t * E * C);
        const { probs, values: val } = await forward(tok, E);
        for (let i = 0; i < E; i++) {
          const s = t * E + i;
          const a = sample(probs, i, actRng);
          actions[s] = a;
          oldLogp[s] = Math.log(Math.max(probs[i * A + a], 1e-12));
          values[s] = val[i];
          rewards[s] = games[i].step(a);
          dones[s] = games[i].done ? 1 : 0;
          if (games[i].done) {
            finished++;
            if (games[i].solved) solved++;
            lengthSum += games[i].length;
            games[i] = fresh();
          }
        }
      }
      // Bootstrap values of the unfinished games, then GAE backwards in time.
      const last = (await forward(encode(games), E)).values;
      for (let i = 0; i < E; i++) {
        let gae = 0;
        let nextValue = last[i];
        for (let t = T - 1; t >= 0; t--) {
          const s = t * E + i;
          const notDone = dones[s] ? 0 : 1;
          const delta = rewards[s] + gamma * nextValue * notDone - values[s];
          gae = delta + gamma * lambda * notDone * gae;
          adv[s] = gae;
          ret[s] = gae + values[s];
          nextValue = values[s];
        }
      }
      let mean = 0;
      for (let s = 0; s < S; s++) mean += adv[s];
      mean /= S;
      let sq = 0;
      for (let s = 0; s < S; s++) sq += (adv[s] - mean) ** 2;
      const sd = Math.sqrt(sq / S) + 1e-8;
      for (let s = 0; s < S; s++) adv[s] = (adv[s] - mean) / sd;
      const order = Array.from({ length: S }, (_, s) => s);
      const shuffle = Rng.stream(options.seed + 2, u);
      for (let e = 0; e < epochs; e++) {
        for (let i = S - 1; i > 0; i--) {
          const j = Math.floor(shuffle.uniform() * (i + 1));
          [order[i], order[j]] = [order[j], order[i]];
        }
        for (let start = 0; start < S; start += batch) {
          const idx = order.slice(start, start + batch);
          const m = idx.length;
          const tok = new Int32Array(m * C);
          const act = new Int32Array(m);
          const lp = new Float32Array(m);
          const ad = new Float32Array(m);
          const rt = new Float32Array(m);
          idx.forEach((s, r) => {
            tok.set(obs.subarray(s * C, (s + 1) * C), r * C);
            act[r] = actions[s];
            lp[r] = oldLogp[s];
            ad[r] = adv[s];
            rt[r] = ret[s];
          });
          const tAct = tf.oneHot(tf.tensor1d(act, 'int32'), A);
          const tLp = tf.tensor1d(lp);
          const tAd = tf.tensor1d(ad);
          const tRt = tf.tensor1d(rt);
          const loss = optimizer.minimize(() => {
            const x = oneHot(tok, m);
            const logp = tf.logSoftmax(policyNet(x));
            const taken = tf.sum(tf.mul(logp, tAct), 1);
            const ratio = tf.exp(tf.sub(taken, tLp));
            const surrogate = tf.minimum(tf.mul(ratio, tAd), tf.mul(tf.clipByValue(ratio, 1 - clip, 1 + clip), tAd));
            const entropy = tf.neg(tf.sum(tf.mul(tf.exp(logp), logp), 1));
            const valueLoss = tf.mean(tf.square(tf.sub(tf.reshape(valueNet(x), [-1]), tRt)));
            return tf.add(tf.neg(tf.mean(tf.add(surrogate, tf.mul(entropy, entropyWeight)))), tf.mul(valueLoss, 0.5)) as Tensors.tf.Scalar;
          }, true, vars);
          tf.dispose([tAct, tLp, tAd, tRt, loss!]);
        }
      }
      curve.push({ solved: finished ? solved / finished : NaN, finished, meanLength: finished ? lengthSum / finished : NaN });
      bar.tick(1);
    }
  } finally {
    bar.done();
    optimizer.dispose();
  }

  const probabilities = async (gs: readonly UnknotGame[]) => {
    const { probs } = await forward(encode(gs), gs.length);
    return gs.map((_, i) => probs.slice(i * A, (i + 1) * A));
  };
  const play = async (starts: readonly Braid[], opts: { seed: number; maxSteps?: number }): Promise<UnknotOutcome> => {
    const cap = checkPositiveInteger('play', 'maxSteps', opts.maxSteps ?? maxSteps);
    for (const b of starts) {
      if (b.strands !== strands) fail('play', 'starts', `braids on ${strands} strands (the agent's)`, b.strands);
      if (b.word.length > C) fail('play', 'starts', `words of at most ${C} letters (the agent's state)`, b.word.length);
    }
    const gs = starts.map((b) => new UnknotGame(b, cap, C));
    const rngs = starts.map((_, s) => Rng.stream(opts.seed, s));
    const counts = new Array<number>(A).fill(0);
    for (;;) {
      const live = gs.map((g, s) => s).filter((s) => !gs[s].done);
      if (!live.length) break;
      const { probs } = await forward(encode(live.map((s) => gs[s])), live.length);
      live.forEach((s, r) => {
        const a = sample(probs, r, rngs[s]);
        counts[a]++;
        gs[s].step(a);
      });
    }
    return unknotOutcome(gs, counts);
  };
  return {
    strands,
    capacity: C,
    curve,
    parameters: vars.reduce((a, x) => a + x.size, 0),
    seconds: (Date.now() - started) / 1000,
    play,
    probabilities,
    dispose: () => tf.dispose(vars),
  };
}
