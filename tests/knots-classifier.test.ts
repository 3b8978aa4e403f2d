/**
 * The unknot classifiers (src/knots/classifier.ts) and what is measured on them
 * (src/knots/unknot-study.ts).
 *
 * - The data set is what it says (balanced labels, tokens in range, every unknot with V = 1 and every
 *   knot with V != 1 by the Jones polynomial, an independent check of the priors' labels), and both
 *   models, trained briefly with fixed seeds, beat chance by more than 10 binomial standard errors.
 * - A run stopped after 2 epochs and resumed from its checkpoint to 4 ends in the same bits as 4
 *   epochs straight; a checkpoint of another run is refused naming `checkpoint`.
 * - The cyclic transformer is invariant under rotating the words (the closure does not change).
 * - The study functions against independent computations: a per-seed accuracy against a direct
 *   training with the documented data seeds; correlations against closed forms on synthetic data with
 *   a known answer; Jones spans against the state-sum algorithm; hard instances on hand-made
 *   confidences.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Rng } from '../src/core/random';
import { braid } from '../src/knots/braid';
import { jonesPolynomial, jonesStateSum } from '../src/knots/invariants';
import { Laurent } from '../src/knots/laurent';
import { UnknotDataset, letter, token, trainUnknotClassifier, unknotDataset, vocabulary } from '../src/knots/classifier';
import { accuracyVsLength, datasetBraid, hardInstances, jonesDegreeCorrelation } from '../src/knots/unknot-study';
import { fisherCorrelation, pearson, ranks } from '../src/statistics/correlation';

const strands = 3;
const length = 12;
const train = unknotDataset({ strands, length, count: 2000, seed: 1 });
const held = unknotDataset({ strands, length, count: 1000, seed: 2 });
const small = unknotDataset({ strands, length, count: 300, seed: 5 });
const smallTest = unknotDataset({ strands, length, count: 200, seed: 6 });

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nnft-unknot-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('the data set: balanced, tokens in range, labels confirmed by the Jones polynomial', () => {
  expect(train.labels.reduce((a, b) => a + b, 0)).toBe(1000);
  expect(train.tokens.every((t) => t >= 0 && t < vocabulary(strands) - 1)).toBe(true);
  const letters = [-2, -1, 1, 2];
  const decode = new Map(letters.map((g) => [token(g, strands), g]));
  expect(decode.size).toBe(4);
  for (const g of letters) expect(letter(token(g, strands), strands)).toBe(g);
  for (let s = 0; s < 200; s++) {
    const word = Array.from(held.tokens.subarray(s * length, (s + 1) * length), (t) => decode.get(t)!);
    expect(datasetBraid(held, s).word).toEqual(word);
    const isUnknot = jonesPolynomial(braid(word, strands)).equals(Laurent.ONE);
    expect(isUnknot).toBe(held.labels[s] === 1);
  }
});

test.each(['dense', 'transformer'] as const)('%s classifier beats chance by > 10 standard errors', async (kind) => {
  const r = await trainUnknotClassifier({ kind, train, test: held, epochs: 10, seed: 3, progress: false });
  expect(r.loss[r.loss.length - 1]).toBeLessThan(r.loss[0]);
  expect(r.accuracy - 0.5).toBeGreaterThan(10 * r.stdErr);
  expect(r.confidence).toHaveLength(held.count);
  expect(r.resumedFrom).toBe(0);
}, 120_000);

describe('checkpoints', () => {
  test.each([
    ['dense', {}],
    ['transformer', {}],
    ['transformer', { positional: 'learned', layers: 1 }],
  ] as const)('%s %j: 2 epochs, then resumed to 4, is 4 epochs straight, bit for bit', async (kind, extra) => {
    const file = path.join(dir, `${kind}-${JSON.stringify(extra).replace(/\W/g, '')}.json`);
    const base = { kind, train: small, test: smallTest, seed: 7, progress: false, ...extra };
    const straight = await trainUnknotClassifier({ ...base, epochs: 4 });
    const first = await trainUnknotClassifier({ ...base, epochs: 2, checkpoint: file });
    expect(first.loss).toEqual(straight.loss.slice(0, 2));
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).epoch).toBe(2);
    const resumed = await trainUnknotClassifier({ ...base, epochs: 4, checkpoint: file });
    expect(resumed.resumedFrom).toBe(2);
    expect(resumed.loss).toEqual(straight.loss);
    expect(Array.from(resumed.confidence)).toEqual(Array.from(straight.confidence));
    expect(resumed.accuracy).toBe(straight.accuracy);
    // A finished run is read back without training.
    const again = await trainUnknotClassifier({ ...base, epochs: 4, checkpoint: file });
    expect(again.resumedFrom).toBe(4);
    expect(Array.from(again.confidence)).toEqual(Array.from(straight.confidence));
    // Fewer epochs than the checkpoint holds cannot be had from it.
    await expect(trainUnknotClassifier({ ...base, epochs: 3, checkpoint: file })).rejects.toThrow(/trainUnknotClassifier: checkpoint must be .*epoch 4/);
  }, 60_000);

  test('a checkpoint of another run is refused, naming the argument and what differs', async () => {
    const file = path.join(dir, 'other.json');
    await trainUnknotClassifier({ kind: 'dense', train: small, test: smallTest, epochs: 1, seed: 7, progress: false, checkpoint: file });
    const run = (o: object) => trainUnknotClassifier({ kind: 'dense', train: small, test: smallTest, epochs: 2, seed: 7, progress: false, checkpoint: file, ...o });
    await expect(run({ width: 16 })).rejects.toThrow(/trainUnknotClassifier: checkpoint must be a checkpoint of this run.*which differs in width: 32 in the file, 16 here/);
    await expect(run({ seed: 8 })).rejects.toThrow(/checkpoint must be .*seed: 7 in the file, 8 here/);
    await expect(run({ train: smallTest })).rejects.toThrow(/checkpoint must be .*trainHash/);
    await expect(run({ kind: 'transformer' })).rejects.toThrow(/checkpoint must be .*kind: "dense" in the file, "transformer" here/);
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, '{"half": ');
    await expect(run({ checkpoint: bad })).rejects.toThrow(/trainUnknotClassifier: checkpoint must be a readable checkpoint JSON file/);
    // A missing folder is created; a folder path that runs through a file is refused before training.
    const fresh = path.join(dir, 'new-folder', 'x.json');
    await run({ checkpoint: fresh });
    expect(JSON.parse(fs.readFileSync(fresh, 'utf8')).epoch).toBe(2);
    await expect(run({ checkpoint: path.join(bad, 'x.json') })).rejects.toThrow(/trainUnknotClassifier: checkpoint/);
  }, 30_000);
});

test('the cyclic transformer does not see where the closure of a word was cut', async () => {
  const rotate = (d: UnknotDataset, k: number): UnknotDataset => {
    const tokens = new Int32Array(d.tokens.length);
    for (let s = 0; s < d.count; s++) for (let i = 0; i < d.length; i++) tokens[s * d.length + i] = d.tokens[s * d.length + ((i + k) % d.length)];
    return { ...d, tokens };
  };
  const base = { kind: 'transformer', train: small, epochs: 1, seed: 4, progress: false } as const;
  const a = await trainUnknotClassifier({ ...base, test: smallTest });
  const b = await trainUnknotClassifier({ ...base, test: rotate(smallTest, 5) });
  // float32 sums in another order: equal to a few ulps of the logits, not bit for bit.
  for (let s = 0; s < smallTest.count; s++) expect(Math.abs(a.confidence[s] - b.confidence[s])).toBeLessThan(2e-5);
  // Absolute learned positions see the cut.
  const c = await trainUnknotClassifier({ ...base, positional: 'learned', test: smallTest });
  const e = await trainUnknotClassifier({ ...base, positional: 'learned', test: rotate(smallTest, 5) });
  expect(Math.max(...Array.from(c.confidence, (x, s) => Math.abs(x - e.confidence[s])))).toBeGreaterThan(1e-3);
}, 30_000);

test('classifier arguments are checked, naming the argument', async () => {
  const base = { kind: 'transformer', train: small, test: smallTest, epochs: 1, seed: 0, progress: false } as const;
  await expect(trainUnknotClassifier({ ...base, heads: 5 })).rejects.toThrow(/trainUnknotClassifier: heads must be a divisor of width = 32, got 5/);
  await expect(trainUnknotClassifier({ ...base, kind: 'dense', layers: 2 })).rejects.toThrow(/trainUnknotClassifier: layers must be unset for kind 'dense'/);
  await expect(trainUnknotClassifier({ ...base, learningRate: -1 })).rejects.toThrow(/trainUnknotClassifier: learningRate must be a positive finite number/);
  await expect(trainUnknotClassifier({ ...base, positional: 'sinusoidal' as 'cyclic' })).rejects.toThrow(/trainUnknotClassifier: positional must be/);
});

describe('accuracy against braid length', () => {
  test('each seed is a direct training with data seeds 2k and 2k + 1; means, errors and class accuracies add up', async () => {
    const options = { kind: 'dense', strands: 3, lengths: [4, 6], trainCount: 200, testCount: 100, epochs: 2, seeds: [0, 1], progress: false, checkpoints: path.join(dir, 'study') } as const;
    const rows = await accuracyVsLength(options);
    expect(rows.map((r) => r.length)).toEqual([4, 6]);
    for (const r of rows) {
      const a = r.perSeed.map((p) => p.accuracy);
      const mean = (a[0] + a[1]) / 2;
      expect(r.accuracy.value).toBeCloseTo(mean, 12);
      expect(r.accuracy.stdErr).toBeCloseTo(Math.abs(a[0] - a[1]) / 2, 12); // sd / sqrt(2) of two numbers
      expect(r.accuracy.count).toBe(2);
      expect(r.binomialStdErr).toBeCloseTo(Math.hypot(r.perSeed[0].stdErr, r.perSeed[1].stdErr) / 2, 12);
      // A balanced test set: the accuracy is the mean of the two class accuracies.
      for (const p of r.perSeed) expect(p.accuracy).toBeCloseTo((p.knotAccuracy + p.unknotAccuracy) / 2, 12);
    }
    const [trainWords, testWords] = [unknotDataset({ strands: 3, length: 6, count: 200, seed: 2 }), unknotDataset({ strands: 3, length: 6, count: 100, seed: 3 })];
    const direct = await trainUnknotClassifier({ kind: 'dense', train: trainWords, test: testWords, epochs: 2, seed: 1, progress: false });
    const p = rows[1].perSeed[1];
    expect(p.accuracy).toBe(direct.accuracy);
    // Test words that are not training words, found here by comparing the decoded words.
    const known = new Set(Array.from({ length: trainWords.count }, (_, s) => datasetBraid(trainWords, s).word.join(' ')));
    const unseen = Array.from({ length: testWords.count }, (_, s) => s).filter((s) => !known.has(datasetBraid(testWords, s).word.join(' ')));
    expect(p.unseenCount).toBe(unseen.length);
    expect(p.seenFraction).toBeCloseTo(1 - unseen.length / testWords.count, 12);
    const unseenRight = unseen.filter((s) => (direct.confidence[s] > 0.5 ? 1 : 0) === testWords.labels[s]).length;
    if (unseen.length) expect(p.unseenAccuracy).toBeCloseTo(unseenRight / unseen.length, 12);
    else expect(p.unseenAccuracy).toBeNaN();
    // Read back from the checkpoints: the same numbers.
    const again = await accuracyVsLength(options);
    expect(again.map((r) => r.perSeed.map((p) => p.accuracy))).toEqual(rows.map((r) => r.perSeed.map((p) => p.accuracy)));
  }, 30_000);

  test('bad arguments fail before any training, naming the argument', async () => {
    const ok = { kind: 'dense', strands: 3, lengths: [4], trainCount: 10, testCount: 10, epochs: 1, seeds: [0], progress: false } as const;
    await expect(accuracyVsLength({ ...ok, lengths: [4, 5] })).rejects.toThrow(/accuracyVsLength: lengths must be integers >= 2 with the parity of strands - 1 = 2, got 5/);
    await expect(accuracyVsLength({ ...ok, lengths: [] })).rejects.toThrow(/accuracyVsLength: lengths must be/);
    await expect(accuracyVsLength({ ...ok, seeds: [] })).rejects.toThrow(/accuracyVsLength: seeds must be a non-empty array/);
    await expect(accuracyVsLength({ ...ok, seeds: [1, 1] })).rejects.toThrow(/accuracyVsLength: seeds must be distinct/);
    await expect(accuracyVsLength({ ...ok, seeds: [-1] })).rejects.toThrow(/accuracyVsLength: seeds must be a non-negative integer/);
    await expect(accuracyVsLength({ ...ok, trainCount: 0 })).rejects.toThrow(/accuracyVsLength: trainCount must be a positive integer, got 0/);
    await expect(accuracyVsLength({ ...ok, kind: 'cnn' as 'dense' })).rejects.toThrow(/accuracyVsLength: kind must be/);
  });
});

describe('correlations', () => {
  test('ranks and Spearman against the closed form 1 - 6 sum d^2 / (n (n^2 - 1)) (no ties), ties averaged', () => {
    const rng = Rng.stream(11, 0);
    const n = 50;
    const x = Array.from({ length: n }, () => rng.normal());
    const y = x.map((v) => v + rng.normal());
    const rx = ranks(x);
    const ry = ranks(y);
    const d2 = rx.reduce((a, r, i) => a + (r - ry[i]) ** 2, 0);
    expect(pearson(rx, ry)).toBeCloseTo(1 - (6 * d2) / (n * (n * n - 1)), 12);
    expect(Array.from(ranks([3, 1, 3, 2, 3]))).toEqual([4, 1, 4, 2, 4]);
    expect(pearson([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 14);
    expect(pearson([1, 1, 1], [2, 4, 6])).toBeNaN();
    // Fisher z: atanh(r) with standard error sqrt(v / (n - 3)); the delta-method error on r is (1 - r^2) times that.
    const f = fisherCorrelation(0.5, 103, 1.06);
    expect(f.z).toBeCloseTo(0.5 * Math.log(3), 14);
    expect(f.zStdErr).toBeCloseTo(Math.sqrt(1.06) / 10, 14);
    expect(f.stdErr).toBeCloseTo(0.75 * f.zStdErr, 14);
    expect(f.interval[0]).toBeCloseTo(Math.tanh(f.z - f.zStdErr), 14);
    expect(fisherCorrelation(0.2, 3).zStdErr).toBeNaN();
  });

  test('Jones spans from the state sum; a confidence linear in the span has r = rho = 1 and exact per-span means', () => {
    const knots = Array.from({ length: smallTest.count }, (_, s) => s).filter((s) => smallTest.labels[s] === 0);
    const span = (s: number) => {
      const v = jonesStateSum(datasetBraid(smallTest, s));
      return (v.high - v.low) / 4;
    };
    const p = new Float32Array(smallTest.count).fill(0.5);
    const c0 = jonesDegreeCorrelation(smallTest, p);
    expect(c0.rows.map((r) => r.index)).toEqual(knots);
    for (const r of c0.rows) p[r.index] = 1 - (0.25 + r.span / 64); // exact in float32
    const c = jonesDegreeCorrelation(smallTest, p);
    for (const r of c.rows) expect(r.span).toBe(r.maxDegree - r.minDegree);
    for (const r of c.rows.slice(0, 30)) expect(r.span).toBe(span(r.index)); // 2^12 states each
    expect(c.pearson.value).toBeCloseTo(1, 6);
    expect(c.spearman.value).toBeCloseTo(1, 6);
    expect(c.pearson.count).toBe(knots.length);
    expect(c.pearson.zStdErr).toBeCloseTo(1 / Math.sqrt(knots.length - 3), 14);
    expect(c.spearman.zStdErr).toBeCloseTo(Math.sqrt(1.06 / (knots.length - 3)), 14);
    expect(c.byDegree.reduce((a, b) => a + b.confidence.count, 0)).toBe(knots.length);
    for (const b of c.byDegree) {
      expect(b.confidence.value).toBeCloseTo(0.25 + b.span / 64, 6);
      if (b.confidence.count > 1) expect(b.confidence.stdErr).toBeLessThan(1e-6);
    }
  });

  test('confidence independent of the span: both correlations within 4 sigma_z of 0 (failure probability 6e-5 each)', () => {
    const rng = Rng.stream(12, 0);
    const p = Float32Array.from({ length: held.count }, () => rng.uniform());
    const c = jonesDegreeCorrelation(held, p);
    for (const r of [c.pearson, c.spearman]) {
      expect(Math.abs(r.z)).toBeLessThan(4 * r.zStdErr);
      expect(r.interval[0]).toBeLessThan(r.value);
      expect(r.interval[1]).toBeGreaterThan(r.value);
    }
  });

  test('bad confidences are refused, naming the argument', () => {
    expect(() => jonesDegreeCorrelation(smallTest, new Float32Array(3))).toThrow(/jonesDegreeCorrelation: confidence must be 200 probabilities P\(unknot\), one per test word, got length 3/);
    expect(() => jonesDegreeCorrelation(smallTest, new Float32Array(200).fill(1.5))).toThrow(/jonesDegreeCorrelation: confidence must be probabilities in \[0, 1\], got 1.5 at word 0/);
    expect(() => jonesDegreeCorrelation({} as UnknotDataset, new Float32Array(3))).toThrow(/jonesDegreeCorrelation: test must be an UnknotDataset/);
  });
});

describe('hard instances', () => {
  // Words 0 and 2 are unknots, 1 and 3 knots (the data set interleaves them).
  const test8 = unknotDataset({ strands, length, count: 8, seed: 9 });
  const models = [
    Float32Array.from([0.2, 0.9, 0.4, 0.1, 0.9, 0.1, 0.9, 0.1]),
    Float32Array.from([0.1, 0.6, 0.7, 0.1, 0.9, 0.1, 0.9, 0.7]),
    Float32Array.from([0.3, 0.8, 0.4, 0.6, 0.9, 0.1, 0.9, 0.1]),
  ];

  test('hand-made confidences: the words all three models get wrong, most confident first, with word and Jones polynomial', () => {
    expect(Array.from(test8.labels)).toEqual([1, 0, 1, 0, 1, 0, 1, 0]);
    const h = hardInstances(test8, models);
    expect(h.models).toBe(3);
    expect(h.instances.map((i) => i.index)).toEqual([0, 1]); // word 0: right with 0.2, 0.1, 0.3 (mean 0.2); word 1: 0.1, 0.4, 0.2 (0.233)
    const [zero, one] = h.instances;
    expect(zero.label).toBe(1);
    expect(zero.correctConfidence.value).toBeCloseTo(0.2, 6);
    expect(zero.correctConfidence.stdErr).toBeCloseTo(0.1 / Math.sqrt(3), 6);
    expect(one.label).toBe(0);
    expect(one.meanConfidence).toBeCloseTo((0.9 + 0.6 + 0.8) / 3, 6);
    expect(one.correctConfidence.value).toBeCloseTo(1 - (0.9 + 0.6 + 0.8) / 3, 6);
    expect(one.word).toEqual(datasetBraid(test8, 1).word);
    expect(one.jones.equals(jonesPolynomial(braid(one.word as number[], strands)))).toBe(true);
    expect(zero.jones.equals(Laurent.ONE)).toBe(true);
    // Per class: unknots 0, 2, 4, 6 wrong in models (1, 1, 1), (0, 1, 0) ... counted by hand.
    expect(h.unknots).toEqual({ hard: 1, total: 4, expectedIfIndependent: 4 * (2 / 4) * (1 / 4) * (2 / 4) });
    expect(h.knots).toEqual({ hard: 1, total: 4, expectedIfIndependent: 4 * (1 / 4) * (2 / 4) * (2 / 4) });
    // A higher threshold calls fewer words unknots: word 1 (0.6 in model 1) is then right there.
    expect(hardInstances(test8, models, 0.65).instances.map((i) => i.index)).toEqual([0]);
  });

  test('bad arguments are refused, naming the argument', () => {
    expect(() => hardInstances(test8, [])).toThrow(/hardInstances: confidences must be a non-empty array/);
    expect(() => hardInstances(test8, [models[0], new Float32Array(7)])).toThrow(/hardInstances: confidences\[1\] must be 8 probabilities/);
    expect(() => hardInstances(test8, models, 1)).toThrow(/hardInstances: threshold must be a number in \(0, 1\), got 1/);
  });
});
