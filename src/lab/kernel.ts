/**
 * A Jupyter kernel client over ZeroMQ: starts a kernel from its kernelspec, performs the
 * kernel_info handshake, executes code and collects IOPub output, interrupts on timeout, checks
 * the heartbeat, and shuts the kernel down leaving no process behind.
 *
 * The kernel is started in its own process group (detached), so shutting down can signal the
 * whole group, including anything the kernel spawned.
 */
import { ChildProcess, spawn } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import * as zmq from 'zeromq';
import { KernelSpec, kernelCommand } from './kernelspec';
import { Message, deserialize, newHeader, serialize } from './wire';

export interface ConnectionInfo {
  transport: 'tcp';
  ip: string;
  shell_port: number;
  iopub_port: number;
  stdin_port: number;
  control_port: number;
  hb_port: number;
  key: string;
  signature_scheme: 'hmac-sha256';
  kernel_name: string;
}

/** One IOPub output message of a cell (stream, display_data, update_display_data, execute_result, error, clear_output). */
export interface IopubOutput {
  readonly msgType: string;
  readonly content: Record<string, unknown>;
}

export interface ExecuteOutcome {
  /** 'ok', 'error' (the kernel reported an error), 'timeout' (interrupted after timeoutMs) or 'dead' (kernel died). */
  readonly status: 'ok' | 'error' | 'timeout' | 'dead';
  readonly executionCount: number | null;
  readonly outputs: IopubOutput[];
  /** Error text: the reply's ename/evalue/traceback, else the cell's stderr (tslab writes errors there). */
  readonly errorText: string;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | typeof TIMEOUT> {
  let timer: NodeJS.Timeout;
  return Promise.race([promise, new Promise<typeof TIMEOUT>((r) => (timer = setTimeout(() => r(TIMEOUT), ms)))]).finally(() => clearTimeout(timer));
}
const TIMEOUT = Symbol('timeout');

interface Pending {
  outputs: IopubOutput[];
  reply: Message | null;
  idle: boolean;
  onOutput?: (o: IopubOutput) => void;
  settle: () => void;
}

export interface StartOptions {
  cwd: string;
  env?: Record<string, string>;
  /** How long to wait for the kernel_info handshake (default 60 s). */
  startupTimeoutMs?: number;
}

export class KernelClient {
  private readonly session = crypto.randomUUID();
  private readonly shell = new zmq.Dealer({ linger: 0 });
  private readonly control = new zmq.Dealer({ linger: 0 });
  private readonly iopub = new zmq.Subscriber({ linger: 0 });
  private readonly hb = new zmq.Dealer({ linger: 0 });
  private readonly pending = new Map<string, Pending>();
  private exitInfo: string | null = null;
  private closed = false;
  private stderrTail = '';

  private constructor(
    readonly spec: KernelSpec,
    private readonly conn: ConnectionInfo,
    private readonly connectionFile: string,
    private readonly child: ChildProcess,
  ) {}

  /** Start a kernel from `spec` and complete the kernel_info handshake. */
  static async start(spec: KernelSpec, options: StartOptions): Promise<KernelClient> {
    const ports = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
    const conn: ConnectionInfo = {
      transport: 'tcp',
      ip: '127.0.0.1',
      shell_port: ports[0],
      iopub_port: ports[1],
      stdin_port: ports[2],
      control_port: ports[3],
      hb_port: ports[4],
      key: crypto.randomBytes(32).toString('hex'),
      signature_scheme: 'hmac-sha256',
      kernel_name: spec.name,
    };
    const connectionFile = path.join(os.tmpdir(), `nnft-kernel-${process.pid}-${crypto.randomBytes(4).toString('hex')}.json`);
    fs.writeFileSync(connectionFile, JSON.stringify(conn), { mode: 0o600 });
    const [cmd, ...args] = kernelCommand(spec, connectionFile);
    const child = spawn(cmd, args, {
      cwd: options.cwd,
      env: { ...process.env, ...spec.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const client = new KernelClient(spec, conn, connectionFile, child);
    await client.connect(options.startupTimeoutMs ?? 60000);
    return client;
  }

  /** Process id of the kernel (also its process group id). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  get alive(): boolean {
    return this.exitInfo === null;
  }

  private url(port: number): string {
    return `tcp://${this.conn.ip}:${port}`;
  }

  private async connect(timeoutMs: number): Promise<void> {
    const spawnError = new Promise<void>((_, reject) => this.child.once('error', (err) => reject(new Error(`nnft: could not start kernel '${this.spec.name}' (${this.spec.argv[0]}): ${err.message}`))));
    spawnError.catch(() => undefined);
    this.child.on('exit', (code, signal) => {
      this.exitInfo = `kernel process exited (${signal ? 'signal ' + signal : 'code ' + code})`;
      for (const p of this.pending.values()) p.settle();
    });
    const keepTail = (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString()).slice(-4000);
    };
    this.child.stdout?.on('data', keepTail);
    this.child.stderr?.on('data', keepTail);

    this.shell.connect(this.url(this.conn.shell_port));
    this.control.connect(this.url(this.conn.control_port));
    this.iopub.connect(this.url(this.conn.iopub_port));
    this.iopub.subscribe();
    this.hb.connect(this.url(this.conn.hb_port));
    void this.pump(this.shell, 'shell');
    void this.pump(this.control, 'control');
    void this.pump(this.iopub, 'iopub');

    // Handshake: kernel_info until both the reply (shell) and its idle status (iopub) arrive, so
    // the IOPub subscription is known to be live before the first cell.
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.alive) break;
      const result = await withTimeout(Promise.race([this.request('shell', 'kernel_info_request', {}, true), spawnError]), 2000);
      if (result !== TIMEOUT && result) return;
    }
    const why = this.exitInfo ?? `no kernel_info reply within ${timeoutMs / 1000}s`;
    await this.shutdown();
    throw new Error(`nnft: kernel '${this.spec.name}' did not start: ${why}${this.stderrTail ? `\n--- kernel output ---\n${this.stderrTail}` : ''}`);
  }

  private async pump(socket: zmq.Dealer | zmq.Subscriber, channel: string): Promise<void> {
    try {
      for await (const frames of socket) {
        let msg: Message;
        try {
          msg = deserialize(frames as Buffer[], this.conn.key, this.conn.signature_scheme);
        } catch (err) {
          process.stderr.write(`nnft: dropped a ${channel} message: ${(err as Error).message}\n`);
          continue;
        }
        const parent = msg.parent_header?.msg_id;
        const p = parent ? this.pending.get(parent) : undefined;
        if (!p) continue;
        if (channel === 'iopub') {
          const type = msg.header.msg_type;
          if (type === 'status') {
            if ((msg.content as { execution_state?: string }).execution_state === 'idle') {
              p.idle = true;
              p.settle();
            }
          } else if (type !== 'execute_input') {
            const out = { msgType: type, content: msg.content };
            p.outputs.push(out);
            p.onOutput?.(out);
          }
        } else {
          p.reply = msg;
          p.settle();
        }
      }
    } catch {
      // Socket closed.
    }
  }

  /**
   * Send a request and wait for its reply (and, when `waitIdle`, for the kernel's idle status on
   * IOPub). Resolves null if the kernel dies first.
   */
  private request(channel: 'shell' | 'control', msgType: string, content: Record<string, unknown>, waitIdle: boolean, onOutput?: (o: IopubOutput) => void): Promise<Message | null> & { msgId: string; outputs: IopubOutput[] } {
    const header = newHeader(msgType, this.session);
    const entry: Pending = { outputs: [], reply: null, idle: false, onOutput, settle: () => undefined };
    const done = new Promise<Message | null>((resolve) => {
      entry.settle = () => {
        if (!this.alive) resolve(entry.reply);
        else if (entry.reply && (!waitIdle || entry.idle)) resolve(entry.reply);
      };
    }).finally(() => this.pending.delete(header.msg_id));
    this.pending.set(header.msg_id, entry);
    const socket = channel === 'shell' ? this.shell : this.control;
    void socket.send(serialize({ header, parent_header: {}, metadata: {}, content, buffers: [] }, this.conn.key, this.conn.signature_scheme)).catch(() => undefined);
    return Object.assign(done, { msgId: header.msg_id, outputs: entry.outputs });
  }

  /** kernel_info_request; returns the reply content. */
  async kernelInfo(timeoutMs = 10000): Promise<Record<string, unknown>> {
    const reply = await withTimeout(this.request('shell', 'kernel_info_request', {}, false), timeoutMs);
    if (reply === TIMEOUT || !reply) throw new Error(`nnft: no kernel_info reply (${this.exitInfo ?? 'timeout'})`);
    return reply.content;
  }

  /** One heartbeat round trip; true if the kernel echoed within `timeoutMs`. */
  async heartbeat(timeoutMs = 10000): Promise<boolean> {
    if (!this.alive) return false;
    const token = crypto.randomBytes(8).toString('hex');
    await this.hb.send([Buffer.alloc(0), Buffer.from(token)]);
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const got = await withTimeout(this.hb.receive(), deadline - Date.now());
      if (got === TIMEOUT) return false;
      if (got[got.length - 1].toString() === token) return true;
    }
    return false;
  }

  /**
   * Execute one cell. On timeout the kernel is interrupted (SIGINT to its process group, or an
   * interrupt_request when the kernelspec asks for message mode); if it still does not finish
   * within `graceMs` it is killed.
   */
  async execute(code: string, options: { timeoutMs: number; graceMs?: number; onOutput?: (o: IopubOutput) => void }): Promise<ExecuteOutcome> {
    if (!this.alive) return { status: 'dead', executionCount: null, outputs: [], errorText: this.exitInfo ?? 'kernel is not running' };
    const req = this.request('shell', 'execute_request', { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true }, true, options.onOutput);
    let reply = await withTimeout(req, options.timeoutMs);
    let timedOut = false;
    if (reply === TIMEOUT) {
      timedOut = true;
      await this.interrupt();
      reply = await withTimeout(req, options.graceMs ?? 5000);
      if (reply === TIMEOUT) await this.kill();
    }
    const outputs = req.outputs;
    const content = reply && reply !== TIMEOUT ? (reply.content as Record<string, unknown>) : null;
    const executionCount = typeof content?.execution_count === 'number' ? content.execution_count : null;
    const stderr = outputs
      .filter((o) => o.msgType === 'stream' && o.content.name === 'stderr')
      .map((o) => String(o.content.text))
      .join('');
    const errorOutput = outputs.find((o) => o.msgType === 'error');
    const fromError = (c: Record<string, unknown> | undefined | null) =>
      c && (c.ename || c.evalue) ? `${c.ename ?? 'Error'}: ${c.evalue ?? ''}${Array.isArray(c.traceback) && c.traceback.length ? '\n' + c.traceback.join('\n') : ''}` : '';
    if (timedOut) {
      return { status: 'timeout', executionCount, outputs, errorText: `cell timed out after ${options.timeoutMs / 1000}s and was interrupted${reply === TIMEOUT ? '; the kernel did not respond and was killed' : ''}${stderr ? '\n' + stderr : ''}` };
    }
    if (!content) {
      return { status: 'dead', executionCount, outputs, errorText: `${this.exitInfo ?? 'kernel died'}${stderr ? '\n' + stderr : ''}${this.stderrTail ? '\n' + this.stderrTail : ''}` };
    }
    if (content.status !== 'ok') {
      // tslab reports some failures only on its own process output: show that when nothing else says why.
      const kernelOutput = this.stderrTail.trim() ? `\n--- kernel process output ---\n${this.stderrTail.trim()}` : '';
      const text = fromError(errorOutput?.content) || fromError(content) || stderr || `execute_reply status ${String(content.status)}, no error text from the kernel${kernelOutput}`;
      return { status: 'error', executionCount, outputs, errorText: text.trim() };
    }
    return { status: 'ok', executionCount, outputs, errorText: '' };
  }

  async interrupt(): Promise<void> {
    if (!this.alive) return;
    if (this.spec.interruptMode === 'message') {
      await withTimeout(this.request('control', 'interrupt_request', {}, false), 2000);
    } else {
      this.signalGroup('SIGINT');
    }
  }

  private signalGroup(signal: NodeJS.Signals): void {
    if (this.child.pid === undefined || !this.alive) return;
    try {
      process.kill(-this.child.pid, signal);
    } catch {
      try {
        this.child.kill(signal);
      } catch {
        // already gone
      }
    }
  }

  private async kill(): Promise<void> {
    this.signalGroup('SIGKILL');
    await this.waitExit(2000);
  }

  private async waitExit(ms: number): Promise<boolean> {
    if (!this.alive) return true;
    const exited = new Promise<void>((r) => this.child.once('exit', () => r()));
    return (await withTimeout(exited, ms)) !== TIMEOUT;
  }

  /**
   * Shut down: shutdown_request on the control channel, then SIGTERM, then SIGKILL to the process
   * group; always closes the sockets and removes the connection file.
   */
  async shutdown(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.alive) {
      await withTimeout(this.request('control', 'shutdown_request', { restart: false }, false), 2000);
      if (!(await this.waitExit(3000))) {
        this.signalGroup('SIGTERM');
        if (!(await this.waitExit(2000))) await this.kill();
      }
    }
    // Anything the kernel left in its process group goes too.
    if (this.child.pid !== undefined) {
      try {
        process.kill(-this.child.pid, 'SIGKILL');
      } catch {
        // no such group: nothing left
      }
    }
    for (const s of [this.shell, this.control, this.iopub, this.hb]) s.close();
    fs.rmSync(this.connectionFile, { force: true });
    await sleep(0);
  }
}
