/**
 * Progress for library calls that report a fraction done (`onProgress(fraction)`, e.g.
 * `coordinateCheck`, `learningRateSweep`) on a bar counted in percent.
 */
import { Progress } from '../core/progress';
import { fail } from '../core/validate';

/**
 * An `onProgress(fraction)` callback that advances `bar` (made with total 100, e.g.
 * `progressBar('sweep', 100, '%')`) to the whole percent nearest to the fraction reported. Fractions
 * must lie in [0, 1]; a fraction below an earlier one moves nothing.
 */
export function percentTicks(bar: Progress): (fraction: number) => void {
  if (bar === null || typeof bar !== 'object' || typeof bar.tick !== 'function') fail('percentTicks', 'bar', 'a progress bar (progressBar)', bar);
  let last = 0;
  return (fraction: number) => {
    if (typeof fraction !== 'number' || !(fraction >= 0 && fraction <= 1)) fail('percentTicks', 'fraction', 'a number in [0, 1]', fraction);
    const now = Math.round(100 * fraction);
    if (now <= last) return;
    bar.tick(now - last);
    last = now;
  };
}
