/**
 * Where the time of a command goes, for `npm run bench`: with `NNFT_TIMINGS=1` in the environment,
 * the phases below add up their wall-clock seconds and the CLI prints them as one JSON line on
 * stderr when it is done (`{"nnft-timings": {...}}`). Without it every call is a plain call.
 */
const enabled = process.env.NNFT_TIMINGS === '1';
const totals = new Map<string, number>();

/** Whether timings are being collected. */
export function timingsEnabled(): boolean {
  return enabled;
}

/** Add `seconds` to phase `name`. */
export function addTiming(name: string, seconds: number): void {
  if (enabled) totals.set(name, (totals.get(name) ?? 0) + seconds);
}

/** Run `fn`, adding its wall-clock time to phase `name`. */
export function timed<T>(name: string, fn: () => T): T {
  if (!enabled) return fn();
  const t0 = performance.now();
  try {
    return fn();
  } finally {
    addTiming(name, (performance.now() - t0) / 1000);
  }
}

/** As `timed`, for a promise-returning `fn`. */
export async function timedAsync<T>(name: string, fn: () => Promise<T>): Promise<T> {
  if (!enabled) return fn();
  const t0 = performance.now();
  try {
    return await fn();
  } finally {
    addTiming(name, (performance.now() - t0) / 1000);
  }
}

/** The phases so far, in seconds. */
export function timings(): Record<string, number> {
  return Object.fromEntries(totals);
}
