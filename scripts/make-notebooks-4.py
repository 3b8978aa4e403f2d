#!/usr/bin/env python3
# Generates notebooks 04-1, 04-2 and 04-3 (run from anywhere; writes into notebooks/).
import json
META = {"kernelspec": {"display_name": "TypeScript (nnft)", "language": "typescript", "name": "nnft-typescript"}, "language_info": {"name": "typescript"}}
def nb(cells, path):
    out = {"cells": [], "metadata": META, "nbformat": 4, "nbformat_minor": 5}
    for kind, src in cells:
        src = src.strip('\n') + '\n'
        c = {"cell_type": kind, "metadata": {}, "source": src}
        if kind == 'code':
            c["execution_count"] = None; c["outputs"] = []
        out["cells"].append(c)
    open(path, 'w').write(json.dumps(out, indent=1))

# ------------------------------------------------------------------ 4.1
nb([
('markdown', r"""
# The neural tangent kernel freezes at large width

*TASI lectures "Physics for Machine Learning", section 4.1 (NTK, eqs. (84)-(93)); EFT4ML slides (NNGP and NTK recursions).*

Under gradient flow every output moves along the neural tangent kernel $\Theta(x,x') = \sum_\theta \partial_\theta\phi(x)\,\partial_\theta\phi(x')$.
For a single network it is a sum over its $O(N)$ parameters of i.i.d. terms, so at large width it concentrates on its mean
$\bar\Theta$, which is fixed by the parameter density alone; in the NTK parameterization it also stops moving during training.
This notebook shows both:

1. the infinite-width NNGP kernel $K$ and NTK $\bar\Theta$ of deep MLPs by the layer recursion (closed forms for ReLU and Erf);
2. the empirical NTK of finite networks (tfjs autodiff) approaching $\bar\Theta$ with a relative error $\propto N^{-1/2}$;
3. training in the lazy regime: $\Theta$ moves by $O(N^{-1/2})$ while the outputs move by $O(1)$.

Conventions (neural-tangents'): $K_1 = \sigma_w^2\,x\cdot x'/D + \sigma_b^2$, $K_{l+1} = \sigma_w^2\,E[\sigma(u)\sigma(v)] + \sigma_b^2$,
$\Theta_1 = K_1$, $\Theta_{l+1} = K_{l+1} + \sigma_w^2\,E[\sigma'(u)\sigma'(v)]\,\Theta_l$ with $(u,v)\sim\mathcal N(0,K_l)$.
"""),
('code', r"""
import * as nnft from '../dist';
import * as dfd from 'danfojs-node';

const SEED = 0;
const XS = [-2, -1, -0.3, 0.4, 1.1, 2].map((x) => [x]);                  // P = 6 inputs, D = 1
const ACT = { activation: 'relu' as const, hiddenLayers: 2, sigmaW: 1.4, sigmaB: 0.3 };
const WIDTHS = nnft.atScale({ ci: [64, 256, 1024], full: [64, 128, 256, 512, 1024, 2048] });
const MEMBERS = nnft.atScale({ ci: 12, full: 48 });                      // networks per width
const FAIL_PROB = 1e-3;
const backend = await nnft.ensureBackend();
console.log(`scale=${nnft.scale()}  widths=${WIDTHS.join(', ')}  networks per width=${MEMBERS}  backend: ${nnft.describeBackend(backend)}`);
"""),
('markdown', r"""
## The infinite-width kernels

`infiniteWidthKernels` runs the recursion in float64 (the same numbers as `nnft kernel --json`). Below: the NNGP kernel and the
NTK of a two-hidden-layer ReLU MLP on the six inputs, and a slice $x' = 0.4$ against $x$ for depths 1 to 4. Deeper nets have
NTKs that grow with depth (every layer adds a term) and flatten in shape.
"""),
('code', r"""
const k = nnft.infiniteWidthKernels(XS, ACT);
console.log(new dfd.DataFrame(k.ntk.map((row, p) => Object.fromEntries([['x', XS[p][0]], ...row.map((v, q): [string, number] => [`Θ(·, ${XS[q][0]})`, +v.toFixed(4)])]))).toString());
const grid = nnft.linspace(-3, 3, 121);
const slices = [1, 2, 3, 4].flatMap((L, i) => {
  const kk = nnft.infiniteWidthKernels([[0.4], ...grid.map((x) => [x])], { ...ACT, hiddenLayers: L });
  return [nnft.curveTrace(`NTK, L = ${L}`, grid, kk.ntk[0].slice(1), i), nnft.curveTrace(`NNGP, L = ${L}`, grid, kk.nngp[0].slice(1), i, 'dot')];
});
nnft.show(nnft.figure("Infinite-width kernels of a ReLU MLP against x, at x' = 0.4", slices, { title: 'x' }, { title: "K(x, x'), Θ(x, x')" }), 'ntk-infinite-width-slices');
"""),
('markdown', r"""
## The empirical NTK converges like $N^{-1/2}$

For each width we draw networks in the NTK parameterization (the `ntk` preset of the abc table, notebook 4.3), compute their
NTK on the six inputs by automatic differentiation (one backward pass per input; the dot products over parameters are summed in
float64), and measure the relative Frobenius distance $\|\Theta_N - \bar\Theta\|/\|\bar\Theta\|$. Its root mean square over the
networks should fall like $N^{-1/2}$: the log-log slope is fitted with an error from the spread over networks.
"""),
('code', r"""
const rel = (A: number[][], B: number[][]) => {
  let n = 0, d = 0;
  A.forEach((r, p) => r.forEach((v, q) => ((n += (v - B[p][q]) ** 2), (d += B[p][q] ** 2))));
  return Math.sqrt(n / d);
};
const bar = nnft.progressBar('empirical NTK', WIDTHS.length, 'widths');
const conv: { width: number; rms: number; rmsErr: number; meanEntry: number; meanEntryErr: number }[] = [];
for (const N of WIDTHS) {
  const net = nnft.abcMlp({ parameterization: 'ntk', width: N, ...ACT });
  const params = nnft.initParameters(net, MEMBERS, SEED);
  const th = nnft.empiricalNtk(net, params, XS);                          // members in chunks of <= 256 MiB of parameters
  nnft.disposeParameters(params);
  const sq = th.map((T) => rel(T, k.ntk) ** 2);
  const ms = nnft.estimateMean(sq);                                       // mean square error with its standard error
  const entry = nnft.estimateMean(th.map((T) => T[0][3]));
  conv.push({ width: N, rms: Math.sqrt(ms.value), rmsErr: ms.stdErr / (2 * Math.sqrt(ms.value)), meanEntry: entry.value, meanEntryErr: entry.stdErr });
  bar.tick(1);
}
bar.done();
const slope = nnft.logLogSlope(conv.map((c) => c.width), conv.map((c) => c.rms));
console.log(new dfd.DataFrame(conv.map((c) => ({ width: c.width, relErrRMS: +c.rms.toPrecision(3), err: +c.rmsErr.toPrecision(2), 'Θ(x1,x4) mean': +c.meanEntry.toFixed(4), '±': +c.meanEntryErr.toPrecision(2) }))).toString());
console.log(`fitted slope ${slope.slope.toFixed(3)} ± ${slope.stdErr.toFixed(3)} (expected -1/2); analytic Θ(x1,x4) = ${k.ntk[0][3].toFixed(4)}`);
const NS = nnft.logspace(WIDTHS[0], WIDTHS[WIDTHS.length - 1], 30);
// c N^-1/2 through the geometric mean of the points (a guide for the eye, not a fit)
const halfPowerLaw = (ws: number[], ys: number[]) => {
  const c = Math.exp(ws.reduce((s, w, i) => s + Math.log(ys[i]) + 0.5 * Math.log(w), 0) / ws.length);
  return NS.map((N) => c / Math.sqrt(N));
};
nnft.show(nnft.figure('Empirical NTK against the infinite-width NTK', [
  nnft.errorBarTrace('RMS relative error', conv.map((c) => c.width), conv.map((c) => c.rms), conv.map((c) => c.rmsErr), 0),
  nnft.curveTrace('∝ N^-1/2', NS, halfPowerLaw(conv.map((c) => c.width), conv.map((c) => c.rms)), 1, 'dash'),
], { title: 'width N', log: true }, { title: '‖Θ_N − Θ̄‖ / ‖Θ̄‖', log: true }), 'ntk-convergence');
"""),
('markdown', r"""
## Lazy training: the NTK barely moves

Now train the networks (full-batch gradient descent on the MSE loss of the six points, targets $\sin(1.5x)$) and compare the
NTK after training with the one at initialisation. In the NTK parameterization the relative change is $O(N^{-1/2})$, although
the outputs move by $O(1)$: this is the frozen-NTK regime in which section 4.2's exact solution holds.
"""),
('code', r"""
const Y = XS.map(([x]) => Math.sin(1.5 * x));
const STEPS = nnft.atScale({ ci: 100, full: 200 });
const LAZY_MEMBERS = 12;                                                  // a step at N = 2048 costs ~0.1 s per network here
const lazy: { width: number; ntkChange: number; ntkChangeErr: number; outputChange: number }[] = [];
const bar2 = nnft.progressBar('lazy training', WIDTHS.length * STEPS, 'steps');
for (const N of WIDTHS) {
  const net = nnft.abcMlp({ parameterization: 'ntk', width: N, ...ACT });
  const params = nnft.initParameters(net, LAZY_MEMBERS, SEED + 1);
  const rec = nnft.trainEnsemble(net, params, { xTrain: XS, yTrain: Y, eta0: 0.05, steps: STEPS, recordNtk: true, onProgress: () => bar2.tick(1) });
  nnft.disposeParameters(params);
  const change = nnft.estimateMean(rec.ntk0!.map((T0, e) => rel(rec.ntkEnd![e], T0)));
  const moved = rec.outputs[0].map((o, e) => Math.sqrt(o.reduce((s, v, p) => s + (rec.outputs[1][e][p] - v) ** 2, 0) / o.length));
  lazy.push({ width: N, ntkChange: change.value, ntkChangeErr: change.stdErr, outputChange: moved.reduce((a, b) => a + b, 0) / moved.length });
}
bar2.done();
const lazySlope = nnft.logLogSlope(lazy.map((r) => r.width), lazy.map((r) => r.ntkChange));
console.log(new dfd.DataFrame(lazy.map((r) => ({ width: r.width, 'ΔΘ/Θ': +r.ntkChange.toPrecision(3), '±': +r.ntkChangeErr.toPrecision(2), 'RMS output change': +r.outputChange.toFixed(3) }))).toString());
console.log(`NTK change against width: slope ${lazySlope.slope.toFixed(3)} ± ${lazySlope.stdErr.toFixed(3)}`);
nnft.show(nnft.figure(`Relative NTK change after ${STEPS} steps of gradient descent (NTK parameterization)`, [
  nnft.errorBarTrace('‖Θ_T − Θ_0‖/‖Θ_0‖', lazy.map((r) => r.width), lazy.map((r) => r.ntkChange), lazy.map((r) => r.ntkChangeErr), 0),
  nnft.curveTrace('∝ N^-1/2', NS, halfPowerLaw(lazy.map((r) => r.width), lazy.map((r) => r.ntkChange)), 1, 'dash'),
], { title: 'width N', log: true }, { title: 'relative NTK change', log: true }), 'ntk-lazy-training');
"""),
('markdown', "## Checks"),
('code', r"""
const c = nnft.checks();
const z = nnft.bonferroniZ(FAIL_PROB, 4);
c.that(`empirical NTK error falls like N^-1/2 (slope ${slope.slope.toFixed(3)} ± ${slope.stdErr.toFixed(3)} within 0.15 + z·err of -0.5)`, Math.abs(slope.slope + 0.5) < 0.15 + z * slope.stdErr);
const widest = conv[conv.length - 1];
c.that(`at N = ${widest.width} the mean Θ(x1,x4) equals the analytic value within z standard errors + 1/N`, Math.abs(widest.meanEntry - k.ntk[0][3]) < z * widest.meanEntryErr + Math.abs(k.ntk[0][3]) / widest.width * 4);
c.that(`the NTK change during training falls like N^-1/2 (slope ${lazySlope.slope.toFixed(3)} ± ${lazySlope.stdErr.toFixed(3)} within 0.15 + z·err of -0.5, and below -0.3)`, Math.abs(lazySlope.slope + 0.5) < 0.15 + z * lazySlope.stdErr && lazySlope.slope < -0.3);
c.that('the outputs move by O(1) at every width (RMS change > 0.1)', lazy.every((r) => r.outputChange > 0.1));
c.report();
"""),
('markdown', r"""
## Summary

* The NTK of a wide network is a sum of many independent terms; its fluctuations around the recursion's $\bar\Theta$ shrink like
  $N^{-1/2}$, and its mean is $\bar\Theta$ up to $O(1/N)$.
* In the NTK parameterization training moves the outputs by $O(1)$ and the kernel by $O(N^{-1/2})$: the network is a linear model
  in its parameters, and its dynamics are those of kernel regression (next notebook).

## Exercises

1. Repeat the convergence plot for `erf` and for `tanh` (which goes through Gauss-Hermite quadrature). Does the prefactor of
   $N^{-1/2}$ depend on depth?
2. Train with a learning rate ten times larger. At which width does the NTK start to move by more than 10%?
"""),
], __import__('os').path.join(__import__('os').path.dirname(__file__), '..', 'notebooks', '04-1-neural-tangent-kernel.ipynb'))

# ------------------------------------------------------------------ 4.2
nb([
('markdown', r"""
# An exactly solvable model: wide networks trained by gradient descent

*TASI lectures "Physics for Machine Learning", section 4.2 (eqs. (94)-(99)); EFT4ML slides (Bayesian inference at infinite width).*

With a frozen NTK $\bar\Theta$ and the MSE loss, gradient flow is linear in the outputs and can be solved in closed form. With
$n = |\mathcal D|$ training points and $\bar\Theta = \bar\Theta(X, X)$,
$$\phi_t(x) = \phi_0(x) + \bar\Theta(x, X)\,\bar\Theta^{-1}\big(1 - e^{-\eta\bar\Theta t/n}\big)\big(y - \phi_0(X)\big),$$
which is the lectures' eq. (96) with the $1/n$ of eq. (95) placed in the exponent (as printed, the $1/n$ stands in front, which
would neither solve eq. (95) nor tend to eq. (97)). At $t\to\infty$ the network interpolates the training data (eq. (98)) and its
ensemble mean is kernel regression with the NTK, $\mu_\infty(x) = \bar\Theta(x,X)\bar\Theta^{-1}y$ (eq. (99)). Since $\phi_0$ is a GP with the
NNGP kernel $K$, the whole trained ensemble is Gaussian, with a covariance nnft also computes.

Gradient descent takes discrete steps of size $\eta$; its exact linearised solution replaces $e^{-\eta\bar\Theta t/n}$ by $(1 - \eta\bar\Theta/n)^t$
(`discrete: true`). Both are drawn below; the comparisons use the discrete one, and the difference is shown.
"""),
('code', r"""
import * as nnft from '../dist';
import * as dfd from 'danfojs-node';

const SEED = 0;
const X_TRAIN = [-2, -1, 0, 1, 2].map((x) => [x]);
const Y_TRAIN = X_TRAIN.map(([x]) => Math.sin(1.5 * x));
const X_TEST = nnft.linspace(-3, 3, 25).map((x) => [x]);
const ARCH = { activation: 'erf' as const, hiddenLayers: 1, sigmaW: 1.5, sigmaB: 0.5 };
const WIDTHS = nnft.atScale({ ci: [64, 256, 1024], full: [64, 256, 1024, 4096] });
const MEMBERS = nnft.atScale({ ci: 48, full: 256 });
const STEPS = 500;
const TIMES = [0, 5, 20, 50, 100, 200, 500];
const FAIL_PROB = 1e-3;
const backend = await nnft.ensureBackend();
console.log(`scale=${nnft.scale()}  widths=${WIDTHS.join(', ')}  networks per width=${MEMBERS}  backend: ${nnft.describeBackend(backend)}`);
"""),
('markdown', r"""
## Theory: the trajectory and its $t\to\infty$ limit

The NTK on the training points sets the time scales: each eigenvalue $\lambda$ relaxes at rate $\eta\lambda/n$. We take
$\eta = n/(2\lambda_\text{max})$, half the largest stable step.
"""),
('code', r"""
const n = X_TRAIN.length;
const k = nnft.infiniteWidthKernels([...X_TRAIN, ...X_TEST], ARCH);
const ntk = nnft.kernelBlocks(k.ntk, n), nngp = nnft.kernelBlocks(k.nngp, n);
const lambdaMax = Math.max(...ntk.trainTrain.map((row, i) => row.reduce((s, v) => s + Math.abs(v), 0)));   // Gershgorin bound
const ETA = n / (2 * lambdaMax);
const theory = nnft.frozenNtkMoments(ntk, Y_TRAIN, { eta: ETA, times: TIMES, discrete: true }, nngp);
const continuous = nnft.frozenNtkMoments(ntk, Y_TRAIN, { eta: ETA, times: TIMES }, nngp);
const limit = nnft.frozenNtkMoments(ntk, Y_TRAIN, { eta: ETA, times: [Infinity] }, nngp);
const posterior = nnft.gpPosterior(nngp, Y_TRAIN, 0);
console.log(`eta = ${ETA.toFixed(4)};  largest |discrete - continuous| mean over times and points: ${Math.max(...theory.mean.flatMap((m, s) => m.map((v, i) => Math.abs(v - continuous.mean[s][i])))).toExponential(2)}`);
const xs = X_TEST.map(([x]) => x);
const sd = (cov: number[][]) => cov.map((r, i) => Math.sqrt(Math.max(r[i], 0)));
nnft.show(nnft.figure('Frozen-NTK ensemble mean at several times, eq. (99) and the GP posterior', [
  ...TIMES.slice(1).map((t, i) => nnft.curveTrace(`mean at t = ${t}`, xs, theory.mean[i + 1], i, 'dot')),
  ...nnft.bandTraces('t → ∞: eq. (99) ± 1 sd', xs, limit.mean[0], sd(limit.covariance![0]), 7),
  nnft.curveTrace('GP posterior mean (NNGP)', xs, posterior.mean, 8, 'dash'),
  { type: 'scatter', mode: 'markers', name: 'training data', x: X_TRAIN.map(([x]) => x), y: Y_TRAIN, marker: { color: 'black', size: 9 } },
], { title: 'x' }, { title: 'φ(x)' }), 'solvable-model-theory');
"""),
('markdown', r"""
## Experiment: ensembles of finite networks

At each width we train an ensemble of networks in the NTK parameterization by full-batch gradient descent (all members at once, as
one batched tfjs computation), record their outputs on the test grid at the times above, and compare the ensemble mean with the
theory, with standard errors from the spread over networks. The mean differs from eq. (99) by $O(1/N)$ (the NTK fluctuates and is
correlated with $\phi_0$), so the agreement should improve with width.
"""),
('code', r"""
type Row = { width: number; t: number; maxAbsZ: number; rmsDiff: number };
const rows: Row[] = [];
const finals: Record<number, { mean: number[]; se: number[] }> = {};
const bar = nnft.progressBar('training ensembles', WIDTHS.length * STEPS, 'steps');
for (const N of WIDTHS) {
  const net = nnft.abcMlp({ parameterization: 'ntk', width: N, ...ARCH });
  const params = nnft.initParameters(net, MEMBERS, SEED);
  const rec = nnft.trainEnsemble(net, params, { xTrain: X_TRAIN, yTrain: Y_TRAIN, xTest: X_TEST, eta0: ETA, steps: STEPS, recordAt: TIMES, onProgress: () => bar.tick(1) });
  nnft.disposeParameters(params);
  rec.steps.forEach((t, s) => {
    const est = X_TEST.map((_, i) => nnft.estimateMean(rec.outputs[s].map((o) => o[i])));
    const th = theory.mean[TIMES.indexOf(t)];
    rows.push({ width: N, t, maxAbsZ: Math.max(...est.map((e, i) => Math.abs(e.value - th[i]) / e.stdErr)), rmsDiff: Math.sqrt(est.reduce((a, e, i) => a + (e.value - th[i]) ** 2, 0) / est.length) });
    if (t === STEPS) finals[N] = { mean: est.map((e) => e.value), se: est.map((e) => e.stdErr) };
  });
}
bar.done();
const pivot = (value: (r: Row) => number) => new dfd.DataFrame(WIDTHS.map((N) =>
  Object.fromEntries([['width', N], ...TIMES.map((t): [string, number] => [`t = ${t}`, value(rows.find((r) => r.width === N && r.t === t)!)])])));
console.log('largest |z| over the test grid of (ensemble mean − eq. (96)), by width and step');
console.log(pivot((r) => +r.maxAbsZ.toFixed(2)).toString());
console.log('RMS over the test grid of (ensemble mean − eq. (96))');
console.log(pivot((r) => +r.rmsDiff.toExponential(2)).toString());
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
"""),
('markdown', "## Checks"),
('code', r"""
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
"""),
('markdown', r"""
## Summary

* In the frozen-NTK regime training is solved by linear algebra: an explicit trajectory, memorisation of the training set, and
  kernel regression with the NTK at the end.
* Finite ensembles follow it: at the largest width the trained mean agrees with eq. (96) at every time within its error bars,
  and the remaining distance falls like $1/N$.
* The GP posterior (Bayesian inference with the NNGP kernel) is a different interpolant from gradient descent with the NTK; the
  two agree only when $\bar\Theta \propto K$ (e.g. training the readout layer alone).

## Exercises

1. Train only the readout layer (set the first-layer learning rate to zero by hand). Show that the trained ensemble then matches
   the GP posterior, mean and covariance.
2. Make the training set twice as dense. What happens to $\lambda_\text{min}$ of $\bar\Theta$, and to the time needed to reach eq. (99)?
"""),
], __import__('os').path.join(__import__('os').path.dirname(__file__), '..', 'notebooks', '04-2-exactly-solvable-model.ipynb'))

# ------------------------------------------------------------------ 4.3
nb([
('markdown', r"""
# Feature learning and the maximal-update parameterization

*TASI lectures "Physics for Machine Learning", section 4.3 (eqs. (100)-(127)); microsoft/mup's coordinate check.*

Write a deep MLP with its width dependence made explicit: layer multipliers $N^{-a_l}$, initial variances $N^{-b_l}$, an output
factor $1/(\gamma_0 N^d)$ and a learning rate $\eta_0\gamma_0^2 N^{2d-c}$. The lectures ask for three things as $N\to\infty$:
pre-activations of order one at initialisation, outputs that move in finite time, and features that move in finite time. The
first two fix $a$ and $b$ in terms of $c$; the third needs $d = 1/2$; a width-independent learning rate then fixes $c = 1$: that is μP.
The NTK parameterization satisfies the first two with $d = 0$, so its features freeze; the standard parameterization with a fixed
learning rate satisfies only the first, and its updates blow up with width.
"""),
('code', r"""
import * as nnft from '../dist';
import * as dfd from 'danfojs-node';
import * as fs from 'fs';
import * as path from 'path';

const X_TRAIN = [-2, -1, 0, 1, 2].map((x) => [x]);
const Y_TRAIN = X_TRAIN.map(([x]) => Math.sin(1.5 * x));
const HIDDEN = 2;
const ACT = 'tanh' as const;
const WIDTHS = nnft.atScale({ ci: [64, 128, 256, 512, 1024], full: [64, 128, 256, 512, 1024, 2048] });
const SEEDS = nnft.atScale({ ci: 4, full: 12 });
const LR_WIDTHS = nnft.atScale({ ci: [64, 256], full: [64, 256, 1024] });
const LR_GRID = Array.from({ length: 11 }, (_, k) => 2 ** (k - 8));
const LR_STEPS = nnft.atScale({ ci: 30, full: 60 });
const backend = await nnft.ensureBackend();
console.log(`scale=${nnft.scale()}  widths=${WIDTHS.join(', ')}  seeds=${SEEDS}  backend: ${nnft.describeBackend(backend)}`);
"""),
('markdown', r"""
## The scaling table

One record per preset (`PARAMETERIZATIONS`) is the only place these exponents are written; `scalingGoals` checks the lectures'
conditions (eqs. (121)-(125)) for any choice, including the one-parameter family of eqs. (126)-(127).
"""),
('code', r"""
const presets = [nnft.PARAMETERIZATIONS.standard, nnft.PARAMETERIZATIONS.ntk, nnft.PARAMETERIZATIONS.mup, nnft.featureLearningFamily(0.25)];
const table = new dfd.DataFrame(presets.map((p) => {
  const g = nnft.scalingGoals(p);
  return { name: p.name, a1: p.a1, b1: p.b1, a: p.a, b: p.b, c: p.c, d: p.d, finiteInit: g.finitePreactivations, finiteLearning: g.finiteLearning, featureLearning: g.featureLearning, 'eta ∝ N^': g.rateExponent };
}), { config: { tableMaxColInConsole: 12 } });
console.log(table.toString());
"""),
('markdown', r"""
## Coordinate check

Following microsoft/mup: train each parameterization at several widths for a few steps with the same $\eta_0$ at every width, and
record the mean absolute change of every coordinate of each layer's pre-activations, $|z^{(l)}_t - z^{(l)}_0|$, and of the output.
The rows are tidy (`parameterization, width, layer, step, seed, l1`) and go straight into a DataFrame. Layers 1 and 2 are hidden
pre-activations, layer 3 the output. μP should give flat lines, NTK lines falling like $N^{-1/2}$, standard lines rising.
"""),
('code', r"""
const ETA0 = [0.02, 0.5, 0.5];                                           // standard, ntk, mup
const bar = nnft.progressBar('coordinate check', 100, '%');
let last = 0;
const rows = nnft.coordinateCheck({ parameterizations: ['standard', 'ntk', 'mup'], widths: WIDTHS, hiddenLayers: HIDDEN, activation: ACT, xTrain: X_TRAIN, yTrain: Y_TRAIN, eta0: ETA0, steps: 3, seeds: SEEDS,
  onProgress: (f) => { const now = Math.round(100 * f); bar.tick(now - last); last = now; } });
bar.done();
const df = new dfd.DataFrame(rows);
const csv = path.join(nnft.outputDir(), 'tables', 'coordinate-check.csv');
fs.mkdirSync(path.dirname(csv), { recursive: true });
dfd.toCSV(df, { filePath: csv });
console.log(`${rows.length} rows written to ${csv}`);
const mean = (p: string, w: number, layer: number, step = 3) => {
  const r = rows.filter((x) => x.parameterization === p && x.width === w && x.layer === layer && x.step === step);
  return nnft.estimateMean(r.map((x) => x.l1));
};
const panels = ['standard', 'ntk', 'mup'].map((p) => nnft.figure(`${p}: |Δz| after 3 steps`, [1, 2, 3].map((layer) => {
  const e = WIDTHS.map((w) => mean(p, w, layer));
  return nnft.errorBarTrace(layer === 3 ? 'output' : `layer ${layer}`, WIDTHS, e.map((x) => x.value), e.map((x) => x.stdErr), layer - 1);
}), { title: 'width N', log: true }, { title: 'mean |z_t − z_0|', log: true }));
nnft.show(nnft.grid('Coordinate check: feature updates against width', panels), 'mup-coordinate-check');
const slopes: Record<string, unknown>[] = [];
for (const p of ['standard', 'ntk', 'mup']) for (const layer of [1, 2, 3]) {
  const s = nnft.logLogSlope(WIDTHS, WIDTHS.map((w) => mean(p, w, layer).value));
  slopes.push({ parameterization: p, layer: layer === 3 ? 'output' : layer, slope: +s.slope.toFixed(3), err: +s.stdErr.toPrecision(2), ratio: +(mean(p, WIDTHS[WIDTHS.length - 1], layer).value / mean(p, WIDTHS[0], layer).value).toPrecision(3) });
}
console.log(new dfd.DataFrame(slopes).toString());
"""),
('markdown', r"""
## Learning-rate transfer

Under μP the best $\eta_0$ found on a narrow net stays best on a wide one; under the standard parameterization the best rate falls
roughly like $1/N$ and the narrow net's optimum diverges on the wide one. Each curve is the training loss after a fixed number of
steps against $\eta_0$ (geometric mean over seeds; diverged runs are off the plot).
"""),
('code', r"""
const bar2 = nnft.progressBar('learning-rate sweep', 100, '%');
let last2 = 0;
const lr = nnft.learningRateSweep({ parameterizations: ['standard', 'mup'], widths: LR_WIDTHS, hiddenLayers: HIDDEN, activation: ACT, xTrain: X_TRAIN, yTrain: Y_TRAIN, eta0s: LR_GRID, steps: LR_STEPS, seeds: 3,
  onProgress: (f) => { const now = Math.round(100 * f); bar2.tick(now - last2); last2 = now; } });
bar2.done();
const best = nnft.bestLearningRates(lr);
console.log(new dfd.DataFrame(best.map((b) => ({ ...b, eta0: b.eta0, loss: +b.loss.toExponential(2) }))).toString());
const lossAt = (p: string, w: number, e: number) => {
  const r = lr.filter((x) => x.parameterization === p && x.width === w && x.eta0 === e);
  const g = Math.exp(r.reduce((s, x) => s + Math.log(x.loss), 0) / r.length);
  return Number.isFinite(g) && g < 10 ? g : NaN;
};
nnft.show(nnft.grid('Training loss against η0 at several widths', ['standard', 'mup'].map((p) => nnft.figure(p, LR_WIDTHS.map((w, i) => nnft.curveTrace(`N = ${w}`, LR_GRID, LR_GRID.map((e) => lossAt(p, w, e)), i)), { title: 'η0', log: true }, { title: `loss after ${LR_STEPS} steps`, log: true }))), 'mup-learning-rate-transfer');
"""),
('markdown', "## Checks"),
('code', r"""
const c = nnft.checks();
const ratio = (p: string, layer: number) => mean(p, WIDTHS[WIDTHS.length - 1], layer).value / mean(p, WIDTHS[0], layer).value;
const span = WIDTHS[WIDTHS.length - 1] / WIDTHS[0];
for (const layer of [1, 2]) {
  c.that(`μP, layer ${layer}: feature updates width-independent (ratio ${ratio('mup', layer).toFixed(3)} over a ${span}x width range, within 0.7-1.4)`, ratio('mup', layer) > 0.7 && ratio('mup', layer) < 1.4);
  c.that(`NTK, layer ${layer}: feature updates vanish like N^-1/2 (ratio ${ratio('ntk', layer).toFixed(3)}, expected ${(span ** -0.5).toFixed(3)}, within a factor 1.6)`, ratio('ntk', layer) > span ** -0.5 / 1.6 && ratio('ntk', layer) < span ** -0.5 * 1.6);
}
c.that(`standard: hidden-layer-2 updates grow with width (ratio ${ratio('standard', 2).toFixed(2)} > ${Math.sqrt(span).toFixed(1)}/2)`, ratio('standard', 2) > Math.sqrt(span) / 2);
c.that('μP output updates are O(1) at every width (ratio within 0.7-1.4)', ratio('mup', 3) > 0.7 && ratio('mup', 3) < 1.4);
const bestOf = (p: string, w: number) => best.find((b) => b.parameterization === p && b.width === w)!.eta0;
const steps = (p: string) => Math.abs(Math.log2(bestOf(p, LR_WIDTHS[LR_WIDTHS.length - 1]) / bestOf(p, LR_WIDTHS[0])));
c.that(`μP: the best η0 moves by at most one grid step (factor 2) across widths (moved ${steps('mup')})`, steps('mup') <= 1);
c.that(`standard: the best η0 moves by at least ${Math.log2(LR_WIDTHS[LR_WIDTHS.length - 1] / LR_WIDTHS[0]) - 1} grid steps (moved ${steps('standard')})`, steps('standard') >= Math.log2(LR_WIDTHS[LR_WIDTHS.length - 1] / LR_WIDTHS[0]) - 1);
c.report();
"""),
('markdown', r"""
## Summary

* The width scaling of multipliers, initial variances and learning rate decides whether a wide network learns features. The
  lectures' three goals single out a one-parameter family; fixing the learning rate's width dependence leaves μP.
* Coordinate checks make this visible in a few steps of training: flat under μP, falling as $N^{-1/2}$ under NTK, rising under the
  standard parameterization with a fixed rate.
* Under μP hyperparameters tuned on a narrow network transfer to wide ones.

## Exercises

1. Add `featureLearningFamily(0.25)` to the coordinate check. Its features move, but its learning rate must grow like $N^{1/2}$:
   what happens at fixed $\eta_0$?
2. Use the coordinate-check rows to plot the step-1 update against width for each layer. Which layer of the standard
   parameterization diverges first?
"""),
], __import__('os').path.join(__import__('os').path.dirname(__file__), '..', 'notebooks', '04-3-feature-learning-and-mup.ipynb'))
