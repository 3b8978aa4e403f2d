/**
 * Training dynamics of deep MLPs in abc-form (see parameterization.ts): ensembles of E networks
 * held as batched tfjs tensors, the empirical NTK through tfjs autodiff, and full-batch gradient
 * descent on the MSE loss of TASI eq. (94).
 *
 * Shapes: E ensemble members, P input points of dimension D, N width, L hidden layers (so L + 1
 * weight layers: D -> N, (L - 1) x N -> N, N -> 1). Member e's parameters are drawn from
 * Rng.stream(seed, e), so a member does not depend on how many others are drawn with it.
 *
 * Conventions: weights are drawn W ~ N(0, N^(-b)) (first layer N^(-b_1)) and enter the forward pass
 * as sigma_w N^(-a) W (first layer sigma_w N^(-a_1) D^(-1/2) W); with sigma_b > 0 every layer adds
 * sigma_b beta, beta ~ N(0, 1) trainable (neural-tangents' NTK convention); phi = z^(L+1) / (gamma0 N^d).
 * With the 'ntk' preset this is exactly neural-tangents' NTK parameterization, so the empirical NTK
 * tends to `infiniteWidthKernels(...).ntk`.
 * Gradient descent: theta <- theta - eta grad_theta (1/2P) sum_alpha (phi(x_alpha) - y_alpha)^2 per
 * member, eta = eta0 gamma0^2 N^(2d - c) (eq. (106)); "time" t counts steps, so eq. (95) holds with
 * this eta per unit t. Everything summed (NTK entries, losses, means) is summed in float64 on the host.
 */
import { tf } from './backend';
import { AbcParameterization, ParameterizationName, learningRate, parameterization } from './parameterization';
import { Rng } from './random';
import { checkInputs, checkNonNegativeInteger, checkNonNegativeNumber, checkPositiveInteger, checkPositiveNumber, fail } from './validate';

export type AbcActivation = 'relu' | 'erf' | 'tanh' | 'identity';
const ABC_ACTIVATIONS: readonly AbcActivation[] = ['relu', 'erf', 'tanh', 'identity'];

export interface AbcMlpOptions {
  parameterization: ParameterizationName | AbcParameterization;
  /** N: width of every hidden layer. */
  width: number;
  /** L: number of hidden layers (1: the single-layer net of TASI eq. (88)). */
  hiddenLayers: number;
  activation: AbcActivation;
  dIn?: number;
  sigmaW?: number;
  /** Bias scale (default 0: no biases, as in the lectures). */
  sigmaB?: number;
  gamma0?: number;
}

/** An abc-MLP: its scalings and shapes (data, not tensors). */
export interface AbcMlp {
  readonly parameterization: AbcParameterization;
  readonly width: number;
  readonly hiddenLayers: number;
  readonly activation: AbcActivation;
  readonly dIn: number;
  readonly sigmaW: number;
  readonly sigmaB: number;
  readonly gamma0: number;
  /** Weight shapes per layer without the ensemble axis: [fanIn, fanOut]. */
  readonly shapes: readonly (readonly [number, number])[];
  /** Forward multiplier of each weight layer (sigma_w N^-a, first layer also D^-1/2). */
  readonly multipliers: readonly number[];
  /** Initial standard deviation of each weight layer's entries, N^(-b/2). */
  readonly initStd: readonly number[];
}

export function abcMlp(options: AbcMlpOptions): AbcMlp {
  const fn = 'abcMlp';
  const p = parameterization(options.parameterization, fn);
  const N = checkPositiveInteger(fn, 'width', options.width);
  const L = checkPositiveInteger(fn, 'hiddenLayers', options.hiddenLayers);
  if (!ABC_ACTIVATIONS.includes(options.activation)) fail(fn, 'activation', `one of ${ABC_ACTIVATIONS.join(', ')}`, options.activation);
  const D = checkPositiveInteger(fn, 'dIn', options.dIn ?? 1);
  const sigmaW = checkNonNegativeNumber(fn, 'sigmaW', options.sigmaW ?? 1);
  const sigmaB = checkNonNegativeNumber(fn, 'sigmaB', options.sigmaB ?? 0);
  const gamma0 = checkPositiveNumber(fn, 'gamma0', options.gamma0 ?? 1);
  const shapes: [number, number][] = [[D, N], ...Array.from({ length: L - 1 }, (): [number, number] => [N, N]), [N, 1]];
  const multipliers = shapes.map((_, l) => (l === 0 ? (sigmaW * N ** -p.a1) / Math.sqrt(D) : sigmaW * N ** -p.a));
  const initStd = shapes.map((_, l) => Math.sqrt(N ** -(l === 0 ? p.b1 : p.b)));
  return Object.freeze({ parameterization: p, width: N, hiddenLayers: L, activation: options.activation, dIn: D, sigmaW, sigmaB, gamma0, shapes, multipliers, initStd });
}

/** Parameters of E members: per layer a weight tensor [E, fanIn, fanOut] and (with biases) [E, 1, fanOut]. */
export interface AbcParameters {
  readonly members: number;
  readonly weights: tf.Tensor3D[];
  readonly biases: tf.Tensor3D[];
}

/**
 * Memory of member chunks. tfjs-wasm has one 4 GiB heap, and a gradient step holds about five
 * copies of the parameters it differentiates (measured: 48 members of an N = 2048, L = 2 ReLU net
 * take a step, 56 fail with "memory access out of bounds"). Training and the empirical NTK
 * therefore work on chunks of at most CHUNK_BYTES of parameters; members are independent, so the
 * numbers are the same as in one piece. Holding more than HELD_BYTES at once is refused.
 */
const CHUNK_BYTES = 256 * 2 ** 20;
const HELD_BYTES = 2 ** 30;

function bytesPerMember(net: AbcMlp): number {
  return 4 * net.shapes.reduce((s, [fanIn, fanOut]) => s + fanIn * fanOut + (net.sigmaB > 0 ? fanOut : 0), 0);
}

/** Draw members first .. first + E - 1 (stream seed, e for member e). */
export function initParameters(net: AbcMlp, members: number, seed: number, first = 0): AbcParameters {
  const E = checkPositiveInteger('initParameters', 'members', members);
  checkNonNegativeInteger('initParameters', 'seed', seed);
  const most = Math.floor(HELD_BYTES / bytesPerMember(net));
  if (E > most) fail('initParameters', 'members', `at most ${most} for this net (its parameters would take more than ${HELD_BYTES / 2 ** 30} GiB of the 4 GiB tfjs-wasm heap); draw further members in separate calls with 'first'`, E);
  const sizes = net.shapes.map(([i, o]) => i * o);
  const w = sizes.map((s) => new Float32Array(E * s));
  const b = net.sigmaB > 0 ? net.shapes.map(([, o]) => new Float32Array(E * o)) : [];
  for (let e = 0; e < E; e++) {
    const rng = Rng.stream(seed, first + e);
    sizes.forEach((s, l) => rng.fillNormal(w[l], e * s, s, net.initStd[l]));
    b.forEach((arr, l) => rng.fillNormal(arr, e * net.shapes[l][1], net.shapes[l][1]));
  }
  return {
    members: E,
    weights: w.map((arr, l) => tf.tensor3d(arr, [E, net.shapes[l][0], net.shapes[l][1]])),
    biases: b.map((arr, l) => tf.tensor3d(arr, [E, 1, net.shapes[l][1]])),
  };
}

export function disposeParameters(params: AbcParameters): void {
  params.weights.forEach((t) => t.dispose());
  params.biases.forEach((t) => t.dispose());
}

/** [first, count] of consecutive member chunks of `per` members (default: as many as fit CHUNK_BYTES). */
function memberChunks(net: AbcMlp, members: number, per = Math.max(1, Math.floor(CHUNK_BYTES / bytesPerMember(net)))): [number, number][] {
  const chunks: [number, number][] = [];
  for (let first = 0; first < members; first += per) chunks.push([first, Math.min(per, members - first)]);
  return chunks;
}

/** Copies of members first .. first + count - 1. */
function sliceMembers(params: AbcParameters, first: number, count: number): AbcParameters {
  const cut = (t: tf.Tensor3D) => tf.slice(t, [first, 0, 0], [count, t.shape[1], t.shape[2]]);
  return { members: count, weights: params.weights.map(cut), biases: params.biases.map(cut) };
}

/** Layers with at least this many weights per member take the per-member gradient path below. */
const LARGE_LAYER = 1 << 16;

/**
 * h [E, P, fanIn] times W [E, fanIn, fanOut] for every member, with a hand-written gradient.
 * Why: tfjs-wasm sends only 2-d matMuls without transposes to XNNPACK; every batched matMul runs
 * a blocked triple loop whose speed depends on the memory order it reads. Measured at N = 2048
 * (per member): autodiff's dW = h^T dy (batched, transposeA) ~50 ms, as a 2-d XNNPACK product
 * h_e^T dy_e ~5 ms; the forward h W ~80 ms plain, ~65 ms as h (W^T)^T on a transposed copy (the
 * loop then reads both factors contiguously, as dh = dy W^T already does). Per-member 2-d products
 * with W itself would need slices of W, which tfjs-wasm copies slowly (~95 ms), so those stay
 * batched. Altogether a training step is ~1.7x faster than autodiff of tf.matMul
 * (`npm run bench` measures both).
 */
export const memberMatMul = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [h, W, save] = args as [tf.Tensor3D, tf.Tensor3D, tf.GradSaveFunc];
  save([h, W]);
  const large = W.shape[1] * W.shape[2] >= LARGE_LAYER;
  const value = large ? tf.tidy(() => tf.matMul(h, tf.transpose(W, [0, 2, 1]), false, true)) : tf.matMul(h, W);
  return {
    value,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [hs, Ws] = saved as tf.Tensor3D[];
      const dy3 = dy as tf.Tensor3D;
      const dh = tf.matMul(dy3, Ws, false, true);
      if (!large) return [dh, tf.matMul(hs, dy3, true, false)];
      const dys = tf.unstack(dy3) as tf.Tensor2D[];
      return [dh, tf.stack((tf.unstack(tf.transpose(hs, [0, 2, 1])) as tf.Tensor2D[]).map((hTe, e) => tf.matMul(hTe, dys[e])))];
    },
  };
}) as (h: tf.Tensor3D, W: tf.Tensor3D) => tf.Tensor3D;

function activate(net: AbcMlp, z: tf.Tensor3D): tf.Tensor3D {
  switch (net.activation) {
    case 'relu': return tf.relu(z);
    case 'erf': return tf.erf(z);
    case 'tanh': return tf.tanh(z);
    default: return z;
  }
}

/**
 * Forward pass of every member at the points X [P, D]: returns phi [E, P] and the pre-activations
 * z^(l) [E, P, N] of every hidden layer (l = 1 .. L).
 */
export function forward(net: AbcMlp, weights: readonly tf.Tensor3D[], biases: readonly tf.Tensor3D[], X: tf.Tensor2D): { phi: tf.Tensor2D; features: tf.Tensor3D[] } {
  const E = weights[0].shape[0];
  const P = X.shape[0];
  const features: tf.Tensor3D[] = [];
  let h: tf.Tensor3D = tf.tile(X.expandDims(0), [E, 1, 1]) as tf.Tensor3D; // [E, P, D]
  weights.forEach((W, l) => {
    let z = tf.mul(memberMatMul(h, W), net.multipliers[l]) as tf.Tensor3D; // [E, P, fanOut]
    if (biases.length) z = tf.add(z, tf.mul(biases[l], net.sigmaB)) as tf.Tensor3D;
    if (l < weights.length - 1) {
      features.push(z);
      h = activate(net, z);
    } else h = z;
  });
  const scale = 1 / (net.gamma0 * net.width ** net.parameterization.d);
  return { phi: tf.mul(h.reshape([E, P]), scale) as tf.Tensor2D, features };
}

function pointsTensor(net: AbcMlp, inputs: readonly (readonly number[] | number)[], fn: string): tf.Tensor2D {
  const xs = checkInputs(fn, inputs, net.dIn);
  return tf.tensor2d(xs.flat(), [xs.length, net.dIn]);
}

/** Outputs phi [E][P] (float64 copies) of every member at the inputs. */
export function outputs(net: AbcMlp, params: AbcParameters, inputs: readonly (readonly number[] | number)[]): Float64Array[] {
  const X = pointsTensor(net, inputs, 'outputs');
  const phi = tf.tidy(() => forward(net, params.weights, params.biases, X).phi);
  const values = phi.dataSync();
  const P = X.shape[0];
  X.dispose();
  phi.dispose();
  return Array.from({ length: params.members }, (_, e) => Float64Array.from(values.subarray(e * P, (e + 1) * P)));
}

/**
 * Empirical NTK Theta(x_p, x_q) = sum_theta d phi(x_p)/d theta  d phi(x_q)/d theta of every member
 * (tfjs autodiff for the gradients, float64 dot products on the host). Returns E matrices P x P.
 * @see TASI lectures eq. (89).
 */
export function empiricalNtk(net: AbcMlp, params: AbcParameters, inputs: readonly (readonly number[] | number)[], options: { membersPerChunk?: number } = {}): number[][][] {
  const per = options.membersPerChunk === undefined ? undefined : checkPositiveInteger('empiricalNtk', 'membersPerChunk', options.membersPerChunk);
  const chunks = memberChunks(net, params.members, per);
  if (chunks.length > 1) {
    return chunks.flatMap(([first, count]) => {
      const part = sliceMembers(params, first, count);
      const theta = empiricalNtk(net, part, inputs);
      disposeParameters(part);
      return theta;
    });
  }
  const X = pointsTensor(net, inputs, 'empiricalNtk');
  const P = X.shape[0];
  const E = params.members;
  const all = [...params.weights, ...params.biases];
  // grads[p][k]: gradient of sum_e phi_e(x_p) with respect to tensor k: member e's own gradient in slice e.
  const grads: Float32Array[][] = [];
  for (let p = 0; p < P; p++) {
    const g = tf.grads((...ts: tf.Tensor[]) => {
      const nw = params.weights.length;
      const { phi } = forward(net, ts.slice(0, nw) as tf.Tensor3D[], ts.slice(nw) as tf.Tensor3D[], X);
      return phi.slice([0, p], [E, 1]).sum();
    })(all);
    grads.push(g.map((t) => t.dataSync() as Float32Array));
    g.forEach((t) => t.dispose());
  }
  X.dispose();
  const out: number[][][] = [];
  for (let e = 0; e < E; e++) {
    const theta = Array.from({ length: P }, () => new Array<number>(P).fill(0));
    for (let p = 0; p < P; p++) {
      for (let q = p; q < P; q++) {
        let s = 0;
        for (let k = 0; k < all.length; k++) {
          const size = grads[p][k].length / E;
          const a = grads[p][k], b = grads[q][k];
          for (let i = e * size, end = (e + 1) * size; i < end; i++) s += a[i] * b[i];
        }
        theta[p][q] = theta[q][p] = s;
      }
    }
    out.push(theta);
  }
  return out;
}

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
 * Full-batch gradient descent on the MSE loss for every member of `params` (updated in place;
 * the tensors are replaced, so keep using the same `params` object).
 */
export function trainEnsemble(net: AbcMlp, params: AbcParameters, options: TrainOptions): TrainingRecord {
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
  hiddenLayers: number;
  activation: AbcActivation;
  xTrain: readonly (readonly number[] | number)[];
  yTrain: readonly number[];
  /** eta0 per parameterization (same order), the same at every width. */
  eta0: readonly number[];
  steps: number;
  /** Independent networks per width (member seeds 0 .. seeds - 1 under `seed`). */
  seeds: number;
  seed?: number;
  sigmaW?: number;
  gamma0?: number;
  /** Called after every training step with the fraction of the whole check done. */
  onProgress?: (fraction: number) => void;
}

/** The net a width sweep trains: the options' architecture at one parameterization and width. */
function sweepNet(options: Omit<CoordinateCheckOptions, 'eta0' | 'onProgress'>, p: ParameterizationName | AbcParameterization, width: number): AbcMlp {
  const dIn = Array.isArray(options.xTrain[0]) ? (options.xTrain[0] as readonly number[]).length : 1;
  return abcMlp({ parameterization: p, width, hiddenLayers: options.hiddenLayers, activation: options.activation, dIn, sigmaW: options.sigmaW, gamma0: options.gamma0 });
}

/**
 * Feature movement against width: train each parameterization at each width for `steps` steps
 * and record, per hidden layer and for the output, the mean coordinate change since initialisation.
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
          rows.push({ parameterization: net.parameterization.name, width, layer: options.hiddenLayers + 1, step, seed, l1: l1 / phi.length });
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
 * eta0 of the grid (all as one batched ensemble) and record the final training loss.
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
