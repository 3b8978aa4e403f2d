/**
 * Tables in notebooks: printed in the kernel (danfojs' box drawing, as the notebooks have always
 * shown them) and saved as CSV where the lecture runner publishes them, $NNFT_OUT/tables/<name>.csv
 * (`outputDir`, scale.ts), beside the figures that `show` names.
 *
 * A table is a list of rows, one plain object per row, every row with the same keys (the columns,
 * in the first row's order) and primitive cells: numbers, strings, booleans, or null/undefined
 * for an empty cell.
 */
import * as fs from 'fs';
import * as path from 'path';
import { FULL_TABLE } from '../core/display';
import { writeFileAtomic } from '../core/io';
import { fail } from '../core/validate';
import { outputDir } from './scale';

/** One cell of a table. */
export type TableCell = number | string | boolean | null | undefined;

/**
 * One table row: column name -> cell. Functions take `readonly R[]` with `R extends TableRow<R>`, so
 * rows typed by an interface (e.g. `CoordinateRow`) are tables too.
 */
export type TableRow<R = Record<string, TableCell>> = { readonly [K in keyof R]: TableCell };

/** How much of a table `formatTable` / `printTable` shows (default: all of it). */
export interface TableOptions {
  /** Show at most this many rows (the first ones). */
  maxRows?: number;
  /** Show at most this many columns (more are elided in the middle, danfojs' way). */
  maxColumns?: number;
}

/** A table name: a file stem, letters, digits, '.', '_' and '-', not starting with '.' and not ending in '.csv'. */
const TABLE_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

/** The columns of `rows`, checked: a non-empty array of objects with the same keys and primitive cells. */
function checkRows(fn: string, rows: unknown): string[] {
  if (!Array.isArray(rows) || rows.length === 0) fail(fn, 'rows', 'a non-empty array of row objects', rows);
  const isRow = (r: unknown): r is Record<string, unknown> => r !== null && typeof r === 'object' && !Array.isArray(r);
  if (!isRow(rows[0])) fail(fn, 'rows[0]', 'an object (column name -> cell)', rows[0]);
  const columns = Object.keys(rows[0]);
  if (columns.length === 0) fail(fn, 'rows[0]', 'an object with at least one column', '{}');
  rows.forEach((row: unknown, i) => {
    if (!isRow(row)) fail(fn, `rows[${i}]`, 'an object (column name -> cell)', row);
    const keys = Object.keys(row);
    if (keys.length !== columns.length || !columns.every((c) => Object.prototype.hasOwnProperty.call(row, c))) {
      fail(fn, `rows[${i}]`, `a row with the columns of rows[0], ${JSON.stringify(columns)}`, keys);
    }
    for (const c of columns) {
      const v = row[c];
      if (v !== null && v !== undefined && typeof v !== 'number' && typeof v !== 'string' && typeof v !== 'boolean') {
        fail(fn, `rows[${i}].${c}`, 'a number, string, boolean, null or undefined', Array.isArray(v) || typeof v !== 'object' ? v : `an object ${JSON.stringify(v)}`);
      }
    }
  });
  return columns;
}

/** A CSV field: String(value) (empty for null/undefined), quoted RFC 4180 style only if it holds a comma, quote or line break. */
function csvField(value: unknown): string {
  const s = value === null || value === undefined ? '' : String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * The CSV text of a table: a header line with the column names, then one line per row, every line
 * ending in "\n". Cells are written as `String(value)` (null and undefined as empty cells), which is
 * what danfojs' `toCSV` writes for such rows, so tables saved before these helpers keep their bytes.
 */
export function tableCsv<R extends TableRow<R>>(rows: readonly R[]): string {
  return csvText('tableCsv', rows);
}

function csvText(fn: string, rows: readonly object[]): string {
  const columns = checkRows(fn, rows);
  let text = `${columns.map(csvField).join(',')}\n`;
  for (const row of rows as readonly Record<string, unknown>[]) text += `${columns.map((c) => csvField(row[c])).join(',')}\n`;
  return text;
}

/**
 * Save a table as `<outputDir()>/tables/<name>.csv` (the folder is created; the file is written
 * atomically) and return the file's path. `nnft lectures` sets NNFT_OUT, so the runner's output
 * folder collects every notebook's tables under tables/; give each table of a notebook a distinct
 * name, as for figures (`show`).
 */
export function saveTable<R extends TableRow<R>>(name: string, rows: readonly R[]): string {
  if (typeof name !== 'string' || !TABLE_NAME.test(name) || name.toLowerCase().endsWith('.csv')) {
    fail('saveTable', 'name', "a file stem of letters, digits, '.', '_' and '-' (without .csv)", name);
  }
  const text = csvText('saveTable', rows);
  const file = path.join(outputDir(), 'tables', `${name}.csv`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writeFileAtomic(file, text);
  return file;
}

type DanfoFrame = { toString(): string };
type Danfo = { DataFrame: new (data: unknown, options?: unknown) => DanfoFrame };
let danfo: Danfo | undefined;

/** danfojs-node, loaded on first use (it takes seconds, and only notebooks print tables). */
function loadDanfo(): Danfo {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  danfo ??= require('danfojs-node') as Danfo;
  return danfo;
}

function checkLimit(fn: string, arg: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) fail(fn, arg, 'a positive integer', value);
  return value;
}

/**
 * A table as danfojs draws it in a notebook (a `DataFrame`'s `toString()`, with an index column),
 * whole unless `options` limit the rows or columns shown. Same text as
 * `new dfd.DataFrame(rows, nnft.FULL_TABLE).toString()`.
 */
export function formatTable<R extends TableRow<R>>(rows: readonly R[], options: TableOptions = {}): string {
  return drawTable('formatTable', rows, options);
}

function drawTable(fn: string, rows: readonly object[], options: TableOptions): string {
  checkRows(fn, rows);
  if (options === null || typeof options !== 'object') fail(fn, 'options', 'an object like { maxRows: 10 }', options);
  const maxRows = checkLimit(fn, 'options.maxRows', options.maxRows) ?? FULL_TABLE.config.tableMaxRow;
  const maxColumns = checkLimit(fn, 'options.maxColumns', options.maxColumns) ?? FULL_TABLE.config.tableMaxColInConsole;
  const { DataFrame } = loadDanfo();
  return new DataFrame(rows, { config: { tableMaxRow: maxRows, tableMaxColInConsole: maxColumns } }).toString();
}

/** Print a table in the notebook (`formatTable`, then console.log). */
export function printTable<R extends TableRow<R>>(rows: readonly R[], options: TableOptions = {}): void {
  console.log(drawTable('printTable', rows, options));
}
