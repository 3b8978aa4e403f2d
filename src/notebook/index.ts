/**
 * What lecture notebooks are built from: plotly figures (plots), self-checking cells that compare
 * Monte Carlo with exact results at a stated z and fail the notebook when they disagree (checks),
 * the ci/full run scale with the output folder (scale), tables printed and saved beside the figures
 * (tables), pulls and jackknifed kurtosis (estimates), and percent progress (progress). Notebooks
 * stay thin: logic used twice lives here or in the topic folders.
 */
export { CHECK_MIME, Checks, checks } from './checks';
export type { CheckResult, NamedTail } from './checks';
export { jackknifeKurtosis, pullSummary, pulls } from './estimates';
export type { PullSummary } from './estimates';
export { bandTraces, color, curveTrace, errorBarTrace, figure, grid, heatmapTrace, histogramTrace, normalDensityTrace, show, showSvg } from './plots';
export type { AxisOptions, Bins, Figure, Trace } from './plots';
export { atScale, outputDir, scale } from './scale';
export type { Scale } from './scale';
export { percentTicks } from './progress';
export { formatTable, printTable, saveTable, tableCsv } from './tables';
export type { TableCell, TableOptions, TableRow } from './tables';
