/**
 * Tensor backends.
 *
 * Order of preference when nothing is requested: `tensorflow` (@tensorflow/tfjs-node-gpu, CUDA,
 * an optional dependency loaded at run time), then `wasm` (@tensorflow/tfjs-backend-wasm, the
 * default here), then `cpu` (pure JavaScript). `NNFT_BACKEND=tensorflow|wasm|cpu` or
 * `useBackend(name)` forces one; a forced backend that cannot load is an error that says why,
 * never a silent fallback. See environment.md for the CUDA route.
 */
import * as tf from '@tensorflow/tfjs';
import { BACKENDS, BackendInfo, BackendName, activeBackend, describeBackend, parseRequest, setActiveBackend } from './backend-choice';

export { BACKENDS, activeBackend, describeBackend };
export type { BackendInfo, BackendName };

let pending: Promise<BackendInfo> | null = null;

function loadError(name: BackendName, err: unknown): string {
  const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
  if (name === 'tensorflow') {
    return (
      `@tensorflow/tfjs-node-gpu could not be loaded (${reason}). Install it with ` +
      '`npm install @tensorflow/tfjs-node-gpu@4.22.0` on a machine with CUDA 11.2, cuDNN 8.1 and ' +
      'libtensorflow 2.9.1 (see environment.md, "The CUDA route")'
    );
  }
  if (name === 'wasm') return `@tensorflow/tfjs-backend-wasm could not be initialised (${reason}); run \`npm ci\``;
  return `the tfjs cpu backend could not be initialised (${reason})`;
}

async function tryBackend(name: BackendName): Promise<{ ok: true; gpu: boolean } | { ok: false; why: string }> {
  try {
    if (name === 'tensorflow') {
      // Resolved at run time: the package is optional and absent on most machines.
      const moduleName = '@tensorflow/tfjs-node-gpu';
      require(moduleName);
    } else if (name === 'wasm') {
      require('@tensorflow/tfjs-backend-wasm');
    }
    const ok = await tf.setBackend(name);
    if (!ok) return { ok: false, why: loadError(name, new Error(`tf.setBackend('${name}') returned false`)) };
    await tf.ready();
    const backend = tf.backend() as unknown as { isUsingGpuDevice?: boolean };
    return { ok: true, gpu: name === 'tensorflow' && backend.isUsingGpuDevice === true };
  } catch (err) {
    return { ok: false, why: loadError(name, err) };
  }
}

/**
 * Select the tensor backend (see the module comment for the order). Without an argument the
 * `NNFT_BACKEND` environment variable decides, then the automatic order.
 */
export async function useBackend(requested?: BackendName | 'auto'): Promise<BackendInfo> {
  const { name, source } = parseRequest(requested);
  const skipped: string[] = [];
  const candidates: BackendName[] = name === 'auto' ? [...BACKENDS] : [name];
  for (const candidate of candidates) {
    const result = await tryBackend(candidate);
    if (result.ok) {
      const info: BackendInfo = Object.freeze({ name: candidate, requested: name, source, gpu: result.gpu, skipped: Object.freeze(skipped) });
      setActiveBackend(info);
      pending = Promise.resolve(info);
      return info;
    }
    if (name !== 'auto') {
      const via = source === 'NNFT_BACKEND' ? 'NNFT_BACKEND=' + name : `useBackend('${name}')`;
      throw new Error(`nnft: backend '${name}' was requested (${via}) but ${result.why}.`);
    }
    skipped.push(`${candidate}: ${result.why}`);
  }
  throw new Error(`nnft: no tensor backend could be loaded:\n  ${skipped.join('\n  ')}`);
}

/** The active backend, initialising the default choice on first use. */
export function ensureBackend(): Promise<BackendInfo> {
  if (!pending) {
    pending = useBackend();
    pending.catch(() => {
      pending = null;
    });
  }
  return pending;
}

export { tf };
