// %% [markdown]
// # Feature learning and the maximal-update parameterization
//
// *TASI lectures "Physics for Machine Learning", section 4.3 (eqs. (100)-(127)); microsoft/mup's coordinate check.*
//
// Write a deep MLP with its width dependence made explicit: layer multipliers $N^{-a_l}$, initial variances $N^{-b_l}$, an output
// factor $1/(\gamma_0 N^d)$ and a learning rate $\eta_0\gamma_0^2 N^{2d-c}$. The lectures ask for three things as $N\to\infty$:
// pre-activations of order one at initialisation, outputs that move in finite time, and features that move in finite time. The
// first two fix $a$ and $b$ in terms of $c$; the third needs $d = 1/2$; a width-independent learning rate then fixes $c = 1$: that is μP.
// The NTK parameterization satisfies the first two with $d = 0$, so its features freeze; the standard parameterization with a fixed
// learning rate satisfies only the first, and its updates blow up with width.
//

// %%
import * as nnft from '../dist';

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


// %% [markdown]
// ## The scaling table
//
// One record per preset (`PARAMETERIZATIONS`) is the only place these exponents are written; `scalingGoals` checks the lectures'
// conditions (eqs. (121)-(125)) for any choice, including the one-parameter family of eqs. (126)-(127).
//

// %%
const presets = [nnft.PARAMETERIZATIONS.standard, nnft.PARAMETERIZATIONS.ntk, nnft.PARAMETERIZATIONS.mup, nnft.featureLearningFamily(0.25)];
nnft.printTable(presets.map((p) => {
  const g = nnft.scalingGoals(p);
  return { name: p.name, a1: p.a1, b1: p.b1, a: p.a, b: p.b, c: p.c, d: p.d, finiteInit: g.finitePreactivations, finiteLearning: g.finiteLearning, featureLearning: g.featureLearning, 'eta ∝ N^': g.rateExponent };
}));


// %% [markdown]
// ## Coordinate check
//
// Following microsoft/mup: train each parameterization at several widths for a few steps with the same $\eta_0$ at every width, and
// record the mean absolute change of every coordinate of each layer's pre-activations, $|z^{(l)}_t - z^{(l)}_0|$, and of the output.
// The rows are tidy (`parameterization, width, layer, step, seed, l1`) and go straight into a DataFrame. Layers 1 and 2 are hidden
// pre-activations, layer 3 the output. μP should give flat lines, NTK lines falling like $N^{-1/2}$, standard lines rising.
//

// %%
const ETA0 = [0.02, 0.5, 0.5];                                           // standard, ntk, mup
const bar = nnft.progressBar('coordinate check', 100, '%');
const rows = nnft.coordinateCheck({ parameterizations: ['standard', 'ntk', 'mup'], widths: WIDTHS, net: nnft.mlp({ depth: HIDDEN, width: 1, activation: ACT }), xTrain: X_TRAIN, yTrain: Y_TRAIN, eta0: ETA0, steps: 3, seeds: SEEDS,
  onProgress: nnft.percentTicks(bar) });
bar.done();
console.log(`${rows.length} rows written to ${nnft.saveTable('coordinate-check', rows)}`);

// %%
// Mean over seeds of one layer's |Δz| (layer 3: the output) after `step` steps.
const mean = (p: string, w: number, layer: number, step = 3) => {
  const r = rows.filter((x) => x.parameterization === p && x.width === w && x.layer === layer && x.step === step);
  return nnft.estimateMean(r.map((x) => x.l1));
};
const panels = ['standard', 'ntk', 'mup'].map((p) => nnft.figure(`${p}: |Δz| after 3 steps`, [1, 2, 3].map((layer) => {
  const e = WIDTHS.map((w) => mean(p, w, layer));
  return nnft.errorBarTrace(layer === 3 ? 'output' : `layer ${layer}`, WIDTHS, e.map((x) => x.value), e.map((x) => x.stdErr), layer - 1);
}), { title: 'width N', log: true }, { title: 'mean |z_t − z_0|', log: true }));
nnft.show(nnft.grid('Coordinate check: feature updates against width', panels), 'mup-coordinate-check');

// %%
const slopes: nnft.TableRow[] = [];
for (const p of ['standard', 'ntk', 'mup']) for (const layer of [1, 2, 3]) {
  const s = nnft.logLogSlope(WIDTHS, WIDTHS.map((w) => mean(p, w, layer).value));
  slopes.push({ parameterization: p, layer: layer === 3 ? 'output' : layer, slope: +s.slope.toFixed(3), err: +s.stdErr.toPrecision(2), ratio: +(mean(p, WIDTHS[WIDTHS.length - 1], layer).value / mean(p, WIDTHS[0], layer).value).toPrecision(3) });
}
nnft.printTable(slopes);


// %% [markdown]
// ## Learning-rate transfer
//
// Under μP the best $\eta_0$ found on a narrow net stays best on a wide one; under the standard parameterization the best rate falls
// roughly like $1/N$ and the narrow net's optimum diverges on the wide one. Each curve is the training loss after a fixed number of
// steps against $\eta_0$ (geometric mean over seeds; diverged runs are off the plot).
//

// %%
const bar2 = nnft.progressBar('learning-rate sweep', 100, '%');
const lr = nnft.learningRateSweep({ parameterizations: ['standard', 'mup'], widths: LR_WIDTHS, net: nnft.mlp({ depth: HIDDEN, width: 1, activation: ACT }), xTrain: X_TRAIN, yTrain: Y_TRAIN, eta0s: LR_GRID, steps: LR_STEPS, seeds: 3,
  onProgress: nnft.percentTicks(bar2) });
bar2.done();
const best = nnft.bestLearningRates(lr);
nnft.printTable(best.map((b) => ({ ...b, eta0: b.eta0, loss: +b.loss.toExponential(2) })));
const lossAt = (p: string, w: number, e: number) => {
  const r = lr.filter((x) => x.parameterization === p && x.width === w && x.eta0 === e);
  const g = Math.exp(r.reduce((s, x) => s + Math.log(x.loss), 0) / r.length);
  return Number.isFinite(g) && g < 10 ? g : NaN;
};
nnft.show(nnft.grid('Training loss against η0 at several widths', ['standard', 'mup'].map((p) => nnft.figure(p, LR_WIDTHS.map((w, i) => nnft.curveTrace(`N = ${w}`, LR_GRID, LR_GRID.map((e) => lossAt(p, w, e)), i)), { title: 'η0', log: true }, { title: `loss after ${LR_STEPS} steps`, log: true }))), 'mup-learning-rate-transfer');


// %% [markdown]
// ## Checks
//

// %%
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


// %% [markdown]
// ## Summary
//
// * The width scaling of multipliers, initial variances and learning rate decides whether a wide network learns features. The
//   lectures' three goals single out a one-parameter family; fixing the learning rate's width dependence leaves μP.
// * Coordinate checks make this visible in a few steps of training: flat under μP, falling as $N^{-1/2}$ under NTK, rising under the
//   standard parameterization with a fixed rate.
// * Under μP hyperparameters tuned on a narrow network transfer to wide ones.

// %% [markdown]
// ## Exercises
//
// 1. **The family and its symmetry.** `featureLearningFamily(a)` solves all three goals for any $a$. Show that the map
//    $(a_l, b_l, c) \to (a_l + \theta, b_l - 2\theta, c - 2\theta)$ leaves the network and its gradient-descent updates unchanged, so the family is a
//    single parameterization written in different coordinates. Tabulate the exponents for a few $a$: which member is μP, and how does the
//    learning rate's width exponent $2d - c$ depend on $a$?
// 2. **Which layer blows up first?** From the coordinate-check rows above, fit the width exponent of the step-1 update $|\Delta z|$ of each
//    layer under the standard parameterization. Which layer's updates grow fastest with width?
// 3. **Check the symmetry numerically.** Run a small coordinate check of `featureLearningFamily(0.25)` beside μP at the same $\eta_0 = 0.5$
//    (its learning rate $\eta_0 N^{1/2}$ grows with width, as exercise 1 requires). Predict the result before you look.

// %% tags=["solution"]
// 1. Exponents of the family; muP is a = 0 (rate exponent 2d - c = 2a).
nnft.printTable([-0.25, 0, 0.25, 0.5].map((a) => {
  const p = nnft.featureLearningFamily(a), g = nnft.scalingGoals(p);
  return { a, a1: p.a1, b1: p.b1, b: p.b, c: p.c, d: p.d, featureLearning: g.featureLearning, 'eta ∝ N^': g.rateExponent, isMuP: (['a1', 'b1', 'a', 'b', 'c', 'd'] as const).every((k) => p[k] === nnft.PARAMETERIZATIONS.mup[k]) };
}));
// 2. Width exponent of the step-1 updates, standard parameterization.
for (const layer of [1, 2, 3]) {
  const s = nnft.logLogSlope(WIDTHS, WIDTHS.map((w) => mean('standard', w, layer, 1).value));
  console.log(`2. standard, ${layer === 3 ? 'output' : `layer ${layer}`}: |Δz| after one step ∝ N^(${s.slope.toFixed(2)} ± ${s.stdErr.toFixed(2)})`);
}
// 3. A small coordinate check of the a = 0.25 member beside muP, entry by entry.
const exRows = nnft.coordinateCheck({ parameterizations: ['mup', nnft.featureLearningFamily(0.25)], widths: LR_WIDTHS, net: nnft.mlp({ depth: HIDDEN, width: 1, activation: ACT }), xTrain: X_TRAIN, yTrain: Y_TRAIN, eta0: [0.5, 0.5], steps: 3, seeds: 2 });
const exMup = (r: nnft.CoordinateRow) => exRows.find((x) => x.parameterization === 'mup' && x.width === r.width && x.layer === r.layer && x.step === r.step && x.seed === r.seed)!.l1;
const exFamily = exRows.filter((r) => r.parameterization !== 'mup' && r.step > 0);
console.log(`3. a = 0.25 against μP: ${exFamily.length} updates, largest relative difference ${Math.max(...exFamily.map((r) => Math.abs(r.l1 - exMup(r)) / exMup(r))).toExponential(1)} (float32 rounding)`);
