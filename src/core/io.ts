/**
 * Output that is never cut or half-written.
 *
 * - Files: `writeFileAtomic` writes to a temporary file in the same folder, flushes it to disk and
 *   renames it over the target (a rename within one file system is atomic), so a reader sees either
 *   the old file or the whole new one, never a prefix; an interrupted run leaves at most a
 *   `.<name>.<pid>.<random>.tmp` file that no reader mistakes for the result.
 * - Output folders are checked before any long computation: `checkWritableFolder` creates the folder
 *   if it can and proves it writable with a probe file; `checkWritableFile` does the same for the
 *   folder of a file about to be written.
 * - Standard output: Node writes to a pipe asynchronously, so `process.exit()` with output pending
 *   cuts it. The command line only ever sets `process.exitCode`; `quietEpipe` makes a closed reader
 *   (`nnft ... | head`) end the process quietly instead of with an EPIPE stack trace.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

/** Write `data` to `file` atomically (temporary file in the same folder + fsync + rename). */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const dir = path.dirname(path.resolve(file));
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    fd = fs.openSync(tmp, 'wx', 0o644);
    fs.writeFileSync(fd, data);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(tmp, file);
  } catch (err) {
    if (fd !== undefined) fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}

/**
 * Make sure `dir` exists (created with its parents if needed) and that files can be created in it;
 * throws an Error naming `what` and the folder otherwise. Leaves no probe file behind.
 */
export function checkWritableFolder(dir: string, what: string): string {
  const abs = path.resolve(dir);
  try {
    if (fs.existsSync(abs) && !fs.statSync(abs).isDirectory()) throw new Error('it is not a folder');
    fs.mkdirSync(abs, { recursive: true });
    const probe = path.join(abs, `.nnft-probe.${process.pid}.${crypto.randomBytes(4).toString('hex')}`);
    fs.writeFileSync(probe, '');
    fs.rmSync(probe, { force: true });
  } catch (err) {
    throw new Error(`${what} must be a writable folder, got ${JSON.stringify(dir)} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  return abs;
}

/**
 * Make sure `file` can be written later: its folder must already exist and be writable, and the
 * path must not be a folder. Nothing is created.
 */
export function checkWritableFile(file: string, what: string): string {
  const abs = path.resolve(file);
  const dir = path.dirname(abs);
  let why = '';
  if (file.trim() === '' || file.endsWith('/')) why = 'not a file name';
  else if (!fs.existsSync(dir)) why = `no folder ${dir}`;
  else if (!fs.statSync(dir).isDirectory()) why = `${dir} is not a folder`;
  else if (fs.existsSync(abs) && fs.statSync(abs).isDirectory()) why = 'it is a folder';
  else {
    try {
      fs.accessSync(dir, fs.constants.W_OK);
      if (fs.existsSync(abs)) fs.accessSync(abs, fs.constants.W_OK);
    } catch (err) {
      why = `${(err as NodeJS.ErrnoException).code ?? 'not writable'}`;
    }
  }
  if (why) throw new Error(`${what} must be a file in a writable folder, got ${JSON.stringify(file)} (${why})`);
  return abs;
}

/**
 * End quietly when the reader of stdout or stderr goes away (EPIPE): `nnft ... | head -1` is a
 * normal way to read output, not an error. Installed once by the command line.
 */
let epipeQuiet = false;

export function quietEpipe(): void {
  if (epipeQuiet) return;
  epipeQuiet = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') {
        // The reader is gone, so nothing pending can arrive anyway: stop like a program killed by
        // SIGPIPE, but quietly and with the status computed so far (files are written atomically).
        stream.write = (() => true) as typeof stream.write;
        process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
      }
      throw err;
    });
  }
}
