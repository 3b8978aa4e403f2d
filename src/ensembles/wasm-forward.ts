/**
 * The WebAssembly SIMD version of the fused forward pass (src/ensembles/wasm/forward.c), for the erf and
 * ReLU units: four hidden units per instruction in float32, sums over units in float64.
 *
 * The module is tiny (a few kB, committed base64 in src/ensembles/wasm/forward.wasm.ts and rebuilt by
 * scripts/build-wasm.sh) and compiled synchronously on first use. Where the engine lacks wasm SIMD,
 * `wasmForward` returns undefined and fused.ts keeps its JavaScript loops.
 */
import { FORWARD_WASM_BASE64 } from './wasm/forward.wasm';

// The few WebAssembly JS-API names used here (lib ES2022 without DOM does not declare them).
declare const WebAssembly: {
  Memory: new (descriptor: { initial: number }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
};
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

type ForwardExport = (W0: number, b0: number, W1: number, b1: number, X: number, shift: number, B: number, N: number, P: number, D: number, out: number, acc: number, z: number) => void;

/** The fused forward pass of a batch of single-layer nets (fused.ts documents the arguments). */
export type Forward = (W0: ArrayLike<number>, b0: ArrayLike<number>, W1: ArrayLike<number>, b1: ArrayLike<number>, X: ArrayLike<number>, shift: ArrayLike<number>, B: number, N: number, P: number, D: number, out: Float32Array) => void;

interface Instance {
  memory: WasmMemory;
  heapBase: number;
  /** The module's loops by activation name (its exports forward_<name>). */
  forward: Readonly<Record<string, ForwardExport | undefined>>;
}

let instance: Instance | null | undefined;

function instantiate(): Instance | null {
  try {
    const memory = new WebAssembly.Memory({ initial: 17 });
    const module = new WebAssembly.Module(Buffer.from(FORWARD_WASM_BASE64, 'base64'));
    const { exports } = new WebAssembly.Instance(module, { env: { memory } });
    const heapBase = (exports.__heap_base as { value: number }).value;
    const forward = Object.fromEntries(Object.entries(exports).filter(([k]) => k.startsWith('forward_')).map(([k, f]) => [k.slice('forward_'.length), f as ForwardExport]));
    return { memory, heapBase, forward };
  } catch {
    return null; // no wasm SIMD in this engine
  }
}

const PAGE = 65536;
const align16 = (bytes: number) => (bytes + 15) & ~15;

/** The activations the module has a SIMD loop for (empty without wasm SIMD). */
export function wasmActivations(): string[] {
  if (instance === undefined) instance = instantiate();
  return instance ? Object.keys(instance.forward) : [];
}

/**
 * The SIMD forward pass for activation `act`, or undefined where it has none (other activations,
 * no wasm SIMD).
 */
export function wasmForward(act: string): Forward | undefined {
  if (instance === undefined) instance = instantiate();
  if (instance === null) return undefined;
  const inst = instance;
  const kernel = Object.prototype.hasOwnProperty.call(inst.forward, act) ? inst.forward[act] : undefined;
  if (!kernel) return undefined;
  return (W0, b0, W1, b1, X, shift, B, N, P, D, out) => {
    // Layout: the float32 arrays one after another, then the out, acc (2P f64x2) and z (P f32x4) scratch.
    const arrays = [W0, b0, W1, b1, X, shift];
    const offsets: number[] = [];
    let end = align16(inst.heapBase);
    for (const a of arrays) {
      offsets.push(end);
      end = align16(end + 4 * a.length);
    }
    const outAt = end;
    const accAt = align16(outAt + 4 * B * P);
    const zAt = accAt + 32 * P;
    end = zAt + 16 * P;
    const have = inst.memory.buffer.byteLength;
    if (end > have) inst.memory.grow(Math.ceil((end - have) / PAGE));
    const heap = new Float32Array(inst.memory.buffer);
    arrays.forEach((a, k) => heap.set(a, offsets[k] / 4));
    kernel(offsets[0], offsets[1], offsets[2], offsets[3], offsets[4], offsets[5], B, N, P, D, outAt, accAt, zAt);
    out.set(heap.subarray(outAt / 4, outAt / 4 + B * P));
  };
}
