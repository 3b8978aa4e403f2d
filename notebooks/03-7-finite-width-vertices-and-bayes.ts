// %% [markdown]
// # Finite width: vertices, depth and Bayesian learning
//
// *EFT4ML slides (Del Debbio), "fluctuations of G", "1/n expansion", "Bayesian learning at finite width"; large-N talk (Zhang),
// "Diagrammatic framework" (6-point) and "Structures of RG flow"; Roberts, Yaida and Hanin (PDLT), chapters 4-6.*
//
// Given layer $\ell$, the neurons of layer $\ell + 1$ of an MLP are independent Gaussians whose covariance is itself random,
//
// $$ \widehat G^{(\ell+1)}_{\alpha\beta} = C_b + \frac{C_W}{n}\sum_{j=1}^{n}\sigma\big(z^{(\ell)}_{j\alpha}\big)\,\sigma\big(z^{(\ell)}_{j\beta}\big), $$
//
// an average over $n$ neurons. Its fluctuations make the network non-Gaussian: the connected 4-point function is
// $\tfrac1n\,(V_4 + 2\ \text{perms})$ with $V_4/n$ the covariance of $\widehat G$, and the connected 6-point function is
// $\tfrac1{n^2}(V_6 + 14\ \text{perms})$ with $V_6/n^2$ its third cumulant. Both obey recursions in depth (`nnft.vertexRecursion`,
// derived in the doc comment of `src/deep/vertices.ts`): $V_4$ is fed by the single-neuron fluctuations of each layer and carried
// forward by $\chi_\parallel^2$; $V_6$ has the large-N talk's four kinds of diagrams (one, two and three neuron sums, the last with a
// $V_6$ or a chain of two $V_4$'s). This notebook:
//
// 1. follows $V_4/K^2$ and $V_6/K^3$ through depth against Monte Carlo at several widths;
// 2. shows that the expansion parameter is depth over width, $\ell/n$, and where it breaks down, with ReLU's exact answer;
// 3. checks the vertices at two inputs and against networks drawn weight by weight;
// 4. conditions one output neuron on an observation and watches another one move: representation learning at finite width.
//
// The Monte Carlo uses the exact Markov chain of layer metrics (`nnft.sampleMetrics`): drawing $n$ neurons per layer from
// $\mathcal N(0, \widehat G^{(\ell)})$ has the same law as drawing every weight, at $O(n\,L)$ instead of $O(n^2 L)$ cost per network.

// %%
import * as nnft from '../dist';

const SEED = 0;
const NETS = nnft.atScale({ ci: 20000, full: 200000 });                   // networks per Monte Carlo point (metric chain)
const LAYERS = 8;                                                          // l = 1 .. 8 (7 hidden layers)
const WIDTHS = nnft.atScale({ ci: [16, 64, 256], full: [16, 32, 64, 128, 256, 512] });
const FAIL_PROB = 1e-3;
const Z = nnft.bonferroniZ(FAIL_PROB, 40);
const CRITICAL = [
  { name: 'tanh', activation: 'tanh' as const, cw: 1, cb: 0 },
  { name: 'ReLU', activation: 'relu' as const, cw: 2, cb: 0 },
];
console.log(`scale=${nnft.scale()}  networks=${NETS}  widths=${WIDTHS.join(', ')}  layers=${LAYERS}`);

// %% [markdown]
// ## The four-point vertex through depth
//
// Lines: $V_4^{(\ell)}/(K^{(\ell)})^2$ from the recursion (it does not depend on the width). Points: $n\,\mathrm{Cov}(\widehat G, \widehat G)/\mathbb E[\widehat G]^2$
// measured on the metric chain at each width, with jackknife errors; they approach the line as $1/n$. At criticality the normalised vertex
// grows linearly in depth: for ReLU exactly $5(\ell - 1)$, for tanh like $\tfrac23\ell$ at large $\ell$ (PDLT chapter 5).

// %%
type Run = { net: string; width: number; layer: number; v4: nnft.Estimate; v6: nnft.Estimate; kurtosis: nnft.Estimate; khat4: number; khat6: number; reliable: boolean };
const runs: Run[] = [];
const theory = CRITICAL.map((c) => nnft.vertexRecursion({ ...c, width: 1, layers: LAYERS, inputs: [[1]] }));
for (const [i, c] of CRITICAL.entries()) {
  for (const width of WIDTHS) {
    for (const layer of [2, 4, 8]) {
      const m = nnft.metricMoments(nnft.sampleMetrics({ ...c, width, layers: layer, inputs: [[1]], nets: NETS, seed: SEED + width + layer }));
      const K2 = m.G[0].value ** 2;
      runs.push({
        net: c.name, width, layer,
        v4: { value: m.V4[0].value / K2, stdErr: m.V4[0].stdErr / K2, count: m.V4[0].count },
        v6: { value: m.V6[0].value / m.G[0].value ** 3, stdErr: m.V6[0].stdErr / m.G[0].value ** 3, count: m.V6[0].count },
        kurtosis: m.kurtosis[0], khat4: m.tails.V4.khat, khat6: m.tails.V6.khat, reliable: m.tails.V4.reliable,
      });
    }
  }
  void i;
}
const ls = Array.from({ length: LAYERS }, (_, l) => l + 1);
const vertexPanel = (key: 'v4' | 'v6', power: number) => CRITICAL.map((c, i) => nnft.figure(c.name, [
  nnft.curveTrace('recursion', ls, ls.map((l) => (key === 'v4' ? theory[i].V4 : theory[i].V6)[l - 1][0] / theory[i].K[l - 1][0] ** power), 7),
  ...WIDTHS.map((w, k) => {
    const r = runs.filter((x) => x.net === c.name && x.width === w);
    return nnft.errorBarTrace(`n = ${w}`, r.map((x) => x.layer), r.map((x) => x[key].value), r.map((x) => x[key].stdErr), k);
  }),
], { title: 'layer l' }, { title: key === 'v4' ? 'V4 / K^2' : 'V6 / K^3' }));
nnft.show(nnft.grid('Four-point vertex at criticality: recursion (line) and Monte Carlo (points)', vertexPanel('v4', 2)), 'v4-vs-depth');
nnft.show(nnft.grid('Six-point vertex at criticality: recursion (line) and Monte Carlo (points)', vertexPanel('v6', 3)), 'v6-vs-depth');

// %% [markdown]
// ## Depth over width is the expansion parameter
//
// For one input the output's kurtosis is $\langle z^4\rangle/\langle z^2\rangle^2 = 3 + 3V_4/(nK^2) + O(1/n^2)$. For ReLU at criticality it is known exactly:
// the output metric is $K^{(1)}$ times $\ell - 1$ independent factors $X = \tfrac2n\sum_j \mathrm{relu}(u_j)^2$ with $\mathbb E[X] = 1$ and $\mathbb E[X^2] = 1 + 5/n$, so
//
// $$ \frac{\langle z^4\rangle}{\langle z^2\rangle^2} = 3\prod_{\ell'=1}^{\ell-1}\Big(1 + \frac5n\Big) = 3 + \frac{15(\ell-1)}{n} + O\Big(\frac{\ell^2}{n^2}\Big). $$
//
// Heavy tails come with strong coupling: the metric is a product of $\ell - 1$ random factors, nearly log-normal when $\ell/n$ is large,
// and the Pareto diagnostic ($\hat k$ column) flags the terms of the Monte Carlo average there (ReLU at $n = 16$, $\ell = 8$); such points are shown
// but not used as evidence in the Checks.
//
// Plotted against $(\ell - 1)/n$, the $1/n$ truncation is one straight line for every width, the exact curves (and the Monte Carlo) bend
// away from it once $(\ell-1)/n$ is no longer small: at $5(\ell-1)/n \approx 1$ the "correction" is as large as the Gaussian part, and the
// expansion in $1/n$ at fixed depth has become an expansion in $\ell/n$ that has broken down. Deep narrow networks are strongly coupled.

// %%
const ratio = nnft.linspace(0, 0.5, 51);
const exactReLU = (n: number, l: number) => 3 * (1 + 5 / n) ** (l - 1);
const kurtRuns = runs.filter((r) => r.net === 'ReLU');
nnft.show(nnft.figure('ReLU at criticality: excess kurtosis of the output against depth over width', [
  nnft.curveTrace('1/n truncation 15 (l-1)/n', ratio, ratio.map((x) => 15 * x), 7, 'dash'),
  ...WIDTHS.map((n, k) => nnft.curveTrace(`exact, n = ${n}`, ratio, ratio.map((x) => exactReLU(n, 1 + x * n) - 3), k)),
  ...WIDTHS.map((n, k) => {
    const r = kurtRuns.filter((x) => x.width === n);
    return nnft.errorBarTrace(`Monte Carlo, n = ${n}`, r.map((x) => (x.layer - 1) / n), r.map((x) => x.kurtosis.value - 3), r.map((x) => x.kurtosis.stdErr), k);
  }),
], { title: '(l - 1) / n' }, { title: '<z^4>/<z^2>^2 - 3' }), 'kurtosis-vs-depth-over-width');
nnft.printTable(kurtRuns.map((r) => ({
  width: r.width, layer: r.layer, 'l/n': +((r.layer - 1) / r.width).toFixed(3), MC: +r.kurtosis.value.toFixed(4), err: +r.kurtosis.stdErr.toPrecision(2),
  exact: +exactReLU(r.width, r.layer).toFixed(4), '1/n': +(3 + (15 * (r.layer - 1)) / r.width).toFixed(4), 'k-hat': +r.khat4.toFixed(2),
})));

// %% [markdown]
// ## Two inputs, and networks drawn weight by weight
//
// With two inputs $V_4$ is a tensor $V_{(\alpha_1\alpha_2)(\alpha_3\alpha_4)}$ (six distinct entries). The table compares the recursion with
// $n\,\mathrm{Cov}(\widehat G_{\alpha_1\alpha_2}, \widehat G_{\alpha_3\alpha_4})$ of the metric chain at width 512 (tanh, $C_W = 1.5$, $C_b = 0.1$, $\ell = 4$), and then
// the connected 4-point function of the full network, $G_c^{(4)} = \tfrac1n(V_{(12)(34)} + V_{(13)(24)} + V_{(14)(23)})$, against an ensemble drawn weight by weight by the
// engine (`nnft.ensembleCorrelators` on `nnft.mlp`, erf at width 64 with 3 hidden layers, so $\ell = 4$; erf and ReLU MLPs run in the
// WebAssembly engine, one weight row at a time).

// %%
const twoInputs = [[1], [-0.4]];
const rec2 = nnft.vertexRecursion({ activation: 'tanh', cw: 1.5, cb: 0.1, width: 512, layers: 4, inputs: twoInputs });
const mc2 = nnft.metricMoments(nnft.sampleMetrics({ activation: 'tanh', cw: 1.5, cb: 0.1, width: 512, layers: 4, inputs: twoInputs, nets: NETS, seed: SEED + 7 }));
const entries = [[0, 0, 0, 0], [0, 0, 0, 1], [0, 0, 1, 1], [0, 1, 0, 1], [0, 1, 1, 1], [1, 1, 1, 1]];
const at = (t: number[]) => t.reduce((s, a) => s * 2 + a, 0);
const v4Rows = entries.map((t) => ({ entry: `V4_(${t[0]}${t[1]})(${t[2]}${t[3]})`, recursion: +rec2.V4[3][at(t)].toPrecision(6), MC: +mc2.V4[at(t)].value.toPrecision(5), err: +mc2.V4[at(t)].stdErr.toPrecision(2) }));
nnft.printTable(v4Rows);

const erfNet = nnft.mlp({ depth: 3, width: 64, activation: 'erf', sigmaW: 1.2, sigmaB: 0.3 });
// Eight independent ensembles (seeds): the error of G4c comes from their spread (Student t, 7 degrees of freedom). A jackknife
// error of a fourth moment is itself noisy (it needs eighth moments): at 10^6 networks it varies by a factor 2 from seed to seed.
const REPLICAS = 8;
const replicas: nnft.Correlators[] = [];
for (let k = 0; k < REPLICAS; k++) replicas.push(await nnft.ensembleCorrelators(erfNet, twoInputs, { order: 4, nets: (NETS * 5) / REPLICAS, seed: SEED + 8 + 100 * k, progress: false }));
const full = replicas[0];
const g4Mc = full.G4c!.tuples.map((_, k) => nnft.estimateMean(replicas.map((r) => r.G4c!.value[k])));
const recErf = nnft.vertexRecursion({ activation: 'erf', cw: 1.44, cb: 0.09, width: 64, layers: 4, inputs: twoInputs });
const g4Theory = full.G4c!.tuples.map(([a, b, c, d]) => (recErf.V4[3][at([a, b, c, d])] + recErf.V4[3][at([a, c, b, d])] + recErf.V4[3][at([a, d, b, c])]) / 64);
nnft.printTable(full.G4c!.tuples.map((t, k) => ({ tuple: t.join(''), MC: +g4Mc[k].value.toPrecision(4), 'err (8 replicas)': +g4Mc[k].stdErr.toPrecision(2), '1/n theory': +g4Theory[k].toPrecision(4) })));

// %% [markdown]
// ## Bayesian learning at finite width: one neuron teaches another
//
// Observe output neuron 1 at an input, $z_1 = y$, and ask for the variance of output neuron 2 at the same input. At infinite width the
// output neurons are independent and nothing changes: no representation learning. At finite width both share the random metric
// $\widehat G$, and the observation shifts it (the slides' formula, generalised to several inputs in `nnft.posteriorShift`):
//
// $$ \mathbb E[z_2^2 \mid z_1 = y] = G + \frac{V_4}{2 n G^2}\,\big(y^2 - G\big) + O(1/n^2). $$
//
// A large $|y|$ says the metric is probably larger than average, so the other neuron's variance goes up; a small one pulls it down. The
// brute force (`nnft.bruteForceShift`) weights each network of the metric chain by its likelihood $\mathcal N(y; 0, \widehat G)$ of the observation
// (no noise is needed: given $\widehat G$ the likelihood is exact) and reads the shift off the weighted mean, with jackknife errors and the
// Pareto diagnostic of the weights. Tanh at $C_W = 1.5$, $C_b = 0.1$, width 32, output at $\ell = 3$; the test input $x = 0.4$ moves too.

// %%
const bayesInputs = [[1], [0.4]];
const bayesWidth = 32;
const recB = nnft.vertexRecursion({ activation: 'tanh', cw: 1.5, cb: 0.1, width: bayesWidth, layers: 3, inputs: bayesInputs });
const KB = recB.K[2];
const chain = nnft.sampleMetrics({ activation: 'tanh', cw: 1.5, cb: 0.1, width: bayesWidth, layers: 3, inputs: bayesInputs, nets: NETS * 5, seed: SEED + 9 });
const ys = [0, 0.5, 1, 1.5, 2, 2.5, 3].map((s) => s * Math.sqrt(KB[0]));
const bayes = ys.map((y) => ({ y, theory: nnft.posteriorShift(KB, recB.V4[2], bayesWidth, [0], [y]), bf: nnft.bruteForceShift(chain, [0], [y]) }));
const yGrid = nnft.linspace(0, ys[ys.length - 1], 61);
nnft.show(nnft.figure('Shift of a second output neuron\'s 2-point function after observing z1(x = 1) = y', [
  nnft.curveTrace('theory, at x = 1', yGrid, yGrid.map((y) => nnft.posteriorShift(KB, recB.V4[2], bayesWidth, [0], [y])[0][0]), 0),
  nnft.curveTrace('theory, at x = 0.4', yGrid, yGrid.map((y) => nnft.posteriorShift(KB, recB.V4[2], bayesWidth, [0], [y])[1][1]), 1),
  nnft.errorBarTrace('brute force, x = 1', ys, bayes.map((b) => b.bf.shift[0][0].value), bayes.map((b) => b.bf.shift[0][0].stdErr), 0),
  nnft.errorBarTrace('brute force, x = 0.4', ys, bayes.map((b) => b.bf.shift[1][1].value), bayes.map((b) => b.bf.shift[1][1].stdErr), 1),
  nnft.curveTrace('infinite width', yGrid, yGrid.map(() => 0), 7, 'dot'),
], { title: 'observed y' }, { title: 'E[z2 z2 | z1 = y] - G' }), 'bayes-shift');
nnft.printTable(bayes.map((b) => ({ y: +b.y.toFixed(3), theory: +b.theory[0][0].toPrecision(4), 'brute force': +b.bf.shift[0][0].value.toPrecision(4), err: +b.bf.shift[0][0].stdErr.toPrecision(2), 'effective samples': Math.round(b.bf.effectiveSamples), 'k-hat (weights)': +b.bf.weights.khat.toFixed(2) })));

// %% [markdown]
// ## Checks
//
// Tolerances: $z$ standard errors (Bonferroni over the family) plus, where the $1/n$ truncation meets Monte Carlo at finite width, the
// size of the neglected order. Relative to the first-order result it is of the size of the first-order excess kurtosis
// $\Delta = 3V_4/(nK^2)$: for ReLU, where everything is exact, the relative correction to $n\,\mathrm{Var}(\widehat G)/\mathbb E[\widehat G]^2$ is $2.5(\ell-2)/n$
// against $\Delta = 15(\ell-1)/n$. So a $1/n$ result $T$ is allowed $z\cdot\text{stderr} + |T|\,\Delta$ (as in tests/deep.test.ts).

// %%
const c = nnft.checks();
const reluExactV4 = (n: number, l: number) => n * ((1 + 5 / n) ** (l - 1) - 1); // n Var(G)/E[G]^2, exact
// Estimates whose terms fail the tail diagnostic are shown but not used as evidence (see below).
const relu = runs.filter((r) => r.net === 'ReLU' && r.reliable);
c.agree('ReLU: n Var(G)/E[G]^2 of the metric chain equals the exact finite-n value', relu.map((r) => r.v4.value), relu.map((r) => r.v4.stdErr), relu.map((r) => reluExactV4(r.width, r.layer)), FAIL_PROB);
c.agree('ReLU: the kurtosis of the metric chain equals 3 prod(1 + 5/n)', relu.map((r) => r.kurtosis.value), relu.map((r) => r.kurtosis.stdErr), relu.map((r) => exactReLU(r.width, r.layer)), FAIL_PROB);
c.that('ReLU: the recursion gives V4 = 5 (l-1) K^2 and V6 = (44 (l-1) + 75 (l-1)(l-2)) K^3 (the exact 1/n and 1/n^2 terms)',
  ls.every((l) => Math.abs(theory[1].V4[l - 1][0] / theory[1].K[l - 1][0] ** 2 - 5 * (l - 1)) < 1e-9 && Math.abs(theory[1].V6[l - 1][0] / theory[1].K[l - 1][0] ** 3 - (44 * (l - 1) + 75 * (l - 1) * (l - 2))) < 1e-8));
/** |MC - T| <= z stderr + |T| Delta, with Delta the first-order excess kurtosis at that width and layer. */
const within = (mc: nnft.Estimate, T: number, delta: number) => Math.abs(mc.value - T) <= Z * mc.stdErr + Math.abs(T) * delta;
const tanhRuns = runs.filter((r) => r.net === 'tanh' && r.reliable);
const deltaOf = (i: number, n: number, l: number) => (3 * theory[i].V4[l - 1][0]) / (n * theory[i].K[l - 1][0] ** 2);
const bad = tanhRuns.filter((r) => !within(r.v4, theory[0].V4[r.layer - 1][0] / theory[0].K[r.layer - 1][0] ** 2, deltaOf(0, r.width, r.layer)));
c.that(`tanh: the normalised V4 of the metric chain equals the recursion within z = ${Z.toFixed(2)} errors + O(1/n^2)`, bad.length === 0, `${bad.length} of ${tanhRuns.length} outside`);
const bad6 = tanhRuns.filter((r) => !within(r.v6, theory[0].V6[r.layer - 1][0] / theory[0].K[r.layer - 1][0] ** 3, deltaOf(0, r.width, r.layer)));
c.that(`tanh: the normalised V6 of the metric chain equals the recursion (V6 and V4-V4 chain diagrams) within z = ${Z.toFixed(2)} errors + O(1/n^3)`, bad6.length === 0, `${bad6.length} of ${tanhRuns.length} outside`);
const delta2 = Math.max(...rec2.kurtosis[3]) - 3;
const v4Bad = entries.filter((t) => !within(mc2.V4[at(t)], rec2.V4[3][at(t)], delta2));
c.that('two inputs: every V4 entry of the metric chain at n = 512 equals the recursion within errors + O(1/n^2)', v4Bad.length === 0, `${v4Bad.length} outside`);
const deltaErf = Math.max(...recErf.kurtosis[3]) - 3;
const tReplicas = nnft.studentTQuantileTwoSided(FAIL_PROB / g4Mc.length, REPLICAS - 1);
const g4Bad = g4Mc.filter((e, k) => Math.abs(e.value - g4Theory[k]) > tReplicas * e.stdErr + Math.abs(g4Theory[k]) * deltaErf);
c.that(`networks drawn weight by weight: G4c of an erf MLP (n = 64, 3 hidden layers) equals the 1/n theory at every tuple (t = ${tReplicas.toFixed(2)} replica errors)`, g4Bad.length === 0, `${g4Bad.length} of ${g4Mc.length} outside`);
const deltaB = Math.max(...recB.kurtosis[2]) - 3;
// The shift changes sign at y^2 = G: its remainder scales with the size of the effect, max_y |shift|, not with its value there.
const sizeB = [0, 1].map((k) => Math.max(...bayes.map((b) => Math.abs(b.theory[k][k]))));
const bayesBad = bayes.filter((b) => [0, 1].some((k) => Math.abs(b.bf.shift[k][k].value - b.theory[k][k]) > Z * b.bf.shift[k][k].stdErr + sizeB[k] * deltaB));
c.that('Bayesian shift: brute force equals the 1/n formula within errors + O(1/n^2) at every y and both inputs', bayesBad.length === 0, `${bayesBad.length} of ${bayes.length} outside`);
c.that('representation learning is real: at y = 3 sqrt(G) the brute-force shift is many errors from zero', bayes[bayes.length - 1].bf.shift[0][0].value > Z * bayes[bayes.length - 1].bf.shift[0][0].stdErr);
c.that('importance weights are reliable (Pareto k-hat below threshold) at every y', bayes.every((b) => b.bf.weights.reliable), bayes.map((b) => b.bf.weights.khat.toFixed(2)).join(', '));
const heavy = runs.filter((r) => !r.reliable);
c.that('heavy tails only where the network is strongly coupled ((l - 1)/n > 0.25): everywhere else the metric-chain terms pass the tail diagnostic', heavy.every((r) => (r.layer - 1) / r.width > 0.25),
  heavy.length ? `not used: ${heavy.map((r) => `${r.net} n=${r.width} l=${r.layer} (k-hat ${r.khat4.toFixed(2)})`).join(', ')}` : 'all reliable');
c.report();

// %% [markdown]
// ## Summary
//
// * At finite width a deep network is a weakly interacting theory whose couplings (the vertices $V_4 \sim 1/n$, $V_6 \sim 1/n^2$) flow with depth;
//   the recursions reproduce the exact single-layer results at $\ell = 2$ and Monte Carlo of deep networks at every depth.
// * At criticality the normalised vertices grow linearly in depth, so the true expansion parameter is $\ell/n$: wide-and-shallow is nearly
//   Gaussian, deep-and-narrow is not, and ReLU's exact kurtosis shows the $1/n$ series failing once $5\ell/n$ is of order one.
// * The quartic vertex correlates output neurons: conditioning one on data moves the others, the simplest form of representation
//   learning, absent at infinite width.

// %% [markdown]
// ## Exercises
//
// 1. **ReLU's $1/n^2$ term.** Expand $3(1 + 5/n)^{\ell-1}$ to second order and compare the coefficient with the Monte Carlo residual
//    (MC minus $1/n$ truncation) times $n^2$ at $n = 64$. Which depth makes the second-order term half the first?
// 2. **The $\chi_\parallel^2$ in the recursion.** Off criticality (tanh at $C_W = 0.8$, $C_b = 0.2$) the vertex saturates instead of growing. Predict its
//    limit from $V_4^\star = C_W^2(\langle\sigma^4\rangle - \langle\sigma^2\rangle^2)_{K^\star}/(1 - \chi_\parallel^2)$ and check with `nnft.vertexRecursion` at $\ell = 50$.
// 3. **Observing two points.** Condition on $z_1$ at both inputs (`posteriorShift(K, V4, n, [0, 1], [y0, y1])`). When do the two
//    observations pull the second neuron's variance in opposite directions?

// %% tags=["solution"]
// 1. 3 (1 + 5/n)^(l-1) = 3 + 15 (l-1)/n + 75 (l-1)(l-2)/(2 n^2) + ...; the second-order term is half the first when 5 (l-2)/n = 1.
const exRun = runs.find((r) => r.net === 'ReLU' && r.width === 64 && r.layer === 8)!;
const exSecond = (75 * 7 * 6) / 2;
console.log(`1. n = 64, l = 8: (MC - 1/n truncation) n^2 = ${((exRun.kurtosis.value - (3 + (15 * 7) / 64)) * 64 ** 2).toFixed(0)} ± ${(exRun.kurtosis.stdErr * 64 ** 2).toFixed(0)}`
  + ` against the second-order coefficient ${exSecond} (higher orders add the rest); half the first order at l = 2 + n/5 = ${(2 + 64 / 5).toFixed(1)} for n = 64`);
// 2. Off criticality: V4(l+1) = C_W^2 (<s^4> - <s^2>^2) + chi_par^2 V4(l) has the fixed point V4* = C_W^2 (<s^4> - <s^2>^2) / (1 - chi_par^2).
const exKstar = nnft.fixedPoint('tanh', 0.8, 0.2, 1)!;
const exNodes = nnft.gaussianNodes([[exKstar]]);
const exS2 = nnft.expectation(exNodes, exNodes.z[0].map((z) => Math.tanh(z) ** 2));
const exS4 = nnft.expectation(exNodes, exNodes.z[0].map((z) => Math.tanh(z) ** 4));
const exChi = nnft.chiParallel('tanh', 0.8, exKstar);
const exV4 = nnft.vertexRecursion({ activation: 'tanh', cw: 0.8, cb: 0.2, width: 1, layers: 50, inputs: [[Math.sqrt((exKstar - 0.2) / 0.8)]] }).V4[49][0];
console.log(`2. K* = ${exKstar.toFixed(6)}, chi_par = ${exChi.toFixed(6)}: V4* = ${((0.64 * (exS4 - exS2 ** 2)) / (1 - exChi ** 2)).toFixed(8)}; recursion at l = 50 (started at K* ): ${exV4.toFixed(8)}`);
// 3. Two observations: the shift at each input is a sum over both; with y0 large and y1 small they pull in opposite directions.
for (const [y0, y1] of [[2, 0], [0, 2], [2, 2]] as const) {
  const sh = nnft.posteriorShift(KB, recB.V4[2], bayesWidth, [0, 1], [y0 * Math.sqrt(KB[0]), y1 * Math.sqrt(KB[3])]);
  console.log(`3. y = (${y0}, ${y1}) standard deviations: shift at x = 1 ${sh[0][0].toFixed(5)}, at x = 0.4 ${sh[1][1].toFixed(5)}, off-diagonal ${sh[0][1].toFixed(5)}`);
}
