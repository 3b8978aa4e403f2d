/**
 * Seeded random streams.
 *
 * Randomness in nnft is always an argument: every stochastic routine takes a `seed` (a
 * non-negative safe integer; 0 is an ordinary seed). Ensemble member m draws its parameters from
 * its own stream `Rng.stream(seed, m)`, so network m is the same network whatever batch size,
 * shard or backend is used to evaluate it.
 *
 * Generator: xoshiro128** (Blackman & Vigna), 32-bit words, seeded through the splitmix32
 * finaliser applied to (seed, stream index). Normals: Box-Muller on 32-bit uniforms in (0, 1).
 * The numbers are pinned by golden values in tests/random.test.ts.
 */
import { checkNonNegativeInteger } from './validate';

const TWO_POW_32 = 4294967296;
// Hoisted: inside test runners' sandboxes a global lookup in a hot loop costs ~20x.
const { imul, log, sqrt, cos, sin, PI } = Math;

/** splitmix32-style finaliser: a bijective 32-bit mix. */
function mix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  x = imul(x ^ (x >>> 16), 0x85ebca6b);
  x = imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spareNormal: number | null = null;

  private constructor(s0: number, s1: number, s2: number, s3: number) {
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
    this.s3 = s3;
  }

  /**
   * The stream with index `stream` under `seed` (both non-negative safe integers).
   * `Rng.stream(seed, m)` is what ensemble member m uses.
   */
  static stream(seed: number, stream = 0): Rng {
    checkNonNegativeInteger('Rng.stream', 'seed', seed);
    checkNonNegativeInteger('Rng.stream', 'stream', stream);
    const seedLo = seed >>> 0;
    const seedHi = Math.floor(seed / TWO_POW_32) >>> 0;
    const streamLo = stream >>> 0;
    const streamHi = Math.floor(stream / TWO_POW_32) >>> 0;
    let h = mix32(seedLo ^ 0x6a09e667);
    h = mix32(h ^ seedHi);
    h = mix32(h ^ streamLo ^ 0xbb67ae85);
    h = mix32(h ^ streamHi);
    const s0 = mix32(h ^ 0x3c6ef372);
    const s1 = mix32(s0 ^ 0xa54ff53a);
    const s2 = mix32(s1 ^ 0x510e527f);
    const s3 = mix32(s2 ^ 0x9b05688c);
    // xoshiro must not start from the all-zero state.
    return new Rng(s0, s1, s2, s3 === 0 && s0 === 0 && s1 === 0 && s2 === 0 ? 1 : s3);
  }

  /** A generator with an explicit xoshiro128** state (for reproducing a reference stream). */
  static fromState(s0: number, s1: number, s2: number, s3: number): Rng {
    if ((s0 | s1 | s2 | s3) === 0) throw new RangeError('Rng.fromState: the all-zero state is not allowed');
    return new Rng(s0 | 0, s1 | 0, s2 | 0, s3 | 0);
  }

  /** Next 32-bit unsigned integer (xoshiro128**). */
  nextUint32(): number {
    const result = imul(rotl(imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in the open interval (0, 1), resolution 2^-32. */
  uniform(): number {
    return (this.nextUint32() + 0.5) / TWO_POW_32;
  }

  /** Standard normal N(0, 1) by Box-Muller (pairs are used in order). */
  normal(): number {
    if (this.spareNormal !== null) {
      const z = this.spareNormal;
      this.spareNormal = null;
      return z;
    }
    const r = sqrt(-2 * log(this.uniform()));
    const angle = 2 * PI * this.uniform();
    this.spareNormal = r * sin(angle);
    return r * cos(angle);
  }

  /** Fill `out[offset .. offset + count)` with N(mean, std^2) draws. */
  fillNormal(out: Float32Array | Float64Array, offset: number, count: number, std = 1, mean = 0): void {
    for (let i = 0; i < count; i++) out[offset + i] = mean + std * this.normal();
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
