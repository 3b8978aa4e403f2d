// %% [markdown]
// # Learning to unknot
//
// *NN-QFT triangle talk, first half ("Learning to Unknot", Gukov, Halverson, Ruehle, Sułkowski, arXiv:2010.16263): the unknot problem,
// priors for random knots, transformers deciding the unknot, reinforcement learning that unknots.*
//
// Is a tangled loop of string secretly the unknot? Knots are closures of braids, and braids are words: the letter $i > 0$ is $\sigma_i$,
// strand $i$ crossing over strand $i+1$ (a positive crossing), $-i$ its inverse. Two words close to the same knot exactly when the braid
// relations (BR1: far letters commute; BR2: $\sigma_i\sigma_{i+1}\sigma_i = \sigma_{i+1}\sigma_i\sigma_{i+1}$) and the Markov moves (conjugation,
// stabilisation) connect them. Invariants decide some cases fast: the Alexander polynomial is 1 for the unknot but also for some knots; the Jones
// polynomial is 1 for the unknot and for no knot known, but it is #P-hard in general. So the talk asks two machine-learning questions:
// can a network *decide* the unknot from the word, and can an agent *find* the moves that unknot it? This notebook redoes both, with the
// invariants, each computed by two independent algorithms, as ground truth.
//
// Conventions: the Jones polynomial is normalised to $V(\text{unknot}) = 1$ with $V(\widehat{\sigma_1^3}) = t + t^3 - t^4$ (the right-handed
// trefoil); the Alexander polynomial is Conway-normalised (symmetric, $\Delta(1) = 1$). Knot names follow Rolfsen's table, a star marking the
// mirror of the table's word (docs/lecture-map.md, "Learning to unknot").

// %%
import * as nnft from '../dist';

const SEED = 0;
const FAIL_PROB = 1e-3;
const Z = nnft.bonferroniZ(FAIL_PROB, 8);
console.log(`scale=${nnft.scale()}  z=${Z.toFixed(2)}`);

// %% [markdown]
// ## Knots as closed braids
//
// The talk's figure 1, drawn from braid words: close the strands around the right and every crossing of the word becomes a crossing of the knot
// (the under-strand is broken; each component of a link gets its own colour). The last panel is a random unknot from the prior below: 16
// crossings and still the unknot.

// %%
const pictured = ['0_1', '3_1', '4_1', '5_1', '5_2'].map((name) => ({ braid: nnft.KNOT_TABLE.find((k) => k.name === name)!.braid, label: name }));
const shownUnknot = nnft.randomUnknot(nnft.Rng.stream(SEED, 0), 3, 16);
nnft.showSvg(nnft.braidDiagramGrid([...pictured, { braid: shownUnknot, label: `random unknot [${shownUnknot.word.join(' ')}]` }], 3), 'closed-braids');

// %% [markdown]
// ## Ground truth: two routes to each invariant
//
// The Jones polynomial comes from the Kauffman bracket, computed through the Temperley-Lieb representation of the braid (polynomial in the
// number of crossings at fixed strands) and, independently, as the sum over all $2^c$ smoothings. The Alexander polynomial comes from the
// reduced Burau matrix and, independently, from a minor of the Fox Jacobian. Both routes must agree on every knot of the table up to seven
// crossings and on random braids (links included); the table's Alexander polynomials and determinants are the tabulated ones.

// %%
/** |p(-1)| for a polynomial with integer exponents given as {exponent: coefficient}. */
const atMinusOne = (p: Record<string, number>) => Math.abs(Object.entries(p).reduce((s, [e, c]) => s + c * (Number(e) % 2 === 0 ? 1 : -1), 0));
const tableRows = nnft.KNOT_TABLE.map((k) => {
  const jones = nnft.jonesPolynomial(k.braid);
  const alexander = nnft.alexanderPolynomial(k.braid);
  return {
    knot: k.name,
    braid: k.braid.word.join(' '),
    'Jones V(t)': jones.toString('t', 4),
    'Alexander (t)': alexander.toString('t', 2),
    '|V(-1)|': atMinusOne(jones.toRecord(4)),
    '|Delta(-1)|': atMinusOne(alexander.toRecord(2)),
    'det (table)': k.determinant,
    'V: TL = state sum': jones.equals(nnft.jonesStateSum(k.braid)),
    'Delta: Burau = Fox': alexander.equals(nnft.alexanderFox(k.braid)) || alexander.equals(nnft.alexanderFox(k.braid).neg()),
    'Delta = table': alexander.equals(nnft.Laurent.of(-2 * ((k.alexander.length - 1) / 2), k.alexander.flatMap((c, i) => (i ? [0, c] : [c])))),
  };
});
nnft.printTable(tableRows);
const RANDOM_BRAIDS = nnft.atScale({ ci: 300, full: 1000 });
const braidRng = nnft.Rng.stream(SEED + 1, 0);
let jonesAgree = 0;
let alexanderAgree = 0;
for (let k = 0; k < RANDOM_BRAIDS; k++) {
  const b = nnft.randomBraid(braidRng, 12);
  if (nnft.jonesPolynomial(b).equals(nnft.jonesStateSum(b))) jonesAgree++;
  const burau = nnft.alexanderPolynomial(b);
  const fox = nnft.alexanderFox(b);
  if (burau.equals(fox) || burau.equals(fox.neg())) alexanderAgree++;
}
console.log(`random braids (2-5 strands, 0-12 letters): Jones agrees on ${jonesAgree}/${RANDOM_BRAIDS}, Alexander (up to sign for links) on ${alexanderAgree}/${RANDOM_BRAIDS}`);

// %% [markdown]
// ## The prior at low crossing number
//
// Random words are the data of everything below, so it matters which knots they make. Draw words of 9 letters on 4 strands whose closure is a
// knot (one component, no cancelling pair) and name each closure by its Jones and Alexander polynomials (`identifyKnot`; mirrors counted
// together, as in the talk's figure 8). Nine letters can make knots of up to nine crossings; the table here stops at seven, so the rest are
// "other" (eight and nine crossings, or composite). The prior is far from uniform: the unknot and the trefoil dominate, and the longer knots
// of the table are rare.

// %%
const PRIOR_WORDS = nnft.atScale({ ci: 600, full: 6455 });
const priorCounts = new Map<string, number>();
for (let s = 0; s < PRIOR_WORDS; s++) {
  const name = nnft.identifyKnot(nnft.randomKnotWord(nnft.Rng.stream(SEED + 2, s), 4, 9))?.replace('*', '') ?? 'other';
  priorCounts.set(name, (priorCounts.get(name) ?? 0) + 1);
}
const priorNames = [...nnft.KNOT_TABLE.map((k) => k.name), 'other'].filter((n) => priorCounts.has(n));
const priorP = priorNames.map((n) => priorCounts.get(n)! / PRIOR_WORDS);
nnft.show(nnft.figure(`The prior: closures of ${PRIOR_WORDS} random 9-letter knot words on 4 strands`, [
  nnft.errorBarTrace('fraction (binomial error)', priorNames, priorP, priorP.map((p) => Math.sqrt((p * (1 - p)) / PRIOR_WORDS)), 0),
], { title: 'knot (Rolfsen; mirrors together)' }, { title: 'fraction of words', log: true }), 'prior');
nnft.printTable(priorNames.map((n, i) => ({ knot: n, words: priorCounts.get(n)!, fraction: +priorP[i].toFixed(4) })));

// %% [markdown]
// ## Deciding the unknot
//
// Labelled data come from the two priors: half the words are random unknots (labels by construction; each one's Jones polynomial is 1, checked
// below), half random knotted words of the same length (uniform letters with a one-component closure and $V \ne 1$). Words are tokens, one per
// letter. Two classifiers in tfjs: a fully connected network on the one-hot word (the talk's baseline) and a transformer with *shared-QK*
// attention, the Reformer's trick of one projection for queries and keys (a token does not attend to itself), with a learned bias by cyclic
// offset instead of absolute positions, so that rotating the word (a conjugation: the same knot) does not change the answer. Training writes a
// checkpoint after every epoch (`out/checkpoints/`): an interrupted run resumes where it stopped, a finished one is read back.
// The main setting: 3 strands, 12 letters.

// %%
const CLS = nnft.atScale({
  ci: { dense: { train: 2000, epochs: 10 }, transformer: { train: 2000, epochs: 10, batchSize: 64, learningRate: 3e-3 }, test: 1000, hardModels: 3, hardTrain: 2000, lengths: [6, 10, 14, 18], lengthTrain: 1000, lengthTest: 500, lengthSeeds: [0, 1] },
  full: { dense: { train: 60000, epochs: 10 }, transformer: { train: 12000, epochs: 20, batchSize: 256, learningRate: 6e-3 }, test: 2000, hardModels: 5, hardTrain: 20000, lengths: [6, 10, 14, 18], lengthTrain: 10000, lengthTest: 2000, lengthSeeds: [0, 1, 2] },
});
const LETTERS = 12;
const checkpoints = `${nnft.outputDir()}/checkpoints/T-1-${nnft.scale()}`;
const testSet = nnft.unknotDataset({ strands: 3, length: LETTERS, count: CLS.test, seed: SEED + 21 });
const dense = await nnft.trainUnknotClassifier({ kind: 'dense', train: nnft.unknotDataset({ strands: 3, length: LETTERS, count: CLS.dense.train, seed: SEED + 20 }), test: testSet, epochs: CLS.dense.epochs, seed: SEED + 22, checkpoint: `${checkpoints}-dense.json` });
const transformer = await nnft.trainUnknotClassifier({ kind: 'transformer', train: nnft.unknotDataset({ strands: 3, length: LETTERS, count: CLS.transformer.train, seed: SEED + 20 }), test: testSet, epochs: CLS.transformer.epochs, batchSize: CLS.transformer.batchSize, learningRate: CLS.transformer.learningRate, seed: SEED + 23, checkpoint: `${checkpoints}-transformer.json` });
nnft.printTable([dense, transformer].map((r, k) => ({
  model: r.kind, parameters: r.parameters, 'training words': k ? CLS.transformer.train : CLS.dense.train, epochs: r.loss.length,
  'test accuracy': +r.accuracy.toFixed(4), err: +r.stdErr.toFixed(4), 'final loss': +r.loss[r.loss.length - 1].toFixed(4), 'seconds (this run)': +r.seconds.toFixed(1),
})));

// %% [markdown]
// **Accuracy against length.** Every seed redraws its training and test words and its initial weights; the error bar is the spread over seeds.
// Short words repeat (the prior has few of them), so part of the test set at length 6 or 10 was seen in training; the accuracy on the unseen words
// is shown beside it. The talk finds accuracy *rising* with length; on this prior it falls: longer unknots are scrambled by more moves, and the
// knotted words of fixed strands and growing length do not become easier fast enough to make up for it (see the discussion at the end).

// %%
const byLength = await nnft.accuracyVsLength({ kind: 'dense', strands: 3, lengths: CLS.lengths, trainCount: CLS.lengthTrain, testCount: CLS.lengthTest, epochs: 10, seeds: CLS.lengthSeeds, checkpoints: `${checkpoints}-lengths` });
nnft.show(nnft.figure(`Dense classifier: test accuracy against braid length (3 strands, ${CLS.lengthTrain} training words, ${CLS.lengthSeeds.length} seeds)`, [
  nnft.errorBarTrace('all test words', byLength.map((r) => r.length), byLength.map((r) => r.accuracy.value), byLength.map((r) => r.accuracy.stdErr), 0),
  nnft.errorBarTrace('test words unseen in training', byLength.map((r) => r.length + 0.2), byLength.map((r) => r.unseenAccuracy.value), byLength.map((r) => r.unseenAccuracy.stdErr), 1),
], { title: 'letters' }, { title: 'accuracy' }), 'accuracy-vs-length');
nnft.printTable(byLength.map((r) => ({ letters: r.length, accuracy: +r.accuracy.value.toFixed(4), err: +r.accuracy.stdErr.toFixed(4), 'seen in training': +r.seenFraction.toFixed(3), 'unseen accuracy': +r.unseenAccuracy.value.toFixed(4), 'knots': +r.knotAccuracy.value.toFixed(4), 'unknots': +r.unknotAccuracy.value.toFixed(4) })));

// %% [markdown]
// **Hard instances and the Jones polynomial.** Train several dense models from different initial weights on the same words. Words that *every*
// model gets wrong are far more common than independent errors would leave: hardness belongs to the word, not to the initialisation. And the
// confidence with which a knot is called a knot grows with the span of its Jones polynomial (highest minus lowest power of $t$; for alternating
// knots the crossing number), although no network ever saw the polynomial.

// %%
const hardTrain = nnft.unknotDataset({ strands: 3, length: LETTERS, count: CLS.hardTrain, seed: SEED + 24 });
const hardRuns: nnft.ClassifierResult[] = [];
for (let m = 0; m < CLS.hardModels; m++) hardRuns.push(await nnft.trainUnknotClassifier({ kind: 'dense', train: hardTrain, test: testSet, epochs: 10, seed: SEED + 30 + m, checkpoint: `${checkpoints}-hard-${m}.json` }));
const hard = nnft.hardInstances(testSet, hardRuns.map((r) => r.confidence));
console.log(`models: ${hardRuns.map((r) => r.accuracy.toFixed(4)).join(', ')}; wrong for every model: ${hard.knots.hard} of ${hard.knots.total} knots (${hard.knots.expectedIfIndependent.toFixed(2)} if errors were independent), ${hard.unknots.hard} of ${hard.unknots.total} unknots (${hard.unknots.expectedIfIndependent.toFixed(2)})`);
const hardNamed = hard.instances.filter((h) => h.label === 0).map((h) => nnft.identifyKnot(nnft.datasetBraid(testSet, h.index))?.replace('*', '') ?? 'other');
const hardByKnot = [...new Set(hardNamed)].map((n) => ({ knot: n, 'hard words': hardNamed.filter((x) => x === n).length }));
nnft.printTable(hardByKnot.sort((a, b) => b['hard words'] - a['hard words']));
nnft.printTable(hard.instances.slice(0, 8).map((h) => ({ word: h.word.join(' '), truth: h.label ? 'unknot' : 'knot', knot: h.label ? '0_1' : nnft.identifyKnot(nnft.datasetBraid(testSet, h.index)) ?? 'other', 'Jones V(t)': h.jones.toString('t', 4), 'confidence in the truth': +h.correctConfidence.value.toFixed(3) })));
const jonesCorr = nnft.jonesDegreeCorrelation(testSet, hardRuns[0].confidence);
nnft.show(nnft.figure('Confidence that a knot is knotted, against the span of its Jones polynomial (first dense model)', [
  nnft.errorBarTrace('mean confidence (error over words)', jonesCorr.byDegree.map((d) => d.span), jonesCorr.byDegree.map((d) => d.confidence.value), jonesCorr.byDegree.map((d) => (Number.isFinite(d.confidence.stdErr) ? d.confidence.stdErr : 0)), 0),
], { title: 'span of V(t)' }, { title: '1 - P(unknot)' }), 'confidence-vs-jones');
console.log(`Spearman correlation of confidence and span: ${jonesCorr.spearman.value.toFixed(3)} ± ${jonesCorr.spearman.stdErr.toFixed(3)} (${jonesCorr.spearman.count} knots); Pearson ${jonesCorr.pearson.value.toFixed(3)} ± ${jonesCorr.pearson.stdErr.toFixed(3)}`);

// %% [markdown]
// ## Unknotting by reinforcement learning
//
// Deciding is not showing. An agent that *finds* the moves proves each unknot it solves. The game (`nnft.UnknotGame`) follows the talk:
// the state is the word, read from a cursor and zero-padded to $2N$; the actions move the cursor left or right, apply BR1 or BR2 at the cursor
// (then step right), conjugate by a generator (Markov 1), or SMARTCOLLAPSE (destabilise and cancel inverse pairs until nothing changes, the only
// move that shortens the word); the reward of each step is minus the word's length (over $N$); a game ends at the empty word or after 300 moves.
// BR2 here includes its conjugated form $\sigma_i^{\epsilon}\sigma_j^{\delta}\sigma_i^{-\epsilon} = \sigma_j^{-\epsilon}\sigma_i^{\delta}\sigma_j^{\epsilon}$: without it a
// commutator such as $\sigma_1^{-1}\sigma_2^{-1}\sigma_1\sigma_2$ cannot be shortened at all.
//
// The talk trains TRPO; the agent here is PPO, TRPO's first-order sibling (the same trust region, kept by clipping the probability ratio), on
// two-layer policy and value networks in tfjs. It trains once, on unknots of every length up to $N_{max}$ (short words teach what long words
// need), and is then tested on fresh unknots of each length against two baselines: the random walker and a greedy player that takes whichever
// move shortens the word most (in practice: collapse when collapsing helps, otherwise walk at random).

// %%
const RL = nnft.atScale({
  ci: { maxLength: 24, updates: 30, lengths: [8, 16, 24], starts: 100, claim: 24 },
  full: { maxLength: 72, updates: 150, lengths: [12, 24, 36, 48, 60, 72], starts: 200, claim: 48 },
});
const STRANDS = 3;
const agent = await nnft.trainUnknotAgent({ strands: STRANDS, length: RL.maxLength, updates: RL.updates, seed: SEED + 10 });
console.log(`PPO agent: ${agent.parameters} parameters, trained in ${agent.seconds.toFixed(0)} s on unknots of 4-${RL.maxLength} letters on ${STRANDS} strands`);
nnft.show(nnft.figure('PPO learning curve: games solved among those finished in each rollout', [
  nnft.curveTrace('solved fraction', agent.curve.map((_, u) => u + 1), agent.curve.map((c) => c.solved), 0),
], { title: 'update' }, { title: 'solved / finished' }), 'ppo-learning-curve');

// %%
const players = [
  { name: 'PPO agent', play: (starts: nnft.Braid[]) => agent.play(starts, { seed: SEED + 12 }) },
  { name: 'greedy', play: async (starts: nnft.Braid[]) => nnft.playUnknot(starts, nnft.greedyPlayer, { seed: SEED + 12 }) },
  { name: 'random walker', play: async (starts: nnft.Braid[]) => nnft.playUnknot(starts, nnft.randomWalker, { seed: SEED + 12 }) },
];
const rlRows: { player: string; N: number; solved: number; err: number; 'mean moves (solved)': number }[] = [];
const rlStarts: nnft.Braid[] = []; // every start word played, kept for the Checks
const outcomes = new Map<string, nnft.UnknotOutcome[]>(players.map((p) => [p.name, []]));
for (const N of RL.lengths) {
  const starts = Array.from({ length: RL.starts }, (_, s) => nnft.randomUnknot(nnft.Rng.stream(SEED + 11 + N, s), STRANDS, N));
  rlStarts.push(...starts);
  for (const p of players) {
    const o = await p.play(starts);
    outcomes.get(p.name)!.push(o);
    const solvedMoves = o.moves.filter((_, i) => o.solved[i]);
    rlRows.push({ player: p.name, N, solved: +o.fraction.toFixed(3), err: +o.stdErr.toFixed(3), 'mean moves (solved)': solvedMoves.length ? +(solvedMoves.reduce((a, b) => a + b, 0) / solvedMoves.length).toFixed(1) : NaN });
  }
}
nnft.printTable(rlRows);
nnft.show(nnft.figure(`Unknots reduced to the empty word within 300 moves (${RL.starts} fresh unknots per N, ${STRANDS} strands)`,
  players.map((p, k) => nnft.errorBarTrace(p.name, RL.lengths, outcomes.get(p.name)!.map((o) => o.fraction), outcomes.get(p.name)!.map((o) => o.stdErr), k)),
  { title: 'N (letters of the start word)' }, { title: 'fraction unknotted' }), 'unknotted-vs-length');

// %% [markdown]
// **What the agent does.** The share of its moves that goes to each action, against the random walker's uniform shares, at the largest $N$.
// SMARTCOLLAPSE is the only move that shortens and BR2 the one that prepares cancellations; every BR move already steps the cursor right, so
// plain shifts are rarely worth a move, and conjugation, which lengthens the word, is rarer still.

// %%
const names = nnft.unknotActionNames(STRANDS);
const usage = (o: nnft.UnknotOutcome) => {
  const total = o.actionCounts.reduce((a, b) => a + b, 0);
  return o.actionCounts.map((c) => c / total);
};
const last = RL.lengths.length - 1;
const agentUse = usage(outcomes.get('PPO agent')![last]);
const walkerUse = usage(outcomes.get('random walker')![last]);
nnft.printTable(names.map((n, a) => ({ action: n, 'PPO agent': +agentUse[a].toFixed(3), 'random walker': +walkerUse[a].toFixed(3) })));

// %% [markdown]
// ## Checks

// %%
const c = nnft.checks();
c.that('Jones: Temperley-Lieb = state sum on every knot of the table and on every random braid', tableRows.every((r) => r['V: TL = state sum']) && jonesAgree === RANDOM_BRAIDS, `${jonesAgree}/${RANDOM_BRAIDS} random braids`);
c.that('Alexander: Burau = Fox on every knot of the table and random braid; the table\'s polynomials and determinants |V(-1)| = |Delta(-1)| = det', tableRows.every((r) => r['Delta: Burau = Fox'] && r['Delta = table'] && r['|V(-1)|'] === r['det (table)'] && r['|Delta(-1)|'] === r['det (table)']) && alexanderAgree === RANDOM_BRAIDS);
c.that('every unknot the agents played has Jones polynomial 1 (labels by construction, checked by the invariant)', rlStarts.every((b) => nnft.jonesPolynomial(b).equals(nnft.Laurent.ONE)), `${rlStarts.length} words`);
c.that('the prior: the unknot and the trefoil are the two most frequent knots', [...priorCounts.entries()].filter(([n]) => n !== 'other').sort((a, b) => b[1] - a[1]).slice(0, 2).map(([n]) => n).sort().join(',') === '0_1,3_1');
const testUnknots = Array.from({ length: testSet.count }, (_, i) => i).filter((i) => testSet.labels[i] === 1);
c.that('every unknot of the test set has Jones polynomial 1, every knot V != 1', Array.from({ length: testSet.count }, (_, i) => i).every((i) => nnft.jonesPolynomial(nnft.datasetBraid(testSet, i)).equals(nnft.Laurent.ONE) === (testSet.labels[i] === 1)), `${testUnknots.length} unknots, ${testSet.count - testUnknots.length} knots`);
for (const r of [dense, transformer]) c.that(`${r.kind} classifier beats chance by more than ${Z.toFixed(1)} standard errors`, (r.accuracy - 0.5) / r.stdErr > Z, `${(100 * r.accuracy).toFixed(1)}% ± ${(100 * r.stdErr).toFixed(1)}%`);
if (nnft.scale() === 'full') c.that('full scale: both classifiers reach 95% on the main setting (3 strands, 12 letters)', [dense, transformer].every((r) => r.accuracy >= 0.95), [dense, transformer].map((r) => `${r.kind} ${(100 * r.accuracy).toFixed(1)}%`).join(', '));
c.that(`hardness persists across initialisations: more words wrong for every model than independent errors leave (by > ${Z.toFixed(1)} Poisson sigma)`, hard.knots.hard + hard.unknots.hard - (hard.knots.expectedIfIndependent + hard.unknots.expectedIfIndependent) > Z * Math.sqrt(hard.knots.expectedIfIndependent + hard.unknots.expectedIfIndependent + 1));
c.that(`confidence rises with the span of the Jones polynomial (Spearman > ${Z.toFixed(1)} sigma above 0)`, jonesCorr.spearman.z / jonesCorr.spearman.zStdErr > Z, `${jonesCorr.spearman.value.toFixed(3)} ± ${jonesCorr.spearman.stdErr.toFixed(3)}`);
const rlLast = (name: string) => outcomes.get(name)![last];
const rlGap = (a: nnft.UnknotOutcome, b: nnft.UnknotOutcome) => (a.fraction - b.fraction) / Math.sqrt(a.stdErr ** 2 + b.stdErr ** 2 + 1 / RL.starts ** 2);
c.that(`at N = ${RL.lengths[last]} the PPO agent unknots more than the random walker (by > ${Z.toFixed(1)} standard errors)`, rlGap(rlLast('PPO agent'), rlLast('random walker')) > Z, `${rlLast('PPO agent').fraction.toFixed(3)} against ${rlLast('random walker').fraction.toFixed(3)}`);
c.that(`the PPO agent unknots at least 80% at every N up to ${RL.claim}`, outcomes.get('PPO agent')!.every((o, k) => RL.lengths[k] > RL.claim || o.fraction >= 0.8), outcomes.get('PPO agent')!.map((o, k) => `N = ${RL.lengths[k]}: ${o.fraction.toFixed(3)}`).join(', '));
c.that('the random walker falls with N', outcomes.get('random walker')![0].fraction > rlLast('random walker').fraction);
c.report();

// %% [markdown]
// ## Summary, and where this lab differs from the talk
//
// * Braid words are a natural language for knots: the invariants that serve as ground truth agree route by route, on the table and on random
//   braids, and the prior over small knots is dominated by the unknot and the trefoil.
// * Networks decide the unknot from the word alone, far above chance; at full scale both reach 95% on 12-letter words on 3 strands (the transformer
//   needs more training than the dense net here, where the talk finds the Reformer a little ahead). Hardness is a property of the word: the same
//   words fool every initialisation. Confidence tracks the span of the Jones polynomial without ever seeing it.
// * **Accuracy does not rise with length on this prior**, unlike the talk's figure: our unknots keep their strands fixed and get scrambled by
//   more moves as they grow, while the talk's Algorithm 5 grows the number of strands by Markov moves (stabilisations are easy to spot). Part of
//   the accuracy at short lengths is memory: many short test words occur in training.
// * A PPO agent unknots random unknots it has never seen, far beyond the random walker and the greedy player, and (on 3 strands) stays at or
//   above 80% up to the largest $N$ quoted in the Checks; beyond it the 300-move cap binds: it solves by about three moves per letter, and a
//   72-letter unknot needs more than 300 of them. The talk's TRPO reaches 96 crossings on its own prior.

// %% [markdown]
// ## Exercises
//
// 1. **Markov's theorem by hand.** Show that the closures of $\sigma_1\sigma_2$ and of the commutator $\sigma_1^{-1}\sigma_2^{-1}\sigma_1\sigma_2$ on three
//    strands are both the unknot: find the moves (BR2 in either form, cancellation, destabilisation), then confirm with `nnft.jonesPolynomial`.
//    Why can no sequence of same-sign BR2, BR1 and cancellations shorten the commutator?
// 2. **Mirrors.** The Jones polynomial of the mirror image is $V(1/t)$. Which knots of the table are amphichiral? Check with `nnft.KNOT_TABLE`
//    (negate every letter of a word to mirror it).
// 3. **The greedy player's horizon.** Replace the greedy player by one that looks two moves ahead (all pairs of actions, pick the pair ending
//    shortest). Does it close the gap to the PPO agent at $N = 24$?

// %% tags=["solution"]
// 1. s1^-1 (s2^-1 s1 s2) = s1^-1 (s1 s2 s1^-1) by the conjugated BR2 = s2 s1^-1: one sigma_2, so destabilise to s1^-1 on two strands, then to
//    the empty word. Same-sign BR2 needs three letters of one sign and the commutator alternates signs; no pair cancels: nothing applies.
const exWord = nnft.braid([-1, -2, 1, 2], 3);
console.log(`1. V = ${nnft.jonesPolynomial(exWord).toString('t', 4)} for both (sigma_1 sigma_2: ${nnft.jonesPolynomial(nnft.braid([1, 2], 3)).toString('t', 4)}); after BR2 at position 1: [${nnft.braidRelation(exWord, 1)!.word.join(' ')}], collapsed: [${nnft.smartCollapse(nnft.braidRelation(exWord, 1)!).word.join(' ')}]`);
// 2. Amphichiral knots have V(t) = V(1/t): the mirror word has the same Jones polynomial.
const amphichiral = nnft.KNOT_TABLE.filter((k) => nnft.jonesPolynomial(nnft.braid(k.braid.word.map((g) => -g), k.braid.strands)).equals(nnft.jonesPolynomial(k.braid))).map((k) => k.name);
console.log(`2. amphichiral in the table: ${amphichiral.join(', ')}`);
// 3. Two-move lookahead: try every pair of actions on a copy of the game and take the first move of the best pair.
const lookahead: nnft.UnknotPolicy = (game, rng) => {
  const A = nnft.unknotActions(game.strands);
  let best = Infinity;
  let choice = 0;
  for (let a = 0; a < A; a++) {
    const first = game.peek(a);
    const g2 = new nnft.UnknotGame(first.braid, game.maxSteps, game.capacity);
    g2.cursor = first.cursor;
    for (let b = 0; b < A; b++) {
      const len = g2.peek(b).braid.word.length + rng.uniform() * 0.5; // random tie-break
      if (len < best) (best = len), (choice = a);
    }
  }
  return choice;
};
const exStarts = Array.from({ length: 100 }, (_, s) => nnft.randomUnknot(nnft.Rng.stream(SEED + 40, s), STRANDS, 24));
console.log(`3. N = 24: two-move lookahead ${nnft.playUnknot(exStarts, lookahead, { seed: 1 }).fraction.toFixed(2)}, greedy ${nnft.playUnknot(exStarts, nnft.greedyPlayer, { seed: 1 }).fraction.toFixed(2)}, PPO ${(await agent.play(exStarts, { seed: 1 })).fraction.toFixed(2)}`);
agent.dispose();
