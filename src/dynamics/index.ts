/**
 * Dynamics (lecture section 4): networks as trainable tfjs tensors in abc-form (parameters), their
 * empirical NTK (empirical-ntk), gradient-descent training and the width sweeps that tell the
 * NTK, standard and maximal-update parameterizations apart (training), and the exactly solvable
 * model: kernel regression and gradient flow under a frozen NTK (frozen-ntk).
 */
export { disposeParameters, forward, initParameters, outputs } from './parameters';
export type { AbcParameters } from './parameters';
export { empiricalNtk } from './empirical-ntk';
export { bestLearningRates, coordinateCheck, learningRateSweep, trainEnsemble } from './training';
export type { CoordinateCheckOptions, CoordinateRow, LearningRateRow, LearningRateSweepOptions, TrainOptions, TrainingRecord } from './training';
export { frozenNtkMoments, frozenNtkTrajectory, gpPosterior, kernelBlocks } from './frozen-ntk';
export type { FrozenNtkOptions, KernelBlocks, TrajectoryMoments } from './frozen-ntk';
