// %% [markdown]
// # An exactly solvable model: wide networks trained by gradient descent
//
// *TASI lectures "Physics for Machine Learning", section 4.2 (eqs. (94)-(99)); EFT4ML slides (Bayesian inference at infinite width).*
//
// With a frozen NTK $\bar\Theta$ and the MSE loss, gradient flow is linear in the outputs and can be solved in closed form. With
// $n = |\mathcal D|$ training points and $\bar\Theta = \bar\Theta(X, X)$,
// $$\phi_t(x) = \phi_0(x) + \bar\Theta(x, X)\,\bar\Theta^{-1}\big(1 - e^{-\eta\bar\Theta t/n}\big)\big(y - \phi_0(X)\big),$$
// which is the lectures' eq. (96) with the $1/n$ of eq. (95) placed in the exponent (as printed, the $1/n$ stands in front, which
// would neither solve eq. (95) nor tend to eq. (97)). At $t\to\infty$ the network interpolates the training data (eq. (98)) and its
// ensemble mean is kernel regression with the NTK, $\mu_\infty(x) = \bar\Theta(x,X)\bar\Theta^{-1}y$ (eq. (99)). Since $\phi_0$ is a GP with the
// NNGP kernel $K$, the whole trained ensemble is Gaussian, with a covariance nnft also computes.
//
// Gradient descent takes discrete steps of size $\eta$; its exact linearised solution replaces $e^{-\eta\bar\Theta t/n}$ by $(1 - \eta\bar\Theta/n)^t$
// (`discrete: true`). Both are drawn below; the comparisons use the discrete one, and the difference is shown.
//

// %%
import * as nnft from '../dist';

const SEED = 0;
const X_TRAIN = [-2, -1, 0, 1, 2].map((x) => [x]);
const Y_TRAIN = X_TRAIN.map(([x]) => Math.sin(1.5 * x));
const X_TEST = nnft.linspace(-3, 3, 25).map((x) => [x]);
const ARCH = { activation: 'erf' as const, depth: 1, sigmaW: 1.5, sigmaB: 0.5 };
const WIDTHS = nnft.atScale({ ci: [64, 256, 1024], full: [64, 256, 1024, 4096] });
const MEMBERS = nnft.atScale({ ci: 48, full: 256 });
const STEPS = 500;
const TIMES = [0, 5, 20, 50, 100, 200, 500];
const FAIL_PROB = 1e-3;
const backend = await nnft.ensureBackend();
console.log(`scale=${nnft.scale()}  widths=${WIDTHS.join(', ')}  networks per width=${MEMBERS}  backend: ${nnft.describeBackend(backend)}`);


// %% [markdown]
// ## Theory: the trajectory and its $t\to\infty$ limit
//
// The NTK on the training points sets the time scales: each eigenvalue $\lambda$ relaxes at rate $\eta\lambda/n$. We take
// $\eta = n/(2\lambda_\text{max})$, half the largest stable step.
//

// %%
const n = X_TRAIN.length;
const k = nnft.kernelOf(nnft.mlp({ ...ARCH, width: 1 }), [...X_TRAIN, ...X_TEST]);
const ntk = nnft.kernelBlocks(k.ntk, n), nngp = nnft.kernelBlocks(k.nngp, n);
const lambdaMax = Math.max(...ntk.trainTrain.map((row, i) => row.reduce((s, v) => s + Math.abs(v), 0)));   // Gershgorin bound
const ETA = n / (2 * lambdaMax);
const theory = nnft.frozenNtkMoments(ntk, Y_TRAIN, { eta: ETA, times: TIMES, discrete: true }, nngp);
const continuous = nnft.frozenNtkMoments(ntk, Y_TRAIN, { eta: ETA, times: TIMES }, nngp);
const limit = nnft.frozenNtkMoments(ntk, Y_TRAIN, { eta: ETA, times: [Infinity] }, nngp);
const posterior = nnft.gpPosterior(nngp, Y_TRAIN, 0);
console.log(`eta = ${ETA.toFixed(4)};  largest |discrete - continuous| mean over times and points: ${Math.max(...theory.mean.flatMap((m, s) => m.map((v, i) => Math.abs(v - continuous.mean[s][i])))).toExponential(2)}`);

// %%
const xs = X_TEST.map(([x]) => x);
const sd = (cov: number[][]) => cov.map((r, i) => Math.sqrt(Math.max(r[i], 0)));
nnft.show(nnft.figure('Frozen-NTK ensemble mean at several times, eq. (99) and the GP posterior', [
  ...TIMES.slice(1).map((t, i) => nnft.curveTrace(`mean at t = ${t}`, xs, theory.mean[i + 1], i, 'dot')),
  ...nnft.bandTraces('t → ∞: eq. (99) ± 1 sd', xs, limit.mean[0], sd(limit.covariance![0]), 7),
  nnft.curveTrace('GP posterior mean (NNGP)', xs, posterior.mean, 8, 'dash'),
  { type: 'scatter', mode: 'markers', name: 'training data', x: X_TRAIN.map(([x]) => x), y: Y_TRAIN, marker: { color: 'black', size: 9 } },
], { title: 'x' }, { title: 'φ(x)' }), 'solvable-model-theory');


// %% [markdown]
// ## Experiment: ensembles of finite networks
//
// At each width we train an ensemble of networks in the NTK parameterization by full-batch gradient descent (all members at once, as
// one batched tfjs computation), record their outputs on the test grid at the times above, and compare the ensemble mean with the
// theory, with standard errors from the spread over networks. The mean differs from eq. (99) by $O(1/N)$ (the NTK fluctuates and is
// correlated with $\phi_0$), so the agreement should improve with width.
//

// %%
const records: Record<number, nnft.TrainingRecord> = {};
const bar = nnft.progressBar('training ensembles', WIDTHS.length * STEPS, 'steps');
for (const N of WIDTHS) {
  const net = nnft.mlp({ parameterization: 'ntk', width: N, ...ARCH });
  const params = nnft.initParameters(net, MEMBERS, SEED);
  records[N] = nnft.trainEnsemble(net, params, { xTrain: X_TRAIN, yTrain: Y_TRAIN, xTest: X_TEST, eta0: ETA, steps: STEPS, recordAt: TIMES, onProgress: () => bar.tick(1) });
  nnft.disposeParameters(params);
}
bar.done();

// %%
// The ensemble mean against eq. (96) on the test grid, at every width and recorded step.
type Row = { width: number; t: number; maxAbsZ: number; rmsDiff: number };
const rows: Row[] = [];
const finals: Record<number, { mean: number[]; se: number[] }> = {};
for (const N of WIDTHS) records[N].steps.forEach((t, s) => {
  const est = X_TEST.map((_, i) => nnft.estimateMean(records[N].outputs[s].map((o) => o[i])));
  const th = theory.mean[TIMES.indexOf(t)];
  rows.push({ width: N, t, maxAbsZ: Math.max(...est.map((e, i) => Math.abs(e.value - th[i]) / e.stdErr)), rmsDiff: Math.sqrt(est.reduce((a, e, i) => a + (e.value - th[i]) ** 2, 0) / est.length) });
  if (t === STEPS) finals[N] = { mean: est.map((e) => e.value), se: est.map((e) => e.stdErr) };
});

// %%
const pivot = (value: (r: Row) => number) => WIDTHS.map((N) =>
  Object.fromEntries([['width', N], ...TIMES.map((t): [string, number] => [`t = ${t}`, value(rows.find((r) => r.width === N && r.t === t)!)])]));
console.log('largest |z| over the test grid of (ensemble mean − eq. (96)), by width and step');
nnft.printTable(pivot((r) => +r.maxAbsZ.toFixed(2)));
console.log('RMS over the test grid of (ensemble mean − eq. (96))');
nnft.printTable(pivot((r) => +r.rmsDiff.toExponential(2)));

// %%
const NMAX = WIDTHS[WIDTHS.length - 1];
nnft.show(nnft.figure(`Trained ensemble mean (N = ${NMAX}, ${MEMBERS} networks, ${STEPS} steps) against eq. (96) at t = ${STEPS}`, [
  nnft.errorBarTrace('ensemble mean', xs, finals[NMAX].mean, finals[NMAX].se, 0),
  nnft.curveTrace(`eq. (96), t = ${STEPS}`, xs, theory.mean[TIMES.indexOf(STEPS)], 1),
  nnft.curveTrace('eq. (99), t = ∞', xs, limit.mean[0], 2, 'dash'),
], { title: 'x' }, { title: 'φ(x)' }), 'solvable-model-ensemble');
const byWidth = WIDTHS.map((N) => rows.find((r) => r.width === N && r.t === STEPS)!.rmsDiff);
nnft.show(nnft.figure('Distance of the trained ensemble mean from the frozen-NTK theory', [
  nnft.curveTrace(`RMS over the test grid, t = ${STEPS}`, WIDTHS, byWidth, 0),
  nnft.curveTrace('∝ 1/N', WIDTHS, WIDTHS.map((N) => (byWidth[0] * WIDTHS[0]) / N), 1, 'dash'),
], { title: 'width N', log: true }, { title: 'RMS(mean − theory)', log: true }), 'solvable-model-width');


// %% [markdown]
// ## Checks
//

// %%
const c = nnft.checks();
const widest = rows.filter((r) => r.width === NMAX);
const zAll = nnft.bonferroniZ(FAIL_PROB, TIMES.length * X_TEST.length);
// finite-width term: the mean moves by O(1/N); the coefficient (about 3 at these inputs) is read off the narrowest width
const finiteWidth = (byWidth[0] * WIDTHS[0]) / NMAX;
c.that(`N = ${NMAX}: the ensemble mean follows eq. (96) at every recorded time and test point within z = ${zAll.toFixed(2)} standard errors + O(1/N)`,
  widest.every((r) => r.maxAbsZ < zAll + finiteWidth / Math.min(...finals[NMAX].se)));
// not yet relaxed at t = STEPS: the slowest mode's remainder, a named term
const gap = Math.max(...theory.mean[TIMES.indexOf(STEPS)].map((v, i) => Math.abs(v - limit.mean[0][i])));
console.log(`at t = ${STEPS}: max |eq. (96) - eq. (99)| = ${gap.toExponential(2)}; O(1/N) term ${finiteWidth.toExponential(2)}; smallest standard error ${Math.min(...finals[NMAX].se).toExponential(2)}`);
c.agree(`N = ${NMAX}, t = ${STEPS}: ensemble mean equals eq. (99), the t = ∞ kernel regression, within errors (+ O(1/N) + the unrelaxed remainder)`, finals[NMAX].mean, finals[NMAX].se.map((s) => Math.hypot(s, finiteWidth) + gap), limit.mean[0], FAIL_PROB);
c.that('the distance from theory shrinks with width (widest < half the narrowest)', byWidth[byWidth.length - 1] < 0.5 * byWidth[0]);
c.that('memorisation (eq. (98)): eq. (97) at the training points equals y', nnft.frozenNtkTrajectory({ trainTrain: ntk.trainTrain, testTrain: ntk.trainTrain }, Y_TRAIN, [0, 0, 0, 0, 0], [0, 0, 0, 0, 0], { eta: ETA, times: [Infinity] })[0].every((v, a) => Math.abs(v - Y_TRAIN[a]) < 1e-10));
c.report();


// %% [markdown]
// ## Summary
//
// * In the frozen-NTK regime training is solved by linear algebra: an explicit trajectory, memorisation of the training set, and
//   kernel regression with the NTK at the end.
// * Finite ensembles follow it: at the largest width the trained mean agrees with eq. (96) at every time within its error bars,
//   and the remaining distance falls like $1/N$.
// * The GP posterior (Bayesian inference with the NNGP kernel) is a different interpolant from gradient descent with the NTK; the
//   two agree only when $\bar\Theta \propto K$ (e.g. training the readout layer alone).

// %% [markdown]
// ## Exercises
//
// 1. **Training the readout alone.** If only the readout layer is trained, the tangent kernel is the readout features' kernel,
//    $\frac{\sigma_w^2}{N}\sum_i \varphi_i(x)\varphi_i(x') + \sigma_b^2$, which at infinite width is the NNGP kernel $K$ itself. Show that the $t\to\infty$ ensemble
//    is then the GP posterior, mean *and* covariance, and check it with `frozenNtkMoments` (with $K$ in the role of $\bar\Theta$) against
//    `gpPosterior`. How far is the all-layer result, eq. (99), from the posterior mean?
// 2. **A denser training set.** Each NTK eigenmode relaxes as $(1 - \eta\lambda/n)^t$, so with $\eta = n/(2\lambda_\text{max})$ the slowest one needs
//    about $2\lambda_\text{max}/\lambda_\text{min}$ steps. Compare $\lambda_\text{min}$, $\lambda_\text{max}$ and that time for 5 and 9 equally spaced training
//    points on $[-2, 2]$. What does it mean for reaching eq. (99) in 500 steps?

// %% tags=["solution"]
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
// 1. Readout-only training: the NNGP blocks stand in for the NTK; the initial outputs are the same GP.
const exReadout = nnft.frozenNtkMoments(nngp, Y_TRAIN, { eta: ETA, times: [Infinity] }, nngp);
const exMaxDiff = (a: number[], b: number[]) => Math.max(...a.map((v, i) => Math.abs(v - b[i])));
console.log(`1. readout only, t = ∞: largest |mean − GP posterior mean| = ${exMaxDiff(exReadout.mean[0], posterior.mean).toExponential(1)},`
  + ` largest |covariance − posterior covariance| = ${exMaxDiff(exReadout.covariance![0].flat(), posterior.covariance.flat()).toExponential(1)}; eq. (99) differs from the posterior mean by up to ${exMaxDiff(limit.mean[0], posterior.mean).toFixed(3)}`);
// 2. The NTK's eigenvalues on n equally spaced training points in [-2, 2].
for (const m of [5, 9]) {
  const ev = new EigenvalueDecomposition(new Matrix(nnft.kernelOf(nnft.mlp({ ...ARCH, width: 1 }), nnft.linspace(-2, 2, m).map((x) => [x])).ntk), { assumeSymmetric: true }).realEigenvalues;
  const lo = Math.min(...ev), hi = Math.max(...ev);
  console.log(`2. n = ${m}: λ_min = ${lo.toExponential(3)}, λ_max = ${hi.toFixed(3)}; slowest mode relaxes in 2 λ_max/λ_min = ${((2 * hi) / lo).toFixed(0)} steps (to 1% after ${((2 * Math.log(100) * hi) / lo).toFixed(0)})`);
}
