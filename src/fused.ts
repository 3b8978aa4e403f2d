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
 * SIMD (wasm-forward.ts, the same formula in float32, |error| < 2e-6, sums still in float64);
 * tests/fused.test.ts checks both bounds and compares the kernel with the composite ops.
 */
import * as tf from '@tensorflow/tfjs';
import type { ActivationName } from './architectures';
import { type Forward, wasmForward } from './wasm-forward';

export const FUSED_KERNEL = 'NnftSingleLayerForward';
export const FUSED_BACKENDS = ['cpu', 'wasm'] as const;

const { exp, tanh, cos } = Math; // hoisted (see moments.ts)

/**
 * erf with |error| < 3e-7 and no transcendental call (Abramowitz & Stegun 7.1.28):
 * erf(x) = 1 - (1 + a1 x + ... + a6 x^6)^-16 for x >= 0, odd in x.
 */
export function fastErf(x: number): number {
  const ax = x < 0 ? -x : x;
  let q = 1 + ax * (0.0705230784 + ax * (0.0422820123 + ax * (0.0092705272 + ax * (0.0001520143 + ax * (0.0002765672 + ax * 0.0000430638)))));
  q *= q; // ^2
  q *= q; // ^4
  q *= q; // ^8
  q *= q; // ^16
  const y = 1 - 1 / q;
  return x < 0 ? -y : y;
}

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

// The Gauss-net unit is exp(z - shift); every other activation gets shift = 0. Erf and ReLU run the
// WebAssembly SIMD loop of wasm-forward.ts where the engine has wasm SIMD (Node 16.4 and later).
const FORWARD: Record<ActivationName, Forward> = {
  erf: wasmForward('erf') ?? makeForward(fastErf),
  relu: wasmForward('relu') ?? makeForward((z) => (z > 0 ? z : 0)),
  tanh: makeForward(tanh),
  gauss: makeForward(exp),
  cos: makeForward(cos),
};

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
  FORWARD[(attrs as { activation: ActivationName }).activation](read(host, W0), read(host, b0), read(host, W1), read(host, b1), read(host, X), read(host, shift), B, N, P, D, out);
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
