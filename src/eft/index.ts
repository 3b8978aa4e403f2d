/**
 * Feynman rules and the Wilsonian effective field theory of finite-width ensembles (the NN-QFT talk,
 * taking up the non-Gaussian processes of lecture section 3.2; the lab's notebook 3.5, a number the
 * lectures do not have): diagrams generated with their symmetry factors and evaluated with a
 * propagator and local or non-local couplings (feynman), and the couplings measured from ensembles,
 * fitted, used to predict the 6-point function, and run with the cutoff (eft).
 */
export { derivativeQuartic, describeDiagram, evaluateDiagrams, generateDiagrams, localInteraction, nonLocalQuartic, radialQuartic, symmetryFactor } from './feynman';
export type { Diagram, DiagramOptions, DiagramValues, End, EvaluateOptions, ExternalEnd, Interaction, Leg, Line, Propagator, VertexEnd } from './feynman';
export { INTERACTIONS, KERNEL_NAMES, MODEL_LADDER, firstOrderCoefficients, fitModel, gaussianNPoint, mapePercent, measuredDeviation, predictSixPoint, propagator, propagatorNet, runningCoupling, weightedLeastSquares } from './eft';
export type { CouplingFit, CouplingName, DeviationEstimator, KernelName, PropagatorOptions, RunningCoupling } from './eft';
