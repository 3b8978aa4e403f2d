/**
 * The ensemble engine (lecture section 3: networks as a statistical ensemble). Networks are drawn
 * from their parameter densities batch by batch, their outputs streamed into float64 moment
 * accumulators, and the resulting runs measured on all cores, saved, checked and merged. Two routes
 * give the same numbers: the host engine (single-layer erf and ReLU nets drawn, evaluated and
 * accumulated inside one WebAssembly module) and the tensor route (a fused CPU kernel or tfjs ops,
 * every other net and CUDA). Estimates carry error bars and the tail diagnostic of their samples.
 */
export { accumulateMoments, forEachOutputBatch, onHostEngine, pairIndex, sampleOutputs, twoPointFunction } from './ensemble';
export type { EnsembleOptions, OutputBatch, TwoPointFunction } from './ensemble';
export { correlatorsOf, ensembleCorrelators, measureCorrelators, runTails } from './correlators';
export type { Correlators } from './correlators';
export { checkRun, mergeRuns, runNet } from './runs';
export type { CorrelatorOptions, CorrelatorRun, RunConfig } from './runs';
export { HIDDEN_PROBE_MAX, ensembleTail, hiddenUnitTail } from './ensemble-tails';
export { fusedAvailable } from './fused';
export { hostEngineServes } from './wasm-engine';
export { defaultWorkers } from './parallel';
