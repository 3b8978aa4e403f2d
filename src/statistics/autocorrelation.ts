/**
 * Error bars for correlated samples (Markov chains): the integrated autocorrelation time and the
 * standard error it implies, over several independent chains.
 *
 * For a stationary series a_1 .. a_n with autocorrelation rho(t), the variance of its mean is
 * (var a / n) * 2 tau_int with tau_int = 1/2 + sum_{t >= 1} rho(t). The sum is cut at Sokal's
 * automatic window: the smallest W with W >= c tau_int(W) (c = 6), which balances the bias of
 * truncating against the noise of the tail (A. D. Sokal, "Monte Carlo methods in statistical
 * mechanics", Cargese lectures 1996, section 3). With C chains, rho is averaged over chains
 * (each about the grand mean), and the number of independent samples is C n / (2 tau_int).
 * A lab tool, not a lecture formula.
 */
import { fail } from '../core/validate';

/** Integrated autocorrelation time of one observable over C chains, and the error of its mean. */
export interface AutocorrelationEstimate {
  /** Grand mean over chains and steps. */
  readonly mean: number;
  /** Standard error of the mean: sqrt(var * 2 tau_int / (C n)). */
  readonly stdErr: number;
  /** tau_int in steps (1/2 for independent samples). */
  readonly tauInt: number;
  /** Error of tau_int, Sokal's sqrt(2 (2W + 1) / n) tau_int. */
  readonly tauIntErr: number;
  /** Summation window W. */
  readonly window: number;
  /** Effective number of independent samples C n / (2 tau_int). */
  readonly effectiveSamples: number;
  /** Gelman-Rubin R-hat of the chains (1 when they agree; needs C >= 2, NaN otherwise). */
  readonly rHat: number;
  /** Whether the window closed (n > 50 tau_int and the window fitted in the series). */
  readonly reliable: boolean;
}

/**
 * tau_int of `chains` (C series of equal length n >= 4) by Sokal's window with constant `c`
 * (default 6), and the mean's standard error. Each series is one chain's values in step order.
 */
export function autocorrelation(chains: readonly ArrayLike<number>[], c = 6): AutocorrelationEstimate {
  const C = chains.length;
  if (!C) fail('autocorrelation', 'chains', 'at least one series', C);
  const n = chains[0].length;
  if (n < 4 || chains.some((s) => s.length !== n)) fail('autocorrelation', 'chains', 'series of one length >= 4', chains.map((s) => s.length).join(','));
  let mean = 0;
  for (const s of chains) for (let i = 0; i < n; i++) mean += s[i];
  mean /= C * n;
  // Autocovariance at lag t, averaged over chains, about the grand mean.
  const gamma = (t: number): number => {
    let total = 0;
    for (const s of chains) for (let i = 0; i + t < n; i++) total += (s[i] - mean) * (s[i + t] - mean);
    return total / (C * (n - t));
  };
  const g0 = gamma(0);
  if (!(g0 > 0)) {
    return { mean, stdErr: 0, tauInt: 0.5, tauIntErr: 0, window: 0, effectiveSamples: C * n, rHat: C > 1 ? 1 : NaN, reliable: true };
  }
  let tau = 0.5;
  let window = 0;
  let closed = false;
  for (let t = 1; t < n; t++) {
    tau += gamma(t) / g0;
    window = t;
    if (t >= c * tau) {
      closed = true;
      break;
    }
  }
  tau = Math.max(tau, 0.5 / n); // a negative sum (anticorrelation within noise) is floored, never below 0
  const stdErr = Math.sqrt((g0 * 2 * tau) / (C * n));
  return {
    mean,
    stdErr,
    tauInt: tau,
    tauIntErr: Math.sqrt((2 * (2 * window + 1)) / n) * tau,
    window,
    effectiveSamples: (C * n) / (2 * tau),
    rHat: gelmanRubin(chains),
    reliable: closed && n > 50 * tau,
  };
}

/** Gelman-Rubin potential scale reduction of C >= 2 chains of equal length (NaN for one chain). */
export function gelmanRubin(chains: readonly ArrayLike<number>[]): number {
  const C = chains.length;
  const n = chains[0]?.length ?? 0;
  if (C < 2 || n < 2) return NaN;
  const means = chains.map((s) => {
    let m = 0;
    for (let i = 0; i < n; i++) m += s[i];
    return m / n;
  });
  const grand = means.reduce((a, b) => a + b, 0) / C;
  const B = (n / (C - 1)) * means.reduce((a, m) => a + (m - grand) ** 2, 0);
  let W = 0;
  chains.forEach((s, k) => {
    let v = 0;
    for (let i = 0; i < n; i++) v += (s[i] - means[k]) ** 2;
    W += v / (n - 1);
  });
  W /= C;
  if (!(W > 0)) return 1;
  return Math.sqrt(((n - 1) / n) * W + B / n) / Math.sqrt(W);
}
