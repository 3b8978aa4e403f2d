/**
 * Execute one notebook in a fresh kernel: cells in order, stopping at the first failure.
 */
import * as path from 'path';
import { CHECK_MIME, CheckResult } from '../checks';
import { Figure } from '../plots';
import { KernelClient } from './kernel';
import { KernelSpec } from './kernelspec';
import { Notebook, Output, cellSource, readNotebook, toOutputs } from './notebook';

export interface RunOptions {
  spec: KernelSpec;
  /** Extra environment for the kernel (NNFT_SCALE goes here). */
  env: Record<string, string>;
  /** Per-cell timeout in seconds. */
  cellTimeoutS: number;
  /** Called with one-line progress messages. */
  log?: (line: string) => void;
}

export interface FigureOutput {
  readonly name: string;
  readonly cell: number;
  readonly figure: Figure;
}

export interface NotebookRun {
  readonly file: string;
  readonly name: string;
  readonly status: 'ok' | 'failed';
  readonly seconds: number;
  /** 1-based position of the failing cell among all cells of the notebook. */
  readonly failedCell: number | null;
  readonly error: string;
  readonly checks: readonly CheckResult[];
  readonly figures: readonly FigureOutput[];
  readonly notebook: Notebook;
}

function collectChecks(outputs: readonly Output[]): CheckResult[] {
  return outputs
    .map((o) => (o.data as Record<string, unknown> | undefined)?.[CHECK_MIME] as CheckResult | undefined)
    .filter((c): c is CheckResult => c !== undefined);
}

function collectFigures(outputs: readonly Output[], cell: number, notebookName: string): FigureOutput[] {
  const figures: FigureOutput[] = [];
  for (const o of outputs) {
    const fig = (o.data as Record<string, unknown> | undefined)?.['application/vnd.plotly.v1+json'] as Figure | undefined;
    if (!fig) continue;
    const named = ((o.metadata as Record<string, unknown> | undefined)?.nnft as { figure?: string } | undefined)?.figure;
    figures.push({ name: named ?? `${notebookName}-cell${cell}-${figures.length + 1}`, cell, figure: fig });
  }
  return figures;
}

export async function runNotebook(file: string, options: RunOptions): Promise<NotebookRun> {
  const notebook = readNotebook(file);
  const name = path.basename(file, '.ipynb');
  const start = Date.now();
  const checks: CheckResult[] = [];
  const figures: FigureOutput[] = [];
  let failedCell: number | null = null;
  let error = '';
  let kernel: KernelClient | null = null;
  try {
    kernel = await KernelClient.start(options.spec, { cwd: path.dirname(path.resolve(file)), env: options.env });
    notebook.metadata.kernelspec = { name: options.spec.name, display_name: options.spec.displayName, language: options.spec.language };
    for (let i = 0; i < notebook.cells.length; i++) {
      const cell = notebook.cells[i];
      if (cell.cell_type !== 'code') continue;
      const code = cellSource(cell);
      if (code.trim() === '') {
        cell.outputs = [];
        cell.execution_count = null;
        continue;
      }
      if (!(await kernel.heartbeat())) {
        failedCell = i + 1;
        error = 'kernel does not answer its heartbeat';
        break;
      }
      const cellStart = Date.now();
      const outcome = await kernel.execute(code, { timeoutMs: options.cellTimeoutS * 1000 });
      cell.outputs = toOutputs(outcome.outputs, outcome.executionCount);
      cell.execution_count = outcome.executionCount;
      cell.metadata = { ...cell.metadata, nnft: { seconds: (Date.now() - cellStart) / 1000, status: outcome.status } };
      checks.push(...collectChecks(cell.outputs));
      figures.push(...collectFigures(cell.outputs, i + 1, name));
      if (outcome.status !== 'ok') {
        failedCell = i + 1;
        error = outcome.errorText || outcome.status;
        if (!cell.outputs.some((o) => o.output_type === 'error')) {
          cell.outputs.push({ output_type: 'error', ename: outcome.status === 'error' ? 'CellError' : outcome.status.toUpperCase(), evalue: error.split('\n')[0], traceback: error.split('\n') });
        }
        break;
      }
    }
  } catch (err) {
    error = (err as Error).message;
    failedCell = failedCell ?? 0;
  } finally {
    await kernel?.shutdown();
  }
  const status = failedCell === null ? 'ok' : 'failed';
  notebook.metadata.nnft = { status, seconds: (Date.now() - start) / 1000, failedCell, scale: options.env.NNFT_SCALE };
  return { file, name, status, seconds: (Date.now() - start) / 1000, failedCell, error, checks, figures, notebook };
}
