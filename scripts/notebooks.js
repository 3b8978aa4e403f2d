#!/usr/bin/env node
// The lecture notebooks' sources: every notebooks/<name>.ipynb is built from notebooks/<name>.ts.
//
//   node scripts/notebooks.js build              write every notebooks/*.ipynb from its .ts source (npm run notebooks)
//   node scripts/notebooks.js check              exit 1 naming each .ipynb that differs from what its source builds to,
//                                                 each .ipynb without a source, each source without a .ipynb
//                                                 (npm run notebooks:check)
//   node scripts/notebooks.js convert [--force] [X.ipynb ...]
//                                                 write notebooks/X.ts from notebooks/X.ipynb (e.g. after editing a
//                                                 notebook in Jupyter); refuses to overwrite a source without --force
//   --dir DIR                                     another folder than notebooks/ (any mode)
//
// Source format: jupytext's "percent" format for TypeScript, restricted to what the notebooks use.
//
//   // %% [markdown]                      starts a markdown cell; each of its lines is "// " + the markdown line,
//                                         an empty markdown line is "//" (an empty source line is read as one too)
//   // %%                                 starts a code cell; the lines after it are the code, verbatim
//   // %% tags=["a", "b"]                 cell tags (cell metadata "tags", a JSON array of strings), jupytext's spelling;
//   // %% [markdown] tags=["a"]           also on markdown cells
//
// The file begins with a marker line. A cell's text ends with one blank line before the next marker (the last cell ends
// with the file's final newline), so a source that itself ends with a newline shows as two blank lines (one "//" line
// and a blank line for markdown). Every other line starting with "// %%" is an error, and so is code that contains one.
// A source is an ordinary TypeScript module (cells share scope in order, as in tslab); notebooks/tsconfig.json
// type-checks all of them: npx tsc -p notebooks/tsconfig.json.
//
// What is built: nbformat 4.5 with the fixed notebook metadata below; code cells have no outputs and execution_count
// null; a cell tagged "solution" (an exercise's solution) gets Jupyter's "jupyter": {"source_hidden": true} metadata, so
// it opens with its code collapsed (it still runs, and its outputs show); cell ids are derived from the notebook's name and the cell's position (the first 8 hex digits of
// sha1("<name>:<n>"), n = 1, 2, ...). The JSON is what Jupyter itself writes (keys sorted, one-space indent, non-ASCII
// characters unescaped, sources as lists of lines, final newline), so opening and saving a notebook in Jupyter
// without running it changes nothing but its outputs. Notebooks are written atomically (temporary file + rename).
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const NOTEBOOKS_DIR = path.join(__dirname, '..', 'notebooks');

const NOTEBOOK_METADATA = {
  kernelspec: { display_name: 'TypeScript (nnft)', language: 'typescript', name: 'nnft-typescript' },
  language_info: { file_extension: '.ts', mimetype: 'text/typescript', name: 'typescript' },
};

const MARKER = '// %%';
const MARKER_RE = /^\/\/ %%(?: \[(markdown)\])?(?: tags=(.*))?$/;

class NotebookSourceError extends Error {}

function fail(file, line, message) {
  throw new NotebookSourceError(`${file}${line ? `:${line}` : ''}: ${message}`);
}

function parseTags(json, file, line) {
  let tags;
  try {
    tags = JSON.parse(json);
  } catch (err) {
    fail(file, line, `tags= must be a JSON array of strings (${err.message})`);
  }
  if (!Array.isArray(tags) || !tags.every((t) => typeof t === 'string')) fail(file, line, 'tags= must be a JSON array of strings');
  return tags;
}

/**
 * Parse a notebook source (the text of notebooks/<name>.ts) into cells
 * [{ cell_type: 'code' | 'markdown', source: string, tags?: string[] }]. `file` only names it in errors.
 */
function parseSource(text, file = '<source>') {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  // A final newline ends the last line; it is not an empty line of the last cell.
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  const cells = [];
  let current = null;
  const finish = (isLast) => {
    if (!current) return;
    const body = current.lines;
    // Every cell but the last ends with a blank separator line (tolerated when missing).
    if (!isLast && body.length > 0 && body[body.length - 1] === '') body.pop();
    let source;
    if (current.cell_type === 'markdown') {
      source = body
        .map((l, i) => {
          if (l === '//' || l === '') return '';
          if (l.startsWith('// ')) return l.slice(3);
          return fail(file, current.line + 1 + i, 'a markdown line must start with "// " (or be "//" for an empty line)');
        })
        .join('\n');
      if (body.length === 0) source = '';
    } else {
      source = body.join('\n');
    }
    const cell = { cell_type: current.cell_type, source };
    if (current.tags) cell.tags = current.tags;
    cells.push(cell);
  };
  lines.forEach((l, i) => {
    if (!l.startsWith(MARKER)) {
      if (!current) fail(file, i + 1, `a notebook source must begin with a "${MARKER}" or "${MARKER} [markdown]" line`);
      current.lines.push(l);
      return;
    }
    const m = MARKER_RE.exec(l);
    if (!m) fail(file, i + 1, `not a cell marker: ${JSON.stringify(l)} (expected "// %%" or "// %% [markdown]", optionally followed by " tags=[...]")`);
    finish(false);
    current = { cell_type: m[1] ? 'markdown' : 'code', line: i + 1, lines: [] };
    if (m[2] !== undefined) current.tags = parseTags(m[2], file, i + 1);
  });
  if (!current) fail(file, 0, `empty notebook source (expected "${MARKER}" cell markers)`);
  finish(true);
  return cells;
}

/** The text of a notebook source for cells [{ cell_type, source, tags? }] (inverse of parseSource). */
function formatSource(cells, file = '<notebook>') {
  if (cells.length === 0) throw new NotebookSourceError(`${file}: a notebook needs at least one cell`);
  const chunks = cells.map((cell, i) => {
    let marker = cell.cell_type === 'markdown' ? `${MARKER} [markdown]` : MARKER;
    if (cell.tags) marker += ` tags=${JSON.stringify(cell.tags)}`;
    const srcLines = cell.source.split('\n');
    srcLines.forEach((l, j) => {
      if (l.startsWith(MARKER) || (cell.cell_type === 'markdown' && `// ${l}`.startsWith(MARKER))) {
        throw new NotebookSourceError(`${file}: cell ${i + 1}, line ${j + 1} would read as a cell marker: ${JSON.stringify(l)}`);
      }
      if (l.includes('\r')) throw new NotebookSourceError(`${file}: cell ${i + 1}, line ${j + 1} contains a carriage return (sources are read with LF line ends)`);
    });
    const body = cell.cell_type === 'markdown' ? srcLines.map((l) => (l === '' ? '//' : `// ${l}`)).join('\n') : cell.source;
    return `${marker}\n${body}\n`;
  });
  return chunks.join('\n');
}

/** Split a source into nbformat's list of lines (each but the last ends with "\n"). */
function sourceLines(source) {
  return source === '' ? [] : source.match(/[^\n]*\n|[^\n]+$/g);
}

function cellId(name, index) {
  return crypto.createHash('sha1').update(`${name}:${index + 1}`).digest('hex').slice(0, 8);
}

/** Tag of the cells whose source the built notebook hides (exercise solutions). */
const HIDDEN_SOURCE_TAG = 'solution';

/** A cell's metadata as built (keys in sorted order): source_hidden for solutions, then the tags. */
function cellMetadata(cell) {
  const metadata = {};
  if (cell.tags && cell.tags.includes(HIDDEN_SOURCE_TAG)) metadata.jupyter = { source_hidden: true };
  if (cell.tags) metadata.tags = cell.tags;
  return metadata;
}

/** The notebook object (nbformat 4.5, keys in sorted order) for cells of the notebook called `name`. */
function notebookOf(cells, name) {
  return {
    cells: cells.map((cell, i) => {
      const metadata = cellMetadata(cell);
      if (cell.cell_type === 'markdown') return { cell_type: 'markdown', id: cellId(name, i), metadata, source: sourceLines(cell.source) };
      return { cell_type: 'code', execution_count: null, id: cellId(name, i), metadata, outputs: [], source: sourceLines(cell.source) };
    }),
    metadata: NOTEBOOK_METADATA,
    nbformat: 4,
    nbformat_minor: 5,
  };
}

/** The .ipynb text built from a source's text; `name` is the notebook's name (file name without extension). */
function buildNotebookText(sourceText, name, file = `${name}.ts`) {
  return JSON.stringify(notebookOf(parseSource(sourceText, file), name), null, 1) + '\n';
}

function cellsOfNotebook(nb, file = '<notebook>') {
  const notes = [];
  if (!nb || nb.nbformat !== 4 || !Array.isArray(nb.cells)) throw new NotebookSourceError(`${file}: not an nbformat 4 notebook`);
  const cells = nb.cells.map((c, i) => {
    if (c.cell_type !== 'code' && c.cell_type !== 'markdown') throw new NotebookSourceError(`${file}: cell ${i + 1} is a ${c.cell_type} cell (only code and markdown are supported)`);
    const source = Array.isArray(c.source) ? c.source.join('') : c.source;
    if (typeof source !== 'string') throw new NotebookSourceError(`${file}: cell ${i + 1} has no source`);
    const cell = { cell_type: c.cell_type, source };
    const { tags, ...rest } = c.metadata || {};
    if (tags !== undefined) {
      if (!Array.isArray(tags) || !tags.every((t) => typeof t === 'string')) throw new NotebookSourceError(`${file}: cell ${i + 1} has tags that are not a list of strings`);
      cell.tags = tags;
    }
    // The builder derives "jupyter": {"source_hidden": true} from the "solution" tag; it is no loss when it is exactly that.
    if (rest.jupyter !== undefined && JSON.stringify(rest.jupyter) === JSON.stringify(cellMetadata(cell).jupyter)) delete rest.jupyter;
    if (Object.keys(rest).length > 0) notes.push(`cell ${i + 1}: dropped metadata ${Object.keys(rest).join(', ')}`);
    if ((c.outputs && c.outputs.length > 0) || (c.execution_count !== undefined && c.execution_count !== null)) notes.push(`cell ${i + 1}: dropped outputs`);
    return cell;
  });
  return { cells, notes };
}

function writeFileAtomic(file, text) {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`);
  try {
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}

const isSource = (f) => f.endsWith('.ts') && !f.endsWith('.d.ts');

function listNames(dir) {
  const files = fs.readdirSync(dir);
  return {
    sources: files.filter(isSource).map((f) => f.slice(0, -3)).sort(),
    notebooks: files.filter((f) => f.endsWith('.ipynb')).map((f) => f.slice(0, -6)).sort(),
  };
}

/**
 * Compare every .ipynb in `dir` with what its source builds to. Returns { ok, problems: [{ name, problem }] } where
 * problem is 'differs' (the .ipynb is not what its source builds to), 'missing-source', 'missing-notebook' or
 * 'invalid-source' (with message).
 */
function check(dir = NOTEBOOKS_DIR) {
  const { sources, notebooks } = listNames(dir);
  const problems = [];
  for (const name of notebooks) if (!sources.includes(name)) problems.push({ name, problem: 'missing-source' });
  for (const name of sources) {
    const file = path.join(dir, `${name}.ts`);
    let built;
    try {
      built = buildNotebookText(fs.readFileSync(file, 'utf8'), name, file);
    } catch (err) {
      if (!(err instanceof NotebookSourceError)) throw err;
      problems.push({ name, problem: 'invalid-source', message: err.message });
      continue;
    }
    const target = path.join(dir, `${name}.ipynb`);
    if (!fs.existsSync(target)) problems.push({ name, problem: 'missing-notebook' });
    else if (fs.readFileSync(target, 'utf8') !== built) problems.push({ name, problem: 'differs' });
  }
  problems.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { ok: problems.length === 0, problems };
}

function describeProblem({ name, problem, message }) {
  switch (problem) {
    case 'differs':
      return `${name}.ipynb differs from what ${name}.ts builds to`;
    case 'missing-source':
      return `${name}.ipynb has no source ${name}.ts`;
    case 'missing-notebook':
      return `${name}.ts has not been built (no ${name}.ipynb)`;
    default:
      return message;
  }
}

/** Write every <name>.ipynb in `dir` from its <name>.ts; returns the names whose .ipynb changed. */
function build(dir = NOTEBOOKS_DIR) {
  const { sources } = listNames(dir);
  // Parse every source first, so that one bad source leaves every notebook as it was.
  const built = sources.map((name) => {
    const file = path.join(dir, `${name}.ts`);
    return { name, text: buildNotebookText(fs.readFileSync(file, 'utf8'), name, file) };
  });
  const changed = [];
  for (const { name, text } of built) {
    const target = path.join(dir, `${name}.ipynb`);
    if (fs.existsSync(target) && fs.readFileSync(target, 'utf8') === text) continue;
    writeFileAtomic(target, text);
    changed.push(name);
  }
  return changed;
}

/**
 * Write <name>.ts from <name>.ipynb and check the round trip: the source must build to a notebook with the same
 * cells (types, sources, tags). Returns { name, identical, notes } where identical tells whether the rebuilt .ipynb
 * is byte-identical to the original.
 */
function convert(ipynbFile, { force = false } = {}) {
  const name = path.basename(ipynbFile, '.ipynb');
  const target = path.join(path.dirname(ipynbFile), `${name}.ts`);
  if (fs.existsSync(target) && !force) throw new NotebookSourceError(`${target} exists (use --force to overwrite it)`);
  const original = fs.readFileSync(ipynbFile, 'utf8');
  const { cells, notes } = cellsOfNotebook(JSON.parse(original), ipynbFile);
  const text = formatSource(cells, ipynbFile);
  const rebuilt = buildNotebookText(text, name, target);
  const again = cellsOfNotebook(JSON.parse(rebuilt), target).cells;
  if (JSON.stringify(again) !== JSON.stringify(cells)) throw new NotebookSourceError(`${ipynbFile}: the round trip through ${name}.ts changes its cells`);
  writeFileAtomic(target, text);
  return { name, identical: rebuilt === original, notes };
}

function main(argv) {
  const args = argv.slice();
  const mode = args.shift();
  let dir = NOTEBOOKS_DIR;
  let force = false;
  const files = [];
  while (args.length > 0) {
    const a = args.shift();
    if (a === '--dir') dir = path.resolve(args.shift() || '');
    else if (a === '--force') force = true;
    else files.push(a);
  }
  const rel = (f) => path.relative(process.cwd(), f) || '.';
  try {
    if (mode === 'build' && files.length === 0) {
      const changed = build(dir);
      console.log(changed.length === 0 ? `notebooks: every notebook in ${rel(dir)} is up to date` : changed.map((n) => `notebooks: wrote ${rel(path.join(dir, `${n}.ipynb`))}`).join('\n'));
      return 0;
    }
    if (mode === 'check' && files.length === 0) {
      const { ok, problems } = check(dir);
      if (ok) {
        console.log(`notebooks: every notebook in ${rel(dir)} is what its source builds to`);
        return 0;
      }
      console.error(problems.map((p) => `notebooks: ${describeProblem(p)}`).join('\n'));
      console.error('Run `npm run notebooks` to rebuild the notebooks from their sources (notebooks/*.ts).');
      return 1;
    }
    if (mode === 'convert') {
      const targets = files.length > 0 ? files.map((f) => path.resolve(f)) : listNames(dir).notebooks.map((n) => path.join(dir, `${n}.ipynb`));
      for (const f of targets) {
        const { name, identical, notes } = convert(f, { force });
        console.log(`notebooks: wrote ${rel(path.join(path.dirname(f), `${name}.ts`))} (round trip ${identical ? 'byte-identical' : 'same cells; the .ipynb is rewritten by `npm run notebooks`'})`);
        for (const n of notes) console.log(`  ${n}`);
      }
      return 0;
    }
  } catch (err) {
    if (!(err instanceof NotebookSourceError)) throw err;
    console.error(`notebooks: ${err.message}`);
    return 1;
  }
  console.error('usage: node scripts/notebooks.js build | check | convert [--force] [X.ipynb ...]  [--dir DIR]');
  return 2;
}

module.exports = {
  NOTEBOOKS_DIR,
  NOTEBOOK_METADATA,
  HIDDEN_SOURCE_TAG,
  NotebookSourceError,
  parseSource,
  formatSource,
  notebookOf,
  buildNotebookText,
  cellsOfNotebook,
  check,
  describeProblem,
  build,
  convert,
  main,
};

if (require.main === module) process.exitCode = main(process.argv.slice(2));
