/**
 * The lab: the headless lecture runner behind `nnft lectures`. A Jupyter client speaking the wire
 * protocol to a kernelspec's kernel (wire, jupyter-client, kernelspec), notebooks read, executed
 * cell by cell and written back atomically (notebook, run-notebook), figures exported through
 * Chromium (export), and the HTML report and summary (markdown, report, lectures). It sits on top
 * of everything else and nothing in the library imports it; the CLI does.
 */
export { DEFAULT_CELL_TIMEOUT_S, DEFAULT_KERNEL, defaultNotebooks, runLectures, summaryTable } from './lectures';
export type { LecturesOptions } from './lectures';
export { runNotebook } from './run-notebook';
export type { FigureOutput, NotebookRun, RunOptions } from './run-notebook';
export { readNotebook, writeNotebook } from './notebook';
export type { Cell, Notebook, Output } from './notebook';
export { KernelClient } from './jupyter-client';
export { findKernelSpec, kernelSearchDirs, readKernelSpec } from './kernelspec';
export type { KernelSpec } from './kernelspec';
