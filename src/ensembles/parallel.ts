/**
 * Ensembles on all cores: worker threads, each drawing a contiguous range of networks with the
 * same seed, merged like shards (`mergeRuns`). Network m is the same network in whichever thread
 * draws it, so the merged run equals a single-thread run up to float64 rounding.
 *
 * Used for the CPU backends (wasm, cpu) when a run is large enough to pay for starting the threads
 * (each loads tfjs); the CUDA backend and small runs stay in this thread.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { Net, customDensities } from '../nets/architectures';
import { activeBackend, ensureBackend } from '../core/backend';
import { CorrelatorOptions, CorrelatorRun, measureCorrelatorsInProcess, mergeRuns } from './runs';
import { progressBar } from '../core/progress';
import { checkInputs, checkNonNegativeInteger, checkPositiveInteger } from '../core/validate';

/** Below this many networks per thread, threads are not worth starting. */
const MIN_NETS_PER_WORKER = 2000;

export interface WorkerTask {
  net: Net;
  inputs: number[][];
  order: number;
  seed: number;
  firstNet: number;
  nets: number;
  backend: string;
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
  const backend = await ensureBackend();
  const wanted = checkPositiveInteger(fn, 'workers', options.workers ?? defaultWorkers());
  // Custom densities hold code, which cannot cross into a worker thread.
  const workers = backend.name === 'tensorflow' || customDensities(net).length ? 1 : Math.max(1, Math.min(wanted, Math.floor(nets / MIN_NETS_PER_WORKER)));
  if (workers === 1 || !fs.existsSync(workerScript())) return measureCorrelatorsInProcess(net, points, options);

  const bar = progressBar(`${net.name} N=${net.width} (${workers} threads)`, nets, 'nets', options.progress ?? true);
  const tasks: WorkerTask[] = Array.from({ length: workers }, (_, k) => {
    const start = firstNet + Math.floor((k * nets) / workers);
    const end = firstNet + Math.floor(((k + 1) * nets) / workers);
    return { net, inputs: points, order: options.order, seed, firstNet: start, nets: end - start, backend: activeBackend()!.name, fused: options.fused ?? true };
  });
  try {
    pool = pool ?? new WorkerPool();
    const runs = await Promise.all(
      tasks.map((task, k) =>
        pool!.run(k, task, (n) => {
          bar.tick(n);
          options.onNets?.(n);
        }),
      ),
    );
    return mergeRuns(runs);
  } finally {
    bar.done();
  }
}
