/**
 * Expressivity (lecture section 2): what a network can represent. The constructive universal
 * approximation by sigmoid bumps (TASI eqs. (21)-(24)) against trained sigmoid nets, and
 * Kolmogorov-Arnold networks (eqs. (25)-(26)): B-splines on grids that follow the data, networks trained
 * in float64 on the host (L-BFGS, Adam) or on a tfjs backend (mini-batches), grid extension, pruning,
 * snapping edges to formulas, and pykan's hellokan workflow as one call.
 */
export { bumpNet, supNormError } from './bumps';
export type { SigmoidNet1D } from './bumps';
export { bsplineBasis, bsplineSpan, extendedGrid, fitCoefficients, gridFromPoints, refineGrid, splineValue } from './bsplines';
export type { SplineGrid } from './bsplines';
export { Kan, kanRows } from './kan';
export type { KanData, KanFitOptions, KanHistoryRow, KanOptions, KanScores } from './kan';
export { fitKanTf, kanForwardTf } from './kan-tf';
export type { KanTfOptions } from './kan-tf';
export { autoSymbolic, edgeSamples, fitAffine, normaliseHidden, suggestSymbolic, symbolicFormula, symbolicScore } from './kan-symbolic';
export type { AffineFit, AffineFitOptions, SnappedEdge } from './kan-symbolic';
export { kanDataset, kanRecipe } from './kan-recipe';
export type { KanRecipeOptions, KanRecipeResult, KanStage } from './kan-recipe';
export { DEFAULT_SYMBOLIC_LIBRARY, SYMBOLIC_FUNCTIONS, SYMBOLIC_NAMES, isSymbolicName } from './symbolic-functions';
export type { SymbolicDomain, SymbolicFunction, SymbolicName } from './symbolic-functions';
export { compileFormula, evaluateFormula, formatFormula, parseFormula, simplify, variableCount } from './formula';
export type { Expr, FunctionName } from './formula';
export { bumpNet2D, supNormError2D, trainSigmoidNet, trainingSummary } from './universal';
export type { Box2D, SigmoidTraining, SigmoidTrainingOptions, SigmoidTrainingSummary, TowerNet2D, TrainedSigmoidNet } from './universal';
