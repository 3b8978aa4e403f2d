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
import { ActivationName, SingleLayerNet, preactivationCovariance } from './architectures';
import { erf, gaussianPairExpectation } from './special';
import { checkInputs } from './validate';

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
  }
}

const closedForms: Partial<Record<ActivationName, (kxx: number, kxy: number, kyy: number, net: SingleLayerNet, x: readonly number[], y: readonly number[]) => number>> = {
  erf: (kxx, kxy, kyy) => (2 / Math.PI) * Math.asin(clamp((2 * kxy) / Math.sqrt((1 + 2 * kxx) * (1 + 2 * kyy)))),
  relu: (kxx, kxy, kyy) => {
    const norm = Math.sqrt(kxx * kyy);
    if (norm === 0) return 0;
    const t = Math.acos(clamp(kxy / norm));
    return (norm * (Math.sin(t) + (Math.PI - t) * Math.cos(t))) / (2 * Math.PI);
  },
  gauss: (_kxx, _kxy, _kyy, net, x, y) => {
    let dist2 = 0;
    for (let j = 0; j < net.dIn; j++) dist2 += (x[j] - y[j]) ** 2;
    return Math.exp((-net.sigmaW * net.sigmaW * dist2) / (2 * net.dIn));
  },
};

function clamp(c: number): number {
  return Math.max(-1, Math.min(1, c));
}

/** Whether `gpKernel` uses a closed form for this activation (otherwise quadrature). */
export function hasClosedFormKernel(activation: ActivationName): boolean {
  return closedForms[activation] !== undefined;
}

/**
 * The exact 2-point function K(x, y) of a single-layer net (equal to its NNGP kernel at any width).
 * Closed form where one is known, Gauss-Hermite quadrature otherwise.
 */
export function gpKernel(net: SingleLayerNet): Kernel {
  const closed = closedForms[net.activation];
  const s2b = net.sigmaB * net.sigmaB;
  const s2w = net.sigmaW * net.sigmaW;
  if (!closed) return (x, y) => s2b + s2w * unitPairExpectation(net, x, y);
  return (x, y) => {
    const kxx = preactivationCovariance(net, x, x);
    const kyy = preactivationCovariance(net, y, y);
    const kxy = preactivationCovariance(net, x, y);
    return s2b + s2w * closed(kxx, kxy, kyy, net, x, y);
  };
}

/** E[act_x(z) act_y(z')] by Gauss-Hermite quadrature (an independent route to the kernel). */
export function unitPairExpectation(net: SingleLayerNet, x: readonly number[], y: readonly number[], order = 80): number {
  const kxx = preactivationCovariance(net, x, x);
  const kyy = preactivationCovariance(net, y, y);
  const kxy = preactivationCovariance(net, x, y);
  return gaussianPairExpectation(unitActivation(net, x), unitActivation(net, y), kxx, kxy, kyy, order);
}

/** K(x, y) by quadrature of its defining expectation, whatever the activation. */
export function gpKernelQuadrature(net: SingleLayerNet, order = 80): Kernel {
  const s2b = net.sigmaB * net.sigmaB;
  const s2w = net.sigmaW * net.sigmaW;
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
