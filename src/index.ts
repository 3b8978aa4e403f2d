/**
 * nnft: a lab for the physics of neural networks. The one public entry point; notebooks import
 * the built library (`../dist`) and nothing else of it. The README's glossary maps code names to
 * lecture symbols.
 */

// Architectures as data: (phi_theta, P(theta)).
export {
  ACTIVATIONS,
  ARCHITECTURES,
  ballVolume,
  cosNet,
  densityVariance,
  erfNet,
  gaussNet,
  hasGaussianPreactivations,
  customDensities,
  makeNet,
  mlp,
  withDensities,
  preactivationCovariance,
  reluNet,
  scalarNet,
  singleLayerNet,
  tanhNet,
  withWidth,
} from './architectures';
export type {
  ActivationName,
  ArchitectureName,
  CosNetOptions,
  CustomDensity,
  DeepNet,
  Density,
  EnsembleNet,
  MlpActivation,
  MlpOptions,
  NetOptions,
  NormalDensity,
  ScalarNetOptions,
  ScalarSpectrum,
  SingleLayerNet,
  SingleLayerOptions,
  UniformBallDensity,
  UniformDensity,
  ZeroDensity,
} from './architectures';

// Exact results: GP kernels, finite-width correlators.
export { besselJ0, gpKernel, gpKernelMatrix, gpKernelQuadrature, hasClosedFormKernel, kernelMatrix, scalarPropagator, unitActivation } from './kernels';
export type { Kernel } from './kernels';
export { connectedFourPointDiagonal, excessKurtosis, finiteWidthCorrelators, preactivationFactor, unitMoment } from './finite-width';
export type { ExactOptions, FiniteWidthCorrelators, SingleNeuronMethod, ToleranceOptions } from './finite-width';

// Ensembles and Monte Carlo estimators.
export { forEachOutputBatch, pairIndex, sampleOutputs, twoPointFunction } from './ensemble';
export type { EnsembleOptions, OutputBatch, TwoPointFunction } from './ensemble';
export { checkRun, correlatorsOf, ensembleCorrelators, measureCorrelators, measureCorrelatorsInProcess, mergeRuns, runNet, runTails } from './correlators';
export type { CorrelatorOptions, CorrelatorRun, Correlators, RunConfig } from './correlators';
export { DEFAULT_BLOCKS, MomentAccumulator, tupleProducts } from './moments';
export type { MomentAccumulatorJSON, TupleEstimates } from './moments';
export { binomial, connectedFromMoments, evenPartitions, expandSymmetric, setPartitions, sortedTuples, tupleIndex } from './tuples';
export type { Partition } from './tuples';
export { drawDensity, sampleDeepParameters, sampleParameters, spectralFactor } from './sampling';
export { Rng } from './random';

// Feynman rules and the Wilsonian EFT of finite-width ensembles (NN-QFT).
export { derivativeQuartic, describeDiagram, evaluateDiagrams, generateDiagrams, localInteraction, nonLocalQuartic, radialQuartic } from './feynman';
export type { Diagram, DiagramOptions, DiagramValues, End, EvaluateOptions, ExternalEnd, Interaction, Leg, Line, Propagator, VertexEnd } from './feynman';
export { INTERACTIONS, KERNEL_NAMES, MODEL_LADDER, firstOrderCoefficients, fitModel, gaussianNPoint, mapePercent, measuredDeviation, predictSixPoint, propagator, propagatorNet, runningCoupling, weightedLeastSquares } from './eft';
export type { CouplingFit, CouplingName, DeviationEstimator, KernelName, PropagatorOptions, RunningCoupling } from './eft';
export { integrateBox } from './quadrature';
export type { BoxIntegral, BoxOptions } from './quadrature';

// Dynamics: infinite-width kernels, parameterizations, the exactly solvable model, training.
export { KERNEL_ACTIVATIONS, infiniteWidthKernels, kernelActivation } from './infinite-width';
export type { InfiniteWidthKernels, InfiniteWidthOptions, KernelActivation, KernelActivationName } from './infinite-width';
export { PARAMETERIZATIONS, featureLearningFamily, learningRate, parameterization, scalingGoals } from './parameterization';
export type { AbcParameterization, ParameterizationName, ScalingGoals } from './parameterization';
export { abcMlp, bestLearningRates, coordinateCheck, learningRateSweep, disposeParameters, empiricalNtk, forward, initParameters, outputs, trainEnsemble } from './dynamics';
export type { AbcActivation, AbcMlp, AbcMlpOptions, AbcParameters, CoordinateCheckOptions, CoordinateRow, LearningRateRow, LearningRateSweepOptions, TrainOptions, TrainingRecord } from './dynamics';
export { frozenNtkMoments, frozenNtkTrajectory, gpPosterior, kernelBlocks } from './kernel-regression';
export type { FrozenNtkOptions, KernelBlocks, TrajectoryMoments } from './kernel-regression';

// Statistics and numerics.
export { DEFAULT_TAIL_CAPACITY, TailRecord, describeTail, formatKhat, gpdShape, paretoTailSize, paretoThreshold, tailDiagnostic, tailList, tailTable, tailWarning, worstTail } from './tails';
export type { TailDiagnostic, TailRecordJSON, TailRow } from './tails';
export { HIDDEN_PROBE_MAX, ensembleTail, hiddenUnitTail } from './ensemble-tails';
export { MeanAccumulator, bonferroniZ, estimateMean, jackknife, normalQuantile, normalQuantileTwoSided, studentTQuantileTwoSided } from './stats';
export type { Estimate } from './stats';
export { ballAverage, besselJ01, erf, gammaHalfInteger, gaussHermiteNormal, gaussLegendre, gaussianPairExpectation } from './special';
export { linspace, logLogSlope, logspace, upperTriangle } from './arrays';

// Tensor backends and the CPU fast path.
export { BACKENDS, activeBackend, describeBackend, ensureBackend, tf, useBackend } from './backend';
export type { BackendInfo, BackendName } from './backend';
export { FUSED_KERNEL, fastErf, fusedAvailable, registerFusedKernels } from './fused';
export { defaultWorkers, parallelCorrelators } from './parallel';

// Notebooks: figures, checks, progress, sizes.
export { bandTraces, color, curveTrace, errorBarTrace, figure, grid, heatmapTrace, histogramTrace, show } from './plots';
export type { AxisOptions, Bins, Figure, Trace } from './plots';
export { FULL_TABLE, displayBundle, inKernel } from './display';
export { CHECK_MIME, Checks, checks } from './checks';
export type { CheckResult, NamedTail } from './checks';
export { progressBar } from './progress';
export type { Progress } from './progress';
export { atScale, outputDir, scale } from './scale';
export type { Scale } from './scale';
