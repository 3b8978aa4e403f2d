/**
 * Infinite-width (NNGP) kernels of the single-layer nets: GP kernels.
 *
 * For f(x) = sum_i W1_i act_x(z_i(x)) + b1 with mean-zero W1 of variance sw^2/N, the 2-point
 * function is exact at every width (TASI lectures eqs. (36)-(39)):
 *
 *   G2(x, y) = K(x, y) = sb^2 + sw^2 E[act_x(z) act_y(z')],
 *   (z, z') ~ N(0, [[k(x,x), k(x,y)], [k(x,y), k(y,y)]]),  k(x, y) = sb^2 + sw^2 x.y / D.
 *
 * The expectation is the activation's `pair` from the registry (nets/activations.ts) where it has a
 * closed form (NN-QFT talk, "A flash of some experimental results"):
 *   Erf:   K = sb^2 + sw^2 (2/pi) asin( 2 k(x,y) / sqrt((1 + 2 k(x,x)) (1 + 2 k(y,y))) )
 *   ReLU:  K = sb^2 + sw^2 sqrt(k(x,x) k(y,y)) (sin t + (pi - t) cos t) / (2 pi),
 *          t = acos( k(x,y) / sqrt(k(x,x) k(y,y)) )
 *   Gauss: K = sb^2 + sw^2 exp( k(x,y) - (k(x,x) + k(y,y)) / 2 ) = sb^2 + sw^2 exp( -sw^2 |x - y|^2 / (2 D) )
 * Tanh has no closed form; its kernel (and a second evaluation of every other one) comes from
 * Gauss-Hermite quadrature of the defining expectation. The deep recursion is infinite-width.ts.
 */
import { ACTIVATION_REGISTRY, ActivationName } from '../nets/activations';
import { NormalDensity, SingleLayerNet, densityVariance, hasGaussianPreactivations, preactivationCovariance, readoutScale, requireSingleLayer, unitActivation } from '../nets/architectures';
import { gaussLegendre, gaussianPairExpectation } from '../core/special';
import { checkInputs, fail } from '../core/validate';

/** A covariance function K(x, y) on R^D. */
export type Kernel = (x: readonly number[], y: readonly number[]) => number;

function distance2(x: readonly number[], y: readonly number[]): number {
  let d2 = 0;
  for (let j = 0; j < x.length; j++) d2 += (x[j] - y[j]) ** 2;
  return d2;
}

/** Whether `gpKernel` uses a closed form for this activation (the registry's `pair`; otherwise quadrature). */
export function hasClosedFormKernel(name: ActivationName): boolean {
  return ACTIVATION_REGISTRY[name].pair !== undefined;
}

/** Bias variance Var(b1) and total readout variance N Var(W1) = sw^2 of a net. */
function outputScales(net: SingleLayerNet): [number, number] {
  return [densityVariance(net.layers[1].bias, 'gpKernel'), readoutScale(net, 'gpKernel')];
}

/**
 * The exact 2-point function K(x, y) of a single-layer net (equal to its NNGP kernel at any width:
 * TASI eqs. (36)-(39), the kernel of the limit in eqs. (34) and (41)). Closed form where one is
 * known (Erf, ReLU, Gauss: NN-QFT talk, "A flash of some experimental results"; Gauss-net also TASI
 * eq. (62) up to the normalisation of W1), Gauss-Hermite quadrature otherwise; for the Cos-net
 * (sw1^2/2) exp(-Var(W0) |x - y|^2 / 2) (TASI eq. (70)), and for the Scalar-net the cutoff free
 * propagator (`scalarPropagator`, TASI eq. (74)).
 */
export function gpKernel(net: SingleLayerNet): Kernel {
  requireSingleLayer('gpKernel', net);
  const [s2b, s2w] = outputScales(net);
  if (net.spectrum) {
    const { mass, cutoff } = net.spectrum;
    return (x, y) => scalarPropagator(net.dIn, mass, cutoff, Math.sqrt(distance2(x, y)));
  }
  if (net.activation === 'cos') {
    const { weight: W0, bias: b0 } = net.layers[0];
    if (b0.kind !== 'uniform' || Math.abs(b0.high - b0.low - 2 * Math.PI) > 1e-12 || W0.kind !== 'normal') {
      fail('gpKernel', 'net', 'a Cos-net with normal W0 and phases uniform over a full period', net.name);
    }
    const v0 = (W0 as NormalDensity).variance;
    return (x, y) => s2b + (s2w / 2) * Math.exp((-v0 * distance2(x, y)) / 2);
  }
  const pair = ACTIVATION_REGISTRY[net.activation].pair;
  if (!pair) return gpKernelQuadrature(net);
  return (x, y) => {
    const kxx = preactivationCovariance(net, x, x);
    const kyy = preactivationCovariance(net, y, y);
    const kxy = preactivationCovariance(net, x, y);
    return s2b + s2w * pair(kxx, kxy, kyy);
  };
}

/**
 * The free scalar propagator with a hard momentum cutoff (TASI eq. (74), the Scalar-net's G2,
 * transformed back to position space), at distance r in D = 1, 2, 3 dimensions:
 *   K(r) = (2 pi)^-D int_{|p| < Lambda} d^D p cos(p . x) / (p^2 + m^2),
 * reduced to a radial integral (D = 1: cos(p r)/pi; D = 2: p J0(p r)/(2 pi); D = 3:
 * p^2 sin(p r)/(p r)/(2 pi^2)) and done by composite Gauss-Legendre quadrature (panels shorter than
 * a quarter period of the oscillation).
 */
export function scalarPropagator(D: number, mass: number, cutoff: number, r: number): number {
  if (D < 1 || D > 3) fail('scalarPropagator', 'D', '1, 2 or 3', D);
  if (cutoff === Infinity) return freePropagator(D, mass, r);
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

/**
 * The free propagator without cutoff, (2 pi)^-D int d^D p e^(i p.x) / (p^2 + m^2): e^(-m r)/(2m) in
 * D = 1 (the Euclidean 2-point function of the harmonic oscillator of frequency m), K0(m r)/(2 pi)
 * in D = 2 and e^(-m r)/(4 pi r) in D = 3 (infinite at r = 0 in D >= 2, and for m = 0 in D <= 2).
 */
export function freePropagator(D: number, mass: number, r: number): number {
  if (D === 1) return Math.exp(-mass * r) / (2 * mass);
  if (D === 3) return Math.exp(-mass * r) / (4 * Math.PI * r);
  if (D !== 2) fail('freePropagator', 'D', '1, 2 or 3', D);
  // K0(z) = int_0^inf exp(-z cosh t) dt, trapezoid in t (exponentially accurate for this integrand).
  const z = mass * r;
  if (z === 0) return Infinity;
  const h = 0.02;
  let total = 0.5 * Math.exp(-z);
  for (let k = 1; ; k++) {
    const term = Math.exp(-z * Math.cosh(k * h));
    total += term;
    if (term < 1e-18 * total) break;
  }
  return (h * total) / (2 * Math.PI);
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

/** E[act_x(z) act_y(z')], the single-neuron bracket of TASI eq. (39), by Gauss-Hermite quadrature (an independent route to the kernel). */
export function unitPairExpectation(net: SingleLayerNet, x: readonly number[], y: readonly number[], order = 80): number {
  const kxx = preactivationCovariance(net, x, x);
  const kyy = preactivationCovariance(net, y, y);
  const kxy = preactivationCovariance(net, x, y);
  return gaussianPairExpectation(unitActivation(net, x), unitActivation(net, y), kxx, kxy, kyy, order);
}

/** K(x, y) by quadrature of its defining expectation, TASI eq. (39) (nets with Gaussian pre-activations). */
export function gpKernelQuadrature(net: SingleLayerNet, order = 80): Kernel {
  requireSingleLayer('gpKernelQuadrature', net);
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
