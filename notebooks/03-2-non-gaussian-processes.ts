// %% [markdown]
// # 3.2 Non-Gaussian processes: finite width switches on interactions
//
// *TASI lectures "Physics for Machine Learning", section 3.2 and appendix A; NN-QFT talk, "NGP correlators become GP correlators".*
//
// At infinite width a single-layer ensemble is a Gaussian process: all its information is in the 2-point function. At finite
// width $N$ the central limit theorem is only approximately true, and the connected higher-point functions, which vanish for a
// Gaussian, are switched on. In field-theory language they are interactions. This notebook measures them and compares with
// exact results:
//
// 1. $G^{(4)}_c$ falls exactly like $1/N$ and $G^{(6)}_c$ like $1/N^2$, and Monte Carlo agrees with the exact finite-width values.
// 2. The signal sinks into the statistical floor as $N$ grows; the number of networks needed to see it grows like $N^2$.

// %%
import * as nnft from '../dist';

const SEED = 0;
const M = nnft.atScale({ ci: 200000, full: 1000000 });                      // networks per width (see 'heavy tails' below)
const WIDTHS = nnft.atScale({ ci: [2, 4, 10, 30], full: [2, 3, 5, 10, 20, 50, 100, 300, 1000] });
const XS = [[-1], [0.2], [1]];                                              // P = 3 inputs, D = 1
const FAIL_PROB = 1e-3;
// 6-point functions used as evidence: the ReLU-net's only from N = 10 (heavy tails below that, see 'Heavy tails').
const COMPARED6 = (net: string, width: number) => net !== 'ReLU-net' || width >= 10;
const backend = await nnft.ensureBackend();
console.log(`scale=${nnft.scale()}  M=${M}  widths=${WIDTHS.join(', ')}  backend: ${nnft.describeBackend(backend)}`);

// %% [markdown]
// ## Exact connected correlators at finite width
//
// Write the network as $f(x) = \sum_{i=1}^N w_i\,\varphi_i(x) + b$ with i.i.d. neurons $\varphi_i$ and readout weights
// $w_i \sim \mathcal N(0, \sigma_w^2/N)$. Cumulants of independent terms add, and the Gaussian bias $b$ only enters the 2-point function,
// so each connected function is $N$ times the cumulant of a single term $w\,\varphi$. Expanding that cumulant over the ways of splitting
// the points into groups (only even groups survive, since $w$ is symmetric) gives
//
// $$ G^{(4)}_c = \frac{\sigma_w^4}{N}\Big(3 M_{1234} - \big(M_{12}M_{34} + 2\ \text{perms}\big)\Big), \qquad
// G^{(6)}_c = \frac{\sigma_w^6}{N^2}\Big(15 M_{123456} - 3\big(M_{1234}M_{56} + 14\ \text{perms}\big) + 2\big(M_{12}M_{34}M_{56} + 14\ \text{perms}\big)\Big), $$
//
// with single-neuron moments $M_{1\ldots k} = \mathbb E[\varphi(x_1)\cdots\varphi(x_k)]$ (lecture eqs. (44)–(51) for the 4-point case).
// The dependence on $N$ is exact: $1/N$ and $1/N^2$. The single-neuron moments are two-dimensional Gaussian integrals here, done by
// quadrature (ReLU exactly, in polar coordinates; the Gauss-net in closed form): `nnft.finiteWidthCorrelators`.
//
// The Monte Carlo side measures all moments up to order 6 at every sorted tuple of the three inputs and forms the connected parts
// from them, with jackknife errors: `nnft.ensembleCorrelators`.
//
// **Heavy tails.** A Monte Carlo estimate of $G^{(6)}_c$ averages products of six outputs; its own variance involves twelfth moments.
// When those are large the estimator is skewed: a modest ensemble usually *underestimates* both the value and its error bar, and the
// pulls look too large. Two consequences here. (i) The ensembles are large ($2\times10^5$ networks even at CI scale); with $2\times10^4$
// the ReLU-net's $G^{(6)}_c$ at $N=2$ comes out several "standard errors" low. (ii) The Gauss-net's units $e^{z-k}$ are log-normal,
// with $\mathbb E[\varphi^{12}] = e^{60k}$: at $\sigma_w = \sigma_b = 1$ and $|x| = 1$ ($k = 2$) no feasible ensemble measures its
// 6-point function. This notebook uses $\sigma_w = 0.3$, $\sigma_b = 0$ for it ($k \le 0.09$). (iii) Every estimate carries the
// tail diagnostic of Pareto-smoothed importance sampling: the shape $\hat k$ of a generalized Pareto fit to the largest terms
// $|f(x)|^n$ (and, for single-layer nets, to the hidden units' $\varphi(x)^2$); above $\min(1 - 1/\log_{10} M, 0.7)$ the error bar
// cannot be trusted. The ReLU-net's sixth powers, a Gaussian weight times a half-Gaussian unit, sit at $\hat k \approx 0.7$–$0.85$ for
// $N \le 4$ even with $10^6$ networks, so its $G^{(6)}_c$ is shown at small width, marked, but used as evidence only from $N = 10$
// (`COMPARED6`); everything else is compared at every width, and the Checks cell fails if any compared estimate fails its diagnostic.

// %%
// The Gauss-net with smaller weights and no bias: see 'heavy tails' in the text above.
const bases = [nnft.erfNet({ width: 1 }), nnft.reluNet({ width: 1 }), nnft.gaussNet({ width: 1, sigmaW: 0.3, sigmaB: 0 })];
type Row = { net: string; width: number; mc: nnft.Correlators; exact: nnft.FiniteWidthCorrelators };
const rows: Row[] = [];
for (const base of bases) {
  for (const width of WIDTHS) {
    const net = nnft.withWidth(base, width);
    rows.push({ net: net.name, width, mc: await nnft.ensembleCorrelators(net, XS, { order: 6, nets: M, seed: SEED }), exact: nnft.finiteWidthCorrelators(net, XS, { order: 6 }) });
  }
}
const DIAG4 = nnft.tupleIndex([2, 2, 2, 2], XS.length); // G4c(1,1,1,1)
const DIAG6 = nnft.tupleIndex([2, 2, 2, 2, 2, 2], XS.length);
console.log(`${rows.length} ensembles measured`);

// %% [markdown]
// ## $G^{(4)}_c$ and $G^{(6)}_c$ against width
//
// Points: Monte Carlo at $x_1 = \dots = x_n = 1$ with one-standard-error bars (absolute values on log axes; the Erf-net's $G^{(6)}_c$ is
// negative). Solid lines: the exact results, exactly $\propto 1/N$ and $1/N^2$. Dotted: the standard error of the measurement, the
// statistical floor. Where a line crosses below its floor, $M$ networks can no longer tell the ensemble from a Gaussian one.

// %%
const NS = nnft.logspace(WIDTHS[0], WIDTHS[WIDTHS.length - 1], 60);
// One net's Monte Carlo points at x = 1: the compared widths, then (6-point function only) those shown but not compared.
const mcTraces = (r: Row[], order: 4 | 6, key: 'G4c' | 'G6c', idx: number) => [true, false].map((used) => {
  const pts = r.filter((x) => order === 4 || COMPARED6(x.net, x.width) === used);
  return nnft.errorBarTrace(used ? '|MC|' : '|MC|, heavy tails (not compared)', pts.map((x) => x.width), pts.map((x) => Math.abs(x.mc[key]!.value[idx])), pts.map((x) => x.mc[key]!.stdErr[idx]), used ? 0 : 3);
}).filter((t) => (t.x as number[]).length > 0);

// %%
function panel(order: 4 | 6) {
  const key = order === 4 ? 'G4c' : 'G6c';
  const idx = order === 4 ? DIAG4 : DIAG6;
  return bases.map((base) => {
    const r = rows.filter((row) => row.net === base.name);
    const exactAt1 = nnft.finiteWidthCorrelators(base, XS, { order: 6 })[key]!.value[idx]; // width 1; scales as N^-(order/2 - 1)
    return nnft.figure(base.name, [
      ...mcTraces(r, order, key, idx),
      nnft.curveTrace(`exact ∝ N^-${order / 2 - 1}`, NS, NS.map((n) => Math.abs(exactAt1) / n ** (order / 2 - 1)), 1),
      nnft.curveTrace('stderr (floor)', r.map((x) => x.width), r.map((x) => x.mc[key]!.stdErr[idx]), 7, 'dot'),
    ], { title: 'width N', log: true }, { title: `|${key}(1,...,1)|`, log: true });
  });
}
nnft.show(nnft.grid(`Connected 4-point function at x = 1 (M = ${M} per width)`, panel(4)), 'g4c-vs-width');
nnft.show(nnft.grid(`Connected 6-point function at x = 1 (M = ${M} per width)`, panel(6)), 'g6c-vs-width');

// %% [markdown]
// ## How many networks does it take?
//
// The standard error of a Monte Carlo average falls like $s/\sqrt M$, where $s$ (the spread of one network's contribution) hardly depends
// on $N$. Resolving $G^{(4)}_c \propto 1/N$ at $z$ standard errors therefore needs $M \approx (z\, s\, N / c)^2$ networks: quadratically
// more as the width grows, and $N^4$ for $G^{(6)}_c$. Using the measured spread $s = \text{stderr}\cdot\sqrt M$:

// %%
const Z_SEE = 3;
const needed = bases.map((base, b) => {
  const r = rows.filter((row) => row.net === base.name);
  return {
    net: base.name,
    m4: r.map((x) => (Z_SEE * x.mc.G4c!.stdErr[DIAG4] * Math.sqrt(M) / Math.abs(x.exact.G4c!.value[DIAG4])) ** 2),
    m6: r.map((x) => (Z_SEE * x.mc.G6c!.stdErr[DIAG6] * Math.sqrt(M) / Math.abs(x.exact.G6c!.value[DIAG6])) ** 2),
  };
});
nnft.show(nnft.figure(`Networks needed to see the connected functions at ${Z_SEE} standard errors`, [
  ...needed.map((n, i) => nnft.curveTrace(`${n.net}, G4c`, WIDTHS, n.m4, i)),
  ...needed.map((n, i) => nnft.curveTrace(`${n.net}, G6c`, WIDTHS, n.m6, i, 'dash')),
  nnft.curveTrace(`this run (M = ${M})`, WIDTHS, WIDTHS.map(() => M), 7, 'dot'),
], { title: 'width N', log: true }, { title: 'networks M', log: true }), 'networks-needed');

// %% [markdown]
// ## Theory against experiment over all input tuples
//
// The comparison is not only at one point: every sorted tuple of the three inputs (15 for $G^{(4)}_c$, 28 for $G^{(6)}_c$) at every width.
// The pulls (MC − exact)/stderr should look standard normal. The table lists, per ensemble, the worst pull of each function.

// %%
const pullsOf = (r: Row, key: 'G2' | 'G4c' | 'G6c') => nnft.pulls(r.mc[key]!.value, r.mc[key]!.stdErr, r.exact[key]!.value);
const tableRows = rows.map((r) => {
  const worst = (key: 'G2' | 'G4c' | 'G6c') => +nnft.pullSummary(pullsOf(r, key)).maxAbsPull.toFixed(2);
  return {
    net: r.net, width: r.width,
    G4c_111: +r.mc.G4c!.value[DIAG4].toPrecision(3), G4c_err: +r.mc.G4c!.stdErr[DIAG4].toPrecision(2), G4c_exact: +r.exact.G4c!.value[DIAG4].toPrecision(3),
    worstPull_G2: worst('G2'), worstPull_G4c: worst('G4c'), worstPull_G6c: worst('G6c'),
  };
});
nnft.printTable(tableRows);
const tailRows: nnft.TailRow[] = rows.map((r) => ({ label: `${r.net} N=${r.width}`, tails: { G2: r.mc.G2.tail, G4c: r.mc.G4c!.tail, G6c: r.mc.G6c!.tail } }));
console.log(nnft.tailTable(tailRows));

// %%
const allPulls = rows.flatMap((r) => (['G4c', 'G6c'] as const).filter((key) => key === 'G4c' || COMPARED6(r.net, r.width)).flatMap((key) => pullsOf(r, key)));
const zGrid = nnft.linspace(-4, 4, 161);
nnft.show(nnft.figure(`Pulls of G4c and G6c over all tuples and widths (${allPulls.length} values, correlated)`, [
  nnft.histogramTrace('pulls', allPulls, 0, { start: -4, end: 4, size: 0.5 }),
  nnft.normalDensityTrace('standard normal', zGrid),
], { title: '(MC - exact) / stderr' }, { title: 'density' }), 'pulls-all');

// %% [markdown]
// ## Checks

// %%
const c = nnft.checks();
for (const key of ['G2', 'G4c', 'G6c'] as const) {
  const used = rows.filter((r) => key !== 'G6c' || COMPARED6(r.net, r.width));
  c.agree(`${key}: Monte Carlo equals the exact finite-width value at every tuple and width${key === 'G6c' ? ' (ReLU-net from N = 10)' : ''} (${bases.map((b) => b.name).join(', ')})`,
    used.flatMap((r) => Array.from(r.mc[key]!.value)), used.flatMap((r) => Array.from(r.mc[key]!.stdErr)), used.flatMap((r) => Array.from(r.exact[key]!.value)), FAIL_PROB);
}
c.reliable('every compared Monte Carlo estimate passes its tail diagnostic (Pareto k-hat)', nnft.tailList(tailRows, (_, family, i) => family !== 'G6c' || COMPARED6(rows[i].net, rows[i].width)));
const zSee = nnft.bonferroniZ(FAIL_PROB, bases.length);
for (const base of bases) {
  const r = rows.find((row) => row.net === base.name && row.width === WIDTHS[0])!;
  c.that(`${base.name}: G4c at N = ${WIDTHS[0]} is resolved (the ensemble is measurably non-Gaussian)`, Math.abs(r.mc.G4c!.value[DIAG4]) > zSee * r.mc.G4c!.stdErr[DIAG4],
    `${r.mc.G4c!.value[DIAG4].toPrecision(3)} ± ${r.mc.G4c!.stdErr[DIAG4].toPrecision(2)} vs z = ${zSee.toFixed(2)}`);
}
const erfRows = rows.filter((r) => r.net === 'Erf-net');
const first = erfRows[0], last = erfRows[erfRows.length - 1];
c.that('exact G4c scales as 1/N and G6c as 1/N^2', Math.abs(first.exact.G4c!.value[DIAG4] * first.width / (last.exact.G4c!.value[DIAG4] * last.width) - 1) < 1e-9
  && Math.abs(first.exact.G6c!.value[DIAG6] * first.width ** 2 / (last.exact.G6c!.value[DIAG6] * last.width ** 2) - 1) < 1e-9, 'ratios at the smallest and largest width');
c.report();

// %% [markdown]
// ## Summary
//
// * Finite width makes single-layer ensembles non-Gaussian, with connected functions exactly $\propto 1/N$ ($G^{(4)}_c$) and $1/N^2$
//   ($G^{(6)}_c$): the interactions are weak at large width, and higher ones weaker still.
// * Monte Carlo reproduces the exact finite-width values at every input tuple within its error bars.
// * Seeing the interactions costs networks: $M \propto N^2$ for $G^{(4)}_c$ and $N^4$ for $G^{(6)}_c$ at fixed significance. This is why the
//   NN-QFT experiments draw millions of networks, and why a width-1000 4-point function is hard to resolve.

// %% [markdown]
// ## Exercises
//
// 1. **The sign of the 6-point interaction.** At coincident points $x_1 = \dots = x_6 = x$ the formula above reduces to
//    $G^{(6)}_c = \frac{\sigma_w^6}{N^2}\big(15 M_6 - 45 M_4 M_2 + 30 M_2^3\big)$ with $M_p = \mathbb E[\varphi(x)^p]$. Compute the three moments of the
//    erf unit at $x = 1$ (`nnft.unitMoment`), predict the sign of $G^{(6)}_c(1,\dots,1)$ for the Erf-net, and check the value against
//    `nnft.finiteWidthCorrelators`. What property of a bounded unit makes the sign come out this way?
// 2. **Reading off the exponents.** Appendix A says the $r$-th cumulant of a normalised sum of $N$ i.i.d. terms scales as $N^{1-r/2}$.
//    Write the network output as such a sum and say which exponents to expect for $G^{(4)}_c$ and $G^{(6)}_c$; then measure them from the
//    exact values at $N = 10$ and $N = 100$.
// 3. **Predict, then measure.** Use the exact value at $N = 2$ and the $1/N$ law to predict the Erf-net's $G^{(4)}_c(1,1,1,1)$ at $N = 3$,
//    a width not in the scan, and measure it with a fresh ensemble (another seed). With the spread $s = \text{stderr}\cdot\sqrt M$ of that
//    measurement, how many networks would resolve $G^{(4)}_c$ at $N = 300$ at 3 standard errors?

// %% tags=["solution"]
// 1. Moments of the erf unit at x = 1, and the coincident-point 6-point formula (sigma_w = 1, N = 1).
const exErf = bases[0], [exM2, exM4, exM6] = [2, 4, 6].map((p) => nnft.unitMoment(exErf, 1, p));
console.log(`1. Erf unit at x = 1: M2 = ${exM2.toFixed(4)}, M4 = ${exM4.toFixed(4)}, M6 = ${exM6.toFixed(4)}; 15 M6 - 45 M4 M2 + 30 M2^3 = ${(15 * exM6 - 45 * exM4 * exM2 + 30 * exM2 ** 3).toFixed(6)}`
  + ` vs finiteWidthCorrelators ${nnft.finiteWidthCorrelators(exErf, XS, { order: 6 }).G6c!.value[DIAG6].toFixed(6)} (N = 1)`);
// 2. Exact values at N = 10 and 100: the slopes of log |G| against log N.
const [exA, exB] = [10, 100].map((n) => nnft.finiteWidthCorrelators(nnft.withWidth(exErf, n), XS, { order: 6 }));
console.log(`2. exponents: G4c ${Math.log10(exB.G4c!.value[DIAG4] / exA.G4c!.value[DIAG4]).toFixed(6)} (expect 1 - 4/2 = -1), G6c ${Math.log10(exB.G6c!.value[DIAG6] / exA.G6c!.value[DIAG6]).toFixed(6)} (expect 1 - 6/2 = -2)`);
// 3. G4c at N = 3 from N = 2 by the 1/N law, then a fresh ensemble (seed SEED + 1).
const exM = nnft.atScale({ ci: 100000, full: 400000 });
const exPred = (rows.find((r) => r.net === 'Erf-net' && r.width === 2)!.exact.G4c!.value[DIAG4] * 2) / 3;
const exMc = (await nnft.ensembleCorrelators(nnft.withWidth(exErf, 3), XS, { order: 4, nets: exM, seed: SEED + 1 })).G4c!;
const exS = exMc.stdErr[DIAG4] * Math.sqrt(exM);
console.log(`3. N = 3: predicted G4c(1,1,1,1) = ${exPred.toFixed(4)}, measured ${exMc.value[DIAG4].toFixed(4)} ± ${exMc.stdErr[DIAG4].toFixed(4)} (${exM} networks);`
  + ` N = 300 at 3 standard errors needs M ≈ (3 s N / (N G4c))^2 = ${(((3 * exS * 300) / (exPred * 3)) ** 2).toExponential(2)} networks (s = ${exS.toFixed(2)})`);
