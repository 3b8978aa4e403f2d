import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { findChromium } from '../src/lab/export';

// End-to-end: the real CLI, a real tslab kernel, the real Jupyter protocol.
const ROOT = path.resolve(__dirname, '..');
const FIXTURES = path.join(__dirname, 'fixtures');

interface CliResult {
  status: number | null;
  out: string;
  pid: number;
}

function nnft(args: string[], timeoutMs = 600000): CliResult {
  const env = { ...process.env };
  delete env.NNFT_SCALE; // the scale comes from the flags under test
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'nnft.js'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: timeoutMs, env });
  return { status: r.status, out: `${r.stdout}${r.stderr}`, pid: r.pid ?? -1 };
}

/** Processes whose command line names a connection file of the given runner process. */
function leftoverKernels(runnerPid: number): string[] {
  const ps = spawnSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' }).stdout;
  return ps.split('\n').filter((l) => l.includes(`nnft-kernel-${runnerPid}-`));
}

function tmpOut(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'nnft-test-'));
}

describe('nnft lectures', () => {
  test('every lecture notebook runs at ci scale and passes its checks', () => {
    const out = tmpOut();
    const r = nnft(['lectures', '--scale', 'ci', '--out', out]);
    expect(r.out).toMatch(/notebook\(s\) passed, 0 failed/);
    expect(r.status).toBe(0);
    const notebooks = fs.readdirSync(path.join(ROOT, 'notebooks')).filter((f) => f.endsWith('.ipynb'));
    expect(notebooks.length).toBeGreaterThan(0);
    const summary = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8'));
    expect(summary.scale).toBe('ci');
    for (const entry of summary.notebooks) {
      expect(entry.status).toBe('ok');
      expect(entry.checks).toBeGreaterThan(0);
      expect(entry.checksPassed).toBe(entry.checks);
      const executed = JSON.parse(fs.readFileSync(path.join(out, 'notebooks', `${entry.notebook}.ipynb`), 'utf8'));
      const code = executed.cells.filter((c: { cell_type: string }) => c.cell_type === 'code');
      expect(code.every((c: { execution_count: number | null }) => typeof c.execution_count === 'number')).toBe(true);
      if (findChromium()) {
        for (const fig of entry.figures) {
          expect(fs.statSync(path.join(out, 'figures', entry.notebook, `${fig}.png`)).size).toBeGreaterThan(1000);
          expect(fs.readFileSync(path.join(out, 'figures', entry.notebook, `${fig}.svg`), 'utf8')).toMatch(/^<svg/);
        }
      }
    }
    const report = fs.readFileSync(path.join(out, 'report.html'), 'utf8');
    expect(report.match(/<script type="text\/javascript">/g)?.length).toBe(2); // plotly once, the renderer once
    expect(report).not.toMatch(/<script[^>]+src=/); // nothing loaded from anywhere
    expect(report).toContain('data-figure="fig-1"');
  });

  test('a failing second cell: non-zero exit naming notebook and cell 2, later cells skipped, no kernel left', () => {
    const out = tmpOut();
    const r = nnft(['lectures', path.join(FIXTURES, 'fails-at-cell-2.ipynb'), '--out', out]);
    expect(r.status).toBe(1);
    expect(r.out).toContain(`notebook ${path.join(FIXTURES, 'fails-at-cell-2.ipynb')}, cell 2:`);
    expect(r.out).toContain('Error: deliberate failure in the second cell');
    expect(leftoverKernels(r.pid)).toEqual([]);
    const executed = JSON.parse(fs.readFileSync(path.join(out, 'notebooks', 'fails-at-cell-2.ipynb'), 'utf8'));
    expect(executed.cells[0].outputs[0].text).toContain('first cell ran: 42');
    expect(executed.cells[1].outputs.some((o: { output_type: string }) => o.output_type === 'error')).toBe(true);
    expect(executed.cells[2].outputs).toEqual([]);
    expect(fs.existsSync(path.join(out, 'report.html'))).toBe(true);
  });

  test('a cell awaiting past the timeout is interrupted and reported', () => {
    const r = nnft(['lectures', path.join(FIXTURES, 'async-hang.ipynb'), '--timeout', '3', '--out', tmpOut()]);
    expect(r.status).toBe(1);
    expect(r.out).toContain('cell 2:');
    expect(r.out).toContain('cell timed out after 3s and was interrupted');
    expect(leftoverKernels(r.pid)).toEqual([]);
  });

  test('a synchronous busy loop is interrupted too (tslab breaks vm scripts on SIGINT)', () => {
    const r = nnft(['lectures', path.join(FIXTURES, 'busy-loop.ipynb'), '--timeout', '2', '--out', tmpOut()]);
    expect(r.status).toBe(1);
    expect(r.out).toContain('cell timed out after 2s and was interrupted');
    expect(r.out).toContain('Script execution was interrupted by `SIGINT`');
    expect(leftoverKernels(r.pid)).toEqual([]);
  });

  test('a kernel that cannot answer the interrupt is killed, leaving no process', () => {
    const r = nnft(['lectures', path.join(FIXTURES, 'unresponsive.ipynb'), '--timeout', '2', '--out', tmpOut()]);
    expect(r.status).toBe(1);
    expect(r.out).toContain('the kernel did not respond and was killed');
    expect(leftoverKernels(r.pid)).toEqual([]);
  });

  test('a burst of outputs and a large display arrive complete and in order (serialised kernel sends)', () => {
    const out = tmpOut();
    const r = nnft(['lectures', path.join(FIXTURES, 'output-burst.ipynb'), '--out', out]);
    expect(r.status).toBe(0);
    const executed = JSON.parse(fs.readFileSync(path.join(out, 'notebooks', 'output-burst.ipynb'), 'utf8'));
    const outputs = executed.cells[0].outputs as { output_type: string; text?: string; data?: Record<string, string> }[];
    const lines = outputs.filter((o) => o.output_type === 'stream').map((o) => o.text).join('').trim().split('\n');
    expect(lines).toEqual(Array.from({ length: 300 }, (_, i) => `line ${i}`));
    const html = outputs.filter((o) => o.output_type === 'display_data').map((o) => o.data!['text/html']);
    expect(html.length).toBe(31);
    expect(html[30].length).toBe(4000000 + '<pre></pre>'.length);
    expect(executed.cells[1].outputs[0].text).toBe('second cell ran\n');
  });

  test('a missing path or a malformed notebook is a clear error before any kernel starts', () => {
    const missing = nnft(['lectures', 'no/such/notebook.ipynb']);
    expect(missing.status).toBe(2);
    expect(missing.out).toContain('nnft: notebook not found: no/such/notebook.ipynb');
    const malformed = nnft(['lectures', path.join(FIXTURES, 'malformed.ipynb')]);
    expect(malformed.status).toBe(2);
    expect(malformed.out).toContain('is not a valid notebook');
  });

  test('bad flags name the flag and the value', () => {
    expect(nnft(['lectures', '--scale', 'huge']).out).toContain('--scale must be ci or full, got "huge"');
    expect(nnft(['lectures', '--timeout', '-1']).out).toContain('--timeout must be a positive number of seconds, got "-1"');
    const r = nnft(['lectures', '--colour', 'red']);
    expect(r.status).toBe(2);
    expect(r.out).toContain('unknown flag --colour');
  });
});
