/**
 * A correlator run as data: the configuration of an ensemble measurement and its float64 moment
 * sums, measured in this thread (`measureCorrelatorsInProcess`), checked when read back
 * (`checkRun`) and merged across shards or threads (`mergeRuns`). The worker threads of
 * parallel.ts and the public entry points of correlators.ts both build on this module.
 */
import { ARCHITECTURES, ArchitectureName, Net, NetOptions, customDensities, makeNet } from '../nets/architectures';
import { EnsembleOptions, accumulateMoments } from './ensemble';
import { MomentAccumulator, MomentAccumulatorJSON } from '../statistics/moments';
import { sortedTuples } from '../statistics/tuples';
import { checkInputs, fail } from '../core/validate';

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

/** Names of the estimate families by order, as in `Correlators`, JSON output and saved diagnostics. */
export const FAMILY_NAMES: Readonly<Record<number, 'G2' | 'G4c' | 'G6c'>> = Object.freeze({ 2: 'G2', 4: 'G4c', 6: 'G6c' });

export function orders(order: number): number[] {
  if (order !== 2 && order !== 4 && order !== 6) fail('ensembleCorrelators', 'order', '2, 4 or 6', order);
  return [2, 4, 6].filter((n) => n <= order);
}

/**
 * Draw the networks and accumulate their moments in this thread; returns a mergeable,
 * serialisable run. `measureCorrelators` spreads the same work over all cores.
 */
export async function measureCorrelatorsInProcess(net: Net, inputs: readonly (readonly number[] | number)[], options: CorrelatorOptions): Promise<CorrelatorRun> {
  const points = checkInputs('ensembleCorrelators', inputs, net.dIn);
  const acc = await accumulateMoments(net, points, options, orders(options?.order));
  const custom = customDensities(net);
  const config: RunConfig = { architecture: net.architecture, options: net.options, inputs: points, order: options.order, seed: options.seed, ...(custom.length ? { customDensities: custom } : {}) };
  return { format: 'nnft-correlators', version: 1, config, ranges: [[options.firstNet ?? 0, options.nets]], accumulator: acc.toJSON() };
}

/** Most input points of a measurement (the order-6 tuples grow like P^6 / 720): CLI and saved runs. */
export const MAX_POINTS = 64;

/**
 * Check that a parsed JSON value is a correlator run (`nnft correlators --save`), before anything
 * is allocated from it; throws a RangeError naming `source` and the first thing that is wrong.
 */
export function checkRun(value: unknown, source: string): CorrelatorRun {
  const no = (what: string): never => {
    throw new RangeError(`${source} is not an nnft correlator run (nnft correlators --save): ${what}`);
  };
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  const isCount = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
  if (!isObject(value)) no(`expected a JSON object, got ${Array.isArray(value) ? 'an array' : JSON.stringify(value)?.slice(0, 40)}`);
  const run = value as Record<string, unknown>;
  if (run.format !== 'nnft-correlators' || run.version !== 1) no(`format ${JSON.stringify(run.format)} version ${JSON.stringify(run.version)}, expected "nnft-correlators" 1`);
  const config = run.config;
  if (!isObject(config)) no('no config object');
  const c = config as Record<string, unknown>;
  if (typeof c.architecture !== 'string' || ![...ARCHITECTURES, 'mlp'].includes(c.architecture)) no(`unknown architecture ${JSON.stringify(c.architecture)}`);
  if (!isObject(c.options) || !Object.values(c.options).every((v) => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)))) no('config.options must map names to numbers or strings');
  const inputs = c.inputs;
  if (!Array.isArray(inputs) || inputs.length < 1 || inputs.length > MAX_POINTS) no(`config.inputs must be 1..${MAX_POINTS} points`);
  const points = inputs as unknown[];
  if (!points.every((x) => Array.isArray(x) && x.length >= 1 && x.every((v) => typeof v === 'number' && Number.isFinite(v)))) no('config.inputs must be points of finite numbers');
  if (c.order !== 2 && c.order !== 4 && c.order !== 6) no(`config.order must be 2, 4 or 6, got ${JSON.stringify(c.order)}`);
  if (!isCount(c.seed)) no('config.seed must be a non-negative integer');
  if (!Array.isArray(run.ranges) || !run.ranges.every((r) => Array.isArray(r) && r.length === 2 && isCount(r[0]) && isCount(r[1]))) no('ranges must be [first, count] pairs');
  const acc = run.accumulator;
  if (!isObject(acc)) no('no accumulator');
  const a = acc as Record<string, unknown>;
  if (a.format !== 'nnft-moments' || a.version !== 1 || a.points !== points.length) no(`the accumulator is not an nnft-moments v1 record of ${points.length} point(s)`);
  if (!Number.isInteger(a.blocks) || (a.blocks as number) < 2 || (a.blocks as number) > 4096) no('accumulator.blocks must be an integer in 2..4096');
  const blocks = a.blocks as number;
  if (!Array.isArray(a.blockCounts) || a.blockCounts.length !== blocks || !a.blockCounts.every(isCount)) no(`accumulator.blockCounts must be ${blocks} counts`);
  const accumulated = orders(c.order as number);
  if (!Array.isArray(a.orders) || a.orders.join() !== accumulated.join()) no(`accumulator.orders must be [${accumulated.join(', ')}] for order ${c.order}`);
  for (const key of ['sums', 'comp'] as const) {
    const table = a[key];
    if (!isObject(table)) no(`no accumulator.${key}`);
    for (const n of accumulated) {
      const want = blocks * sortedTuples(points.length, n).length;
      const row = (table as Record<string, unknown>)[n];
      if (!Array.isArray(row) || row.length !== want || !row.every((v) => typeof v === 'number' && Number.isFinite(v))) no(`accumulator.${key}[${n}] must be ${want} finite numbers`);
    }
  }
  const total = (a.blockCounts as number[]).reduce((x, y) => x + y, 0);
  const ranged = (run.ranges as [number, number][]).reduce((x, r) => x + r[1], 0);
  if (total !== ranged) no(`the accumulator counts ${total} networks, its ranges ${ranged}`);
  return value as unknown as CorrelatorRun;
}

/** The net a run was measured on. */
export function runNet(run: CorrelatorRun): Net {
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
