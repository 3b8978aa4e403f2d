/**
 * Driving the Jupyter Notebook 6 UI with playwright-core, as a student does: pick the kernel in
 * the "Kernel not found" dialog, Cell > Run All, watch the prompts and the kernel indicator, then
 * read what the page shows. Page-side code reaches the DOM through globalThis (the test project
 * compiles without the DOM lib).
 */
import type { Page } from 'playwright-core';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Wait for the "Kernel not found" dialog and choose `displayName` in its kernel list. */
export async function pickKernelInDialog(page: Page, displayName: string, timeoutMs = 60000): Promise<string[]> {
  const dialog = page.locator('.modal-dialog').filter({ hasText: 'Kernel not found' });
  await dialog.waitFor({ state: 'visible', timeout: timeoutMs });
  const select = dialog.locator('select');
  const offered = (await select.locator('option').allTextContents()).map((s) => s.trim());
  if (!offered.includes(displayName)) throw new Error(`the kernel dialog offers ${JSON.stringify(offered)}, not ${JSON.stringify(displayName)}`);
  await select.selectOption({ label: displayName });
  await dialog.getByRole('button', { name: 'Set Kernel' }).click();
  await dialog.waitFor({ state: 'detached', timeout: 15000 });
  return offered;
}

/** The kernel name the indicator in the menu bar shows, once it shows one (it is set as soon as a kernel is chosen). */
export async function kernelIndicatorName(page: Page, timeoutMs = 15000): Promise<string> {
  const name = page.locator('#kernel_indicator .kernel_indicator_name');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = ((await name.textContent()) ?? '').trim();
    if ((text && text !== 'Kernel' && text !== 'No Kernel') || Date.now() > deadline) return text;
    await sleep(200);
  }
}

/** Wait until the kernel indicator shows the kernel idle (started and answering). */
export async function waitForIdleKernel(page: Page, timeoutMs: number): Promise<void> {
  await page.locator('#kernel_indicator_icon.kernel_idle_icon').waitFor({ state: 'attached', timeout: timeoutMs });
}

/** Cell > Run All through the menu bar. */
export async function runAll(page: Page): Promise<void> {
  await page.click('#celllink');
  await page.click('#run_all_cells > a');
}

export interface RunState {
  prompts: string[]; // the "In [n]:" prompt of every code cell
  kernelIcon: string; // class of the kernel indicator icon: kernel_idle_icon / kernel_busy_icon / kernel_dead_icon ...
  kernelTitle: string;
  errorOutputs: string[]; // text of error outputs (.output_error) and stderr streams (.output_stderr)
  dialogs: string[]; // titles of open modal dialogs (e.g. "Dead kernel")
}

export async function runState(page: Page): Promise<RunState> {
  return page.evaluate(() => {
    const doc = (globalThis as any).document;
    const all = (sel: string): any[] => Array.from(doc.querySelectorAll(sel));
    const icon = doc.querySelector('#kernel_indicator_icon');
    return {
      prompts: all('.cell.code_cell .input_prompt').map((e) => (e.textContent || '').replace(/\s+/g, ' ').trim()),
      kernelIcon: icon ? String(icon.getAttribute('class') || '') : '',
      kernelTitle: icon ? String(icon.getAttribute('title') || '') : '',
      errorOutputs: all('.output_area .output_error, .output_area .output_stderr').map((e) => (e.textContent || '').trim().slice(0, 2000)),
      dialogs: all('.modal.in .modal-title').map((e) => (e.textContent || '').trim()),
    };
  });
}

const numbered = (p: string) => /^In ?\[\d+\]:?$/.test(p);
const running = (p: string) => p.includes('*');

/**
 * After Run All: poll until no prompt shows `[*]` and the kernel is idle (all cells answered), or a
 * cell shows an error, or a dialog (dead kernel...) opens, or the time is up. Returns the final
 * state; the caller asserts on it.
 */
export async function waitForRunAll(page: Page, timeoutMs: number, onProgress?: (s: RunState) => void): Promise<RunState & { timedOut: boolean; seconds: number }> {
  const t0 = Date.now();
  let sawRunning = false;
  let last = '';
  for (;;) {
    const s = await runState(page);
    const seconds = (Date.now() - t0) / 1000;
    if (s.prompts.some(running)) sawRunning = true;
    const summary = `${s.prompts.filter(numbered).length}/${s.prompts.length} done, ${s.prompts.filter(running).length} queued/running, ${s.kernelIcon}`;
    if (summary !== last && onProgress) onProgress(s);
    last = summary;
    const idle = s.kernelIcon.includes('kernel_idle');
    // Right after the click the prompts switch to [*] synchronously; allow 5 s for that to show.
    const settled = idle && !s.prompts.some(running) && (sawRunning || seconds > 5);
    if (settled || s.errorOutputs.length > 0 || s.dialogs.length > 0) {
      // Outputs can still be arriving on the iopub channel after the prompts and the indicator say
      // done (a cell's stderr was seen to land after them): give them a moment, then read again.
      await sleep(2000);
      return { ...(await runState(page)), timedOut: false, seconds };
    }
    if (Date.now() - t0 > timeoutMs) return { ...s, timedOut: true, seconds };
    await sleep(500);
  }
}

export interface Figure {
  cell: number; // index among code cells
  traces: number; // g.trace groups drawn in the plot's SVG
  svgs: number;
}

export interface PageOutputs {
  figures: Figure[];
  fallbackNotices: number; // plotly HTML that found no window.Plotly
  textByCell: string[]; // all text outputs (stream and text/plain) of each code cell
  renderedAs: Record<string, number>; // output subarea classes (output_html, output_text, output_stream...) -> count
  kernelMimeTypes: Record<string, number>; // mime types the kernel sent (notebook model), for the report
  windowPlotly: string | null; // window.Plotly.version in the page
}

export async function readOutputs(page: Page): Promise<PageOutputs> {
  return page.evaluate(() => {
    const g = globalThis as any;
    const doc = g.document;
    const cells: any[] = Array.from(doc.querySelectorAll('.cell.code_cell'));
    const figures: { cell: number; traces: number; svgs: number }[] = [];
    const textByCell: string[] = [];
    const renderedAs: Record<string, number> = {};
    cells.forEach((cell, i) => {
      for (const plot of Array.from(cell.querySelectorAll('.output_area .js-plotly-plot')) as any[]) {
        figures.push({ cell: i, svgs: plot.querySelectorAll('svg.main-svg').length, traces: plot.querySelectorAll('svg.main-svg g.trace').length });
      }
      textByCell.push(
        (Array.from(cell.querySelectorAll('.output_area .output_text')) as any[]).map((e) => e.textContent || '').join('\n'),
      );
      for (const sub of Array.from(cell.querySelectorAll('.output_area .output_subarea')) as any[]) {
        for (const c of Array.from(sub.classList) as string[]) if (c.startsWith('output_') && c !== 'output_subarea') renderedAs[c] = (renderedAs[c] || 0) + 1;
      }
    });
    const kernelMimeTypes: Record<string, number> = {};
    try {
      for (const c of g.Jupyter.notebook.get_cells()) {
        for (const o of (c.output_area && c.output_area.outputs) || []) {
          const keys = o.data ? Object.keys(o.data) : [`(${o.output_type}${o.name ? ' ' + o.name : ''})`];
          for (const k of keys) kernelMimeTypes[k] = (kernelMimeTypes[k] || 0) + 1;
        }
      }
    } catch {
      // report only
    }
    // innerText leaves out <script> bodies (whose source contains the same sentence).
    const fallback = (Array.from(doc.querySelectorAll('.output_area .output_html')) as any[]).filter((e) =>
      String(e.innerText || '').includes('plotly.js is not loaded in this page'),
    ).length;
    return { figures, fallbackNotices: fallback, textByCell, renderedAs, kernelMimeTypes, windowPlotly: g.Plotly ? String(g.Plotly.version) : null };
  });
}
