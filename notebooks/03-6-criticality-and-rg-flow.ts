// %% [markdown]
// # Criticality: the kernel of a deep network flows with depth
//
// *EFT4ML slides (Del Debbio), "going deep - recursion relations", "solving the recursion", "RG interpretation"; large-N talk
// (Zhang), "Criticality"; conventions of Roberts, Yaida and Hanin, "The Principles of Deep Learning Theory" (PDLT).*
//
// At infinite width the pre-activations of every layer are Gaussian, and the only thing that changes from one layer to the next is
// the kernel. For one input it is a single number, and the layer map
//
// $$ K^{(\ell+1)} = C_b + C_W\, g\big(K^{(\ell)}\big), \qquad g(K) = \langle \sigma(z)^2\rangle_{z\sim\mathcal N(0,K)} $$
//
// is a discrete renormalisation-group flow in depth. Its fixed points $K^\star = C_b + C_W g(K^\star)$ and their stability decide what a
// very deep network does to its input. Two numbers control the flow near $K^\star$:
//
// $$ \chi_\parallel(K) = \frac{C_W}{K}\,\langle z\,\sigma'(z)\,\sigma(z)\rangle_K = C_W\,g'(K), \qquad \chi_\perp(K) = C_W\,\langle\sigma'(z)^2\rangle_K . $$
//
// $\chi_\parallel$ multiplies a small change of the diagonal kernel from layer to layer; $\chi_\perp$ multiplies a small difference between
// two nearby inputs. When either is below one, deviations die out exponentially in depth (the network forgets); above one they blow up.
// Only at **criticality**, $\chi_\parallel = \chi_\perp = 1$, do they change as power laws, and information about the input survives
// to large depth. This notebook:
//
// 1. draws the flow and its fixed points (the slides' graphical solution);
// 2. sorts the activations into universality classes and finds each critical point;
// 3. draws the phase diagram in the $(C_b, C_W)$ plane with the order-to-chaos line;
// 4. shows the power law at criticality ($K^{(\ell)} \approx 1/(2\ell)$ for tanh) against exponential decay off it;
// 5. checks the flow against Monte Carlo of deep networks drawn weight by weight.
//
// Conventions: weights have variance $C_W/n_{\ell-1}$ (the fan-in), biases $C_b$; so $C_W = \sigma_w^2$ and $C_b = \sigma_b^2$ of
// `nnft.mlp`, whose first layer gives $K^{(1)} = C_b + C_W\,x\cdot x/D$. Layer 1 is the first pre-activation; a net with $h$ hidden layers has its
// output at $\ell = h + 1$.

// %%
import * as nnft from '../dist';

const SEED = 0;
const LAYERS = nnft.atScale({ ci: 1000, full: 10000 });                   // depth of the long flows
const NETS = nnft.atScale({ ci: 20000, full: 200000 });                   // networks per Monte Carlo point
const GRID = nnft.atScale({ ci: 24, full: 60 });                          // phase-diagram resolution per axis
const FAIL_PROB = 1e-3;
console.log(`scale=${nnft.scale()}  layers=${LAYERS}  networks=${NETS}  phase-diagram grid=${GRID}x${GRID}`);

// %% [markdown]
// ## Fixed points, graphically
//
// A fixed point is where the layer map $K \mapsto C_b + C_W g(K)$ crosses the diagonal. The slide's example is tanh at $C_b = 1$,
// $C_W = 2$: one crossing, with slope $\chi_\parallel(K^\star) < 1$ there, so every starting kernel is attracted to it. At $C_b = 0$ the
// origin is a fixed point too; it is stable for $C_W < 1$, and at $C_W = 1$ the map touches the diagonal there with slope one: the critical point.

// %%
const Ks = nnft.linspace(0, 3, 301);
const maps: [number, number][] = [[1, 2], [0, 0.8], [0, 1], [0, 1.5]];
nnft.show(nnft.figure('Layer map of tanh networks and its fixed points', [
  ...maps.map(([cb, cw], i) => nnft.curveTrace(`C_b = ${cb}, C_W = ${cw}`, Ks, Ks.map((K) => cb + cw * nnft.kernelMap('tanh', K)), i)),
  nnft.curveTrace('K(l+1) = K(l)', Ks, Ks, 7, 'dot'),
], { title: 'K(l)' }, { title: 'K(l+1)' }), 'layer-map');
const fixedRows = maps.map(([cb, cw]) => {
  const r = nnft.criticality({ activation: 'tanh', cw, cb });
  return { C_b: cb, C_W: cw, K_star: +r.K_star!.toPrecision(8), chi_par: +r.chi_parallel!.toPrecision(6), chi_perp: +r.chi_perp!.toPrecision(6), stable: r.stable, critical: r.critical };
});
nnft.printTable(fixedRows);

// %% [markdown]
// ## Universality classes and critical points
//
// Near $K = 0$ the flow depends only on the first Taylor coefficients of the activation, so activations fall into classes
// (PDLT chapter 5). **Scale-invariant** units ($\sigma(\lambda z) = \lambda\sigma(z)$ for $\lambda > 0$: ReLU, leaky ReLU, linear) have a linear
// $g$: at $C_b = 0$ and $C_W = 1/\langle\sigma'^2\rangle$ every $K$ is a fixed point and both susceptibilities equal one. Units with
// $\sigma(0) = 0$, $\sigma'(0) \neq 0$ whose kernel map bends below the diagonal (tanh, erf, sin) form the **$K^\star = 0$ class**: critical at
// $C_b = 0$, $C_W = 1/\sigma'(0)^2$, where the kernel creeps to zero as a power law. GELU has $\sigma(0) = 0$ but its map bends above the
// diagonal; it has a critical point of a third kind, at $K^\star \approx 3.56$ with $C_b \approx 0.173$, $C_W \approx 1.983$ (the values PDLT
// tabulates), found along $\chi_\perp = 1$ where $\chi_\parallel = 1$ as well; there $g'' \ne 0$, so the fixed point attracts from one side only.
// Sigmoid, softplus and cos ($\sigma(0) \ne 0$) have none.

// %%
const classRows = nnft.MLP_ACTIVATIONS.map((a) => {
  const cp = nnft.criticalPoint(a);
  const at = cp ? nnft.criticality({ activation: a, cw: cp.cw, cb: cp.cb, k0: cp.K_star ?? 1 }) : null;
  return { activation: a, class: nnft.universalityClass(a), C_b: cp ? +cp.cb.toPrecision(8) : '—', C_W: cp ? +cp.cw.toPrecision(10) : '—', K_star: cp ? (cp.K_star === null ? 'any' : +cp.K_star.toPrecision(8)) : '—', chi_par: at ? +at.chi_parallel!.toPrecision(10) : '—', chi_perp: at ? +at.chi_perp!.toPrecision(10) : '—' };
});
nnft.printTable(classRows);

// %% [markdown]
// ## Phase diagram
//
// For each $(C_b, C_W)$ the flow from $K^{(1)} = 1$ reaches a fixed point, where $\chi_\perp$ says whether two inputs merge with depth
// ($\chi_\perp < 1$, the **ordered** phase: the network maps everything to the same output) or decorrelate ($\chi_\perp > 1$, the **chaotic**
// phase: nearby inputs end up unrelated). The line $\chi_\perp = 1$ separates them (`nnft.orderChaosLine`); the critical point sits on it at
// $C_b = 0$, where $\chi_\parallel = 1$ as well. Shown for tanh; the colour is $\log_{10}\chi_\perp(K^\star)$.

// %%
const cbAxis = nnft.linspace(0, 0.5, GRID);
const cwAxis = nnft.linspace(0.5, 3, GRID);
const heat = cwAxis.map((cw) => cbAxis.map((cb) => {
  const K = nnft.fixedPoint('tanh', cw, cb, 1);
  return K === null ? NaN : Math.log10(nnft.chiPerp('tanh', cw, K));
}));
const lineCb = nnft.linspace(0, 0.5, 26);
const line = nnft.orderChaosLine('tanh', lineCb);
nnft.show(nnft.figure('tanh networks: log10 chi_perp(K*) and the order-to-chaos line', [
  nnft.heatmapTrace('log10 chi_perp', heat, cbAxis, cwAxis),
  nnft.curveTrace('chi_perp = 1', lineCb, line, 1),
  { type: 'scatter', mode: 'markers', name: 'critical point', x: [0], y: [nnft.criticalPoint('tanh')!.cw], marker: { size: 12, color: 'red' } },
], { title: 'C_b' }, { title: 'C_W' }), 'phase-diagram');

// %% [markdown]
// ## Power laws at criticality, exponentials off it
//
// Tanh at its critical point: $g(K) = K - 2K^2 + O(K^3)$, so $K^{(\ell+1)} = K^{(\ell)} - 2 (K^{(\ell)})^2 + \dots$, whose solution is
// $K^{(\ell)} \approx 1/(2\ell)$ at large depth: a power law with exponent $-1$ (erf has the same leading behaviour). Off criticality
// ($C_W = 0.8$) the kernel falls like $\chi_\parallel(0)^\ell = 0.8^\ell$. ReLU at $C_W = 2$ keeps any $K$ for ever; at $C_W = 1.9$ or $2.1$ it decays
// or grows exponentially.

// %%
const ls = Array.from({ length: LAYERS }, (_, l) => l + 1);
const flows = [
  { name: 'tanh, C_W = 1 (critical)', K: nnft.kernelFlow('tanh', 1, 0, 1, LAYERS) },
  { name: 'erf, C_W = pi/4 (critical)', K: nnft.kernelFlow('erf', Math.PI / 4, 0, 1, LAYERS) },
  { name: 'tanh, C_W = 0.8', K: nnft.kernelFlow('tanh', 0.8, 0, 1, LAYERS) },
  { name: 'ReLU, C_W = 2 (critical)', K: nnft.kernelFlow('relu', 2, 0, 1, LAYERS) },
  { name: 'ReLU, C_W = 1.9', K: nnft.kernelFlow('relu', 1.9, 0, 1, LAYERS) },
];
nnft.show(nnft.figure('Single-input kernel against depth', [
  ...flows.map((f, i) => nnft.curveTrace(f.name, ls, f.K.map((k) => Math.max(k, 1e-300)), i)),
  nnft.curveTrace('1 / (2 l)', ls, ls.map((l) => 1 / (2 * l)), 7, 'dot'),
], { title: 'layer l', log: true }, { title: 'K(l)', log: true }, { yaxis: { type: 'log', range: [-6, 0.5], title: { text: 'K(l)' } } }), 'kernel-flow');
// Log-log slope of the critical tanh flow over the last decade.
const tail = ls.filter((l) => l >= LAYERS / 10);
const { slope } = nnft.logLogSlope(tail, tail.map((l) => flows[0].K[l - 1]));
console.log(`critical tanh: log-log slope ${slope.toFixed(4)} over l = ${tail[0]}..${LAYERS}; 2 l K(l) at l = ${LAYERS}: ${(2 * LAYERS * flows[0].K[LAYERS - 1]).toFixed(4)}`);
console.log(`tanh at C_W = 0.8: K(l+1)/K(l) at l = 100: ${(flows[2].K[100] / flows[2].K[99]).toFixed(6)} (chi_par(0) = ${nnft.chiParallel('tanh', 0.8, 0).toFixed(6)})`);

// %% [markdown]
// ## Two inputs: order, chaos and the edge between them
//
// The correlation $\rho^{(\ell)} = K_{12}/\sqrt{K_{11}K_{22}}$ of two inputs follows the two-input recursion (`nnft.kernelOf`, the infinite-width
// NNGP kernel of the MLP, an independent implementation with closed forms for erf). In the ordered phase it flows to one quickly, in
// the chaotic phase it settles below one, and at criticality it approaches one as a power law.

// %%
const depths = Array.from({ length: 60 }, (_, l) => l + 1);
const phases: [string, number, number][] = [['ordered (C_W = 0.6, C_b = 0.1)', 0.6, 0.1], ['critical (C_W = pi/4, C_b = 0)', Math.PI / 4, 0], ['chaotic (C_W = 4, C_b = 0.05)', 4, 0.05]];
const rhoTraces = phases.map(([name, cw, cb], i) => {
  const rho = depths.map((L) => {
    const k = nnft.kernelOf(nnft.mlp({ depth: L, width: 1, activation: 'erf', sigmaW: Math.sqrt(cw), sigmaB: Math.sqrt(cb) }), [[1], [0.6]]).nngp;
    return k[0][1] / Math.sqrt(k[0][0] * k[1][1]);
  });
  return nnft.curveTrace(name, depths.map((L) => L + 1), rho.map((r) => 1 - r), i);
});
nnft.show(nnft.figure('erf networks: 1 - correlation of the inputs x = 1 and x = 0.6 against depth', rhoTraces, { title: 'layer l', log: true }, { title: '1 - rho(l)', log: true }), 'correlation-flow');

// %% [markdown]
// ## Theory against experiment: deep networks drawn weight by weight
//
// The flow is an infinite-width statement, but for ReLU at $C_b = 0$ the mean kernel is exact at every width: the output metric is
// $K^{(1)}$ times a product of independent factors of mean $C_W/2 = 1$. So the Monte Carlo 2-point function of deep ReLU networks of
// width 16, drawn weight by weight by the ensemble engine, must equal $K^{(1)}$ at every depth within its error bars. Tanh at
// criticality has $1/n$ corrections; at width 256 they are below the error bars here.

// %%
const mcRows: { net: string; depth: number; width: number; G2: number; err: number; theory: number }[] = [];
for (const depth of [1, 3, 7]) {
  const relu = await nnft.ensembleCorrelators(nnft.mlp({ depth, width: 16, activation: 'relu', sigmaW: Math.SQRT2, sigmaB: 0 }), [[1]], { order: 2, nets: NETS, seed: SEED + depth, progress: false });
  mcRows.push({ net: 'ReLU, C_W = 2', depth, width: 16, G2: relu.G2.value[0], err: relu.G2.stdErr[0], theory: nnft.kernelFlow('relu', 2, 0, 2, depth + 1)[depth] });
  const tanh = await nnft.ensembleCorrelators(nnft.mlp({ depth, width: 256, activation: 'tanh', sigmaW: 1, sigmaB: 0 }), [[1]], { order: 2, nets: NETS / 10, seed: SEED + 10 + depth, progress: false });
  mcRows.push({ net: 'tanh, C_W = 1', depth, width: 256, G2: tanh.G2.value[0], err: tanh.G2.stdErr[0], theory: nnft.kernelFlow('tanh', 1, 0, 1, depth + 1)[depth] });
}
nnft.printTable(mcRows.map((r) => ({ ...r, G2: +r.G2.toPrecision(5), err: +r.err.toPrecision(2), theory: +r.theory.toPrecision(6), pull: +((r.G2 - r.theory) / r.err).toFixed(2) })));

// %% [markdown]
// ## Checks

// %%
const c = nnft.checks();
const erfG = (K: number) => (2 / Math.PI) * Math.asin((2 * K) / (1 + 2 * K));
const erfGp = (K: number) => 4 / (Math.PI * (1 + 2 * K) * Math.sqrt(1 + 4 * K));
let erfWorst = 0;
for (const [cb, cw] of [[0.1, 1.5], [0.3, 2.5], [1, 0.8]]) {
  let K = 1;
  for (let i = 0; i < 100; i++) K -= (cb + cw * erfG(K) - K) / (cw * erfGp(K) - 1);
  const r = nnft.criticality({ activation: 'erf', cw, cb });
  erfWorst = Math.max(erfWorst, Math.abs(r.K_star! / K - 1), Math.abs(r.chi_parallel! / (cw * erfGp(K)) - 1), Math.abs(r.chi_perp! / ((4 * cw) / (Math.PI * Math.sqrt(1 + 4 * K))) - 1));
}
c.that('erf: K*, chi_par and chi_perp equal the closed forms to 1e-9 at three (C_b, C_W)', erfWorst < 1e-9, `largest relative difference ${erfWorst.toExponential(2)}`);
c.that('critical points: tanh C_W = 1, erf pi/4, ReLU 2 (all at C_b = 0)', Math.abs(nnft.criticalPoint('tanh')!.cw - 1) < 1e-12 && Math.abs(nnft.criticalPoint('erf')!.cw - Math.PI / 4) < 1e-12 && Math.abs(nnft.criticalPoint('relu')!.cw - 2) < 1e-12);
c.that('critical tanh: K(l) falls as a power law with exponent -1', Math.abs(slope + 1) < 0.05, `slope ${slope.toFixed(4)}`);
c.that('off criticality the kernel falls exponentially at the rate chi_par(0)', Math.abs(flows[2].K[100] / flows[2].K[99] - 0.8) < 1e-6);
const reluMc = mcRows.filter((r) => r.net.startsWith('ReLU'));
c.agree('deep ReLU networks at width 16 (weight by weight): G2 = K(1) at every depth', reluMc.map((r) => r.G2), reluMc.map((r) => r.err), reluMc.map((r) => r.theory), FAIL_PROB);
const tanhMc = mcRows.filter((r) => r.net.startsWith('tanh'));
c.agree('critical tanh networks at width 256: G2 = K(l) of the flow within errors', tanhMc.map((r) => r.G2), tanhMc.map((r) => r.err), tanhMc.map((r) => r.theory), FAIL_PROB);
const erfOrdered = nnft.kernelOf(nnft.mlp({ depth: 3, width: 1, activation: 'erf', sigmaW: Math.sqrt(1.5), sigmaB: Math.sqrt(0.1) }), [[1]]).nngp[0][0];
c.that('kernelFlow equals the independent kernelOf recursion (erf, 3 hidden layers)', Math.abs(nnft.kernelFlow('erf', 1.5, 0.1, 0.1 + 1.5, 4)[3] / erfOrdered - 1) < 1e-12, `${erfOrdered}`);
c.report();

// %% [markdown]
// ## Summary
//
// * Depth acts on the kernel like an RG transformation; its fixed points and the two susceptibilities decide what a deep network
//   remembers of its input.
// * Only at criticality ($\chi_\parallel = \chi_\perp = 1$) do deviations change as power laws; the critical point depends on the activation's
//   universality class: $C_W = 1/\sigma'(0)^2$ at $C_b = 0$ for tanh and erf, $C_W = 2/(1 + a^2)$ for (leaky) ReLU.
// * The phase diagram has an ordered and a chaotic phase separated by $\chi_\perp = 1$; deep networks drawn weight by weight follow the flow.

// %% [markdown]
// ## Exercises
//
// 1. **The leaky slope.** Show that leaky ReLU with slope $a$ has $\langle\sigma'^2\rangle = (1 + a^2)/2$, so its critical $C_W$ is $2/(1 + a^2)$.
//    Check `nnft.criticalPoint('leaky_relu')` (the lab uses $a = 0.2$, tfjs's default).
// 2. **The power law's coefficient.** Expand $g(K)$ for tanh to second order and derive $K^{(\ell)} \approx 1/(2\ell)$. Which coefficient would
//    change it for erf, and why does erf come out the same? Measure $2\ell K^{(\ell)}$ for both at $\ell = 10^3$.
// 3. **Half-stable criticality.** At GELU's critical point (`nnft.criticalPoint('gelu')`) both susceptibilities are one, yet $g''(K^\star) \neq 0$.
//    Start the flow at $K^\star(1 \pm 0.05)$ and follow it for $10^4$ layers: from which side does the kernel return to $K^\star$, and how fast?

// %% tags=["solution"]
// 1. Leaky ReLU: sigma'^2 is 1 for z > 0 and a^2 for z < 0, each half the time.
const exA = nnft.LEAKY_SLOPE;
console.log(`1. <sigma'^2> = ${nnft.chiPerp('leaky_relu', 1, 1).toFixed(12)} vs (1 + a^2)/2 = ${((1 + exA ** 2) / 2).toFixed(12)}; critical C_W = ${nnft.criticalPoint('leaky_relu')!.cw.toFixed(12)} vs 2/(1 + a^2) = ${(2 / (1 + exA ** 2)).toFixed(12)}`);
// 2. tanh = z - z^3/3 + ...: g(K) = K - 2 K^2 + O(K^3). erf at C_W = pi/4: (pi/4) <erf^2> = K - 2 K^2 + ... as well, since
//    erf'''(0) / erf'(0) = -2 = tanh'''(0) / tanh'(0). Then K(l+1) = K(l) - 2 K(l)^2 gives 1/K(l+1) = 1/K(l) + 2 + O(K): K ~ 1/(2 l).
const exL = 1000;
const exT = nnft.kernelFlow('tanh', 1, 0, 1, exL)[exL - 1];
const exE = nnft.kernelFlow('erf', Math.PI / 4, 0, 1, exL)[exL - 1];
console.log(`2. 2 l K(l) at l = ${exL}: tanh ${(2 * exL * exT).toFixed(4)}, erf ${(2 * exL * exE).toFixed(4)} (both -> 1 with log(l)/l corrections)`);
// 3. GELU's critical point: chi_par = chi_perp = 1, but F(K) = C_b + C_W g(K) - K is -c (K - K*)^2 + ... with c > 0 small: from
//    above the kernel creeps back to K* (as a power law), from below it leaves K* and settles on another fixed point under it.
const exG = nnft.criticalPoint('gelu')!;
for (const side of [0.95, 1.05, 1.2]) {
  const flow = nnft.kernelFlow('gelu', exG.cw, exG.cb, exG.K_star! * side, 10000);
  console.log(`3. GELU from K* x ${side}: K(l) / K* at l = 10, 10^3, 10^4: ${[9, 999, 9999].map((l) => (flow[l] / exG.K_star!).toFixed(4)).join(', ')}`);
}
