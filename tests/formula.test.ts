/**
 * Formulas in x1, x2, ... (src/expressivity/formula.ts): the parser against hand-written JavaScript
 * functions on random points (precedence and associativity included), the printer through a
 * print -> parse round trip that must evaluate bit for bit alike, simplification that keeps values
 * (exact mode) or prints the forms a human expects (with `digits`: the trained-KAN formula, snapping to
 * integers, fractions and multiples of pi), the parse errors that name the bad token and its position,
 * and the speed of compiled formulas. Random points come from a seeded LCG written out here.
 */
import { FUNCTION_NAMES, add, call, compileFormula, evaluateFormula, formatFormula, mul, num, parseFormula, pow, simplify, variable, variableCount } from '../src/expressivity/formula';
import type { Expr } from '../src/expressivity/formula';

/** Numerical Recipes' 32-bit LCG, uniform on [lo, hi). */
function lcg(seed: number): (lo: number, hi: number) => number {
  let s = seed >>> 0;
  return (lo, hi) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return lo + ((hi - lo) * s) / 4294967296;
  };
}

/** Random points in [lo, hi)^3. */
function points(seed: number, n: number, lo: number, hi: number): number[][] {
  const u = lcg(seed);
  return Array.from({ length: n }, () => [u(lo, hi), u(lo, hi), u(lo, hi)]);
}

const relErr = (a: number, b: number) => Math.abs(a - b) / Math.max(1, Math.abs(a), Math.abs(b));

/** Formula text and the same function written by hand. Points lie in [0.25, 2)^3 (no pole or domain edge). */
const CASES: ReadonlyArray<readonly [string, (x: number[]) => number]> = [
  ['x1', (x) => x[0]],
  ['-x1^2', (x) => -(x[0] ** 2)],
  ['2^3^2', () => 512],
  ['-2^-2', () => -0.25],
  ['x1**2', (x) => x[0] * x[0]],
  ['1/x1/x2', (x) => 1 / x[0] / x[1]],
  ['x1/x2*x3', (x) => (x[0] / x[1]) * x[2]],
  ['x1 - x2 - x3', (x) => x[0] - x[1] - x[2]],
  ['x1 - -x2 + +x3', (x) => x[0] + x[1] + x[2]],
  ['x1 * -x2', (x) => -x[0] * x[1]],
  ['exp(sin(pi*x1) + x2^2)', (x) => Math.exp(Math.sin(Math.PI * x[0]) + x[1] ** 2)],
  ['x^2 + .5e1*x2 - 2.5E+2*1e-3', (x) => x[0] ** 2 + 5 * x[1] - 0.25],
  ['(x1 + x2)*(x1 - x2)', (x) => (x[0] + x[1]) * (x[0] - x[1])],
  ['sqrt(abs(x1 - 1)) + log(1 + x2^2)', (x) => Math.sqrt(Math.abs(x[0] - 1)) + Math.log(1 + x[1] ** 2)],
  ['sigmoid(x1) * tanh(x2) + arctan(x3)', (x) => (1 / (1 + Math.exp(-x[0]))) * Math.tanh(x[1]) + Math.atan(x[2])],
  ['sinh(x1) - cosh(x2) + tan(x3/4)', (x) => Math.sinh(x[0]) - Math.cosh(x[1]) + Math.tan(x[2] / 4)],
  ['e^x1 * 2e3 + 2*e', (x) => Math.exp(x[0]) * 2000 + 2 * Math.E],
  ['x3^-x1^2', (x) => x[2] ** -(x[0] ** 2)],
  [' ( ( x2 ) ) ** ( 1 / 3 ) ', (x) => x[1] ** (1 / 3)],
  ['cos(2*pi*x1)^2 + sin(2*pi*x1)^2 - x2*x3', (x) => Math.cos(2 * Math.PI * x[0]) ** 2 + Math.sin(2 * Math.PI * x[0]) ** 2 - x[1] * x[2]],
];

const PTS = points(2024, 64, 0.25, 2);

describe('parseFormula and compileFormula', () => {
  test.each(CASES)('%s evaluates like the hand-written function', (text, f) => {
    const e = parseFormula(text);
    const g = compileFormula(e);
    for (const x of PTS) {
      expect(relErr(g(x), f(x))).toBeLessThan(1e-13);
      expect(evaluateFormula(e, x)).toBe(g(x));
    }
  });

  test('division, subtraction and unary minus have the documented trees; chains are flat', () => {
    const x1 = variable(0);
    const x2 = variable(1);
    expect(parseFormula('x1/x2')).toEqual({ kind: 'mul', factors: [x1, { kind: 'pow', base: x2, exponent: { kind: 'num', value: -1 } }] });
    expect(parseFormula('x1 - x2')).toEqual({ kind: 'add', terms: [x1, { kind: 'mul', factors: [{ kind: 'num', value: -1 }, x2] }] });
    expect(parseFormula('-x1^2')).toEqual({ kind: 'mul', factors: [{ kind: 'num', value: -1 }, { kind: 'pow', base: x1, exponent: { kind: 'num', value: 2 } }] });
    expect(parseFormula('x1*x2*pi')).toEqual({ kind: 'mul', factors: [x1, x2, { kind: 'const', name: 'pi' }] });
    expect(parseFormula('2^3^2')).toEqual({ kind: 'pow', base: num(2), exponent: { kind: 'pow', base: num(3), exponent: num(2) } });
    expect(parseFormula('x')).toEqual(x1);
    expect(parseFormula('x12')).toEqual(variable(11));
    expect(parseFormula('1e-3')).toEqual(num(0.001));
  });

  test('`e` is Euler\'s number except as the exponent of a number', () => {
    expect(evaluateFormula(parseFormula('e'), [])).toBe(Math.E);
    expect(evaluateFormula(parseFormula('2e3'), [])).toBe(2000);
    expect(evaluateFormula(parseFormula('2*e'), [])).toBe(2 * Math.E);
    expect(evaluateFormula(parseFormula('e^2'), [])).toBe(Math.pow(Math.E, 2));
    expect(() => parseFormula('2e')).toThrow('"e" at position 2');
  });

  test('variableCount is the highest index used', () => {
    expect(variableCount(parseFormula('x1 + x3'))).toBe(3);
    expect(variableCount(parseFormula('2*pi + e'))).toBe(0);
    expect(variableCount(parseFormula('x'))).toBe(1);
    expect(variableCount(parseFormula('sin(x7)'))).toBe(7);
  });

  test.each([
    ['foo(x1)', '"foo" at position 1'],
    ['x1 + y', '"y" at position 6'],
    ['z', '"z" at position 1'],
    ['x0 + 1', '"x0" at position 1'],
    ['(x1 + 2', '"(" at position 1'],
    ['sin(x1 + 2', '"(" at position 4'],
    ['x1 + 2)', '")" at position 7'],
    ['()', '")" at position 2'],
    ['x1 2', '"2" at position 4'],
    ['2x1', '"x1" at position 2'],
    ['sin x1', '"sin" at position 1'],
    ['exp', '"exp" at position 1'],
    ['x1 * * x2', '"*" at position 6'],
    ['x1***x2', '"*" at position 5'],
    ['x1 $ 2', '"$" at position 4'],
    ['x1 +', 'end of formula at position 5'],
    ['', 'empty'],
    ['   ', 'empty'],
  ])('parseFormula(%j) fails naming %s', (text, where) => {
    expect(() => parseFormula(text)).toThrow(where);
    expect(() => parseFormula(text)).toThrow(/^parseFormula: formula must be /);
  });

  test('bad trees and bad points are refused', () => {
    expect(() => variable(-1)).toThrow('variable: i');
    expect(() => num(NaN)).toThrow('num: v');
    expect(() => call('erf' as never, variable(0))).toThrow('call: fn');
    expect(() => formatFormula({ kind: 'var', index: 1.5 } as unknown as Expr)).toThrow('formatFormula: e');
    expect(() => evaluateFormula(parseFormula('x1 + x3'), [1, 2])).toThrow('evaluateFormula: x');
    expect(() => compileFormula(parseFormula('x2'))([1])).toThrow('compileFormula: x');
    expect(() => simplify(variable(0), { digits: 0 })).toThrow('simplify: options.digits');
    expect(() => simplify(variable(0), { tolerance: -1 })).toThrow('simplify: options.tolerance');
    expect(FUNCTION_NAMES).toHaveLength(12);
  });

  test('a compiled formula of ~10 nodes runs 1e5 evaluations well within a second', () => {
    const f = compileFormula(parseFormula('exp(sin(pi*x1) + x2^2)*0.5 + x1*x2/3 - 1'));
    const x = new Float64Array(2);
    let sum = 0;
    const t0 = performance.now();
    for (let i = 0; i < 1e5; i++) {
      x[0] = i * 1e-5;
      x[1] = 0.5;
      sum += f(x);
    }
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(Number.isFinite(sum)).toBe(true);
  });
});

describe('formatFormula', () => {
  test.each(CASES)('%s survives print -> parse', (text) => {
    const e = parseFormula(text);
    const back = parseFormula(formatFormula(e));
    const f = compileFormula(e);
    const g = compileFormula(back);
    for (const x of PTS) expect(relErr(g(x), f(x))).toBeLessThanOrEqual(1e-15);
  });

  const x1 = variable(0);
  const x2 = variable(1);
  const x3 = variable(2);
  const pi: Expr = { kind: 'const', name: 'pi' };
  // Trees the parser never builds: signs, fractions and nesting in awkward places.
  test.each<[string, Expr]>([
    ['x1*(-2)', mul(x1, num(-2))],
    ['x1 - 2*x2', add(x1, mul(num(-2), x2))],
    ['x1 - 3', add(x1, num(-3))],
    ['x1 + (x2 + x3)', add(x1, add(x2, x3))],
    ['x1 + x2 + x3', add(add(x1, x2), x3)],
    ['x1*(x2*x3)', mul(x1, mul(x2, x3))],
    ['x1/(x2 + 1)', mul(x1, pow(add(x2, num(1)), -1))],
    ['1/x1', pow(x1, -1)],
    ['(-2)^x1', pow(num(-2), x1)],
    ['(x1^2)^3', pow(pow(x1, 2), 3)],
    ['x1^x2^2', pow(x1, pow(x2, 2))],
    ['x1^-x2', pow(x1, mul(num(-1), x2))],
    ['x1^(1/3)', pow(x1, num(1 / 3))],
    ['pi/2', mul(num(0.5), pi)],
    ['-3*pi/4', mul(num(-0.75), pi)],
    ['2/3*x1', mul(num(2 / 3), x1)],
    ['1/3', num(1 / 3)],
    ['-0.5', num(-0.5)],
    ['-0', num(-0)],
    ['-(x1 + x2)', mul(num(-1), add(x1, x2))],
    ['x1 - (-x2)', add(x1, mul(num(-1), mul(num(-1), x2)))],
    ['exp(-x1^2)', call('exp', mul(num(-1), pow(x1, 2)))],
    ['1/x2*x1', mul(pow(x2, -1), x1)],
  ])('a tree printed as %s evaluates bit for bit alike after parsing', (text, e) => {
    expect(formatFormula(e)).toBe(text);
    const f = compileFormula(e);
    const g = compileFormula(parseFormula(text));
    for (const x of PTS.slice(0, 16)) expect(Object.is(g(x), f(x))).toBe(true);
  });

  test('digits rounds numbers to significant digits', () => {
    expect(formatFormula(parseFormula('3.14159265*x1 + 0.000123456'), { digits: 3 })).toBe('3.14*x1 + 0.000123');
    expect(formatFormula(parseFormula('1234567*x1'), { digits: 2 })).toBe('1200000*x1');
  });
});

describe('simplify', () => {
  const exactCases = [
    ...CASES.map(([t]) => t),
    '2*x1 + 3*x1 - x2*x1*x2 + x2^2*x1',
    '(x1*x2)^2/x2 + x1*x1*2',
    '0.5*(2*x1 + 4) - 3*(x2 - x1)',
    'exp(log(x1^2 + 1)) + log(exp(x2))',
    '(x1 + 1)*(x1 + 1) - (x1 + 1)^2 + x2',
    '(x1^2)^3*x1^-4 + x2/x2',
    'e^x1 * e^x2 * 2^x1 * 2^x3',
  ];
  test.each(exactCases)('%s: same values without digits', (text) => {
    const e = parseFormula(text);
    const s = simplify(e);
    const f = compileFormula(e);
    const g = compileFormula(s);
    for (const x of PTS) expect(relErr(g(x), f(x))).toBeLessThan(1e-12);
    // the result is a fixed point, and its printed form reads back to itself
    expect(formatFormula(simplify(s))).toBe(formatFormula(s));
    expect(formatFormula(simplify(parseFormula(formatFormula(s))))).toBe(formatFormula(s));
  });

  test.each([
    ['exp(0)', '1'],
    ['x1^0 + x2^1*1 + 0', 'x2 + 1'],
    ['x1*0 + x2', 'x2'],
    ['x1 - x1', '0'],
    ['pi*2 + pi', '3*pi'],
    ['sin(pi) + cos(pi) + sin(pi/2)', '0'],
    ['(x1*x2)^2', 'x1^2*x2^2'],
    ['e^x1', 'exp(x1)'],
    ['x2*x1*x2/x1', 'x2^2'],
    ['sqrt(x1)^2', 'sqrt(x1)^2'],
    ['1 + 2*x1 + x1^2', 'x1^2 + 2*x1 + 1'],
  ])('exact rules: %s -> %s', (text, expected) => {
    expect(formatFormula(simplify(parseFormula(text)))).toBe(expected);
  });

  test.each([
    ['x2 + x1', 'x1 + x2'],
    ['3*x2*x1', 'x2*x1*3'],
    ['x1^2 + 2*x1*x2 + x2^2', 'x2^2 + x1*x2*2 + x1^2'],
    ['exp(x2)*sin(x1) + 1', '1 + sin(x1)*exp(x2)'],
  ])('canonical order: %s and %s print alike', (a, b) => {
    expect(formatFormula(simplify(parseFormula(a)))).toBe(formatFormula(simplify(parseFormula(b))));
    expect(formatFormula(simplify(parseFormula(a)))).toBe(formatFormula(simplify(parseFormula(a))));
  });

  const KAN = '1.0000002*exp(0.99999*(1.00001*sin(3.14159*x1+0.0000003) + 0.9999998*x2^2 - 0.0000001) + 0.0000004) - 0.0000002';
  test.each([
    [KAN, 'exp(sin(pi*x1) + x2^2)'],
    ['x1*x1*2', '2*x1^2'],
    ['x1 + x1', '2*x1'],
    ['3.14159*x1', 'pi*x1'],
    ['0.5*(2*x1 + 4)', 'x1 + 2'],
    ['6.2832', '2*pi'],
    ['1.5708', 'pi/2'],
    ['sin(6.28318*x1 + 1.5708)', 'cos(2*pi*x1)'],
    ['cos(x1 + 3.14159)', '-cos(x1)'],
    ['exp(-sin(-3.14159*x1) + x2^2)', 'exp(sin(pi*x1) + x2^2)'],
    ['cos(-2*x1 + 1) + abs(-x2)', 'cos(2*x1 - 1) + abs(x2)'],
    ['0.5*sqrt(4*x1^2 + 4.00001*x2^2)', 'sqrt(x1^2 + x2^2)'],
    ['0.5*exp(log(4*x1) + log(0.5*x2))', 'exp(log(x1) + log(x2))'],
    ['1 + x1^2 + 2*x1', 'x1^2 + 2*x1 + 1'],
    ['2.00001*x1^1.99999 - 0.00002*x2', '2*x1^2'],
    ['0.33333*x2 + 0.66667*x1', '2/3*x1 + 1/3*x2'],
    ['0.25*x1 - 0.4999999*x2', 'x1/4 - x2/2'],
    ['1.23456*x1 + 7.654321', '1.235*x1 + 7.654'],
    ['x3 - (x1 + x2)', '-x1 - x2 + x3'],
    ['x1^2*x2 + x2^2 + x1 + 7', 'x1^2*x2 + x1 + x2^2 + 7'],
    ['(-0.3)*((0.5)*(x1) + 0.0)^2 + 0.2', '-0.075*x1^2 + 0.2'],
    ['exp(0)*x1 + log(exp(x2)) + 0.00001', 'x1 + x2'],
  ])('digits 4: %s -> %s', (text, expected) => {
    const e = parseFormula(text);
    const s = simplify(e, { digits: 4 });
    expect(formatFormula(s)).toBe(expected);
    // the printed form reads back, and the cleaned formula is the original up to the snapping tolerance
    const f = compileFormula(e);
    const g = compileFormula(parseFormula(expected));
    for (const x of points(7, 32, 0.5, 1.5)) expect(relErr(g(x), f(x))).toBeLessThan(1e-3);
  });

  test('tolerance without digits snaps and drops but does not round', () => {
    expect(formatFormula(simplify(parseFormula('3.1415*x1 + 1.23456789*x2 + 0.001'), { tolerance: 1e-3 }))).toBe('pi*x1 + 1.23456789*x2 + 0.001');
    expect(formatFormula(simplify(parseFormula('x1 + 0.0001'), { tolerance: 1e-3 }))).toBe('x1');
    expect(formatFormula(simplify(parseFormula('3.14159*x1'), { digits: 4, tolerance: 0 }))).toBe('3.142*x1');
  });
});

describe('constructors', () => {
  test('add and mul of one argument are that argument, of none 0 and 1; pow takes a numeric exponent', () => {
    expect(add(variable(0))).toEqual(variable(0));
    expect(add()).toEqual(num(0));
    expect(mul()).toEqual(num(1));
    expect(pow(variable(1), 2)).toEqual({ kind: 'pow', base: { kind: 'var', index: 1 }, exponent: { kind: 'num', value: 2 } });
    expect(formatFormula(call('exp', mul(num(2), variable(0))))).toBe('exp(2*x1)');
    expect(() => add({ kind: 'nope' } as unknown as Expr)).toThrow('add: t[0]');
  });
});
