/**
 * Notebooks in nbformat 4: reading with clear errors, outputs from IOPub messages, writing
 * (atomically: a reader never sees half a notebook).
 */
import * as fs from 'fs';
import { writeFileAtomic } from '../core/io';
import { IopubOutput } from './jupyter-client';

export interface Cell {
  cell_type: 'code' | 'markdown' | 'raw';
  source: string | string[];
  metadata: Record<string, unknown>;
  outputs?: Output[];
  execution_count?: number | null;
  id?: string;
}

export type Output = Record<string, unknown> & { output_type: string };

export interface Notebook {
  nbformat: number;
  nbformat_minor: number;
  metadata: Record<string, unknown>;
  cells: Cell[];
}

export function cellSource(cell: Cell): string {
  return Array.isArray(cell.source) ? cell.source.join('') : cell.source;
}

/** Read and validate a notebook; every problem names the file. */
export function readNotebook(file: string): Notebook {
  if (!fs.existsSync(file)) throw new Error(`nnft: notebook not found: ${file}`);
  if (!fs.statSync(file).isFile()) throw new Error(`nnft: not a notebook file: ${file}`);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`nnft: cannot read notebook ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  let nb: Notebook;
  try {
    nb = JSON.parse(text);
  } catch (err) {
    throw new Error(`nnft: ${file} is not a valid notebook (not JSON: ${(err as Error).message})`);
  }
  if (!nb || typeof nb !== 'object' || nb.nbformat !== 4 || !Array.isArray(nb.cells)) {
    throw new Error(`nnft: ${file} is not a valid notebook (expected nbformat 4 with a cells array)`);
  }
  nb.cells.forEach((cell, i) => {
    const okType = cell && ['code', 'markdown', 'raw'].includes(cell.cell_type);
    const okSource = cell && (typeof cell.source === 'string' || (Array.isArray(cell.source) && cell.source.every((s) => typeof s === 'string')));
    if (!okType || !okSource) throw new Error(`nnft: ${file} is not a valid notebook (cell ${i + 1} has no valid cell_type/source)`);
  });
  return nb;
}

export function writeNotebook(file: string, nb: Notebook): void {
  writeFileAtomic(file, JSON.stringify(nb, null, 1) + '\n');
}

/** Fold a cell's IOPub messages into nbformat outputs (streams merged, display updates applied). */
export function toOutputs(messages: readonly IopubOutput[], executionCount: number | null): Output[] {
  const outputs: Output[] = [];
  const byDisplayId = new Map<string, Output[]>();
  for (const { msgType, content } of messages) {
    switch (msgType) {
      case 'stream': {
        const last = outputs[outputs.length - 1];
        if (last && last.output_type === 'stream' && last.name === content.name) last.text = String(last.text) + String(content.text);
        else outputs.push({ output_type: 'stream', name: content.name, text: String(content.text) });
        break;
      }
      case 'display_data':
      case 'execute_result': {
        const out: Output = { output_type: msgType, data: content.data ?? {}, metadata: content.metadata ?? {} };
        if (msgType === 'execute_result') out.execution_count = executionCount;
        outputs.push(out);
        const id = (content.transient as { display_id?: string } | undefined)?.display_id;
        if (id) byDisplayId.set(id, [...(byDisplayId.get(id) ?? []), out]);
        break;
      }
      case 'update_display_data': {
        const id = (content.transient as { display_id?: string } | undefined)?.display_id;
        for (const out of (id && byDisplayId.get(id)) || []) {
          out.data = content.data ?? {};
          out.metadata = content.metadata ?? {};
        }
        break;
      }
      case 'error':
        outputs.push({ output_type: 'error', ename: content.ename, evalue: content.evalue, traceback: content.traceback ?? [] });
        break;
      case 'clear_output':
        outputs.length = 0;
        break;
      default:
        break;
    }
  }
  return outputs;
}
