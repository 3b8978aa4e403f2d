/**
 * The ensemble engine (lecture section 3: networks as a statistical ensemble). Networks are drawn
 * from their parameter densities batch by batch on the active tensor backend (a fused CPU kernel,
 * WebAssembly SIMD for erf and ReLU, or tfjs ops), their outputs streamed into float64 moment
 * accumulators, and the resulting runs measured on all cores, saved, checked and merged. Estimates
 * carry error bars and the tail diagnostic of their samples.
 */
export { forEachOutputBatch, pairIndex, sampleOutputs, twoPointFunction } from './ensemble';
export type { EnsembleOptions, OutputBatch, TwoPointFunction } from './ensemble';
export { correlatorsOf, ensembleCorrelators, measureCorrelators, runTails } from './correlators';
export type { Correlators } from './correlators';
export { checkRun, mergeRuns, runNet } from './runs';
export type { CorrelatorOptions, CorrelatorRun, RunConfig } from './runs';
export { HIDDEN_PROBE_MAX, ensembleTail, hiddenUnitTail } from './ensemble-tails';
export { fusedAvailable } from './fused';
export { defaultWorkers } from './parallel';
