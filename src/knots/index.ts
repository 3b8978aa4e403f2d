/**
 * Knots and braids ("Learning to Unknot", the first half of the NN-QFT triangle talk): braid words,
 * the braid relations and Markov moves, random priors of knots and unknots, and the invariants that
 * serve as ground truth (Jones polynomial, Alexander polynomial), each by two independent algorithms.
 */
export { Laurent } from './laurent';
export { braid, braidRelation, commute, components, conjugate, destabilize, freeReduce, randomBraid, randomKnotWord, randomUnknot, rotate, smartCollapse, stabilize, strandPermutation, writhe } from './braid';
export type { Braid } from './braid';
export { alexanderFox, alexanderPolynomial, jonesPolynomial, jonesStateSum, kauffmanBracket, randomKnot } from './invariants';
export { letter, token, trainUnknotClassifier, unknotDataset, vocabulary } from './classifier';
export type { ClassifierKind, ClassifierOptions, ClassifierResult, PositionalEncoding, UnknotDataset } from './classifier';
export { accuracyVsLength, datasetBraid, hardInstances, jonesDegreeCorrelation } from './unknot-study';
export type { AccuracyVsLengthOptions, HardCount, HardInstance, HardInstances, JonesDegreeCorrelation, JonesRow, LengthAccuracy, SeedAccuracy } from './unknot-study';
export { braidDiagramGrid, closedBraidSvg } from './diagram';
export type { BraidDiagramItem, ClosedBraidSvgOptions } from './diagram';
export { KNOT_TABLE, identifyKnot } from './table';
export type { KnotTableEntry } from './table';
export { MAX_UNKNOT_STEPS, UnknotGame, greedyPlayer, playUnknot, randomWalker, unknotActionNames, unknotActions, unknotOutcome, unknotTokens } from './unknotting';
export type { UnknotOutcome, UnknotPolicy } from './unknotting';
export { trainUnknotAgent } from './unknot-agent';
export type { UnknotAgent, UnknotAgentOptions } from './unknot-agent';
