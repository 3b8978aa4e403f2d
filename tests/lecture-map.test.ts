/**
 * docs/lecture-map.md stays true to the code. The map's tables (five columns: lecture / equation,
 * module, function, test, notebook) are parsed, and every row is checked against the tree: the
 * module exists and exports each function named (`Class.method`: the class is exported and defines
 * the method), each test file exists and mentions the function or imports the module, and each
 * notebook exists. The map must also stay complete: every exported function (or constant) of
 * src/exact/*.ts, src/deep/*.ts, src/field-theory/*.ts, src/eft/eft.ts and src/dynamics/frozen-ntk.ts whose doc comment cites an equation,
 * the lectures, the NN-QFT talk or the EFT4ML slides has a row with that module. Everything is read
 * as text (nothing under src/ is imported), so the check is fast. The last block shows on in-memory
 * tables and sources that the checker does fail on a bad row.
 */
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');
const MAP = 'docs/lecture-map.md';
const HEADER = ['lecture / equation', 'module', 'function', 'test', 'notebook'];
/** Files whose equation-citing exports must all be in the map. */
const folder = (dir: string) => fs.readdirSync(path.join(ROOT, dir)).filter((f) => f.endsWith('.ts') && f !== 'index.ts').map((f) => `${dir}/${f}`);
const COMPLETE = [...folder('src/exact'), ...folder('src/deep'), ...folder('src/field-theory'), 'src/eft/eft.ts', 'src/dynamics/frozen-ntk.ts'];
/** A doc comment that cites a formula: an equation number or one of the source texts. */
const CITES = /\beqs?\.\s*\(\d|\bTASI\b|NN-QFT talk|EFT4ML|\bslides?\b/i;

interface MapRow {
  /** 1-based line in the markdown. */
  line: number;
  ref: string;
  module: string;
  functions: string[];
  tests: string[];
  notebooks: string[];
}

/** Reads a repository file as text; undefined when it does not exist. */
type Reader = (rel: string) => string | undefined;

const cache = new Map<string, string | undefined>();
const readRepo: Reader = (rel) => {
  if (!cache.has(rel)) {
    const abs = path.join(ROOT, rel);
    cache.set(rel, fs.existsSync(abs) && fs.statSync(abs).isFile() ? fs.readFileSync(abs, 'utf8') : undefined);
  }
  return cache.get(rel);
};

const ticks = (cell: string): string[] => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1].trim());
const cellsOf = (line: string): string[] => line.trim().replace(/^\|/, '').replace(/\|$/, '').split('|').map((c) => c.trim());
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const IDENT = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)?$/;
const MODULE = /^src\/[\w./-]+\.ts$/;
const TEST = /^tests\/[\w.-]+\.test\.ts$/;
const NOTEBOOK = /^notebooks\/[\w.-]+\.(ts|ipynb)$/;

/** The rows of every map table in `markdown`, and what could not be read as a row. */
function parseMap(markdown: string): { rows: MapRow[]; problems: string[] } {
  const rows: MapRow[] = [];
  const problems: string[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const header = cellsOf(lines[i]).map((c) => c.toLowerCase());
    if (!lines[i].trim().startsWith('|') || header.join('|') !== HEADER.join('|')) continue;
    if (!/^\|?\s*:?-{3,}/.test(lines[i + 1]?.trim() ?? '')) problems.push(`line ${i + 2}: a map table needs a separator row under its header`);
    for (i += 2; i < lines.length && lines[i].trim().startsWith('|'); i++) {
      const line = i + 1;
      const cells = cellsOf(lines[i]);
      const bad = (what: string) => problems.push(`line ${line}: ${what}`);
      if (cells.length !== HEADER.length) {
        bad(`expected ${HEADER.length} cells, found ${cells.length}`);
        continue;
      }
      const [ref, moduleCell, functionCell, testCell, notebookCell] = cells;
      if (!/\beqs?\.|\bafter\b|\btalk\b|\bslides\b|^lab\b/i.test(ref)) bad(`the reference "${ref}" cites no equation, talk, slides or lab tool`);
      const modules = ticks(moduleCell);
      if (modules.length !== 1 || !MODULE.test(modules[0])) bad(`the module cell must hold one \`src/....ts\` path, found "${moduleCell}"`);
      const functions = ticks(functionCell);
      if (!functions.length) bad('the function cell names no `symbol`');
      functions.filter((f) => !IDENT.test(f)).forEach((f) => bad(`"${f}" is not a symbol or Class.method`));
      const tests = ticks(testCell);
      if (!tests.length) bad('the test cell names no `tests/....test.ts`');
      tests.filter((t) => !TEST.test(t)).forEach((t) => bad(`"${t}" is not a tests/*.test.ts path`));
      const notebooks = ticks(notebookCell);
      if (!notebooks.length && !/^(—|-)$/.test(notebookCell)) bad(`the notebook cell must name notebooks or be "—", found "${notebookCell}"`);
      notebooks.filter((n) => !NOTEBOOK.test(n)).forEach((n) => bad(`"${n}" is not a notebooks/*.ts or .ipynb path`));
      rows.push({ line, ref, module: modules[0] ?? '', functions, tests, notebooks });
    }
  }
  return { rows, problems };
}

/** Source text without block comments and whole-line // comments (so prose cannot fake an export). */
const withoutComments = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');

/** Names a module exports: declarations and `export { ... }` lists (with `as` renames). */
function exportedNames(text: string): Set<string> {
  const code = withoutComments(text);
  const names = new Set<string>();
  for (const m of code.matchAll(/\bexport\s+(?:declare\s+)?(?:default\s+)?(?:abstract\s+)?(?:async\s+)?(?:function\s*\*?|const|let|var|class|interface|type|enum|namespace)\s*([A-Za-z_$][\w$]*)/g)) names.add(m[1]);
  for (const m of code.matchAll(/\bexport\s+(?:type\s+)?\{([^}]*)\}/g)) {
    for (const item of m[1].split(',')) {
      const parts = item.trim().replace(/^type\s+/, '').split(/\s+as\s+/);
      const name = parts[parts.length - 1].trim();
      if (name) names.add(name);
    }
  }
  return names;
}

/** Whether exported class `cls` of the source defines method (or getter) `member`. */
function definesMember(text: string, cls: string, member: string): boolean {
  const code = withoutComments(text);
  const at = code.search(new RegExp(`\\bclass\\s+${escape(cls)}\\b`));
  return at >= 0 && new RegExp(`^\\s+(?:(?:public|private|protected|static|async|get|override)\\s+)*${escape(member)}\\s*[(<]`, 'm').test(code.slice(at));
}

/** Whether a test's text mentions a symbol (`Class.method`: the class and a call of the method). */
function mentions(text: string, symbol: string): boolean {
  const [head, member] = symbol.split('.');
  const word = (w: string) => new RegExp(`(^|[^\\w$])${escape(w)}(?![\\w$])`).test(text);
  return member === undefined ? word(head) : word(head) && new RegExp(`\\.${escape(member)}\\s*\\(`).test(text);
}

/** Whether a test's text imports (or otherwise names) a module path, e.g. '../src/exact/gp-kernels'. */
function namesModule(text: string, module: string): boolean {
  const base = module.replace(/\.ts$/, '');
  return [`${base}'`, `${base}"`, `${base}.ts`].some((s) => text.includes(s));
}

/** Everything wrong with the rows, as messages naming the line and the culprit; [] when all hold. */
function checkRows(rows: readonly MapRow[], read: Reader = readRepo): string[] {
  const problems: string[] = [];
  for (const row of rows) {
    const at = `line ${row.line} (${row.ref.slice(0, 40)})`;
    const source = row.module ? read(row.module) : undefined;
    if (source === undefined) {
      problems.push(`${at}: module ${row.module || '(none)'} does not exist`);
    } else {
      const exported = exportedNames(source);
      for (const f of row.functions) {
        const [head, member] = f.split('.');
        if (!exported.has(head)) problems.push(`${at}: ${row.module} does not export ${head}`);
        else if (member !== undefined && !definesMember(source, head, member)) problems.push(`${at}: class ${head} of ${row.module} has no method ${member}`);
      }
    }
    const testTexts = row.tests.map((t) => ({ file: t, text: read(t) }));
    testTexts.filter((t) => t.text === undefined).forEach((t) => problems.push(`${at}: test file ${t.file} does not exist`));
    const present = testTexts.filter((t): t is { file: string; text: string } => t.text !== undefined);
    for (const t of present) {
      if (!namesModule(t.text, row.module) && !row.functions.some((f) => mentions(t.text, f))) problems.push(`${at}: ${t.file} mentions none of ${row.functions.join(', ')} and does not import ${row.module}`);
    }
    for (const f of row.functions) {
      if (present.length && !present.some((t) => mentions(t.text, f) || namesModule(t.text, row.module))) problems.push(`${at}: no listed test mentions ${f} or imports ${row.module}`);
    }
    for (const n of row.notebooks) if (read(n) === undefined) problems.push(`${at}: notebook ${n} does not exist`);
  }
  return problems;
}

/** Exported functions and constants of a source whose doc comment (right above them) cites a formula. */
function citingExports(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*export\s+(?:async\s+)?(?:function\s*\*?|const|let)\s*([A-Za-z_$][\w$]*)/g)) {
    if (CITES.test(m[1])) out.push(m[2]);
  }
  return out;
}

/** Equation-citing exports of the given sources that no row of the map names with their module. */
function missingFromMap(rows: readonly MapRow[], sources: readonly { module: string; text: string }[]): string[] {
  const mapped = new Set(rows.flatMap((r) => r.functions.map((f) => `${r.module}:${f.split('.')[0]}`)));
  return sources.flatMap(({ module, text }) => citingExports(text).filter((name) => !mapped.has(`${module}:${name}`)).map((name) => `${module}: ${name} cites an equation in its doc comment but has no row in ${MAP}`));
}

describe(MAP, () => {
  const markdown = readRepo(MAP);
  const { rows, problems } = parseMap(markdown ?? '');

  test('exists, and every table row parses', () => {
    expect(markdown).toBeDefined();
    expect(problems).toEqual([]);
    expect(rows.length).toBeGreaterThanOrEqual(40);
  });

  test('every module exists and exports its functions; every test exists and exercises them; every notebook exists', () => {
    expect(checkRows(rows)).toEqual([]);
  });

  test('is complete: every equation-citing export of src/exact/*.ts, src/deep/*.ts, src/field-theory/*.ts, src/eft/eft.ts and src/dynamics/frozen-ntk.ts has a row', () => {
    const sources = COMPLETE.map((module) => ({ module, text: readRepo(module)! }));
    expect(sources.every((s) => s.text !== undefined)).toBe(true);
    // The check has something to check: these files do cite equations.
    expect(sources.flatMap((s) => citingExports(s.text)).length).toBeGreaterThan(10);
    expect(missingFromMap(rows, sources)).toEqual([]);
  });

  test('has a Conventions and typos section that records the eq. (96) work-around', () => {
    const section = (markdown ?? '').split(/^## /m).find((s) => s.startsWith('Conventions and typos'));
    expect(section).toBeDefined();
    expect(section).toMatch(/Eq\. \(96\)/);
  });
});

describe('the checker fails on bad rows', () => {
  const table = (...rows: string[]) => ['| Lecture / equation | Module | Function | Test | Notebook |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
  const good = '| 3.1, eqs. (36)-(39) | `src/exact/gp-kernels.ts` | `gpKernel` | `tests/kernels.test.ts` | `notebooks/03-1-nngp-correspondence.ts` |';

  test('a correct row passes (so the failures below are the edits, not the harness)', () => {
    const { rows, problems } = parseMap(table(good));
    expect(problems).toEqual([]);
    expect(rows).toHaveLength(1);
    expect(checkRows(rows)).toEqual([]);
  });

  test('a misspelled symbol is reported with its name and line', () => {
    const { rows, problems } = parseMap(table(good.replace('`gpKernel`', '`gpKernell`')));
    expect(problems).toEqual([]);
    const found = checkRows(rows);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^line 3 .*does not export gpKernell$/);
  });

  test('a missing module, test or notebook, a test that never touches the function, and a missing method are reported', () => {
    const { rows } = parseMap(
      table(
        good.replace('src/exact/gp-kernels.ts', 'src/exact/gp-kernel.ts'),
        good.replace('tests/kernels.test.ts', 'tests/no-such.test.ts'),
        good.replace('notebooks/03-1-nngp-correspondence.ts', 'notebooks/03-9-missing.ts'),
        '| 4.2, eq. (99) | `src/dynamics/frozen-ntk.ts` | `frozenNtkMoments` | `tests/stats.test.ts` | — |',
        '| 3, eq. (27) | `src/statistics/moments.ts` | `MomentAccumulator.momentz` | `tests/correlators.test.ts` | — |',
      ),
    );
    const found = checkRows(rows).join('\n');
    expect(found).toMatch(/module src\/exact\/gp-kernel\.ts does not exist/);
    expect(found).toMatch(/test file tests\/no-such\.test\.ts does not exist/);
    expect(found).toMatch(/notebook notebooks\/03-9-missing\.ts does not exist/);
    expect(found).toMatch(/tests\/stats\.test\.ts mentions none of frozenNtkMoments/);
    expect(found).toMatch(/class MomentAccumulator of src\/statistics\/moments\.ts has no method momentz/);
  });

  test('malformed cells are parse problems', () => {
    const { problems } = parseMap(table('| 3.1, eq. (39) | src/exact/gp-kernels.ts | gpKernel | `tests/kernels.test.ts` | |', '| no reference | `src/exact/gp-kernels.ts` | `gpKernel` | `tests/kernels.test.ts` | — |'));
    expect(problems.join('\n')).toMatch(/module cell must hold one/);
    expect(problems.join('\n')).toMatch(/function cell names no/);
    expect(problems.join('\n')).toMatch(/notebook cell must name notebooks/);
    expect(problems.join('\n')).toMatch(/cites no equation/);
  });

  test('an equation-citing export without a row is reported; one without a citation is not required', () => {
    const source = [
      '/** The answer (TASI eq. (42)). */',
      'export function answer(): number {',
      '  return 42;',
      '}',
      '/** A helper with no formula. */',
      'export function helper(): number {',
      '  return 0;',
      '}',
      '/** Couplings of the NN-QFT talk. */',
      'export const COUPLINGS = {};',
    ].join('\n');
    expect(citingExports(source)).toEqual(['answer', 'COUPLINGS']);
    const { rows } = parseMap(table(good));
    const missing = missingFromMap(rows, [{ module: 'src/exact/made-up.ts', text: source }]);
    expect(missing).toEqual([
      `src/exact/made-up.ts: answer cites an equation in its doc comment but has no row in ${MAP}`,
      `src/exact/made-up.ts: COUPLINGS cites an equation in its doc comment but has no row in ${MAP}`,
    ]);
  });

  test('exports are read from declarations and export lists, not from comments', () => {
    const text = "/** export function ghost() */\nexport { a, b as c } from './x';\nexport type { T } from './y';\nexport async function* gen() {}\nexport class K {\n  run(): void {}\n}\n";
    expect([...exportedNames(text)].sort()).toEqual(['K', 'T', 'a', 'c', 'gen']);
    expect(definesMember(text, 'K', 'run')).toBe(true);
    expect(definesMember(text, 'K', 'walk')).toBe(false);
  });
});
