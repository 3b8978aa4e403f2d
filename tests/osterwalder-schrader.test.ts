/**
 * Osterwalder-Schrader checks (TASI section 5.1) against independent routes:
 * - kernels: closed forms written here (free e^{-m|t|}/(2m), Gauss/Cos Gaussians, Erf arcsine,
 *   ReLU arc-cosine) and, for the cutoff free propagator, a Simpson rule on its Fourier integral;
 * - eigenvalues: cyclic Jacobi rotations written here (the library uses ml-matrix's tridiagonal QL),
 *   and the rank-one closed form of the free propagator;
 * - finite-width 4-point functions: the Cos-net and Gauss-net single-neuron moments in closed form,
 *   written out here term by term;
 * - Monte Carlo: fixed seeds, tolerances z standard errors with z from a stated failure probability.
 */
import { cosNet, erfNet, gaussNet, reluNet, scalarNet } from '../src/nets/architectures';
import { useBackend } from '../src/core/backend';
import { bonferroniZ } from '../src/statistics/stats';
import {
  OS_PROPERTIES,
  ReflectionKernelName,
  ReflectionOptions,
  clusterDecomposition,
  euclideanInvariance,
  formatOsReport,
  osReport,
  reflectionKernel,
  reflectionMatrixExact,
  reflectionMatrixMC,
  reflectionPositivity,
} from '../src/field-theory/osterwalder-schrader';

const TIMES = [0.1, 0.3, 0.5, 0.7, 0.9];
const FAIL_PROB = 1e-4;

/** Eigenvalues of a symmetric matrix by cyclic Jacobi rotations (ascending). */
function jacobiEigenvalues(M: readonly (readonly number[])[]): number[] {
  const n = M.length;
  const a = M.map((r) => r.slice());
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p][q] ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        if (a[p][q] === 0) continue;
        const theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k][p];
          const akq = a[k][q];
          a[k][p] = c * akp - s * akq;
          a[k][q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p][k];
          const aqk = a[q][k];
          a[p][k] = c * apk - s * aqk;
          a[q][k] = s * apk + c * aqk;
        }
      }
    }
  }
  return a.map((r, i) => r[i]).sort((x, y) => x - y);
}

/** Simpson rule on [lo, hi] with n (even) intervals. */
function simpson(f: (x: number) => number, lo: number, hi: number, n: number): number {
  const h = (hi - lo) / n;
  let s = f(lo) + f(hi);
  for (let i = 1; i < n; i++) s += (i % 2 ? 4 : 2) * f(lo + i * h);
  return (s * h) / 3;
}

// Closed forms in D = 1 at sigma_w = sigma_b = 1 (pre-activation covariance k(x, y) = 1 + x y).
const k = (x: number, y: number) => 1 + x * y;
const CLOSED: Record<ReflectionKernelName, (x: number, y: number) => number> = {
  free: (x, y) => Math.exp(-Math.abs(x - y)) / 2,
  cos: (x, y) => 0.5 * Math.exp(-((x - y) ** 2) / 2),
  gauss: (x, y) => 1 + Math.exp(-((x - y) ** 2) / 2),
  erf: (x, y) => 1 + (2 / Math.PI) * Math.asin((2 * k(x, y)) / Math.sqrt((1 + 2 * k(x, x)) * (1 + 2 * k(y, y)))),
  relu: (x, y) => {
    const r = Math.sqrt(k(x, x) * k(y, y));
    const t = Math.acos(Math.max(-1, Math.min(1, k(x, y) / r)));
    return 1 + (r * (Math.sin(t) + (Math.PI - t) * Math.cos(t))) / (2 * Math.PI);
  },
};
/** The D = 1 cutoff propagator (1/pi) int_0^Lambda cos(p r)/(p^2 + m^2) dp by Simpson's rule. */
const cutoffPropagator = (r: number, cutoff: number, m = 1) => simpson((p) => Math.cos(p * r) / (p * p + m * m), 0, cutoff, 20000) / Math.PI;

describe('reflection positivity of the 2-point function', () => {
  const kernels: ReflectionKernelName[] = ['free', 'cos', 'gauss', 'erf', 'relu'];

  test.each(kernels)('%s: kernel against its closed form at x_i and R x_j', (name) => {
    const K = reflectionKernel({ kernel: name, times: TIMES });
    let worst = 0;
    for (const a of TIMES) for (const b of TIMES) for (const y of [b, -b]) worst = Math.max(worst, Math.abs(K([a], [y]) - CLOSED[name](a, y)));
    expect(worst).toBeLessThan(1e-12);
  });

  test('free propagator at a finite cutoff against a Simpson rule on its Fourier integral', () => {
    const K = reflectionKernel({ kernel: 'free', times: TIMES, cutoff: 10 });
    for (const r of [0.2, 0.6, 1.0, 1.8]) expect(Math.abs(K([r / 2], [-r / 2]) - cutoffPropagator(r, 10))).toBeLessThan(1e-9);
  });

  test.each(kernels)('%s: eigenvalues against Jacobi rotations on the closed-form matrix (1e-6 absolute)', (name) => {
    const res = reflectionPositivity({ kernel: name, times: TIMES });
    const M = TIMES.map((a) => TIMES.map((b) => CLOSED[name](a, -b)));
    const jac = jacobiEigenvalues(M);
    expect(res.eigenvalues).toHaveLength(5);
    res.eigenvalues.forEach((v, i) => expect(Math.abs(v - jac[i])).toBeLessThan(1e-6));
    expect(res.minEigenvalue).toBe(res.eigenvalues[0]);
    expect(res.tolerance).toBeCloseTo(64 * 5 * Number.EPSILON * Math.max(...jac.map(Math.abs)), 20);
  });

  test('free propagator, infinite cutoff: rank one, eigenvalue sum_i e^{-2 m tau_i}/(2m); reflection positive', () => {
    for (const mass of [1, 2.5]) {
      const res = reflectionPositivity({ kernel: 'free', times: TIMES, mass });
      const top = TIMES.reduce((s, t) => s + Math.exp(-2 * mass * t), 0) / (2 * mass);
      expect(Math.abs(res.eigenvalues[4] - top)).toBeLessThan(1e-12);
      for (const v of res.eigenvalues.slice(0, 4)) expect(Math.abs(v)).toBeLessThan(1e-14);
      expect(res.positive).toBe(true);
    }
  });

  test('free propagator in D = 2, 3 (K0(m r)/(2 pi), e^{-m r}/(4 pi r)): completely monotone in tau, so positive', () => {
    const d3 = reflectionPositivity({ kernel: 'free', times: TIMES, dIn: 3 });
    const M3 = TIMES.map((a) => TIMES.map((b) => Math.exp(-(a + b)) / (4 * Math.PI * (a + b))));
    jacobiEigenvalues(M3).forEach((v, i) => expect(Math.abs(v - d3.eigenvalues[i])).toBeLessThan(1e-9));
    expect(d3.positive).toBe(true);
    expect(reflectionPositivity({ kernel: 'free', times: TIMES, dIn: 2 }).positive).toBe(true);
  });

  test('cutoff propagator (Lambda = 10): eigenvalues from the Simpson matrix; a violation ~ 1/Lambda^2', () => {
    const res = reflectionPositivity({ kernel: 'free', times: TIMES, cutoff: 10 });
    const jac = jacobiEigenvalues(TIMES.map((a) => TIMES.map((b) => cutoffPropagator(a + b, 10))));
    res.eigenvalues.forEach((v, i) => expect(Math.abs(v - jac[i])).toBeLessThan(1e-6));
    expect(res.positive).toBe(false);
    expect(res.minEigenvalue).toBeLessThan(-1e-3);
    // Tenfold cutoff: the violation shrinks about a hundredfold (the oscillating tail ~ sin(Lambda tau)/(pi Lambda^2 tau)).
    const ratio = res.minEigenvalue / reflectionPositivity({ kernel: 'free', times: TIMES, cutoff: 100 }).minEigenvalue;
    expect(ratio).toBeGreaterThan(30);
    expect(ratio).toBeLessThan(300);
  });

  test.each(['cos', 'gauss', 'erf', 'relu'] as ReflectionKernelName[])('%s: reflection positivity fails clearly (min eigenvalue < -0.05)', (name) => {
    const res = reflectionPositivity({ kernel: name, times: TIMES });
    expect(res.positive).toBe(false);
    expect(res.minEigenvalue).toBeLessThan(-0.05);
  });

  test('a 2 x 2 Gaussian block already fails: det = (e^{-2 t1^2 - 2 t2^2} - e^{-(t1 + t2)^2}) / 4 < 0 (Cos kernel)', () => {
    const [t1, t2] = [0.2, 0.8];
    const res = reflectionPositivity({ kernel: 'cos', times: [t1, t2] });
    const det = 0.25 * (Math.exp(-((2 * t1) ** 2) / 2 - ((2 * t2) ** 2) / 2) - Math.exp(-((t1 + t2) ** 2)));
    expect(det).toBeLessThan(0);
    expect(Math.abs(res.eigenvalues[0] * res.eigenvalues[1] - det)).toBeLessThan(1e-14);
  });
});

describe('reflection matrix over monomials', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  test('exact degree-2 matrix of a Cos-net against closed-form G2 and G4 written here', () => {
    const N = 3;
    const times = [0.2, 0.5, 0.9];
    const res = reflectionMatrixExact(cosNet({ width: N }), times, { degree: 2 });
    const pts = [...times, ...times.map((t) => -t)];
    const n = times.length;
    const M2 = (a: number, b: number) => 0.5 * Math.exp(-((a - b) ** 2) / 2);
    const M4 = (x: number[]) => {
      const [a, b, c, d] = x;
      return (Math.exp(-((a + b - c - d) ** 2) / 2) + Math.exp(-((a - b + c - d) ** 2) / 2) + Math.exp(-((a - b - c + d) ** 2) / 2)) / 8;
    };
    const G = (idx: number[]) => {
      const x = idx.map((i) => pts[i]);
      if (x.length === 2) return M2(x[0], x[1]);
      if (x.length === 3) return 0;
      const pairs = M2(x[0], x[1]) * M2(x[2], x[3]) + M2(x[0], x[2]) * M2(x[1], x[3]) + M2(x[0], x[3]) * M2(x[1], x[2]);
      // E[w^4] = 3 / N^2, E[w^2]^2 = 1 / N^2: G4 = N 3 M4 / N^2 + N (N - 1) pairs / N^2.
      return (3 * M4(x)) / N + ((N - 1) / N) * pairs;
    };
    expect(res.labels).toHaveLength(n + (n * (n + 1)) / 2);
    res.monomials.forEach((A, i) =>
      res.monomials.forEach((B, j) => expect(Math.abs(res.matrix[i][j] - G([...A.map((a) => a + n), ...B]))).toBeLessThan(1e-13)),
    );
    jacobiEigenvalues(res.matrix).forEach((v, i) => expect(Math.abs(v - res.eigenvalues[i])).toBeLessThan(1e-6));
    // The degree-1 block is the 2-point matrix of reflectionPositivity; degree 2 cannot do better.
    const rp = reflectionPositivity({ kernel: 'cos', times });
    expect(res.minEigenvalue).toBeLessThanOrEqual(rp.minEigenvalue + 1e-12);
    expect(res.positive).toBe(false);
  });

  test('Monte Carlo (Erf-net, N = 4, degree 2) against the exact finite-width matrix within z errors', async () => {
    const net = erfNet({ width: 4 });
    const times = [0.2, 0.5, 0.9];
    const exact = reflectionMatrixExact(net, times, { degree: 2 });
    const mc = await reflectionMatrixMC(net, times, { nets: 40000, seed: 11, degree: 2 });
    const K = exact.monomials.length;
    const z = bonferroniZ(FAIL_PROB, (K * (K + 1)) / 2 + 1); // entries and the min eigenvalue
    let worst = 0;
    for (let i = 0; i < K; i++) for (let j = i; j < K; j++) worst = Math.max(worst, Math.abs(mc.matrix[i][j] - exact.matrix[i][j]) / mc.stdErr[i][j]);
    expect(worst).toBeLessThanOrEqual(z);
    expect(Math.abs(mc.minEigenvalue.value - exact.minEigenvalue)).toBeLessThanOrEqual(z * mc.minEigenvalue.stdErr);
    mc.diagonal.forEach((d, i) => expect(d.value).toBe(mc.matrix[i][i]));
    // The violation is resolved: the exact min eigenvalue is many errors below 0.
    expect(exact.minEigenvalue).toBeLessThan(-10 * mc.minEigenvalue.stdErr);
    expect(mc.verdict).toBe('violated');
  }, 30_000);

  test('Monte Carlo (Cos-net, N = 3, tensor route, degree 1) against the exact kernel matrix', async () => {
    const net = cosNet({ width: 3 });
    const mc = await reflectionMatrixMC(net, TIMES, { nets: 20000, seed: 5, degree: 1 });
    const exact = reflectionPositivity({ kernel: 'cos', times: TIMES });
    const z = bonferroniZ(FAIL_PROB, 16);
    for (let i = 0; i < 5; i++) for (let j = i; j < 5; j++) expect(Math.abs(mc.matrix[i][j] - exact.matrix[i][j])).toBeLessThanOrEqual(z * mc.stdErr[i][j]);
    expect(Math.abs(mc.minEigenvalue.value - exact.minEigenvalue)).toBeLessThanOrEqual(z * mc.minEigenvalue.stdErr);
    expect(mc.verdict).toBe('violated');
  }, 30_000);

  test('Monte Carlo detects no violation where there is none: Scalar-net at a large cutoff is nearly rank one', async () => {
    // At Lambda = 100 the violation (-6e-5) is far below the noise of 4000 nets: verdict 'positive'.
    const net = scalarNet({ width: 2, mass: 1, cutoff: 100 });
    const mc = await reflectionMatrixMC(net, [0.2, 0.6], { nets: 4000, seed: 2, degree: 1 });
    expect(mc.minEigenvalue.stdErr).toBeGreaterThan(1e-3);
    expect(mc.verdict).toBe('positive');
  }, 30_000);
});

describe('cluster decomposition', () => {
  const pair1: [number, number] = [0.1, 0.3];
  const pair2: [number, number] = [0.5, 0.7];
  const separations = [0, 1, 2, 5, 10, 20];

  test('Cos-net: G2 decays as a Gaussian, G4c tends to the closed-form nonzero constant', () => {
    const N = 10;
    const res = clusterDecomposition(cosNet({ width: N }), { pair1, pair2, separations });
    const M2 = (a: number, b: number) => 0.5 * Math.exp(-((a - b) ** 2) / 2);
    for (const row of res.rows) {
      const [x1, x2, x3, x4] = [pair1[0], pair1[1], pair2[0] + row.separation, pair2[1] + row.separation];
      expect(Math.abs(row.G2 - M2(x1, x3))).toBeLessThan(1e-15);
      const M4 = (Math.exp(-((x1 + x2 - x3 - x4) ** 2) / 2) + Math.exp(-((x1 - x2 + x3 - x4) ** 2) / 2) + Math.exp(-((x1 - x2 - x3 + x4) ** 2) / 2)) / 8;
      const g4c = (3 * M4 - M2(x1, x2) * M2(x3, x4) - M2(x1, x3) * M2(x2, x4) - M2(x1, x4) * M2(x2, x3)) / N;
      expect(Math.abs(row.G4c - g4c)).toBeLessThan(1e-14);
    }
    // Limit a -> infinity: only the patterns in which the shift cancels survive.
    const [d, e] = [pair1[0] - pair1[1], pair2[0] - pair2[1]];
    const limit = ((3 / 8) * (Math.exp(-((d + e) ** 2) / 2) + Math.exp(-((d - e) ** 2) / 2)) - 0.25 * Math.exp(-(d * d) / 2 - (e * e) / 2)) / N;
    expect(limit).toBeGreaterThan(0.04);
    expect(Math.abs(res.rows[res.rows.length - 1].G4c - limit)).toBeLessThan(1e-14);
    expect(res.G2Decays).toBe(true);
    expect(res.G4cDecays).toBe(false);
  });

  test('Gauss-net: G2 tends to sb^2 = 1; G4c grows like e^{2 a (t1 + t2)}', () => {
    const res = clusterDecomposition(gaussNet({ width: 10 }), { pair1, pair2, separations });
    const far = res.rows[res.rows.length - 1];
    expect(Math.abs(far.G2 - 1)).toBeLessThan(1e-12);
    // Closed form: M4 = exp(sum_{a<b} k_ab - sum_a k_aa / 2), M2 = exp(-(x - y)^2 / 2), G4c = (3 M4 - pairs) / N.
    const g4c = (a: number) => {
      const x = [pair1[0], pair1[1], pair2[0] + a, pair2[1] + a];
      let e = 0;
      for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) e += i < j ? k(x[i], x[j]) : i === j ? -k(x[i], x[i]) / 2 : 0;
      const m2 = (i: number, j: number) => Math.exp(-((x[i] - x[j]) ** 2) / 2);
      return (3 * Math.exp(e) - m2(0, 1) * m2(2, 3) - m2(0, 2) * m2(1, 3) - m2(0, 3) * m2(1, 2)) / 10;
    };
    for (const row of res.rows) expect(Math.abs(row.G4c / g4c(row.separation) - 1)).toBeLessThan(1e-12);
    const [r10, r20] = [res.rows[4], res.rows[5]];
    expect(Math.log(r20.G4c / r10.G4c) / 10).toBeCloseTo(2 * (pair1[0] + pair1[1]), 6);
    expect(res.G2Decays).toBe(false);
    expect(res.G4cDecays).toBe(false);
  });

  test('Scalar-net (Lambda = 10): G2 decays (Simpson route), G4c settles at a nonzero constant', () => {
    const res = clusterDecomposition(scalarNet({ width: 10, mass: 1, cutoff: 10 }), { pair1, pair2, separations: [0, 10, 20, 40] });
    for (const row of res.rows) expect(Math.abs(row.G2 - cutoffPropagator(pair2[0] + row.separation - pair1[0], 10))).toBeLessThan(1e-9);
    const [, r10, r20, r40] = res.rows;
    expect(Math.abs(r20.G4cRatio - r40.G4cRatio)).toBeLessThan(1e-6);
    expect(Math.abs(r10.G4cRatio - r40.G4cRatio)).toBeLessThan(1e-3);
    expect(r40.G4cRatio).toBeGreaterThan(0.5);
    expect(res.G2Decays).toBe(true);
    expect(res.G4cDecays).toBe(false);
  });

  test('ReLU-net: G2 grows linearly in a (ReLU is homogeneous)', () => {
    const res = clusterDecomposition(reluNet({ width: 10 }), { pair1, pair2, separations: [0, 40, 80] });
    const [, r40, r80] = res.rows;
    expect((r80.G2 - r40.G2) / 40).toBeGreaterThan(0.1);
    expect(Math.abs(r80.G2 - CLOSED.relu(pair1[0], pair2[0] + 80))).toBeLessThan(1e-9);
    expect(res.G2Decays).toBe(false);
  });
});

describe('Euclidean and permutation invariance', () => {
  test('Cos-net and Scalar-net (D = 2): G2 and G4c invariant under translation and rotation', () => {
    for (const net of [cosNet({ width: 5, dIn: 2 }), scalarNet({ width: 5, dIn: 2, mass: 1, cutoff: 4 })]) {
      const res = euclideanInvariance(net, { times: [0.1, 0.4, 0.9], shift: 0.7, angle: 1.1 });
      expect(res.translationInvariant).toEqual({ G2: true, G4c: true });
      expect(res.rotationInvariant).toEqual({ G2: true, G4c: true });
      expect(res.permutationInvariant).toBe(true);
    }
  });

  test('Gauss-net: G2 invariant, G4c not translation invariant (but rotation invariant)', () => {
    const res = euclideanInvariance(gaussNet({ width: 5, dIn: 2 }), { times: [0.1, 0.4, 0.9] });
    expect(res.translation.G2).toBeLessThan(1e-12);
    expect(res.translation.G4c).toBeGreaterThan(1);
    expect(res.rotation!.G4c).toBeLessThan(1e-12);
  });

  test('Erf-net (D = 1): G2 not translation invariant, by the closed-form amount', () => {
    const times = [0.1, 0.4, 0.9];
    const res = euclideanInvariance(erfNet({ width: 5 }), { times, shift: 1 });
    expect(res.rotation).toBeUndefined();
    let worst = 0;
    let scale = 0;
    for (const a of times) for (const b of times) {
      scale = Math.max(scale, Math.abs(CLOSED.erf(a, b)));
      worst = Math.max(worst, Math.abs(CLOSED.erf(a + 1, b + 1) - CLOSED.erf(a, b)));
    }
    expect(Math.abs(res.translation.G2 - worst / scale)).toBeLessThan(1e-12);
    expect(res.translationInvariant.G2).toBe(false);
    expect(res.permutation).toBeLessThan(1e-12);
  });
});

describe('osReport', () => {
  // Three times and one separation keep the Erf-net quadratures quick under jest (the defaults take ~1 s in plain
  // node, ~20 s here, where the trapezoid rule's hot loop runs much slower).
  const times = [0.2, 0.5, 0.9];
  const report = osReport({ times, separations: [0, 5] });
  const expected: Record<string, string[]> = {
    // euclideanG2, euclideanG4c, permutation, reflectionG2, reflectionDegree2, clusterG2, clusterG4c
    'Scalar-net (Lambda = 10)': ['holds', 'holds', 'holds', 'fails', 'fails', 'holds', 'fails'],
    'Scalar-net (Lambda = infinity, kernel only)': ['holds', 'n.a.', 'holds', 'holds', 'n.a.', 'holds', 'n.a.'],
    'Cos-net': ['holds', 'holds', 'holds', 'fails', 'fails', 'holds', 'fails'],
    'Gauss-net': ['holds', 'fails', 'holds', 'fails', 'fails', 'fails', 'fails'],
    'Erf-net': ['fails', 'fails', 'holds', 'fails', 'fails', 'fails', 'fails'],
    'ReLU-net': ['fails', 'fails', 'holds', 'fails', 'fails', 'fails', 'fails'],
  };

  test('every architecture, every property: the expected verdicts, each with a number and a reason', () => {
    expect(report.rows.map((r) => r.architecture)).toEqual(Object.keys(expected));
    for (const row of report.rows) {
      expect(OS_PROPERTIES.map((p) => row.entries[p].verdict)).toEqual(expected[row.architecture]);
      for (const p of OS_PROPERTIES) {
        expect(row.entries[p].reason).not.toMatch(/against the expectation/);
        expect(row.entries[p].reason.length).toBeGreaterThan(10);
        if (row.entries[p].verdict !== 'n.a.') expect(Number.isFinite(row.entries[p].value)).toBe(true);
      }
    }
    const text = formatOsReport(report);
    expect(text).toMatch(/Gauss-net/);
    expect(text.split('\n').length).toBeGreaterThan(6 * OS_PROPERTIES.length);
  });

  test('the reflection numbers are those of reflectionPositivity', () => {
    const rp = (o: Omit<ReflectionOptions, 'times'>) => reflectionPositivity({ ...o, times } as ReflectionOptions).minEigenvalue;
    expect(report.rows[0].entries.reflectionG2.value).toBe(rp({ kernel: 'free', cutoff: 10 }));
    expect(report.rows[1].entries.reflectionG2.value).toBe(rp({ kernel: 'free' }));
    expect(report.rows[3].entries.reflectionG2.value).toBe(rp({ kernel: 'gauss' }));
  });
});

describe('bad input', () => {
  const good: ReflectionOptions = { kernel: 'free', times: TIMES };
  test.each([
    [{ ...good, kernel: 'tanh' }, /kernel/],
    [{ ...good, times: [] }, /times/],
    [{ ...good, times: [0.1, 0] }, /times/],
    [{ ...good, times: [0.1, NaN] }, /times/],
    [{ ...good, mass: 0 }, /mass/],
    [{ ...good, cutoff: -1 }, /cutoff/],
    [{ ...good, dIn: 4 }, /dIn/],
    [{ ...good, dIn: 1.5 }, /dIn/],
    [{ ...good, sigmaW: 1 }, /sigmaW/],
    [{ kernel: 'gauss', times: TIMES, mass: 1 }, /mass/],
    [{ kernel: 'gauss', times: TIMES, sigmaW: -1 }, /sigmaW/],
    [{ kernel: 'cos', times: TIMES, sigmaB: 1 }, /sigmaB/],
    [{ kernel: 'erf', times: TIMES, cutoff: 3 }, /cutoff/],
  ])('%j is rejected naming the option', (options, name) => {
    expect(() => reflectionPositivity(options as unknown as ReflectionOptions)).toThrow(RangeError);
    expect(() => reflectionPositivity(options as unknown as ReflectionOptions)).toThrow(name);
  });

  test('the other entry points name their options', async () => {
    const net = cosNet({ width: 2 });
    expect(() => reflectionMatrixExact(net, [0.1], { degree: 3 as 1 })).toThrow(/degree/);
    expect(() => reflectionMatrixExact(net, [-0.1], { degree: 1 })).toThrow(/times/);
    await expect(reflectionMatrixMC(net, [0.1], { nets: 1, seed: 0, degree: 1 })).rejects.toThrow(/nets/);
    expect(() => clusterDecomposition(net, { pair1: [0.1, 0.2], pair2: [0.3, 0.4], separations: [-1] })).toThrow(/separations/);
    expect(() => clusterDecomposition(net, { pair1: [0.1] as unknown as [number, number], pair2: [0.3, 0.4], separations: [0] })).toThrow(/pair1/);
    expect(() => euclideanInvariance(net, { shift: Infinity })).toThrow(/shift/);
    expect(() => osReport({ width: 0 })).toThrow(/width/);
  });
});
