/**
 * Boundary checks. Every error names the function, the argument and the value it received:
 * `erfNet: width must be a positive integer, got 0`.
 */

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(show).join(', ')}]`;
  return String(value);
}

export function fail(fn: string, arg: string, must: string, value: unknown): never {
  throw new RangeError(`${fn}: ${arg} must be ${must}, got ${show(value)}`);
}

export function checkPositiveInteger(fn: string, arg: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    fail(fn, arg, 'a positive integer', value);
  }
  return value;
}

export function checkNonNegativeInteger(fn: string, arg: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    fail(fn, arg, 'a non-negative integer', value);
  }
  return value;
}

export function checkPositiveNumber(fn: string, arg: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    fail(fn, arg, 'a positive finite number', value);
  }
  return value;
}

export function checkNonNegativeNumber(fn: string, arg: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    fail(fn, arg, 'a non-negative finite number', value);
  }
  return value;
}

/** Input points: a non-empty array of points, each an array of `dIn` finite numbers. */
export function checkInputs(fn: string, inputs: unknown, dIn: number): number[][] {
  if (!Array.isArray(inputs) || inputs.length === 0) fail(fn, 'inputs', 'a non-empty array of points', inputs);
  return inputs.map((x, p) => {
    const point = typeof x === 'number' ? [x] : x;
    if (!Array.isArray(point) || point.length !== dIn || !point.every((c) => typeof c === 'number' && Number.isFinite(c))) {
      fail(fn, `inputs[${p}]`, `a point of ${dIn} finite coordinate(s)`, x);
    }
    return point as number[];
  });
}
