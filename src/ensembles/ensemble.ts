/**
 * Ensembles of networks (any `Net`, single-layer or deep): draw M networks, evaluate them at P
 * input points, and stream the outputs into float64 estimators on the host.
 *
 * Shapes (letter legend, used throughout): M networks, P input points, D input dimension,
 * N width, B networks per batch.
 *
 * Randomness: network m (0-based, counted from `firstNet`) takes its parameters from
 * `Rng.stream(seed, m)` layer by layer (`sampleParameters`: W0 (N x D, row-major), b0 (N), W1 (N), b1 (1)
 * for a single-layer net), so the same
 * (seed, m) is the same network whatever B is. Parameters are drawn on the host and evaluated in
 * float32; outputs go to float64 accumulators on the host. Two routes give the same numbers:
 *  - the host engine (wasm-engine.ts): single-layer nets with an erf or ReLU unit and normal
 *    parameters, drawn and evaluated inside one WebAssembly module, whenever tensor code runs on
 *    this CPU; tfjs is then never loaded;
 *  - the tensor route: every other net, and every net on the CUDA backend: parameters drawn by
 *    `sampleParameters`, evaluated by the fused kernel (fused.ts) or composite tfjs ops.
 */
import type * as Tensors from '../core/backend';
import type { tf } from '../core/backend';
import { cpuTensorBackend } from '../core/backend-choice';
import { ACTIVATION_REGISTRY } from '../nets/activations';
import { Net, SingleLayerNet, unitShift } from '../nets/architectures';
import { sampleParameters } from '../nets/sampling';
import { MeanAccumulator } from '../statistics/stats';
import { MomentAccumulator, momentTree } from '../statistics/moments';
import { TailDiagnostic, TailRecord } from '../statistics/tails';
import { ensembleTail, hiddenUnitTail } from './ensemble-tails';
import { progressBar } from '../core/progress';
import { EngineMoments, EngineSums, hostEngineServes, runHostEngine } from './wasm-engine';
import { checkInputs, checkNonNegativeInteger, checkPositiveInteger } from '../core/validate';

/** tfjs with its backends, and the fused kernel, loaded on first use (the host engine needs neither). */
const tensors = (): typeof Tensors => require('../core/backend');
const fusedKernel = (): typeof import('./fused') => require('./fused');

export interface EnsembleOptions {
  /** M: number of networks. */
  nets: number;
  /** Seed of the ensemble (non-negative integer; 0 is a seed like any other). */
  seed: number;
  /** Index of the first network (default 0): networks firstNet .. firstNet + M - 1 are drawn. */
  firstNet?: number;
  /** B: networks evaluated per tensor batch (default: about 4M floats of hidden activations). */
  batchSize?: number;
  /** Show a progress bar on runs longer than a second (default true). */
  progress?: boolean;
  /**
   * Use the fused forward kernel where the backend has one (default true; the CPU backends). False
   * forces the composite tfjs ops that every backend, CUDA included, runs.
   */
  fused?: boolean;
  /** Called after each batch with the number of networks it held (progress across threads). */
  onNets?: (count: number) => void;
}

/** One batch of outputs: `outputs[b * P + p] = f_{first + b}(x_p)` (the consumer's own array). */
export interface OutputBatch {
  readonly first: number;
  readonly count: number;
  readonly outputs: Float32Array;
}

/** Networks per call of the host engine (its cost per call is small; this bounds the output buffer). */
const HOST_BATCH = 512;

/**
 * Whether the host engine runs this ensemble: a net it serves (`hostEngineServes`), `fused` not
 * switched off, and tensor code on this CPU (loading tfjs only when nothing else can tell).
 */
export async function onHostEngine(net: Net, options: { fused?: boolean }): Promise<boolean> {
  if (options.fused === false || !hostEngineServes(net)) return false;
  return cpuTensorBackend() ?? (await tensors().ensureBackend()).name !== 'tensorflow';
}

const MAX_HIDDEN_FLOATS = 1 << 22;
const isFinite = Number.isFinite; // hoisted out of the per-output loop

function defaultBatchSize(net: Net, points: number): number {
  const perNet = net.width * Math.max(points, net.dIn, net.depth > 1 ? net.width : 0);
  return Math.max(1, Math.min(4096, Math.floor(MAX_HIDDEN_FLOATS / perNet)));
}

/** The input points as tensors, in the layouts both forward paths need. */
interface PointTensors {
  /** X [P, D] (fused kernel). */
  X: tf.Tensor2D;
  /** X^T [D, P] (composite ops). */
  xT: tf.Tensor2D;
  /** Gauss-net normalisation k(x_p, x_p) per point; zeros for other activations. */
  shift: tf.Tensor1D;
}

/**
 * Evaluate networks first .. first + count - 1 at the points. Returns f as a B x P float32 array
 * (row b = network first + b). Single-layer nets take the fused kernel where it serves the backend
 * and the activation (`fused`); otherwise the composite tfjs ops, on every backend:
 * h_1 = W_0 x + b_0, h_{l+1} = W_l act(h_l) + b_l as batched matMuls, f = W_L act(h_L) + b_L.
 */
async function evaluateBatch(net: Net, seed: number, first: number, count: number, pts: PointTensors, fused: boolean): Promise<Float32Array> {
  const { tf } = tensors();
  const { FUSED_KERNEL, hasFusedLoop } = fusedKernel();
  const { width: n, dIn: d, depth } = net;
  const points = pts.X.shape[0];
  const { weights, biases } = sampleParameters(net, seed, first, count);
  const act = ACTIVATION_REGISTRY[net.activation];
  const out = tf.tidy(() => {
    if (fused && depth === 1 && hasFusedLoop(net.activation)) {
      const inputs = {
        W0: tf.tensor2d(weights[0], [count * n, d]),
        b0: tf.tensor1d(biases[0]),
        W1: tf.tensor2d(weights[1], [count, n]),
        b1: tf.tensor1d(biases[1]),
        X: pts.X,
        shift: pts.shift,
      };
      return tf.engine().runKernel(FUSED_KERNEL, inputs as unknown as tf.NamedTensorMap, { activation: net.activation }) as tf.Tensor;
    }
    const unit = (h: tf.Tensor2D) => act.op(act.normalized ? tf.sub(h, pts.shift) : h).reshape([count, n, points]) as tf.Tensor3D;
    let h = tf.add(tf.matMul(tf.tensor2d(weights[0], [count * n, d]), pts.xT), tf.tensor2d(biases[0], [count * n, 1])) as tf.Tensor2D; // [B*N, P]
    for (let l = 1; l < depth; l++) {
      const next = tf.matMul(tf.tensor3d(weights[l], [count, n, n]), unit(h)); // [B, N, P]
      h = tf.add(next, tf.tensor3d(biases[l], [count, n, 1])).reshape([count * n, points]) as tf.Tensor2D;
    }
    const f = tf.matMul(tf.tensor3d(weights[depth], [count, 1, n]), unit(h)).reshape([count, points]); // [B, P]
    return tf.add(f, tf.tensor2d(biases[depth], [count, 1]));
  });
  const values = (await out.data()) as Float32Array;
  out.dispose();
  return values;
}

/**
 * Stream the outputs of M networks batch by batch to `consume`. Memory stays bounded by the batch
 * size whatever M is. Non-finite outputs (float32 overflow) stop the run with an error naming
 * the network and the input.
 */
export async function forEachOutputBatch(
  net: Net,
  inputs: readonly (readonly number[] | number)[],
  options: EnsembleOptions,
  consume: (batch: OutputBatch) => void,
): Promise<void> {
  await stream('forEachOutputBatch', net, inputs, options, consume);
}

/**
 * The float64 moment sums of M networks' outputs (orders as `MomentAccumulator`), accumulated by the
 * host engine inside its module where it serves the net, otherwise batch by batch from the tensor
 * route: the same sums either way.
 */
export async function accumulateMoments(
  net: Net,
  inputs: readonly (readonly number[] | number)[],
  options: EnsembleOptions,
  orders: readonly number[],
): Promise<MomentAccumulator> {
  const P = checkInputs('ensembleCorrelators', inputs, net.dIn).length;
  const acc = new MomentAccumulator(P, orders);
  const tails = new TailRecord(P);
  const moments = { tree: momentTree(P, acc.orders), orders: acc.orders, blocks: acc.blocks };
  const host = await stream('ensembleCorrelators', net, inputs, options, ({ first, count, outputs }, summed) => (summed ? tails.add(count, outputs) : acc.add(first, count, outputs)), moments);
  return host ? MomentAccumulator.fromSums(P, acc.orders, acc.blocks, { ...host, tails }) : acc;
}

/**
 * Both entry points: validate, pick the route, stream the batches to `consume` (`summed`: the host
 * engine has already added the batch to the moment sums it returns).
 */
async function stream(
  fn: string,
  net: Net,
  inputs: readonly (readonly number[] | number)[],
  options: EnsembleOptions,
  consume: (batch: OutputBatch, summed: boolean) => void,
  moments?: EngineMoments,
): Promise<EngineSums | undefined> {
  const points = checkInputs(fn, inputs, net.dIn);
  const nets = checkPositiveInteger(fn, 'nets', options?.nets);
  const seed = checkNonNegativeInteger(fn, 'seed', options?.seed);
  const firstNet = checkNonNegativeInteger(fn, 'firstNet', options.firstNet ?? 0);
  const host = await onHostEngine(net, options);
  const batchSize = checkPositiveInteger(fn, 'batchSize', options.batchSize ?? (host ? HOST_BATCH : defaultBatchSize(net, points.length)));
  const P = points.length;
  const bar = progressBar(`${net.name} N=${net.width}`, nets, 'nets', options.progress ?? true);
  const deliver = (first: number, count: number, outputs: Float32Array) => {
    for (let k = 0; k < count * P; k++) {
      if (!isFinite(outputs[k])) {
        const m = first + Math.floor(k / P);
        throw new Error(
          `${fn}: network ${m} (seed ${seed}) gave a non-finite output ${outputs[k]} at input ${JSON.stringify(points[k % P])}` +
            ' (float32 overflow?); nothing from this batch was averaged',
        );
      }
    }
    consume({ first, count, outputs }, host && moments !== undefined);
    bar.tick(count);
    options.onNets?.(count);
  };
  try {
    if (host) return runHostEngine(net as SingleLayerNet, points, seed, firstNet, nets, batchSize, deliver, moments);
    await tensorRoute(net, points, seed, firstNet, nets, batchSize, options.fused ?? true, deliver);
    return undefined;
  } finally {
    bar.done();
  }
}

/** The tensor route of `forEachOutputBatch`: batches through tfjs, each passed to `deliver`. */
async function tensorRoute(
  net: Net,
  points: number[][],
  seed: number,
  firstNet: number,
  nets: number,
  batchSize: number,
  fusedWanted: boolean,
  deliver: (first: number, count: number, outputs: Float32Array) => void,
): Promise<void> {
  const { tf, ensureBackend } = tensors();
  await ensureBackend();
  const P = points.length;
  const fused = fusedWanted && fusedKernel().fusedAvailable();
  const X = tf.tensor2d(points.flat(), [P, net.dIn]);
  const pts: PointTensors = {
    X,
    xT: X.transpose(),
    shift: tf.tensor1d(points.map((x) => unitShift(net, x))),
  };
  try {
    for (let done = 0; done < nets; done += batchSize) {
      const count = Math.min(batchSize, nets - done);
      const first = firstNet + done;
      deliver(first, count, await evaluateBatch(net, seed, first, count, pts, fused));
    }
  } finally {
    tf.dispose([pts.X, pts.xT, pts.shift]);
  }
}

/** All outputs of M networks as an M x P float32 array (for histograms; keep M moderate). */
export async function sampleOutputs(
  net: Net,
  inputs: readonly (readonly number[] | number)[],
  options: EnsembleOptions,
): Promise<Float32Array> {
  const P = checkInputs('sampleOutputs', inputs, net.dIn).length;
  const all = new Float32Array(checkPositiveInteger('sampleOutputs', 'nets', options?.nets) * P);
  const start = options.firstNet ?? 0;
  await forEachOutputBatch(net, inputs, options, ({ first, outputs }) => all.set(outputs, (first - start) * P));
  return all;
}

/** Monte Carlo 2-point function: estimate, standard error and sample count for every pair. */
export interface TwoPointFunction {
  readonly inputs: number[][];
  /** G2[p][q] = mean over networks of f(x_p) f(x_q). */
  readonly mean: number[][];
  /** Standard error of each entry (sample std / sqrt(M)). */
  readonly stdErr: number[][];
  /** M: networks averaged. */
  readonly nets: number;
  readonly seed: number;
  readonly width: number;
  /**
   * Tail diagnostic of the estimates: the worse of the networks' f(x_p)^2 and (single-layer nets)
   * the hidden units' phi(x_p)^2 (see ensemble-tails.ts).
   */
  readonly tail: TailDiagnostic;
}

/** Index of the unordered pair (p <= q) among P points: the upper triangle, row by row. */
export function pairIndex(p: number, q: number, P: number): number {
  const [i, j] = p <= q ? [p, q] : [q, p];
  return i * P - (i * (i - 1)) / 2 + (j - i);
}

/**
 * Estimate G2(x_p, x_q) = E[f(x_p) f(x_q)] over M networks (TASI lectures eq. (40) with the
 * full network instead of one neuron). Only the P(P+1)/2 distinct pairs are accumulated.
 */
export async function twoPointFunction(
  net: Net,
  inputs: readonly (readonly number[] | number)[],
  options: EnsembleOptions,
): Promise<TwoPointFunction> {
  const points = checkInputs('twoPointFunction', inputs, net.dIn);
  const P = points.length;
  const acc = new MeanAccumulator((P * (P + 1)) / 2);
  const tails = new TailRecord(P);
  const products = new Float64Array(acc.size);
  await forEachOutputBatch(net, points, options, ({ count, outputs }) => {
    tails.add(count, outputs);
    for (let b = 0; b < count; b++) {
      const row = b * P;
      let k = 0;
      for (let p = 0; p < P; p++) {
        const fp = outputs[row + p];
        for (let q = p; q < P; q++) products[k++] = fp * outputs[row + q];
      }
      acc.push(products);
    }
  });
  const means = acc.means();
  const errs = acc.stdErrs();
  const square = (flat: Float64Array) => points.map((_, p) => points.map((__, q) => flat[pairIndex(p, q, P)]));
  return Object.freeze({
    inputs: points,
    mean: square(means),
    stdErr: square(errs),
    nets: acc.count,
    seed: options.seed,
    width: net.width,
    tail: ensembleTail(tails.diagnose(2), hiddenUnitTail(net, points, acc.count * net.width, options.seed), 2)!,
  });
}
