/**
 * Closed-braid pictures and the knot table (src/knots/diagram.ts, src/knots/table.ts):
 * - the SVG is well-formed XML (a small tag parser), one crossing group per letter with its
 *   under-strand broken by a real gap and the over-strand drawn as the convention says (letter i > 0:
 *   from position i at the bottom to i + 1 at the top, on top);
 * - the picture is closed: joining the ends of every path (and the two halves at each gap) gives
 *   exactly `components(b)` cycles, each in one colour, and as many colours as components;
 * - identifyKnot names every table entry from other words of the same knot (random conjugations,
 *   stabilisations, braid relations, rotations), names mirrors with a star (none for the amphichiral
 *   0_1, 4_1, 6_3), and returns null for links and for knots outside the table; random unknots are 0_1;
 *   no two table entries or mirrors share both the Jones and the Alexander polynomial;
 * - the pictures as notebook figures: `showSvg`'s bundle, collected from an executed notebook by its
 *   figure name, inlined in the HTML report, and exported as <name>.svg and <name>.png (with Chromium).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Rng } from '../src/core/random';
import { Braid, braid, braidRelation, commute, components, conjugate, randomUnknot, rotate, smartCollapse, stabilize } from '../src/knots/braid';
import { braidDiagramGrid, closedBraidSvg } from '../src/knots/diagram';
import { alexanderPolynomial, jonesPolynomial } from '../src/knots/invariants';
import { KNOT_TABLE, identifyKnot } from '../src/knots/table';
import { collectSvgFigures, exportFigures, findChromium } from '../src/lab/export';
import { Notebook } from '../src/lab/notebook';
import { buildReport } from '../src/lab/report';
import { NotebookRun } from '../src/lab/run-notebook';
import { showSvg } from '../src/notebook/plots';

// ------------------------------------------------------------------------------------------------
// A small XML well-formedness check: tags nest, one root, attributes quoted and unique, '&' only in entities.

interface Element {
  name: string;
  attrs: Record<string, string>;
  children: Element[];
}

function parseXml(xml: string): Element {
  const token = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[A-Za-z_:][\w:.-]*="[^"<]*")*)\s*(\/?)>|([^<]+)/y;
  const root: Element = { name: '#document', attrs: {}, children: [] };
  const stack: Element[] = [root];
  let pos = 0;
  while (pos < xml.length) {
    token.lastIndex = pos;
    const m = token.exec(xml);
    if (!m) throw new Error(`not XML at ${pos}: ${xml.slice(pos, pos + 40)}`);
    pos = token.lastIndex;
    const [, closing, name, attrText, selfClosing, textContent] = m;
    if (textContent !== undefined) {
      if (/&(?!(amp|lt|gt|quot|#\d+);)/.test(textContent)) throw new Error(`bare & in text: ${textContent}`);
      continue;
    }
    if (closing) {
      const open = stack.pop();
      if (!open || open.name !== name) throw new Error(`</${name}> closes <${open?.name}>`);
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of attrText.matchAll(/([A-Za-z_:][\w:.-]*)="([^"<]*)"/g)) {
      if (a[1] in attrs) throw new Error(`duplicate attribute ${a[1]}`);
      if (/&(?!(amp|lt|gt|quot|#\d+);)/.test(a[2])) throw new Error(`bare & in attribute ${a[1]}`);
      attrs[a[1]] = a[2];
    }
    const el: Element = { name, attrs, children: [] };
    stack[stack.length - 1].children.push(el);
    if (!selfClosing) stack.push(el);
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack[stack.length - 1].name}>`);
  if (root.children.length !== 1) throw new Error('more than one root element');
  return root.children[0];
}

function all(el: Element, pred: (e: Element) => boolean): Element[] {
  return [...(pred(el) ? [el] : []), ...el.children.flatMap((c) => all(c, pred))];
}

const byClass = (root: Element, cls: string) => all(root, (e) => e.attrs.class === cls);

type Pt = [number, number];

/** Start and end of a path "M x y C ... x y" or "M x y V y" or "M ... L x y C ... x y" (the commands this module writes). */
function ends(d: string): [Pt, Pt] {
  const m = /^M(-?[\d.]+) (-?[\d.]+)/.exec(d)!;
  const start: Pt = [Number(m[1]), Number(m[2])];
  const v = /V(-?[\d.]+)$/.exec(d);
  if (v) return [start, [start[0], Number(v[1])]];
  const nums = d.match(/-?[\d.]+/g)!.map(Number);
  return [start, [nums[nums.length - 2], nums[nums.length - 1]]];
}

/** The control points of a single cubic path "M p0 C p1 p2 p3". */
function cubic(d: string): Pt[] {
  const nums = d.match(/-?[\d.]+/g)!.map(Number);
  expect(nums).toHaveLength(8);
  return [0, 2, 4, 6].map((k) => [nums[k], nums[k + 1]] as Pt);
}

const dist = (a: Pt, b: Pt) => Math.hypot(a[0] - b[0], a[1] - b[1]);

/**
 * The cycles of the drawn curve: every path is an edge between its end points, the two halves of
 * each under-strand are joined across the gap; returns the colour sets of the cycles (and checks
 * that every point has degree 2, i.e. the picture is closed).
 */
function drawnCycles(root: Element): string[][] {
  const paths = all(root, (e) => e.name === 'path');
  const key = (p: Pt) => `${p[0].toFixed(1)},${p[1].toFixed(1)}`;
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    while (parent.get(x) !== x) x = parent.get(x)!;
    return x;
  };
  const add = (x: string) => void (parent.has(x) || parent.set(x, x));
  const union = (a: string, b: string) => parent.set(find(a), find(b));
  const degree = new Map<string, number>();
  const bump = (x: string) => degree.set(x, (degree.get(x) ?? 0) + 1);
  const colourAt = new Map<string, string>();
  for (const p of paths) {
    const [a, b] = ends(p.attrs.d).map(key);
    add(a);
    add(b);
    union(a, b);
    bump(a);
    bump(b);
    colourAt.set(a, p.attrs.stroke);
    colourAt.set(b, p.attrs.stroke);
  }
  for (const g of byClass(root, 'crossing')) {
    const [u1, u2] = g.children.filter((c) => c.attrs.class === 'under');
    const a = key(ends(u1.attrs.d)[1]);
    const b = key(ends(u2.attrs.d)[0]);
    union(a, b);
    bump(a);
    bump(b);
  }
  for (const [x, d] of degree) if (d !== 2) throw new Error(`point ${x} has degree ${d}: the picture is not closed`);
  const cycles = new Map<string, Set<string>>();
  for (const p of paths) {
    const r = find(key(ends(p.attrs.d)[0]));
    if (!cycles.has(r)) cycles.set(r, new Set());
    cycles.get(r)!.add(p.attrs.stroke);
  }
  return [...cycles.values()].map((s) => [...s]);
}

const strokes = (root: Element) => new Set(all(root, (e) => e.name === 'path' || e.name === 'circle').map((e) => e.attrs.stroke));

describe('closedBraidSvg', () => {
  const cases: [string, Braid][] = [
    ['trefoil', braid([1, 1, 1])],
    ['left-handed trefoil', braid([-1, -1, -1])],
    ['Hopf link', braid([1, 1])],
    ['unlink of 3', braid([], 3)],
    ['figure-eight', braid([1, -2, 1, -2])],
    ['three-component torus link T(3,3)', braid([1, 2, 1, 2, 1, 2])],
    ['Borromean rings', braid([1, -2, 1, -2, 1, -2])],
    ['7_4', braid([1, 1, 2, -1, 2, 2, 3, -2, 3])],
    ['unlink of 11 (past the palette)', braid([], 11)],
    ['random unknot', randomUnknot(Rng.stream(11, 0), 4, 21)],
  ];

  test.each(cases)('%s: well-formed XML, closed, one colour per component', (_, b) => {
    const svg = closedBraidSvg(b);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    const root = parseXml(svg);
    expect(root.name).toBe('svg');
    const cycles = drawnCycles(root);
    expect(cycles).toHaveLength(components(b));
    for (const c of cycles) expect(c).toHaveLength(1); // each component in one colour
    expect(new Set(cycles.map((c) => c[0])).size).toBe(components(b)); // different components, different colours
    expect(strokes(root).size).toBe(components(b));
  });

  test('Hopf link 2 colours, trefoil 1, unlink on 3 strands 3', () => {
    expect(strokes(parseXml(closedBraidSvg(braid([1, 1])))).size).toBe(2);
    expect(strokes(parseXml(closedBraidSvg(braid([1, 1, 1])))).size).toBe(1);
    expect(strokes(parseXml(closedBraidSvg(braid([], 3))))).toEqual(new Set(['#1f77b4', '#d62728', '#2ca02c']));
  });

  test('one crossing per letter, its under-strand broken by a gap, the over-strand as the convention says', () => {
    const b = braid([1, -2, 3, 3, -1, 2, -3, 1], 4);
    const root = parseXml(closedBraidSvg(b));
    const crossings = byClass(root, 'crossing');
    expect(crossings.map((g) => Number(g.attrs['data-letter']))).toEqual(b.word);
    expect(byClass(root, 'under')).toHaveLength(2 * b.word.length);
    expect(byClass(root, 'over')).toHaveLength(b.word.length);
    crossings.forEach((g, k) => {
      const letter = b.word[k];
      const under = g.children.filter((c) => c.attrs.class === 'under');
      const over = g.children.filter((c) => c.attrs.class === 'over');
      expect(under).toHaveLength(2);
      expect(over).toHaveLength(1);
      const o = cubic(over[0].attrs.d);
      const centre: Pt = [(o[0][0] + 3 * o[1][0] + 3 * o[2][0] + o[3][0]) / 8, (o[0][1] + 3 * o[1][1] + 3 * o[2][1] + o[3][1]) / 8];
      const gapStart = ends(under[0].attrs.d)[1];
      const gapEnd = ends(under[1].attrs.d)[0];
      // A real gap, wider than two stroke widths, around the point where the over-strand passes.
      expect(dist(gapStart, gapEnd)).toBeGreaterThan(12);
      expect(dist(gapStart, centre)).toBeGreaterThan(6);
      expect(dist(gapEnd, centre)).toBeGreaterThan(6);
      // The over-strand rises (SVG y decreases): from the left (letter > 0) or from the right (letter < 0).
      const [start, end] = [o[0], o[3]];
      expect(start[1]).toBeGreaterThan(end[1]);
      expect(Math.sign(end[0] - start[0])).toBe(Math.sign(letter));
      // It enters at position |letter| (or |letter| + 1): crossings between neighbouring positions only.
      expect(Math.abs(end[0] - start[0])).toBeCloseTo(40, 6);
    });
    // Crossings are stacked upwards in word order (first letter lowest).
    const bottoms = crossings.map((g) => cubic(g.children.find((c) => c.attrs.class === 'over')!.attrs.d)[0][1]);
    for (let k = 1; k < bottoms.length; k++) expect(bottoms[k]).toBeLessThan(bottoms[k - 1]);
  });

  test('one strand is a circle; the empty word on n strands is the n-component unlink', () => {
    const one = parseXml(closedBraidSvg(braid([], 1)));
    expect(all(one, (e) => e.name === 'circle')).toHaveLength(1);
    expect(all(one, (e) => e.name === 'path')).toHaveLength(0);
    const four = parseXml(closedBraidSvg(braid([], 4)));
    expect(byClass(four, 'crossing')).toHaveLength(0);
    expect(drawnCycles(four)).toHaveLength(4);
  });

  test('title escaped, size options, deterministic, bad input refused naming the argument', () => {
    const title = `<b>knot & "link" 'x'</b>`;
    const svg = closedBraidSvg(braid([1, 1, 1]), { title, width: 300 });
    const root = parseXml(svg);
    expect(svg).not.toContain('<b>');
    expect(svg).toContain('&lt;b&gt;knot &amp; &quot;link&quot; &#39;x&#39;&lt;/b&gt;');
    expect(root.attrs.width).toBe('300');
    const [, , vw, vh] = root.attrs.viewBox.split(' ').map(Number);
    expect(Number(root.attrs.height)).toBeCloseTo((300 * vh) / vw, 1);
    const both = parseXml(closedBraidSvg(braid([1, 1, 1]), { width: 200, height: 100 }));
    expect([both.attrs.width, both.attrs.height]).toEqual(['200', '100']);
    expect(closedBraidSvg(braid([1, -2, 1, -2]), { title: 't' })).toBe(closedBraidSvg(braid([1, -2, 1, -2]), { title: 't' }));
    expect(() => closedBraidSvg({ strands: 2, word: [0] })).toThrow(/^closedBraidSvg: word/);
    expect(() => closedBraidSvg({ strands: 2, word: [2] })).toThrow(/^closedBraidSvg: strands/);
    expect(() => closedBraidSvg(null as unknown as Braid)).toThrow(/^closedBraidSvg: b must be a braid/);
    expect(() => closedBraidSvg(braid([1]), { width: 0 })).toThrow(/^closedBraidSvg: options.width/);
    expect(() => closedBraidSvg(braid([1]), { title: 3 as unknown as string })).toThrow(/^closedBraidSvg: options.title/);
  });
});

describe('braidDiagramGrid', () => {
  test("figure 1's examples in one SVG: a panel and a label per item, each panel closed", () => {
    const items = [
      { braid: braid([], 1), label: 'unknot 0_1' },
      { braid: braid([1, 1, 1]), label: 'trefoil 3_1' },
      { braid: braid([1, -2, 1, -2]), label: 'figure-eight 4_1' },
      { braid: braid([1, 1, 1, 1, 1]), label: '5_1' },
      { braid: braid([1, 1, 1, 2, -1, 2]), label: '5_2' },
      { braid: randomUnknot(Rng.stream(12, 0), 4, 21), label: 'random unknot <21 letters>' },
    ];
    const svg = braidDiagramGrid(items, 3);
    const root = parseXml(svg);
    const panels = byClass(root, 'panel');
    expect(panels).toHaveLength(items.length);
    expect(all(root, (e) => e.name === 'text')).toHaveLength(items.length);
    expect(svg).toContain('random unknot &lt;21 letters&gt;');
    expect(byClass(root, 'crossing')).toHaveLength(items.reduce((s, it) => s + it.braid.word.length, 0));
    panels.slice(1).forEach((p, k) => expect(drawnCycles(p)).toHaveLength(components(items[k + 1].braid)));
    expect(Number(root.attrs.width)).toBeGreaterThan(Number(root.attrs.height) / 2); // two rows of three
    expect(braidDiagramGrid(items, 3)).toBe(svg);
    expect(() => braidDiagramGrid([], 3)).toThrow(/^braidDiagramGrid: items/);
    expect(() => braidDiagramGrid(items, 0)).toThrow(/^braidDiagramGrid: columns/);
    expect(() => braidDiagramGrid([{ braid: braid([1]), label: 5 as unknown as string }])).toThrow(/^braidDiagramGrid: items\[0\].label/);
  });
});

// ------------------------------------------------------------------------------------------------

const mirror = (b: Braid) => braid(b.word.map((g) => -g), b.strands);
const AMPHICHIRAL = ['0_1', '4_1', '6_3'];

/**
 * Another word of the same knot: random conjugations, stabilisations, letters expanded by BR2
 * (sigma_i^e = sigma_j sigma_i sigma_j^e sigma_i^-1 sigma_j^-1, j = i +- 1), BR1/BR2 and rotations.
 */
function scramble(b: Braid, rng: Rng, moves = 12): Braid {
  let cur = b;
  for (let m = 0; m < moves; m++) {
    const u = rng.uniform();
    const k = Math.floor(rng.uniform() * Math.max(1, cur.word.length));
    const g = (1 + Math.floor(rng.uniform() * Math.max(1, cur.strands - 1))) * (rng.uniform() < 0.5 ? 1 : -1);
    if (u < 0.2 && cur.strands > 1) cur = conjugate(cur, g);
    else if (u < 0.35 && cur.strands < 6) cur = stabilize(cur, rng.uniform() < 0.5 ? 1 : -1);
    else if (u < 0.55 && cur.word.length && cur.strands > 2) {
      const i = Math.abs(cur.word[k]);
      const j = i + 1 < cur.strands && (i === 1 || rng.uniform() < 0.5) ? i + 1 : i - 1;
      const e = Math.sign(cur.word[k]);
      const w = cur.word.slice();
      w.splice(k, 1, j, i, e * j, -i, -j);
      cur = braid(w, cur.strands);
    } else if (u < 0.85) cur = braidRelation(cur, k) ?? commute(cur, k) ?? rotate(cur, k);
    else cur = rotate(cur, k);
  }
  return cur;
}

describe('the knot table and identifyKnot', () => {
  test('the table: 0_1, 3_1, 4_1, 5_1, 5_2, 6_1-6_3, 7_1-7_7, knots with their crossing number', () => {
    expect(KNOT_TABLE.map((k) => k.name)).toEqual(['0_1', '3_1', '4_1', '5_1', '5_2', '6_1', '6_2', '6_3', '7_1', '7_2', '7_3', '7_4', '7_5', '7_6', '7_7']);
    for (const k of KNOT_TABLE) {
      expect(components(k.braid)).toBe(1);
      expect(k.crossings).toBe(Number(k.name.split('_')[0]));
      expect(identifyKnot(k.braid)).toBe(k.name);
    }
  });

  test('no two entries or mirror images share both the Jones and the Alexander polynomial; Jones sees chirality', () => {
    const prints = KNOT_TABLE.flatMap((k) => {
      const v = jonesPolynomial(k.braid);
      const a = alexanderPolynomial(k.braid);
      const chiral = !v.equals(v.substitutePower(-1));
      expect(chiral).toBe(!AMPHICHIRAL.includes(k.name)); // tabulated amphichirality up to 7 crossings
      return chiral ? [{ name: k.name, v, a }, { name: `${k.name}*`, v: v.substitutePower(-1), a }] : [{ name: k.name, v, a }];
    });
    expect(prints).toHaveLength(15 + 12);
    for (let i = 0; i < prints.length; i++) {
      for (let j = i + 1; j < prints.length; j++) {
        expect([prints[i].name, prints[j].name, prints[i].v.equals(prints[j].v) && prints[i].a.equals(prints[j].a)]).toEqual([prints[i].name, prints[j].name, false]);
      }
    }
  });

  test.each(KNOT_TABLE.map((k) => [k.name, k] as const))('%s is recognised from other words of the same knot, and its mirror', (name, k) => {
    let irreducible = 0; // words that SMARTCOLLAPSE does not bring back to the table's word
    for (let s = 0; s < 3; s++) {
      const other = scramble(k.braid, Rng.stream(20 + s, k.crossings * 10 + Number(name.split('_')[1])));
      expect(other.word).not.toEqual(k.braid.word);
      const collapsed = smartCollapse(other);
      if (collapsed.strands !== k.braid.strands || collapsed.word.join() !== k.braid.word.join()) irreducible++;
      expect(identifyKnot(other)).toBe(name);
      expect(identifyKnot(mirror(other))).toBe(AMPHICHIRAL.includes(name) ? name : `${name}*`);
    }
    if (name !== '0_1') expect(irreducible).toBeGreaterThan(0);
  });

  test('the left-handed trefoil is 3_1*, the right-handed one 3_1; the figure-eight has no star', () => {
    expect(identifyKnot(braid([1, 1, 1]))).toBe('3_1');
    expect(identifyKnot(braid([-1, -1, -1]))).toBe('3_1*');
    expect(identifyKnot(braid([-1, 2, -1, 2]))).toBe('4_1');
    expect(identifyKnot(braid([1, 1, 1, 1, 1, 1, 1, 2], 3))).toBe('7_1'); // stabilised
  });

  test('links and knots outside the table give null', () => {
    expect(identifyKnot(braid([1, 1]))).toBeNull(); // Hopf link
    expect(identifyKnot(braid([], 2))).toBeNull(); // unlink
    expect(identifyKnot(braid([1, 2, 1, 2, 1, 2]))).toBeNull(); // T(3,3)
    expect(identifyKnot(braid([1, -2, 1, -2, 1, -2]))).toBeNull(); // Borromean rings
    expect(identifyKnot(braid([1, 2, 1, 2, 1, 2, 1, 2]))).toBeNull(); // T(3,4) = 8_19
    expect(identifyKnot(braid(new Array<number>(9).fill(1)))).toBeNull(); // T(2,9) = 9_1
    expect(identifyKnot(braid([1, 1, 1, 2, 2, 2]))).toBeNull(); // granny knot 3_1 # 3_1
    expect(identifyKnot(braid([1, 1, 1, -2, -2, -2]))).toBeNull(); // square knot 3_1 # 3_1*
    expect(() => identifyKnot({ strands: 2, word: [3] })).toThrow(/^identifyKnot: strands/);
    expect(() => identifyKnot(undefined as unknown as Braid)).toThrow(/^identifyKnot: b must be a braid/);
  });

  test('random unknots (the talk\'s prior: 4 strands, 21 letters) are 0_1', () => {
    for (let i = 0; i < 10; i++) expect(identifyKnot(randomUnknot(Rng.stream(13, i), 4, 21))).toBe('0_1');
  });
});

describe('SVG pictures as notebook figures (showSvg, the runner\'s export and report)', () => {
  const svg = closedBraidSvg(braid([1, 1, 1]), { title: 'trefoil' });
  const notebook: Notebook = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: [
      { cell_type: 'markdown', source: '# knots', metadata: {} },
      {
        cell_type: 'code',
        source: "showSvg(closedBraidSvg(braid([1, 1, 1]), { title: 'trefoil' }), 'trefoil')",
        metadata: {},
        execution_count: 1,
        outputs: [
          { output_type: 'display_data', data: { 'image/svg+xml': svg, 'text/plain': '[figure trefoil (SVG)]' }, metadata: { nnft: { figure: 'trefoil' } } },
          { output_type: 'display_data', data: { 'image/svg+xml': [svg.slice(0, 50), svg.slice(50)], 'text/plain': 'x' }, metadata: {} },
        ],
      },
    ],
  };

  test('showSvg: text/plain outside a kernel, bad input refused', () => {
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      showSvg(svg, 'trefoil');
      expect(log).toHaveBeenCalledWith('[figure trefoil (SVG)]');
    } finally {
      log.mockRestore();
    }
    expect(() => showSvg('<div/>', 'x')).toThrow(/^showSvg: svg/);
    expect(() => showSvg(svg, '../x')).toThrow(/^showSvg: name/);
  });

  test('collected by figure name, inlined in the report', () => {
    const figures = collectSvgFigures(notebook, 'knots');
    expect(figures.map((f) => [f.name, f.cell])).toEqual([
      ['trefoil', 2],
      ['knots-cell2-svg2', 2],
    ]);
    expect(figures[0].svg).toBe(svg);
    expect(figures[1].svg).toBe(svg);
    const run: NotebookRun = { file: 'knots.ipynb', name: 'knots', status: 'ok', seconds: 1, failedCell: null, error: '', checks: [], figures: [], notebook };
    expect(buildReport([run], 'knots', 'ci')).toContain(svg);
  });

  const chromium = findChromium();
  (chromium ? test : test.skip)('exported as <name>.svg (the text itself) and <name>.png through Chromium', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nnft-knots-svg-'));
    try {
      const written = await exportFigures(collectSvgFigures(notebook, 'knots').slice(0, 1), dir, chromium!);
      expect(written.map((f) => path.basename(f))).toEqual(['trefoil.png', 'trefoil.svg']);
      expect(fs.readFileSync(path.join(dir, 'trefoil.svg'), 'utf8')).toBe(svg);
      const png = fs.readFileSync(path.join(dir, 'trefoil.png'));
      expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
      expect(png.length).toBeGreaterThan(1000);
      const root = parseXml(svg);
      expect(png.readUInt32BE(16)).toBe(2 * Math.ceil(Number(root.attrs.width))); // IHDR width: twice the SVG's
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
