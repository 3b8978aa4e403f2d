// %% [markdown]
// # Universal approximation: bumps, towers, and what training finds
//
// *TASI lectures "Physics for Machine Learning", section 2.1 (Cybenko's theorem, eqs. (21)-(24), Fig. 1).*
//
// The theorem says that one hidden layer of sigmoids, $\phi(x) = \sum_{i=1}^N w^{(1)}_i\,\sigma(w^{(0)}_i\cdot x + b^{(0)}_i) + b^{(1)}$ (eq. (21), with the
// coordinate sum inside the sigmoid as in eq. (24)), can come within any $\epsilon$ of a continuous target on a compact set in the
// sup norm (eq. (22)). It is an existence statement. This notebook makes it concrete and then asks the two questions the theorem
// leaves open: how many units does a given accuracy cost, and does gradient training find such a network?
//
// * **One dimension.** A steep sigmoid is nearly a step (eq. (24)); the difference of two steps is a bump; a row of bumps with
//   heights $f(\text{cell centre})$ is a staircase (Fig. 1 of the lectures). For a target with slope at most $L$ the staircase is within
//   $Lh/2$ of it, $h$ the cell width, so the error falls like $1/N$ once the sigmoids are steep on the scale of a cell.
// * **Two dimensions.** The staircase on a grid of cells needs a second hidden layer in this construction (explained below); its error
//   falls like $1/N$ per side, at $N^2$ units.
// * **Training.** Single-hidden-layer nets trained by Adam beat the construction easily on a smooth target, but on an oscillatory one
//   they stall on a plateau, far above the error the construction guarantees at the same width.
//

// %%
import * as nnft from '../dist';

const SEEDS = nnft.atScale({ ci: [0, 1, 2], full: [0, 1, 2, 3, 4, 5] });   // one trained net per seed
const STEPS = nnft.atScale({ ci: 1000, full: 3000 });                       // full-batch Adam steps (learning rate 0.01)
const CELLS_1D = nnft.atScale({ ci: [4, 8, 16, 32, 64, 128, 256], full: [4, 8, 16, 32, 64, 128, 256, 512] });
const CELLS_2D = nnft.atScale({ ci: [4, 8, 16, 32], full: [4, 8, 16, 32, 48] });
const WIDTHS_SMOOTH = nnft.atScale({ ci: [4, 8, 16, 32], full: [4, 8, 16, 32, 64] });
const WIDTHS_ROUGH = nnft.atScale({ ci: [64, 128, 256], full: [64, 128, 256, 512] });
const CELLS_2D_TRAINED = nnft.atScale({ ci: [4, 8], full: [4, 8, 12] });     // the tower with N cells per side has 2N + N^2 units
const FAIL_PROB = 1e-3;
const LO = -Math.PI, HI = Math.PI;
const SUP_POINTS = nnft.atScale({ ci: 10001, full: 20001 });              // sup norm on this many points of [LO, HI]
const backend = await nnft.ensureBackend();
console.log(`scale=${nnft.scale()}  seeds=${SEEDS.length}  Adam steps=${STEPS}  backend: ${nnft.describeBackend(backend)}`);


// %% [markdown]
// ## Fig. 1 in numbers: a sine out of bumps
//
// On $[-\pi, \pi]$ cut into $N$ cells $[a_k, a_{k+1}]$ the network
// $$\phi_N(x) = \sum_{k} f(m_k)\,\big[\sigma(s(x - a_k)) - \sigma(s(x - a_{k+1}))\big]$$
// has $2N$ hidden units with weights $w^{(0)} = s$, biases $b^{(0)} = -s a$ and readout weights $\pm f(m_k)$, $m_k$ the cell midpoint. By
// default $s = 20/h$. Below, the target and three such nets, with the separate bumps of the $N = 8$ net drawn thin.
//

// %%
const xs = nnft.linspace(LO, HI, 801);
const FIG1_CELLS = [4, 8, 16];
const fig1Nets = FIG1_CELLS.map((N) => nnft.bumpNet(Math.sin, LO, HI, N));
const h8 = (HI - LO) / 8;
const logistic = (z: number) => 1 / (1 + Math.exp(-z));
const bumps8 = Array.from({ length: 8 }, (_, k) => {
  const net = fig1Nets[1];
  return nnft.curveTrace(k === 0 ? 'single bumps, N = 8' : '', xs, xs.map((x) => net.w1[2 * k] * logistic(net.w0[2 * k] * x + net.b0[2 * k]) + net.w1[2 * k + 1] * logistic(net.w0[2 * k + 1] * x + net.b0[2 * k + 1])), 7, 'dot');
});
bumps8.forEach((t, k) => { if (k > 0) t.showlegend = false; (t.line as Record<string, unknown>).width = 1; });
nnft.show(nnft.figure('sin(x) built from sigmoid bumps (the lectures\' Fig. 1)', [
  ...bumps8,
  ...FIG1_CELLS.map((N, i) => nnft.curveTrace(`bump net, N = ${N} cells (${2 * N} units)`, xs, xs.map(fig1Nets[i].evaluate), i + 1)),
  nnft.curveTrace('target sin(x)', xs, xs.map(Math.sin), 0, 'dash'),
], { title: 'x' }, { title: 'φ(x)' }), 'uat-bumps-sine');
console.log(`cell width at N = 8: h = ${h8.toFixed(3)}; steepness s = 20/h = ${(20 / h8).toFixed(1)}`);


// %% [markdown]
// ## How the error falls with $N$
//
// Inside a cell the staircase is off by at most $L h/2$ (the distance to the midpoint times the largest slope); at a cell edge the
// sigmoid passes through the average of the two neighbouring heights, which is no worse. So the sup-norm error should sit just under
// $L h/2 = L(\pi - (-\pi))/(2N)$, a straight line of slope $-1$ on a log-log plot. Two targets: $\sin x$ ($L = 1$) and $\sin 8x$ ($L = 8$), which
// needs about $8\times$ as many cells before the law sets in (with one cell or fewer per half-period the staircase cannot
// follow the oscillation at all, and the error is simply $\max|f| = 1$).
//

// %%
const TARGETS_1D = [
  { name: 'sin(x)', f: Math.sin, L: 1 },
  { name: 'sin(8x)', f: (x: number) => Math.sin(8 * x), L: 8 },
];
const bound1D = (L: number, N: number) => (L * (HI - LO)) / N / 2;
const errors1D = TARGETS_1D.map(({ f }) => CELLS_1D.map((N) => nnft.supNormError(f, nnft.bumpNet(f, LO, HI, N).evaluate, LO, HI, SUP_POINTS)));
nnft.printTable(CELLS_1D.map((N, i) => ({
  N, units: 2 * N, h: +((HI - LO) / N).toPrecision(3),
  ...Object.fromEntries(TARGETS_1D.flatMap(({ name, L }, t) => [[`${name} error`, +errors1D[t][i].toPrecision(3)], [`${name}: error / (L h/2)`, +(errors1D[t][i] / bound1D(L, N)).toFixed(3)]])),
})));
// the 1/N law is asymptotic: fit the slope where the cells are small against the target's scale 1/L (h <= 1/L)
const asymptotic = TARGETS_1D.map(({ L }) => CELLS_1D.map((_, i) => i).filter((i) => (HI - LO) / CELLS_1D[i] <= 1 / L));
const slopes1D = TARGETS_1D.map((_, t) => nnft.logLogSlope(asymptotic[t].map((i) => CELLS_1D[i]), asymptotic[t].map((i) => errors1D[t][i])));
TARGETS_1D.forEach(({ name }, t) => console.log(`${name}: log-log slope ${slopes1D[t].slope.toFixed(4)} ± ${slopes1D[t].stdErr.toFixed(4)} over N = ${asymptotic[t].map((i) => CELLS_1D[i]).join(', ')}`));
nnft.show(nnft.figure('Sup-norm error of the bump net against the number of cells', TARGETS_1D.flatMap(({ name, L }, t) => [
  { ...nnft.curveTrace(`${name}: measured`, CELLS_1D, errors1D[t], 2 * t), mode: 'lines+markers' },
  nnft.curveTrace(`${name}: L h/2 = ${L}·π/N`, CELLS_1D, CELLS_1D.map((N) => bound1D(L, N)), 2 * t + 1, 'dash'),
]), { title: 'cells N (2N hidden units)', log: true }, { title: 'sup |f − φ|', log: true }), 'uat-error-vs-cells');


// %% [markdown]
// ## How steep is steep enough
//
// The construction relies on each sigmoid looking like a step on the scale of a cell, i.e. on $s h \gg 1$ (eq. (24) with
// $w^{(0)} = s \to \infty$). A bump's tails decay like $e^{-s\,\text{distance}}$, so every cell feels its neighbours through terms of
// order $e^{-sh/2}$; the error stops improving once these are small against the staircase error. Below: $\sin x$ with $N = 32$ cells
// (so the floor is $Lh/2 \approx 0.098$) as the steepness grows, in units of $1/h$. The same sweep for the two-dimensional tower net of
// the next section (at $N = 16$) is drawn too: its second layer sharpens each step (see below), so it reaches its floor at smaller $s h$;
// there, moderately soft steps ($s h \approx 2$-$5$) even do a little better than the sharp staircase, since rounding off the jumps at
// the cell edges lowers the worst error.
//

// %%
const STEEP_CELLS = 32;
const hSteep = (HI - LO) / STEEP_CELLS;
const SH = [0.25, 0.5, 1, 2, 3, 5, 7, 10, 15, 20, 30, 50, 100];
const steepErrors = SH.map((sh) => nnft.supNormError(Math.sin, nnft.bumpNet(Math.sin, LO, HI, STEEP_CELLS, sh / hSteep).evaluate, LO, HI, SUP_POINTS));
const steepFloor = steepErrors[steepErrors.length - 1];
// two dimensions (defined in the next section; evaluated here for the same sweep)
const F2 = (x: number, y: number) => Math.sin(x + y) + 0.5 * Math.sin(2 * x) * Math.cos(y);
const BOX: nnft.Box2D = { lo: [-Math.PI / 2, -Math.PI / 2], hi: [Math.PI / 2, Math.PI / 2] };
const STEEP_CELLS_2D = 16;
const hSteep2 = Math.PI / STEEP_CELLS_2D;
// The sup norm in two dimensions is sampled on a grid with 16 intervals per cell side, so that it resolves every cell alike at
// every N (a fixed grid would sample small cells more coarsely and bend the log-log slope).
const supSide = (N: number) => 16 * N + 1;
const steepErrors2 = SH.map((sh) => nnft.supNormError2D(F2, nnft.bumpNet2D(F2, BOX, STEEP_CELLS_2D, sh / hSteep2).evaluate, BOX, supSide(STEEP_CELLS_2D)));
const steepFloor2 = steepErrors2[steepErrors2.length - 1];
// the smallest s h from which on the error stays within a fraction tol above the floor (or below it)
const needed = (errs: number[], floor: number, tol: number) => SH.find((_, i) => errs.slice(i).every((e) => e <= (1 + tol) * floor))!;
nnft.printTable(SH.map((sh, i) => ({ 's h': sh, '1-D error': +steepErrors[i].toPrecision(4), '1-D error / floor': +(steepErrors[i] / steepFloor).toFixed(3), '2-D error': +steepErrors2[i].toPrecision(4), '2-D error / floor': +(steepErrors2[i] / steepFloor2).toFixed(3) })));
console.log(`1-D bumps (N = ${STEEP_CELLS}): floor ${steepFloor.toPrecision(4)} (L h/2 = ${(hSteep / 2).toPrecision(4)}); within 5% of it from s h = ${needed(steepErrors, steepFloor, 0.05)} on, within 1% from s h = ${needed(steepErrors, steepFloor, 0.01)} on.`
  + ` 2-D tower (N = ${STEEP_CELLS_2D}): floor ${steepFloor2.toPrecision(4)}; within 5% of it (or below) from s h = ${needed(steepErrors2, steepFloor2, 0.05)} on`);
nnft.show(nnft.figure('Sup-norm error against the steepness of the sigmoids', [
  { ...nnft.curveTrace(`1-D bumps, sin(x), N = ${STEEP_CELLS}`, SH, steepErrors.map((e) => e / steepFloor), 0), mode: 'lines+markers' },
  { ...nnft.curveTrace(`2-D tower, N = ${STEEP_CELLS_2D}`, SH, steepErrors2.map((e) => e / steepFloor2), 2), mode: 'lines+markers' },
  nnft.curveTrace('floor (the staircase)', SH, SH.map(() => 1), 7, 'dash'),
], { title: 's h (steepness × cell width)', log: true }, { title: 'error / error at s h = 100', log: true }), 'uat-steepness');


// %% [markdown]
// ## Two dimensions: a tower of quadrants
//
// Why not simply reuse the bumps? A single hidden layer is a sum of *ridge* functions $\sigma(w\cdot x + b)$, each constant along lines
// perpendicular to $w$. Whatever sharp feature one of them has runs straight across the whole box; a staircase on a grid of cells has
// edges that stop at the cell corners, and no finite sum of ridge functions produces that unless the target is a sum $g(x) + h(y)$.
// Single-layer constructions in $d \ge 2$ exist but go through the Radon transform (Carroll and Dickinson, 1989), and Cybenko's own proof
// is not constructive. The honest constructive picture in two dimensions therefore uses a **second hidden layer**:
//
// 1. first layer: steps $u_k = \sigma(s(x - a_k))$ and $v_l = \sigma(s(y - c_l))$ at the cells' lower edges ($2N$ units);
// 2. second layer: a gate $q_{kl} = \sigma(g\,(u_k + v_l - 3/2))$ with $g = 40$, close to 1 only where both steps are on: the quadrant
//    $x > a_k,\ y > c_l$ ($N^2$ units);
// 3. readout: $\phi = \sum_{kl} \Delta_{kl}\, q_{kl}$ with the mixed differences $\Delta_{kl} = F_{kl} - F_{k-1,l} - F_{k,l-1} + F_{k-1,l-1}$ of the cell values
//    $F_{kl} = f(\text{centre})$, so that the quadrants add up to the staircase.
//
// The target here is $f(x, y) = \sin(x + y) + \tfrac12 \sin 2x\,\cos y$ on $[-\pi/2, \pi/2]^2$, with $|\partial_x f| \le 2$, $|\partial_y f| \le 3/2$ and
// $|\partial_x\partial_y f| \le 2$. Each point is within half a cell of its centre in each coordinate, so the staircase is within
// $(L_x + L_y) h/2$; near a corner the gate differs from the product of the two soft steps by less than $1/2$, which adds at most
// $|\Delta_{kl}|/2 \le h^2$. The bound $(L_x + L_y)h/2 + h^2$ again falls like $1/N$.
//

// %%
const LX = 2, LY = 1.5, MXY = 2;
const bound2D = (N: number) => ((LX + LY) * (Math.PI / N)) / 2 + (MXY * (Math.PI / N) ** 2) / 2;
const errors2D = CELLS_2D.map((N) => nnft.supNormError2D(F2, nnft.bumpNet2D(F2, BOX, N).evaluate, BOX, supSide(N)));
const slope2D = nnft.logLogSlope(CELLS_2D.slice(1), errors2D.slice(1));
nnft.printTable(CELLS_2D.map((N, i) => ({ N, 'hidden units (2N + N²)': 2 * N + N * N, error: +errors2D[i].toPrecision(3), bound: +bound2D(N).toPrecision(3), 'error / bound': +(errors2D[i] / bound2D(N)).toFixed(3) })));
console.log(`2-D tower: log-log slope ${slope2D.slope.toFixed(3)} ± ${slope2D.stdErr.toFixed(3)} over N = ${CELLS_2D.slice(1).join(', ')}`);

// %%
const HEAT_CELLS = 8;
const heatNet = nnft.bumpNet2D(F2, BOX, HEAT_CELLS);
const hx = nnft.linspace(BOX.lo[0], BOX.hi[0], 121), hy = nnft.linspace(BOX.lo[1], BOX.hi[1], 121);
const zTarget = hy.map((y) => hx.map((x) => F2(x, y)));
const zNet = hy.map((y) => hx.map((x) => heatNet.evaluate(x, y)));
const zErr = zNet.map((row, j) => row.map((v, i) => Math.abs(v - zTarget[j][i])));
const zRange = { zmin: Math.min(...zTarget.flat(), ...zNet.flat()), zmax: Math.max(...zTarget.flat(), ...zNet.flat()) };
const heatPanel = (title: string, z: number[][], extra: Record<string, unknown>, yTitle = '') =>
  nnft.figure(title, [{ ...nnft.heatmapTrace(title, z, hx, hy), ...extra }], { title: 'x' }, { title: yTitle });
nnft.show(nnft.grid(`f(x, y) = sin(x + y) + ½ sin 2x cos y and its tower net, N = ${HEAT_CELLS} (${heatNet.hiddenUnits.join(' + ')} hidden units)`, [
  heatPanel('target f', zTarget, { ...zRange, showscale: false }, 'y'),
  heatPanel('tower net φ', zNet, { ...zRange, colorbar: { x: 0.645, len: 0.8, thickness: 10 } }),
  heatPanel('|f − φ|', zErr, { colorscale: 'Magma', colorbar: { x: 1.0, len: 0.8, thickness: 10 } }),
]), 'uat-2d-heatmaps');
nnft.show(nnft.figure('Two dimensions: sup-norm error of the tower net against N', [
  { ...nnft.curveTrace('measured (16 grid intervals per cell side)', CELLS_2D, errors2D, 0), mode: 'lines+markers' },
  nnft.curveTrace('bound (L_x + L_y) h/2 + h²', CELLS_2D, CELLS_2D.map(bound2D), 1, 'dash'),
], { title: 'cells per side N', log: true }, { title: 'sup |f − φ|', log: true }), 'uat-2d-error-vs-cells');


// %% [markdown]
// ## Training a single hidden layer
//
// Now the single-layer side of the theorem. We train nets of eq. (21) by full-batch Adam on the mean squared error over an evenly spaced
// training grid (128 points in one dimension, $16\times16$ in two), one net per seed, all seeds at once in one tfjs program. Inputs are
// rescaled to $[-1, 1]^D$; first-layer weights start as $\mathcal N(0, 4^2)$ with each unit's turning point placed uniformly in the box, readout
// weights as $\mathcal N(0, 1/N)$. Errors are measured in float64 on a denser test grid, from the trained parameters copied back to the host.
// Each trained net is compared with the construction that has **the same number of hidden units**: $N/2$ bump cells in one
// dimension, the tower with $n$ cells per side ($2n + n^2$ units) in two.
//

// %%
const ROUGH = (x: number) => Math.sin(8 * x);
const totalSteps = (WIDTHS_SMOOTH.length + WIDTHS_ROUGH.length + CELLS_2D_TRAINED.length) * STEPS;
const bar = nnft.progressBar('training', totalSteps, 'steps');
let stepsDone = 0;
const train = (opts: Omit<nnft.SigmoidTrainingOptions, 'seeds' | 'steps' | 'onProgress'>) => {
  const start = stepsDone;
  const run = nnft.trainSigmoidNet({ ...opts, seeds: SEEDS, steps: STEPS, onProgress: (f) => {
    const now = start + Math.round(f * STEPS);
    bar.tick(now - stepsDone);
    stepsDone = now;
  } });
  return run;
};
const smooth = WIDTHS_SMOOTH.map((width) => train({ target: Math.sin, dim: 1, box: { lo: [LO], hi: [HI] }, width, points: 128, testPoints: SUP_POINTS }));
const rough = WIDTHS_ROUGH.map((width) => train({ target: ROUGH, dim: 1, box: { lo: [LO], hi: [HI] }, width, points: 128, testPoints: SUP_POINTS }));
const twoD = CELLS_2D_TRAINED.map((n) => train({ target: F2, dim: 2, box: BOX, width: 2 * n + n * n, points: 16, testPoints: 101 }));
bar.done();

// %%
// Every trained net against the construction with the same number of hidden units, on the same test grid.
const fmt = (e: nnft.Estimate) => `${e.value.toPrecision(3)} ± ${e.stdErr.toPrecision(2)}`;
const summaries = { smooth: smooth.map(nnft.trainingSummary), rough: rough.map(nnft.trainingSummary), twoD: twoD.map(nnft.trainingSummary) };
const bumpError = (f: (x: number) => number, units: number) => nnft.supNormError(f, nnft.bumpNet(f, LO, HI, units / 2).evaluate, LO, HI, SUP_POINTS);
const constructionSmooth = WIDTHS_SMOOTH.map((w) => bumpError(Math.sin, w));
const constructionRough = WIDTHS_ROUGH.map((w) => bumpError(ROUGH, w));
const construction2D = CELLS_2D_TRAINED.map((n) => nnft.supNormError2D(F2, nnft.bumpNet2D(F2, BOX, n).evaluate, BOX, 101));
const lossDrop = (t: nnft.SigmoidTraining) => Math.min(...t.runs.map((r) => r.initialMse / r.trainMse));
console.log('sin(x) on [-π, π]: trained single-layer nets against the bump construction at equal width');
nnft.printTable(WIDTHS_SMOOTH.map((w, i) => ({ 'hidden units': w, 'construction sup error': +constructionSmooth[i].toPrecision(3), 'trained sup error (mean ± se)': fmt(summaries.smooth[i].testSupError), 'trained RMSE': +summaries.smooth[i].testRmse.value.toPrecision(3), 'smallest loss drop (× initial)': +lossDrop(smooth[i]).toPrecision(3) })));
console.log('f(x, y) on [-π/2, π/2]²: trained single-layer nets against the two-layer tower at equal hidden units (101 × 101 test grid)');
nnft.printTable(CELLS_2D_TRAINED.map((n, i) => ({ 'hidden units': 2 * n + n * n, 'tower cells per side': n, 'tower sup error': +construction2D[i].toPrecision(3), 'trained sup error (mean ± se)': fmt(summaries.twoD[i].testSupError), 'trained RMSE': +summaries.twoD[i].testRmse.value.toPrecision(3) })));
const units2D = CELLS_2D_TRAINED.map((n) => 2 * n + n * n);
nnft.show(nnft.figure(`Construction against training at equal hidden units (Adam, ${STEPS} steps, ${SEEDS.length} seeds, mean ± se)`, [
  { ...nnft.curveTrace('1-D bumps, sin(x)', WIDTHS_SMOOTH, constructionSmooth, 0), mode: 'lines+markers' },
  nnft.errorBarTrace('1-D trained, sin(x)', WIDTHS_SMOOTH, summaries.smooth.map((s) => s.testSupError.value), summaries.smooth.map((s) => s.testSupError.stdErr), 0),
  { ...nnft.curveTrace('2-D tower, f(x, y)', units2D, construction2D, 2), mode: 'lines+markers' },
  nnft.errorBarTrace('2-D trained (one hidden layer), f(x, y)', units2D, summaries.twoD.map((s) => s.testSupError.value), summaries.twoD.map((s) => s.testSupError.stdErr), 2),
], { title: 'hidden units', log: true }, { title: 'sup |f − φ| on the test grid', log: true }), 'uat-trained-vs-construction');

// %% [markdown]
// On smooth targets the trained nets win by a wide margin at every width: a staircase is a wasteful way to draw a smooth curve, and
// gradient descent finds smooth fits (overlapping, gently sloped sigmoids) that the bump picture never uses. Note also that the trained
// error falls far more slowly with width than the constructive $1/N$: it is set as much by the optimiser and its step budget as by what
// the width could express. In two
// dimensions a *single* hidden layer of sigmoids, trained, beats the two-layer tower by an order of magnitude: the theorem's
// single-layer nets are there to be found, even if the simple construction needs a second layer.
//
// ## Existence is not learnability
//
// The lectures stress that the theorem promises a good $\theta^*$ but not a way to reach it. The oscillating target $\sin 8x$ shows the gap.
// At 128 units and more the bump construction is within $0.4$ (and falling like $1/N$), while Adam, started from the same kind of
// initialisation as above, spends most of the budget on a plateau near the trivial fit $\phi \approx 0$ (whose MSE is $\langle \sin^2 8x\rangle = 1/2$).
// With the longer budget of the full scale the loss starts to come down after about 1000 steps and a few seeds leave the plateau, the
// narrower nets first; at 256 units and more none comes near the construction:
//

// %%
const trivialMse = (() => { const g = nnft.linspace(LO, HI, 128); return g.reduce((a, x) => a + ROUGH(x) ** 2, 0) / g.length; })();
nnft.printTable(WIDTHS_ROUGH.map((w, i) => ({ 'hidden units': w, 'construction sup error': +constructionRough[i].toPrecision(3), 'trained sup error (mean ± se)': fmt(summaries.rough[i].testSupError),
  'trained, per seed': rough[i].runs.map((r) => r.testSupError.toFixed(2)).join(' '), 'final train MSE (mean)': +summaries.rough[i].trainMse.value.toPrecision(3) })));
const widest = WIDTHS_ROUGH.length - 1;
console.log(`sin(8x), ${WIDTHS_ROUGH[widest]} hidden units, ${STEPS} Adam steps: trained sup error ${fmt(summaries.rough[widest].testSupError)} over ${SEEDS.length} seeds`
  + ` against ${constructionRough[widest].toPrecision(3)} for the construction (${(summaries.rough[widest].testSupError.value / constructionRough[widest]).toFixed(1)} times larger);`
  + ` final training MSE ${summaries.rough[widest].trainMse.value.toPrecision(3)} against ${trivialMse.toFixed(3)} for φ = 0`);
nnft.show(nnft.figure(`sin(8x): training loss, mean over ${SEEDS.length} seeds`, [
  ...WIDTHS_ROUGH.map((w, i) => nnft.curveTrace(`${w} hidden units`, rough[i].lossSteps, rough[i].lossSteps.map((_, k) => rough[i].runs.reduce((a, r) => a + r.lossHistory[k], 0) / rough[i].runs.length), i)),
  nnft.curveTrace('φ = 0', [0, STEPS], [trivialMse, trivialMse], 7, 'dash'),
], { title: 'Adam step' }, { title: 'training MSE', log: true }), 'uat-rough-loss');
const bestRun = rough[widest].runs.reduce((a, r) => (r.testSupError < a.testSupError ? r : a));
const roughNet = nnft.bumpNet(ROUGH, LO, HI, WIDTHS_ROUGH[widest] / 2);
nnft.show(nnft.figure(`sin(8x) with ${WIDTHS_ROUGH[widest]} hidden units: the construction and the best of the trained nets`, [
  nnft.curveTrace(`bump construction (${WIDTHS_ROUGH[widest] / 2} cells)`, xs, xs.map(roughNet.evaluate), 1),
  nnft.curveTrace(`trained, best seed (${bestRun.seed})`, xs, xs.map((x) => bestRun.evaluate(x)), 2),
  nnft.curveTrace('target sin(8x)', xs, xs.map(ROUGH), 0, 'dash'),
], { title: 'x' }, { title: 'φ(x)' }), 'uat-rough-fits');


// %% [markdown]
// ## Checks
//

// %%
const c = nnft.checks();
// 1-D construction: the Lipschitz bound at every N, and the 1/N law where the cells resolve the target
c.that('1-D bumps: sup error <= 1.01 L h/2 for sin(x) and sin(8x) at every N', TARGETS_1D.every(({ L }, t) => errors1D[t].every((e, i) => e <= 1.01 * bound1D(L, CELLS_1D[i]))));
TARGETS_1D.forEach(({ name }, t) => c.that(`1-D bumps, ${name}: log-log slope of the error within 0.05 of -1 where h <= 1/L`, Math.abs(slopes1D[t].slope + 1) < 0.05, `slope ${slopes1D[t].slope.toFixed(4)}`));
// steepness
c.that('steepness: at s h = 1/4 the bump net misses the staircase by more than 3x', steepErrors[0] > 3 * steepFloor, `${(steepErrors[0] / steepFloor).toFixed(2)}x`);
c.that('steepness: from s h = 10 on the 1-D error is within 1% of its floor, and the floor within 1% of L h/2', SH.every((sh, i) => sh < 10 || steepErrors[i] <= 1.01 * steepFloor) && Math.abs(steepFloor / (hSteep / 2) - 1) < 0.01);
c.that('steepness: the 2-D tower is within 5% of its floor from s h = 2 on', SH.every((sh, i) => sh < 2 || steepErrors2[i] <= 1.05 * steepFloor2));
// 2-D construction
c.that('2-D tower: sup error <= (L_x + L_y) h/2 + h^2 at every N', errors2D.every((e, i) => e <= bound2D(CELLS_2D[i])));
c.that('2-D tower: log-log slope of the error within 0.15 of -1 (N >= 8)', Math.abs(slope2D.slope + 1) < 0.15, `slope ${slope2D.slope.toFixed(3)}`);
// training
c.that('training lowers the training MSE at least 100-fold for every smooth-target net (1-D and 2-D)', [...smooth, ...twoD].every((t) => lossDrop(t) > 100), `smallest drop ${Math.min(...[...smooth, ...twoD].map(lossDrop)).toPrecision(3)}x`);
const zSmooth = nnft.bonferroniZ(FAIL_PROB, WIDTHS_SMOOTH.length + CELLS_2D_TRAINED.length);
c.that(`smooth targets: trained mean + ${zSmooth.toFixed(2)} se below the construction at every width (1-D and 2-D)`,
  summaries.smooth.every((s, i) => s.testSupError.value + zSmooth * s.testSupError.stdErr < constructionSmooth[i])
  && summaries.twoD.every((s, i) => s.testSupError.value + zSmooth * s.testSupError.stdErr < construction2D[i]));
const zRough = nnft.bonferroniZ(FAIL_PROB, 2);
const roughTail = [WIDTHS_ROUGH.length - 2, WIDTHS_ROUGH.length - 1];
c.that(`sin(8x), ${roughTail.map((i) => WIDTHS_ROUGH[i]).join(' and ')} units: the construction is below the trained mean - ${zRough.toFixed(2)} se (training falls short of what exists)`,
  roughTail.every((i) => constructionRough[i] < summaries.rough[i].testSupError.value - zRough * summaries.rough[i].testSupError.stdErr),
  roughTail.map((i) => `${WIDTHS_ROUGH[i]}: ${constructionRough[i].toPrecision(3)} vs ${fmt(summaries.rough[i].testSupError)}`).join('; '));
c.that('sin(8x): at the widest width the mean final training MSE is still above 1/4 of the trivial fit\'s (a plateau, not slow convergence near the answer)',
  summaries.rough[widest].trainMse.value > trivialMse / 4, `${summaries.rough[widest].trainMse.value.toPrecision(3)} vs ${trivialMse.toFixed(3)}`);
c.report();


// %% [markdown]
// ## Summary
//
// * A sigmoid with a large weight is a step; two steps make a bump; bumps make a staircase. With $N$ cells of width $h$ the error stays
//   below $Lh/2$ and falls like $1/N$, provided $s h$ is large: from $s h \approx 5$ the error is within a percent of the staircase's, and
//   beyond $s h \approx 10$ nothing changes.
// * In two dimensions the staircase of cells needs a second hidden layer in this construction (single-layer units are ridge functions);
//   the error again falls like $1/N$ per side, but it costs $N^2$ units: in $d$ dimensions a constructive accuracy $\epsilon$ costs of order
//   $(L/\epsilon)^d$ units.
// * The theorem's nets are findable when the target is smooth: trained single-layer nets beat the construction at every width, in one and
//   two dimensions. For an oscillating target at the same widths, Adam from a standard start stays on or near a plateau at $\phi = 0$ for
//   the whole budget, while the construction shows that a good network of that width exists: existence does not imply learnability.
//   How easily the plateau is left depends on the initialisation and the budget (exercise 1), which is the point: the theorem says
//   nothing about either.

// %% [markdown]
// ## Exercises
//
// 1. **Escaping the plateau.** The stalled runs above start with first-layer weights of typical size 4 on inputs rescaled to $z \in [-1, 1]$.
//    A unit with weight $w$ turns over across $\Delta z \approx 4/|w|$, about half the box, while one oscillation of $\sin 8x$ spans $\Delta z = 1/4$.
//    Retrain $\sin 8x$ at 64 units with `initScale: 16` (same steps, same seeds). How far does the error fall, and how does it compare
//    with the construction at 64 units?
// 2. **Additive targets need only one layer.** For $f(x, y) = g(x) + h(y)$ the sum of two 1-D bump nets, one in $x$ and one in $y$, is already a
//    single hidden layer of eq. (21). Build it for $g = \sin$, $h = \cos 2y$ on $[0, 2\pi]\times[0, \pi]$ with $N = 32$ cells each and compare its error
//    and unit count with the tower net of the same $N$.
// 3. **The cost of dimension.** Using the bounds above, how many hidden units does the construction need to reach sup error $0.01$ for a
//    target with $L = 1$ on $[0, 1]^d$, for $d = 1$ (bumps) and $d = 2$ (tower)? Extrapolate the tower's count $2N + N^2$ to $N^d$ cells in $d$ dimensions.

// %% tags=["solution"]
// 1. A steeper start.
const exSteep = nnft.trainSigmoidNet({ target: ROUGH, dim: 1, box: { lo: [LO], hi: [HI] }, width: 64, seeds: SEEDS, steps: STEPS, points: 128, testPoints: SUP_POINTS, initScale: 16 });
const exSteepSummary = nnft.trainingSummary(exSteep);
console.log(`1. sin(8x), 64 units, initScale 16: trained sup error ${fmt(exSteepSummary.testSupError)} (per seed ${exSteep.runs.map((r) => r.testSupError.toFixed(2)).join(' ')});`
  + ` with initScale 4 it was ${fmt(summaries.rough[0].testSupError)}; the construction at 64 units: ${constructionRough[0].toPrecision(3)}`);
// 2. A single hidden layer for an additive target: two 1-D bump nets side by side.
const exBox: nnft.Box2D = { lo: [0, 0], hi: [2 * Math.PI, Math.PI] };
const exF = (x: number, y: number) => Math.sin(x) + Math.cos(2 * y);
const exG = nnft.bumpNet(Math.sin, 0, 2 * Math.PI, 32), exH = nnft.bumpNet((y) => Math.cos(2 * y), 0, Math.PI, 32);
const exSingle = nnft.supNormError2D(exF, (x, y) => exG.evaluate(x) + exH.evaluate(y), exBox, supSide(32));
const exTower = nnft.bumpNet2D(exF, exBox, 32);
const exTowerError = nnft.supNormError2D(exF, exTower.evaluate, exBox, supSide(32));
console.log(`2. sin x + cos 2y, N = 32: single layer of ${exG.w0.length + exH.w0.length} units, error ${exSingle.toPrecision(3)}; tower of ${exTower.hiddenUnits[0] + exTower.hiddenUnits[1]} units, error ${exTowerError.toPrecision(3)}`
  + ` (bound (L_x h_x + L_y h_y)/2 = ${((2 * Math.PI / 32 + 2 * Math.PI / 32) / 2).toPrecision(3)})`);
// 3. Units for sup error 0.01 with L = 1 on [0, 1]^d: bumps need L h/2 <= 0.01, i.e. N = 50 cells, 100 units;
//    the tower needs (L_x + L_y) h/2 <= 0.01 (ignoring the h^2 term), i.e. N = 100 per side, 2N + N^2 units; in d dimensions ~ (d L/(2 eps))^d cells.
for (const d of [1, 2, 3, 4]) {
  const N = Math.ceil((d * 1) / (2 * 0.01));
  console.log(`3. d = ${d}: ${N} cells per side, about ${N ** d} cells${d === 1 ? ` (${2 * N} bump units)` : d === 2 ? ` (tower: ${2 * N + N * N} units)` : ''}`);
}
