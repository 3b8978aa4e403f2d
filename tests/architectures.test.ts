import { cosNet, gaussNet, scalarNet, ballVolume, makeNet, withWidth, erfNet } from '../src/nets/architectures';
import { besselJ0, gpKernel, gpKernelMatrix, gpKernelQuadrature, scalarPropagator } from '../src/exact/gp-kernels';
import { finiteWidthCorrelators } from '../src/exact/finite-width';
import { ensembleCorrelators } from '../src/ensembles/correlators';
import { drawDensity, sampleParameters } from '../src/nets/sampling';
import { Rng } from '../src/core/random';
import { bonferroniZ } from '../src/statistics/stats';
import { useBackend } from '../src/core/backend';

const FAIL_PROB = 1e-4;

function maxPull(a: ArrayLike<number>, b: ArrayLike<number>, se: ArrayLike<number>): number {
  let w = 0;
  for (let k = 0; k < a.length; k++) w = Math.max(w, Math.abs(a[k] - b[k]) / se[k]);
  return w;
}

describe('parameter densities', () => {
  test('uniform-ball rows: inside the ball, E|w|^2 = D R^2 / (D + 2), isotropic', () => {
    const rng = Rng.stream(1);
    const D = 3;
    const R = 2;
    const n = 100000;
    const w = new Float64Array(n * D);
    drawDensity(rng, { kind: 'uniform-ball', radius: R }, w, 0, n, D);
    let r2 = 0;
    let x0 = 0;
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const s = w[3 * i] ** 2 + w[3 * i + 1] ** 2 + w[3 * i + 2] ** 2;
      if (s > R * R) outside++;
      r2 += s;
      x0 += w[3 * i];
    }
    expect(outside).toBe(0);
    // Var(|w|^2) = E|w|^4 - (E|w|^2)^2 with E|w|^4 = D R^4 / (D + 4).
    const mean = (D * R * R) / (D + 2);
    const sd = Math.sqrt((D * R ** 4) / (D + 4) - mean * mean);
    const z = bonferroniZ(FAIL_PROB, 2);
    expect(Math.abs(r2 / n - mean)).toBeLessThanOrEqual((z * sd) / Math.sqrt(n));
    expect(Math.abs(x0 / n)).toBeLessThanOrEqual(z * Math.sqrt(mean / D / n));
  });

  test('the Cos-net has uniform phases and no output bias; nets rebuild from their options', () => {
    const net = cosNet({ width: 4 });
    const p = sampleParameters(net, 0, 0, 500);
    const [b0, b1] = p.biases;
    expect(Math.max(...b0)).toBeLessThanOrEqual(Math.PI);
    expect(Math.min(...b0)).toBeGreaterThanOrEqual(-Math.PI);
    expect(b1.every((v) => v === 0)).toBe(true);
    expect(withWidth(net, 9).options).toEqual({ ...net.options, width: 9 });
    const s = scalarNet({ width: 3, mass: 2, cutoff: 4, dIn: 2 });
    expect(makeNet('scalar', s.options)).toEqual(s);
  });

  test('ball volumes', () => {
    expect(ballVolume(1, 2)).toBeCloseTo(4, 14);
    expect(ballVolume(2, 1)).toBeCloseTo(Math.PI, 14);
    expect(ballVolume(3, 1)).toBeCloseTo((4 / 3) * Math.PI, 14);
    expect(ballVolume(4, 1)).toBeCloseTo((Math.PI * Math.PI) / 2, 14);
  });

  test('bad options name the argument', () => {
    expect(() => scalarNet({ width: 2, mass: 0, cutoff: 1 })).toThrow('scalarNet: mass must be positive in D = 1');
    expect(() => scalarNet({ width: 2, mass: 1, cutoff: 0 })).toThrow('scalarNet: cutoff must be a positive finite number, got 0');
    expect(() => gpKernelQuadrature(cosNet({ width: 2 }))).toThrow('gpKernelQuadrature: net must be a net with Gaussian pre-activations');
  });
});

describe('the cutoff free propagator (Scalar-net kernel)', () => {
  test('J0 at known values', () => {
    expect(besselJ0(0)).toBeCloseTo(1, 14);
    expect(besselJ0(1)).toBeCloseTo(0.7651976865579666, 13);
    expect(besselJ0(5)).toBeCloseTo(-0.1775967713143383, 13);
    expect(besselJ0(30)).toBeCloseTo(-0.0863679835810403, 12);
  });
  test('K(0) in closed form for D = 1, 2, 3', () => {
    const [m, L] = [1.3, 7];
    expect(scalarPropagator(1, m, L, 0)).toBeCloseTo(Math.atan(L / m) / (Math.PI * m), 12);
    expect(scalarPropagator(2, m, L, 0)).toBeCloseTo(Math.log(1 + (L * L) / (m * m)) / (4 * Math.PI), 12);
    expect(scalarPropagator(3, m, L, 0)).toBeCloseTo((L - m * Math.atan(L / m)) / (2 * Math.PI * Math.PI), 12);
  });
  test('large cutoff: the Yukawa forms exp(-m r)/(2m) (D = 1) and exp(-m r)/(4 pi r) (D = 3)', () => {
    const m = 1;
    // Cutoff corrections are ~ cos(L r)/(L^2 r): small at L = 400, r >= 0.5.
    for (const r of [0.5, 1, 2]) {
      expect(Math.abs(scalarPropagator(1, m, 400, r) - Math.exp(-m * r) / (2 * m))).toBeLessThan(2e-5);
      expect(Math.abs(scalarPropagator(3, m, 400, r) - Math.exp(-m * r) / (4 * Math.PI * r))).toBeLessThan(2e-3 / r);
    }
  });
});

describe('Cos-net and Scalar-net ensembles', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  test('Cos-net: Monte Carlo G2, G4c, G6c equal the closed-form finite-width values (D = 2)', async () => {
    const net = cosNet({ width: 3, dIn: 2, sigmaW0: 1.2, sigmaW1: 0.9 });
    const xs = [[0, 0], [0.5, -0.3], [1, 0.4]];
    const mc = await ensembleCorrelators(net, xs, { order: 6, nets: 100000, seed: 1, progress: false });
    const ex = finiteWidthCorrelators(net, xs, { order: 6 });
    expect(ex.method).toBe('closed-form');
    const K = gpKernelMatrix(net, xs);
    ex.G2.tuples.forEach((t, k) => expect(ex.G2.value[k]).toBeCloseTo(K[t[0]][t[1]], 12));
    const n = mc.G2.value.length + mc.G4c!.value.length + mc.G6c!.value.length;
    for (const key of ['G2', 'G4c', 'G6c'] as const) expect(maxPull(mc[key]!.value, ex[key]!.value, mc[key]!.stdErr)).toBeLessThanOrEqual(bonferroniZ(FAIL_PROB, n));
  });

  test('Cos-net is Euclidean invariant at finite width; the Gauss-net only in its 2-point function', () => {
    const xs = [[0.1, 0.2], [0.9, -0.4], [-0.5, 0.7]];
    const angle = 0.7;
    const moved = xs.map(([a, b]) => [Math.cos(angle) * a - Math.sin(angle) * b + 1.5, Math.sin(angle) * a + Math.cos(angle) * b - 0.8]);
    const cos = cosNet({ width: 5, dIn: 2 });
    const a = finiteWidthCorrelators(cos, xs, { order: 6 });
    const b = finiteWidthCorrelators(cos, moved, { order: 6 });
    for (const key of ['G2', 'G4c', 'G6c'] as const) a[key]!.value.forEach((v, k) => expect(b[key]!.value[k]).toBeCloseTo(v, 12));
    const gauss = gaussNet({ width: 5, dIn: 2 });
    const g = finiteWidthCorrelators(gauss, xs, { order: 4 });
    const h = finiteWidthCorrelators(gauss, moved, { order: 4 });
    g.G2.value.forEach((v, k) => expect(h.G2.value[k]).toBeCloseTo(v, 12));
    expect(Math.abs(h.G4c!.value[0] / g.G4c!.value[0] - 1)).toBeGreaterThan(0.1);
    // ...and the two share their GP kernel (same sw): the large-N duality of TASI section 3.4.
    const Kc = gpKernel(cosNet({ width: 1, dIn: 2, sigmaW0: 1, sigmaW1: Math.SQRT2 }));
    const Kg = gpKernel(gaussNet({ width: 1, dIn: 2, sigmaW: 1, sigmaB: 0 }));
    expect(Kc(xs[0], xs[1])).toBeCloseTo(Kg(xs[0], xs[1]), 14);
  });

  test('Scalar-net (D = 1): Monte Carlo G2 equals the cutoff propagator, G4c its quadrature value', async () => {
    const net = scalarNet({ width: 5, mass: 1, cutoff: 5 });
    const ys = [[0], [0.4], [1.1]];
    const mc = await ensembleCorrelators(net, ys, { order: 4, nets: 100000, seed: 3, progress: false });
    const ex = finiteWidthCorrelators(net, ys, { order: 4 });
    const sn = finiteWidthCorrelators(net, ys, { order: 4, method: 'mc', samples: 300000, seed: 4 });
    const K = gpKernelMatrix(net, ys);
    const z = bonferroniZ(FAIL_PROB, 6 + 15 + 15);
    expect(maxPull(mc.G2.value, mc.G2.tuples.map((t) => K[t[0]][t[1]]), mc.G2.stdErr)).toBeLessThanOrEqual(z);
    expect(maxPull(mc.G4c!.value, ex.G4c!.value, mc.G4c!.stdErr)).toBeLessThanOrEqual(z);
    expect(maxPull(sn.G4c!.value, ex.G4c!.value, sn.G4c!.stdErr)).toBeLessThanOrEqual(z);
    // In D > 1 too the exact route is a radial integral (no Monte Carlo fallback); tested in exact.test.ts.
    expect(finiteWidthCorrelators(scalarNet({ width: 5, dIn: 2, mass: 1, cutoff: 3 }), [[0, 0], [1, 0]], { order: 4 }).method).toBe('quadrature');
  });

  test('NN-QFT nets are unchanged by the density refactor: erfNet streams match the documented draw order', () => {
    const net = erfNet({ width: 2, dIn: 1, sigmaW: 2, sigmaB: 0.5 });
    const p = sampleParameters(net, 7, 3, 1);
    const rng = Rng.stream(7, 3);
    const expected = [2 * rng.normal(), 2 * rng.normal(), 0.5 * rng.normal(), 0.5 * rng.normal(), Math.SQRT2 * rng.normal(), Math.SQRT2 * rng.normal(), 0.5 * rng.normal()];
    const [[W0, W1], [b0, b1]] = [p.weights, p.biases];
    expect([...W0, ...b0, ...W1, ...b1].map((v) => Math.fround(v))).toEqual(expected.map((v) => Math.fround(v)));
  });
});

describe('deep MLPs', () => {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { mlp } = require('../src/nets/architectures') as typeof import('../src/nets/architectures');
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { sampleOutputs } = require('../src/ensembles/ensemble') as typeof import('../src/ensembles/ensemble');
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { measureCorrelators, correlatorsOf } = require('../src/ensembles/correlators') as typeof import('../src/ensembles/correlators');
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { mergeRuns, runNet } = require('../src/ensembles/runs') as typeof import('../src/ensembles/runs');
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { kernelOf } = require('../src/exact/infinite-width') as typeof import('../src/exact/infinite-width');

  beforeAll(async () => {
    await useBackend('wasm');
  });

  test('depth 1 is exactly the single-layer net (same densities, same draw order)', async () => {
    const xs = [[-1], [0.3], [1]];
    const a = await sampleOutputs(erfNet({ width: 40, sigmaW: 1.3, sigmaB: 0.4 }), xs, { nets: 30, seed: 2, progress: false });
    const b = await sampleOutputs(mlp({ depth: 1, width: 40, activation: 'erf', sigmaW: 1.3, sigmaB: 0.4 }), xs, { nets: 30, seed: 2, progress: false });
    for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(1e-5 * (1 + Math.abs(a[i])));
  });

  test('depth-2 ReLU MLP: G2 follows the layer recursion of its own description (within z * stderr plus a named O(1/N) allowance)', async () => {
    // The exact side is kernelOf(net), read from the same Net the sampler draws (its recursion is
    // checked against quadrature and the single-layer closed forms in dynamics.test.ts); here the
    // Monte Carlo ensemble is the independent route.
    const N = 256;
    const xs = [[-1], [0.4]];
    const net = mlp({ depth: 2, width: N, activation: 'relu', sigmaB: 1 });
    const K = kernelOf(net, xs).nngp;
    const c = correlatorsOf(await measureCorrelators(net, xs, { order: 2, nets: 6000, seed: 3, progress: false }));
    const z = bonferroniZ(FAIL_PROB, 3);
    c.G2.tuples.forEach((t, k) => {
      const exact = K[t[0]][t[1]];
      // At depth >= 2 the 2-point function has 1/N corrections (the hidden layer is not Gaussian at finite N).
      const finiteWidth = (4 * exact) / N;
      expect(Math.abs(c.G2.value[k] - exact)).toBeLessThanOrEqual(z * c.G2.stdErr[k] + finiteWidth);
    });
    // ...and a 20% wrong weight variance is detected by the same comparison.
    const wrong = correlatorsOf(await measureCorrelators(mlp({ depth: 2, width: N, activation: 'relu', sigmaB: 1, sigmaW: Math.sqrt(1.2) }), xs, { order: 2, nets: 6000, seed: 3, progress: false }));
    expect(Math.abs(wrong.G2.value[0] - K[0][0])).toBeGreaterThan(z * wrong.G2.stdErr[0] + (4 * K[0][0]) / N);
  });

  test('the abc-parameterizations give the documented effective densities (TASI eqs. (101)-(105))', () => {
    const N = 64;
    const v = (net: ReturnType<typeof mlp>) => net.layers.map((l) => (l.weight as { variance: number }).variance);
    // NTK and standard: sw^2/D, sw^2/N, ..., sw^2/N; muP: the readout gets another 1/N (gamma0 N^(1/2) squared).
    expect(v(mlp({ depth: 2, width: N, activation: 'relu', dIn: 2, sigmaW: 1.5 }))).toEqual([1.5 ** 2 / 2, 1.5 ** 2 / N, 1.5 ** 2 / N]);
    expect(v(mlp({ depth: 2, width: N, activation: 'relu', parameterization: 'standard' }))).toEqual([1, 1 / N, 1 / N]);
    const mup = v(mlp({ depth: 2, width: N, activation: 'relu', parameterization: 'mup', gamma0: 2 }));
    [1, 1 / N, 1 / (N * 4 * N)].forEach((want, l) => expect(mup[l]).toBeCloseTo(want, 15));
    // Every consumer reads the same description: the single-layer constructors are depth-1 nets.
    const erf = erfNet({ width: N, sigmaW: 1.3, sigmaB: 0.4 });
    const deep1 = mlp({ depth: 1, width: N, activation: 'erf', sigmaW: 1.3, sigmaB: 0.4 });
    expect(erf.layers).toEqual(deep1.layers);
    expect([erf.depth, erf.parameterization.name]).toEqual([1, 'ntk']);
  });

  test('deep-net runs shard, merge and rebuild their net', async () => {
    const net = mlp({ depth: 2, width: 16, activation: 'tanh' });
    const xs = [[0], [1]];
    const a = await measureCorrelators(net, xs, { order: 4, nets: 300, seed: 1, progress: false, workers: 1 });
    const b = await measureCorrelators(net, xs, { order: 4, nets: 300, firstNet: 300, seed: 1, progress: false, workers: 1 });
    const whole = await measureCorrelators(net, xs, { order: 4, nets: 600, seed: 1, progress: false, workers: 1 });
    const merged = correlatorsOf(mergeRuns([b, a]));
    correlatorsOf(whole).G4c!.value.forEach((v, k) => expect(merged.G4c!.value[k]).toBeCloseTo(v, 10));
    expect(runNet(whole)).toEqual(net);
  });

  test('bad MLP options name the argument', () => {
    expect(() => mlp({ depth: 0, width: 4, activation: 'relu' })).toThrow('mlp: depth must be a positive integer, got 0');
    expect(() => mlp({ depth: 2, width: 4, activation: 'gauss' })).toThrow(/^mlp: activation must be an activation that does not depend on the input .*got "gauss"/);
    expect(() => mlp({ depth: 2, width: 4, activation: 'swish' as never })).toThrow(/^mlp: activation must be one of erf, relu, tanh, gauss, cos, identity, sigmoid, softplus, gelu, leaky_relu, sin, got "swish"/);
    expect(() => mlp({ depth: 2, width: 4, activation: 'relu', parameterization: 'sp' as never })).toThrow(/^mlp: parameterization must be one of standard, ntk, mup/);
  });
});

describe('custom densities', () => {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { withDensities, customDensities } = require('../src/nets/architectures') as typeof import('../src/nets/architectures');
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { measureCorrelators, correlatorsOf } = require('../src/ensembles/correlators') as typeof import('../src/ensembles/correlators');
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { runNet } = require('../src/ensembles/runs') as typeof import('../src/ensembles/runs');

  // Laplace-distributed first-layer weights with variance 1/2 (scale b: variance 2 b^2), drawn by user code.
  const laplace = {
    kind: 'custom' as const,
    name: 'laplace(b=0.5)',
    variance: 0.5,
    draw: (rng: Rng, out: Float32Array | Float64Array, offset: number, rows: number, cols: number) => {
      for (let k = 0; k < rows * cols; k++) {
        const u = rng.uniform() - 0.5;
        out[offset + k] = -0.5 * Math.sign(u) * Math.log(1 - 2 * Math.abs(u));
      }
    },
  };

  beforeAll(async () => {
    await useBackend('wasm');
  });

  test('a net with a custom first layer: ensemble Monte Carlo equals single-neuron Monte Carlo; exact routes refuse', async () => {
    const net = withDensities(erfNet({ width: 3 }), { W0: laplace });
    expect(customDensities(net)).toEqual(['laplace(b=0.5)']);
    const xs = [[-1], [0.5]];
    const run = await measureCorrelators(net, xs, { order: 4, nets: 60000, seed: 5, progress: false });
    const mc = correlatorsOf(run);
    const sn = finiteWidthCorrelators(net, xs, { order: 4, method: 'mc', samples: 300000, seed: 6 });
    const z = bonferroniZ(FAIL_PROB, 3 + 5);
    for (const key of ['G2', 'G4c'] as const) {
      mc[key]!.value.forEach((v, k) => expect(Math.abs(v - sn[key]!.value[k])).toBeLessThanOrEqual(z * Math.hypot(mc[key]!.stdErr[k], sn[key]!.stdErr[k])));
    }
    // The Laplace first layer is not a Gaussian one of the same variance: their G4c differ, resolvably.
    const gaussianFirst = finiteWidthCorrelators(withDensities(erfNet({ width: 3 }), { W0: { kind: 'normal', mean: 0, variance: 0.5 } }), xs, { order: 4 });
    const pulls = Array.from(sn.G4c!.value, (v, k) => Math.abs(v - gaussianFirst.G4c!.value[k]) / sn.G4c!.stdErr[k]);
    expect(Math.max(...pulls)).toBeGreaterThan(bonferroniZ(FAIL_PROB, pulls.length));
    expect(() => finiteWidthCorrelators(net, xs, { order: 4 })).toThrow('the first-layer densities are not Gaussian');
    expect(() => runNet(run)).toThrow('custom densities (laplace(b=0.5))');
  });
});
