/**
 * Worker-thread entry point for `parallelCorrelators`: for each task message, measures one range
 * of networks and posts the run back (progress messages in between). The thread stays for the
 * next task.
 */
import { parentPort } from 'worker_threads';
import type * as Tensors from '../core/backend';
import { measureCorrelatorsInProcess } from './runs';
import type { WorkerMessage, WorkerTask } from './parallel';

const post = (m: WorkerMessage) => parentPort!.postMessage(m);

async function runTask(id: number, task: WorkerTask): Promise<void> {
  try {
    // The tensor route sets up the parent's backend; the host engine needs no tfjs at all.
    if (task.backend) await (require('../core/backend') as typeof Tensors).useBackend(task.backend as Tensors.BackendName);
    const run = await measureCorrelatorsInProcess(task.net, task.inputs, {
      order: task.order,
      nets: task.nets,
      seed: task.seed,
      firstNet: task.firstNet,
      fused: task.fused,
      progress: false,
      onNets: (nets) => post({ kind: 'progress', id, nets }),
    });
    post({ kind: 'done', id, run });
  } catch (err) {
    post({ kind: 'error', id, message: (err as Error).message });
  }
}

// Tasks arrive one at a time per worker (the pool waits for each).
parentPort!.on('message', (m: { id: number; task: WorkerTask }) => void runTask(m.id, m.task));
