/**
 * The host ensemble engine: single-layer nets with an erf or ReLU unit drawn, evaluated and
 * accumulated inside one WebAssembly module (src/ensembles/wasm/engine.c), a batch of networks per
 * call. It draws the same float32 parameters as `sampleParameters`, computes the same outputs as
 * the fused kernel and adds the same float64 products to the same Neumaier sums as
 * `MomentAccumulator.add` (tests/engine.test.ts checks all three bit for bit), so a run gives the
 * same numbers by either route, only without tfjs, tensors or a copy of anything between steps.
 *
 * The module (about 20 kB, committed base64 in src/ensembles/wasm/engine.wasm.ts, rebuilt by
 * scripts/build-wasm.sh) is compiled synchronously on first use; where the JavaScript engine lacks
 * WebAssembly SIMD the engine reports itself unavailable and the tfjs route runs instead. It also
 * exports the forward pass alone (`wasmForward`), which the fused tfjs kernel of fused.ts uses.
 *
 * Each call runs synchronously from layout to result and takes its arrays above those of any call
 * still running (a consumer that calls the engine again from its callback), so two calls never
 * share memory; views are made afresh after every call into the module, since growing the memory
 * detaches the old ones.
 */
import { ZIGGURAT } from '../core/random';
import { addTiming, timed, timingsEnabled } from '../core/timings';
import { ACTIVATION_REGISTRY } from '../nets/activations';
import { Density, Net, SingleLayerNet } from '../nets/architectures';
import type { MomentTree } from '../statistics/moments';
import { NEURON_CHUNK, NeuronChunks } from '../nets/sampling';
import { ENGINE_WASM_BASE64 } from './wasm/engine.wasm';

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

type Fn = (...args: number[]) => number | void;

/** The fused forward pass of a batch of single-layer nets (fused.ts documents the arguments). */
export type Forward = (W0: ArrayLike<number>, b0: ArrayLike<number>, W1: ArrayLike<number>, b1: ArrayLike<number>, X: ArrayLike<number>, shift: ArrayLike<number>, B: number, N: number, P: number, D: number, out: Float32Array) => void;

interface Instance {
  memory: WasmMemory;
  heapBase: number;
  /** First free byte: calls in progress hold everything below it. */
  top: number;
  exports: Record<string, Fn>;
  /** The activations with a loop (exports forward_<name>), in the engine's numbering. */
  activations: string[];
}

let instance: Instance | null | undefined;

function instantiate(): Instance | null {
  try {
    const memory = new WebAssembly.Memory({ initial: 17 });
    const module = new WebAssembly.Module(Buffer.from(ENGINE_WASM_BASE64, 'base64'));
    // Math.log and Math.exp: the ziggurat's slow path calls the very functions random.ts calls.
    const { exports } = new WebAssembly.Instance(module, { env: { memory, log: Math.log, exp: Math.exp } });
    const fns = exports as Record<string, Fn>;
    new Int32Array(memory.buffer, fns.zig_k() as number, 128).set(ZIGGURAT.K);
    new Float64Array(memory.buffer, fns.zig_w() as number, 128).set(ZIGGURAT.W);
    new Float64Array(memory.buffer, fns.zig_f() as number, 128).set(ZIGGURAT.F);
    fns.set_zig_r(ZIGGURAT.R);
    const heapBase = (exports.__heap_base as { value: number }).value;
    const activations = Object.keys(exports).filter((k) => k.startsWith('forward_')).map((k) => k.slice('forward_'.length));
    return { memory, heapBase, top: align16(heapBase), exports: fns, activations };
  } catch {
    return null; // no wasm SIMD in this engine
  }
}

function engine(): Instance | null {
  if (instance === undefined) instance = timed('start-up: wasm compile', instantiate);
  return instance;
}

const PAGE = 65536;
const align16 = (bytes: number) => (bytes + 15) & ~15;

/**
 * A bump layout of one call's arrays in the module's memory, above every call in progress, grown
 * to fit; `release` hands the space back (calls nest like a stack).
 */
class Layout {
  private readonly start: number;
  private end: number;
  constructor(private readonly inst: Instance) {
    this.start = this.end = inst.top;
  }
  /** Reserve `bytes` (16-byte aligned); returns the byte offset. */
  take(bytes: number): number {
    const at = this.end;
    this.end = align16(at + bytes);
    return at;
  }
  /** Grow the memory to hold everything taken and hold it; views made before this may be detached. */
  commit(): void {
    const have = this.inst.memory.buffer.byteLength;
    if (this.end > have) this.inst.memory.grow(Math.ceil((this.end - have) / PAGE));
    this.inst.top = this.end;
  }
  release(): void {
    this.inst.top = this.start;
  }
}

/** The activations the module has a SIMD loop for (empty without wasm SIMD). */
export function wasmActivations(): string[] {
  return engine()?.activations ?? [];
}

/**
 * The SIMD forward pass for activation `act`, or undefined where it has none (other activations,
 * no wasm SIMD).
 */
export function wasmForward(act: string): Forward | undefined {
  const inst = engine();
  if (!inst || !inst.activations.includes(act)) return undefined;
  const kernel = inst.exports[`forward_${act}`];
  return (W0, b0, W1, b1, X, shift, B, N, P, D, out) => {
    const arrays = [W0, b0, W1, b1, X, shift];
    const layout = new Layout(inst);
    const offsets = arrays.map((a) => layout.take(4 * a.length));
    const outAt = layout.take(4 * B * P);
    const accAt = layout.take(32 * P);
    const zAt = layout.take(16 * P);
    layout.commit();
    try {
      const heap = new Float32Array(inst.memory.buffer);
      arrays.forEach((a, k) => heap.set(a, offsets[k] / 4));
      kernel(offsets[0], offsets[1], offsets[2], offsets[3], offsets[4], offsets[5], B, N, P, D, outAt, accAt, zAt);
      out.set(new Float32Array(inst.memory.buffer, outAt, B * P));
    } finally {
      layout.release();
    }
  };
}

/** (kind, mean, std) of a density the engine draws: 0 = absent, 1 = normal; undefined otherwise. */
function densityCode(d: Density): [number, number, number] | undefined {
  if (d.kind === 'zero') return [0, 0, 0];
  if (d.kind === 'normal') return [1, d.mean, Math.sqrt(d.variance)];
  return undefined;
}

/** (kind, mean, std) of W_l then b_l for every layer, or undefined when a block is neither normal nor absent. */
function densityCodes(net: Net): number[] | undefined {
  if (net.spectrum) return undefined;
  const codes = net.layers.flatMap((l) => [l.weight, l.bias]).map(densityCode);
  return codes.every((c) => c !== undefined) ? codes.flat() as number[] : undefined;
}

/**
 * Whether the host engine runs this net: a single-layer net or a deep MLP whose unit has a SIMD
 * loop (erf, ReLU), whose parameters are normal or absent, without a spectral factor, in an engine
 * with WebAssembly SIMD. Deep MLPs are drawn and evaluated one weight row at a time (engine.c,
 * `ensemble_deep`): memory per network is O(N P), not O(N^2).
 */
export function hostEngineServes(net: Net): boolean {
  return ACTIVATION_REGISTRY[net.activation].simd && densityCodes(net) !== undefined && wasmActivations().includes(net.activation);
}

/** Where the moments go: the accumulator's tree and block count. */
export interface EngineMoments {
  readonly tree: MomentTree;
  readonly orders: readonly number[];
  readonly blocks: number;
}

/** Per-block network counts and, per accumulated order, the block-major sums and compensations. */
export interface EngineSums {
  readonly counts: Float64Array;
  readonly sums: Map<number, Float64Array>;
  readonly comps: Map<number, Float64Array>;
}

/**
 * Draw and evaluate networks first .. first + nets - 1 of `net` (which `hostEngineServes`) at the
 * points, `batch` networks per call. After each call `onBatch(first, count, outputs)` gets the
 * outputs (count x P float32, its own copy; it may throw to stop the run). With
 * `moments`, the products of the outputs are accumulated as MomentAccumulator.add would, and the
 * sums are returned. `stages` (for the benchmark's breakdown only): 1 stops after the draws, 2 after
 * the forward pass (the outputs and sums are then meaningless), 3 (default) does it all.
 */
export function runHostEngine(
  net: Net,
  points: readonly (readonly number[])[],
  seed: number,
  first: number,
  nets: number,
  batch: number,
  onBatch: (first: number, count: number, outputs: Float32Array) => void,
  moments?: EngineMoments,
  stages = 3,
): EngineSums | undefined {
  const inst = engine();
  const codes = densityCodes(net);
  const act = inst ? inst.activations.indexOf(net.activation) : -1;
  if (!inst || !codes || act < 0) throw new Error(`runHostEngine: the host engine does not serve ${net.name} (see hostEngineServes)`);
  const { width: N, dIn: D, depth } = net;
  const P = points.length;
  const B = Math.max(1, Math.min(batch, nets));
  const layout = new Layout(inst);
  const NP = (N + 3) & ~3;
  const at = {
    densities: layout.take(8 * codes.length),
    X: layout.take(4 * P * D),
    shift: layout.take(4 * P),
    scratch: layout.take(4 * (((N * D + 3) & ~3) + 2 * NP + 4 + (depth > 1 ? 2 * P * NP : 0))),
    out: layout.take(4 * B * P),
    acc: layout.take(32 * P),
    z: layout.take(16 * P),
  };
  // The moment plan (engine.c's order_t per order 1..max): size, prefix and point tables, product
  // scratch, and for accumulated orders their block-major sums and compensations.
  const tree = moments?.tree;
  const maxOrder = moments ? Math.max(...moments.orders) : 0;
  const planAt = layout.take(24 * maxOrder);
  const levels = Array.from({ length: maxOrder }, (_, i) => {
    const n = i + 1;
    const size = tree!.sizes[n];
    const summed = moments!.orders.includes(n);
    return {
      n,
      size,
      pref: layout.take(4 * size),
      point: layout.take(4 * size),
      prod: layout.take(8 * size),
      sums: summed ? layout.take(8 * moments!.blocks * size) : 0,
      comps: summed ? layout.take(8 * moments!.blocks * size) : 0,
    };
  });
  const countsAt = layout.take(8 * (moments?.blocks ?? 0));
  layout.commit();
  try {
    const buffer = inst.memory.buffer;
    new Float64Array(buffer, at.densities, codes.length).set(codes);
    new Float32Array(buffer, at.X, P * D).set(points.flat());
    new Float32Array(buffer, at.shift, P).fill(0); // erf and ReLU units are not input-normalised
    if (tree && moments) {
      const plan = new Int32Array(buffer, planAt, 6 * maxOrder);
      for (const [i, level] of levels.entries()) {
        plan.set([level.size, level.pref, level.point, level.prod, level.sums, level.comps], 6 * i);
        if (level.sums) {
          new Float64Array(buffer, level.sums, moments.blocks * level.size).fill(0);
          new Float64Array(buffer, level.comps, moments.blocks * level.size).fill(0);
        }
      }
      // One view per level's prefix and point tables (not one per tree node).
      const prefs = levels.map((level) => new Int32Array(buffer, level.pref, level.size));
      const pointsAt = levels.map((level) => new Int32Array(buffer, level.point, level.size));
      for (let j = 0; j < tree.parent.length; j++) {
        const n = tree.order[j] - 1;
        const parent = tree.parent[j];
        prefs[n][tree.rank[j]] = parent < 0 ? 0 : tree.rank[parent];
        pointsAt[n][tree.rank[j]] = tree.point[j];
      }
      new Float64Array(buffer, countsAt, moments.blocks).fill(0);
    }
    const single = inst.exports.ensemble;
    const deep = inst.exports.ensemble_deep;
    const run = (count: number, from: number) =>
      depth === 1
        ? single(act, at.densities, seed, from, count, N, P, D, at.X, at.shift, at.scratch, at.out, at.acc, at.z, moments ? maxOrder : 0, planAt, moments?.blocks ?? 1, countsAt, stages)
        : deep(act, at.densities, seed, from, count, N, P, D, depth, at.X, at.scratch, at.out, moments ? maxOrder : 0, planAt, moments?.blocks ?? 1, countsAt, stages);
    const clock = timingsEnabled();
    let inModule = 0;
    let onHost = 0;
    for (let done = 0; done < nets; done += B) {
      const count = Math.min(B, nets - done);
      const t0 = clock ? performance.now() : 0;
      run(count, first + done);
      const t1 = clock ? performance.now() : 0;
      // A copy: the consumer may call the engine again, which can grow (and detach) the memory.
      onBatch(first + done, count, new Float32Array(inst.memory.buffer, at.out, count * P).slice());
      if (clock) {
        inModule += t1 - t0;
        onHost += performance.now() - t1;
      }
    }
    addTiming('ensemble: draw, evaluate, accumulate (module)', inModule / 1000);
    addTiming('ensemble: per-batch checks and tail record (JavaScript)', onHost / 1000);
    if (!moments) return undefined;
    const sums = new Map<number, Float64Array>();
    const comps = new Map<number, Float64Array>();
    const copy = (at: number, size: number) => new Float64Array(inst.memory.buffer, at, size).slice();
    for (const level of levels) {
      if (!level.sums) continue;
      sums.set(level.n, copy(level.sums, moments.blocks * level.size));
      comps.set(level.n, copy(level.comps, moments.blocks * level.size));
    }
    return { counts: copy(countsAt, moments.blocks), sums, comps };
  } finally {
    layout.release();
  }
}

/**
 * Parameters of networks first .. first + count - 1 drawn by the module's sampler, in the layout of
 * `sampleParameters` (weights [W0, W1], biases [b0, b1]); for tests against the JavaScript sampler.
 */
export function hostEngineParameters(net: SingleLayerNet, seed: number, first: number, count: number): { weights: Float32Array[]; biases: Float32Array[] } {
  const inst = engine();
  const codes = densityCodes(net);
  if (!inst || !codes) throw new Error(`hostEngineParameters: the host engine does not serve ${net.name}`);
  const { width: N, dIn: D } = net;
  const layout = new Layout(inst);
  const dAt = layout.take(8 * codes.length);
  const sizes = [count * N * D, count * N, count * N, count];
  const offsets = sizes.map((s) => layout.take(4 * s));
  layout.commit();
  try {
    new Float64Array(inst.memory.buffer, dAt, codes.length).set(codes);
    inst.exports.sample(dAt, seed, first, count, N, D, ...offsets);
    const [W0, b0, W1, b1] = offsets.map((o, k) => new Float32Array(inst.memory.buffer, o, sizes[k]).slice());
    return { weights: [W0, W1], biases: [b0, b1] };
  } finally {
    layout.release();
  }
}

/**
 * `forEachNeuronChunk` (src/nets/sampling.ts) for a net the host engine serves, inside the module:
 * the same neurons, chunk by chunk from the same streams, and the same float64 values of phi (the
 * float64 erf of special.ts, evaluated by the module in the same operations), about three times
 * faster. `consume(start, count, values)` sees values[s * P + p], a view into the module's memory
 * valid until it returns or calls the engine.
 */
export const hostNeuronChunks: NeuronChunks = (net, points, samples, seed, consume, streamOffset = 0) => {
  const inst = engine();
  const codes = densityCodes(net);
  const act = inst ? inst.activations.indexOf(net.activation) : -1;
  if (!inst || !codes || act < 0) throw new Error(`hostNeuronChunks: the host engine does not serve ${net.name}`);
  const P = points.length;
  const D = net.dIn;
  const layout = new Layout(inst);
  const densityAt = layout.take(8 * 6);
  const xAt = layout.take(8 * P * D);
  const wAt = layout.take(8 * (D + 1));
  const valuesAt = layout.take(8 * NEURON_CHUNK * P);
  layout.commit();
  try {
    new Float64Array(inst.memory.buffer, densityAt, 6).set(codes.slice(0, 6));
    new Float64Array(inst.memory.buffer, xAt, P * D).set(points.flat());
    for (let start = 0; start < samples; start += NEURON_CHUNK) {
      const count = Math.min(NEURON_CHUNK, samples - start);
      inst.exports.probe(densityAt, seed, streamOffset + start / NEURON_CHUNK, count, D, P, xAt, act, wAt, valuesAt);
      consume(start, count, new Float64Array(inst.memory.buffer, valuesAt, NEURON_CHUNK * P));
    }
  } finally {
    layout.release();
  }
};
