/**
 * The host ensemble engine (src/ensembles/wasm-engine.ts, src/ensembles/wasm/engine.c) against the
 * JavaScript routes it replaces, bit for bit: the sampler (sampleParameters), the forward pass (the
 * fused kernel's loop), the moment sums (MomentAccumulator.add) and the hidden-unit probe
 * (forEachNeuronChunk). Equality is exact (Object.is on every number), so any change of rounding
 * or of the order of operations fails here. Deep MLPs (evaluated row by row as they are drawn) are
 * checked against a float64 forward pass of sampleParameters' networks, to float32 accuracy.
 */
import { erfNet, reluNet, withDensities, cosNet, gaussNet, tanhNet, SingleLayerNet, mlp } from '../src/nets/architectures';
import { ACTIVATION_REGISTRY } from '../src/nets/activations';
import { forEachNeuronChunk, sampleParameters } from '../src/nets/sampling';
import { MomentAccumulator, momentTree } from '../src/statistics/moments';
import { TailRecord } from '../src/statistics/tails';
import { hostEngineParameters, hostEngineServes, hostNeuronChunks, runHostEngine, wasmForward } from '../src/ensembles/wasm-engine';
import { accumulateMoments, onHostEngine } from '../src/ensembles/ensemble';

const sixInputs = [-1, -0.6, -0.2, 0.2, 0.6, 1].map((x) => [x]);

/** Nets and points covering D = 1 and D > 1, both SIMD units, an absent bias and a width not divisible by 4. */
const CASES: [string, SingleLayerNet, number[][]][] = [
  ['Erf-net N = 10, six inputs', erfNet({ width: 10 }), sixInputs],
  ['Erf-net N = 37, D = 2, sb = 0.5', erfNet({ width: 37, dIn: 2, sigmaB: 0.5 }), [[0.1, 0.2], [-1, 0.5], [2, 1]]],
  ['ReLU-net N = 7, sw = 2', reluNet({ width: 7, sigmaW: 2 }), [[-1], [0.5], [3]]],
  ['Erf-net N = 9 without output bias', withDensities(erfNet({ width: 9 }), { b1: { kind: 'zero' } }), [[-0.5], [1]]],
];

function countMismatches(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let bad = 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) bad++;
  return bad;
}

describe('host engine: the same numbers as the JavaScript routes', () => {
  test.each(CASES)('%s: parameters, outputs and moment sums are bit-identical', (_, net, points) => {
    expect(hostEngineServes(net)).toBe(true);
    const seed = 7;
    const first = 2 ** 40 + 5; // stream indices above 2^32 exercise the high word of the seeding
    const M = 600; // a few hundred thousand normals: the ziggurat's slow path runs many times
    const mine = hostEngineParameters(net, seed, first, M);
    const ref = sampleParameters(net, seed, first, M);
    for (let l = 0; l < 2; l++) {
      expect(countMismatches(mine.weights[l], ref.weights[l])).toBe(0);
      expect(countMismatches(mine.biases[l], ref.biases[l])).toBe(0);
    }

    const P = points.length;
    const forward = new Float32Array(M * P);
    wasmForward(net.activation)!(ref.weights[0], ref.biases[0], ref.weights[1], ref.biases[1], points.flat(), new Float32Array(P), M, net.width, P, net.dIn, forward);
    // ... and the JavaScript loop of the fused kernel agrees with the SIMD loop to float32 erf accuracy
    const orders = [2, 4, 6];
    const reference = new MomentAccumulator(P, orders);
    reference.add(first, M, forward);

    const outputs = new Float32Array(M * P);
    const tails = new TailRecord(P);
    const batches: number[] = [];
    const sums = runHostEngine(net, points, seed, first, M, 97, (start, count, out) => {
      batches.push(count);
      outputs.set(out, (start - first) * P);
      tails.add(count, out);
    }, { tree: momentTree(P, orders), orders, blocks: 32 })!;
    expect(batches.reduce((a, b) => a + b, 0)).toBe(M);
    expect(countMismatches(outputs, forward)).toBe(0);
    const engine = MomentAccumulator.fromSums(P, orders, 32, { ...sums, tails });
    expect(JSON.stringify(engine.toJSON())).toBe(JSON.stringify(reference.toJSON()));
  });

  test.each([
    ['erf MLP, depth 3, N = 37, D = 2, sb = 0.5', mlp({ depth: 3, width: 37, activation: 'erf', dIn: 2, sigmaW: 1.3, sigmaB: 0.5 }), [[0.1, 0.2], [-1, 0.5], [2, 1]]],
    ['ReLU MLP, depth 4, N = 16, no biases', mlp({ depth: 4, width: 16, activation: 'relu', sigmaW: Math.SQRT2 }), [[-1], [0.5], [3]]],
  ] as const)('deep MLPs (%s): the parameters of sampleParameters, evaluated row by row, and the same moment sums', (_, net, pts) => {
    // The forward pass in float64 from the JavaScript sampler's parameters: the engine must have drawn
    // the same numbers in the same order (float32 sums and the float32 erf differ by ~1e-6 relative).
    const points = pts.map((x) => [...x]);
    const M = 40;
    const seed = 3;
    const { weights, biases } = sampleParameters(net, seed, 0, M);
    const { width: N, dIn: D, depth } = net;
    const act = ACTIVATION_REGISTRY[net.activation].fn;
    const P = points.length;
    const outputs = new Float32Array(M * P);
    const tails = new TailRecord(P);
    const sums = runHostEngine(net, points, seed, 0, M, 13, (start, count, out) => {
      outputs.set(out, start * P);
      tails.add(count, out);
    }, { tree: momentTree(P, [2, 4]), orders: [2, 4], blocks: 8 })!;
    for (let m = 0; m < M; m++) {
      for (let p = 0; p < P; p++) {
        let a = Array.from({ length: N }, (__, i) => act(biases[0][m * N + i] + points[p].reduce((s, x, j) => s + weights[0][(m * N + i) * D + j] * x, 0)));
        for (let l = 1; l < depth; l++) a = Array.from({ length: N }, (__, i) => act(biases[l][m * N + i] + a.reduce((s, v, j) => s + weights[l][(m * N + i) * N + j] * v, 0)));
        const f = biases[depth][m] + a.reduce((s, v, j) => s + weights[depth][m * N + j] * v, 0);
        expect(Math.abs(outputs[m * P + p] - f)).toBeLessThan(2e-5 * (1 + Math.abs(f)));
      }
    }
    const reference = new MomentAccumulator(P, [2, 4], 8);
    reference.add(0, M, outputs);
    const engine = MomentAccumulator.fromSums(P, [2, 4], 8, { ...sums, tails });
    expect(JSON.stringify(engine.toJSON())).toBe(JSON.stringify(reference.toJSON()));
  });

  test('the result does not depend on the batch size or on splitting the networks', () => {
    const net = erfNet({ width: 6 });
    const P = sixInputs.length;
    const run = (batch: number, from: number, count: number) => {
      const tails = new TailRecord(P);
      const sums = runHostEngine(net, sixInputs, 3, from, count, batch, (_, c, out) => tails.add(c, out), { tree: momentTree(P, [2, 4]), orders: [2, 4], blocks: 8 })!;
      return MomentAccumulator.fromSums(P, [2, 4], 8, { ...sums, tails });
    };
    const whole = JSON.stringify(run(1000, 0, 1000).toJSON());
    expect(JSON.stringify(run(3, 0, 1000).toJSON())).toBe(whole);
    expect(JSON.stringify(run(64, 0, 1000).toJSON())).toBe(whole);
    // Shards merge into the same estimates up to float64 rounding of the merge.
    const merged = run(64, 0, 400).merge(run(64, 400, 600));
    const a = merged.connected(4);
    const b = run(1000, 0, 1000).connected(4);
    for (let k = 0; k < a.value.length; k++) expect(Math.abs(a.value[k] - b.value[k])).toBeLessThanOrEqual(1e-12 * Math.abs(b.value[k]));
  });

  test('a consumer that calls the engine again from its callback gets its own memory', () => {
    const net = erfNet({ width: 200 });
    const P = sixInputs.length;
    const run = (nested: boolean) => {
      const tails = new TailRecord(P);
      const sums = runHostEngine(net, sixInputs, 1, 0, 300, 50, (_, count, out) => {
        // a big nested call that grows the module's memory (and detaches every earlier view)
        if (nested) runHostEngine(erfNet({ width: 4000 }), sixInputs, 2, 0, 60, 60, () => {}, { tree: momentTree(P, [2, 4, 6]), orders: [2, 4, 6], blocks: 256 });
        tails.add(count, out);
      }, { tree: momentTree(P, [2, 4]), orders: [2, 4], blocks: 32 })!;
      return JSON.stringify(MomentAccumulator.fromSums(P, [2, 4], 32, { ...sums, tails }).toJSON());
    };
    expect(run(true)).toBe(run(false));
  });

  test('accumulateMoments gives the same accumulator by the host engine and by the tensor route', async () => {
    const net = erfNet({ width: 12 });
    const options = { nets: 700, seed: 11, firstNet: 3, progress: false };
    const host = await accumulateMoments(net, sixInputs, options, [2, 4, 6]);
    const tensor = await accumulateMoments(net, sixInputs, { ...options, fused: false, batchSize: 128 }, [2, 4, 6]);
    // The tensor route with fused: false evaluates by composite tfjs ops (float32 sums over units), so
    // its outputs differ in the last float32 bits; the fused tensor route is the bit-identical one.
    const fusedTensor = await accumulateMoments(net, sixInputs, { ...options, batchSize: 128 }, [2, 4, 6]);
    expect(JSON.stringify(fusedTensor.toJSON())).toBe(JSON.stringify(host.toJSON()));
    const a = host.moments(2);
    const b = tensor.moments(2);
    for (let k = 0; k < a.value.length; k++) expect(Math.abs(a.value[k] - b.value[k])).toBeLessThan(1e-5 * Math.abs(a.value[k]) + 1e-6);
  });

  test('the hidden-unit probe draws the same neurons and the same float64 values', () => {
    for (const [net, points] of [
      [erfNet({ width: 10, dIn: 2, sigmaW: 2, sigmaB: 1.5 }), [[0.1, 0.2], [-1, 0.5], [2, 1]]],
      [reluNet({ width: 10 }), [[-1], [0.5], [2]]],
    ] as [SingleLayerNet, number[][]][]) {
      const mine: number[] = [];
      const ref: number[] = [];
      hostNeuronChunks(net, points, 9000, 5, (_, count, values) => mine.push(...values.subarray(0, count * points.length)), 2 ** 50);
      forEachNeuronChunk(net, points, 9000, 5, (_, count, values) => ref.push(...values.subarray(0, count * points.length)), 2 ** 50);
      expect(mine.length).toBe(9000 * points.length);
      expect(countMismatches(mine, ref)).toBe(0);
    }
  });
});

describe('which route runs', () => {
  test('the engine serves erf and ReLU nets (single-layer or deep MLPs) with normal or absent parameters only', () => {
    expect(hostEngineServes(erfNet({ width: 3 }))).toBe(true);
    expect(hostEngineServes(mlp({ depth: 5, width: 3, activation: 'relu' }))).toBe(true);
    expect(hostEngineServes(mlp({ depth: 5, width: 3, activation: 'tanh' }))).toBe(false);
    expect(hostEngineServes(tanhNet({ width: 3 }))).toBe(false); // no SIMD unit
    expect(hostEngineServes(gaussNet({ width: 3 }))).toBe(false);
    expect(hostEngineServes(cosNet({ width: 3 }))).toBe(false); // uniform phases
    expect(hostEngineServes(withDensities(erfNet({ width: 3 }), { W0: { kind: 'uniform', low: -1, high: 1 } }))).toBe(false);
  });

  test('fused: false and a CUDA request send a net to the tensor route; a CPU backend keeps the engine', async () => {
    expect(await onHostEngine(erfNet({ width: 3 }), { fused: false })).toBe(false);
    // A fresh copy of backend-choice.ts: nothing active yet, so the request decides.
    const decide = (env: string | undefined): boolean | undefined => {
      const saved = process.env.NNFT_BACKEND;
      try {
        if (env === undefined) delete process.env.NNFT_BACKEND;
        else process.env.NNFT_BACKEND = env;
        let answer: boolean | undefined;
        jest.isolateModules(() => {
          answer = (require('../src/core/backend-choice') as typeof import('../src/core/backend-choice')).cpuTensorBackend();
        });
        return answer;
      } finally {
        if (saved === undefined) delete process.env.NNFT_BACKEND;
        else process.env.NNFT_BACKEND = saved;
      }
    };
    expect(decide('tensorflow')).toBe(false);
    expect(decide('cpu')).toBe(true);
    expect(decide('wasm')).toBe(true);
    let cuda = true;
    try {
      require.resolve('@tensorflow/tfjs-node-gpu');
    } catch {
      cuda = false;
    }
    expect(decide(undefined)).toBe(cuda ? undefined : true); // with the CUDA package installed, only loading it can tell
    expect(() => decide('gpu')).toThrow(/NNFT_BACKEND must be one of auto, tensorflow, wasm, cpu, got "gpu"/);
  });
});
