/**
 * phi^4 by Hamiltonian Monte Carlo in parameter space: Markov chains that sample the deformed
 * density P~(theta) of TASI eq. (136) directly, where reweighting free draws (phi4.ts) fails.
 *
 * Coordinates: for neuron i, v_i ~ N(0, 1) (W1_i = v_i / sqrt(N)), z_i ~ N(0, 1) mapped to the
 * uniform momentum w_i = Lambda erf(z_i / sqrt 2) in [-Lambda, Lambda], and the phase b_i on the circle
 * (flat prior, periodic). Then f(t) = sum_i (v_i / sqrt N) F(w_i) cos(w_i t + b_i) is the Scalar-net
 * of eq. (72), and P~ has potential
 *   U(theta) = |v|^2 / 2 + |z|^2 / 2 + lambda S4(theta),  S4 = int_{-L}^{L} f^4 dt
 * (S4 by the band-limited quadrature of phi4.ts, exact to 1e-9). Gradients of U come from tfjs
 * autodiff; C chains run as one batch of tensors. Each trajectory draws fresh momenta, takes
 * ceil(T / eps) leapfrog steps (step eps jittered by +-10%) and accepts with probability
 * min(1, e^{-Delta H}) (M. Betancourt, "A conceptual introduction to Hamiltonian Monte Carlo",
 * arXiv:1701.02434). During warm-up eps is adapted towards a target acceptance rate, then frozen.
 * Error bars come from the integrated autocorrelation time of each observable over all chains.
 */
import type * as Tensors from '../core/backend';
import { Rng } from '../core/random';
import { erf as erf64 } from '../core/special';
import { checkNonNegativeInteger, checkNonNegativeNumber, checkPositiveInteger, checkPositiveNumber, fail } from '../core/validate';
import { progressBar } from '../core/progress';
import { AutocorrelationEstimate, autocorrelation } from '../statistics/autocorrelation';
import { Phi4Theory, bandLimitedRule, checkTimes, phi4Net } from './phi4';

const tensors = (): typeof Tensors => require('../core/backend');

/** Options of `phi4Hmc`. */
export interface Phi4HmcOptions extends Phi4Theory {
  width: number;
  coupling: number;
  inputs: readonly number[];
  /** C: independent chains, run as one tensor batch (default 32). */
  chains?: number;
  /** Trajectories per chain kept after warm-up. */
  trajectories: number;
  /** Warm-up trajectories per chain (step-size adaptation; discarded). Default trajectories / 4, at least 20. */
  warmup?: number;
  seed: number;
  /** Trajectory length T (default pi / 2, a quarter period of the unit Gaussian directions). */
  trajectoryLength?: number;
  /** Target acceptance rate of the warm-up adaptation (default 0.8). */
  targetAcceptance?: number;
  /** Record the parameters (W1, w, b) of the first k neurons of every chain after each kept trajectory (default 0). */
  traceNeurons?: number;
  progress?: boolean;
}

/** Parameters of traced neurons under P~: entry [i] holds neuron i's values, chain by chain, trajectory by trajectory (c * T + t). */
export interface NeuronTrace {
  /** Readout weights W1_i = v_i / sqrt(N). */
  readonly W1: Float64Array[];
  /** Momenta w_i in [-Lambda, Lambda]. */
  readonly w: Float64Array[];
  /** Phases b_i in [-pi, pi). */
  readonly b: Float64Array[];
}

/** One observable's chain estimate. */
export interface ChainEstimate extends AutocorrelationEstimate {}

/** The HMC result: G2 at the inputs with autocorrelation-aware errors, and the sampler's diagnostics. */
export interface Phi4Hmc {
  readonly method: 'hmc';
  readonly mass: number;
  readonly cutoff: number;
  readonly box: number;
  readonly width: number;
  readonly coupling: number;
  readonly inputs: number[];
  readonly chains: number;
  readonly trajectories: number;
  readonly warmup: number;
  readonly seed: number;
  readonly G2: number[][];
  readonly stdErr: number[][];
  /** tau_int (in trajectories) of each G2 entry's observable f(x_i) f(x_j). */
  readonly tauInt: number[][];
  /** Gelman-Rubin R-hat of each entry. */
  readonly rHat: number[][];
  /** <S4> under P~, with its error. */
  readonly meanAction: ChainEstimate;
  readonly stepSize: number;
  readonly leapfrogSteps: number;
  /** Mean acceptance probability after warm-up. */
  readonly acceptance: number;
  readonly seconds: number;
  readonly warnings: string[];
  /** With `traceNeurons`: the traced neurons' parameters. */
  readonly trace?: NeuronTrace;
}

/** The Scalar-net output at times `ts` from HMC coordinates (float64, on the host). */
export function scalarNetOutput(v: ArrayLike<number>, z: ArrayLike<number>, b: ArrayLike<number>, theory: Phi4Theory, ts: readonly number[]): Float64Array {
  const N = v.length;
  const P = Math.sqrt((2 * theory.cutoff) / Math.PI);
  const out = new Float64Array(ts.length);
  for (let i = 0; i < N; i++) {
    const w = theory.cutoff * erf64(z[i] / Math.SQRT2);
    const A = (v[i] / Math.sqrt(N)) * (P / Math.sqrt(w * w + theory.mass * theory.mass));
    for (let k = 0; k < ts.length; k++) out[k] += A * Math.cos(w * ts[k] + b[i]);
  }
  return out;
}

/**
 * Sample the phi^4-deformed Scalar-net ensemble by HMC (see the module comment) and estimate
 * G2(x_i, x_j) = <f(x_i) f(x_j)> with errors from the integrated autocorrelation time. Warns when
 * the acceptance rate is low, a chain's autocorrelation window did not close, or R-hat > 1.05.
 */
export async function phi4Hmc(options: Phi4HmcOptions): Promise<Phi4Hmc> {
  const fn = 'phi4Hmc';
  const net = phi4Net(options, checkPositiveInteger(fn, 'width', options.width));
  const theory: Phi4Theory = { mass: options.mass, cutoff: options.cutoff, box: options.box };
  const N = net.width;
  const lambda = checkNonNegativeNumber(fn, 'coupling', options.coupling);
  const inputs = checkTimes(fn, 'inputs', options.inputs);
  const C = checkPositiveInteger(fn, 'chains', options.chains ?? 32);
  const T = checkPositiveInteger(fn, 'trajectories', options.trajectories);
  if (T < 20) fail(fn, 'trajectories', 'at least 20 (autocorrelation times need a series)', T);
  const warmup = checkNonNegativeInteger(fn, 'warmup', options.warmup ?? Math.max(20, Math.floor(T / 4)));
  const seed = checkNonNegativeInteger(fn, 'seed', options.seed);
  const length = checkPositiveNumber(fn, 'trajectoryLength', options.trajectoryLength ?? Math.PI / 2);
  const target = checkPositiveNumber(fn, 'targetAcceptance', options.targetAcceptance ?? 0.8);
  if (target >= 1) fail(fn, 'targetAcceptance', 'below 1', target);
  const traced = checkNonNegativeInteger(fn, 'traceNeurons', options.traceNeurons ?? 0);
  if (traced > N) fail(fn, 'traceNeurons', `at most the width ${N}`, traced);

  const { tf } = tensors();
  await tensors().ensureBackend();
  const { nodes, weights } = bandLimitedRule(theory.box, 4 * theory.cutoff);
  const Q = nodes.length;
  const started = Date.now();
  const tNodes = tf.tensor3d(Float32Array.from(nodes), [1, Q, 1]);
  const tWeights = tf.tensor2d(Float32Array.from(weights), [1, Q]);
  const ampScale = Math.sqrt((2 * theory.cutoff) / Math.PI) / Math.sqrt(N);
  const m2 = theory.mass * theory.mass;

  // U per chain ([C]) from coordinates [C, N] each.
  const potential = (v: Tensors.tf.Tensor2D, z: Tensors.tf.Tensor2D, b: Tensors.tf.Tensor2D): Tensors.tf.Tensor1D =>
    tf.tidy(() => {
      const w = tf.mul(tf.erf(tf.mul(z, Math.SQRT1_2)), theory.cutoff) as Tensors.tf.Tensor2D;
      const A = tf.mul(tf.mul(v, ampScale), tf.rsqrt(tf.add(tf.square(w), m2)));
      const phase = tf.add(tf.mul(tf.expandDims(w, 1), tNodes), tf.expandDims(b, 1)); // [C, Q, N]
      const f = tf.squeeze(tf.matMul(tf.cos(phase), tf.expandDims(A, 2)), [2]); // [C, Q]
      const f2 = tf.square(f);
      const S4 = tf.sum(tf.mul(tf.square(f2), tWeights), 1);
      const prior = tf.mul(tf.add(tf.sum(tf.square(v), 1), tf.sum(tf.square(z), 1)), 0.5);
      return tf.add(prior, tf.mul(S4, lambda)) as Tensors.tf.Tensor1D;
    });
  const gradients = tf.grads((v: Tensors.tf.Tensor, z: Tensors.tf.Tensor, b: Tensors.tf.Tensor) => tf.sum(potential(v as Tensors.tf.Tensor2D, z as Tensors.tf.Tensor2D, b as Tensors.tf.Tensor2D)));
  const wrap = (b: Tensors.tf.Tensor): Tensors.tf.Tensor => tf.tidy(() => tf.sub(b, tf.mul(tf.round(tf.div(b, 2 * Math.PI)), 2 * Math.PI)));

  // Initial states from the prior, chain c from stream (seed, c).
  const rngs = Array.from({ length: C }, (_, c) => Rng.stream(seed, c));
  const init = (kind: 'normal' | 'phase'): Tensors.tf.Tensor2D => {
    const a = new Float32Array(C * N);
    for (let c = 0; c < C; c++) for (let i = 0; i < N; i++) a[c * N + i] = kind === 'normal' ? rngs[c].normal() : Math.PI * (2 * rngs[c].uniform() - 1);
    return tf.tensor2d(a, [C, N]);
  };
  let v = init('normal');
  let z = init('normal');
  let b = init('phase');
  let U = potential(v, z, b);

  let eps = Math.min(0.2, length / 4);
  let logEpsSum = 0;
  let logEpsCount = 0;
  const total = warmup + T;
  const n = inputs.length;
  const pairs = (n * (n + 1)) / 2;
  const series = Array.from({ length: pairs }, () => Array.from({ length: C }, () => new Float64Array(T)));
  const actionSeries = Array.from({ length: C }, () => new Float64Array(T));
  const trace: NeuronTrace | undefined = traced ? { W1: [], w: [], b: [] } : undefined;
  if (trace) for (let i = 0; i < traced; i++) for (const key of ['W1', 'w', 'b'] as const) trace[key].push(new Float64Array(C * T));
  let acceptSum = 0;
  const momenta = (): Float32Array => {
    const a = new Float32Array(C * N);
    for (let c = 0; c < C; c++) for (let i = 0; i < N; i++) a[c * N + i] = rngs[c].normal();
    return a;
  };
  const kinetic = (a: Tensors.tf.Tensor[]) => tf.tidy(() => tf.mul(tf.addN(a.map((x) => tf.sum(tf.square(x), 1))), 0.5));
  let steps = Math.ceil(length / eps);
  const bar = progressBar(`HMC (${C} chains, width ${N})`, total, 'trajectories', options.progress ?? true);
  try {
    for (let t = 0; t < total; t++) {
      const jitter = 0.9 + 0.2 * rngs[0].uniform();
      const step = eps * jitter;
      steps = Math.max(1, Math.ceil(length / eps));
      const pv0 = tf.tensor2d(momenta(), [C, N]);
      const pz0 = tf.tensor2d(momenta(), [C, N]);
      const pb0 = tf.tensor2d(momenta(), [C, N]);
      // Leapfrog.
      let [qv, qz, qb] = [v.clone(), z.clone(), b.clone()];
      let [pv, pz, pb] = [pv0.clone(), pz0.clone(), pb0.clone()];
      const kick = (h: number) => {
        const [gv, gz, gb] = gradients([qv, qz, qb]);
        const next = [tf.sub(pv, tf.mul(gv, h)), tf.sub(pz, tf.mul(gz, h)), tf.sub(pb, tf.mul(gb, h))];
        tf.dispose([gv, gz, gb, pv, pz, pb]);
        [pv, pz, pb] = next as Tensors.tf.Tensor2D[];
      };
      const drift = (h: number) => {
        const nv = tf.add(qv, tf.mul(pv, h));
        const nz = tf.add(qz, tf.mul(pz, h));
        const moved = tf.add(qb, tf.mul(pb, h));
        const nb = wrap(moved);
        tf.dispose([qv, qz, qb, moved]);
        [qv, qz, qb] = [nv, nz, nb] as Tensors.tf.Tensor2D[];
      };
      kick(step / 2);
      for (let s = 0; s < steps; s++) {
        drift(step);
        kick(s === steps - 1 ? step / 2 : step);
      }
      const U1 = potential(qv as Tensors.tf.Tensor2D, qz as Tensors.tf.Tensor2D, qb as Tensors.tf.Tensor2D);
      const K0 = kinetic([pv0, pz0, pb0]);
      const K1 = kinetic([pv, pz, pb]);
      const [u0, u1, k0, k1] = await Promise.all([U.data(), U1.data(), K0.data(), K1.data()]);
      const accept = new Float32Array(C);
      let accRate = 0;
      for (let c = 0; c < C; c++) {
        const dH = u1[c] + k1[c] - u0[c] - k0[c];
        const prob = Number.isFinite(dH) ? Math.min(1, Math.exp(-dH)) : 0;
        accRate += prob;
        accept[c] = rngs[c].uniform() < prob ? 1 : 0;
      }
      accRate /= C;
      const mask = tf.tensor2d(accept, [C, 1]);
      const maskB = tf.cast(mask, 'bool');
      const nv = tf.where(maskB, qv, v);
      const nz = tf.where(maskB, qz, z);
      const nb = tf.where(maskB, qb, b);
      const nU = tf.where(tf.squeeze(maskB, [1]), U1, U);
      tf.dispose([v, z, b, U, U1, K0, K1, qv, qz, qb, pv, pz, pb, pv0, pz0, pb0, mask, maskB]);
      [v, z, b] = [nv, nz, nb] as Tensors.tf.Tensor2D[];
      U = nU as Tensors.tf.Tensor1D;

      if (t < warmup) {
        // Robbins-Monro on log eps towards the target acceptance; the mean of the later half is kept.
        eps *= Math.exp((accRate - target) / Math.sqrt(t + 1));
        eps = Math.min(eps, length);
        if (t >= warmup / 2) {
          logEpsSum += Math.log(eps);
          logEpsCount++;
        }
        if (t === warmup - 1 && logEpsCount) eps = Math.exp(logEpsSum / logEpsCount);
      } else {
        acceptSum += accRate;
        const k = t - warmup;
        const [vh, zh, bh, uh] = await Promise.all([v.data(), z.data(), b.data(), U.data()]);
        for (let c = 0; c < C; c++) {
          const at = c * N;
          const fx = scalarNetOutput(vh.subarray(at, at + N), zh.subarray(at, at + N), bh.subarray(at, at + N), theory, inputs);
          let j = 0;
          for (let p = 0; p < n; p++) for (let q = p; q < n; q++) series[j++][c][k] = fx[p] * fx[q];
          let prior = 0;
          for (let i = 0; i < N; i++) prior += vh[at + i] * vh[at + i] + zh[at + i] * zh[at + i];
          actionSeries[c][k] = lambda > 0 ? (uh[c] - prior / 2) / lambda : NaN;
          if (trace) {
            for (let i = 0; i < traced; i++) {
              trace.W1[i][c * T + k] = vh[at + i] / Math.sqrt(N);
              trace.w[i][c * T + k] = theory.cutoff * erf64(zh[at + i] / Math.SQRT2);
              trace.b[i][c * T + k] = bh[at + i];
            }
          }
        }
      }
      bar.tick(1);
    }
  } finally {
    bar.done();
    tf.dispose([v, z, b, U, tNodes, tWeights]);
  }

  const G2 = inputs.map(() => new Array<number>(n).fill(0));
  const stdErr = inputs.map(() => new Array<number>(n).fill(0));
  const tauInt = inputs.map(() => new Array<number>(n).fill(0));
  const rHat = inputs.map(() => new Array<number>(n).fill(0));
  const warnings: string[] = [];
  let j = 0;
  for (let p = 0; p < n; p++) {
    for (let q = p; q < n; q++, j++) {
      const e = autocorrelation(series[j]);
      G2[p][q] = G2[q][p] = e.mean;
      stdErr[p][q] = stdErr[q][p] = e.stdErr;
      tauInt[p][q] = tauInt[q][p] = e.tauInt;
      rHat[p][q] = rHat[q][p] = e.rHat;
      if (!e.reliable) warnings.push(`HMC: the autocorrelation of f(${inputs[p]}) f(${inputs[q]}) did not settle (tau_int = ${e.tauInt.toFixed(1)} trajectories, window ${e.window}, ${T} kept): run longer`);
      if (e.rHat > 1.05) warnings.push(`HMC: chains disagree on f(${inputs[p]}) f(${inputs[q]}) (R-hat ${e.rHat.toFixed(3)} > 1.05): run longer or check for multimodality`);
    }
  }
  const acceptance = T ? acceptSum / T : NaN;
  if (acceptance < 0.5) warnings.push(`HMC: mean acceptance ${acceptance.toFixed(2)} is low (step ${eps.toPrecision(3)}); lengthen the warm-up`);
  const meanAction = lambda > 0 ? autocorrelation(actionSeries) : { mean: NaN, stdErr: NaN, tauInt: NaN, tauIntErr: NaN, window: 0, effectiveSamples: NaN, rHat: NaN, reliable: false };
  return {
    method: 'hmc',
    ...theory,
    width: N,
    coupling: lambda,
    inputs: inputs.slice(),
    chains: C,
    trajectories: T,
    warmup,
    seed,
    G2,
    stdErr,
    tauInt,
    rHat,
    meanAction,
    stepSize: eps,
    leapfrogSteps: steps,
    acceptance,
    seconds: (Date.now() - started) / 1000,
    warnings,
    ...(trace ? { trace } : {}),
  };
}
