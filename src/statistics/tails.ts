/**
 * Heavy-tail diagnostics for Monte Carlo means: can this error bar be trusted?
 *
 * A sample mean with a jackknife error bar is only as good as the central limit theorem behind it,
 * and the CLT needs the terms to have a finite variance, and for a practical number of samples a
 * tail that is not too long. Gauss-nets (log-normal hidden units), 6-point functions at small width
 * and importance weights all break this long before the mean itself diverges.
 *
 * The diagnostic is the one of Pareto-smoothed importance sampling (Vehtari, Simpson, Gelman, Yao
 * and Gabry, "Pareto smoothed importance sampling", JMLR 25 (2024)): fit a generalized Pareto
 * distribution (GPD) to the M = ceil(min(S/5, 3 sqrt(S))) largest of S terms and read off its shape
 * k-hat. A GPD of shape k has finite moments of order < 1/k, so
 *   k < 1/2      finite variance: the CLT and the error bar hold;
 *   1/2 <= k < 0.7   the variance is infinite or the convergence pre-asymptotic, but the estimate
 *                still settles at practical sample sizes;
 *   k >= 0.7     the mean cannot be estimated reliably from this many samples (the threshold is
 *                min(1 - 1/log10(S), 0.7), stricter for small S).
 * The fit is Zhang and Stephens' (2009) empirical-Bayes estimate with PSIS's weak prior towards
 * k = 1/2 (10 pseudo-observations), as in the reference implementations (loo, ArviZ).
 *
 * For ensemble correlators the terms of an order-n estimate are products f(x_i1) ... f(x_in) over
 * networks. Each is bounded by the largest |f(x_p)|^n among its points, so the family of order n
 * is diagnosed by the k-hat of |f(x_p)|^n at every input point p, and reported at the worst point.
 * Only the largest |f(x_p)| need to be kept for that: `TailRecord` streams them (bounded memory,
 * mergeable, serialisable) beside the moment sums.
 */

// Hoisted: inside test runners' sandboxes a global lookup in a hot loop costs ~20x.
const abs = Math.abs;

/** How many of the largest |f(x_p)| a record keeps per point: the PSIS tail for S up to ~1.9 million. */
export const DEFAULT_TAIL_CAPACITY = 4096;

/** PSIS's reliability threshold for S samples: min(1 - 1/log10(S), 0.7). */
export function paretoThreshold(samples: number): number {
  return Math.min(1 - 1 / Math.log10(samples), 0.7);
}

/** PSIS's tail size for S samples: ceil(min(S/5, 3 sqrt(S))). */
export function paretoTailSize(samples: number): number {
  return Math.ceil(Math.min(samples / 5, 3 * Math.sqrt(samples)));
}

/**
 * Shape k of a generalized Pareto fit to excesses over a threshold (all >= 0), by Zhang and
 * Stephens (2009) with PSIS's weak prior (posterior mean over a grid of 30 + sqrt(n) profile
 * points, then k shrunk towards 1/2 by 10 pseudo-observations). Returns -Infinity when every
 * excess is 0 (a bounded tail, nothing to fit).
 */
export function gpdShape(excesses: ArrayLike<number>): number {
  const x = Float64Array.from(excesses).sort();
  const n = x.length;
  if (n < 2) throw new RangeError(`gpdShape: need at least 2 excesses, got ${n}`);
  if (x[0] < 0) throw new RangeError(`gpdShape: excesses must be >= 0, got ${x[0]}`);
  const xMax = x[n - 1];
  if (Number.isNaN(xMax) || xMax === Infinity) return Infinity; // infinite terms: no mean at all
  if (!(xMax > 0)) return -Infinity;
  const PRIOR = 3;
  const m = 30 + Math.floor(Math.sqrt(n));
  const quartile = x[Math.floor(n / 4 + 0.5) - 1] || xMax / n;
  const theta = new Float64Array(m);
  const logLik = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    theta[j] = (1 - Math.sqrt(m / (j + 0.5))) / (PRIOR * quartile) + 1 / xMax;
    let k = 0;
    for (let i = 0; i < n; i++) k += Math.log1p(-theta[j] * x[i]);
    k /= n;
    logLik[j] = n * (Math.log(-theta[j] / k) - k - 1);
  }
  // Posterior weights w_j = 1 / sum_l exp(L_l - L_j), computed stably.
  let thetaHat = 0;
  let total = 0;
  const weights = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    let s = 0;
    for (let l = 0; l < m; l++) s += Math.exp(logLik[l] - logLik[j]);
    weights[j] = 1 / s;
  }
  for (let j = 0; j < m; j++) {
    if (!(weights[j] >= 10 * Number.EPSILON)) continue;
    thetaHat += weights[j] * theta[j];
    total += weights[j];
  }
  thetaHat /= total;
  let k = 0;
  for (let i = 0; i < n; i++) k += Math.log1p(-thetaHat * x[i]);
  k /= n; // Zhang-Stephens return -k; this is the usual sign (k > 0: heavy tail)
  const a = 10;
  return (k * n) / (n + a) + (a * 0.5) / (n + a);
}

/** The tail diagnostic of one Monte Carlo estimate (or the worst of a family of them). */
export interface TailDiagnostic {
  /** Pareto shape k-hat of the largest terms (-Infinity: bounded; NaN: too few samples). */
  readonly khat: number;
  /** Reliability threshold min(1 - 1/log10(S), 0.7). */
  readonly threshold: number;
  /** khat < threshold (false also when there were too few samples to tell). */
  readonly reliable: boolean;
  /** Samples S behind the estimate, and the M largest the fit used. */
  readonly samples: number;
  readonly tail: number;
  /** Input point whose terms have the heaviest tail (-1 when not a per-point family). */
  readonly point: number;
  /** What the terms are, when not the estimate's own (e.g. `hidden units phi(x)^2`). */
  readonly terms?: string;
}

/** Fewest samples for which a tail fit is attempted (M >= 5 largest terms). */
export const MIN_TAIL_SAMPLES = 25;

/**
 * k-hat of the terms of a mean (a lab diagnostic, not a lecture formula: PSIS, Vehtari et al.,
 * JMLR 25 (2024); see the module comment), from their `largest` values (any order; at least the PSIS tail
 * size of `samples` of them, or all of them) and the total number of samples S. With `power`,
 * the terms are |v|^power of the given values (the largest |v| give the largest terms).
 */
export function tailDiagnostic(largest: ArrayLike<number>, samples: number, power = 1, point = -1): TailDiagnostic {
  if (samples < MIN_TAIL_SAMPLES) return { khat: NaN, threshold: samples > 1 ? paretoThreshold(samples) : NaN, reliable: false, samples, tail: 0, point };
  const M = paretoTailSize(samples);
  const sorted = Float64Array.from(largest, (v) => Math.abs(v) ** power).sort();
  if (sorted.length < Math.min(M + 1, samples)) {
    throw new RangeError(`tailDiagnostic: need the ${M + 1} largest of ${samples} terms, got ${sorted.length}`);
  }
  return fitLargest(sorted, samples, M, point);
}

/**
 * The GPD fit to the M largest of `sorted` (ascending terms, the largest of `samples`) in excess of
 * the threshold u, the (M+1)-th largest term (or the smallest given, when all terms are given).
 */
function fitLargest(sorted: Float64Array, samples: number, M: number, point: number): TailDiagnostic {
  const top = sorted.length - 1;
  const u = sorted[Math.max(0, top - M)];
  const excesses = new Float64Array(M);
  for (let i = 0; i < M; i++) excesses[i] = sorted[top - i] - u;
  const khat = gpdShape(excesses);
  const threshold = paretoThreshold(samples);
  return { khat, threshold, reliable: khat < threshold, samples, tail: M, point };
}

/** k-hat as text: `0.42`, `bounded` (-Infinity), `infinite`, or `n/a` (too few samples). */
export function formatKhat(khat: number): string {
  if (Number.isNaN(khat)) return 'n/a';
  if (khat === -Infinity) return 'bounded';
  if (khat === Infinity) return 'infinite';
  return khat.toFixed(2);
}

/** The worse of several diagnostics (higher k-hat; unknown counts as worst). */
export function worstTail(diagnostics: readonly TailDiagnostic[]): TailDiagnostic {
  if (!diagnostics.length) throw new RangeError('worstTail: no diagnostics');
  return diagnostics.reduce((a, b) => (Number.isNaN(b.khat) || b.khat > a.khat ? b : a));
}

/** A one-line account of a diagnostic: `k-hat 0.31 < 0.70 (M = 424 of S = 20000)`. */
export function describeTail(d: TailDiagnostic): string {
  if (Number.isNaN(d.khat)) return `k-hat unknown: ${d.samples} samples are too few for a tail fit (need ${MIN_TAIL_SAMPLES})`;
  return `k-hat ${formatKhat(d.khat)} ${d.reliable ? '<' : '>='} ${d.threshold.toFixed(2)} (largest ${d.tail} of ${d.samples} terms)`;
}

export interface TailRecordJSON {
  readonly format: 'nnft-tails';
  readonly version: 1;
  readonly capacity: number;
  readonly count: number;
  /** Per point: the largest |f(x_p)| seen, descending (at most `capacity`). */
  readonly largest: readonly (readonly number[])[];
}

/**
 * Rearrange a[0 .. size) so that a[k] is the value a sort would put there, everything before it is
 * <= a[k] and everything after >= a[k] (Hoare's quickselect with a median-of-three pivot; linear
 * time on average). a[k] is then the smallest of a[k .. size).
 */
function select(a: Float64Array, k: number, size: number): void {
  let lo = 0;
  let hi = size - 1;
  while (hi > lo) {
    const mid = (lo + hi) >> 1;
    // median of three into a[mid]
    if (a[mid] < a[lo]) swap(a, mid, lo);
    if (a[hi] < a[lo]) swap(a, hi, lo);
    if (a[hi] < a[mid]) swap(a, hi, mid);
    const pivot = a[mid];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) swap(a, i++, j--);
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}

/**
 * The `capacity` largest |f(x_p)| per input point over a stream of samples. Per point a buffer of
 * twice the capacity collects the values above the current floor (the smallest value kept at the
 * last compaction); when it fills, it is sorted and cut back to the `capacity` largest, which
 * raises the floor. Which values are kept does not depend on the order they arrive in, so shards
 * and threads merge exactly (keep the largest of the union).
 */
export class TailRecord {
  readonly points: number;
  readonly capacity: number;
  private n = 0;
  private readonly buffers: Float64Array[];
  private readonly sizes: Int32Array;
  /** Values <= floor[p] cannot be among the `capacity` largest (-Infinity until the first cut). */
  private readonly floors: Float64Array;

  constructor(points: number, capacity = DEFAULT_TAIL_CAPACITY) {
    if (!Number.isInteger(points) || points < 1) throw new RangeError(`TailRecord: points must be a positive integer, got ${points}`);
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`TailRecord: capacity must be a positive integer, got ${capacity}`);
    this.points = points;
    this.capacity = capacity;
    this.buffers = Array.from({ length: points }, () => new Float64Array(2 * capacity));
    this.sizes = new Int32Array(points);
    this.floors = new Float64Array(points).fill(-Infinity);
  }

  /** Samples seen. */
  get count(): number {
    return this.n;
  }

  /** Add `count` samples, rows of `values` (count x points). */
  add(count: number, values: ArrayLike<number>): void {
    const P = this.points;
    const floors = this.floors;
    for (let b = 0; b < count; b++) {
      for (let p = 0; p < P; p++) {
        const v = abs(values[b * P + p]);
        if (v > floors[p] || v !== v) this.offer(p, v);
      }
    }
    this.n += count;
  }

  private offer(p: number, v: number): void {
    if (Number.isNaN(v)) v = Infinity; // a NaN output is as bad as an infinite one
    if (v <= this.floors[p]) return;
    const buffer = this.buffers[p];
    buffer[this.sizes[p]++] = v;
    if (this.sizes[p] === buffer.length) this.cut(p);
  }

  /** Keep the `capacity` largest of point p's buffer; the smallest of them becomes the floor. */
  private cut(p: number): void {
    const buffer = this.buffers[p];
    const size = this.sizes[p];
    if (size <= this.capacity) return;
    const from = size - this.capacity;
    select(buffer, from, size);
    buffer.copyWithin(0, from, size);
    this.sizes[p] = this.capacity;
    this.floors[p] = buffer[0];
  }

  /** The largest |f(x_p)| kept, descending. */
  largest(p: number): Float64Array {
    const kept = this.buffers[p].slice(0, this.sizes[p]).sort().reverse();
    return kept.length > this.capacity ? kept.slice(0, this.capacity) : kept;
  }

  merge(other: TailRecord): this {
    if (other.points !== this.points) throw new RangeError(`TailRecord.merge: points differ (${this.points} vs ${other.points})`);
    for (let p = 0; p < this.points; p++) {
      const buffer = other.buffers[p];
      for (let i = 0; i < other.sizes[p]; i++) this.offer(p, buffer[i]);
    }
    this.n += other.n;
    return this;
  }

  /**
   * Diagnostic of the order-n family (terms |f(x_p)|^n at every point p), at the worst point. When
   * the record kept fewer values than the PSIS tail needs (S beyond ~(capacity/3)^2), the fit uses
   * the `capacity` largest: a smaller fraction of the extreme tail, still a GPD fit.
   */
  diagnose(order: number): TailDiagnostic {
    const S = this.n;
    const need = Math.min(paretoTailSize(S) + 1, S);
    const out: TailDiagnostic[] = [];
    for (let p = 0; p < this.points; p++) {
      const values = this.largest(p);
      if (values.length < need && values.length < this.capacity) throw new RangeError(`TailRecord.diagnose: kept ${values.length} values of ${S}`);
      if (values.length >= need) out.push(tailDiagnostic(values, S, order, p));
      else out.push(fitLargest(Float64Array.from(values, (v) => v ** order).sort(), S, values.length - 1, p)); // capped: fit all kept
    }
    return worstTail(out);
  }

  toJSON(): TailRecordJSON {
    return { format: 'nnft-tails', version: 1, capacity: this.capacity, count: this.n, largest: Array.from({ length: this.points }, (_, p) => Array.from(this.largest(p))) };
  }

  static fromJSON(json: TailRecordJSON, points: number): TailRecord {
    if (!json || json.format !== 'nnft-tails' || json.version !== 1 || !Array.isArray(json.largest) || json.largest.length !== points) {
      throw new Error(`TailRecord.fromJSON: not an nnft-tails v1 record of ${points} point(s)`);
    }
    if (!Number.isSafeInteger(json.count) || json.count < 0 || !Number.isInteger(json.capacity) || json.capacity < 1) {
      throw new Error('TailRecord.fromJSON: count and capacity must be non-negative integers');
    }
    const record = new TailRecord(points, json.capacity);
    for (let p = 0; p < points; p++) {
      const values = json.largest[p];
      if (!Array.isArray(values) || values.length > json.capacity || values.some((v) => typeof v !== 'number' && v !== null)) {
        throw new Error(`TailRecord.fromJSON: point ${p} holds no list of at most ${json.capacity} numbers`);
      }
      // JSON has no Infinity: it arrives as null.
      for (const v of values) record.offer(p, v === null ? Infinity : v);
    }
    record.n = json.count;
    return record;
  }
}

/**
 * The warning for an estimate whose tail diagnostic fails, or null when it passes: names the
 * estimate, the point, the k-hat and what to do. `what` names the terms (`networks`, `neurons`).
 */
export function tailWarning(estimate: string, d: TailDiagnostic | undefined, pointLabel: (p: number) => string, what = 'networks'): string | null {
  if (d === undefined) return `${estimate}: no tail record (a run saved before tail diagnostics), so its error bars are unchecked for heavy tails`;
  if (d.reliable) return null;
  if (Number.isNaN(d.khat)) return `${estimate}: ${d.samples} ${what} are too few to check the tails of its terms (need at least ${MIN_TAIL_SAMPLES}); use more ${what}`;
  const where = (d.point >= 0 ? ` at ${pointLabel(d.point)}` : '') + (d.terms ? ` in its ${d.terms}` : '');
  const mean = d.khat >= 1 ? 'the mean of its terms may not exist' : 'its terms have an infinite or barely finite variance';
  return (
    `${estimate}: heavy tails${where}, the value and its error bar cannot be trusted ` +
    `(Pareto k-hat ${formatKhat(d.khat)} >= ${d.threshold.toFixed(2)} from the largest ${d.tail} of ${d.samples} terms; ${mean}). ` +
    (d.terms?.startsWith('hidden units')
      ? 'Reduce the spread of the hidden units (smaller sigma_w and sigma_b, or inputs of smaller norm); more networks help little against a log-normal tail'
      : `Use more ${what} if k-hat is just above the threshold; otherwise reduce the spread of the terms (smaller sigma_w, inputs of smaller norm, or a larger width, which makes the outputs more Gaussian)`)
  );
}

/** Tail diagnostics of one ensemble (or measurement), by estimate family (`G2`, `G4c`, `kappa6`, ...). */
export interface TailRow {
  readonly label: string;
  readonly tails: Readonly<Record<string, TailDiagnostic | undefined>>;
}

/**
 * A text table of tail diagnostics beside a Monte Carlo table: one line per ensemble, one column
 * per family, the Pareto k-hat in each cell and `!` after an unreliable one. Plain text, so no
 * row or column is ever elided.
 */
export function tailTable(rows: readonly TailRow[]): string {
  const families = [...new Set(rows.flatMap((r) => Object.keys(r.tails)))];
  const cell = (d: TailDiagnostic | undefined) => {
    if (!d) return '-';
    return `${formatKhat(d.khat)}${d.reliable ? '' : ' !'}`;
  };
  const table = [['', ...families], ...rows.map((r) => [r.label, ...families.map((f) => cell(r.tails[f]))])];
  const widths = table[0].map((_, j) => Math.max(...table.map((line) => line[j].length)));
  const lines = table.map((line) => line.map((c, j) => (j === 0 ? c.padEnd(widths[j]) : c.padStart(widths[j]))).join('   '));
  const flagged = rows.flatMap((r) => families.filter((f) => r.tails[f] && !r.tails[f]!.reliable).map((f) => `${r.label} ${f}`));
  return [
    'Tail diagnostics: Pareto k-hat of the largest terms behind each estimate (! = unreliable: k-hat >= min(1 - 1/log10 S, 0.7))',
    ...lines,
    flagged.length ? `unreliable: ${flagged.join(', ')}` : 'every estimate passes',
  ].join('\n');
}

/** The rows' diagnostics as a flat list of named estimates (for `Checks.reliable`), optionally filtered. */
export function tailList(rows: readonly TailRow[], keep: (label: string, family: string, row: number) => boolean = () => true): { name: string; tail: TailDiagnostic | undefined }[] {
  return rows.flatMap((r, i) => Object.entries(r.tails).filter(([f]) => keep(r.label, f, i)).map(([f, tail]) => ({ name: `${r.label} ${f}`, tail })));
}
