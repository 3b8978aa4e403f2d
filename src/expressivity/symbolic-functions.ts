/**
 * The library of one-variable functions a Kolmogorov-Arnold network's edge can be snapped to
 * (lecture section 2, eqs. (25)-(26): a KAN whose edge functions are recognised as elementary
 * functions is read back as a formula). One description per function, read by every consumer: the
 * float64 value and derivative used when a snapped edge keeps training, its domain (where the fit may
 * place the argument), its complexity (pykan's counts, which the automatic choice trades against r^2),
 * and the formula it prints as (with `u` the edge's argument a x + b).
 *
 * Outside its domain a function is evaluated in a protected form so that training never meets NaN:
 * log and sqrt see max(u, 1e-12) (and sqrt's slope is capped there), 1/x sees u kept 1e-8 away from 0;
 * the fits of `kan-symbolic.ts` only accept (a, b) that keep every sample inside the domain, so the
 * printed formula is the function that was fitted.
 */
import { ACTIVATION_REGISTRY } from '../nets/activations';


/** Names of the snapping library (pykan's spelling). */
export type SymbolicName = 'x' | 'x^2' | 'x^3' | 'x^4' | '1/x' | 'sqrt' | 'exp' | 'log' | 'sin' | 'cos' | 'tanh' | 'abs' | 'sigmoid' | '0';

/** Where the argument u of a function may lie. */
export type SymbolicDomain = 'all' | 'positive' | 'nonzero';

/** One library function: value, derivative, domain, complexity and its printed form. */
export interface SymbolicFunction {
  readonly name: SymbolicName;
  readonly f: (u: number) => number;
  readonly df: (u: number) => number;
  readonly domain: SymbolicDomain;
  /** pykan's complexity count (x: 1, x^2 / exp / sin...: 2, tanh / abs: 3, ...). */
  readonly complexity: number;
  /** The formula with argument text `u` (already parenthesised where needed), in nnft's formula grammar. */
  readonly print: (u: string) => string;
}

const TINY = 1e-12;
/** The logistic sigmoid, as the activation registry defines it. */
const sig = ACTIVATION_REGISTRY.sigmoid.fn;
const awayFromZero = (u: number) => (Math.abs(u) < 1e-8 ? (u < 0 ? -1e-8 : 1e-8) : u);

const fns: SymbolicFunction[] = [
  { name: 'x', f: (u) => u, df: () => 1, domain: 'all', complexity: 1, print: (u) => `(${u})` },
  { name: 'x^2', f: (u) => u * u, df: (u) => 2 * u, domain: 'all', complexity: 2, print: (u) => `(${u})^2` },
  { name: 'x^3', f: (u) => u * u * u, df: (u) => 3 * u * u, domain: 'all', complexity: 3, print: (u) => `(${u})^3` },
  { name: 'x^4', f: (u) => u * u * u * u, df: (u) => 4 * u * u * u, domain: 'all', complexity: 3, print: (u) => `(${u})^4` },
  { name: '1/x', f: (u) => 1 / awayFromZero(u), df: (u) => -1 / awayFromZero(u) ** 2, domain: 'nonzero', complexity: 2, print: (u) => `1/(${u})` },
  { name: 'sqrt', f: (u) => Math.sqrt(Math.max(u, 0)), df: (u) => 0.5 / Math.sqrt(Math.max(u, TINY)), domain: 'positive', complexity: 2, print: (u) => `sqrt(${u})` },
  { name: 'exp', f: Math.exp, df: Math.exp, domain: 'all', complexity: 2, print: (u) => `exp(${u})` },
  { name: 'log', f: (u) => Math.log(Math.max(u, TINY)), df: (u) => 1 / Math.max(u, TINY), domain: 'positive', complexity: 2, print: (u) => `log(${u})` },
  { name: 'sin', f: Math.sin, df: Math.cos, domain: 'all', complexity: 2, print: (u) => `sin(${u})` },
  { name: 'cos', f: Math.cos, df: (u) => -Math.sin(u), domain: 'all', complexity: 2, print: (u) => `cos(${u})` },
  { name: 'tanh', f: Math.tanh, df: (u) => 1 - Math.tanh(u) ** 2, domain: 'all', complexity: 3, print: (u) => `tanh(${u})` },
  { name: 'abs', f: Math.abs, df: (u) => Math.sign(u), domain: 'all', complexity: 3, print: (u) => `abs(${u})` },
  { name: 'sigmoid', f: sig, df: (u) => sig(u) * (1 - sig(u)), domain: 'all', complexity: 3, print: (u) => `sigmoid(${u})` },
  { name: '0', f: () => 0, df: () => 0, domain: 'all', complexity: 0, print: () => '0' },
];

/** Every library function by name. */
export const SYMBOLIC_FUNCTIONS: Readonly<Record<SymbolicName, SymbolicFunction>> = Object.freeze(Object.fromEntries(fns.map((f) => [f.name, Object.freeze(f)])) as Record<SymbolicName, SymbolicFunction>);

/** The names, in library order. */
export const SYMBOLIC_NAMES: readonly SymbolicName[] = Object.freeze(fns.map((f) => f.name));

/** The library of pykan's hellokan tutorial: x, x^2, x^3, x^4, exp, log, sqrt, tanh, sin, abs. */
export const DEFAULT_SYMBOLIC_LIBRARY: readonly SymbolicName[] = Object.freeze(['x', 'x^2', 'x^3', 'x^4', 'exp', 'log', 'sqrt', 'tanh', 'sin', 'abs'] as SymbolicName[]);

export function isSymbolicName(name: unknown): name is SymbolicName {
  return typeof name === 'string' && (SYMBOLIC_NAMES as readonly string[]).includes(name);
}

/** Whether u lies in the function's domain. */
export function inDomain(domain: SymbolicDomain, u: number): boolean {
  return domain === 'all' ? Number.isFinite(u) : domain === 'positive' ? u > 0 : u !== 0 && Number.isFinite(u);
}
