/**
 * The deep MLP of the finite-width modules, as options (PDLT conventions; see vertices.ts): the
 * activation, C_W, C_b, the hidden width n, the number of layers and the inputs, checked once and
 * turned into the first-layer kernel K^(1)_ab = C_b + C_W x_a . x_b / D that every layer recursion
 * and sampler starts from. Also the row-major index tuples both use for tensors over the inputs.
 */
import { checkInputs, checkNonNegativeNumber, checkPositiveInteger, fail } from '../core/validate';
import { Activation, ActivationName, activation as lookUp } from '../nets/activations';

/** A deep MLP in PDLT conventions (C_W = sigma_w^2, C_b = sigma_b^2). */
export interface DeepNetOptions {
  activation: ActivationName | Activation;
  /** C_W = sigma_w^2. */
  cw: number;
  /** C_b = sigma_b^2. */
  cb: number;
  /** Hidden width n. */
  width: number;
  /** Layers l = 1 .. layers (the output of a net with h hidden layers is l = h + 1). */
  layers: number;
  /** Input points of dimension D. */
  inputs: readonly (readonly number[] | number)[];
}

/** Checked options with the inputs as points and the first-layer kernel K^(1) (P x P). */
export interface DeepNet {
  readonly act: Activation;
  readonly cw: number;
  readonly cb: number;
  readonly width: number;
  readonly layers: number;
  readonly inputs: number[][];
  readonly K1: number[][];
}

/** Check the options (errors name `fn` and the argument) and form K^(1). */
export function deepNet(fn: string, options: DeepNetOptions): DeepNet {
  const act = lookUp(options.activation, fn);
  if (act.normalized) fail(fn, 'activation', 'an activation of deep networks (not the input-normalised Gauss unit)', act.name);
  const cw = checkNonNegativeNumber(fn, 'cw', options.cw);
  const cb = checkNonNegativeNumber(fn, 'cb', options.cb);
  const width = checkPositiveInteger(fn, 'width', options.width);
  const layers = checkPositiveInteger(fn, 'layers', options.layers);
  const raw = options.inputs;
  const D = Array.isArray(raw) && raw.length && typeof raw[0] !== 'number' ? (raw[0] as readonly number[]).length : 1;
  const inputs = checkInputs(fn, raw, D);
  const K1 = inputs.map((x) => inputs.map((y) => cb + (cw * x.reduce((s, v, j) => s + v * y[j], 0)) / D));
  return { act, cw, cb, width, layers, inputs, K1 };
}

/** All index tuples of length k over 0 .. P-1, in row-major order. */
export function indexTuples(P: number, k: number): number[][] {
  let out: number[][] = [[]];
  for (let i = 0; i < k; i++) out = out.flatMap((t) => Array.from({ length: P }, (_, a) => [...t, a]));
  return out;
}

/** Row-major position of an index tuple over P inputs. */
export const flatIndex = (t: readonly number[], P: number): number => t.reduce((acc, a) => acc * P + a, 0);
