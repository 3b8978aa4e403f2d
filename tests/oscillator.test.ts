/**
 * The anharmonic oscillator (phi^4 in one Euclidean dimension) against independent routes.
 *
 * - lambda = 0: closed forms E0 = m/2, gap = m, x2 = 1/(2m), G2 = e^{-m|tau|}/(2m), box or not.
 * - A position-space sinc-DVR (Colbert-Miller) Hamiltonian on a uniform grid (library: oscillator
 *   basis, parity blocks): E0, gap, x2 and G2 from its full spectrum; the box world assembled
 *   from the DVR H and H0 by walking through the sorted event times {t1, t2, -L, L} (library:
 *   segment clipping).
 * - Physical limits: a long box reproduces infinite volume; insertions far outside the box see the
 *   free theory; the literature ground energy of p^2 + x^2 + x^4.
 * - Bad input.
 */
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { anharmonicOscillator, boxCorrelator, variationalFrequency } from '../src/field-theory/oscillator';

function relative(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
}

function worstRelative(a: readonly number[], b: readonly number[]): number {
  expect(a.length).toBe(b.length);
  return Math.max(...a.map((v, i) => relative(v, b[i])));
}

/** Eigenpairs of a grid Hamiltonian: values[k], vectors[k] (unit Euclidean norm on the grid). */
interface GridSpectrum {
  values: number[];
  vectors: Float64Array[];
}

/** Sinc-DVR for p^2/2 + m^2 x^2/2 + lambda x^4 on x_i = i dx, |x_i| <= halfWidth. */
function dvr(mass: number, coupling: number, halfWidth = 10, dx = 0.1): { grid: Float64Array; spectrum: GridSpectrum } {
  const half = Math.round(halfWidth / dx);
  const size = 2 * half + 1;
  const grid = Float64Array.from({ length: size }, (_, i) => (i - half) * dx);
  const h = new Matrix(size, size);
  const scale = 1 / (2 * dx * dx);
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      const d = i - j;
      let t = d === 0 ? (Math.PI * Math.PI) / 3 : (2 * (d % 2 === 0 ? 1 : -1)) / (d * d);
      t *= scale;
      if (d === 0) t += 0.5 * mass * mass * grid[i] ** 2 + coupling * grid[i] ** 4;
      h.set(i, j, t);
    }
  }
  const eig = new EigenvalueDecomposition(h, { assumeSymmetric: true });
  const order = eig.realEigenvalues.map((v, k) => [v, k]).sort((a, b) => a[0] - b[0]);
  const V = eig.eigenvectorMatrix;
  return {
    grid,
    spectrum: {
      values: order.map(([v]) => v),
      vectors: order.map(([, k]) => Float64Array.from({ length: size }, (_, i) => V.get(i, k))),
    },
  };
}

function dotGrid(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** Infinite-volume numbers from the DVR spectrum: E0, gap, x2, G2(tau). */
function dvrInfinite(mass: number, coupling: number, taus: number[]): { E0: number; gap: number; x2: number; G2: number[] } {
  const { grid, spectrum } = dvr(mass, coupling);
  const { values, vectors } = spectrum;
  const xGround = vectors[0].map((v, i) => v * grid[i]);
  const weights = vectors.map((v) => dotGrid(v, xGround) ** 2);
  const g2 = (tau: number) => weights.reduce((s, w, n) => s + w * Math.exp(-(values[n] - values[0]) * Math.abs(tau)), 0);
  return { E0: values[0], gap: values[1] - values[0], x2: dotGrid(xGround, xGround), G2: taus.map(g2) };
}

/** e^{-(h - ground) t} v on the grid. */
function gridEvolve(s: GridSpectrum, t: number, v: Float64Array): Float64Array {
  const out = new Float64Array(v.length);
  s.vectors.forEach((u, k) => {
    const c = dotGrid(u, v) * Math.exp(-(s.values[k] - s.values[0]) * t);
    for (let i = 0; i < v.length; i++) out[i] += c * u[i];
  });
  return out;
}

/**
 * <x(t1) x(t2)> of the box world on the DVR grid: start in the free ground state at the earliest
 * event, walk through the sorted events {t1, t2, -L, L}, evolving each interval with the
 * Hamiltonian at its midpoint and multiplying by x at each insertion; project on the free ground
 * state at the last event; divide by the amplitude without insertions.
 */
function dvrBox(mass: number, coupling: number, L: number, t1: number, t2: number): number {
  const { grid, spectrum: interacting } = dvr(mass, coupling);
  const { spectrum: free } = dvr(mass, 0);
  const vacuum = free.vectors[0];
  const amplitude = (insertions: number[]): number => {
    const events = [...insertions, -L, L].sort((a, b) => a - b);
    let state = vacuum;
    let now = events[0];
    for (const event of events) {
      if (event > now) {
        const mid = (now + event) / 2;
        state = gridEvolve(Math.abs(mid) <= L ? interacting : free, event - now, state);
        now = event;
      }
      if (insertions.includes(event)) {
        const times = insertions.filter((t) => t === event).length;
        for (let k = 0; k < times; k++) state = state.map((v, i) => v * grid[i]);
        insertions = insertions.filter((t) => t !== event);
      }
    }
    return dotGrid(vacuum, state);
  };
  return amplitude([t1, t2]) / amplitude([]);
}

describe('lambda = 0: the free Scalar-net 2-point function', () => {
  const taus = [0, 0.3, -1.2, 2.5, 7];
  it.each([1, 0.7, 2.3])('m = %p: closed forms, infinite volume and box', (m) => {
    const exact = taus.map((t) => Math.exp(-m * Math.abs(t)) / (2 * m));
    for (const box of [undefined, 0.8, 3]) {
      const r = anharmonicOscillator({ mass: m, coupling: 0, taus, box });
      expect(r.box).toBe(box ?? null);
      expect(relative(r.E0, m / 2)).toBeLessThan(1e-12);
      expect(relative(r.gap, m)).toBeLessThan(1e-12);
      expect(relative(r.x2, 1 / (2 * m))).toBeLessThan(1e-12);
      expect(worstRelative(r.G2, exact)).toBeLessThan(1e-12);
      expect(r.omega).toBeCloseTo(m, 12);
    }
    expect(relative(boxCorrelator(m, 0, 1, -2, 1.5), Math.exp(-3.5 * m) / (2 * m))).toBeLessThan(1e-12);
  });
});

describe('against a sinc-DVR diagonalisation', () => {
  it('the DVR grid itself is converged (to ~1e-12)', () => {
    const coarse = dvr(1, 2).spectrum.values;
    const fine = dvr(1, 2, 12, 0.08).spectrum.values;
    expect(relative(coarse[0], fine[0])).toBeLessThan(1e-11);
    expect(relative(coarse[1], fine[1])).toBeLessThan(1e-11);
  });

  // The DVR grid (dx = 0.1, |x| <= 10, 201 points) agrees with the oscillator basis to ~1e-12; 1e-10 leaves margin.
  const taus = [0, 0.5, 1, 2];
  const cases: [number, number][] = [];
  for (const m of [1, 0.7]) for (const lambda of [0.1, 0.5, 1, 2]) cases.push([m, lambda]);
  it.each(cases)('infinite volume, m = %p, lambda = %p', (m, lambda) => {
    const r = anharmonicOscillator({ mass: m, coupling: lambda, taus });
    const ref = dvrInfinite(m, lambda, taus);
    expect(relative(r.E0, ref.E0)).toBeLessThan(1e-10);
    expect(relative(r.gap, ref.gap)).toBeLessThan(1e-10);
    expect(relative(r.x2, ref.x2)).toBeLessThan(1e-10);
    expect(worstRelative(r.G2, ref.G2)).toBeLessThan(1e-10);
    expect(r.precision).toBeLessThan(1e-12);
    expect(r.basisSize).toBeLessThanOrEqual(400);
    expect(r.omega).toBeCloseTo(variationalFrequency(m, lambda), 14);
    expect(r.G2[0]).toBe(r.x2);
  });

  it.each([1, 2])('box L = %p, lambda = 0.5, taus inside and outside', (L) => {
    const boxTaus = [0, 0.5, 1.5, 3];
    const r = anharmonicOscillator({ mass: 1, coupling: 0.5, taus: boxTaus, box: L });
    const ref = boxTaus.map((t) => dvrBox(1, 0.5, L, 0, t));
    expect(worstRelative(r.G2, ref)).toBeLessThan(1e-10);
    expect(relative(r.x2, ref[0])).toBeLessThan(1e-10);
    expect(r.precision).toBeLessThan(1e-12);
    // E0 and gap are those of H, as in infinite volume.
    const infinite = anharmonicOscillator({ mass: 1, coupling: 0.5, taus: [0] });
    expect(relative(r.E0, infinite.E0)).toBeLessThan(1e-12);
    expect(relative(r.gap, infinite.gap)).toBeLessThan(1e-12);
    // Both insertions off the origin, one on each side of the box.
    expect(relative(boxCorrelator(1, 0.5, L, -1.7, 2.4), dvrBox(1, 0.5, L, -1.7, 2.4))).toBeLessThan(1e-10);
  });
});

describe('physical limits and symmetries', () => {
  it('a long box reproduces infinite volume at small tau', () => {
    const taus = [0, 0.5, -1];
    const infinite = anharmonicOscillator({ mass: 1, coupling: 0.5, taus });
    const long = anharmonicOscillator({ mass: 1, coupling: 0.5, taus, box: 8 });
    expect(worstRelative(long.G2, infinite.G2)).toBeLessThan(1e-10);
    // A short box is visibly different: the interaction lowers <x^2>.
    const short = anharmonicOscillator({ mass: 1, coupling: 0.5, taus, box: 0.5 });
    expect(short.x2).toBeGreaterThan(infinite.x2);
    expect(short.x2).toBeLessThan(0.5);
  });

  it('insertions far from the box see the free theory', () => {
    const m = 0.7;
    const free = Math.exp(-m * 0.5) / (2 * m);
    expect(relative(boxCorrelator(m, 1, 1, -20, -19.5), free)).toBeLessThan(1e-10);
    expect(relative(boxCorrelator(m, 1, 1, 25, 25.5), free)).toBeLessThan(1e-10);
  });

  it('box correlator: symmetric in t1, t2 and under time reflection; matches G2(0, tau)', () => {
    const a = boxCorrelator(1, 2, 1.5, -0.4, 2.2);
    expect(relative(boxCorrelator(1, 2, 1.5, 2.2, -0.4), a)).toBeLessThan(1e-12);
    expect(relative(boxCorrelator(1, 2, 1.5, 0.4, -2.2), a)).toBeLessThan(1e-11);
    const r = anharmonicOscillator({ mass: 1, coupling: 2, taus: [-3, 1], box: 1.5 });
    expect(relative(r.G2[0], boxCorrelator(1, 2, 1.5, 0, -3))).toBeLessThan(1e-11);
    expect(relative(r.G2[0], boxCorrelator(1, 2, 1.5, 0, 3))).toBeLessThan(1e-11);
    expect(relative(r.G2[1], boxCorrelator(1, 2, 1.5, 1, 0))).toBeLessThan(1e-11);
  });

  it('literature: ground energy of p^2 + x^2 + x^4 is 1.39235164153029...', () => {
    // p^2 + x^2 + x^4 = 2 (p^2/2 + x^2/2 + x^4/2): m = 1, lambda = 1/2, E0 halved.
    const r = anharmonicOscillator({ mass: 1, coupling: 0.5, taus: [0] });
    expect(relative(r.E0, 1.392351641530292 / 2)).toBeLessThan(1e-13);
  });

  it('G2 decays with the gap at large tau and is positive, decreasing', () => {
    const r = anharmonicOscillator({ mass: 0.7, coupling: 1, taus: [0, 1, 2, 4, 8, 12] });
    for (let i = 1; i < r.G2.length; i++) expect(r.G2[i]).toBeLessThan(r.G2[i - 1]);
    const slope = Math.log(r.G2[4] / r.G2[5]) / 4;
    expect(relative(slope, r.gap)).toBeLessThan(1e-8);
  });
});

describe('bad input', () => {
  const good = { mass: 1, coupling: 0.5, taus: [0, 1] };
  it.each([
    ['mass', { ...good, mass: 0 }],
    ['mass', { ...good, mass: -1 }],
    ['mass', { ...good, mass: NaN }],
    ['coupling', { ...good, coupling: -0.1 }],
    ['taus', { ...good, taus: [] }],
    ['taus[1]', { ...good, taus: [0, NaN] }],
    ['taus[0]', { ...good, taus: [Infinity] }],
    ['box', { ...good, box: 0 }],
    ['box', { ...good, box: -2 }],
    ['tolerance', { ...good, tolerance: 0 }],
  ])('%s', (arg, options) => {
    expect(() => anharmonicOscillator(options)).toThrow(RangeError);
    expect(() => anharmonicOscillator(options)).toThrow(`${arg} must be`);
  });

  it('boxCorrelator validates its arguments', () => {
    expect(() => boxCorrelator(0, 1, 1, 0, 0)).toThrow(/mass must be/);
    expect(() => boxCorrelator(1, -1, 1, 0, 0)).toThrow(/coupling must be/);
    expect(() => boxCorrelator(1, 1, 0, 0, 0)).toThrow(/box must be/);
    expect(() => boxCorrelator(1, 1, 1, NaN, 0)).toThrow(/t1 must be/);
    expect(() => boxCorrelator(1, 1, 1, 0, Infinity)).toThrow(/t2 must be/);
  });

  it('an unreachable tolerance throws instead of returning unconverged numbers', () => {
    expect(() => anharmonicOscillator({ ...good, tolerance: 1e-18 })).toThrow(/did not converge/);
  });
});
