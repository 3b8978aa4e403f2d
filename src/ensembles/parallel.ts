/**
 * Ensembles on all cores: worker threads, each drawing a contiguous range of networks with the
 * same seed, merged like shards (`mergeRuns`). Network m is the same network in whichever thread
 * draws it, so the merged run equals a single-thread run up to float64 rounding.
 *
 * Used for the CPU backends (wasm, cpu) when a run is large enough to pay for starting the threads;
 * the CUDA backend and small runs stay in this thread. A thread of the host engine loads only the
 * engine (tens of milliseconds); one of the tensor route loads tfjs (about half a second).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { Net, customDensities } from '../nets/architectures';
import type * as Tensors from '../core/backend';
import { CorrelatorOptions, CorrelatorRun, measureCorrelatorsInProcess, mergeRuns } from './runs';
import { onHostEngine } from './ensemble';
import { binomial } from '../statistics/tuples';
import { progressBar } from '../core/progress';
import { timedAsync } from '../core/timings';
import { checkInputs, checkNonNegativeInteger, checkPositiveInteger } from '../core/validate';

/** Tensor route: below this many networks per thread, threads are not worth starting. */
const MIN_NETS_PER_WORKER = 2000;
/** Host engine: below this much estimated work per thread (seconds in one thread), likewise (a thread starts in about 0.1 s). */
const MIN_SECONDS_PER_WORKER = 0.15;

/**
 * Seconds the host engine needs for a run in one thread, roughly (measured on the project's 2-core
 * machine: 1.3 us a network at width 10, 20 us at width 1000, with 6 inputs and order 6): per
 * network about 1 ns per accumulated tuple, and per hidden unit about 3 ns per normal drawn and
 * 1.5 ns per unit and input evaluated.
 */
function hostSeconds(net: Net, points: number, order: number, nets: number): number {
  let tuples = 0;
  for (let n = 2; n <= order; n += 2) tuples += binomial(points + n - 1, n); // sorted n-tuples
  // Deep MLPs: every hidden-to-hidden weight is one normal draw and P multiply-adds in four lanes.
  const hidden = (net.depth - 1) * net.width * net.width * (3e-9 + 0.4e-9 * points);
  return nets * (1e-9 * tuples + net.width * (3e-9 * (net.dIn + 2) + 1.5e-9 * points) + hidden);
}

export interface WorkerTask {
  net: Net;
  inputs: number[][];
  order: number;
  seed: number;
  firstNet: number;
  nets: number;
  /** The tfjs backend a tensor-route thread sets up; absent on the host engine (no tfjs). */
  backend?: string;
  fused: boolean;
}

export type WorkerMessage =
  | { kind: 'progress'; id: number; nets: number }
  | { kind: 'done'; id: number; run: CorrelatorRun }
  | { kind: 'error'; id: number; message: string };

function workerScript(): string {
  // dist/ensembles/correlator-worker.js; from src/ensembles (ts-jest) use the built copy.
  const beside = path.join(__dirname, 'correlator-worker.js');
  return fs.existsSync(beside) ? beside : path.join(__dirname, '..', '..', 'dist', 'ensembles', 'correlator-worker.js');
}

/** Number of worker threads to use by default: the cores Node may use. */
export function defaultWorkers(): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}

interface PendingTask {
  worker: Worker;
  onProgress: (nets: number) => void;
  resolve: (run: CorrelatorRun) => void;
  reject: (err: Error) => void;
}

/**
 * Worker threads kept between calls (starting one loads tfjs: ~0.5 s). A worker holds the event
 * loop open only while it has work, so scripts still exit when they are done.
 */
class WorkerPool {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, PendingTask>();
  private readonly busy = new Map<Worker, number>();
  private nextId = 1;

  private spawn(): Worker {
    const worker = new Worker(workerScript());
    worker.unref();
    this.busy.set(worker, 0);
    worker.on('message', (m: WorkerMessage) => {
      const task = this.pending.get(m.id);
      if (!task) return;
      if (m.kind === 'progress') return task.onProgress(m.nets);
      this.pending.delete(m.id);
      this.release(worker);
      if (m.kind === 'done') task.resolve(m.run);
      else task.reject(new Error(m.message));
    });
    const fail = (err: Error) => {
      this.workers.splice(this.workers.indexOf(worker), 1);
      for (const [id, task] of this.pending) {
        if (task.worker === worker) {
          this.pending.delete(id);
          task.reject(err);
        }
      }
    };
    worker.on('error', fail);
    worker.on('exit', (code) => code !== 0 && fail(new Error(`measureCorrelators: a worker thread exited with code ${code}`)));
    this.workers.push(worker);
    return worker;
  }

  private release(worker: Worker): void {
    const n = (this.busy.get(worker) ?? 1) - 1;
    this.busy.set(worker, n);
    if (n === 0) worker.unref();
  }

  run(index: number, task: WorkerTask, onProgress: (nets: number) => void): Promise<CorrelatorRun> {
    while (this.workers.length <= index) this.spawn();
    const worker = this.workers[index];
    const id = this.nextId++;
    this.busy.set(worker, (this.busy.get(worker) ?? 0) + 1);
    worker.ref();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { worker, onProgress, resolve, reject });
      worker.postMessage({ id, task });
    });
  }
}

let pool: WorkerPool | null = null;

export async function parallelCorrelators(
  net: Net,
  inputs: readonly (readonly number[] | number)[],
  options: CorrelatorOptions & { workers?: number },
): Promise<CorrelatorRun> {
  const fn = 'measureCorrelators';
  const points = checkInputs(fn, inputs, net.dIn);
  const nets = checkPositiveInteger(fn, 'nets', options?.nets);
  const seed = checkNonNegativeInteger(fn, 'seed', options.seed);
  const firstNet = checkNonNegativeInteger(fn, 'firstNet', options.firstNet ?? 0);
  const wanted = checkPositiveInteger(fn, 'workers', options.workers ?? defaultWorkers());
  const host = await onHostEngine(net, options);
  const backend = host ? undefined : (await (require('../core/backend') as typeof Tensors).ensureBackend()).name;
  // Custom densities hold code, which cannot cross into a worker thread.
  const useful = host ? Math.floor(hostSeconds(net, points.length, options.order, nets) / MIN_SECONDS_PER_WORKER) : Math.floor(nets / MIN_NETS_PER_WORKER);
  const workers = backend === 'tensorflow' || customDensities(net).length ? 1 : Math.max(1, Math.min(wanted, useful));
  if (workers === 1 || !fs.existsSync(workerScript())) return measureCorrelatorsInProcess(net, points, options);

  const bar = progressBar(`${net.name} N=${net.width} (${workers} threads)`, nets, 'nets', options.progress ?? true);
  const tasks: WorkerTask[] = Array.from({ length: workers }, (_, k) => {
    const start = firstNet + Math.floor((k * nets) / workers);
    const end = firstNet + Math.floor(((k + 1) * nets) / workers);
    return { net, inputs: points, order: options.order, seed, firstNet: start, nets: end - start, backend, fused: options.fused ?? true };
  });
  try {
    pool = pool ?? new WorkerPool();
    const runs = await timedAsync(`ensemble: ${workers} worker threads (start and run)`, () => Promise.all(
      tasks.map((task, k) =>
        pool!.run(k, task, (n) => {
          bar.tick(n);
          options.onNets?.(n);
        }),
      ),
    ));
    return mergeRuns(runs);
  } finally {
    bar.done();
  }
}
