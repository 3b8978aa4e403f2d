/**
 * Neural-network field theory (TASI lectures section 5): the Osterwalder-Schrader properties of
 * network ensembles, and phi^4 theory made by inserting exp(-lambda int f^4) into the Scalar-net's
 * parameter density, checked against the anharmonic oscillator in one Euclidean dimension.
 */
export { MIN_EFFECTIVE_SAMPLES, bandLimitedRule, freeTwoPoint, phi4FirstOrder, phi4FirstOrderDiagrams, phi4Net, phi4Reweight, reweightedEstimate } from './phi4';
export type { Phi4Estimate, Phi4FirstOrder, Phi4FirstOrderOptions, Phi4Reweighted, Phi4ReweightOptions, Phi4Theory } from './phi4';
export { phi4Hmc, scalarNetOutput } from './hmc';
export type { ChainEstimate, NeuronTrace, Phi4Hmc, Phi4HmcOptions } from './hmc';
export { anharmonicOscillator, boxCorrelator, variationalFrequency } from './oscillator';
export type { Oscillator, OscillatorOptions } from './oscillator';
export { OS_PROPERTIES, clusterDecomposition, euclideanInvariance, formatOsReport, osReport, reflectionKernel, reflectionMatrixExact, reflectionMatrixMC, reflectionPositivity, symmetricEigenvalues } from './osterwalder-schrader';
export type {
  ClusterOptions,
  ClusterResult,
  ClusterRow,
  Deviation,
  InvarianceOptions,
  InvarianceResult,
  OsEntry,
  OsProperty,
  OsReport,
  OsReportOptions,
  OsRow,
  OsVerdict,
  ReflectionKernelName,
  ReflectionMatrixExact,
  ReflectionMatrixMC,
  ReflectionMCOptions,
  ReflectionOptions,
  ReflectionResult,
  ValueWithError,
} from './osterwalder-schrader';
