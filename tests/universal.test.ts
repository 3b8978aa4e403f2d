/**
 * Universal approximation in two dimensions and trained single-layer nets
 * (src/expressivity/universal.ts, TASI eqs. (21)-(24)). The 2-D tower net is checked against the
 * formula written out from f (not from its own parameters) and against a generic evaluation of its
 * parameters; its sup-norm error against the Lipschitz bound derived by hand, the 1/N law and the
 * steepness it needs. Trained nets: the loss falls, a smooth target is reached within a measured
 * error, the float32 tensor loss agrees with the float64 host evaluation of the pulled-back
 * parameters, a seed's net does not depend on the other seeds trained beside it, and no tensor leaks.
 */
import { Box2D, bumpNet2D, supNormError2D, trainSigmoidNet, trainingSummary } from '../src/expressivity/universal';
import { tf, useBackend } from '../src/core/backend';

beforeAll(async () => {
  await useBackend('wasm');
});

const logistic = (z: number) => 1 / (1 + Math.exp(-z));
const BOX: Box2D = { lo: [0, 0], hi: [2 * Math.PI, Math.PI] };

describe('the 2-D tower net (two hidden layers)', () => {
  test('is sum_kl Delta_kl sigma(gate (sigma(s(x - a_k)) + sigma(s(y - c_l)) - 3/2)) with Delta from f, and its parameters say the same', () => {
    const f = (x: number, y: number) => Math.cos(x - 2 * y) + 0.3 * x * y;
    const box: Box2D = { lo: [-1, 0.5], hi: [2, 2] };
    const [N, s, gate] = [5, 7, 12];
    const net = bumpNet2D(f, box, N, s, gate);
    expect(net.hiddenUnits).toEqual([2 * N, N * N]);
    const hx = (box.hi[0] - box.lo[0]) / N, hy = (box.hi[1] - box.lo[1]) / N;
    const F = (k: number, l: number) => (k < 0 || l < 0 ? 0 : f(box.lo[0] + (k + 0.5) * hx, box.lo[1] + (l + 0.5) * hy));
    const a = (k: number) => (k === 0 ? box.lo[0] - hx : box.lo[0] + k * hx);
    const c = (l: number) => (l === 0 ? box.lo[1] - hy : box.lo[1] + l * hy);
    for (let p = 0; p < 40; p++) {
      const x = -1.5 + (p * 4) / 39, y = 0.2 + ((p * 7) % 40) / 20;
      let byFormula = 0;
      for (let k = 0; k < N; k++) {
        for (let l = 0; l < N; l++) {
          const delta = F(k, l) - F(k - 1, l) - F(k, l - 1) + F(k - 1, l - 1);
          byFormula += delta * logistic(gate * (logistic(s * (x - a(k))) + logistic(s * (y - c(l))) - 1.5));
        }
      }
      // generic two-layer evaluation from the stored parameters
      const h1 = Array.from({ length: 2 * N }, (_, i) => logistic(net.w0[2 * i] * x + net.w0[2 * i + 1] * y + net.b0[i]));
      let byParameters = net.b2;
      for (let k = 0; k < N; k++) for (let l = 0; l < N; l++) byParameters += net.w2[k * N + l] * logistic(net.gate * (h1[k] + h1[N + l]) + net.b1);
      expect(Math.abs(net.evaluate(x, y) - byFormula)).toBeLessThan(1e-12);
      expect(Math.abs(net.evaluate(x, y) - byParameters)).toBeLessThan(1e-12);
    }
  });

  test('at the cell centres it is the staircase, f(centre), to 1e-6 (the quadrants add up to each cell)', () => {
    const f = (x: number, y: number) => Math.sin(x) * Math.cos(2 * y);
    const N = 12;
    const net = bumpNet2D(f, BOX, N);
    const hx = 2 * Math.PI / N, hy = Math.PI / N;
    for (let k = 0; k < N; k++) {
      for (let l = 0; l < N; l++) {
        const [x, y] = [(k + 0.5) * hx, (l + 0.5) * hy];
        expect(Math.abs(net.evaluate(x, y) - f(x, y))).toBeLessThan(1e-6);
      }
    }
  });

  // name, f, L_x = max |df/dx|, L_y = max |df/dy|, M = max |d2f/dxdy| on BOX
  const TARGETS: [string, (x: number, y: number) => number, number, number, number][] = [
    ['sin(x + y)', (x, y) => Math.sin(x + y), 1, 1, 1],
    ['sin(x) + cos(2y)', (x, y) => Math.sin(x) + Math.cos(2 * y), 1, 2, 0],
    ['sin(x) cos(2y)', (x, y) => Math.sin(x) * Math.cos(2 * y), 1, 2, 2],
  ];
  const Ns = [12, 24, 48];
  // sup norm on a 241 x 241 grid: 240 intervals, a whole number of them per cell at every N above
  const errorsOf = (f: (x: number, y: number) => number) => Ns.map((N) => supNormError2D(f, bumpNet2D(f, BOX, N).evaluate, BOX, 241));
  const bound = (N: number, Lx: number, Ly: number, M: number) => {
    const [hx, hy] = [(2 * Math.PI) / N, Math.PI / N];
    return (Lx * hx + Ly * hy) / 2 + (M * hx * hy) / 2;
  };
  const measured: Record<string, number[]> = {};

  test.each(TARGETS)('%s: within 1.05 [(L_x h_x + L_y h_y)/2 + M h_x h_y / 2], and log-log slope in [-1.3, -0.7] over N = 12 .. 48', (name, f, Lx, Ly, M) => {
    const errors = (measured[name] = errorsOf(f));
    errors.forEach((e, i) => expect(e).toBeLessThanOrEqual(1.05 * bound(Ns[i], Lx, Ly, M)));
    const slope = Math.log(errors[2] / errors[0]) / Math.log(Ns[2] / Ns[0]);
    expect(slope).toBeGreaterThan(-1.3);
    expect(slope).toBeLessThan(-0.7);
  });

  test('sin(x + y): the error halves when N doubles (ratios within [0.4, 0.6]) and comes within 10% of the bound at N = 48', () => {
    const [e12, e24, e48] = measured['sin(x + y)'] ?? errorsOf(TARGETS[0][1]);
    expect(e24 / e12).toBeGreaterThan(0.4);
    expect(e24 / e12).toBeLessThan(0.6);
    expect(e48 / e24).toBeGreaterThan(0.4);
    expect(e48 / e24).toBeLessThan(0.6);
    expect(e48).toBeGreaterThan(0.9 * bound(48, 1, 1, 1));
  });

  test('the error falls with the steepness s until s h ~ 1 (the gate sharpens the steps), then saturates at the staircase error', () => {
    const f = (x: number, y: number) => Math.sin(x + y);
    const N = 16;
    const h = Math.PI / N;
    // 161 x 161 grid: 10 intervals per cell; measured: s h = 0.25, 0.5, 1: 1.63, 0.68, 0.291; s h >= 2: 0.2903
    const err = (sh: number) => supNormError2D(f, bumpNet2D(f, BOX, N, sh / h).evaluate, BOX, 161);
    const floor = err(40);
    const shallow = [0.25, 0.5].map(err);
    expect(shallow[0]).toBeGreaterThan(4 * floor);
    expect(shallow[1]).toBeGreaterThan(1.5 * floor);
    expect(shallow[1]).toBeLessThan(shallow[0]);
    for (const sh of [1, 2, 5, 20]) {
      const e = err(sh);
      expect(e).toBeLessThan(shallow[1]);
      expect(e).toBeGreaterThan(0.95 * floor);
      expect(e).toBeLessThan(1.1 * floor);
    }
  });

  test('bad arguments are refused, naming them', () => {
    const f = (x: number, y: number) => x + y;
    expect(() => bumpNet2D(f, BOX, 0)).toThrow(/bumpNet2D: N must be a positive integer, got 0/);
    expect(() => bumpNet2D(f, BOX, 2.5)).toThrow(/bumpNet2D: N must be a positive integer, got 2.5/);
    expect(() => bumpNet2D(f, { lo: [0, 1], hi: [1, 1] }, 3)).toThrow(/bumpNet2D: box.hi must be above box.lo = \[0, 1\] in both coordinates, got \[1, 1\]/);
    expect(() => bumpNet2D(f, { lo: [0], hi: [1, 1] } as unknown as Box2D, 3)).toThrow(/bumpNet2D: box.lo must be two finite numbers \[x, y\], got \[0\]/);
    expect(() => bumpNet2D(f, undefined as unknown as Box2D, 3)).toThrow(/bumpNet2D: box must be an object \{ lo: \[x, y\], hi: \[x, y\] \}, got undefined/);
    expect(() => bumpNet2D(f, BOX, 3, -1)).toThrow(/bumpNet2D: steepness must be a finite positive number, got -1/);
    expect(() => bumpNet2D(f, BOX, 3, undefined, 1000)).toThrow(/bumpNet2D: gate must be a number in \(0, 500\], got 1000/);
    expect(() => bumpNet2D((x) => 1 / x, BOX, 1)).not.toThrow();
    expect(() => bumpNet2D((x, y) => 1 / (y - Math.PI / 2), BOX, 1)).toThrow(/bumpNet2D: f must be finite on the box/);
    expect(() => supNormError2D(f, f, BOX, 0)).toThrow(/supNormError2D: pointsPerSide must be a positive integer, got 0/);
  });
});

describe('trained single-hidden-layer sigmoid nets (Adam, full batch)', () => {
  const BOX1 = { lo: [-Math.PI], hi: [Math.PI] };

  test('sin(x) on [-pi, pi], width 20: the loss falls 1000-fold, test sup error < 0.06 for every seed, host float64 = tensor float32, no tensor left', () => {
    const before = tf.memory().numTensors;
    const training = trainSigmoidNet({ target: Math.sin, dim: 1, box: BOX1, width: 20, seeds: [0, 1, 2], steps: 1500, points: 64, testPoints: 2001 });
    expect(tf.memory().numTensors).toBe(before);
    expect(training.lossSteps[0]).toBe(0);
    expect(training.lossSteps[training.lossSteps.length - 1]).toBe(1500);
    expect(training.lossSteps.length).toBe(101);
    for (const run of training.runs) {
      // measured (seeds 0-2): final MSE ~ 1e-4 of the initial one, sup error 0.02-0.03
      expect(run.trainMse).toBeLessThan(1e-3 * run.initialMse);
      expect(run.testSupError).toBeLessThan(0.06);
      expect(run.testRmse).toBeLessThan(run.testSupError);
      // the first recorded loss is the initial MSE of the host-drawn parameters; the last, from the float32
      // forward pass, is the float64 host MSE of the parameters pulled back into box coordinates
      expect(Math.abs(run.lossHistory[0] - run.initialMse)).toBeLessThan(1e-5 * run.initialMse + 1e-7);
      expect(Math.abs(run.lossHistory[run.lossHistory.length - 1] - run.trainMse)).toBeLessThan(0.02 * run.trainMse + 1e-7);
      // evaluate is eq. (21) with the returned parameters
      const x = 0.7;
      let phi = run.b1;
      for (let i = 0; i < 20; i++) phi += run.w1[i] * logistic(run.w0[i] * x + run.b0[i]);
      expect(Math.abs(run.evaluate(x) - phi)).toBeLessThan(1e-14);
    }
    const summary = trainingSummary(training);
    expect(summary.seeds).toBe(3);
    expect(summary.testSupError.count).toBe(3);
    const sups = training.runs.map((r) => r.testSupError);
    expect(summary.testSupError.value).toBeCloseTo(sups.reduce((a, b) => a + b) / 3, 14);
    const sd = Math.sqrt(sups.reduce((a, e) => a + (e - summary.testSupError.value) ** 2, 0) / 2);
    expect(summary.testSupError.stdErr).toBeCloseTo(sd / Math.sqrt(3), 14);
  });

  test('a seed trains the same net whatever other seeds are trained beside it (randomness is an argument)', () => {
    const opts = { target: (x: number) => Math.abs(x) - 1, dim: 1 as const, box: { lo: [-2], hi: [1] }, width: 8, steps: 200, points: 32 };
    const alone = trainSigmoidNet({ ...opts, seeds: [5] }).runs[0];
    const together = trainSigmoidNet({ ...opts, seeds: [3, 5, 0] }).runs[1];
    expect(together.seed).toBe(5);
    expect(Math.abs(alone.initialMse - together.initialMse)).toBe(0);
    for (let i = 0; i < 8; i++) expect(Math.abs(alone.w1[i] - together.w1[i])).toBeLessThan(1e-4 * (1 + Math.abs(alone.w1[i])));
    expect(Math.abs(alone.testSupError - together.testSupError)).toBeLessThan(1e-4);
  });

  test('two dimensions: sin(x) cos(y) on [-1, 2] x [0, 1], width 16: the loss falls below 1/10, no tensor left', () => {
    const before = tf.memory().numTensors;
    const f = (x: number, y: number) => Math.sin(x) * Math.cos(y);
    const training = trainSigmoidNet({ target: f, dim: 2, box: { lo: [-1, 0], hi: [2, 1] }, width: 16, seeds: [0, 1], steps: 300, points: 12, testPoints: 21 });
    expect(tf.memory().numTensors).toBe(before);
    expect(training.trainPoints).toBe(144);
    expect(training.testPoints).toBe(441);
    for (const run of training.runs) {
      expect(run.w0.length).toBe(32);
      expect(run.trainMse).toBeLessThan(0.1 * run.initialMse);
      expect(Math.abs(run.lossHistory[run.lossHistory.length - 1] - run.trainMse)).toBeLessThan(0.02 * run.trainMse + 1e-7);
      // the test sup error is the sup over the 21 x 21 grid: at least the error at a corner of the box
      expect(run.testSupError).toBeGreaterThanOrEqual(Math.abs(run.evaluate(2, 1) - f(2, 1)));
    }
  });

  test('bad options are refused, naming them, and leave no tensor behind', () => {
    const ok = { target: Math.sin, dim: 1 as const, box: { lo: [0], hi: [1] }, width: 4, seeds: [0], steps: 10, points: 8 };
    const before = tf.memory().numTensors;
    expect(() => trainSigmoidNet({ ...ok, width: 0 })).toThrow(/trainSigmoidNet: width must be a positive integer, got 0/);
    expect(() => trainSigmoidNet({ ...ok, dim: 3 as unknown as 1 })).toThrow(/trainSigmoidNet: dim must be 1 or 2, got 3/);
    expect(() => trainSigmoidNet({ ...ok, box: { lo: [0, 0], hi: [1, 1] } })).toThrow(/trainSigmoidNet: box.lo must be 1 finite number\(s\), got \[0, 0\]/);
    expect(() => trainSigmoidNet({ ...ok, box: { lo: [1], hi: [0] } })).toThrow(/trainSigmoidNet: box.hi must be above box.lo = \[1\] in every coordinate, got \[0\]/);
    expect(() => trainSigmoidNet({ ...ok, seeds: [] })).toThrow(/trainSigmoidNet: seeds must be a non-empty array of non-negative integers, got \[\]/);
    expect(() => trainSigmoidNet({ ...ok, seeds: [1, 1] })).toThrow(/trainSigmoidNet: seeds must be distinct, got \[1, 1\]/);
    expect(() => trainSigmoidNet({ ...ok, steps: -1 })).toThrow(/trainSigmoidNet: steps must be a non-negative integer, got -1/);
    expect(() => trainSigmoidNet({ ...ok, learningRate: 0 })).toThrow(/trainSigmoidNet: learningRate must be a positive finite number, got 0/);
    expect(() => trainSigmoidNet({ ...ok, points: 0 })).toThrow(/trainSigmoidNet: points must be a positive integer, got 0/);
    expect(() => trainSigmoidNet({ ...ok, target: (x: number) => Math.log(x) })).toThrow(/trainSigmoidNet: target must be finite on the box/);
    expect(tf.memory().numTensors).toBe(before);
  });
});
