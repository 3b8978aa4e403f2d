/**
 * The whole Kolmogorov-Arnold workflow of pykan's "hellokan" tutorial as one function (lecture
 * section 2, eqs. (25)-(26)), shared by `nnft kan fit`, notebook 2.2 and `npm run bench`:
 *
 *   1. a KAN of the given widths on G intervals trained by L-BFGS with the sparsity regulariser
 *      (lambda = 1e-3, pykan's tutorial value), grids following the data;
 *   2. pruned (nodes and edges whose attribution is small) and trained again without regulariser;
 *   3. optionally refined to G' intervals (grid extension) and trained again;
 *   4. optionally snapped: every edge replaced by its best library function (r^2 reported), the
 *      affine parameters trained, and the formula composed, simplified and checked on fresh points.
 *
 * Data are pykan's create_dataset: inputs uniform in the box [lo, hi]^n, targets f(x), train and test
 * sets drawn independently from the seed (streams 10 and 11 of `Rng`; fresh check points: stream 12).
 */
import { Rng } from '../core/random';
import { progressBar } from '../core/progress';
import { checkNonNegativeInteger, checkNonNegativeNumber, checkPositiveInteger, fail } from '../core/validate';
import { Kan, KanData, KanHistoryRow } from './kan';
import { SnappedEdge, autoSymbolic, symbolicFormula } from './kan-symbolic';
import { compileFormula, parseFormula } from './formula';
import { DEFAULT_SYMBOLIC_LIBRARY, SymbolicName } from './symbolic-functions';

/** n points uniform in [lo, hi]^dim with targets f(x) (pykan's create_dataset). */
export function kanDataset(f: (x: ArrayLike<number>) => number, dim: number, n: number, seed: number, stream: number, range: readonly [number, number] = [-1, 1]): KanData {
  checkPositiveInteger('kanDataset', 'dim', dim);
  checkPositiveInteger('kanDataset', 'n', n);
  const rng = Rng.stream(checkNonNegativeInteger('kanDataset', 'seed', seed), stream);
  const x: number[][] = [], y: number[][] = [];
  for (let s = 0; s < n; s++) {
    const p = Array.from({ length: dim }, () => range[0] + (range[1] - range[0]) * rng.uniform());
    const v = f(p);
    if (!Number.isFinite(v)) fail('kanDataset', 'f', `finite on the box (f(${p.join(', ')}) = ${v})`, v);
    x.push(p);
    y.push([v]);
  }
  return { x, y };
}

/** Options of `kanRecipe`. */
export interface KanRecipeOptions {
  /** The target f(x1, ..., xn) (x[0] = x1). */
  target: (x: ArrayLike<number>) => number;
  /** Widths; width[0] is the number of variables, the last must be 1. */
  width: readonly number[];
  grid?: number;
  /** G' of the grid extension (stage 3); none when absent. */
  refine?: number;
  /** L-BFGS steps per training stage (default 50). */
  steps?: number;
  train?: number;
  test?: number;
  seed?: number;
  /** Regulariser weight of stage 1 (default 1e-3). */
  lambda?: number;
  /** Snap to formulas (stage 4). */
  symbolic?: boolean;
  library?: readonly SymbolicName[];
  range?: readonly [number, number];
  /** Fresh points on which the formula is compared with the target (default 1000). */
  checkPoints?: number;
  /** Show a progress bar on stderr / in the notebook (default true). */
  progress?: boolean;
}

/** One stage's record. */
export interface KanStage {
  readonly stage: string;
  readonly width: readonly number[];
  readonly grid: number;
  readonly rmse: { readonly train: number; readonly test: number };
  readonly seconds: number;
}

/** What `kanRecipe` returns. */
export interface KanRecipeResult {
  readonly width: readonly number[];
  readonly grid: number;
  readonly rmse: { readonly train: number; readonly test: number };
  readonly stages: readonly KanStage[];
  readonly history: readonly (KanHistoryRow & { readonly stage: string })[];
  /** Stage 4 only: the simplified formula, the raw composition, each snapped edge and its r^2, and max |formula - target| on fresh points. */
  readonly formula?: string;
  readonly rawFormula?: string;
  readonly snapped?: readonly SnappedEdge[];
  readonly formulaError?: { readonly maxAbs: number; readonly points: number };
  /** L-BFGS steps per second over all training stages. */
  readonly stepsPerSecond: number;
  readonly model: Kan;
  /** Copies of the network after stage 1 (trained with the regulariser), stage 2 (pruned and retrained,
   * grid G) and stage 3 (refined; absent without `refine`), all with spline edges. */
  readonly first: Kan;
  readonly pruned: Kan;
  readonly refined?: Kan;
  readonly data: { readonly train: KanData; readonly test: KanData };
}

/** Runs stages 1-4 (see the module comment). */
export function kanRecipe(options: KanRecipeOptions): KanRecipeResult {
  const fn = 'kanRecipe';
  if (typeof options.target !== 'function') fail(fn, 'target', 'a function of x', options.target);
  const width = options.width;
  if (!Array.isArray(width) || width.length < 2 || width[width.length - 1] !== 1) fail(fn, 'width', 'widths ending in 1 output, e.g. [2, 5, 1]', width);
  const grid = checkPositiveInteger(fn, 'grid', options.grid ?? 3);
  const refine = options.refine === undefined ? undefined : checkPositiveInteger(fn, 'refine', options.refine);
  const steps = checkNonNegativeInteger(fn, 'steps', options.steps ?? 50);
  const nTrain = checkPositiveInteger(fn, 'train', options.train ?? 1000);
  const nTest = checkPositiveInteger(fn, 'test', options.test ?? 1000);
  const seed = checkNonNegativeInteger(fn, 'seed', options.seed ?? 0);
  const lambda = checkNonNegativeNumber(fn, 'lambda', options.lambda ?? 1e-3);
  const range = options.range ?? [-1, 1];
  const checkPoints = checkPositiveInteger(fn, 'checkPoints', options.checkPoints ?? 1000);
  const dim = width[0];
  const train = kanDataset(options.target, dim, nTrain, seed, 10, range);
  const test = kanDataset(options.target, dim, nTest, seed, 11, range);
  const X = new Float64Array(train.x.flat());
  let model = new Kan({ width, grid, seed, range });
  const stages: KanStage[] = [];
  const history: (KanHistoryRow & { stage: string })[] = [];
  const stageCount = 2 + (refine ? 1 : 0) + (options.symbolic ? 1 : 0);
  const bar = progressBar('kan fit', stageCount * steps, 'steps', options.progress ?? true);
  let fitSeconds = 0;
  const train1 = (stage: string, fitOptions: { lambda?: number; updateGrid?: boolean }) => {
    const t0 = performance.now();
    const h = model.fit(train, { steps, test, ...fitOptions, onStep: () => bar.tick(1) });
    const seconds = (performance.now() - t0) / 1000;
    fitSeconds += seconds;
    history.push(...h.map((r) => ({ ...r, stage })));
    const last = h[h.length - 1];
    stages.push({ stage, width: [...model.width], grid: model.intervals, rmse: { train: last?.trainRmse ?? NaN, test: last?.testRmse ?? NaN }, seconds });
  };
  train1('fit', { lambda });
  const first = model.clone();
  model = model.prune(X, nTrain);
  train1('pruned', {});
  const pruned = model.clone();
  if (refine) {
    model = model.refine(refine, X, nTrain);
    train1(`refine ${refine}`, {});
  }
  const refined = refine ? model.clone() : undefined;
  let extra: Pick<KanRecipeResult, 'formula' | 'rawFormula' | 'snapped' | 'formulaError'> = {};
  if (options.symbolic) {
    const snapped = autoSymbolic(model, X, nTrain, { library: options.library ?? DEFAULT_SYMBOLIC_LIBRARY });
    train1('symbolic', { updateGrid: false });
    const { formulas, raw } = symbolicFormula(model);
    const check = kanDataset(options.target, dim, checkPoints, seed, 12, range);
    const g = compileFormula(parseFormula(formulas[0]));
    const maxAbs = check.x.reduce((m, p, s) => Math.max(m, Math.abs(g(p) - check.y[s][0])), 0);
    extra = { formula: formulas[0], rawFormula: raw[0], snapped, formulaError: { maxAbs, points: checkPoints } };
  }
  bar.done();
  const last = stages[stages.length - 1];
  return {
    width: [...model.width], grid: model.intervals, rmse: last.rmse, stages, history, ...extra,
    stepsPerSecond: (stages.length * steps) / Math.max(fitSeconds, 1e-9), model, first, pruned, refined, data: { train, test },
  };
}
