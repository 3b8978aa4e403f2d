import { erfNet, gaussNet, reluNet, tanhNet, SingleLayerNet } from '../src/nets/architectures';
import { gpKernelMatrix, kernelMatrix, gpKernelQuadrature } from '../src/exact/gp-kernels';
import { sampleOutputs, twoPointFunction } from '../src/ensembles/ensemble';
import { bonferroniZ, jackknife } from '../src/statistics/stats';
import { upperTriangle } from '../src/core/arrays';
import { excessKurtosis } from '../src/exact/finite-width';
import { useBackend } from '../src/core/backend';

// Statistical tests: fixed seeds, tolerance z * stderr with z from a stated failure probability.
const FAIL_PROB = 1e-4;
const XS = [[-1], [-0.3], [0.4], [1]];

function maxPull(est: number[][], se: number[][], exact: number[][]): number {
  const e = upperTriangle(est);
  const s = upperTriangle(se);
  const x = upperTriangle(exact);
  return Math.max(...e.map((v, k) => Math.abs(v - x[k]) / s[k]));
}

beforeAll(async () => {
  await useBackend('wasm');
});

describe('Monte Carlo two-point function against the exact kernel', () => {
  const nets: [string, SingleLayerNet][] = [
    ['Erf', erfNet({ width: 8, sigmaW: 1.3, sigmaB: 0.6 })],
    ['ReLU', reluNet({ width: 3 })],
    ['Gauss', gaussNet({ width: 20, sigmaW: 0.8, sigmaB: 0.5 })],
    ['Tanh (quadrature kernel)', tanhNet({ width: 5 })],
  ];
  test.each(nets)('%s-net agrees on all pairs within z * stderr', async (_name, net) => {
    const g2 = await twoPointFunction(net, XS, { nets: 20000, seed: 1, progress: false });
    expect(g2.nets).toBe(20000);
    const z = bonferroniZ(FAIL_PROB, (XS.length * (XS.length + 1)) / 2);
    expect(maxPull(g2.mean, g2.stdErr, gpKernelMatrix(net, XS))).toBeLessThanOrEqual(z);
  });

  test('the comparison has power: a 10% wrong weight scale is rejected', async () => {
    const net = erfNet({ width: 8 });
    const wrong = erfNet({ width: 8, sigmaW: 1.1 });
    const g2 = await twoPointFunction(net, XS, { nets: 20000, seed: 2, progress: false });
    const z = bonferroniZ(FAIL_PROB, 10);
    expect(maxPull(g2.mean, g2.stdErr, gpKernelMatrix(wrong, XS))).toBeGreaterThan(z);
  });

  test('2-d inputs: W0 variance sw^2/D is honoured', async () => {
    const net = erfNet({ width: 6, dIn: 2, sigmaW: 1.5 });
    const pts = [[1, 0], [0.5, -1], [-1, 1]];
    const g2 = await twoPointFunction(net, pts, { nets: 20000, seed: 3, progress: false });
    expect(maxPull(g2.mean, g2.stdErr, kernelMatrix(gpKernelQuadrature(net), pts))).toBeLessThanOrEqual(bonferroniZ(FAIL_PROB, 6));
  });
});

describe('ensemble mechanics', () => {
  test('results do not depend on the batch size', async () => {
    const net = reluNet({ width: 16 });
    const a = await sampleOutputs(net, XS, { nets: 50, seed: 9, batchSize: 7, progress: false });
    const b = await sampleOutputs(net, XS, { nets: 50, seed: 9, batchSize: 50, progress: false });
    for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i], 5);
  });

  test('firstNet selects a later slice of the same ensemble', async () => {
    const net = erfNet({ width: 4 });
    const all = await sampleOutputs(net, XS, { nets: 30, seed: 0, progress: false });
    const tail = await sampleOutputs(net, XS, { nets: 10, seed: 0, firstNet: 20, progress: false });
    for (let i = 0; i < tail.length; i++) expect(tail[i]).toBeCloseTo(all[20 * XS.length + i], 5);
  });

  test('non-finite outputs stop the run with the network and input named', async () => {
    // Pre-activations ~ 1e22 and readout weights ~ 1e19 overflow float32 (max 3.4e38).
    // (A Gauss-net cannot be used here: its normalisation keeps exp(z - k) from overflowing.)
    const net = reluNet({ width: 4, sigmaW: 1e19 });
    await expect(sampleOutputs(net, [[1000]], { nets: 20, seed: 0, progress: false })).rejects.toThrow(/network \d+ \(seed 0\) gave a non-finite output .* at input \[1000\]/);
  });

  test('bad options name the argument and value', async () => {
    const net = erfNet({ width: 4 });
    await expect(twoPointFunction(net, XS, { nets: 0, seed: 0 })).rejects.toThrow('forEachOutputBatch: nets must be a positive integer, got 0');
    await expect(twoPointFunction(net, XS, { nets: 10, seed: -3 })).rejects.toThrow('forEachOutputBatch: seed must be a non-negative integer, got -3');
    await expect(twoPointFunction(net, [[1, 2]], { nets: 10, seed: 0 })).rejects.toThrow('twoPointFunction: inputs[0] must be a point of 1 finite coordinate(s), got [1, 2]');
  });
});

describe('finite width: excess kurtosis', () => {
  test('ReLU-net at N = 2: Monte Carlo (jackknife) equals the exact 1/N value', async () => {
    const net = reluNet({ width: 2 });
    const M = 40000;
    const B = 40;
    const f = await sampleOutputs(net, [[0.7]], { nets: M, seed: 4, progress: false });
    const per = M / B;
    const batches = Array.from({ length: B }, (_, b) => {
      let m2 = 0;
      let m4 = 0;
      for (let i = b * per; i < (b + 1) * per; i++) {
        m2 += f[i] ** 2;
        m4 += f[i] ** 4;
      }
      return [m2 / per, m4 / per];
    });
    const est = jackknife(batches, ([m2, m4]) => m4 / (m2 * m2) - 3);
    const exact = excessKurtosis(net, 0.7);
    expect(exact).toBeGreaterThan(1);
    expect(Math.abs(est.value - exact)).toBeLessThanOrEqual(bonferroniZ(FAIL_PROB, 1) * est.stdErr);
  });
});
