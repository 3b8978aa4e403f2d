import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../src/cli';

// The command line as a user meets it: bad input is refused before any work (exit 2, naming the
// flag and the value), output arrives whole through pipes, heavy tails warn, --strict exits 3.
const ROOT = path.resolve(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'nnft.js');
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'nnft-cli-'));

/** Run `main` in this process, capturing what it writes. */
async function inProcess(args: string[]): Promise<{ code: number; out: string; err: string; ms: number }> {
  let out = '';
  let err = '';
  const spies = [
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((out += String(chunk)), true)),
    jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void (out += a.join(' ') + '\n')),
    jest.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void (err += a.join(' ') + '\n')),
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((err += String(chunk)), true)),
  ];
  const t0 = Date.now();
  try {
    const code = await main(args);
    return { code, out, err, ms: Date.now() - t0 };
  } finally {
    spies.forEach((s) => s.mockRestore());
  }
}

function sh(script: string, timeoutMs = 120000) {
  const r = spawnSync('bash', ['-c', script], { cwd: ROOT, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 << 20, env: { ...process.env, NNFT_BIN: BIN } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const notARun = path.join(TMP, 'not-a-run.json');
const notJson = path.join(TMP, 'not-json.json');
const array = path.join(TMP, 'array.json');
const corrupt = path.join(TMP, 'corrupt.json');
beforeAll(() => {
  fs.writeFileSync(notARun, JSON.stringify({ hello: 'world' }));
  fs.writeFileSync(notJson, '{ "format": "nnft-correlators", ');
  fs.writeFileSync(array, '[1, 2, 3]');
  // A run whose accumulator claims a million points: must be refused before allocating anything.
  fs.writeFileSync(corrupt, JSON.stringify({ format: 'nnft-correlators', version: 1, config: { architecture: 'erf', options: { width: 2 }, inputs: [[1]], order: 2, seed: 0 }, ranges: [[0, 10]], accumulator: { format: 'nnft-moments', version: 1, points: 1e6, orders: [2], blocks: 32 } }));
});

const BASE = ['correlators', '--arch', 'erf', '--width', '3', '--inputs', '1'];
const SCALAR = ['correlators', '--arch', 'scalar', '--width', '3', '--inputs', '1', '--mass', '1', '--cutoff', '5'];
const FEYN = ['feynman', '--propagator', 'erf', '--cutoff', '3', '--inputs', '0;1'];
const KERN = ['infinite-width', '--activation', 'relu', '--inputs', '0;1'];
const MLP = ['correlators', '--arch', 'mlp', '--depth', '2', '--activation', 'relu', '--width', '3', '--inputs', '1'];
const CRIT = ['criticality', '--activation', 'tanh', '--cw', '1', '--cb', '0'];
const VERT = ['vertex', '--activation', 'tanh', '--cw', '1', '--cb', '0', '--width', '8', '--layers', '3', '--inputs', '1'];
const REFL = ['reflection', '--kernel', 'free', '--times', '0.1;0.5'];
const REFLG = ['reflection', '--kernel', 'gauss', '--times', '0.1;0.5'];
const PHI1 = ['phi4', '--method', 'first-order', '--mass', '1', '--cutoff', '10', '--box', '1', '--inputs', '0'];
const PHIR = ['phi4', '--method', 'reweight', '--mass', '1', '--cutoff', '5', '--box', '1', '--inputs', '0', '--width', '10', '--coupling', '0.5', '--nets', '100'];
const PHIH = ['phi4', '--method', 'hmc', '--mass', '1', '--cutoff', '5', '--box', '1', '--inputs', '0', '--width', '10', '--coupling', '0.5', '--nets', '1000', '--chains', '4'];
const OSC = ['oscillator', '--mass', '1', '--coupling', '0.5', '--taus', '0;1'];
const KNOTI = ['knot', 'invariants', '--braid', '1 1 1'];
const KNOTR = ['knot', 'random', '--unknot', '--strands', '3', '--length', '4'];
const MANY = Array.from({ length: 65 }, (_, i) => String(i / 10)).join(';');
const FORTY = Array.from({ length: 40 }, (_, i) => String(i / 10)).join(';');

/** [command line before the flag, flag, bad values]: every flag of every command. */
const TABLE: [string[], string, string[]][] = [
  [BASE, 'arch', ['foo', 'toString', '', 'MLP', '__proto__']],
  [MLP, 'activation', ['gauss', 'swish', 'toString']],
  [MLP, 'depth', ['0', '-1', '1.5', 'x', '100000']],
  [MLP, 'sigma-w', ['-1', '1e308']],
  [MLP, 'method', ['exact']],
  [CRIT, 'activation', ['gauss', 'toString', 'foo']],
  [CRIT, 'cw', ['-1', 'x', '1e308', '']],
  [CRIT, 'cb', ['-0.1', 'NaN']],
  [CRIT, 'layers', ['0', '1.5', '1000000']],
  [CRIT, 'k0', ['-1', 'x']],
  [VERT, 'width', ['0', 'x']],
  [VERT, 'layers', ['0', '100000']],
  [VERT, 'inputs', ['1;2;3', '1;1', 'a', '0']],
  [BASE, 'width', ['0', '-1', '1.5', 'abc', '1e3', '9007199254740993', '', '100000000']],
  [BASE, 'd-in', ['0', 'x', '100000']],
  [BASE, 'sigma-w', ['-1', 'abc', '1e308', 'Infinity', 'NaN', '']],
  [BASE, 'sigma-b', ['-1', '1e308', 'hasOwnProperty']],
  [SCALAR, 'mass', ['-1', '1e308', 'x']],
  [SCALAR, 'cutoff', ['0', '-2', '1e308', 'x']],
  [BASE, 'inputs', ['', '1;;2', 'a', '1,2', MANY, '1e308']],
  [BASE, 'order', ['3', '8', '0', 'x']],
  [BASE, 'method', ['foo', 'toString']],
  [BASE, 'nets', ['1', '0', 'x', '-5']],
  [BASE, 'seed', ['-1', '1.5', 'x']],
  [BASE, 'shard', ['0/4', '5/4', 'x', '1/0']],
  [BASE, 'save', [path.join(TMP, 'missing', 'run.json'), TMP, '']],
  [FEYN, 'propagator', ['toString', 'foo']],
  [FEYN, 'cutoff', ['0', '-1', '1e308']],
  [FEYN, 'order', ['2', '8']],
  [FEYN, 'd-in', ['0', '17']],
  [FEYN, 'sigma-w', ['1e308', '-3']],
  [FEYN, 'sigma-b', ['valueOf']],
  [FEYN, 'inputs', ['x']],
  [KERN, 'activation', ['toString', 'constructor', '__proto__', 'foo']],
  [KERN, 'hidden-layers', ['-1', '0', '1000000000', 'x']],
  [KERN, 'activation', ['gauss', 'swish', 'toString']],
  [KERN, 'sigma-w', ['1e308']],
  [KERN, 'sigma-b', ['-0.5']],
  [KERN, 'inputs', ['a;b']],
  [REFL, 'kernel', ['foo', 'toString']],
  [REFL, 'times', ['', '0.1;-1', '0;1', '0.1;x', '1e308', MANY]],
  [REFL, 'mass', ['0', '-1', 'x']],
  [REFL, 'cutoff', ['0', 'x', '-inf']],
  [REFL, 'sigma-w', ['1']],
  [REFL, 'd-in', ['0', '4']],
  [REFLG, 'mass', ['1']],
  [REFLG, 'cutoff', ['inf']],
  [REFLG, 'sigma-b', ['-1', 'x']],
  [PHI1, 'method', ['foo', 'toString']],
  [PHI1, 'mass', ['0', 'x']],
  [PHI1, 'cutoff', ['0', 'x']],
  [PHI1, 'box', ['0', '-1', 'inf']],
  [PHI1, 'inputs', ['', 'a', '1;;2', MANY]],
  [PHI1, 'width', ['0', 'x']],
  [PHI1, 'coupling', ['0.5']],
  [PHI1, 'nets', ['100']],
  [PHIR, 'width', ['0', '1000000']],
  [PHIR, 'cutoff', ['inf']],
  [PHIR, 'coupling', ['-1', 'x']],
  [PHIR, 'nets', ['0', 'x']],
  [PHIR, 'seed', ['-1', '0.5']],
  [PHIR, 'chains', ['4']],
  [PHIH, 'chains', ['0', 'x']],
  [PHIH, 'nets', ['10']],
  [OSC, 'mass', ['0', '-1', 'x']],
  [OSC, 'coupling', ['-1', 'x']],
  [OSC, 'taus', ['', 'a', '1;;2']],
  [OSC, 'box', ['0', 'x']],
  [KNOTI, 'braid', ['1 0 1', '1 1.5', 'a', '1 x', '9007199254740993']],
  [KNOTI, 'strands', ['1', '0', 'x', '17', '2.5']],
  [KNOTR, 'strands', ['1', 'x', '17']],
  [KNOTR, 'length', ['0', '3', 'x']],
  [KNOTR, 'seed', ['-1', 'x']],
  [KNOTR, 'count', ['0', 'x']],
  [['lectures'], 'scale', ['foo', 'toString']],
  [['lectures'], 'timeout', ['0', '-1', 'x', '1e308']],
  [['lectures'], 'out', ['/dev/null/x']],
  [['lectures'], 'kernel', ['toString', 'no-such-kernel']],
  [['merge', notARun], 'save', [path.join(TMP, 'missing', 'm.json')]],
];

describe('nnft: bad input exits 2 before computing, naming the flag and the value', () => {
  const cases = TABLE.flatMap(([base, flag, values]) => values.map((v) => [base[0], flag, v, base] as const));
  test.each(cases)('%s --%s %j', async (_cmd, flag, value, base) => {
    // The bad flag goes last, so every other flag has been accepted; a flag given twice keeps the last.
    const r = await inProcess([...base, `--${flag}`, value]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`--${flag}`);
    expect(r.err.includes(JSON.stringify(value)) || (value.length > 60 && r.err.includes('points'))).toBe(true);
    expect(r.ms).toBeLessThan(5000);
    expect(r.out).toBe('');
  });

  test.each([
    [['merge', notARun], notARun, /not an nnft correlator run/],
    [['merge', notJson], notJson, /is not JSON/],
    [['merge', array], array, /expected a JSON object, got an array/],
    [['merge', corrupt], corrupt, /not an nnft-moments v1 record of 1 point/],
    [['merge', path.join(TMP, 'nope.json')], 'nope.json', /no such file/],
    [['merge', TMP], TMP, /is not a file/],
  ])('merge refuses %j', async (args, file, why) => {
    const r = await inProcess(args as string[]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(file as string);
    expect(r.err).toMatch(why as RegExp);
  });

  test('resource limits: order-6 sums and JSON documents too large to hold are refused up front', async () => {
    const sums = await inProcess([...BASE.slice(0, 5), '--order', '6', '--inputs', FORTY]);
    expect(sums.code).toBe(2);
    expect(sums.err).toMatch(/--inputs must be few enough points for --order 6 \(\d+ index tuples need/);
    const json = await inProcess([...BASE.slice(0, 5), '--order', '6', '--json', '--inputs', Array.from({ length: 14 }, (_, i) => String(i)).join(';')]);
    expect(json.code).toBe(2);
    expect(json.err).toMatch(/14\^6 entries/);
  });

  test('unknown flags, values given to switches and stray positionals are usage errors', async () => {
    for (const args of [[...BASE, '--foo', '1'], [...BASE, '--json=yes'], [...BASE, 'extra'], ['frobnicate']]) {
      const r = await inProcess(args);
      expect(r.code).toBe(2);
    }
  });

  test('the real process exits 2 too, within seconds (--save into a missing folder with 10^8 networks)', () => {
    const t0 = Date.now();
    const r = sh(`node "$NNFT_BIN" correlators --arch erf --width 100 --inputs "-1;1" --nets 100000000 --save ${TMP}/missing/run.json`);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--save must be a file in a writable folder/);
    expect(Date.now() - t0).toBeLessThan(15000);
  });
});

describe('nnft: output arrives whole and honest', () => {
  test('a ~2 MB --json document arrives whole through a slow pipe, and a closed pipe ends quietly', () => {
    const cmd = `node "$NNFT_BIN" correlators --arch erf --width 10 --inputs "-1;-0.6;-0.2;0.2;0.6;1" --order 6 --nets 20000 --json`;
    const r = sh(`set -o pipefail; ${cmd} | (sleep 2; cat)`);
    expect(r.status).toBe(0);
    expect(r.stdout.length).toBeGreaterThan(1.5e6);
    const doc = JSON.parse(r.stdout);
    expect(doc.G6c.length).toBe(6);
    expect(doc.warnings).toEqual([]);
    expect(doc.diagnostics.G6c.reliable).toBe(true);
    // The reader goes away after 100 bytes: exit 0, no EPIPE trace.
    const closed = sh(`${cmd} | head -c 100 >/dev/null; echo "status \${PIPESTATUS[0]}"`);
    expect(closed.stdout.trim()).toBe('status 0');
    expect(closed.stderr).not.toMatch(/EPIPE|Error/);
  });

  test('heavy tails: the Gauss-net at sigma_w 5 warns on stderr and in JSON, and --strict exits 3', () => {
    const r = sh(`node "$NNFT_BIN" correlators --arch gauss --width 10 --sigma-w 5 --inputs 3 --nets 2000 --json --strict`);
    expect(r.status).toBe(3);
    const doc = JSON.parse(r.stdout);
    expect(doc.warnings.length).toBeGreaterThan(0);
    expect(doc.warnings[0]).toMatch(/^G2: heavy tails at x0 = \(3\) in its hidden units/);
    expect(doc.diagnostics.G2.reliable).toBe(false);
    expect(r.stderr).toMatch(/nnft: warning: G2: heavy tails/);
    const lax = sh(`node "$NNFT_BIN" correlators --arch gauss --width 10 --sigma-w 5 --inputs 3 --nets 2000`);
    expect(lax.status).toBe(0);
    expect(lax.stdout).toMatch(/UNRELIABLE/);
  });

  test('an ordinary Erf-net run with --strict exits 0 with no warning', () => {
    const r = sh(`node "$NNFT_BIN" correlators --arch erf --width 10 --inputs "-1;0.5;1" --order 6 --nets 20000 --strict`);
    expect(r.status).toBe(0);
    expect(r.stderr).not.toMatch(/warning/);
    expect(r.stdout).toMatch(/G6c .*tails: k-hat 0\.\d\d \(reliable/);
  });

  test('--save writes the whole run atomically (no temporary file left) and merge reads it back', () => {
    const file = path.join(TMP, 'run.json');
    const r = sh(`node "$NNFT_BIN" correlators --arch relu --width 4 --inputs "0;1" --order 4 --nets 4000 --save ${file} --json > /dev/null && node "$NNFT_BIN" merge ${file} --json`);
    expect(r.status).toBe(0);
    expect(fs.readdirSync(TMP).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const merged = JSON.parse(r.stdout);
    expect(merged.nets).toBe(4000);
    expect(merged.diagnostics.G4c.samples).toBe(4000);
  });

  test('--method exact reports its integration error; a fallback to single-neuron Monte Carlo says so in JSON and on stderr', () => {
    const exact = sh(`node "$NNFT_BIN" correlators --arch erf --width 4 --sigma-w 1.5 --sigma-b 0.5 --inputs "-1;0.3;1" --order 6 --method exact --json`);
    expect(exact.status).toBe(0);
    const doc = JSON.parse(exact.stdout);
    expect(doc.method).toBe('exact');
    // An independent Gauss-Hermite quadrature converged to 1e-11 gives -0.2545836 (the reference value).
    expect(Math.abs(doc.G6c[0][0][0][0][0][0] / -0.2545836 - 1)).toBeLessThan(5e-7);
    expect(Math.abs(doc.integrationError.G6c[0][0][0][0][0][0])).toBeLessThan(1e-8 * 0.25);
    expect(exact.stderr).toBe('');
    const fallback = sh(`node "$NNFT_BIN" correlators --arch erf --width 4 --d-in 3 --inputs "1,0,0;0,1,0;0,0,1" --order 4 --method exact --json`);
    expect(fallback.status).toBe(0);
    const fb = JSON.parse(fallback.stdout);
    expect(fb.method).toBe('single-neuron-mc');
    expect(fb.fallbackReason).toMatch(/span 3 dimensions/);
    expect(fb.integrationError).toBeUndefined();
    expect(fallback.stderr).toMatch(/note: --method exact fell back to single-neuron Monte Carlo/);
  });
});

describe('nnft: start-up loads only what a command uses', () => {
  /** The modules a command loaded (paths under node_modules or dist), printed by the process itself. */
  function loaded(args: string[]): { code: number | null; modules: string[] } {
    const script = `require(${JSON.stringify(path.join(ROOT, 'dist', 'cli.js'))}).main(${JSON.stringify(args)}).then((code) => {
      process.exitCode = code;
      process.stderr.write('\\nMODULES ' + JSON.stringify(Object.keys(require.cache)) + '\\n');
    });`;
    const r = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20, timeout: 120000 });
    const line = r.stderr.split('\n').find((l) => l.startsWith('MODULES '));
    return { code: r.status, modules: line ? JSON.parse(line.slice('MODULES '.length)) : [] };
  }
  const heavy = /node_modules[\\/](@tensorflow|danfojs|plotly|zeromq|katex|marked|playwright)|dist[\\/]lab[\\/]/;

  test('an Erf-net Monte Carlo run loads no tfjs, tables, figures or lecture runner; a tanh net (tensor route) does load tfjs', () => {
    const erf = loaded(['correlators', '--arch', 'erf', '--width', '1000', '--inputs', '-1;1', '--order', '4', '--nets', '1000', '--json']);
    expect(erf.code).toBe(0);
    expect(erf.modules.length).toBeGreaterThan(10);
    expect(erf.modules.filter((m) => heavy.test(m))).toEqual([]);
    const tanh = loaded(['correlators', '--arch', 'tanh', '--width', '10', '--inputs', '-1;1', '--order', '4', '--nets', '1000', '--json']);
    expect(tanh.code).toBe(0);
    expect(tanh.modules.some((m) => /node_modules[\\/]@tensorflow[\\/]tfjs-core/.test(m))).toBe(true);
    expect(tanh.modules.filter((m) => /danfojs|plotly|zeromq|dist[\\/]lab[\\/]/.test(m))).toEqual([]);
  });
});

describe('nnft: the field-theory commands print what the library computes', () => {
  test('oscillator, reflection and phi4 first-order --json carry the documented keys and the library values', async () => {
    const ft = await import('../src/field-theory');
    const osc = await inProcess([...OSC, '--box', '2', '--json']);
    expect(osc.code).toBe(0);
    const o = JSON.parse(osc.out);
    const lib = ft.anharmonicOscillator({ mass: 1, coupling: 0.5, taus: [0, 1], box: 2 });
    expect([o.E0, o.gap, o.x2, ...o.G2]).toEqual([lib.E0, lib.gap, lib.x2, ...lib.G2]);
    const refl = await inProcess([...REFLG, '--json']);
    expect(refl.code).toBe(0);
    const r = JSON.parse(refl.out);
    expect(Object.keys(r)).toEqual(expect.arrayContaining(['times', 'eigenvalues', 'min_eigenvalue', 'positive']));
    expect(r.eigenvalues).toEqual(ft.reflectionPositivity({ kernel: 'gauss', times: [0.1, 0.5] }).eigenvalues);
    const phi = await inProcess(['phi4', '--method', 'first-order', '--mass', '1', '--cutoff', 'inf', '--box', '2', '--inputs', '0;0.5', '--json']);
    expect(phi.code).toBe(0);
    const p = JSON.parse(phi.out);
    expect(p.inputs).toEqual([0, 0.5]);
    expect(p.coefficient[0][0]).toBeCloseTo(-1.5 * (1 - Math.exp(-4)), 9);
    expect(p.per_width).toBeNull();
  });

  test('phi4 reweight --strict exits 3 when the diagnostics fire, and prints the estimate whole', async () => {
    const r = await inProcess(['phi4', '--method', 'reweight', '--mass', '1', '--cutoff', '5', '--box', '6', '--inputs', '0', '--width', '100', '--coupling', '20', '--nets', '2000', '--seed', '7', '--json', '--strict']);
    expect(r.code).toBe(3);
    const out = JSON.parse(r.out);
    expect(out.warnings.length).toBeGreaterThan(0);
    expect(out.effective_samples).toBeLessThan(100);
    expect(r.err).toMatch(/effective samples/);
  }, 60_000);
});

describe('nnft knot', () => {
  test('invariants --json carries braid, strands, components, writhe, jones and alexander; random --unknot gives unknots', async () => {
    const r = await inProcess(['knot', 'invariants', '--braid', '1 -2 1 -2', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({ braid: [1, -2, 1, -2], strands: 3, components: 1, writhe: 0, jones: { '-2': 1, '-1': -1, '0': 1, '1': -1, '2': 1 }, alexander: { '-1': -1, '0': 3, '1': -1 } });
    const hopf = JSON.parse((await inProcess(['knot', 'invariants', '--braid', '1 1', '--json'])).out);
    expect(hopf.jones).toEqual({ '0.5': -1, '2.5': -1 });
    const rnd = await inProcess(['knot', 'random', '--unknot', '--strands', '4', '--length', '11', '--seed', '3', '--count', '5', '--json']);
    expect(rnd.code).toBe(0);
    const { braids } = JSON.parse(rnd.out);
    expect(braids).toHaveLength(5);
    for (const b of braids) {
      expect(b.word).toHaveLength(11);
      const inv = JSON.parse((await inProcess(['knot', 'invariants', '--braid', b.word.join(' '), '--strands', String(b.strands), '--json'])).out);
      expect(inv.jones).toEqual({ '0': 1 });
    }
    const both = await inProcess(['knot', 'random', '--unknot', '--knot', '--strands', '3', '--length', '4']);
    expect(both.code).toBe(2);
  });
});
