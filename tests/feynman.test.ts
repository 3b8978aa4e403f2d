import { Diagram, evaluateDiagrams, generateDiagrams, localInteraction, radialQuartic, symmetryFactor } from '../src/eft/feynman';
import { integrateBox } from '../src/statistics/quadrature';
import { erfNet, gaussNet } from '../src/nets/architectures';
import { gpKernel } from '../src/exact/gp-kernels';
import { sortedTuples } from '../src/statistics/tuples';
import { gaussLegendre } from '../src/core/special';

const lambda = localInteraction('lambda', 4);
const kappa = localInteraction('kappa', 6);

/** Double factorial moments of N(0, s2): E[phi^n]. */
function gaussMoment(n: number, s2: number): number {
  if (n % 2) return 0;
  let m = 1;
  for (let k = n - 1; k > 1; k -= 2) m *= k;
  return m * s2 ** (n / 2);
}

/** In zero dimensions every line is K0 and there is nothing to integrate. */
const zeroDim = (ds: Diagram[], K0: number) => ds.reduce((s, d) => s + d.coefficient * K0 ** d.lines.length, 0);

/**
 * Brute force in zero dimensions: expand exp(-g phi^k) to second order under the Gaussian weight
 * exp(-phi^2 / 2K0), compute every Gaussian moment by quadrature, and return the moments
 * <phi^n>_g = N_n(g) / N_0(g) as power series [order 0, order 1, order 2] in g.
 */
function zeroDimSeries(K0: number, k: number, maxN: number): number[][] {
  const rule = gaussLegendre(200);
  const L = 14 * Math.sqrt(K0);
  const gauss = (m: number) => rule.nodes.reduce((s, x, i) => s + L * rule.weights[i] * Math.exp(-((L * x) ** 2) / (2 * K0)) * (L * x) ** m, 0);
  const N = (n: number) => [gauss(n), -gauss(n + k), gauss(n + 2 * k) / 2];
  const N0 = N(0);
  // series division a / b to second order
  const divide = (a: number[], b: number[]) => {
    const c0 = a[0] / b[0];
    const c1 = (a[1] - c0 * b[1]) / b[0];
    const c2 = (a[2] - c0 * b[2] - c1 * b[1]) / b[0];
    return [c0, c1, c2];
  };
  return Array.from({ length: maxN + 1 }, (_, n) => divide(N(n), N0));
}

const times = (a: number[], b: number[]) => [a[0] * b[0], a[0] * b[1] + a[1] * b[0], a[0] * b[2] + a[1] * b[1] + a[2] * b[0]];

describe('Wick-contraction generator', () => {
  test("first-order coefficients are the talk's 24, 360, 720 and 15 x 24, 15 x 360 (eqs. 3.17-3.19)", () => {
    const coeffs = (n: number, v: typeof lambda) => generateDiagrams(n, [v]).map((d) => d.coefficient).sort((a, b) => a - b);
    expect(coeffs(2, lambda)).toEqual([]); // rule 4.5: no correction to the 2-point function
    expect(coeffs(2, kappa)).toEqual([]);
    expect(coeffs(4, lambda)).toEqual([-24]);
    expect(coeffs(4, kappa)).toEqual([-360]);
    expect(coeffs(6, lambda)).toEqual(new Array(15).fill(-24));
    expect(coeffs(6, kappa)).toEqual([-720, ...new Array(15).fill(-360)]);
    // without rule 4.5 the dropped pieces reappear with the talk's 12, 90, 72, 540, 5400 and 4050 totals
    const dropped = (n: number, v: typeof lambda) => generateDiagrams(n, [v], { dropTwoPointCorrections: false }).reduce((s, d) => s + d.contractions, 0);
    expect(dropped(2, lambda)).toBe(12);
    expect(dropped(2, kappa)).toBe(90);
    expect(dropped(4, lambda)).toBe(72 + 24);
    expect(dropped(4, kappa)).toBe(540 + 360);
    expect(dropped(6, lambda)).toBe(540 + 360);
    expect(dropped(6, kappa)).toBe(720 + 5400 + 4050);
  });

  test.each([
    [2, 4],
    [4, 4],
    [6, 4],
    [2, 6],
    [4, 6],
  ])('zero-dimensional brute force: first-order change of <phi^%i> under g int phi^%i', (n, k) => {
    const K0 = 0.7;
    const expanded = zeroDimSeries(K0, k, n)[n][1];
    const generated = zeroDim(generateDiagrams(n, [localInteraction('g', k)], { dropTwoPointCorrections: false }), K0);
    // and from Wick's theorem by hand: -(E[phi^(n+k)] - E[phi^n] E[phi^k])
    const wick = -(gaussMoment(n + k, K0) - gaussMoment(n, K0) * gaussMoment(k, K0));
    expect(Math.abs(generated - wick)).toBeLessThan(1e-12 * Math.abs(wick));
    expect(Math.abs(generated - expanded)).toBeLessThan(1e-9 * Math.abs(wick));
  });

  test('zero-dimensional brute force at second order: the lambda^2 part of the connected 6-point function', () => {
    const K0 = 0.9;
    const m = zeroDimSeries(K0, 4, 6);
    // sixth cumulant of a symmetric variable: m6 - 15 m4 m2 + 30 m2^3, as a series in g
    const m2cubed = times(times(m[2], m[2]), m[2]);
    const m4m2 = times(m[4], m[2]);
    const c6 = [0, 1, 2].map((o) => m[6][o] - 15 * m4m2[o] + 30 * m2cubed[o]);
    expect(Math.abs(c6[0])).toBeLessThan(1e-9); // Gaussian at g = 0
    const generated = zeroDim(generateDiagrams(6, [lambda, lambda], { dropTwoPointCorrections: false, connected: true }), K0);
    expect(Math.abs(generated - c6[2])).toBeLessThan(1e-8 * Math.abs(generated));
    // and the tree diagrams alone (rule 4.5) are the 10 x 576 of the two-vertex exchange
    const tree = generateDiagrams(6, [lambda, lambda], { connected: true });
    expect(tree.map((d) => d.coefficient)).toEqual(new Array(10).fill(576));
  });
});

describe("generated coefficients equal the talk's formulas on every tuple", () => {
  const inputs = [[-1], [0.3], [1.2]];
  const cutoff = 3;
  const pairings15 = (six: number[]) => {
    // the 15 ways to pick the pair that is not attached to the vertex
    const out: [number[], [number, number]][] = [];
    for (let i = 0; i < 6; i++) for (let j = i + 1; j < 6; j++) out.push([six.filter((_, k) => k !== i && k !== j), [six[i], six[j]]]);
    return out;
  };
  test.each([
    ['Erf-net', gpKernel(erfNet({ width: 1, sigmaW: 1, sigmaB: 1 }))],
    ['Gauss-net', gpKernel(gaussNet({ width: 1, sigmaW: 1, sigmaB: 1 }))],
  ])('%s kernel, 4- and 6-point, lambda and kappa', (_name, K) => {
    const at = (i: number, y: number[]) => K(inputs[i], y);
    const talk: Record<string, (t: number[]) => number> = {
      'G4 lambda': (t) => integrateBox((y) => [-24 * t.reduce((p, i) => p * at(i, y), 1)], 1, cutoff, 1).value[0],
      'G4 kappa': (t) => integrateBox((y) => [-360 * K(y, y) * t.reduce((p, i) => p * at(i, y), 1)], 1, cutoff, 1).value[0],
      'G6 lambda': (t) => pairings15(t).reduce((s, [four, [a, b]]) => s - 24 * K(inputs[a], inputs[b]) * integrateBox((y) => [four.reduce((p, i) => p * at(i, y), 1)], 1, cutoff, 1).value[0], 0),
      'G6 kappa': (t) =>
        integrateBox((y) => [-720 * t.reduce((p, i) => p * at(i, y), 1)], 1, cutoff, 1).value[0] +
        pairings15(t).reduce((s, [four, [a, b]]) => s - 360 * K(inputs[a], inputs[b]) * integrateBox((y) => [K(y, y) * four.reduce((p, i) => p * at(i, y), 1)], 1, cutoff, 1).value[0], 0),
    };
    for (const [label, formula] of Object.entries(talk)) {
      const n = label.startsWith('G4') ? 4 : 6;
      const generated = evaluateDiagrams(generateDiagrams(n, [label.endsWith('lambda') ? lambda : kappa]), n, K, inputs, cutoff);
      expect(generated.tuples).toEqual(sortedTuples(inputs.length, n));
      generated.tuples.forEach((t, k) => {
        const expected = formula([...t]);
        expect(Math.abs(generated.value[k] - expected)).toBeLessThan(1e-6 * Math.abs(expected));
      });
    }
  });
});

describe('position-weighted vertex', () => {
  test('|y|^2 f^4 in d_in = 2 equals -24 int |y|^2 K K K K by a separate Gauss-Legendre product rule', () => {
    const K = gpKernel(gaussNet({ width: 1, dIn: 2, sigmaW: 1, sigmaB: 0.5 }));
    const inputs = [[0.3, -0.2], [-0.5, 0.4]];
    const cutoff = 2;
    const generated = evaluateDiagrams(generateDiagrams(4, [radialQuartic('g')]), 4, K, inputs, cutoff, { relTol: 1e-10 });
    expect(generateDiagrams(4, [radialQuartic('g')]).map((d) => d.coefficient)).toEqual([-24]);
    // 4 panels x 32 nodes per axis: the integrand is entire, so this is exact to rounding.
    const { nodes, weights } = gaussLegendre(32);
    const axis: [number, number][] = [];
    for (let panel = 0; panel < 4; panel++) nodes.forEach((u, k) => axis.push([-cutoff + (panel + (u + 1) / 2) * (cutoff / 2), (weights[k] * cutoff) / 4]));
    generated.tuples.forEach((t, k) => {
      let expected = 0;
      for (const [y0, w0] of axis) for (const [y1, w1] of axis) expected -= 24 * w0 * w1 * (y0 * y0 + y1 * y1) * t.reduce((p, i) => p * K(inputs[i], [y0, y1]), 1);
      expect(Math.abs(generated.value[k] - expected)).toBeLessThan(1e-8 * Math.abs(expected));
    });
    // and it is not the unweighted vertex
    const plain = evaluateDiagrams(generateDiagrams(4, [lambda]), 4, K, inputs, cutoff);
    expect(Math.abs(plain.value[0] - generated.value[0])).toBeGreaterThan(0.1 * Math.abs(plain.value[0]));
  });
});

describe('box quadrature', () => {
  const gauss1 = Math.sqrt(Math.PI) * 0.9999779095030014; // int_{-3}^{3} exp(-y^2) = sqrt(pi) erf(3)
  test('adaptive Gauss-Kronrod in 1 and 2 dimensions: within the reported error', () => {
    const r1 = integrateBox((y) => [Math.exp(-y[0] * y[0])], 1, 3, 1);
    expect(Math.abs(r1.value[0] - gauss1)).toBeLessThan(Math.max(r1.error[0], 1e-12) * 10);
    expect(r1.error[0]).toBeLessThan(1e-6);
    const r2 = integrateBox((y) => [Math.exp(-y[0] * y[0] - y[1] * y[1])], 2, 3, 1);
    expect(Math.abs(r2.value[0] - gauss1 ** 2)).toBeLessThan(Math.max(r2.error[0], 1e-12) * 10);
  });
  test('quasi-Monte Carlo in 3 dimensions: within 4 standard errors, which are small', () => {
    const r = integrateBox((y) => [Math.exp(-y[0] * y[0] - y[1] * y[1] - y[2] * y[2])], 3, 3, 1);
    expect(r.method).toBe('qmc');
    expect(Math.abs(r.value[0] - gauss1 ** 3)).toBeLessThan(4 * r.error[0]);
    expect(r.error[0]).toBeLessThan(1e-4 * gauss1 ** 3);
  });
  test('bad arguments name themselves', () => {
    expect(() => integrateBox(() => [1], 0, 1, 1)).toThrow(/dim must be a positive integer, got 0/);
    expect(() => integrateBox(() => [1], 1, -2, 1)).toThrow(/cutoff must be a positive finite number, got -2/);
  });
});

describe('symmetry factors', () => {
  // Textbook phi^4 values for (lambda/4!) phi^4, and phi^3 for (g/3!) phi^3 (e.g. Peskin & Schroeder
  // section 4.4; Srednicki ch. 9): the generator's counts must reproduce them.
  const quartic = localInteraction('lambda', 4);
  const cubic = localInteraction('g', 3);
  const factors = (n: number, vertices: ReturnType<typeof localInteraction>[]) =>
    generateDiagrams(n, vertices, { dropTwoPointCorrections: false, connected: true }).map(symmetryFactor).sort((a, b) => a - b);

  test('phi^4: tree vertex S = 1, the first-order propagator correction S = 2, the sunset S = 6', () => {
    expect(factors(4, [quartic])).toEqual([1]);
    expect(factors(2, [quartic])).toEqual([2]);
    // Second order 2-point: the sunset (6), the double tadpole (4) and the tadpole on a tadpole (4).
    expect(factors(2, [quartic, quartic])).toEqual([4, 4, 6]);
  });

  test('phi^3: the one-loop propagator correction S = 2, the tree 4-point exchange diagrams S = 1', () => {
    expect(factors(2, [cubic, cubic]).filter((s) => s === 2).length).toBeGreaterThan(0);
    expect(factors(4, [cubic, cubic])).toEqual([1, 1, 1]);
  });

  test('coefficient = (-1)^V contractions / prod m!, i.e. (-1)^V prod (k!) / S', () => {
    for (const d of generateDiagrams(2, [quartic, quartic], { dropTwoPointCorrections: false, connected: true })) {
      expect(d.coefficient).toBeCloseTo((24 * 24) / symmetryFactor(d), 12); // V = 2: sign +, (4!)^2 / S
    }
  });
});
