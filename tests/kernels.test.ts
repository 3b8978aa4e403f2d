import { erfNet, gaussNet, reluNet, tanhNet, singleLayerNet } from '../src/nets/architectures';
import { gpKernel, gpKernelMatrix, gpKernelQuadrature } from '../src/exact/gp-kernels';
import { erf, gaussHermiteNormal } from '../src/core/special';
import { connectedFourPointDiagonal, excessKurtosis, unitMoment } from '../src/exact/finite-width';

const points2d = [[0, 0], [0.5, -1], [1, 1], [-2, 0.3]];

describe('special functions', () => {
  test('erf at known values (Abramowitz & Stegun table 7.1) and symmetry', () => {
    expect(erf(0)).toBe(0);
    expect(erf(0.5)).toBeCloseTo(0.5204998778130465, 14);
    expect(erf(1)).toBeCloseTo(0.8427007929497149, 14);
    expect(erf(2)).toBeCloseTo(0.9953222650189527, 14);
    expect(erf(3.5)).toBeCloseTo(0.9999992569016276, 14);
    expect(erf(-1.3)).toBeCloseTo(-erf(1.3), 15);
  });
  test('Gauss-Hermite rule integrates normal moments exactly', () => {
    const { nodes, weights } = gaussHermiteNormal(20);
    const moment = (k: number) => nodes.reduce((a, x, i) => a + weights[i] * x ** k, 0);
    expect(moment(0)).toBeCloseTo(1, 13);
    expect(moment(2)).toBeCloseTo(1, 12);
    expect(moment(4)).toBeCloseTo(3, 11);
    expect(moment(8)).toBeCloseTo(105, 9);
    expect(moment(3)).toBeCloseTo(0, 12);
  });
  test('Gauss-Hermite orders up to the cap have unit total weight and E[Z^4] = 3; larger orders are refused', () => {
    for (const order of [...Array.from({ length: 20 }, (_, k) => k + 1), 64, 100, 150, 180, 190]) {
      const { nodes, weights } = gaussHermiteNormal(order);
      expect(Math.abs(weights.reduce((a, w) => a + w, 0) - 1)).toBeLessThan(1e-12);
      if (order >= 3) expect(Math.abs(nodes.reduce((a, x, i) => a + weights[i] * x ** 4, 0) - 3)).toBeLessThan(1e-11);
    }
    expect(() => gaussHermiteNormal(200)).toThrow(/order must be an integer in \[1, 190\], got 200/);
  });
});

describe('GP kernels: closed form against quadrature of the defining expectation', () => {
  const cases = [
    ['Erf', erfNet({ width: 1, dIn: 2, sigmaW: 1.3, sigmaB: 0.4 }), 1e-9],
    ['Gauss', gaussNet({ width: 1, dIn: 2, sigmaW: 0.8, sigmaB: 0.6 }), 1e-9],
    ['ReLU', reluNet({ width: 1, dIn: 2, sigmaW: 1.1, sigmaB: 0.7 }), 3e-3],
  ] as const;
  test.each(cases)('%s-net', (_name, net, relTol) => {
    const closed = gpKernel(net);
    const quad = gpKernelQuadrature(net, 160);
    for (const x of points2d) for (const y of points2d) {
      const k = closed(x, y);
      expect(Math.abs(k - quad(x, y)) / Math.abs(k)).toBeLessThan(relTol);
    }
  });

  test('Gauss-net kernel is translation invariant, Erf-net kernel is not', () => {
    const g = gpKernel(gaussNet({ width: 1, dIn: 2 }));
    const e = gpKernel(erfNet({ width: 1, dIn: 2 }));
    const shift = (v: number[]) => [v[0] + 0.7, v[1] - 0.4];
    expect(g(shift([0.1, 0.2]), shift([1, -1]))).toBeCloseTo(g([0.1, 0.2], [1, -1]), 14);
    expect(Math.abs(e(shift([0.1, 0.2]), shift([1, -1])) - e([0.1, 0.2], [1, -1]))).toBeGreaterThan(1e-3);
  });

  test('ReLU kernel on the diagonal is sb^2 + sw^2 k(x,x)/2', () => {
    const net = reluNet({ width: 1, sigmaW: 1.5, sigmaB: 0.5 });
    const x = [0.8];
    const k = 0.25 + 2.25 * 0.64;
    expect(gpKernel(net)(x, x)).toBeCloseTo(0.25 + 2.25 * (k / 2), 13);
  });

  test('kernel matrices are symmetric positive semi-definite (Cholesky succeeds)', () => {
    const xs = [-1, -0.3, 0.2, 0.9, 1.4].map((x) => [x]);
    for (const net of [erfNet({ width: 1 }), reluNet({ width: 1 }), gaussNet({ width: 1 }), tanhNet({ width: 1 })]) {
      const K = gpKernelMatrix(net, xs);
      const L = K.map(() => new Array(xs.length).fill(0));
      for (let i = 0; i < xs.length; i++) {
        expect(K[i][i]).toBeGreaterThan(0);
        for (let j = 0; j <= i; j++) {
          expect(K[i][j]).toBe(K[j][i]);
          let s = K[i][j];
          for (let k = 0; k < j; k++) s -= L[i][k] * L[j][k];
          if (i === j) {
            expect(s).toBeGreaterThan(-1e-12);
            L[i][i] = Math.sqrt(Math.max(s, 0));
          } else L[i][j] = L[j][j] > 0 ? s / L[j][j] : 0;
        }
      }
    }
  });

  test('bad inputs name the function, the argument and the value', () => {
    expect(() => gpKernelMatrix(erfNet({ width: 1, dIn: 2 }), [[1]])).toThrow('gpKernelMatrix: inputs[0] must be a point of 2 finite coordinate(s), got [1]');
    expect(() => erfNet({ width: 0 })).toThrow('erfNet: width must be a positive integer, got 0');
    expect(() => reluNet({ width: 3, sigmaW: -1 })).toThrow('reluNet: sigmaW must be a non-negative finite number, got -1');
    expect(() => singleLayerNet('sine' as never, { width: 2 })).toThrow('singleLayerNet: activation must be one of erf, relu, tanh, gauss, got "sine"');
  });
});

describe('exact finite-width diagonal 4-point function', () => {
  test('ReLU moments are known in closed form: E[relu^2] = k/2, E[relu^4] = 3k^2/2', () => {
    const net = reluNet({ width: 5, sigmaW: 1.2, sigmaB: 0.3 });
    const k = 0.09 + 1.44 * 0.49;
    expect(unitMoment(net, [0.7], 2)).toBeCloseTo(k / 2, 10);
    expect(unitMoment(net, [0.7], 4)).toBeCloseTo((3 * k * k) / 2, 10);
    const g4c = ((3 * 1.2 ** 4) / 5) * ((3 * k * k) / 2 - (k / 2) ** 2);
    expect(connectedFourPointDiagonal(net, 0.7)).toBeCloseTo(g4c, 10);
  });
  test('Gauss-net moments: E[exp(p (z - k))] = exp(k p (p - 2) / 2)', () => {
    const net = gaussNet({ width: 3, sigmaW: 0.9, sigmaB: 0.4 });
    const k = 0.16 + 0.81 * 0.25;
    expect(unitMoment(net, [0.5], 2)).toBeCloseTo(1, 10);
    expect(unitMoment(net, [0.5], 4)).toBeCloseTo(Math.exp(4 * k), 8);
    expect(unitMoment(net, [0.5], 3)).toBeCloseTo(Math.exp(1.5 * k), 8);
  });
  test('excess kurtosis scales exactly as 1/N', () => {
    const k1 = excessKurtosis(erfNet({ width: 1 }), 0.3);
    expect(excessKurtosis(erfNet({ width: 40 }), 0.3) * 40).toBeCloseTo(k1, 12);
    expect(k1).toBeGreaterThan(0);
  });
});

describe('plot builders', () => {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { histogramTrace } = require('../src/notebook/plots') as typeof import('../src/notebook/plots');
  test('histogram is a normalised density with one number per bin', () => {
    const t = histogramTrace('h', [0.1, 0.2, 0.6, 0.7, 0.8, 2.5], 0, { start: 0, end: 1, size: 0.5 });
    expect(t.x).toEqual([0.25, 0.75]);
    // 2 and 3 of 6 samples in bins of width 0.5; one sample outside still counts in the normalisation.
    expect(t.y).toEqual([2 / 3, 1]);
    expect(t.name).toBe('h (1 of 6 outside)');
  });
});
