/**
 * "Exact means exact": the exact finite-width routes against independently written quadratures.
 *
 * Independent routes used here (none shares the library's coordinates or rules):
 * - Erf/ReLU/Tanh, any tuple: moments as a nested integral over the raw first-layer parameters (w, b)
 *   (not the Cholesky frame the library uses), composite Gauss-Legendre with the ReLU kinks
 *   b = -w x_p as breakpoints of the inner integral (library: trapezoid rule / polar coordinates).
 * - Erf diagonal: the 1-d moments E[erf(s u)^k] by adaptive Gauss-Kronrod (`integrateBox`).
 * - Scalar-net: the ball average done as an explicit angular integral over the vector q (D = 2) or by
 *   a Simpson rule on the D = 3 radial form (library: Bessel-function sphere averages); and the
 *   kernels' `scalarPropagator`.
 */
import { erfNet, reluNet, tanhNet, cosNet, gaussNet, scalarNet, SingleLayerNet } from '../src/nets/architectures';
import { connectedFourPointDiagonal, excessKurtosis, finiteWidthCorrelators, unitMoment } from '../src/exact/finite-width';
import { scalarPropagator } from '../src/exact/gp-kernels';
import { integrateBox } from '../src/statistics/quadrature';
import { ballAverage, besselJ01, erf, gaussLegendre } from '../src/core/special';
import { evenPartitions, partitionWeight, sortedTuples, tupleIndex } from '../src/statistics/tuples';

const INPUTS = [[-1], [0.3], [1]];

/** Relative difference, guarded for cumulants that cancel to ~0 (scale: the largest |value|). */
function worstRelative(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const scale = Math.max(...Array.from(b, Math.abs));
  let worst = 0;
  for (let k = 0; k < b.length; k++) worst = Math.max(worst, Math.abs(a[k] - b[k]) / Math.max(Math.abs(b[k]), 1e-6 * scale));
  return worst;
}

/** Composite Gauss-Legendre over [lo, hi] cut at `cuts` and into panels no wider than `width`. */
function panels(lo: number, hi: number, cuts: number[], width: number): [number, number][] {
  const edges = [lo, ...cuts.filter((c) => c > lo && c < hi), hi].sort((x, y) => x - y);
  const out: [number, number][] = [];
  for (let e = 0; e + 1 < edges.length; e++) {
    const n = Math.max(1, Math.ceil((edges[e + 1] - edges[e]) / width));
    for (let j = 0; j < n; j++) out.push([edges[e] + ((edges[e + 1] - edges[e]) * j) / n, edges[e] + ((edges[e + 1] - edges[e]) * (j + 1)) / n]);
  }
  return out;
}

/**
 * Single-neuron moments M(t) of a D = 1 single-layer net for every sorted tuple of orders 2, 4, 6,
 * as int dw db N(w; sw^2) N(b; sb^2) prod_p act(w x_p + b), nested Gauss-Legendre (24 points per
 * panel of one standard deviation), truncated at 9.5 standard deviations. (Measured: agrees with
 * panels 6x narrower to 1e-13.)
 */
function nestedMoments(act: (z: number) => number, sw: number, sb: number, xs: number[], maxOrder: number): Float64Array[] {
  const P = xs.length;
  const { nodes, weights } = gaussLegendre(24);
  const out: Float64Array[] = [];
  const lists: number[][][] = [];
  for (let n = 2; n <= maxOrder; n += 2) {
    lists[n] = sortedTuples(P, n);
    out[n] = new Float64Array(lists[n].length);
  }
  const normal = (v: number, s: number) => Math.exp(-(v * v) / (2 * s * s)) / (s * Math.sqrt(2 * Math.PI));
  const phi = new Float64Array(P);
  for (const [wl, wh] of panels(-9.5 * sw, 9.5 * sw, [0], sw)) {
    for (let i = 0; i < nodes.length; i++) {
      const w = wl + ((wh - wl) * (nodes[i] + 1)) / 2;
      const ww = (((wh - wl) / 2) * weights[i]) * normal(w, sw);
      const kinks = xs.map((x) => -w * x);
      for (const [bl, bh] of panels(-9.5 * sb, 9.5 * sb, kinks, sb)) {
        for (let j = 0; j < nodes.length; j++) {
          const b = bl + ((bh - bl) * (nodes[j] + 1)) / 2;
          const weight = ww * ((bh - bl) / 2) * weights[j] * normal(b, sb);
          for (let p = 0; p < P; p++) phi[p] = act(w * xs[p] + b);
          for (let n = 2; n <= maxOrder; n += 2) {
            const ts = lists[n];
            const o = out[n];
            for (let k = 0; k < ts.length; k++) {
              let prod = weight;
              for (const p of ts[k]) prod *= phi[p];
              o[k] += prod;
            }
          }
        }
      }
    }
  }
  return out;
}

/** G4c and G6c from moments by the partition formula, written out here (readout W1 ~ N(0, sw1^2/N), no b1 in G_c). */
function cumulantsFromMoments(M: Float64Array[], P: number, N: number, sw1: number, n: number): Float64Array {
  const s2 = (sw1 * sw1) / N;
  const readout = (k: number) => (k === 2 ? s2 : k === 4 ? 3 * s2 * s2 : 15 * s2 ** 3);
  return Float64Array.from(sortedTuples(P, n), (t) => {
    let total = 0;
    for (const blocks of evenPartitions(n)) {
      let term = partitionWeight(blocks.length);
      for (const block of blocks) term *= readout(block.length) * M[block.length][tupleIndex(block.map((pos) => t[pos]), P)];
      total += term;
    }
    return N * total;
  });
}

describe('exact finite-width correlators against independent quadratures', () => {
  test('the bug report: Erf-net (sw 1.5, sb 0.5, N = 4) at -1, 0.3, 1 has diagonal G6c = -0.2545836', () => {
    const net = erfNet({ width: 4, sigmaW: 1.5, sigmaB: 0.5 });
    const c = finiteWidthCorrelators(net, INPUTS, { order: 6 });
    expect(c.method).toBe('quadrature');
    for (const p of [0, 2]) expect(Math.abs(c.G6c!.value[tupleIndex([p, p, p, p, p, p], 3)] - -0.2545836)).toBeLessThan(5e-8);
    // The 1-d reduction on the diagonal: M_k = E[erf(s u)^k], u ~ N(0, 1), by adaptive Gauss-Kronrod.
    const s = Math.sqrt(0.25 + 2.25);
    const { value: m, error } = integrateBox(([u]) => {
      const e = erf(s * u);
      const g = Math.exp(-(u * u) / 2) / Math.sqrt(2 * Math.PI);
      return [g * e * e, g * e ** 4, g * e ** 6];
    }, 1, 9.5, 3, { relTol: 1e-14, absTol: 1e-16 });
    expect(Math.max(...error)).toBeLessThan(1e-12);
    const [m2, m4, m6] = m;
    const g6 = (1.5 ** 6 / 16) * (15 * m6 - 45 * m4 * m2 + 30 * m2 ** 3);
    const g4 = (1.5 ** 4 / 4) * (3 * m4 - 3 * m2 * m2);
    expect(Math.abs(c.G6c!.value[0] / g6 - 1)).toBeLessThan(1e-8);
    expect(Math.abs(c.G4c!.value[0] / g4 - 1)).toBeLessThan(1e-8);
    expect(Math.abs(connectedFourPointDiagonal(net, -1) / g4 - 1)).toBeLessThan(1e-8);
    expect(Math.abs(unitMoment(net, [-1], 6) / m6 - 1)).toBeLessThan(1e-9);
  });

  test.each([
    ['Erf', erfNet({ width: 4, sigmaW: 1.5, sigmaB: 0.5 }), erf, 1.5, 0.5],
    ['ReLU', reluNet({ width: 3, sigmaW: 1.3, sigmaB: 0.6 }), (z: number) => Math.max(z, 0), 1.3, 0.6],
    ['Tanh', tanhNet({ width: 5, sigmaW: 1.2, sigmaB: 0.7 }), Math.tanh, 1.2, 0.7],
  ] as const)('%s: G4c and G6c at every tuple (rank-2 inputs) agree with a nested (w, b) quadrature to 1e-7', (_name, net, act, sw, sb) => {
    const c = finiteWidthCorrelators(net as SingleLayerNet, INPUTS, { order: 6 });
    const M = nestedMoments(act, sw, sb, INPUTS.map((x) => x[0]), 6);
    const N = (net as SingleLayerNet).width;
    const g4 = cumulantsFromMoments(M, 3, N, sw, 4);
    const g6 = cumulantsFromMoments(M, 3, N, sw, 6);
    expect(worstRelative(c.G4c!.value, g4)).toBeLessThan(1e-7);
    expect(worstRelative(c.G6c!.value, g6)).toBeLessThan(1e-7);
    // G2 = sb^2 + sw^2 M2.
    expect(worstRelative(c.G2.value, Float64Array.from(M[2], (m) => sb * sb + sw * sw * m))).toBeLessThan(1e-9);
    // The reported integration error is small, and of the size of the actual one (here < 1e-8 relative).
    for (const key of ['G2', 'G4c', 'G6c'] as const) {
      expect(c.integrationError![key]!.length).toBe(c[key]!.value.length);
      c.integrationError![key]!.forEach((e, k) => expect(e).toBeLessThan(1e-8 * Math.abs(c[key]!.value[k])));
    }
  });

  test('P = 6 inputs at order 6: quadrature still converged (rank 2, steeper pre-activations)', () => {
    const xs = [-2, -1.2, -0.4, 0.4, 1.2, 2].map((x) => [x]);
    const net = erfNet({ width: 3, sigmaW: 1.5, sigmaB: 0.5 });
    const c = finiteWidthCorrelators(net, xs, { order: 6 });
    const M = nestedMoments(erf, 1.5, 0.5, [-2, 2], 6);
    // Spot-check the tuples on the inputs +-2 against the independent route.
    const sub = [0, 5];
    const g6 = cumulantsFromMoments(M, 2, 3, 1.5, 6);
    sortedTuples(2, 6).forEach((t, k) => {
      const v = c.G6c!.value[tupleIndex(t.map((i) => sub[i]), 6)];
      expect(Math.abs(v - g6[k])).toBeLessThan(1e-7 * Math.max(Math.abs(g6[k]), 1e-6));
    });
    c.integrationError!.G6c!.forEach((e, k) => expect(e).toBeLessThanOrEqual(Math.max(1e-10 * Math.abs(c.G6c!.value[k]), 1e-12)));
  });

  test('closed forms report zero integration error; M2 of Erf/ReLU is closed form too', () => {
    const xs = [[0, 0.2], [0.5, -0.3], [1, 0.4]];
    for (const net of [cosNet({ width: 3, dIn: 2 }), gaussNet({ width: 3, dIn: 2 })]) {
      const c = finiteWidthCorrelators(net, xs, { order: 6 });
      expect(c.method).toBe('closed-form');
      for (const key of ['G2', 'G4c', 'G6c'] as const) expect(Math.max(...c.integrationError![key]!)).toBe(0);
    }
    const relu = finiteWidthCorrelators(reluNet({ width: 2 }), INPUTS, { order: 2 });
    expect(relu.method).toBe('closed-form');
    expect(Math.max(...relu.integrationError!.G2)).toBe(0);
  });

  test('unitMoment: the Erf second moment equals the arcsine closed form; tolerance is validated', () => {
    const net = erfNet({ width: 2, sigmaW: 1.7, sigmaB: 0.4 });
    const k = 0.16 + 1.7 ** 2 * 0.81;
    expect(Math.abs(unitMoment(net, [0.9], 2) / ((2 / Math.PI) * Math.asin((2 * k) / (1 + 2 * k))) - 1)).toBeLessThan(1e-12);
    expect(unitMoment(net, [0.9], 3)).toBe(0);
    expect(() => unitMoment(net, [0.9], 2, { tolerance: 0 })).toThrow('unitMoment: tolerance must be a relative accuracy in [1e-14, 1e-2], got 0');
    expect(excessKurtosis(net, 0.9)).toBeGreaterThan(0);
  });
});

describe('fallbacks say so', () => {
  test('Erf inputs spanning 3 dimensions: auto uses single-neuron Monte Carlo and reports why; no integration error', () => {
    const net = erfNet({ width: 4, dIn: 2 });
    const xs = [[1, 0], [0, 1], [1, 1]];
    const c = finiteWidthCorrelators(net, xs, { order: 4, method: 'auto', samples: 20000 });
    expect(c.method).toBe('mc');
    expect(c.samples).toBe(20000);
    expect(c.integrationError).toBeUndefined();
    expect(c.fallbackReason).toContain('span 3 dimensions');
    expect(finiteWidthCorrelators(net, [[1, 0], [0.5, 0]], { order: 4, method: 'auto' }).fallbackReason).toBeUndefined();
  });

  test('pre-activations too steep for the trapezoid rule: exact refuses, auto falls back', () => {
    const net = erfNet({ width: 2, sigmaW: 40, sigmaB: 1 });
    const xs = [[-10], [10]];
    expect(() => finiteWidthCorrelators(net, xs, { order: 6 })).toThrow("finiteWidthCorrelators: method must be 'mc' for these inputs (the pre-activations are too steep");
    expect(finiteWidthCorrelators(net, xs, { order: 4, method: 'auto', samples: 5000 }).method).toBe('mc');
  });

  test('a massless Scalar-net with D <= n has an infinite G_n: refused whatever the method', () => {
    const net = scalarNet({ width: 3, dIn: 3, mass: 0, cutoff: 4 });
    expect(() => finiteWidthCorrelators(net, [[0, 0, 0], [1, 0, 0]], { order: 4, method: 'auto' })).toThrow('diverges at w = 0 for D = 3 <= 4');
    expect(finiteWidthCorrelators(net, [[0, 0, 0], [1, 0, 0]], { order: 2 }).method).toBe('quadrature');
  });
});

describe('Scalar-net: radial integrals in any D', () => {
  const MASS = 0.8;
  const CUTOFF = 5;

  test('D = 3: G2 equals (1 / 2 pi^2 r) int_0^Lambda p sin(p r) / (p^2 + m^2) dp (Simpson) and the propagator, to 1e-6', () => {
    const net = scalarNet({ width: 7, dIn: 3, mass: MASS, cutoff: CUTOFF, sigmaW1: 1.3 });
    const xs = [[0, 0, 0], [0.3, -0.2, 0.1], [1.2, 0.5, -0.7]];
    const c = finiteWidthCorrelators(net, xs, { order: 2 });
    expect(c.method).toBe('quadrature');
    const simpson = (f: (p: number) => number, n = 20000) => {
      const h = CUTOFF / n;
      let s = f(0) + f(CUTOFF);
      for (let i = 1; i < n; i++) s += (i % 2 ? 4 : 2) * f(i * h);
      return (s * h) / 3;
    };
    c.G2.tuples.forEach(([p, q], k) => {
      const r = Math.hypot(...xs[p].map((v, j) => v - xs[q][j]));
      const ref = r === 0 ? simpson((s) => (s * s) / (s * s + MASS * MASS)) / (2 * Math.PI ** 2) : simpson((s) => (s * Math.sin(s * r)) / (s * s + MASS * MASS)) / (2 * Math.PI ** 2 * r);
      expect(Math.abs(c.G2.value[k] / ref - 1)).toBeLessThan(1e-6);
      expect(Math.abs(c.G2.value[k] / scalarPropagator(3, MASS, CUTOFF, r) - 1)).toBeLessThan(1e-6);
      expect(c.integrationError!.G2[k]).toBeLessThan(1e-8 * c.G2.value[k]);
    });
  });

  test('D = 2: G2 and G4c equal an explicit angular integral over the disc (no Bessel functions), to 1e-6 / 1e-7', () => {
    const N = 3;
    const sw1 = 1.1;
    const net = scalarNet({ width: N, dIn: 2, mass: MASS, cutoff: CUTOFF, sigmaW1: sw1 });
    const xs = [[0, 0], [0.4, -0.3], [-0.2, 0.9]];
    const c = finiteWidthCorrelators(net, xs, { order: 4 });
    const { prefactor } = net.spectrum!;
    // E_w[F(|w|)^n cos(w . q)], w uniform in the disc: (1 / pi Lambda^2) int_0^Lambda p dp int_0^2pi dt ...;
    // the angle by the (periodic, hence geometrically convergent) trapezoid rule, the radius by
    // composite Gauss-Legendre.
    const { nodes, weights } = gaussLegendre(20);
    const average = (q: number[], n: number) => {
      let total = 0;
      for (const [lo, hi] of panels(0, CUTOFF, [MASS / 2, MASS, 2 * MASS, 4 * MASS], 0.25)) {
        for (let i = 0; i < nodes.length; i++) {
          const p = lo + ((hi - lo) * (nodes[i] + 1)) / 2;
          const T = 64; // p |q| <= 15 here: the aliasing error ~ J_64(15) < 1e-20
          let angular = 0;
          for (let j = 0; j < T; j++) {
            const t = (2 * Math.PI * j) / T;
            angular += Math.cos(p * (q[0] * Math.cos(t) + q[1] * Math.sin(t)));
          }
          total += ((hi - lo) / 2) * weights[i] * p * (prefactor ** 2 / (p * p + MASS * MASS)) ** (n / 2) * (angular / T);
        }
      }
      return (2 * total) / CUTOFF ** 2;
    };
    // Phase average of the cosines: 2^-n sum over balanced sign patterns.
    const moments: Float64Array[] = [];
    for (const n of [2, 4]) {
      moments[n] = Float64Array.from(sortedTuples(3, n), (t) => {
        let total = 0;
        for (let mask = 0; mask < 1 << n; mask++) {
          const signs = t.map((_, a) => (mask & (1 << a) ? 1 : -1));
          if (signs.reduce((x, y) => x + y, 0) !== 0) continue;
          const q = [0, 1].map((j) => t.reduce((acc, p, a) => acc + signs[a] * xs[p][j], 0));
          total += average(q, n);
        }
        return total / 2 ** n;
      });
    }
    const g2 = Float64Array.from(moments[2], (m) => sw1 * sw1 * m);
    expect(worstRelative(c.G2.value, g2)).toBeLessThan(1e-6);
    c.G2.tuples.forEach(([p, q], k) => expect(Math.abs(c.G2.value[k] / scalarPropagator(2, MASS, CUTOFF, Math.hypot(xs[p][0] - xs[q][0], xs[p][1] - xs[q][1])) - 1)).toBeLessThan(1e-6));
    expect(worstRelative(c.G4c!.value, cumulantsFromMoments(moments, 3, N, sw1, 4))).toBeLessThan(1e-7);
    for (const key of ['G2', 'G4c'] as const) c.integrationError![key]!.forEach((e, k) => expect(e).toBeLessThan(1e-8 * Math.abs(c[key]!.value[k])));
  });

  test('D = 4 and 5 run exactly too (no Monte Carlo fallback), Euclidean invariant', () => {
    for (const D of [4, 5]) {
      const net = scalarNet({ width: 3, dIn: D, mass: 1, cutoff: 3 });
      const xs = [new Array(D).fill(0), [0.5, ...new Array(D - 1).fill(0)], [0, 0.7, ...new Array(D - 2).fill(0.1)]];
      const moved = xs.map((x) => [x[1] + 0.3, -x[0], ...x.slice(2).map((v) => v - 0.2)]); // a rotation in the (1,2) plane and a shift
      const a = finiteWidthCorrelators(net, xs, { order: 6, method: 'auto' });
      const b = finiteWidthCorrelators(net, moved, { order: 6 });
      expect(a.method).toBe('quadrature');
      expect(worstRelative(a.G6c!.value, b.G6c!.value)).toBeLessThan(1e-10);
    }
  });
});

describe('special functions behind the radial integrals', () => {
  test('besselJ01 and ballAverage against series / closed forms / the Poisson integral', () => {
    // J0(10), J1(10), J0(50) (Abramowitz & Stegun tables).
    expect(besselJ01(10)[0]).toBeCloseTo(-0.245935764451348, 14);
    expect(besselJ01(10)[1]).toBeCloseTo(0.0434727461688614, 14);
    expect(besselJ01(50)[0]).toBeCloseTo(0.0558123276692518, 14);
    for (const rho of [0.5, 3, 4.5, 9, 31.7]) {
      expect(ballAverage(3, rho)).toBeCloseTo(Math.sin(rho) / rho, 14);
      expect(ballAverage(5, rho)).toBeCloseTo((3 * (Math.sin(rho) / rho - Math.cos(rho))) / rho ** 2, 13);
      // D = 4 by its Poisson integral (2 / pi) int_0^pi cos(rho cos t) sin^2 t dt (periodic trapezoid).
      const T = 400;
      let s = 0;
      for (let j = 0; j < T; j++) s += Math.cos(rho * Math.cos((Math.PI * j) / T)) * Math.sin((Math.PI * j) / T) ** 2;
      expect(ballAverage(4, rho)).toBeCloseTo((2 / T) * s, 13);
    }
  });
});
