import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Rng } from '../src/core/random';
import { jackknifeKurtosis, pullSummary, pulls } from '../src/notebook/estimates';
import { normalDensityTrace } from '../src/notebook/plots';
import { percentTicks } from '../src/notebook/progress';
import { formatTable, printTable, saveTable, tableCsv } from '../src/notebook/tables';

// The helpers notebooks use instead of inline code (src/notebook/tables.ts, estimates.ts, progress.ts and
// normalDensityTrace in plots.ts). Each is checked against a second, independent route.

type DanfoFrame = { toString(): string };
interface Danfo {
  DataFrame: new (data: unknown, options?: unknown) => DanfoFrame;
  toCSV(df: DanfoFrame, options?: { filePath?: string }): string | undefined;
}
// eslint-disable-next-line @typescript-eslint/no-var-requires
const dfd = require('danfojs-node') as Danfo;
const FULL = { config: { tableMaxRow: 100000, tableMaxColInConsole: 1000 } };

// Rows shaped like the two tables the notebooks publish (03-5's model ladder, 04-3's coordinate check).
const ladderRows = [
  { net: 'Erf-net', width: 2, model: 'M0', lambda: '0', lambda2: '0', testMAPE: 100, testMSE: 0.0391 },
  { net: 'Erf-net', width: 2, model: 'M1', lambda: '-3.37e-4 ± 5.1e-5', lambda2: '0', testMAPE: 83.72, testMSE: 0.00423 },
  { net: 'ReLU-net', width: 2, model: 'M2', lambda: '-4.00e-4 ± 6.2e-5', lambda2: '1.44e-2 ± 4.2e-3', testMAPE: NaN, testMSE: 1e-7 },
];
interface CoordinateLike {
  readonly parameterization: string;
  readonly width: number;
  readonly layer: number;
  readonly l1: number;
  readonly finite: boolean;
}
const coordinateRows: CoordinateLike[] = Array.from({ length: 17 }, (_, i) => ({ parameterization: ['standard', 'ntk', 'mup'][i % 3], width: 64 << (i % 5), layer: 1 + (i % 3), l1: i === 0 ? 0 : Math.sqrt(i) / 7 + 0.1, finite: i % 2 === 0 }));

describe('tables', () => {
  let out: string;
  const saved = process.env.NNFT_OUT;
  beforeEach(() => {
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'nnft-notebook-helpers-'));
    process.env.NNFT_OUT = out;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.NNFT_OUT;
    else process.env.NNFT_OUT = saved;
    fs.rmSync(out, { recursive: true, force: true });
  });

  test('tableCsv writes a header and one line per row, cells as String(value)', () => {
    expect(tableCsv([{ a: 1, b: 'x', c: true }, { a: 2.5, b: null, c: undefined }, { a: -0, b: '0', c: false }])).toBe('a,b,c\n1,x,true\n2.5,,\n0,0,false\n');
    // Only fields that would break the format are quoted.
    expect(tableCsv([{ name: 'a, b', quote: 'say "hi"', plain: 'α ± β' }])).toBe('name,quote,plain\n"a, b","say ""hi""",α ± β\n');
  });

  test('tableCsv equals danfojs toCSV, the route the notebooks took before (byte for byte)', () => {
    expect(tableCsv(ladderRows)).toBe(dfd.toCSV(new dfd.DataFrame(ladderRows)));
    expect(tableCsv(coordinateRows)).toBe(dfd.toCSV(new dfd.DataFrame(coordinateRows)));
  });

  test('saveTable writes <NNFT_OUT>/tables/<name>.csv atomically and returns its path', () => {
    const file = saveTable('coordinate-check', coordinateRows);
    expect(file).toBe(path.join(out, 'tables', 'coordinate-check.csv'));
    expect(fs.readFileSync(file, 'utf8')).toBe(tableCsv(coordinateRows));
    // The same bytes danfojs wrote to the same place.
    const viaDanfo = path.join(out, 'danfo.csv');
    dfd.toCSV(new dfd.DataFrame(coordinateRows), { filePath: viaDanfo });
    expect(fs.readFileSync(file)).toEqual(fs.readFileSync(viaDanfo));
    expect(fs.readdirSync(path.join(out, 'tables'))).toEqual(['coordinate-check.csv']); // no temporary file left
    saveTable('coordinate-check', ladderRows); // overwrites
    expect(fs.readFileSync(file, 'utf8')).toBe(tableCsv(ladderRows));
  });

  test('saveTable and tableCsv refuse bad names and rows, naming the function, the argument and the value', () => {
    for (const name of ['', '../x', 'a/b', '.hidden', 'x.csv', 'with space']) {
      expect(() => saveTable(name, ladderRows)).toThrow(RangeError);
      expect(() => saveTable(name, ladderRows)).toThrow(`saveTable: name must be a file stem of letters, digits, '.', '_' and '-' (without .csv), got ${JSON.stringify(name)}`);
    }
    expect(() => saveTable('t', [])).toThrow('saveTable: rows must be a non-empty array of row objects, got []');
    expect(() => tableCsv([{ a: 1 }, { b: 2 }] as { a?: number; b?: number }[])).toThrow('tableCsv: rows[1] must be a row with the columns of rows[0], ["a"], got ["b"]');
    expect(() => tableCsv([{ a: 1, b: 2 }, { a: 1 }] as { a: number; b?: number }[])).toThrow('tableCsv: rows[1] must be a row with the columns of rows[0], ["a","b"], got ["a"]');
    expect(() => tableCsv([{ a: [1, 2] }] as unknown as { a: number }[])).toThrow('tableCsv: rows[0].a must be a number, string, boolean, null or undefined, got [1, 2]');
    expect(() => tableCsv([5] as unknown as { a: number }[])).toThrow(RangeError);
    expect(fs.existsSync(path.join(out, 'tables'))).toBe(false);
  });

  test('formatTable is danfojs drawing the whole table; maxRows and maxColumns limit it as danfojs does', () => {
    expect(formatTable(coordinateRows)).toBe(new dfd.DataFrame(coordinateRows, FULL).toString());
    expect(formatTable(ladderRows)).toBe(new dfd.DataFrame(ladderRows).toString()); // within danfojs' default limits
    // 17 rows: danfojs' default shows 10 of them, and so does maxRows: 10.
    const firstTen = formatTable(coordinateRows, { maxRows: 10 });
    expect(firstTen).toBe(new dfd.DataFrame(coordinateRows).toString());
    expect(firstTen).not.toBe(formatTable(coordinateRows));
    const wide = [Object.fromEntries(Array.from({ length: 12 }, (_, j) => [`c${j}`, j]))];
    expect(formatTable(wide, { maxColumns: 10 })).toBe(new dfd.DataFrame(wide).toString());
    expect(formatTable(wide)).toContain('c5');
    expect(formatTable(wide, { maxColumns: 10 })).not.toContain('c5');
  });

  test('printTable logs formatTable; bad options are refused', () => {
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      printTable(ladderRows, { maxRows: 2 });
      expect(log).toHaveBeenCalledTimes(1);
      expect(log).toHaveBeenCalledWith(formatTable(ladderRows, { maxRows: 2 }));
    } finally {
      log.mockRestore();
    }
    expect(() => printTable(ladderRows, { maxRows: 0 })).toThrow('printTable: options.maxRows must be a positive integer, got 0');
    expect(() => formatTable(ladderRows, { maxColumns: 2.5 })).toThrow('formatTable: options.maxColumns must be a positive integer, got 2.5');
    expect(() => formatTable([])).toThrow('formatTable: rows must be a non-empty array of row objects, got []');
  });
});

describe('pulls and pullSummary', () => {
  const est = [1.1, 2.0, -0.3, 4.5];
  const se = [0.1, 0.5, 0.2, 1.5];
  const exact = [1.0, 2.5, -0.1, 1.5];

  test('pulls are (estimate - exact) / stdErr, entry by entry (typed arrays too)', () => {
    const expected = [(1.1 - 1.0) / 0.1, (2.0 - 2.5) / 0.5, (-0.3 + 0.1) / 0.2, (4.5 - 1.5) / 1.5];
    const p = pulls(est, se, exact);
    p.forEach((v, k) => expect(v).toBeCloseTo(expected[k], 12));
    expect(pulls(Float64Array.from(est), Float32Array.from([0.5, 0.5, 0.5, 0.5]), exact)).toHaveLength(4);
    // Bit for bit what the notebooks computed inline.
    expect(pulls(est, se, exact)).toEqual(est.map((v, k) => (v - exact[k]) / se[k]));
  });

  test('pullSummary: the largest |pull| and chi^2 per entry, against explicit loops', () => {
    const p = [0.5, -2.25, 1.0, 0.0, -0.75];
    let worst = 0;
    let chi2 = 0;
    for (const z of p) {
      worst = Math.max(worst, Math.abs(z));
      chi2 += z * z;
    }
    expect(pullSummary(p)).toEqual({ entries: 5, maxAbsPull: worst, chi2PerEntry: chi2 / 5 });
    expect(pullSummary([1, NaN]).maxAbsPull).toBeNaN();
  });

  test('bad arguments are refused with a RangeError naming the function, the argument and the value', () => {
    expect(() => pulls(est, se.slice(1), exact)).toThrow('pulls: stdErrs.length must be 4 (the length of estimates), got 3');
    expect(() => pulls(est, se, [1])).toThrow('pulls: exact.length must be 4 (the length of estimates), got 1');
    expect(() => pulls([], [], [])).toThrow('pulls: estimates.length must be positive, got 0');
    expect(() => pulls(null as unknown as number[], se, exact)).toThrow('pulls: estimates must be an array of numbers, got null');
    expect(() => pullSummary([])).toThrow(RangeError);
  });
});

describe('jackknifeKurtosis', () => {
  /** The bias-corrected delete-one-batch jackknife of m4 / m2^2 - 3, computed from the samples themselves. */
  function direct(f: ArrayLike<number>, B: number): { value: number; stdErr: number } {
    const n = f.length;
    const per = n / B;
    const kurt = (skip: number) => {
      let s2 = 0;
      let s4 = 0;
      let count = 0;
      for (let i = 0; i < n; i++) {
        if (Math.floor(i / per) === skip) continue;
        s2 += f[i] ** 2;
        s4 += f[i] ** 4;
        count++;
      }
      return (s4 / count) / (s2 / count) ** 2 - 3;
    };
    const full = kurt(-1);
    const replicas = Array.from({ length: B }, (_, b) => kurt(b));
    const mean = replicas.reduce((a, r) => a + r, 0) / B;
    const variance = replicas.reduce((a, r) => a + (r - mean) ** 2, 0);
    return { value: B * full - (B - 1) * mean, stdErr: Math.sqrt(((B - 1) / B) * variance) };
  }

  test('equals the jackknife computed directly from the samples (Laplace samples, kurtosis 3)', () => {
    const rng = Rng.stream(11);
    const f = Float64Array.from({ length: 20000 }, () => {
      const u = rng.uniform() - 0.5;
      return -Math.sign(u) * Math.log(1 - 2 * Math.abs(u));
    });
    const est = jackknifeKurtosis(f, 20);
    const ref = direct(f, 20);
    expect(est.count).toBe(20);
    expect(est.value).toBeCloseTo(ref.value, 9);
    expect(est.stdErr / ref.stdErr).toBeCloseTo(1, 9);
    expect(Math.abs(est.value - 3)).toBeLessThan(5 * est.stdErr); // Laplace: excess kurtosis 3
  });

  test('Gaussian samples have excess kurtosis 0 within the error bar, and the error bar is about sqrt(24/M)', () => {
    const rng = Rng.stream(12);
    const M = 40000;
    const f = Float64Array.from({ length: M }, () => rng.normal());
    const est = jackknifeKurtosis(f, 40);
    expect(Math.abs(est.value)).toBeLessThan(5 * est.stdErr);
    expect(est.stdErr / Math.sqrt(24 / M)).toBeGreaterThan(0.6);
    expect(est.stdErr / Math.sqrt(24 / M)).toBeLessThan(1.6);
  });

  test('bad arguments are refused with a RangeError naming the function, the argument and the value', () => {
    const f = new Float64Array(100).map((_, i) => Math.sin(i));
    expect(() => jackknifeKurtosis(f, 1)).toThrow('jackknifeKurtosis: batches must be an integer >= 2, got 1');
    expect(() => jackknifeKurtosis(f, 2.5)).toThrow('jackknifeKurtosis: batches must be an integer >= 2, got 2.5');
    expect(() => jackknifeKurtosis(f, 30)).toThrow('jackknifeKurtosis: samples.length must be a multiple of batches (30), got 100');
    expect(() => jackknifeKurtosis([], 2)).toThrow('jackknifeKurtosis: samples.length must be positive, got 0');
  });
});

describe('normalDensityTrace', () => {
  test('is the N(0, variance) density: integrates to 1, peaks at 1/sqrt(2 pi variance), dashed in colour 7 by default', () => {
    for (const variance of [1, 2, 0.25]) {
      const sd = Math.sqrt(variance);
      const grid = Array.from({ length: 2001 }, (_, i) => -10 * sd + (20 * sd * i) / 2000);
      const t = normalDensityTrace('N', grid, variance);
      const y = t.y as number[];
      const h = grid[1] - grid[0];
      const integral = h * (y.reduce((a, v) => a + v, 0) - (y[0] + y[y.length - 1]) / 2);
      expect(integral).toBeCloseTo(1, 10);
      expect(y[1000]).toBeCloseTo(1 / Math.sqrt(2 * Math.PI * variance), 14);
      expect(y[1000 + 100] / y[1000]).toBeCloseTo(Math.exp(-0.5), 12); // one standard deviation out
    }
    const t = normalDensityTrace('standard normal', [-1, 0, 1]);
    expect(t).toMatchObject({ type: 'scatter', mode: 'lines', name: 'standard normal', line: { dash: 'dash', color: '#17becf' } });
    // Bit for bit the inline formula of the notebooks.
    expect(t.y).toEqual([-1, 0, 1].map((z) => Math.exp(-z * z / 2) / Math.sqrt(2 * Math.PI)));
  });

  test('refuses a variance that is not positive', () => {
    expect(() => normalDensityTrace('N', [0], 0)).toThrow('normalDensityTrace: variance must be a positive finite number, got 0');
    expect(() => normalDensityTrace('N', [0], NaN)).toThrow(RangeError);
  });
});

describe('percentTicks', () => {
  test('advances a bar of 100 to the nearest whole percent of each reported fraction', () => {
    const ticks: number[] = [];
    const bar = { tick: (n: number) => ticks.push(n), done: () => undefined };
    const onProgress = percentTicks(bar);
    for (const f of [0, 0.004, 0.126, 0.126, 0.5, 0.3, 0.999, 1]) onProgress(f);
    expect(ticks).toEqual([13, 37, 50]);
    expect(ticks.reduce((a, b) => a + b, 0)).toBe(100);
  });

  test('refuses fractions outside [0, 1] and a missing bar', () => {
    const onProgress = percentTicks({ tick: () => undefined, done: () => undefined });
    expect(() => onProgress(1.5)).toThrow('percentTicks: fraction must be a number in [0, 1], got 1.5');
    expect(() => onProgress(NaN)).toThrow(RangeError);
    expect(() => percentTicks(undefined as unknown as { tick(n: number): void; done(): void })).toThrow('percentTicks: bar must be a progress bar (progressBar), got undefined');
  });
});
