/**
 * Kernelspecs: `<data dir>/kernels/<name>/kernel.json`, found the way Jupyter finds them. The
 * project's own data dir is `kernels/` at the repository root, so `JUPYTER_PATH=$PWD/kernels`
 * makes Jupyter see exactly the specs the lecture runner uses.
 */
import * as fs from 'fs';
import * as path from 'path';

export interface KernelSpec {
  readonly name: string;
  readonly resourceDir: string;
  readonly argv: readonly string[];
  readonly displayName: string;
  readonly language: string;
  readonly env: Readonly<Record<string, string>>;
  readonly interruptMode: 'signal' | 'message';
}

/** The repository root (two levels above dist/lab or src/lab). */
export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

/** The default kernel for lecture notebooks. */
export const DEFAULT_KERNEL = 'nnft-typescript';

/** Data dirs searched, in order: the project's kernels/, then $JUPYTER_PATH entries. */
export function kernelSearchDirs(): string[] {
  const dirs = [path.join(PROJECT_ROOT, 'kernels')];
  for (const p of (process.env.JUPYTER_PATH ?? '').split(path.delimiter)) if (p) dirs.push(p);
  return dirs.map((d) => path.join(d, 'kernels'));
}

export function findKernelSpec(name: string): KernelSpec {
  const tried: string[] = [];
  for (const dir of kernelSearchDirs()) {
    const file = path.join(dir, name, 'kernel.json');
    tried.push(file);
    if (fs.existsSync(file)) return readKernelSpec(name, path.dirname(file));
  }
  throw new Error(`nnft: kernelspec '${name}' not found; looked for ${tried.join(', ')}`);
}

export function readKernelSpec(name: string, resourceDir: string): KernelSpec {
  const file = path.join(resourceDir, 'kernel.json');
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`nnft: kernelspec ${file} is not valid JSON (${(err as Error).message})`);
  }
  if (!Array.isArray(raw.argv) || raw.argv.length === 0 || !raw.argv.every((a) => typeof a === 'string')) {
    throw new Error(`nnft: kernelspec ${file} must have a non-empty string array argv`);
  }
  return Object.freeze({
    name,
    resourceDir,
    argv: raw.argv as string[],
    displayName: String(raw.display_name ?? name),
    language: String(raw.language ?? ''),
    env: (raw.env ?? {}) as Record<string, string>,
    interruptMode: raw.interrupt_mode === 'message' ? 'message' : 'signal',
  });
}

/** argv with Jupyter's placeholders {connection_file} and {resource_dir} filled in. */
export function kernelCommand(spec: KernelSpec, connectionFile: string): string[] {
  return spec.argv.map((a) => a.replace(/\{connection_file\}/g, connectionFile).replace(/\{resource_dir\}/g, spec.resourceDir));
}
