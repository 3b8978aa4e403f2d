/**
 * Float64 optimisers on the host for small models whose loss and gradient come from one function
 * (Kolmogorov-Arnold networks, lecture section 2): L-BFGS with a strong-Wolfe line search, and Adam.
 *
 * L-BFGS follows the algorithm of PyTorch's `torch.optim.LBFGS` (and pykan's copy of it) step by step,
 * so that "one step" means the same amount of work in both: a step runs up to `maxIter` quasi-Newton
 * iterations (default 20) and at most `maxEval` loss evaluations (default 25 = maxIter * 5 / 4), the
 * inverse Hessian is the two-loop recursion over the last `historySize` (s, y) pairs (Nocedal & Wright,
 * Algorithm 7.4) with the initial scaling gamma = s.y / y.y, and the step length comes from the strong
 * Wolfe conditions (c1 = 1e-4, c2 = 0.9) by bracketing and cubic interpolation (Nocedal & Wright,
 * Algorithms 3.5-3.6). The history survives between steps, as in PyTorch. Unlike PyTorch, a trial
 * step whose loss overflows is shortened tenfold until it is finite, and a step that still ends on a
 * non-finite loss is undone (parameters restored, history cleared).
 */
import { checkPositiveInteger, checkPositiveNumber } from './validate';

/** Loss and gradient at theta: writes d loss / d theta into `grad` and returns the loss. */
export type Objective = (theta: Float64Array, grad: Float64Array) => number;

/** Options of `Lbfgs`; the defaults are PyTorch's with pykan's tolerances (1e-32: no early stop). */
export interface LbfgsOptions {
  /** Step-length scale lr (default 1). */
  lr?: number;
  maxIter?: number;
  maxEval?: number;
  historySize?: number;
  toleranceGrad?: number;
  toleranceChange?: number;
  /** Pairs with s.y at or below this are not stored (pykan's tolerance_ys). */
  toleranceYs?: number;
}

const dot = (a: Float64Array, b: Float64Array): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};
const maxAbs = (a: Float64Array): number => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
};

/** Minimiser of the cubic through (x1, f1, g1), (x2, f2, g2), clamped to bounds (PyTorch's _cubic_interpolate). */
function cubicInterpolate(x1: number, f1: number, g1: number, x2: number, f2: number, g2: number, bounds?: [number, number]): number {
  const [lo, hi] = bounds ?? (x1 <= x2 ? [x1, x2] : [x2, x1]);
  const d1 = g1 + g2 - (3 * (f1 - f2)) / (x1 - x2);
  const d2sq = d1 * d1 - g1 * g2;
  if (d2sq >= 0) {
    const d2 = Math.sqrt(d2sq);
    const m = x1 <= x2 ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2)) : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
    return Math.min(Math.max(m, lo), hi);
  }
  return (lo + hi) / 2;
}

/**
 * L-BFGS over a parameter vector updated in place. `step()` is one PyTorch optimiser step (see the
 * module comment) and returns the loss before it; `evaluations` counts loss evaluations so far.
 */
export class Lbfgs {
  private readonly opts: Required<LbfgsOptions>;
  private readonly n: number;
  private readonly g: Float64Array;
  private readonly gNew: Float64Array;
  private readonly xInit: Float64Array;
  private dirs: Float64Array[] = [];
  private steps: Float64Array[] = [];
  private ro: number[] = [];
  private d: Float64Array;
  private t = 0;
  private hDiag = 1;
  private prevGrad: Float64Array;
  private iterations = 0;
  evaluations = 0;

  constructor(readonly theta: Float64Array, readonly objective: Objective, options: LbfgsOptions = {}) {
    const maxIter = checkPositiveInteger('Lbfgs', 'options.maxIter', options.maxIter ?? 20);
    this.opts = {
      lr: checkPositiveNumber('Lbfgs', 'options.lr', options.lr ?? 1),
      maxIter,
      maxEval: checkPositiveInteger('Lbfgs', 'options.maxEval', options.maxEval ?? Math.floor((maxIter * 5) / 4)),
      historySize: checkPositiveInteger('Lbfgs', 'options.historySize', options.historySize ?? 10),
      toleranceGrad: options.toleranceGrad ?? 1e-32,
      toleranceChange: options.toleranceChange ?? 1e-32,
      toleranceYs: options.toleranceYs ?? 1e-32,
    };
    this.n = theta.length;
    this.g = new Float64Array(this.n);
    this.gNew = new Float64Array(this.n);
    this.xInit = new Float64Array(this.n);
    this.d = new Float64Array(this.n);
    this.prevGrad = new Float64Array(this.n);
  }

  /** Forgets the curvature history (after the parameters were changed from outside, e.g. a new grid). */
  reset(): void {
    this.dirs = [];
    this.steps = [];
    this.ro = [];
    this.iterations = 0;
  }

  private evaluate(grad: Float64Array): number {
    this.evaluations++;
    return this.objective(this.theta, grad);
  }

  /** loss and gradient at xInit + t d, parameters restored to xInit afterwards. */
  private directional(t: number, grad: Float64Array): number {
    const { theta, xInit, d } = this;
    for (let i = 0; i < this.n; i++) theta[i] = xInit[i] + t * d[i];
    const f = this.evaluate(grad);
    theta.set(xInit);
    return f;
  }

  step(): number {
    const { opts, g, n } = this;
    const start = Float64Array.from(this.theta);
    const orig = this.evaluate(g);
    let loss = orig;
    let evals = 1;
    if (!Number.isFinite(loss) || maxAbs(g) <= opts.toleranceGrad) return orig;
    for (let it = 0; it < opts.maxIter; it++) {
      this.iterations++;
      if (this.iterations === 1) {
        for (let i = 0; i < n; i++) this.d[i] = -g[i];
        this.dirs = [];
        this.steps = [];
        this.ro = [];
        this.hDiag = 1;
      } else {
        const y = new Float64Array(n);
        const s = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          y[i] = g[i] - this.prevGrad[i];
          s[i] = this.d[i] * this.t;
        }
        const ys = dot(y, s);
        if (ys > opts.toleranceYs) {
          if (this.dirs.length === opts.historySize) {
            this.dirs.shift();
            this.steps.shift();
            this.ro.shift();
          }
          this.dirs.push(y);
          this.steps.push(s);
          this.ro.push(1 / ys);
          this.hDiag = ys / dot(y, y);
        }
        // two-loop recursion: d = -H g
        const m = this.dirs.length;
        const al = new Float64Array(m);
        const q = this.d;
        for (let i = 0; i < n; i++) q[i] = -g[i];
        for (let k = m - 1; k >= 0; k--) {
          al[k] = dot(this.steps[k], q) * this.ro[k];
          const dk = this.dirs[k];
          for (let i = 0; i < n; i++) q[i] -= al[k] * dk[i];
        }
        for (let i = 0; i < n; i++) q[i] *= this.hDiag;
        for (let k = 0; k < m; k++) {
          const be = dot(this.dirs[k], q) * this.ro[k];
          const sk = this.steps[k];
          for (let i = 0; i < n; i++) q[i] += sk[i] * (al[k] - be);
        }
      }
      this.prevGrad.set(g);
      const prevLoss = loss;
      if (this.iterations === 1) {
        let l1 = 0;
        for (let i = 0; i < n; i++) l1 += Math.abs(g[i]);
        this.t = Math.min(1, 1 / l1) * opts.lr;
      } else this.t = opts.lr;
      const gtd = dot(g, this.d);
      if (!(gtd <= -opts.toleranceChange)) break;
      this.xInit.set(this.theta);
      const ls = this.strongWolfe(this.t, loss, gtd);
      loss = ls.f;
      this.t = ls.t;
      for (let i = 0; i < n; i++) this.theta[i] = this.xInit[i] + this.t * this.d[i];
      g.set(ls.g);
      evals += ls.evals;
      if (!Number.isFinite(loss)) break;
      if (it === opts.maxIter - 1 || evals >= opts.maxEval) break;
      if (maxAbs(g) <= opts.toleranceGrad) break;
      if (maxAbs(this.d) * Math.abs(this.t) <= opts.toleranceChange) break;
      if (Math.abs(loss - prevLoss) < opts.toleranceChange) break;
    }
    if (!Number.isFinite(loss) || this.theta.some((v) => !Number.isFinite(v))) {
      // no finite point was found along the last direction: back to where the step began
      this.theta.set(start);
      this.reset();
    }
    return orig;
  }

  /** PyTorch's _strong_wolfe from xInit along d, starting at step t; f, gtd at t = 0 (gradient in this.g). */
  private strongWolfe(t: number, f: number, gtd: number, c1 = 1e-4, c2 = 0.9, tolChange = 1e-9, maxLs = 25): { f: number; g: Float64Array; t: number; evals: number } {
    const dNorm = maxAbs(this.d);
    const g0 = Float64Array.from(this.g);
    let gNew = new Float64Array(this.n);
    let fNew = this.directional(t, gNew);
    let evals = 1;
    // a step into overflow (exp of a large argument) is shortened until the loss is finite again
    while (!Number.isFinite(fNew) && evals < maxLs) {
      t *= 0.1;
      fNew = this.directional(t, gNew);
      evals++;
    }
    let gtdNew = dot(gNew, this.d);
    let tPrev = 0, fPrev = f, gPrev = g0, gtdPrev = gtd;
    let done = false;
    let lsIter = 0;
    let bracket: number[] = [], bf: number[] = [], bg: Float64Array[] = [], bgtd: number[] = [];
    while (lsIter < maxLs) {
      if (fNew > f + c1 * t * gtd || (lsIter > 1 && fNew >= fPrev) || !Number.isFinite(fNew)) {
        bracket = [tPrev, t]; bf = [fPrev, fNew]; bg = [gPrev, Float64Array.from(gNew)]; bgtd = [gtdPrev, gtdNew];
        break;
      }
      if (Math.abs(gtdNew) <= -c2 * gtd) {
        bracket = [t]; bf = [fNew]; bg = [gNew]; done = true;
        break;
      }
      if (gtdNew >= 0) {
        bracket = [tPrev, t]; bf = [fPrev, fNew]; bg = [gPrev, Float64Array.from(gNew)]; bgtd = [gtdPrev, gtdNew];
        break;
      }
      const minStep = t + 0.01 * (t - tPrev);
      const maxStep = t * 10;
      const tmp = t;
      t = cubicInterpolate(tPrev, fPrev, gtdPrev, t, fNew, gtdNew, [minStep, maxStep]);
      tPrev = tmp; fPrev = fNew; gPrev = Float64Array.from(gNew); gtdPrev = gtdNew;
      gNew = new Float64Array(this.n);
      fNew = this.directional(t, gNew);
      evals++;
      gtdNew = dot(gNew, this.d);
      lsIter++;
    }
    if (lsIter === maxLs) {
      bracket = [0, t]; bf = [f, fNew]; bg = [g0, gNew]; bgtd = [gtd, gtdNew];
    }
    let insufficient = false;
    let [low, high] = bf[0] <= bf[bf.length - 1] ? [0, 1] : [1, 0];
    while (!done && lsIter < maxLs) {
      if (Math.abs(bracket[1] - bracket[0]) * dNorm < tolChange) break;
      t = cubicInterpolate(bracket[0], bf[0], bgtd[0], bracket[1], bf[1], bgtd[1]);
      const bMax = Math.max(bracket[0], bracket[1]), bMin = Math.min(bracket[0], bracket[1]);
      const eps = 0.1 * (bMax - bMin);
      if (Math.min(bMax - t, t - bMin) < eps) {
        if (insufficient || t >= bMax || t <= bMin) {
          t = Math.abs(t - bMax) < Math.abs(t - bMin) ? bMax - eps : bMin + eps;
          insufficient = false;
        } else insufficient = true;
      } else insufficient = false;
      gNew = new Float64Array(this.n);
      fNew = this.directional(t, gNew);
      evals++;
      gtdNew = dot(gNew, this.d);
      lsIter++;
      if (fNew > f + c1 * t * gtd || fNew >= bf[low] || !Number.isFinite(fNew)) {
        bracket[high] = t; bf[high] = fNew; bg[high] = gNew; bgtd[high] = gtdNew;
        [low, high] = bf[0] <= bf[1] ? [0, 1] : [1, 0];
      } else {
        if (Math.abs(gtdNew) <= -c2 * gtd) done = true;
        else if (gtdNew * (bracket[high] - bracket[low]) >= 0) {
          bracket[high] = bracket[low]; bf[high] = bf[low]; bg[high] = bg[low]; bgtd[high] = bgtd[low];
        }
        bracket[low] = t; bf[low] = fNew; bg[low] = gNew; bgtd[low] = gtdNew;
      }
    }
    if (bracket.length === 1) low = 0;
    return { f: bf[low], g: bg[low], t: bracket[low], evals };
  }
}

/** Options of `Adam` (Kingma & Ba's defaults). */
export interface AdamOptions {
  lr?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

/** Adam in float64 (Kingma & Ba, Algorithm 1): `step(grad)` moves theta in place. */
export class Adam {
  private readonly m: Float64Array;
  private readonly v: Float64Array;
  private t = 0;
  readonly lr: number;
  private readonly b1: number;
  private readonly b2: number;
  private readonly eps: number;

  constructor(readonly theta: Float64Array, options: AdamOptions = {}) {
    this.lr = checkPositiveNumber('Adam', 'options.lr', options.lr ?? 1e-3);
    this.b1 = options.beta1 ?? 0.9;
    this.b2 = options.beta2 ?? 0.999;
    this.eps = options.epsilon ?? 1e-8;
    this.m = new Float64Array(theta.length);
    this.v = new Float64Array(theta.length);
  }

  step(grad: Float64Array, lr = this.lr): void {
    this.t++;
    const { m, v, b1, b2, eps, theta } = this;
    const c1 = 1 - b1 ** this.t, c2 = 1 - b2 ** this.t;
    for (let i = 0; i < theta.length; i++) {
      m[i] = b1 * m[i] + (1 - b1) * grad[i];
      v[i] = b2 * v[i] + (1 - b2) * grad[i] * grad[i];
      theta[i] -= (lr * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + eps);
    }
  }
}
