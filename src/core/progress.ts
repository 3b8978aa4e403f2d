/**
 * Progress bars for long Monte Carlo runs: count, rate and ETA. Silent for the first second (short
 * runs stay quiet); then a notebook output updated in place inside tslab, or a line on stderr
 * elsewhere (rewritten in place on a terminal, every 5 s otherwise).
 */
import { displayBundle, inKernel } from './display';

export interface Progress {
  /** Record `n` more units done. */
  tick(n: number): void;
  /** Mark the run finished (prints the final line if a bar was shown). */
  done(): void;
}

function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '?';
  if (s < 60) return `${s.toFixed(0)}s`;
  const m = Math.floor(s / 60);
  return `${m}m${String(Math.round(s - 60 * m)).padStart(2, '0')}s`;
}

function line(label: string, done: number, total: number, elapsed: number, unit: string): string {
  const frac = total > 0 ? done / total : 1;
  const width = 30;
  const filled = Math.round(frac * width);
  const rate = elapsed > 0 ? done / elapsed : 0;
  const eta = rate > 0 ? (total - done) / rate : Infinity;
  const bar = '#'.repeat(filled) + '.'.repeat(width - filled);
  const tail = done >= total ? `in ${formatSeconds(elapsed)}` : `ETA ${formatSeconds(eta)}`;
  return `${label} [${bar}] ${done}/${total} ${unit} ${(100 * frac).toFixed(0)}% ${rate.toFixed(0)} ${unit}/s ${tail}`;
}

export function progressBar(label: string, total: number, unit = 'nets', enabled = true): Progress {
  const start = Date.now();
  let done = 0;
  let lastDraw = 0;
  let handle: { update(data: Record<string, unknown>): void } | null = null;
  const tty = process.stderr.isTTY === true;
  let inKernelBar: boolean | null = null;

  const draw = (final: boolean) => {
    const now = Date.now();
    const elapsed = (now - start) / 1000;
    const text = line(label, done, total, elapsed, unit);
    if (inKernelBar === null) {
      // Decide once: inside tslab use an updatable output, otherwise stderr.
      const bundle = { 'text/plain': text };
      handle = displayBundleIfKernel(bundle);
      inKernelBar = handle !== null;
      if (!inKernelBar) process.stderr.write(tty && !final ? `\r${text}` : `${text}\n`);
    } else if (handle) {
      handle.update({ 'text/plain': text });
    } else if (tty) {
      process.stderr.write(`\r${text}${final ? '\n' : ''}`);
    } else if (final || now - lastDraw > 5000) {
      process.stderr.write(`${text}\n`);
    } else {
      return;
    }
    lastDraw = now;
  };

  return {
    tick(n: number) {
      done += n;
      if (!enabled) return;
      const now = Date.now();
      if (now - start < 1000 || now - lastDraw < 250) return;
      draw(false);
    },
    done() {
      if (enabled && lastDraw > 0) draw(true);
    },
  };
}

function displayBundleIfKernel(bundle: Record<string, unknown>): { update(data: Record<string, unknown>): void } | null {
  return inKernel() ? displayBundle(bundle) : null;
}
