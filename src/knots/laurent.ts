/**
 * Laurent polynomials with exact integer coefficients (BigInt): the ring Z[q, 1/q] in which the
 * knot invariants of this folder live (the Kauffman bracket in A, the Jones polynomial in t^(1/4)
 * steps, the Alexander polynomial in t). Immutable; exponents are integers.
 */

/** sum_k coefficients[k] q^(low + k), normalised so the first and last coefficients are non-zero (or empty for 0). */
export class Laurent {
  private constructor(
    readonly low: number,
    readonly coefficients: readonly bigint[],
  ) {}

  static readonly ZERO = new Laurent(0, []);
  static readonly ONE = new Laurent(0, [1n]);

  /** The polynomial from a low exponent and coefficients (trimmed). */
  static of(low: number, coefficients: readonly (bigint | number)[]): Laurent {
    const c = coefficients.map((x) => BigInt(x));
    let a = 0;
    let b = c.length;
    while (a < b && c[a] === 0n) a++;
    while (b > a && c[b - 1] === 0n) b--;
    return a === b ? Laurent.ZERO : new Laurent(low + a, c.slice(a, b));
  }

  /** c q^e. */
  static monomial(coefficient: bigint | number, exponent: number): Laurent {
    return Laurent.of(exponent, [coefficient]);
  }

  get isZero(): boolean {
    return this.coefficients.length === 0;
  }
  get high(): number {
    return this.low + this.coefficients.length - 1;
  }

  add(o: Laurent): Laurent {
    if (this.isZero) return o;
    if (o.isZero) return this;
    const low = Math.min(this.low, o.low);
    const high = Math.max(this.high, o.high);
    const c = new Array<bigint>(high - low + 1).fill(0n);
    this.coefficients.forEach((x, k) => (c[this.low + k - low] += x));
    o.coefficients.forEach((x, k) => (c[o.low + k - low] += x));
    return Laurent.of(low, c);
  }

  neg(): Laurent {
    return Laurent.of(this.low, this.coefficients.map((x) => -x));
  }

  sub(o: Laurent): Laurent {
    return this.add(o.neg());
  }

  mul(o: Laurent): Laurent {
    if (this.isZero || o.isZero) return Laurent.ZERO;
    const c = new Array<bigint>(this.coefficients.length + o.coefficients.length - 1).fill(0n);
    this.coefficients.forEach((x, i) => o.coefficients.forEach((y, j) => (c[i + j] += x * y)));
    return Laurent.of(this.low + o.low, c);
  }

  /** q^k times this. */
  shift(k: number): Laurent {
    return this.isZero ? this : new Laurent(this.low + k, this.coefficients);
  }

  pow(n: number): Laurent {
    let r: Laurent = Laurent.ONE;
    for (let i = 0; i < n; i++) r = r.mul(this);
    return r;
  }

  /** p(q^k): every exponent times k (k may be negative). */
  substitutePower(k: number): Laurent {
    if (this.isZero) return this;
    const terms = this.coefficients.map((c, i) => [(this.low + i) * k, c] as const);
    const low = Math.min(...terms.map((t) => t[0]));
    const high = Math.max(...terms.map((t) => t[0]));
    const c = new Array<bigint>(high - low + 1).fill(0n);
    for (const [e, x] of terms) c[e - low] += x;
    return Laurent.of(low, c);
  }

  equals(o: Laurent): boolean {
    return this.low === o.low && this.coefficients.length === o.coefficients.length && this.coefficients.every((x, k) => x === o.coefficients[k]);
  }

  /** Value at q = 1 (the sum of the coefficients). */
  atOne(): bigint {
    return this.coefficients.reduce((a, b) => a + b, 0n);
  }

  /**
   * Exact division by a polynomial d whose lowest coefficient is +-1 (as the cyclotomic-type
   * divisors used here): throws when the division leaves a remainder.
   */
  divExact(d: Laurent): Laurent {
    if (d.isZero) throw new RangeError('Laurent.divExact: division by zero');
    if (this.isZero) return this;
    const lead = d.coefficients[0];
    if (lead !== 1n && lead !== -1n) throw new RangeError('Laurent.divExact: the divisor must have lowest coefficient +-1');
    const rem = this.coefficients.slice();
    const n = rem.length - d.coefficients.length + 1;
    if (n <= 0) throw new RangeError('Laurent.divExact: not divisible');
    const q = new Array<bigint>(n).fill(0n);
    for (let k = 0; k < n; k++) {
      const f = rem[k] * lead; // lead = +-1 is its own inverse
      q[k] = f;
      if (f !== 0n) d.coefficients.forEach((x, j) => (rem[k + j] -= f * x));
    }
    if (rem.some((x) => x !== 0n)) throw new RangeError('Laurent.divExact: not divisible');
    return Laurent.of(this.low - d.low, q);
  }

  /** {exponent: coefficient} with exponents divided by `denominator` (as decimal strings) and coefficients as numbers. */
  toRecord(denominator = 1): Record<string, number> {
    const out: Record<string, number> = {};
    this.coefficients.forEach((c, k) => {
      if (c !== 0n) out[String((this.low + k) / denominator)] = Number(c);
    });
    return out;
  }

  /**
   * Readable form, exponents divided by `denominator`: the trefoil's Jones polynomial
   * `jonesPolynomial(braid([1, 1, 1])).toString('t', 4)` is 't + t^3 - t^4'.
   */
  toString(variable = 'q', denominator = 1): string {
    if (this.isZero) return '0';
    const terms = this.coefficients
      .map((c, k) => [c, (this.low + k) / denominator] as const)
      .filter(([c]) => c !== 0n)
      .map(([c, e]) => {
        const mag = c < 0n ? -c : c;
        const power = e === 0 ? '' : e === 1 ? variable : `${variable}^${e}`;
        return { negative: c < 0n, text: power === '' ? `${mag}` : `${mag === 1n ? '' : mag}${power}` };
      });
    return terms.map((t, k) => (k === 0 ? (t.negative ? '-' : '') + t.text : (t.negative ? ' - ' : ' + ') + t.text)).join('');
  }
}
