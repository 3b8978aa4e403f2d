// The host ensemble engine in WebAssembly: for a batch of single-layer networks it draws each
// network's parameters, evaluates the network at the input points and adds the products of its
// outputs to the moment sums, without returning to JavaScript in between (src/ensembles/wasm-engine.ts
// drives it). The fused forward pass alone is also exported, for the tfjs kernel of fused.ts.
//
// Every step computes the same float32 / float64 numbers as the JavaScript route it replaces:
//  - sampling: network m draws from the xoshiro128** stream (seed, m) with the 128-layer ziggurat of
//    src/core/random.ts (tables written here by the host; the rare slow path calls the host's Math.log
//    and Math.exp), W0 (N x D), b0 (N), W1 (N), b1 in that order, each N(mean, std^2) rounded to float32;
//  - forward: f[p] = b1 + sum_i W1[i] act(sum_j W0[i, j] X[p, j] + b0[i] - shift[p]), four hidden units
//    at a time in float32 (f32x4), each product W1 act(z) promoted to float64 before it is summed;
//    erf is Abramowitz & Stegun 7.1.28 (|error| < 2e-6 in float32), as in fused.ts;
//  - moments: the products over every sorted index tuple as a depth-first tree (each node's product is
//    its parent's times one more output, in float64), added with Neumaier's compensated summation to the
//    sums of block m mod B, exactly as MomentAccumulator.add in src/statistics/moments.ts.
// tests/engine.test.ts checks all three against the JavaScript routes, bit for bit.
//
// Build: scripts/build-wasm.sh (clang -target wasm32 -msimd128; no libc). The JavaScript side owns the
// memory layout: every pointer below is a byte offset it chose.
#include <wasm_simd128.h>

typedef float f32;
typedef double f64;
typedef unsigned int u32;
typedef int i32;
typedef unsigned long long u64;

// ---------------------------------------------------------------------------------------------
// Activations

static inline v128_t erf4(v128_t z) {
  const v128_t sign = wasm_i32x4_splat((int)0x80000000);
  v128_t ax = wasm_v128_andnot(z, sign);
  v128_t q = wasm_f32x4_splat(0.0000430638f);
  q = wasm_f32x4_add(wasm_f32x4_mul(q, ax), wasm_f32x4_splat(0.0002765672f));
  q = wasm_f32x4_add(wasm_f32x4_mul(q, ax), wasm_f32x4_splat(0.0001520143f));
  q = wasm_f32x4_add(wasm_f32x4_mul(q, ax), wasm_f32x4_splat(0.0092705272f));
  q = wasm_f32x4_add(wasm_f32x4_mul(q, ax), wasm_f32x4_splat(0.0422820123f));
  q = wasm_f32x4_add(wasm_f32x4_mul(q, ax), wasm_f32x4_splat(0.0705230784f));
  q = wasm_f32x4_add(wasm_f32x4_mul(q, ax), wasm_f32x4_splat(1.0f));
  q = wasm_f32x4_mul(q, q);
  q = wasm_f32x4_mul(q, q);
  q = wasm_f32x4_mul(q, q);
  q = wasm_f32x4_mul(q, q);
  v128_t y = wasm_f32x4_sub(wasm_f32x4_splat(1.0f), wasm_f32x4_div(wasm_f32x4_splat(1.0f), q));
  return wasm_v128_or(y, wasm_v128_and(z, sign)); // y >= 0: copy the sign of z
}

static inline v128_t relu4(v128_t z) { return wasm_f32x4_max(z, wasm_f32x4_splat(0.0f)); }

static inline f32 erf1(f32 z) {
  f32 ax = z < 0 ? -z : z;
  f32 q = 1.0f + ax * (0.0705230784f + ax * (0.0422820123f + ax * (0.0092705272f + ax * (0.0001520143f + ax * (0.0002765672f + ax * 0.0000430638f)))));
  q *= q; q *= q; q *= q; q *= q;
  f32 y = 1.0f - 1.0f / q;
  return z < 0 ? -y : y;
}

static inline f32 relu1(f32 z) { return z > 0 ? z : 0.0f; }

// ---------------------------------------------------------------------------------------------
// The fused forward pass of one network: out[p] for p < P (acc: 2P f64x2 scratch, z: P f32x4 scratch)

// D = 1 runs point by point with the two f64x2 partial sums in registers: for each point the units
// are added in the same order as in the general loop (units i, i + 1 into acc[2p], i + 2, i + 3 into
// acc[2p + 1], i = 0, 4, 8, ...), so both loops give the same bits; the point-outer form only keeps
// more independent work in flight.
#define FORWARD_NET(NAME, ACT4, ACT1, SUB4, SUB1)                                                    \
  static inline void NAME(const f32 *w0, const f32 *c0, const f32 *w1, f32 b1, const f32 *X,          \
      const f32 *shift, int N, int P, int D, f32 *out, v128_t *acc, v128_t *z) {                     \
    const int N4 = N & ~3;                                                                           \
    if (D == 1) {                                                                                    \
      int p = 0;                                                                                     \
      for (; p + 2 <= P; p += 2) { /* two points a pass: each unit's parameters loaded once */      \
        const v128_t xa = wasm_f32x4_splat(X[p]), sa = wasm_f32x4_splat(shift[p]);                  \
        const v128_t xb = wasm_f32x4_splat(X[p + 1]), sb = wasm_f32x4_splat(shift[p + 1]);          \
        v128_t loa = wasm_f64x2_splat(0.0), hia = loa, lob = loa, hib = loa;                         \
        for (int i = 0; i < N4; i += 4) {                                                            \
          const v128_t w = wasm_v128_load(w0 + i), c = wasm_v128_load(c0 + i), v = wasm_v128_load(w1 + i); \
          v128_t ta = wasm_f32x4_mul(v, ACT4(SUB4(wasm_f32x4_add(wasm_f32x4_mul(w, xa), c), sa))); \
          v128_t tb = wasm_f32x4_mul(v, ACT4(SUB4(wasm_f32x4_add(wasm_f32x4_mul(w, xb), c), sb))); \
          loa = wasm_f64x2_add(loa, wasm_f64x2_promote_low_f32x4(ta));                               \
          hia = wasm_f64x2_add(hia, wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(ta, ta, 2, 3, 0, 1))); \
          lob = wasm_f64x2_add(lob, wasm_f64x2_promote_low_f32x4(tb));                               \
          hib = wasm_f64x2_add(hib, wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(tb, tb, 2, 3, 0, 1))); \
        }                                                                                            \
        acc[2 * p] = loa;                                                                            \
        acc[2 * p + 1] = hia;                                                                        \
        acc[2 * p + 2] = lob;                                                                        \
        acc[2 * p + 3] = hib;                                                                        \
      }                                                                                              \
      for (; p < P; p++) {                                                                           \
        const v128_t xp = wasm_f32x4_splat(X[p]), sp = wasm_f32x4_splat(shift[p]);                  \
        v128_t lo = wasm_f64x2_splat(0.0), hi = wasm_f64x2_splat(0.0);                               \
        for (int i = 0; i < N4; i += 4) {                                                            \
          v128_t zz = wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(w0 + i), xp), wasm_v128_load(c0 + i)); \
          v128_t t = wasm_f32x4_mul(wasm_v128_load(w1 + i), ACT4(SUB4(zz, sp)));          \
          lo = wasm_f64x2_add(lo, wasm_f64x2_promote_low_f32x4(t));                                  \
          hi = wasm_f64x2_add(hi, wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(t, t, 2, 3, 0, 1))); \
        }                                                                                            \
        acc[2 * p] = lo;                                                                             \
        acc[2 * p + 1] = hi;                                                                         \
      }                                                                                              \
    } else {                                                                                         \
      for (int p = 0; p < 2 * P; p++) acc[p] = wasm_f64x2_splat(0.0);                                \
      for (int i = 0; i < N4; i += 4) {                                                              \
        v128_t bias = wasm_v128_load(c0 + i), v1 = wasm_v128_load(w1 + i);                          \
        for (int p = 0; p < P; p++) z[p] = bias;                                                     \
        for (int j = 0; j < D; j++) {                                                                \
          v128_t w = wasm_f32x4_make(w0[i * D + j], w0[(i + 1) * D + j], w0[(i + 2) * D + j],       \
                                     w0[(i + 3) * D + j]);                                           \
          for (int p = 0; p < P; p++)                                                                \
            z[p] = wasm_f32x4_add(z[p], wasm_f32x4_mul(w, wasm_f32x4_splat(X[p * D + j])));          \
        }                                                                                            \
        for (int p = 0; p < P; p++) {                                                                \
          v128_t t = wasm_f32x4_mul(v1, ACT4(SUB4(z[p], wasm_f32x4_splat(shift[p]))));    \
          acc[2 * p] = wasm_f64x2_add(acc[2 * p], wasm_f64x2_promote_low_f32x4(t));                   \
          acc[2 * p + 1] = wasm_f64x2_add(acc[2 * p + 1],                                            \
              wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(t, t, 2, 3, 0, 1)));                   \
        }                                                                                            \
      }                                                                                              \
    }                                                                                                \
    for (int p = 0; p < P; p++) {                                                                    \
      v128_t s = wasm_f64x2_add(acc[2 * p], acc[2 * p + 1]);                                         \
      f64 total = wasm_f64x2_extract_lane(s, 0) + wasm_f64x2_extract_lane(s, 1);                     \
      for (int i = N4; i < N; i++) {                                                                 \
        f32 u = c0[i];                                                                               \
        for (int j = 0; j < D; j++) u += w0[i * D + j] * X[p * D + j];                                \
        total += (f64)(w1[i] * ACT1(SUB1(u, shift[p])));                                                  \
      }                                                                                              \
      out[p] = (f32)(total + (f64)b1);                                                               \
    }                                                                                                \
  }

// The input-normalised shift z - k(x, x) belongs to the Gauss-net unit; for erf and ReLU it is 0, and
// z - 0 is z exactly (signed zeros and NaN included), so the *_unshifted loops drop it.
#define SUB4(z, s) wasm_f32x4_sub(z, s)
#define SUB1(z, s) ((z) - (s))
#define KEEP4(z, s) ((void)(s), (z))
#define KEEP1(z, s) ((void)(s), (z))
FORWARD_NET(net_erf, erf4, erf1, SUB4, SUB1)
FORWARD_NET(net_relu, relu4, relu1, SUB4, SUB1)
FORWARD_NET(net_erf_unshifted, erf4, erf1, KEEP4, KEEP1)
FORWARD_NET(net_relu_unshifted, relu4, relu1, KEEP4, KEEP1)

// The batch forms for fused.ts: parameters of B networks back to back (W0 [B*N, D], b0 [B*N],
// W1 [B, N], b1 [B]); out [B, P].
#define FORWARD_BATCH(NAME, NET)                                                                     \
  __attribute__((export_name(#NAME))) void NAME(const f32 *W0, const f32 *b0, const f32 *W1,        \
      const f32 *b1, const f32 *X, const f32 *shift, int B, int N, int P, int D, f32 *out,          \
      v128_t *acc, v128_t *z) {                                                                      \
    for (int b = 0; b < B; b++)                                                                      \
      NET(W0 + (long)b * N * D, b0 + (long)b * N, W1 + (long)b * N, b1[b], X, shift, N, P, D,       \
          out + (long)b * P, acc, z);                                                                \
  }

FORWARD_BATCH(forward_erf, net_erf)
FORWARD_BATCH(forward_relu, net_relu)

// ---------------------------------------------------------------------------------------------
// Sampling: xoshiro128** streams and the ziggurat of src/core/random.ts

__attribute__((import_module("env"), import_name("log"))) f64 host_log(f64);
__attribute__((import_module("env"), import_name("exp"))) f64 host_exp(f64);

static i32 ZK[128];
static f64 ZW[128], ZF[128], ZR;

// Where the host writes the tables (random.ts's ZIG_K, ZIG_W, ZIG_F) and the base strip's edge ZIG_R.
__attribute__((export_name("zig_k"))) i32 *zig_k(void) { return ZK; }
__attribute__((export_name("zig_w"))) f64 *zig_w(void) { return ZW; }
__attribute__((export_name("zig_f"))) f64 *zig_f(void) { return ZF; }
__attribute__((export_name("set_zig_r"))) void set_zig_r(f64 r) { ZR = r; }

typedef struct { u32 s0, s1, s2, s3; } rng_t;

static inline u32 rotl(u32 x, int k) { return (x << k) | (x >> (32 - k)); }

static inline u32 mix32(u32 x) {
  x += 0x9e3779b9u;
  x = (x ^ (x >> 16)) * 0x85ebca6bu;
  x = (x ^ (x >> 13)) * 0xc2b2ae35u;
  return x ^ (x >> 16);
}

// Rng.stream(seed, stream)
static inline void rng_stream(rng_t *r, u64 seed, u64 stream) {
  u32 h = mix32((u32)seed ^ 0x6a09e667u);
  h = mix32(h ^ (u32)(seed >> 32));
  h = mix32(h ^ (u32)stream ^ 0xbb67ae85u);
  h = mix32(h ^ (u32)(stream >> 32));
  r->s0 = mix32(h ^ 0x3c6ef372u);
  r->s1 = mix32(r->s0 ^ 0xa54ff53au);
  r->s2 = mix32(r->s1 ^ 0x510e527fu);
  r->s3 = mix32(r->s2 ^ 0x9b05688cu);
  if ((r->s0 | r->s1 | r->s2 | r->s3) == 0) r->s3 = 1;
}

static inline u32 next_u32(rng_t *r) {
  u32 result = rotl(r->s1 * 5u, 7) * 9u;
  u32 t = r->s1 << 9;
  r->s2 ^= r->s0;
  r->s3 ^= r->s1;
  r->s1 ^= r->s2;
  r->s0 ^= r->s3;
  r->s2 ^= t;
  r->s3 = rotl(r->s3, 11);
  return result;
}

static inline f64 uniform(rng_t *r) { return ((f64)next_u32(r) + 0.5) / 4294967296.0; }

// Rng.normalTail: the base strip's tail, or a wedge test.
static f64 normal_tail(rng_t *r, i32 hz, i32 iz) {
  for (;;) {
    f64 x = (f64)hz * ZW[iz];
    if (iz == 0) {
      f64 t, y;
      do {
        t = -host_log(uniform(r)) / ZR;
        y = -host_log(uniform(r));
      } while (y + y < t * t);
      return hz > 0 ? ZR + t : -ZR - t;
    }
    if (ZF[iz] + uniform(r) * (ZF[iz - 1] - ZF[iz]) < host_exp(-0.5 * x * x)) return x;
    i32 u = (i32)next_u32(r);
    hz = u >> 7;
    iz = u & 127;
    if ((hz < 0 ? -hz : hz) < ZK[iz]) return (f64)hz * ZW[iz];
  }
}

// Rng.fillNormal(out, 0, n, std, mean) into float32 (the state lives in locals on the fast path).
static void fill_normal(rng_t *r, f32 *out, int n, f64 std, f64 mean) {
  const int centred = mean == 0.0 && std > 0.0;
  u32 s0 = r->s0, s1 = r->s1, s2 = r->s2, s3 = r->s3;
  for (int i = 0; i < n; i++) {
    const i32 w = (i32)(rotl(s1 * 5u, 7) * 9u);
    const u32 t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    const i32 hz = w >> 7, iz = w & 127;
    if ((hz < 0 ? -hz : hz) < ZK[iz]) {
      // mean + x is x exactly when mean = 0 and std > 0 (then x is never -0)
      out[i] = (f32)(centred ? std * (f64)hz * ZW[iz] : mean + std * (f64)hz * ZW[iz]);
    } else {
      r->s0 = s0; r->s1 = s1; r->s2 = s2; r->s3 = s3;
      out[i] = (f32)(mean + std * normal_tail(r, hz, iz));
      s0 = r->s0; s1 = r->s1; s2 = r->s2; s3 = r->s3;
    }
  }
  r->s0 = s0; r->s1 = s1; r->s2 = s2; r->s3 = s3;
}

// One parameter block: density kind 0 = zero (draws nothing), 1 = normal(mean, std^2)
static inline void draw(rng_t *r, const f64 *density, f32 *out, int n) {
  if (density[0] == 0.0) {
    for (int i = 0; i < n; i++) out[i] = 0.0f;
  } else {
    fill_normal(r, out, n, density[2], density[1]);
  }
}

// Draw networks first .. first + B - 1 (W0 [B*N, D], b0 [B*N], W1 [B, N], b1 [B]); densities: 4 x
// (kind, mean, std) for W0, b0, W1, b1. For tests against src/nets/sampling.ts.
__attribute__((export_name("sample"))) void sample(const f64 *densities, f64 seed, f64 first, int B, int N,
    int D, f32 *W0, f32 *b0, f32 *W1, f32 *b1) {
  for (int b = 0; b < B; b++) {
    rng_t r;
    rng_stream(&r, (u64)seed, (u64)first + (u64)b);
    draw(&r, densities, W0 + (long)b * N * D, N * D);
    draw(&r, densities + 3, b0 + (long)b * N, N);
    draw(&r, densities + 6, W1 + (long)b * N, N);
    draw(&r, densities + 9, b1 + b, 1);
  }
}

// ---------------------------------------------------------------------------------------------
// Moments (MomentAccumulator.add), order by order: the product over the k-th sorted tuple of order n
// is the product over its prefix (tuple pref[k] of order n - 1; 1 for order 1) times f[point[k]],
// the same float64 multiplications as the accumulator's depth-first tree. Orders with sums get each
// product added to block `block` of their sums by Neumaier's rule, two tuples per f64x2 (lane by lane
// the same operations as the scalar rule, so the same bits).

typedef struct {
  i32 size;        // sorted tuples of this order
  const i32 *pref; // [size] prefix tuple in order n - 1 (unused for order 1)
  const i32 *point;// [size] last point of the tuple
  f64 *prod;       // [size] scratch: this network's products
  f64 *sums;       // [blocks * size] block-major, or 0 when the order is not accumulated
  f64 *comps;      // [blocks * size]
} order_t;

static inline void neumaier(f64 *sum, f64 *comp, const f64 *x, int size) {
  int k = 0;
  for (; k + 2 <= size; k += 2) {
    v128_t v = wasm_v128_load(x + k), s = wasm_v128_load(sum + k), t = wasm_f64x2_add(s, v);
    v128_t ge = wasm_f64x2_ge(wasm_f64x2_abs(s), wasm_f64x2_abs(v));
    v128_t big = wasm_f64x2_add(wasm_f64x2_sub(s, t), v), small = wasm_f64x2_add(wasm_f64x2_sub(v, t), s);
    wasm_v128_store(comp + k, wasm_f64x2_add(wasm_v128_load(comp + k), wasm_v128_bitselect(big, small, ge)));
    wasm_v128_store(sum + k, t);
  }
  for (; k < size; k++) {
    f64 s = sum[k], v = x[k], t = s + v;
    comp[k] += __builtin_fabs(s) >= __builtin_fabs(v) ? s - t + v : v - t + s;
    sum[k] = t;
  }
}

static inline void accumulate(const f32 *f, int orders, const order_t *plan, int block) {
  for (int n = 0; n < orders; n++) {
    const order_t *o = plan + n;
    if (n == 0) {
      for (int k = 0; k < o->size; k++) o->prod[k] = 1.0 * (f64)f[o->point[k]];
    } else {
      const f64 *prev = plan[n - 1].prod;
      for (int k = 0; k < o->size; k++) o->prod[k] = prev[o->pref[k]] * (f64)f[o->point[k]];
    }
    if (o->sums) neumaier(o->sums + (long)block * o->size, o->comps + (long)block * o->size, o->prod, o->size);
  }
}

// Networks first .. first + B - 1 (outputs out [B, P]) into their blocks m mod blocks, block by block
// and in increasing m within a block (so a block's sums stay in cache), each counted in counts[block].
static void accumulate_batch(const f32 *out, int B, int P, f64 first, int orders, const order_t *plan, int blocks, f64 *counts) {
  for (int r = 0; r < blocks && r < B; r++) {
    int block = (int)(((u64)first + (u64)r) % (u64)blocks);
    for (int b = r; b < B; b += blocks) {
      counts[block] += 1.0;
      accumulate(out + (long)b * P, orders, plan, block);
    }
  }
}

// The whole pipeline for networks first .. first + B - 1: draw, evaluate (out [B, P]) and, when
// orders > 0, accumulate network m into block m mod blocks (plan: one order_t per order 1..orders)
// and count it in counts[block]. The networks of a block are added in increasing m, as one at a time
// would, but block by block, so a block's sums stay in cache. act: 0 erf, 1 relu. scratch: one
// network's parameters, N*D + 2N + 1 floats (every block rounded up to 4 floats). stages: 3 does it
// all; 2 stops after the forward pass, 1 after the draws (for the benchmark's breakdown).
__attribute__((export_name("ensemble"))) void ensemble(int act, const f64 *densities, f64 seed, f64 first,
    int B, int N, int P, int D, const f32 *X, const f32 *shift, f32 *scratch, f32 *out, v128_t *acc,
    v128_t *z, int orders, const order_t *plan, int blocks, f64 *counts, int stages) {
  const int NP = (N + 3) & ~3;
  f32 *w0 = scratch, *c0 = w0 + ((N * D + 3) & ~3), *w1 = c0 + NP, *b1 = w1 + NP;
  int unshifted = 1;
  for (int p = 0; p < P; p++) unshifted &= shift[p] == 0.0f;
  for (int b = 0; b < B; b++) {
    rng_t r;
    rng_stream(&r, (u64)seed, (u64)first + (u64)b);
    draw(&r, densities, w0, N * D);
    draw(&r, densities + 3, c0, N);
    draw(&r, densities + 6, w1, N);
    draw(&r, densities + 9, b1, 1);
    if (stages < 2) continue;
    f32 *f = out + (long)b * P;
    if (act == 0) (unshifted ? net_erf_unshifted : net_erf)(w0, c0, w1, b1[0], X, shift, N, P, D, f, acc, z);
    else (unshifted ? net_relu_unshifted : net_relu)(w0, c0, w1, b1[0], X, shift, N, P, D, f, acc, z);
  }
  if (orders == 0 || stages < 3) return;
  accumulate_batch(out, B, P, first, orders, plan, blocks, counts);
}

// ---------------------------------------------------------------------------------------------
// Deep MLPs (L >= 2 hidden layers of N units): each network drawn in the order of
// src/nets/sampling.ts (W_0 [N x D], b_0 [N], W_1 [N x N] row by row, b_1 [N], ..., W_L [1 x N], b_L)
// and evaluated as it is drawn, one weight row at a time, so no N x N matrix is ever stored:
// h_1 = W_0 x + b_0, h_{l+1} = W_l act(h_l) + b_l, f = W_L act(h_L) + b_L, in float32 (sums over j
// in four f32 lanes, then lane 0 + 1 + 2 + 3, then the remainder). densities: 2 (L + 1) x (kind,
// mean, std), W_l then b_l per layer. scratch: 4 (ND + N + N + 2 P N) floats with N, ND rounded up
// to multiples of 4. Accumulation as in `ensemble`.

static inline f32 hsum4(v128_t v) {
  return wasm_f32x4_extract_lane(v, 0) + wasm_f32x4_extract_lane(v, 1) + wasm_f32x4_extract_lane(v, 2) +
         wasm_f32x4_extract_lane(v, 3);
}

static inline void activate(int act, f32 *a, int n) {
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    v128_t z = wasm_v128_load(a + i);
    wasm_v128_store(a + i, act == 0 ? erf4(z) : relu4(z));
  }
  for (; i < n; i++) a[i] = act == 0 ? erf1(a[i]) : relu1(a[i]);
}

__attribute__((export_name("ensemble_deep"))) void ensemble_deep(int act, const f64 *densities, f64 seed,
    f64 first, int B, int N, int P, int D, int L, const f32 *X, f32 *scratch, f32 *out, int orders,
    const order_t *plan, int blocks, f64 *counts, int stages) {
  const int NP = (N + 3) & ~3;
  f32 *w0 = scratch, *bias = w0 + ((N * D + 3) & ~3), *row = bias + NP, *a = row + NP, *h = a + P * NP;
  for (int k = 0; k < NP; k++) row[k] = 0.0f;
  for (int k = 0; k < P * NP; k++) a[k] = h[k] = 0.0f;
  for (int b = 0; b < B; b++) {
    rng_t r;
    rng_stream(&r, (u64)seed, (u64)first + (u64)b);
    draw(&r, densities, w0, N * D);
    draw(&r, densities + 3, bias, N);
    if (stages >= 2) {
      for (int p = 0; p < P; p++) {
        for (int i = 0; i < N; i++) {
          f32 u = 0.0f;
          for (int j = 0; j < D; j++) u += w0[i * D + j] * X[p * D + j];
          a[p * NP + i] = u + bias[i];
        }
        activate(act, a + p * NP, N);
      }
    }
    for (int l = 1; l <= L; l++) {
      const int rows = l == L ? 1 : N;
      const f64 *dw = densities + 6 * l, *db = dw + 3;
      for (int i = 0; i < rows; i++) {
        draw(&r, dw, row, N);
        if (stages < 2) continue;
        for (int p = 0; p < P; p++) {
          const f32 *ap = a + p * NP;
          v128_t s = wasm_f32x4_splat(0.0f);
          for (int j = 0; j < NP; j += 4) s = wasm_f32x4_add(s, wasm_f32x4_mul(wasm_v128_load(row + j), wasm_v128_load(ap + j)));
          h[p * NP + i] = hsum4(s);
        }
      }
      draw(&r, db, bias, rows);
      if (stages < 2) continue;
      if (l == L) {
        for (int p = 0; p < P; p++) out[(long)b * P + p] = h[p * NP] + bias[0];
      } else {
        for (int p = 0; p < P; p++) {
          for (int i = 0; i < N; i++) a[p * NP + i] = h[p * NP + i] + bias[i];
          activate(act, a + p * NP, N);
        }
      }
    }
  }
  if (orders == 0 || stages < 3) return;
  accumulate_batch(out, B, P, first, orders, plan, blocks, counts);
}

// ---------------------------------------------------------------------------------------------
// The hidden-unit probe of src/ensembles/ensemble-tails.ts (forEachNeuronChunk in src/nets/sampling.ts):
// neurons drawn from one stream, W0 row (D) then b0, in float64; phi(x_p) = act(b0 + sum_j W0_j x_pj)
// with the float64 erf of src/core/special.ts, the same operations in the same order (the series
// runs on two values at once in f64x2, each lane stopping where the scalar loop would).

static const f64 PI = 3.141592653589793;

static void fill_normal64(rng_t *r, f64 *out, int n, f64 std, f64 mean) {
  for (int i = 0; i < n; i++) {
    i32 w = (i32)next_u32(r);
    i32 hz = w >> 7, iz = w & 127;
    if ((hz < 0 ? -hz : hz) < ZK[iz]) out[i] = mean + std * (f64)hz * ZW[iz];
    else out[i] = mean + std * normal_tail(r, hz, iz);
  }
}

// special.ts erfcContinuedFraction, x >= 3
static f64 erfc_cf(f64 x) {
  const f64 tiny = 1e-300;
  f64 f = x, c = x, d = 0;
  for (int n = 1; n < 500; n++) {
    const f64 a = (f64)n / 2;
    d = x + a * d;
    d = __builtin_fabs(d) < tiny ? tiny : d;
    c = x + a / c;
    c = __builtin_fabs(c) < tiny ? tiny : c;
    d = 1 / d;
    const f64 delta = c * d;
    f *= delta;
    if (__builtin_fabs(delta - 1) < 1e-16) break;
  }
  return host_exp(-x * x) / __builtin_sqrt(PI) / f;
}

// special.ts erf, scalar
static f64 erf64(f64 x) {
  if (x != x) return x;
  const f64 ax = __builtin_fabs(x);
  if (ax >= 6) return x < 0 ? -1 : 1;
  if (ax < 3) {
    const f64 x2 = x * x;
    f64 term = x, sum = x;
    for (int n = 1; n < 200; n++) {
      term *= -x2 / n;
      const f64 add = term / (2 * n + 1);
      sum += add;
      if (__builtin_fabs(add) < 1e-17 * __builtin_fabs(sum)) break;
    }
    return (2 / __builtin_sqrt(PI)) * sum;
  }
  const f64 value = 1 - erfc_cf(ax);
  return x < 0 ? -value : value;
}

// erf64 of two values with |x| < 3, lane by lane the scalar series
static inline v128_t erf64x2(v128_t x) {
  const v128_t x2 = wasm_f64x2_mul(x, x), nx2 = wasm_f64x2_neg(x2), eps = wasm_f64x2_splat(1e-17);
  v128_t term = x, sum = x, active = wasm_i64x2_splat(-1);
  for (int n = 1; n < 200; n++) {
    v128_t t = wasm_f64x2_mul(term, wasm_f64x2_div(nx2, wasm_f64x2_splat((f64)n)));
    v128_t add = wasm_f64x2_div(t, wasm_f64x2_splat((f64)(2 * n + 1)));
    v128_t s = wasm_f64x2_add(sum, add);
    term = wasm_v128_bitselect(t, term, active);
    sum = wasm_v128_bitselect(s, sum, active);
    active = wasm_v128_andnot(active, wasm_f64x2_lt(wasm_f64x2_abs(add), wasm_f64x2_mul(eps, wasm_f64x2_abs(s))));
    if (!wasm_v128_any_true(active)) break;
  }
  return wasm_f64x2_mul(wasm_f64x2_splat(2 / __builtin_sqrt(PI)), sum);
}

// Draw `count` neurons from the stream (seed, stream) and write phi at the P points to values
// [count x P]. densities: 2 x (kind, mean, std) for W0 and b0; X: P x D float64; act: 0 erf, 1 relu;
// w: scratch of D + 1 float64.
__attribute__((export_name("probe"))) void probe(const f64 *densities, f64 seed, f64 stream, int count, int D, int P,
    const f64 *X, int act, f64 *w, f64 *values) {
  rng_t r;
  rng_stream(&r, (u64)seed, (u64)stream);
  const int total = count * P;
  for (int s = 0; s < count; s++) {
    if (densities[0] == 0.0) for (int j = 0; j < D; j++) w[j] = 0;
    else fill_normal64(&r, w, D, densities[2], densities[1]);
    if (densities[3] == 0.0) w[D] = 0;
    else fill_normal64(&r, w + D, 1, densities[5], densities[4]);
    for (int p = 0; p < P; p++) {
      f64 z = w[D];
      for (int j = 0; j < D; j++) z += w[j] * X[p * D + j];
      values[s * P + p] = z;
    }
  }
  if (act == 1) {
    for (int k = 0; k < total; k++) values[k] = values[k] > 0 ? values[k] : 0;
    return;
  }
  int k = 0;
  for (; k + 2 <= total; k += 2) {
    const f64 a = values[k], b = values[k + 1];
    if (__builtin_fabs(a) < 3 && __builtin_fabs(b) < 3) {
      wasm_v128_store(values + k, erf64x2(wasm_f64x2_make(a, b)));
    } else {
      values[k] = erf64(a);
      values[k + 1] = erf64(b);
    }
  }
  for (; k < total; k++) values[k] = erf64(values[k]);
}
