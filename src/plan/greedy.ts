/**
 * The greedy arena planner.
 *
 * Algorithm: buffers (activations and per-layer scratch, with lifetimes from
 * ./lifetimes.ts) are placed one at a time at fixed offsets of one arena.
 * For a buffer, the already placed buffers whose lifetimes intersect its own
 * are scanned in offset order, and it goes into the lowest gap that holds it
 * (first fit), or above them all. Offsets are multiples of `align`. This is
 * run for a few placement orders (largest first; longest-lived first;
 * largest size x lifetime first) and with best fit (the smallest gap that
 * holds it) as well as first fit; the smallest arena wins, ties to the first
 * tried, so the result is deterministic. On chains the result equals the
 * lower bound (the largest sum of bytes live at one step) up to alignment.
 *
 * Size-ordered greedy can lose a lot on chains (a buffer between two
 * neighbours placed at different heights goes on top of both), so a second
 * family of candidates places buffers in time order against a target arena
 * size T near the lower bound: each buffer goes to the lowest or the highest
 * free range below T, on the side away from the newest live buffer it
 * overlaps (chains then alternate bottom/top and meet the bound exactly).
 */
import type { Graph } from '../ir/types.js';
import { HOST_TARGET, type KernelVariant, type TargetInfo } from '../ops/opdef.js';
import { bufferLifetimes, liveLowerBound, overlapsInTime, type Buffer } from './lifetimes.js';
import { alignUp } from './trivial.js';
import type { MemoryPlan, Region } from './types.js';

export interface Placement {
  /** Offset of buffers[i]. */
  offsets: number[];
  arenaSize: number;
}

type Fit = 'first' | 'best';

type Order = (a: Buffer, b: Buffer) => number;

const span = (b: Buffer) => b.last - b.first + 1;

const ORDERS: Order[] = [
  (a, b) => b.size - a.size || span(b) - span(a) || a.first - b.first,
  (a, b) => span(b) - span(a) || b.size - a.size || a.first - b.first,
  (a, b) => b.size * span(b) - a.size * span(a) || b.size - a.size || a.first - b.first,
];

function placeInOrder(buffers: readonly Buffer[], order: readonly number[], align: number, fit: Fit): Placement {
  const offsets = new Array<number>(buffers.length).fill(-1);
  const placed: number[] = [];
  let arenaSize = 0;
  for (const i of order) {
    const b = buffers[i]!;
    const busy = busyRanges(buffers, offsets, placed, b);
    let at = 0;
    let best = -1;
    let bestGap = Infinity;
    for (const r of busy) {
      if (r.lo >= at + b.size) {
        const gap = r.lo - at;
        if (fit === 'first') {
          best = at;
          break;
        }
        if (gap < bestGap) [best, bestGap] = [at, gap];
      }
      at = Math.max(at, alignUp(r.hi, align));
    }
    offsets[i] = best >= 0 ? best : at;
    placed.push(i);
    arenaSize = Math.max(arenaSize, offsets[i]! + b.size);
  }
  return { offsets, arenaSize: alignUp(arenaSize, align) };
}

interface Busy {
  lo: number;
  hi: number;
}

function busyRanges(buffers: readonly Buffer[], offsets: readonly number[], placed: readonly number[], b: Buffer): Busy[] {
  return placed
    .filter((j) => overlapsInTime(b, buffers[j]!))
    .map((j) => ({ lo: offsets[j]!, hi: offsets[j]! + buffers[j]!.size }))
    .sort((x, y) => x.lo - y.lo || x.hi - y.hi);
}

/** Highest aligned offset o with [o, o+size) free and o+size <= top, or -1. */
function highestFit(busy: readonly Busy[], size: number, align: number, top: number): number {
  let end = top;
  for (let k = busy.length - 1; k >= -1; k--) {
    const r = busy[k];
    const start = r ? alignUp(r.hi, align) : 0;
    if (start < end) {
      const o = Math.floor((end - size) / align) * align;
      if (o >= start) return o;
    }
    if (r) end = Math.min(end, r.lo);
  }
  return -1;
}

function placeTwoSided(buffers: readonly Buffer[], align: number, top: number): Placement {
  const order = buffers.map((_, i) => i).sort((a, b) => buffers[a]!.first - buffers[b]!.first || buffers[b]!.size - buffers[a]!.size || a - b);
  const offsets = new Array<number>(buffers.length).fill(-1);
  const placed: number[] = [];
  let arenaSize = 0;
  for (const i of order) {
    const b = buffers[i]!;
    const busy = busyRanges(buffers, offsets, placed, b);
    let low = 0;
    let lowFits = false;
    for (const r of busy) {
      if (r.lo >= low + b.size) {
        lowFits = true;
        break;
      }
      low = Math.max(low, alignUp(r.hi, align));
    }
    if (!lowFits) lowFits = low + b.size <= top;
    const high = highestFit(busy, b.size, align, top);
    // The newest overlapping buffer decides the side: go away from it.
    const newest = placed.filter((j) => overlapsInTime(b, buffers[j]!)).sort((x, y) => buffers[y]!.first - buffers[x]!.first || y - x)[0];
    const newestLow = newest === undefined || offsets[newest]! + buffers[newest]!.size / 2 < top / 2;
    if (newestLow && high >= 0) offsets[i] = high;
    else if (lowFits || high < 0) offsets[i] = low;
    else offsets[i] = high;
    placed.push(i);
    arenaSize = Math.max(arenaSize, offsets[i]! + b.size);
  }
  return { offsets, arenaSize: alignUp(arenaSize, align) };
}

/** Places abstract buffers in one arena; the smallest of several greedy variants. */
export function placeBuffers(buffers: readonly Buffer[], align = 4): Placement {
  if (!Number.isInteger(align) || align < 1 || (align & (align - 1)) !== 0) throw new Error(`internal: alignment ${align} is not a power of two`);
  let best: Placement | undefined;
  const idx = buffers.map((_, i) => i);
  for (const cmp of ORDERS) {
    const order = [...idx].sort((a, b) => cmp(buffers[a]!, buffers[b]!) || a - b);
    for (const fit of ['first', 'best'] as const) {
      const p = placeInOrder(buffers, order, align, fit);
      if (!best || p.arenaSize < best.arenaSize) best = p;
    }
  }
  const target = alignUp(liveLowerBound(buffers), align);
  for (let k = 0; k <= 3; k++) {
    const p = placeTwoSided(buffers, align, target + k * align);
    if (!best || p.arenaSize < best.arenaSize) best = p;
  }
  return best ?? { offsets: [], arenaSize: 0 };
}

/** The memory plan of an ordered, checked graph for a target and kernel variant. */
export function greedyPlan(g: Graph, target: TargetInfo = HOST_TARGET, variant: KernelVariant = 'portable', align = 4): MemoryPlan {
  const buffers = bufferLifetimes(g, target, variant);
  const { offsets, arenaSize } = placeBuffers(buffers, align);
  const tensors = new Map<string, Region>();
  const scratch = new Map<string, Region>();
  buffers.forEach((b, i) => (b.kind === 'tensor' ? tensors : scratch).set(b.name, { offset: offsets[i]!, size: b.size }));
  return { arenaSize, align, tensors, scratch, lowerBound: liveLowerBound(buffers) };
}
