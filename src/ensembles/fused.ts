/**
 * A fused forward pass of a batch of single-layer networks for the CPU backends (`cpu`, `wasm`),
 * registered in tfjs's kernel registry as `NnftSingleLayerForward`.
 *
 * Why: through tfjs ops the forward pass costs a matMul, an add, an activation and a batched matMul,
 * each a full pass over B x N x P floats, and tfjs-wasm's erf alone costs ~25 ns per element. The
 * fused kernel makes one pass, in float64 registers, with the hidden activations never stored.
 * On the `tensorflow` (CUDA) backend the composite ops run instead (`ensemble.ts`), unchanged.
 *
 * Inputs (float32): W0 [B*N, D], b0 [B*N], W1 [B, N], b1 [B], X [P, D], shift [P] (Gauss-net
 * normalisation; zeros otherwise). Attributes: activation. Output: f [B, P].
 *
 * The erf here is Abramowitz & Stegun 7.1.28, |error| < 3e-7 (a few float32 ulps near 1), chosen
 * because it needs no exp (13 ns a call on the reference machine): far below any Monte Carlo error,
 * and it enters every network the same way. Erf and ReLU units run four at a time in WebAssembly
 * SIMD (wasm-engine.ts, the same formula in float32, |error| < 2e-6, sums still in float64);
 * tests/fused.test.ts checks both bounds and compares the kernel with the composite ops.
 */
import * as tf from '@tensorflow/tfjs';
import { ACTIVATION_REGISTRY, ActivationName } from '../nets/activations';
import { type Forward, wasmForward } from './wasm-engine';

export const FUSED_KERNEL = 'NnftSingleLayerForward';
export const FUSED_BACKENDS = ['cpu', 'wasm'] as const;

/** One specialised loop per activation (each call site stays monomorphic). */
function makeForward(act: (z: number) => number): Forward {
  return (W0, b0, W1, b1, X, shift, B, N, P, D, out) => {
    const acc = new Float64Array(P);
    const z = new Float64Array(P);
    for (let b = 0; b < B; b++) {
      for (let p = 0; p < P; p++) acc[p] = 0;
      for (let i = 0; i < N; i++) {
        const unit = b * N + i;
        const w1 = W1[unit];
        const bias = b0[unit];
        if (D === 1) {
          const w = W0[unit];
          for (let p = 0; p < P; p++) acc[p] += w1 * act(w * X[p] + bias - shift[p]);
        } else {
          for (let p = 0; p < P; p++) {
            let s = bias;
            for (let j = 0; j < D; j++) s += W0[unit * D + j] * X[p * D + j];
            z[p] = s;
          }
          for (let p = 0; p < P; p++) acc[p] += w1 * act(z[p] - shift[p]);
        }
      }
      for (let p = 0; p < P; p++) out[b * P + p] = acc[p] + b1[b];
    }
  };
}

// The Gauss-net unit is exp(z - shift); every other activation gets shift = 0. Activations with a
// SIMD loop run it where the engine has wasm SIMD (Node 16.4 and later); the others the host loop
// of their registry entry (`fused`).
const FORWARD = new Map<ActivationName, Forward>();

/** The fused loop of an activation, or undefined where the registry gives it none. */
function forwardOf(name: ActivationName): Forward | undefined {
  const act = ACTIVATION_REGISTRY[name];
  if (!act.fused) return undefined;
  let f = FORWARD.get(name);
  if (!f) FORWARD.set(name, (f = (act.simd ? wasmForward(name) : undefined) ?? makeForward(act.fused)));
  return f;
}

/** Whether the fused kernel has a loop for this activation (otherwise the engine uses tfjs ops). */
export function hasFusedLoop(name: ActivationName): boolean {
  return ACTIVATION_REGISTRY[name].fused !== undefined;
}

interface HostBackend {
  readSync(dataId: unknown): ArrayLike<number>;
  typedArrayFromHeap?(t: tf.TensorInfo): ArrayLike<number>;
  makeOutput?(shape: number[], dtype: string, memoryOffset?: number, values?: Float32Array): tf.TensorInfo;
  makeTensorInfo?(shape: number[], dtype: string, values?: Float32Array): tf.TensorInfo;
}

function read(backend: HostBackend, t: tf.TensorInfo): ArrayLike<number> {
  return backend.typedArrayFromHeap ? backend.typedArrayFromHeap(t) : backend.readSync(t.dataId);
}

function kernelFunc({ inputs, backend, attrs }: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): tf.TensorInfo {
  const host = backend as HostBackend;
  const { W0, b0, W1, b1, X, shift } = inputs as Record<string, tf.TensorInfo>;
  const [B, N] = W1.shape;
  const [P, D] = X.shape;
  const out = new Float32Array(B * P);
  const name = (attrs as { activation: ActivationName }).activation;
  const forward = forwardOf(name);
  if (!forward) throw new Error(`${FUSED_KERNEL}: no fused loop for activation '${name}'`);
  forward(read(host, W0), read(host, b0), read(host, W1), read(host, b1), read(host, X), read(host, shift), B, N, P, D, out);
  return host.makeOutput ? host.makeOutput([B, P], 'float32', undefined, out) : host.makeTensorInfo!([B, P], 'float32', out);
}

let registered = false;

/** Register the fused kernel for the CPU backends (idempotent). */
export function registerFusedKernels(): void {
  if (registered) return;
  for (const backendName of FUSED_BACKENDS) {
    if (!tf.getKernel(FUSED_KERNEL, backendName)) tf.registerKernel({ kernelName: FUSED_KERNEL, backendName, kernelFunc: kernelFunc as unknown as tf.KernelFunc });
  }
  registered = true;
}

/** Whether the fused kernel serves the active backend. */
export function fusedAvailable(): boolean {
  registerFusedKernels();
  return tf.getKernel(FUSED_KERNEL, tf.getBackend()) !== undefined;
}
