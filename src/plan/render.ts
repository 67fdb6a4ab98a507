/**
 * Text renderings of a memory plan for `f8c inspect`: a table of buffers and
 * an ASCII picture with one row per step (layer) and one column per slice of
 * arena bytes; each live buffer is drawn with its letter, free bytes as '.'.
 */
import type { Graph } from '../ir/types.js';
import { tensorSteps, type Buffer } from './lifetimes.js';
import type { MemoryPlan } from './types.js';

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export interface PlacedBuffer extends Buffer {
  offset: number;
  /** Drawing letter (cycles after 62 buffers). */
  letter: string;
}

/** The buffers of a plan with their lifetimes, ordered by first step then offset. */
export function placedBuffers(g: Graph, plan: MemoryPlan): PlacedBuffer[] {
  const out: Omit<PlacedBuffer, 'letter'>[] = [];
  for (const [name, s] of tensorSteps(g)) {
    const r = plan.tensors.get(name);
    if (r) out.push({ name, kind: 'tensor', size: r.size, offset: r.offset, ...s });
  }
  g.layers.forEach((layer, step) => {
    const r = plan.scratch.get(layer.name);
    if (r) out.push({ name: layer.name, kind: 'scratch', size: r.size, offset: r.offset, first: step, last: step });
  });
  out.sort((a, b) => a.first - b.first || a.offset - b.offset);
  return out.map((b, i) => ({ ...b, letter: LETTERS[i % LETTERS.length]! }));
}

function pad(rows: string[][], right: boolean[]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((s, c) => (right[c] ? s.padStart(widths[c]!) : s.padEnd(widths[c]!))).join('  ').trimEnd()).join('\n');
}

/** One row per buffer: letter, name, kind, offset, size, end, steps. */
export function renderPlanTable(g: Graph, plan: MemoryPlan): string {
  const rows = [['', 'buffer', 'kind', 'offset', 'bytes', 'end', 'steps']];
  for (const b of placedBuffers(g, plan)) {
    rows.push([b.letter, b.name, b.kind, String(b.offset), String(b.size), String(b.offset + b.size), `${b.first}..${b.last}`]);
  }
  const table = pad(rows, [false, false, false, true, true, true, false]);
  const pct = plan.lowerBound > 0 ? ` (${((100 * plan.arenaSize) / plan.lowerBound).toFixed(1)}% of the lower bound)` : '';
  return `${table}\narena: ${plan.arenaSize} B, align ${plan.align}, lower bound ${plan.lowerBound} B${pct}`;
}

/** One row per step; `width` columns span the arena. */
export function renderPlanPicture(g: Graph, plan: MemoryPlan, width = 64): string {
  const buffers = placedBuffers(g, plan);
  const cols = Math.max(1, Math.min(width, plan.arenaSize));
  const per = plan.arenaSize / cols;
  const label = (i: number) => String(i).padStart(String(Math.max(g.layers.length - 1, 0)).length);
  const lines = [`${' '.repeat(label(0).length)}  |${'-'.repeat(cols)}|  ${cols} columns x ${per.toFixed(1)} B`];
  g.layers.forEach((layer, step) => {
    const row = new Array<string>(cols).fill('.');
    for (const b of buffers) {
      if (b.first > step || b.last < step) continue;
      const c0 = Math.floor(b.offset / per);
      const c1 = Math.min(cols - 1, Math.ceil((b.offset + b.size) / per) - 1);
      for (let c = c0; c <= c1; c++) row[c] = row[c] === '.' ? b.letter : row[c]!;
    }
    lines.push(`${label(step)}  |${row.join('')}|  ${layer.name}`);
  });
  return lines.join('\n');
}
