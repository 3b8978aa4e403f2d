/**
 * Universal approximation beyond one dimension, and the other half of the lectures' remark after
 * eq. (22): a network that exists is not yet a network that training finds (TASI lectures section
 * 2.1, eqs. (21)-(24)).
 *
 * Two routes to a sigmoid network close to a continuous target f on a box:
 *
 * 1. Construction, in two dimensions (`bumpNet2D`). This one has TWO hidden layers, and it has to:
 *    a single hidden layer is a finite sum of ridge functions sigma(w . x + b), whose sharp features
 *    run along whole lines across the box, so the cell-by-cell staircase of the 1-D bump picture
 *    (bumps.ts), whose edges stop at the cell corners, is out of its reach unless f is a sum
 *    g(x) + h(y). Single-hidden-layer constructions in d >= 2 go through the Radon transform
 *    (Carroll and Dickinson 1989) or are non-constructive, as Cybenko's proof is (Hahn-Banach). Here
 *    the first layer holds steep steps in x and in y, the second turns a pair of them into the
 *    indicator of a quadrant, and the readout adds the quadrants with the mixed differences of f on
 *    the grid as weights (see `bumpNet2D`). The sup-norm error falls like 1/N as in one dimension.
 *
 * 2. Training, in one or two dimensions (`trainSigmoidNet`): single-hidden-layer nets of eq. (21)
 *    with the sigmoid of eq. (23) (the coordinate sum inside the sigmoid, as in eq. (24) and as
 *    bumps.ts reads eq. (21)), fitted by full-batch Adam on the MSE, one net per seed. This is the
 *    single-layer side: at a given width, how close does gradient training come to what the
 *    construction guarantees?
 *
 * Precision: constructions and every error are float64 on the host. Training runs in float32 on the
 * tensor backend (tfjs has no float64); the trained parameters are copied back and all errors and
 * losses are evaluated and summed in float64 on the host.
 *
 * Legend: N cells per side (construction) or width (trained nets), D input dimension (1 or 2),
 * S seeds, P training points, h = cell side.
 */
import { tf } from '../core/backend';
import { Rng } from '../core/random';
import { checkPositiveInteger, checkPositiveNumber, fail } from '../core/validate';
import { Estimate, estimateMean } from '../statistics/stats';
import { ACTIVATION_REGISTRY } from '../nets/activations';

// Hoisted: inside test runners' sandboxes a global lookup in a hot loop costs ~20x.
const { abs, exp, min, sqrt } = Math;

/** The logistic sigmoid of eq. (23), sigma(z) = 1 / (1 + e^-z), in float64, as the activation registry defines it. */
const sigmoid = ACTIVATION_REGISTRY.sigmoid.fn;

/** An axis-aligned rectangle [lo_x, hi_x] x [lo_y, hi_y]. */
export interface Box2D {
  readonly lo: readonly [number, number];
  readonly hi: readonly [number, number];
}

/**
 * The two-hidden-layer tower net of `bumpNet2D`, its parameters (float64) and its function.
 *
 *   layer 1 (2N units):  u_k = sigma(s (x - a_k)),  v_l = sigma(s (y - c_l)),   k, l = 0 .. N-1
 *   layer 2 (N^2 units): q_kl = sigma(gate (u_k + v_l) - 3 gate / 2)
 *   readout:             phi(x, y) = sum_kl w2_kl q_kl + b2
 */
export interface TowerNet2D {
  /** Cells per side. */
  readonly N: number;
  /** s, the steepness of the first layer's steps (per unit length). */
  readonly steepness: number;
  /** The second layer's weight: each gate sees one x-step and one y-step with this weight. */
  readonly gate: number;
  /**
   * First layer, 2N units: weights row-major [w_x, w_y] per unit (2N x 2) and biases. Units 0 .. N-1
   * are the x-steps (w = [s, 0], b = -s a_k), units N .. 2N-1 the y-steps (w = [0, s], b = -s c_l).
   */
  readonly w0: Float64Array;
  readonly b0: Float64Array;
  /**
   * Second layer, N^2 units, unit kN + l: weight `gate` on first-layer units k and N + l, 0 on all
   * others (stored by this rule rather than as a 2N x N^2 matrix), and the common bias b1 = -3 gate / 2.
   */
  readonly b1: number;
  /** Readout weights w2[kN + l] = Delta_kl (mixed differences of f on the grid) and bias b2 = 0. */
  readonly w2: Float64Array;
  readonly b2: number;
  /** Hidden units per layer: [2N, N^2]. */
  readonly hiddenUnits: readonly [number, number];
  /** phi(x, y) in float64. */
  readonly evaluate: (x: number, y: number) => number;
}

/** The largest gate: each factor exp(gate (3/4 - u)) of `bumpNet2D`'s evaluation stays finite and non-zero (exponents in [-125, 375]). */
const MAX_GATE = 500;

function checkBox(fn: string, box: unknown): Box2D {
  const pair = (v: unknown): v is [number, number] => Array.isArray(v) && v.length === 2 && v.every((c) => typeof c === 'number' && Number.isFinite(c));
  if (!box || typeof box !== 'object') fail(fn, 'box', 'an object { lo: [x, y], hi: [x, y] }', box);
  const b = box as Box2D;
  if (!pair(b.lo)) fail(fn, 'box.lo', 'two finite numbers [x, y]', b.lo);
  if (!pair(b.hi)) fail(fn, 'box.hi', 'two finite numbers [x, y]', b.hi);
  if (!(b.hi[0] > b.lo[0]) || !(b.hi[1] > b.lo[1])) fail(fn, 'box.hi', `above box.lo = [${b.lo.join(', ')}] in both coordinates`, b.hi);
  return b;
}

/**
 * The constructive approximation of a continuous 2-D target f on a box by a sigmoid network with two
 * hidden layers (TASI section 2.1: eqs. (21)-(24) carried to d = 2; why two layers, see the module
 * comment).
 *
 * Cut the box into N x N cells of sides h_x, h_y with centres m_kl and let F_kl = f(m_kl). The staircase
 * f_N = F on each cell is a sum of quadrant indicators,
 *   f_N(x, y) = sum_kl Delta_kl H(x - a_k) H(y - c_l),   Delta_kl = F_kl - F_{k-1,l} - F_{k,l-1} + F_{k-1,l-1}
 * (F = 0 for an index -1), with a_k, c_l the cells' lower edges; the lowest edges a_0, c_0 are moved
 * one cell out of the box, so that the box's lower boundary is not halved by a step sitting on it. The
 * net replaces each Heaviside step H by the steep sigmoid of eq. (24), sigma(s (x - a_k)) (first
 * layer), and the product of two steps, the quadrant, by a gate q = sigma(gate (u + v - 3/2)) that is
 * close to 1 where both steps are on and to 0 where either is off (second layer); Delta_kl are the
 * readout weights. Units: 2N + N^2.
 *
 * Error, for |df/dx| <= L_x, |df/dy| <= L_y on the box: the staircase is within (L_x h_x + L_y h_y) / 2
 * of f (each point is within half a cell of its centre, per coordinate). Near a cell edge the net
 * passes through the average of the two cells' values, near a corner through a weighted average of
 * the four, plus (q - u v) Delta_kl, where |Delta_kl| <= h_x h_y max|d2f/dxdy| for a C^2 target (the
 * gate differs from the product of the two soft steps by less than 1/2). The smoothing error far
 * from the edges decays like exp(-s h / 2) as in one dimension, but the gate sharpens each step further
 * (the composite step sigma(gate (sigma(s t) - 1/2)) has slope gate s / 16 at t = 0, gate / 4 = 10 times the
 * bare step's s / 4), so s h of about 1 already reaches the staircase. So the sup-norm error falls like 1/N.
 *
 * `steepness` s defaults to 20 / min(h_x, h_y); `gate` defaults to 40 (gate leakage e^-20 per unit).
 * Evaluation: q = 1 / (1 + e^{-gate (u - 3/4)} e^{-gate (v - 3/4)}), the same number as
 * sigma(gate (u + v) - 3 gate / 2) without an exp per gate (gate <= 500 keeps each factor finite).
 */
export function bumpNet2D(f: (x: number, y: number) => number, box: Box2D, N: number, steepness?: number, gate = 40): TowerNet2D {
  const fn = 'bumpNet2D';
  if (typeof f !== 'function') fail(fn, 'f', 'a function of two numbers', f);
  const { lo, hi } = checkBox(fn, box);
  checkPositiveInteger(fn, 'N', N);
  const hx = (hi[0] - lo[0]) / N;
  const hy = (hi[1] - lo[1]) / N;
  const s = steepness ?? 20 / min(hx, hy);
  if (typeof s !== 'number' || !Number.isFinite(s) || !(s > 0)) fail(fn, 'steepness', 'a finite positive number', steepness);
  if (typeof gate !== 'number' || !(gate > 0) || !(gate <= MAX_GATE)) fail(fn, 'gate', `a number in (0, ${MAX_GATE}]`, gate);

  const F = new Float64Array(N * N);
  for (let k = 0; k < N; k++) {
    for (let l = 0; l < N; l++) {
      const [x, y] = [lo[0] + (k + 0.5) * hx, lo[1] + (l + 0.5) * hy];
      const v = f(x, y);
      if (!Number.isFinite(v)) fail(fn, 'f', `finite on the box (f(${x}, ${y}) is not)`, v);
      F[k * N + l] = v;
    }
  }
  const at = (k: number, l: number) => (k < 0 || l < 0 ? 0 : F[k * N + l]);
  const w2 = new Float64Array(N * N);
  for (let k = 0; k < N; k++) for (let l = 0; l < N; l++) w2[k * N + l] = at(k, l) - at(k - 1, l) - at(k, l - 1) + at(k - 1, l - 1);

  const w0 = new Float64Array(4 * N);
  const b0 = new Float64Array(2 * N);
  for (let k = 0; k < N; k++) {
    const a = k === 0 ? lo[0] - hx : lo[0] + k * hx;
    const c = k === 0 ? lo[1] - hy : lo[1] + k * hy;
    w0[2 * k] = s;
    b0[k] = -s * a;
    w0[2 * (N + k) + 1] = s;
    b0[N + k] = -s * c;
  }
  const b1 = -1.5 * gate;
  const ex = new Float64Array(N);
  const ey = new Float64Array(N);
  const evaluate = (x: number, y: number) => {
    for (let k = 0; k < N; k++) {
      ex[k] = exp(-gate * (sigmoid(w0[2 * k] * x + w0[2 * k + 1] * y + b0[k]) - 0.75));
      ey[k] = exp(-gate * (sigmoid(w0[2 * (N + k)] * x + w0[2 * (N + k) + 1] * y + b0[N + k]) - 0.75));
    }
    let sum = 0;
    for (let k = 0; k < N; k++) {
      const e = ex[k];
      const row = k * N;
      for (let l = 0; l < N; l++) sum += w2[row + l] / (1 + e * ey[l]);
    }
    return sum;
  };
  return Object.freeze({ N, steepness: s, gate, w0, b0, b1, w2, b2: 0, hiddenUnits: Object.freeze([2 * N, N * N] as [number, number]), evaluate });
}

/**
 * max |f(x, y) - g(x, y)| over a grid of pointsPerSide x pointsPerSide points spanning the box
 * (edges included): the sup norm of eq. (22) on K = the box, sampled.
 */
export function supNormError2D(f: (x: number, y: number) => number, g: (x: number, y: number) => number, box: Box2D, pointsPerSide = 201): number {
  const fn = 'supNormError2D';
  const { lo, hi } = checkBox(fn, box);
  checkPositiveInteger(fn, 'pointsPerSide', pointsPerSide);
  const coord = (d: 0 | 1, p: number) => (pointsPerSide === 1 ? lo[d] : lo[d] + ((hi[d] - lo[d]) * p) / (pointsPerSide - 1));
  let worst = 0;
  for (let p = 0; p < pointsPerSide; p++) {
    const x = coord(0, p);
    for (let q = 0; q < pointsPerSide; q++) {
      const y = coord(1, q);
      const d = abs(f(x, y) - g(x, y));
      if (!(d <= worst)) worst = d; // a NaN propagates as the worst error
    }
  }
  return worst;
}

// ---------------------------------------------------------------------------------------------
// Training single-hidden-layer sigmoid nets

/** Options of `trainSigmoidNet`. */
export interface SigmoidTrainingOptions {
  /** The target: f(x) in one dimension, f(x, y) in two. */
  readonly target: (...x: number[]) => number;
  /** D, the input dimension. */
  readonly dim: 1 | 2;
  /** The box: lo and hi with D coordinates each. */
  readonly box: { readonly lo: readonly number[]; readonly hi: readonly number[] };
  /** N, the number of hidden units. */
  readonly width: number;
  /** One net per seed (non-negative integers; 0 is a seed); its initial parameters come from Rng.stream(seed, 0). */
  readonly seeds: readonly number[];
  /** Full-batch Adam steps. */
  readonly steps: number;
  /** Adam's step size on the inputs rescaled to [-1, 1]^D (default 0.01; beta1 0.9, beta2 0.999, eps 1e-8). */
  readonly learningRate?: number;
  /** Training points per side of an equally spaced grid (P = points^D). */
  readonly points: number;
  /** Test points per side of an equally spaced grid (default 1001 for D = 1, 101 for D = 2). */
  readonly testPoints?: number;
  /**
   * Initial first-layer weights on the rescaled inputs: w0 ~ N(0, initScale^2) per coordinate
   * (default 4, so a unit turns over within a quarter of the box).
   */
  readonly initScale?: number;
  /** Called after every step with the fraction done. */
  readonly onProgress?: (fraction: number) => void;
}

/** One trained net of eq. (21) (D = 1, 2), its parameters in the box's own coordinates (float64). */
export interface TrainedSigmoidNet {
  readonly seed: number;
  /** First layer: weights N x D row-major, biases N. */
  readonly w0: Float64Array;
  readonly b0: Float64Array;
  /** Readout weights N and bias. */
  readonly w1: Float64Array;
  readonly b1: number;
  /** phi(x) = sum_i w1_i sigma(w0_i . x + b0_i) + b1 (eqs. (21), (24)), in float64. */
  readonly evaluate: (...x: number[]) => number;
  /** MSE (1/P) sum (phi - f)^2 on the training grid before and after training (float64, host). */
  readonly initialMse: number;
  readonly trainMse: number;
  /** max |phi - f| and sqrt(mean (phi - f)^2) on the test grid (float64, host). */
  readonly testSupError: number;
  readonly testRmse: number;
  /** The training MSE at `SigmoidTraining.lossSteps` (float32 outputs, float64 sums). */
  readonly lossHistory: Float64Array;
}

/** The result of `trainSigmoidNet`: one trained net per seed. */
export interface SigmoidTraining {
  readonly dim: 1 | 2;
  readonly width: number;
  readonly steps: number;
  readonly learningRate: number;
  /** Training grid points (P) and test grid points. */
  readonly trainPoints: number;
  readonly testPoints: number;
  /** Steps at which the loss was recorded: 0, about every 1% of the steps, and the last. */
  readonly lossSteps: readonly number[];
  readonly runs: readonly TrainedSigmoidNet[];
}

/** Mean +- standard error over seeds of a `SigmoidTraining`'s final errors. */
export interface SigmoidTrainingSummary {
  readonly width: number;
  readonly seeds: number;
  readonly trainMse: Estimate;
  readonly testSupError: Estimate;
  readonly testRmse: Estimate;
}

/** The grid's points: points^D rows of D coordinates, x fastest-varying last. */
function gridPoints(lo: readonly number[], hi: readonly number[], perSide: number): number[][] {
  const axis = (d: number) => Array.from({ length: perSide }, (_, p) => (perSide === 1 ? (lo[d] + hi[d]) / 2 : lo[d] + ((hi[d] - lo[d]) * p) / (perSide - 1)));
  if (lo.length === 1) return axis(0).map((x) => [x]);
  const [xs, ys] = [axis(0), axis(1)];
  return xs.flatMap((x) => ys.map((y) => [x, y]));
}

/** float64 evaluation of a single-hidden-layer sigmoid net with parameters in box coordinates. */
function sigmoidNetFunction(D: number, w0: Float64Array, b0: Float64Array, w1: Float64Array, b1: number): (...x: number[]) => number {
  const N = w1.length;
  return (...x: number[]) => {
    let sum = b1;
    for (let i = 0; i < N; i++) {
      let z = b0[i];
      for (let d = 0; d < D; d++) z += w0[i * D + d] * x[d];
      sum += w1[i] * sigmoid(z);
    }
    return sum;
  };
}

/**
 * Train single-hidden-layer sigmoid nets, phi(x) = sum_i w1_i sigma(w0_i . x + b0_i) + b1 (eq. (21) with
 * the sigmoid of eq. (23), the coordinate sum inside as in eq. (24)), on f sampled on an equally
 * spaced grid of the box: full-batch Adam on the MSE (1/P) sum_alpha (phi(x_alpha) - f(x_alpha))^2, one
 * net per seed, all seeds trained together as one batched tfjs program (seeds do not interact: Adam is
 * elementwise and each seed's loss only involves its own parameters).
 *
 * Inputs are rescaled to z = (x - centre) / halfwidth in [-1, 1]^D for training. Initialisation, drawn
 * on the host from Rng.stream(seed, 0) in float64 and rounded to float32: w0_i ~ N(0, initScale^2) per
 * coordinate; each unit's turning point z = m_i uniform in the box, b0_i = -w0_i . m_i (the sigmoids
 * spread over the box); w1_i ~ N(0, 1/N); b1 = 0. The trained parameters come back through dataSync and
 * are mapped to the box's coordinates; errors are evaluated from them in float64 on the host.
 *
 * Needs an initialised tensor backend (`await ensureBackend()` first); every tensor it creates is
 * disposed before it returns.
 */
export function trainSigmoidNet(options: SigmoidTrainingOptions): SigmoidTraining {
  const fn = 'trainSigmoidNet';
  if (!options || typeof options !== 'object') fail(fn, 'options', 'an options object', options);
  const { target, dim: D } = options;
  if (typeof target !== 'function') fail(fn, 'target', 'a function', target);
  if (D !== 1 && D !== 2) fail(fn, 'dim', '1 or 2', D);
  const box = options.box;
  const coords = (v: unknown): v is number[] => Array.isArray(v) && v.length === D && v.every((c) => typeof c === 'number' && Number.isFinite(c));
  if (!box || typeof box !== 'object') fail(fn, 'box', 'an object { lo, hi }', box);
  if (!coords(box.lo)) fail(fn, 'box.lo', `${D} finite number(s)`, box.lo);
  if (!coords(box.hi)) fail(fn, 'box.hi', `${D} finite number(s)`, box.hi);
  if (box.lo.some((l, d) => !(box.hi[d] > l))) fail(fn, 'box.hi', `above box.lo = [${box.lo.join(', ')}] in every coordinate`, box.hi);
  const N = checkPositiveInteger(fn, 'width', options.width);
  const seeds = options.seeds;
  if (!Array.isArray(seeds) || seeds.length === 0 || seeds.some((s) => typeof s !== 'number' || !Number.isSafeInteger(s) || s < 0)) fail(fn, 'seeds', 'a non-empty array of non-negative integers', seeds);
  if (new Set(seeds).size !== seeds.length) fail(fn, 'seeds', 'distinct', seeds);
  const steps = options.steps;
  if (typeof steps !== 'number' || !Number.isSafeInteger(steps) || steps < 0) fail(fn, 'steps', 'a non-negative integer', steps);
  const lr = options.learningRate === undefined ? 0.01 : checkPositiveNumber(fn, 'learningRate', options.learningRate);
  const perSide = checkPositiveInteger(fn, 'points', options.points);
  const testPerSide = options.testPoints === undefined ? (D === 1 ? 1001 : 101) : checkPositiveInteger(fn, 'testPoints', options.testPoints);
  const initScale = options.initScale === undefined ? 4 : checkPositiveNumber(fn, 'initScale', options.initScale);
  const S = seeds.length;

  const centre = box.lo.map((l, d) => (l + box.hi[d]) / 2);
  const half = box.lo.map((l, d) => (box.hi[d] - l) / 2);
  const xTrain = gridPoints(box.lo, box.hi, perSide);
  const P = xTrain.length;
  const yTrain = Float64Array.from(xTrain, (x) => {
    const v = target(...x);
    if (!Number.isFinite(v)) fail(fn, 'target', `finite on the box (f(${x.join(', ')}) is not)`, v);
    return v;
  });

  // Initial parameters on the host, in rescaled coordinates, float32-rounded (what the tensors hold).
  const init = { w0: new Float32Array(S * D * N), b0: new Float32Array(S * N), w1: new Float32Array(S * N) };
  seeds.forEach((seed, e) => {
    const rng = Rng.stream(seed, 0);
    for (let i = 0; i < N; i++) {
      let b = 0;
      for (let d = 0; d < D; d++) {
        const w = initScale * rng.normal();
        const m = 2 * rng.uniform() - 1;
        init.w0[e * D * N + d * N + i] = w; // [S, D, N]
        b -= w * m;
      }
      init.b0[e * N + i] = b;
      init.w1[e * N + i] = rng.normal() / Math.sqrt(N);
    }
  });

  // Host float64 view of one seed's parameters (rescaled coordinates, layout [S, D, N]) in box coordinates.
  const netOf = (e: number, w0s: ArrayLike<number>, b0s: ArrayLike<number>, w1s: ArrayLike<number>, b1s: ArrayLike<number>) => {
    const w0 = new Float64Array(N * D);
    const b0 = new Float64Array(N);
    const w1 = new Float64Array(N);
    for (let i = 0; i < N; i++) {
      let b = b0s[e * N + i];
      for (let d = 0; d < D; d++) {
        const w = w0s[e * D * N + d * N + i];
        w0[i * D + d] = w / half[d];
        b -= (w * centre[d]) / half[d];
      }
      b0[i] = b;
      w1[i] = w1s[e * N + i];
    }
    return { w0, b0, w1, b1: b1s[e] };
  };
  const mse = (phi: (...x: number[]) => number) => {
    let sum = 0;
    for (let p = 0; p < P; p++) sum += (phi(...xTrain[p]) - yTrain[p]) ** 2;
    return sum / P;
  };

  const every = Math.max(1, Math.floor(steps / 100));
  const lossSteps: number[] = [];
  for (let t = 0; t < steps; t += every) lossSteps.push(t);
  lossSteps.push(steps);
  const history = seeds.map(() => new Float64Array(lossSteps.length));

  const Z = tf.tidy(() => tf.tile(tf.tensor3d(Float32Array.from(xTrain.flatMap((x) => x.map((c, d) => (c - centre[d]) / half[d]))), [1, P, D]), [S, 1, 1]));
  const Y = tf.tensor3d(Float32Array.from(yTrain), [1, P, 1]);
  let params: tf.Tensor[] = [tf.tensor3d(init.w0, [S, D, N]), tf.tensor3d(init.b0, [S, 1, N]), tf.tensor3d(init.w1, [S, N, 1]), tf.zeros([S, 1, 1])];
  let m: tf.Tensor[] = params.map((p) => tf.zerosLike(p));
  let v: tf.Tensor[] = params.map((p) => tf.zerosLike(p));
  const forward = (w0: tf.Tensor, b0: tf.Tensor, w1: tf.Tensor, b1: tf.Tensor) => tf.add(tf.matMul(tf.sigmoid(tf.add(tf.matMul(Z as tf.Tensor3D, w0 as tf.Tensor3D), b0)) as tf.Tensor3D, w1 as tf.Tensor3D), b1);
  // Sum over seeds of each seed's own MSE: the gradient of seed e's parameters is that of its own loss.
  const gradients = tf.grads((w0: tf.Tensor, b0: tf.Tensor, w1: tf.Tensor, b1: tf.Tensor) => tf.mul(tf.sum(tf.square(tf.sub(forward(w0, b0, w1, b1), Y))), 1 / P) as tf.Scalar);
  const record = (slot: number) => {
    const out = tf.tidy(() => forward(params[0], params[1], params[2], params[3]));
    const phi = out.dataSync();
    out.dispose();
    for (let e = 0; e < S; e++) {
      let sum = 0;
      for (let p = 0; p < P; p++) sum += (phi[e * P + p] - yTrain[p]) ** 2;
      history[e][slot] = sum / P;
    }
  };
  const [beta1, beta2, eps] = [0.9, 0.999, 1e-8];
  try {
    let slot = 0;
    if (lossSteps[slot] === 0) record(slot++);
    for (let t = 1; t <= steps; t++) {
      const stepSize = (lr * Math.sqrt(1 - beta2 ** t)) / (1 - beta1 ** t);
      const next = tf.tidy(() => {
        const g = gradients(params);
        const m2 = g.map((gk, k) => tf.add(tf.mul(m[k], beta1), tf.mul(gk, 1 - beta1)));
        const v2 = g.map((gk, k) => tf.add(tf.mul(v[k], beta2), tf.mul(tf.square(gk), 1 - beta2)));
        const p2 = params.map((pk, k) => tf.sub(pk, tf.mul(tf.div(m2[k], tf.add(tf.sqrt(v2[k]), eps)), stepSize)));
        return [...p2, ...m2, ...v2];
      });
      [...params, ...m, ...v].forEach((x) => x.dispose());
      params = next.slice(0, 4);
      m = next.slice(4, 8);
      v = next.slice(8, 12);
      if (t === lossSteps[slot]) record(slot++);
      options.onProgress?.(t / steps);
    }
    const [w0s, b0s, w1s, b1s] = params.map((p) => p.dataSync());
    const tests = gridPoints(box.lo, box.hi, testPerSide);
    const fTest = tests.map((x) => target(...x));
    const runs = seeds.map((seed, e): TrainedSigmoidNet => {
      const start = netOf(e, init.w0, init.b0, init.w1, new Float64Array(S));
      const end = netOf(e, w0s, b0s, w1s, b1s);
      const evaluate = sigmoidNetFunction(D, end.w0, end.b0, end.w1, end.b1);
      let sup = 0;
      let sq = 0;
      tests.forEach((x, p) => {
        const d = abs(evaluate(...x) - fTest[p]);
        if (!(d <= sup)) sup = d;
        sq += d * d;
      });
      return Object.freeze({
        seed,
        ...end,
        evaluate,
        initialMse: mse(sigmoidNetFunction(D, start.w0, start.b0, start.w1, start.b1)),
        trainMse: mse(evaluate),
        testSupError: sup,
        testRmse: sqrt(sq / tests.length),
        lossHistory: history[e],
      });
    });
    return Object.freeze({ dim: D, width: N, steps, learningRate: lr, trainPoints: P, testPoints: tests.length, lossSteps: Object.freeze(lossSteps), runs: Object.freeze(runs) });
  } finally {
    [Z, Y, ...params, ...m, ...v].forEach((x) => x.dispose());
  }
}

/** Mean +- standard error over the seeds of the final training MSE, test sup-norm error and test RMSE. */
export function trainingSummary(training: SigmoidTraining): SigmoidTrainingSummary {
  const runs = training.runs;
  return Object.freeze({
    width: training.width,
    seeds: runs.length,
    trainMse: estimateMean(runs.map((r) => r.trainMse)),
    testSupError: estimateMean(runs.map((r) => r.testSupError)),
    testRmse: estimateMean(runs.map((r) => r.testRmse)),
  });
}
