/**
 * Monte Carlo n-point functions of a network ensemble: G2 and the connected G4c, G6c at every
 * sorted input tuple, with jackknife standard errors, streamed batch by batch into a
 * `MomentAccumulator` (bounded memory whatever the number of networks).
 *
 * A run can be split by network index (`firstNet`, `nets`) into shards whose accumulators merge
 * into exactly the run over all networks (see `CorrelatorRun`, `mergeRuns` in runs.ts).
 */
import { Net } from '../nets/architectures';
import { MomentAccumulator, TupleEstimates } from '../statistics/moments';
import { TailDiagnostic } from '../statistics/tails';
import { ensembleTail, hiddenUnitTail } from './ensemble-tails';
import { parallelCorrelators } from './parallel';
import { timed } from '../core/timings';
import { CorrelatorOptions, CorrelatorRun, FAMILY_NAMES, orders, runNet } from './runs';

export interface Correlators {
  readonly inputs: number[][];
  readonly width: number;
  readonly nets: number;
  readonly G2: TupleEstimates;
  readonly G4c?: TupleEstimates;
  readonly G6c?: TupleEstimates;
}

/**
 * The tail diagnostics of a run's estimate families (`G2`, `G4c`, `G6c` up to its order): the worse
 * of the networks' |f(x_p)|^n and, for single-layer nets, the hidden units' phi(x_p)^2 (see
 * ensemble-tails.ts). Undefined entries: a run saved without a tail record.
 */
export function runTails(run: CorrelatorRun): Record<string, TailDiagnostic | undefined> {
  return tailsOf(run, MomentAccumulator.fromJSON(run.accumulator));
}

function tailsOf(run: CorrelatorRun, acc: MomentAccumulator): Record<string, TailDiagnostic | undefined> {
  const { order, inputs, seed } = run.config;
  const width = run.config.options.width as number;
  const hidden = run.config.customDensities ? null : hiddenUnitTail(runNet(run), inputs, acc.count * width, seed);
  return Object.fromEntries(orders(order).map((n) => [FAMILY_NAMES[n], ensembleTail(acc.tailDiagnostic(n), hidden, n)]));
}

/**
 * G2, G4c, G6c (up to the run's order) with standard errors from a run. Each carries its tail
 * diagnostic (`tail`, see `runTails`).
 */
export function correlatorsOf(run: CorrelatorRun): Correlators {
  const acc = MomentAccumulator.fromJSON(run.accumulator);
  const tails = timed('tail diagnostics (fits and hidden-unit probe)', () => tailsOf(run, acc));
  return timed('estimates (jackknife, connected parts)', () => estimatesOf(run, acc, tails));
}

function estimatesOf(run: CorrelatorRun, acc: MomentAccumulator, tails: Record<string, TailDiagnostic | undefined>): Correlators {
  const withTail = (e: TupleEstimates, name: string): TupleEstimates => (tails[name] ? { ...e, tail: tails[name] } : e);
  const order = run.config.order;
  return Object.freeze({
    inputs: run.config.inputs,
    width: run.config.options.width as number,
    nets: acc.count,
    G2: withTail(acc.moments(2), 'G2'),
    G4c: order >= 4 ? withTail(acc.connected(4), 'G4c') : undefined,
    G6c: order >= 6 ? withTail(acc.connected(6), 'G6c') : undefined,
  });
}

/**
 * Draw the networks and accumulate their moments, on all cores for large CPU runs (worker threads,
 * each a contiguous range of networks, merged like shards: the result is the same up to float64
 * rounding). `options.workers` overrides the thread count (1 = this thread only).
 */
export async function measureCorrelators(
  net: Net,
  inputs: readonly (readonly number[] | number)[],
  options: CorrelatorOptions & { workers?: number },
): Promise<CorrelatorRun> {
  return parallelCorrelators(net, inputs, options);
}

/**
 * Measure and summarise in one call: the ensemble averages G^(n) of TASI eq. (27) (the NN-QFT talk's
 * "experimental correlation functions") and their connected parts, eq. (49).
 */
export async function ensembleCorrelators(
  net: Net,
  inputs: readonly (readonly number[] | number)[],
  options: CorrelatorOptions & { workers?: number },
): Promise<Correlators> {
  return correlatorsOf(await measureCorrelators(net, inputs, options));
}

