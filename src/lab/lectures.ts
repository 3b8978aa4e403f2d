/**
 * The main job: execute lecture notebooks in order, each in a fresh kernel, and write what they
 * produce under one output folder:
 *
 *   <out>/notebooks/<name>.ipynb   executed notebooks with their outputs (also failed ones)
 *   <out>/report.html              one offline, self-contained report of all of them
 *   <out>/figures/<name>/<fig>.png and .svg   every figure (when Chromium is found)
 *   <out>/summary.json             notebook, seconds, status, checks, error
 */
import * as fs from 'fs';
import * as path from 'path';
import { Scale } from '../scale';
import { exportFigures, findChromium } from './export';
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

export function summaryTable(runs: readonly NotebookRun[]): string {
  const head = ['notebook', 'seconds', 'status', 'checks passed'];
  const rows = runs.map((r) => [
    r.name,
    r.seconds.toFixed(1),
    r.status === 'ok' ? 'ok' : `FAILED (cell ${r.failedCell})`,
    `${r.checks.filter((c) => c.passed).length}/${r.checks.length}`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (r: string[]) => r.map((c, i) => pad(c, widths[i])).join('  ');
  return [fmt(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(fmt)].join('\n');
}

/** Run the notebooks; returns the process exit status (0 when every notebook passed). */
export async function runLectures(options: LecturesOptions): Promise<number> {
  const { log } = options;
  // Fail on a bad path or a malformed notebook before starting any kernel.
  for (const nb of options.notebooks) readNotebook(nb);
  const spec = findKernelSpec(options.kernel);
  const outDir = path.resolve(options.outDir);
  fs.mkdirSync(path.join(outDir, 'notebooks'), { recursive: true });
  const chromium = findChromium();
  log(`nnft lectures: ${options.notebooks.length} notebook(s), scale=${options.scale}, kernel=${spec.name}, out=${outDir}`);
  if (!chromium) log('nnft lectures: no Chromium found (apt-get install chromium, or set NNFT_CHROMIUM): static PNG/SVG export is skipped');

  const runs: NotebookRun[] = [];
  for (const [i, file] of options.notebooks.entries()) {
    const label = `[${i + 1}/${options.notebooks.length}] ${path.basename(file)}`;
    log(`${label} running ...`);
    const run = await runNotebook(file, { spec, env: { NNFT_SCALE: options.scale, NNFT_OUT: outDir }, cellTimeoutS: options.cellTimeoutS });
    runs.push(run);
    writeNotebook(path.join(outDir, 'notebooks', `${run.name}.ipynb`), run.notebook);
    let exported = '';
    if (chromium && run.figures.length) {
      try {
        const files = await exportFigures(run.figures, path.join(outDir, 'figures', run.name), chromium);
        exported = `, ${files.length / 2} figure(s) exported`;
      } catch (err) {
        exported = `, figure export failed: ${(err as Error).message.split('\n')[0]}`;
      }
    }
    const passed = run.checks.filter((c) => c.passed).length;
    if (run.status === 'ok') {
      log(`${label} ok in ${run.seconds.toFixed(1)}s, ${passed}/${run.checks.length} checks passed${exported}`);
    } else {
      log(`${label} FAILED at cell ${run.failedCell} after ${run.seconds.toFixed(1)}s${exported}\n  notebook ${file}, cell ${run.failedCell}:\n    ${run.error.split('\n').join('\n    ')}`);
    }
  }
  fs.writeFileSync(path.join(outDir, 'report.html'), buildReport(runs, 'nnft lecture notebooks', options.scale));
  const summary = runs.map((r) => ({ notebook: r.name, file: r.file, seconds: r.seconds, status: r.status, failedCell: r.failedCell, error: r.error, checksPassed: r.checks.filter((c) => c.passed).length, checks: r.checks.length, figures: r.figures.map((f) => f.name) }));
  fs.writeFileSync(path.join(outDir, 'summary.json'), JSON.stringify({ scale: options.scale, notebooks: summary }, null, 2) + '\n');
  log('\n' + summaryTable(runs));
  const failed = runs.filter((r) => r.status !== 'ok').length;
  log(`\n${runs.length - failed} notebook(s) passed, ${failed} failed; report: ${path.join(outDir, 'report.html')}`);
  return failed === 0 ? 0 : 1;
}

export { DEFAULT_KERNEL };
