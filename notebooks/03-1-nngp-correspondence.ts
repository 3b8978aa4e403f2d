// %% [markdown]
// # 3.1 The NNGP correspondence
//
// *TASI lectures "Physics for Machine Learning", section 3.1; network conventions of the NN-QFT talk.*
//
// A randomly initialised network is one draw from an ensemble. This notebook draws whole ensembles of
// single-layer networks and measures their statistics, to see three things:
//
// 1. **The 2-point function is a known kernel.** For the nets used here, the Monte Carlo estimate of
//    $G^{(2)}(x, y) = \langle f(x) f(y) \rangle$ matches a closed-form kernel $K(x, y)$, within its error bars.
// 2. **That statement holds at every width**, not only as $N \to \infty$; only the size of the error bars depends on the
//    number of networks $M$, falling like $M^{-1/2}$.
// 3. **What needs large width is Gaussianity.** The distribution of $f(x)$ at one input approaches the Gaussian
//    $\mathcal N(0, K(x,x))$, and its excess kurtosis falls like $1/N$ — exactly as predicted from single-neuron averages.
//
// Every Monte Carlo number carries a standard error; the Checks cell at the end turns each claim into an assertion.

// %%
import * as nnft from '../dist';

// Parameters. NNFT_SCALE=ci (set by the test suite) shrinks the ensembles; full is the published run.
const SEED = 0;                                   // every ensemble below uses this seed
const M = nnft.atScale({ ci: 4000, full: 100000 }); // networks per ensemble
const WIDTH = 100;                                // N for the kernel comparison
const WIDTHS = [1, 3, 10, 30, 100, 1000];         // N for the width scans
const XS = nnft.linspace(-1, 1, 9).map((x) => [x]); // P = 9 input points in D = 1
const FAIL_PROB = 1e-3;                           // accepted family-wise failure probability of each check

const backend = await nnft.ensureBackend();
console.log(`scale=${nnft.scale()}  M=${M}  backend: ${nnft.describeBackend(backend)}`);

// %% [markdown]
// ## The ensembles
//
// Each network is
// $$ f(x) = \sum_{i=1}^{N} W^1_i \, \sigma\big(W^0_i \cdot x + b^0_i\big) + b^1, \qquad
// W^0 \sim \mathcal N(0, \sigma_w^2/D),\; b^0 \sim \mathcal N(0, \sigma_b^2),\; W^1 \sim \mathcal N(0, \sigma_w^2/N),\; b^1 \sim \mathcal N(0, \sigma_b^2), $$
// with $\sigma_w = \sigma_b = 1$ (the Gauss-net: $\sigma_b = 0$, see below) and input dimension $D = 1$. The activation $\sigma$ is erf (Erf-net), $\max(0, z)$ (ReLU-net), $\tanh$
// (Tanh-net, whose kernel has no closed form and comes from quadrature), or, for the Gauss-net, $\exp(z)$ divided by
// $\exp(\sigma_b^2 + \sigma_w^2 |x|^2 / D)$, a normalisation that depends on the input and makes the kernel depend on $x - y$ only.
// The Cos-net of lecture section 3.4 differs in its densities: phases $b^0 \sim \mathrm{Unif}[-\pi, \pi]$ and no output bias, with kernel
// $\tfrac{\sigma_w^2}{2} e^{-\sigma_w^2 |x - y|^2 / 2D}$.
//
// **Why the 2-point function does not depend on $N$.** The readout weights have mean zero and are independent of each other and of the
// hidden units, so in $\langle f(x) f(y)\rangle$ only the $N$ diagonal terms $i = j$ survive, each weighted by $\sigma_w^2/N$. The factor $N$
// cancels, leaving
// $$ G^{(2)}(x, y) = \sigma_b^2 + \sigma_w^2\, \mathbb E\big[\sigma(z)\,\sigma(z')\big], \qquad (z, z') \sim \mathcal N\Big(0, \begin{pmatrix} k(x,x) & k(x,y)\\ k(x,y) & k(y,y)\end{pmatrix}\Big), \quad k(x,y) = \sigma_b^2 + \sigma_w^2\, x\cdot y / D, $$
// the single-neuron computation of lecture eqs. (36)–(39). The Gaussian integral is known in closed form for erf, ReLU and the Gauss-net
// (`nnft.gpKernel`); `nnft.gpKernelQuadrature` evaluates the same expectation by Gauss–Hermite quadrature as an independent check.

// %%
// The Gauss-net without biases (see 'Heavy tails' below): with sigma_b = 1 its log-normal units cannot be averaged reliably.
const nets = [nnft.erfNet({ width: WIDTH }), nnft.reluNet({ width: WIDTH }), nnft.gaussNet({ width: WIDTH, sigmaB: 0 }), nnft.tanhNet({ width: WIDTH }), nnft.cosNet({ width: WIDTH })];
const measured: nnft.TwoPointFunction[] = [];
for (const net of nets) measured.push(await nnft.twoPointFunction(net, XS, { nets: M, seed: SEED }));
const exact = nets.map((net) => nnft.gpKernelMatrix(net, XS));

// The closed forms a second way: quadrature of the defining expectation (nets with Gaussian pre-activations
// and a closed form; the Tanh-net's kernel *is* quadrature, the Cos-net's phases are uniform).
const closedNets = nets.filter((net) => nnft.hasGaussianPreactivations(net) && nnft.hasClosedFormKernel(net.activation));
const closedVsQuadrature = closedNets.map((net) => {
  const a = nnft.upperTriangle(nnft.gpKernelMatrix(net, XS)), b = nnft.upperTriangle(nnft.kernelMatrix(nnft.gpKernelQuadrature(net, 120), XS));
  return Math.max(...a.map((v, k) => Math.abs(v - b[k]) / Math.abs(v)));
});
closedNets.forEach((net, i) => console.log(`${net.name}: max relative difference closed form vs quadrature = ${closedVsQuadrature[i].toExponential(2)}`));

// %% [markdown]
// ### Theory against experiment
//
// Each panel fixes one argument of $G^{(2)}$ and varies the other. Points are Monte Carlo estimates over $M$ networks of width
// $N = 100$ with one-standard-error bars; lines are the analytic kernels.

// %%
const fine = nnft.linspace(-1, 1, 101);
const rows = [0, 4, 8]; // fix x = -1, 0, 1
const panels = nets.map((net, i) => {
  const K = nnft.gpKernel(net);
  const traces = rows.flatMap((p, j) => [
    nnft.curveTrace(`K(${XS[p][0]}, y)`, fine, fine.map((y) => K(XS[p], [y])), j),
    nnft.errorBarTrace(`MC, x = ${XS[p][0]}`, XS.map((x) => x[0]), measured[i].mean[p], measured[i].stdErr[p], j),
  ]);
  return nnft.figure(net.name, traces, { title: 'y' }, { title: 'G2(x, y)' });
});
nnft.show(nnft.grid(`Two-point functions at N = ${WIDTH}, M = ${M} networks`, panels), 'g2-vs-kernel');

// %% [markdown]
// ### Are the error bars honest?
//
// A standard error is a claim about repetitions: if the whole measurement were redone with new networks, the *pull*
// $(G^{(2)}_{\rm MC} - K)/\text{stderr}$ should scatter like a standard normal, and about 68.3% of the pulls should land within $\pm 1$.
// So repeat it: $R$ independent small ensembles ($M' = 500$ networks each, disjoint ranges of network index) per net, and histogram
// the pull of one entry, $G^{(2)}(-0.5, 0.75)$. (The pulls of the 45 entries *within* one run are no test of this: those entries share
// their networks, so their errors move together.)

// %%
const REPLICAS = nnft.atScale({ ci: 100, full: 400 });
const M_REPLICA = 500;
const ENTRY = [XS[2], XS[7]]; // x = -0.5, y = 0.75
const replicaPulls: number[][] = nets.map(() => []), replicaTails: nnft.TailDiagnostic[][] = nets.map(() => []);
const bar = nnft.progressBar('replicas', nets.length * REPLICAS, 'ensembles');
for (const [i, net] of nets.entries()) {
  const K = nnft.gpKernel(net)(ENTRY[0], ENTRY[1]);
  for (let r = 0; r < REPLICAS; r++) {
    const g = await nnft.twoPointFunction(net, ENTRY, { nets: M_REPLICA, seed: SEED + 1, firstNet: r * M_REPLICA, progress: false });
    replicaPulls[i].push((g.mean[0][1] - K) / g.stdErr[0][1]);
    replicaTails[i].push(g.tail);
    bar.tick(1);
  }
}
bar.done();

// %%
const coverage = replicaPulls.map((ps) => ({ value: ps.filter((z) => Math.abs(z) <= 1).length / ps.length, stdErr: Math.sqrt(0.683 * 0.317 / ps.length) }));
nets.forEach((net, i) => console.log(`${net.name}: ${(100 * coverage[i].value).toFixed(1)}% of ${REPLICAS} pulls within ±1 (expect 68.3 ± ${(100 * coverage[i].stdErr).toFixed(1)})`));
const zGrid = nnft.linspace(-4, 4, 161);
nnft.show(nnft.figure(`Pulls of G2(-0.5, 0.75) over ${REPLICAS} independent ensembles of ${M_REPLICA} networks`, [
  ...nets.map((net, i) => nnft.histogramTrace(net.name, replicaPulls[i], i, { start: -4, end: 4, size: nnft.atScale({ ci: 1, full: 0.5 }) })),
  nnft.normalDensityTrace('standard normal', zGrid),
], { title: '(MC - K) / stderr' }, { title: 'density' }), 'g2-pulls');

// %% [markdown]
// ## Exact at every width
//
// Repeat the measurement of $G^{(2)}(-1, 1)$ and $G^{(2)}(1, 1)$ at widths from $N = 1$ to $1000$. A single hidden unit is as good as a
// thousand for the 2-point function.

// %%
const PAIR_XS = [[-1], [1]];
const scanNets = [nnft.erfNet({ width: 1 }), nnft.reluNet({ width: 1 })];
const widthScan: { net: string; width: number; g2: nnft.TwoPointFunction; K: number[][] }[] = [];
for (const base of scanNets) {
  for (const width of WIDTHS) {
    const net = nnft.withWidth(base, width);
    widthScan.push({ net: net.name, width, g2: await nnft.twoPointFunction(net, PAIR_XS, { nets: M, seed: SEED }), K: nnft.gpKernelMatrix(net, PAIR_XS) });
  }
}

// %%
const widthPanels = scanNets.map((base) => {
  const rowsFor = widthScan.filter((r) => r.net === base.name);
  const entries: [number, number, string][] = [[0, 1, 'G2(-1, 1)'], [1, 1, 'G2(1, 1)']];
  return nnft.figure(base.name, entries.flatMap(([p, q, label], j) => [
    nnft.errorBarTrace(`${label} MC`, WIDTHS, rowsFor.map((r) => r.g2.mean[p][q]), rowsFor.map((r) => r.g2.stdErr[p][q]), j),
    nnft.curveTrace(`${label} kernel`, WIDTHS, rowsFor.map((r) => r.K[p][q]), j, 'dash'),
  ]), { title: 'width N', log: true }, { title: 'G2' });
});
nnft.show(nnft.grid(`The two-point function does not depend on the width (M = ${M})`, widthPanels), 'g2-vs-width');

// %% [markdown]
// ## Error bars shrink like $M^{-1/2}$
//
// Estimate $G^{(2)}(1,1)$ of the Erf-net on ensembles of increasing size $M'$. Network $m$ is fixed by `(seed, m)`, so taking the
// ensembles from disjoint ranges of $m$ (`firstNet`) makes them statistically independent. Nested ensembles (the first $M'$ of one big
// run) would share networks, and their errors would move together, which makes a fitted slope look more precise than it is.
// Both the standard error and the actual deviation from the kernel fall like $M^{-1/2}$.

// %%
const erf = nets[0];
const Ms = nnft.logspace(M / 64, M, 13).map(Math.round); // 13 sizes, factor 64
const K11 = exact[0][8][8];
const running = [];
let nextNet = 0; // disjoint ranges of networks: independent ensembles
for (const m of Ms) {
  running.push(await nnft.twoPointFunction(erf, [[1]], { nets: m, seed: SEED, firstNet: nextNet, progress: false }));
  nextNet += m;
}
const seM = running.map((r) => r.stdErr[0][0]);
const errM = running.map((r) => Math.abs(r.mean[0][0] - K11));
const fitM = nnft.logLogSlope(Ms, seM);

// %%
nnft.show(nnft.figure(`Erf-net, G2(1, 1) at N = ${WIDTH}: statistical error against ensemble size`, [
  nnft.curveTrace('standard error', Ms, seM, 0),
  { type: 'scatter', mode: 'markers', name: '|MC - K|', x: Ms, y: errM, marker: { color: nnft.color(1), size: 8 } },
  nnft.curveTrace('slope -1/2 guide', Ms, Ms.map((m) => seM[0] * Math.sqrt(Ms[0] / m)), 7, 'dot'),
], { title: 'networks M', log: true }, { title: 'error', log: true }), 'stderr-vs-M');
console.log(`fitted slope of stderr vs M: ${fitM.slope.toFixed(3)} ± ${fitM.stdErr.toFixed(3)}`);

// %% [markdown]
// ## Gaussianity needs width
//
// The network output at one input, $f(1)$, is a sum of $N$ independent terms plus a Gaussian bias. At $N = 1$ it is far from Gaussian
// (for the ReLU-net it has a large tail); as $N$ grows its histogram approaches $\mathcal N(0, K(1,1))$. The deviation is measured by the
// excess kurtosis $G^{(4)}_c(x,x,x,x) / G^{(2)}(x,x)^2$. Because cumulants of independent terms add, it is exactly
// $$ \frac{3\sigma_w^4}{N}\,\frac{\mathbb E[\sigma(z)^4] - \mathbb E[\sigma(z)^2]^2}{K(x,x)^2}, \qquad z \sim \mathcal N(0, k(x,x)), $$
// a $1/N$ law (lecture eqs. (50)–(51) with the $1/N$ readout variance; appendix A). The Monte Carlo kurtosis is a ratio of moments, so its
// error bar comes from a delete-one-batch jackknife over 20 batches; it needs more networks than the 2-point function, so this
// section draws `M_KURT` of them.

// %%
const HIST_WIDTHS = [1, 10, 1000];
const KURT_BATCHES = 20;
const M_KURT = nnft.atScale({ ci: 16000, full: 100000 }); // kurtosis errors need more networks than G2's
const histTraces: nnft.Trace[] = [];
const kurtosis: { net: string; width: number; mc: nnft.Estimate; exact: number; tail: nnft.TailDiagnostic }[] = [];
for (const base of scanNets) {
  for (const width of WIDTHS) {
    const net = nnft.withWidth(base, width);
    const f = await nnft.sampleOutputs(net, [[1]], { nets: M_KURT, seed: SEED + 1 });
    // excess kurtosis <f^4>/<f^2>^2 - 3 with a delete-one-batch jackknife error over KURT_BATCHES batches
    kurtosis.push({ net: net.name, width, mc: nnft.jackknifeKurtosis(f, KURT_BATCHES), exact: nnft.excessKurtosis(net, 1), tail: nnft.tailDiagnostic(f, f.length, 4) });
    if (base.activation === 'relu' && HIST_WIDTHS.includes(width)) histTraces.push(nnft.histogramTrace(`N = ${width}`, f, HIST_WIDTHS.indexOf(width), { start: -6, end: 6, size: nnft.atScale({ ci: 0.4, full: 0.1 }) }));
  }
}

// %%
const zs = nnft.linspace(-6, 6, 241);
const relu1 = nnft.reluNet({ width: 1 });
const KRelu = nnft.gpKernel(relu1)([1], [1]);
histTraces.push(nnft.normalDensityTrace('N(0, K(1,1))', zs, KRelu));
nnft.show(nnft.figure('ReLU-net: distribution of f(1) approaches the GP as N grows', histTraces, { title: 'f(1)' }, { title: 'density' }), 'output-histograms');

// %%
const NS_FINE = nnft.logspace(1, 1000, 60);
const kurtPanels = scanNets.map((base) => {
  const r = kurtosis.filter((k) => k.net === base.name);
  return nnft.figure(base.name, [
    nnft.errorBarTrace('MC (jackknife)', WIDTHS, r.map((k) => k.mc.value), r.map((k) => k.mc.stdErr), 0),
    nnft.curveTrace('exact, ∝ 1/N', NS_FINE, NS_FINE.map((n) => r[0].exact / n), 1), // r[0] is N = 1
  ], { title: 'width N', log: true }, { title: 'excess kurtosis of f(1)' });
});
nnft.show(nnft.grid(`Non-Gaussianity falls as 1/N (M = ${M_KURT})`, kurtPanels), 'kurtosis-vs-width');

// %% [markdown]
// ## Heavy tails: when an error bar can be trusted
//
// An error bar of $\text{stderr} = s/\sqrt M$ rests on the central limit theorem for the terms being averaged, here products like
// $f(x) f(y)$. When those terms have a long tail the sample mean is dominated by a few rare networks, and the printed error bar is
// itself wrong, usually too small. nnft therefore attaches to every Monte Carlo estimate the diagnostic of Pareto-smoothed importance
// sampling (Vehtari et al.): fit a generalized Pareto distribution to the $\min(M/5, 3\sqrt M)$ largest terms and read off its shape
// $\hat k$. The terms have $1/\hat k$ finite moments, so $\hat k < 1/2$ means a finite variance, and above about $0.7$
// (precisely $\min(1 - 1/\log_{10} M, 0.7)$) the estimate cannot be trusted at this $M$. It is computed for the outputs, and for
// single-layer nets also for the hidden units $\varphi(x)^2$ behind the kernel, since a log-normal Gauss-net unit can hide its whole mean
// in a tail that no sampled network reaches (bounded units such as erf are not probed: $\varphi^2 \le 1$ has no tail to find).
//
// This is why the Gauss-net here has no biases: with $\sigma_b = 1$ its units at $|x| = 1$ are $e^{z - 2}$ with $z \sim \mathcal N(0, 2)$, and
// $\hat k \approx 0.8$ for $\varphi^2$; with $\sigma_b = 0$ the kernel is the pure $e^{-|x-y|^2/2}$ and $\hat k \approx 0.5$.
//
// ## Summary table and checks
//
// One row per measured ensemble: how far the worst entry sits from theory, in units of its own standard error, and the $\chi^2$ per
// entry (correlated entries, so only roughly $\chi^2$-distributed), then the tail diagnostic of every estimate. The Checks cell then asserts each claim with a tolerance
// $z\,\cdot$ stderr, where $z$ is set by a family-wise failure probability of $10^{-3}$ split over the comparisons (Bonferroni).

// %%
// Pulls (MC - K) / stderr of every measured entry, summarised per ensemble.
const pulls = nets.map((_, i) => nnft.pulls(nnft.upperTriangle(measured[i].mean), nnft.upperTriangle(measured[i].stdErr), nnft.upperTriangle(exact[i])));
const summaryRow = (net: string, width: number, p: number[]) => {
  const s = nnft.pullSummary(p);
  return { net, width, M: M, entries: s.entries, maxPull: +s.maxAbsPull.toFixed(2), chi2PerEntry: +s.chi2PerEntry.toFixed(2) };
};
nnft.printTable([
  ...nets.map((net, i) => summaryRow(net.name, WIDTH, pulls[i])),
  ...widthScan.map((r) => summaryRow(r.net, r.width, nnft.pulls(nnft.upperTriangle(r.g2.mean), nnft.upperTriangle(r.g2.stdErr), nnft.upperTriangle(r.K)))),
]);

// %%
// Beside it, the tail diagnostic of every Monte Carlo estimate in this notebook (see 'Heavy tails').
const tailRows: nnft.TailRow[] = [
  ...nets.map((net, i) => ({ label: `${net.name} N=${WIDTH}`, tails: { G2: measured[i].tail, 'G2 replicas (worst)': nnft.worstTail(replicaTails[i]) } })),
  ...widthScan.map((r) => ({ label: `${r.net} N=${r.width}`, tails: { G2: r.g2.tail, 'f^4 (kurtosis)': kurtosis.find((k) => k.net === r.net && k.width === r.width)!.tail } })),
  { label: `Erf-net, M scan (${Ms.length} ensembles, worst)`, tails: { G2: nnft.worstTail(running.map((r) => r.tail)) } },
];
console.log(nnft.tailTable(tailRows));

// %%
const c = nnft.checks();
nets.forEach((net, i) => {
  c.agree(`${net.name}: G2 equals its kernel on all ${pulls[i].length} input pairs (N = ${WIDTH})`,
    nnft.upperTriangle(measured[i].mean), nnft.upperTriangle(measured[i].stdErr), nnft.upperTriangle(exact[i]), FAIL_PROB);
});
closedNets.forEach((net, i) => {
  c.that(`${net.name}: closed-form kernel equals Gauss-Hermite quadrature`, closedVsQuadrature[i] < (net.activation === 'relu' ? 1e-2 : 1e-8),
    `max relative difference ${closedVsQuadrature[i].toExponential(2)} (ReLU's kink limits quadrature to ~1e-3)`);
});
c.agree(`G2 equals the kernel at every width N = ${WIDTHS.join(', ')} (Erf and ReLU)`,
  widthScan.flatMap((r) => nnft.upperTriangle(r.g2.mean)), widthScan.flatMap((r) => nnft.upperTriangle(r.g2.stdErr)), widthScan.flatMap((r) => nnft.upperTriangle(r.K)), FAIL_PROB);
// The slope's error comes from 13 independent points: Student-t with 11 degrees of freedom.
const slopeTol = nnft.studentTQuantileTwoSided(FAIL_PROB, Ms.length - 2) * fitM.stdErr;
c.that('standard error falls as M^(-1/2)', Math.abs(fitM.slope + 0.5) <= slopeTol, `fitted slope ${fitM.slope.toFixed(3)} ± ${fitM.stdErr.toFixed(3)}, tolerance ${slopeTol.toFixed(3)}`);
c.agree('excess kurtosis of f(1) equals the exact finite-width value at every width',
  kurtosis.map((k) => k.mc.value), kurtosis.map((k) => k.mc.stdErr), kurtosis.map((k) => k.exact), FAIL_PROB);
const reluK = kurtosis.filter((k) => k.net === 'ReLU-net');
const zGauss = nnft.bonferroniZ(FAIL_PROB, 1);
c.that('ReLU-net at N = 1 is measurably non-Gaussian (kurtosis excludes 0)', reluK[0].mc.value > zGauss * reluK[0].mc.stdErr,
  `${reluK[0].mc.value.toFixed(3)} ± ${reluK[0].mc.stdErr.toFixed(3)}, i.e. ${(reluK[0].mc.value / reluK[0].mc.stdErr).toFixed(1)} stderr vs z = ${zGauss.toFixed(2)}`);
nets.forEach((net, i) => {
  if (net.activation === 'gauss') return; // heavy tails: its small-M error bars are themselves noisy; shown, not asserted
  const z = nnft.bonferroniZ(FAIL_PROB, nets.length - 1);
  c.that(`${net.name}: error bars cover 68.3% of independent repetitions`, Math.abs(coverage[i].value - 0.683) <= z * coverage[i].stdErr,
    `${(100 * coverage[i].value).toFixed(1)}% within ±1 stderr over ${REPLICAS} ensembles; tolerance ±${(100 * z * coverage[i].stdErr).toFixed(1)} points (binomial, z = ${z.toFixed(2)})`);
});
c.reliable('every Monte Carlo estimate compared above passes its tail diagnostic (Pareto k-hat)', nnft.tailList(tailRows, (label, family) => !(label.startsWith('Gauss-net') && family.includes('replicas'))));
c.report();

// %% [markdown]
// ## Summary
//
// * The 2-point function of these single-layer ensembles is the closed-form kernel at **every** width; Monte Carlo agrees within
//   its standard errors, which shrink like $M^{-1/2}$.
// * The width controls how Gaussian the ensemble is: the excess kurtosis is exactly $\propto 1/N$, large for one ReLU unit, and lost in
//   the statistical floor ($\approx\sqrt{24/M}$) long before $N = 1000$.
// * In field-theory words: at $N \to \infty$ the ensemble is a generalized free field with propagator $K$; finite $N$ switches on
//   interactions, the subject of section 3.2.

// %% [markdown]
// ## Exercises
//
// 1. **A single ReLU unit by hand.** For $z \sim \mathcal N(0, k)$ show that $\mathbb E[\mathrm{relu}(z)^2] = k/2$ and
//    $\mathbb E[\mathrm{relu}(z)^4] = 3k^2/2$ (half of the Gaussian moments). At $x = 1$, $k(1,1) = \sigma_b^2 + \sigma_w^2 = 2$: predict
//    $K(1,1)$ and, from the $1/N$ formula above, the excess kurtosis of $f(1)$ at $N = 1$. Compare with `nnft.gpKernel`,
//    `nnft.excessKurtosis` and the Monte Carlo value measured above.
// 2. **Which kernels are translation invariant?** In $D = 2$ (`dIn: 2`), evaluate the Gauss-net kernel ($\sigma_b = 0$) and the Erf-net
//    kernel on a pair of points $x, y$ and on the pair shifted by a common vector $a$. Predict first which one depends on $x - y$ only,
//    and why the Gauss-net's input-dependent normalisation is what makes it so.
// 3. **The price of $1/N$.** The kurtosis error bar falls like $M^{-1/2}$. From the error bar measured above at $N = 1000$, estimate how
//    many networks would resolve the Erf-net's excess kurtosis at $N = 1000$ at 3 standard errors, and compare with the Gaussian
//    estimate of the floor, $\text{stderr} \approx \sqrt{24/M}$.

// %% tags=["solution"]
// 1. k = k(1,1) = 2 at sigma_w = sigma_b = 1: E[relu^2] = k/2, E[relu^4] = 3k^2/2, K(1,1) = sigma_b^2 + sigma_w^2 E[relu^2].
const exK = 2, exM2 = exK / 2, exM4 = (3 * exK ** 2) / 2, exK11 = 1 + exM2;
const exMc1 = kurtosis.find((k) => k.net === 'ReLU-net' && k.width === 1)!.mc;
console.log(`1. ReLU-net, N = 1: K(1,1) = ${exK11} (gpKernel: ${nnft.gpKernel(relu1)([1], [1])}); excess kurtosis 3 (E[relu^4] - E[relu^2]^2) / K^2 = ${(3 * (exM4 - exM2 ** 2)) / exK11 ** 2}`
  + ` (excessKurtosis: ${nnft.excessKurtosis(relu1, 1).toFixed(6)}; Monte Carlo above: ${exMc1.value.toFixed(3)} ± ${exMc1.stdErr.toFixed(3)})`);
// 2. A pair of points in D = 2, before and after a common shift a.
const [exX, exY, exA] = [[0.3, -0.2], [-0.5, 0.4], [0.7, 0.6]];
const exShift = (v: number[]) => v.map((c, j) => c + exA[j]);
for (const net of [nnft.gaussNet({ width: 1, dIn: 2, sigmaB: 0 }), nnft.erfNet({ width: 1, dIn: 2 })]) {
  console.log(`2. ${net.name}: K(x, y) = ${nnft.gpKernel(net)(exX, exY).toFixed(6)}, K(x + a, y + a) = ${nnft.gpKernel(net)(exShift(exX), exShift(exY)).toFixed(6)}`);
}
// 3. stderr ∝ M^(-1/2): 3 standard errors need M = M_KURT (3 stderr / kurtosis)^2 networks.
const exErf = kurtosis.find((k) => k.net === 'Erf-net' && k.width === 1000)!;
console.log(`3. Erf-net, N = 1000: exact excess kurtosis ${exErf.exact.toExponential(3)}; 3 standard errors need M ≈ ${(M_KURT * (3 * exErf.mc.stdErr / exErf.exact) ** 2).toExponential(2)}`
  + ` networks (from the measured error bar), ${((24 * 9) / exErf.exact ** 2).toExponential(2)} (from sqrt(24/M))`);
