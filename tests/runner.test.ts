import { spawn, spawnSync } from 'child_process';
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

interface CliOptions {
  timeoutMs?: number;
  env?: Record<string, string>;
  /** Run under `umask 0`, so that only an explicit mode keeps a file private. */
  umask0?: boolean;
}

function command(args: string[], options: CliOptions): { file: string; argv: string[]; env: NodeJS.ProcessEnv } {
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  delete env.NNFT_SCALE; // the scale comes from the flags under test
  const node = [process.execPath, path.join(ROOT, 'bin', 'nnft.js'), ...args];
  // `exec` keeps the pid: the runner is the process the test signals and looks for.
  if (options.umask0) return { file: '/bin/sh', argv: ['-c', 'umask 0 && exec "$@"', 'sh', ...node], env };
  return { file: node[0], argv: node.slice(1), env };
}

function nnft(args: string[], options: CliOptions = {}): CliResult {
  const c = command(args, options);
  const r = spawnSync(c.file, c.argv, { cwd: ROOT, encoding: 'utf8', timeout: options.timeoutMs ?? 600000, env: c.env });
  return { status: r.status, out: `${r.stdout}${r.stderr}`, pid: r.pid ?? -1 };
}

/** Start the CLI without waiting; `exited` resolves with its status and output. */
function nnftAsync(args: string[], options: CliOptions = {}) {
  const c = command(args, options);
  const child = spawn(c.file, c.argv, { cwd: ROOT, env: c.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<{ status: number | null; signal: NodeJS.Signals | null; out: string }>((resolve) => child.on('close', (status, signal) => resolve({ status, signal, out })));
  return { child, pid: child.pid ?? -1, exited, out: () => out };
}

async function waitFor(what: string, ok: () => boolean, timeoutMs: number, out: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; output so far:\n${out()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Listening TCP sockets on `port` as [hex local address, 'tcp' | 'tcp6'] from /proc/net. */
function listeners(port: number): string[] {
  const found: string[] = [];
  for (const table of ['tcp', 'tcp6']) {
    const file = `/proc/net/${table}`;
    if (!fs.existsSync(file)) continue;
    for (const line of fs.readFileSync(file, 'utf8').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 4 || f[3] !== '0A') continue; // 0A: LISTEN
      const [addr, hexPort] = f[1].split(':');
      if (parseInt(hexPort, 16) === port) found.push(`${table}:${addr}`);
    }
  }
  return found;
}

/** Files an interrupted atomic write would leave (`.<name>.<pid>.<random>.tmp`). */
function tmpLeftovers(dir: string): string[] {
  const all: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) all.push(...tmpLeftovers(path.join(dir, e.name)));
    else if (e.name.endsWith('.tmp')) all.push(path.join(dir, e.name));
  }
  return all;
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
    // ten notebooks at ci scale: about 8 minutes on the 2-core machine with the other test files beside it
    const r = nnft(['lectures', '--scale', 'ci', '--out', out], { timeoutMs: 1_200_000 });
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
    // Every notebook ends with Exercises and a solution cell that ran, its code folded in the report.
    expect(report.match(/<details><summary>solution \(code hidden/g)?.length).toBe(summary.notebooks.length);
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
    expect(r.out).toContain(`notebook ${path.join(FIXTURES, 'unresponsive.ipynb')}, cell 1:`);
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
    expect(nnft(['lectures', '--timeout', '-1']).out).toMatch(/--timeout must be a positive number.*, got "-1"/);
    const r = nnft(['lectures', '--colour', 'red']);
    expect(r.status).toBe(2);
    expect(r.out).toContain('unknown flag --colour');
  });
});

describe('nnft lectures under faults', () => {
  const longCell = path.join(FIXTURES, 'long-cell.ipynb');

  /** Wait until the long cell runs (it writes its kernel's pid into `<out>/long-cell-started`); returns that pid. */
  async function longCellKernel(out: string, run: ReturnType<typeof nnftAsync>): Promise<number> {
    const marker = path.join(out, 'long-cell-started');
    await waitFor('the long cell to start', () => fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') !== '', 90000, run.out);
    return Number(fs.readFileSync(marker, 'utf8'));
  }

  /** Send `signal` (and optionally a second one 50 ms later); returns the run's result and the seconds until it exited. */
  async function signalAndWait(run: ReturnType<typeof nnftAsync>, signal: NodeJS.Signals, twice = false) {
    const t0 = Date.now();
    run.child.kill(signal);
    if (twice) setTimeout(() => run.child.kill(signal), 50);
    const r = await run.exited;
    const seconds = (Date.now() - t0) / 1000;
    console.log(`${signal} to exit: ${seconds.toFixed(2)}s`);
    return { r, seconds };
  }

  test('SIGINT during a long cell: exit 130 within seconds, kernel group gone, what finished written; sockets on 127.0.0.1, connection file 0600', async () => {
    const out = tmpOut();
    // umask 0: the connection file must still be 0600 (its mode is set explicitly).
    const run = nnftAsync(['lectures', path.join(FIXTURES, 'fails-at-cell-2.ipynb'), longCell, path.join(FIXTURES, 'busy-loop.ipynb'), '--out', out], { umask0: true });
    try {
      const kernelPid = await longCellKernel(out, run);
      expect(processAlive(kernelPid)).toBe(true);
      expect(leftoverKernels(run.pid).length).toBeGreaterThan(0);

      const connectionFiles = fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith(`nnft-kernel-${run.pid}-`));
      expect(connectionFiles.length).toBe(1);
      const connectionFile = path.join(os.tmpdir(), connectionFiles[0]);
      expect((fs.statSync(connectionFile).mode & 0o777).toString(8)).toBe('600');
      const conn = JSON.parse(fs.readFileSync(connectionFile, 'utf8'));
      expect(conn.ip).toBe('127.0.0.1');
      for (const port of [conn.shell_port, conn.iopub_port, conn.stdin_port, conn.control_port, conn.hb_port]) {
        // The kernel listens on loopback only: 0100007F is 127.0.0.1 in /proc/net/tcp; nothing on 0.0.0.0 or IPv6.
        expect(listeners(port)).toEqual(['tcp:0100007F']);
      }

      const { r, seconds } = await signalAndWait(run, 'SIGINT');
      expect(r.status).toBe(130);
      expect(seconds).toBeLessThan(10);
      expect(processAlive(kernelPid)).toBe(false);
      expect(leftoverKernels(run.pid)).toEqual([]);
      expect(fs.existsSync(connectionFile)).toBe(false);
      expect(r.out).toContain(`notebook ${longCell}, cell 2:`);
      expect(r.out).toContain('interrupted by SIGINT');

      const summary = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8'));
      expect(summary.interrupted).toBe('SIGINT');
      expect(summary.notStarted).toEqual([path.join(FIXTURES, 'busy-loop.ipynb')]);
      expect(summary.notebooks.map((n: { status: string; failedCell: number }) => [n.status, n.failedCell])).toEqual([
        ['failed', 2],
        ['interrupted', 2],
      ]);
      const partial = JSON.parse(fs.readFileSync(path.join(out, 'notebooks', 'long-cell.ipynb'), 'utf8'));
      expect(partial.cells[0].outputs[0].text).toBe('first cell ran\n');
      expect(partial.cells[1].outputs.some((o: { ename?: string }) => o.ename === 'INTERRUPTED')).toBe(true);
      expect(fs.existsSync(path.join(out, 'notebooks', 'fails-at-cell-2.ipynb'))).toBe(true);
      expect(fs.readFileSync(path.join(out, 'report.html'), 'utf8')).toMatch(/<\/html>\n$/);
      expect(tmpLeftovers(out)).toEqual([]);
    } finally {
      run.child.kill('SIGKILL');
    }
  });

  test('SIGTERM, then SIGTERM again while shutting down: exit 143, kernel group gone, summary written', async () => {
    const out = tmpOut();
    const run = nnftAsync(['lectures', longCell, '--out', out]);
    try {
      const kernelPid = await longCellKernel(out, run);
      const { r, seconds } = await signalAndWait(run, 'SIGTERM', true);
      expect(r.status).toBe(143);
      expect(seconds).toBeLessThan(10);
      expect(processAlive(kernelPid)).toBe(false);
      expect(leftoverKernels(run.pid)).toEqual([]);
      const summary = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8'));
      expect(summary.interrupted).toBe('SIGTERM');
      expect(summary.notebooks[0]).toMatchObject({ notebook: 'long-cell', status: 'interrupted', failedCell: 2 });
      expect(tmpLeftovers(out)).toEqual([]);
    } finally {
      run.child.kill('SIGKILL');
    }
  });

  test('a kernel killed in the middle of a cell: non-zero exit naming notebook, cell and the signal, no process left', () => {
    const file = path.join(FIXTURES, 'dies-mid-cell.ipynb');
    const out = tmpOut();
    const r = nnft(['lectures', file, '--out', out]);
    expect(r.status).toBe(1);
    expect(r.out).toContain(`notebook ${file}, cell 2:`);
    expect(r.out).toMatch(/kernel died during the cell: kernel process \d+ exited \(signal SIGKILL\)/);
    expect(leftoverKernels(r.pid)).toEqual([]);
    const executed = JSON.parse(fs.readFileSync(path.join(out, 'notebooks', 'dies-mid-cell.ipynb'), 'utf8'));
    expect(executed.cells[0].outputs[0].text).toBe('first cell ran\n');
    expect(executed.cells[2].outputs).toEqual([]);
  });

  test('an unreadable notebook stops the run before any kernel starts, naming the file', () => {
    // Tests run as root here, where chmod 000 does not stop reading: a folder named like a notebook
    // and a truncated file stand in for an unreadable one (chmod 000 is tried too when not root).
    const dir = tmpOut();
    const folder = path.join(dir, 'folder.ipynb');
    fs.mkdirSync(folder);
    const truncated = path.join(dir, 'truncated.ipynb');
    fs.writeFileSync(truncated, fs.readFileSync(path.join(FIXTURES, 'fails-at-cell-2.ipynb'), 'utf8').slice(0, 200));
    const bad: [string, string][] = [
      [folder, `not a notebook file: ${folder}`],
      [truncated, `${truncated} is not a valid notebook (not JSON`],
    ];
    if (process.getuid?.() !== 0) {
      const locked = path.join(dir, 'locked.ipynb');
      fs.copyFileSync(path.join(FIXTURES, 'fails-at-cell-2.ipynb'), locked);
      fs.chmodSync(locked, 0o000);
      bad.push([locked, `cannot read notebook ${locked} (EACCES)`]);
    }
    for (const [file, message] of bad) {
      const out = path.join(dir, 'out');
      // A good notebook first: it must not run either.
      const r = nnft(['lectures', path.join(FIXTURES, 'fails-at-cell-2.ipynb'), file, '--out', out]);
      expect(r.status).toBe(2);
      expect(r.out).toContain(message);
      expect(r.out).not.toContain('running ...');
      expect(fs.existsSync(out)).toBe(false);
    }
  });

  test('an unwritable --out is an error naming --out and the path, before any kernel starts', () => {
    const file = path.join(tmpOut(), 'a-file');
    fs.writeFileSync(file, '');
    for (const out of ['/dev/null/x', file]) {
      const r = nnft(['lectures', path.join(FIXTURES, 'fails-at-cell-2.ipynb'), '--out', out]);
      expect(r.status).toBe(2);
      expect(r.out).toContain(`nnft: --out must be a writable folder, got ${JSON.stringify(out)}`);
      expect(r.out).not.toContain('running ...');
    }
  });

  test('messages with a bad HMAC signature (forged on IOPub and shell) are rejected and reported, never used', () => {
    // tests/fixtures/kernels/kernels/nnft-forger answers each cell correctly and also sends a
    // stream output and an execute_reply signed with a wrong key; it prints its connection file's mode.
    const file = path.join(FIXTURES, 'forged.ipynb');
    const out = tmpOut();
    const r = nnft(['lectures', file, '--kernel', 'nnft-forger', '--out', out], { env: { JUPYTER_PATH: path.join(FIXTURES, 'kernels') }, umask0: true });
    expect(r.status).toBe(1);
    expect(r.out).toContain(`notebook ${file}, cell 1:`);
    expect(r.out).toContain('rejected 2 message(s) with a bad HMAC signature (channel iopub, shell; claimed type execute_reply, stream)');
    expect(leftoverKernels(r.pid)).toEqual([]);
    const executed = JSON.parse(fs.readFileSync(path.join(out, 'notebooks', 'forged.ipynb'), 'utf8'));
    const cell = executed.cells[0];
    expect(cell.execution_count).toBe(1); // the forged reply said 999
    expect(JSON.stringify(cell.outputs)).not.toContain('FORGED');
    expect(cell.outputs[0].text).toBe('genuine output; connection file mode 600\n');
    expect(JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8')).notebooks[0]).toMatchObject({ status: 'failed', failedCell: 1 });
  });
});
