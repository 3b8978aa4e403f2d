import * as fs from 'fs';
import * as path from 'path';
import type { Browser } from 'playwright-core';
import { CHROMIUM_ARGS } from '../src/lab/export';
import { CHROMIUM, missingPackages, makeWorkspace, NotebookServer, removeWorkspace, request, ROOT, Workspace } from './browser/notebook-server';
import { kernelIndicatorName, pickKernelInDialog, readOutputs, runAll, runState, waitForIdleKernel, waitForRunAll } from './browser/notebook-page';

// A student's session in a real browser: Debian's Jupyter Notebook 6 serving a copy of lecture
// 3.1 with JUPYTER_PATH=kernels, headless Chromium driven by playwright-core. The copy carries the
// kernelspec metadata a stock tslab install writes ("tslab", language typescript), which this
// server does not have, so Notebook 6 asks for a kernel and the test picks "TypeScript (nnft)" by
// its display name; then Cell > Run All at NNFT_SCALE=ci, and the page must show plotly figures
// with traces, the Checks cell's PASS lines, and no error output.
//
// Missing chromium or jupyter-notebook is a failure naming the package and .ci/setup, not a skip.

const NOTEBOOK = '03-1-nngp-correspondence.ipynb';
const KERNEL_DISPLAY_NAME = 'TypeScript (nnft)';
const KERNEL_SPEC_NAME = 'nnft-typescript';
const TEST_TIMEOUT_MS = 6 * 60 * 1000;
const KERNEL_START_MS = 90 * 1000;
const RUN_ALL_MS = 4 * 60 * 1000;

let ws: Workspace | undefined;
let server: NotebookServer | undefined;
let browser: Browser | undefined;

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await server?.stop();
  removeWorkspace(ws);
}, 30000);

describe('Jupyter Notebook 6 in a browser', () => {
  test(
    `${NOTEBOOK}: pick "${KERNEL_DISPLAY_NAME}", Run All, figures and checks render`,
    async () => {
      const missing = missingPackages();
      if (missing) throw new Error(`browser test: ${missing}`);
      const t0 = Date.now();
      const phase: Record<string, number> = {};
      const mark = (name: string) => (phase[name] = Math.round((Date.now() - t0) / 100) / 10);

      ws = makeWorkspace(NOTEBOOK, (metadata) => {
        metadata.kernelspec = { name: 'tslab', display_name: 'TypeScript', language: 'typescript' };
      });
      const codeSources: string[] = (JSON.parse(fs.readFileSync(ws.notebookPath, 'utf8')).cells as { cell_type: string; source: string | string[] }[])
        .filter((c) => c.cell_type === 'code')
        .map((c) => (Array.isArray(c.source) ? c.source.join('') : c.source));
      const figureCells = codeSources.flatMap((s, i) => (/\bnnft\.show\(/.test(s) ? [i] : []));
      const checksCell = codeSources.findIndex((s) => /\.report\(\)/.test(s));
      expect(figureCells.length).toBeGreaterThan(0);
      expect(checksCell).toBeGreaterThanOrEqual(0);

      server = await NotebookServer.start(ws, { NNFT_SCALE: 'ci' });
      mark('server up');
      const specs = JSON.parse((await request(server.api('kernelspecs'))).body) as { kernelspecs: Record<string, { spec: { display_name: string } }> };
      expect(specs.kernelspecs[KERNEL_SPEC_NAME]?.spec.display_name).toBe(KERNEL_DISPLAY_NAME);
      if (specs.kernelspecs.tslab) throw new Error('a "tslab" kernelspec is installed system-wide, so Notebook 6 would not ask for a kernel: the test needs it absent');

      const { chromium } = require('playwright-core') as typeof import('playwright-core');
      browser = await chromium.launch({ executablePath: CHROMIUM!, headless: true, args: CHROMIUM_ARGS });
      mark('browser up');
      const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      const pageErrors: string[] = [];
      page.on('pageerror', (e) => pageErrors.push(String(e && e.message)));
      await page.goto(server.notebookUrl(), { waitUntil: 'domcontentloaded', timeout: 60000 });
      mark('page loaded');
      const srv = server;
      const context = () => `\n--- server log (tail) ---\n${srv.tail(30)}\n--- page errors ---\n${pageErrors.slice(0, 10).join('\n')}`;

      // The notebook's "tslab" kernelspec is not installed here: Notebook 6 asks, offering the kernels of its language.
      const offered = await pickKernelInDialog(page, KERNEL_DISPLAY_NAME);
      mark('kernel picked');
      expect(await kernelIndicatorName(page)).toBe(KERNEL_DISPLAY_NAME);
      try {
        await waitForIdleKernel(page, KERNEL_START_MS);
      } catch (e) {
        throw new Error(`the "${KERNEL_DISPLAY_NAME}" kernel did not become idle within ${KERNEL_START_MS / 1000} s: ${(e as Error).message}${context()}`);
      }
      mark('kernel idle');
      const sessions = JSON.parse((await request(server.api('sessions'))).body) as { kernel: { name: string } }[];
      expect(sessions.map((s) => s.kernel.name)).toEqual([KERNEL_SPEC_NAME]);

      await runAll(page);
      const run = await waitForRunAll(page, RUN_ALL_MS);
      mark('run all done');
      const state = JSON.stringify({ prompts: run.prompts, kernel: `${run.kernelIcon} (${run.kernelTitle})`, dialogs: run.dialogs, errors: run.errorOutputs }, null, 1);
      if (run.timedOut) throw new Error(`Run All did not finish within ${RUN_ALL_MS / 1000} s: ${state}${context()}`);
      if (run.errorOutputs.length) throw new Error(`a cell shows an error: ${run.errorOutputs[0]}\n${state}${context()}`);
      if (run.dialogs.length) throw new Error(`a dialog opened during the run: ${run.dialogs.join(', ')}\n${state}${context()}`);
      // Every code cell has an execution count, in order, and the kernel is idle.
      expect(run.kernelIcon).toContain('kernel_idle');
      expect(run.prompts).toHaveLength(codeSources.length);
      expect(run.prompts).toEqual(run.prompts.map((_, i) => `In [${i + 1}]:`));

      const out = await readOutputs(page);
      mark('outputs read');
      const late = await runState(page);
      expect(late.errorOutputs).toEqual([]);
      expect(late.prompts).toEqual(run.prompts);

      // (a) plotly figures: Notebook 6 has no renderer for application/vnd.plotly.v1+json, so what
      // draws them is the text/html part of the bundle (plotly.js inlined by the first figure).
      expect(out.fallbackNotices).toBe(0);
      expect(out.windowPlotly).not.toBeNull();
      expect(out.figures.length).toBeGreaterThanOrEqual(figureCells.length);
      for (const cell of figureCells) expect({ cell, figures: out.figures.filter((f) => f.cell === cell).length > 0 }).toEqual({ cell, figures: true });
      for (const f of out.figures) {
        expect(f.svgs).toBeGreaterThan(0);
        expect({ cell: f.cell, hasTraces: f.traces > 0 }).toEqual({ cell: f.cell, hasTraces: true });
      }

      // (b) the Checks cell printed its verdicts ("PASS name: detail"), none failed, anywhere.
      const checkLines = out.textByCell[checksCell].split('\n').map((l) => l.trim()).filter((l) => /^(PASS|FAIL) /.test(l));
      expect(checkLines.length).toBeGreaterThan(0);
      expect(checkLines.filter((l) => l.startsWith('FAIL '))).toEqual([]);
      const failLines = out.textByCell.flatMap((t) => t.split('\n').filter((l) => /^\s*FAIL /.test(l)));
      expect(failLines).toEqual([]);
      // The run used the small scale (the first cell prints it).
      expect(out.textByCell[0]).toContain('scale=ci');

      console.log(
        `browser test: ${NOTEBOOK} in Notebook 6 + Chromium: kernel dialog offered ${JSON.stringify(offered)}; ` +
          `${out.figures.length} plotly figures (${out.figures.map((f) => f.traces).join(', ')} traces), ${checkLines.length} PASS lines; ` +
          `seconds since start: ${JSON.stringify(phase)}; Run All ${run.seconds.toFixed(1)} s\n` +
          `kernel sent: ${JSON.stringify(out.kernelMimeTypes)}\nrendered as: ${JSON.stringify(out.renderedAs)}; window.Plotly ${out.windowPlotly}` +
          (pageErrors.length ? `\npage errors: ${pageErrors.slice(0, 5).join(' | ')}` : ''),
      );
    },
    TEST_TIMEOUT_MS,
  );
});

// The workspace links to the checkout's build; fail clearly if there is none.
beforeAll(() => {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'index.js'))) throw new Error('dist/index.js is missing: run `bash .ci/setup` (it builds the library) before the browser test');
});
