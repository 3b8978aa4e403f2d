/**
 * Markdown with LaTeX for the offline report: `$...$` and `$$...$$` are typeset by KaTeX on the
 * server side, the rest goes through marked. Code spans and fences are left alone. The KaTeX
 * style sheet carries its fonts inline (woff2 as data URIs) so the report needs no network.
 */
import * as fs from 'fs';
import * as path from 'path';
import { marked } from 'marked';

// katex ships no type declarations; this is the one function used.
const katex = require('katex') as { renderToString(tex: string, options: { displayMode: boolean; throwOnError: boolean }): string };

const CODE = /(```[\s\S]*?```|`[^`\n]*`)/g;
const DISPLAY_MATH = /\$\$([\s\S]+?)\$\$/g;
const INLINE_MATH = /(^|[^\\$])\$([^$\n]+?)\$/g;

export function renderMarkdown(source: string): string {
  const rendered: string[] = [];
  const stash = (html: string) => `KATEXPLACEHOLDER${rendered.push(html) - 1}END`;
  const typeset = (tex: string, displayMode: boolean) => stash(katex.renderToString(tex, { displayMode, throwOnError: false }));
  const withPlaceholders = source
    .split(CODE)
    .map((part, i) =>
      i % 2 === 1
        ? part
        : part.replace(DISPLAY_MATH, (_m, tex: string) => typeset(tex, true)).replace(INLINE_MATH, (_m, before: string, tex: string) => before + typeset(tex, false)),
    )
    .join('');
  const html = marked.parse(withPlaceholders) as string;
  return html.replace(/KATEXPLACEHOLDER(\d+)END/g, (_m, k: string) => rendered[Number(k)]);
}

/** KaTeX's style sheet with its woff2 fonts inlined (the woff/ttf fallbacks are dropped). */
export function katexStyle(): string {
  const dist = path.dirname(require.resolve('katex/dist/katex.min.css'));
  const css = fs.readFileSync(path.join(dist, 'katex.min.css'), 'utf8');
  return css.replace(/src:url\(fonts\/([^)]+)\.woff2\) format\("woff2"\)[^;}]*/g, (_m, font: string) => {
    const data = fs.readFileSync(path.join(dist, 'fonts', `${font}.woff2`)).toString('base64');
    return `src:url(data:font/woff2;base64,${data}) format("woff2")`;
  });
}
