/**
 * Infinite-width kernels of deep MLPs: the NNGP kernel K and the frozen neural tangent kernel
 * Theta, by the layer recursion, in neural-tangents' conventions (NTK parameterization):
 *
 *   K_1 = sw^2 x.x' / D + sb^2,                      Theta_1 = K_1,
 *   K_{l+1} = sw^2 E[act(u) act(v)] + sb^2,           Theta_{l+1} = K_{l+1} + sw^2 E[act'(u) act'(v)] Theta_l,
 *
 * with (u, v) ~ N(0, [[K_l(x,x), K_l(x,x')], [K_l(x,x'), K_l(x',x')]]). A net with L hidden layers
 * has output kernels K_{L+1}, Theta_{L+1} (L = 0 is the linear model). The expectations are closed
 * forms for ReLU, Erf and the identity, and Gauss-Hermite quadrature for every other activation.
 *
 * Shapes: P input points of dimension D; matrices are P x P arrays of float64 numbers.
 * @see TASI lectures section 4.1 (frozen NTK, eq. (86)); EFT4ML slides (NNGP and NTK).
 */
import { PAIR_EXPECTATIONS } from './kernels';
import { erf, gaussianPairExpectation } from './special';
import { checkInputs, checkNonNegativeInteger, checkNonNegativeNumber, checkPositiveInteger, fail } from './validate';

/** An activation for the kernel recursion: the function, its derivative, and closed forms if known. */
export interface KernelActivation {
  readonly name: string;
  readonly fn: (z: number) => number;
  readonly derivative: (z: number) => number;
  /** E[act(u) act(v)] and E[act'(u) act'(v)] for covariances (k11, k12, k22), if known in closed form. */
  readonly closedForm?: (k11: number, k12: number, k22: number) => [number, number];
}

const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
const clamp = (c: number) => Math.max(-1, Math.min(1, c));

/** The activations the recursion knows by name. */
export const KERNEL_ACTIVATIONS: Readonly<Record<string, KernelActivation>> = Object.freeze({
  relu: {
    name: 'relu',
    fn: (z: number) => (z > 0 ? z : 0),
    derivative: (z: number) => (z > 0 ? 1 : 0),
    // arc-cosine kernels of degree 1 (shared with the single-layer GP kernel) and 0 (Cho & Saul)
    closedForm: (k11: number, k12: number, k22: number): [number, number] => {
      const norm = Math.sqrt(k11 * k22);
      const theta = norm > 0 ? Math.acos(clamp(k12 / norm)) : Math.PI / 2;
      return [PAIR_EXPECTATIONS.relu(k11, k12, k22), (Math.PI - theta) / (2 * Math.PI)];
    },
  },
  erf: {
    name: 'erf',
    fn: erf,
    derivative: (z: number) => (2 / Math.sqrt(Math.PI)) * Math.exp(-z * z),
    // Williams (1997) for erf (shared with the single-layer GP kernel); the derivative pair is a Gaussian integral of exp(-u^2 - v^2)
    closedForm: (k11: number, k12: number, k22: number): [number, number] => {
      const a = 1 + 2 * k11, b = 1 + 2 * k22;
      return [PAIR_EXPECTATIONS.erf(k11, k12, k22), 4 / (Math.PI * Math.sqrt(a * b - 4 * k12 * k12))];
    },
  },
  identity: { name: 'identity', fn: (z: number) => z, derivative: () => 1, closedForm: (_k11: number, k12: number): [number, number] => [k12, 1] },
  tanh: { name: 'tanh', fn: Math.tanh, derivative: (z: number) => 1 - Math.tanh(z) ** 2 },
  sigmoid: { name: 'sigmoid', fn: (z: number) => 1 / (1 + Math.exp(-z)), derivative: (z: number) => { const s = 1 / (1 + Math.exp(-z)); return s * (1 - s); } },
  softplus: { name: 'softplus', fn: (z: number) => (z > 30 ? z : Math.log1p(Math.exp(z))), derivative: (z: number) => 1 / (1 + Math.exp(-z)) },
  gelu: {
    name: 'gelu',
    fn: (z: number) => 0.5 * z * (1 + erf(z / Math.SQRT2)),
    derivative: (z: number) => 0.5 * (1 + erf(z / Math.SQRT2)) + z * INV_SQRT_2PI * Math.exp(-0.5 * z * z),
  },
  sin: { name: 'sin', fn: Math.sin, derivative: Math.cos },
});
export type KernelActivationName = keyof typeof KERNEL_ACTIVATIONS;

/** A deep MLP's infinite-width description (neural-tangents' stax.Dense(sw, sb) / activation stack). */
export interface InfiniteWidthOptions {
  /** Activation name (see KERNEL_ACTIVATIONS) or a custom activation. */
  activation: string | KernelActivation;
  /** L: number of hidden layers (0: the linear model sw x / sqrt(D) + sb). */
  hiddenLayers: number;
  sigmaW?: number;
  sigmaB?: number;
  /** Gauss-Hermite order per axis for activations without closed forms (default 64). */
  quadratureOrder?: number;
  /** Use quadrature even where a closed form exists (a cross-check). */
  forceQuadrature?: boolean;
}

/** The output kernels at every pair of inputs: nngp = K_{L+1}, ntk = Theta_{L+1}. */
export interface InfiniteWidthKernels {
  readonly inputs: readonly (readonly number[])[];
  readonly nngp: number[][];
  readonly ntk: number[][];
}

export function kernelActivation(activation: string | KernelActivation, fn = 'infiniteWidthKernels'): KernelActivation {
  if (typeof activation !== 'string') {
    if (typeof activation?.fn !== 'function' || typeof activation.derivative !== 'function') fail(fn, 'activation', 'a name or an object with fn and derivative', activation);
    return activation;
  }
  // Own keys only: inherited names such as `toString` are not activations.
  const act = Object.prototype.hasOwnProperty.call(KERNEL_ACTIVATIONS, activation) ? KERNEL_ACTIVATIONS[activation] : undefined;
  if (!act) fail(fn, 'activation', `one of ${Object.keys(KERNEL_ACTIVATIONS).join(', ')}`, activation);
  return act;
}

/**
 * NNGP kernel and NTK of an infinitely wide MLP at the given inputs (float64).
 * @example infiniteWidthKernels([[1], [-0.5]], { activation: 'relu', hiddenLayers: 2 }).ntk
 */
export function infiniteWidthKernels(inputs: readonly (readonly number[] | number)[], options: InfiniteWidthOptions): InfiniteWidthKernels {
  const fn = 'infiniteWidthKernels';
  const act = kernelActivation(options.activation, fn);
  const L = checkNonNegativeInteger(fn, 'hiddenLayers', options.hiddenLayers);
  const sw2 = checkNonNegativeNumber(fn, 'sigmaW', options.sigmaW ?? 1) ** 2;
  const sb2 = checkNonNegativeNumber(fn, 'sigmaB', options.sigmaB ?? 0) ** 2;
  const order = checkPositiveInteger(fn, 'quadratureOrder', options.quadratureOrder ?? 64);
  const D = typeof inputs[0] === 'number' ? 1 : (inputs[0] as readonly number[] | undefined)?.length ?? 0;
  const xs = checkInputs(fn, inputs, D);
  const P = xs.length;
  const pairs = (build: (p: number, q: number) => number) => {
    const out = Array.from({ length: P }, () => new Array<number>(P).fill(0));
    for (let p = 0; p < P; p++) for (let q = p; q < P; q++) out[p][q] = out[q][p] = build(p, q);
    return out;
  };
  let K = pairs((p, q) => (sw2 * xs[p].reduce((s, c, j) => s + c * xs[q][j], 0)) / D + sb2);
  let Theta = K.map((row) => [...row]);
  const expectations = options.forceQuadrature || !act.closedForm
    ? (k11: number, k12: number, k22: number): [number, number] => [
        gaussianPairExpectation(act.fn, act.fn, k11, k12, k22, order),
        gaussianPairExpectation(act.derivative, act.derivative, k11, k12, k22, order),
      ]
    : act.closedForm;
  for (let l = 0; l < L; l++) {
    const nextK = pairs(() => 0);
    const nextTheta = pairs(() => 0);
    for (let p = 0; p < P; p++) {
      for (let q = p; q < P; q++) {
        const [t, tDot] = expectations(K[p][p], K[p][q], K[q][q]);
        nextK[p][q] = nextK[q][p] = sw2 * t + sb2;
        nextTheta[p][q] = nextTheta[q][p] = nextK[p][q] + sw2 * tDot * Theta[p][q];
      }
    }
    K = nextK;
    Theta = nextTheta;
  }
  return { inputs: xs, nngp: K, ntk: Theta };
}
