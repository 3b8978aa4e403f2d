/**
 * Parameter sampling: draw networks' parameters from their densities (`Density`), on the host, in
 * float32. Network m of an ensemble uses the stream `Rng.stream(seed, m)`.
 */
import { Rng } from '../core/random';
import { Density, Net, ScalarSpectrum, SingleLayerNet, unitActivation } from './architectures';

/**
 * Fill `rows x cols` entries of `out` from a density: entry by entry, or row by row for
 * 'uniform-ball' (each row a point uniform in the cols-dimensional ball, the Unif(B_Lambda^d) of TASI
 * eq. (73)). Draws theta ~ P(theta) of eq. (30).
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
        let norm = 0;
        // The direction of a normal vector; redrawn in the rare case that it is exactly zero (the
        // ziggurat returns 0.0 with probability ~2^-25 per entry), which would give 0/0.
        while (!(norm > 0)) {
          rng.fillNormal(out, at, cols);
          norm = 0;
          for (let j = 0; j < cols; j++) norm += out[at + j] * out[at + j];
        }
        const radius = d.radius * Math.pow(rng.uniform(), 1 / cols) / Math.sqrt(norm);
        for (let j = 0; j < cols; j++) out[at + j] *= radius;
      }
      return;
  }
}

/**
 * The Scalar-net's spectral factor F(w) (TASI eq. (72)) for one neuron's weight row, folded into its readout
 * weight by the sampler (F depends on that neuron's W0 only, so W1 F(W0) cos(...) is the same
 * network as a Cos-net with readout W1 F(W0)).
 */
export function spectralFactor(spectrum: ScalarSpectrum, w: ArrayLike<number>, offset: number, D: number): number {
  let w2 = 0;
  for (let j = 0; j < D; j++) w2 += w[offset + j] * w[offset + j];
  return spectrum.prefactor / Math.sqrt(w2 + spectrum.mass * spectrum.mass);
}

/** Parameters of `count` networks, layer by layer (readout last), networks back to back in each array. */
export interface SampledParameters {
  /** Layer l: count x rows x cols entries, rows = N (the readout: 1), cols = D (first layer) or N. */
  readonly weights: Float32Array[];
  /** Layer l: count x rows entries. */
  readonly biases: Float32Array[];
}

/**
 * Draw the parameters of networks first .. first + count - 1 into flat float32 arrays. Network m
 * uses stream (seed, m) in layer order: W_0 (N x D), b_0 (N), W_1 (N x N), b_1 (N), ..., W_L (N),
 * b_L (1); an absent ('zero') block draws nothing. For a single-layer net this is W0, b0, W1, b1;
 * the Scalar-net's spectral factor F(W0_i) is folded into W1_i.
 */
export function sampleParameters(net: Net, seed: number, first: number, count: number): SampledParameters {
  const { width: n, dIn: d, depth, spectrum } = net;
  const shapes = Array.from({ length: depth + 1 }, (_, l) => [l === depth ? 1 : n, l === 0 ? d : n]); // [rows, cols] per layer
  const weights = shapes.map(([r, c]) => new Float32Array(count * r * c));
  const biases = shapes.map(([r]) => new Float32Array(count * r));
  for (let b = 0; b < count; b++) {
    const rng = Rng.stream(seed, first + b);
    shapes.forEach(([r, c], l) => {
      drawDensity(rng, net.layers[l].weight, weights[l], b * r * c, r, c);
      drawDensity(rng, net.layers[l].bias, biases[l], b * r, r, 1);
    });
    if (spectrum) for (let i = 0; i < n; i++) weights[1][b * n + i] *= spectralFactor(spectrum, weights[0], (b * n + i) * d, d);
  }
  return { weights, biases };
}

/** Single neurons are drawn in chunks of this many; chunk c uses the stream (seed, streamOffset + c). */
export const NEURON_CHUNK = 4096;

/**
 * The contract of `forEachNeuronChunk`: `consume(start, count, values)` gets the hidden-unit values of
 * neurons start .. start + count - 1, values[s * P + p]. The host engine has a second implementation
 * (`hostNeuronChunks`, the same numbers, faster) for the nets it serves.
 */
export type NeuronChunks = (
  net: SingleLayerNet,
  points: readonly (readonly number[])[],
  samples: number,
  seed: number,
  consume: (start: number, count: number, values: Float64Array) => void,
  streamOffset?: number,
) => void;

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
      drawDensity(rng, net.layers[0].weight, w, 0, 1, D);
      drawDensity(rng, net.layers[0].bias, b, 0, 1, 1);
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
