/**
 * Deciding the unknot with a network ("Learning to Unknot", triangle talk: "Decisions and Reformers"):
 * braid words from the two priors (label 1: a random unknot, 0: a random knotted word), encoded as
 * tokens, and two classifiers in tfjs: a fully connected baseline on the one-hot word, and a
 * one-layer transformer with shared query-key attention (the Reformer's shared-QK: queries and keys
 * are one projection, and a token does not attend to itself).
 *
 * Tokens: letter g on n strands is g + n - 1 for g < 0 and g + n - 2 for g > 0 (0 .. 2n - 3), words
 * zero-padded to a common length with the extra token 2n - 2.
 */
import type * as Tensors from '../core/backend';
import { Rng } from '../core/random';
import { checkPositiveInteger, fail } from '../core/validate';
import { progressBar } from '../core/progress';
import { randomUnknot } from './braid';
import { randomKnot } from './invariants';

const tensors = (): typeof Tensors => require('../core/backend');

/** A labelled set of braid words: `tokens[s * length + k]`, `labels[s]` = 1 for an unknot. */
export interface UnknotDataset {
  readonly strands: number;
  readonly length: number;
  readonly count: number;
  readonly tokens: Int32Array;
  readonly labels: Float32Array;
}

/** The token of a letter on n strands (see the module comment); `vocabulary(n)` tokens in all. */
export function token(g: number, strands: number): number {
  return g < 0 ? g + strands - 1 : g + strands - 2;
}

/** Number of distinct tokens on n strands, padding included: 2n - 1. */
export function vocabulary(strands: number): number {
  return 2 * strands - 1;
}

/** `count` words (half unknots, half knots, interleaved) of `length` letters on n strands, sample s from stream (seed, s). */
export function unknotDataset(options: { strands: number; length: number; count: number; seed: number }): UnknotDataset {
  const fn = 'unknotDataset';
  const strands = checkPositiveInteger(fn, 'strands', options.strands);
  const length = checkPositiveInteger(fn, 'length', options.length);
  const count = checkPositiveInteger(fn, 'count', options.count);
  const tokens = new Int32Array(count * length);
  const labels = new Float32Array(count);
  for (let s = 0; s < count; s++) {
    const rng = Rng.stream(options.seed, s);
    const unknot = s % 2 === 0;
    const b = unknot ? randomUnknot(rng, strands, length) : randomKnot(rng, strands, length);
    b.word.forEach((g, k) => (tokens[s * length + k] = token(g, strands)));
    labels[s] = unknot ? 1 : 0;
  }
  return { strands, length, count, tokens, labels };
}

export type ClassifierKind = 'dense' | 'transformer';

export interface ClassifierOptions {
  kind: ClassifierKind;
  train: UnknotDataset;
  test: UnknotDataset;
  epochs: number;
  /** Default 64. */
  batchSize?: number;
  /** Model width (embedding and hidden size), default 32. */
  width?: number;
  /** Adam learning rate, default 3e-3. */
  learningRate?: number;
  seed: number;
  progress?: boolean;
}

/** Test accuracy with its binomial standard error, the training loss per epoch, and the test confidences P(unknot). */
export interface ClassifierResult {
  readonly kind: ClassifierKind;
  readonly accuracy: number;
  readonly stdErr: number;
  readonly loss: number[];
  readonly confidence: Float32Array;
  readonly parameters: number;
  readonly seconds: number;
}

/**
 * Train a classifier on `train` and measure it on `test` (sigmoid cross-entropy, Adam, mini-batches
 * shuffled by a seeded stream; weights initialised from the same stream).
 */
export async function trainUnknotClassifier(options: ClassifierOptions): Promise<ClassifierResult> {
  const fn = 'trainUnknotClassifier';
  const { train, test, kind } = options;
  if (kind !== 'dense' && kind !== 'transformer') fail(fn, 'kind', "'dense' or 'transformer'", kind);
  if (train.strands !== test.strands || train.length !== test.length) fail(fn, 'test', 'a data set of the training set\'s strands and length', `${test.strands} strands, length ${test.length}`);
  const epochs = checkPositiveInteger(fn, 'epochs', options.epochs);
  const batch = checkPositiveInteger(fn, 'batchSize', options.batchSize ?? 64);
  const d = checkPositiveInteger(fn, 'width', options.width ?? 32);
  const lr = options.learningRate ?? 3e-3;
  const { tf } = tensors();
  await tensors().ensureBackend();
  const started = Date.now();
  const V = vocabulary(train.strands);
  const L = train.length;
  const rng = Rng.stream(options.seed, 0);
  const init = (shape: number[], scale: number) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const a = new Float32Array(size);
    for (let i = 0; i < size; i++) a[i] = rng.normal() * scale;
    return tf.variable(tf.tensor(a, shape));
  };
  const vars: Tensors.tf.Variable[] = [];
  const v = (shape: number[], scale: number) => {
    const x = init(shape, scale);
    vars.push(x);
    return x;
  };
  let forward: (tok: Tensors.tf.Tensor2D) => Tensors.tf.Tensor1D;
  if (kind === 'dense') {
    const W1 = v([L * V, 4 * d], Math.sqrt(2 / (L * V)));
    const b1 = v([4 * d], 0);
    const W2 = v([4 * d, d], Math.sqrt(2 / (4 * d)));
    const b2 = v([d], 0);
    const W3 = v([d, 1], Math.sqrt(1 / d));
    const b3 = v([1], 0);
    forward = (tok) => {
      const x = tf.reshape(tf.oneHot(tok, V), [-1, L * V]);
      const h1 = tf.relu(tf.add(tf.matMul(x, W1), b1));
      const h2 = tf.relu(tf.add(tf.matMul(h1, W2), b2));
      return tf.reshape(tf.add(tf.matMul(h2, W3), b3), [-1]) as Tensors.tf.Tensor1D;
    };
  } else {
    const E = v([V, d], 1 / Math.sqrt(d));
    const P = v([L, d], 0.1);
    const Wqk = v([d, d], 1 / Math.sqrt(d));
    const Wv = v([d, d], 1 / Math.sqrt(d));
    const Wo = v([d, d], 1 / Math.sqrt(d));
    const W1 = v([d, 2 * d], Math.sqrt(2 / d));
    const b1 = v([2 * d], 0);
    const W2 = v([2 * d, d], Math.sqrt(1 / (2 * d)));
    const Wout = v([d, 1], 1 / Math.sqrt(d));
    const bout = v([1], 0);
    const selfMask = tf.mul(tf.eye(L), -1e9);
    forward = (tok) => {
      const B = tok.shape[0];
      // Embedding as a one-hot product (the wasm backend has no gradient kernel for gather).
      const x = tf.add(tf.reshape(tf.matMul(tf.reshape(tf.oneHot(tok, V), [B * L, V]), E), [B, L, d]), P); // [B, L, d]
      const flat = tf.reshape(x, [B * L, d]);
      const qk = tf.reshape(tf.matMul(flat, Wqk), [B, L, d]);
      const norm = tf.div(qk, tf.add(tf.norm(qk, 'euclidean', -1, true), 1e-6)); // shared-QK: unit keys
      const values = tf.reshape(tf.matMul(flat, Wv), [B, L, d]);
      const scores = tf.add(tf.mul(tf.matMul(norm, norm, false, true), Math.sqrt(d)), selfMask);
      const attended = tf.matMul(tf.softmax(scores), values); // [B, L, d]
      const h = tf.add(x, tf.reshape(tf.matMul(tf.reshape(attended, [B * L, d]), Wo), [B, L, d]));
      const hf = tf.reshape(h, [B * L, d]);
      const ff = tf.add(hf, tf.matMul(tf.relu(tf.add(tf.matMul(hf, W1), b1)), W2));
      const pooled = tf.mean(tf.reshape(ff, [B, L, d]), 1);
      return tf.reshape(tf.add(tf.matMul(pooled, Wout), bout), [-1]) as Tensors.tf.Tensor1D;
    };
  }
  const optimizer = tf.train.adam(lr);
  const n = train.count;
  const order = Array.from({ length: n }, (_, i) => i);
  const loss: number[] = [];
  const bar = progressBar(`${kind} classifier`, epochs, 'epochs', options.progress ?? true);
  try {
    for (let e = 0; e < epochs; e++) {
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(rng.uniform() * (i + 1));
        [order[i], order[j]] = [order[j], order[i]];
      }
      let total = 0;
      for (let start = 0; start < n; start += batch) {
        const idx = order.slice(start, start + batch);
        const tok = new Int32Array(idx.length * L);
        const lab = new Float32Array(idx.length);
        idx.forEach((s, r) => {
          tok.set(train.tokens.subarray(s * L, (s + 1) * L), r * L);
          lab[r] = train.labels[s];
        });
        const tTok = tf.tensor2d(tok, [idx.length, L], 'int32');
        const tLab = tf.tensor1d(lab);
        const l = optimizer.minimize(() => tf.losses.sigmoidCrossEntropy(tLab, forward(tTok)) as Tensors.tf.Scalar, true, vars);
        total += (await l!.data())[0] * idx.length;
        tf.dispose([tTok, tLab, l!]);
      }
      loss.push(total / n);
      bar.tick(1);
    }
  } finally {
    bar.done();
  }
  const confidence = new Float32Array(test.count);
  for (let start = 0; start < test.count; start += 512) {
    const m = Math.min(512, test.count - start);
    const out = tf.tidy(() => tf.sigmoid(forward(tf.tensor2d(test.tokens.subarray(start * L, (start + m) * L), [m, L], 'int32'))));
    confidence.set(await out.data(), start);
    out.dispose();
  }
  let correct = 0;
  for (let s = 0; s < test.count; s++) if ((confidence[s] > 0.5 ? 1 : 0) === test.labels[s]) correct++;
  const accuracy = correct / test.count;
  const parameters = vars.reduce((a, x) => a + x.size, 0);
  tf.dispose(vars);
  optimizer.dispose();
  return { kind, accuracy, stdErr: Math.sqrt((accuracy * (1 - accuracy)) / test.count), loss, confidence, parameters, seconds: (Date.now() - started) / 1000 };
}
