/**
 * The main job: execute lecture notebooks in order, each in a fresh kernel, and write what they
 * produce under one output folder:
 *
 *   <out>/notebooks/<name>.ipynb   executed notebooks with their outputs (also failed ones)
 *   <out>/report.html              one offline, self-contained report of all of them
 *   <out>/figures/<name>/<fig>.png and .svg   every figure (when Chromium is found)
 *   <out>/summary.json             notebook, seconds, status, checks, error
 *
 * Every file is written atomically (temporary file + rename), so an interrupted run never leaves a
 * half file that looks complete. `--out` is checked to be a writable folder, and every notebook to
 * be readable, before any kernel starts. SIGINT/SIGTERM during the run kill the running kernel's
 * process group, write what finished (and the interrupted notebook up to its last output), and
 * make runLectures return 130/143; a second signal skips the grace period and the figure export.
 */
import * as fs from 'fs';
import * as path from 'path';
import { checkWritableFolder, writeFileAtomic } from '../core/io';
import { Scale } from '../notebook/scale';
import { collectSvgFigures, exportFigures, findChromium } from './export';
import { KernelClient } from './jupyter-client';
import { DEFAULT_KERNEL, PROJECT_ROOT, findKernelSpec } from './kernelspec';
import { readNotebook, writeNotebook } from './notebook';
import { buildReport } from './report';
import { NotebookRun, runNotebook } from './run-notebook';

export interface LecturesOptions {
  notebooks: string[];
  outDir: string;
  scale: Scale;
  kernel: string;
  cellTimeoutS: number;
  log: (line: string) => void;
}

export const DEFAULT_CELL_TIMEOUT_S = 900;

/** The lecture notebooks in `notebooks/`, in file-name order. */
export function defaultNotebooks(): string[] {
  const dir = path.join(PROJECT_ROOT, 'notebooks');
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.ipynb'))
    .sort()
    .map((f) => path.join(dir, f));
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

function statusText(r: NotebookRun): string {
  if (r.status === 'ok') return 'ok';
  return `${r.status === 'interrupted' ? 'INTERRUPTED' : 'FAILED'} (cell ${r.failedCell})`;
}

export function summaryTable(runs: readonly NotebookRun[]): string {
  const head = ['notebook', 'seconds', 'status', 'checks passed'];
  const rows = runs.map((r) => [r.name, r.seconds.toFixed(1), statusText(r), `${r.checks.filter((c) => c.passed).length}/${r.checks.length}`]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (r: string[]) => r.map((c, i) => pad(c, widths[i])).join('  ');
  return [fmt(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(fmt)].join('\n');
}

/** Exit status for a run ended by a signal: 128 + the signal number (SIGINT 130, SIGTERM 143). */
export const SIGNAL_EXIT: Readonly<Record<'SIGINT' | 'SIGTERM', number>> = { SIGINT: 130, SIGTERM: 143 };

/** A notebook that could not be run at all (e.g. it became unreadable after the first check). */
function notRun(file: string, error: string): NotebookRun {
  return { file, name: path.basename(file, '.ipynb'), status: 'failed', seconds: 0, failedCell: 0, error, checks: [], figures: [], notebook: { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [] } };
}

/** Run the notebooks; returns the process exit status (0 when every notebook passed, 130/143 on SIGINT/SIGTERM). */
export async function runLectures(options: LecturesOptions): Promise<number> {
  const { log } = options;
  // Fail on a bad path, an unreadable or malformed notebook, or an unusable --out before starting any kernel.
  for (const nb of options.notebooks) readNotebook(nb);
  let spec: ReturnType<typeof findKernelSpec>;
  try {
    spec = findKernelSpec(options.kernel);
  } catch (err) {
    throw new Error(`nnft: --kernel must name an installed kernelspec, got ${JSON.stringify(options.kernel)} (${(err as Error).message.replace(/^nnft: /, '')})`);
  }
  let outDir: string;
  try {
    outDir = checkWritableFolder(options.outDir, '--out');
    checkWritableFolder(path.join(outDir, 'notebooks'), '--out');
  } catch (err) {
    throw new Error(`nnft: ${(err as Error).message}`);
  }
  const chromium = findChromium();

  // SIGINT/SIGTERM: stop the kernel (its whole group) and wrap up; a second signal kills at once.
  const abort = new AbortController();
  let caught: 'SIGINT' | 'SIGTERM' | null = null;
  const onSignal = (signal: 'SIGINT' | 'SIGTERM') => {
    if (caught === null) {
      caught = signal;
      log(`\nnnft lectures: ${signal}: stopping the kernel and writing what finished (${signal} again to stop at once)`);
      abort.abort(signal);
    } else {
      log(`nnft lectures: ${signal} again: killing the kernel now`);
      KernelClient.killAllNow();
    }
  };
  const onInt = () => onSignal('SIGINT');
  const onTerm = () => onSignal('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  try {
    log(`nnft lectures: ${options.notebooks.length} notebook(s), scale=${options.scale}, kernel=${spec.name}, out=${outDir}`);
    if (!chromium) log('nnft lectures: no Chromium found (apt-get install chromium, or set NNFT_CHROMIUM): static PNG/SVG export is skipped');

    const runs: NotebookRun[] = [];
    const notStarted: string[] = [];
    for (const [i, file] of options.notebooks.entries()) {
      if (abort.signal.aborted) {
        notStarted.push(file);
        continue;
      }
      const label = `[${i + 1}/${options.notebooks.length}] ${path.basename(file)}`;
      log(`${label} running ...`);
      let run: NotebookRun;
      try {
        run = await runNotebook(file, { spec, env: { NNFT_SCALE: options.scale, NNFT_OUT: outDir }, cellTimeoutS: options.cellTimeoutS, signal: abort.signal });
      } catch (err) {
        run = notRun(file, (err as Error).message);
      }
      runs.push(run);
      writeNotebook(path.join(outDir, 'notebooks', `${run.name}.ipynb`), run.notebook);
      let exported = '';
      const figures = [...run.figures, ...collectSvgFigures(run.notebook, run.name)];
      if (chromium && figures.length && !abort.signal.aborted) {
        try {
          const files = await exportFigures(figures, path.join(outDir, 'figures', run.name), chromium, abort.signal);
          exported = `, ${files.length / 2} figure(s) exported`;
        } catch (err) {
          exported = `, figure export failed: ${(err as Error).message.split('\n')[0]}`;
        }
      }
      const passed = run.checks.filter((c) => c.passed).length;
      if (run.status === 'ok') {
        log(`${label} ok in ${run.seconds.toFixed(1)}s, ${passed}/${run.checks.length} checks passed${exported}`);
      } else {
        const what = run.status === 'interrupted' ? 'INTERRUPTED' : 'FAILED';
        log(`${label} ${what} at cell ${run.failedCell} after ${run.seconds.toFixed(1)}s${exported}\n  notebook ${file}, cell ${run.failedCell}:\n    ${run.error.split('\n').join('\n    ')}`);
      }
    }
    writeFileAtomic(path.join(outDir, 'report.html'), buildReport(runs, 'nnft lecture notebooks', options.scale));
    const summary = runs.map((r) => ({ notebook: r.name, file: r.file, seconds: r.seconds, status: r.status, failedCell: r.failedCell, error: r.error, checksPassed: r.checks.filter((c) => c.passed).length, checks: r.checks.length, figures: [...r.figures, ...collectSvgFigures(r.notebook, r.name)].map((f) => f.name) }));
    const interruptedBy: string | null = caught;
    writeFileAtomic(
      path.join(outDir, 'summary.json'),
      JSON.stringify({ scale: options.scale, ...(interruptedBy ? { interrupted: interruptedBy, notStarted } : {}), notebooks: summary }, null, 2) + '\n',
    );
    log('\n' + summaryTable(runs));
    const failed = runs.filter((r) => r.status !== 'ok').length;
    const interrupted = runs.filter((r) => r.status === 'interrupted').length;
    const more = `${interrupted ? `, ${interrupted} interrupted` : ''}${notStarted.length ? `, ${notStarted.length} not started` : ''}`;
    log(`\n${runs.length - failed} notebook(s) passed, ${failed - interrupted} failed${more}; report: ${path.join(outDir, 'report.html')}`);
    if (interruptedBy) {
      log(`nnft lectures: interrupted by ${interruptedBy}; results so far are in ${outDir}`);
      return SIGNAL_EXIT[interruptedBy as 'SIGINT' | 'SIGTERM'];
    }
    return failed === 0 ? 0 : 1;
  } finally {
    process.removeListener('SIGINT', onInt);
    process.removeListener('SIGTERM', onTerm);
  }
}

export { DEFAULT_KERNEL };
