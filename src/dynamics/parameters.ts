/**
 * Networks of an ensemble as trainable tfjs tensors (lecture section 4): the abc-form of a `Net`
 * (TASI eqs. (101)-(105)), E members' parameters drawn and held as batched tensors in bounded
 * memory, and the forward pass of every member at once.
 *
 * Shapes: E ensemble members, P input points of dimension D, N width, L hidden layers (so L + 1
 * weight layers: D -> N, (L - 1) x N -> N, N -> 1). Member e's parameters are drawn from
 * Rng.stream(seed, e), so a member does not depend on how many others are drawn with it.
 *
 * Conventions: weights are drawn W ~ N(0, N^(-b)) (first layer N^(-b_1)) and enter the forward pass
 * as sigma_w N^(-a) W (first layer sigma_w N^(-a_1) D^(-1/2) W); with sigma_b > 0 every layer adds
 * sigma_b beta, beta ~ N(0, 1) trainable (neural-tangents' NTK convention); phi = z^(L+1) / (gamma0 N^d).
 * With the 'ntk' preset this is exactly neural-tangents' NTK parameterization, so the empirical NTK
 * (empirical-ntk.ts) tends to `kernelOf(net, inputs).ntk`.
 */
import { tf } from '../core/backend';
import { ACTIVATION_REGISTRY } from '../nets/activations';
import { Net, customDensities, makeNet } from '../nets/architectures';
import { Rng } from '../core/random';
import { checkInputs, checkNonNegativeInteger, checkPositiveInteger, fail } from '../core/validate';

/**
 * The abc-form of a net as training uses it (TASI eqs. (101)-(105)): weight shapes, the forward
 * multiplier of each weight layer (sigma_w N^-a, the first layer also D^-1/2) and the initial
 * standard deviation N^(-b/2) of its trained entries. Read from the one net description: an
 * `mlp` (any parameterization) or a single-layer Erf/ReLU/Tanh-net (NTK parameterization).
 */
interface AbcForm {
  readonly net: Net;
  readonly sigmaB: number;
  /** Weight shapes per layer without the ensemble axis: [fanIn, fanOut]. */
  readonly shapes: readonly (readonly [number, number])[];
  readonly multipliers: readonly number[];
  readonly initStd: readonly number[];
}

const forms = new WeakMap<Net, AbcForm>();

function abcForm(net: Net, fn: string): AbcForm {
  const known = forms.get(net);
  if (known) return known;
  const { sigmaW, sigmaB } = net.options;
  const gaussian = net.architecture === 'mlp' || net.architecture === 'erf' || net.architecture === 'relu' || net.architecture === 'tanh';
  // Densities swapped after construction (withDensities) are not in abc-form.
  const asBuilt = gaussian && !customDensities(net).length && JSON.stringify(makeNet(net.architecture, net.options).layers) === JSON.stringify(net.layers);
  if (!asBuilt || typeof sigmaW !== 'number' || typeof sigmaB !== 'number') {
    fail(fn, 'net', 'an mlp or a single-layer Erf/ReLU/Tanh-net as constructed (Gaussian layers in abc-form)', net.name);
  }
  const p = net.parameterization;
  const { width: N, dIn: D, depth: L } = net;
  const shapes: [number, number][] = [[D, N], ...Array.from({ length: L - 1 }, (): [number, number] => [N, N]), [N, 1]];
  const multipliers = shapes.map((_, l) => (l === 0 ? (sigmaW * N ** -p.a1) / Math.sqrt(D) : sigmaW * N ** -p.a));
  const initStd = shapes.map((_, l) => Math.sqrt(N ** -(l === 0 ? p.b1 : p.b)));
  const form = Object.freeze({ net, sigmaB, shapes, multipliers, initStd });
  forms.set(net, form);
  return form;
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

function bytesPerMember(net: Net): number {
  const form = abcForm(net, 'initParameters');
  return 4 * form.shapes.reduce((s, [fanIn, fanOut]) => s + fanIn * fanOut + (form.sigmaB > 0 ? fanOut : 0), 0);
}

/**
 * Draw members first .. first + E - 1 (stream seed, e for member e): trained entries
 * w ~ N(0, N^(-b)), TASI eq. (105).
 */
export function initParameters(net: Net, members: number, seed: number, first = 0): AbcParameters {
  const form = abcForm(net, 'initParameters');
  const E = checkPositiveInteger('initParameters', 'members', members);
  checkNonNegativeInteger('initParameters', 'seed', seed);
  const most = Math.floor(HELD_BYTES / bytesPerMember(net));
  if (E > most) fail('initParameters', 'members', `at most ${most} for this net (its parameters would take more than ${HELD_BYTES / 2 ** 30} GiB of the 4 GiB tfjs-wasm heap); draw further members in separate calls with 'first'`, E);
  const sizes = form.shapes.map(([i, o]) => i * o);
  const w = sizes.map((s) => new Float32Array(E * s));
  const b = form.sigmaB > 0 ? form.shapes.map(([, o]) => new Float32Array(E * o)) : [];
  for (let e = 0; e < E; e++) {
    const rng = Rng.stream(seed, first + e);
    sizes.forEach((s, l) => rng.fillNormal(w[l], e * s, s, form.initStd[l]));
    b.forEach((arr, l) => rng.fillNormal(arr, e * form.shapes[l][1], form.shapes[l][1]));
  }
  return {
    members: E,
    weights: w.map((arr, l) => tf.tensor3d(arr, [E, form.shapes[l][0], form.shapes[l][1]])),
    biases: b.map((arr, l) => tf.tensor3d(arr, [E, 1, form.shapes[l][1]])),
  };
}

export function disposeParameters(params: AbcParameters): void {
  params.weights.forEach((t) => t.dispose());
  params.biases.forEach((t) => t.dispose());
}

/** [first, count] of consecutive member chunks of `per` members (default: as many as fit CHUNK_BYTES). */
export function memberChunks(net: Net, members: number, per = Math.max(1, Math.floor(CHUNK_BYTES / bytesPerMember(net)))): [number, number][] {
  const chunks: [number, number][] = [];
  for (let first = 0; first < members; first += per) chunks.push([first, Math.min(per, members - first)]);
  return chunks;
}

/** Copies of members first .. first + count - 1. */
export function sliceMembers(params: AbcParameters, first: number, count: number): AbcParameters {
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

/**
 * Forward pass of every member at the points X [P, D] (TASI eqs. (101)-(104)): returns phi [E, P]
 * and the pre-activations z^(l) [E, P, N] of every hidden layer (l = 1 .. L).
 */
export function forward(net: Net, weights: readonly tf.Tensor3D[], biases: readonly tf.Tensor3D[], X: tf.Tensor2D): { phi: tf.Tensor2D; features: tf.Tensor3D[] } {
  const form = abcForm(net, 'forward');
  const act = ACTIVATION_REGISTRY[net.activation];
  const E = weights[0].shape[0];
  const P = X.shape[0];
  const features: tf.Tensor3D[] = [];
  let h: tf.Tensor3D = tf.tile(X.expandDims(0), [E, 1, 1]) as tf.Tensor3D; // [E, P, D]
  weights.forEach((W, l) => {
    let z = tf.mul(memberMatMul(h, W), form.multipliers[l]) as tf.Tensor3D; // [E, P, fanOut]
    if (biases.length) z = tf.add(z, tf.mul(biases[l], form.sigmaB)) as tf.Tensor3D;
    if (l < weights.length - 1) {
      features.push(z);
      h = act.op(z) as tf.Tensor3D;
    } else h = z;
  });
  const scale = 1 / (net.gamma0 * net.width ** net.parameterization.d);
  return { phi: tf.mul(h.reshape([E, P]), scale) as tf.Tensor2D, features };
}

export function pointsTensor(net: Net, inputs: readonly (readonly number[] | number)[], fn: string): tf.Tensor2D {
  const xs = checkInputs(fn, inputs, net.dIn);
  return tf.tensor2d(xs.flat(), [xs.length, net.dIn]);
}

/** Outputs phi [E][P] (float64 copies) of every member at the inputs. */
export function outputs(net: Net, params: AbcParameters, inputs: readonly (readonly number[] | number)[]): Float64Array[] {
  const X = pointsTensor(net, inputs, 'outputs');
  const phi = tf.tidy(() => forward(net, params.weights, params.biases, X).phi);
  const values = phi.dataSync();
  const P = X.shape[0];
  X.dispose();
  phi.dispose();
  return Array.from({ length: params.members }, (_, e) => Float64Array.from(values.subarray(e * P, (e + 1) * P)));
}

