/**
 * Exact results (lecture sections 3.1-3.3 and 4.1): the GP kernel of every single-layer net, equal
 * to its 2-point function at any width (gp-kernels: closed forms, quadrature, the cutoff scalar
 * propagator); the finite-width connected 4- and 6-point functions from single-neuron moments
 * (finite-width); and the infinite-width NNGP kernel and frozen NTK of any net with Gaussian
 * layers by the layer recursion (infinite-width, `kernelOf`).
 */
export { besselJ0, freePropagator, gpKernel, gpKernelMatrix, gpKernelQuadrature, hasClosedFormKernel, kernelMatrix, scalarPropagator, unitPairExpectation } from './gp-kernels';
export type { Kernel } from './gp-kernels';
export { connectedFourPointDiagonal, excessKurtosis, finiteWidthCorrelators, preactivationFactor, unitMoment } from './finite-width';
export type { ExactOptions, FiniteWidthCorrelators, SingleNeuronMethod, ToleranceOptions } from './finite-width';
export { hasInfiniteWidthKernel, kernelOf } from './infinite-width';
export type { KernelOptions, NetKernels } from './infinite-width';
