/**
 * Infinite-width kernels of any net with Gaussian layers: the NNGP kernel K and the frozen neural
 * tangent kernel Theta, by the layer recursion (TASI lectures section 4.1, eq. (86); EFT4ML slides,
 * the NNGP and NTK recursions), read off the net's own layer densities:
 *
 *   K_1 = Var(b_0) + Var(W_0) x.x',                              Theta_1 = K_1,
 *   K_{l+1} = Var(b_l) + N Var(W_l) E[act(u) act(v)],             Theta_{l+1} = K_{l+1} + N Var(W_l) E[act'(u) act'(v)] Theta_l,
 *
 * with (u, v) ~ N(0, [[K_l(x,x), K_l(x,x')], [K_l(x,x'), K_l(x',x')]]) and l = 1 .. L (the readout
 * is l = L). In neural-tangents' conventions (sw^2/D, sw^2/N, sb^2) this is their stax recursion;
 * at L = 1 K is the single-layer GP kernel of gp-kernels.ts (an independent route: closed forms or
 * order-80 quadrature there). The expectations are the registry's closed forms (`pair`,
 * `derivativePair`) or Gauss-Hermite quadrature of `fn` and `derivative`.
 *
 * The NTK is that of the net's densities in the NTK parameterization, the one in which it freezes
 * at infinite width (section 4.1); under other parameterizations the trained kernel differs by
 * powers of N (section 4.3). The input-normalised Gauss unit has act' = act. Shapes: P input
 * points of dimension D; matrices are P x P arrays of float64 numbers.
 */
import { gaussianPairExpectation } from '../core/special';
import { checkInputs, checkPositiveInteger, fail } from '../core/validate';
import { ACTIVATION_REGISTRY } from '../nets/activations';
import { Net, densityVariance, hasGaussianPreactivations, preactivationCovariance } from '../nets/architectures';

/** Options of `kernelOf`. */
export interface KernelOptions {
  /** Gauss-Hermite order per axis for activations without closed forms (default 64). */
  quadratureOrder?: number;
  /** Use quadrature even where a closed form exists (a cross-check). */
  forceQuadrature?: boolean;
}

/** The output kernels at every pair of inputs: nngp = K_{L+1}, ntk = Theta_{L+1}. */
export interface NetKernels {
  readonly inputs: readonly (readonly number[])[];
  readonly nngp: number[][];
  readonly ntk: number[][];
}

/** Whether `kernelOf` can evaluate a net: Gaussian pre-activations and Gaussian later layers. */
export function hasInfiniteWidthKernel(net: Net): boolean {
  return hasGaussianPreactivations(net) && net.layers.slice(1).every((l) => l.weight.kind === 'normal' && (l.bias.kind === 'normal' || l.bias.kind === 'zero'));
}

/**
 * NNGP kernel and NTK of the net at infinite width, at the given inputs (float64): the frozen NTK
 * of TASI eqs. (86) and (93) and the NNGP kernel of eq. (41), by the EFT4ML slides' recursions
 * (module comment). The width of the net does not enter.
 * @example kernelOf(mlp({ depth: 2, width: 1, activation: 'relu' }), [[1], [-0.5]]).ntk
 */
export function kernelOf(net: Net, inputs: readonly (readonly number[] | number)[], options: KernelOptions = {}): NetKernels {
  const fn = 'kernelOf';
  if (!hasInfiniteWidthKernel(net)) fail(fn, 'net', 'a net with Gaussian layers (normal weights and normal or absent biases)', net.name);
  const order = checkPositiveInteger(fn, 'quadratureOrder', options.quadratureOrder ?? 64);
  const xs = checkInputs(fn, inputs, net.dIn);
  const act = ACTIVATION_REGISTRY[net.activation];
  const P = xs.length;
  const pairs = (build: (p: number, q: number) => number) => {
    const out = Array.from({ length: P }, () => new Array<number>(P).fill(0));
    for (let p = 0; p < P; p++) for (let q = p; q < P; q++) out[p][q] = out[q][p] = build(p, q);
    return out;
  };
  const quadrature = options.forceQuadrature === true;
  const pair = !quadrature && act.pair ? act.pair : (k11: number, k12: number, k22: number) => shiftedPair(act.fn, k11, k12, k22, order, act.normalized === true);
  const derivativePair = !quadrature && act.derivativePair ? act.derivativePair : (k11: number, k12: number, k22: number) => shiftedPair(act.derivative, k11, k12, k22, order, act.normalized === true);
  let K = pairs((p, q) => preactivationCovariance(net, xs[p], xs[q]));
  let Theta = K.map((row) => [...row]);
  for (let l = 1; l <= net.depth; l++) {
    const { weight, bias } = net.layers[l];
    const sw2 = net.width * densityVariance(weight, fn);
    const sb2 = densityVariance(bias, fn);
    const nextK = pairs(() => 0);
    const nextTheta = pairs(() => 0);
    for (let p = 0; p < P; p++) {
      for (let q = p; q < P; q++) {
        nextK[p][q] = nextK[q][p] = sb2 + sw2 * pair(K[p][p], K[p][q], K[q][q]);
        nextTheta[p][q] = nextTheta[q][p] = nextK[p][q] + sw2 * derivativePair(K[p][p], K[p][q], K[q][q]) * Theta[p][q];
      }
    }
    K = nextK;
    Theta = nextTheta;
  }
  return { inputs: xs, nngp: K, ntk: Theta };
}

/** E[g(u) g(v)] by quadrature; for an input-normalised unit g(u - k11) g(v - k22). */
function shiftedPair(g: (z: number) => number, k11: number, k12: number, k22: number, order: number, normalized: boolean): number {
  if (!normalized) return gaussianPairExpectation(g, g, k11, k12, k22, order);
  return gaussianPairExpectation((u) => g(u - k11), (v) => g(v - k22), k11, k12, k22, order);
}
