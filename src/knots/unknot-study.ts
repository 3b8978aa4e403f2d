/**
 * What the unknot classifiers learned (NN-QFT triangle talk, "Decisions, Decisions" and "Hardness and
 * Jones Correlations"; Gukov, Halverson, Ruehle, Sulkowski, "Learning to Unknot", arXiv:2010.16263):
 *
 * - `accuracyVsLength`: test accuracy against the braid length, every seed redrawing its data and its
 *   initialisation, with the spread across seeds as the error bar (the talk's panel (c)).
 * - `jonesDegreeCorrelation`: on the knotted test words, the network's confidence in the right answer,
 *   1 - P(unknot), against the degree of the Jones polynomial (the network never sees the polynomial).
 *   The degree here is the span, the highest minus the lowest power of t: it does not change under
 *   mirroring (V(t) -> V(1/t)), as the task does not (a mirrored unknot is an unknot), whereas the top
 *   power alone flips sign; for alternating knots the span is the crossing number
 *   (Kauffman-Murasugi-Thistlethwaite). The top and bottom powers are kept beside it in every row.
 * - `hardInstances`: the test words that every one of several models gets wrong, with how sure the
 *   models were, the braid word and the Jones polynomial, and how many such words independent errors
 *   would have left (the talk: hardness persists across initialisations).
 *
 * Letters: S seeds (models), L braid length, n strands.
 */
import { checkWritableFolder } from '../core/io';
import { progressBar } from '../core/progress';
import { checkNonNegativeInteger, checkPositiveInteger, fail } from '../core/validate';
import type { Estimate } from '../statistics/stats';
import { estimateMean } from '../statistics/stats';
import { Correlation, fisherCorrelation, pearson, ranks } from '../statistics/correlation';
import * as path from 'path';
import { braid } from './braid';
import type { Braid } from './braid';
import { ClassifierKind, PositionalEncoding, UnknotDataset, letter, trainUnknotClassifier, unknotDataset } from './classifier';
import { jonesPolynomial } from './invariants';
import type { Laurent } from './laurent';

/** The braid of test word s of a data set (tokens decoded back to letters). */
export function datasetBraid(data: UnknotDataset, s: number): Braid {
  const word: number[] = [];
  for (let k = 0; k < data.length; k++) {
    const t = data.tokens[s * data.length + k];
    if (t !== 2 * data.strands - 2) word.push(letter(t, data.strands)); // 2n - 2 is the padding token
  }
  return braid(word, data.strands);
}

// ---------------------------------------------------------------------------------------------
// Accuracy against braid length.

export interface AccuracyVsLengthOptions {
  kind: ClassifierKind;
  strands: number;
  /** Braid lengths, each with the parity of strands - 1. */
  lengths: readonly number[];
  trainCount: number;
  testCount: number;
  epochs: number;
  /** One run per seed k at every length: training words from data seed 2k, test words from 2k + 1, weights and batches from seed k. */
  seeds: readonly number[];
  width?: number;
  batchSize?: number;
  learningRate?: number;
  layers?: number;
  heads?: number;
  positional?: PositionalEncoding;
  /**
   * A folder for one checkpoint per run (`trainUnknotClassifier`'s `checkpoint`), named by kind,
   * strands, length, training count, width and seed: an interrupted study resumes, a finished one is
   * read back without training (the data are drawn again either way).
   */
  checkpoints?: string;
  progress?: boolean;
}

/** One seed's run at one length. */
export interface SeedAccuracy {
  readonly seed: number;
  /** Test accuracy and its binomial standard error sqrt(a (1 - a) / testCount). */
  readonly accuracy: number;
  readonly stdErr: number;
  /** Accuracy on the knotted and on the unknotted test words separately. */
  readonly knotAccuracy: number;
  readonly unknotAccuracy: number;
  /** Fraction of the test words that occur verbatim among the training words (short words repeat: the prior has few of them). */
  readonly seenFraction: number;
  /** Accuracy on the test words not among the training words (NaN when there are none), and their number. */
  readonly unseenAccuracy: number;
  readonly unseenCount: number;
  /** Final training loss. */
  readonly loss: number;
  readonly seconds: number;
}

/** The accuracy at one braid length. */
export interface LengthAccuracy {
  readonly length: number;
  /** Mean over seeds; stdErr is the spread across seeds / sqrt(S) (data and initialisation redrawn; NaN for one seed). */
  readonly accuracy: Estimate;
  /** The binomial (test-set) part of that error alone: sqrt(sum of the seeds' squared binomial errors) / S. */
  readonly binomialStdErr: number;
  readonly knotAccuracy: Estimate;
  readonly unknotAccuracy: Estimate;
  /** Mean over seeds of the fraction of test words seen in training, and the accuracy on the unseen ones (seeds without unseen words left out). */
  readonly seenFraction: number;
  readonly unseenAccuracy: Estimate;
  readonly perSeed: readonly SeedAccuracy[];
  /** Seconds for the length, data generation included. */
  readonly seconds: number;
}

/** `estimateMean`, or NaN with count 0 for no samples. */
function meanOrNaN(samples: readonly number[]): Estimate {
  return samples.length ? estimateMean(samples) : { value: NaN, stdErr: NaN, count: 0 };
}

function checkSeeds(fn: string, seeds: unknown): number[] {
  if (!Array.isArray(seeds) || seeds.length === 0) fail(fn, 'seeds', 'a non-empty array of non-negative integers', seeds);
  for (const s of seeds) {
    checkNonNegativeInteger(fn, 'seeds', s);
    if (2 * s + 1 > Number.MAX_SAFE_INTEGER) fail(fn, 'seeds', 'integers below 2^52 (data seeds 2k and 2k + 1 must be safe integers)', s);
  }
  if (new Set(seeds).size !== seeds.length) fail(fn, 'seeds', 'distinct', seeds);
  return seeds.slice();
}

/**
 * Test accuracy of `kind` against braid length on `strands` strands: at every length and for every
 * seed, fresh training and test words and a fresh initialisation; the mean over seeds with the error
 * from their spread, each seed's binomial error, the accuracy on knots and unknots apart, and on the
 * test words that are not also training words. Short words repeat (on 3 strands with 10^4 training
 * words, every test word of length 6 and 95% of the unknots of length 10 are training words), so there
 * the plain accuracy measures memory as much as generalisation.
 */
export async function accuracyVsLength(options: AccuracyVsLengthOptions): Promise<LengthAccuracy[]> {
  const fn = 'accuracyVsLength';
  const strands = checkPositiveInteger(fn, 'strands', options.strands);
  if (strands < 2) fail(fn, 'strands', 'at least 2', strands);
  const { lengths } = options;
  if (!Array.isArray(lengths) || lengths.length === 0) fail(fn, 'lengths', 'a non-empty array of braid lengths', lengths);
  for (const L of lengths) {
    if (!Number.isSafeInteger(L) || L < strands - 1 || (L - strands + 1) % 2 !== 0) fail(fn, 'lengths', `integers >= ${strands - 1} with the parity of strands - 1 = ${strands - 1}`, L);
  }
  const trainCount = checkPositiveInteger(fn, 'trainCount', options.trainCount);
  const testCount = checkPositiveInteger(fn, 'testCount', options.testCount);
  checkPositiveInteger(fn, 'epochs', options.epochs);
  const seeds = checkSeeds(fn, options.seeds);
  if (options.kind !== 'dense' && options.kind !== 'transformer') fail(fn, 'kind', "'dense' or 'transformer'", options.kind);
  const folder = options.checkpoints === undefined ? undefined : checkWritableFolder(options.checkpoints, `${fn}: checkpoints`);
  const bar = progressBar(`${options.kind} accuracy vs length`, lengths.length * seeds.length, 'runs', options.progress ?? true);
  const out: LengthAccuracy[] = [];
  try {
    for (const length of lengths) {
      const started = Date.now();
      const perSeed: SeedAccuracy[] = [];
      for (const seed of seeds) {
        const train = unknotDataset({ strands, length, count: trainCount, seed: 2 * seed });
        const test = unknotDataset({ strands, length, count: testCount, seed: 2 * seed + 1 });
        const checkpoint = folder === undefined ? undefined : path.join(folder, `unknot-${options.kind}-n${strands}-L${length}-N${trainCount}-w${options.width ?? 32}-seed${seed}.json`);
        const r = await trainUnknotClassifier({
          kind: options.kind,
          train,
          test,
          epochs: options.epochs,
          seed,
          width: options.width,
          batchSize: options.batchSize,
          learningRate: options.learningRate,
          layers: options.layers,
          heads: options.heads,
          positional: options.positional,
          checkpoint,
          progress: false,
        });
        const trainWords = new Set<string>();
        for (let s = 0; s < train.count; s++) trainWords.add(train.tokens.subarray(s * length, (s + 1) * length).join());
        const right = [0, 0];
        const total = [0, 0];
        let seen = 0;
        let unseenRight = 0;
        for (let s = 0; s < test.count; s++) {
          const label = test.labels[s];
          const ok = (r.confidence[s] > 0.5 ? 1 : 0) === label;
          total[label]++;
          if (ok) right[label]++;
          if (trainWords.has(test.tokens.subarray(s * length, (s + 1) * length).join())) seen++;
          else if (ok) unseenRight++;
        }
        const unseenCount = test.count - seen;
        perSeed.push({
          seed,
          accuracy: r.accuracy,
          stdErr: r.stdErr,
          knotAccuracy: right[0] / total[0],
          unknotAccuracy: right[1] / total[1],
          seenFraction: seen / test.count,
          unseenAccuracy: unseenCount > 0 ? unseenRight / unseenCount : NaN,
          unseenCount,
          loss: r.loss[r.loss.length - 1],
          seconds: r.seconds,
        });
        bar.tick(1);
      }
      const S = perSeed.length;
      out.push({
        length,
        accuracy: estimateMean(perSeed.map((p) => p.accuracy)),
        binomialStdErr: Math.sqrt(perSeed.reduce((a, p) => a + p.stdErr * p.stdErr, 0)) / S,
        knotAccuracy: estimateMean(perSeed.map((p) => p.knotAccuracy)),
        unknotAccuracy: estimateMean(perSeed.map((p) => p.unknotAccuracy)),
        seenFraction: perSeed.reduce((a, p) => a + p.seenFraction, 0) / S,
        unseenAccuracy: meanOrNaN(perSeed.map((p) => p.unseenAccuracy).filter((a) => !Number.isNaN(a))),
        perSeed,
        seconds: (Date.now() - started) / 1000,
      });
    }
  } finally {
    bar.done();
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Confidence against the degree of the Jones polynomial.

function checkConfidence(fn: string, arg: string, test: UnknotDataset, confidence: unknown): ArrayLike<number> {
  const arrayLike = confidence instanceof Float32Array || confidence instanceof Float64Array || Array.isArray(confidence);
  if (!arrayLike || (confidence as ArrayLike<number>).length !== test.count) {
    const got = arrayLike ? `length ${(confidence as ArrayLike<number>).length}` : String(confidence);
    throw new RangeError(`${fn}: ${arg} must be ${test.count} probabilities P(unknot), one per test word, got ${got}`);
  }
  const c = confidence as ArrayLike<number>;
  for (let s = 0; s < c.length; s++) if (!(c[s] >= 0 && c[s] <= 1)) throw new RangeError(`${fn}: ${arg} must be probabilities in [0, 1], got ${c[s]} at word ${s}`);
  return c;
}

function checkTest(fn: string, test: unknown): UnknotDataset {
  const t = test as UnknotDataset;
  if (!t || !(t.tokens instanceof Int32Array) || !(t.labels instanceof Float32Array) || t.labels.length !== t.count || t.tokens.length !== t.count * t.length) fail(fn, 'test', 'an UnknotDataset (from unknotDataset)', test);
  return t;
}

/** Powers of t of a knot's Jones polynomial (the Laurent polynomial is in t^(1/4)). */
function jonesPowers(v: Laurent): { span: number; maxDegree: number; minDegree: number } {
  return { span: (v.high - v.low) / 4, maxDegree: v.high / 4, minDegree: v.low / 4 };
}

/** One knotted test word. */
export interface JonesRow {
  /** Index in the test set. */
  readonly index: number;
  /** Span of V(t) (highest minus lowest power of t), and the two powers. */
  readonly span: number;
  readonly maxDegree: number;
  readonly minDegree: number;
  /** The network's confidence in the right answer, 1 - P(unknot). */
  readonly confidence: number;
}

export interface JonesDegreeCorrelation {
  /** Mean confidence at each span (ascending), its standard error over the words there (NaN for one word) and their count. */
  readonly byDegree: readonly { readonly span: number; readonly confidence: Estimate }[];
  readonly pearson: Correlation;
  readonly spearman: Correlation;
  readonly rows: readonly JonesRow[];
}

/**
 * For the knotted words of `test`: the span of the Jones polynomial against the confidence
 * 1 - confidence[s] that the word is knotted (`confidence` holds P(unknot), as `ClassifierResult`);
 * the mean confidence per span, and Pearson's and Spearman's correlation with Fisher-z errors
 * (for Spearman the Fieller-Hartley-Pearson variance 1.06 / (n - 3)).
 */
export function jonesDegreeCorrelation(test: UnknotDataset, confidence: ArrayLike<number>): JonesDegreeCorrelation {
  const fn = 'jonesDegreeCorrelation';
  checkTest(fn, test);
  const c = checkConfidence(fn, 'confidence', test, confidence);
  const rows: JonesRow[] = [];
  for (let s = 0; s < test.count; s++) {
    if (test.labels[s] !== 0) continue;
    rows.push({ index: s, ...jonesPowers(jonesPolynomial(datasetBraid(test, s))), confidence: 1 - c[s] });
  }
  if (rows.length < 4) fail(fn, 'test', 'a data set with at least 4 knotted words', `${rows.length}`);
  const spans = [...new Set(rows.map((r) => r.span))].sort((a, b) => a - b);
  const byDegree = spans.map((span) => ({ span, confidence: estimateMean(rows.filter((r) => r.span === span).map((r) => r.confidence)) }));
  const x = rows.map((r) => r.span);
  const y = rows.map((r) => r.confidence);
  const n = rows.length;
  return { byDegree, pearson: fisherCorrelation(pearson(x, y), n, 1), spearman: fisherCorrelation(pearson(ranks(x), ranks(y)), n, 1.06), rows };
}

// ---------------------------------------------------------------------------------------------
// Hard instances.

/** A test word every model got wrong. */
export interface HardInstance {
  readonly index: number;
  /** 1: an unknot, 0: a knot (the data set's label). */
  readonly label: number;
  /** The braid word (letters +-1 .. +-(n - 1)). */
  readonly word: readonly number[];
  /** Its Jones polynomial in t^(1/4) (`toRecord(4)` for powers of t) and the span in t. */
  readonly jones: Laurent;
  readonly span: number;
  /** P(unknot) averaged over the models, and the confidence in the right answer with its spread across models (stdErr NaN for one model). */
  readonly meanConfidence: number;
  readonly correctConfidence: Estimate;
}

/** Hard words of one class, against what independent models would leave. */
export interface HardCount {
  readonly hard: number;
  readonly total: number;
  /** total x the product of the models' error rates on the class: the count if their errors were independent. */
  readonly expectedIfIndependent: number;
}

export interface HardInstances {
  readonly models: number;
  readonly threshold: number;
  /** Most confidently wrong first (ascending confidence in the right answer). */
  readonly instances: readonly HardInstance[];
  readonly knots: HardCount;
  readonly unknots: HardCount;
}

/**
 * The words of `test` that every model misclassifies: `confidences[m][s]` is model m's P(unknot)
 * for word s, called an unknot when above `threshold` (default 0.5, as the accuracy of
 * `trainUnknotClassifier`).
 */
export function hardInstances(test: UnknotDataset, confidences: readonly ArrayLike<number>[], threshold = 0.5): HardInstances {
  const fn = 'hardInstances';
  checkTest(fn, test);
  if (!Array.isArray(confidences) || confidences.length === 0) fail(fn, 'confidences', 'a non-empty array, one P(unknot) array per model', confidences);
  const models = confidences.map((c, m) => checkConfidence(fn, `confidences[${m}]`, test, c));
  if (typeof threshold !== 'number' || !(threshold > 0 && threshold < 1)) fail(fn, 'threshold', 'a number in (0, 1)', threshold);
  const M = models.length;
  const wrong = (m: number, s: number) => (models[m][s] > threshold ? 1 : 0) !== test.labels[s];
  const total = [0, 0];
  const errors = [new Array<number>(M).fill(0), new Array<number>(M).fill(0)];
  const hard = [0, 0];
  const instances: HardInstance[] = [];
  for (let s = 0; s < test.count; s++) {
    const label = test.labels[s];
    total[label]++;
    let all = true;
    for (let m = 0; m < M; m++) {
      if (wrong(m, s)) errors[label][m]++;
      else all = false;
    }
    if (!all) continue;
    hard[label]++;
    const b = datasetBraid(test, s);
    const jones = jonesPolynomial(b);
    const p = models.map((c) => c[s]);
    instances.push({
      index: s,
      label,
      word: b.word,
      jones,
      span: (jones.high - jones.low) / 4,
      meanConfidence: p.reduce((a, x) => a + x, 0) / M,
      correctConfidence: estimateMean(p.map((x) => (label === 1 ? x : 1 - x))),
    });
  }
  instances.sort((a, b) => a.correctConfidence.value - b.correctConfidence.value || a.index - b.index);
  const count = (label: number): HardCount => ({
    hard: hard[label],
    total: total[label],
    expectedIfIndependent: total[label] === 0 ? 0 : errors[label].reduce((a, e) => a * (e / total[label]), total[label]),
  });
  return { models: M, threshold, instances, knots: count(0), unknots: count(1) };
}
