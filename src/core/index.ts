/**
 * Shared numerics, the bottom layer: argument checks (validate), seeded random streams (random),
 * special functions and Gaussian quadrature rules (special), array helpers, atomic file output
 * (io), float64 optimisers for small models (optimize: L-BFGS as in PyTorch, Adam), the tensor backends (backend; which one runs is decided in backend-choice without loading
 * tfjs), phase timings for the benchmark (timings), and how the library talks to a notebook
 * (display, progress).
 * Nothing here knows about networks; every other folder may import from here.
 */
export { linspace, logLogSlope, logspace, upperTriangle } from './arrays';
export { BACKENDS, activeBackend, describeBackend, ensureBackend, useBackend } from './backend';
export type { BackendInfo, BackendName } from './backend';
export { FULL_TABLE, displayBundle, inKernel } from './display';
export { Adam, Lbfgs } from './optimize';
export type { AdamOptions, LbfgsOptions, Objective } from './optimize';
export { progressBar } from './progress';
export type { Progress } from './progress';
export { Rng } from './random';
export { ballAverage, besselJ01, erf, gammaHalfInteger, gaussHermiteNormal, gaussLegendre, gaussianPairExpectation } from './special';
