/**
 * The thin layer between pure builders (figures, tables, checks) and wherever the result is
 * shown. Inside a tslab kernel it sends Jupyter MIME bundles; anywhere else it prints text.
 *
 * MIME types used:
 *   application/vnd.plotly.v1+json   plotly figure {data, layout, config} (JupyterLab, VS Code,
 *                                    the nnft HTML report and figure export read this one)
 *   text/html                        fallback that draws the figure with an inlined plotly.js
 *   application/vnd.nnft.check+json  one Checks-cell assertion {name, passed, detail}
 *   text/plain                       a text rendering of every bundle
 */
import * as fs from 'fs';

export type MimeBundle = Record<string, unknown>;

interface DisplayPayload {
  data: MimeBundle;
  metadata: Record<string, unknown>;
  transient: { display_id?: string };
}

type WriteDisplayData = (payload: DisplayPayload, update: boolean) => void;

let displayCounter = 0;

/** tslab's hook for the cell being executed, or null outside a tslab kernel. */
function tslabWriter(): WriteDisplayData | null {
  try {
    // The kernel's own module instance: the kernelspec launches this project's tslab.
    const jupyter = require('tslab/dist/jupyter') as { lastWriteDisplayData: WriteDisplayData | null };
    return jupyter.lastWriteDisplayData ?? null;
  } catch {
    return null;
  }
}

/** True when running inside a tslab kernel cell. */
export function inKernel(): boolean {
  return tslabWriter() !== null;
}

/**
 * Send a MIME bundle to the notebook (or print its text/plain part outside a kernel).
 * Returns a handle whose `update` replaces the same output in place.
 */
export function displayBundle(data: MimeBundle, metadata: Record<string, unknown> = {}): { update(data: MimeBundle): void } {
  const write = tslabWriter();
  if (!write) {
    const text = data['text/plain'];
    if (typeof text === 'string') console.log(text);
    return { update: (next) => void (typeof next['text/plain'] === 'string' && console.log(next['text/plain'])) };
  }
  const displayId = `nnft-${process.pid}-${++displayCounter}`;
  write({ data, metadata, transient: { display_id: displayId } }, false);
  return {
    update: (next) => write({ data: next, metadata, transient: { display_id: displayId } }, true),
  };
}

let plotlyShipped = false;

/** The plotly.js bundle as text (read once). */
export function plotlyBundleSource(): string {
  return fs.readFileSync(require.resolve('plotly.js-dist-min'), 'utf8');
}

/**
 * HTML that draws a plotly figure. The first call in a process inlines plotly.js itself (so the
 * notebook renders with no network); later calls reuse the page's window.Plotly.
 */
export function plotlyHtml(figure: { data: unknown; layout: unknown; config?: unknown }): string {
  const id = `nnft-plot-${process.pid}-${++displayCounter}`;
  const library = plotlyShipped ? '' : `<script type="text/javascript">${plotlyBundleSource()}</script>`;
  plotlyShipped = true;
  const json = JSON.stringify({ data: figure.data, layout: figure.layout, config: figure.config ?? {} }).replace(/</g, '\\u003c');
  return (
    `${library}<div id="${id}"></div><script type="text/javascript">(function(){var f=${json};` +
    `if(window.Plotly){window.Plotly.newPlot("${id}",f.data,f.layout,f.config);}` +
    `else{document.getElementById("${id}").textContent="(plotly.js is not loaded in this page: re-run the notebook's first figure cell)";}})();</script>`
  );
}

/**
 * DataFrame options that show a table whole: danfojs prints at most 10 rows and 10 columns by
 * default and elides the rest. `new dfd.DataFrame(rows, nnft.FULL_TABLE).toString()`.
 */
export const FULL_TABLE = Object.freeze({ config: Object.freeze({ tableMaxRow: 100000, tableMaxColInConsole: 1000 }) });
