/**
 * Static figure export (PNG and SVG) through headless Chromium and plotly's own toImage; pictures
 * shown as SVG text (`showSvg`, MIME image/svg+xml) are written as they are and rendered to PNG by
 * the same browser. Chromium is looked up at $NNFT_CHROMIUM, then the usual system paths; without
 * one the export is skipped (the caller says so).
 */
import * as fs from 'fs';
import * as path from 'path';
import { writeFileAtomic } from '../core/io';
import { plotlyBundleSource } from '../core/display';
import { Notebook } from './notebook';
import { FigureOutput } from './run-notebook';

const PLOTLY_MIME = 'application/vnd.plotly.v1+json';
const SVG_MIME = 'image/svg+xml';

/** A picture shown as SVG text (`showSvg`): exported as `<name>.svg` (the text itself) and `<name>.png`. */
export interface SvgFigureOutput {
  readonly name: string;
  readonly cell: number;
  readonly svg: string;
}

/**
 * The SVG pictures among an executed notebook's outputs (image/svg+xml without a plotly figure beside
 * it), named by their `nnft.figure` metadata as `showSvg` sets it, else `<notebook>-cell<k>-svg<j>`.
 */
export function collectSvgFigures(notebook: Notebook, notebookName: string): SvgFigureOutput[] {
  const figures: SvgFigureOutput[] = [];
  notebook.cells.forEach((cell, i) => {
    let j = 0;
    for (const o of cell.outputs ?? []) {
      const data = (o.data ?? {}) as Record<string, unknown>;
      const svg = data[SVG_MIME];
      if (data[PLOTLY_MIME] !== undefined || svg === undefined) continue;
      j++;
      const named = ((o.metadata as Record<string, unknown> | undefined)?.nnft as { figure?: string } | undefined)?.figure;
      figures.push({ name: named ?? `${notebookName}-cell${i + 1}-svg${j}`, cell: i + 1, svg: Array.isArray(svg) ? svg.join('') : String(svg) });
    }
  });
  return figures;
}

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

export function findChromium(): string | null {
  const fromEnv = process.env.NNFT_CHROMIUM;
  if (fromEnv) return fs.existsSync(fromEnv) ? fromEnv : null;
  return CANDIDATES.find((c) => fs.existsSync(c)) ?? null;
}

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * Write `<dir>/<name>.png` and `<dir>/<name>.svg` for every figure, plotly figures and SVG pictures
 * alike (each file atomically); returns the files written. Aborting `signal` stops after the figure
 * in progress (and closes Chromium).
 */
export async function exportFigures(figures: readonly (FigureOutput | SvgFigureOutput)[], dir: string, chromium: string, signal?: AbortSignal): Promise<string[]> {
  if (figures.length === 0 || signal?.aborted) return [];
  // playwright-core is only needed here; load it lazily.
  const { chromium: launcher } = require('playwright-core') as typeof import('playwright-core');
  const browser = await launcher.launch({ executablePath: chromium, args: CHROMIUM_ARGS, headless: true });
  const written: string[] = [];
  try {
    const page = await browser.newPage();
    await page.setContent('<!DOCTYPE html><html><head></head><body></body></html>');
    if (figures.some((f) => !('svg' in f))) await page.addScriptTag({ content: plotlyBundleSource() });
    // SVG pictures: inlined in a page of their own, the element screenshotted at twice its size.
    let svgPage: Awaited<ReturnType<typeof browser.newPage>> | null = null;
    fs.mkdirSync(dir, { recursive: true });
    for (const f of figures) {
      if (signal?.aborted) break;
      if ('svg' in f) {
        svgPage ??= await browser.newPage({ deviceScaleFactor: 2 });
        await svgPage.setContent(`<!DOCTYPE html><html><head><style>body{margin:0;background:#fff}</style></head><body>${f.svg}</body></html>`);
        const element = await svgPage.$('svg');
        if (!element) throw new Error(`figure ${f.name}: no <svg> element to render`);
        const png = path.join(dir, `${f.name}.png`);
        writeFileAtomic(png, await element.screenshot({ type: 'png' }));
        const svg = path.join(dir, `${f.name}.svg`);
        writeFileAtomic(svg, f.svg);
        written.push(png, svg);
        continue;
      }
      const images = await page.evaluate(async (fig) => {
        const P = (globalThis as unknown as { Plotly: { toImage(f: unknown, o: unknown): Promise<string> } }).Plotly;
        const width = (fig.layout as { width?: number }).width ?? 760;
        const height = (fig.layout as { height?: number }).height ?? 460;
        const spec = { data: fig.data, layout: fig.layout, config: { staticPlot: true } };
        return { png: await P.toImage(spec, { format: 'png', width, height, scale: 2 }), svg: await P.toImage(spec, { format: 'svg', width, height }) };
      }, f.figure as { data: unknown; layout: unknown });
      const png = path.join(dir, `${f.name}.png`);
      writeFileAtomic(png, Buffer.from(images.png.replace(/^data:image\/png;base64,/, ''), 'base64'));
      const svg = path.join(dir, `${f.name}.svg`);
      const svgText = images.svg.startsWith('data:image/svg+xml;base64,')
        ? Buffer.from(images.svg.slice('data:image/svg+xml;base64,'.length), 'base64').toString('utf8')
        : decodeURIComponent(images.svg.replace(/^data:image\/svg\+xml,/, ''));
      writeFileAtomic(svg, svgText);
      written.push(png, svg);
    }
  } finally {
    await browser.close();
  }
  return written;
}
