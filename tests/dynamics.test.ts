import { cosNet, erfNet, mlp, reluNet, withDensities } from '../src/nets/architectures';
import { gpKernel } from '../src/exact/gp-kernels';
import { kernelOf } from '../src/exact/infinite-width';
import { PARAMETERIZATIONS, featureLearningFamily, learningRate, scalingGoals } from '../src/nets/parameterization';
import { disposeParameters, initParameters, memberMatMul, outputs } from '../src/dynamics/parameters';
import { empiricalNtk } from '../src/dynamics/empirical-ntk';
import { coordinateCheck, trainEnsemble } from '../src/dynamics/training';
import { frozenNtkMoments, frozenNtkTrajectory, gpPosterior, kernelBlocks } from '../src/dynamics/frozen-ntk';
import { tf, useBackend } from '../src/core/backend';
import { bonferroniZ } from '../src/statistics/stats';
import { main } from '../src/cli';

beforeAll(async () => {
  await useBackend('wasm');
});

const XS = [[-1], [-0.3], [0.5], [1.2]];
const relFrobenius = (A: number[][], B: number[][]) => {
  let num = 0, den = 0;
  A.forEach((row, p) => row.forEach((v, q) => ((num += (v - B[p][q]) ** 2), (den += B[p][q] ** 2))));
  return Math.sqrt(num / den);
};

describe('infinite-width NNGP and NTK recursion', () => {
  test('one hidden layer: the NNGP kernel is the single-layer GP kernel of the NN-QFT nets (another code path)', () => {
    for (const [act, sigmaB] of [['relu', 0.4], ['erf', 0.4], ['relu', 0], ['erf', 0]] as const) {
      const net = (act === 'relu' ? reluNet : erfNet)({ width: 1, sigmaW: 1.3, sigmaB });
      // sigmaB = 0: the MLP has no bias blocks at all, the NN-QFT net biases of variance 0.
      const { nngp } = kernelOf(mlp({ activation: act, depth: 1, width: 1, sigmaW: 1.3, sigmaB }), XS);
      const K = gpKernel(net);
      XS.forEach((x, p) => XS.forEach((y, q) => expect(Math.abs(nngp[p][q] - K(x, y))).toBeLessThan(1e-12)));
    }
  });

  test('closed forms equal Gauss-Hermite quadrature (erf to 1e-6; relu, whose derivative jumps, to 6e-3)', () => {
    for (const [act, tol] of [['erf', 1e-6], ['relu', 6e-3]] as const) {
      const opts = { activation: act, depth: 3, sigmaW: 1.4, sigmaB: 0.2 };
      const closed = kernelOf(mlp({ ...opts, width: 1 }), XS);
      const quad = kernelOf(mlp({ ...opts, width: 1 }), XS, { forceQuadrature: true, quadratureOrder: 100 });
      expect(relFrobenius(quad.nngp, closed.nngp)).toBeLessThan(tol);
      expect(relFrobenius(quad.ntk, closed.ntk)).toBeLessThan(tol);
    }
  });

  test('ReLU recursion by hand at one point: K and Theta over two hidden layers', () => {
    // K1 = 1.09; K2 = K1/2 + 0.09, Theta2 = K2 + K1/2; K3 = K2/2 + 0.09, Theta3 = K3 + Theta2/2
    const { nngp, ntk } = kernelOf(mlp({ activation: 'relu', depth: 2, width: 1, sigmaW: 1, sigmaB: 0.3 }), [[1]]);
    const K1 = 1.09, K2 = K1 / 2 + 0.09, T2 = K2 + K1 / 2, K3 = K2 / 2 + 0.09, T3 = K3 + T2 / 2;
    expect(nngp[0][0]).toBeCloseTo(K3, 14);
    expect(ntk[0][0]).toBeCloseTo(T3, 14);
  });

  test('bad arguments name themselves', () => {
    expect(() => mlp({ activation: 'swish' as never, depth: 1, width: 1 })).toThrow(/activation must be one of .*got "swish"/);
    expect(() => mlp({ activation: 'relu', depth: -1, width: 1 })).toThrow(/depth must be a positive integer, got -1/);
    expect(() => kernelOf(mlp({ activation: 'relu', depth: 1, width: 1 }), [])).toThrow(/^kernelOf: inputs must be a non-empty array/);
    expect(() => kernelOf(mlp({ activation: 'relu', depth: 1, width: 1, dIn: 2 }), [[1]])).toThrow(/^kernelOf: /);
    expect(() => kernelOf(erfNet({ width: 3 }), XS, { quadratureOrder: 0 })).toThrow(/^kernelOf: quadratureOrder must be a positive integer, got 0/);
  });
});

describe('empirical NTK (tfjs autodiff)', () => {
  test('equals the hand-written gradient sum of TASI eqs. (89)-(91) for a one-hidden-layer net with biases', () => {
    const N = 7;
    const net = mlp({ parameterization: 'ntk', width: N, depth: 1, activation: 'tanh', sigmaW: 1.3, sigmaB: 0.4 });
    const params = initParameters(net, 2, 5);
    const auto = empiricalNtk(net, params, XS);
    const [W1, w2] = params.weights.map((t) => Float64Array.from(t.dataSync()));
    const [b1] = params.biases.map((t) => Float64Array.from(t.dataSync()));
    const [m1, m2] = [1.3, 1.3 / Math.sqrt(N)]; // sigma_w N^-a_1 D^-1/2 and sigma_w N^-a (NTK: a_1 = 0, a = 1/2)
    for (let e = 0; e < 2; e++) {
      const z = (x: number[]) => Array.from({ length: N }, (_, i) => m1 * W1[e * N + i] * x[0] + 0.4 * b1[e * N + i]);
      const hand = XS.map((x) => XS.map((y) => {
        const zx = z(x), zy = z(y);
        let s = 0.4 * 0.4; // readout bias
        for (let i = 0; i < N; i++) {
          const w = w2[e * N + i];
          s += m2 * m2 * Math.tanh(zx[i]) * Math.tanh(zy[i]); // readout weights
          s += m2 * m2 * w * w * (1 - Math.tanh(zx[i]) ** 2) * (1 - Math.tanh(zy[i]) ** 2) * (m1 * m1 * x[0] * y[0] + 0.4 * 0.4); // first layer
        }
        return s;
      }));
      expect(relFrobenius(auto[e], hand)).toBeLessThan(1e-5); // float32 gradients
    }
    disposeParameters(params);
  });

  test('ensemble mean of the empirical NTK equals the analytic NTK within z standard errors (tanh: quadrature path; relu, 2 layers)', () => {
    const z = bonferroniZ(1e-4, 2 * 10);
    for (const [act, L] of [['tanh', 1], ['relu', 2]] as const) {
      const opts = { activation: act, depth: L, sigmaW: 1.2, sigmaB: 0.3 };
      const exact = kernelOf(mlp({ ...opts, width: 1 }), XS).ntk;
      const net = mlp({ parameterization: 'ntk', width: 256, ...opts });
      const params = initParameters(net, 24, 9);
      const th = empiricalNtk(net, params, XS);
      disposeParameters(params);
      const E = th.length;
      XS.forEach((_, p) => XS.forEach((__, q) => {
        if (q < p) return;
        const mean = th.reduce((s, T) => s + T[p][q], 0) / E;
        const se = Math.sqrt(th.reduce((s, T) => s + (T[p][q] - mean) ** 2, 0) / (E - 1) / E);
        // finite-width bias of the mean is O(1/N) = 0.4% here; the standard error is about 1%
        expect(Math.abs(mean - exact[p][q])).toBeLessThan(z * se + 0.01 * Math.abs(exact[p][q]));
      }));
    }
  });

  test('relative error against the analytic NTK falls like 1/sqrt(width) (log-log slope -1/2)', () => {
    const opts = { activation: 'erf' as const, depth: 1, sigmaW: 1.2, sigmaB: 0.3 };
    const exact = kernelOf(mlp({ ...opts, width: 1 }), XS).ntk;
    const widths = [32, 128, 512, 2048];
    const logErr = widths.map((N) => {
      const net = mlp({ parameterization: 'ntk', width: N, ...opts });
      const params = initParameters(net, 32, 11);
      const errs = empiricalNtk(net, params, XS).map((T) => relFrobenius(T, exact) ** 2);
      disposeParameters(params);
      return 0.5 * Math.log(errs.reduce((a, b) => a + b, 0) / errs.length); // log RMS error
    });
    const lx = widths.map(Math.log);
    const mx = lx.reduce((a, b) => a + b, 0) / lx.length, my = logErr.reduce((a, b) => a + b, 0) / logErr.length;
    const slope = lx.reduce((s, x, k) => s + (x - mx) * (logErr[k] - my), 0) / lx.reduce((s, x) => s + (x - mx) ** 2, 0);
    // RMS over 32 networks: each log error is known to about 1/sqrt(2 * 32) = 0.13, the slope to ~0.06
    expect(Math.abs(slope + 0.5)).toBeLessThan(0.2);
  });
});

describe('the exactly solvable model', () => {
  const xTrain = [[-2], [-1], [0], [1], [2]];
  const yTrain = xTrain.map(([x]) => Math.sin(1.5 * x));
  const xTest = [[-1.5], [-0.5], [0.5], [1.5], [2.5]];
  const opts = { activation: 'erf' as const, depth: 1, sigmaW: 1.5, sigmaB: 0.5 };
  const k = kernelOf(mlp({ ...opts, width: 1 }), [...xTrain, ...xTest]);
  const ntk = kernelBlocks(k.ntk, 5);
  const nngp = kernelBlocks(k.nngp, 5);

  test('eq. (96) is the solution of the linearised dynamics: explicit float64 iteration, t = 0, memorisation at t = infinity', () => {
    const phi0 = [0.3, -0.2, 0.5, 0.1, -0.4, 0.25, -0.1, 0.2, 0.05, -0.3];
    const eta = 0.2, T = 150;
    const all = kernelBlocks(k.ntk, 5);
    const full = { trainTrain: all.trainTrain, testTrain: k.ntk.map((r) => r.slice(0, 5)) };
    let f = [...phi0];
    for (let s = 0; s < T; s++) {
      const r = f.slice(0, 5).map((v, a) => v - yTrain[a]);
      f = f.map((v, p) => v - (eta / 5) * full.testTrain[p].reduce((acc, t, a) => acc + t * r[a], 0));
    }
    const [at0, atT, atInf] = frozenNtkTrajectory(full, yTrain, phi0.slice(0, 5), phi0, { eta, times: [0, T, Infinity], discrete: true });
    at0.forEach((v, p) => expect(v).toBeCloseTo(phi0[p], 12));
    atT.forEach((v, p) => expect(Math.abs(v - f[p])).toBeLessThan(1e-10));
    atInf.slice(0, 5).forEach((v, a) => expect(Math.abs(v - yTrain[a])).toBeLessThan(1e-10)); // eq. (98)
    // continuous time (the lectures' eq.) and discrete steps agree to O(eta lambda / n)
    const cont = frozenNtkTrajectory(full, yTrain, phi0.slice(0, 5), phi0, { eta: 0.001, times: [20000] })[0];
    const disc = frozenNtkTrajectory(full, yTrain, phi0.slice(0, 5), phi0, { eta: 0.001, times: [20000], discrete: true })[0];
    cont.forEach((v, p) => expect(Math.abs(v - disc[p])).toBeLessThan(2e-3));
  });

  test('with Theta = K, the t = infinity ensemble is the GP posterior (mean and covariance)', () => {
    const m = frozenNtkMoments(nngp, yTrain, { eta: 1, times: [Infinity] }, nngp);
    const post = gpPosterior(nngp, yTrain, 0);
    m.mean[0].forEach((v, i) => expect(Math.abs(v - post.mean[i])).toBeLessThan(1e-9));
    m.covariance![0].forEach((row, i) => row.forEach((v, j) => expect(Math.abs(v - post.covariance[i][j])).toBeLessThan(1e-8)));
    expect(() => gpPosterior({ trainTrain: [[1, 1], [1, 1]], testTrain: [[1, 1]], testTest: [[1]] }, [0, 1])).toThrow(/positive definite/);
  });

  test('a trained ensemble of wide NTK-parameterized nets follows the ensemble mean of eq. (96) and reaches eq. (99)', () => {
    const N = 2048, E = 32;
    const eta = (0.5 * 5) / 15.9; // half the stable step for the largest NTK eigenvalue (15.9)
    const times = [0, 20, 100, 400];
    const theory = frozenNtkMoments(ntk, yTrain, { eta, times, discrete: true }, nngp);
    const net = mlp({ parameterization: 'ntk', width: N, ...opts });
    const params = initParameters(net, E, 2);
    const rec = trainEnsemble(net, params, { xTrain, yTrain, xTest, eta0: eta, steps: 400, recordAt: times });
    disposeParameters(params);
    const z = bonferroniZ(1e-3, times.length * xTest.length);
    rec.steps.forEach((s, i) => {
      const th = theory.mean[times.indexOf(s)];
      xTest.forEach((_, p) => {
        const vals = rec.outputs[i].map((o) => o[p]);
        const mean = vals.reduce((a, b) => a + b, 0) / E;
        const se = Math.sqrt(vals.reduce((a, v) => a + (v - mean) ** 2, 0) / (E - 1) / E);
        // finite-width term: the mean moves by O(1/N); 0.01 at N = 128, so < 0.001 here
        expect(Math.abs(mean - th[p])).toBeLessThan(z * se + 0.001);
      });
    });
    // the spread over initialisations is the predicted covariance (ratio of variances near 1)
    const last = rec.outputs[rec.outputs.length - 1];
    const v0 = last.reduce((a, o) => a + o[0] * o[0], 0) / E - (last.reduce((a, o) => a + o[0], 0) / E) ** 2;
    expect(v0 / theory.covariance![3][0][0]).toBeGreaterThan(0.4);
    expect(v0 / theory.covariance![3][0][0]).toBeLessThan(2);
  });
});

describe('parameterizations and feature learning', () => {
  test("the presets' goals: standard blows up, NTK is lazy, muP learns features at a width-independent rate", () => {
    expect(scalingGoals('standard')).toMatchObject({ finitePreactivations: true, finiteLearning: false, featureLearning: false, widthIndependentRate: true });
    expect(scalingGoals('ntk')).toMatchObject({ finitePreactivations: true, finiteLearning: true, featureLearning: false, widthIndependentRate: true });
    expect(scalingGoals('mup')).toMatchObject({ finitePreactivations: true, finiteLearning: true, featureLearning: true, widthIndependentRate: true });
    const family = featureLearningFamily(0);
    for (const key of ['a1', 'b1', 'a', 'b', 'c', 'd'] as const) expect(family[key]).toBe(PARAMETERIZATIONS.mup[key]);
    expect(scalingGoals(featureLearningFamily(0.25))).toMatchObject({ featureLearning: true, widthIndependentRate: false, rateExponent: 0.5 });
    expect(learningRate(featureLearningFamily(0.25), 100, 0.1)).toBeCloseTo(1, 12);
    expect(() => mlp({ parameterization: 'sp' as never, width: 4, depth: 1, activation: 'relu' })).toThrow(/parameterization must be one of standard, ntk, mup/);
  });

  test('initial pre-activations are O(1) for every preset (variance within 25% of width 64 at width 1024)', () => {
    for (const p of ['standard', 'ntk', 'mup'] as const) {
      const spread = [64, 1024].map((N) => {
        const net = mlp({ parameterization: p, width: N, depth: 2, activation: 'tanh' });
        const params = initParameters(net, 8, 1);
        const phi = outputs(net, params, XS).flatMap((o) => Array.from(o));
        disposeParameters(params);
        return phi.reduce((a, v) => a + v * v, 0) / phi.length;
      });
      // the output itself: O(1) for standard and NTK; muP's phi = z / (gamma0 sqrt(N)) shrinks by 1/N in variance
      const expected = p === 'mup' ? 64 / 1024 : 1;
      expect(spread[1] / spread[0] / expected).toBeGreaterThan(0.5);
      expect(spread[1] / spread[0] / expected).toBeLessThan(2);
    }
  });

  test('coordinate check: hidden features move O(1) under muP and O(1/sqrt(N)) under NTK', () => {
    const xTrain = [[-2], [-1], [0], [1], [2]];
    const rows = coordinateCheck({ parameterizations: ['ntk', 'mup'], widths: [64, 1024], net: mlp({ depth: 2, width: 1, activation: 'tanh' }), xTrain, yTrain: xTrain.map(([x]) => Math.sin(1.5 * x)), eta0: [0.5, 0.5], steps: 2, seeds: 6 });
    const mean = (p: string, w: number, layer: number) => {
      const r = rows.filter((x) => x.parameterization === p && x.width === w && x.layer === layer && x.step === 2);
      return r.reduce((s, x) => s + x.l1, 0) / r.length;
    };
    for (const layer of [1, 2]) {
      const mup = mean('mup', 1024, layer) / mean('mup', 64, layer);
      const ntk = mean('ntk', 1024, layer) / mean('ntk', 64, layer);
      expect(mup).toBeGreaterThan(0.7); // width-independent
      expect(mup).toBeLessThan(1.4);
      expect(ntk).toBeGreaterThan(0.25 * 0.5); // (1024/64)^(-1/2) = 0.25
      expect(ntk).toBeLessThan(0.25 * 2);
    }
  });
});

describe('memberMatMul, the layer product of forward passes and training', () => {
  test('value and both gradients equal those of tf.matMul, on the batched path (small layer) and the per-member path (large layer)', () => {
    for (const [fanIn, fanOut] of [[8, 5], [300, 260]]) { // 40 and 78,000 weights per member
      const before = tf.memory().numTensors;
      const h = tf.randomNormal([3, 4, fanIn], 0, 1, 'float32', 1) as tf.Tensor3D;
      const W = tf.randomNormal([3, fanIn, fanOut], 0, 1, 'float32', 2) as tf.Tensor3D;
      const R = tf.randomNormal([3, 4, fanOut], 0, 1, 'float32', 3); // a random cotangent
      const results = [memberMatMul, (a: tf.Tensor3D, b: tf.Tensor3D) => tf.matMul(a, b)].map((mm) => {
        const value = mm(h, W);
        const grads = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(mm(a as tf.Tensor3D, b as tf.Tensor3D), R)))([h, W]);
        const arrays = [value, ...grads].map((t) => Float64Array.from(t.dataSync()));
        [value, ...grads].forEach((t) => t.dispose());
        return arrays;
      });
      results[0].forEach((ours, k) => {
        const ref = results[1][k];
        const scale = ref.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
        const worst = ours.reduce((m, v, i) => Math.max(m, Math.abs(v - ref[i])), 0);
        expect(worst).toBeLessThan(1e-5 * scale); // float32 sums of <= 300 terms
      });
      [h, W, R].forEach((t) => t.dispose());
      expect(tf.memory().numTensors).toBe(before);
    }
  });
});

describe('member chunks', () => {
  test('training and the empirical NTK in chunks of members give the same numbers as in one piece', () => {
    const net = mlp({ parameterization: 'mup', width: 12, depth: 2, activation: 'tanh', sigmaB: 0.5 });
    const xs = [[-1], [0.2], [1]], ys = [0.3, -0.5, 0.8];
    const opts = { xTrain: xs, yTrain: ys, xTest: [[0.5], [2]], eta0: [0.1, 0.2, 0.3, 0.4, 0.5], steps: 4, recordAt: [2], recordFeatures: true, recordNtk: true };
    const [whole, parts] = [5, 2].map((membersPerChunk) => {
      const params = initParameters(net, 5, 3);
      const rec = trainEnsemble(net, params, { ...opts, membersPerChunk });
      const after = params.weights.map((t) => Array.from(t.dataSync()));
      const ntk = empiricalNtk(net, params, xs, { membersPerChunk });
      disposeParameters(params);
      return { rec, after, ntk };
    });
    expect(parts.rec.steps).toEqual(whole.rec.steps);
    expect(parts.rec.eta).toEqual(whole.rec.eta);
    const flat = (x: unknown): number[] => (typeof x === 'number' ? [x] : Array.from(x as ArrayLike<unknown>).flatMap(flat));
    for (const key of ['outputs', 'loss', 'featureChange', 'ntk0', 'ntkEnd'] as const) {
      const a = flat(whole.rec[key]), b = flat(parts.rec[key]);
      expect(b.length).toBe(a.length);
      b.forEach((v, i) => expect(v).toBeCloseTo(a[i], 6));
    }
    [flat(parts.after), flat(parts.ntk)].forEach((b, k) => flat(k ? whole.ntk : whole.after).forEach((v, i) => expect(b[i]).toBeCloseTo(v, 6)));
    expect(flat(whole.rec.loss[2]).some((v, e) => v < whole.rec.loss[0][e])).toBe(true); // it trained
  });

  test('drawing more members than the tfjs-wasm heap can train is refused up front, naming the argument', () => {
    const big = mlp({ parameterization: 'ntk', width: 4096, depth: 2, activation: 'relu' }); // just over 64 MiB per member
    expect(() => initParameters(big, 16, 0)).toThrow(/initParameters: members must be at most 15 .*got 16/);
    const small = mlp({ parameterization: 'ntk', width: 4, depth: 1, activation: 'relu' });
    const params = initParameters(small, 2, 0);
    expect(() => trainEnsemble(small, params, { xTrain: [[0]], yTrain: [1], eta0: 0.1, steps: 1, membersPerChunk: 0 })).toThrow(/membersPerChunk must be a positive integer, got 0/);
    disposeParameters(params);
  });
});

describe('tensor bookkeeping', () => {
  test('training with every record, sweeps and coordinate checks leave no tensors behind', () => {
    const net = mlp({ parameterization: 'mup', width: 16, depth: 2, activation: 'tanh' });
    const xs = [[-1], [0], [1]], ys = [0, 1, 0];
    const before = tf.memory().numTensors;
    const params = initParameters(net, 3, 0);
    trainEnsemble(net, params, { xTrain: xs, yTrain: ys, xTest: [[2]], eta0: 0.1, steps: 6, recordFeatures: true, recordNtk: true, recordAt: [2, 4] });
    trainEnsemble(net, params, { xTrain: xs, yTrain: ys, eta0: 0.1, steps: 2, recordNtk: true, membersPerChunk: 2 });
    disposeParameters(params);
    coordinateCheck({ parameterizations: ['ntk'], widths: [8], net: mlp({ depth: 2, width: 1, activation: 'relu' }), xTrain: xs, yTrain: ys, eta0: [0.1], steps: 2, seeds: 2 });
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('nnft infinite-width', () => {
  test('--json prints inputs, nngp and ntk (n x n), equal to the library; bad flags exit 2 naming the flag', async () => {
    const log = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const err = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      expect(await main(['infinite-width', '--activation', 'erf', '--hidden-layers', '2', '--sigma-w', '1.5', '--sigma-b', '0.1', '--inputs', '0,1;1,0;0.5,0.5', '--json'])).toBe(0);
      const out = JSON.parse(String(log.mock.calls[0][0]));
      const lib = kernelOf(mlp({ activation: 'erf', depth: 2, width: 1, dIn: 2, sigmaW: 1.5, sigmaB: 0.1 }), [[0, 1], [1, 0], [0.5, 0.5]]);
      expect(out.inputs).toEqual([[0, 1], [1, 0], [0.5, 0.5]]);
      expect(out.nngp).toEqual(lib.nngp);
      expect(out.ntk).toEqual(lib.ntk);
      expect(await main(['infinite-width', '--activation', 'swish', '--inputs', '1'])).toBe(2);
      expect(err.mock.calls[0][0]).toMatch(/--activation must be one of .*got "swish"/);
      expect(await main(['infinite-width', '--activation', 'relu', '--hidden-layers', 'x', '--inputs', '1'])).toBe(2);
      expect(err.mock.calls[1][0]).toMatch(/--hidden-layers/);
      // The old command name still works, with a warning; no biases by default.
      const warn = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
      try {
        expect(await main(['kernel', '--activation', 'relu', '--inputs', '1;-1', '--json'])).toBe(0);
        expect(warn.mock.calls.map((c) => String(c[0]))).toEqual(["nnft: 'nnft kernel' is an old name; use 'nnft infinite-width'\n"]);
      } finally {
        warn.mockRestore();
      }
      // ReLU at x = 1, -1 without biases: K = sw^2 x.y = -1 -> E[relu relu] = 0 off the diagonal, 1/2 on it.
      const nngp: number[][] = JSON.parse(String(log.mock.calls[log.mock.calls.length - 1][0])).nngp;
      [[0.5, 0], [0, 0.5]].forEach((row, p) => row.forEach((v, q) => expect(nngp[p][q]).toBeCloseTo(v, 15)));
    } finally {
      log.mockRestore();
      err.mockRestore();
    }
  });
});

describe('training reads the one net description', () => {
  test('a single-layer Erf-net trains as the depth-1 NTK-parameterized MLP; swapped or non-Gaussian densities are refused', () => {
    const erf = erfNet({ width: 5, sigmaW: 1.2, sigmaB: 0.3 });
    const deep = mlp({ depth: 1, width: 5, activation: 'erf', sigmaW: 1.2, sigmaB: 0.3 });
    const a = initParameters(erf, 2, 4), b = initParameters(deep, 2, 4);
    const xs = [[-1], [0.5]];
    expect(outputs(erf, a, xs)).toEqual(outputs(deep, b, xs));
    disposeParameters(a);
    disposeParameters(b);
    const uniform = withDensities(erf, { W0: { kind: 'uniform', low: -1, high: 1 } });
    expect(() => initParameters(uniform, 1, 0)).toThrow(/^initParameters: net must be an mlp or a single-layer Erf\/ReLU\/Tanh-net as constructed/);
    expect(() => initParameters(cosNet({ width: 3 }), 1, 0)).toThrow(/^initParameters: net must be/);
  });
});
