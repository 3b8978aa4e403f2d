/**
 * Symbolic formulas in x1, x2, ...: the targets of `nnft kan fit --formula` and the formulas a
 * Kolmogorov-Arnold network is read back as once its edges are snapped to elementary functions
 * (lecture section 2, eqs. (25)-(26)). One small expression tree, read from text, printed back in the
 * same grammar, simplified, and compiled to a float64 function.
 *
 * ## Grammar (parseFormula, and what formatFormula prints)
 *
 * ```text
 * expr    := term (('+' | '-') term)*
 * term    := unary (('*' | '/') unary)*
 * unary   := ('+' | '-') unary | power
 * power   := primary (('^' | '**') unary)?          right-associative: 2^3^2 = 2^9
 * primary := number | variable | 'pi' | 'e' | name '(' expr ')' | '(' expr ')'
 * ```
 *
 * Numbers are `2`, `0.5`, `.5`, `1e-3`, `2.5E+2` (an `e` directly after the digits of a number is its
 * exponent; elsewhere `e` is Euler's number). Variables are `x1`, `x2`, ... (`x` alone is `x1`; there
 * is no `x0`, `y` or `z`). Functions are those of FUNCTION_NAMES, always with parentheses; `log` is the
 * natural logarithm and `sigmoid(u)` = 1/(1 + exp(-u)). Powers bind tighter than unary minus
 * (`-x1^2` = -(x1^2)) and their exponent may carry a sign (`x1^-2`). Whitespace is ignored. There is
 * no implicit multiplication: `2x1` is an error. `a/b` is read as mul(a, pow(b, -1)) and `a - b` as
 * add(a, -b) (a number is negated in place, a product with a leading number has that number negated,
 * anything else becomes mul(-1, b)). Chains `a*b*c`, `a + b + c` become one flat node.
 *
 * Evaluation is plain float64 arithmetic, left to right in sums and products; a factor pow(b, -1) is
 * evaluated as a division (`a/b`, not `a*b^-1`), so printed and re-read formulas evaluate bit for bit
 * alike. Outside a function's domain the result is NaN, as in `Math` (no protected forms here).
 *
 * ## Simplification (simplify)
 *
 * Bottom-up, repeated until nothing changes:
 * - sums and products are flattened; numbers are folded, functions of numbers too (exp(0) -> 1), but
 *   pi and e stay symbolic (2*pi, pi^2); sin, cos and tan of multiples of pi/2 take their exact values;
 * - x*1 -> x, x*0 -> 0, x + 0 -> x, x^1 -> x, x^0 -> 1, 1^x -> 1, e^x -> exp(x), exp(log(x)) -> x,
 *   log(exp(x)) -> x, log(e) -> 1, abs(abs(x)) -> abs(x);
 * - (a^b)^c -> a^(b*c) and (a*b)^c -> a^c*b^c when c is an integer (this extends the domain where
 *   a^b was undefined, e.g. (x^0.5)^2 -> x; sqrt(x)^2 is left alone);
 * - like terms are collected (2*x1 + 3*x1 -> 5*x1), like factors too (x1*x1 -> x1^2,
 *   x1*x2/x1 -> x2), comparing structure after canonical ordering;
 * - a numeric factor times a single sum is distributed (0.5*(2*x1 + 4) -> x1 + 2, -(a + b) -> -a - b);
 * - a constant inside exp moves to the coefficient, exp(u + c) -> e^c exp(u), and out of log,
 *   log(c u) -> log(c) + log(u) for c > 0; the leading coefficient c > 0 of a sum leaves sqrt and
 *   log, sqrt(c u + d v) -> sqrt(c) sqrt(u + (d/c) v); sin and cos of u + k pi/2 become +-sin(u) or
 *   +-cos(u); odd and even functions lose a leading minus sign, sin(-u) -> -sin(u), cos(-u) -> cos(u);
 * - integer powers 2..4 of sums of at most 4 terms are multiplied out ((x1 + 1)^2 -> x1^2 + 2*x1 + 1);
 * - canonical order: a product is its numeric coefficient, then pi and e, then powers of variables by
 *   index, then functions, then other factors, then the divisors; a sum puts terms with variables
 *   first, in lexicographic order of their degrees (degree in x1 first, higher first, then in x2, ...;
 *   a function of x_i counts as degree 1 in x_i), then symbolic constants, then the number, so
 *   `x1^2 + 2*x1*x2 + x1 + x2^2 + 1` and `exp(sin(pi*x1) + x2^2)`; ties are broken structurally.
 *
 * These exact rules run to their fixed point first, at full precision. Then, with `digits`
 * (significant digits) or `tolerance` (relative; default 10^-digits), the terms of sums whose numeric
 * coefficient (or which as bare numbers) are below `tolerance` in absolute value are dropped, the exact
 * rules run again, and only then is every number cleaned, so that rounding errors do not compound:
 * snapped to the nearest of an integer, a fraction p/q (q <= 12, |p| <= 100) or k*pi (k = p/q,
 * q <= 4, |k| <= 16) that lies within `tolerance` relative to it (integers only below 1/tolerance in
 * size), otherwise rounded to `digits` significant digits.
 * The trained-KAN formula `1.0000002*exp(0.99999*(1.00001*sin(3.14159*x1 + 0.0000003) +
 * 0.9999998*x2^2 - 0.0000001) + 0.0000004) - 0.0000002` with digits 4 becomes `exp(sin(pi*x1) + x2^2)`.
 */
import { fail } from '../core/validate';
import { ACTIVATION_REGISTRY } from '../nets/activations';

/** A formula: an immutable tree. Variable index 0 is x1. */
export type Expr =
  | { readonly kind: 'num'; readonly value: number }
  | { readonly kind: 'var'; readonly index: number }
  | { readonly kind: 'const'; readonly name: 'pi' | 'e' }
  | { readonly kind: 'add'; readonly terms: readonly Expr[] }
  | { readonly kind: 'mul'; readonly factors: readonly Expr[] }
  | { readonly kind: 'pow'; readonly base: Expr; readonly exponent: Expr }
  | { readonly kind: 'call'; readonly fn: FunctionName; readonly arg: Expr };

/** The one-argument functions of the grammar (log is natural; sigmoid(u) = 1/(1 + exp(-u)); arctan is Math.atan). */
export type FunctionName = 'exp' | 'log' | 'sin' | 'cos' | 'tan' | 'tanh' | 'sqrt' | 'abs' | 'sigmoid' | 'arctan' | 'sinh' | 'cosh';

/** Every function name, in a fixed order. */
export const FUNCTION_NAMES: readonly FunctionName[] = Object.freeze(['exp', 'log', 'sin', 'cos', 'tan', 'tanh', 'sqrt', 'abs', 'sigmoid', 'arctan', 'sinh', 'cosh'] as FunctionName[]);

const FN: Readonly<Record<FunctionName, (u: number) => number>> = {
  exp: Math.exp,
  log: Math.log,
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  tanh: Math.tanh,
  sqrt: Math.sqrt,
  abs: Math.abs,
  sigmoid: ACTIVATION_REGISTRY.sigmoid.fn,
  arctan: Math.atan,
  sinh: Math.sinh,
  cosh: Math.cosh,
};

const isFunctionName = (s: string): s is FunctionName => Object.prototype.hasOwnProperty.call(FN, s);

type Num = Extract<Expr, { kind: 'num' }>;
type Pow = Extract<Expr, { kind: 'pow' }>;
type Mul = Extract<Expr, { kind: 'mul' }>;

const ONE: Expr = { kind: 'num', value: 1 };
const MINUS_ONE: Expr = { kind: 'num', value: -1 };
const PI: Expr = { kind: 'const', name: 'pi' };

// ---------------------------------------------------------------------------------------------
// Constructors

/** A number node; `v` must be finite. */
export function num(v: number): Expr {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail('num', 'v', 'a finite number', v);
  return { kind: 'num', value: v };
}

/** The variable x(i+1): `variable(0)` is x1. */
export function variable(i: number): Expr {
  if (typeof i !== 'number' || !Number.isSafeInteger(i) || i < 0) fail('variable', 'i', 'a non-negative integer (0 is x1)', i);
  return { kind: 'var', index: i };
}

/** The sum of the terms, as written (no simplification); no terms is 0, one term is that term. */
export function add(...t: Expr[]): Expr {
  t.forEach((x, k) => checkNode('add', `t[${k}]`, x));
  return t.length === 0 ? { kind: 'num', value: 0 } : t.length === 1 ? t[0] : { kind: 'add', terms: t };
}

/** The product of the factors, as written (no simplification); no factors is 1, one factor is that factor. */
export function mul(...f: Expr[]): Expr {
  f.forEach((x, k) => checkNode('mul', `f[${k}]`, x));
  return f.length === 0 ? ONE : f.length === 1 ? f[0] : { kind: 'mul', factors: f };
}

/** b^e; a numeric exponent may be given as a number. */
export function pow(b: Expr, e: Expr | number): Expr {
  checkNode('pow', 'b', b);
  const exponent = typeof e === 'number' ? num(e) : e;
  checkNode('pow', 'e', exponent);
  return { kind: 'pow', base: b, exponent };
}

/** fn(arg) for one of FUNCTION_NAMES. */
export function call(fn: FunctionName, arg: Expr): Expr {
  if (typeof fn !== 'string' || !isFunctionName(fn)) fail('call', 'fn', `one of ${FUNCTION_NAMES.join(', ')}`, fn);
  checkNode('call', 'arg', arg);
  return { kind: 'call', fn, arg };
}

const KINDS: ReadonlySet<unknown> = new Set(['num', 'var', 'const', 'add', 'mul', 'pow', 'call']);

/** A shallow check for the constructors (the children were checked when they were built). */
function checkNode(fnName: string, argName: string, e: unknown): void {
  if (typeof e !== 'object' || e === null || !KINDS.has((e as { kind?: unknown }).kind)) fail(fnName, argName, 'a formula node (an Expr)', e);
}

/** Checks the shape of a whole tree (kinds, indices, names), naming the first bad node. */
function checkExpr(fnName: string, argName: string, e: unknown): asserts e is Expr {
  const bad = (what: string, value: unknown): never => fail(fnName, argName, `a formula tree (${what})`, value);
  const walk = (x: unknown): void => {
    if (typeof x !== 'object' || x === null) bad('a node is not an object', x);
    const n = x as { kind?: unknown } & Record<string, unknown>;
    switch (n.kind) {
      case 'num':
        if (typeof n.value !== 'number') bad('num needs a numeric value', n.value);
        return;
      case 'var':
        if (typeof n.index !== 'number' || !Number.isSafeInteger(n.index) || n.index < 0) bad('var needs a non-negative integer index', n.index);
        return;
      case 'const':
        if (n.name !== 'pi' && n.name !== 'e') bad('const must be pi or e', n.name);
        return;
      case 'add':
        if (!Array.isArray(n.terms)) bad('add needs an array of terms', n.terms);
        (n.terms as unknown[]).forEach(walk);
        return;
      case 'mul':
        if (!Array.isArray(n.factors)) bad('mul needs an array of factors', n.factors);
        (n.factors as unknown[]).forEach(walk);
        return;
      case 'pow':
        walk(n.base);
        walk(n.exponent);
        return;
      case 'call':
        if (typeof n.fn !== 'string' || !isFunctionName(n.fn)) bad(`unknown function; one of ${FUNCTION_NAMES.join(', ')}`, n.fn);
        walk(n.arg);
        return;
      default:
        bad('unknown kind', n.kind);
    }
  };
  walk(e);
}

// ---------------------------------------------------------------------------------------------
// Parsing

interface Token {
  readonly type: 'num' | 'id' | 'op' | 'end';
  readonly text: string;
  /** 1-based character position in the formula. */
  readonly pos: number;
  readonly value: number;
}

const NUMBER = /(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/y;
const IDENT = /[A-Za-z_][A-Za-z0-9_]*/y;

function tokenize(text: string, error: (detail: string) => never): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    NUMBER.lastIndex = i;
    IDENT.lastIndex = i;
    let m: RegExpExecArray | null;
    if ((m = NUMBER.exec(text)) !== null) {
      tokens.push({ type: 'num', text: m[0], pos: i + 1, value: Number(m[0]) });
      i += m[0].length;
    } else if ((m = IDENT.exec(text)) !== null) {
      tokens.push({ type: 'id', text: m[0], pos: i + 1, value: NaN });
      i += m[0].length;
    } else if (ch === '*' && text[i + 1] === '*') {
      tokens.push({ type: 'op', text: '**', pos: i + 1, value: NaN });
      i += 2;
    } else if ('+-*/^()'.includes(ch)) {
      tokens.push({ type: 'op', text: ch, pos: i + 1, value: NaN });
      i++;
    } else {
      error(`unexpected character ${JSON.stringify(ch)} at position ${i + 1}`);
    }
  }
  tokens.push({ type: 'end', text: '', pos: text.length + 1, value: NaN });
  return tokens;
}

/** -e in the parser's representation: a number negated in place, a leading number negated, else mul(-1, e). */
function negate(e: Expr): Expr {
  if (e.kind === 'num') return { kind: 'num', value: -e.value };
  if (e.kind === 'mul' && e.factors.length > 0 && e.factors[0].kind === 'num') {
    return { kind: 'mul', factors: [{ kind: 'num', value: -e.factors[0].value }, ...e.factors.slice(1)] };
  }
  return { kind: 'mul', factors: [MINUS_ONE, e] };
}

/**
 * Parses a formula in x1, x2, ... (grammar in the module comment) into an Expr. Throws (via
 * fail('parseFormula', 'formula', ...)) naming the offending token and its 1-based position for an
 * unknown identifier (`foo(x1)`, `y`), x0, unbalanced parentheses, trailing garbage, empty input, a
 * function name without parentheses, and an operator where an operand belongs (`x1 * * x2`).
 * @example parseFormula('exp(sin(pi*x1) + x2^2)')
 */
export function parseFormula(text: string): Expr {
  if (typeof text !== 'string') fail('parseFormula', 'formula', 'a string', text);
  const error = (detail: string): never => fail('parseFormula', 'formula', `well formed (${detail})`, text);
  const describe = (t: Token) => (t.type === 'end' ? `end of formula at position ${t.pos}` : `${JSON.stringify(t.text)} at position ${t.pos}`);
  const tokens = tokenize(text, error);
  if (tokens.length === 1) error('empty formula: no expression');
  let k = 0;
  const peek = () => tokens[k];
  const isOp = (...ops: string[]) => tokens[k].type === 'op' && ops.includes(tokens[k].text);

  const parseExpr = (): Expr => {
    const terms = [parseTerm()];
    while (isOp('+', '-')) {
      const op = tokens[k++].text;
      const t = parseTerm();
      terms.push(op === '-' ? negate(t) : t);
    }
    return terms.length === 1 ? terms[0] : { kind: 'add', terms };
  };
  const parseTerm = (): Expr => {
    const factors = [parseUnary()];
    while (isOp('*', '/')) {
      const op = tokens[k++].text;
      const u = parseUnary();
      factors.push(op === '/' ? { kind: 'pow', base: u, exponent: MINUS_ONE } : u);
    }
    return factors.length === 1 ? factors[0] : { kind: 'mul', factors };
  };
  const parseUnary = (): Expr => {
    if (isOp('-')) {
      k++;
      return negate(parseUnary());
    }
    if (isOp('+')) {
      k++;
      return parseUnary();
    }
    return parsePower();
  };
  const parsePower = (): Expr => {
    const base = parsePrimary();
    if (isOp('^', '**')) {
      k++;
      return { kind: 'pow', base, exponent: parseUnary() };
    }
    return base;
  };
  const closeParen = (open: Token): void => {
    const t = peek();
    if (t.type === 'op' && t.text === ')') {
      k++;
      return;
    }
    if (t.type === 'end') error(`unbalanced parentheses: ${describe(open)} is never closed`);
    error(`unexpected ${describe(t)}, expected ")" to close the "(" at position ${open.pos}`);
  };
  const parsePrimary = (): Expr => {
    const t = tokens[k];
    if (t.type === 'num') {
      k++;
      if (!Number.isFinite(t.value)) error(`number ${describe(t)} is too large for float64`);
      return { kind: 'num', value: t.value };
    }
    if (t.type === 'id') {
      k++;
      if (t.text === 'pi' || t.text === 'e') return { kind: 'const', name: t.text };
      if (t.text === 'x') return { kind: 'var', index: 0 };
      const v = /^x(\d+)$/.exec(t.text);
      if (v !== null) {
        const n = Number(v[1]);
        if (n === 0 || v[1][0] === '0') error(`variable ${describe(t)}: variables start at x1`);
        if (!Number.isSafeInteger(n)) error(`variable index too large in ${describe(t)}`);
        return { kind: 'var', index: n - 1 };
      }
      if (isFunctionName(t.text)) {
        if (!isOp('(')) error(`function ${describe(t)} must be followed by "(": write ${t.text}(...)`);
        const open = tokens[k++];
        const arg = parseExpr();
        closeParen(open);
        return { kind: 'call', fn: t.text, arg };
      }
      error(`unknown identifier ${describe(t)}; use x1, x2, ..., pi, e or one of ${FUNCTION_NAMES.join(', ')}`);
    }
    if (t.type === 'op' && t.text === '(') {
      k++;
      const inner = parseExpr();
      closeParen(t);
      return inner;
    }
    if (t.type === 'op' && t.text === ')') error(`unbalanced parentheses: unexpected ${describe(t)}`);
    return error(`unexpected ${describe(t)}, expected a number, variable, function or "("`);
  };

  const e = parseExpr();
  const t = peek();
  if (t.type !== 'end') {
    if (t.type === 'op' && t.text === ')') error(`unbalanced parentheses: unmatched ${describe(t)}`);
    error(`unexpected ${describe(t)} after a complete expression`);
  }
  return e;
}

// ---------------------------------------------------------------------------------------------
// Inspection and evaluation

/** Number of variables used = highest xK index K (0 when none). */
export function variableCount(e: Expr): number {
  checkExpr('variableCount', 'e', e);
  return maxIndex(e) + 1;
}

function maxIndex(e: Expr): number {
  switch (e.kind) {
    case 'num':
    case 'const':
      return -1;
    case 'var':
      return e.index;
    case 'add':
      return e.terms.reduce((m, t) => Math.max(m, maxIndex(t)), -1);
    case 'mul':
      return e.factors.reduce((m, t) => Math.max(m, maxIndex(t)), -1);
    case 'pow':
      return Math.max(maxIndex(e.base), maxIndex(e.exponent));
    case 'call':
      return maxIndex(e.arg);
  }
}

type Compiled = (x: ArrayLike<number>) => number;

const isMinusOne = (e: Expr): boolean => e.kind === 'num' && e.value === -1;
const isReciprocal = (e: Expr): e is Pow => e.kind === 'pow' && isMinusOne(e.exponent);

function compileNode(e: Expr): Compiled {
  switch (e.kind) {
    case 'num': {
      const v = e.value;
      return () => v;
    }
    case 'var': {
      const i = e.index;
      return (x) => x[i];
    }
    case 'const': {
      const v = e.name === 'pi' ? Math.PI : Math.E;
      return () => v;
    }
    case 'add': {
      const fs = e.terms.map(compileNode);
      if (fs.length === 0) return () => 0;
      if (fs.length === 1) return fs[0];
      if (fs.length === 2) {
        const [a, b] = fs;
        return (x) => a(x) + b(x);
      }
      if (fs.length === 3) {
        const [a, b, c] = fs;
        return (x) => a(x) + b(x) + c(x);
      }
      return (x) => {
        let s = fs[0](x);
        for (let j = 1; j < fs.length; j++) s += fs[j](x);
        return s;
      };
    }
    case 'mul': {
      if (e.factors.length === 0) return () => 1;
      const first = e.factors[0];
      let acc: Compiled;
      if (isReciprocal(first)) {
        const b = compileNode(first.base);
        acc = (x) => 1 / b(x);
      } else {
        acc = compileNode(first);
      }
      for (let j = 1; j < e.factors.length; j++) {
        const f = e.factors[j];
        const prev = acc;
        if (isReciprocal(f)) {
          const b = compileNode(f.base);
          acc = (x) => prev(x) / b(x);
        } else {
          const g = compileNode(f);
          acc = (x) => prev(x) * g(x);
        }
      }
      return acc;
    }
    case 'pow': {
      const b = compileNode(e.base);
      if (isMinusOne(e.exponent)) return (x) => 1 / b(x);
      if (e.exponent.kind === 'num') {
        const p = e.exponent.value;
        return (x) => Math.pow(b(x), p);
      }
      const q = compileNode(e.exponent);
      return (x) => Math.pow(b(x), q(x));
    }
    case 'call': {
      const a = compileNode(e.arg);
      switch (e.fn) {
        case 'exp':
          return (x) => Math.exp(a(x));
        case 'sin':
          return (x) => Math.sin(a(x));
        case 'cos':
          return (x) => Math.cos(a(x));
        case 'log':
          return (x) => Math.log(a(x));
        default: {
          const g = FN[e.fn];
          return (x) => g(a(x));
        }
      }
    }
  }
}

/**
 * Compiles to a float64 evaluator f(x) with x[0] = x1, x[1] = x2, ... (a tree of closures; a few
 * million node evaluations per second). f throws when x has fewer coordinates than the formula's
 * variableCount. Sums and products are evaluated left to right; pow(b, -1) as 1/b.
 * @example compileFormula(parseFormula('x1^2 + x2'))([3, 1]) // 10
 */
export function compileFormula(e: Expr): (x: ArrayLike<number>) => number {
  checkExpr('compileFormula', 'e', e);
  const f = compileNode(e);
  const n = maxIndex(e) + 1;
  if (n === 0) return f;
  return (x) => {
    if (x.length < n) fail('compileFormula', 'x', `a point with at least ${n} coordinate(s) (x1..x${n})`, Array.from(x));
    return f(x);
  };
}

/** The value of the formula at the point x (x[0] = x1, ...); the same arithmetic as compileFormula. */
export function evaluateFormula(e: Expr, x: ArrayLike<number>): number {
  checkExpr('evaluateFormula', 'e', e);
  if (x === null || typeof x !== 'object' || typeof x.length !== 'number') fail('evaluateFormula', 'x', 'an array of numbers', x);
  const n = maxIndex(e) + 1;
  if (x.length < n) fail('evaluateFormula', 'x', `a point with at least ${n} coordinate(s) (x1..x${n})`, Array.from(x));
  return compileNode(e)(x);
}

// ---------------------------------------------------------------------------------------------
// Printing

const P_ADD = 1;
const P_MUL = 2;
const P_NEG = 3;
const P_POW = 4;
const P_ATOM = 5;

interface Printed {
  readonly text: string;
  /** Loosest operator at the top of the text: P_ADD (a sum) ... P_ATOM (a number, name or call). */
  readonly prec: number;
}

/** The smallest q <= 12 with v = p/q exactly in float64 (|p| <= 100, q > 1), else null. */
function simpleFraction(v: number): { p: number; q: number } | null {
  if (!Number.isFinite(v) || Number.isInteger(v)) return null;
  for (let q = 2; q <= 12; q++) {
    const p = Math.round(v * q);
    if (Math.abs(p) <= 100 && p / q === v) return { p, q };
  }
  return null;
}

/** Is e printed with a leading minus sign (a negative number, or a product led by one)? */
function negativeLed(e: Expr): boolean {
  if (e.kind === 'num') return e.value < 0 || Object.is(e.value, -0);
  if (e.kind === 'mul') return e.factors.length > 0 && negativeLed(e.factors[0]);
  return false;
}

/** -e for a negativeLed e, with the sign removed from its leading number (exactly: negation commutes with rounding). */
function withoutSign(e: Expr): Expr {
  if (e.kind === 'num') return { kind: 'num', value: -e.value };
  const m = e as Mul;
  const [f0, ...rest] = m.factors;
  if (isMinusOne(f0) && rest.length > 0) return rest.length === 1 ? rest[0] : { kind: 'mul', factors: rest };
  return { kind: 'mul', factors: [withoutSign(f0), ...rest] };
}

const isPowerOfTwo = (q: number) => (q & (q - 1)) === 0;

class Printer {
  constructor(private readonly digits: number | undefined) {}

  /** e's text, in parentheses unless its precedence is at least `min` (and, if `noSign`, it does not start with "-"). */
  wrap(e: Expr, min: number, noSign: boolean): string {
    const p = this.print(e);
    return p.prec < min || (noSign && p.text[0] === '-') ? `(${p.text})` : p.text;
  }

  numberText(v: number): Printed {
    if (Number.isNaN(v)) return { text: '0/0', prec: P_MUL };
    if (v < 0 || Object.is(v, -0)) {
      const a = this.numberText(-v);
      return { text: `-${a.text}`, prec: a.prec === P_ATOM ? P_NEG : a.prec };
    }
    if (v === Infinity) return { text: '1/0', prec: P_MUL };
    const f = simpleFraction(v);
    if (f !== null && f.q !== 2 && f.q !== 4 && f.q !== 5 && f.q !== 8 && f.q !== 10) return { text: `${f.p}/${f.q}`, prec: P_MUL };
    const shown = this.digits === undefined ? v : Number(v.toPrecision(this.digits));
    return { text: String(shown), prec: P_ATOM };
  }

  print(e: Expr): Printed {
    switch (e.kind) {
      case 'num':
        return this.numberText(e.value);
      case 'var':
        return { text: `x${e.index + 1}`, prec: P_ATOM };
      case 'const':
        return { text: e.name, prec: P_ATOM };
      case 'call':
        return { text: `${e.fn}(${this.print(e.arg).text})`, prec: P_ATOM };
      case 'pow':
        if (isMinusOne(e.exponent)) return { text: `1/${this.wrap(e.base, P_POW, true)}`, prec: P_MUL };
        return { text: `${this.wrap(e.base, P_ATOM, true)}^${this.wrap(e.exponent, P_NEG, false)}`, prec: P_POW };
      case 'add': {
        if (e.terms.length === 0) return { text: '0', prec: P_ATOM };
        if (e.terms.length === 1) return this.print(e.terms[0]);
        let text = this.print(e.terms[0]).text;
        for (let j = 1; j < e.terms.length; j++) {
          const t = e.terms[j];
          text += negativeLed(t) ? ` - ${this.wrap(withoutSign(t), P_MUL, true)}` : ` + ${this.wrap(t, P_MUL, true)}`;
        }
        return { text, prec: P_ADD };
      }
      case 'mul':
        return this.printProduct(e.factors);
    }
  }

  printProduct(factors: readonly Expr[]): Printed {
    if (factors.length === 0) return { text: '1', prec: P_ATOM };
    if (factors.length === 1) return this.print(factors[0]);
    const m: Expr = { kind: 'mul', factors };
    if (negativeLed(m)) {
      const a = this.print(withoutSign(m));
      const inner = a.prec < P_MUL || a.text[0] === '-' ? `(${a.text})` : a.text;
      return { text: `-${inner}`, prec: a.prec === P_MUL && inner === a.text ? P_MUL : P_NEG };
    }
    const f0 = factors[0];
    const rest = factors.slice(1);
    if (f0.kind === 'num') {
      const fr = simpleFraction(f0.value);
      if (fr !== null && fr.q !== 5 && fr.q !== 10) {
        // p*rest/q is exact when q is a power of two (scaling commutes with rounding); else p/q*rest.
        if (isPowerOfTwo(fr.q) && !rest.some(isReciprocal)) {
          const body = fr.p === 1 ? this.factorsText(rest, true) : `${fr.p}${this.factorsText(rest, false)}`;
          return { text: `${body}/${fr.q}`, prec: P_MUL };
        }
        return { text: `${fr.p}/${fr.q}${this.factorsText(rest, false)}`, prec: P_MUL };
      }
    }
    return { text: this.factorsText(factors, true), prec: P_MUL };
  }

  /** Factors joined by * and /; with `leading` the first one starts the product, else every factor gets its operator. */
  factorsText(factors: readonly Expr[], leading: boolean): string {
    let text = '';
    factors.forEach((f, j) => {
      const first = j === 0 && leading;
      if (isReciprocal(f)) {
        const d = this.wrap(f.base, P_POW, true);
        text += first ? `1/${d}` : `/${d}`;
      } else {
        text += first ? this.wrap(f, P_MUL, false) : `*${this.wrap(f, P_POW, true)}`;
      }
    });
    return text;
  }
}

/**
 * Prints in the grammar parseFormula reads: variables x1, x2, ...; functions by name; `^` for powers;
 * `pi` and `e`; numbers in shortest round-trip form (or to `digits` significant digits when given);
 * a number that is exactly (in float64) p/q with |p| <= 100 and q in {3, 6, 7, 9, 11, 12} as `p/q`; a
 * leading coefficient p/q (q <= 12, not 5 or 10) over its product, as `pi/2`, `3*x1/4` when q is a
 * power of two and as `2/3*x1` otherwise (so that the text evaluates exactly as the tree); minimal
 * parentheses; unary minus as "-", a negative term of a sum as " - ".
 * Without `digits`, parseFormula(formatFormula(e)) evaluates exactly as e does.
 * @example formatFormula(parseFormula('x1 + -(2*x2)')) // 'x1 - 2*x2'
 */
export function formatFormula(e: Expr, options: { digits?: number } = {}): string {
  checkExpr('formatFormula', 'e', e);
  const digits = checkDigits('formatFormula', options);
  return new Printer(digits).print(e).text;
}

function checkDigits(fn: string, options: unknown): number | undefined {
  if (options === null || typeof options !== 'object') fail(fn, 'options', 'an object', options);
  const d = (options as { digits?: unknown }).digits;
  if (d === undefined) return undefined;
  if (typeof d !== 'number' || !Number.isInteger(d) || d < 1 || d > 17) fail(fn, 'options.digits', 'an integer from 1 to 17', d);
  return d;
}

// ---------------------------------------------------------------------------------------------
// Simplification

interface Cleaning {
  readonly digits: number | undefined;
  /** Relative snapping and absolute dropping tolerance; undefined: exact mode. */
  readonly tol: number | undefined;
  /** false: only drop small terms (numbers are kept as they are); default true. */
  readonly round?: boolean;
}

const keyCache = new WeakMap<Expr, string>();

/** A string that is equal for structurally equal trees. */
function key(e: Expr): string {
  const cached = keyCache.get(e);
  if (cached !== undefined) return cached;
  let k: string;
  switch (e.kind) {
    case 'num':
      k = `#${e.value}`;
      break;
    case 'var':
      k = `x${e.index}`;
      break;
    case 'const':
      k = e.name;
      break;
    case 'add':
      k = `+(${e.terms.map(key).join(',')})`;
      break;
    case 'mul':
      k = `*(${e.factors.map(key).join(',')})`;
      break;
    case 'pow':
      k = `^(${key(e.base)},${key(e.exponent)})`;
      break;
    case 'call':
      k = `${e.fn}(${key(e.arg)})`;
      break;
  }
  keyCache.set(e, k);
  return k;
}

const KIND_RANK: Readonly<Record<Expr['kind'], number>> = { num: 0, const: 1, var: 2, pow: 3, mul: 4, add: 5, call: 6 };

/** A total structural order (ties only for structurally equal trees). */
function compareExpr(a: Expr, b: Expr): number {
  if (a.kind !== b.kind) return KIND_RANK[a.kind] - KIND_RANK[b.kind];
  switch (a.kind) {
    case 'num':
      return a.value - (b as Num).value;
    case 'var':
      return a.index - (b as typeof a).index;
    case 'const':
      return a.name < (b as typeof a).name ? -1 : a.name > (b as typeof a).name ? 1 : 0;
    case 'pow':
      return compareExpr(a.base, (b as Pow).base) || compareExpr(a.exponent, (b as Pow).exponent);
    case 'call': {
      const c = b as typeof a;
      return (a.fn < c.fn ? -1 : a.fn > c.fn ? 1 : 0) || compareExpr(a.arg, c.arg);
    }
    case 'add':
    case 'mul': {
      const xs = a.kind === 'add' ? a.terms : a.factors;
      const ys = b.kind === 'add' ? b.terms : (b as Mul).factors;
      for (let j = 0; j < Math.min(xs.length, ys.length); j++) {
        const c = compareExpr(xs[j], ys[j]);
        if (c !== 0) return c;
      }
      return xs.length - ys.length;
    }
  }
}

const isNegativeNumber = (e: Expr) => e.kind === 'num' && e.value < 0;

/** Factor classes: number, constants, powers of variables, functions, others, divisors. */
function factorClass(f: Expr): number {
  switch (f.kind) {
    case 'num':
      return 0;
    case 'const':
      return 1;
    case 'var':
      return 2;
    case 'call':
      return 3;
    case 'pow':
      if (isNegativeNumber(f.exponent)) return 5;
      return f.base.kind === 'num' ? 4 : Math.min(factorClass(f.base), 4);
    default:
      return 4;
  }
}

function factorCompare(a: Expr, b: Expr): number {
  const ca = factorClass(a);
  const cb = factorClass(b);
  if (ca !== cb) return ca - cb;
  const ba = a.kind === 'pow' ? a.base : a;
  const bb = b.kind === 'pow' ? b.base : b;
  if (ca === 5) return factorCompare(ba, bb) || compareExpr(a, b);
  if (ca === 2 && ba.kind === 'var' && bb.kind === 'var' && ba.index !== bb.index) return ba.index - bb.index;
  return compareExpr(a, b);
}

/** Degree of e in each variable: polynomial degrees; a function of x_i (or a symbolic power) counts 1 in x_i. */
function degrees(e: Expr, out: Map<number, number> = new Map(), scale = 1): Map<number, number> {
  const bump = (i: number, d: number) => out.set(i, (out.get(i) ?? 0) + d);
  const ones = (x: Expr) => {
    const seen = new Set<number>();
    collectVars(x, seen);
    seen.forEach((i) => bump(i, scale));
  };
  switch (e.kind) {
    case 'num':
    case 'const':
      break;
    case 'var':
      bump(e.index, scale);
      break;
    case 'mul':
      e.factors.forEach((f) => degrees(f, out, scale));
      break;
    case 'pow':
      if (e.exponent.kind === 'num') degrees(e.base, out, scale * e.exponent.value);
      else ones(e);
      break;
    case 'add': {
      const max = new Map<number, number>();
      for (const t of e.terms) {
        degrees(t, new Map(), 1).forEach((d, i) => max.set(i, Math.max(max.get(i) ?? -Infinity, d)));
      }
      max.forEach((d, i) => bump(i, d * scale));
      break;
    }
    case 'call':
      ones(e.arg);
      break;
  }
  return out;
}

function collectVars(e: Expr, seen: Set<number>): void {
  switch (e.kind) {
    case 'var':
      seen.add(e.index);
      return;
    case 'add':
      e.terms.forEach((t) => collectVars(t, seen));
      return;
    case 'mul':
      e.factors.forEach((t) => collectVars(t, seen));
      return;
    case 'pow':
      collectVars(e.base, seen);
      collectVars(e.exponent, seen);
      return;
    case 'call':
      collectVars(e.arg, seen);
      return;
    default:
      return;
  }
}

/** Splits c*rest with c the leading number of a product (1 otherwise). */
function splitCoefficient(t: Expr): { coef: number; rest: Expr } {
  if (t.kind === 'mul' && t.factors.length > 1 && t.factors[0].kind === 'num') {
    const rest = t.factors.slice(1);
    return { coef: t.factors[0].value, rest: rest.length === 1 ? rest[0] : { kind: 'mul', factors: rest } };
  }
  return { coef: 1, rest: t };
}

interface TermKey {
  readonly term: Expr;
  readonly rest: Expr;
  readonly coef: number;
  /** 0: has variables, 1: symbolic constant, 2: a number. */
  readonly group: number;
  readonly deg: Map<number, number>;
}

function termKey(term: Expr): TermKey {
  const { coef, rest } = splitCoefficient(term);
  const vars = new Set<number>();
  collectVars(rest, vars);
  const group = vars.size > 0 ? 0 : term.kind === 'num' ? 2 : 1;
  return { term, rest, coef, group, deg: degrees(rest) };
}

function termCompare(a: TermKey, b: TermKey): number {
  if (a.group !== b.group) return a.group - b.group;
  const n = Math.max(0, ...a.deg.keys(), ...b.deg.keys());
  for (let i = 0; i <= n; i++) {
    const d = (b.deg.get(i) ?? 0) - (a.deg.get(i) ?? 0);
    if (d !== 0) return d;
  }
  return compareExpr(a.rest, b.rest) || a.coef - b.coef;
}

/** Snaps or rounds one number (see the module comment); may return k*pi. */
function cleanNumber(v: number, c: Cleaning): Expr {
  const tol = c.tol as number;
  if (v === 0) return { kind: 'num', value: 0 };
  const a = Math.abs(v);
  const sign = Math.sign(v);
  let best: { err: number; value: number; pi: boolean } | null = null;
  const consider = (target: number, value: number, pi: boolean) => {
    const err = Math.abs(a - target);
    if (err <= tol * a && (best === null || err < best.err)) best = { err, value, pi };
  };
  const n = Math.round(a);
  if (n !== 0 && n < 1 / tol) consider(n, n, false);
  for (let q = 2; q <= 12; q++) {
    const p = Math.round(a * q);
    if (p !== 0 && p <= 100 && p % q !== 0) consider(p / q, p / q, false);
  }
  for (let q = 1; q <= 4; q++) {
    const p = Math.round((a * q) / Math.PI);
    if (p !== 0 && p <= 16 * q) consider((p * Math.PI) / q, p / q, true);
  }
  const found = best as { err: number; value: number; pi: boolean } | null;
  if (found !== null) {
    const k = sign * found.value;
    if (!found.pi) return { kind: 'num', value: k };
    return k === 1 ? PI : { kind: 'mul', factors: [{ kind: 'num', value: k }, PI] };
  }
  return { kind: 'num', value: c.digits === undefined ? v : Number(v.toPrecision(c.digits)) };
}

const numberNode = (v: number): Expr => ({ kind: 'num', value: v });

/** k when e is k*pi (e = pi or mul(k, pi)), else null. */
function piMultiple(e: Expr): number | null {
  if (e.kind === 'const' && e.name === 'pi') return 1;
  if (e.kind === 'mul' && e.factors.length === 2 && e.factors[0].kind === 'num' && e.factors[1].kind === 'const' && e.factors[1].name === 'pi') return e.factors[0].value;
  return null;
}

/** Parity of the functions with one: f(-u) = -f(u) (odd) or f(u) (even). */
const ODD_EVEN: Partial<Record<FunctionName, 'odd' | 'even'>> = { sin: 'odd', tan: 'odd', tanh: 'odd', sinh: 'odd', arctan: 'odd', cos: 'even', cosh: 'even', abs: 'even' };

function mkCall(fn: FunctionName, a: Expr): Expr {
  if (a.kind === 'num') {
    const v = FN[fn](a.value);
    if (Number.isFinite(v)) return numberNode(v);
  }
  if (fn === 'exp' && a.kind === 'call' && a.fn === 'log') return a.arg;
  // log(c u) = log(c) + log(u) for a positive number c
  if (fn === 'log' && a.kind === 'mul' && a.factors[0].kind === 'num' && a.factors[0].value > 0 && a.factors[0].value !== 1) {
    const rest = a.factors.slice(1);
    return { kind: 'add', terms: [{ kind: 'call', fn, arg: rest.length === 1 ? rest[0] : { kind: 'mul', factors: rest } }, numberNode(Math.log(a.factors[0].value))] };
  }
  // sqrt and log of a sum: the leading term's positive coefficient c comes out,
  // sqrt(c u + d v) = sqrt(c) sqrt(u + (d/c) v), log(c u + d v) = log(c) + log(u + (d/c) v)
  if ((fn === 'sqrt' || fn === 'log') && a.kind === 'add') {
    const { coef } = splitCoefficient(a.terms[0]);
    if (coef > 0 && coef !== 1 && Number.isFinite(1 / coef)) {
      const scaled: Expr = { kind: 'add', terms: a.terms.map((t) => ({ kind: 'mul', factors: [numberNode(1 / coef), t] } as Expr)) };
      const inner: Expr = { kind: 'call', fn, arg: scaled };
      return fn === 'sqrt' ? { kind: 'mul', factors: [numberNode(Math.sqrt(coef)), inner] } : { kind: 'add', terms: [inner, numberNode(Math.log(coef))] };
    }
  }
  // odd and even functions of an argument whose leading term is negative: f(-u) = -f(u) or f(u)
  const lead = a.kind === 'add' ? a.terms[0] : a;
  if (a.kind !== 'num' && lead.kind === 'mul' && lead.factors[0].kind === 'num' && lead.factors[0].value < 0 && ODD_EVEN[fn] !== undefined) {
    const flipped: Expr = a.kind === 'add' ? { kind: 'add', terms: a.terms.map(negate) } : negate(a);
    const inner: Expr = { kind: 'call', fn, arg: flipped };
    return ODD_EVEN[fn] === 'odd' ? { kind: 'mul', factors: [MINUS_ONE, inner] } : inner;
  }
  // sin and cos of u + k pi/2 (k an integer): the shift becomes a sign or the other function
  if ((fn === 'sin' || fn === 'cos') && a.kind === 'add') {
    const shift = a.terms.map(piMultiple).findIndex((k) => k !== null && Number.isInteger(2 * k));
    if (shift >= 0) {
      const quarter = ((Math.round(2 * (piMultiple(a.terms[shift]) as number)) % 4) + 4) % 4; // u + quarter * pi/2
      const rest = a.terms.filter((_, q) => q !== shift);
      const u: Expr = rest.length === 1 ? rest[0] : { kind: 'add', terms: rest };
      // sin(u + q pi/2) = sin u, cos u, -sin u, -cos u; cos(u + q pi/2) = cos u, -sin u, -cos u, sin u
      const table: [FunctionName, number][] = fn === 'sin' ? [['sin', 1], ['cos', 1], ['sin', -1], ['cos', -1]] : [['cos', 1], ['sin', -1], ['cos', -1], ['sin', 1]];
      const [g, sign] = table[quarter];
      const inner: Expr = { kind: 'call', fn: g, arg: u };
      return sign === 1 ? inner : { kind: 'mul', factors: [MINUS_ONE, inner] };
    }
  }
  // exp(u + c) = e^c exp(u): the constant joins the coefficient in front
  if (fn === 'exp' && a.kind === 'add') {
    const c0 = a.terms.filter((t) => t.kind === 'num').reduce((s, t) => s + (t as { value: number }).value, 0);
    const rest = a.terms.filter((t) => t.kind !== 'num');
    if (c0 !== 0 && rest.length > 0 && Number.isFinite(Math.exp(c0))) {
      return { kind: 'mul', factors: [numberNode(Math.exp(c0)), { kind: 'call', fn, arg: rest.length === 1 ? rest[0] : { kind: 'add', terms: rest } }] };
    }
  }
  if (fn === 'log' && a.kind === 'call' && a.fn === 'exp') return a.arg;
  if (fn === 'log' && a.kind === 'const' && a.name === 'e') return ONE;
  if (fn === 'abs' && a.kind === 'call' && a.fn === 'abs') return a;
  if (fn === 'sin' || fn === 'cos' || fn === 'tan') {
    const k = piMultiple(a);
    if (k !== null && Number.isInteger(2 * k)) {
      const even = (m: number) => ((m % 2) + 2) % 2 === 0;
      if (Number.isInteger(k)) {
        if (fn === 'cos') return numberNode(even(k) ? 1 : -1);
        return numberNode(0);
      }
      if (fn === 'cos') return numberNode(0);
      if (fn === 'sin') return numberNode(even(k - 0.5) ? 1 : -1);
    }
  }
  return { kind: 'call', fn, arg: a };
}

function mkPow(b: Expr, x: Expr, c: Cleaning): Expr {
  if (x.kind === 'num') {
    if (x.value === 0) return ONE;
    if (x.value === 1) return b;
    if (b.kind === 'num') {
      const v = x.value === -1 ? 1 / b.value : Math.pow(b.value, x.value);
      if (Number.isFinite(v)) return numberNode(v);
    }
    if (Number.isInteger(x.value)) {
      if (b.kind === 'pow') return mkPow(b.base, mkMul([b.exponent, x], c), c);
      if (b.kind === 'mul') return mkMul(b.factors.map((f) => mkPow(f, x, c)), c);
      // (u + v + ...)^n for n = 2..4 and at most 4 terms is multiplied out, so that coefficients
      // meet and cancel ((x1 + x2)^2 - (x1 - x2)^2 -> 4*x1*x2)
      if (b.kind === 'add' && x.value >= 2 && x.value <= 4 && b.terms.length <= 4) {
        let terms: readonly Expr[] = b.terms;
        for (let m = 1; m < x.value; m++) terms = terms.flatMap((t) => b.terms.map((u) => mkMul([t, u], c)));
        return mkAdd(terms, c);
      }
    }
  }
  if (b.kind === 'num' && b.value === 1) return ONE;
  if (b.kind === 'const' && b.name === 'e' && x.kind !== 'num') return mkCall('exp', x);
  return { kind: 'pow', base: b, exponent: x };
}

/** The simplified product of `input` divided by the numbers `divisors` (numbers fold as evaluated: divisions stay divisions). */
function mkMul(input: readonly Expr[], c: Cleaning, divisors: readonly number[] = []): Expr {
  const flat: Expr[] = [];
  for (const f of input) {
    if (f.kind === 'mul') flat.push(...f.factors);
    else flat.push(f);
  }
  let coef = 1;
  const groups = new Map<string, { base: Expr; exps: Expr[]; first: Expr }>();
  for (const f of flat) {
    if (f.kind === 'num') {
      coef *= f.value;
      continue;
    }
    const base = f.kind === 'pow' ? f.base : f;
    const exp = f.kind === 'pow' ? f.exponent : ONE;
    const k = key(base);
    const g = groups.get(k);
    if (g === undefined) groups.set(k, { base, exps: [exp], first: f });
    else g.exps.push(exp);
  }
  for (const d of divisors) coef /= d;
  if (coef === 0) return numberNode(0);
  const out: Expr[] = [];
  let again = false;
  for (const g of groups.values()) {
    const p = g.exps.length === 1 ? g.first : mkPow(g.base, mkAdd(g.exps, c), c);
    if (p.kind === 'num') coef *= p.value;
    else {
      if (p.kind === 'mul') again = true;
      out.push(p);
    }
  }
  if (again) return mkMul([numberNode(coef), ...out], c);
  if (coef === 0) return numberNode(0);
  if (out.length === 0) return numberNode(coef);
  out.sort(factorCompare);
  if (coef !== 1 && out.length === 1 && out[0].kind === 'add') {
    return mkAdd(out[0].terms.map((t) => mkMul([numberNode(coef), t], c)), c);
  }
  if (coef === 1) return out.length === 1 ? out[0] : { kind: 'mul', factors: out };
  return { kind: 'mul', factors: [numberNode(coef), ...out] };
}

function mkAdd(input: readonly Expr[], c: Cleaning): Expr {
  const flat: Expr[] = [];
  for (const t of input) {
    if (t.kind === 'add') flat.push(...t.terms);
    else flat.push(t);
  }
  let constant = 0;
  const groups = new Map<string, { rest: Expr; coef: number }>();
  for (const t of flat) {
    if (t.kind === 'num') {
      constant += t.value;
      continue;
    }
    const { coef, rest } = splitCoefficient(t);
    const k = key(rest);
    const g = groups.get(k);
    if (g === undefined) groups.set(k, { rest, coef });
    else g.coef += coef;
  }
  const small = (v: number) => v === 0 || (c.tol !== undefined && Math.abs(v) < c.tol);
  const terms: Expr[] = [];
  for (const { rest, coef } of groups.values()) {
    if (small(coef)) continue;
    if (coef === 1) terms.push(rest);
    else terms.push({ kind: 'mul', factors: [numberNode(coef), ...(rest.kind === 'mul' ? rest.factors : [rest])] });
  }
  if (!small(constant)) terms.push(numberNode(constant));
  if (terms.length === 0) return numberNode(0);
  if (terms.length === 1) return terms[0];
  const keyed = terms.map(termKey);
  keyed.sort(termCompare);
  return { kind: 'add', terms: keyed.map((t) => t.term) };
}

function simplifyOnce(e: Expr, c: Cleaning): Expr {
  switch (e.kind) {
    case 'num':
      return c.tol === undefined || c.round === false ? e : cleanNumber(e.value, c);
    case 'var':
    case 'const':
      return e;
    case 'call':
      return mkCall(e.fn, simplifyOnce(e.arg, c));
    case 'pow':
      return mkPow(simplifyOnce(e.base, c), simplifyOnce(e.exponent, c), c);
    case 'add':
      return mkAdd(e.terms.map((t) => simplifyOnce(t, c)), c);
    case 'mul': {
      const factors: Expr[] = [];
      const divisors: number[] = [];
      for (const f of e.factors) {
        if (!isReciprocal(f)) {
          factors.push(simplifyOnce(f, c));
          continue;
        }
        const b = simplifyOnce(f.base, c);
        if (b.kind === 'num' && b.value !== 0) divisors.push(b.value);
        else factors.push(mkPow(b, MINUS_ONE, c));
      }
      return mkMul(factors, c, divisors);
    }
  }
}

/**
 * Algebraic simplification, bottom-up until nothing changes (rules and canonical order in the module
 * comment). Without options the value is kept up to float rounding (and up to the domain extensions
 * x/x -> 1, exp(log(x)) -> x, (a^b)^n -> a^(b n)). With `digits` (1..17 significant digits) and/or
 * `tolerance` (default 10^-digits) numbers are snapped to integers, fractions p/q (q <= 12) and
 * multiples k*pi (k = p/q, q <= 4), otherwise rounded, and terms of sums with |coefficient| <
 * tolerance are dropped.
 * @example formatFormula(simplify(parseFormula('x1*x1*2 + 3.14159*x2'), { digits: 4 })) // '2*x1^2 + pi*x2'
 */
export function simplify(e: Expr, options: { digits?: number; tolerance?: number } = {}): Expr {
  checkExpr('simplify', 'e', e);
  const digits = checkDigits('simplify', options);
  const t = options.tolerance;
  if (t !== undefined && (typeof t !== 'number' || !Number.isFinite(t) || t < 0)) fail('simplify', 'options.tolerance', 'a non-negative finite number', t);
  const c: Cleaning = { digits, tol: t ?? (digits === undefined ? undefined : Math.pow(10, -digits)) };
  const fixedPoint = (start: Expr, cleaning: Cleaning): Expr => {
    let current = start;
    let k = key(current);
    for (let pass = 0; pass < 50; pass++) {
      const next = simplifyOnce(current, cleaning);
      const nk = key(next);
      current = next;
      if (nk === k) break;
      k = nk;
    }
    return current;
  };
  // the exact algebra first, at full precision (products of constants multiplied out, constants
  // moved out of exp), so that numbers are rounded once, at the end, not factor by factor
  const exact = fixedPoint(e, { digits: undefined, tol: undefined });
  if (c.tol === undefined) return exact;
  // negligible terms go before any number is rounded (a dropped shift inside a power lets the
  // power's coefficient be multiplied out exactly), then the numbers are cleaned
  const dropped = fixedPoint(fixedPoint(exact, { ...c, round: false }), { digits: undefined, tol: undefined });
  return fixedPoint(dropped, c);
}
