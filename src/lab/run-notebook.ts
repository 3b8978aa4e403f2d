/**
 * Execute one notebook in a fresh kernel: cells in order, stopping at the first failure. A kernel
 * that dies, a cell past its timeout, a message with a bad HMAC signature and an interruption
 * (options.signal) each end the run at the cell where they happened, with the outputs so far.
 */
import * as path from 'path';
import { CHECK_MIME, CheckResult } from '../notebook/checks';
import { Figure } from '../notebook/plots';
import { KernelClient } from './jupyter-client';
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
  /** Aborted on SIGINT/SIGTERM: the kernel is killed and the run ends with status 'interrupted'. */
  signal?: AbortSignal;
}

export interface FigureOutput {
  readonly name: string;
  readonly cell: number;
  readonly figure: Figure;
}

export interface NotebookRun {
  readonly file: string;
  readonly name: string;
  /** 'interrupted': stopped from outside (SIGINT/SIGTERM) at failedCell (0: before the first cell). */
  readonly status: 'ok' | 'failed' | 'interrupted';
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
  const interrupted = () => options.signal?.aborted === true;
  let stoppedBySignal = false;
  const why = () => `interrupted by ${String(options.signal?.reason ?? 'a signal')}`;
  // Messages that failed the HMAC check are lost output, or forged: either way the run is not to be trusted.
  let rejectedSeen = 0;
  const rejectedNow = (): string => {
    if (!kernel || kernel.rejectedMessages === rejectedSeen) return '';
    rejectedSeen = kernel.rejectedMessages;
    return kernel.rejectedReport();
  };
  try {
    kernel = await KernelClient.start(options.spec, { cwd: path.dirname(path.resolve(file)), env: options.env, signal: options.signal });
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
      if (interrupted()) {
        failedCell = i + 1;
        error = `${why()} before cell ${i + 1} started`;
        stoppedBySignal = true;
        break;
      }
      if (!(await kernel.heartbeat())) {
        failedCell = i + 1;
        stoppedBySignal = interrupted();
        error = stoppedBySignal ? `${why()} before cell ${i + 1} started` : `kernel does not answer its heartbeat${kernel.processOutput.trim() ? `\n--- kernel process output ---\n${kernel.processOutput.trim()}` : ''}`;
        break;
      }
      const cellStart = Date.now();
      const outcome = await kernel.execute(code, { timeoutMs: options.cellTimeoutS * 1000 });
      cell.outputs = toOutputs(outcome.outputs, outcome.executionCount);
      cell.execution_count = outcome.executionCount;
      cell.metadata = { ...cell.metadata, nnft: { seconds: (Date.now() - cellStart) / 1000, status: outcome.status } };
      checks.push(...collectChecks(cell.outputs));
      figures.push(...collectFigures(cell.outputs, i + 1, name));
      const rejected = rejectedNow();
      if (outcome.status !== 'ok' || rejected) {
        failedCell = i + 1;
        stoppedBySignal = outcome.status === 'interrupted';
        error = outcome.status === 'interrupted' ? `${why()}: ${outcome.errorText}` : [outcome.status === 'ok' ? '' : outcome.errorText || outcome.status, rejected].filter(Boolean).join('\n');
        if (!cell.outputs.some((o) => o.output_type === 'error')) {
          const ename = outcome.status === 'error' ? 'CellError' : outcome.status === 'ok' ? 'BAD_SIGNATURE' : outcome.status.toUpperCase();
          cell.outputs.push({ output_type: 'error', ename, evalue: error.split('\n')[0], traceback: error.split('\n') });
        }
        break;
      }
    }
  } catch (err) {
    stoppedBySignal = interrupted();
    error = stoppedBySignal ? `${why()}: ${(err as Error).message}` : (err as Error).message;
    failedCell = failedCell ?? 0;
  } finally {
    await kernel?.shutdown();
  }
  // Forged or corrupted messages that arrived after the last cell still fail the run.
  const late = rejectedNow();
  if (late) {
    failedCell = failedCell ?? notebook.cells.length;
    error = [error, late].filter(Boolean).join('\n');
  }
  const status = stoppedBySignal ? 'interrupted' : failedCell === null ? 'ok' : 'failed';
  notebook.metadata.nnft = { status, seconds: (Date.now() - start) / 1000, failedCell, scale: options.env.NNFT_SCALE };
  return { file, name, status, seconds: (Date.now() - start) / 1000, failedCell, error, checks, figures, notebook };
}
