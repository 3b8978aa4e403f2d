/**
 * Kolmogorov-Arnold networks on a tfjs backend (wasm, cpu, or CUDA through tfjs-node-gpu): the same
 * network as kan.ts (lecture section 2, eq. (25); one description, `Kan`, read by both routes), its
 * spline edges evaluated as batched tensors, trained by Adam on mini-batches streamed from the host.
 *
 * Per layer, the B-spline basis of every input at a batch of samples is built by the Cox-de Boor
 * recursion as tensors [batch, n_in, G + k] (knot differences precomputed on the host), the splines are
 * one batched product with the coefficients [n_in, G + k, n_out], and
 *   y_j = sum_i m_ij [w_b,ij silu(x_i) + w_s,ij spline_ij(x_i)],
 * gradients by tfjs autodiff. tfjs computes in float32: this route is for large data sets and GPUs
 * (memory O(batch n_in (G + k + n_out)) whatever the data size); the parameters are copied back into the
 * float64 `Kan` after training, where L-BFGS can polish them and where least squares (grid updates,
 * refinement) always run. Snapped (symbolic) edges are not supported here: snap after training.
 */
import { tf } from '../core/backend';
import { Rng } from '../core/random';
import { checkNonNegativeInteger, checkPositiveInteger, checkPositiveNumber, fail } from '../core/validate';
import { Kan, KanData, KanHistoryRow, kanRows, miniBatches } from './kan';

/** Options of `fitKanTf`. */
export interface KanTfOptions {
  steps: number;
  /** Rows per mini-batch (default 1024). */
  batch?: number;
  /** Adam learning rate (default 1e-2). */
  lr?: number;
  seed?: number;
  /** Grid updates (host, float64) every this many steps before stopGridUpdate (default 0: none). */
  gridEvery?: number;
  stopGridUpdate?: number;
  test?: KanData;
  /** Record the history every this many steps (default: steps / 50). */
  recordEvery?: number;
  onStep?: (step: number, steps: number) => void;
}

interface TfLayer {
  readonly coef: tf.Variable;
  readonly base: tf.Variable;
  readonly spline: tf.Variable;
  readonly mask: tf.Tensor2D;
  readonly lower: tf.Tensor2D;
  readonly upper: tf.Tensor2D;
  /** per recursion level p = 1..k: 1 / (t_{i+p} - t_i) and 1 / (t_{i+p+1} - t_{i+1}) */
  readonly invLeft: tf.Tensor2D[];
  readonly invRight: tf.Tensor2D[];
  readonly knots: tf.Tensor2D;
}

function checkSplineOnly(model: Kan, fn: string): void {
  model.symbolic.forEach((s, l) => s.forEach((name, e) => {
    if (name !== null) fail(fn, 'model', `a network without snapped edges (edge ${e} of layer ${l} is '${name}'); train before snapping`, name);
  }));
}

/** A variable initialised from a tensor that is then released (tf.variable keeps its own copy). */
function variableOf(init: tf.Tensor): tf.Variable {
  const v = tf.variable(init);
  init.dispose();
  return v;
}

/** Uploads the model's layers (parameters as variables, grids as constants). */
function upload(model: Kan): TfLayer[] {
  const k = model.order;
  return model.grids.map((grids, l) => {
    const { nIn, nOut, size, coef, base, spline } = model.layerLayout(l);
    const E = nIn * nOut;
    const nk = grids[0].knots.length;
    const knots = new Float32Array(nIn * nk);
    grids.forEach((g, i) => knots.set(g.knots, i * nk));
    // coef [nIn, size, nOut] from theta's [edge = i*nOut + j][m]
    const c = new Float32Array(nIn * size * nOut);
    for (let i = 0; i < nIn; i++) for (let j = 0; j < nOut; j++) for (let m = 0; m < size; m++) c[(i * size + m) * nOut + j] = model.theta[coef + (i * nOut + j) * size + m];
    const inv = (p: number, shift: number) => {
      const w = nk - 1 - p;
      const out = new Float32Array(nIn * w);
      grids.forEach((g, i) => { for (let q = 0; q < w; q++) out[i * w + q] = 1 / (g.knots[q + shift + p] - g.knots[q + shift]); });
      return tf.tensor2d(out, [nIn, w]);
    };
    return {
      coef: variableOf(tf.tensor3d(c, [nIn, size, nOut])),
      base: variableOf(tf.tensor2d(Float32Array.from(model.theta.subarray(base, base + E)), [nIn, nOut])),
      spline: variableOf(tf.tensor2d(Float32Array.from(model.theta.subarray(spline, spline + E)), [nIn, nOut])),
      mask: tf.tensor2d(Float32Array.from(model.masks[l]), [nIn, nOut]),
      knots: tf.tensor2d(knots, [nIn, nk]),
      lower: tf.tensor2d(knots.filter((_, q) => q % nk !== nk - 1), [nIn, nk - 1]),
      upper: tf.tensor2d(knots.filter((_, q) => q % nk !== 0), [nIn, nk - 1]),
      invLeft: Array.from({ length: k }, (_, p) => inv(p + 1, 0)),
      invRight: Array.from({ length: k }, (_, p) => inv(p + 1, 1)),
    } as TfLayer;
  });
}

/** Copies trained variables back into the float64 model. */
function download(model: Kan, layers: TfLayer[]): void {
  layers.forEach((t, l) => {
    const { nIn, nOut, size, coef, base, spline } = model.layerLayout(l);
    const c = t.coef.dataSync();
    for (let i = 0; i < nIn; i++) for (let j = 0; j < nOut; j++) for (let m = 0; m < size; m++) model.theta[coef + (i * nOut + j) * size + m] = c[(i * size + m) * nOut + j];
    model.theta.set(t.base.dataSync(), base);
    model.theta.set(t.spline.dataSync(), spline);
  });
}

function disposeLayers(layers: TfLayer[]): void {
  for (const t of layers) {
    tf.dispose([t.coef, t.base, t.spline, t.mask, t.knots, t.lower, t.upper, ...t.invLeft, ...t.invRight]);
  }
}

/** Cox-de Boor basis [batch, nIn, G + k] at x [batch, nIn]. */
function basisTf(x: tf.Tensor2D, t: TfLayer, k: number): tf.Tensor3D {
  const [batch, nIn] = x.shape;
  const nk = t.knots.shape[1];
  const x3 = x.reshape([batch, nIn, 1]);
  // the order-0 indicators t_q <= x < t_{q+1}: piecewise constant in x, so their gradient is zero
  const indicator = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const xi = args[0] as tf.Tensor;
    return { value: tf.logicalAnd(tf.greaterEqual(xi, t.lower), tf.less(xi, t.upper)).toFloat(), gradFunc: () => tf.zerosLike(xi) };
  });
  let B = indicator(x3) as tf.Tensor3D;
  for (let p = 1; p <= k; p++) {
    const w = nk - 1 - p;
    const tl = tf.slice(t.knots, [0, 0], [nIn, w]);
    const tr = tf.slice(t.knots, [0, p + 1], [nIn, w]);
    const left = tf.mul(tf.mul(tf.sub(x3, tl), t.invLeft[p - 1]), tf.slice(B, [0, 0, 0], [batch, nIn, w]));
    const right = tf.mul(tf.mul(tf.sub(tr, x3), t.invRight[p - 1]), tf.slice(B, [0, 0, 1], [batch, nIn, w]));
    B = tf.add(left, right) as tf.Tensor3D;
  }
  return B;
}

/** Network outputs [batch, n_L] on the uploaded layers. */
function forwardTf(layers: TfLayer[], x: tf.Tensor2D, k: number): tf.Tensor2D {
  let act = x;
  for (const t of layers) {
    const [batch, nIn] = act.shape;
    const B = basisTf(act, t, k); // [batch, nIn, size]
    const spl = tf.matMul(tf.transpose(B, [1, 0, 2]), t.coef); // [nIn, batch, nOut]
    const si = tf.transpose(tf.mul(act, tf.sigmoid(act))).reshape([nIn, batch, 1]);
    const phi = tf.mul(tf.add(tf.mul(si, t.base.reshape([nIn, 1, -1])), tf.mul(spl, t.spline.reshape([nIn, 1, -1]))), t.mask.reshape([nIn, 1, -1]));
    act = tf.sum(phi, 0) as tf.Tensor2D;
  }
  return act;
}

/** The network's outputs at the rows of x, computed on the tfjs backend (float32). */
export function kanForwardTf(model: Kan, points: readonly (readonly number[])[]): number[][] {
  checkSplineOnly(model, 'kanForwardTf');
  const n0 = model.width[0], nL = model.width[model.width.length - 1];
  const x = kanRows(points, n0);
  const layers = upload(model);
  try {
    const y = tf.tidy(() => forwardTf(layers, tf.tensor2d(Float32Array.from(x), [points.length, n0]), model.order).dataSync());
    return points.map((_, b) => Array.from(y.subarray(b * nL, (b + 1) * nL)));
  } finally {
    disposeLayers(layers);
  }
}

/**
 * Adam on mini-batches on the tfjs backend (see the module comment); the model's parameters are
 * updated in place. The history's RMSEs are float64 evaluations of the model (host) at recorded steps.
 */
export function fitKanTf(model: Kan, data: KanData, options: KanTfOptions): KanHistoryRow[] {
  const fn = 'fitKanTf';
  checkSplineOnly(model, fn);
  const steps = checkNonNegativeInteger(fn, 'steps', options.steps);
  const n0 = model.width[0], nL = model.width[model.width.length - 1];
  const X = kanRows(data.x, n0), Y = kanRows(data.y, nL);
  const rows = data.x.length;
  if (data.y.length !== rows) fail(fn, 'data.y.length', `data.x.length = ${rows}`, data.y.length);
  const batch = Math.min(rows, checkPositiveInteger(fn, 'batch', options.batch ?? 1024));
  const lr = checkPositiveNumber(fn, 'lr', options.lr ?? 1e-2);
  const gridEvery = checkNonNegativeInteger(fn, 'gridEvery', options.gridEvery ?? 0);
  const stopGrid = checkNonNegativeInteger(fn, 'stopGridUpdate', options.stopGridUpdate ?? 0);
  const recordEvery = checkPositiveInteger(fn, 'recordEvery', options.recordEvery ?? Math.max(1, Math.floor(steps / 50)));
  const test = options.test ? { x: kanRows(options.test.x, n0), y: kanRows(options.test.y, nL), rows: options.test.x.length } : null;
  const nextBatch = miniBatches(X, Y, rows, n0, nL, batch, Rng.stream(checkNonNegativeInteger(fn, 'seed', options.seed ?? 0), 2));
  const bx = new Float32Array(batch * n0), by = new Float32Array(batch * nL);
  const history: KanHistoryRow[] = [];
  let layers = upload(model);
  let opt = tf.train.adam(lr);
  try {
    for (let step = 0; step < steps; step++) {
      if (gridEvery > 0 && step % gridEvery === 0 && step < stopGrid) {
        download(model, layers);
        model.updateGrid(X.subarray(0, Math.min(rows, 20000) * n0), Math.min(rows, 20000));
        disposeLayers(layers);
        opt.dispose();
        layers = upload(model);
        opt = tf.train.adam(lr);
      }
      nextBatch(bx, by);
      const vars = layers.flatMap((t) => [t.coef, t.base, t.spline]);
      tf.tidy(() => {
        const xt = tf.tensor2d(bx, [batch, n0]), yt = tf.tensor2d(by, [batch, nL]);
        opt.minimize(() => tf.mean(tf.square(tf.sub(forwardTf(layers, xt, model.order), yt))) as tf.Scalar, false, vars);
      });
      if ((step + 1) % recordEvery === 0 || step + 1 === steps) {
        download(model, layers);
        history.push({ step: step + 1, trainRmse: model.rmseFlat(X, Y, rows), testRmse: test ? model.rmseFlat(test.x, test.y, test.rows) : undefined, regularisation: 0 });
      }
      options.onStep?.(step + 1, steps);
    }
    download(model, layers);
  } finally {
    disposeLayers(layers);
    opt.dispose();
  }
  return history;
}
