/**
 * Architectures as data: the network function phi_theta together with its parameter density
 * P(theta), so one object can be sampled, evaluated and (where known) given its exact kernel.
 *
 * Single-layer nets in the NN-QFT conventions (Halverson, Maiti, Stoner; see the glossary):
 *
 *   f(x) = sum_{i=1..N} W1_i act_x(W0_i . x + b0_i) + b1,          x in R^D
 *   W0_ij ~ N(0, sw^2 / D),  b0_i ~ N(0, sb^2),  W1_i ~ N(0, sw^2 / N),  b1 ~ N(0, sb^2).
 *
 * Activations: erf, ReLU, tanh, and the Gauss-net unit
 *   act_x(z) = exp(z) / sqrt(exp[2 (sb^2 + sw^2 |x|^2 / D)]) = exp(z - sb^2 - sw^2 |x|^2 / D),
 * whose normalisation depends on the input and makes the GP kernel translation invariant.
 */
import { checkNonNegativeNumber, checkPositiveInteger, fail } from './validate';

export type ActivationName = 'erf' | 'relu' | 'tanh' | 'gauss';

export const ACTIVATIONS: readonly ActivationName[] = ['erf', 'relu', 'tanh', 'gauss'];

/** A Gaussian parameter density N(0, variance), one entry per parameter block. */
export interface NormalDensity {
  readonly kind: 'normal';
  readonly mean: number;
  readonly variance: number;
}

/** A single-hidden-layer network ensemble (phi_theta, P(theta)). */
export interface SingleLayerNet {
  readonly kind: 'single-layer';
  /** Human-readable name, e.g. "Erf-net". */
  readonly name: string;
  readonly activation: ActivationName;
  /** N: number of hidden neurons. */
  readonly width: number;
  /** D: input dimension. */
  readonly dIn: number;
  /** sw: weight scale; W0 has variance sw^2/D, W1 has variance sw^2/N. */
  readonly sigmaW: number;
  /** sb: bias scale; b0 and b1 have variance sb^2. */
  readonly sigmaB: number;
  /** The parameter density P(theta), block by block. */
  readonly params: {
    readonly W0: NormalDensity;
    readonly b0: NormalDensity;
    readonly W1: NormalDensity;
    readonly b1: NormalDensity;
  };
}

/** Options shared by the single-layer constructors. Defaults: dIn = 1, sigmaW = sigmaB = 1. */
export interface SingleLayerOptions {
  width: number;
  dIn?: number;
  sigmaW?: number;
  sigmaB?: number;
}

const DISPLAY_NAMES: Record<ActivationName, string> = {
  erf: 'Erf-net',
  relu: 'ReLU-net',
  tanh: 'Tanh-net',
  gauss: 'Gauss-net',
};

const normal = (variance: number): NormalDensity => ({ kind: 'normal', mean: 0, variance });

/** A single-layer net with the given activation in the NN-QFT conventions. */
export function singleLayerNet(activation: ActivationName, options: SingleLayerOptions): SingleLayerNet {
  const fn = `${activation}Net`;
  if (!ACTIVATIONS.includes(activation)) fail('singleLayerNet', 'activation', `one of ${ACTIVATIONS.join(', ')}`, activation);
  if (options === null || typeof options !== 'object') fail(fn, 'options', 'an object with a width', options);
  const width = checkPositiveInteger(fn, 'width', options.width);
  const dIn = checkPositiveInteger(fn, 'dIn', options.dIn ?? 1);
  const sigmaW = checkNonNegativeNumber(fn, 'sigmaW', options.sigmaW ?? 1);
  const sigmaB = checkNonNegativeNumber(fn, 'sigmaB', options.sigmaB ?? 1);
  return Object.freeze({
    kind: 'single-layer',
    name: DISPLAY_NAMES[activation],
    activation,
    width,
    dIn,
    sigmaW,
    sigmaB,
    params: Object.freeze({
      W0: normal((sigmaW * sigmaW) / dIn),
      b0: normal(sigmaB * sigmaB),
      W1: normal((sigmaW * sigmaW) / width),
      b1: normal(sigmaB * sigmaB),
    }),
  });
}

/** Erf-net: act = erf. */
export const erfNet = (options: SingleLayerOptions): SingleLayerNet => singleLayerNet('erf', options);
/** ReLU-net: act = max(0, z). */
export const reluNet = (options: SingleLayerOptions): SingleLayerNet => singleLayerNet('relu', options);
/** Tanh-net: act = tanh. */
export const tanhNet = (options: SingleLayerOptions): SingleLayerNet => singleLayerNet('tanh', options);
/** Gauss-net: act_x(z) = exp(z - sb^2 - sw^2 |x|^2 / D). */
export const gaussNet = (options: SingleLayerOptions): SingleLayerNet => singleLayerNet('gauss', options);

/** The same ensemble at another width (everything else unchanged). */
export function withWidth(net: SingleLayerNet, width: number): SingleLayerNet {
  return singleLayerNet(net.activation, { width, dIn: net.dIn, sigmaW: net.sigmaW, sigmaB: net.sigmaB });
}

/**
 * Pre-activation covariance of one hidden unit, k(x, y) = sb^2 + sw^2 x.y / D: the covariance of
 * z = W0_i . x + b0_i and z' = W0_i . y + b0_i.
 */
export function preactivationCovariance(net: SingleLayerNet, x: readonly number[], y: readonly number[]): number {
  let dot = 0;
  for (let j = 0; j < net.dIn; j++) dot += x[j] * y[j];
  return net.sigmaB * net.sigmaB + (net.sigmaW * net.sigmaW * dot) / net.dIn;
}
