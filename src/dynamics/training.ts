/**
 * Training dynamics of ensembles in abc-form (TASI lectures section 4, eqs. (94)-(106)): full-batch
 * gradient descent on the MSE loss, and the width sweeps of section 4.3 (feature movement against
 * width, learning-rate sweeps) that tell the NTK, standard and maximal-update parameterizations
 * apart.
 *
 * Gradient descent: theta <- theta - eta grad_theta (1/2P) sum_alpha (phi(x_alpha) - y_alpha)^2 per
 * member, eta = eta0 gamma0^2 N^(2d - c) (eq. (106)); "time" t counts steps, so eq. (95) holds with
 * this eta per unit t. Everything summed (NTK entries, losses, means) is summed in float64 on the host.
 */
import { empiricalNtk } from './empirical-ntk';
import { AbcParameters, disposeParameters, forward, initParameters, memberChunks, pointsTensor, sliceMembers } from './parameters';
import { tf } from '../core/backend';
import { Net, reparameterized, withWidth } from '../nets/architectures';
import { AbcParameterization, ParameterizationName, learningRate } from '../nets/parameterization';
import { checkNonNegativeInteger, checkPositiveInteger, fail } from '../core/validate';

/** Options of `trainEnsemble`. */
export interface TrainOptions {
  /** Training inputs and targets (|D| = P_train points). */
  xTrain: readonly (readonly number[] | number)[];
  yTrain: readonly number[];
  /** Points where outputs are recorded (default: the training inputs). */
  xTest?: readonly (readonly number[] | number)[];
  /** eta0 (one value, or one per member); eta = eta0 gamma0^2 N^(2d - c). */
  eta0: number | readonly number[];
  steps: number;
  /** Steps at which outputs (and features) are recorded; 0 and `steps` always are. */
  recordAt?: readonly number[];
  /** Record per-layer feature movement (mean |z_t - z_0| over members' coordinates and train points). */
  recordFeatures?: boolean;
  /** Record each member's empirical NTK on the training inputs at the first and last step. */
  recordNtk?: boolean;
  /**
   * Members trained together (default: as many as fit 256 MiB of parameters). Members are
   * independent: the chunking changes memory use, not the numbers.
   */
  membersPerChunk?: number;
  /** Called after every step with the fraction of the training done. */
  onProgress?: (fraction: number) => void;
}

/** A trained ensemble's record; arrays are float64. */
export interface TrainingRecord {
  readonly steps: readonly number[];
  /** Learning rate eta used by each member. */
  readonly eta: readonly number[];
  /** outputs[s][e][p]: member e at recorded step s on xTest point p. */
  readonly outputs: Float64Array[][];
  /** loss[s][e]: (1/2P) sum (phi - y)^2 on the training set. */
  readonly loss: Float64Array[];
  /** featureChange[s][l][e]: mean |z^(l)_t - z^(l)_0| over hidden units and training points. */
  readonly featureChange?: Float64Array[][];
  /** ntk0[e], ntkEnd[e]: empirical NTK on the training inputs before and after training. */
  readonly ntk0?: number[][][];
  readonly ntkEnd?: number[][][];
}

/** The record of consecutive member chunks trained with the same options, as one record. */
function concatRecords(parts: TrainingRecord[]): TrainingRecord {
  const [head] = parts;
  const cat64 = (arrays: Float64Array[]) => {
    const out = new Float64Array(arrays.reduce((n, a) => n + a.length, 0));
    arrays.reduce((at, a) => (out.set(a, at), at + a.length), 0);
    return out;
  };
  return {
    steps: head.steps,
    eta: parts.flatMap((r) => r.eta),
    outputs: head.steps.map((_, s) => parts.flatMap((r) => r.outputs[s])),
    loss: head.steps.map((_, s) => cat64(parts.map((r) => r.loss[s]))),
    featureChange: head.featureChange && head.steps.map((_, s) => head.featureChange![s].map((__, l) => cat64(parts.map((r) => r.featureChange![s][l])))),
    ntk0: head.ntk0 && parts.flatMap((r) => r.ntk0!),
    ntkEnd: head.ntkEnd && parts.flatMap((r) => r.ntkEnd!),
  };
}

/**
 * Full-batch gradient descent on the MSE loss (TASI eqs. (76)-(77) with the loss of eq. (94), steps
 * of size eta = eta0 gamma0^2 N^(2d - c), eq. (106)) for every member of `params` (updated in place;
 * the tensors are replaced, so keep using the same `params` object).
 */
export function trainEnsemble(net: Net, params: AbcParameters, options: TrainOptions): TrainingRecord {
  const fn = 'trainEnsemble';
  const E = params.members;
  const Xtr = pointsTensor(net, options.xTrain, fn);
  const Ptr = Xtr.shape[0];
  if (!Array.isArray(options.yTrain) || options.yTrain.length !== Ptr || options.yTrain.some((y) => !Number.isFinite(y))) fail(fn, 'yTrain', `${Ptr} finite targets`, options.yTrain);
  const Xte = options.xTest ? pointsTensor(net, options.xTest, fn) : Xtr;
  const steps = checkNonNegativeInteger(fn, 'steps', options.steps);
  const eta0 = typeof options.eta0 === 'number' ? new Array<number>(E).fill(options.eta0) : [...options.eta0];
  if (eta0.length !== E || eta0.some((v) => !(v > 0) || !Number.isFinite(v))) fail(fn, 'eta0', `a positive number or ${E} positive numbers`, options.eta0);
  const per = options.membersPerChunk === undefined ? undefined : checkPositiveInteger(fn, 'membersPerChunk', options.membersPerChunk);
  const chunks = memberChunks(net, E, per);
  if (chunks.length > 1) {
    [Xtr, Xte].forEach((t) => t.dispose());
    const parts = chunks.map(([first, count]) => sliceMembers(params, first, count));
    disposeParameters(params);
    const records = parts.map((part, k) => trainEnsemble(net, part, {
      ...options,
      eta0: eta0.slice(chunks[k][0], chunks[k][0] + chunks[k][1]),
      membersPerChunk: undefined,
      onProgress: options.onProgress && ((f) => options.onProgress!((chunks[k][0] + f * chunks[k][1]) / E)),
    }));
    params.weights.splice(0, params.weights.length, ...params.weights.map((_, l) => tf.concat(parts.map((q) => q.weights[l])) as tf.Tensor3D));
    params.biases.splice(0, params.biases.length, ...params.biases.map((_, l) => tf.concat(parts.map((q) => q.biases[l])) as tf.Tensor3D));
    parts.forEach(disposeParameters);
    return concatRecords(records);
  }
  const eta = eta0.map((v) => learningRate(net.parameterization, net.width, v, net.gamma0));
  const record = new Set([0, steps, ...(options.recordAt ?? []).filter((s) => s >= 0 && s <= steps)]);
  const Y = tf.tensor2d(options.yTrain, [1, Ptr]);
  const etaT = tf.tensor2d(eta, [E, 1]);
  const nw = params.weights.length;

  const lossOf = (...ts: tf.Tensor[]) => {
    const { phi } = forward(net, ts.slice(0, nw) as tf.Tensor3D[], ts.slice(nw) as tf.Tensor3D[], Xtr);
    // sum over members of each member's own loss times its own eta (members do not interact), so
    // the gradient is already the step: one elementwise op per parameter tensor instead of two
    return tf.mul(tf.sum(tf.mul(tf.square(tf.sub(phi, Y)), etaT)), 1 / (2 * Ptr)) as tf.Scalar;
  };
  const gradFn = tf.grads(lossOf);
  const z0 = options.recordFeatures ? tf.tidy(() => forward(net, params.weights, params.biases, Xtr).features) : [];

  const out: TrainingRecord = { steps: [], eta, outputs: [], loss: [], featureChange: options.recordFeatures ? [] : undefined };
  // One forward pass on the training points per record gives the loss and the features; the test
  // points get a second pass only when they differ.
  const take = (s: number) => {
    (out.steps as number[]).push(s);
    const [tr, ...diffs] = tf.tidy(() => {
      const { phi, features } = forward(net, params.weights, params.biases, Xtr);
      return [phi, ...(options.recordFeatures ? features.map((z, l) => z.sub(z0[l]).abs()) : [])];
    });
    const te = Xte === Xtr ? tr : tf.tidy(() => forward(net, params.weights, params.biases, Xte).phi);
    const tr64 = tr.dataSync(), te64 = te.dataSync();
    const Pte = Xte.shape[0];
    out.outputs.push(Array.from({ length: E }, (_, e) => Float64Array.from(te64.subarray(e * Pte, (e + 1) * Pte))));
    out.loss.push(Float64Array.from({ length: E }, (_, e) => {
      let l = 0;
      for (let p = 0; p < Ptr; p++) l += (tr64[e * Ptr + p] - options.yTrain[p]) ** 2;
      return l / (2 * Ptr);
    }));
    if (options.recordFeatures) {
      out.featureChange!.push(diffs.map((diff) => {
        const v = diff.dataSync();
        const per = v.length / E;
        return Float64Array.from({ length: E }, (_, e) => {
          let sum = 0;
          for (let i = e * per; i < (e + 1) * per; i++) sum += v[i];
          return sum / per;
        });
      }));
    }
    [tr, ...diffs].forEach((t) => t.dispose());
    if (te !== tr) te.dispose();
  };
  const ntk0 = options.recordNtk ? empiricalNtk(net, params, options.xTrain) : undefined;
  if (record.has(0)) take(0);
  for (let s = 1; s <= steps; s++) {
    const current = [...params.weights, ...params.biases];
    const updates = gradFn(current); // eta-scaled gradients (see lossOf)
    const next = current.map((t, k) => tf.sub(t, updates[k]) as tf.Tensor3D);
    updates.forEach((g) => g.dispose());
    current.forEach((t) => t.dispose());
    params.weights.splice(0, nw, ...next.slice(0, nw));
    params.biases.splice(0, params.biases.length, ...next.slice(nw));
    if (record.has(s)) take(s);
    options.onProgress?.(s / steps);
  }
  const ntkEnd = options.recordNtk ? empiricalNtk(net, params, options.xTrain) : undefined;
  z0.forEach((z) => z.dispose());
  [Y, etaT, Xtr].forEach((t) => t.dispose());
  if (Xte !== Xtr) Xte.dispose();
  return { ...out, ntk0, ntkEnd };
}

/** One row of a coordinate check (microsoft/mup's tidy format). */
export interface CoordinateRow {
  readonly parameterization: string;
  readonly width: number;
  /** Hidden layer l = 1 .. L, or L + 1 for the output phi. */
  readonly layer: number;
  readonly step: number;
  readonly seed: number;
  /** Mean |z_t - z_0| over the layer's coordinates and the training points. */
  readonly l1: number;
}

export interface CoordinateCheckOptions {
  parameterizations: readonly (ParameterizationName | AbcParameterization)[];
  widths: readonly number[];
  /** The architecture to sweep (its width and parameterization are replaced by the sweep's). */
  net: Net;
  xTrain: readonly (readonly number[] | number)[];
  yTrain: readonly number[];
  /** eta0 per parameterization (same order), the same at every width. */
  eta0: readonly number[];
  steps: number;
  /** Independent networks per width (member seeds 0 .. seeds - 1 under `seed`). */
  seeds: number;
  seed?: number;
  /** Called after every training step with the fraction of the whole check done. */
  onProgress?: (fraction: number) => void;
}

/** The net a width sweep trains: the options' architecture at one parameterization and width. */
function sweepNet(options: Omit<CoordinateCheckOptions, 'eta0' | 'onProgress'>, p: ParameterizationName | AbcParameterization, width: number): Net {
  return withWidth(reparameterized(options.net, p), width);
}

/**
 * Feature movement against width: train each parameterization at each width for `steps` steps
 * and record, per hidden layer and for the output, the mean coordinate change since initialisation
 * (TASI section 4.3: dz/dt is O(1) only for d = 1/2, eqs. (119)-(120); the lazy regime of eq. (83)
 * otherwise; microsoft/mup's coordinate check).
 */
export function coordinateCheck(options: CoordinateCheckOptions): CoordinateRow[] {
  const fn = 'coordinateCheck';
  if (options.eta0.length !== options.parameterizations.length) fail(fn, 'eta0', `one value per parameterization (${options.parameterizations.length})`, options.eta0);
  const rows: CoordinateRow[] = [];
  const total = options.parameterizations.length * options.widths.length;
  let done = 0;
  options.parameterizations.forEach((p, k) => {
    for (const width of options.widths) {
      const net = sweepNet(options, p, width);
      const params = initParameters(net, options.seeds, options.seed ?? 0);
      const recordAt = Array.from({ length: options.steps + 1 }, (_, s) => s);
      const onProgress = options.onProgress && ((f: number) => options.onProgress!((done + f) / total));
      const rec = trainEnsemble(net, params, { xTrain: options.xTrain, yTrain: options.yTrain, eta0: options.eta0[k], steps: options.steps, recordAt, recordFeatures: true, onProgress });
      disposeParameters(params);
      rec.steps.forEach((step, s) => {
        rec.featureChange![s].forEach((perSeed, l) => perSeed.forEach((l1, seed) => rows.push({ parameterization: net.parameterization.name, width, layer: l + 1, step, seed, l1 })));
        rec.outputs[s].forEach((phi, seed) => {
          let l1 = 0;
          phi.forEach((v, i) => (l1 += Math.abs(v - rec.outputs[0][seed][i])));
          rows.push({ parameterization: net.parameterization.name, width, layer: options.net.depth + 1, step, seed, l1: l1 / phi.length });
        });
      });
      options.onProgress?.(++done / total);
    }
  });
  return rows;
}

/** One row of a learning-rate sweep: the training loss after `steps` steps. */
export interface LearningRateRow {
  readonly parameterization: string;
  readonly width: number;
  readonly eta0: number;
  readonly seed: number;
  /** Training loss at the end (Infinity if training diverged). */
  readonly loss: number;
}

export interface LearningRateSweepOptions extends Omit<CoordinateCheckOptions, 'eta0' | 'onProgress'> {
  /** The grid of eta0 values tried at every width. */
  eta0s: readonly number[];
  onProgress?: (fraction: number) => void;
}

/**
 * Learning-rate transfer: for each parameterization and width, train `seeds` networks at every
 * eta0 of the grid (all as one batched ensemble) and record the final training loss (TASI section
 * 4.3 after eq. (127): with 2d - c = 0, muP, the best eta0 does not move with width).
 */
export function learningRateSweep(options: LearningRateSweepOptions): LearningRateRow[] {
  const fn = 'learningRateSweep';
  if (!options.eta0s.length || options.eta0s.some((v) => !(v > 0))) fail(fn, 'eta0s', 'a non-empty list of positive numbers', options.eta0s);
  const S = checkPositiveInteger(fn, 'seeds', options.seeds);
  const rows: LearningRateRow[] = [];
  const total = options.parameterizations.length * options.widths.length;
  let done = 0;
  for (const p of options.parameterizations) {
    for (const width of options.widths) {
      const net = sweepNet(options, p, width);
      // member k * S + s: learning rate k, seed s (the same S initialisations at every rate)
      const eta0 = options.eta0s.flatMap((v) => new Array<number>(S).fill(v));
      const params = initParameters(net, S, options.seed ?? 0);
      const tiled: AbcParameters = {
        members: eta0.length,
        weights: params.weights.map((w) => tf.tile(w, [options.eta0s.length, 1, 1]) as tf.Tensor3D),
        biases: params.biases.map((b) => tf.tile(b, [options.eta0s.length, 1, 1]) as tf.Tensor3D),
      };
      disposeParameters(params);
      const onProgress = options.onProgress && ((f: number) => options.onProgress!((done + f) / total));
      const rec = trainEnsemble(net, tiled, { xTrain: options.xTrain, yTrain: options.yTrain, eta0, steps: options.steps, onProgress });
      disposeParameters(tiled);
      const last = rec.loss[rec.loss.length - 1];
      eta0.forEach((v, m) => rows.push({ parameterization: net.parameterization.name, width, eta0: v, seed: m % S, loss: Number.isFinite(last[m]) ? last[m] : Infinity }));
      options.onProgress?.(++done / total);
    }
  }
  return rows;
}

/** The eta0 of the grid with the smallest mean log-loss over seeds, per (parameterization, width). */
export function bestLearningRates(rows: readonly LearningRateRow[]): { parameterization: string; width: number; eta0: number; loss: number }[] {
  const groups = new Map<string, LearningRateRow[]>();
  for (const r of rows) {
    const key = `${r.parameterization}|${r.width}|${r.eta0}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(r);
  }
  const best = new Map<string, { parameterization: string; width: number; eta0: number; loss: number }>();
  for (const rs of groups.values()) {
    const { parameterization, width, eta0 } = rs[0];
    const meanLog = rs.reduce((s, r) => s + Math.log(r.loss), 0) / rs.length;
    const key = `${parameterization}|${width}`;
    const current = best.get(key);
    if (!current || meanLog < Math.log(current.loss)) best.set(key, { parameterization, width, eta0, loss: Math.exp(meanLog) });
  }
  return [...best.values()];
}
