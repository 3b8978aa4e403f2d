/**
 * Architectures as data: the network function phi_theta together with its parameter density
 * P(theta), one `Net` description that can be sampled, evaluated, integrated exactly, given its
 * infinite-width kernels and trained.
 *
 * Single-layer nets in the NN-QFT conventions (Halverson, Maiti, Stoner; TASI lectures section 3):
 *
 *   f(x) = sum_{i=1..N} W1_i act_x(W0_i . x + b0_i) + b1,          x in R^D
 *   W0_ij ~ N(0, sw^2 / D),  b0_i ~ N(0, sb^2),  W1_i ~ N(0, sw^2 / N),  b1 ~ N(0, sb^2),
 *
 * with erf, ReLU, tanh or the Gauss-net unit
 *   act_x(z) = exp(z) / sqrt(exp[2 (sb^2 + sw^2 |x|^2 / D)]) = exp(z - sb^2 - sw^2 |x|^2 / D)
 * (TASI eq. (60); densities as in the NN-QFT talk, not eq. (61): see docs/lecture-map.md), whose
 * normalisation depends on the input and makes the GP kernel translation invariant (eq. (62)); the
 * Cos-net and Scalar-net of eqs. (68)-(74); and deep MLPs (`mlp`) under any
 * abc-parameterization (section 4.3), of which the single-layer nets are the depth-1 case.
 */
import { checkNonNegativeNumber, checkPositiveInteger, checkPositiveNumber, fail } from '../core/validate';
import { ACTIVATION_NAMES, ACTIVATION_REGISTRY, ActivationName, activation } from './activations';
import { AbcParameterization, PARAMETERIZATIONS, ParameterizationName, parameterization } from './parameterization';

/** The NN-QFT single-layer architectures with Gaussian parameters, named by their activation. */
export type GaussianNetArchitecture = 'erf' | 'relu' | 'tanh' | 'gauss';
const GAUSSIAN_NETS: readonly GaussianNetArchitecture[] = ['erf', 'relu', 'tanh', 'gauss'];

/** Architectures known to the CLI and to saved runs. */
export type ArchitectureName = GaussianNetArchitecture | 'cos' | 'scalar' | 'mlp';
export const ARCHITECTURES: readonly ArchitectureName[] = [...GAUSSIAN_NETS, 'cos', 'scalar'];

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
  readonly draw: (rng: import('../core/random').Rng, out: Float32Array | Float64Array, offset: number, rows: number, cols: number) => void;
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

/** The parameter densities of one layer: every weight entry and every bias entry. */
export interface LayerDensities {
  readonly weight: Density;
  readonly bias: Density;
}

/**
 * A network ensemble as data, the one description every consumer reads (in the spirit of
 * neural-tangents' layers): the sampler and the Monte Carlo engine draw and evaluate it, the exact
 * routes integrate over it, `kernelOf` gives its infinite-width NNGP kernel and NTK, and training
 * reads its abc-parameterization.
 *
 *   h_1 = W_0 x + b_0,  h_{l+1} = W_l act(h_l) + b_l (l = 1 .. L - 1),  f = W_L act(h_L) + b_L,
 *
 * with the entries of W_l and b_l drawn from `layers[l]` (L = `depth` hidden layers of `width`
 * units, then the readout). The densities are the effective ones, multipliers included: for the
 * abc-parameterization (TASI eqs. (101)-(106)) W_l = sigma_w N^(-a_l) w_l with w_l ~ N(0, N^(-b_l)).
 * The single-layer nets of lecture section 3 are the depth-1 case (their W1 is `layers[1].weight`).
 */
export interface Net {
  /** Which constructor built it, with its options (to rebuild it, e.g. from a saved run). */
  readonly architecture: ArchitectureName;
  readonly options: NetOptions;
  /** Human-readable name, e.g. "Erf-net" or "ReLU MLP (L = 2)". */
  readonly name: string;
  /** The activation of every hidden unit (see activations.ts). */
  readonly activation: ActivationName;
  /** L: number of hidden layers (1 for the single-layer nets). */
  readonly depth: number;
  /** N: units per hidden layer. */
  readonly width: number;
  /** D: input dimension. */
  readonly dIn: number;
  /** P(theta), layer by layer: L hidden layers, then the readout (L + 1 entries). */
  readonly layers: readonly LayerDensities[];
  /** How the densities split into a trained parameter and a width multiplier (training, muP). */
  readonly parameterization: AbcParameterization;
  /** gamma_0 of the abc output scaling phi = z / (gamma_0 N^d). */
  readonly gamma0: number;
  /** Per-neuron spectral factor (Scalar-net only). */
  readonly spectrum?: ScalarSpectrum;
}

/** A net with one hidden layer (lecture section 3): `layers` = [W0 and b0, W1 and b1]. */
export type SingleLayerNet = Net & { readonly depth: 1 };

/** Whether a net has a single hidden layer. */
export function isSingleLayer(net: Net): net is SingleLayerNet {
  return net.depth === 1;
}

/** The net, checked to have a single hidden layer (a RangeError naming `fn` otherwise). */
export function requireSingleLayer(fn: string, net: Net): SingleLayerNet {
  if (!isSingleLayer(net)) fail(fn, 'net', 'a single-layer net (depth 1)', `${net.name} of depth ${net.depth}`);
  return net;
}

/** Options shared by the NN-QFT constructors. Defaults: dIn = 1, sigmaW = sigmaB = 1. */
export interface SingleLayerOptions {
  width: number;
  dIn?: number;
  sigmaW?: number;
  sigmaB?: number;
}

const DISPLAY_NAMES: Record<Exclude<ArchitectureName, 'mlp'>, string> = {
  erf: 'Erf-net',
  relu: 'ReLU-net',
  tanh: 'Tanh-net',
  gauss: 'Gauss-net',
  cos: 'Cos-net',
  scalar: 'Scalar-net',
};

const normal = (variance: number): NormalDensity => Object.freeze({ kind: 'normal', mean: 0, variance });
const ZERO: ZeroDensity = Object.freeze({ kind: 'zero' });
const PHASE: UniformDensity = Object.freeze({ kind: 'uniform', low: -Math.PI, high: Math.PI });

function widthAndDim(fn: string, options: { width: number; dIn?: number }): [number, number] {
  if (options === null || typeof options !== 'object') fail(fn, 'options', 'an object with a width', options);
  return [checkPositiveInteger(fn, 'width', options.width), checkPositiveInteger(fn, 'dIn', options.dIn ?? 1)];
}

/**
 * Gaussian layer densities of an abc-parameterized MLP: W_0 entries N(0, sw^2 N^-(2 a_1 + b_1) / D),
 * later weights N(0, sw^2 N^-(2a + b)), biases N(0, sb^2) (none for sb = 0), and the readout divided
 * by gamma_0 N^d (TASI eqs. (101)-(105)). In the NTK parameterization: sw^2 / D, sw^2 / N, sb^2.
 */
function gaussianLayers(depth: number, width: number, dIn: number, sigmaW: number, sigmaB: number, p: AbcParameterization, gamma0: number): LayerDensities[] {
  const sw2 = sigmaW * sigmaW;
  const out = gamma0 * width ** p.d;
  return Array.from({ length: depth + 1 }, (_, l) => {
    const scale = l === depth ? out * out : 1;
    const weight = l === 0 ? normal(sw2 / (dIn * width ** (2 * p.a1 + p.b1))) : normal(sw2 / (width ** (2 * p.a + p.b) * scale));
    return Object.freeze({ weight, bias: sigmaB > 0 ? normal((sigmaB * sigmaB) / scale) : ZERO });
  });
}

/**
 * A single-layer net in the NN-QFT conventions (see the module comment; TASI eqs. (32)-(33) with
 * the 1/sqrt(N) moved into the readout variance and biases added): W0 ~ N(0, sw^2/D),
 * b0 ~ N(0, sb^2), W1 ~ N(0, sw^2/N), b1 ~ N(0, sb^2), with the erf, ReLU, tanh or Gauss unit
 * (`mlp({ depth: 1, ... })` takes any other registered activation).
 */
export function singleLayerNet(architecture: GaussianNetArchitecture, options: SingleLayerOptions): SingleLayerNet {
  if (!GAUSSIAN_NETS.includes(architecture)) fail('singleLayerNet', 'activation', `one of ${GAUSSIAN_NETS.join(', ')}`, architecture);
  const act = activation(architecture, 'singleLayerNet');
  const fn = `${act.name}Net`;
  const [width, dIn] = widthAndDim(fn, options);
  const sigmaW = checkNonNegativeNumber(fn, 'sigmaW', options.sigmaW ?? 1);
  const sigmaB = checkNonNegativeNumber(fn, 'sigmaB', options.sigmaB ?? 1);
  const ntk = PARAMETERIZATIONS.ntk;
  const layers = gaussianLayers(1, width, dIn, sigmaW, sigmaB, ntk, 1).map((l) => (l.bias.kind === 'zero' ? Object.freeze({ ...l, bias: normal(0) }) : l));
  return Object.freeze({
    architecture,
    options: Object.freeze({ width, dIn, sigmaW, sigmaB }),
    name: DISPLAY_NAMES[architecture],
    activation: architecture,
    depth: 1,
    width,
    dIn,
    layers: Object.freeze(layers),
    parameterization: ntk,
    gamma0: 1,
  });
}

/** Erf-net: act = erf. */
export const erfNet = (options: SingleLayerOptions): SingleLayerNet => singleLayerNet('erf', options);
/** ReLU-net: act = max(0, z). */
export const reluNet = (options: SingleLayerOptions): SingleLayerNet => singleLayerNet('relu', options);
/** Tanh-net: act = tanh. */
export const tanhNet = (options: SingleLayerOptions): SingleLayerNet => singleLayerNet('tanh', options);
/** Gauss-net: act_x(z) = exp(z - sb^2 - sw^2 |x|^2 / D) (TASI eq. (60)). */
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
 * Cos-net (TASI eqs. (68)-(69)): f(x) = sum_i W1_i cos(W0_i . x + b0_i), W0 ~ N(0, sw0^2/D),
 * b0 ~ Unif[-pi, pi], W1 ~ N(0, sw1^2/N), no output bias. Euclidean invariant (rotations and
 * translations of x, absorbed into W0 and b0 as in eqs. (65)-(66)) at every width; its GP kernel,
 * (sw1^2/2) exp(-sw0^2 |x - y|^2 / (2D)) (eq. (70)), equals the Gauss-net's.
 */
export function cosNet(options: CosNetOptions): SingleLayerNet {
  const fn = 'cosNet';
  const [width, dIn] = widthAndDim(fn, options);
  const sigmaW0 = checkNonNegativeNumber(fn, 'sigmaW0', options.sigmaW0 ?? 1);
  const sigmaW1 = checkNonNegativeNumber(fn, 'sigmaW1', options.sigmaW1 ?? 1);
  return Object.freeze({
    architecture: 'cos',
    options: Object.freeze({ width, dIn, sigmaW0, sigmaW1 }),
    name: DISPLAY_NAMES.cos,
    activation: 'cos',
    depth: 1,
    width,
    dIn,
    layers: Object.freeze([
      Object.freeze({ weight: normal((sigmaW0 * sigmaW0) / dIn), bias: PHASE }),
      Object.freeze({ weight: normal((sigmaW1 * sigmaW1) / width), bias: ZERO }),
    ]),
    parameterization: PARAMETERIZATIONS.ntk,
    gamma0: 1,
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

/** Volume of the D-ball of radius r (the vol(B_Lambda^d) of TASI eq. (72)). */
export function ballVolume(D: number, r: number): number {
  // pi^(D/2) r^D / Gamma(D/2 + 1), by the recursion V_D = V_{D-2} 2 pi r^2 / D.
  let v = D % 2 === 0 ? 1 : 2 * r;
  for (let d = D % 2 === 0 ? 2 : 3; d <= D; d += 2) v *= (2 * Math.PI * r * r) / d;
  return v;
}

/**
 * Scalar-net (TASI eqs. (72)-(73)): f(x) = sum_i W1_i F(W0_i) cos(W0_i . x + b0_i),
 * F(w) = sqrt(2 vol(B)/((2 pi)^D sw1^2)) / sqrt(|w|^2 + m^2), W0_i uniform in the D-ball B of
 * radius Lambda, b0 ~ Unif[-pi, pi], W1 ~ N(0, sw1^2/N). Its 2-point function is the free scalar
 * propagator with a hard momentum cutoff: G2(p) = 1 / (p^2 + m^2) for |p| < Lambda (TASI lectures
 * eq. (74)).
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
    architecture: 'scalar',
    options: Object.freeze({ width, dIn, mass, cutoff, sigmaW1 }),
    name: DISPLAY_NAMES.scalar,
    activation: 'cos',
    depth: 1,
    width,
    dIn,
    layers: Object.freeze([
      Object.freeze({ weight: Object.freeze<UniformBallDensity>({ kind: 'uniform-ball', radius: cutoff }), bias: PHASE }),
      Object.freeze({ weight: normal((sigmaW1 * sigmaW1) / width), bias: ZERO }),
    ]),
    parameterization: PARAMETERIZATIONS.ntk,
    gamma0: 1,
    spectrum: Object.freeze({ kind: 'scalar', mass, cutoff, prefactor }),
  });
}

/** Activations an MLP takes: every registered one except the input-normalised Gauss unit. */
export const MLP_ACTIVATIONS: readonly ActivationName[] = Object.freeze(ACTIVATION_NAMES.filter((a) => !ACTIVATION_REGISTRY[a].normalized));

/** Deep MLP options. Defaults: dIn = 1, sigmaW = 1, sigmaB = 0, NTK parameterization, gamma0 = 1. */
export interface MlpOptions {
  /** L: number of hidden layers. */
  depth: number;
  /** N: width of every hidden layer. */
  width: number;
  /** Any registered activation except the input-normalised Gauss unit. */
  activation: ActivationName;
  dIn?: number;
  sigmaW?: number;
  /** Bias scale (0: no biases, as in lecture section 4). */
  sigmaB?: number;
  /** The abc-parameterization: a preset name ('standard', 'ntk', 'mup') or an abc record. */
  parameterization?: ParameterizationName | AbcParameterization;
  /** gamma_0 of the output scaling (TASI eq. (101)). */
  gamma0?: number;
}

/**
 * A deep MLP in neural-tangents' conventions, which reduce to the NN-QFT ones at L = 1 (see `Net`
 * for the layers and `gaussianLayers` for the densities; the abc-form of TASI eqs. (100)-(106)).
 * Its infinite-width kernels follow the layer recursion (`kernelOf`), and it trains under its
 * abc-parameterization (dynamics/).
 * @example mlp({ depth: 2, width: 512, activation: 'relu', parameterization: 'mup' })
 */
export function mlp(options: MlpOptions): Net {
  const fn = 'mlp';
  const [width, dIn] = widthAndDim(fn, options);
  const depth = checkPositiveInteger(fn, 'depth', options.depth);
  const act = activation(options.activation, fn);
  if (act.normalized) fail(fn, 'activation', `an activation that does not depend on the input (${act.name} is normalised per input: single-layer nets only)`, options.activation);
  const sigmaW = checkNonNegativeNumber(fn, 'sigmaW', options.sigmaW ?? 1);
  const sigmaB = checkNonNegativeNumber(fn, 'sigmaB', options.sigmaB ?? 0);
  const p = parameterization(options.parameterization ?? 'ntk', fn);
  const gamma0 = checkPositiveNumber(fn, 'gamma0', options.gamma0 ?? 1);
  const preset = (PARAMETERIZATIONS as Record<string, AbcParameterization>)[p.name] === p;
  const abc: NetOptions = preset ? { parameterization: p.name } : { parameterization: p.name, a1: p.a1, b1: p.b1, a: p.a, b: p.b, c: p.c, d: p.d };
  return Object.freeze({
    architecture: 'mlp',
    options: Object.freeze({ depth, width, activation: act.name, dIn, sigmaW, sigmaB, ...abc, gamma0 }),
    name: `${act.label} MLP (L = ${depth})`,
    activation: act.name as ActivationName,
    depth,
    width,
    dIn,
    layers: Object.freeze(gaussianLayers(depth, width, dIn, sigmaW, sigmaB, p, gamma0)),
    parameterization: p,
    gamma0,
  });
}

/** The abc-parameterization recorded in an MLP's options (a preset name, or the exponents). */
function recordedParameterization(options: NetOptions): ParameterizationName | AbcParameterization | undefined {
  const name = options.parameterization;
  if (name === undefined) return undefined;
  if (typeof options.a1 !== 'number') return name as ParameterizationName;
  const { a1, b1, a, b, c, d } = options as Record<string, number>;
  return { name: String(name), a1, b1, a, b, c, d };
}

/** Build any architecture by name from its options (e.g. a saved run's). */
export function makeNet(architecture: ArchitectureName, options: NetOptions): Net {
  switch (architecture) {
    case 'cos':
      return cosNet(options as unknown as CosNetOptions);
    case 'scalar':
      return scalarNet(options as unknown as ScalarNetOptions);
    case 'mlp':
      return mlp({ ...(options as unknown as MlpOptions), parameterization: recordedParameterization(options) });
    default:
      if (!GAUSSIAN_NETS.includes(architecture)) fail('makeNet', 'architecture', `one of ${ARCHITECTURES.join(', ')}, mlp`, architecture);
      return singleLayerNet(architecture, options as unknown as SingleLayerOptions);
  }
}

/** The same ensemble at another width (everything else unchanged). */
export function withWidth<T extends Net>(net: T, width: number): T {
  return makeNet(net.architecture, { ...net.options, width }) as T;
}

/**
 * The same MLP under another abc-parameterization (TASI eqs. (101)-(106); an `mlp` only: its
 * densities follow from it).
 */
export function reparameterized(net: Net, p: ParameterizationName | AbcParameterization): Net {
  if (net.architecture !== 'mlp') fail('reparameterized', 'net', 'an mlp (single-layer NN-QFT nets are defined in the NTK parameterization)', net.name);
  return mlp({ ...(net.options as unknown as MlpOptions), parameterization: p });
}

/** Names of the custom densities a net uses (none for the built-in constructors). */
export function customDensities(net: Net): string[] {
  return net.layers.flatMap((l) => [l.weight, l.bias]).filter((d): d is CustomDensity => d.kind === 'custom').map((d) => d.name);
}

/**
 * The same single-layer net with some parameter blocks drawn from other densities (e.g. a
 * heavy-tailed first layer). The readout W1 stays Gaussian, as exact formulas assume.
 */
export function withDensities(net: SingleLayerNet, params: Partial<{ W0: Density; b0: Density; b1: NormalDensity | ZeroDensity }>): SingleLayerNet {
  requireSingleLayer('withDensities', net);
  const names = Object.entries(params).map(([k, d]) => `${k}=${d!.kind === 'custom' ? (d as CustomDensity).name : d!.kind}`);
  const [first, readout] = net.layers;
  const layers = Object.freeze([
    Object.freeze({ weight: params.W0 ?? first.weight, bias: params.b0 ?? first.bias }),
    Object.freeze({ weight: readout.weight, bias: params.b1 ?? readout.bias }),
  ]);
  return Object.freeze({ ...net, name: `${net.name} [${names.join(', ')}]`, layers });
}

/** Whether the first layer's pre-activations W0 . x + b0 are jointly Gaussian (normal W0, normal or absent b0). */
export function hasGaussianPreactivations(net: Net): boolean {
  const { weight, bias } = net.layers[0];
  return weight.kind === 'normal' && (bias.kind === 'normal' || bias.kind === 'zero') && !net.spectrum;
}

/**
 * N Var(W_L): the readout's total weight variance (sw^2 in the NN-QFT conventions; mu_2 of TASI
 * eq. (35)).
 */
export function readoutScale(net: Net, fn: string): number {
  return net.width * densityVariance(net.layers[net.depth].weight, fn);
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
 * x.y / D in the NN-QFT conventions): the covariance of z = W0_i . x + b0_i and z' = W0_i . y + b0_i,
 * the Gaussian inside TASI eq. (39) (first-layer K of the EFT4ML slides; eq. (108) without biases).
 * Only for nets with Gaussian pre-activations.
 */
export function preactivationCovariance(net: Net, x: readonly number[], y: readonly number[]): number {
  if (!hasGaussianPreactivations(net)) {
    fail('preactivationCovariance', 'net', 'a net with Gaussian pre-activations (normal W0 and b0)', net.name);
  }
  let dot = 0;
  for (let j = 0; j < net.dIn; j++) dot += x[j] * y[j];
  return densityVariance(net.layers[0].bias, 'preactivationCovariance') + (net.layers[0].weight as NormalDensity).variance * dot;
}

/**
 * The hidden-unit activation of a net at input x, as a float64 function of the pre-activation z:
 * the registry's `fn`, shifted by k(x, x) for the input-normalised Gauss unit (TASI eq. (60)).
 */
export function unitActivation(net: Net, x: readonly number[]): (z: number) => number {
  const act = ACTIVATION_REGISTRY[net.activation];
  if (!act.normalized) return act.fn;
  const shift = unitShift(net, x);
  const f = act.fn;
  return (z) => f(z - shift);
}

/** The shift k(x, x) of an input-normalised unit at input x (eq. (60)); 0 for every other activation. */
export function unitShift(net: Net, x: readonly number[]): number {
  return ACTIVATION_REGISTRY[net.activation].normalized ? preactivationCovariance(net, x, x) : 0;
}
