/**
 * Width scalings of a deep MLP in the lecture's abc-form (TASI section 4.3, eqs. (101)-(106)):
 *
 *   phi(x)   = z^(L)(x) / (gamma0 N^d)
 *   z^(L)    = N^(-a_L) w_i sigma(z_i^(L-1))                      (readout)
 *   z^(l)_i  = N^(-a_l) W_ij sigma(z_j^(l-1))                      (hidden layers 2 .. L-1)
 *   z^(1)_i  = N^(-a_1) D^(-1/2) W_ij x_j                          (first layer)
 *   W^(l) ~ N(0, N^(-b_l)),  learning rate eta = eta0 gamma0^2 N^(2d - c).
 *
 * As in the lectures, one (a, b) pair serves every layer after the first, the readout included.
 * This table is the one source of truth for the presets; `scalingGoals` evaluates the lecture's
 * three goals (eqs. (121)-(125)) for any choice.
 */
import { checkPositiveNumber, fail } from '../core/validate';

export interface AbcParameterization {
  readonly name: string;
  /** First layer: multiplier exponent a_1 and initial variance exponent b_1. */
  readonly a1: number;
  readonly b1: number;
  /** Every later layer (hidden and readout): a_l, b_l. */
  readonly a: number;
  readonly b: number;
  /** Learning-rate exponent c and output exponent d (eta = eta0 gamma0^2 N^(2d - c)). */
  readonly c: number;
  readonly d: number;
}

/**
 * The presets. standard: O(1) initialisation, no width factors in the forward pass and a
 * width-independent learning rate; ntk: the NTK parameterization (a = 1/2, d = 0: the lazy regime,
 * no feature learning, TASI remark after eq. (120)); mup: the maximal-update parameterization (the
 * lectures' solution (126)-(127) with c = 1, fixed by 2d - c = 0 after eq. (127)).
 */
export const PARAMETERIZATIONS: Readonly<Record<'standard' | 'ntk' | 'mup', AbcParameterization>> = Object.freeze({
  standard: Object.freeze({ name: 'standard', a1: 0, b1: 0, a: 0, b: 1, c: 0, d: 0 }),
  ntk: Object.freeze({ name: 'ntk', a1: 0, b1: 0, a: 0.5, b: 0, c: 0, d: 0 }),
  mup: Object.freeze({ name: 'mup', a1: -0.5, b1: 1, a: 0, b: 1, c: 1, d: 0.5 }),
});
export type ParameterizationName = keyof typeof PARAMETERIZATIONS;

/** The lectures' one-parameter family solving all three goals, eqs. (126)-(127): a free, d = 1/2. */
export function featureLearningFamily(a: number): AbcParameterization {
  if (!Number.isFinite(a)) fail('featureLearningFamily', 'a', 'a finite number', a);
  return Object.freeze({ name: `feature-learning a=${a}`, a1: a - 0.5, b1: 1 - 2 * a, a, b: 1 - 2 * a, c: 1 - 2 * a, d: 0.5 });
}

/** A preset by name, or a full abc record checked for finite exponents. */
export function parameterization(p: ParameterizationName | AbcParameterization, fn = 'parameterization'): AbcParameterization {
  if (typeof p === 'string') {
    const preset = (PARAMETERIZATIONS as Record<string, AbcParameterization>)[p];
    if (!preset) fail(fn, 'parameterization', `one of ${Object.keys(PARAMETERIZATIONS).join(', ')} or an abc record`, p);
    return preset;
  }
  for (const key of ['a1', 'b1', 'a', 'b', 'c', 'd'] as const) {
    if (typeof p?.[key] !== 'number' || !Number.isFinite(p[key])) fail(fn, `parameterization.${key}`, 'a finite number', p?.[key]);
  }
  return p;
}

/** The lecture's goals for an abc choice: which hold, with the exponent each one needs to be zero. */
export interface ScalingGoals {
  /** Pre-activations O(1) at initialisation: 2a_1 + b_1 = 0 and 2a_l + b_l = 1 (eqs. (121)-(122)). */
  readonly finitePreactivations: boolean;
  /** d phi / dt O(1): 2a_1 + c = 0 and 2a_l + c = 1 (eqs. (123)-(124)). */
  readonly finiteLearning: boolean;
  /** d z / dt O(1): d = 1/2 given the above (eq. (125)); d < 1/2 means no feature learning. */
  readonly featureLearning: boolean;
  /** Learning rate O(1) in width: 2d - c = 0. */
  readonly widthIndependentRate: boolean;
  /** Exponent of N in the learning rate, 2d - c. */
  readonly rateExponent: number;
}

const near = (x: number, y: number) => Math.abs(x - y) < 1e-12;

/**
 * The lecture's three goals for an abc choice, TASI eqs. (121)-(125) (derived in eqs. (107)-(120)),
 * and the width-independent learning rate 2d - c = 0 of eq. (106) (after eq. (127)).
 */
export function scalingGoals(p: ParameterizationName | AbcParameterization): ScalingGoals {
  const q = parameterization(p, 'scalingGoals');
  const finitePreactivations = near(2 * q.a1 + q.b1, 0) && near(2 * q.a + q.b, 1);
  const finiteLearning = near(2 * q.a1 + q.c, 0) && near(2 * q.a + q.c, 1);
  return {
    finitePreactivations,
    finiteLearning,
    featureLearning: finitePreactivations && finiteLearning && near(q.d, 0.5),
    widthIndependentRate: near(2 * q.d - q.c, 0),
    rateExponent: 2 * q.d - q.c,
  };
}

/** eta = eta0 gamma0^2 N^(2d - c) (eq. (106)). */
export function learningRate(p: ParameterizationName | AbcParameterization, width: number, eta0: number, gamma0 = 1): number {
  const q = parameterization(p, 'learningRate');
  checkPositiveNumber('learningRate', 'width', width);
  return eta0 * gamma0 * gamma0 * width ** (2 * q.d - q.c);
}
