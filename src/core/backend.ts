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
import { fail } from './validate';

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';
export const BACKENDS: readonly BackendName[] = ['tensorflow', 'wasm', 'cpu'];

export interface BackendInfo {
  /** The tfjs backend now running tensor code. */
  readonly name: BackendName;
  /** What was asked for ('auto' when nothing was). */
  readonly requested: BackendName | 'auto';
  /** Where the request came from. */
  readonly source: 'argument' | 'NNFT_BACKEND' | 'default';
  /** True when tensor ops run on a CUDA device. */
  readonly gpu: boolean;
  /** Backends tried before this one, with the reason each was passed over. */
  readonly skipped: readonly string[];
}

let active: BackendInfo | null = null;
let pending: Promise<BackendInfo> | null = null;

/** The backend in use, or null before the first tensor computation. */
export function activeBackend(): BackendInfo | null {
  return active;
}

/** A one-line description of the active backend, e.g. "wasm (default; skipped: tensorflow ...)". */
export function describeBackend(info: BackendInfo | null = active): string {
  if (!info) return 'no backend initialised yet';
  const how = info.source === 'default' ? 'auto' : `${info.source}=${info.requested}`;
  const skipped = info.skipped.length ? `; skipped ${info.skipped.join('; ')}` : '';
  return `${info.name}${info.gpu ? ' (GPU)' : ''} [${how}${skipped}]`;
}

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

function parseRequest(requested: string | undefined): { name: BackendName | 'auto'; source: BackendInfo['source'] } {
  if (requested !== undefined) {
    if (requested !== 'auto' && !BACKENDS.includes(requested as BackendName)) {
      fail('useBackend', 'name', `one of auto, ${BACKENDS.join(', ')}`, requested);
    }
    return { name: requested as BackendName | 'auto', source: 'argument' };
  }
  const env = process.env.NNFT_BACKEND;
  if (env !== undefined && env !== '') {
    if (env !== 'auto' && !BACKENDS.includes(env as BackendName)) {
      throw new RangeError(`nnft: NNFT_BACKEND must be one of auto, ${BACKENDS.join(', ')}, got ${JSON.stringify(env)}`);
    }
    return { name: env as BackendName | 'auto', source: 'NNFT_BACKEND' };
  }
  return { name: 'auto', source: 'default' };
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
      active = Object.freeze({ name: candidate, requested: name, source, gpu: result.gpu, skipped: Object.freeze(skipped) });
      pending = Promise.resolve(active);
      return active;
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
