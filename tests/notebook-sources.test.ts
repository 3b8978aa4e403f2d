import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// The lecture notebooks are built from type-checked sources: notebooks/<name>.ts (jupytext percent format) ->
// notebooks/<name>.ipynb by scripts/notebooks.js (`npm run notebooks`).
const ROOT = path.resolve(__dirname, '..');
const NOTEBOOKS = path.join(ROOT, 'notebooks');
const SCRIPT = path.join(ROOT, 'scripts', 'notebooks.js');

type Problem = { name: string; problem: 'differs' | 'missing-source' | 'missing-notebook' | 'invalid-source'; message?: string };
type SourceCell = { cell_type: 'code' | 'markdown'; source: string; tags?: string[] };
interface NotebooksScript {
  check(dir?: string): { ok: boolean; problems: Problem[] };
  build(dir?: string): string[];
  describeProblem(p: Problem): string;
  parseSource(text: string, file?: string): SourceCell[];
  formatSource(cells: SourceCell[], file?: string): string;
  buildNotebookText(text: string, name: string, file?: string): string;
}
// eslint-disable-next-line @typescript-eslint/no-var-requires
const notebooks = require(SCRIPT) as NotebooksScript;

const REBUILD = 'Run `npm run notebooks` to rebuild the notebooks from their sources (notebooks/*.ts).';

test('every notebooks/*.ipynb has a .ts source and is what the source builds to', () => {
  expect(fs.readdirSync(NOTEBOOKS).filter((f) => f.endsWith('.ipynb')).length).toBeGreaterThan(0);
  const { problems } = notebooks.check(NOTEBOOKS);
  if (problems.length > 0) throw new Error(`${problems.map((p) => notebooks.describeProblem(p)).join('\n')}\n${REBUILD}`);
});

test('the notebook sources type-check against dist/ (tsc -p notebooks/tsconfig.json)', () => {
  const tsc = path.join(ROOT, 'node_modules', '.bin', 'tsc');
  const r = spawnSync(tsc, ['-p', path.join('notebooks', 'tsconfig.json'), '--pretty', 'false'], { cwd: ROOT, encoding: 'utf8', timeout: 50_000 });
  if (r.error) throw r.error;
  if (r.status !== 0) {
    throw new Error(`tsc -p notebooks/tsconfig.json failed (exit ${r.status}; it checks against the built library, dist/: run \`npm run build\` after changing src/):\n${r.stdout}${r.stderr}`);
  }
});

describe('the check fails on a notebook that is not what its source builds to', () => {
  let dir: string;
  let name: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nnft-notebook-sources-'));
    name = fs.readdirSync(NOTEBOOKS).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).sort()[0].slice(0, -3);
    for (const ext of ['.ts', '.ipynb']) fs.copyFileSync(path.join(NOTEBOOKS, name + ext), path.join(dir, name + ext));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('an edited source is reported until the notebook is rebuilt', () => {
    expect(notebooks.check(dir)).toEqual({ ok: true, problems: [] });
    const file = path.join(dir, `${name}.ts`);
    const cells = notebooks.parseSource(fs.readFileSync(file, 'utf8'), file);
    const code = cells.filter((c) => c.cell_type === 'code');
    code[code.length - 1].source += '\nconsole.log("edited");';
    fs.writeFileSync(file, notebooks.formatSource(cells));

    expect(notebooks.check(dir)).toEqual({ ok: false, problems: [{ name, problem: 'differs' }] });
    const cli = spawnSync(process.execPath, [SCRIPT, 'check', '--dir', dir], { encoding: 'utf8' });
    expect(cli.status).toBe(1);
    expect(cli.stderr).toContain(`${name}.ipynb differs from what ${name}.ts builds to`);
    expect(cli.stderr).toContain('npm run notebooks');

    expect(notebooks.build(dir)).toEqual([name]);
    expect(notebooks.check(dir)).toEqual({ ok: true, problems: [] });
    const built = JSON.parse(fs.readFileSync(path.join(dir, `${name}.ipynb`), 'utf8'));
    const lastCode = built.cells.filter((c: { cell_type: string }) => c.cell_type === 'code').pop();
    expect(lastCode.source[lastCode.source.length - 1]).toBe('console.log("edited");');
    expect(fs.readdirSync(dir).sort()).toEqual([`${name}.ipynb`, `${name}.ts`]); // no temporary file left
  });

  test('a notebook without a source, and a source that does not parse, are reported', () => {
    fs.copyFileSync(path.join(dir, `${name}.ipynb`), path.join(dir, 'orphan.ipynb'));
    fs.writeFileSync(path.join(dir, 'broken.ts'), '// %% [markdown]\n// # Title\n\n// %%% typo\nconst x = 1;\n');
    const { ok, problems } = notebooks.check(dir);
    expect(ok).toBe(false);
    expect(problems.map((p) => [p.name, p.problem])).toEqual([
      ['broken', 'invalid-source'],
      ['orphan', 'missing-source'],
    ]);
    expect(problems[0].message).toContain('broken.ts:4: not a cell marker');
    expect(() => notebooks.build(dir)).toThrow(/broken\.ts:4/);
    expect(fs.existsSync(path.join(dir, 'broken.ipynb'))).toBe(false);
  });
});

test('the source format round-trips cell types, sources (trailing newlines, empty lines) and tags', () => {
  const cells: SourceCell[] = [
    { cell_type: 'markdown', source: '# Title\n\n  indented line\n' },
    { cell_type: 'code', source: "import * as nnft from '../dist';\n\nconst a = 1;" },
    { cell_type: 'code', source: 'const b = 2;\n\n', tags: ['solution'] },
    { cell_type: 'markdown', source: '', tags: ['hint', 'x y'] },
    { cell_type: 'code', source: '' },
    { cell_type: 'markdown', source: 'last\n' },
  ];
  const text = notebooks.formatSource(cells);
  expect(text.split('\n').filter((l) => l.startsWith('// %%'))).toEqual(['// %% [markdown]', '// %%', '// %% tags=["solution"]', '// %% [markdown] tags=["hint","x y"]', '// %%', '// %% [markdown]']);
  expect(notebooks.parseSource(text)).toEqual(cells);
  const nb = JSON.parse(notebooks.buildNotebookText(text, 'example'));
  expect(nb.cells.map((c: { metadata: unknown }) => c.metadata)).toEqual([{}, {}, { jupyter: { source_hidden: true }, tags: ['solution'] }, { tags: ['hint', 'x y'] }, {}, {}]);
  expect(nb.cells[2]).toMatchObject({ cell_type: 'code', execution_count: null, outputs: [], source: ['const b = 2;\n', '\n'] });
  expect(nb.metadata.kernelspec.name).toBe('nnft-typescript');
  expect(() => notebooks.formatSource([{ cell_type: 'code', source: '// %% not a cell' }])).toThrow(/would read as a cell marker/);
});

describe('solution cells are built with their source hidden', () => {
  interface BuiltCell { cell_type: string; metadata: Record<string, unknown>; source: string[] }
  const text = [
    '// %% [markdown]',
    '// ## Exercises',
    '',
    '// %% tags=["solution"]',
    'console.log(42);',
    '',
    '// %% [markdown] tags=["solution","hint"]',
    '// a hidden hint',
    '',
    '// %% tags=["solutions"]',
    'console.log(0);',
    '',
  ].join('\n');

  test('a cell tagged "solution" (code or markdown) gets jupyter.source_hidden, written before its tags; other tags do not', () => {
    const built = notebooks.buildNotebookText(text, 'hidden');
    const nb = JSON.parse(built) as { cells: BuiltCell[] };
    expect(nb.cells.map((c) => c.metadata)).toEqual([
      {},
      { jupyter: { source_hidden: true }, tags: ['solution'] },
      { jupyter: { source_hidden: true }, tags: ['solution', 'hint'] },
      { tags: ['solutions'] },
    ]);
    expect(nb.cells[1].source).toEqual(['console.log(42);']);
    // Jupyter's own key order (sorted), so a notebook saved by Jupyter is byte-identical.
    expect(built).toContain('"metadata": {\n    "jupyter": {\n     "source_hidden": true\n    },\n    "tags": [\n     "solution"\n    ]\n   }');
  });

  test('convert takes the derived metadata back without a note, and reports any other jupyter metadata as dropped', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nnft-notebook-hidden-'));
    try {
      const ipynb = path.join(dir, 'hidden.ipynb');
      fs.writeFileSync(ipynb, notebooks.buildNotebookText(text, 'hidden'));
      const convert = (require(SCRIPT) as { convert(f: string, o?: { force?: boolean }): { identical: boolean; notes: string[] } }).convert;
      expect(convert(ipynb)).toEqual({ name: 'hidden', identical: true, notes: [] });
      expect(fs.readFileSync(path.join(dir, 'hidden.ts'), 'utf8')).toBe(text);

      const nb = JSON.parse(fs.readFileSync(ipynb, 'utf8'));
      nb.cells[3].metadata.jupyter = { source_hidden: true }; // hidden by hand, without the tag: not kept
      fs.writeFileSync(ipynb, JSON.stringify(nb, null, 1) + '\n');
      const again = convert(ipynb, { force: true });
      expect(again.identical).toBe(false);
      expect(again.notes).toEqual(['cell 4: dropped metadata jupyter']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
