/**
 * A Jupyter kernel client over ZeroMQ: starts a kernel from its kernelspec, performs the
 * kernel_info handshake, executes code and collects IOPub output, interrupts on timeout, checks
 * the heartbeat, and shuts the kernel down leaving no process behind.
 *
 * The kernel is started in its own process group (detached), so shutting down can signal the
 * whole group, including anything the kernel spawned. Every kernel still running is killed (its
 * whole group, SIGKILL) when this process exits, however it exits.
 *
 * Security: the kernel's sockets are bound on 127.0.0.1 only (the kernel binds where the
 * connection file says, and nothing else is ever written there); the connection file, which holds
 * the HMAC key, is created new (O_EXCL) with mode 0600 whatever the umask; every message received
 * is checked against that key, and one with a bad signature is dropped and counted
 * (`rejectedMessages`), never used.
 */
import { ChildProcess, spawn } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import * as zmq from 'zeromq';
import { KernelSpec, kernelCommand } from './kernelspec';
import { Message, SignatureError, deserialize, newHeader, serialize } from './wire';

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
  /**
   * 'ok', 'error' (the kernel reported an error), 'timeout' (interrupted after timeoutMs), 'dead'
   * (the kernel died) or 'interrupted' (the start option `signal` was aborted: the kernel was killed).
   */
  readonly status: 'ok' | 'error' | 'timeout' | 'dead' | 'interrupted';
  readonly executionCount: number | null;
  readonly outputs: IopubOutput[];
  /** Error text: the reply's ename/evalue/traceback, else the cell's stderr (tslab writes errors there). */
  readonly errorText: string;
}

/** A TCP port that was free a moment ago on 127.0.0.1 (kernels' sockets; the browser test's server). */
export async function freePort(): Promise<number> {
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
  /**
   * Aborting it (e.g. on SIGINT) kills the kernel's process group at once (SIGTERM, then SIGKILL
   * after a second): a start in progress throws, a running cell ends with status 'interrupted'
   * and the outputs received so far.
   */
  signal?: AbortSignal;
}

/** The loopback address every kernel socket is bound to. */
export const KERNEL_IP = '127.0.0.1';

/** Kernels started and not yet shut down, killed when this process exits. */
const live = new Set<KernelClient>();
function killLiveOnExit(): void {
  for (const k of live) k.killGroupNow();
}

/**
 * Write the connection file: created new (fails if the path exists, never follows a link), mode
 * 0600 set explicitly so that no umask widens it, since it holds the key that signs messages.
 */
export function writeConnectionFile(file: string, conn: ConnectionInfo): void {
  const fd = fs.openSync(file, 'wx', 0o600);
  try {
    fs.fchmodSync(fd, 0o600);
    fs.writeFileSync(fd, JSON.stringify(conn));
  } finally {
    fs.closeSync(fd);
  }
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
  private aborted = false;
  /** Resolves when the kernel process exits or the client is aborted. */
  private endedResolve: () => void = () => undefined;
  private readonly ended = new Promise<void>((r) => (this.endedResolve = r));
  private stdioClosed: Promise<void> = Promise.resolve();
  private readonly rejected = { count: 0, channels: new Set<string>(), types: new Set<string>() };

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
      ip: KERNEL_IP,
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
    if (options.signal?.aborted) throw new Error(`nnft: kernel '${spec.name}' not started: interrupted`);
    writeConnectionFile(connectionFile, conn);
    const [cmd, ...args] = kernelCommand(spec, connectionFile);
    let child: ChildProcess;
    try {
      child = spawn(cmd, args, {
        cwd: options.cwd,
        env: { ...process.env, ...spec.env, ...options.env },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
    } catch (err) {
      fs.rmSync(connectionFile, { force: true });
      throw err;
    }
    const client = new KernelClient(spec, conn, connectionFile, child);
    live.add(client);
    if (live.size === 1) process.on('exit', killLiveOnExit);
    if (options.signal) {
      const onAbort = () => client.abort();
      if (options.signal.aborted) onAbort();
      else options.signal.addEventListener('abort', onAbort, { once: true });
      child.once('exit', () => options.signal?.removeEventListener('abort', onAbort));
    }
    await client.connect(options.startupTimeoutMs ?? 60000);
    return client;
  }

  /** Path of the connection file (exists while the kernel runs; mode 0600). */
  get connectionFilePath(): string {
    return this.connectionFile;
  }

  /** The connection info given to the kernel (ip is always 127.0.0.1). */
  get connection(): Readonly<ConnectionInfo> {
    return this.conn;
  }

  /** How many received messages were dropped because their HMAC signature did not verify. */
  get rejectedMessages(): number {
    return this.rejected.count;
  }

  /**
   * '' when no message was rejected, else a sentence that says how many and on which channels
   * (sorted: the channels' sockets deliver in no fixed order relative to each other).
   */
  rejectedReport(): string {
    const r = this.rejected;
    if (r.count === 0) return '';
    return `rejected ${r.count} message(s) with a bad HMAC signature (channel ${[...r.channels].sort().join(', ')}; claimed type ${[...r.types].sort().join(', ')}): something other than the kernel sent them, or the key does not match`;
  }

  /** The kernel's last stdout/stderr (up to 4000 characters). */
  get processOutput(): string {
    return this.stderrTail;
  }

  /**
   * SIGKILL to the kernel's whole process group, synchronously (safe in an 'exit' handler or a
   * second signal): nothing of the kernel survives.
   */
  killGroupNow(): void {
    if (this.child.pid === undefined) return;
    try {
      process.kill(-this.child.pid, 'SIGKILL');
    } catch {
      // no such group: nothing left
    }
  }

  /** Kill the whole kernel group now (second SIGINT): for every kernel of this process. */
  static killAllNow(): void {
    killLiveOnExit();
  }

  /**
   * Interrupted from outside (SIGINT/SIGTERM on the runner): SIGTERM to the process group, SIGKILL
   * a second later if anything is left; pending requests resolve at once.
   */
  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.endedResolve();
    for (const p of this.pending.values()) p.settle();
    if (this.alive) {
      this.signalGroup('SIGTERM');
      setTimeout(() => this.killGroupNow(), 1000).unref();
    } else {
      this.killGroupNow();
    }
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
      this.exitInfo = `kernel process ${this.child.pid} exited (${signal ? 'signal ' + signal : 'code ' + code})`;
      for (const p of this.pending.values()) p.settle();
      this.endedResolve();
    });
    this.stdioClosed = new Promise<void>((r) => this.child.once('close', () => r()));
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
      if (!this.alive || this.aborted) break;
      const result = await withTimeout(Promise.race([this.request('shell', 'kernel_info_request', {}, true), spawnError]), 2000);
      if (result !== TIMEOUT && result) return;
    }
    const why = this.aborted ? 'interrupted' : this.exitInfo ?? `no kernel_info reply within ${timeoutMs / 1000}s`;
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
          if (err instanceof SignatureError) {
            // Never used, counted: the run reports it (rejectedReport) instead of trusting it.
            this.rejected.count++;
            this.rejected.channels.add(channel);
            this.rejected.types.add(claimedType(frames as Buffer[]));
          } else {
            process.stderr.write(`nnft: dropped a ${channel} message: ${(err as Error).message}\n`);
          }
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
        if (!this.alive || this.aborted) resolve(entry.reply);
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
    if (!this.alive || this.aborted) return false;
    const token = crypto.randomBytes(8).toString('hex');
    await this.hb.send([Buffer.alloc(0), Buffer.from(token)]);
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const got = await withTimeout(Promise.race([this.hb.receive(), this.ended.then((): typeof TIMEOUT => TIMEOUT)]), deadline - Date.now());
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
    if (this.aborted) return { status: 'interrupted', executionCount: null, outputs: [], errorText: 'interrupted before the cell started' };
    if (!this.alive) return { status: 'dead', executionCount: null, outputs: [], errorText: this.exitInfo ?? 'kernel is not running' };
    const req = this.request('shell', 'execute_request', { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true }, true, options.onOutput);
    let reply = await withTimeout(req, options.timeoutMs);
    let timedOut = false;
    if (reply === TIMEOUT && !this.aborted) {
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
    if (this.aborted) {
      return { status: 'interrupted', executionCount, outputs, errorText: `interrupted while the cell ran; the kernel was shut down${stderr ? '\n' + stderr : ''}` };
    }
    if (timedOut) {
      return { status: 'timeout', executionCount, outputs, errorText: `cell timed out after ${options.timeoutMs / 1000}s and was interrupted${reply === TIMEOUT ? '; the kernel did not respond and was killed' : ''}${stderr ? '\n' + stderr : ''}` };
    }
    if (!content) {
      // The kernel died while the cell ran: say how (exit code or signal) and show its last output,
      // read to the end (the pipes close just after the exit).
      await withTimeout(this.stdioClosed, 500);
      const tail = this.stderrTail.trim() ? `\n--- kernel process output (last lines) ---\n${this.stderrTail.trim().split('\n').slice(-20).join('\n')}` : '';
      return { status: 'dead', executionCount, outputs, errorText: `kernel died during the cell: ${this.exitInfo ?? 'no reply and no exit status'}${stderr ? '\n' + stderr : ''}${tail}` };
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
    if (!this.alive || this.aborted) return;
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
    if (this.alive && this.aborted) {
      // Interrupted: no polite shutdown_request (a busy kernel would not read it); abort() already
      // sent SIGTERM, SIGKILL follows after a second.
      if (!(await this.waitExit(1000))) await this.kill();
    } else if (this.alive) {
      await withTimeout(this.request('control', 'shutdown_request', { restart: false }, false), 2000);
      if (!(await this.waitExit(3000))) {
        this.signalGroup('SIGTERM');
        if (!(await this.waitExit(2000))) await this.kill();
      }
    }
    // Anything the kernel left in its process group goes too.
    this.killGroupNow();
    live.delete(this);
    if (live.size === 0) process.removeListener('exit', killLiveOnExit);
    for (const s of [this.shell, this.control, this.iopub, this.hb]) s.close();
    fs.rmSync(this.connectionFile, { force: true });
    await sleep(0);
  }
}

/** The msg_type a message claims in its (unverified) header, for the report of a rejected one. */
function claimedType(frames: readonly Buffer[]): string {
  try {
    const at = frames.findIndex((f) => f.toString() === '<IDS|MSG>');
    const type = JSON.parse(frames[at + 2].toString('utf8')).msg_type;
    return typeof type === 'string' ? type.slice(0, 40) : '?';
  } catch {
    return '?';
  }
}
