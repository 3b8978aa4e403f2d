/**
 * Parameter sampling: draw networks' parameters from their densities (`Density`), on the host, in
 * float32. Network m of an ensemble uses the stream `Rng.stream(seed, m)`.
 */
import { DeepNet, Density, ScalarSpectrum, SingleLayerNet } from './architectures';
import { unitActivation } from './kernels';
import { Rng } from './random';

/**
 * Fill `rows x cols` entries of `out` from a density: entry by entry, or row by row for
 * 'uniform-ball' (each row a point uniform in the cols-dimensional ball).
 */
export function drawDensity(rng: Rng, d: Density, out: Float32Array | Float64Array, offset: number, rows: number, cols: number): void {
  const n = rows * cols;
  switch (d.kind) {
    case 'normal':
      rng.fillNormal(out, offset, n, Math.sqrt(d.variance), d.mean);
      return;
    case 'uniform':
      for (let k = 0; k < n; k++) out[offset + k] = d.low + (d.high - d.low) * rng.uniform();
      return;
    case 'zero':
      out.fill(0, offset, offset + n);
      return;
    case 'custom':
      d.draw(rng, out, offset, rows, cols);
      return;
    case 'uniform-ball':
      for (let r = 0; r < rows; r++) {
        const at = offset + r * cols;
        rng.fillNormal(out, at, cols);
        let norm = 0;
        for (let j = 0; j < cols; j++) norm += out[at + j] * out[at + j];
        const radius = d.radius * Math.pow(rng.uniform(), 1 / cols) / Math.sqrt(norm);
        for (let j = 0; j < cols; j++) out[at + j] *= radius;
      }
      return;
  }
}

/**
 * The Scalar-net's spectral factor F(w) for one neuron's weight row, folded into its readout
 * weight by the sampler (F depends on that neuron's W0 only, so W1 F(W0) cos(...) is the same
 * network as a Cos-net with readout W1 F(W0)).
 */
export function spectralFactor(spectrum: ScalarSpectrum, w: ArrayLike<number>, offset: number, D: number): number {
  let w2 = 0;
  for (let j = 0; j < D; j++) w2 += w[offset + j] * w[offset + j];
  return spectrum.prefactor / Math.sqrt(w2 + spectrum.mass * spectrum.mass);
}

/**
 * Draw the parameters of networks first .. first + count - 1 into flat float32 arrays. Network m
 * uses stream (seed, m) in the order W0 (N x D), b0 (N), W1 (N), b1 (1, unless absent).
 */
export function sampleParameters(net: SingleLayerNet, seed: number, first: number, count: number) {
  const { width: n, dIn: d } = net;
  const W0 = new Float32Array(count * n * d);
  const b0 = new Float32Array(count * n);
  const W1 = new Float32Array(count * n);
  const b1 = new Float32Array(count);
  const { params, spectrum } = net;
  for (let b = 0; b < count; b++) {
    const rng = Rng.stream(seed, first + b);
    drawDensity(rng, params.W0, W0, b * n * d, n, d);
    drawDensity(rng, params.b0, b0, b * n, n, 1);
    drawDensity(rng, params.W1, W1, b * n, n, 1);
    if (params.b1.kind !== 'zero') drawDensity(rng, params.b1, b1, b, 1, 1);
    if (spectrum) for (let i = 0; i < n; i++) W1[b * n + i] *= spectralFactor(spectrum, W0, (b * n + i) * d, d);
  }
  return { W0, b0, W1, b1 };
}

/**
 * Draw the parameters of deep-MLP networks first .. first + count - 1. Network m uses stream
 * (seed, m) in layer order: W_1 (N x D), b_1 (N), W_2 (N x N), b_2 (N), ..., W_out (N), b_out (1);
 * at depth 1 this is exactly the single-layer order. Returns one weight and one bias array per
 * layer (readout last), each holding `count` networks back to back.
 */
export function sampleDeepParameters(net: DeepNet, seed: number, first: number, count: number): { weights: Float32Array[]; biases: Float32Array[] } {
  const { width: n, dIn: d, depth } = net;
  const shapes = Array.from({ length: depth + 1 }, (_, l) => [l === depth ? 1 : n, l === 0 ? d : n]); // [rows, cols] per layer
  const weights = shapes.map(([r, c]) => new Float32Array(count * r * c));
  const biases = shapes.map(([r]) => new Float32Array(count * r));
  for (let b = 0; b < count; b++) {
    const rng = Rng.stream(seed, first + b);
    shapes.forEach(([r, c], l) => {
      drawDensity(rng, net.params.weights[l], weights[l], b * r * c, r, c);
      drawDensity(rng, net.params.bias, biases[l], b * r, r, 1);
    });
  }
  return { weights, biases };
}

/** Single neurons are drawn in chunks of this many; chunk c uses the stream (seed, streamOffset + c). */
export const NEURON_CHUNK = 4096;

/**
 * Draw `samples` single neurons of a single-layer net i.i.d. from its first-layer densities (W0 row,
 * b0, and the Scalar-net's spectral factor F) and pass their hidden-unit values
 * phi(x_p) = F(w) act_x(w . x_p + b), chunk by chunk: `consume(start, count, values)` with
 * values[s * P + p] in float64. The readout weights are not drawn (the single-neuron moments of
 * TASI eqs. (44)-(51) are moments of phi alone).
 */
export function forEachNeuronChunk(
  net: SingleLayerNet,
  points: readonly (readonly number[])[],
  samples: number,
  seed: number,
  consume: (start: number, count: number, values: Float64Array) => void,
  streamOffset = 0,
): void {
  const P = points.length;
  const D = net.dIn;
  const acts = points.map((x) => unitActivation(net, x));
  const w = new Float64Array(D);
  const b = new Float64Array(1);
  const values = new Float64Array(NEURON_CHUNK * P);
  for (let start = 0; start < samples; start += NEURON_CHUNK) {
    const count = Math.min(NEURON_CHUNK, samples - start);
    const rng = Rng.stream(seed, streamOffset + start / NEURON_CHUNK);
    for (let s = 0; s < count; s++) {
      drawDensity(rng, net.params.W0, w, 0, 1, D);
      drawDensity(rng, net.params.b0, b, 0, 1, 1);
      const F = net.spectrum ? spectralFactor(net.spectrum, w, 0, D) : 1;
      for (let p = 0; p < P; p++) {
        let z = b[0];
        for (let j = 0; j < D; j++) z += w[j] * points[p][j];
        values[s * P + p] = F * acts[p](z);
      }
    }
    consume(start, count, values);
  }
}
