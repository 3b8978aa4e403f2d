/**
 * Knots and braids ("Learning to Unknot", the first half of the NN-QFT triangle talk): braid words,
 * the braid relations and Markov moves, random priors of knots and unknots, and the invariants that
 * serve as ground truth (Jones polynomial, Alexander polynomial), each by two independent algorithms.
 */
export { Laurent } from './laurent';
export { braid, braidRelation, commute, components, conjugate, destabilize, freeReduce, randomKnotWord, randomUnknot, rotate, smartCollapse, stabilize, strandPermutation, writhe } from './braid';
export type { Braid } from './braid';
export { alexanderFox, alexanderPolynomial, jonesPolynomial, jonesStateSum, kauffmanBracket, randomKnot } from './invariants';
export { token, trainUnknotClassifier, unknotDataset, vocabulary } from './classifier';
export type { ClassifierKind, ClassifierOptions, ClassifierResult, UnknotDataset } from './classifier';
