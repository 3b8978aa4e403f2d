/**
 * Which tensor backend runs, decided without loading tfjs: the backend names, the active one (set by
 * backend.ts once it has loaded), the request read from an argument or `NNFT_BACKEND`, and whether
 * tensor code does or would run on this CPU (`cpuTensorBackend`), which lets the host ensemble engine
 * serve a run without tfjs ever being loaded (src/ensembles/wasm-engine.ts).
 */
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

/** The backend in use, or null before the first tensor computation. */
export function activeBackend(): BackendInfo | null {
  return active;
}

/** Record the backend that backend.ts has set up. */
export function setActiveBackend(info: BackendInfo): void {
  active = info;
}

/** A one-line description of the active backend, e.g. "wasm (default; skipped: tensorflow ...)". */
export function describeBackend(info: BackendInfo | null = active): string {
  if (!info) return 'no backend initialised yet';
  const how = info.source === 'default' ? 'auto' : `${info.source}=${info.requested}`;
  const skipped = info.skipped.length ? `; skipped ${info.skipped.join('; ')}` : '';
  return `${info.name}${info.gpu ? ' (GPU)' : ''} [${how}${skipped}]`;
}

export function parseRequest(requested: string | undefined): { name: BackendName | 'auto'; source: BackendInfo['source'] } {
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
 * Whether tensor code runs, or would run once the default choice is made, on this CPU (the wasm or
 * cpu backend): true when one of those is active or requested, or when nothing is and the optional
 * CUDA package is not installed (the automatic order would pass over it). Undefined when only
 * loading the backends can tell (the CUDA package is installed and nothing is decided yet).
 */
export function cpuTensorBackend(): boolean | undefined {
  if (active) return active.name !== 'tensorflow';
  const { name } = parseRequest(undefined);
  if (name !== 'auto') return name !== 'tensorflow';
  try {
    const moduleName = '@tensorflow/tfjs-node-gpu';
    require.resolve(moduleName);
    return undefined;
  } catch {
    return true;
  }
}
