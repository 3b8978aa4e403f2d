/**
 * Networks as data (lecture sections 3 and 4): one description, `Net`, of an architecture and its
 * parameter densities P(theta) (architectures), read by every consumer; one registry of
 * activations with their float64, tfjs and fused forms and Gaussian pair expectations
 * (activations); the abc-parameterizations and the lecture's scaling goals (parameterization);
 * and the samplers that draw networks and single neurons from the densities (sampling).
 */
export { ACTIVATION_NAMES, ACTIVATION_REGISTRY, LEAKY_SLOPE, activation, isActivationName } from './activations';
export type { Activation, ActivationName } from './activations';
export {
  ARCHITECTURES,
  ballVolume,
  cosNet,
  customDensities,
  densityVariance,
  erfNet,
  gaussNet,
  hasGaussianPreactivations,
  isSingleLayer,
  MLP_ACTIVATIONS,
  makeNet,
  mlp,
  preactivationCovariance,
  readoutScale,
  reluNet,
  reparameterized,
  requireSingleLayer,
  scalarNet,
  singleLayerNet,
  tanhNet,
  unitActivation,
  unitShift,
  withDensities,
  withWidth,
} from './architectures';
export type {
  ArchitectureName,
  CosNetOptions,
  CustomDensity,
  Density,
  GaussianNetArchitecture,
  LayerDensities,
  MlpOptions,
  Net,
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
export { PARAMETERIZATIONS, featureLearningFamily, learningRate, parameterization, scalingGoals } from './parameterization';
export type { AbcParameterization, ParameterizationName, ScalingGoals } from './parameterization';
export { drawDensity, spectralFactor } from './sampling';
