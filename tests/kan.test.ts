/**
 * Kolmogorov-Arnold networks (src/expressivity/kan.ts, kan-tf.ts) and the host optimisers
 * (src/core/optimize.ts) against independent routes: the forward pass rebuilt edge by edge from
 * splineValue and silu, gradients against central differences (with the regulariser and a snapped
 * edge), grid extension that is exact on nested uniform grids, grid updates that keep the function,
 * pruning of a node that carries nothing, the tfjs route against the float64 one, and L-BFGS / Adam on
 * problems with known minima.
 */
import { Adam, Lbfgs } from '../src/core/optimize';
import { Rng } from '../src/core/random';
import { splineValue } from '../src/expressivity/bsplines';
import { Kan } from '../src/expressivity/kan';
import { fitKanTf, kanForwardTf } from '../src/expressivity/kan-tf';
import { ensureBackend, tf } from '../src/core/backend';

const rng = Rng.stream(21);
const silu = (x: number) => x / (1 + Math.exp(-x));
const target = (a: number, b: number) => Math.exp(Math.sin(Math.PI * a) + b * b);

function sample(B: number, dim = 2): { x: Float64Array; y: Float64Array; rows: number[][] } {
  const x = new Float64Array(B * dim), y = new Float64Array(B);
  const rows: number[][] = [];
  for (let b = 0; b < B; b++) {
    for (let d = 0; d < dim; d++) x[b * dim + d] = rng.uniform() * 2 - 1;
    y[b] = target(x[b * dim], x[b * dim + 1]);
    rows.push(Array.from(x.subarray(b * dim, b * dim + dim)));
  }
  return { x, y, rows };
}

/** The network's output rebuilt from its definition, edge by edge (second route). */
function byHand(m: Kan, point: number[]): number[] {
  let act = point;
  for (let l = 0; l < m.depth; l++) {
    const { nIn, nOut, size, coef, base, spline } = m.layerLayout(l);
    const next = new Array(nOut).fill(0);
    for (let i = 0; i < nIn; i++) {
      for (let j = 0; j < nOut; j++) {
        const e = i * nOut + j;
        const c = m.theta.subarray(coef + e * size, coef + (e + 1) * size);
        next[j] += m.masks[l][e] * (m.theta[base + e] * silu(act[i]) + m.theta[spline + e] * splineValue(m.grids[l][i], c, act[i]));
      }
    }
    act = next;
  }
  return act;
}

describe('Kan (float64 host route)', () => {
  test('forward pass equals the edge-by-edge definition, before and after a grid update', () => {
    const m = new Kan({ width: [2, 4, 3, 1], grid: 5, seed: 4 });
    const { x, rows } = sample(200);
    for (const p of rows.slice(0, 30)) expect(Math.abs(m.evaluate([p])[0][0] - byHand(m, p)[0])).toBeLessThan(1e-14);
    m.updateGrid(x, 200);
    for (const p of rows.slice(0, 30)) expect(Math.abs(m.evaluate([p])[0][0] - byHand(m, p)[0])).toBeLessThan(1e-14);
  });

  test.each([0, 0.01])('gradient equals central differences (lambda = %p, one snapped edge, one masked edge)', (lambda) => {
    const m = new Kan({ width: [2, 3, 1], grid: 4, seed: 3 });
    const own = Rng.stream(8);
    const x = Float64Array.from({ length: 80 }, () => 1.8 * own.uniform() - 0.9);
    const y = Float64Array.from({ length: 40 }, (_, b) => target(x[2 * b], x[2 * b + 1]));
    m.updateGrid(x, 40);
    m.fixSymbolic(0, 1, 2, 'sin', { a: 1.3, b: 0.2, c: 0.7, d: 0.1 });
    m.masks[0][1] = 0;
    const g = new Float64Array(m.theta.length), tmp = new Float64Array(m.theta.length);
    m.lossAndGradient(x, y, 40, g, lambda);
    let worst = 0;
    for (let p = 0; p < m.theta.length; p++) {
      const t = m.theta[p], h = 1e-6;
      m.theta[p] = t + h;
      const fp = m.lossAndGradient(x, y, 40, tmp, lambda).loss;
      m.theta[p] = t - h;
      const fm = m.lossAndGradient(x, y, 40, tmp, lambda).loss;
      m.theta[p] = t;
      // central differences of a loss ~6 with h = 1e-6 carry ~1e-9 of rounding: an absolute floor
      worst = Math.max(worst, Math.abs((fp - fm) / (2 * h) - g[p]) / (1e-4 + Math.abs(g[p])));
    }
    expect(worst).toBeLessThan(1e-5);
  });

  test('refine to a nested uniform grid keeps the function exactly; a grid update keeps it closely', () => {
    const m = new Kan({ width: [1, 2, 1], grid: 4, seed: 1, gridEps: 1 });
    // inputs that reach both ends of [-1, 1]: the updated grid is uniform on [-1, 1] again
    const xs = Float64Array.from({ length: 401 }, (_, s) => -1 + (2 * s) / 400);
    const fine = m.refine(8, xs, 401);
    const before = m.forwardFlat(xs, 401), after = fine.forwardFlat(xs, 401);
    // layer 0's new grid is uniform on [-1, 1] with twice the intervals (nested): its edges are kept exactly;
    // layer 1's grid follows the hidden activations (not nested), so the output moves a little
    for (const j of [0, 1]) {
      const a = m.edgeFunction(0, 0, j, xs), b = fine.edgeFunction(0, 0, j, xs);
      for (let s = 0; s < xs.length; s++) expect(Math.abs(a[s] - b[s])).toBeLessThan(1e-8); // least squares with ridge 1e-8
    }
    let worst = 0;
    for (let s = 0; s < 401; s++) worst = Math.max(worst, Math.abs(before[s] - after[s]));
    expect(worst).toBeLessThan(1e-3);
  });

  test('a hidden node whose outgoing edge is masked scores 0 and is pruned; the others survive', () => {
    const m = new Kan({ width: [2, 3, 1], grid: 3, seed: 2 });
    const { x, y, rows } = sample(300);
    m.fit({ x: rows, y: Array.from(y, (v) => [v]) }, { steps: 3 });
    m.masks[1][1] = 0;
    const scores = m.attribute(x, 300);
    expect(scores.nodes[1][1]).toBe(0);
    expect(scores.nodes[2][0]).toBe(1);
    const p = m.prune(x, 300, 1e-2, 0);
    expect(p.width).toEqual([2, 2, 1]);
    const a = m.forwardFlat(x, 300), b = p.forwardFlat(x, 300);
    for (let s = 0; s < 300; s++) expect(Math.abs(a[s] - b[s])).toBeLessThan(1e-12);
  });

  test('training on exp(sin(pi x1) + x2^2): L-BFGS lowers the RMSE below 3e-2 in 20 steps; Adam lowers it too', () => {
    const data = sample(500), test = sample(500);
    const asData = (d: typeof data) => ({ x: d.rows, y: Array.from(d.y, (v) => [v]) });
    const m = new Kan({ width: [2, 5, 1], grid: 3, seed: 0 });
    const start = m.rmseFlat(test.x, test.y, 500);
    const h = m.fit(asData(data), { steps: 20, test: asData(test) });
    expect(h).toHaveLength(20);
    expect(h[19].testRmse!).toBeLessThan(3e-2);
    expect(h[19].testRmse!).toBeLessThan(start / 10);
    const a = new Kan({ width: [2, 5, 1], grid: 3, seed: 0 });
    const ha = a.fit(asData(data), { steps: 300, optimizer: 'adam', lr: 2e-2, batch: 100 });
    expect(ha[299].trainRmse).toBeLessThan(ha[0].trainRmse / 3);
  });

  test('bad arguments are named', () => {
    expect(() => new Kan({ width: [2] })).toThrow(/width/);
    expect(() => new Kan({ width: [2, 0, 1] })).toThrow(/width\[1\]/);
    expect(() => new Kan({ width: [2, 1], grid: 0 })).toThrow(/grid/);
    const m = new Kan({ width: [2, 1] });
    expect(() => m.fit({ x: [[0, 1]], y: [[1]] }, { steps: 1, optimizer: 'sgd' as never })).toThrow(/optimizer/);
    expect(() => m.fit({ x: [[0, NaN]], y: [[1]] }, { steps: 1 })).toThrow(/data\.x\[0\]\[1\]/);
    expect(() => m.edgeFunction(0, 2, 0, [0])).toThrow(/\bi\b/);
  });
});

describe('the tfjs route', () => {
  beforeAll(async () => {
    await ensureBackend();
  });

  test('tfjs outputs equal the float64 ones to float32 precision; Adam on mini-batches lowers the loss; no tensor leaks', () => {
    const start = tf.memory().numTensors;
    const m = new Kan({ width: [2, 4, 1], grid: 5, seed: 7 });
    const data = sample(2000);
    m.updateGrid(data.x, 2000);
    const host = m.evaluate(data.rows.slice(0, 100)), dev = kanForwardTf(m, data.rows.slice(0, 100));
    for (let s = 0; s < 100; s++) expect(Math.abs(host[s][0] - dev[s][0])).toBeLessThan(1e-5 * (1 + Math.abs(host[s][0])));
    const before = m.rmseFlat(data.x, data.y, 2000);
    const h = fitKanTf(m, { x: data.rows, y: Array.from(data.y, (v) => [v]) }, { steps: 150, batch: 256, lr: 2e-2, seed: 1 });
    expect(h[h.length - 1].trainRmse).toBeLessThan(before / 3);
    // the float64 model now holds the trained parameters
    expect(Math.abs(m.rmseFlat(data.x, data.y, 2000) - h[h.length - 1].trainRmse)).toBeLessThan(1e-12);
    expect(tf.memory().numTensors).toBe(start);
  });

  test('snapped edges are refused by name', () => {
    const m = new Kan({ width: [1, 1] });
    m.fixSymbolic(0, 0, 0, 'exp', { a: 1, b: 0, c: 1, d: 0 });
    expect(() => kanForwardTf(m, [[0]])).toThrow(/'exp'/);
  });
});

describe('host optimisers', () => {
  test('L-BFGS (PyTorch steps) finds the minimum of the Rosenbrock function; Adam that of a quadratic', () => {
    const theta = Float64Array.from([-1.2, 1]);
    const rosen = (t: Float64Array, g: Float64Array) => {
      const [a, b] = t;
      g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
      g[1] = 200 * (b - a * a);
      return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
    };
    const opt = new Lbfgs(theta, rosen);
    for (let s = 0; s < 10; s++) opt.step();
    expect(Math.abs(theta[0] - 1)).toBeLessThan(1e-8);
    expect(Math.abs(theta[1] - 1)).toBeLessThan(1e-8);
    expect(opt.evaluations).toBeLessThanOrEqual(10 * 26);
    const q = Float64Array.from([3, -2, 5]);
    const adam = new Adam(q, { lr: 0.05 });
    const g = new Float64Array(3);
    for (let s = 0; s < 3000; s++) {
      for (let i = 0; i < 3; i++) g[i] = 2 * (i + 1) * (q[i] - i);
      adam.step(g);
    }
    q.forEach((v, i) => expect(Math.abs(v - i)).toBeLessThan(1e-3));
  });
});
