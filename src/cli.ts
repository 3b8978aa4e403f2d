/**
 * The `nnft` command line.
 *
 *   nnft lectures [notebooks...] [--out DIR] [--scale ci|full] [--kernel NAME] [--timeout SECONDS]
 *
 * Exit status: 0 on success, 1 when a notebook failed, 2 for bad usage (the message names the
 * flag and the value).
 */
import { DEFAULT_CELL_TIMEOUT_S, DEFAULT_KERNEL, defaultNotebooks, runLectures } from './lab/lectures';
import { readNotebook } from './lab/notebook';

class UsageError extends Error {}

const USAGE = `usage: nnft lectures [notebooks...] [--out DIR] [--scale ci|full] [--kernel NAME] [--timeout SECONDS]

  notebooks   .ipynb files to execute in order (default: every notebook in notebooks/)
  --out       output folder (default: out)
  --scale     ci (small ensembles) or full (the published figures; default)
  --kernel    kernelspec name under kernels/kernels or $JUPYTER_PATH (default: ${DEFAULT_KERNEL})
  --timeout   per-cell timeout in seconds (default: ${DEFAULT_CELL_TIMEOUT_S})`;

/** Split argv into positionals and --flag values; every flag takes one value. */
function parseFlags(args: string[], known: readonly string[]): { positional: string[]; flags: Map<string, string> } {
  const positional: string[] = [];
  const flags = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    const [name, inline] = a.slice(2).split(/=(.*)/s, 2);
    if (!known.includes(name)) throw new UsageError(`nnft: unknown flag --${name}`);
    const value = inline ?? args[++i];
    if (value === undefined) throw new UsageError(`nnft: --${name} needs a value`);
    flags.set(name, value);
  }
  return { positional, flags };
}

async function lectures(args: string[]): Promise<number> {
  const { positional, flags } = parseFlags(args, ['out', 'scale', 'kernel', 'timeout']);
  const scale = flags.get('scale') ?? (process.env.NNFT_SCALE || 'full');
  if (scale !== 'ci' && scale !== 'full') throw new UsageError(`nnft: --scale must be ci or full, got ${JSON.stringify(scale)}`);
  const timeout = Number(flags.get('timeout') ?? DEFAULT_CELL_TIMEOUT_S);
  if (!(timeout > 0)) throw new UsageError(`nnft: --timeout must be a positive number of seconds, got ${JSON.stringify(flags.get('timeout'))}`);
  const notebooks = positional.length ? positional : defaultNotebooks();
  for (const nb of notebooks) {
    try {
      readNotebook(nb);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
  }
  return runLectures({
    notebooks,
    outDir: flags.get('out') ?? 'out',
    scale,
    kernel: flags.get('kernel') ?? DEFAULT_KERNEL,
    cellTimeoutS: timeout,
    log: (line) => console.log(line),
  });
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'lectures':
        return await lectures(rest);
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        console.log(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`nnft: unknown command ${JSON.stringify(command)}`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`${err.message}\n\n${USAGE}`);
      return 2;
    }
    console.error((err as Error).message);
    return 1;
  }
}
