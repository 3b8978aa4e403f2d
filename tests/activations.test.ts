/**
 * The activation registry (src/nets/activations.ts) against independent routes: closed-form pair
 * expectations against Gauss-Hermite quadrature of the float64 functions, derivatives against
 * central differences, the tfjs ops and the fused host loops against the float64 functions, the
 * SIMD flags against the loops the WebAssembly module really exports, and parity.
 */
import { gaussianPairExpectation } from '../src/core/special';
import { tf, useBackend } from '../src/core/backend';
import { ACTIVATION_NAMES, ACTIVATION_REGISTRY, activation } from '../src/nets/activations';
import { wasmActivations } from '../src/ensembles/wasm-engine';
import { expectation, gaussianNodes } from '../src/deep/gaussian';

const ZS = [-3.1, -1.2, -0.4, 0, 0.3, 0.9, 2.5];
// (k11, k12, k22): positive-definite covariances, including strong and negative correlation.
const COVS: [number, number, number][] = [[1, 0.3, 0.8], [0.5, -0.45, 0.6], [2.2, 1.9, 1.7], [0.3, 0, 1.1]];

beforeAll(async () => {
  await useBackend('wasm');
});

describe.each(ACTIVATION_NAMES.map((n) => [n]))('%s', (name) => {
  const act = ACTIVATION_REGISTRY[name];
  test('derivative equals a central difference of fn (away from kinks)', () => {
    const h = 1e-5;
    for (const z of ZS.filter((v) => v !== 0)) {
      const fd = (act.fn(z + h) - act.fn(z - h)) / (2 * h);
      expect(Math.abs(act.derivative(z) - fd)).toBeLessThan(1e-6 * (1 + Math.abs(fd)));
    }
  });
  test('the tfjs op equals fn (float32)', () => {
    const got = tf.tidy(() => act.op(tf.tensor1d(ZS)).dataSync());
    ZS.forEach((z, i) => expect(Math.abs(got[i] - act.fn(z))).toBeLessThan(2e-6 * (1 + Math.abs(act.fn(z)))));
  });
  test('the fused host loop, where there is one, equals fn within 3e-7', () => {
    if (!act.fused) return expect(act.simd).toBe(false);
    for (const z of ZS) expect(Math.abs(act.fused(z) - act.fn(z))).toBeLessThan(3e-7 * (1 + Math.abs(act.fn(z))));
  });
  test('closed-form pair expectations equal quadrature', () => {
    for (const [k11, k12, k22] of COVS) {
      // The input-normalised unit is fn(z - k) at its own point.
      const g = act.normalized ? (k: number) => (z: number) => act.fn(z - k) : () => act.fn;
      // ReLU and leaky ReLU have a kink and their derivatives a jump: Gauss-Hermite converges only
      // algebraically there, so they are checked against the polar rule of src/deep/gaussian.ts, split
      // at the kinks (below), and ReLU's derivative pair against Sheppard's orthant probability.
      const kinked = name === 'relu' || name === 'leaky_relu';
      const [tol, tolDerivative] = kinked ? [1e-3, Infinity] : [1e-7, 1e-7];
      if (kinked) {
        const g2 = gaussianNodes([[k11, k12], [k12, k22]]);
        const [z1, z2] = g2.z;
        const polar = (f: (z: number) => number) => expectation(g2, z1.map((u, i) => f(u) * f(z2[i])));
        expect(Math.abs(act.pair!(k11, k12, k22) - polar(act.fn))).toBeLessThan(1e-12 * (1 + Math.abs(polar(act.fn))));
        expect(Math.abs(act.derivativePair!(k11, k12, k22) - polar(act.derivative))).toBeLessThan(1e-12);
      }
      if (name === 'relu') expect(Math.abs(act.derivativePair!(k11, k12, k22) - (0.25 + Math.asin(k12 / Math.sqrt(k11 * k22)) / (2 * Math.PI)))).toBeLessThan(1e-14);
      if (act.pair) expect(Math.abs(act.pair(k11, k12, k22) - gaussianPairExpectation(g(k11), g(k22), k11, k12, k22, 120))).toBeLessThan(tol);
      const gd = act.normalized ? (k: number) => (z: number) => act.derivative(z - k) : () => act.derivative;
      if (act.derivativePair) expect(Math.abs(act.derivativePair(k11, k12, k22) - gaussianPairExpectation(gd(k11), gd(k22), k11, k12, k22, 120))).toBeLessThan(tolDerivative);
    }
  });
  test('parity flag', () => {
    const odd = ZS.every((z) => Math.abs(act.fn(-z) + act.fn(z)) < 1e-12);
    expect(act.odd === true).toBe(odd);
  });
});

test('the SIMD flags are the loops the WebAssembly module exports', () => {
  const flagged = ACTIVATION_NAMES.filter((n) => ACTIVATION_REGISTRY[n].simd).sort();
  expect(wasmActivations().sort()).toEqual(flagged);
});

test('bad names are refused naming the function and the value', () => {
  expect(() => activation('swish' as never, 'mlp')).toThrow(/^mlp: activation must be one of erf, relu, .*got "swish"/);
  expect(() => activation('toString' as never)).toThrow(/got "toString"/);
  expect(() => activation({ name: 'x' } as never)).toThrow(/an Activation with fn, derivative and op/);
});
