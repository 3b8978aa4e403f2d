/**
 * Self-checking notebooks. A Checks cell collects assertions, shows every one of them (passed or
 * not) and then throws if any failed, so the lecture runner stops at that cell and names it.
 *
 * Monte Carlo comparisons use |estimate - exact| <= z * stdErr, with z derived from an accepted
 * family-wise failure probability and the number of comparisons (Bonferroni), never a bare
 * epsilon.
 */
import { displayBundle } from '../core/display';
import { bonferroniZ } from '../statistics/stats';
import { TailDiagnostic, describeTail, formatKhat } from '../statistics/tails';

/** A Monte Carlo estimate (or family) by name, with its tail diagnostic (tails.ts). */
export interface NamedTail {
  readonly name: string;
  readonly tail: TailDiagnostic | undefined;
}

export interface CheckResult {
  readonly name: string;
  readonly passed: boolean;
  readonly detail: string;
}

export const CHECK_MIME = 'application/vnd.nnft.check+json';

export class Checks {
  private readonly results: CheckResult[] = [];

  /** A plain assertion. */
  that(name: string, passed: boolean, detail = ''): this {
    this.results.push({ name, passed, detail });
    return this;
  }

  /**
   * Monte Carlo estimates against exact values, all at once: passes when every
   * |estimate - exact| <= z * stdErr, with z = bonferroniZ(failProb, count).
   */
  agree(name: string, estimates: readonly number[], stdErrs: readonly number[], exact: readonly number[], failProb = 1e-3): this {
    const n = estimates.length;
    if (stdErrs.length !== n || exact.length !== n || n === 0) {
      throw new RangeError(`Checks.agree: estimates, stdErrs and exact must have the same non-zero length, got ${n}, ${stdErrs.length}, ${exact.length}`);
    }
    const z = bonferroniZ(failProb, n);
    let worst = 0;
    let worstAt = 0;
    for (let i = 0; i < n; i++) {
      const pull = Math.abs(estimates[i] - exact[i]) / stdErrs[i];
      if (!(pull <= worst)) {
        worst = pull;
        worstAt = i;
      }
    }
    const passed = Number.isFinite(worst) && worst <= z;
    return this.that(name, passed, `${n} comparisons, largest |pull| = ${worst.toFixed(2)} (entry ${worstAt}) vs z = ${z.toFixed(2)} (family-wise failure probability ${failProb})`);
  }

  /**
   * The Monte Carlo estimates behind the other checks are trustworthy: every one passes its tail
   * diagnostic (Pareto k-hat below min(1 - 1/log10 S, 0.7); a missing diagnostic fails). Notebooks
   * list here every estimate their comparisons use, so an error bar that cannot be trusted fails
   * the notebook instead of passing a comparison by luck.
   */
  reliable(name: string, estimates: readonly NamedTail[]): this {
    if (estimates.length === 0) throw new RangeError('Checks.reliable: no estimates');
    const bad = estimates.filter((e) => !e.tail?.reliable);
    const known = estimates.filter((e) => e.tail && !Number.isNaN(e.tail.khat));
    const worst = known.reduce<NamedTail | null>((a, e) => (!a || e.tail!.khat > a.tail!.khat ? e : a), null);
    const detail = bad.length
      ? `${bad.length} of ${estimates.length} fail: ${bad.slice(0, 4).map((e) => `${e.name} (${e.tail ? describeTail(e.tail) : 'no diagnostic'})`).join('; ')}${bad.length > 4 ? '; ...' : ''}`
      : `${estimates.length} estimates, largest k-hat ${worst ? `${formatKhat(worst.tail!.khat)} (${worst.name})` : 'n/a'}`;
    return this.that(name, bad.length === 0, detail);
  }

  get all(): readonly CheckResult[] {
    return this.results;
  }

  /** Show every result; throw if any failed. */
  report(): void {
    for (const r of this.results) {
      displayBundle({ [CHECK_MIME]: r, 'text/plain': `${r.passed ? 'PASS' : 'FAIL'} ${r.name}${r.detail ? ': ' + r.detail : ''}` });
    }
    const failed = this.results.filter((r) => !r.passed);
    if (failed.length) {
      throw new Error(`${failed.length} of ${this.results.length} checks failed: ${failed.map((r) => r.name).join('; ')}`);
    }
  }
}

/** Start a Checks cell. */
export function checks(): Checks {
  return new Checks();
}
