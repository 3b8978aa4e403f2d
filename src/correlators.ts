/**
 * Monte Carlo n-point functions of a network ensemble: G2 and the connected G4c, G6c at every
 * sorted input tuple, with jackknife standard errors, streamed batch by batch into a
 * `MomentAccumulator` (bounded memory whatever the number of networks).
 *
 * A run can be split by network index (`firstNet`, `nets`) into shards whose accumulators merge
 * into exactly the run over all networks (see `CorrelatorRun`, `mergeRuns`).
 */
import { ArchitectureName, EnsembleNet, NetOptions, customDensities, makeNet } from './architectures';
import { EnsembleOptions, forEachOutputBatch } from './ensemble';
import { MomentAccumulator, MomentAccumulatorJSON, TupleEstimates } from './moments';
import { checkInputs, fail } from './validate';

export interface CorrelatorOptions extends EnsembleOptions {
  /** Highest order: 2, 4 or 6. */
  order: number;
}

/** Everything that identifies an ensemble measurement, so shards can be checked before merging. */
export interface RunConfig {
  readonly architecture: ArchitectureName;
  /** The constructor options of the net (width and dIn included). */
  readonly options: NetOptions;
  readonly inputs: number[][];
  readonly order: number;
  readonly seed: number;
  /** Custom densities the net used (by name); such a run cannot rebuild its net. */
  readonly customDensities?: string[];
}

/** A (possibly partial) ensemble measurement: its configuration, which networks, and the sums. */
export interface CorrelatorRun {
  readonly format: 'nnft-correlators';
  readonly version: 1;
  readonly config: RunConfig;
  /** Network index ranges [first, count] included. */
  readonly ranges: [number, number][];
  readonly accumulator: MomentAccumulatorJSON;
}

export interface Correlators {
  readonly inputs: number[][];
  readonly width: number;
  readonly nets: number;
  readonly G2: TupleEstimates;
  readonly G4c?: TupleEstimates;
  readonly G6c?: TupleEstimates;
}

function orders(order: number): number[] {
  if (order !== 2 && order !== 4 && order !== 6) fail('ensembleCorrelators', 'order', '2, 4 or 6', order);
  return [2, 4, 6].filter((n) => n <= order);
}

/**
 * Draw the networks and accumulate their moments in this thread; returns a mergeable,
 * serialisable run. `measureCorrelators` spreads the same work over all cores.
 */
export async function measureCorrelatorsInProcess(net: EnsembleNet, inputs: readonly (readonly number[] | number)[], options: CorrelatorOptions): Promise<CorrelatorRun> {
  const points = checkInputs('ensembleCorrelators', inputs, net.dIn);
  const acc = new MomentAccumulator(points.length, orders(options?.order));
  await forEachOutputBatch(net, points, options, ({ first, count, outputs }) => acc.add(first, count, outputs));
  const custom = customDensities(net);
  const config: RunConfig = { architecture: net.architecture, options: net.options, inputs: points, order: options.order, seed: options.seed, ...(custom.length ? { customDensities: custom } : {}) };
  return { format: 'nnft-correlators', version: 1, config, ranges: [[options.firstNet ?? 0, options.nets]], accumulator: acc.toJSON() };
}

/** G2, G4c, G6c (up to the run's order) with standard errors from a run. */
export function correlatorsOf(run: CorrelatorRun): Correlators {
  const acc = MomentAccumulator.fromJSON(run.accumulator);
  const order = run.config.order;
  return Object.freeze({
    inputs: run.config.inputs,
    width: run.config.options.width as number,
    nets: acc.count,
    G2: acc.moments(2),
    G4c: order >= 4 ? acc.connected(4) : undefined,
    G6c: order >= 6 ? acc.connected(6) : undefined,
  });
}

/**
 * Draw the networks and accumulate their moments, on all cores for large CPU runs (worker threads,
 * each a contiguous range of networks, merged like shards: the result is the same up to float64
 * rounding). `options.workers` overrides the thread count (1 = this thread only).
 */
export async function measureCorrelators(
  net: EnsembleNet,
  inputs: readonly (readonly number[] | number)[],
  options: CorrelatorOptions & { workers?: number },
): Promise<CorrelatorRun> {
  // Loaded lazily: worker threads are only needed here.
  const { parallelCorrelators } = require('./parallel') as typeof import('./parallel');
  return parallelCorrelators(net, inputs, options);
}

/** Measure and summarise in one call. */
export async function ensembleCorrelators(
  net: EnsembleNet,
  inputs: readonly (readonly number[] | number)[],
  options: CorrelatorOptions & { workers?: number },
): Promise<Correlators> {
  return correlatorsOf(await measureCorrelators(net, inputs, options));
}

/** The net a run was measured on. */
export function runNet(run: CorrelatorRun): EnsembleNet {
  if (run.config.customDensities) {
    throw new Error(`runNet: this run used custom densities (${run.config.customDensities.join(', ')}), which hold code and cannot be rebuilt from a saved run`);
  }
  return makeNet(run.config.architecture, run.config.options);
}

/**
 * Merge runs of the same configuration over disjoint network ranges (shards) into one run. The
 * result equals the run over all their networks up to float64 rounding of the summation order.
 */
export function mergeRuns(runs: readonly CorrelatorRun[]): CorrelatorRun {
  if (runs.length === 0) throw new RangeError('mergeRuns: need at least one run');
  for (const [i, r] of runs.entries()) {
    if (!r || r.format !== 'nnft-correlators' || r.version !== 1) throw new Error(`mergeRuns: input ${i + 1} is not an nnft-correlators v1 record`);
  }
  const first = runs[0];
  const key = JSON.stringify(first.config);
  runs.forEach((r, i) => {
    if (JSON.stringify(r.config) !== key) throw new Error(`mergeRuns: run ${i + 1} has a different configuration from run 1 (${JSON.stringify(r.config)} vs ${key})`);
  });
  const ranges = runs.flatMap((r) => r.ranges).sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < ranges.length; i++) {
    const [f0, c0] = ranges[i - 1];
    if (ranges[i][0] < f0 + c0) throw new Error(`mergeRuns: network ranges overlap: [${f0}, ${f0 + c0}) and [${ranges[i][0]}, ${ranges[i][0] + ranges[i][1]})`);
  }
  const acc = MomentAccumulator.fromJSON(first.accumulator);
  for (const r of runs.slice(1)) acc.merge(MomentAccumulator.fromJSON(r.accumulator));
  // Adjacent ranges are joined for readability.
  const joined: [number, number][] = [];
  for (const [f, c] of ranges) {
    const last = joined[joined.length - 1];
    if (last && last[0] + last[1] === f) last[1] += c;
    else joined.push([f, c]);
  }
  return { format: 'nnft-correlators', version: 1, config: first.config, ranges: joined, accumulator: acc.toJSON() };
}
