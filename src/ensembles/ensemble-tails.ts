/**
 * Tail diagnostics of ensemble estimates, at the two levels where heavy tails hide.
 *
 * 1. Networks: an order-n estimate averages products of n outputs over M networks; its terms are
 *    bounded by |f(x_p)|^n, whose Pareto k-hat the moment accumulator reports (tails.ts).
 * 2. Hidden units: a single-layer net's correlators are polynomials in single-neuron moments
 *    M(B) = E[prod_{b in B} phi(x_b)] (TASI eqs. (44)-(51)), and every one of them contains the
 *    kernel's M2 = E[phi(x)^2] (G2 = sb^2 + sw^2 M2 at every width, eq. (39)). The M networks hold
 *    M N hidden units, so the ensemble estimates M2 from M N terms phi(x_p)^2. When phi is
 *    log-normal (Gauss-net) with a large pre-activation variance, the mass of M2 sits where no
 *    sampled unit ever lands: the outputs then look tame (they are the Gaussian bias) and level 1
 *    sees nothing, while the hidden units show the log-normal tail at once.
 *    The hidden units are probed with an independent draw of min(M N, 2^18) neurons from the same
 *    densities (stream offset 2^50 under the run's seed, so the probe is reproducible and shares no
 *    stream with a network); with fewer probe neurons than M N the fit sits less deep in the
 *    tail, which for log-normal units errs on the side of warning.
 *    Units whose activation is bounded (|act| <= 1: erf, tanh, sigmoid, cos and sin without the
 *    Scalar-net's spectral factor) are not probed: their phi^2 <= 1 have every moment, and a fit
 *    to bounded terms gives k-hat < 0, never the worse of the two levels.
 * The diagnostic of a family is the worse of the two.
 */
import { ACTIVATION_REGISTRY } from '../nets/activations';
import { Net, SingleLayerNet, customDensities } from '../nets/architectures';
import { forEachNeuronChunk } from '../nets/sampling';
import { hostEngineServes, hostNeuronChunks } from './wasm-engine';
import { timed } from '../core/timings';
import { MIN_TAIL_SAMPLES, TailDiagnostic, TailRecord, worstTail } from '../statistics/tails';

/** Largest hidden-unit probe. */
export const HIDDEN_PROBE_MAX = 1 << 18;
/** Stream offset of the probe under the run's seed (network m uses stream m < 2^50). */
const PROBE_STREAM_OFFSET = 2 ** 50;

const cache = new Map<string, TailDiagnostic | null>();

/**
 * Pareto k-hat of the hidden-unit terms phi(x_p)^2 over min(units, 2^18) probe neurons of a
 * single-layer net, at the worst point. Null for
 * deep nets and custom densities (no probe), for bounded units (nothing to find, see the module
 * comment), and for nets with fewer than MIN_TAIL_SAMPLES units in all.
 */
export function hiddenUnitTail(net: Net, points: readonly (readonly number[])[], units: number, seed: number): TailDiagnostic | null {
  if (net.depth > 1 || customDensities(net).length || units < MIN_TAIL_SAMPLES) return null;
  if (ACTIVATION_REGISTRY[net.activation].bounded && !net.spectrum) return null;
  const key = JSON.stringify([net.architecture, net.options, points, units, seed]);
  if (cache.has(key)) return cache.get(key)!;
  const probe = Math.min(units, HIDDEN_PROBE_MAX);
  const record = new TailRecord(points.length);
  // The same neurons and values by either route; the module's is about three times faster.
  const chunks = hostEngineServes(net) ? hostNeuronChunks : forEachNeuronChunk;
  timed('hidden-unit probe', () => chunks(net as SingleLayerNet, points, probe, seed, (_, count, values) => record.add(count, values), PROBE_STREAM_OFFSET));
  const d = record.diagnose(2);
  const out: TailDiagnostic = { ...d, terms: probe < units ? `hidden units phi(x)^2 (a probe of ${probe} of the ensemble's ${units})` : 'hidden units phi(x)^2' };
  cache.set(key, out);
  return out;
}

/** The family's diagnostic: the worse of the network level and the hidden-unit level. */
export function ensembleTail(networkLevel: TailDiagnostic | undefined, hidden: TailDiagnostic | null, order: number): TailDiagnostic | undefined {
  if (!networkLevel) return undefined;
  const nets: TailDiagnostic = { ...networkLevel, terms: networkLevel.terms ?? `networks f(x)^${order}` };
  return hidden ? worstTail([nets, hidden]) : nets;
}
