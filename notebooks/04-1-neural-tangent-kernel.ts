// %% [markdown]
// # The neural tangent kernel freezes at large width
//
// *TASI lectures "Physics for Machine Learning", section 4.1 (NTK, eqs. (84)-(93)); EFT4ML slides (NNGP and NTK recursions).*
//
// Under gradient flow every output moves along the neural tangent kernel $\Theta(x,x') = \sum_\theta \partial_\theta\phi(x)\,\partial_\theta\phi(x')$.
// For a single network it is a sum over its $O(N)$ parameters of i.i.d. terms, so at large width it concentrates on its mean
// $\bar\Theta$, which is fixed by the parameter density alone; in the NTK parameterization it also stops moving during training.
// This notebook shows both:
//
// 1. the infinite-width NNGP kernel $K$ and NTK $\bar\Theta$ of deep MLPs by the layer recursion (closed forms for ReLU and Erf);
// 2. the empirical NTK of finite networks (tfjs autodiff) approaching $\bar\Theta$ with a relative error $\propto N^{-1/2}$;
// 3. training in the lazy regime: $\Theta$ moves by $O(N^{-1/2})$ while the outputs move by $O(1)$.
//
// Conventions (neural-tangents'): $K_1 = \sigma_w^2\,x\cdot x'/D + \sigma_b^2$, $K_{l+1} = \sigma_w^2\,E[\sigma(u)\sigma(v)] + \sigma_b^2$,
// $\Theta_1 = K_1$, $\Theta_{l+1} = K_{l+1} + \sigma_w^2\,E[\sigma'(u)\sigma'(v)]\,\Theta_l$ with $(u,v)\sim\mathcal N(0,K_l)$.
//

// %%
import * as nnft from '../dist';

const SEED = 0;
const XS = [-2, -1, -0.3, 0.4, 1.1, 2].map((x) => [x]);                  // P = 6 inputs, D = 1
const ACT = { activation: 'relu' as const, depth: 2, sigmaW: 1.4, sigmaB: 0.3 };
const WIDTHS = nnft.atScale({ ci: [64, 256, 1024], full: [64, 128, 256, 512, 1024, 2048] });
const MEMBERS = nnft.atScale({ ci: 12, full: 48 });                      // networks per width
const FAIL_PROB = 1e-3;
const backend = await nnft.ensureBackend();
console.log(`scale=${nnft.scale()}  widths=${WIDTHS.join(', ')}  networks per width=${MEMBERS}  backend: ${nnft.describeBackend(backend)}`);


// %% [markdown]
// ## The infinite-width kernels
//
// `kernelOf` runs the recursion in float64 on the net's own description (the same numbers as `nnft infinite-width --json`). Below: the NNGP kernel and the
// NTK of a two-hidden-layer ReLU MLP on the six inputs, and a slice $x' = 0.4$ against $x$ for depths 1 to 4. Deeper nets have
// NTKs that grow with depth (every layer adds a term) and flatten in shape.
//

// %%
const k = nnft.kernelOf(nnft.mlp({ ...ACT, width: 1 }), XS);
nnft.printTable(k.ntk.map((row, p) => Object.fromEntries([['x', XS[p][0]], ...row.map((v, q): [string, number] => [`Θ(·, ${XS[q][0]})`, +v.toFixed(4)])])));
const grid = nnft.linspace(-3, 3, 121);
const slices = [1, 2, 3, 4].flatMap((L, i) => {
  const kk = nnft.kernelOf(nnft.mlp({ ...ACT, depth: L, width: 1 }), [[0.4], ...grid.map((x) => [x])]);
  return [nnft.curveTrace(`NTK, L = ${L}`, grid, kk.ntk[0].slice(1), i), nnft.curveTrace(`NNGP, L = ${L}`, grid, kk.nngp[0].slice(1), i, 'dot')];
});
nnft.show(nnft.figure("Infinite-width kernels of a ReLU MLP against x, at x' = 0.4", slices, { title: 'x' }, { title: "K(x, x'), Θ(x, x')" }), 'ntk-infinite-width-slices');


// %% [markdown]
// ## The empirical NTK converges like $N^{-1/2}$
//
// For each width we draw networks in the NTK parameterization (the `ntk` preset of the abc table, notebook 4.3), compute their
// NTK on the six inputs by automatic differentiation (one backward pass per input; the dot products over parameters are summed in
// float64), and measure the relative Frobenius distance $\|\Theta_N - \bar\Theta\|/\|\bar\Theta\|$. Its root mean square over the
// networks should fall like $N^{-1/2}$: the log-log slope is fitted with an error from the spread over networks.
//

// %%
// The relative Frobenius distance ||A - B|| / ||B||.
const rel = (A: number[][], B: number[][]) => {
  let n = 0, d = 0;
  A.forEach((r, p) => r.forEach((v, q) => ((n += (v - B[p][q]) ** 2), (d += B[p][q] ** 2))));
  return Math.sqrt(n / d);
};
const NS = nnft.logspace(WIDTHS[0], WIDTHS[WIDTHS.length - 1], 30);
// c N^-1/2 through the geometric mean of the points (a guide for the eye, not a fit)
const halfPowerLaw = (ws: number[], ys: number[]) => {
  const c = Math.exp(ws.reduce((s, w, i) => s + Math.log(ys[i]) + 0.5 * Math.log(w), 0) / ws.length);
  return NS.map((N) => c / Math.sqrt(N));
};

// %%
const bar = nnft.progressBar('empirical NTK', WIDTHS.length, 'widths');
const conv: { width: number; rms: number; rmsErr: number; meanEntry: number; meanEntryErr: number }[] = [];
for (const N of WIDTHS) {
  const net = nnft.mlp({ parameterization: 'ntk', width: N, ...ACT });
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

// %%
const slope = nnft.logLogSlope(conv.map((c) => c.width), conv.map((c) => c.rms));
nnft.printTable(conv.map((c) => ({ width: c.width, relErrRMS: +c.rms.toPrecision(3), err: +c.rmsErr.toPrecision(2), 'Θ(x1,x4) mean': +c.meanEntry.toFixed(4), '±': +c.meanEntryErr.toPrecision(2) })));
console.log(`fitted slope ${slope.slope.toFixed(3)} ± ${slope.stdErr.toFixed(3)} (expected -1/2); analytic Θ(x1,x4) = ${k.ntk[0][3].toFixed(4)}`);
nnft.show(nnft.figure('Empirical NTK against the infinite-width NTK', [
  nnft.errorBarTrace('RMS relative error', conv.map((c) => c.width), conv.map((c) => c.rms), conv.map((c) => c.rmsErr), 0),
  nnft.curveTrace('∝ N^-1/2', NS, halfPowerLaw(conv.map((c) => c.width), conv.map((c) => c.rms)), 1, 'dash'),
], { title: 'width N', log: true }, { title: '‖Θ_N − Θ̄‖ / ‖Θ̄‖', log: true }), 'ntk-convergence');


// %% [markdown]
// ## Lazy training: the NTK barely moves
//
// Now train the networks (full-batch gradient descent on the MSE loss of the six points, targets $\sin(1.5x)$) and compare the
// NTK after training with the one at initialisation. In the NTK parameterization the relative change is $O(N^{-1/2})$, although
// the outputs move by $O(1)$: this is the frozen-NTK regime in which section 4.2's exact solution holds.
//

// %%
const Y = XS.map(([x]) => Math.sin(1.5 * x));
const STEPS = nnft.atScale({ ci: 100, full: 200 });
const LAZY_MEMBERS = 12;                                                  // a step at N = 2048 costs ~0.1 s per network here
const lazy: { width: number; ntkChange: number; ntkChangeErr: number; outputChange: number }[] = [];
const bar2 = nnft.progressBar('lazy training', WIDTHS.length * STEPS, 'steps');
for (const N of WIDTHS) {
  const net = nnft.mlp({ parameterization: 'ntk', width: N, ...ACT });
  const params = nnft.initParameters(net, LAZY_MEMBERS, SEED + 1);
  const rec = nnft.trainEnsemble(net, params, { xTrain: XS, yTrain: Y, eta0: 0.05, steps: STEPS, recordNtk: true, onProgress: () => bar2.tick(1) });
  nnft.disposeParameters(params);
  const change = nnft.estimateMean(rec.ntk0!.map((T0, e) => rel(rec.ntkEnd![e], T0)));
  const moved = rec.outputs[0].map((o, e) => Math.sqrt(o.reduce((s, v, p) => s + (rec.outputs[1][e][p] - v) ** 2, 0) / o.length));
  lazy.push({ width: N, ntkChange: change.value, ntkChangeErr: change.stdErr, outputChange: moved.reduce((a, b) => a + b, 0) / moved.length });
}
bar2.done();

// %%
const lazySlope = nnft.logLogSlope(lazy.map((r) => r.width), lazy.map((r) => r.ntkChange));
nnft.printTable(lazy.map((r) => ({ width: r.width, 'ΔΘ/Θ': +r.ntkChange.toPrecision(3), '±': +r.ntkChangeErr.toPrecision(2), 'RMS output change': +r.outputChange.toFixed(3) })));
console.log(`NTK change against width: slope ${lazySlope.slope.toFixed(3)} ± ${lazySlope.stdErr.toFixed(3)}`);
nnft.show(nnft.figure(`Relative NTK change after ${STEPS} steps of gradient descent (NTK parameterization)`, [
  nnft.errorBarTrace('‖Θ_T − Θ_0‖/‖Θ_0‖', lazy.map((r) => r.width), lazy.map((r) => r.ntkChange), lazy.map((r) => r.ntkChangeErr), 0),
  nnft.curveTrace('∝ N^-1/2', NS, halfPowerLaw(lazy.map((r) => r.width), lazy.map((r) => r.ntkChange)), 1, 'dash'),
], { title: 'width N', log: true }, { title: 'relative NTK change', log: true }), 'ntk-lazy-training');


// %% [markdown]
// ## Checks
//

// %%
const c = nnft.checks();
const z = nnft.bonferroniZ(FAIL_PROB, 4);
c.that(`empirical NTK error falls like N^-1/2 (slope ${slope.slope.toFixed(3)} ± ${slope.stdErr.toFixed(3)} within 0.15 + z·err of -0.5)`, Math.abs(slope.slope + 0.5) < 0.15 + z * slope.stdErr);
const widest = conv[conv.length - 1];
c.that(`at N = ${widest.width} the mean Θ(x1,x4) equals the analytic value within z standard errors + 1/N`, Math.abs(widest.meanEntry - k.ntk[0][3]) < z * widest.meanEntryErr + Math.abs(k.ntk[0][3]) / widest.width * 4);
c.that(`the NTK change during training falls like N^-1/2 (slope ${lazySlope.slope.toFixed(3)} ± ${lazySlope.stdErr.toFixed(3)} within 0.15 + z·err of -0.5, and below -0.3)`, Math.abs(lazySlope.slope + 0.5) < 0.15 + z * lazySlope.stdErr && lazySlope.slope < -0.3);
c.that('the outputs move by O(1) at every width (RMS change > 0.1)', lazy.every((r) => r.outputChange > 0.1));
c.report();


// %% [markdown]
// ## Summary
//
// * The NTK of a wide network is a sum of many independent terms; its fluctuations around the recursion's $\bar\Theta$ shrink like
//   $N^{-1/2}$, and its mean is $\bar\Theta$ up to $O(1/N)$.
// * In the NTK parameterization training moves the outputs by $O(1)$ and the kernel by $O(N^{-1/2})$: the network is a linear model
//   in its parameters, and its dynamics are those of kernel regression (next notebook).

// %% [markdown]
// ## Exercises
//
// 1. **The recursion by hand.** For ReLU at coincident points, $\mathbb E[\mathrm{relu}(u)^2] = K/2$ and $\mathbb E[\mathrm{relu}'(u)^2] = 1/2$ for
//    $u \sim \mathcal N(0, K)$. Turn the recursion above into $K_{l+1} = \sigma_w^2 K_l/2 + \sigma_b^2$, $\Theta_{l+1} = K_{l+1} + \sigma_w^2\Theta_l/2$, evaluate it at
//    $x = 1.1$ for 1 to 4 hidden layers and compare with `kernelOf`. With $\sigma_w^2/2 = 0.98$, why does $K$ barely change with depth
//    while $\Theta$ grows by about $K$ per layer?
// 2. **Another activation.** Repeat the convergence measurement for an Erf MLP of the same shape at $N = 64$ and $256$ (8 networks each).
//    If the fluctuations are $\propto N^{-1/2}$, by what factor should the RMS relative error shrink?
// 3. **Bigger steps.** Train at $N = 64$ and $256$ with $\eta_0 = 0.05$ (as above) and with $\eta_0 = 0.5$. Does the relative NTK change still
//    halve when the width quadruples? What does the answer say about the assumption behind the frozen NTK (small steps as well as wide
//    layers)?

// %% tags=["solution"]
// 1. (K_l, Theta_l) at x = 1.1, from K_1 = Theta_1 = sw^2 x^2 + sb^2 (D = 1); kernelOf's depth L ends at layer L + 1.
const exHand: [number, number][] = [[ACT.sigmaW ** 2 * 1.1 ** 2 + ACT.sigmaB ** 2, ACT.sigmaW ** 2 * 1.1 ** 2 + ACT.sigmaB ** 2]];
for (let l = 1; l <= 4; l++) { const [K, T] = exHand[l - 1], next = (ACT.sigmaW ** 2 * K) / 2 + ACT.sigmaB ** 2; exHand.push([next, next + (ACT.sigmaW ** 2 * T) / 2]); }
for (const L of [1, 2, 3, 4]) { const kk = nnft.kernelOf(nnft.mlp({ ...ACT, depth: L, width: 1 }), [[1.1]]); console.log(`1. L = ${L}: K = ${exHand[L][0].toFixed(6)} by hand, ${kk.nngp[0][0].toFixed(6)} kernelOf; Θ = ${exHand[L][1].toFixed(6)} by hand, ${kk.ntk[0][0].toFixed(6)} kernelOf`); }
// 2. Empirical NTK of an Erf MLP against its infinite-width NTK, 8 networks per width.
const exErf = { ...ACT, activation: 'erf' as const }, exTheta = nnft.kernelOf(nnft.mlp({ ...exErf, width: 1 }), XS).ntk;
const exRms = [64, 256].map((N) => { const net = nnft.mlp({ ...exErf, parameterization: 'ntk', width: N }), p = nnft.initParameters(net, 8, SEED + 2), th = nnft.empiricalNtk(net, p, XS); nnft.disposeParameters(p); return Math.sqrt(nnft.estimateMean(th.map((T) => rel(T, exTheta) ** 2)).value); });
console.log(`2. Erf MLP: RMS relative error ${exRms[0].toFixed(3)} at N = 64, ${exRms[1].toFixed(3)} at N = 256; ratio ${(exRms[0] / exRms[1]).toFixed(2)} (N^-1/2 predicts 2)`);
// 3. Relative NTK change after STEPS steps, 4 networks per width, at two learning rates.
for (const eta0 of [0.05, 0.5]) {
  const ch = [64, 256].map((N) => { const net = nnft.mlp({ parameterization: 'ntk', width: N, ...ACT }), p = nnft.initParameters(net, 4, SEED + 3), rec = nnft.trainEnsemble(net, p, { xTrain: XS, yTrain: Y, eta0, steps: STEPS, recordNtk: true }); nnft.disposeParameters(p); return nnft.estimateMean(rec.ntk0!.map((T0, e) => rel(rec.ntkEnd![e], T0))).value; });
  console.log(`3. eta0 = ${eta0}: ΔΘ/Θ = ${ch[0].toFixed(3)} at N = 64, ${ch[1].toFixed(3)} at N = 256; ratio ${(ch[0] / ch[1]).toFixed(2)} (lazy N^-1/2 scaling predicts 2)`);
}
