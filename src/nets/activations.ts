/**
 * The activation registry: every activation of the lab defined once, with everything a consumer
 * reads from it. The float64 function and derivative feed the exact routes and the kernel
 * recursion; the tfjs op feeds the Monte Carlo engine and training; `fused` is the host loop of the
 * fused CPU kernel (and `simd` says a WebAssembly SIMD loop exists); `pair` and `derivativePair`
 * are the Gaussian pair expectations in closed form where they are known:
 *
 *   pair(k11, k12, k22)           = E[act(u) act(v)],
 *   derivativePair(k11, k12, k22) = E[act'(u) act'(v)],     (u, v) ~ N(0, [[k11, k12], [k12, k22]]),
 *
 * the building blocks of the NNGP kernel (TASI lectures eqs. (36)-(39)) and of the NTK recursion
 * (section 4.1, eq. (86)). Where no closed form exists consumers integrate `fn` / `derivative` by
 * Gauss-Hermite quadrature (`gaussianPairExpectation`).
 *
 * The Gauss-net unit is `normalized`: it acts as act_x(z) = exp(z - k(x, x)) with k(x, x) the
 * pre-activation variance at its input, so it belongs to single-layer nets only.
 */
import type { tf as TF } from '../core/backend';
import { erf, fastErf } from '../core/special';
import { fail } from '../core/validate';

/** tfjs, loaded on first use of an op (the host ensemble engine and the exact routes need none). */
const tf = (): typeof TF => (require('../core/backend') as typeof import('../core/backend')).tf;

/** One activation, everything about it (see the module comment). */
export interface Activation {
  readonly name: string;
  /** Display label, e.g. "ReLU" (the nets are "ReLU-net", "ReLU MLP"). */
  readonly label: string;
  /** float64 function. */
  readonly fn: (z: number) => number;
  /** float64 derivative. */
  readonly derivative: (z: number) => number;
  /** The tfjs op, elementwise. */
  readonly op: (z: TF.Tensor) => TF.Tensor;
  /** The host function of the fused CPU kernel (single-layer nets), if it has a loop there. */
  readonly fused?: (z: number) => number;
  /** Whether the fused kernel has a WebAssembly SIMD loop for it (ensembles/wasm/engine.c). */
  readonly simd: boolean;
  /** E[act(u) act(v)] in closed form, if known. */
  readonly pair?: (k11: number, k12: number, k22: number) => number;
  /** E[act'(u) act'(v)] in closed form, if known. */
  readonly derivativePair?: (k11: number, k12: number, k22: number) => number;
  /** act_x(z) = fn(z - k(x, x)) at input x: the Gauss-net unit, single-layer nets only. */
  readonly normalized?: boolean;
  /** act(-z) = -act(z): odd moments of its units vanish (exact routes use it). */
  readonly odd?: boolean;
  /**
   * |act(z)| <= 1 for every z: its hidden-unit terms phi^2 are bounded, so they have all moments and
   * no tail for the hidden-unit probe to find (ensemble-tails.ts skips it).
   */
  readonly bounded?: boolean;
}

const clamp = (c: number) => Math.max(-1, Math.min(1, c));
const relu = (z: number) => (z > 0 ? z : 0);
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
/** Slope of leaky ReLU for z < 0: tfjs's default alpha (its critical C_W is 2 / (1 + a^2), about 1.923). */
export const LEAKY_SLOPE = 0.2;

/**
 * E[relu(u) relu(v)]: the degree-1 arc-cosine kernel (Cho & Saul 2009; the ReLU kernel of the
 * NN-QFT talk).
 */
function reluPair(k11: number, k12: number, k22: number): number {
  const norm = Math.sqrt(k11 * k22);
  if (norm === 0) return 0;
  const t = Math.acos(clamp(k12 / norm));
  return (norm * (Math.sin(t) + (Math.PI - t) * Math.cos(t))) / (2 * Math.PI);
}

/**
 * The registry. Add an activation here and every consumer knows it. `pair` is the single-neuron
 * bracket of TASI eq. (39) (closed forms: NN-QFT talk, "A flash of some experimental results");
 * `pair` and `derivativePair` are the <rho rho> and <rho' rho'> of the EFT4ML slides' NNGP and NTK
 * recursions.
 */
export const ACTIVATION_REGISTRY = Object.freeze({
  erf: Object.freeze<Activation>({
    name: 'erf',
    label: 'Erf',
    fn: erf,
    derivative: (z) => (2 / Math.sqrt(Math.PI)) * Math.exp(-z * z),
    op: (z) => tf().erf(z),
    fused: fastErf,
    simd: true,
    odd: true,
    bounded: true,
    // Williams (1997)
    pair: (k11, k12, k22) => (2 / Math.PI) * Math.asin(clamp((2 * k12) / Math.sqrt((1 + 2 * k11) * (1 + 2 * k22)))),
    // a Gaussian integral of exp(-u^2 - v^2)
    derivativePair: (k11, k12, k22) => 4 / (Math.PI * Math.sqrt((1 + 2 * k11) * (1 + 2 * k22) - 4 * k12 * k12)),
  }),
  relu: Object.freeze<Activation>({
    name: 'relu',
    label: 'ReLU',
    fn: relu,
    derivative: (z) => (z > 0 ? 1 : 0),
    op: (z) => tf().relu(z),
    fused: relu,
    simd: true,
    pair: reluPair,
    // the degree-0 arc-cosine kernel
    derivativePair: (k11, k12, k22) => {
      const norm = Math.sqrt(k11 * k22);
      const theta = norm > 0 ? Math.acos(clamp(k12 / norm)) : Math.PI / 2;
      return (Math.PI - theta) / (2 * Math.PI);
    },
  }),
  tanh: Object.freeze<Activation>({ name: 'tanh', label: 'Tanh', fn: Math.tanh, derivative: (z) => 1 - Math.tanh(z) ** 2, op: (z) => tf().tanh(z), fused: Math.tanh, simd: false, odd: true, bounded: true }),
  gauss: Object.freeze<Activation>({
    name: 'gauss',
    label: 'Gauss',
    fn: Math.exp,
    derivative: Math.exp,
    op: (z) => tf().exp(z),
    fused: Math.exp,
    simd: false,
    // E[exp(u - k11) exp(v - k22)] = exp(k12 - (k11 + k22) / 2)
    pair: (k11, k12, k22) => Math.exp(k12 - (k11 + k22) / 2),
    normalized: true,
  }),
  cos: Object.freeze<Activation>({ name: 'cos', label: 'Cos', fn: Math.cos, derivative: (z) => -Math.sin(z), op: (z) => tf().cos(z), fused: Math.cos, simd: false, bounded: true }),
  identity: Object.freeze<Activation>({ name: 'identity', label: 'Linear', fn: (z) => z, derivative: () => 1, op: (z) => z, simd: false, odd: true, pair: (_k11, k12) => k12, derivativePair: () => 1 }),
  sigmoid: Object.freeze<Activation>({ name: 'sigmoid', label: 'Sigmoid', fn: sigmoid, derivative: (z) => sigmoid(z) * (1 - sigmoid(z)), op: (z) => tf().sigmoid(z), simd: false, bounded: true }),
  softplus: Object.freeze<Activation>({ name: 'softplus', label: 'Softplus', fn: (z) => (z > 30 ? z : Math.log1p(Math.exp(z))), derivative: sigmoid, op: (z) => tf().softplus(z), simd: false }),
  gelu: Object.freeze<Activation>({
    name: 'gelu',
    label: 'GELU',
    fn: (z) => 0.5 * z * (1 + erf(z / Math.SQRT2)),
    derivative: (z) => 0.5 * (1 + erf(z / Math.SQRT2)) + z * INV_SQRT_2PI * Math.exp(-0.5 * z * z),
    op: (z) => tf().mul(tf().mul(z, 0.5), tf().add(1, tf().erf(tf().mul(z, Math.SQRT1_2)))),
    simd: false,
  }),
  leaky_relu: Object.freeze<Activation>({
    name: 'leaky_relu',
    label: 'Leaky ReLU',
    fn: (z) => (z > 0 ? z : LEAKY_SLOPE * z),
    derivative: (z) => (z > 0 ? 1 : LEAKY_SLOPE),
    op: (z) => tf().leakyRelu(z, LEAKY_SLOPE),
    simd: false,
    // lrelu(z) = relu(z) - a relu(-z), and (u, v) -> (-u, -v) leaves the Gaussian unchanged
    pair: (k11, k12, k22) => (1 + LEAKY_SLOPE ** 2) * reluPair(k11, k12, k22) - 2 * LEAKY_SLOPE * reluPair(k11, -k12, k22),
    // (1 + a^2) P(u > 0, v > 0) + 2 a P(u > 0, v < 0), Sheppard's orthant probabilities
    derivativePair: (k11, k12, k22) => {
      const norm = Math.sqrt(k11 * k22);
      const s = norm > 0 ? Math.asin(clamp(k12 / norm)) / (2 * Math.PI) : 0;
      return (1 + LEAKY_SLOPE ** 2) * (0.25 + s) + 2 * LEAKY_SLOPE * (0.25 - s);
    },
  }),
  sin: Object.freeze<Activation>({ name: 'sin', label: 'Sin', fn: Math.sin, derivative: Math.cos, op: (z) => tf().sin(z), simd: false, odd: true, bounded: true }),
});

/** Names of the registered activations. */
export type ActivationName = keyof typeof ACTIVATION_REGISTRY;

/** Every registered name, in registry order. */
export const ACTIVATION_NAMES = Object.freeze(Object.keys(ACTIVATION_REGISTRY) as ActivationName[]);

/** Whether `name` is a registered activation (own keys only: `toString` is not one). */
export function isActivationName(name: unknown): name is ActivationName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(ACTIVATION_REGISTRY, name);
}

/**
 * The registry entry of an activation given by name, or a custom `Activation` object (checked for
 * fn, derivative and op). Throws a RangeError naming `fn` and `arg` otherwise.
 */
export function activation(name: ActivationName | Activation, fn = 'activation', arg = 'activation'): Activation {
  if (typeof name !== 'string') {
    if (typeof name?.fn !== 'function' || typeof name.derivative !== 'function' || typeof name.op !== 'function') fail(fn, arg, 'a registered name or an Activation with fn, derivative and op', name);
    return name;
  }
  if (!isActivationName(name)) fail(fn, arg, `one of ${ACTIVATION_NAMES.join(', ')}`, name);
  return ACTIVATION_REGISTRY[name];
}
