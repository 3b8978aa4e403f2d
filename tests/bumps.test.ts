/**
 * Universal approximation by sigmoid bumps (src/expressivity/bumps.ts, TASI eqs. (21)-(24)): the net
 * is the bump formula (checked against its own evaluation from the parameters), its sup-norm error
 * obeys the Lipschitz bound L h / 2 once the sigmoids are steep and falls like 1/N, and a shallow
 * net misses the bound (the construction needs s h >> 1).
 */
import { bumpNet, supNormError } from '../src/expressivity/bumps';

const TARGETS: [string, (x: number) => number, number, number, number][] = [
  // name, f, lo, hi, Lipschitz constant on [lo, hi]
  ['sin on [0, 2 pi]', Math.sin, 0, 2 * Math.PI, 1],
  ['exp on [-1, 1]', Math.exp, -1, 1, Math.E],
  ['|x| on [-1, 2] (a kink)', Math.abs, -1, 2, 1],
];

describe('universal approximation by bumps', () => {
  test('the network is the sum of bumps f(m_k) [sigma(s(x - a_k)) - sigma(s(x - a_{k+1}))], with 2N units', () => {
    const f = (x: number) => Math.cos(3 * x) + x;
    const [lo, hi, N, s] = [-1, 2, 7, 9];
    const net = bumpNet(f, lo, hi, N, s);
    expect(net.w0.length).toBe(2 * N);
    const h = (hi - lo) / N;
    const logistic = (z: number) => 1 / (1 + Math.exp(-z));
    const edge = (k: number) => (k === 0 ? lo - h : k === N ? hi + h : lo + k * h);
    for (let p = 0; p <= 50; p++) {
      const x = lo - 0.5 + (p * (hi - lo + 1)) / 50;
      let bumps = 0;
      for (let k = 0; k < N; k++) bumps += f(lo + (k + 0.5) * h) * (logistic(s * (x - edge(k))) - logistic(s * (x - edge(k + 1))));
      expect(Math.abs(net.evaluate(x) - bumps)).toBeLessThan(1e-12);
    }
  });

  test.each(TARGETS)('%s: steep bumps stay within 1.05 L h / 2 and the error falls like 1/N', (_, f, lo, hi, L) => {
    const Ns = [10, 20, 40, 80, 160];
    const errors = Ns.map((N) => supNormError(f, bumpNet(f, lo, hi, N).evaluate, lo, hi));
    errors.forEach((e, i) => expect(e).toBeLessThanOrEqual(1.05 * (L * (hi - lo)) / Ns[i] / 2));
    const slope = Math.log(errors[4] / errors[1]) / Math.log(Ns[4] / Ns[1]);
    expect(slope).toBeGreaterThan(-1.1);
    expect(slope).toBeLessThan(-0.9);
    // Shallow sigmoids (s h = 0.5) blur the bumps into each other and miss the bound by far.
    const N = 40;
    const shallow = supNormError(f, bumpNet(f, lo, hi, N, (0.5 * N) / (hi - lo)).evaluate, lo, hi);
    expect(shallow).toBeGreaterThan(2 * (L * (hi - lo)) / N / 2);
  });

  test('bad arguments are refused, naming them', () => {
    expect(() => bumpNet(Math.sin, 0, 1, 0)).toThrow(/bumpNet: N must be a positive integer, got 0/);
    expect(() => bumpNet(Math.sin, 1, 0, 3)).toThrow(/bumpNet: hi must be a finite number above lo = 1, got 0/);
    expect(() => bumpNet(Math.sin, 0, 1, 3, -2)).toThrow(/bumpNet: steepness must be a finite positive number, got -2/);
    expect(() => bumpNet((x) => 1 / (x - 0.5), 0, 1, 1)).toThrow(/bumpNet: f must be finite on \[lo, hi\]/);
  });
});
