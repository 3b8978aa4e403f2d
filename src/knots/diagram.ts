/**
 * Pictures of closed braids (NN-QFT triangle talk, first half, "Learning to Unknot", figure 1: knots
 * drawn as closed braids, the unknot, the trefoil, the figure-eight ...): `closedBraidSvg` draws the
 * closure of one braid word as a self-contained SVG, `braidDiagramGrid` several in a labelled grid.
 * Pure builders: they return SVG text and show nothing (`showSvg` in src/notebook/plots.ts displays).
 *
 * Drawing convention. Positions 1 .. n run from left to right. The word is read from the bottom up
 * (its first letter is the lowest crossing) and the strands are oriented upwards. The letter i > 0
 * (sigma_i) is drawn as in braid.ts: the strand that enters the crossing at position i (the left one)
 * leaves it at position i + 1 and passes over the strand going from position i + 1 to i. On screen the
 * stroke from lower left to upper right lies on top, a positive (right-handed) crossing of the upward
 * oriented strands; -i is its mirror, the stroke from lower right to upper left on top. This is the
 * crossing sign the invariants use (the closure of sigma_1^3 is the right-handed trefoil, V = t + t^3
 * - t^4; the invariants stack the letters downwards, which is this picture turned by pi about a
 * horizontal axis: the same link). The under-strand is broken by a gap at the crossing point.
 * The closure joins the top of every position to its bottom by nested arcs around the right side
 * (position n innermost), so the picture is the closed knot or link; each component of the closure
 * (a cycle of `strandPermutation`) has its own colour. One strand is a circle.
 *
 * The SVG is deterministic (same braid and options, same text), has no ids, scripts or external
 * references, and starts with `<svg`, so it can be inlined into HTML or written as an .svg file.
 * Element classes: `closure` (the arcs), `strand` (straight runs), `crossing` (one group per letter,
 * with `data-letter`, holding one `over` path and the two `under` halves on either side of the gap).
 */
import { checkPositiveInteger, checkPositiveNumber, fail } from '../core/validate';
import { Braid, braid, components, strandPermutation } from './braid';

/** Options of `closedBraidSvg`: the displayed size (the drawing scales to fit) and a title drawn above it. */
export interface ClosedBraidSvgOptions {
  /** Displayed width in pixels (default: the natural width, or the width that keeps the aspect ratio with `height`). */
  readonly width?: number;
  /** Displayed height in pixels (default: the natural height, or the height that keeps the aspect ratio with `width`). */
  readonly height?: number;
  /** A title drawn above the diagram (escaped). */
  readonly title?: string;
}

/** One panel of `braidDiagramGrid`. */
export interface BraidDiagramItem {
  readonly braid: Braid;
  readonly label: string;
}

/** Distance between neighbouring positions, height of one crossing, straight lead above and below the crossings. */
const DX = 40;
const DY = 40;
const LEAD = 12;
const MARGIN = 16;
const STROKE = 3;
/** Half the length of the gap in the under-strand, in drawing units (the gap is twice this). */
const GAP_HALF = 9;
/** Height of a closure arc's control points over its half-width. */
const CAP = 0.9;
const TITLE_HEIGHT = 26;
const LABEL_HEIGHT = 24;

/** The house palette (as src/notebook/plots.ts), then evenly spread hues for more components. */
const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf'];

function componentColor(k: number): string {
  return k < PALETTE.length ? PALETTE[k] : `hsl(${num((k * 137.508) % 360)},65%,42%)`;
}

/** A coordinate as short, deterministic text. */
function num(v: number): string {
  const r = Math.round(v * 100) / 100;
  return String(r === 0 ? 0 : r);
}

/** Text safe inside SVG/XML content and attribute values. */
function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

type Point = readonly [number, number];
type Cubic = readonly [Point, Point, Point, Point];

/** The part of a cubic Bezier curve between parameters t0 < t1 (de Casteljau). */
function subCubic(c: Cubic, t0: number, t1: number): Cubic {
  const lerp = (a: Point, b: Point, t: number): Point => [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];
  const split = (q: Cubic, t: number): [Cubic, Cubic] => {
    const [p0, p1, p2, p3] = q;
    const a = lerp(p0, p1, t);
    const b = lerp(p1, p2, t);
    const d = lerp(p2, p3, t);
    const e = lerp(a, b, t);
    const f = lerp(b, d, t);
    const m = lerp(e, f, t);
    return [
      [p0, a, e, m],
      [m, f, d, p3],
    ];
  };
  const right = split(c, t0)[1];
  return split(right, (t1 - t0) / (1 - t0))[0];
}

function cubicPath(c: Cubic): string {
  const [p0, p1, p2, p3] = c;
  return `M${num(p0[0])} ${num(p0[1])}C${num(p1[0])} ${num(p1[1])} ${num(p2[0])} ${num(p2[1])} ${num(p3[0])} ${num(p3[1])}`;
}

function strokeAttrs(color: string): string {
  return `fill="none" stroke="${color}" stroke-width="${STROKE}" stroke-linecap="round"`;
}

/** A drawing in its own coordinates [0, width] x [0, height]: the SVG elements without the root. */
interface Drawing {
  readonly width: number;
  readonly height: number;
  readonly body: string;
}

/** Check a braid given from outside (a record with a valid word and strand count). */
function checkBraid(fn: string, arg: string, b: unknown): Braid {
  if (!b || typeof b !== 'object' || !Array.isArray((b as Braid).word)) fail(fn, arg, 'a braid {strands, word}', b);
  return braid((b as Braid).word, (b as Braid).strands, fn);
}

/**
 * Component index (0, 1, ... in order of the lowest position of the cycle) of the strand that starts
 * at each bottom position: the cycles of `strandPermutation` (the closure joins top position q to
 * bottom position q).
 */
function componentOfPosition(b: Braid): number[] {
  const perm = strandPermutation(b);
  const comp = new Array<number>(b.strands).fill(-1);
  let count = 0;
  for (let p = 0; p < b.strands; p++) {
    if (comp[p] >= 0) continue;
    for (let q = p; comp[q] < 0; q = perm[q]) comp[q] = count;
    count++;
  }
  if (count !== components(b)) throw new Error('closedBraidSvg: component count disagrees with components() (a bug)');
  return comp;
}

/** The closed braid in natural units (no title). */
function drawClosedBraid(b: Braid): Drawing {
  const n = b.strands;
  if (n === 1) {
    const r = DX;
    const size = 2 * (r + MARGIN);
    return { width: size, height: size, body: `<circle class="closure" cx="${num(size / 2)}" cy="${num(size / 2)}" r="${num(r)}" ${strokeAttrs(componentColor(0))}/>` };
  }
  const c = b.word.length;
  const x = (p: number) => MARGIN + p * DX; // p 0-based
  // Closure arc of position p: half-width h_p about the common centre, control height CAP h_p; peak 3/4 of it.
  const half = (p: number) => ((2 * (n - p) - 1) * DX) / 2;
  const peak = 0.75 * CAP * half(0);
  const yTop = MARGIN + peak; // top of the braid box
  const yBottom = yTop + 2 * LEAD + Math.max(c, 1) * DY;
  const width = 2 * MARGIN + (2 * n - 1) * DX;
  const height = yBottom + peak + MARGIN;

  const at = componentOfPosition(b); // at[position] = component of the strand there, updated upwards
  const parts: string[] = [];

  // Closure arcs: top of position p, around the right, back to its bottom (nested, concentric).
  const closure: string[] = [];
  for (let p = 0; p < n; p++) {
    const xr = x(p) + 2 * half(p);
    const k = CAP * half(p);
    const d =
      `M${num(x(p))} ${num(yTop)}C${num(x(p))} ${num(yTop - k)} ${num(xr)} ${num(yTop - k)} ${num(xr)} ${num(yTop)}` +
      `L${num(xr)} ${num(yBottom)}C${num(xr)} ${num(yBottom + k)} ${num(x(p))} ${num(yBottom + k)} ${num(x(p))} ${num(yBottom)}`;
    closure.push(`<path class="closure" d="${d}" ${strokeAttrs(componentColor(at[p]))}/>`);
  }
  parts.push(`<g>${closure.join('')}</g>`);

  // Straight runs (merged between crossings) and the crossings, bottom to top.
  const runs: string[] = [];
  const crossings: string[] = [];
  const runStart = new Array<number>(n).fill(yBottom);
  const flush = (p: number, yEnd: number) => {
    if (runStart[p] > yEnd) runs.push(`<path class="strand" d="M${num(x(p))} ${num(runStart[p])}V${num(yEnd)}" ${strokeAttrs(componentColor(at[p]))}/>`);
  };
  // Parameter half-width of the gap: GAP_HALF over the speed |B'(1/2)| = |(1.5 DX, 0.75 DY)| of the crossing curves.
  const gap = GAP_HALF / Math.hypot(1.5 * DX, 0.75 * DY);
  b.word.forEach((g, k) => {
    const a = Math.abs(g) - 1; // left position, 0-based
    const y0 = yBottom - LEAD - k * DY; // bottom of the crossing
    const y1 = y0 - DY;
    const ym = (y0 + y1) / 2;
    flush(a, y0);
    flush(a + 1, y0);
    // The strand entering at the left goes up to the right, and vice versa; they cross at t = 1/2.
    const rising: Cubic = [[x(a), y0], [x(a), ym], [x(a + 1), ym], [x(a + 1), y1]];
    const falling: Cubic = [[x(a + 1), y0], [x(a + 1), ym], [x(a), ym], [x(a), y1]];
    const [over, under] = g > 0 ? [rising, falling] : [falling, rising];
    const [overColor, underColor] = g > 0 ? [at[a], at[a + 1]] : [at[a + 1], at[a]];
    crossings.push(
      `<g class="crossing" data-letter="${g}">` +
        `<path class="under" d="${cubicPath(subCubic(under, 0, 0.5 - gap))}" ${strokeAttrs(componentColor(underColor))}/>` +
        `<path class="under" d="${cubicPath(subCubic(under, 0.5 + gap, 1))}" ${strokeAttrs(componentColor(underColor))}/>` +
        `<path class="over" d="${cubicPath(over)}" ${strokeAttrs(componentColor(overColor))}/>` +
        `</g>`,
    );
    [at[a], at[a + 1]] = [at[a + 1], at[a]];
    runStart[a] = y1;
    runStart[a + 1] = y1;
  });
  for (let p = 0; p < n; p++) flush(p, yTop);
  parts.push(`<g>${runs.join('')}</g>`, `<g>${crossings.join('')}</g>`);
  return { width, height, body: parts.join('') };
}

function svgRoot(width: number, height: number, viewWidth: number, viewHeight: number, inner: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${num(width)}" height="${num(height)}" viewBox="0 0 ${num(viewWidth)} ${num(viewHeight)}">` +
    `<rect width="${num(viewWidth)}" height="${num(viewHeight)}" fill="#ffffff"/>${inner}</svg>`
  );
}

function text(xc: number, y: number, s: string, size: number): string {
  return `<text x="${num(xc)}" y="${num(y)}" text-anchor="middle" font-family="Helvetica, Arial, sans-serif" font-size="${size}" fill="#222222">${escapeXml(s)}</text>`;
}

/**
 * The closure of a braid as a self-contained SVG (see the module comment for the drawing convention):
 * the strands upright, one crossing per letter with the under-strand broken, the closure arcs around
 * the right, each component in its own colour; the empty word on n strands is the n-component unlink,
 * one strand a circle. `width`/`height` set the displayed size (the drawing scales, keeping its
 * aspect ratio); `title` is drawn above it (escaped).
 * @example closedBraidSvg(braid([1, 1, 1]), { title: 'trefoil 3_1' }) // '<svg xmlns=...' (one colour, three crossings)
 */
export function closedBraidSvg(b: Braid, options: ClosedBraidSvgOptions = {}): string {
  const fn = 'closedBraidSvg';
  const checked = checkBraid(fn, 'b', b);
  if (!options || typeof options !== 'object') fail(fn, 'options', 'an object {width?, height?, title?}', options);
  const { title } = options;
  if (title !== undefined && typeof title !== 'string') fail(fn, 'options.title', 'a string', title);
  if (options.width !== undefined) checkPositiveNumber(fn, 'options.width', options.width);
  if (options.height !== undefined) checkPositiveNumber(fn, 'options.height', options.height);
  const d = drawClosedBraid(checked);
  const top = title ? TITLE_HEIGHT : 0;
  const w = d.width;
  const h = d.height + top;
  const inner = (title ? `<title>${escapeXml(title)}</title>${text(w / 2, 18, title, 15)}` : '') + (top ? `<g transform="translate(0 ${top})">${d.body}</g>` : d.body);
  const width = options.width ?? (options.height !== undefined ? (options.height * w) / h : w);
  const height = options.height ?? (options.width !== undefined ? (options.width * h) / w : h);
  return svgRoot(width, height, w, h, inner);
}

/**
 * Several closed braids in one SVG, `columns` per row, each scaled down (never up) to fit a common
 * cell and labelled below (labels escaped): e.g. the unknot, the trefoil, the figure-eight, 5_1, 5_2
 * and a random unknot of the talk's figure 1.
 */
export function braidDiagramGrid(items: readonly BraidDiagramItem[], columns = 3): string {
  const fn = 'braidDiagramGrid';
  if (!Array.isArray(items) || items.length === 0) fail(fn, 'items', 'a non-empty array of {braid, label}', items);
  checkPositiveInteger(fn, 'columns', columns);
  const drawings = items.map((item, k) => {
    if (!item || typeof item !== 'object') fail(fn, `items[${k}]`, 'an object {braid, label}', item);
    if (typeof item.label !== 'string') fail(fn, `items[${k}].label`, 'a string', item.label);
    return drawClosedBraid(checkBraid(fn, `items[${k}].braid`, item.braid));
  });
  const cellW = Math.min(260, Math.max(...drawings.map((d) => d.width)));
  const cellH = Math.min(340, Math.max(...drawings.map((d) => d.height)));
  const cols = Math.min(columns, items.length);
  const rows = Math.ceil(items.length / cols);
  const pitchY = cellH + LABEL_HEIGHT;
  const W = cols * cellW;
  const H = rows * pitchY;
  const cells = drawings.map((d, k) => {
    const cx = (k % cols) * cellW + cellW / 2;
    const top = Math.floor(k / cols) * pitchY;
    const s = Math.min(1, cellW / d.width, cellH / d.height);
    const tx = cx - (s * d.width) / 2;
    const ty = top + (cellH - s * d.height) / 2;
    const scale = s === 1 ? '' : ` scale(${String(Math.max(1e-4, Math.round(s * 1e4) / 1e4))})`;
    return `<g class="panel"><g transform="translate(${num(tx)} ${num(ty)})${scale}">${d.body}</g>${text(cx, top + cellH + 17, items[k].label, 14)}</g>`;
  });
  return svgRoot(W, H, W, H, cells.join(''));
}
