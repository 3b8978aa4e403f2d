/**
 * Monte Carlo bookkeeping in float64 on the host.
 *
 * Precision decision: networks are evaluated in float32 on the tensor backend; each batch of
 * outputs is copied to the host and everything summed over samples happens here, in float64,
 * with Welford's streaming update (no catastrophic cancellation in the variance). Accumulators
 * merge exactly (Chan et al.), so a run can be split into pieces and recombined.
 */

/** A Monte Carlo number: its value, its standard error and the number of samples behind it. */
export interface Estimate {
  readonly value: number;
  readonly stdErr: number;
  readonly count: number;
}

/**
 * Streaming mean and variance of K quantities at once (one float64 slot each).
 * `stdErr[k] = sqrt(sampleVariance[k] / count)` for i.i.d. samples.
 */
export class MeanAccumulator {
  readonly size: number;
  private n = 0;
  private readonly mean: Float64Array;
  private readonly m2: Float64Array;

  constructor(size: number) {
    this.size = size;
    this.mean = new Float64Array(size);
    this.m2 = new Float64Array(size);
  }

  get count(): number {
    return this.n;
  }

  /** Add one sample (a vector of `size` numbers). */
  push(sample: ArrayLike<number>): void {
    if (sample.length !== this.size) {
      throw new RangeError(`MeanAccumulator.push: sample must have length ${this.size}, got ${sample.length}`);
    }
    this.n += 1;
    const inv = 1 / this.n;
    for (let k = 0; k < this.size; k++) {
      const delta = sample[k] - this.mean[k];
      this.mean[k] += delta * inv;
      this.m2[k] += delta * (sample[k] - this.mean[k]);
    }
  }

  /** Fold another accumulator of the same size into this one (exact up to rounding). */
  merge(other: MeanAccumulator): this {
    if (other.size !== this.size) {
      throw new RangeError(`MeanAccumulator.merge: sizes differ (${this.size} vs ${other.size})`);
    }
    if (other.n === 0) return this;
    const n = this.n + other.n;
    for (let k = 0; k < this.size; k++) {
      const delta = other.mean[k] - this.mean[k];
      this.mean[k] += (delta * other.n) / n;
      this.m2[k] += other.m2[k] + (delta * delta * this.n * other.n) / n;
    }
    this.n = n;
    return this;
  }

  /** Sample means (a copy). */
  means(): Float64Array {
    return Float64Array.from(this.mean);
  }

  /** Standard errors of the means; NaN while fewer than two samples were seen. */
  stdErrs(): Float64Array {
    const out = new Float64Array(this.size);
    for (let k = 0; k < this.size; k++) {
      out[k] = this.n > 1 ? Math.sqrt(this.m2[k] / (this.n - 1) / this.n) : NaN;
    }
    return out;
  }

  estimate(k: number): Estimate {
    return { value: this.mean[k], stdErr: this.stdErrs()[k], count: this.n };
  }
}

/** Estimate of a single number from samples. */
export function estimateMean(samples: ArrayLike<number>): Estimate {
  const acc = new MeanAccumulator(1);
  for (let i = 0; i < samples.length; i++) acc.push([samples[i]]);
  return acc.estimate(0);
}

/**
 * Two-sided standard-normal quantile z with P(|Z| > z) = alpha (Acklam's rational approximation,
 * relative error < 1.2e-9). Used to turn an accepted failure probability into a tolerance.
 */
export function normalQuantileTwoSided(alpha: number): number {
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`normalQuantileTwoSided: alpha must be in (0, 1), got ${alpha}`);
  return normalQuantile(1 - alpha / 2);
}

/** Inverse standard-normal CDF. */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile: p must be in (0, 1), got ${p}`);
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const pLow = 0.02425;
  if (p < pLow) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - pLow) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

/**
 * The z for `comparisons` simultaneous two-sided tests with family-wise failure probability
 * `failProb` (Bonferroni): each comparison gets alpha = failProb / comparisons.
 */
export function bonferroniZ(failProb: number, comparisons: number): number {
  return normalQuantileTwoSided(failProb / comparisons);
}

/**
 * Delete-one-batch jackknife for a smooth function of means (ratios such as a kurtosis, where
 * a plain average of per-batch ratios is biased). A lab tool, not a lecture formula (see e.g.
 * Efron and Tibshirani, "An Introduction to the Bootstrap" (1993), ch. 11).
 *
 * `batchMeans[b][k]` is the mean of quantity k over batch b (equal-sized batches); `statistic`
 * maps a vector of K means to the number of interest. Returns the bias-corrected estimate and its
 * jackknife standard error; `count` is the number of batches.
 */
export function jackknife(batchMeans: readonly (readonly number[])[], statistic: (means: number[]) => number): Estimate {
  const B = batchMeans.length;
  if (B < 2) throw new RangeError(`jackknife: need at least 2 batches, got ${B}`);
  const K = batchMeans[0].length;
  const total = new Array<number>(K).fill(0);
  for (const row of batchMeans) for (let k = 0; k < K; k++) total[k] += row[k];
  const full = [statistic(total.map((t) => t / B))];
  const replicas = batchMeans.map((row) => [statistic(total.map((t, k) => (t - row[k]) / (B - 1)))]);
  const { value, stdErr } = combineJackknife(full, replicas, true);
  return { value: value[0], stdErr: stdErr[0], count: B };
}

/**
 * The jackknife combination, entry by entry: `full` is the statistic on all blocks, `replicas[b]`
 * the statistic with block b left out. Standard error sqrt((B-1)/B sum_b (r_b - mean r)^2); value
 * B full - (B-1) mean r when bias-corrected, else full.
 */
export function combineJackknife(full: ArrayLike<number>, replicas: readonly ArrayLike<number>[], biasCorrect: boolean): { value: Float64Array; stdErr: Float64Array } {
  const B = replicas.length;
  const value = new Float64Array(full.length);
  const stdErr = new Float64Array(full.length);
  for (let k = 0; k < full.length; k++) {
    let mean = 0;
    for (const r of replicas) mean += r[k];
    mean /= B;
    let v = 0;
    for (const r of replicas) v += (r[k] - mean) ** 2;
    stdErr[k] = Math.sqrt(((B - 1) / B) * v);
    value[k] = biasCorrect ? B * full[k] - (B - 1) * mean : full[k];
  }
  return { value, stdErr };
}

/**
 * Two-sided Student-t quantile: t with P(|T_dof| > t) = alpha, from the Cornish-Fisher expansion
 * in 1/dof around the normal quantile (relative error below 1e-3 for dof >= 10 and alpha >= 1e-4;
 * about 0.5% at dof = 5, alpha = 1e-3).
 * Used for tolerances on fitted slopes, whose errors come from a handful of residuals.
 */
export function studentTQuantileTwoSided(alpha: number, dof: number): number {
  if (!(dof >= 1)) throw new RangeError(`studentTQuantileTwoSided: dof must be >= 1, got ${dof}`);
  const z = normalQuantileTwoSided(alpha);
  const z2 = z * z;
  const g1 = (z2 + 1) * z / 4;
  const g2 = ((5 * z2 + 16) * z2 + 3) * z / 96;
  const g3 = (((3 * z2 + 19) * z2 + 17) * z2 - 15) * z / 384;
  const g4 = ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) * z / 92160;
  return z + g1 / dof + g2 / dof ** 2 + g3 / dof ** 3 + g4 / dof ** 4;
}
