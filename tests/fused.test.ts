import { erfNet, reluNet, tanhNet } from '../src/nets/architectures';
import { sampleOutputs } from '../src/ensembles/ensemble';
import { fastErf } from '../src/core/special';
import { erf } from '../src/core/special';
import { wasmForward } from '../src/ensembles/wasm-engine';
import { useBackend } from '../src/core/backend';
import { linspace } from '../src/core/arrays';

beforeAll(async () => {
  await useBackend('wasm');
});

const ZS = linspace(-6, 6, 2401);

describe('erf of the fused kernels', () => {
  test('fastErf (float64, A&S 7.1.28) is within 3e-7 of erf', () => {
    const worst = Math.max(...ZS.map((z) => Math.abs(fastErf(z) - erf(z))));
    expect(worst).toBeLessThan(3e-7);
    expect(worst).toBeGreaterThan(1e-8); // it is the approximation, not erf itself
  });

  // One unit carries the value (W1 = 1, W0 = 0, b0 = z); the others have W1 = 0. N = 4 exercises the
  // SIMD lanes, N = 5 with the last unit carrying it the scalar tail.
  test.each([
    [4, 0],
    [4, 3],
    [5, 4],
  ])('wasm SIMD erf (float32) is within 2e-6 of erf: N = %i, value in unit %i', (N, carrier) => {
    const forward = wasmForward('erf');
    expect(forward).toBeDefined();
    const B = ZS.length;
    const W0 = new Float32Array(B * N);
    const b0 = new Float32Array(B * N);
    const W1 = new Float32Array(B * N);
    ZS.forEach((z, b) => {
      b0[b * N + carrier] = z;
      W1[b * N + carrier] = 1;
    });
    const out = new Float32Array(B);
    forward!(W0, b0, W1, new Float32Array(B), [0], [0], B, N, 1, 1, out);
    const worst = Math.max(...ZS.map((z, b) => Math.abs(out[b] - erf(Math.fround(z)))));
    expect(worst).toBeLessThan(2e-6);
  });
});

describe('fused forward pass equals the composite tfjs ops on the same networks', () => {
  // |f| is O(1); float32 rounding of N = 1001 terms and the two erf approximations stay near 1e-6.
  const TOL = 2e-5;
  test.each([
    ['erf', 1],
    ['erf', 3],
    ['relu', 1],
    ['relu', 2],
    ['tanh', 2],
  ])('%s-net, d_in = %i, width 1001', async (act, dIn) => {
    const make = { erf: erfNet, relu: reluNet, tanh: tanhNet }[act as 'erf']!;
    const net = make({ width: 1001, dIn, sigmaW: 1.3, sigmaB: 0.7 });
    const inputs = [[-1, 0.5, 2], [0.3, -0.2, 0], [1.5, 1, -1]].map((x) => x.slice(0, dIn));
    const options = { nets: 40, seed: 5, progress: false };
    const fused = await sampleOutputs(net, inputs, { ...options, fused: true });
    const composite = await sampleOutputs(net, inputs, { ...options, fused: false });
    const worst = Math.max(...Array.from(fused, (f, k) => Math.abs(f - composite[k]) / (1 + Math.abs(composite[k]))));
    expect(worst).toBeLessThan(TOL);
    // and the comparison has power: a different seed is far away
    const other = await sampleOutputs(net, inputs, { ...options, seed: 6, fused: true });
    expect(Math.max(...Array.from(other, (f, k) => Math.abs(f - composite[k])))).toBeGreaterThan(0.1);
  });
});
