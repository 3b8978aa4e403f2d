/**
 * Streaming n-point moments of network outputs, and their connected parts with error bars.
 *
 * For every sorted index tuple up to the highest order requested, the accumulator keeps float64
 * sums of f(x_i1) ... f(x_in) over networks, split into B blocks by network index (network m goes
 * to block m mod B). Sums use Neumaier's compensated summation, so the order in which networks
 * arrive (batches, shards, processes) changes the result only at the level of float64 rounding.
 * Accumulators merge by adding blocks and serialise to JSON, so an ensemble can be split over
 * processes or machines (`nnft correlators --shard k/K --save`, then `nnft merge`).
 *
 * Error bars: delete-one-block jackknife over the B blocks, for raw moments (where it equals the
 * batch-means error) and for connected parts (non-linear in the moments), with the jackknife bias
 * correction applied to the connected parts.
 *
 * Tails: beside the sums the accumulator keeps the largest |f(x_p)| per point (`TailRecord`), so
 * every estimate of order n carries the Pareto k-hat of its terms |f(x_p)|^n (see tails.ts): an
 * error bar that cannot be trusted says so.
 */
import { combineJackknife } from './stats';
import { DEFAULT_TAIL_CAPACITY, TailDiagnostic, TailRecord, TailRecordJSON } from './tails';
import { denseTupleIndex, evenPartitions, partitionWeight, setPartitions, sortedTuples, tupleIndex } from './tuples';

export const DEFAULT_BLOCKS = 32;

// Hoisted: inside test runners' sandboxes a global lookup in the hot loop costs ~20x.
const abs = Math.abs;

/**
 * Products of `f` over every sorted index tuple of every order 1..maxOrder: `out[n][k]` is the
 * product over the k-th sorted tuple of order n (lexicographic order, as `sortedTuples`). One
 * depth-first walk; each product extends its prefix's by one factor.
 */
export function tupleProducts(f: ArrayLike<number>, maxOrder: number, out: Float64Array[]): void {
  const P = f.length;
  const cursor = new Array<number>(maxOrder + 1).fill(0);
  const walk = (depth: number, min: number, product: number) => {
    const row = out[depth];
    for (let i = min; i < P; i++) {
      const value = product * f[i];
      row[cursor[depth]++] = value;
      if (depth < maxOrder) walk(depth + 1, i, value);
    }
  };
  walk(1, 0, 1);
}

export interface MomentAccumulatorJSON {
  readonly format: 'nnft-moments';
  readonly version: 1;
  readonly points: number;
  readonly orders: readonly number[];
  readonly blocks: number;
  readonly blockCounts: readonly number[];
  /** sums[order] = blocks x tuples sums, flattened block-major; comp holds the Neumaier compensation. */
  readonly sums: Readonly<Record<string, readonly number[]>>;
  readonly comp: Readonly<Record<string, readonly number[]>>;
  /** The largest |f(x_p)| per point (absent in records saved before tail diagnostics existed). */
  readonly tails?: TailRecordJSON;
}

/** Per-order estimates, one entry per sorted tuple (see `sortedTuples`). */
export interface TupleEstimates {
  readonly order: number;
  readonly tuples: readonly (readonly number[])[];
  readonly value: Float64Array;
  readonly stdErr: Float64Array;
  /**
   * Tail diagnostic of the terms behind the estimate (Pareto k-hat of |f(x_p)|^order at the worst
   * point); absent when the accumulator has no tail record.
   */
  readonly tail?: TailDiagnostic;
}

function neumaierAdd(sum: Float64Array, comp: Float64Array, k: number, x: number): void {
  const s = sum[k];
  const t = s + x;
  comp[k] += Math.abs(s) >= Math.abs(x) ? s - t + x : x - t + s;
  sum[k] = t;
}

/**
 * The sorted index tuples of orders 1..max(orders) at P points as a depth-first tree, flattened in
 * walk order: node j stands for a tuple whose product is its parent's product times f[point[j]]
 * (roots: parent -1), so each product costs one multiplication. `rank[j]` is the tuple's index among
 * the sorted tuples of its order (`sortedTuples` order), `slot[j]` the same when that order is
 * accumulated and -1 otherwise; `sizes[n]` is the number of sorted tuples of order n.
 */
export interface MomentTree {
  readonly parent: Int32Array;
  readonly point: Int32Array;
  readonly order: Int32Array;
  readonly rank: Int32Array;
  readonly slot: Int32Array;
  readonly sizes: readonly number[];
}

export function momentTree(points: number, orders: readonly number[]): MomentTree {
  const maxOrder = Math.max(...orders);
  const parent: number[] = [];
  const point: number[] = [];
  const order: number[] = [];
  const rank: number[] = [];
  const slot: number[] = [];
  const cursor = new Array<number>(maxOrder + 1).fill(0);
  const walk = (depth: number, min: number, parentNode: number) => {
    for (let i = min; i < points; i++) {
      const node = parent.length;
      parent.push(parentNode);
      point.push(i);
      order.push(depth);
      rank.push(cursor[depth]);
      slot.push(orders.includes(depth) ? cursor[depth] : -1);
      cursor[depth]++;
      if (depth < maxOrder) walk(depth + 1, i, node);
    }
  };
  walk(1, 0, -1);
  return { parent: Int32Array.from(parent), point: Int32Array.from(point), order: Int32Array.from(order), rank: Int32Array.from(rank), slot: Int32Array.from(slot), sizes: cursor };
}

export class MomentAccumulator {
  readonly points: number;
  readonly orders: readonly number[];
  readonly blocks: number;
  private readonly maxOrder: number;
  private readonly counts: Float64Array;
  private readonly sums = new Map<number, Float64Array>();
  private readonly comps = new Map<number, Float64Array>();
  private readonly tupleCounts = new Map<number, number>();
  /** Largest |f(x_p)| per point; null when restored from a record without one. */
  private tails: TailRecord | null;
  /**
   * The sorted tuples of orders 1..maxOrder as a depth-first tree, flattened: node j's product is
   * its parent's times f[nodePoint[j]]; nodeSlot[j] is where it is summed (-1 when its order is
   * not accumulated), as an offset within one block of the order's sums.
   */
  private readonly nodeParent: Int32Array;
  private readonly nodePoint: Int32Array;
  private readonly nodeOrder: Int32Array;
  private readonly nodeSlot: Int32Array;

  constructor(points: number, orders: readonly number[], blocks = DEFAULT_BLOCKS, tailCapacity = DEFAULT_TAIL_CAPACITY) {
    if (!Number.isInteger(points) || points < 1) throw new RangeError(`MomentAccumulator: points must be a positive integer, got ${points}`);
    if (!orders.length || orders.some((n) => !Number.isInteger(n) || n < 1 || n > 8)) {
      throw new RangeError(`MomentAccumulator: orders must be integers in 1..8, got [${orders.join(', ')}]`);
    }
    if (!Number.isInteger(blocks) || blocks < 2) throw new RangeError(`MomentAccumulator: blocks must be an integer >= 2, got ${blocks}`);
    this.points = points;
    this.orders = [...new Set(orders)].sort((a, b) => a - b);
    this.blocks = blocks;
    this.maxOrder = this.orders[this.orders.length - 1];
    this.counts = new Float64Array(blocks);
    this.tails = new TailRecord(points, tailCapacity);
    const tree = momentTree(points, this.orders);
    for (let n = 1; n <= this.maxOrder; n++) this.tupleCounts.set(n, tree.sizes[n]);
    this.nodeParent = tree.parent;
    this.nodePoint = tree.point;
    this.nodeOrder = tree.order;
    this.nodeSlot = tree.slot;
    for (const n of this.orders) {
      this.sums.set(n, new Float64Array(blocks * this.tupleCounts.get(n)!));
      this.comps.set(n, new Float64Array(blocks * this.tupleCounts.get(n)!));
    }
  }

  /**
   * An accumulator holding sums accumulated elsewhere by the same rule as `add` (the WebAssembly
   * engine of src/ensembles/wasm-engine.ts): per-block counts, per-order block-major sums and
   * compensations laid out as `momentTree` says, and the tail record of the same networks.
   */
  static fromSums(points: number, orders: readonly number[], blocks: number, parts: { counts: ArrayLike<number>; sums: ReadonlyMap<number, ArrayLike<number>>; comps: ReadonlyMap<number, ArrayLike<number>>; tails: TailRecord }): MomentAccumulator {
    const acc = new MomentAccumulator(points, orders, blocks, parts.tails.capacity);
    return acc.load('MomentAccumulator.fromSums', parts.counts, (n) => parts.sums.get(n), (n) => parts.comps.get(n), parts.tails);
  }

  /** Fill a new accumulator with counts, per-order sums and compensations, and a tail record, checking their sizes. */
  private load(source: string, counts: ArrayLike<number>, sumsOf: (n: number) => ArrayLike<number> | undefined, compsOf: (n: number) => ArrayLike<number> | undefined, tails: TailRecord | null): this {
    this.counts.set(counts);
    for (const n of this.orders) {
      const sums = sumsOf(n);
      const comps = compsOf(n);
      if (!sums || !comps || sums.length !== this.sums.get(n)!.length || comps.length !== sums.length) throw new RangeError(`${source}: order ${n} has the wrong number of sums`);
      this.sums.get(n)!.set(sums);
      this.comps.get(n)!.set(comps);
    }
    if (tails && tails.count !== this.count) throw new RangeError(`${source}: the tail record counts ${tails.count} samples, the sums ${this.count}`);
    this.tails = tails;
    return this;
  }

  /** Total number of networks accumulated. */
  get count(): number {
    return this.counts.reduce((a, b) => a + b, 0);
  }

  /** Add networks first .. first + count - 1 whose outputs are rows of `outputs` (count x P). */
  add(first: number, count: number, outputs: ArrayLike<number>): void {
    const P = this.points;
    if (outputs.length < count * P) throw new RangeError(`MomentAccumulator.add: need ${count * P} outputs, got ${outputs.length}`);
    const nodes = this.nodeParent.length;
    const product = new Float64Array(nodes);
    // Per-node views of the order's sums, so the inner loop is flat.
    const sumOf: Float64Array[] = [];
    const compOf: Float64Array[] = [];
    const sizeOf: number[] = [];
    for (let n = 1; n <= this.maxOrder; n++) {
      sumOf[n] = this.sums.get(n) ?? new Float64Array(0);
      compOf[n] = this.comps.get(n) ?? new Float64Array(0);
      sizeOf[n] = this.tupleCounts.get(n)!;
    }
    const { nodeParent, nodePoint, nodeOrder, nodeSlot } = this;
    this.tails?.add(count, outputs);
    for (let b = 0; b < count; b++) {
      const row = b * P;
      const block = (first + b) % this.blocks;
      this.counts[block] += 1;
      for (let j = 0; j < nodes; j++) {
        const parent = nodeParent[j];
        const x = (parent < 0 ? 1 : product[parent]) * outputs[row + nodePoint[j]];
        product[j] = x;
        const slot = nodeSlot[j];
        if (slot < 0) continue;
        const n = nodeOrder[j];
        const k = block * sizeOf[n] + slot;
        const sum = sumOf[n];
        const s0 = sum[k];
        const t = s0 + x;
        compOf[n][k] += abs(s0) >= abs(x) ? s0 - t + x : x - t + s0;
        sum[k] = t;
      }
    }
  }

  /** Fold another accumulator (same points, orders and blocks) into this one. */
  merge(other: MomentAccumulator): this {
    if (other.points !== this.points || other.blocks !== this.blocks || other.orders.join() !== this.orders.join()) {
      throw new RangeError(
        `MomentAccumulator.merge: incompatible accumulators (points ${this.points} vs ${other.points}, orders [${this.orders}] vs [${other.orders}], blocks ${this.blocks} vs ${other.blocks})`,
      );
    }
    for (let b = 0; b < this.blocks; b++) this.counts[b] += other.counts[b];
    this.tails = this.tails && other.tails ? this.tails.merge(other.tails) : null;
    for (const n of this.orders) {
      const sum = this.sums.get(n)!;
      const comp = this.comps.get(n)!;
      const os = other.sums.get(n)!;
      const oc = other.comps.get(n)!;
      for (let k = 0; k < sum.length; k++) {
        neumaierAdd(sum, comp, k, os[k]);
        comp[k] += oc[k];
      }
    }
    return this;
  }

  toJSON(): MomentAccumulatorJSON {
    const sums: Record<string, number[]> = {};
    const comp: Record<string, number[]> = {};
    for (const n of this.orders) {
      sums[n] = Array.from(this.sums.get(n)!);
      comp[n] = Array.from(this.comps.get(n)!);
    }
    return {
      format: 'nnft-moments',
      version: 1,
      points: this.points,
      orders: this.orders,
      blocks: this.blocks,
      blockCounts: Array.from(this.counts),
      sums,
      comp,
      ...(this.tails ? { tails: this.tails.toJSON() } : {}),
    };
  }

  static fromJSON(json: MomentAccumulatorJSON): MomentAccumulator {
    if (!json || json.format !== 'nnft-moments' || json.version !== 1) throw new Error('MomentAccumulator.fromJSON: not an nnft-moments v1 record');
    const acc = new MomentAccumulator(json.points, json.orders, json.blocks);
    const tails = json.tails === undefined ? null : TailRecord.fromJSON(json.tails, json.points);
    return acc.load('MomentAccumulator.fromJSON', json.blockCounts, (n) => json.sums[n], (n) => json.comp[n], tails);
  }

  /**
   * Means of every order over the whole ensemble (`leaveOut` = -1) or with one block left out:
   * the jackknife replicas.
   */
  private means(n: number, leaveOut: number): Float64Array {
    const size = this.tupleCounts.get(n)!;
    const sum = this.sums.get(n)!;
    const comp = this.comps.get(n)!;
    const out = new Float64Array(size);
    let count = 0;
    for (let b = 0; b < this.blocks; b++) {
      if (b === leaveOut) continue;
      count += this.counts[b];
      for (let k = 0; k < size; k++) out[k] += sum[b * size + k] + comp[b * size + k];
    }
    for (let k = 0; k < size; k++) out[k] /= count;
    return out;
  }

  /**
   * Jackknife estimate of any function of the accumulated means: `statistic(means)` receives a
   * lookup `means(n)` of the mean products of order n (per sorted tuple) and returns one number
   * per output entry. Delete-one-block standard errors; the value is jackknife bias-corrected
   * unless `biasCorrect` is false (linear statistics such as raw moments need no correction).
   */
  estimate(order: number, statistic: (means: (n: number) => Float64Array) => Float64Array, biasCorrect = true): TupleEstimates {
    const { value, stdErr } = this.jackknife(statistic, biasCorrect);
    const tail = this.tailDiagnostic(order);
    return { order, tuples: sortedTuples(this.points, order), value, stdErr, ...(tail ? { tail } : {}) };
  }

  /**
   * Pareto k-hat of the terms |f(x_p)|^order at the worst point p (tails.ts); undefined when this
   * accumulator was restored from a record saved without tails.
   */
  tailDiagnostic(order: number): TailDiagnostic | undefined {
    return this.tails?.diagnose(order);
  }

  /**
   * Jackknife value and standard error of any vector function of the accumulated means (a fit, a
   * ratio): as `estimate`, without tying the output to tuples.
   */
  jackknife(statistic: (means: (n: number) => Float64Array) => ArrayLike<number>, biasCorrect = true): { value: Float64Array; stdErr: Float64Array } {
    const usable = Array.from(this.counts.keys()).filter((b) => this.counts[b] > 0);
    if (usable.length < 2) throw new Error(`MomentAccumulator: need networks in at least 2 blocks for error bars, have ${this.count} network(s)`);
    const view = (leaveOut: number) => {
      const cache = new Map<number, Float64Array>();
      return (n: number) => {
        if (!cache.has(n)) cache.set(n, this.means(n, leaveOut));
        return cache.get(n)!;
      };
    };
    return combineJackknife(statistic(view(-1)), usable.map((b) => statistic(view(b))), biasCorrect);
  }

  /** Raw moments G_n = <f(x_i1) ... f(x_in)> (TASI eq. (27)) with batch-means (jackknife) standard errors. */
  moments(order: number): TupleEstimates {
    this.requireOrder(order, [order]);
    return this.estimate(order, (means) => means(order), false);
  }

  /**
   * Connected n-point function (cumulant) of an ensemble with f -> -f symmetry (TASI eq. (59)), from
   * the even moments up to n (all of 2..n must have been accumulated): TASI eq. (49) at n = 4. G2c = G2.
   */
  connected(order: number): TupleEstimates {
    const needed = Array.from({ length: order / 2 }, (_, i) => 2 * (i + 1));
    if (order % 2 !== 0) throw new RangeError(`MomentAccumulator.connected: order must be even, got ${order}`);
    this.requireOrder(order, needed);
    return this.evaluatePlan(order, connectedPlan(this.points, order, true));
  }

  /**
   * General joint cumulant of the given order (appendix A, eq. (140)), assuming no symmetry: all set
   * partitions, so all moments of orders 1..n must have been accumulated.
   */
  cumulant(order: number): TupleEstimates {
    this.requireOrder(order, Array.from({ length: order }, (_, i) => i + 1));
    return this.evaluatePlan(order, connectedPlan(this.points, order, false));
  }

  private evaluatePlan(order: number, plan: CompiledPlan): TupleEstimates {
    const { termStart, weight, factorStart, factorOrder, factorIndex } = plan;
    const outputs = termStart.length - 1;
    return this.estimate(order, (means) => {
      const byOrder: Float64Array[] = [];
      for (let n = 1; n <= order; n++) if (this.orders.includes(n)) byOrder[n] = means(n);
      const out = new Float64Array(outputs);
      for (let k = 0; k < outputs; k++) {
        let total = 0;
        for (let term = termStart[k]; term < termStart[k + 1]; term++) {
          let t = weight[term];
          for (let f = factorStart[term]; f < factorStart[term + 1]; f++) t *= byOrder[factorOrder[f]][factorIndex[f]];
          total += t;
        }
        out[k] = total;
      }
      return out;
    });
  }

  private requireOrder(order: number, needed: number[]): void {
    const missing = needed.filter((n) => !this.orders.includes(n));
    if (missing.length) throw new RangeError(`MomentAccumulator: order ${order} needs moments of order ${missing.join(', ')}, accumulated: ${this.orders.join(', ')}`);
  }
}

/**
 * The moment-to-cumulant formula for every sorted tuple of one order, flattened: output k sums the
 * terms termStart[k] .. termStart[k+1] - 1 (one per partition, in partition order); term t is
 * weight[t] times the means of its blocks, factors factorStart[t] .. factorStart[t+1] - 1, each
 * the mean of order factorOrder[f] at sorted tuple factorIndex[f].
 */
interface CompiledPlan {
  readonly termStart: Int32Array;
  readonly weight: Float64Array;
  readonly factorStart: Int32Array;
  readonly factorOrder: Int32Array;
  readonly factorIndex: Int32Array;
}

const plans = new Map<string, CompiledPlan>();

/** For each sorted tuple of the given order: the partition terms as (order, tuple index) lookups. */
function connectedPlan(P: number, order: number, even: boolean): CompiledPlan {
  const key = `${P}:${order}:${even}`;
  const cached = plans.get(key);
  if (cached) return cached;
  const partitions = even ? evenPartitions(order) : setPartitions(order);
  const tuples = sortedTuples(P, order);
  const termStart = [0];
  const weight: number[] = [];
  const factorStart = [0];
  const factorOrder: number[] = [];
  const factorIndex: number[] = [];
  // Sub-tuples are ranked through the dense-to-sorted tables where those are small, else tupleIndex.
  const dense = new Map<number, Int32Array>();
  const rank = (tuple: readonly number[], block: readonly number[]): number => {
    const m = block.length;
    if (P ** m > 1 << 16) return tupleIndex(block.map((pos) => tuple[pos]), P);
    let map = dense.get(m);
    if (!map) dense.set(m, (map = denseTupleIndex(P, m)));
    let d = 0;
    for (const pos of block) d = d * P + tuple[pos];
    return map[d];
  };
  for (const tuple of tuples) {
    for (const blocks of partitions) {
      weight.push(partitionWeight(blocks.length));
      for (const block of blocks) {
        factorOrder.push(block.length);
        factorIndex.push(rank(tuple, block));
      }
      factorStart.push(factorOrder.length);
    }
    termStart.push(weight.length);
  }
  const plan: CompiledPlan = {
    termStart: Int32Array.from(termStart),
    weight: Float64Array.from(weight),
    factorStart: Int32Array.from(factorStart),
    factorOrder: Int32Array.from(factorOrder),
    factorIndex: Int32Array.from(factorIndex),
  };
  plans.set(key, plan);
  return plan;
}
