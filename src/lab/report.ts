/**
 * One self-contained HTML report of executed notebooks: plotly.js inlined once, every figure
 * drawn from its JSON, LaTeX typeset by KaTeX with inlined fonts; no network needed to view it.
 */
import { CHECK_MIME, CheckResult } from '../notebook/checks';
import { plotlyBundleSource } from '../core/display';
import { katexStyle, renderMarkdown } from './markdown';
import { Output, cellSource } from './notebook';
import { NotebookRun } from './run-notebook';

const PLOTLY_MIME = 'application/vnd.plotly.v1+json';

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** JSON safe to embed inside a <script> element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

function joined(text: unknown): string {
  return Array.isArray(text) ? text.join('') : String(text ?? '');
}

function renderOutput(o: Output, figureId: () => string): string {
  if (o.output_type === 'stream') {
    return `<pre class="stream ${o.name === 'stderr' ? 'stderr' : ''}">${escapeHtml(joined(o.text))}</pre>`;
  }
  if (o.output_type === 'error') {
    return `<pre class="error">${escapeHtml(`${o.ename}: ${o.evalue}\n${(o.traceback as string[] | undefined ?? []).join('\n')}`)}</pre>`;
  }
  const data = (o.data ?? {}) as Record<string, unknown>;
  if (data[CHECK_MIME]) {
    const c = data[CHECK_MIME] as CheckResult;
    return `<div class="check ${c.passed ? 'pass' : 'fail'}">${c.passed ? '&#10003; PASS' : '&#10007; FAIL'} <b>${escapeHtml(c.name)}</b> ${escapeHtml(c.detail)}</div>`;
  }
  if (data[PLOTLY_MIME]) {
    const id = figureId();
    return `<div class="figure" id="${id}"></div><script type="application/json" data-figure="${id}">${scriptJson(data[PLOTLY_MIME])}</script>`;
  }
  if (typeof data['image/png'] === 'string') return `<img src="data:image/png;base64,${data['image/png']}">`;
  if (typeof data['image/svg+xml'] === 'string') return joined(data['image/svg+xml']);
  if (data['text/html'] !== undefined) return `<div class="html">${joined(data['text/html'])}</div>`;
  if (data['text/markdown'] !== undefined) return renderMarkdown(joined(data['text/markdown']));
  if (data['text/plain'] !== undefined) return `<pre>${escapeHtml(joined(data['text/plain']))}</pre>`;
  return '';
}

export function buildReport(runs: readonly NotebookRun[], title: string, scale: string): string {
  let counter = 0;
  const figureId = () => `fig-${++counter}`;
  const rows = runs
    .map((r) => {
      const passed = r.checks.filter((c) => c.passed).length;
      return `<tr class="${r.status}"><td><a href="#${r.name}">${escapeHtml(r.name)}</a></td><td>${r.seconds.toFixed(1)}</td><td>${r.status}${r.failedCell ? ` (cell ${r.failedCell})` : ''}</td><td>${passed}/${r.checks.length}</td></tr>`;
    })
    .join('\n');
  const sections = runs
    .map((r) => {
      const cells = r.notebook.cells
        .map((cell, i) => {
          if (cell.cell_type === 'markdown') return `<div class="markdown">${renderMarkdown(cellSource(cell))}</div>`;
          if (cell.cell_type !== 'code') return '';
          const outs = (cell.outputs ?? []).map((o) => renderOutput(o, figureId)).join('\n');
          const code = `<pre class="code"><code>${escapeHtml(cellSource(cell))}</code></pre>`;
          // An exercise's solution keeps its code folded, as Jupyter shows it (source_hidden).
          const hidden = (cell.metadata?.jupyter as { source_hidden?: boolean } | undefined)?.source_hidden === true;
          const source = hidden ? `<details><summary>solution (code hidden; click to show)</summary>${code}</details>` : code;
          return `<div class="cell${r.failedCell === i + 1 ? ' failed' : ''}"><div class="prompt">[${cell.execution_count ?? ' '}] cell ${i + 1}</div>${source}${outs}</div>`;
        })
        .join('\n');
      const failure = r.status !== 'ok' ? `<pre class="error">${r.status === 'interrupted' ? 'Interrupted' : 'Failed'} at cell ${r.failedCell}: ${escapeHtml(r.error)}</pre>` : '';
      return `<section id="${r.name}"><h1 class="nb">${escapeHtml(r.name)}</h1>${failure}${cells}</section>`;
    })
    .join('\n');
  const plotly = plotlyBundleSource().replace(/<\/script/gi, '<\\/script');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>
body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
pre{background:#f6f8fa;padding:.6em;overflow-x:auto;font-size:13px}
pre.code{border-left:3px solid #1f77b4}
pre.stderr{background:#fff4e5}
pre.error{background:#fdecea;color:#8b0000}
.prompt{color:#888;font-size:12px;margin-top:1em}
.cell.failed{outline:2px solid #d62728}
.check{font-family:monospace;padding:.2em .4em}
.check.pass{color:#1a7f37}.check.fail{color:#d62728}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .8em}
tr.failed,tr.interrupted{background:#fdecea}
h1.nb{border-top:2px solid #333;padding-top:.6em;margin-top:2em}
</style>
<style>${katexStyle()}</style>
<script type="text/javascript">${plotly}</script>
</head><body>
<h1>${escapeHtml(title)}</h1>
<p>Scale: <b>${escapeHtml(scale)}</b>. Generated ${new Date().toISOString()}.</p>
<table><tr><th>notebook</th><th>seconds</th><th>status</th><th>checks passed</th></tr>
${rows}
</table>
${sections}
<script type="text/javascript">
document.querySelectorAll('script[data-figure]').forEach(function (s) {
  var fig = JSON.parse(s.textContent);
  Plotly.newPlot(s.getAttribute('data-figure'), fig.data, fig.layout, Object.assign({ responsive: true }, fig.config || {}));
});
</script>
</body></html>
`;
}
