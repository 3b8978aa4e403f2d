import { Rng } from '../src/core/random';
import { sampleParameters } from '../src/nets/sampling';
import { erfNet } from '../src/nets/architectures';
import { bonferroniZ } from '../src/statistics/stats';
import { erf } from '../src/core/special';

describe('Rng', () => {
  test('xoshiro128** core matches the C reference implementation', () => {
    // Golden values: tests/fixtures/xoshiro128starstar.c (the authors' algorithm), state below, gcc -O2.
    const rng = Rng.fromState(0x12345678, 0x9abcdef0, 0x0badf00d, 0xdeadbeef);
    const got = Array.from({ length: 8 }, () => rng.nextUint32());
    expect(got).toEqual([2576881682, 3407327999, 2864793572, 862798291, 1773175833, 4275990235, 565280607, 3775518171]);
  });

  test('seed 0 is a seed: deterministic and different from seed 1', () => {
    const a = Rng.stream(0, 0);
    const b = Rng.stream(0, 0);
    const c = Rng.stream(1, 0);
    const xa = Array.from({ length: 5 }, () => a.nextUint32());
    expect(Array.from({ length: 5 }, () => b.nextUint32())).toEqual(xa);
    expect(Array.from({ length: 5 }, () => c.nextUint32())).not.toEqual(xa);
  });

  test('streams of one seed differ, including high bits of large indices', () => {
    const first = (seed: number, stream: number) => Rng.stream(seed, stream).nextUint32();
    const values = new Set([first(7, 0), first(7, 1), first(7, 2 ** 32), first(7, 2 ** 32 + 1), first(2 ** 32 + 7, 0)]);
    expect(values.size).toBe(5);
  });

  test('rejects bad seeds naming the argument and value', () => {
    expect(() => Rng.stream(-1)).toThrow('Rng.stream: seed must be a non-negative integer, got -1');
    expect(() => Rng.stream(0.5)).toThrow('got 0.5');
    expect(() => Rng.stream(0, NaN)).toThrow('Rng.stream: stream must be a non-negative integer, got NaN');
  });

  test('normals have mean 0, variance 1, zero skew and kurtosis 3 within z * stderr', () => {
    const rng = Rng.stream(123, 0);
    const n = 200000;
    const m = [0, 0, 0, 0];
    for (let i = 0; i < n; i++) {
      const z = rng.normal();
      m[0] += z;
      m[1] += z * z;
      m[2] += z * z * z;
      m[3] += z * z * z * z;
    }
    const mean = m.map((s) => s / n);
    // Exact moments of N(0,1): 0, 1, 0, 3; variances of z^k: 1, 2, 15, 96.
    const exact = [0, 1, 0, 3];
    const sd = [1, 2, 15, 96].map((v) => Math.sqrt(v / n));
    const z = bonferroniZ(1e-4, 4);
    mean.forEach((v, k) => expect(Math.abs(v - exact[k])).toBeLessThanOrEqual(z * sd[k]));
  });

  test('normals pass a Kolmogorov-Smirnov test (accepted failure probability 1e-4)', () => {
    const n = 200000;
    const z = new Float64Array(n);
    Rng.stream(77).fillNormal(z, 0, n);
    z.sort();
    let d = 0;
    for (let i = 0; i < n; i++) {
      const cdf = 0.5 * (1 + erf(z[i] / Math.SQRT2));
      d = Math.max(d, Math.abs(cdf - i / n), Math.abs(cdf - (i + 1) / n));
    }
    // Asymptotic KS: P(sqrt(n) D > t) ~ 2 exp(-2 t^2) -> t = sqrt(ln(2 / 1e-4) / 2).
    expect(d * Math.sqrt(n)).toBeLessThan(Math.sqrt(Math.log(2 / 1e-4) / 2));
  });

  test('normal tails (through the ziggurat base strip at 3.44) have the right probabilities', () => {
    const n = 4000000;
    const z = new Float64Array(n);
    Rng.stream(78).fillNormal(z, 0, n);
    const thresholds = [1, 2, 3, 3.442619855899, 4];
    const zMax = bonferroniZ(1e-4, thresholds.length);
    for (const t of thresholds) {
      let count = 0;
      for (let i = 0; i < n; i++) if (Math.abs(z[i]) > t) count++;
      const p = 1 - erf(t / Math.SQRT2);
      expect(Math.abs(count / n - p)).toBeLessThanOrEqual(zMax * Math.sqrt((p * (1 - p)) / n));
    }
  });

  test('fillNormal gives exactly the numbers of repeated normal() calls', () => {
    const a = new Float64Array(50000);
    Rng.stream(9, 4).fillNormal(a, 0, a.length, 2, 1);
    const r = Rng.stream(9, 4);
    let mismatches = 0;
    for (let i = 0; i < a.length; i++) if (a[i] !== 1 + 2 * r.normal()) mismatches++;
    expect(mismatches).toBe(0);
  });

  test('uniforms lie in (0, 1) with mean 1/2', () => {
    const rng = Rng.stream(5, 9);
    let s = 0;
    let outside = 0;
    const n = 100000;
    for (let i = 0; i < n; i++) {
      const u = rng.uniform();
      if (!(u > 0 && u < 1)) outside++;
      s += u;
    }
    expect(outside).toBe(0);
    expect(Math.abs(s / n - 0.5)).toBeLessThanOrEqual(bonferroniZ(1e-4, 1) * Math.sqrt(1 / 12 / n));
  });
});

describe('ensemble member randomness', () => {
  test('network m has the same parameters whatever batch it is drawn in', () => {
    const net = erfNet({ width: 7, dIn: 3 });
    const all = sampleParameters(net, 42, 0, 10);
    const late = sampleParameters(net, 42, 6, 3); // networks 6, 7, 8
    const n = net.width;
    expect(late.weights[0]).toEqual(all.weights[0].slice(6 * n * 3, 9 * n * 3));
    expect(late.biases[0]).toEqual(all.biases[0].slice(6 * n, 9 * n));
    expect(late.weights[1]).toEqual(all.weights[1].slice(6 * n, 9 * n));
    expect(late.biases[1]).toEqual(all.biases[1].slice(6, 9));
  });
});
