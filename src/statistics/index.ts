/**
 * Statistics of ensembles: means with jackknife and Student-t error bars (stats), float64 moment
 * accumulators over sorted input tuples and their connected parts (moments, tuples), Monte Carlo
 * box integration (quadrature), and the heavy-tail diagnostic that says when an error bar cannot be
 * trusted (tails: PSIS Pareto k-hat). Lecture section 3.1-3.2 (the central limit theorem and its
 * 1/N corrections) is measured with these.
 */
export { DEFAULT_BLOCKS, MomentAccumulator, tupleProducts } from './moments';
export type { MomentAccumulatorJSON, TupleEstimates } from './moments';
export { integrateBox } from './quadrature';
export { autocorrelation, gelmanRubin } from './autocorrelation';
export type { AutocorrelationEstimate } from './autocorrelation';
export { extrapolate } from './extrapolation';
export { fisherCorrelation, pearson, ranks } from './correlation';
export type { Correlation } from './correlation';
export type { Extrapolation } from './extrapolation';
export type { BoxIntegral, BoxOptions } from './quadrature';
export { MeanAccumulator, bonferroniZ, estimateMean, jackknife, normalQuantile, normalQuantileTwoSided, studentTQuantileTwoSided } from './stats';
export type { Estimate } from './stats';
export { DEFAULT_TAIL_CAPACITY, TailRecord, describeTail, formatKhat, gpdShape, paretoTailSize, paretoThreshold, tailDiagnostic, tailList, tailTable, tailWarning, worstTail } from './tails';
export type { TailDiagnostic, TailRecordJSON, TailRow } from './tails';
export { binomial, connectedFromMoments, evenPartitions, expandSymmetric, setPartitions, sortedTuples, tupleIndex } from './tuples';
export type { Partition } from './tuples';
