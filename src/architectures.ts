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
import { checkNonNegativeNumber, checkPositiveInteger, checkPositiveNumber, fail } from './validate';

export type ActivationName = 'erf' | 'relu' | 'tanh' | 'gauss' | 'cos';

/** Activations of the NN-QFT single-layer nets (Gaussian pre-activations). */
export const ACTIVATIONS: readonly ActivationName[] = ['erf', 'relu', 'tanh', 'gauss'];

/** Architectures known to the CLI and to saved runs. */
export type ArchitectureName = 'erf' | 'relu' | 'tanh' | 'gauss' | 'cos' | 'scalar' | 'mlp';
export const ARCHITECTURES: readonly ArchitectureName[] = ['erf', 'relu', 'tanh', 'gauss', 'cos', 'scalar'];

/** Constructor options of any architecture (numbers, and the activation name of an MLP). */
export type NetOptions = Readonly<Record<string, number | string>>;

/** N(mean, variance), entry by entry. */
export interface NormalDensity {
  readonly kind: 'normal';
  readonly mean: number;
  readonly variance: number;
}
/** Uniform on [low, high], entry by entry. */
export interface UniformDensity {
  readonly kind: 'uniform';
  readonly low: number;
  readonly high: number;
}
/** Each row (one neuron's weight vector in R^D) uniform in the D-ball of the given radius. */
export interface UniformBallDensity {
  readonly kind: 'uniform-ball';
  readonly radius: number;
}
/** The parameter is absent (identically zero). */
export interface ZeroDensity {
  readonly kind: 'zero';
}
/**
 * A user-supplied density: `draw` fills `rows x cols` entries of `out` from `rng` (rows are neurons,
 * cols the input dimension for W0). `variance` (per entry, zero mean) lets exact formulas use it
 * where they only need second moments. It holds code, so nets with it run in one thread and
 * their runs cannot be rebuilt from a saved file.
 */
export interface CustomDensity {
  readonly kind: 'custom';
  readonly name: string;
  readonly variance?: number;
  readonly draw: (rng: import('./random').Rng, out: Float32Array | Float64Array, offset: number, rows: number, cols: number) => void;
}

/** A parameter density, as data: what a sampler draws and what exact formulas read. */
export type Density = NormalDensity | UniformDensity | UniformBallDensity | ZeroDensity | CustomDensity;

/**
 * The Scalar-net's spectral factor F(w) = prefactor / sqrt(|w|^2 + m^2) multiplying each neuron
 * (TASI lectures eq. (72)); prefactor = sqrt(2 vol(B_Lambda^D) / ((2 pi)^D sw1^2)).
 */
export interface ScalarSpectrum {
  readonly kind: 'scalar';
  readonly mass: number;
  readonly cutoff: number;
  readonly prefactor: number;
}

/** A single-hidden-layer network ensemble (phi_theta, P(theta)). */
export interface SingleLayerNet {
  readonly kind: 'single-layer';
  /** Which constructor built it, with its options (to rebuild it, e.g. from a saved run). */
  readonly architecture: ArchitectureName;
  readonly options: NetOptions;
  /** Human-readable name, e.g. "Erf-net". */
  readonly name: string;
  readonly activation: ActivationName;
  /** N: number of hidden neurons. */
  readonly width: number;
  /** D: input dimension. */
  readonly dIn: number;
  /** The parameter density P(theta), block by block; the readout W1 is always Gaussian. */
  readonly params: {
    readonly W0: Density;
    readonly b0: Density;
    readonly W1: NormalDensity;
    readonly b1: NormalDensity | ZeroDensity;
  };
  /** Per-neuron spectral factor (Scalar-net only). */
  readonly spectrum?: ScalarSpectrum;
}

/** Options shared by the NN-QFT constructors. Defaults: dIn = 1, sigmaW = sigmaB = 1. */
export interface SingleLayerOptions {
  width: number;
  dIn?: number;
  sigmaW?: number;
  sigmaB?: number;
}

const DISPLAY_NAMES: Record<ArchitectureName, string> = {
  erf: 'Erf-net',
  relu: 'ReLU-net',
  tanh: 'Tanh-net',
  gauss: 'Gauss-net',
  cos: 'Cos-net',
  scalar: 'Scalar-net',
  mlp: 'MLP',
};

const normal = (variance: number): NormalDensity => ({ kind: 'normal', mean: 0, variance });

function widthAndDim(fn: string, options: { width: number; dIn?: number }): [number, number] {
  if (options === null || typeof options !== 'object') fail(fn, 'options', 'an object with a width', options);
  return [checkPositiveInteger(fn, 'width', options.width), checkPositiveInteger(fn, 'dIn', options.dIn ?? 1)];
}

/** A single-layer net with the given activation in the NN-QFT conventions (see the module comment). */
export function singleLayerNet(activation: ActivationName, options: SingleLayerOptions): SingleLayerNet {
  const fn = `${activation}Net`;
  if (!ACTIVATIONS.includes(activation)) fail('singleLayerNet', 'activation', `one of ${ACTIVATIONS.join(', ')}`, activation);
  const [width, dIn] = widthAndDim(fn, options);
  const sigmaW = checkNonNegativeNumber(fn, 'sigmaW', options.sigmaW ?? 1);
  const sigmaB = checkNonNegativeNumber(fn, 'sigmaB', options.sigmaB ?? 1);
  return Object.freeze({
    kind: 'single-layer',
    architecture: activation,
    options: Object.freeze({ width, dIn, sigmaW, sigmaB }),
    name: DISPLAY_NAMES[activation],
    activation,
    width,
    dIn,
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

/** Cos-net options (TASI lectures eqs. (68)-(69)). Defaults: dIn = 1, sigmaW0 = sigmaW1 = 1. */
export interface CosNetOptions {
  width: number;
  dIn?: number;
  /** W0 ~ N(0, sigmaW0^2 / D). */
  sigmaW0?: number;
  /** W1 ~ N(0, sigmaW1^2 / N). */
  sigmaW1?: number;
}

/**
 * Cos-net: f(x) = sum_i W1_i cos(W0_i . x + b0_i), W0 ~ N(0, sw0^2/D), b0 ~ Unif[-pi, pi],
 * W1 ~ N(0, sw1^2/N), no output bias. Euclidean invariant (rotations and translations of x) at
 * every width; its GP kernel, (sw1^2/2) exp(-sw0^2 |x - y|^2 / (2D)), equals the Gauss-net's.
 */
export function cosNet(options: CosNetOptions): SingleLayerNet {
  const fn = 'cosNet';
  const [width, dIn] = widthAndDim(fn, options);
  const sigmaW0 = checkNonNegativeNumber(fn, 'sigmaW0', options.sigmaW0 ?? 1);
  const sigmaW1 = checkNonNegativeNumber(fn, 'sigmaW1', options.sigmaW1 ?? 1);
  return Object.freeze({
    kind: 'single-layer',
    architecture: 'cos',
    options: Object.freeze({ width, dIn, sigmaW0, sigmaW1 }),
    name: DISPLAY_NAMES.cos,
    activation: 'cos',
    width,
    dIn,
    params: Object.freeze({
      W0: normal((sigmaW0 * sigmaW0) / dIn),
      b0: Object.freeze({ kind: 'uniform', low: -Math.PI, high: Math.PI }),
      W1: normal((sigmaW1 * sigmaW1) / width),
      b1: Object.freeze({ kind: 'zero' }),
    }),
  });
}

/** Scalar-net options (TASI lectures eqs. (72)-(73)). Defaults: dIn = 1, sigmaW1 = 1. */
export interface ScalarNetOptions {
  width: number;
  dIn?: number;
  /** m: the mass of the free scalar. */
  mass: number;
  /** Lambda: momentum cutoff, the radius of the ball W0 is drawn from. */
  cutoff: number;
  sigmaW1?: number;
}

/** Volume of the D-ball of radius r. */
export function ballVolume(D: number, r: number): number {
  // pi^(D/2) r^D / Gamma(D/2 + 1), by the recursion V_D = V_{D-2} 2 pi r^2 / D.
  let v = D % 2 === 0 ? 1 : 2 * r;
  for (let d = D % 2 === 0 ? 2 : 3; d <= D; d += 2) v *= (2 * Math.PI * r * r) / d;
  return v;
}

/**
 * Scalar-net: f(x) = sum_i W1_i F(W0_i) cos(W0_i . x + b0_i), F(w) = sqrt(2 vol(B)/((2 pi)^D sw1^2))
 * / sqrt(|w|^2 + m^2), W0_i uniform in the D-ball B of radius Lambda, b0 ~ Unif[-pi, pi],
 * W1 ~ N(0, sw1^2/N). Its 2-point function is the free scalar propagator with a hard momentum
 * cutoff: G2(p) = 1 / (p^2 + m^2) for |p| < Lambda (TASI lectures eq. (74)).
 */
export function scalarNet(options: ScalarNetOptions): SingleLayerNet {
  const fn = 'scalarNet';
  const [width, dIn] = widthAndDim(fn, options);
  const mass = checkNonNegativeNumber(fn, 'mass', options.mass);
  const cutoff = checkPositiveNumber(fn, 'cutoff', options.cutoff);
  const sigmaW1 = checkPositiveNumber(fn, 'sigmaW1', options.sigmaW1 ?? 1);
  if (mass === 0 && dIn <= 2) fail(fn, 'mass', `positive in D = ${dIn} (the massless propagator is infrared divergent there)`, mass);
  const prefactor = Math.sqrt((2 * ballVolume(dIn, cutoff)) / ((2 * Math.PI) ** dIn * sigmaW1 * sigmaW1));
  return Object.freeze({
    kind: 'single-layer',
    architecture: 'scalar',
    options: Object.freeze({ width, dIn, mass, cutoff, sigmaW1 }),
    name: DISPLAY_NAMES.scalar,
    activation: 'cos',
    width,
    dIn,
    params: Object.freeze({
      W0: Object.freeze({ kind: 'uniform-ball', radius: cutoff }),
      b0: Object.freeze({ kind: 'uniform', low: -Math.PI, high: Math.PI }),
      W1: normal((sigmaW1 * sigmaW1) / width),
      b1: Object.freeze({ kind: 'zero' }),
    }),
    spectrum: Object.freeze({ kind: 'scalar', mass, cutoff, prefactor }),
  });
}

/** MLP activations (the Gauss-net unit and cosines belong to single-layer constructions). */
export type MlpActivation = 'erf' | 'relu' | 'tanh';

/** Deep MLP options. Defaults: dIn = 1, sigmaW = sigmaB = 1. */
export interface MlpOptions {
  /** L: number of hidden layers. */
  depth: number;
  /** N: width of every hidden layer. */
  width: number;
  activation: MlpActivation;
  dIn?: number;
  sigmaW?: number;
  sigmaB?: number;
}

/**
 * A deep MLP ensemble in neural-tangents' conventions, which reduce to the NN-QFT ones at L = 1:
 *   h_1 = W_1 x + b_1,  h_{l+1} = W_{l+1} act(h_l) + b_{l+1},  f = W_out act(h_L) + b_out,
 *   W_1 ~ N(0, sw^2/D), W_l ~ N(0, sw^2/N) (l > 1), W_out ~ N(0, sw^2/N), all biases ~ N(0, sb^2).
 * Its infinite-width kernel follows the layer recursion K_{l+1} = sb^2 + sw^2 E[act(u) act(v)],
 * (u, v) ~ N(0, K_l), K_1 = sb^2 + sw^2 x.y / D.
 */
export interface DeepNet {
  readonly kind: 'deep';
  readonly architecture: 'mlp';
  readonly options: NetOptions;
  readonly name: string;
  readonly activation: MlpActivation;
  readonly depth: number;
  readonly width: number;
  readonly dIn: number;
  readonly params: {
    /** Weight densities, layer by layer: L hidden layers then the readout (L + 1 entries). */
    readonly weights: readonly NormalDensity[];
    /** Bias density of every layer, the readout's included. */
    readonly bias: NormalDensity;
  };
}

/** Any network ensemble the Monte Carlo engine draws. */
export type EnsembleNet = SingleLayerNet | DeepNet;

const MLP_ACTIVATIONS: readonly MlpActivation[] = ['erf', 'relu', 'tanh'];

export function mlp(options: MlpOptions): DeepNet {
  const fn = 'mlp';
  const [width, dIn] = widthAndDim(fn, options);
  const depth = checkPositiveInteger(fn, 'depth', options.depth);
  if (!MLP_ACTIVATIONS.includes(options.activation)) fail(fn, 'activation', `one of ${MLP_ACTIVATIONS.join(', ')}`, options.activation);
  const sigmaW = checkNonNegativeNumber(fn, 'sigmaW', options.sigmaW ?? 1);
  const sigmaB = checkNonNegativeNumber(fn, 'sigmaB', options.sigmaB ?? 1);
  const weights = [normal((sigmaW * sigmaW) / dIn), ...Array.from({ length: depth }, () => normal((sigmaW * sigmaW) / width))];
  return Object.freeze({
    kind: 'deep',
    architecture: 'mlp',
    options: Object.freeze({ depth, width, activation: options.activation, dIn, sigmaW, sigmaB }),
    name: `${DISPLAY_NAMES[options.activation].replace('-net', '')} MLP (L = ${depth})`,
    activation: options.activation,
    depth,
    width,
    dIn,
    params: Object.freeze({ weights: Object.freeze(weights), bias: normal(sigmaB * sigmaB) }),
  });
}

/** Build any architecture by name from its options (e.g. a saved run's). */
export function makeNet(architecture: 'mlp', options: NetOptions): DeepNet;
export function makeNet(architecture: Exclude<ArchitectureName, 'mlp'>, options: NetOptions): SingleLayerNet;
export function makeNet(architecture: ArchitectureName, options: NetOptions): EnsembleNet;
export function makeNet(architecture: ArchitectureName, options: NetOptions): EnsembleNet {
  switch (architecture) {
    case 'cos':
      return cosNet(options as unknown as CosNetOptions);
    case 'scalar':
      return scalarNet(options as unknown as ScalarNetOptions);
    case 'mlp':
      return mlp(options as unknown as MlpOptions);
    default:
      if (!ACTIVATIONS.includes(architecture)) fail('makeNet', 'architecture', `one of ${ARCHITECTURES.join(', ')}, mlp`, architecture);
      return singleLayerNet(architecture, options as unknown as SingleLayerOptions);
  }
}

/** The same ensemble at another width (everything else unchanged). */
export function withWidth<T extends EnsembleNet>(net: T, width: number): T {
  return makeNet(net.architecture, { ...net.options, width }) as T;
}

/** Names of the custom densities a net uses (none for the built-in constructors). */
export function customDensities(net: EnsembleNet): string[] {
  const all: Density[] = net.kind === 'deep' ? [...net.params.weights, net.params.bias] : Object.values(net.params);
  return all.filter((d): d is CustomDensity => d.kind === 'custom').map((d) => d.name);
}

/**
 * The same single-layer net with some parameter blocks drawn from other densities (e.g. a
 * heavy-tailed first layer). The readout W1 stays Gaussian, as exact formulas assume.
 */
export function withDensities(net: SingleLayerNet, params: Partial<{ W0: Density; b0: Density; b1: NormalDensity | ZeroDensity }>): SingleLayerNet {
  const names = Object.entries(params).map(([k, d]) => `${k}=${d!.kind === 'custom' ? (d as CustomDensity).name : d!.kind}`);
  return Object.freeze({ ...net, name: `${net.name} [${names.join(', ')}]`, params: Object.freeze({ ...net.params, ...params }) });
}

/** Whether the pre-activations W0 . x + b0 are jointly Gaussian (normal W0 and b0). */
export function hasGaussianPreactivations(net: SingleLayerNet): boolean {
  return net.params.W0.kind === 'normal' && net.params.b0.kind === 'normal' && !net.spectrum;
}

/** Variance of a zero-mean density (0 for 'zero'). */
export function densityVariance(d: Density, fn: string): number {
  if (d.kind === 'normal') return d.variance;
  if (d.kind === 'zero') return 0;
  if (d.kind === 'uniform') return (d.high - d.low) ** 2 / 12;
  if (d.kind === 'custom' && d.variance !== undefined) return d.variance;
  return fail(fn, 'density', 'a density with a per-entry variance', d.kind === 'custom' ? `custom '${d.name}' without one` : d.kind);
}

/**
 * Pre-activation covariance of one hidden unit, k(x, y) = Var(b0) + Var(W0) x.y (= sb^2 + sw^2
 * x.y / D in the NN-QFT conventions): the covariance of z = W0_i . x + b0_i and z' = W0_i . y + b0_i.
 * Only for nets with Gaussian pre-activations.
 */
export function preactivationCovariance(net: SingleLayerNet, x: readonly number[], y: readonly number[]): number {
  if (!hasGaussianPreactivations(net)) {
    fail('preactivationCovariance', 'net', 'a net with Gaussian pre-activations (normal W0 and b0)', net.name);
  }
  let dot = 0;
  for (let j = 0; j < net.dIn; j++) dot += x[j] * y[j];
  return (net.params.b0 as NormalDensity).variance + (net.params.W0 as NormalDensity).variance * dot;
}
