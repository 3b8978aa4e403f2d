// %% [markdown]
// # 3.3–3.4 Symmetries of ensembles, and three examples
//
// *TASI lectures "Physics for Machine Learning", sections 3.3 and 3.4 (eqs. (59)–(74)).*
//
// A symmetry of an *ensemble* is a transformation that leaves the distribution of networks unchanged, even though it changes each
// network. The lectures give a mechanism: if a transformation of the inputs or outputs can be absorbed into a change of parameters
// that leaves the parameter density invariant, the ensemble has that symmetry, at every width. This notebook checks, with error
// bars:
//
// 1. **$\mathbb Z_2$:** a readout density that is even in $w$ makes $f \to -f$ a symmetry, so every odd correlator vanishes.
// 2. **Rotations:** an isotropic first-layer density makes every NN-QFT net $SO(d)$ invariant, at every width.
// 3. **Translations:** the Cos-net's uniform phases absorb shifts of $x$, so it is Euclidean invariant at every width; the Gauss-net is
//    translation invariant only in its 2-point function, and its 4-point function breaks the symmetry by an amount $\propto 1/N$.
// 4. **Examples (§3.4):** Cos-net and Gauss-net share their Gaussian limit but not their interactions; the Scalar-net is a free scalar
//    field, with power spectrum $1/(p^2 + m^2)$.

// %%
import * as nnft from '../dist';

const SEED = 0;
const M = nnft.atScale({ ci: 100000, full: 1000000 });
const FAIL_PROB = 1e-3;
const backend = await nnft.ensureBackend();
console.log(`scale=${nnft.scale()}  M=${M}  backend: ${nnft.describeBackend(backend)}`);

// %% [markdown]
// ## 1. $\mathbb Z_2$: odd correlators vanish
//
// For $f(x) = \sum_i w_i \varphi_i(x) + b$ with $w$ and $b$ drawn from even densities, the sign flip $f \to -f$ is absorbed by
// $(w, b) \to (-w, -b)$, which leaves the density unchanged (lecture eq. (59)). So $\langle f(x_1)\cdots f(x_n)\rangle = 0$ for odd $n$ even
// at $N = 2$, where the ensemble is far from Gaussian. We measure the 1- and 3-point functions at all tuples of three inputs.

// %%
const XS3 = [[-1], [0.2], [1]];
const oddNet = nnft.reluNet({ width: 2 });
const odd = new nnft.MomentAccumulator(XS3.length, [1, 3]);
await nnft.forEachOutputBatch(oddNet, XS3, { nets: M, seed: SEED }, ({ first, count, outputs }) => odd.add(first, count, outputs));
const G1 = odd.moments(1), G3 = odd.moments(3);
console.log(`ReLU-net, N = 2: largest |G1|/stderr = ${Math.max(...Array.from(G1.value, (v, k) => Math.abs(v) / G1.stdErr[k])).toFixed(2)},`
  + ` largest |G3|/stderr = ${Math.max(...Array.from(G3.value, (v, k) => Math.abs(v) / G3.stdErr[k])).toFixed(2)} over ${G3.value.length} tuples`);
nnft.show(nnft.figure(`ReLU-net (N = 2): odd correlators at all input tuples, M = ${M}`, [
  nnft.errorBarTrace('G1(x_i)', G1.tuples.map((_, k) => k), Array.from(G1.value), Array.from(G1.stdErr), 0),
  nnft.errorBarTrace('G3(x_i, x_j, x_k)', G3.tuples.map((_, k) => k + G1.value.length + 1), Array.from(G3.value), Array.from(G3.stdErr), 1),
  nnft.curveTrace('0', [0, G1.value.length + G3.value.length + 1], [0, 0], 7, 'dash'),
], { title: 'tuple index (1-point, then 3-point)' }, { title: 'odd correlator' }), 'odd-correlators');

// %% [markdown]
// ## 2. Rotations and 3. translations
//
// Take three points in the plane and move them all by the same rotation and translation. A symmetric ensemble must give the same
// correlators for the moved points. For nets with Gaussian first layers the exact finite-width correlators are computed by
// quadrature when the pre-activations span at most two dimensions (the Cos-net in closed form), so the comparison is exact; for the
// Erf-net in the plane they span three (two coordinates and the bias), and the "exact" side is single-neuron Monte Carlo with its own
// error bar. The Monte Carlo points show that real ensembles do the same.
//
// * Erf-net: $W^0 \sim \mathcal N(0, \sigma_w^2/d)$ is rotation invariant, so rotations are a symmetry at every $N$; translations are not.
// * Cos-net: rotations act on $W^0$ and translations shift the phase $b^0 \sim \mathrm{Unif}[-\pi,\pi]$, which is invariant: full
//   Euclidean symmetry at every $N$.
// * Gauss-net: its normalisation makes $G^{(2)}$ translation invariant, but nothing absorbs translations in the parameters, so
//   $G^{(4)}_c$ is not; the violation is itself $\propto 1/N$ and vanishes with the interactions. It is used here with $\sigma_w = 0.6$
//   and no biases, and the points are moved by $(0.3, -0.3)$: its units are log-normal with variance $k = \sigma_w^2 |x|^2/d$, and with
//   $\sigma_b = 0.3$ or a translation to $|x| \approx 1.8$ the 4-point estimates at $N = 2$ fail their tail diagnostic
//   (Pareto $\hat k \approx 0.7$–$0.9$: the error bar cannot be trusted).

// %%
const XS = [[0.1, 0.2], [0.9, -0.4], [-0.5, 0.7]];
const move = (x: number[], angle: number, shift: number[]) => [Math.cos(angle) * x[0] - Math.sin(angle) * x[1] + shift[0], Math.sin(angle) * x[0] + Math.cos(angle) * x[1] + shift[1]];
const ROT = XS.map((x) => move(x, 0.9, [0, 0]));
const SHIFT = XS.map((x) => move(x, 0, [0.3, -0.3]));
const D4 = nnft.tupleIndex([0, 1, 1, 2], 3); // G4c(x1, x2, x2, x3), an off-diagonal entry
const symNets = [nnft.erfNet({ width: 2, dIn: 2 }), nnft.cosNet({ width: 2, dIn: 2 }), nnft.gaussNet({ width: 2, dIn: 2, sigmaW: 0.6, sigmaB: 0 })]; // no bias: tame tails (see the text)
const symRows: { net: string; move: string; method: string; exact: number; exactErr: number; mc: number; se: number; exactBase: number; exactBaseErr: number; mcBase: number; seBase: number; tails: Record<string, nnft.TailDiagnostic | undefined> }[] = [];

// %%
for (const net of symNets) {
  const base = nnft.finiteWidthCorrelators(net, XS, { order: 4, method: 'auto', samples: 400000, seed: 5 });
  const mcBase = await nnft.ensembleCorrelators(net, XS, { order: 4, nets: M, seed: SEED });
  for (const [name, pts] of [['rotation', ROT], ['translation', SHIFT]] as const) {
    const ex = nnft.finiteWidthCorrelators(net, pts, { order: 4, method: 'auto', samples: 400000, seed: 5 });
    const mc = await nnft.ensembleCorrelators(net, pts, { order: 4, nets: M, seed: SEED + 1 });
    symRows.push({ net: net.name, move: name, method: ex.method, exact: ex.G4c!.value[D4], exactErr: ex.G4c!.stdErr[D4], mc: mc.G4c!.value[D4], se: mc.G4c!.stdErr[D4], exactBase: base.G4c!.value[D4], exactBaseErr: base.G4c!.stdErr[D4], mcBase: mcBase.G4c!.value[D4], seBase: mcBase.G4c!.stdErr[D4],
      tails: { 'G4c before': mcBase.G4c!.tail, 'G4c after': mc.G4c!.tail, ...(ex.method === 'mc' ? { 'single-neuron G4c': nnft.worstTail([base.G4c!.tail!, ex.G4c!.tail!]) } : {}) } });
  }
}

// %%
for (const r of symRows) console.log(`${r.net.padEnd(9)} ${r.move.padEnd(11)}: G4c before ${r.exactBase.toExponential(3)}, after ${r.exact.toExponential(3)} (${r.method}${r.exactErr ? ', ± ' + r.exactErr.toExponential(1) : ''});`
  + ` MC change ${(r.mc - r.mcBase).toExponential(2)} ± ${Math.hypot(r.se, r.seBase).toExponential(1)}`);
nnft.show(nnft.figure(`Change of G4c(x1,x2,x2,x3) under a rotation and a translation (N = 2, d = 2)`, [
  nnft.errorBarTrace('Monte Carlo: after - before', symRows.map((r) => `${r.net} ${r.move}`), symRows.map((r) => r.mc - r.mcBase), symRows.map((r) => Math.hypot(r.se, r.seBase)), 0),
  { type: 'scatter', mode: 'markers', name: 'exact: after - before', x: symRows.map((r) => `${r.net} ${r.move}`), y: symRows.map((r) => r.exact - r.exactBase), marker: { symbol: 'x', size: 11, color: nnft.color(1) } },
], { title: '', category: true }, { title: 'ΔG4c' }), 'symmetry-tests');

// %% [markdown]
// The Gauss-net's broken translation symmetry is a finite-width effect: at large $N$ the ensemble becomes the Gaussian process with the
// translation-invariant kernel $\sigma_b^2 + \sigma_w^2 e^{-\sigma_w^2|x-y|^2/2d}$ (here $\sigma_b = 0$), and the violation, carried by $G^{(4)}_c$, falls like $1/N$.

// %%
const GAUSS_WIDTHS = [1, 3, 10, 30, 100, 300, 1000];
const violation = GAUSS_WIDTHS.map((width) => {
  const net = nnft.gaussNet({ width, dIn: 2, sigmaW: 0.6, sigmaB: 0 });
  const a = nnft.finiteWidthCorrelators(net, XS, { order: 4 }), b = nnft.finiteWidthCorrelators(net, SHIFT, { order: 4 });
  return Math.max(...Array.from(a.G4c!.value, (v, k) => Math.abs(b.G4c!.value[k] - v)));
});
nnft.show(nnft.figure('Gauss-net: translation violation of the exact G4c against width', [
  nnft.curveTrace('max over tuples |ΔG4c|', GAUSS_WIDTHS, violation, 2),
  nnft.curveTrace('∝ 1/N', GAUSS_WIDTHS, GAUSS_WIDTHS.map((n) => violation[0] / n), 7, 'dot'),
], { title: 'width N', log: true }, { title: '|G4c(shifted) - G4c|', log: true }), 'gauss-translation-violation');

// %% [markdown]
// ## 4a. Same Gaussian process, different interactions
//
// The Cos-net with $\sigma_{w_1}^2 = 2\sigma_w^2$ and no bias has exactly the Gauss-net's kernel (with $\sigma_b = 0$): the same free theory. Their
// connected 4-point functions differ: two different interacting theories flow to the same free one as $N \to \infty$ (a large-$N$ duality).
// The inputs stay within $|x| \le 0.5$: the Gauss-net's units are log-normal with spread $k(x,x) = \sigma_w^2 x^2$, and beyond that its
// higher-moment estimators become too heavy-tailed for honest error bars (see notebook 3.2).

// %%
const pairCos = nnft.cosNet({ width: 4, sigmaW0: 1, sigmaW1: Math.SQRT2 });
const pairGauss = nnft.gaussNet({ width: 4, sigmaW: 1, sigmaB: 0 });
const line = nnft.linspace(-0.5, 0.5, 7).map((x) => [x]); // |x| <= 0.5 keeps the Gauss-net's log-normal tails measurable
const pair: { net: nnft.SingleLayerNet; mc: nnft.Correlators; ex: nnft.FiniteWidthCorrelators }[] = [];
for (const net of [pairCos, pairGauss]) pair.push({ net, mc: await nnft.ensembleCorrelators(net, line, { order: 4, nets: M, seed: SEED }), ex: nnft.finiteWidthCorrelators(net, line, { order: 4 }) });
const rowIdx = line.map((_, q) => nnft.tupleIndex([0, q], line.length));
const g4Idx = line.map((_, q) => nnft.tupleIndex([0, 0, q, q], line.length));
const xs1 = line.map((x) => x[0]);

// %%
nnft.show(nnft.grid('Cos-net and Gauss-net (N = 4): same G2, different G4c', [
  nnft.figure('G2(-0.5, y)', pair.flatMap((p, i) => [
    nnft.errorBarTrace(`${p.net.name} MC`, xs1, rowIdx.map((k) => p.mc.G2.value[k]), rowIdx.map((k) => p.mc.G2.stdErr[k]), i),
    nnft.curveTrace(`${p.net.name} exact`, xs1, rowIdx.map((k) => p.ex.G2.value[k]), i, i ? 'dash' : 'solid'),
  ]), { title: 'y' }, { title: 'G2' }),
  nnft.figure('G4c(-0.5, -0.5, y, y)', pair.flatMap((p, i) => [
    nnft.errorBarTrace(`${p.net.name} MC`, xs1, g4Idx.map((k) => p.mc.G4c!.value[k]), g4Idx.map((k) => p.mc.G4c!.stdErr[k]), i),
    nnft.curveTrace(`${p.net.name} exact`, xs1, g4Idx.map((k) => p.ex.G4c!.value[k]), i, i ? 'dash' : 'solid'),
  ]), { title: 'y' }, { title: 'G4c' }),
]), 'cos-vs-gauss');

// %% [markdown]
// ## 4b. The Scalar-net is a free scalar field
//
// With first-layer weights uniform in a ball of radius $\Lambda$, uniform phases and the factor $1/\sqrt{|w|^2+m^2}$ (lecture eq. (72)), the
// 2-point function is translation invariant and its Fourier transform is the free propagator $1/(p^2+m^2)$ for $|p| < \Lambda$
// (eq. (74)). In $d = 1$ we measure $G^{(2)}(0, r)$ on a grid of separations and Fourier-transform it numerically,
// $\tilde G(p) = 2\int_0^{R} \cos(p r)\, G^{(2)}(0, r)\, dr$ (trapezoid rule, $R$ large enough for $e^{-mR}$ to be negligible).

// %%
const MASS = 1, CUTOFF = 6, R = 10, STEPS = nnft.atScale({ ci: 80, full: 200 });
const scalar = nnft.scalarNet({ width: 100, mass: MASS, cutoff: CUTOFF });
const rs = nnft.linspace(0, R, STEPS + 1);
// Only the row G2(0, r_j) is needed: accumulate f(0) f(r_j) per network (P numbers, not all P^2/2 pairs).
const row = new nnft.MeanAccumulator(rs.length);
const scalarTails = new nnft.TailRecord(rs.length);
const prod = new Float64Array(rs.length);
await nnft.forEachOutputBatch(scalar, rs.map((r) => [r]), { nets: nnft.atScale({ ci: 20000, full: 200000 }), seed: SEED }, ({ count, outputs }) => {
  scalarTails.add(count, outputs);
  for (let b = 0; b < count; b++) {
    const f0 = outputs[b * rs.length];
    for (let j = 0; j < rs.length; j++) prod[j] = f0 * outputs[b * rs.length + j];
    row.push(prod);
  }
});

// %%
const h = R / STEPS;
const ps = nnft.linspace(0, 1.3 * CUTOFF, 79);
const transform = (values: number[]) => ps.map((p) => 2 * h * values.reduce((a, v, j) => a + (j === 0 || j === STEPS ? 0.5 : 1) * Math.cos(p * rs[j]) * v, 0));
const mcRow = Array.from(row.means());
const scalarTail = nnft.ensembleTail(scalarTails.diagnose(2), nnft.hiddenUnitTail(scalar, rs.map((r) => [r]), row.count * scalar.width, SEED), 2);
const seRow = Array.from(row.stdErrs());
const Gp = transform(mcRow);
// Error propagation for the (linear) transform, treating the entries as independent: an upper-ish estimate.
const GpErr = ps.map((p) => 2 * h * Math.sqrt(seRow.reduce((a, s, j) => a + ((j === 0 || j === STEPS ? 0.5 : 1) * Math.cos(p * rs[j]) * s) ** 2, 0)));
const exactRow = rs.map((r) => nnft.gpKernel(scalar)([0], [r]));

// %%
nnft.show(nnft.grid('Scalar-net (d = 1, m = 1, Λ = 6)', [
  nnft.figure('position space', [
    ...nnft.bandTraces('MC G2(0, r) ± stderr', rs, mcRow, seRow, 0),
    nnft.curveTrace('exact (cutoff propagator)', rs, exactRow, 1),
    nnft.curveTrace('e^(-m r)/(2m)', rs, rs.map((r) => Math.exp(-MASS * r) / (2 * MASS)), 7, 'dot'),
  ], { title: 'r' }, { title: 'G2(0, r)' }),
  nnft.figure('momentum space', [
    nnft.errorBarTrace('MC, Fourier transformed', ps, Gp, GpErr, 0),
    nnft.curveTrace('1/(p² + m²), |p| < Λ', ps, ps.map((p) => (p < CUTOFF ? 1 / (p * p + MASS * MASS) : 0)), 1),
  ], { title: 'p' }, { title: 'G2(p)' }),
]), 'scalar-net-spectrum');

// %% [markdown]
// ## Tail diagnostics
//
// Every Monte Carlo number above carries the Pareto $\hat k$ of the largest terms behind it (the outputs' $|f|^n$ and, for single-layer
// nets, the hidden units' $\varphi^2$; see notebook 3.1). Below about $0.7$ its error bar can be trusted; the Checks cell fails otherwise.

// %%
// The tail diagnostic of every Monte Carlo estimate above (Pareto k-hat of the largest terms; '!' = cannot be trusted).
const tailRows: nnft.TailRow[] = [
  { label: 'ReLU-net N=2, odd', tails: { G1: G1.tail, G3: G3.tail } },
  ...symRows.map((r) => ({ label: `${r.net} N=2, ${r.move}`, tails: r.tails })),
  ...pair.map((p) => ({ label: `${p.net.name} N=4, pair`, tails: { G2: p.mc.G2.tail, G4c: p.mc.G4c!.tail } })),
  { label: 'Scalar-net N=100, G2(0, r)', tails: { G2: scalarTail } },
];
console.log(nnft.tailTable(tailRows));

// %% [markdown]
// ## Checks

// %%
const c = nnft.checks();
c.agree('Z2: the 1- and 3-point functions of the ReLU-net (N = 2) vanish', [...Array.from(G1.value), ...Array.from(G3.value)], [...Array.from(G1.stdErr), ...Array.from(G3.stdErr)], new Array(G1.value.length + G3.value.length).fill(0), FAIL_PROB);
const invariant = symRows.filter((r) => r.move === 'rotation' || r.net === 'Cos-net');
const quadOrClosed = invariant.filter((r) => r.method !== 'mc');
c.that('exact G4c (quadrature, closed form) is unchanged by the symmetries at N = 2', quadOrClosed.every((r) => Math.abs(r.exact - r.exactBase) <= 1e-9 * Math.abs(r.exactBase) + 1e-12),
  quadOrClosed.map((r) => `${r.net} ${r.move}: ${Math.abs(r.exact - r.exactBase).toExponential(1)}`).join('; '));
const singleNeuron = invariant.filter((r) => r.method === 'mc');
c.agree('single-neuron Monte Carlo G4c (Erf-net, d = 2) is unchanged by rotations', singleNeuron.map((r) => r.exact - r.exactBase), singleNeuron.map((r) => Math.hypot(r.exactErr, r.exactBaseErr)), singleNeuron.map(() => 0), FAIL_PROB);
c.agree('Monte Carlo G4c is unchanged by the symmetries above', invariant.map((r) => r.mc - r.mcBase), invariant.map((r) => Math.hypot(r.se, r.seBase)), invariant.map(() => 0), FAIL_PROB);
const gaussShift = symRows.find((r) => r.net === 'Gauss-net' && r.move === 'translation')!;
const zSee = nnft.bonferroniZ(FAIL_PROB, 1);
c.that('the Gauss-net breaks translations at N = 2, visibly in Monte Carlo', Math.abs(gaussShift.mc - gaussShift.mcBase) > zSee * Math.hypot(gaussShift.se, gaussShift.seBase),
  `ΔG4c = ${(gaussShift.mc - gaussShift.mcBase).toExponential(2)} ± ${Math.hypot(gaussShift.se, gaussShift.seBase).toExponential(1)} (exact ${(gaussShift.exact - gaussShift.exactBase).toExponential(2)})`);
const slope = nnft.logLogSlope(GAUSS_WIDTHS.slice(2), violation.slice(2));
c.that('the Gauss-net translation violation falls as 1/N', Math.abs(slope.slope + 1) < 1e-6, `log-log slope ${slope.slope.toFixed(6)} (exact computation)`);
for (const p of pair) c.agree(`${p.net.name}: Monte Carlo G2 and G4c equal the exact values`, [...Array.from(p.mc.G2.value), ...Array.from(p.mc.G4c!.value)], [...Array.from(p.mc.G2.stdErr), ...Array.from(p.mc.G4c!.stdErr)], [...Array.from(p.ex.G2.value), ...Array.from(p.ex.G4c!.value)], FAIL_PROB);
c.that('Cos-net and Gauss-net share G2 exactly', pair[0].ex.G2.value.every((v, k) => Math.abs(v - pair[1].ex.G2.value[k]) < 1e-12));
const g4diff = Array.from(pair[0].mc.G4c!.value, (v, k) => (v - pair[1].mc.G4c!.value[k]) / Math.hypot(pair[0].mc.G4c!.stdErr[k], pair[1].mc.G4c!.stdErr[k]));
c.that('...but not G4c: the Monte Carlo difference is resolved somewhere', Math.max(...g4diff.map(Math.abs)) > nnft.bonferroniZ(FAIL_PROB, 1), `largest |difference|/stderr = ${Math.max(...g4diff.map(Math.abs)).toFixed(1)}`);
c.agree('Scalar-net: Monte Carlo G2(0, r) equals the cutoff propagator', mcRow, seRow, exactRow, FAIL_PROB);
const inBand = ps.map((p, i) => i).filter((i) => ps[i] < 0.8 * CUTOFF);
c.agree('Scalar-net: Fourier-transformed G2 equals 1/(p² + m²) below the cutoff (within MC errors + 0.01 truncation)', inBand.map((i) => Gp[i]), inBand.map((i) => Math.hypot(GpErr[i], 0.01)), inBand.map((i) => 1 / (ps[i] ** 2 + MASS ** 2)), FAIL_PROB);
c.reliable('every Monte Carlo estimate above passes its tail diagnostic (Pareto k-hat)', nnft.tailList(tailRows));
c.report();

// %% [markdown]
// ## Summary
//
// * Ensemble symmetries come from invariant parameter densities: even readouts give $\mathbb Z_2$ (no odd correlators), isotropic
//   first layers give rotations, uniform phases give translations, and then they hold at every width.
// * The Gauss-net's translation symmetry is only a property of its Gaussian limit: the 4-point function breaks it by $\propto 1/N$.
// * Different architectures can share a free theory (Cos- and Gauss-net) and differ in their interactions; and one architecture, the
//   Scalar-net, *is* the free scalar field with propagator $1/(p^2+m^2)$.

// %% [markdown]
// ## Exercises
//
// 1. **Breaking rotations in the free theory.** Give the Erf-net ($N = 2$, $d = 2$) a first layer that is not isotropic: variance $0.9$
//    along $x_1$ and $0.1$ along $x_2$ (a custom density; the same total variance as before). The pre-activation covariance becomes
//    $\sigma_b^2 + x^\top\Sigma\, y$: predict which correlator already detects the rotation of the three points, and check it with Monte Carlo,
//    next to the isotropic net.
// 2. **Half the phase circle.** Narrow the Cos-net's phases to $b^0 \sim \mathrm{Unif}[-\pi/2, \pi/2]$ and then to $[-\pi/4, \pi/4]$. For a
//    symmetric $w$, show $\mathbb E[\cos(w u + 2b)] = e^{-\sigma_w^2 u^2/2}\,\mathbb E[\cos 2b]$ and hence
//    $G^{(2)}(x, y) = \tfrac12 e^{-(x-y)^2/2} + \tfrac12\,\mathbb E[\cos 2b]\, e^{-(x+y)^2/2}$ ($d = 1$, unit variances). Which of the two densities keeps
//    translation invariance? (Argue that for the first one *every* correlator keeps it.) Measure $G^{(2)}(0.2, 0.7)$ before and after a shift
//    by $0.8$.
// 3. **The cutoff at short distance.** In $d = 1$ derive $G^{(2)}(0, 0) = \frac{1}{2\pi}\int_{-\Lambda}^{\Lambda}\frac{dp}{p^2 + m^2}$ in closed form for the
//    Scalar-net and compare it with `nnft.gpKernel`, with the Monte Carlo value above and with the cutoff-free $1/(2m)$.

// %% tags=["solution"]
// 1. W0 entries N(0, 0.9) along x_1 and N(0, 0.1) along x_2 (rows are neurons, columns input coordinates).
const exM = nnft.atScale({ ci: 20000, full: 100000 });
const exDraw = (rng: nnft.Rng, out: Float32Array | Float64Array, offset: number, rows: number, cols: number) => { for (let k = 0; k < rows * cols; k++) out[offset + k] = rng.normal() * Math.sqrt(k % cols === 0 ? 0.9 : 0.1); };
for (const net of [symNets[0], nnft.withDensities(symNets[0], { W0: { kind: 'custom', name: 'N(0, diag(0.9, 0.1))', variance: 0.5, draw: exDraw } })]) {
  const [a, b] = [await nnft.twoPointFunction(net, XS, { nets: exM, seed: SEED + 2 }), await nnft.twoPointFunction(net, ROT, { nets: exM, seed: SEED + 3 })];
  console.log(`1. ${net.name}: change of G2(x1,x1), G2(x1,x2), G2(x1,x3), G2(x2,x3) under the rotation, in standard errors: ${[[0, 0], [0, 1], [0, 2], [1, 2]].map(([p, q]) => ((b.mean[p][q] - a.mean[p][q]) / Math.hypot(a.stdErr[p][q], b.stdErr[p][q])).toFixed(1)).join(', ')}`);
}
// 2. Phases on [-h, h]: E[cos 2b] = sin(2h) / (2h).
for (const h of [Math.PI / 2, Math.PI / 4]) {
  const net = nnft.withDensities(nnft.cosNet({ width: 2 }), { b0: { kind: 'uniform', low: -h, high: h } }), c2 = Math.sin(2 * h) / (2 * h);
  const g2 = async (x: number, y: number, seed: number) => { const g = await nnft.twoPointFunction(net, [[x], [y]], { nets: exM, seed }); return `${g.mean[0][1].toFixed(4)} ± ${g.stdErr[0][1].toFixed(4)} (predicted ${((Math.exp(-((x - y) ** 2) / 2) + c2 * Math.exp(-((x + y) ** 2) / 2)) / 2).toFixed(4)})`; };
  console.log(`2. phases on [-${h / Math.PI}π, ${h / Math.PI}π], E[cos 2b] = ${c2.toFixed(3)}: G2(0.2, 0.7) = ${await g2(0.2, 0.7, SEED + 4)}; shifted by 0.8: ${await g2(1.0, 1.5, SEED + 5)}`);
}
// 3. (1/2π) ∫ dp / (p^2 + m^2) over |p| < Λ = arctan(Λ/m) / (π m).
console.log(`3. Scalar-net G2(0, 0): arctan(Λ/m)/(π m) = ${(Math.atan(CUTOFF / MASS) / (Math.PI * MASS)).toFixed(6)}, gpKernel ${nnft.gpKernel(scalar)([0], [0]).toFixed(6)}, Monte Carlo ${mcRow[0].toFixed(4)} ± ${seRow[0].toFixed(4)}; without cutoff 1/(2m) = ${1 / (2 * MASS)}`);
