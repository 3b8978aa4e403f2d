/**
 * Expressivity (lecture section 2): what a network can represent. So far the B-spline basis of
 * Kolmogorov-Arnold networks (TASI eq. (25)): extended uniform grids, Cox-de Boor values, least-squares
 * coefficients and grid extension, all in float64.
 */
export { bsplineBasis, extendedGrid, fitCoefficients, refineGrid, splineValue } from './bsplines';
export type { SplineGrid } from './bsplines';
