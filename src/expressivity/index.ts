/**
 * Expressivity (lecture section 2): what a network can represent. So far the constructive universal
 * approximation of a 1-D target by sigmoid bumps (TASI eqs. (21)-(24)) and the B-spline basis of
 * Kolmogorov-Arnold networks (eq. (25)): extended uniform grids, Cox-de Boor values, least-squares
 * coefficients and grid extension, all in float64.
 */
export { bumpNet, supNormError } from './bumps';
export type { SigmoidNet1D } from './bumps';
export { bsplineBasis, extendedGrid, fitCoefficients, refineGrid, splineValue } from './bsplines';
export type { SplineGrid } from './bsplines';
