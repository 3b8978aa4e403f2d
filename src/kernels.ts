/**
 * Infinite-width (NNGP) kernels of the single-layer nets.
 *
 * For f(x) = sum_i W1_i act_x(z_i(x)) + b1 with mean-zero W1 of variance sw^2/N, the 2-point
 * function is exact at every width (TASI lectures eqs. (36)-(39)):
 *
 *   G2(x, y) = K(x, y) = sb^2 + sw^2 E[act_x(z) act_y(z')],
 *   (z, z') ~ N(0, [[k(x,x), k(x,y)], [k(x,y), k(y,y)]]),  k(x, y) = sb^2 + sw^2 x.y / D.
 *
 * Closed forms (NN-QFT talk, "A flash of some experimental results"):
 *   Erf:   K = sb^2 + sw^2 (2/pi) asin( 2 k(x,y) / sqrt((1 + 2 k(x,x)) (1 + 2 k(y,y))) )
 *   ReLU:  K = sb^2 + sw^2 sqrt(k(x,x) k(y,y)) (sin t + (pi - t) cos t) / (2 pi),
 *          t = acos( k(x,y) / sqrt(k(x,x) k(y,y)) )
 *   Gauss: K = sb^2 + sw^2 exp( -sw^2 |x - y|^2 / (2 D) )
 * Tanh has no closed form; its kernel (and a second evaluation of every other one) comes from
 * Gauss-Hermite quadrature of the defining expectation.
 */
import { ActivationName, NormalDensity, SingleLayerNet, densityVariance, hasGaussianPreactivations, preactivationCovariance } from './architectures';
import { erf, gaussLegendre, gaussianPairExpectation } from './special';
import { checkInputs, fail } from './validate';

/** A covariance function K(x, y) on R^D. */
export type Kernel = (x: readonly number[], y: readonly number[]) => number;

/** The hidden-unit activation at input x, as a float64 function of the pre-activation z. */
export function unitActivation(net: SingleLayerNet, x: readonly number[]): (z: number) => number {
  switch (net.activation) {
    case 'erf':
      return erf;
    case 'relu':
      return (z) => (z > 0 ? z : 0);
    case 'tanh':
      return Math.tanh;
    case 'gauss': {
      const shift = preactivationCovariance(net, x, x);
      return (z) => Math.exp(z - shift);
    }
    case 'cos':
      return Math.cos;
  }
}

/**
 * E[act(u) act(v)] for (u, v) ~ N(0, [[kuu, kuv], [kuv, kvv]]) in closed form: Williams (1997) for
 * erf, the degree-1 arc-cosine kernel (Cho & Saul) for ReLU. Shared by the single-layer GP kernels
 * and the deep recursion (infinite-width.ts).
 */
export const PAIR_EXPECTATIONS: Readonly<Record<'erf' | 'relu', (kuu: number, kuv: number, kvv: number) => number>> = Object.freeze({
  erf: (kuu: number, kuv: number, kvv: number) => (2 / Math.PI) * Math.asin(clamp((2 * kuv) / Math.sqrt((1 + 2 * kuu) * (1 + 2 * kvv)))),
  relu: (kuu: number, kuv: number, kvv: number) => {
    const norm = Math.sqrt(kuu * kvv);
    if (norm === 0) return 0;
    const t = Math.acos(clamp(kuv / norm));
    return (norm * (Math.sin(t) + (Math.PI - t) * Math.cos(t))) / (2 * Math.PI);
  },
});

const closedForms: Partial<Record<ActivationName, (kxx: number, kxy: number, kyy: number, net: SingleLayerNet, x: readonly number[], y: readonly number[]) => number>> = {
  erf: PAIR_EXPECTATIONS.erf,
  relu: PAIR_EXPECTATIONS.relu,
  gauss: (_kxx, _kxy, _kyy, net, x, y) => Math.exp(-(net.params.W0 as NormalDensity).variance * distance2(x, y) / 2),
};

function distance2(x: readonly number[], y: readonly number[]): number {
  let d2 = 0;
  for (let j = 0; j < x.length; j++) d2 += (x[j] - y[j]) ** 2;
  return d2;
}

function clamp(c: number): number {
  return Math.max(-1, Math.min(1, c));
}

/** Whether `gpKernel` uses a closed form for this activation (otherwise quadrature). */
export function hasClosedFormKernel(activation: ActivationName): boolean {
  return closedForms[activation] !== undefined;
}

/** Bias variance Var(b1) and total readout variance N Var(W1) = sw^2 of a net. */
function outputScales(net: SingleLayerNet): [number, number] {
  return [densityVariance(net.params.b1, 'gpKernel'), net.width * net.params.W1.variance];
}

/**
 * The exact 2-point function K(x, y) of a single-layer net (equal to its NNGP kernel at any width).
 * Closed form where one is known, Gauss-Hermite quadrature otherwise; for the Cos-net
 * (sw1^2/2) exp(-Var(W0) |x - y|^2 / 2), and for the Scalar-net the cutoff free propagator
 * (`scalarPropagator`).
 */
export function gpKernel(net: SingleLayerNet): Kernel {
  const [s2b, s2w] = outputScales(net);
  if (net.spectrum) {
    const { mass, cutoff } = net.spectrum;
    return (x, y) => scalarPropagator(net.dIn, mass, cutoff, Math.sqrt(distance2(x, y)));
  }
  if (net.activation === 'cos') {
    const b0 = net.params.b0;
    if (b0.kind !== 'uniform' || Math.abs(b0.high - b0.low - 2 * Math.PI) > 1e-12 || net.params.W0.kind !== 'normal') {
      fail('gpKernel', 'net', 'a Cos-net with normal W0 and phases uniform over a full period', net.name);
    }
    const v0 = (net.params.W0 as NormalDensity).variance;
    return (x, y) => s2b + (s2w / 2) * Math.exp((-v0 * distance2(x, y)) / 2);
  }
  const closed = closedForms[net.activation];
  if (!closed) return gpKernelQuadrature(net);
  return (x, y) => {
    const kxx = preactivationCovariance(net, x, x);
    const kyy = preactivationCovariance(net, y, y);
    const kxy = preactivationCovariance(net, x, y);
    return s2b + s2w * closed(kxx, kxy, kyy, net, x, y);
  };
}

/**
 * The free scalar propagator with a hard momentum cutoff, at distance r in D = 1, 2, 3 dimensions:
 *   K(r) = (2 pi)^-D int_{|p| < Lambda} d^D p cos(p . x) / (p^2 + m^2),
 * reduced to a radial integral (D = 1: cos(p r)/pi; D = 2: p J0(p r)/(2 pi); D = 3:
 * p^2 sin(p r)/(p r)/(2 pi^2)) and done by composite Gauss-Legendre quadrature (panels shorter than
 * a quarter period of the oscillation).
 */
export function scalarPropagator(D: number, mass: number, cutoff: number, r: number): number {
  if (D < 1 || D > 3) fail('scalarPropagator', 'D', '1, 2 or 3', D);
  const radial = (p: number): number => {
    const prop = 1 / (p * p + mass * mass);
    if (D === 1) return (Math.cos(p * r) * prop) / Math.PI;
    if (D === 2) return (p * besselJ0(p * r) * prop) / (2 * Math.PI);
    const z = p * r;
    return (p * p * (z === 0 ? 1 : Math.sin(z) / z) * prop) / (2 * Math.PI * Math.PI);
  };
  const panels = 16 + Math.ceil((4 * cutoff * r) / Math.PI);
  const { nodes, weights } = gaussLegendre(16);
  const h = cutoff / panels;
  let total = 0;
  for (let k = 0; k < panels; k++) {
    for (let i = 0; i < nodes.length; i++) total += (h / 2) * weights[i] * radial(h * (k + (nodes[i] + 1) / 2));
  }
  return total;
}

/** Bessel J0 by its integral representation J0(z) = (1/pi) int_0^pi cos(z sin t) dt (Gauss-Legendre). */
export function besselJ0(z: number): number {
  const panels = 4 + Math.ceil(Math.abs(z) / 2);
  const { nodes, weights } = gaussLegendre(16);
  const h = Math.PI / panels;
  let total = 0;
  for (let k = 0; k < panels; k++) {
    for (let i = 0; i < nodes.length; i++) total += (h / 2) * weights[i] * Math.cos(z * Math.sin(h * (k + (nodes[i] + 1) / 2)));
  }
  return total / Math.PI;
}

/** E[act_x(z) act_y(z')] by Gauss-Hermite quadrature (an independent route to the kernel). */
export function unitPairExpectation(net: SingleLayerNet, x: readonly number[], y: readonly number[], order = 80): number {
  const kxx = preactivationCovariance(net, x, x);
  const kyy = preactivationCovariance(net, y, y);
  const kxy = preactivationCovariance(net, x, y);
  return gaussianPairExpectation(unitActivation(net, x), unitActivation(net, y), kxx, kxy, kyy, order);
}

/** K(x, y) by quadrature of its defining expectation (nets with Gaussian pre-activations). */
export function gpKernelQuadrature(net: SingleLayerNet, order = 80): Kernel {
  if (!hasGaussianPreactivations(net)) fail('gpKernelQuadrature', 'net', 'a net with Gaussian pre-activations', net.name);
  const [s2b, s2w] = outputScales(net);
  return (x, y) => s2b + s2w * unitPairExpectation(net, x, y, order);
}

/** The P x P Gram matrix K(x_p, x_q) of a kernel on a list of input points (exactly symmetric). */
export function kernelMatrix(kernel: Kernel, inputs: readonly (readonly number[])[]): number[][] {
  const K = inputs.map(() => new Array<number>(inputs.length).fill(0));
  for (let p = 0; p < inputs.length; p++) {
    for (let q = p; q < inputs.length; q++) K[p][q] = K[q][p] = kernel(inputs[p], inputs[q]);
  }
  return K;
}

/** `kernelMatrix(gpKernel(net), inputs)`, with the inputs checked against the net's D. */
export function gpKernelMatrix(net: SingleLayerNet, inputs: readonly (readonly number[] | number)[]): number[][] {
  const points = checkInputs('gpKernelMatrix', inputs, net.dIn);
  return kernelMatrix(gpKernel(net), points);
}
