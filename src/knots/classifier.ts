/**
 * Deciding the unknot with a network ("Learning to Unknot", triangle talk: "Decisions and Reformers"):
 * braid words from the two priors (label 1: a random unknot, 0: a random knotted word), encoded as
 * tokens, and two classifiers in tfjs: a fully connected baseline on the one-hot word, and a
 * transformer with multi-head shared query-key attention (the Reformer's shared-QK: in each head
 * queries and keys are one projection, keys of unit length, and a token does not attend to itself),
 * mean-pooled into a linear readout. Its defaults (2 blocks, 4 heads, cyclic relative positions) come
 * from measurements at 3 strands and 12 letters with the priors of 2026-12-01 (commit 16a0cba), 2000
 * test words: with 6000 training words and 10 epochs, one block with one head and learned absolute
 * positions (the first version) 82.5% +- 0.9%, the same with 4 heads 90.3% +- 0.7%, the default
 * 90.9% +- 0.6%, the dense baseline 92.0% +- 0.6%; with 12000 words, 20 epochs, batch 256 and
 * learning rate 6e-3, the default 95.8% and 97.0% (seeds 0 and 1, about 2 minutes each on 2 cores)
 * against 91.5% for one cyclic block.
 *
 * Randomness: weights from stream (seed, 0), the mini-batch order of epoch e (0-based) from stream
 * (seed, 1 + e), so a run can stop after any epoch and resume to the same bits (`checkpoint`).
 *
 * Tokens: letter g on n strands is g + n - 1 for g < 0 and g + n - 2 for g > 0 (0 .. 2n - 3), words
 * zero-padded to a common length with the extra token 2n - 2.
 */
import * as fs from 'fs';
import type * as Tensors from '../core/backend';
import * as path from 'path';
import { checkWritableFile, checkWritableFolder, writeFileAtomic } from '../core/io';
import { Rng } from '../core/random';
import { checkNonNegativeInteger, checkPositiveInteger, checkPositiveNumber, fail } from '../core/validate';
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

/** The letter of a token on n strands (the inverse of `token`; not defined for the padding token 2n - 2). */
export function letter(t: number, strands: number): number {
  return t < strands - 1 ? t - strands + 1 : t - strands + 2;
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

/**
 * Position information of the transformer: 'learned' adds a learned vector per position to the
 * embedding (absolute positions); 'cyclic' adds none and instead gives each attention layer a
 * learned bias b[(j - i) mod L] on the score of token i attending to token j. A braid's closure does
 * not change when its word is rotated (conjugation), and with 'cyclic' the whole network is exactly
 * invariant under that rotation: the symmetry is built in rather than learned.
 */
export type PositionalEncoding = 'learned' | 'cyclic';

export interface ClassifierOptions {
  kind: ClassifierKind;
  train: UnknotDataset;
  test: UnknotDataset;
  /** Total number of epochs (a resumed run trains only those its checkpoint lacks). */
  epochs: number;
  /** Default 64. */
  batchSize?: number;
  /** Model width (embedding and hidden size), default 32. */
  width?: number;
  /** Adam learning rate, default 3e-3. */
  learningRate?: number;
  /** Transformer only: attention blocks (shared-QK attention + feed-forward, each residual), default 2. */
  layers?: number;
  /** Transformer only: attention heads, each with its own shared query-key projection of width / heads; must divide width; default 4. */
  heads?: number;
  /** Transformer only: 'cyclic' (default) or 'learned' (see `PositionalEncoding`). */
  positional?: PositionalEncoding;
  seed: number;
  /**
   * A JSON file (its folder created when missing) written atomically after every epoch (weights, Adam state, loss history, and a
   * fingerprint of everything that determines the weights: kind, strands, length, the training words
   * (count and hash), seed, width, learning rate, batch size, layers, heads, positional). When it exists
   * at the start and its fingerprint matches, training resumes from it, bit for bit as if never
   * interrupted; when it does not match, the call fails naming `checkpoint` and what differs. Neither
   * the epoch target nor the test set is in the fingerprint: a run resumes to a larger `epochs`, a
   * finished one is read back and measured on any test set (asking for fewer epochs than the file
   * holds is refused).
   */
  checkpoint?: string;
  progress?: boolean;
}

/** Test accuracy with its binomial standard error, the training loss per epoch, and the test confidences P(unknot). */
export interface ClassifierResult {
  readonly kind: ClassifierKind;
  readonly accuracy: number;
  readonly stdErr: number;
  /** Mean training loss of every epoch, those of a resumed checkpoint included. */
  readonly loss: number[];
  readonly confidence: Float32Array;
  readonly parameters: number;
  /** Wall time of this call (a resumed run counts only what it did). */
  readonly seconds: number;
  /** The epoch the run resumed from (0: trained from the start). */
  readonly resumedFrom: number;
}

/** What determines a training run's weights: a checkpoint resumes only a run with the same fingerprint (the epoch target is not part of it). */
interface Fingerprint {
  kind: ClassifierKind;
  strands: number;
  length: number;
  trainCount: number;
  trainHash: string;
  seed: number;
  width: number;
  learningRate: number;
  batchSize: number;
  layers: number;
  heads: number;
  positional: PositionalEncoding | 'none';
}

interface CheckpointFile {
  format: typeof CHECKPOINT_FORMAT;
  fingerprint: Fingerprint;
  epoch: number;
  loss: number[];
  weights: { shape: number[]; values: number[] }[];
  optimizer: { iterations: number; accBeta1: number; accBeta2: number; moments: { name: string; shape: number[]; values: number[] }[] };
}

const CHECKPOINT_FORMAT = 'nnft-unknot-classifier-checkpoint-1';

/** FNV-1a (32 bits) over the bytes of the training words and labels, with the count, as hex. */
function datasetHash(data: UnknotDataset): string {
  let h = 0x811c9dc5;
  for (const a of [data.tokens, data.labels]) {
    const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  }
  return `${(h >>> 0).toString(16).padStart(8, '0')}:${data.count}`;
}

/** Where a checkpoint's fingerprint differs from this run's: "key: value in the file, value here". */
function fingerprintDiff(here: Fingerprint, file: Partial<Fingerprint>): string[] {
  return (Object.keys(here) as (keyof Fingerprint)[]).filter((k) => here[k] !== file[k]).map((k) => `${k}: ${JSON.stringify(file[k])} in the file, ${JSON.stringify(here[k])} here`);
}

/** A refusal in the format of `fail`, with `got` written as it is (a file name and what is wrong with it). */
function refuse(fn: string, arg: string, must: string, got: string): never {
  throw new RangeError(`${fn}: ${arg} must be ${must}, got ${got}`);
}

function readCheckpoint(fn: string, file: string, want: Fingerprint, epochs: number): CheckpointFile | null {
  if (!fs.existsSync(file)) return null;
  let ck: CheckpointFile;
  const name = JSON.stringify(file);
  try {
    ck = JSON.parse(fs.readFileSync(file, 'utf8')) as CheckpointFile;
  } catch (err) {
    return refuse(fn, 'checkpoint', 'a readable checkpoint JSON file', `${name} (${(err as Error).message})`);
  }
  if (!ck || ck.format !== CHECKPOINT_FORMAT || typeof ck.fingerprint !== 'object' || ck.fingerprint === null) {
    refuse(fn, 'checkpoint', `a checkpoint file of format ${CHECKPOINT_FORMAT}`, name);
  }
  const diff = fingerprintDiff(want, ck.fingerprint);
  if (diff.length) refuse(fn, 'checkpoint', 'a checkpoint of this run (same kind, training data, seed, width, learning rate, batch size, layers, heads, positional)', `${name}, which differs in ${diff.join('; ')} (delete it or name another file)`);
  if (!Number.isSafeInteger(ck.epoch) || ck.epoch < 1 || ck.epoch > epochs) {
    refuse(fn, 'checkpoint', `a checkpoint of 1 to epochs = ${epochs} epochs`, `${name} at epoch ${ck.epoch}`);
  }
  return ck;
}

/**
 * Train a classifier on `train` and measure it on `test` (sigmoid cross-entropy, Adam, mini-batches
 * shuffled by a seeded stream per epoch; weights initialised from their own stream).
 */
export async function trainUnknotClassifier(options: ClassifierOptions): Promise<ClassifierResult> {
  const fn = 'trainUnknotClassifier';
  const { train, test, kind } = options;
  if (kind !== 'dense' && kind !== 'transformer') fail(fn, 'kind', "'dense' or 'transformer'", kind);
  if (train.strands !== test.strands || train.length !== test.length) fail(fn, 'test', 'a data set of the training set\'s strands and length', `${test.strands} strands, length ${test.length}`);
  const epochs = checkPositiveInteger(fn, 'epochs', options.epochs);
  checkNonNegativeInteger(fn, 'seed', options.seed);
  const batch = checkPositiveInteger(fn, 'batchSize', options.batchSize ?? 64);
  const d = checkPositiveInteger(fn, 'width', options.width ?? 32);
  const lr = checkPositiveNumber(fn, 'learningRate', options.learningRate ?? 3e-3);
  if (kind === 'dense' && options.layers !== undefined) fail(fn, 'layers', "unset for kind 'dense' (a transformer option)", options.layers);
  if (kind === 'dense' && options.positional !== undefined) fail(fn, 'positional', "unset for kind 'dense' (a transformer option)", options.positional);
  if (kind === 'dense' && options.heads !== undefined) fail(fn, 'heads', "unset for kind 'dense' (a transformer option)", options.heads);
  const layers = checkPositiveInteger(fn, 'layers', options.layers ?? 2);
  const heads = checkPositiveInteger(fn, 'heads', options.heads ?? 4);
  if (d % heads !== 0) fail(fn, 'heads', `a divisor of width = ${d}`, heads);
  const positional = options.positional ?? 'cyclic';
  if (positional !== 'learned' && positional !== 'cyclic') fail(fn, 'positional', "'learned' or 'cyclic'", positional);
  const checkpoint = options.checkpoint;
  if (checkpoint !== undefined) {
    if (typeof checkpoint !== 'string') fail(fn, 'checkpoint', 'a file path', checkpoint);
    if (checkpoint.trim() !== '' && !checkpoint.endsWith('/')) checkWritableFolder(path.dirname(path.resolve(checkpoint)), `${fn}: checkpoint folder`); // created when missing
    checkWritableFile(checkpoint, `${fn}: checkpoint`);
  }
  const fingerprint: Fingerprint = { kind, strands: train.strands, length: train.length, trainCount: train.count, trainHash: datasetHash(train), seed: options.seed, width: d, learningRate: lr, batchSize: batch, layers: kind === 'dense' ? 0 : layers, heads: kind === 'dense' ? 0 : heads, positional: kind === 'dense' ? 'none' : positional };
  const resume = checkpoint === undefined ? null : readCheckpoint(fn, checkpoint, fingerprint, epochs);
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
  const constants: Tensors.tf.Tensor[] = [];
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
    const cyclic = positional === 'cyclic';
    const E = v([V, d], 1 / Math.sqrt(d));
    const P = cyclic ? null : v([L, d], 0.1);
    const dh = d / heads;
    const blocks = Array.from({ length: layers }, () => ({
      Wqk: v([d, d], 1 / Math.sqrt(d)),
      Wv: v([d, d], 1 / Math.sqrt(d)),
      Wo: v([d, d], 1 / Math.sqrt(d)),
      W1: v([d, 2 * d], Math.sqrt(2 / d)),
      b1: v([2 * d], 0),
      W2: v([2 * d, d], Math.sqrt(1 / (2 * d))),
      R: cyclic ? v([L, heads], 0) : null, // per head, a bias by cyclic offset (j - i) mod L
    }));
    const Wout = v([d, 1], 1 / Math.sqrt(d));
    const bout = v([1], 0);
    const selfMask = tf.mul(tf.eye(L), -1e9);
    constants.push(selfMask);
    // offsets[i L + j, o] = 1 where o = (j - i) mod L: the bias matrix is offsets R (a product, not a gather; see below).
    const offsets = new Float32Array(L * L * L);
    for (let i = 0; i < L; i++) for (let j = 0; j < L; j++) offsets[(i * L + j) * L + ((j - i + L) % L)] = 1;
    const offsetMatrix = tf.tensor2d(offsets, [L * L, L]);
    constants.push(offsetMatrix);
    forward = (tok) => {
      const B = tok.shape[0];
      // Embedding as a one-hot product (the wasm backend has no gradient kernel for gather).
      const embedded = tf.reshape(tf.matMul(tf.reshape(tf.oneHot(tok, V), [B * L, V]), E), [B, L, d]); // [B, L, d]
      let x: Tensors.tf.Tensor = P ? tf.add(embedded, P) : embedded;
      const split = (t: Tensors.tf.Tensor) => tf.transpose(tf.reshape(t, [B, L, heads, dh]), [0, 2, 1, 3]); // [B, heads, L, dh]
      for (const { Wqk, Wv, Wo, W1, b1, W2, R } of blocks) {
        const flat = tf.reshape(x, [B * L, d]);
        const qk = split(tf.matMul(flat, Wqk));
        const unit = tf.div(qk, tf.add(tf.norm(qk, 'euclidean', -1, true), 1e-6)); // shared-QK: one projection, unit keys
        const values = split(tf.matMul(flat, Wv));
        const mask = R ? tf.add(selfMask, tf.transpose(tf.reshape(tf.matMul(offsetMatrix, R), [L, L, heads]), [2, 0, 1])) : selfMask;
        const scores = tf.add(tf.mul(tf.matMul(unit, unit, false, true), Math.sqrt(dh)), mask); // [B, heads, L, L]
        const attended = tf.transpose(tf.matMul(tf.softmax(scores), values), [0, 2, 1, 3]); // [B, L, heads, dh]
        const h = tf.add(x, tf.reshape(tf.matMul(tf.reshape(attended, [B * L, d]), Wo), [B, L, d]));
        const hf = tf.reshape(h, [B * L, d]);
        x = tf.reshape(tf.add(hf, tf.matMul(tf.relu(tf.add(tf.matMul(hf, W1), b1)), W2)), [B, L, d]);
      }
      const pooled = tf.mean(x, 1);
      return tf.reshape(tf.add(tf.matMul(pooled, Wout), bout), [-1]) as Tensors.tf.Tensor1D;
    };
  }
  const optimizer = tf.train.adam(lr);
  try {
    // Adam's running powers beta^t: tfjs's setWeights recomputes them with pow(), which can differ in
    // the last bit from the product the uninterrupted run carries, so they are saved and restored as they are.
    const adamPowers = optimizer as unknown as { accBeta1: Tensors.tf.Variable; accBeta2: Tensors.tf.Variable };
    const n = train.count;
    const loss: number[] = [];
    let startEpoch = 0;
    if (resume) {
      const shapesMatch = resume.weights.length === vars.length && resume.weights.every((w, i) => w.values.length === vars[i].size && w.shape.join() === vars[i].shape.join());
      if (!shapesMatch || resume.optimizer.moments.length !== 2 * vars.length) refuse(fn, 'checkpoint', 'a checkpoint with the weights of this model', `${JSON.stringify(checkpoint)} (shapes differ)`);
      resume.weights.forEach((w, i) => tf.tidy(() => vars[i].assign(tf.tensor(Float32Array.from(w.values), vars[i].shape))));
      const named = [{ name: 'iter', tensor: tf.scalar(resume.optimizer.iterations, 'int32') as Tensors.tf.Tensor }, ...resume.optimizer.moments.map((m) => ({ name: m.name, tensor: tf.tensor(Float32Array.from(m.values), m.shape) as Tensors.tf.Tensor }))];
      await optimizer.setWeights(named);
      tf.dispose(named.map((x) => x.tensor));
      tf.tidy(() => {
        adamPowers.accBeta1.assign(tf.scalar(resume.optimizer.accBeta1));
        adamPowers.accBeta2.assign(tf.scalar(resume.optimizer.accBeta2));
      });
      loss.push(...resume.loss);
      startEpoch = resume.epoch;
    }
    const save = async (epoch: number) => {
      const weights = await Promise.all(vars.map(async (x) => ({ shape: x.shape, values: Array.from(await x.data()) })));
      const named = await optimizer.getWeights();
      const iterations = (await named[0].tensor.data())[0];
      named[0].tensor.dispose(); // the iteration count is a fresh scalar; the moments are the optimizer's own variables
      const moments = await Promise.all(named.slice(1).map(async (m) => ({ name: m.name, shape: m.tensor.shape, values: Array.from(await m.tensor.data()) })));
      const file: CheckpointFile = {
        format: CHECKPOINT_FORMAT,
        fingerprint,
        epoch,
        loss,
        weights,
        optimizer: { iterations, accBeta1: (await adamPowers.accBeta1.data())[0], accBeta2: (await adamPowers.accBeta2.data())[0], moments },
      };
      writeFileAtomic(checkpoint!, JSON.stringify(file));
    };
    const bar = progressBar(`${kind} classifier`, epochs - startEpoch, 'epochs', options.progress ?? true);
    try {
      for (let e = startEpoch; e < epochs; e++) {
        const order = Array.from({ length: n }, (_, i) => i);
        const shuffle = Rng.stream(options.seed, 1 + e);
        for (let i = n - 1; i > 0; i--) {
          const j = Math.floor(shuffle.uniform() * (i + 1));
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
        if (checkpoint !== undefined) await save(e + 1);
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
    return { kind, accuracy, stdErr: Math.sqrt((accuracy * (1 - accuracy)) / test.count), loss, confidence, parameters, seconds: (Date.now() - started) / 1000, resumedFrom: startEpoch };
  } finally {
    tf.dispose(vars);
    tf.dispose(constants);
    optimizer.dispose();
  }
}
