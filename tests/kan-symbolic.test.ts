/**
 * Snapping Kolmogorov-Arnold edges to formulas (src/expressivity/kan-symbolic.ts, kan-recipe.ts) and
 * `nnft kan fit`: the affine fit c f(a x + b) + d recovers known transforms (checked on function values,
 * which do not depend on the fit's symmetries), its r^2 equals the squared correlation computed
 * independently, domains are respected, the ranking prefers the simpler exact function, and the
 * whole workflow recovers formulas whose values equal the targets on fresh points to 1e-6, from the
 * library and from the command line; bad input exits 2 naming the flag.
 */
import * as path from 'path';
import { spawnSync } from 'child_process';
import { Rng } from '../src/core/random';
import { fitAffine, symbolicScore } from '../src/expressivity/kan-symbolic';
import { kanRecipe } from '../src/expressivity/kan-recipe';
import { SYMBOLIC_FUNCTIONS } from '../src/expressivity/symbolic-functions';
import { compileFormula, parseFormula } from '../src/expressivity/formula';

const ROOT = path.resolve(__dirname, '..');
const rng = Rng.stream(5);
const xsOn = (lo: number, hi: number, n = 400) => Float64Array.from({ length: n }, () => lo + (hi - lo) * rng.uniform());

describe('fitAffine', () => {
  test.each([
    ['sin', 2.5, 1.7, -0.3, 0.4],
    ['exp', -0.7, 1.3, 0.2, 1.1],
    ['x^2', 3, 0.8, 0.5, -2],
    ['tanh', 1.5, 4.2, -1.1, 0],
  ] as const)('%s: c f(a x + b) + d is recovered to 1e-3 in value, r^2 > 1 - 1e-6', (name, c, a, b, d) => {
    const xs = xsOn(-1, 1);
    const F = SYMBOLIC_FUNCTIONS[name];
    const ys = Float64Array.from(xs, (x) => c * F.f(a * x + b) + d);
    const fit = fitAffine(name, xs, ys);
    expect(fit.r2).toBeGreaterThan(1 - 1e-6);
    const spread = Math.max(...ys) - Math.min(...ys);
    for (let s = 0; s < xs.length; s++) expect(Math.abs(fit.c * F.f(fit.a * xs[s] + fit.b) + fit.d - ys[s])).toBeLessThan(1e-3 * spread);
  });

  test('r^2 is the squared correlation of f(a x + b) with the data (two-pass, by hand)', () => {
    const xs = xsOn(-1, 1), ys = Float64Array.from(xs, (x) => Math.cos(3 * x) + 0.1 * x * x);
    const fit = fitAffine('sin', xs, ys);
    const g = Array.from(xs, (x) => Math.sin(fit.a * x + fit.b));
    const mg = g.reduce((s, v) => s + v, 0) / g.length, my = ys.reduce((s, v) => s + v, 0) / ys.length;
    let cov = 0, vg = 0, vy = 0;
    g.forEach((v, s) => { cov += (v - mg) * (ys[s] - my); vg += (v - mg) ** 2; vy += (ys[s] - my) ** 2; });
    expect(Math.abs(fit.r2 - (cov * cov) / (vg * vy))).toBeLessThan(1e-12);
    expect(Math.abs(fit.c - cov / vg)).toBeLessThan(1e-10);
  });

  test('log and sqrt keep every sample inside their domain; 1/x never crosses 0', () => {
    const xs = xsOn(-1, 1), ys = Float64Array.from(xs, (x) => Math.log(x + 1.5));
    for (const name of ['log', 'sqrt', '1/x'] as const) {
      const fit = fitAffine(name, xs, ys);
      const us = Array.from(xs, (x) => fit.a * x + fit.b);
      if (name === '1/x') expect(us.every((u) => u > 0) || us.every((u) => u < 0)).toBe(true);
      else expect(us.every((u) => u > 0)).toBe(true);
    }
    expect(fitAffine('log', xs, ys).r2).toBeGreaterThan(1 - 1e-6);
  });

  test('the ranking prefers the simpler function when both fit exactly (x^2 over x^4 on a parabola)', () => {
    const xs = xsOn(-1, 1), ys = Float64Array.from(xs, (x) => 2 * x * x - 1);
    const fits = (['x^2', 'x^4', 'sin', 'x'] as const).map((n) => fitAffine(n, xs, ys));
    const best = [...fits].sort((p, q) => symbolicScore(p) - symbolicScore(q))[0];
    expect(best.name).toBe('x^2');
  });

  test('bad arguments are named', () => {
    expect(() => fitAffine('cosh' as never, [0, 1, 2], [0, 1, 2])).toThrow(/name/);
    expect(() => fitAffine('sin', [0, 1], [0, 1])).toThrow(/xs\.length/);
  });
});

// (hellokan's own formula is recovered through the command line below)
describe('the hellokan workflow recovers formulas', () => {
  const targets: [string, string, number[], [number, number]][] = [
    ['x1*x2', 'multiplication, eq. (26)', [2, 1, 1], [0.5, 2]],
    ['x2^2/2 + 1 - cos(x1)', 'pendulum energy', [2, 1], [-2, 2]],
    ['sqrt(x1^2 + x2^2)', 'relativistic energy', [2, 1, 1], [0.5, 1.5]],
  ];
  test.each(targets)('%s (%s): the simplified formula equals the target to 1e-6 on 1000 fresh points', (text, _label, width, range) => {
    const f = compileFormula(parseFormula(text));
    const r = kanRecipe({ target: f, width, grid: 3, refine: 10, steps: 50, seed: 0, symbolic: true, range, progress: false });
    expect(r.formulaError!.maxAbs).toBeLessThan(1e-6);
    // the printed formula is evaluated independently of the network
    const g = compileFormula(parseFormula(r.formula!));
    for (let s = 0; s < 200; s++) {
      const p = [range[0] + (range[1] - range[0]) * rng.uniform(), range[0] + (range[1] - range[0]) * rng.uniform()];
      expect(Math.abs(g(p) - f(p))).toBeLessThan(1e-6);
    }
  });
});

describe('nnft kan fit', () => {
  const BIN = path.join(ROOT, 'bin', 'nnft.js');
  const run = (args: string[]) => spawnSync(process.execPath, [BIN, 'kan', 'fit', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120000 });

  test('prints the JSON the issue names, with the formula recovered', () => {
    const r = run(['--formula', 'exp(sin(pi*x1) + x2^2)', '--width', '2,5,1', '--grid', '3', '--refine', '10', '--steps', '50', '--symbolic', '--json']);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    for (const key of ['width', 'grid', 'rmse', 'history', 'formula', 'r2']) expect(out).toHaveProperty(key);
    expect(out.rmse.test).toBeLessThan(1e-8);
    expect(out.formulaError.maxAbs).toBeLessThan(1e-6);
    expect(Object.values(out.r2).every((v) => (v as number) > 0.999)).toBe(true);
  });

  test.each([
    [['--formula', 'exp(x1'], /--formula/],
    [['--formula', 'foo(x1)'], /foo/],
    [['--formula', 'log(x1)'], /finite on the box/],
    [['--formula', 'x1*x2', '--width', '2,5'], /--width/],
    [['--formula', 'x1*x2', '--width', '1,5,1'], /--width/],
    [['--formula', 'x1', '--grid', '0'], /--grid/],
    [['--formula', 'x1', '--range', '1,-1'], /--range/],
    [['--widht', '2,5,1'], /--widht/],
  ])('bad input %j exits 2 naming it', (args, pattern) => {
    const r = run(args as string[]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(pattern as RegExp);
  });
});
