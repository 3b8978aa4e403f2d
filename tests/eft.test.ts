import { reluNet, gaussNet } from '../src/nets/architectures';
import { measureCorrelatorsInProcess } from '../src/ensembles/runs';
import { MODEL_LADDER, firstOrderCoefficients, fitModel, measuredDeviation, propagator, runningCoupling, weightedLeastSquares } from '../src/eft/eft';
import { finiteWidthCorrelators } from '../src/exact/finite-width';
import { useBackend } from '../src/core/backend';
import { Rng } from '../src/core/random';
import { bonferroniZ, jackknife } from '../src/statistics/stats';
import { generateDiagrams, localInteraction } from '../src/eft/feynman';
import { gaussLegendre } from '../src/core/special';
import { main } from '../src/cli';

beforeAll(async () => {
  await useBackend('wasm');
});

const INPUTS = [[-1], [-0.3], [0.4], [1]];

describe('coupling fits', () => {
  test('weighted least squares recovers known couplings from exact data, and from noisy data within its errors', () => {
    const rng = Rng.stream(11, 0);
    const rows = Array.from({ length: 40 }, (_, t) => t);
    const A = [rows.map((t) => -24 * (1 + Math.sin(t))), rows.map((t) => -360 * (2 + Math.cos(0.3 * t)))];
    const truth = [0.004, -0.0002];
    const exact = rows.map((t) => truth[0] * A[0][t] + truth[1] * A[1][t]);
    const w = rows.map(() => 1);
    const fitted = weightedLeastSquares(exact, A, w, rows);
    expect(Math.abs(fitted[0] - truth[0])).toBeLessThan(1e-12);
    expect(Math.abs(fitted[1] - truth[1])).toBeLessThan(1e-12);
    // noise of known sigma: the spread of 200 refits is the WLS error; the mean is unbiased
    const sigma = 0.01;
    const fits = Array.from({ length: 200 }, () => weightedLeastSquares(exact.map((v) => v + sigma * rng.normal()), A, rows.map(() => 1 / sigma ** 2), rows));
    const mean = fits.reduce((s, f) => s + f[0], 0) / fits.length;
    const sd = Math.sqrt(fits.reduce((s, f) => s + (f[0] - mean) ** 2, 0) / (fits.length - 1));
    expect(Math.abs(mean - truth[0])).toBeLessThan(4 * (sd / Math.sqrt(fits.length)));
    expect(() => weightedLeastSquares(exact, [A[0], A[0]], w, rows)).toThrow(/linearly independent/);
  });

  // A theory whose coupling is known because it is put in: phi sampled from exp(-phi^2/2 - g phi^4)
  // (zero dimensions, K = 1), by rejection from N(0, 1). The generated series G4c = c1 g + c2 g^2,
  // inverted on the measured G4c, must give back g within z jackknife errors.
  test('sampled zero-dimensional phi^4 theory: the coupling put in is recovered within errors', () => {
    const g = 0.001;
    const quartic = localInteraction('g', 4);
    const series = (vertices: (typeof quartic)[]) => generateDiagrams(4, vertices, { dropTwoPointCorrections: false, connected: true }).reduce((s, d) => s + d.coefficient, 0);
    const c1 = series([quartic]);
    const c2 = series([quartic, quartic]);
    expect(c1).toBe(-24);
    // The exact G4c of the density (quadrature) is within a quarter of an error bar of the two-term series.
    const rule = gaussLegendre(200);
    const moment = (m: number) => rule.nodes.reduce((s, u, i) => s + rule.weights[i] * (12 * u) ** m * Math.exp(-((12 * u) ** 2) / 2 - g * (12 * u) ** 4), 0);
    const exactG4c = moment(4) / moment(0) - 3 * (moment(2) / moment(0)) ** 2;
    const rng = Rng.stream(21, 0);
    const blocks = 40, perBlock = 150000;
    const batchMeans: number[][] = [];
    for (let b = 0; b < blocks; b++) {
      let m2 = 0, m4 = 0;
      for (let n = 0; n < perBlock; ) {
        const phi = rng.normal();
        const phi2 = phi * phi;
        if (rng.uniform() >= Math.exp(-g * phi2 * phi2)) continue;
        m2 += phi2;
        m4 += phi2 * phi2;
        n++;
      }
      batchMeans.push([m2 / perBlock, m4 / perBlock]);
    }
    const g4c = (m: number[]) => m[1] - 3 * m[0] * m[0];
    const invert = (G: number) => (-c1 - Math.sqrt(c1 * c1 + 4 * c2 * G)) / (2 * c2); // the root near G / c1
    const measuredG4c = jackknife(batchMeans, g4c);
    const recovered = jackknife(batchMeans, (m) => invert(g4c(m)));
    const z = 4;
    expect(Math.abs(exactG4c - (c1 * g + c2 * g * g))).toBeLessThan(0.25 * measuredG4c.stdErr);
    expect(Math.abs(measuredG4c.value - exactG4c)).toBeLessThan(z * measuredG4c.stdErr);
    expect(Math.abs(recovered.value - g)).toBeLessThan(z * recovered.stdErr);
    expect(recovered.stdErr).toBeLessThan(0.15 * g); // power: a coupling 60% off would fail
  });

  // The known coupling of a finite-width ensemble: lambda fitted to its *exact* connected 4-point
  // function (single-neuron quadrature). Monte Carlo must recover it within z jackknife errors.
  test.each([
    ['ReLU-net', reluNet({ width: 3 }), 'relu' as const, 1],
    ['Gauss-net', gaussNet({ width: 3, sigmaW: 0.5, sigmaB: 0.5 }), 'gauss' as const, 0.5],
  ])('%s at width 3: the Monte Carlo lambda equals the lambda of the exact G4c', async (_name, net, kernel, sigma) => {
    const z = bonferroniZ(1e-4, 2);
    const K = propagator({ kernel, sigmaW: sigma, sigmaB: sigma });
    const cutoff = 3;
    const coefficients = firstOrderCoefficients(K, INPUTS, 4, ['lambda'], cutoff);
    const run = await measureCorrelatorsInProcess(net, INPUTS, { order: 4, nets: 60000, seed: 3, progress: false });
    const fit = fitModel(run, K, coefficients, MODEL_LADDER[1], Array.from(coefficients.lambda.value, (_, t) => t));
    const exact = finiteWidthCorrelators(net, INPUTS, { order: 4, method: 'exact' }).G4c!.value;
    const measured = measuredDeviation(run, K, 4);
    const w = measured.stdErr.map((s) => 1 / (s * s));
    const known = weightedLeastSquares(exact, [coefficients.lambda.value], w, Array.from(exact, (_, t) => t))[0];
    const lambda = fit.couplings.lambda;
    expect(known).toBeLessThan(0); // positive excess kurtosis: lambda < 0 with Delta G4 = -24 lambda int K^4
    expect(Math.abs(lambda.value - known)).toBeLessThan(z * lambda.stdErr);
    expect(lambda.stdErr).toBeLessThan(0.2 * Math.abs(known)); // and the test has power
  });

  test('running coupling: slope -d_in for a propagator with a constant tail, about 0 without it (Gauss-net)', async () => {
    const net = gaussNet({ width: 3, sigmaW: 0.5, sigmaB: 0.5 });
    const run = await measureCorrelatorsInProcess(net, INPUTS, { order: 4, nets: 20000, seed: 4, progress: false });
    const cutoffs = [1000, 2000, 4000]; // far beyond the bump of K around the inputs
    const withBias = runningCoupling(run, propagator({ kernel: 'gauss', sigmaW: 0.5, sigmaB: 0.5 }), cutoffs);
    expect(Math.abs(withBias.slope.value + 1)).toBeLessThan(0.05);
    const withoutBias = runningCoupling(run, propagator({ kernel: 'gauss', sigmaW: 0.5, sigmaB: 0.5, bias: false }), cutoffs);
    expect(Math.abs(withoutBias.slope.value)).toBeLessThan(0.01);
  });
});

describe('nnft feynman', () => {
  test('--json prints the first-order coefficients, fully symmetric, with the talk\'s sign', async () => {
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const code = await main(['feynman', '--propagator', 'erf', '--cutoff', '3', '--inputs', '-1;0.5', '--json']);
    const out = JSON.parse(String(write.mock.calls[0][0]));
    write.mockRestore();
    expect(code).toBe(0);
    expect(out.inputs).toEqual([[-1], [0.5]]);
    expect(out.cutoff).toBe(3);
    const L = out.coefficients.lambda;
    expect(L[0][1][1][0]).toBeCloseTo(L[1][1][0][0], 10);
    expect(L[0][0][0][0]).toBeLessThan(0);
    const K = propagator({ kernel: 'erf' });
    const direct = firstOrderCoefficients(K, [[-1], [0.5]], 4, ['lambda', 'kappa'], 3);
    expect(L[0][0][1][1]).toBeCloseTo(direct.lambda.value[2], 8);
    expect(out.coefficients.kappa[1][1][1][1]).toBeCloseTo(direct.kappa.value[4], 6);
  });
  test('--kernel, the old name of --propagator, still works and warns on stderr', async () => {
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const warn = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await main(['feynman', '--kernel', 'relu', '--cutoff', '2', '--inputs', '0;1', '--json'])).toBe(0);
      const old = String(write.mock.calls[0][0]);
      expect(await main(['feynman', '--propagator', 'relu', '--cutoff', '2', '--inputs', '0;1', '--json'])).toBe(0);
      expect(String(write.mock.calls[1][0])).toBe(old);
      const warnings = warn.mock.calls.map((c) => String(c[0]));
      expect(warnings).toEqual(['nnft: --kernel is an old name; use --propagator\n']);
    } finally {
      write.mockRestore();
      warn.mockRestore();
    }
  });
  test.each([
    [['--propagator', 'tanh', '--cutoff', '3', '--inputs', '1'], /--propagator must be one of erf, relu, gauss, cos, got "tanh"/],
    [['--propagator', 'erf', '--inputs', '1'], /--cutoff must be given/],
    [['--propagator', 'erf', '--cutoff', '3', '--inputs', '1', '--order', '5'], /--order must be 4 or 6, got "5"/],
  ])('bad flags exit 2 naming flag and value: %j', async (args, message) => {
    const err = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const code = await main(['feynman', ...args]);
    const text = err.mock.calls.map((c) => String(c[0])).join('\n');
    err.mockRestore();
    expect(code).toBe(2);
    expect(text).toMatch(message);
  });
});
