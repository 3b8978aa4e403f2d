/**
 * A throw-away Jupyter Notebook 6 server (Debian's jupyter-notebook) for the browser test: a
 * temporary workspace holding a copy of one lecture notebook, the server started headless on a free
 * local port with JUPYTER_PATH=<repo>/kernels, and a stop() that leaves no process behind.
 *
 * Workspace layout (so that the notebook's `import * as nnft from '../dist'` and its bare imports
 * such as 'danfojs-node' resolve exactly as they do in the checkout, without writing into it):
 *
 *   <tmp>/notebooks/<copy>.ipynb   the server's notebook dir; kernels start here (their cwd)
 *   <tmp>/dist -> <repo>/dist      symlink, read only
 *   <tmp>/node_modules -> <repo>/node_modules
 *   <tmp>/out                      NNFT_OUT (tables and data the notebook writes)
 *   <tmp>/jupyter/{config,data,runtime}  an isolated Jupyter config, data and runtime dir
 */
import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import { randomBytes } from 'crypto';
import { freePort } from '../../src/lab/jupyter-client';
import { findChromium } from '../../src/lab/export';

export const ROOT = path.resolve(__dirname, '..', '..');
/** The Chromium the figure export uses (NNFT_CHROMIUM or the usual paths; src/lab/export.ts). */
export const CHROMIUM = findChromium();
export const JUPYTER_NOTEBOOK = '/usr/bin/jupyter-notebook';

/**
 * The OS packages the browser test needs, as an error naming what is missing (null when all are
 * there). Their absence is a failure, not a skip: `.ci/setup` installs them.
 */
export function missingPackages(): string | null {
  const missing: string[] = [];
  if (!CHROMIUM) missing.push('chromium (not found; NNFT_CHROMIUM or /usr/bin/chromium)');
  if (!fs.existsSync(JUPYTER_NOTEBOOK)) {
    missing.push(`jupyter-notebook (${JUPYTER_NOTEBOOK} not found)`);
  } else {
    const probe = spawnSync('/usr/bin/python3', ['-c', 'import notebook; print(notebook.__version__)'], { encoding: 'utf8' });
    if (probe.status !== 0) missing.push(`jupyter-notebook (python3 cannot import notebook: ${(probe.stderr || '').trim().split('\n').pop()})`);
    else if (!/^6\./.test(probe.stdout.trim())) missing.push(`jupyter-notebook 6 (found notebook ${probe.stdout.trim()}; this test drives the Notebook 6 UI)`);
  }
  if (missing.length === 0) return null;
  return (
    `missing Debian package(s): ${missing.join('; ')}. ` +
    `Run \`bash .ci/setup\` as root (it apt-get installs chromium and jupyter-notebook), or ` +
    `\`apt-get install chromium jupyter-notebook\`.`
  );
}

export interface Workspace {
  dir: string;
  notebookDir: string;
  notebookPath: string; // absolute path of the copy
  notebookName: string; // its name inside notebookDir
  outDir: string;
  runtimeDir: string;
}

/**
 * Copy `notebooks/<name>` into a fresh temporary workspace. `editMetadata` may change the copy's
 * notebook metadata (never the committed file).
 */
export function makeWorkspace(name: string, editMetadata?: (metadata: Record<string, unknown>) => void): Workspace {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nnft-browser-'));
  const notebookDir = path.join(dir, 'notebooks');
  const outDir = path.join(dir, 'out');
  const runtimeDir = path.join(dir, 'jupyter', 'runtime');
  for (const d of [notebookDir, outDir, runtimeDir, path.join(dir, 'jupyter', 'config'), path.join(dir, 'jupyter', 'data')]) fs.mkdirSync(d, { recursive: true });
  fs.symlinkSync(path.join(ROOT, 'dist'), path.join(dir, 'dist'), 'dir');
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  const nb = JSON.parse(fs.readFileSync(path.join(ROOT, 'notebooks', name), 'utf8'));
  if (editMetadata) editMetadata(nb.metadata);
  const notebookPath = path.join(notebookDir, name);
  fs.writeFileSync(notebookPath, JSON.stringify(nb, null, 1));
  return { dir, notebookDir, notebookPath, notebookName: name, outDir, runtimeDir };
}

export function removeWorkspace(ws: Workspace | undefined): void {
  if (ws) fs.rmSync(ws.dir, { recursive: true, force: true });
}

/** GET (or other method) on the server's REST API; resolves with status and body. */
export function request(url: string, method = 'GET'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`timeout: ${method} ${url}`)));
    req.on('error', reject);
    req.end();
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class NotebookServer {
  private logText = '';
  private exited: { code: number | null; signal: string | null } | null = null;

  private constructor(
    readonly proc: ChildProcess,
    readonly port: number,
    readonly token: string,
    readonly ws: Workspace,
  ) {
    const keep = (chunk: Buffer) => {
      this.logText += chunk.toString('utf8');
      if (this.logText.length > 200000) this.logText = this.logText.slice(-100000);
    };
    proc.stdout?.on('data', keep);
    proc.stderr?.on('data', keep);
    proc.on('exit', (code, signal) => (this.exited = { code, signal }));
  }

  get base(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The URL a student would open: the notebook, authenticated by the token. */
  notebookUrl(): string {
    return `${this.base}/notebooks/${encodeURIComponent(this.ws.notebookName)}?token=${this.token}`;
  }

  api(route: string): string {
    return `${this.base}/api/${route}${route.includes('?') ? '&' : '?'}token=${this.token}`;
  }

  log(): string {
    return this.logText;
  }

  /** The last `lines` lines of the server's log (with the kernel's stderr in it), for failure messages. */
  tail(lines = 40): string {
    return this.logText.split('\n').slice(-lines).join('\n');
  }

  /**
   * `jupyter notebook` headless on a free local port: token auth, root allowed, the workspace's
   * notebook dir, the repo's kernelspecs through JUPYTER_PATH, and `extraEnv` (NNFT_SCALE=ci) for
   * the kernels, which inherit the server's environment.
   */
  static async start(ws: Workspace, extraEnv: Record<string, string>, timeoutMs = 60000): Promise<NotebookServer> {
    const port = await freePort();
    const token = randomBytes(24).toString('hex');
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      JUPYTER_PATH: path.join(ROOT, 'kernels'),
      JUPYTER_CONFIG_DIR: path.join(ws.dir, 'jupyter', 'config'),
      JUPYTER_DATA_DIR: path.join(ws.dir, 'jupyter', 'data'),
      JUPYTER_RUNTIME_DIR: ws.runtimeDir,
      NNFT_OUT: ws.outDir,
      ...extraEnv,
    };
    const args = [
      '--no-browser',
      '--allow-root',
      '--ip=127.0.0.1',
      `--port=${port}`,
      '--port-retries=0',
      `--NotebookApp.token=${token}`,
      `--notebook-dir=${ws.notebookDir}`,
    ];
    // detached: the server leads its own process group, so stop() can signal all of it.
    const proc = spawn(JUPYTER_NOTEBOOK, args, { cwd: ws.notebookDir, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const server = new NotebookServer(proc, port, token, ws);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (server.exited) throw new Error(`jupyter notebook exited (${JSON.stringify(server.exited)}) before serving:\n${server.tail()}`);
      try {
        const r = await request(server.api('status'));
        if (r.status === 200) return server;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) {
        await server.stop();
        throw new Error(`jupyter notebook did not answer on port ${port} within ${timeoutMs / 1000} s:\n${server.tail()}`);
      }
      await sleep(250);
    }
  }

  /**
   * Shut everything down: the kernels through the REST API, then SIGTERM to the server's process
   * group (Notebook 6 also shuts its kernels down on exit), SIGKILL after 10 s, and finally any
   * kernel still alive that was started from this workspace's runtime dir (kernels run in their
   * own sessions, outside the server's process group).
   */
  async stop(): Promise<void> {
    if (!this.exited) {
      try {
        const r = await request(this.api('kernels'));
        if (r.status === 200) {
          for (const k of JSON.parse(r.body) as { id: string }[]) await request(this.api(`kernels/${k.id}`), 'DELETE').catch(() => undefined);
        }
      } catch {
        // the server is not answering; signals below
      }
      signalGroup(this.proc.pid, 'SIGTERM');
      const deadline = Date.now() + 10000;
      while (!this.exited && Date.now() < deadline) await sleep(100);
      if (!this.exited) {
        signalGroup(this.proc.pid, 'SIGKILL');
        const hard = Date.now() + 5000;
        while (!this.exited && Date.now() < hard) await sleep(100);
      }
    }
    for (const pid of processesMentioning(this.ws.runtimeDir)) signalGroup(pid, 'SIGKILL');
  }
}

function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (!pid) return;
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

/** Pids whose command line contains `needle` (kernels get their connection file under the runtime dir). */
function processesMentioning(needle: string): number[] {
  const pids: number[] = [];
  let entries: string[] = [];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return pids;
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e) || Number(e) === process.pid) continue;
    try {
      if (fs.readFileSync(`/proc/${e}/cmdline`, 'utf8').includes(needle)) pids.push(Number(e));
    } catch {
      // exited meanwhile
    }
  }
  return pids;
}
