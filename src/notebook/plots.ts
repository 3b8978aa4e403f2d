/**
 * Figure builders. Each returns a plain plotly figure `{data, layout}` and draws nothing: showing
 * it (`show`) and exporting it (the lecture runner) are separate, thin layers.
 */
import { displayBundle, plotlyHtml } from '../core/display';
import { fail } from '../core/validate';

/** A plotly trace (kept loose on purpose: any plotly.js trace attributes are allowed). */
export type Trace = Record<string, unknown>;

export interface Figure {
  data: Trace[];
  layout: Record<string, unknown>;
  config?: Record<string, unknown>;
}

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf'];

/** The i-th colour of the house palette. */
export function color(i: number): string {
  return COLORS[((i % COLORS.length) + COLORS.length) % COLORS.length];
}

/** Points with symmetric error bars (Monte Carlo estimates). */
export function errorBarTrace(name: string, x: readonly (number | string)[], y: readonly number[], err: readonly number[], colorIndex = 0): Trace {
  return {
    type: 'scatter',
    mode: 'markers',
    name,
    x: [...x],
    y: [...y],
    error_y: { type: 'data', array: [...err], visible: true, thickness: 1.2, width: 3 },
    marker: { color: color(colorIndex), size: 6 },
  };
}

/** A smooth curve (an exact or theory prediction). */
export function curveTrace(name: string, x: readonly number[], y: readonly number[], colorIndex = 0, dash = 'solid'): Trace {
  return { type: 'scatter', mode: 'lines', name, x: [...x], y: [...y], line: { color: color(colorIndex), dash, width: 2 } };
}

/**
 * The normal density N(0, variance) on a grid, as a curve (by default dashed, in the palette's
 * neutral colour): the Gaussian that histograms of outputs or pulls are compared with.
 */
export function normalDensityTrace(name: string, grid: readonly number[], variance = 1, colorIndex = 7, dash = 'dash'): Trace {
  if (typeof variance !== 'number' || !Number.isFinite(variance) || variance <= 0) {
    throw new RangeError(`normalDensityTrace: variance must be a positive finite number, got ${String(variance)}`);
  }
  return curveTrace(name, grid, grid.map((z) => Math.exp(-z * z / (2 * variance)) / Math.sqrt(2 * Math.PI * variance)), colorIndex, dash);
}

/** A shaded band y +- err (for dense Monte Carlo curves). */
export function bandTraces(name: string, x: readonly number[], y: readonly number[], err: readonly number[], colorIndex = 0): Trace[] {
  const upper = y.map((v, i) => v + err[i]);
  const lower = y.map((v, i) => v - err[i]);
  return [
    { type: 'scatter', mode: 'lines', x: [...x], y: upper, line: { width: 0 }, showlegend: false, hoverinfo: 'skip' },
    {
      type: 'scatter',
      mode: 'lines',
      name,
      x: [...x],
      y: lower,
      fill: 'tonexty',
      fillcolor: hexToRgba(color(colorIndex), 0.25),
      line: { width: 0 },
    },
  ];
}

/** Histogram bins: edges from `start` to `end` in steps of `size`. */
export interface Bins {
  start: number;
  end: number;
  size: number;
}

/**
 * A histogram normalised to a probability density, binned here (float64) and drawn as steps, so
 * the figure carries one number per bin rather than every sample. `bins` is a bin count (edges
 * spanning the samples) or fixed edges, which keep several histograms comparable with each other
 * and with an overlaid density. Samples outside fixed edges are counted in the normalisation but
 * not drawn; the legend says how many fell outside.
 */
export function histogramTrace(name: string, samples: ArrayLike<number>, colorIndex = 0, bins: number | Bins = 60): Trace {
  const n = samples.length;
  let edges: Bins;
  if (typeof bins === 'number') {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < n; i++) {
      lo = Math.min(lo, samples[i]);
      hi = Math.max(hi, samples[i]);
    }
    const size = hi > lo ? (hi - lo) / bins : 1;
    edges = { start: lo, end: lo + size * bins, size };
  } else {
    edges = bins;
  }
  const count = Math.max(1, Math.round((edges.end - edges.start) / edges.size));
  const counts = new Float64Array(count);
  let outside = 0;
  for (let i = 0; i < n; i++) {
    const k = Math.floor((samples[i] - edges.start) / edges.size);
    if (k >= 0 && k < count) counts[k] += 1;
    else if (samples[i] === edges.end) counts[count - 1] += 1;
    else outside += 1;
  }
  const centers = Array.from({ length: count }, (_, k) => edges.start + (k + 0.5) * edges.size);
  return {
    type: 'scatter',
    mode: 'lines',
    name: outside > 0 ? `${name} (${outside} of ${n} outside)` : name,
    x: centers,
    y: Array.from(counts, (c) => c / (n * edges.size)),
    line: { shape: 'hvh', color: color(colorIndex), width: 2 },
  };
}

/** A heatmap of a matrix. */
export function heatmapTrace(name: string, z: readonly (readonly number[])[], x?: readonly number[], y?: readonly number[]): Trace {
  return { type: 'heatmap', name, z: z.map((r) => [...r]), x: x ? [...x] : undefined, y: y ? [...y] : undefined, colorscale: 'Viridis' };
}

export interface AxisOptions {
  title: string;
  log?: boolean;
  /** Categorical axis (string labels). */
  category?: boolean;
}

function axisType(a: AxisOptions): string {
  return a.log ? 'log' : a.category ? 'category' : 'linear';
}

/** Assemble a figure with the house layout. */
export function figure(
  title: string,
  traces: Trace[],
  xaxis: AxisOptions,
  yaxis: AxisOptions,
  extra: Record<string, unknown> = {},
): Figure {
  return {
    data: traces,
    layout: {
      title: { text: title },
      xaxis: { title: { text: xaxis.title }, type: axisType(xaxis), zeroline: false },
      yaxis: { title: { text: yaxis.title }, type: axisType(yaxis), zeroline: false },
      template: 'plotly_white',
      width: 760,
      height: 460,
      margin: { l: 70, r: 20, t: 60, b: 60 },
      legend: { orientation: 'v' },
      ...extra,
    },
  };
}

/** Several figures' traces side by side (one column per figure, shared legend). */
export function grid(title: string, panels: Figure[], height = 420): Figure {
  const n = panels.length;
  const data: Trace[] = [];
  const layout: Record<string, unknown> = {
    title: { text: title },
    grid: { rows: 1, columns: n, pattern: 'independent' },
    width: Math.max(760, 380 * n),
    height,
    margin: { l: 60, r: 20, t: 80, b: 60 },
    annotations: [] as unknown[],
  };
  panels.forEach((panel, i) => {
    const suffix = i === 0 ? '' : String(i + 1);
    for (const trace of panel.data) data.push({ ...trace, xaxis: `x${suffix}`, yaxis: `y${suffix}`, showlegend: i === 0 ? trace.showlegend : false });
    layout[`xaxis${suffix}`] = panel.layout.xaxis;
    layout[`yaxis${suffix}`] = panel.layout.yaxis;
    const panelTitle = (panel.layout.title as { text?: string } | undefined)?.text ?? '';
    (layout.annotations as unknown[]).push({
      text: `<b>${panelTitle}</b>`,
      showarrow: false,
      xref: `x${suffix} domain`,
      yref: `y${suffix} domain`,
      x: 0.5,
      y: 1.08,
    });
  });
  return { data, layout };
}

function hexToRgba(hex: string, alpha: number): string {
  const v = parseInt(hex.slice(1), 16);
  return `rgba(${(v >> 16) & 255}, ${(v >> 8) & 255}, ${v & 255}, ${alpha})`;
}

/**
 * Show a figure in the notebook. `name` is the file stem the lecture runner uses when it exports
 * the figure (PNG and SVG); give every figure of a notebook a distinct one.
 */
export function show(fig: Figure, name: string): void {
  const bundle = {
    'application/vnd.plotly.v1+json': { data: fig.data, layout: fig.layout, config: fig.config ?? {} },
    'text/html': plotlyHtml(fig),
    'text/plain': `[figure ${name}: ${(fig.layout.title as { text?: string } | undefined)?.text ?? ''}]`,
  };
  displayBundle(bundle, { nnft: { figure: name } });
}

/**
 * Show a picture given as SVG text (e.g. `closedBraidSvg`) in the notebook: an `image/svg+xml`
 * bundle with a text/plain fallback. `name` is the file stem the lecture runner uses when it exports
 * it (the SVG as it is, and a PNG); give every figure of a notebook a distinct one.
 */
export function showSvg(svg: string, name: string): void {
  if (typeof svg !== 'string' || !/^\s*<svg[\s>]/.test(svg)) fail('showSvg', 'svg', 'SVG text starting with <svg', typeof svg === 'string' ? `${svg.slice(0, 40)}...` : svg);
  if (typeof name !== 'string' || !/^[\w.-]+$/.test(name)) fail('showSvg', 'name', 'a file stem of letters, digits, _, . and -', name);
  displayBundle({ 'image/svg+xml': svg, 'text/plain': `[figure ${name} (SVG)]` }, { nnft: { figure: name } });
}
