/**
 * Seeded random streams.
 *
 * Randomness in nnft is always an argument: every stochastic routine takes a `seed` (a
 * non-negative safe integer; 0 is an ordinary seed). Ensemble member m draws its parameters from
 * its own stream `Rng.stream(seed, m)`, so network m is the same network whatever batch size,
 * shard or backend is used to evaluate it.
 *
 * Generator: xoshiro128** (Blackman & Vigna), 32-bit words, seeded through the splitmix32
 * finaliser applied to (seed, stream index). Normals: the Marsaglia-Tsang ziggurat with 128
 * layers, one 32-bit word per normal: the layer index from its low 7 bits and the signed value from
 * the high 25 (the original lets index and value share bits, a known source of bias; here no bit is
 * used twice, and 25 bits match float32's 24-bit significand). The core is pinned by golden values from the C reference in
 * tests/random.test.ts; the normals are checked by a Kolmogorov-Smirnov test and tail counts.
 */
import { checkNonNegativeInteger } from './validate';

const TWO_POW_32 = 4294967296;
// Hoisted: inside test runners' sandboxes a global lookup in a hot loop costs ~20x.
const { imul, log, sqrt, exp } = Math;

// Ziggurat tables (Marsaglia & Tsang 2000, 128 layers; `zigset` of the paper). ZIG_R is where the
// base strip's tail begins, ZIG_V the common area of the layers.
const ZIG_R = 3.442619855899;
const ZIG_V = 9.91256303526217e-3;
const ZIG_K = new Int32Array(128);
const ZIG_W = new Float64Array(128);
const ZIG_F = new Float64Array(128);
{
  const m1 = 16777216; // 2^24: values are signed 25-bit integers
  let dn = ZIG_R;
  let tn = dn;
  const q = ZIG_V / exp(-0.5 * dn * dn);
  ZIG_K[0] = (dn / q) * m1;
  ZIG_K[1] = 0;
  ZIG_W[0] = q / m1;
  ZIG_W[127] = dn / m1;
  ZIG_F[0] = 1;
  ZIG_F[127] = exp(-0.5 * dn * dn);
  for (let i = 126; i >= 1; i--) {
    dn = sqrt(-2 * log(ZIG_V / dn + exp(-0.5 * dn * dn)));
    ZIG_K[i + 1] = (dn / tn) * m1;
    tn = dn;
    ZIG_F[i] = exp(-0.5 * dn * dn);
    ZIG_W[i] = dn / m1;
  }
}

/**
 * The ziggurat's tables, for the WebAssembly sampler of src/ensembles/wasm/engine.c, which must
 * draw the same numbers (it copies them rather than recomputing, so they are the same bits).
 */
export const ZIGGURAT: { readonly R: number; readonly K: Int32Array; readonly W: Float64Array; readonly F: Float64Array } = Object.freeze({ R: ZIG_R, K: ZIG_K, W: ZIG_W, F: ZIG_F });

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

  /** Standard normal N(0, 1) (ziggurat). */
  normal(): number {
    const u = this.nextUint32() | 0;
    const hz = u >> 7;
    const iz = u & 127;
    if ((hz < 0 ? -hz : hz) < ZIG_K[iz]) return hz * ZIG_W[iz];
    return this.normalTail(hz, iz);
  }

  /** The ziggurat's slow path: the base strip's tail, or a wedge test. */
  private normalTail(hz: number, iz: number): number {
    for (;;) {
      const x = hz * ZIG_W[iz];
      if (iz === 0) {
        let t: number;
        let y: number;
        do {
          t = -log(this.uniform()) / ZIG_R;
          y = -log(this.uniform());
        } while (y + y < t * t);
        return hz > 0 ? ZIG_R + t : -ZIG_R - t;
      }
      if (ZIG_F[iz] + this.uniform() * (ZIG_F[iz - 1] - ZIG_F[iz]) < exp(-0.5 * x * x)) return x;
      const u = this.nextUint32() | 0;
      hz = u >> 7;
      iz = u & 127;
      if ((hz < 0 ? -hz : hz) < ZIG_K[iz]) return hz * ZIG_W[iz];
    }
  }

  /**
   * Fill `out[offset .. offset + count)` with N(mean, std^2) draws: the same numbers as `count`
   * calls of `normal()`, with the generator state held in locals on the fast path (the hot loop of
   * every ensemble).
   */
  fillNormal(out: Float32Array | Float64Array, offset: number, count: number, std = 1, mean = 0): void {
    let s0 = this.s0;
    let s1 = this.s1;
    let s2 = this.s2;
    let s3 = this.s3;
    for (let i = 0; i < count; i++) {
      // One xoshiro128** step, inlined: value from the high 25 bits, layer from the low 7.
      const r = imul(rotl(imul(s1, 5), 7), 9);
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
      const hz = r >> 7;
      const iz = r & 127;
      if ((hz < 0 ? -hz : hz) < ZIG_K[iz]) {
        out[offset + i] = mean + std * hz * ZIG_W[iz];
        continue;
      }
      this.s0 = s0;
      this.s1 = s1;
      this.s2 = s2;
      this.s3 = s3;
      out[offset + i] = mean + std * this.normalTail(hz, iz);
      s0 = this.s0;
      s1 = this.s1;
      s2 = this.s2;
      s3 = this.s3;
    }
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
    this.s3 = s3;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
