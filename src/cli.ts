/**
 * The `nnft` command line.
 *
 *   nnft lectures [notebooks...] [--out DIR] [--scale ci|full] [--kernel NAME] [--timeout SECONDS]
 *   nnft correlators --arch A --width N --inputs "x1;x2;..." [--d-in D] [--sigma-w S] [--sigma-b S]
 *                    [--order 2|4|6] [--method mc|exact] [--nets M] [--seed S] [--shard k/K]
 *                    [--save FILE] [--json]
 *   nnft merge FILE... [--save FILE] [--json]
 *   nnft feynman --propagator erf|relu|gauss|cos --cutoff L --inputs "..." [--sigma-w S] [--sigma-b S]
 *                [--d-in D] [--order 4|6] [--no-bias] [--json]
 *   nnft infinite-width --activation relu|erf|tanh|... --hidden-layers L --inputs "..." [--sigma-w S]
 *               [--sigma-b S] [--json]
 *   nnft criticality --activation A --cw C --cb C [--layers L] [--k0 K] [--json]
 *   nnft vertex --activation A --cw C --cb C --width n --layers L --inputs "x1[;x2]" [--json]
 *   nnft kan fit --formula F [--width 2,5,1] [--grid G] [--refine G'] [--steps S] [--train N] [--test N]
 *                [--seed S] [--lambda L] [--range lo,hi] [--symbolic] [--json]
 *   nnft reflection --kernel free|gauss|erf|relu|cos --times "t1;t2;..." [--mass m] [--cutoff L|inf]
 *                   [--sigma-w S] [--sigma-b S] [--d-in D] [--json]
 *   nnft phi4 --method first-order|reweight|hmc --mass m --cutoff L|inf --box L --inputs "t1;t2;..."
 *             [--width N] [--coupling lambda --nets M --seed S [--chains C]] [--json] [--strict]
 *   nnft oscillator --mass m --coupling lambda --taus "t1;t2;..." [--box L] [--json]
 *   nnft knot invariants --braid "1 1 1" [--strands n] [--json]
 *   nnft knot random --unknot|--knot --strands n --length N [--seed S] [--count K] [--json]
 *
 * Exit status: 0 on success, 1 when a notebook or computation failed, 2 for bad usage (the
 * message names the flag and the value; given before any long computation), 3 with --strict when
 * a Monte Carlo estimate fails its tail diagnostic, 130/143 when `lectures` is interrupted by
 * SIGINT/SIGTERM.
 *
 * Output: results go to stdout (whole, whatever stdout is: the process never exits with output
 * pending), warnings and progress to stderr; files are written atomically (see io.ts).
 */
import * as fs from 'fs';
import { ARCHITECTURES, ArchitectureName, GaussianNetArchitecture, MLP_ACTIVATIONS, Net, SingleLayerNet, cosNet, isSingleLayer, mlp, scalarNet, singleLayerNet } from './nets/architectures';
import { correlatorsOf, measureCorrelators } from './ensembles/correlators';
import { CorrelatorRun, FAMILY_NAMES as NAMES, MAX_POINTS, checkRun, mergeRuns } from './ensembles/runs';
import { checkWritableFile, quietEpipe, writeFileAtomic } from './core/io';
import { TailDiagnostic, formatKhat, tailWarning } from './statistics/tails';
import { DEFAULT_BLOCKS, TupleEstimates } from './statistics/moments';
import { expandSymmetric, sortedTuples } from './statistics/tuples';
import { isActivationName } from './nets/activations';
import { addTiming, timed, timings, timingsEnabled } from './core/timings';
import { Rng } from './core/random';
// Each command loads what only it needs when it runs (the lecture runner alone takes ~0.1 s to load):
// start-up counts for a user who runs a short command.
import type { KernelName } from './eft/eft';
const lab = (): typeof import('./lab') => require('./lab');
const eft = (): typeof import('./eft/eft') => require('./eft/eft');
const finiteWidth = (): typeof import('./exact/finite-width') => require('./exact/finite-width');
const infiniteWidthKernels = (): typeof import('./exact/infinite-width') => require('./exact/infinite-width');
const formulas = (): typeof import('./expressivity/formula') => require('./expressivity/formula');
const kanRecipes = (): typeof import('./expressivity/kan-recipe') => require('./expressivity/kan-recipe');
const deep = (): typeof import('./deep') => require('./deep');
const fieldTheory = (): typeof import('./field-theory') => require('./field-theory');
const knots = (): typeof import('./knots') => require('./knots');


class UsageError extends Error {}

const usage = (): string => `usage:
  nnft lectures [notebooks...] [--out DIR] [--scale ci|full] [--kernel NAME] [--timeout SECONDS]
  nnft correlators --arch ${ARCHITECTURES.join('|')}|mlp --width N --inputs "x1;x2;..." [--d-in D]
                   [--depth L --activation A (mlp)]
                   [--sigma-w S] [--sigma-b S] [--mass m --cutoff L] [--order 2|4|6]
                   [--method mc|exact] [--nets M] [--seed S] [--shard k/K] [--save FILE] [--json] [--strict]
  nnft merge FILE... [--save FILE] [--json] [--strict]
  nnft feynman --propagator ${eft().KERNEL_NAMES.join('|')} --cutoff L --inputs "x1;x2;..." [--sigma-w S] [--sigma-b S]
               [--d-in D] [--order 4|6] [--no-bias] [--json]
  nnft infinite-width --activation ${MLP_ACTIVATIONS.join('|')} --hidden-layers L --inputs "x1;x2;..."
              [--sigma-w S] [--sigma-b S] [--json]
  nnft criticality --activation A --cw C --cb C [--layers L] [--k0 K] [--json]
  nnft vertex --activation A --cw C --cb C --width n --layers L --inputs "x1[;x2]" [--json]
  nnft reflection --kernel free|gauss|erf|relu|cos --times "t1;t2;..." [--mass m] [--cutoff L|inf]
                  [--sigma-w S] [--sigma-b S] [--d-in D] [--json]
  nnft phi4 --method first-order|reweight|hmc --mass m --cutoff L|inf --box L --inputs "t1;t2;..."
            [--width N] [--coupling lambda --nets M --seed S [--chains C]] [--json] [--strict]
  nnft oscillator --mass m --coupling lambda --taus "t1;t2;..." [--box L] [--json]
  nnft knot invariants --braid "1 1 1" [--strands n] [--json]
  nnft knot random --unknot|--knot --strands n --length N [--seed S] [--count K] [--json]
  nnft kan fit --formula F [--width 2,5,1] [--grid G] [--refine G'] [--steps S] [--train N] [--test N]
               [--seed S] [--lambda L] [--range lo,hi] [--symbolic] [--json]

lectures
  notebooks   .ipynb files to execute in order (default: every notebook in notebooks/)
  --out       output folder (default: out)
  --scale     ci (small ensembles) or full (the published figures; default)
  --kernel    kernelspec name under kernels/kernels or $JUPYTER_PATH (default: ${lab().DEFAULT_KERNEL})
  --timeout   per-cell timeout in seconds (default: ${lab().DEFAULT_CELL_TIMEOUT_S})

correlators   G2 and the connected G4c, G6c of a single-layer net or of a deep MLP
  --arch mlp  L = --depth hidden layers of --width units of --activation (${MLP_ACTIVATIONS.join(', ')}),
              W ~ N(0, S^2 / fan-in), biases N(0, Sb^2) in every layer (default --sigma-b 1, as for the
              single-layer nets; --depth 1 is the single-layer net); Monte Carlo only
  --arch      erf, relu, tanh, gauss: NN-QFT conventions (W0 ~ N(0, S^2/D), b0, b1 ~ N(0, Sb^2), W1 ~ N(0, S^2/N));
              cos: Cos-net with sw0 = sw1 = --sigma-w (no --sigma-b: its phases are uniform);
              scalar: Scalar-net with --mass m and --cutoff L (sw1 = --sigma-w)
  --inputs    points separated by ';', coordinates within a point by ',' (e.g. "-1;0.5;1" or "0,1;1,0")
  --method    mc: Monte Carlo over --nets networks (default 10000), errors by jackknife;
              exact: the finite-width result from single-neuron moments (adaptive quadrature to
              1e-8 relative or closed form, with its integration error; single-neuron Monte
              Carlo, said as method single-neuron-mc, when the inputs span more than 2 dimensions)
  --shard k/K run only the k-th of K equal slices of the networks (k = 1..K); combine with merge
  --save      write the mergeable run (mc) to FILE (its folder must exist; checked first)
  --json      print one JSON object: inputs, width, method, nets, G2, G4c, G6c, stderr,
              diagnostics (Pareto k-hat of each Monte Carlo family), warnings
  --strict    exit with status 3 when a Monte Carlo estimate fails its tail diagnostic
              (k-hat >= min(1 - 1/log10 S, 0.7): heavy tails, the error bar cannot be trusted)

feynman       first-order change of the full --order-point function per unit coupling, from the
              generated Feynman diagrams, vertices integrated over the box [-L, L]^D:
              Delta G = lambda * coefficients.lambda + kappa * coefficients.kappa
              (lambda int f^4 and kappa int f^6 in the action; GP kernel of the net as propagator)
  --propagator the single-layer net whose GP kernel is the propagator (NN-QFT conventions; cos:
              Cos-net with sw0 = sw1 = --sigma-w and an output bias of variance --sigma-b^2);
              --kernel is an old name for it (it warns)
  --no-bias   drop the output bias's constant sigma_b^2 from the propagator
  --json      print one JSON object: inputs, cutoff, coefficients {lambda, kappa} (nested n^order),
              errors {lambda, kappa} (integration error estimates, same shape)

infinite-width  NNGP kernel and NTK of an MLP with L >= 1 hidden layers at infinite width
              (neural-tangents' conventions: K1 = sw^2 x.x'/D + sb^2, K(l+1) = sw^2 E[act act] + sb^2,
              Theta(l+1) = K(l+1) + sw^2 E[act' act'] Theta(l); closed forms for relu, leaky_relu, erf, identity,
              Gauss-Hermite quadrature otherwise). Defaults: --sigma-w 1, --sigma-b 0; D is read
              from the points. 'nnft kernel' is an old name for this command (it warns).
  --json      print one JSON object: inputs, nngp (n x n), ntk (n x n)

criticality   the single-input kernel flow of a deep MLP at infinite width, K(l+1) = C_b + C_W <act(z)^2>,
              z ~ N(0, K(l)) (C_W = sigma_w^2, C_b = sigma_b^2): the fixed point K* reached from
              K(1) = --k0 (default 1), chi_par = (C_W/K) <z act' act>, chi_perp = C_W <act'^2> at K*
  --json      print one JSON object: K_star (null: the kernel diverges), chi_parallel, chi_perp,
              K [K(1) .. K(L)] (--layers, default 10), stable (chi_par <= 1), critical
              (chi_par = chi_perp = 1 within 1e-6), class (scale-invariant, K*=0, nonzero K*, none),
              critical_point {cb, cw, K_star} of the class (null for none)

vertex        the 1/n expansion layer by layer (l = 1 is the first pre-activation; a net with h hidden
              layers has its output at l = h + 1): kernel K, four-point vertex V4 (<zzzz>_c = (1/n)(V4 + 2 perms)),
              six-point vertex V6 (<z^6>_c = (1/n^2)(V6 + 14 perms)) and <z^4>/<z^2>^2 = 3 + 3 V4 / (n K^2)
  --inputs    one or two distinct points (K(1) = C_b + C_W x.x'/D)
  --json      print one JSON object: inputs, width, K, V4, V6, kurtosis, one entry per layer; with one
              input numbers, with two nested arrays [a][b], [a][b][c][d], [a]...[f] and kurtosis per input

reflection    reflection positivity of an infinite-width 2-point function (TASI eq. (133), n = 1): the
              eigenvalues of M_ij = K(t_i e1, -t_j e1) for times t_i > 0 on the first axis. Kernels: free
              (the Scalar-net propagator with momentum cutoff --cutoff, default inf: e^{-m|t|}/(2m) in D = 1;
              --mass, default 1), gauss, erf, relu (--sigma-w, --sigma-b, default 1), cos (--sigma-w = sigma_w0,
              sigma_w1 = 1); --d-in D (default 1)
  --json      print one JSON object: kernel, times, eigenvalues (ascending), min_eigenvalue, positive
              (min_eigenvalue >= -tolerance, a rounding allowance), tolerance

phi4          phi^4 theory as the Scalar-net (D = 1) deformed by exp(-lambda int_{-L}^{L} f^4) (TASI eqs.
              (135)-(137)), L = --box:
              first-order  d G2 / d lambda at lambda = 0, exact: the generated tadpole diagram at infinite
                           width; with --width N also the 1/N and 1/N^2 terms of the Scalar-net's cumulants
              reweight     --nets M free Scalar-nets of --width N (default 100) weighted by exp(-lambda S4), with the
                           effective sample size and the PSIS k-hat of the weights (warnings when < 100
                           effective samples or k-hat too large)
              hmc          Hamiltonian Monte Carlo on the parameters (tfjs gradients), --chains C (default 32)
                           chains of M / C kept trajectories; errors from integrated autocorrelation times
  --json      print one JSON object. first-order: inputs, coefficient (n x n; Delta G2 = lambda * coefficient),
              infinite, per_width, per_width2 (the 1/N, 1/N^2 coefficients; null without --width), error.
              reweight/hmc: inputs, G2, stderr (n x n), diagnostics, warnings
  --strict    exit with status 3 when a Monte Carlo estimate carries a warning

oscillator    the exact reference: H = p^2/2 + m^2 x^2/2 + lambda x^4 diagonalised in a harmonic-oscillator
              basis (converged to ~1e-12): E0, gap E1 - E0, <x^2>, G2(0, tau) = <x(0) x(tau)>; with --box L the
              interaction acts only for Euclidean times in [-L, L] (free evolution outside)
  --json      print one JSON object: mass, coupling, box, E0, gap, x2, taus, G2, precision, basis_size

knot invariants  the Jones polynomial (Kauffman bracket via the Temperley-Lieb algebra; V(unknot) = 1,
              closure of sigma_1^3: t + t^3 - t^4) and the Conway-normalised Alexander polynomial (reduced Burau)
              of the closed braid; letters i > 0 are sigma_i (positive crossings), -i their inverses
  --json      print one JSON object: braid, strands, components, writhe, jones and alexander as
              {"<exponent of t>": coefficient} (half-integer exponents for links with an even number of components)
knot random   random braid words on --strands n of --length N letters: --unknot (from sigma_1 ... sigma_(n-1), random
              closure-preserving moves), --knot (uniform letters, closure a knot whose Jones polynomial is not 1); --count K words from streams (S, 0..K-1)
  --json      print one JSON object: braids [{strands, word}]

kan fit       a Kolmogorov-Arnold network learns F on the box [lo, hi]^n (pykan's hellokan workflow, float64):
              L-BFGS with the sparsity regulariser (--lambda, default 0.001), pruning, L-BFGS again,
              [--refine G': grid extension, L-BFGS], [--symbolic: every edge snapped to its best library
              function, L-BFGS on the affine parameters, the formula simplified and checked on 1000 fresh points]
  --formula   the target in x1, x2, ...: numbers, + - * / ^ (or **), parentheses, pi, e, and
              exp log sin cos tan tanh sqrt abs sigmoid arctan sinh cosh, e.g. "exp(sin(pi*x1) + x2^2)"
  --width     widths n,hidden...,1 (default: n,5,1 with n the highest variable index)
  --grid      grid intervals G (default 3); --steps L-BFGS steps per stage (default 50, 20 iterations each)
  --train, --test  data set sizes (default 1000 each); --seed (default 0); --range (default -1,1)
  --json      print one JSON object: width, grid, rmse {train, test}, stages, history, stepsPerSecond, and with
              --symbolic formula, rawFormula, r2 {"l,i,j": r^2 of each snapped edge}, snapped, formulaError`;

/** Split argv into positionals, --flag values and boolean switches. */
function parseFlags(args: string[], valued: readonly string[], switches: readonly string[] = []): { positional: string[]; flags: Map<string, string>; on: Set<string> } {
  const positional: string[] = [];
  const flags = new Map<string, string>();
  const on = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    const [name, inline] = a.slice(2).split(/=(.*)/s, 2);
    if (switches.includes(name)) {
      if (inline !== undefined) throw new UsageError(`nnft: --${name} takes no value, got ${JSON.stringify(a)}`);
      on.add(name);
      continue;
    }
    if (!valued.includes(name)) throw new UsageError(`nnft: unknown flag --${name}`);
    const value = inline ?? args[++i];
    if (value === undefined) throw new UsageError(`nnft: --${name} needs a value`);
    flags.set(name, value);
  }
  return { positional, flags, on };
}

function bad(flag: string, must: string, value: string | undefined): never {
  throw new UsageError(`nnft: --${flag} must be ${must}, got ${JSON.stringify(value ?? null)}`);
}

function noPositionals(command: string, positional: string[]): void {
  if (positional.length) throw new UsageError(`nnft: ${command} takes no positional arguments, got ${JSON.stringify(positional[0])}`);
}

/** Own keys only: `toString` and friends are not activations. */
/** An old flag name still accepted: its value moves to the new name, with a warning on stderr. */
function renamedFlag(flags: Map<string, string>, old: string, name: string): void {
  if (!flags.has(old)) return;
  process.stderr.write(`nnft: --${old} is an old name; use --${name}\n`);
  if (!flags.has(name)) flags.set(name, flags.get(old)!);
  flags.delete(old);
}

/**
 * Largest value accepted for a scale (sigma, cutoff, mass): beyond it the networks' float32
 * outputs or the float64 integrals overflow. Values this large are never physical here.
 */
const MAX_SCALE = 1e6;

function intFlag(flags: Map<string, string>, flag: string, fallback: number | undefined, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const raw = flags.get(flag);
  if (raw === undefined) {
    if (fallback === undefined) bad(flag, `given (an integer >= ${min})`, raw);
    return fallback;
  }
  const v = Number(raw);
  if (!/^\s*\d+\s*$/.test(raw) || !Number.isSafeInteger(v) || v < min || v > max) bad(flag, `an integer in ${min}..${max}`, raw);
  return v;
}

/** A number flag in [0, max] (or (0, max] when `positive`). */
function numberFlag(flags: Map<string, string>, flag: string, fallback: number, options: { positive?: boolean; max?: number } = {}): number {
  const raw = flags.get(flag);
  if (raw === undefined) return fallback;
  const max = options.max ?? MAX_SCALE;
  const v = Number(raw);
  const ok = raw.trim() !== '' && Number.isFinite(v) && (options.positive ? v > 0 : v >= 0) && v <= max;
  if (!ok) bad(flag, `a ${options.positive ? 'positive' : 'non-negative'} number at most ${max}`, raw);
  return v;
}

function positiveFlag(flags: Map<string, string>, flag: string): number {
  return numberFlag(flags, flag, NaN, { positive: true });
}

function parseInputs(raw: string | undefined, dIn: number): number[][] {
  if (raw === undefined || raw.trim() === '') bad('inputs', 'points separated by ";" (coordinates by ",")', raw);
  const points = raw.split(';');
  if (points.length > MAX_POINTS) bad('inputs', `at most ${MAX_POINTS} points`, `${raw.slice(0, 60)}... (${points.length} points)`);
  return points.map((point) => {
    const coords = point.split(',').map((c) => (c.trim() === '' ? NaN : Number(c)));
    if (coords.length !== dIn || !coords.every((c) => Number.isFinite(c) && Math.abs(c) <= MAX_SCALE)) {
      bad('inputs', `points of ${dIn} finite coordinate(s) of size at most ${MAX_SCALE} (--d-in ${dIn}); the point ${JSON.stringify(point)} is not one, in`, raw);
    }
    return coords;
  });
}

/**
 * Resource limits, checked before any work: the moment sums (every sorted tuple of every order,
 * DEFAULT_BLOCKS blocks, sum and compensation in float64), the printed JSON (P^order entries per function),
 * and one network's parameters and hidden units in the engine's batch.
 */
const MAX_SUM_BYTES = 1 << 30;
const MAX_JSON_ENTRIES = 4_000_000;
const MAX_NETWORK_FLOATS = 1 << 26;

function checkResources(P: number, order: number, json: boolean, width?: number, dIn?: number): void {
  let tuples = 0;
  for (let n = 2; n <= order; n += 2) tuples += sortedTuples(P, n).length;
  const bytes = tuples * DEFAULT_BLOCKS * 16;
  if (bytes > MAX_SUM_BYTES) bad('inputs', `few enough points for --order ${order} (${tuples} index tuples need ${bytes / 2 ** 30} GiB of sums; at most 1 GiB)`, `${P} points`);
  if (json && P ** order > MAX_JSON_ENTRIES) bad('inputs', `few enough points for --order ${order} --json (${P}^${order} entries; at most ${MAX_JSON_ENTRIES})`, `${P} points`);
  if (width !== undefined && dIn !== undefined && width * Math.max(dIn + 2, P) > MAX_NETWORK_FLOATS) {
    bad('width', `small enough for one network to fit the engine's batch (width x max(d-in + 2, points) <= ${MAX_NETWORK_FLOATS})`, String(width));
  }
}

function parseShard(raw: string | undefined): [number, number] {
  if (raw === undefined) return [1, 1];
  const m = /^(\d+)\/(\d+)$/.exec(raw.trim());
  const k = m ? Number(m[1]) : NaN;
  const K = m ? Number(m[2]) : NaN;
  if (!m || !Number.isSafeInteger(K) || K < 1 || k < 1 || k > K) bad('shard', 'k/K with 1 <= k <= K', raw);
  return [k, K];
}

/** --save FILE: its folder must exist and be writable, checked before computing. */
function saveFlag(flags: Map<string, string>): string | undefined {
  const file = flags.get('save');
  if (file === undefined) return undefined;
  try {
    checkWritableFile(file, '--save');
  } catch (err) {
    throw new UsageError(`nnft: ${(err as Error).message}`);
  }
  return file;
}

interface Printed {
  inputs: number[][];
  width: number;
  method: string;
  nets: number;
  estimates: TupleEstimates[];
  extra?: Record<string, unknown>;
  /** Per-tuple integration errors of exact results, by function name. */
  integrationError?: Record<string, Float64Array>;
  /** Notes for stderr that are not warnings (e.g. a fallback). */
  notes?: string[];
  /** What the Monte Carlo terms are: networks, or single neurons. */
  samplesAre?: string;
}

/** Tail diagnostics of the Monte Carlo families and the warnings of the unreliable ones. */
function diagnose(result: Printed): { diagnostics: Record<string, TailDiagnostic | null>; warnings: string[] } {
  const diagnostics: Record<string, TailDiagnostic | null> = {};
  const warnings: string[] = [];
  const label = (p: number) => `x${p} = (${result.inputs[p].join(', ')})`;
  for (const e of result.estimates) {
    if (!e.stdErr.some((v) => v > 0) && !e.tail) continue; // exact: no Monte Carlo family
    diagnostics[NAMES[e.order]] = e.tail ?? null;
    const w = tailWarning(NAMES[e.order], e.tail, label, result.samplesAre ?? 'networks');
    if (w) warnings.push(w);
  }
  return { diagnostics, warnings };
}

/** Print a result (text or one JSON document) and its warnings; returns the warnings. */
function print(result: Printed, json: boolean): string[] {
  const P = result.inputs.length;
  const { diagnostics, warnings } = diagnose(result);
  for (const note of result.notes ?? []) console.error(`nnft: note: ${note}`);
  for (const w of warnings) console.error(`nnft: warning: ${w}`);
  if (json) {
    const out: Record<string, unknown> = { inputs: result.inputs, width: result.width, method: result.method, nets: result.nets, ...result.extra };
    const stderr: Record<string, unknown> = {};
    for (const e of result.estimates) {
      out[NAMES[e.order]] = expandSymmetric(e.value, P, e.order);
      stderr[NAMES[e.order]] = expandSymmetric(e.stdErr, P, e.order);
    }
    out.stderr = stderr;
    if (result.integrationError) {
      out.integrationError = Object.fromEntries(result.estimates.map((e) => [NAMES[e.order], expandSymmetric(result.integrationError![NAMES[e.order]], P, e.order)]));
    }
    out.diagnostics = diagnostics;
    out.warnings = warnings;
    process.stdout.write(JSON.stringify(out) + '\n');
    return warnings;
  }
  const lines = [`width ${result.width}, method ${result.method}${result.nets ? `, ${result.nets} networks` : ''}; inputs ${result.inputs.map((x, p) => `x${p}=(${x.join(', ')})`).join(' ')}`];
  for (const e of result.estimates) {
    const name = NAMES[e.order];
    const d = diagnostics[name];
    const tail = d ? `; tails: k-hat ${formatKhat(d.khat)} (${d.reliable ? 'reliable' : 'UNRELIABLE'}, threshold ${d.threshold.toFixed(2)})` : '';
    const integ = result.integrationError ? `; largest integration error ${Math.max(0, ...result.integrationError[name]).toExponential(1)}` : '';
    lines.push(`\n${name} (one line per sorted index tuple${tail}${integ})`);
    e.tuples.forEach((t, k) => lines.push(`  ${name}[${t.join(',')}] = ${e.value[k].toExponential(6)}${e.stdErr[k] ? ` ± ${e.stdErr[k].toExponential(2)}` : ''}`));
  }
  process.stdout.write(lines.join('\n') + '\n');
  return warnings;
}

/** Exit status after printing: 3 when --strict and a warning was given. */
function verdict(warnings: string[], strict: boolean): number {
  if (strict && warnings.length) {
    console.error(`nnft: --strict: ${warnings.length} estimate(s) failed the tail diagnostic (exit 3)`);
    return 3;
  }
  return 0;
}

function estimatesOf(c: { G2: TupleEstimates; G4c?: TupleEstimates; G6c?: TupleEstimates }): TupleEstimates[] {
  return [c.G2, c.G4c, c.G6c].filter((e): e is TupleEstimates => e !== undefined);
}

/** The net named by --arch, with the flags that apply to it (others are refused, naming them). */
function buildNet(arch: ArchitectureName, width: number, dIn: number, flags: Map<string, string>): SingleLayerNet {
  const sigmaW = numberFlag(flags, 'sigma-w', 1);
  const only = (flag: string, archs: string) => {
    if (flags.has(flag)) throw new UsageError(`nnft: --${flag} does not apply to --arch ${arch} (only to ${archs}), got --${flag} ${flags.get(flag)}`);
  };
  if (arch === 'cos') {
    only('sigma-b', 'erf, relu, tanh, gauss');
    only('mass', 'scalar');
    only('cutoff', 'scalar');
    return cosNet({ width, dIn, sigmaW0: sigmaW, sigmaW1: sigmaW });
  }
  if (arch === 'scalar') {
    only('sigma-b', 'erf, relu, tanh, gauss');
    if (!flags.has('mass') || !flags.has('cutoff')) throw new UsageError(`nnft: --arch scalar needs --mass and --cutoff, got ${flags.has('mass') ? '' : 'no --mass '}${flags.has('cutoff') ? '' : 'no --cutoff'}`.trim());
    const cutoff = positiveFlag(flags, 'cutoff');
    const mass = numberFlag(flags, 'mass', 0);
    if (mass === 0 && dIn <= 2) bad('mass', `positive in --d-in ${dIn} (the massless propagator is infrared divergent there)`, flags.get('mass'));
    return scalarNet({ width, dIn, mass, cutoff, sigmaW1: sigmaW > 0 ? sigmaW : bad('sigma-w', 'positive for --arch scalar', flags.get('sigma-w')) });
  }
  only('mass', 'scalar');
  only('cutoff', 'scalar');
  return singleLayerNet(arch as GaussianNetArchitecture, { width, dIn, sigmaW, sigmaB: numberFlag(flags, 'sigma-b', 1) });
}

/** --arch mlp: --depth hidden layers of --activation, sigma_w^2 / fan-in weights, N(0, sb^2) biases everywhere. */
function buildMlp(width: number, dIn: number, flags: Map<string, string>): Net {
  for (const f of ['mass', 'cutoff']) if (flags.has(f)) throw new UsageError(`nnft: --${f} does not apply to --arch mlp (only to scalar), got --${f} ${flags.get(f)}`);
  const activation = deepActivation(flags);
  const depth = intFlag(flags, 'depth', 1, 1, 1000);
  return mlp({ depth, width, activation, dIn, sigmaW: numberFlag(flags, 'sigma-w', 1), sigmaB: numberFlag(flags, 'sigma-b', 1) });
}

/** Exact results must be finite: an overflow names the scales that caused it. */
function checkFinite(estimates: TupleEstimates[], flags: Map<string, string>): void {
  for (const e of estimates) {
    if (e.value.every(Number.isFinite)) continue;
    const given = ['sigma-w', 'sigma-b', 'mass', 'cutoff', 'inputs'].filter((f) => flags.has(f)).map((f) => `--${f} ${flags.get(f)}`);
    throw new UsageError(`nnft: ${NAMES[e.order]} overflows float64 with ${given.join(' ') || 'these settings'}; use smaller scales`);
  }
}

async function correlators(args: string[]): Promise<number> {
  const { positional, flags, on } = parseFlags(args, ['arch', 'width', 'd-in', 'sigma-w', 'sigma-b', 'mass', 'cutoff', 'inputs', 'order', 'method', 'nets', 'seed', 'shard', 'save', 'depth', 'activation'], ['json', 'strict']);
  noPositionals('correlators', positional);
  const arch = flags.get('arch');
  if (!ARCHITECTURES.includes(arch as ArchitectureName) && arch !== 'mlp') bad('arch', `one of ${ARCHITECTURES.join(', ')}, mlp`, arch);
  const width = intFlag(flags, 'width', undefined, 1);
  const dIn = intFlag(flags, 'd-in', 1, 1, 10_000);
  const net = arch === 'mlp' ? buildMlp(width, dIn, flags) : buildNet(arch as ArchitectureName, width, dIn, flags);
  if (arch !== 'mlp') for (const f of ['depth', 'activation']) if (flags.has(f)) throw new UsageError(`nnft: --${f} applies to --arch mlp only, got --${f} ${flags.get(f)} with --arch ${arch}`);
  const inputs = parseInputs(flags.get('inputs'), dIn);
  const order = intFlag(flags, 'order', 4, 2, 6);
  if (![2, 4, 6].includes(order)) bad('order', '2, 4 or 6', flags.get('order'));
  const method = flags.get('method') ?? 'mc';
  if (method !== 'mc' && method !== 'exact') bad('method', 'mc or exact', method);
  const seed = intFlag(flags, 'seed', 0, 0);
  const json = on.has('json');
  const strict = on.has('strict');
  checkResources(inputs.length, order, json, width, dIn);
  if (method === 'exact') {
    for (const f of ['nets', 'shard', 'save']) if (flags.has(f)) throw new UsageError(`nnft: --${f} applies to --method mc only, got --${f} ${flags.get(f)} with --method exact`);
    if (!isSingleLayer(net)) return bad('method', `mc for --arch mlp with --depth ${net.depth} (exact finite-width results exist for one hidden layer; 'nnft vertex' gives the 1/n expansion of deep nets)`, method);
    const exact = finiteWidth().finiteWidthCorrelators(net, inputs, { order, method: 'auto', seed });
    const estimates = estimatesOf(exact);
    checkFinite(estimates, flags);
    const mc = exact.method === 'mc';
    const printed: Printed = {
      inputs,
      width,
      method: mc ? 'single-neuron-mc' : 'exact',
      nets: 0,
      estimates,
      extra: mc ? { singleNeuronSamples: exact.samples, fallbackReason: exact.fallbackReason } : { singleNeuron: exact.method },
      integrationError: exact.integrationError as Record<string, Float64Array> | undefined,
      notes: mc ? [`--method exact fell back to single-neuron Monte Carlo (${exact.samples} neurons, seed ${seed}) because ${exact.fallbackReason}; the values carry jackknife errors`] : [],
      samplesAre: 'neurons',
    };
    return verdict(print(printed, json), strict);
  }
  const nets = intFlag(flags, 'nets', 10000, 2);
  const [k, K] = parseShard(flags.get('shard'));
  const firstNet = Math.floor(((k - 1) * nets) / K);
  const count = Math.floor((k * nets) / K) - firstNet;
  if (count < 2) throw new UsageError(`nnft: --shard ${k}/${K} of --nets ${nets} holds ${count} network(s); a shard needs at least 2`);
  const save = saveFlag(flags);
  const run = await measureCorrelators(net, inputs, { order, nets: count, seed, firstNet, progress: !json });
  if (save) writeFileAtomic(save, JSON.stringify(run) + '\n');
  const estimates = estimatesOf(correlatorsOf(run));
  const warnings = timed('output', () => print({ inputs, width, method: 'mc', nets: count, estimates, extra: K > 1 ? { shard: `${k}/${K}`, firstNet } : undefined }, json));
  return verdict(warnings, strict);
}

function feynman(args: string[]): number {
  const { positional, flags, on } = parseFlags(args, ['propagator', 'kernel', 'sigma-w', 'sigma-b', 'd-in', 'cutoff', 'inputs', 'order'], ['json', 'no-bias']);
  noPositionals('feynman', positional);
  renamedFlag(flags, 'kernel', 'propagator');
  const { KERNEL_NAMES, firstOrderCoefficients, propagator } = eft();
  const bias = !on.has('no-bias');
  const kernel = flags.get('propagator');
  if (!KERNEL_NAMES.includes(kernel as KernelName)) bad('propagator', `one of ${KERNEL_NAMES.join(', ')}`, kernel);
  const dIn = intFlag(flags, 'd-in', 1, 1, 16);
  const sigmaW = numberFlag(flags, 'sigma-w', 1);
  const sigmaB = numberFlag(flags, 'sigma-b', 1);
  if (!flags.has('cutoff')) bad('cutoff', 'given (a positive number: the box is [-L, L]^D)', undefined);
  const cutoff = positiveFlag(flags, 'cutoff');
  const inputs = parseInputs(flags.get('inputs'), dIn);
  const order = intFlag(flags, 'order', 4, 4, 6);
  if (order !== 4 && order !== 6) bad('order', '4 or 6', flags.get('order'));
  checkResources(inputs.length, order, on.has('json'));
  const K = propagator({ kernel: kernel as KernelName, sigmaW, sigmaB, dIn, bias });
  const values = firstOrderCoefficients(K, inputs, order, ['lambda', 'kappa'], cutoff);
  for (const c of ['lambda', 'kappa'] as const) {
    if (!values[c].value.every(Number.isFinite)) throw new UsageError(`nnft: the ${c} coefficients overflow float64 with --sigma-w ${sigmaW} --sigma-b ${sigmaB} --cutoff ${cutoff}; use smaller scales`);
  }
  const P = inputs.length;
  if (on.has('json')) {
    const nested = (key: 'value' | 'error') => ({ lambda: expandSymmetric(values.lambda[key], P, order), kappa: expandSymmetric(values.kappa[key], P, order) });
    process.stdout.write(JSON.stringify({ inputs, cutoff, order, kernel, bias, coefficients: nested('value'), errors: nested('error') }) + '\n');
    return 0;
  }
  const lines = [`first-order change of G${order} per unit coupling; ${kernel} kernel${bias ? '' : ' without the bias constant'}, box [-${cutoff}, ${cutoff}]^${dIn}`, `tuple (input indices)        lambda                 kappa`];
  values.lambda.tuples.forEach((t, k) => {
    lines.push(`(${t.join(',')})`.padEnd(28) + `${values.lambda.value[k].toExponential(6).padStart(14)} ± ${values.lambda.error[k].toExponential(1)}   ${values.kappa.value[k].toExponential(6).padStart(14)} ± ${values.kappa.error[k].toExponential(1)}`);
  });
  process.stdout.write(lines.join('\n') + '\n');
  return 0;
}

function infiniteWidth(args: string[]): number {
  const { positional, flags, on } = parseFlags(args, ['activation', 'hidden-layers', 'sigma-w', 'sigma-b', 'inputs'], ['json']);
  noPositionals('infinite-width', positional);
  const activation = flags.get('activation');
  if (!isActivationName(activation) || !MLP_ACTIVATIONS.includes(activation)) bad('activation', `one of ${MLP_ACTIVATIONS.join(', ')}`, activation);
  const hiddenLayers = intFlag(flags, 'hidden-layers', 1, 1, 10_000);
  const sigmaW = numberFlag(flags, 'sigma-w', 1);
  const sigmaB = numberFlag(flags, 'sigma-b', 0);
  const raw = flags.get('inputs');
  const inputs = parseInputs(raw, raw === undefined ? 1 : raw.split(';')[0].split(',').length);
  const net = mlp({ depth: hiddenLayers, width: 1, activation, dIn: inputs[0].length, sigmaW, sigmaB });
  const { nngp, ntk } = infiniteWidthKernels().kernelOf(net, inputs);
  if (![...nngp, ...ntk].every((row) => row.every(Number.isFinite))) {
    throw new UsageError(`nnft: the kernels overflow float64 with --sigma-w ${sigmaW} --sigma-b ${sigmaB} --hidden-layers ${hiddenLayers}; use smaller scales or fewer layers`);
  }
  if (on.has('json')) {
    process.stdout.write(JSON.stringify({ inputs, nngp, ntk }) + '\n');
    return 0;
  }
  const lines = [`${activation} MLP, ${hiddenLayers} hidden layer(s), sigma_w = ${sigmaW}, sigma_b = ${sigmaB}, infinite width`];
  for (const [name, M] of [['NNGP kernel K', nngp], ['NTK Theta', ntk]] as const) {
    lines.push(`${name}:`);
    M.forEach((row) => lines.push('  ' + row.map((v) => v.toPrecision(8).padStart(16)).join('')));
  }
  process.stdout.write(lines.join('\n') + '\n');
  return 0;
}

/** --activation of the deep-network commands (every registered one but the input-normalised Gauss unit). */
function deepActivation(flags: Map<string, string>): (typeof MLP_ACTIVATIONS)[number] {
  const activation = flags.get('activation');
  if (!isActivationName(activation) || !MLP_ACTIVATIONS.includes(activation)) bad('activation', `one of ${MLP_ACTIVATIONS.join(', ')}`, activation);
  return activation;
}

function criticalityCommand(args: string[]): number {
  const { positional, flags, on } = parseFlags(args, ['activation', 'cw', 'cb', 'layers', 'k0'], ['json']);
  noPositionals('criticality', positional);
  const activation = deepActivation(flags);
  for (const f of ['cw', 'cb']) if (!flags.has(f)) bad(f, 'given (a non-negative number)', undefined);
  const cw = numberFlag(flags, 'cw', NaN, { max: 1e3 });
  const cb = numberFlag(flags, 'cb', NaN, { max: 1e3 });
  const layers = intFlag(flags, 'layers', 10, 1, 100_000);
  const k0 = numberFlag(flags, 'k0', 1, { max: 1e6 });
  const r = deep().criticality({ activation, cw, cb, layers, k0 });
  if (!r.K.every(Number.isFinite)) throw new UsageError(`nnft: the kernel overflows float64 within --layers ${layers} at --cw ${cw} --cb ${cb}; use fewer layers`);
  if (on.has('json')) {
    process.stdout.write(JSON.stringify(r) + '\n');
    return 0;
  }
  const fmt = (v: number | null) => (v === null ? 'none' : v.toPrecision(10));
  const lines = [
    `${activation}, C_W = ${cw}, C_b = ${cb}, K(1) = ${k0}: class ${r.class}, critical point ${r.critical_point ? `C_b = ${r.critical_point.cb}, C_W = ${r.critical_point.cw}, K* = ${r.critical_point.K_star ?? 'any'}` : 'none'}`,
    `K* = ${fmt(r.K_star)}${r.K_star === null ? ' (the kernel grows without bound)' : ''}, chi_par = ${fmt(r.chi_parallel)}, chi_perp = ${fmt(r.chi_perp)}; ${r.stable ? 'stable' : 'unstable'}${r.critical ? ', critical' : ''}`,
    'l      K(l)',
    ...r.K.map((k, l) => `${String(l + 1).padEnd(6)} ${k.toPrecision(10)}`),
  ];
  process.stdout.write(lines.join('\n') + '\n');
  return 0;
}

function vertexCommand(args: string[]): number {
  const { positional, flags, on } = parseFlags(args, ['activation', 'cw', 'cb', 'width', 'layers', 'inputs'], ['json']);
  noPositionals('vertex', positional);
  const activation = deepActivation(flags);
  for (const f of ['cw', 'cb']) if (!flags.has(f)) bad(f, 'given (a non-negative number)', undefined);
  const cw = numberFlag(flags, 'cw', NaN, { max: 1e3 });
  const cb = numberFlag(flags, 'cb', NaN, { max: 1e3 });
  const width = intFlag(flags, 'width', undefined, 1);
  const layers = intFlag(flags, 'layers', undefined, 1, 10_000);
  const raw = flags.get('inputs');
  const inputs = parseInputs(raw, raw === undefined ? 1 : raw.split(';')[0].split(',').length);
  if (inputs.length > 2) bad('inputs', 'one or two points (the vertices need 1-d or 2-d Gaussian integrals)', raw);
  if (inputs.length === 2 && inputs[0].every((v, j) => v === inputs[1][j])) bad('inputs', 'two distinct points', raw);
  if (!inputs.every((x) => cb + (cw * x.reduce((s, v) => s + v * v, 0)) / x.length > 0)) bad('inputs', 'points with a positive first-layer variance C_b + C_W x.x/D (a zero input needs --cb > 0)', raw);
  let r: import('./deep').VertexRecursion;
  try {
    r = deep().vertexRecursion({ activation, cw, cb, width, layers, inputs });
  } catch (err) {
    throw new UsageError(`nnft: ${(err as Error).message}`);
  }
  const P = inputs.length;
  const shape = (t: Float64Array, rank: number): unknown => (P === 1 ? t[0] : expandSymmetricFull(t, rank));
  if (on.has('json')) {
    const out = { inputs, width, activation, cw, cb, K: r.K.map((t) => shape(t, 2)), V4: r.V4.map((t) => shape(t, 4)), V6: r.V6.map((t) => shape(t, 6)), kurtosis: r.kurtosis.map((t) => (P === 1 ? t[0] : Array.from(t))) };
    process.stdout.write(JSON.stringify(out) + '\n');
    return 0;
  }
  const at = (t: Float64Array, a: number, k: number) => t[Array.from({ length: k }, () => a).reduce((s, v) => s * P + v, 0)];
  const lines = [`${activation}, C_W = ${cw}, C_b = ${cb}, width ${width}; per input: K, V4_(aa)(aa), V6_(aa)(aa)(aa), <z^4>/<z^2>^2 to order 1/n`];
  inputs.forEach((x, a) => {
    lines.push(`input x${a} = (${x.join(', ')})`, 'l      K                 V4                V6                kurtosis');
    r.K.forEach((_, l) => lines.push(`${String(l + 1).padEnd(6)} ${[at(r.K[l], a, 2), at(r.V4[l], a, 4), at(r.V6[l], a, 6), r.kurtosis[l][a]].map((v) => v.toPrecision(8).padEnd(17)).join(' ')}`));
  });
  process.stdout.write(lines.join('\n') + '\n');
  return 0;
}

/** A ';'-separated list of finite numbers (at most MAX_POINTS, each of size at most MAX_SCALE). */
function numberList(flags: Map<string, string>, flag: string, must: { positive?: boolean } = {}): number[] {
  const raw = flags.get(flag);
  if (raw === undefined || raw.trim() === '') bad(flag, 'numbers separated by ";"', raw);
  const values = raw.split(';').map((c) => (c.trim() === '' ? NaN : Number(c)));
  if (values.length > MAX_POINTS) bad(flag, `at most ${MAX_POINTS} numbers`, raw);
  const ok = (v: number) => Number.isFinite(v) && Math.abs(v) <= MAX_SCALE && (!must.positive || v > 0);
  if (!values.every(ok)) bad(flag, `${must.positive ? 'positive ' : ''}finite numbers of size at most ${MAX_SCALE} separated by ";"`, raw);
  return values;
}

/** --cutoff: a positive number or "inf". */
function cutoffFlag(flags: Map<string, string>, fallback?: number): number {
  const raw = flags.get('cutoff');
  if (raw === undefined) {
    if (fallback === undefined) bad('cutoff', 'given (a positive number or inf)', raw);
    return fallback;
  }
  if (/^\s*inf(inity)?\s*$/i.test(raw)) return Infinity;
  return numberFlag(flags, 'cutoff', NaN, { positive: true });
}

/** Flags that do not apply to a choice are refused, naming the choice. */
function refuseFlags(flags: Map<string, string>, names: readonly string[], because: string): void {
  for (const f of names) if (flags.has(f)) bad(f, `absent ${because}`, flags.get(f));
}

const REFLECTION_KERNELS = ['free', 'gauss', 'erf', 'relu', 'cos'] as const;

function reflectionCommand(args: string[]): number {
  const { positional, flags, on } = parseFlags(args, ['kernel', 'times', 'mass', 'cutoff', 'sigma-w', 'sigma-b', 'd-in'], ['json']);
  noPositionals('reflection', positional);
  const kernel = flags.get('kernel') as (typeof REFLECTION_KERNELS)[number];
  if (!REFLECTION_KERNELS.includes(kernel)) bad('kernel', `one of ${REFLECTION_KERNELS.join(', ')}`, kernel);
  const times = numberList(flags, 'times', { positive: true });
  const dIn = intFlag(flags, 'd-in', 1, 1, kernel === 'free' ? 3 : 1000);
  let options: import('./field-theory').ReflectionOptions;
  if (kernel === 'free') {
    refuseFlags(flags, ['sigma-w', 'sigma-b'], 'with --kernel free (its scales are --mass and --cutoff)');
    options = { kernel, times, dIn, mass: numberFlag(flags, 'mass', 1, { positive: true, max: 1e3 }), cutoff: cutoffFlag(flags, Infinity) };
  } else if (kernel === 'cos') {
    refuseFlags(flags, ['mass', 'cutoff', 'sigma-b'], 'with --kernel cos (the Cos-net has no bias; --sigma-w is sigma_w0)');
    options = { kernel, times, dIn, sigmaW: numberFlag(flags, 'sigma-w', 1, { max: 1e3 }) };
  } else {
    refuseFlags(flags, ['mass', 'cutoff'], `with --kernel ${kernel} (mass and cutoff belong to --kernel free)`);
    options = { kernel, times, dIn, sigmaW: numberFlag(flags, 'sigma-w', 1, { max: 1e3 }), sigmaB: numberFlag(flags, 'sigma-b', 1, { max: 1e3 }) };
  }
  const r = fieldTheory().reflectionPositivity(options);
  if (on.has('json')) {
    process.stdout.write(JSON.stringify({ kernel, times: r.times, eigenvalues: r.eigenvalues, min_eigenvalue: r.minEigenvalue, positive: r.positive, tolerance: r.tolerance }) + '\n');
    return 0;
  }
  const lines = [
    `${kernel} kernel, M_ij = K(t_i, -t_j) at t = ${r.times.join(', ')}: reflection positivity ${r.positive ? 'holds' : 'FAILS'} (min eigenvalue ${r.minEigenvalue.toExponential(6)}, allowance ${r.tolerance.toExponential(2)})`,
    'eigenvalues: ' + r.eigenvalues.map((e) => e.toExponential(10)).join('  '),
  ];
  process.stdout.write(lines.join('\n') + '\n');
  return 0;
}

function oscillatorCommand(args: string[]): number {
  const { positional, flags, on } = parseFlags(args, ['mass', 'coupling', 'taus', 'box'], ['json']);
  noPositionals('oscillator', positional);
  if (!flags.has('mass')) bad('mass', 'given (a positive number)', undefined);
  if (!flags.has('coupling')) bad('coupling', 'given (a non-negative number)', undefined);
  const mass = numberFlag(flags, 'mass', NaN, { positive: true, max: 1e3 });
  const coupling = numberFlag(flags, 'coupling', NaN, { max: 1e3 });
  const taus = numberList(flags, 'taus');
  const box = flags.has('box') ? numberFlag(flags, 'box', NaN, { positive: true, max: 1e3 }) : undefined;
  const r = fieldTheory().anharmonicOscillator({ mass, coupling, taus, box });
  if (on.has('json')) {
    process.stdout.write(JSON.stringify({ mass, coupling, box: box ?? null, E0: r.E0, gap: r.gap, x2: r.x2, taus: r.taus, G2: r.G2, precision: r.precision, basis_size: r.basisSize }) + '\n');
    return 0;
  }
  const lines = [
    `H = p^2/2 + ${mass}^2 x^2/2 + ${coupling} x^4${box === undefined ? '' : `, interaction on [-${box}, ${box}]`}: E0 = ${r.E0.toPrecision(12)}, gap = ${r.gap.toPrecision(12)}, <x^2> = ${r.x2.toPrecision(12)} (relative precision ${r.precision.toExponential(1)}, ${r.basisSize} basis states)`,
    'tau          G2(0, tau)',
    ...r.taus.map((t, k) => `${String(t).padEnd(12)} ${r.G2[k].toPrecision(12)}`),
  ];
  process.stdout.write(lines.join('\n') + '\n');
  return 0;
}

const PHI4_METHODS = ['first-order', 'reweight', 'hmc'] as const;
/** Width of the Scalar-nets that reweight and hmc draw when --width is not given (printed with the result). */
const PHI4_DEFAULT_WIDTH = 100;

async function phi4Command(args: string[]): Promise<number> {
  const { positional, flags, on } = parseFlags(args, ['method', 'mass', 'cutoff', 'box', 'inputs', 'width', 'coupling', 'nets', 'seed', 'chains'], ['json', 'strict']);
  noPositionals('phi4', positional);
  const method = flags.get('method') as (typeof PHI4_METHODS)[number];
  if (!PHI4_METHODS.includes(method)) bad('method', `one of ${PHI4_METHODS.join(', ')}`, method);
  if (!flags.has('mass')) bad('mass', 'given (a positive number)', undefined);
  const mass = numberFlag(flags, 'mass', NaN, { positive: true, max: 1e3 });
  const cutoff = cutoffFlag(flags);
  if (!flags.has('box')) bad('box', 'given (the half-width L of the interaction region [-L, L])', undefined);
  const box = numberFlag(flags, 'box', NaN, { positive: true, max: 1e3 });
  const inputs = numberList(flags, 'inputs');
  const json = on.has('json');
  const ft = fieldTheory();
  if (method === 'first-order') {
    refuseFlags(flags, ['coupling', 'nets', 'seed', 'chains'], 'with --method first-order (it gives d G2 / d lambda exactly)');
    const width = flags.has('width') ? intFlag(flags, 'width', undefined, 1, 1e9) : undefined;
    if (width !== undefined && cutoff === Infinity) bad('cutoff', 'finite with --width (the uniform-ball Scalar-net needs a finite ball; infinite cutoff is infinite width only)', flags.get('cutoff'));
    const r = ft.phi4FirstOrder({ mass, cutoff, box, inputs, width });
    if (json) {
      process.stdout.write(JSON.stringify({ method, mass, cutoff: cutoff === Infinity ? 'inf' : cutoff, box, width: r.width, inputs: r.inputs, coefficient: r.coefficient, infinite: r.infinite, per_width: r.perWidth, per_width2: r.perWidth2, error: r.error }) + '\n');
      return 0;
    }
    const lines = [`d G2(x_i, x_j) / d lambda at lambda = 0 (Delta G2 = lambda * coefficient), m = ${mass}, cutoff ${cutoff}, box [-${box}, ${box}], ${width === undefined ? 'infinite width' : `width ${width}`}:`];
    r.inputs.forEach((x, i) => lines.push(`${String(x).padEnd(10)} ${r.coefficient[i].map((v) => v.toPrecision(10).padStart(18)).join(' ')}`));
    process.stdout.write(lines.join('\n') + '\n');
    return 0;
  }
  const width = intFlag(flags, 'width', PHI4_DEFAULT_WIDTH, 1, 100_000);
  if (cutoff === Infinity) bad('cutoff', `finite with --method ${method} (the uniform-ball Scalar-net needs a finite ball)`, flags.get('cutoff'));
  if (!flags.has('coupling')) bad('coupling', 'given (lambda >= 0)', undefined);
  const coupling = numberFlag(flags, 'coupling', NaN, { max: 1e3 });
  const nets = intFlag(flags, 'nets', undefined, 1, 1e9);
  const seed = intFlag(flags, 'seed', 0, 0);
  const actionNodes = 16 * Math.ceil((8 * cutoff * box) / Math.PI + 2);
  if (width * (inputs.length + actionNodes) > MAX_NETWORK_FLOATS) bad('width', `small enough that one network's hidden units at the ${actionNodes} action nodes fit in memory (width x nodes <= ${MAX_NETWORK_FLOATS})`, String(width));
  let out: Record<string, unknown>;
  let G2: number[][];
  let stdErr: number[][];
  let warnings: string[];
  let summary: string;
  if (method === 'reweight') {
    refuseFlags(flags, ['chains'], 'with --method reweight (chains belong to hmc)');
    if (nets * inputs.length > 5e8) bad('nets', 'at most 5e8 / (number of inputs): every network\'s outputs are kept for the weights', String(nets));
    const r = await ft.phi4Reweight({ mass, cutoff, box, width, couplings: [coupling], inputs, nets, seed });
    const e = r.estimates[0];
    ({ G2, stdErr, warnings } = e);
    out = { method, mass, cutoff, box, width, coupling, nets, seed, inputs, G2, stderr: stdErr, effective_samples: e.effectiveSamples, weight_khat: e.weightTail.khat, weight_khat_threshold: e.weightTail.threshold, mean_action: e.meanAction, action_nodes: r.actionNodes, warnings };
    summary = `${nets} free Scalar-nets reweighted: ${e.effectiveSamples.toFixed(0)} effective samples, weight k-hat ${formatKhat(e.weightTail.khat)}`;
  } else {
    const chains = intFlag(flags, 'chains', 32, 1, 4096);
    if (nets < 20 * chains) bad('nets', `at least 20 x --chains (${20 * chains}): each chain keeps nets / chains trajectories`, String(nets));
    const r = await ft.phi4Hmc({ mass, cutoff, box, width, coupling, inputs, chains, trajectories: Math.floor(nets / chains), seed });
    ({ G2, stdErr, warnings } = r);
    out = { method, mass, cutoff, box, width, coupling, nets: chains * r.trajectories, chains, trajectories: r.trajectories, warmup: r.warmup, seed, inputs, G2, stderr: stdErr, tau_int: r.tauInt, r_hat: r.rHat, acceptance: r.acceptance, step_size: r.stepSize, leapfrog_steps: r.leapfrogSteps, mean_action: r.meanAction.mean, mean_action_stderr: r.meanAction.stdErr, seconds: r.seconds, warnings };
    summary = `HMC: ${chains} chains x ${r.trajectories} trajectories (after ${r.warmup} warm-up), acceptance ${r.acceptance.toFixed(2)}, max tau_int ${Math.max(...r.tauInt.flat()).toFixed(2)} trajectories`;
  }
  for (const w of warnings) process.stderr.write(`nnft: warning: ${w}\n`);
  if (json) {
    process.stdout.write(JSON.stringify(out) + '\n');
  } else {
    const lines = [`G2(x_i, x_j) +- stderr of phi^4 at lambda = ${coupling} (m = ${mass}, cutoff ${cutoff}, box [-${box}, ${box}], width ${width}); ${summary}`];
    inputs.forEach((x, i) => lines.push(`${String(x).padEnd(10)} ${G2[i].map((v, j) => `${v.toPrecision(6)} +- ${stdErr[i][j].toPrecision(2)}`.padStart(22)).join(' ')}`));
    process.stdout.write(lines.join('\n') + '\n');
  }
  return verdict(warnings, on.has('strict'));
}

/** --braid: integers separated by spaces or commas (i: sigma_i, -i: its inverse; "" is the empty braid). */
function braidFlag(flags: Map<string, string>): number[] {
  const raw = flags.get('braid');
  if (raw === undefined) bad('braid', 'given (letters such as "1 1 1": i for sigma_i, -i for its inverse)', raw);
  const parts = raw.split(/[\s,]+/).filter((p) => p !== '');
  if (parts.length > 10_000) bad('braid', 'at most 10000 letters', `${raw.slice(0, 40)}... (${parts.length} letters)`);
  const word = parts.map(Number);
  if (!parts.every((p, k) => /^[+-]?\d+$/.test(p) && Number.isSafeInteger(word[k]) && word[k] !== 0)) bad('braid', 'non-zero integers separated by spaces (i for sigma_i, -i for its inverse)', raw);
  return word;
}

function knotCommand(args: string[]): number {
  const [sub, ...rest] = args;
  if (sub === 'invariants') {
    const { positional, flags, on } = parseFlags(rest, ['braid', 'strands'], ['json']);
    noPositionals('knot invariants', positional);
    const word = braidFlag(flags);
    const needed = word.reduce((m, g) => Math.max(m, Math.abs(g) + 1), 1);
    const strands = intFlag(flags, 'strands', needed, 1, 16);
    if (strands < needed) bad('strands', `at least ${needed} (the braid uses sigma_${needed - 1}; generators must be below the strand count)`, flags.get('strands'));
    if (needed > 16) bad('braid', 'generators below 16 (at most 16 strands)', flags.get('braid'));
    const k = knots();
    const b = k.braid(word, strands);
    const jones = k.jonesPolynomial(b);
    const alexander = k.alexanderPolynomial(b);
    const out = { braid: word, strands, components: k.components(b), writhe: k.writhe(b), jones: jones.toRecord(4), alexander: alexander.toRecord(2) };
    if (on.has('json')) {
      process.stdout.write(JSON.stringify(out) + '\n');
      return 0;
    }
    const poly = (p: import('./knots').Laurent, den: number, v: string) => (p.isZero ? '0' : Object.entries(p.toRecord(den)).sort((a, b2) => Number(a[0]) - Number(b2[0])).map(([e, c]) => `${c} ${v}^${e}`).join(' + '));
    process.stdout.write([`braid [${word.join(' ')}] on ${strands} strands: ${out.components} component(s), writhe ${out.writhe}`, `Jones     V(t) = ${poly(jones, 4, 't')}`, `Alexander D(t) = ${poly(alexander, 2, 't')}`].join('\n') + '\n');
    return 0;
  }
  if (sub === 'random') {
    const { positional, flags, on } = parseFlags(rest, ['strands', 'length', 'seed', 'count'], ['json', 'unknot', 'knot']);
    noPositionals('knot random', positional);
    if (on.has('unknot') === on.has('knot')) throw new UsageError('nnft: knot random needs exactly one of --unknot and --knot');
    const strands = intFlag(flags, 'strands', undefined, 2, 16);
    const length = intFlag(flags, 'length', undefined, 1, 10_000);
    if (length < strands - 1 || (length - strands + 1) % 2 !== 0) bad('length', `at least --strands - 1 = ${strands - 1} and of the same parity (a knot on n strands has n - 1 letters mod 2)`, flags.get('length'));
    const seed = intFlag(flags, 'seed', 0, 0);
    const count = intFlag(flags, 'count', 1, 1, 100_000);
    const k = knots();
    const braids = Array.from({ length: count }, (_, i) => {
      const rng = Rng.stream(seed, i);
      const b = on.has('unknot') ? k.randomUnknot(rng, strands, length) : k.randomKnot(rng, strands, length);
      return { strands: b.strands, word: b.word.slice() };
    });
    if (on.has('json')) process.stdout.write(JSON.stringify({ braids }) + '\n');
    else process.stdout.write(braids.map((b) => b.word.join(' ')).join('\n') + '\n');
    return 0;
  }
  throw new UsageError(`nnft: knot needs a subcommand, invariants or random, got ${JSON.stringify(sub ?? null)}`);
}

/** A flat row-major tensor of rank k over P = 2 inputs as nested arrays. */
function expandSymmetricFull(t: Float64Array, rank: number): unknown {
  const P = Math.round(t.length ** (1 / rank));
  const build = (offset: number, depth: number): unknown => (depth === rank ? t[offset] : Array.from({ length: P }, (_, a) => build(offset * P + a, depth + 1)));
  return build(0, 0);
}

function merge(args: string[]): number {
  const { positional, flags, on } = parseFlags(args, ['save'], ['json', 'strict']);
  if (positional.length === 0) throw new UsageError('nnft: merge needs at least one saved run (FILE...)');
  const save = saveFlag(flags);
  const runs = positional.map((file) => {
    if (!fs.existsSync(file)) throw new UsageError(`nnft: merge: no such file ${file}`);
    if (!fs.statSync(file).isFile()) throw new UsageError(`nnft: merge: ${file} is not a file`);
    let value: unknown;
    try {
      value = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (err) {
      throw new UsageError(`nnft: merge: ${file} is not JSON (${(err as Error).message})`);
    }
    try {
      return checkRun(value, `nnft: merge: ${file}`);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
  });
  let merged: CorrelatorRun;
  try {
    merged = mergeRuns(runs);
  } catch (err) {
    throw new UsageError(`nnft: merge: ${(err as Error).message}`);
  }
  if (save) writeFileAtomic(save, JSON.stringify(merged) + '\n');
  const c = correlatorsOf(merged);
  const warnings = print({ inputs: c.inputs, width: c.width, method: 'mc', nets: c.nets, estimates: estimatesOf(c), extra: { ranges: merged.ranges } }, on.has('json'));
  return verdict(warnings, on.has('strict'));
}

function kan(args: string[]): number {
  const [sub, ...rest] = args;
  if (sub !== 'fit') throw new UsageError(`nnft: kan has one subcommand, fit; got ${JSON.stringify(sub ?? null)}`);
  const { positional, flags, on } = parseFlags(rest, ['formula', 'width', 'grid', 'refine', 'steps', 'train', 'test', 'seed', 'lambda', 'range'], ['symbolic', 'json']);
  noPositionals('kan fit', positional);
  const text = flags.get('formula');
  if (text === undefined) bad('formula', 'given (a formula in x1, x2, ..., e.g. "exp(sin(pi*x1) + x2^2)")', text);
  const { compileFormula, parseFormula, variableCount } = formulas();
  let expr: ReturnType<typeof parseFormula>;
  try {
    expr = parseFormula(text);
  } catch (err) {
    throw new UsageError(`nnft: --formula ${JSON.stringify(text)} is not a formula: ${(err as Error).message}`);
  }
  const nVars = Math.max(1, variableCount(expr));
  const rawWidth = flags.get('width') ?? `${nVars},5,1`;
  const width = rawWidth.split(',').map((w) => Number(w.trim()));
  if (width.length < 2 || !width.every((w, l) => Number.isSafeInteger(w) && w >= 1 && w <= 64 && /^\s*\d+\s*$/.test(rawWidth.split(',')[l]))) bad('width', 'comma-separated integers in 1..64, e.g. 2,5,1', rawWidth);
  if (width[width.length - 1] !== 1) bad('width', 'widths ending in 1 (one output)', rawWidth);
  if (width[0] < nVars) bad('width', `widths starting with at least ${nVars} inputs (the formula uses x${nVars})`, rawWidth);
  const grid = intFlag(flags, 'grid', 3, 1, 1000);
  const refine = flags.has('refine') ? intFlag(flags, 'refine', undefined, 1, 1000) : undefined;
  const steps = intFlag(flags, 'steps', 50, 0, 1_000_000);
  const train = intFlag(flags, 'train', 1000, 2, 10_000_000);
  const test = intFlag(flags, 'test', 1000, 1, 10_000_000);
  const seed = intFlag(flags, 'seed', 0, 0, 2 ** 32 - 1);
  const lambda = numberFlag(flags, 'lambda', 1e-3, { max: 1e6 });
  const rawRange = flags.get('range') ?? '-1,1';
  const range = rawRange.split(',').map((v) => (v.trim() === '' ? NaN : Number(v)));
  if (range.length !== 2 || !range.every(Number.isFinite) || !(range[1] > range[0])) bad('range', 'two finite numbers lo,hi with lo < hi', rawRange);
  const f = compileFormula(expr);
  // the target must be finite on the box before any training: probe a grid of points
  const probe = Array.from({ length: 2001 }, (_, s) => Array.from({ length: width[0] }, (_, d) => range[0] + ((range[1] - range[0]) * ((s * (d + 1) * 0.618034) % 1)) ));
  const badPoint = probe.find((p) => !Number.isFinite(f(p)));
  if (badPoint) bad('formula', `finite on the box [${range[0]}, ${range[1]}]^${width[0]} (at (${badPoint.map((v) => v.toPrecision(4)).join(', ')}) it is ${f(badPoint)})`, text);
  const result = kanRecipes().kanRecipe({ target: f, width, grid, refine, steps, train, test, seed, lambda, range: [range[0], range[1]], symbolic: on.has('symbolic') });
  const r2 = result.snapped ? Object.fromEntries(result.snapped.map((e) => [`${e.l},${e.i},${e.j}`, e.r2])) : undefined;
  const out = {
    target: text, width: result.width, grid: result.grid, rmse: result.rmse, stages: result.stages,
    history: result.history.map((h) => ({ stage: h.stage, step: h.step, train: h.trainRmse, test: h.testRmse })),
    stepsPerSecond: result.stepsPerSecond,
    ...(result.formula !== undefined ? { formula: result.formula, rawFormula: result.rawFormula, r2, snapped: result.snapped?.map(({ l, i, j, name, a, b, c, d, r2: q }) => ({ l, i, j, name, a, b, c, d, r2: q })), formulaError: result.formulaError } : {}),
  };
  if (on.has('json')) {
    process.stdout.write(JSON.stringify(out) + '\n');
    return 0;
  }
  const lines = [`KAN ${result.width.join(',')} (pruned from ${width.join(',')}), grid ${result.grid}, seed ${seed}: ${result.stepsPerSecond.toFixed(1)} L-BFGS steps/s`];
  for (const s of result.stages) lines.push(`  ${s.stage.padEnd(12)} width ${s.width.join(',').padEnd(10)} grid ${String(s.grid).padEnd(4)} RMSE train ${s.rmse.train.toExponential(3)}  test ${s.rmse.test.toExponential(3)}  (${s.seconds.toFixed(2)} s)`);
  if (result.formula !== undefined) {
    lines.push(`  formula: ${result.formula}`);
    lines.push(`  max |formula - target| on ${result.formulaError!.points} fresh points: ${result.formulaError!.maxAbs.toExponential(2)}`);
    for (const e of result.snapped!) lines.push(`    edge layer ${e.l}, ${e.i} -> ${e.j}: ${e.name.padEnd(7)} r^2 = ${e.r2.toFixed(6)}`);
  }
  process.stdout.write(lines.join('\n') + '\n');
  return 0;
}

async function lectures(args: string[]): Promise<number> {
  const { positional, flags } = parseFlags(args, ['out', 'scale', 'kernel', 'timeout']);
  const { DEFAULT_CELL_TIMEOUT_S, DEFAULT_KERNEL, defaultNotebooks, readNotebook, runLectures } = lab();
  const scale = flags.get('scale') ?? (process.env.NNFT_SCALE || 'full');
  if (scale !== 'ci' && scale !== 'full') bad('scale', 'ci or full', scale);
  const timeout = numberFlag(flags, 'timeout', DEFAULT_CELL_TIMEOUT_S, { positive: true, max: 7 * 86400 });
  const notebooks = positional.length ? positional : defaultNotebooks();
  for (const nb of notebooks) {
    try {
      readNotebook(nb);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
  }
  try {
    return await runLectures({
      notebooks,
      outDir: flags.get('out') ?? 'out',
      scale,
      kernel: flags.get('kernel') ?? DEFAULT_KERNEL,
      cellTimeoutS: timeout,
      log: (line) => console.log(line),
    });
  } catch (err) {
    // runLectures checks its options (--out, --kernel) before starting any kernel.
    if ((err as Error).message.startsWith('nnft: --')) throw new UsageError((err as Error).message);
    throw err;
  }
}

export async function main(argv: string[]): Promise<number> {
  if (!timingsEnabled()) return command(argv);
  // NNFT_TIMINGS=1: where the time went, as one JSON line on stderr (npm run bench reads it).
  const bootstrap = performance.nodeTiming.bootstrapComplete / 1000;
  addTiming('start-up: node', bootstrap);
  addTiming('start-up: loading nnft', performance.now() / 1000 - bootstrap);
  try {
    return await command(argv);
  } finally {
    process.stderr.write(JSON.stringify({ 'nnft-timings': { ...timings(), total: performance.now() / 1000 } }) + '\n');
  }
}

async function command(argv: string[]): Promise<number> {
  quietEpipe();
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'lectures':
        return await lectures(rest);
      case 'correlators':
        return await correlators(rest);
      case 'merge':
        return merge(rest);
      case 'feynman':
        return feynman(rest);
      case 'kernel':
        process.stderr.write("nnft: 'nnft kernel' is an old name; use 'nnft infinite-width'\n");
        return infiniteWidth(rest);
      case 'infinite-width':
        return infiniteWidth(rest);
      case 'kan':
        return kan(rest);
      case 'criticality':
        return criticalityCommand(rest);
      case 'vertex':
        return vertexCommand(rest);
      case 'reflection':
        return reflectionCommand(rest);
      case 'phi4':
        return await phi4Command(rest);
      case 'oscillator':
        return oscillatorCommand(rest);
      case 'knot':
        return knotCommand(rest);
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        console.log(usage());
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`nnft: unknown command ${JSON.stringify(command)}`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`${err.message}\n\n${usage()}`);
      return 2;
    }
    console.error((err as Error).message);
    return 1;
  }
}
