/**
 * phi^4 as a deformed Scalar-net ensemble (src/field-theory/phi4.ts, hmc.ts), each route against a
 * second one:
 * - the generated first-order diagram against the hand count (one tadpole, -12), and its value
 *   against an independent quadrature (the test's own cutoff propagator and y-panels), relative 1e-5,
 *   for cutoffs 10, 20, inf and boxes 2, 4, 8;
 * - the finite-width first order against the library's independent exact route
 *   (finiteWidthCorrelators: G4c, G6c of the Scalar-net at [x1, x2, y] on a y-grid), relative 1e-4,
 *   at widths 10 and 100;
 * - reweighting: its lambda-derivative at 0 (the covariance -Cov(f f, S4)) against the exact first
 *   order, and small-lambda reweighting against G2 + lambda * coefficient;
 * - HMC against reweighting at lambda = 0.5 where reweighting is healthy, and the tail diagnostic
 *   firing where it is not.
 * Monte Carlo tolerances: z = 4 standard errors (fixed seeds), plus the measured second difference
 * of the reweighted G2 for the O(lambda^2) remainder where first order is compared at lambda > 0.
 */
import { gaussLegendre } from '../src/core/special';
import { finiteWidthCorrelators } from '../src/exact/finite-width';
import { tupleIndex } from '../src/statistics/tuples';
import { scalarNet } from '../src/nets/architectures';
import { forEachOutputBatch } from '../src/ensembles/ensemble';
import { bandLimitedRule, phi4FirstOrder, phi4FirstOrderDiagrams, phi4Reweight } from '../src/field-theory/phi4';
import { phi4Hmc } from '../src/field-theory/hmc';
import { autocorrelation } from '../src/statistics/autocorrelation';
import { extrapolate } from '../src/statistics/extrapolation';
import { Rng } from '../src/core/random';

const Z = 4;
const GL = gaussLegendre(20);

/** int_a^b g by Gauss-Legendre-20 on equal panels no longer than h. */
function panels(g: (y: number) => number, a: number, b: number, h: number): number {
  const n = Math.max(1, Math.ceil((b - a) / h));
  const step = (b - a) / n;
  let total = 0;
  for (let k = 0; k < n; k++) for (let i = 0; i < GL.nodes.length; i++) total += (step / 2) * GL.weights[i] * g(a + step * (k + (GL.nodes[i] + 1) / 2));
  return total;
}

/** int over [-L, L] split at the given interior points. */
function boxIntegral(g: (y: number) => number, L: number, breaks: number[], h: number): number {
  const cuts = [-L, ...breaks.filter((b) => Math.abs(b) < L).sort((a, b) => a - b), L];
  let total = 0;
  for (let k = 0; k + 1 < cuts.length; k++) total += panels(g, cuts[k], cuts[k + 1], h);
  return total;
}

/**
 * The test's own cutoff propagator, e^{-m r}/(2m) - (1/pi) int_Lambda^inf cos(p r) / (p^2 + m^2) dp:
 * the tail integral after p -> Lambda / u (u in (0, 1]), int_0^1 Lambda cos(Lambda r / u) / (Lambda^2 + m^2 u^2) du,
 * split where the phase passes multiples of pi (a different integrand and rule from the library's).
 */
function propagator(m: number, cutoff: number): (r: number) => number {
  const cos = Math.cos;
  return (r) => {
    const free = Math.exp(-m * Math.abs(r)) / (2 * m);
    if (cutoff === Infinity) return free;
    if (r === 0) return free - (Math.PI / 2 - Math.atan(cutoff / m)) / (Math.PI * m);
    // The tail integral as an alternating series of half-period pieces, summed to 400 pieces; the
    // mean of the last two partial sums cancels the leading remainder (Euler's averaging).
    const period = Math.PI / Math.abs(r);
    let tail = 0;
    let previous = 0;
    for (let k = 0; k < 400; k++) {
      previous = tail;
      // Each half period on sub-panels no longer than a tenth of p (1/p^2 varies little on each).
      const a = cutoff + k * period;
      const sub = Math.max(1, Math.ceil(period / (0.1 * a)));
      for (let j = 0; j < sub; j++) tail += panelsOnce((p) => cos(p * r) / (p * p + m * m), a + (j * period) / sub, a + ((j + 1) * period) / sub);
    }
    return free - (tail + previous) / (2 * Math.PI);
  };
}

/** One Gauss-Legendre-20 rule on [a, b]. */
function panelsOnce(g: (y: number) => number, a: number, b: number): number {
  let total = 0;
  for (let i = 0; i < GL.nodes.length; i++) total += ((b - a) / 2) * GL.weights[i] * g(a + ((b - a) * (GL.nodes[i] + 1)) / 2);
  return total;
}

describe('first order at infinite width', () => {
  test('the generated diagrams are one tadpole with coefficient -12', () => {
    const d = phi4FirstOrderDiagrams();
    expect(d).toHaveLength(1);
    expect(d[0].coefficient).toBe(-12);
    // The tadpole: each external point joined to the vertex, and a self-line at the vertex.
    const selfLines = d[0].lines.filter(([a, b]) => !('ext' in a) && !('ext' in b));
    expect(selfLines).toHaveLength(1);
  });

  for (const cutoff of [10, 20, Infinity]) {
    for (const box of [2, 4, 8]) {
      test(`-12 int K K K against independent quadrature (cutoff ${cutoff}, box ${box})`, () => {
        const m = 1;
        const inputs = [0, 0.5, -1.2];
        const r = phi4FirstOrder({ mass: m, cutoff, box, inputs });
        const K = propagator(m, cutoff);
        const K0 = K(0);
        const h = cutoff === Infinity ? 0.5 : 2 / cutoff;
        // K(x_p - y) once per node y (the same nodes for every pair: one set of breakpoints at all inputs).
        const cache = new Map<number, number[]>();
        const Ks = (y: number) => {
          let v = cache.get(y);
          if (!v) cache.set(y, (v = inputs.map((x) => K(x - y))));
          return v;
        };
        for (let p = 0; p < inputs.length; p++) {
          for (let q = p; q < inputs.length; q++) {
            const exact = -12 * K0 * boxIntegral((y) => Ks(y)[p] * Ks(y)[q], box, inputs, h);
            expect(Math.abs(r.coefficient[p][q] - exact)).toBeLessThan(1e-5 * Math.abs(exact));
            expect(r.coefficient[q][p]).toBe(r.coefficient[p][q]);
          }
        }
        if (cutoff === Infinity) {
          // Closed form at x1 = x2 = 0: -12 (1/2m) int e^{-2m|y|}/(4m^2) = -1.5 (1 - e^{-2mL}) / m^4.
          expect(Math.abs(r.coefficient[0][0] + 1.5 * (1 - Math.exp(-2 * box)))).toBeLessThan(1e-9);
        }
      });
    }
  }
});

describe('first order at finite width', () => {
  // The library's exact finite-width route, independent of phi4.ts's single-neuron moments: network
  // G2, G4c, G6c of the Scalar-net at [x1, x2, y] (order 6), combined into
  // G6(x1,x2,y,y,y,y) - G2(x1,x2) G4(y,y,y,y) = 12 K1y K2y Kyy + 6 G4c(12yy) Kyy + 4 G4c(1yyy) K2y + 4 G4c(2yyy) K1y + G6c(12yyyy).
  for (const width of [10, 100]) {
    test(`width ${width}: against finiteWidthCorrelators on a y-grid (cutoff 10, box 1)`, () => {
      const m = 1;
      const cutoff = 10;
      const box = 1;
      const inputs = [0, 0.5];
      const r = phi4FirstOrder({ mass: m, cutoff, box, inputs, width });
      const net = scalarNet({ width, mass: m, cutoff });
      const integrand = (y: number): number[] => {
        const c = finiteWidthCorrelators(net, [[inputs[0]], [inputs[1]], [y]], { order: 6, tolerance: 1e-10 });
        const g2 = (a: number, b: number) => c.G2.value[tupleIndex([a, b].sort(), 3)];
        const g4 = (t: number[]) => c.G4c!.value[tupleIndex(t.slice().sort(), 3)];
        const g6 = (t: number[]) => c.G6c!.value[tupleIndex(t.slice().sort(), 3)];
        const Y = 2;
        return [
          [0, 0],
          [0, 1],
          [1, 1],
        ].map(([p, q]) => 12 * g2(p, Y) * g2(q, Y) * g2(Y, Y) + 6 * g4([p, q, Y, Y]) * g2(Y, Y) + 4 * g4([p, Y, Y, Y]) * g2(q, Y) + 4 * g4([q, Y, Y, Y]) * g2(p, Y) + g6([p, q, Y, Y, Y, Y]));
      };
      // GL-20 panels of length 0.125: the integrand's fastest phase is 4 Lambda y = 40 y (5 rad per panel).
      const gl = gaussLegendre(20);
      const n = 16;
      const totals = [0, 0, 0];
      for (let k = 0; k < n; k++) {
        for (let i = 0; i < gl.nodes.length; i++) {
          const y = -box + ((2 * box) / n) * (k + (gl.nodes[i] + 1) / 2);
          const v = integrand(y);
          for (let j = 0; j < 3; j++) totals[j] += (box / n) * gl.weights[i] * v[j];
        }
      }
      const expected = [totals[0], totals[1], totals[2]].map((v) => -v);
      const got = [r.coefficient[0][0], r.coefficient[0][1], r.coefficient[1][1]];
      for (let j = 0; j < 3; j++) expect(Math.abs(got[j] - expected[j])).toBeLessThan(1e-4 * Math.abs(expected[j]));
      // The width terms scale as 1/N and 1/N^2 exactly: the split reproduces the total.
      expect(Math.abs(r.infinite[0][0] + r.perWidth![0][0] / width + r.perWidth2![0][0] / width ** 2 - r.coefficient[0][0])).toBeLessThan(1e-12 * Math.abs(r.coefficient[0][0]));
    }, 120_000);
  }
});

describe('the action quadrature', () => {
  test('S4 = int f^4 of a Scalar-net by the band-limited rule equals a fine brute-force quadrature', () => {
    const box = 1.5;
    const cutoff = 8;
    const N = 20;
    const rng = Rng.stream(11, 0);
    const w = Array.from({ length: N }, () => cutoff * (2 * rng.uniform() - 1));
    const b = Array.from({ length: N }, () => Math.PI * (2 * rng.uniform() - 1));
    const A = Array.from({ length: N }, () => rng.normal());
    const f = (t: number) => A.reduce((s, a, i) => s + a * Math.cos(w[i] * t + b[i]), 0);
    const { nodes, weights } = bandLimitedRule(box, 4 * cutoff);
    let rule = 0;
    for (let q = 0; q < nodes.length; q++) rule += weights[q] * f(nodes[q]) ** 4;
    const brute = panels((t) => f(t) ** 4, -box, box, 0.02);
    expect(Math.abs(rule - brute)).toBeLessThan(1e-9 * brute);
  });
});

describe('reweighting', () => {
  const theory = { mass: 1, cutoff: 5, box: 1 };
  const inputs = [0, 0.5];

  test('d G2 / d lambda at 0 (= -Cov(f f, S4) over free draws) matches the exact first order at width 50', async () => {
    const width = 50;
    const nets = 40000;
    const exact = phi4FirstOrder({ ...theory, inputs, width }).coefficient;
    const net = scalarNet({ width, mass: 1, cutoff: 5 });
    const { nodes, weights } = bandLimitedRule(theory.box, 4 * theory.cutoff);
    const points = [...inputs, ...nodes].map((x) => [x]);
    const P = points.length;
    const S4: number[] = [];
    const ff: number[][] = [[], [], []];
    await forEachOutputBatch(net, points, { nets, seed: 5, progress: false }, ({ count, outputs }) => {
      for (let bi = 0; bi < count; bi++) {
        let s = 0;
        for (let q = 0; q < nodes.length; q++) s += weights[q] * outputs[bi * P + 2 + q] ** 4;
        S4.push(s);
        const f0 = outputs[bi * P];
        const f1 = outputs[bi * P + 1];
        ff[0].push(f0 * f0);
        ff[1].push(f0 * f1);
        ff[2].push(f1 * f1);
      }
    });
    const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
    const sBar = mean(S4);
    [exact[0][0], exact[0][1], exact[1][1]].forEach((c, j) => {
      const yBar = mean(ff[j]);
      const terms = ff[j].map((y, m) => -(y - yBar) * (S4[m] - sBar));
      const est = mean(terms);
      const se = Math.sqrt(mean(terms.map((t) => (t - est) ** 2)) / nets);
      expect(Math.abs(est - c)).toBeLessThan(Z * se);
    });
  }, 120_000);

  test('small lambda: G2(lambda) - G2(0) = lambda * coefficient within errors and the measured O(lambda^2)', async () => {
    const width = 50;
    const lambda = 0.02;
    const r = await phi4Reweight({ ...theory, width, couplings: [0, lambda, 2 * lambda], inputs, nets: 40000, seed: 6, progress: false });
    const c = phi4FirstOrder({ ...theory, inputs, width }).coefficient;
    const [g0, g1, g2] = r.estimates.map((e) => e.G2);
    for (const [p, q] of [
      [0, 0],
      [0, 1],
    ]) {
      const diff = g1[p][q] - g0[p][q];
      const second = Math.abs(g2[p][q] - 2 * g1[p][q] + g0[p][q]);
      // The difference of two reweightings of the same draws is far more precise than either; bound its
      // error by that of the lambda-estimate (conservative).
      expect(Math.abs(diff - lambda * c[p][q])).toBeLessThan(Z * r.estimates[1].stdErr[p][q] + second);
    }
    expect(r.estimates[1].warnings).toEqual([]);
  }, 120_000);

  test('the diagnostics fire where reweighting fails (lambda 20, box 6) and stay quiet where it works (lambda 0.5, box 1)', async () => {
    const bad = (await phi4Reweight({ mass: 1, cutoff: 5, box: 6, width: 400, couplings: [20], inputs: [0], nets: 4000, seed: 7, progress: false })).estimates[0];
    expect(bad.weightTail.reliable).toBe(false);
    expect(bad.weightTail.khat).toBeGreaterThan(bad.weightTail.threshold);
    expect(bad.effectiveSamples).toBeLessThan(100);
    expect(bad.warnings).toHaveLength(2);
    const good = (await phi4Reweight({ mass: 1, cutoff: 5, box: 1, width: 400, couplings: [0.5], inputs: [0], nets: 4000, seed: 7, progress: false })).estimates[0];
    expect(good.weightTail.reliable).toBe(true);
    expect(good.warnings).toEqual([]);
  }, 120_000);
});

describe('HMC', () => {
  test('agrees with reweighting at lambda = 0.5 (width 50, cutoff 5, box 1)', async () => {
    const theory = { mass: 1, cutoff: 5, box: 1, width: 50 };
    const inputs = [0, 0.5];
    const rw = (await phi4Reweight({ ...theory, couplings: [0.5], inputs, nets: 40000, seed: 8, progress: false })).estimates[0];
    const h = await phi4Hmc({ ...theory, coupling: 0.5, inputs, chains: 32, trajectories: 120, warmup: 40, seed: 9, progress: false });
    expect(rw.warnings).toEqual([]);
    expect(h.acceptance).toBeGreaterThan(0.5);
    for (const [p, q] of [
      [0, 0],
      [0, 1],
    ]) {
      expect(Math.abs(h.G2[p][q] - rw.G2[p][q])).toBeLessThan(Z * Math.hypot(h.stdErr[p][q], rw.stdErr[p][q]));
      expect(h.tauInt[p][q]).toBeLessThan(5);
    }
  }, 300_000);
});

describe('autocorrelation', () => {
  test('an AR(1) chain has tau_int = (1 + a) / (2 (1 - a)) and a standard error that covers the mean', () => {
    const a = 0.8;
    const chains = Array.from({ length: 8 }, (_, c) => {
      const rng = Rng.stream(3, c);
      const s = new Float64Array(20000);
      let x = rng.normal() / Math.sqrt(1 - a * a);
      for (let i = 0; i < s.length; i++) s[i] = x = a * x + rng.normal();
      return s;
    });
    const e = autocorrelation(chains);
    const tau = (1 + a) / (2 * (1 - a));
    expect(Math.abs(e.tauInt - tau)).toBeLessThan(Z * e.tauIntErr);
    expect(Math.abs(e.mean)).toBeLessThan(Z * e.stdErr);
    expect(e.reliable).toBe(true);
    expect(Math.abs(e.rHat - 1)).toBeLessThan(0.01);
  });
});

describe('extrapolate', () => {
  test('recovers a polynomial exactly, and its error at h = 0 from two points is the propagated one', () => {
    const h = [0.5, 0.25, 0.125, 0.0625];
    const y = h.map((x) => 0.3 - 0.2 * x + 0.7 * x * x);
    const q = extrapolate(h, y, [1, 1, 1, 1], 2);
    expect(Math.abs(q.value - 0.3)).toBeLessThan(1e-12);
    expect(Math.abs(q.coefficients[2] - 0.7)).toBeLessThan(1e-10);
    expect(q.chi2).toBeLessThan(1e-20);
    // Two points, a line: y(0) = 2 y2 - y1 at h = (2a, a), error sqrt(4 e2^2 + e1^2).
    const two = extrapolate([0.2, 0.1], [1.3, 1.1], [0.03, 0.04], 1);
    expect(Math.abs(two.value - (2 * 1.1 - 1.3))).toBeLessThan(1e-12);
    expect(Math.abs(two.stdErr - Math.sqrt(4 * 0.04 ** 2 + 0.03 ** 2))).toBeLessThan(1e-12);
    expect(two.dof).toBe(0);
    expect(() => extrapolate([0.1], [1], [1], 1)).toThrow(/h/);
  });
});
