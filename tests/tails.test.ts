import { MomentAccumulator } from '../src/statistics/moments';
import { Rng } from '../src/core/random';
import { erfNet, gaussNet, reluNet } from '../src/nets/architectures';
import { hiddenUnitTail } from '../src/ensembles/ensemble-tails';
import { forEachNeuronChunk } from '../src/nets/sampling';
import { TailRecord, gpdShape, paretoTailSize, paretoThreshold, tailDiagnostic, tailList, tailTable, tailWarning, worstTail } from '../src/statistics/tails';

// Tolerances: the GPD shape estimate has asymptotic standard error (1 + k) / sqrt(n) (maximum
// likelihood, Smith 1985); comparisons use z = 4.
const Z = 4;

/** n draws from a generalized Pareto distribution of shape k and scale 1 (inverse CDF). */
function gpdSample(n: number, k: number, seed: number): Float64Array {
  const rng = Rng.stream(seed);
  return Float64Array.from({ length: n }, () => {
    const u = rng.uniform();
    return k === 0 ? -Math.log1p(-u) : (Math.pow(1 - u, -k) - 1) / k;
  });
}

/**
 * Second route to the shape: the maximum-likelihood estimate, by maximising Grimshaw's profile
 * log-likelihood over theta = -k / sigma on a fine grid plus golden-section refinement. Zhang and
 * Stephens' posterior mean (with PSIS's weak prior) agrees with it to O(1/n).
 */
function shapeByProfileLikelihood(x: Float64Array): number {
  const n = x.length;
  const xMax = Math.max(...x);
  const profile = (theta: number) => {
    let k = 0;
    for (let i = 0; i < n; i++) k += Math.log1p(-theta * x[i]);
    k /= n; // the shape (Zhang and Stephens' -k)
    return { ll: n * (Math.log(-theta / k) - k - 1), shape: k };
  };
  // theta < 1/xMax; search theta in (-10^5/xMax, 1/xMax) on a log-spaced grid on both sides of 0.
  const grid: number[] = [];
  for (let i = 1; i <= 1100; i++) {
    const t = Math.pow(10, -6 + (11 * i) / 1100) / xMax;
    grid.push(-t);
    if (t < 1 / xMax) grid.push(t * (1 - 1e-9));
  }
  let best = grid[0];
  for (const t of grid) if (profile(t).ll > profile(best).ll) best = t;
  // golden-section refinement around the best grid point
  let lo = best * (best < 0 ? 1.05 : 0.95);
  let hi = Math.min(best * (best < 0 ? 0.95 : 1.05), (1 / xMax) * (1 - 1e-12));
  if (lo > hi) [lo, hi] = [hi, lo];
  const g = (Math.sqrt(5) - 1) / 2;
  for (let it = 0; it < 100; it++) {
    const a = hi - g * (hi - lo);
    const b = lo + g * (hi - lo);
    if (profile(a).ll > profile(b).ll) hi = b;
    else lo = a;
  }
  return profile((lo + hi) / 2).shape;
}

describe('Pareto k-hat (tails.ts)', () => {
  test.each([[-0.2], [0], [0.3], [0.8]])('recovers the shape k = %p of generalized Pareto samples within z = 4 standard errors', (k) => {
    const n = 4000;
    const x = gpdSample(n, k, 11 + Math.round(10 * k));
    const khat = gpdShape(x);
    expect(Math.abs(khat - k)).toBeLessThan((Z * (1 + Math.max(k, 0))) / Math.sqrt(n));
  });

  test('agrees with the maximum-likelihood shape from an independent profile-likelihood search', () => {
    for (const [k, seed] of [[0.1, 3], [0.5, 4], [-0.3, 5]]) {
      const x = gpdSample(3000, k, seed);
      expect(Math.abs(gpdShape(x) - shapeByProfileLikelihood(x))).toBeLessThan(0.02);
    }
  });

  test('PSIS tail size and threshold: ceil(min(S/5, 3 sqrt(S))) and min(1 - 1/log10 S, 0.7)', () => {
    expect(paretoTailSize(100)).toBe(20);
    expect(paretoTailSize(20000)).toBe(Math.ceil(3 * Math.sqrt(20000)));
    expect(paretoThreshold(100)).toBeCloseTo(0.5, 12);
    expect(paretoThreshold(1e6)).toBe(0.7);
  });

  test('light tails pass, heavy tails fail, and the diagnostic reads the largest terms only', () => {
    const rng = Rng.stream(7);
    const S = 20000;
    const gauss = Float64Array.from({ length: S }, () => rng.normal());
    const logNormal = Float64Array.from({ length: S }, () => Math.exp(3 * rng.normal()));
    expect(tailDiagnostic(gauss, S, 2).khat).toBeLessThan(0.3);
    expect(tailDiagnostic(gauss, S, 2).reliable).toBe(true);
    const heavy = tailDiagnostic(logNormal, S);
    expect(heavy.reliable).toBe(false);
    expect(heavy.khat).toBeGreaterThan(0.8);
    // Only the largest M + 1 values matter: the same result from them alone.
    const top = Float64Array.from(gauss).map(Math.abs).sort().slice(S - paretoTailSize(S) - 1);
    expect(tailDiagnostic(top, S, 2).khat).toBe(tailDiagnostic(gauss, S, 2).khat);
    // Too few samples: unknown, not reliable; a bounded tail is reliable.
    expect(Number.isNaN(tailDiagnostic([1, 2, 3], 3).khat)).toBe(true);
    expect(tailDiagnostic(new Float64Array(100).fill(2), 100).khat).toBe(-Infinity);
  });

  test('warnings name the estimate, the point and the k-hat, and say nothing for reliable estimates', () => {
    const rng = Rng.stream(8);
    const heavy = tailDiagnostic(Float64Array.from({ length: 5000 }, () => Math.exp(3 * rng.normal())), 5000, 2, 1);
    const text = tailWarning('G4c', heavy, (p) => `x${p}`)!;
    expect(text).toMatch(/^G4c: heavy tails at x1/);
    expect(text).toContain(heavy.khat.toFixed(2));
    const light = tailDiagnostic(Float64Array.from({ length: 5000 }, () => rng.normal()), 5000);
    expect(tailWarning('G2', light, (p) => `x${p}`)).toBeNull();
    expect(tailWarning('G2', undefined, (p) => `x${p}`)).toMatch(/no tail record/);
    expect(worstTail([light, heavy])).toBe(heavy);
  });
});

describe('TailRecord', () => {
  function stream(n: number, P: number, seed: number): Float64Array {
    const rng = Rng.stream(seed);
    return Float64Array.from({ length: n * P }, () => rng.normal() * Math.exp(rng.normal()));
  }

  test('keeps exactly the largest |values| per point, whatever the order they arrive in', () => {
    const P = 3;
    const values = stream(5000, P, 1);
    const record = new TailRecord(P, 100);
    for (let start = 0; start < 5000; start += 777) {
      const count = Math.min(777, 5000 - start);
      record.add(count, values.subarray(start * P, (start + count) * P));
    }
    for (let p = 0; p < P; p++) {
      const all = Array.from({ length: 5000 }, (_, i) => Math.abs(values[i * P + p])).sort((a, b) => b - a);
      expect(Array.from(record.largest(p))).toEqual(all.slice(0, 100));
    }
    expect(record.count).toBe(5000);
  });

  test('merging shards and a JSON round trip give the record of the whole stream', () => {
    const P = 2;
    const a = stream(3000, P, 2);
    const b = stream(2000, P, 3);
    const whole = new TailRecord(P, 64);
    whole.add(3000, a);
    whole.add(2000, b);
    const left = new TailRecord(P, 64);
    left.add(3000, a);
    const right = new TailRecord(P, 64);
    right.add(2000, b);
    const merged = TailRecord.fromJSON(JSON.parse(JSON.stringify(left.merge(right).toJSON())), P);
    for (let p = 0; p < P; p++) expect(Array.from(merged.largest(p))).toEqual(Array.from(whole.largest(p)));
    expect(merged.count).toBe(5000);
    expect(() => TailRecord.fromJSON({ ...whole.toJSON(), largest: [[1]] }, P)).toThrow(/nnft-tails v1 record of 2 point/);
  });

  test('moment estimates carry the diagnostic of their order; shards and old records behave', () => {
    const P = 2;
    const x = stream(4000, P, 4);
    const whole = new MomentAccumulator(P, [2, 4]);
    whole.add(0, 4000, x);
    const a = new MomentAccumulator(P, [2, 4]);
    a.add(0, 1500, x.subarray(0, 3000));
    const b = new MomentAccumulator(P, [2, 4]);
    b.add(1500, 2500, x.subarray(3000));
    a.merge(MomentAccumulator.fromJSON(JSON.parse(JSON.stringify(b.toJSON()))));
    const w4 = whole.connected(4).tail!;
    expect(a.connected(4).tail!.khat).toBe(w4.khat);
    expect(w4.khat).toBe(whole.tailDiagnostic(4)!.khat);
    // order 4 reads |f|^4: a heavier tail than order 2 for the same terms
    expect(w4.khat).toBeGreaterThan(whole.moments(2).tail!.khat);
    const { tails, ...old } = whole.toJSON();
    expect(tails).toBeDefined();
    expect(MomentAccumulator.fromJSON(old).moments(2).tail).toBeUndefined();
    expect(() => MomentAccumulator.fromJSON({ ...whole.toJSON(), tails: { ...tails!, count: 17 } })).toThrow(/tail record counts 17/);
  });
});

describe('hidden-unit probe (ensemble-tails.ts)', () => {
  test('log-normal Gauss-net units with a large pre-activation variance are flagged, Gaussian units are not, bounded units are not probed', () => {
    const heavy = hiddenUnitTail(gaussNet({ width: 10, sigmaW: 5 }), [[3]], 20000, 0)!;
    expect(heavy.reliable).toBe(false);
    expect(heavy.khat).toBeGreaterThan(2);
    expect(heavy.terms).toMatch(/hidden units/);
    expect(hiddenUnitTail(reluNet({ width: 10 }), [[1]], 20000, 0)!.reliable).toBe(true);
    // Erf units are bounded: the probe is skipped, and the reason holds: a fit to their phi^2 gives k-hat < 0.
    expect(hiddenUnitTail(erfNet({ width: 10 }), [[-1], [1]], 20000, 0)).toBeNull();
    const record = new TailRecord(2);
    forEachNeuronChunk(erfNet({ width: 10 }), [[-1], [1]], 20000, 0, (_, count, values) => record.add(count, values));
    expect(record.diagnose(2).khat).toBeLessThan(0);
  });
});

describe('tail tables for notebooks', () => {
  test('one line per ensemble, one column per family, unreliable cells marked and listed', () => {
    const rng = Rng.stream(9);
    const ok = tailDiagnostic(Float64Array.from({ length: 4000 }, () => rng.normal()), 4000, 2);
    const bad = tailDiagnostic(Float64Array.from({ length: 4000 }, () => Math.exp(3 * rng.normal())), 4000);
    const rows = [{ label: 'Erf N=2', tails: { G2: ok, G4c: ok } }, { label: 'Gauss N=2', tails: { G2: ok, G4c: bad } }];
    const text = tailTable(rows);
    const lines = text.split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[1]).toMatch(/G2\s+G4c$/);
    expect(lines[3]).toMatch(new RegExp(`^Gauss N=2\\s+${ok.khat.toFixed(2)}\\s+${bad.khat.toFixed(2)} !$`));
    expect(lines[4]).toBe('unreliable: Gauss N=2 G4c');
    expect(tailList(rows).map((e) => e.name)).toEqual(['Erf N=2 G2', 'Erf N=2 G4c', 'Gauss N=2 G2', 'Gauss N=2 G4c']);
    expect(tailList(rows, (label) => label.startsWith('Erf')).every((e) => e.tail!.reliable)).toBe(true);
  });
});
