import { MeanAccumulator, bonferroniZ, jackknife, normalQuantile, normalQuantileTwoSided } from '../src/statistics/stats';
import { Rng } from '../src/core/random';

describe('MeanAccumulator', () => {
  test('mean and standard error equal the two-pass formulas', () => {
    const xs = [1.5, -2, 3.25, 0, 7, -1.125];
    const acc = new MeanAccumulator(1);
    xs.forEach((x) => acc.push([x]));
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const variance = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1);
    expect(acc.means()[0]).toBeCloseTo(mean, 14);
    expect(acc.stdErrs()[0]).toBeCloseTo(Math.sqrt(variance / xs.length), 14);
  });

  test('merging two halves equals one pass over all samples', () => {
    const rng = Rng.stream(3);
    const all = new MeanAccumulator(2);
    const a = new MeanAccumulator(2);
    const b = new MeanAccumulator(2);
    for (let i = 0; i < 1000; i++) {
      const s = [rng.normal() + 1e6, rng.normal() * 3];
      all.push(s);
      (i < 371 ? a : b).push(s);
    }
    a.merge(b);
    expect(a.count).toBe(all.count);
    for (let k = 0; k < 2; k++) {
      expect(a.means()[k]).toBeCloseTo(all.means()[k], 8);
      expect(a.stdErrs()[k] / all.stdErrs()[k]).toBeCloseTo(1, 10);
    }
  });

  test('float64 accumulation does not drift: 10^6 x 0.1', () => {
    const acc = new MeanAccumulator(1);
    for (let i = 0; i < 1e6; i++) acc.push([0.1]);
    expect(Math.abs(acc.means()[0] - 0.1)).toBeLessThan(1e-12);
  });

  test('rejects samples of the wrong length', () => {
    expect(() => new MeanAccumulator(3).push([1, 2])).toThrow('sample must have length 3, got 2');
  });
});

describe('normal quantiles', () => {
  test('known values', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963985, 7);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 12);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232306, 7);
    expect(normalQuantileTwoSided(0.05)).toBeCloseTo(1.959963985, 7);
  });
  test('Bonferroni z grows with the number of comparisons', () => {
    expect(bonferroniZ(0.05, 1)).toBeCloseTo(1.96, 2);
    expect(bonferroniZ(0.05, 10)).toBeCloseTo(normalQuantileTwoSided(0.005), 10);
  });
});

describe('jackknife', () => {
  test('ratio of means: estimate and error agree with the delta method', () => {
    // Batches of N(mu_a, 1) and N(mu_b, 1) means; statistic a/b.
    const rng = Rng.stream(11);
    const B = 400;
    const per = 50;
    const batches = Array.from({ length: B }, () => {
      let a = 0;
      let b = 0;
      for (let i = 0; i < per; i++) {
        a += 2 + rng.normal();
        b += 4 + rng.normal();
      }
      return [a / per, b / per];
    });
    const est = jackknife(batches, ([a, b]) => a / b);
    // Delta method: var(a/b) = (1/b^2) var(a) + (a^2/b^4) var(b), var of a grand mean = 1/(B per).
    const n = B * per;
    const delta = Math.sqrt((1 / 16) * (1 / n) + (4 / 256) * (1 / n));
    expect(est.stdErr / delta).toBeGreaterThan(0.85);
    expect(est.stdErr / delta).toBeLessThan(1.15);
    expect(Math.abs(est.value - 0.5)).toBeLessThanOrEqual(bonferroniZ(1e-3, 1) * delta);
  });
  test('needs two batches', () => {
    expect(() => jackknife([[1]], ([a]) => a)).toThrow('need at least 2 batches, got 1');
  });
});
