/**
 * Notebook sizes. The lecture runner passes `NNFT_SCALE=ci|full`: `full` is what the published
 * figures use, `ci` shrinks ensembles so the whole suite runs in CI. Interactive sessions with no
 * NNFT_SCALE get `full`.
 */
import * as path from 'path';
export type Scale = 'ci' | 'full';

export function scale(): Scale {
  const value = process.env.NNFT_SCALE;
  if (value === undefined || value === '') return 'full';
  if (value !== 'ci' && value !== 'full') throw new RangeError(`nnft: NNFT_SCALE must be ci or full, got ${JSON.stringify(value)}`);
  return value;
}

/** Pick the value for the current scale: `atScale({ ci: 2000, full: 100000 })`. */
export function atScale<T>(values: { ci: T; full: T }): T {
  return values[scale()];
}

/** Where notebooks write tables and data: $NNFT_OUT (set by `nnft lectures`), else ./out. */
export function outputDir(): string {
  return process.env.NNFT_OUT || path.resolve('out');
}
