/**
 * The unknot classifiers (src/knots/classifier.ts): the data set is what it says (balanced labels,
 * tokens in range, every unknot with V = 1 and every knot with V != 1 by the Jones polynomial, an
 * independent check of the priors' labels), and both models, trained briefly with fixed seeds, beat
 * chance by more than 10 binomial standard errors on held-out words.
 */
import { braid } from '../src/knots/braid';
import { jonesPolynomial } from '../src/knots/invariants';
import { Laurent } from '../src/knots/laurent';
import { token, trainUnknotClassifier, unknotDataset, vocabulary } from '../src/knots/classifier';

const strands = 3;
const length = 12;
const train = unknotDataset({ strands, length, count: 2000, seed: 1 });
const held = unknotDataset({ strands, length, count: 1000, seed: 2 });

test('the data set: balanced, tokens in range, labels confirmed by the Jones polynomial', () => {
  expect(train.labels.reduce((a, b) => a + b, 0)).toBe(1000);
  expect(train.tokens.every((t) => t >= 0 && t < vocabulary(strands) - 1)).toBe(true);
  const letters = [-2, -1, 1, 2];
  const decode = new Map(letters.map((g) => [token(g, strands), g]));
  expect(decode.size).toBe(4);
  for (let s = 0; s < 200; s++) {
    const word = Array.from(held.tokens.subarray(s * length, (s + 1) * length), (t) => decode.get(t)!);
    const isUnknot = jonesPolynomial(braid(word, strands)).equals(Laurent.ONE);
    expect(isUnknot).toBe(held.labels[s] === 1);
  }
});

test.each(['dense', 'transformer'] as const)('%s classifier beats chance by > 10 standard errors', async (kind) => {
  const r = await trainUnknotClassifier({ kind, train, test: held, epochs: 10, seed: 3, progress: false });
  expect(r.loss[r.loss.length - 1]).toBeLessThan(r.loss[0]);
  expect(r.accuracy - 0.5).toBeGreaterThan(10 * r.stdErr);
  expect(r.confidence).toHaveLength(held.count);
}, 120_000);
