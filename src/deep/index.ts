/**
 * Deep networks at finite width: criticality and the RG flow of the kernel in depth, the 1/n
 * vertices V4 and V6 layer by layer, the exact Markov chain of layer metrics for Monte Carlo, and
 * Bayesian inference at finite width (EFT4ML slides; the large-N talk).
 */
export { MERGED, expectation, gaussianNodes, hermite2, hermite4 } from './gaussian';
export type { GaussianNodes } from './gaussian';
export { CRITICAL_TOLERANCE, chiParallel, chiPerp, criticalPoint, criticality, fixedPoint, kernelFlow, kernelMap, orderChaosLine, universalityClass } from './criticality';
export type { CriticalPoint, Criticality, UniversalityClass } from './criticality';
export { vertexRecursion } from './vertices';
export type { VertexOptions, VertexRecursion } from './vertices';
export { metricEntry, metricMoments, sampleMetrics } from './metric-chain';
export type { MetricChainOptions, MetricMoments, MetricSamples } from './metric-chain';
export { bruteForceShift, posteriorShift } from './bayes';
export type { BruteForceShift } from './bayes';
export { deepNet, flatIndex, indexTuples } from './deep-net';
export type { DeepNet, DeepNetOptions } from './deep-net';
