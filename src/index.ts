/**
 * nnft: a lab for the physics of neural networks. The one public entry point; notebooks import
 * the built library (`../dist`) and nothing else of it. See GLOSSARY in the README for the map
 * from code names to lecture symbols.
 */
export { BACKENDS, activeBackend, describeBackend, ensureBackend, useBackend, tf } from './backend';
export type { BackendInfo, BackendName } from './backend';
export { Rng } from './random';
export { MeanAccumulator, bonferroniZ, estimateMean, normalQuantile, normalQuantileTwoSided, studentTQuantileTwoSided } from './stats';
export type { Estimate } from './stats';
export {
  ACTIVATIONS,
  erfNet,
  gaussNet,
  preactivationCovariance,
  reluNet,
  singleLayerNet,
  tanhNet,
  withWidth,
  cosNet,
  scalarNet,
  makeNet,
  ballVolume,
  densityVariance,
  hasGaussianPreactivations,
  ARCHITECTURES,
} from './architectures';
export type {
  ActivationName,
  ArchitectureName,
  CosNetOptions,
  Density,
  NormalDensity,
  ScalarNetOptions,
  ScalarSpectrum,
  SingleLayerNet,
  SingleLayerOptions,
  UniformBallDensity,
  UniformDensity,
  ZeroDensity,
} from './architectures';
export { erf, gaussHermiteNormal, gaussianPairExpectation } from './special';
export { besselJ0, gpKernel, gpKernelMatrix, gpKernelQuadrature, hasClosedFormKernel, kernelMatrix, scalarPropagator, unitActivation } from './kernels';
export type { Kernel } from './kernels';
export { forEachOutputBatch, pairIndex, sampleOutputs, twoPointFunction } from './ensemble';
export { drawDensity, sampleParameters, spectralFactor } from './sampling';
export type { EnsembleOptions, OutputBatch, TwoPointFunction } from './ensemble';
export { bandTraces, color, curveTrace, errorBarTrace, figure, grid, heatmapTrace, histogramTrace, show } from './plots';
export type { AxisOptions, Bins, Figure, Trace } from './plots';
export { displayBundle, inKernel } from './display';
export { CHECK_MIME, Checks, checks } from './checks';
export type { CheckResult } from './checks';
export { progressBar } from './progress';
export type { Progress } from './progress';
export { atScale, scale } from './scale';
export type { Scale } from './scale';
export { jackknife } from './stats';
export { connectedFourPointDiagonal, excessKurtosis, finiteWidthCorrelators, preactivationFactor, unitMoment } from './finite-width';
export type { ExactOptions, FiniteWidthCorrelators, SingleNeuronMethod } from './finite-width';
export { DEFAULT_BLOCKS, MomentAccumulator, tupleProducts } from './moments';
export type { MomentAccumulatorJSON, TupleEstimates } from './moments';
export { binomial, connectedFromMoments, evenPartitions, expandSymmetric, setPartitions, sortedTuples, tupleIndex } from './tuples';
export type { Partition } from './tuples';
export { correlatorsOf, ensembleCorrelators, measureCorrelators, mergeRuns, runNet } from './correlators';
export type { CorrelatorOptions, CorrelatorRun, Correlators, RunConfig } from './correlators';
export { gammaHalfInteger, gaussLegendre } from './special';
export { linspace, logLogSlope, logspace, upperTriangle } from './arrays';
export { defaultWorkers, parallelCorrelators } from './parallel';
export { measureCorrelatorsInProcess } from './correlators';
export { FUSED_KERNEL, fastErf, fusedAvailable, registerFusedKernels } from './fused';
