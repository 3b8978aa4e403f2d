// The fused single-layer forward pass in WebAssembly SIMD (f32x4), for the erf and ReLU units.
//
// f[b, p] = b1[b] + sum_i W1[b, i] act(sum_j W0[b*N + i, j] X[p, j] + b0[b*N + i] - shift[p])
//
// Four hidden units are evaluated at once in float32 (the precision of the tensors they come from);
// each product W1 act(z) is promoted to float64 before it is summed, so the sum over units keeps
// float64 accuracy, as in the JavaScript kernel of fused.ts. erf is Abramowitz & Stegun 7.1.28,
// the same formula as fastErf there; evaluated in float32 its error stays below 2e-6.
//
// Build: scripts/build-wasm.sh (clang -target wasm32 -msimd128; no libc). The JavaScript side
// (src/wasm-forward.ts) owns the memory layout: every pointer below is a byte offset it chose.
#include <wasm_simd128.h>

typedef float f32;
typedef double f64;

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

// acc: scratch of 2 * P f64x2 (32 P bytes, 16-byte aligned); z: scratch of P f32x4 (16 P bytes).
#define FORWARD(NAME, ACT4, ACT1)                                                                   \
  __attribute__((export_name(#NAME))) void NAME(const f32 *W0, const f32 *b0, const f32 *W1,        \
      const f32 *b1, const f32 *X, const f32 *shift, int B, int N, int P, int D, f32 *out,          \
      v128_t *acc, v128_t *z) {                                                                      \
    const int N4 = N & ~3;                                                                           \
    for (int b = 0; b < B; b++) {                                                                    \
      const f32 *w0 = W0 + (long)b * N * D, *c0 = b0 + (long)b * N, *w1 = W1 + (long)b * N;        \
      for (int p = 0; p < 2 * P; p++) acc[p] = wasm_f64x2_splat(0.0);                                \
      for (int i = 0; i < N4; i += 4) {                                                              \
        v128_t bias = wasm_v128_load(c0 + i), v1 = wasm_v128_load(w1 + i);                          \
        if (D == 1) {                                                                                \
          v128_t w = wasm_v128_load(w0 + i);                                                         \
          for (int p = 0; p < P; p++)                                                                \
            z[p] = wasm_f32x4_add(wasm_f32x4_mul(w, wasm_f32x4_splat(X[p])), bias);                  \
        } else {                                                                                     \
          for (int p = 0; p < P; p++) z[p] = bias;                                                   \
          for (int j = 0; j < D; j++) {                                                              \
            v128_t w = wasm_f32x4_make(w0[i * D + j], w0[(i + 1) * D + j], w0[(i + 2) * D + j],     \
                                       w0[(i + 3) * D + j]);                                         \
            for (int p = 0; p < P; p++)                                                              \
              z[p] = wasm_f32x4_add(z[p], wasm_f32x4_mul(w, wasm_f32x4_splat(X[p * D + j])));        \
          }                                                                                          \
        }                                                                                            \
        for (int p = 0; p < P; p++) {                                                                \
          v128_t t = wasm_f32x4_mul(v1, ACT4(wasm_f32x4_sub(z[p], wasm_f32x4_splat(shift[p]))));    \
          acc[2 * p] = wasm_f64x2_add(acc[2 * p], wasm_f64x2_promote_low_f32x4(t));                   \
          acc[2 * p + 1] = wasm_f64x2_add(acc[2 * p + 1],                                            \
              wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(t, t, 2, 3, 0, 1)));                   \
        }                                                                                            \
      }                                                                                              \
      for (int p = 0; p < P; p++) {                                                                  \
        v128_t s = wasm_f64x2_add(acc[2 * p], acc[2 * p + 1]);                                       \
        f64 total = wasm_f64x2_extract_lane(s, 0) + wasm_f64x2_extract_lane(s, 1);                   \
        for (int i = N4; i < N; i++) {                                                               \
          f32 u = c0[i];                                                                             \
          for (int j = 0; j < D; j++) u += w0[i * D + j] * X[p * D + j];                              \
          total += (f64)(w1[i] * ACT1(u - shift[p]));                                                \
        }                                                                                            \
        out[b * P + p] = (f32)(total + (f64)b1[b]);                                                  \
      }                                                                                              \
    }                                                                                                \
  }

FORWARD(forward_erf, erf4, erf1)
FORWARD(forward_relu, relu4, relu1)
