// %% [markdown]
// # Appendix A: the central limit theorem and how it fails
//
// *TASI lectures "Physics for Machine Learning", appendix A (and section 3.2).*
//
// Everything Gaussian about wide networks comes from one fact: a normalised sum of many independent terms is nearly Gaussian. How
// *nearly* is what makes finite-width networks interacting theories. This notebook measures it on the simplest possible example,
// with exact answers to compare against:
//
// * For $S_N = \frac{1}{\sqrt N}\sum_{i=1}^N (X_i - \mu)$ with i.i.d. $X_i$, the $r$-th cumulant is exactly
//   $\kappa_r(S_N) = N^{1 - r/2}\,\kappa_r(X)$: the variance stays, the skewness dies as $N^{-1/2}$, the fourth cumulant as $N^{-1}$, ...
// * Only the Gaussian has all cumulants beyond the second equal to zero, so this is the CLT with its corrections, order by order.
// * A single-layer network output is such a sum (over neurons), which is why $G^{(4)}_c \propto 1/N$ and $G^{(6)}_c \propto 1/N^2$ in
//   notebook 3.2: the same exponents $1 - r/2$ for $r = 4, 6$.

// %%
import * as nnft from '../dist';

const SEED = 0;
const M = nnft.atScale({ ci: 200000, full: 2000000 });  // samples of S_N per N
const NS = [1, 2, 4, 8, 16, 32, 64];
const ORDERS = [3, 4, 5, 6];
const FAIL_PROB = 1e-3;
// Cumulants used as evidence (see 'Heavy tails'): kappa_2..4 at every N, kappa_5 from N = 4, kappa_6 from N = 32.
const COMPARED = (r: number, N: number) => r <= 4 || (r === 5 && N >= 4) || N >= 32;
console.log(`scale=${nnft.scale()}  M=${M}`);

// %% [markdown]
// ## The experiment
//
// Take $X \sim \mathrm{Exp}(1)$: it is strongly skewed, and its cumulants are known, $\kappa_r(X) = (r-1)!$. For each $N$, draw $M$ sums
// $S_N$, accumulate their moments up to order 6 in float64, and turn them into cumulants with the general set-partition formula
// (all partitions: $S_N$ has no $\mathbb Z_2$ symmetry, unlike a network output). Errors come from a jackknife over 32 blocks.
//
// **Heavy tails.** The estimate of $\kappa_r$ averages $r$-th powers of $S_N$, and at small $N$ those are heavy-tailed: $S_1^6$ has an
// exponential's sixth power in its tail, so a few rare samples carry the mean and the error bar is too small (the $N = 2$ sixth cumulant
// comes out low by more than one "standard error"). Each estimate therefore carries the Pareto $\hat k$ of its largest terms
// $|S_N|^r$ (notebook 3.1); with $M = 2\times10^5$ samples, $\hat k \ge 0.7$ for $\kappa_5$ at $N = 1$ and for $\kappa_6$ up to $N = 2$,
// and $\kappa_6$ stays near the threshold up to $N \approx 16$. So $\kappa_2$–$\kappa_4$ are compared at every $N$, $\kappa_5$ from $N = 4$ (at $N = 2$ it sits at $0.64$)
// and $\kappa_6$ from $N = 32$ (`COMPARED`); the others are shown, marked, and the Checks cell fails if a compared one fails its diagnostic.

// %%
// One sample of S_N = (X_1 + ... + X_N - N) / sqrt(N) with X_i ~ Exp(1), drawn from rng.
const sampleSum = (rng: nnft.Rng, N: number) => {
  let sum = 0;
  for (let i = 0; i < N; i++) sum += -Math.log(rng.uniform()) - 1;
  return sum / Math.sqrt(N);
};

// %%
// M samples per N, in chunks of 50000 (chunk c from the stream (SEED + N, c)), into moments of orders 1 to 6 in float64.
const results: { N: number; cumulants: Map<number, nnft.TupleEstimates> }[] = [];
const bar = nnft.progressBar('sums', NS.length * M, 'samples');
for (const N of NS) {
  const acc = new nnft.MomentAccumulator(1, [1, 2, 3, 4, 5, 6]), chunk = 50000, s = new Float64Array(chunk);
  for (let start = 0; start < M; start += chunk) {
    const rng = nnft.Rng.stream(SEED + N, start / chunk);
    const count = Math.min(chunk, M - start);
    for (let k = 0; k < count; k++) s[k] = sampleSum(rng, N);
    acc.add(start, count, s);
    bar.tick(count);
  }
  results.push({ N, cumulants: new Map([2, ...ORDERS].map((r) => [r, acc.cumulant(r)])) });
}
bar.done();

// %%
const tailRows: nnft.TailRow[] = results.map((res) => ({ label: `N = ${res.N}`, tails: Object.fromEntries([2, ...ORDERS].map((r) => [`k${r}`, res.cumulants.get(r)!.tail])) }));
const factorial = (n: number): number => (n <= 1 ? 1 : n * factorial(n - 1));
const exact = (r: number, N: number) => factorial(r - 1) * N ** (1 - r / 2);
for (const res of results) {
  console.log(`N = ${String(res.N).padStart(2)}: ` + [2, ...ORDERS].map((r) => { const c = res.cumulants.get(r)!; return `k${r} = ${c.value[0].toPrecision(3)} ± ${c.stdErr[0].toPrecision(2)} (exact ${exact(r, res.N).toPrecision(3)})`; }).join(', '));
}
console.log(nnft.tailTable(tailRows));

// %% [markdown]
// ## Cumulants against $N$
//
// Log–log axes: each exact line has slope $1 - r/2$. Points are Monte Carlo with one-standard-error bars (absolute values). The
// dotted lines are the statistical floor: at large $N$ the high cumulants drop below it, which is the same phenomenon that makes the
// interactions of wide networks hard to measure.

// %%
const NF = nnft.logspace(1, 64, 50);
nnft.show(nnft.grid(`Cumulants of a normalised sum of N exponentials (M = ${M})`, ORDERS.map((r, i) => nnft.figure(`κ${r} ∝ N^(${1 - r / 2})`, [
  ...[true, false].map((used) => {
    const pts = results.filter((res) => COMPARED(r, res.N) === used);
    return nnft.errorBarTrace(used ? '|MC|' : '|MC|, heavy tails (not compared)', pts.map((res) => res.N), pts.map((res) => Math.abs(res.cumulants.get(r)!.value[0])), pts.map((res) => res.cumulants.get(r)!.stdErr[0]), used ? 0 : 3);
  }).filter((t) => (t.x as number[]).length > 0),
  nnft.curveTrace('exact (r-1)! N^(1-r/2)', NF, NF.map((N) => exact(r, N)), 1),
  nnft.curveTrace('stderr', NS, results.map((res) => res.cumulants.get(r)!.stdErr[0]), 7, 'dot'),
], { title: 'N', log: true }, { title: `|κ${r}|`, log: true }))), 'cumulants-vs-N');

// %% [markdown]
// ## Fitted exponents
//
// Fitting a power law to the compared points that are resolved (more than five standard errors from zero) recovers the exponents.

// %%
const fits = ORDERS.map((r) => {
  const pts = results.filter((res) => COMPARED(r, res.N) && Math.abs(res.cumulants.get(r)!.value[0]) > 5 * res.cumulants.get(r)!.stdErr[0]);
  const fit = pts.length >= 3 ? nnft.logLogSlope(pts.map((p) => p.N), pts.map((p) => Math.abs(p.cumulants.get(r)!.value[0]))) : null;
  return { r, points: pts.length, fit };
});
for (const f of fits) console.log(`r = ${f.r}: ${f.fit ? `slope ${f.fit.slope.toFixed(3)} ± ${f.fit.stdErr.toFixed(3)} from ${f.points} resolved N` : `only ${f.points} resolved N`} (exact ${1 - f.r / 2})`);

// %% [markdown]
// ## Checks

// %%
const c = nnft.checks();
const all = results.flatMap((res) => [2, ...ORDERS].map((r) => ({ r, N: res.N, est: res.cumulants.get(r)! }))).filter((a) => COMPARED(a.r, a.N));
c.agree(`every compared cumulant kappa_r(S_N) (${all.length} of ${NS.length * (ORDERS.length + 1)}) equals (r-1)! N^(1-r/2)`, all.map((a) => a.est.value[0]), all.map((a) => a.est.stdErr[0]), all.map((a) => exact(a.r, a.N)), FAIL_PROB);
const z = nnft.bonferroniZ(FAIL_PROB, 1);
const k3 = results[0].cumulants.get(3)!;
c.that('at N = 1 the distribution is measurably non-Gaussian (skewness)', k3.value[0] > z * k3.stdErr[0], `κ3 = ${k3.value[0].toFixed(3)} ± ${k3.stdErr[0].toFixed(3)}`);
// Exponents are asserted where all 7 widths are resolved (5 degrees of freedom for the fit's error; the N values use
// independent seeds, so the residual scatter is an honest error). The agreement check above covers every r.
for (const f of fits.filter((f) => f.fit && f.points === NS.length)) {
  const t = nnft.studentTQuantileTwoSided(FAIL_PROB, f.points - 2);
  c.that(`fitted exponent of κ${f.r} is 1 - ${f.r}/2`, Math.abs(f.fit!.slope - (1 - f.r / 2)) <= t * f.fit!.stdErr,
    `${f.fit!.slope.toFixed(3)} ± ${f.fit!.stdErr.toFixed(3)} over ${f.points} points (Student t = ${t.toFixed(2)})`);
}
c.reliable('every compared cumulant passes its tail diagnostic (Pareto k-hat of |S_N|^r)', nnft.tailList(tailRows, (label, family, i) => COMPARED(Number(family.slice(1)), NS[i])));
c.report();

// %% [markdown]
// ## Summary
//
// * Cumulants of a normalised sum of $N$ independent terms scale exactly as $N^{1-r/2}$: this *is* the central limit theorem, with its
//   corrections ordered in $1/\sqrt N$.
// * Measuring the corrections gets harder order by order: higher cumulants are smaller and their estimators noisier.
// * Network outputs at finite width are such sums, so their connected $r$-point functions carry the same powers of $N$ (notebook 3.2).
//   Breaking *independence* instead of taking $N$ finite is the other way to leave the Gaussian world (lecture section 3.2).

// %% [markdown]
// ## Exercises
//
// 1. **A symmetric distribution.** Replace $\mathrm{Exp}(1)$ by the uniform distribution on $[-\sqrt3, \sqrt3]$ (mean 0, variance 1). Its odd
//    cumulants vanish and $\kappa_4(X) = -6/5$. Which correction to the Gaussian is now the leading one, and how does it scale with $N$?
//    Predict $\kappa_2, \kappa_3, \kappa_4$ of $S_N$ for $N = 1, 4, 16$ and measure them.
// 2. **Dependent terms.** Let $X_i = Y_i + \epsilon\, Y_0$ with i.i.d. $Y \sim \mathrm{Exp}(1)$ and one $Y_0$ shared by all terms. Using only that
//    cumulants add over independent pieces and scale as $\kappa_r(aZ) = a^r\kappa_r(Z)$, derive
//    $\kappa_r(S_N) = (r-1)!\,\big(N^{1-r/2} + (\epsilon\sqrt N)^r\big)$ (the first term is this notebook's law). Measure $\kappa_2$–$\kappa_4$ for
//    $\epsilon = 0.1$ at $N = 4, 16, 64$. Does the sum still become Gaussian?

// %% tags=["solution"]
// 1. Uniform terms: kappa_r(X) = 1, 0, -6/5 for r = 2, 3, 4, so kappa_r(S_N) = kappa_r(X) N^(1 - r/2).
// 2. S_N = sum_i (Y_i - 1) / sqrt(N) + EPS sqrt(N) (Y_0 - 1): two independent pieces, kappa_r(Y) = (r - 1)!.
const EPS = 0.1, exM = nnft.atScale({ ci: 100000, full: 400000 }), exExp = (rng: nnft.Rng) => -Math.log(rng.uniform()) - 1;
type ExCase = { label: string; N: number; term: (rng: nnft.Rng, y0: number) => number; exactK: (r: number) => number };
const exCases: ExCase[] = [
  ...[1, 4, 16].map((N) => ({ label: '1. uniform', N, term: (rng: nnft.Rng) => Math.sqrt(3) * (2 * rng.uniform() - 1), exactK: (r: number) => [1, 0, -1.2][r - 2] * N ** (1 - r / 2) })),
  ...[4, 16, 64].map((N) => ({ label: `2. shared term, ε = ${EPS}`, N, term: (rng: nnft.Rng, y0: number) => exExp(rng) + EPS * y0, exactK: (r: number) => factorial(r - 1) * (N ** (1 - r / 2) + (EPS * Math.sqrt(N)) ** r) })),
];
for (const [j, { label, N, term, exactK }] of exCases.entries()) {
  const acc = new nnft.MomentAccumulator(1, [1, 2, 3, 4]), s = new Float64Array(exM), rng = nnft.Rng.stream(SEED + 100 + j, 0);
  for (let k = 0; k < exM; k++) { const y0 = exExp(rng); let sum = 0; for (let i = 0; i < N; i++) sum += term(rng, y0); s[k] = sum / Math.sqrt(N); }
  acc.add(0, exM, s);
  console.log(`${label}, N = ${N}: ${[2, 3, 4].map((r) => { const c = acc.cumulant(r); return `κ${r} = ${c.value[0].toFixed(3)} ± ${c.stdErr[0].toFixed(3)} (exact ${exactK(r).toFixed(3)})`; }).join(', ')}`);
}
