import fc from 'fast-check';
import { GraphBuilder } from '../../src/ir/builder.js';
import { greedyPlan, placeBuffers } from '../../src/plan/greedy.js';
import { bufferLifetimes, liveLowerBound, overlapsInTime, type Buffer } from '../../src/plan/lifetimes.js';
import { renderPlanPicture, renderPlanTable } from '../../src/plan/render.js';
import { HOST_TARGET } from '../../src/ops/opdef.js';

const buf = (name: string, size: number, first: number, last: number): Buffer => ({ name, kind: 'tensor', size, first, last });

function checkNoOverlap(buffers: Buffer[], offsets: number[], arenaSize: number, align: number): void {
  buffers.forEach((a, i) => {
    expect(offsets[i]! % align).toBe(0);
    expect(offsets[i]! + a.size).toBeLessThanOrEqual(arenaSize);
    buffers.forEach((b, j) => {
      if (j <= i || !overlapsInTime(a, b)) return;
      const disjoint = offsets[i]! + a.size <= offsets[j]! || offsets[j]! + b.size <= offsets[i]!;
      if (!disjoint) throw new Error(`${a.name}@${offsets[i]} and ${b.name}@${offsets[j]} overlap`);
    });
  });
}

describe('placeBuffers', () => {
  test('a chain reuses memory: arena equals the lower bound', () => {
    // x0 -> x1 -> x2 -> x3, each live at its producer and consumer step.
    const bs = [buf('x0', 1000, 0, 0), buf('x1', 400, 0, 1), buf('x2', 800, 1, 2), buf('x3', 100, 2, 2)];
    const p = placeBuffers(bs, 4);
    checkNoOverlap(bs, p.offsets, p.arenaSize, 4);
    expect(liveLowerBound(bs)).toBe(1400);
    expect(p.arenaSize).toBe(1400);
  });

  test('MobileNet-like block with a residual keeps the shortcut alive', () => {
    // step: 0 expand(in) 1 dw 2 project 3 add(in, proj) 4 next conv
    const bs = [
      buf('in', 3136, 0, 3),
      buf('exp', 18816, 0, 1),
      buf('dw', 18816, 1, 2),
      buf('proj', 3136, 2, 3),
      buf('sum', 3136, 3, 4),
      buf('out', 6272, 4, 4),
      { ...buf('dw_scratch', 288, 1, 1), kind: 'scratch' as const },
    ];
    const p = placeBuffers(bs, 16);
    checkNoOverlap(bs, p.offsets, p.arenaSize, 16);
    const lb = liveLowerBound(bs);
    expect(lb).toBe(3136 + 18816 + 18816 + 288);
    expect(p.arenaSize).toBeGreaterThanOrEqual(lb);
    expect(p.arenaSize).toBeLessThanOrEqual(lb + 4 * 16);
  });

  test('offsets are aligned and the arena is a multiple of the alignment', () => {
    const bs = [buf('a', 3, 0, 1), buf('b', 5, 0, 0), buf('c', 7, 1, 2), buf('d', 1, 2, 2)];
    for (const align of [1, 4, 8, 16]) {
      const p = placeBuffers(bs, align);
      checkNoOverlap(bs, p.offsets, p.arenaSize, align);
      expect(p.arenaSize % align).toBe(0);
    }
  });

  test('deterministic', () => {
    const bs = [buf('a', 10, 0, 3), buf('b', 10, 1, 2), buf('c', 10, 2, 4), buf('d', 20, 3, 4)];
    expect(placeBuffers(bs, 4)).toEqual(placeBuffers(bs, 4));
  });

  test('property: simultaneously live buffers never overlap; arena >= lower bound', () => {
    const arb = fc.array(
      fc.record({ size: fc.integer({ min: 1, max: 5000 }), first: fc.integer({ min: 0, max: 30 }), len: fc.integer({ min: 0, max: 10 }) }),
      { minLength: 1, maxLength: 60 },
    );
    fc.assert(
      fc.property(arb, fc.constantFrom(1, 4, 8, 16), (specs, align) => {
        const bs = specs.map((s, i) => buf(`b${i}`, s.size, s.first, s.first + s.len));
        const p = placeBuffers(bs, align);
        checkNoOverlap(bs, p.offsets, p.arenaSize, align);
        expect(p.arenaSize).toBeGreaterThanOrEqual(liveLowerBound(bs));
      }),
      { numRuns: 300, seed: 42 },
    );
  });

  test('property: chains (each buffer live two steps) reach the lower bound up to alignment', () => {
    const arb = fc.array(fc.integer({ min: 1, max: 20000 }), { minLength: 2, maxLength: 40 });
    fc.assert(
      fc.property(arb, (sizes) => {
        const bs = sizes.map((s, i) => buf(`x${i}`, s, Math.max(0, i - 1), i));
        const p = placeBuffers(bs, 4);
        checkNoOverlap(bs, p.offsets, p.arenaSize, 4);
        expect(p.arenaSize).toBeLessThanOrEqual(liveLowerBound(bs) + 8);
      }),
      { numRuns: 200, seed: 7 },
    );
  });
});

function convChain(n: number, withScratch = false) {
  const b = new GraphBuilder('chain');
  let x = b.input('in', [1, 8, 8, 3], { fl: 7 });
  let c = 3;
  for (let i = 0; i < n; i++) {
    const co = 4 + ((i * 5) % 13);
    const w = b.const(`w${i}`, [co, 3, 3, c], { fl: 7 }, new Array(co * 9 * c).fill(1));
    x = b.layer(`conv${i}`, 'conv2d', [x, w], { name: `t${i}`, fl: 5 }, { padding: 'same' });
    c = co;
  }
  b.output(x);
  void withScratch;
  return b.build();
}

describe('greedyPlan on graphs', () => {
  test('conv chain: lifetimes, plan and lower bound', () => {
    const g = convChain(6);
    const bs = bufferLifetimes(g, HOST_TARGET, 'portable');
    expect(bs.map((b) => [b.name, b.first, b.last])).toEqual([
      ['in', 0, 0], ['t0', 0, 1], ['t1', 1, 2], ['t2', 2, 3], ['t3', 3, 4], ['t4', 4, 5], ['t5', 5, 5],
    ]);
    const plan = greedyPlan(g);
    checkNoOverlap(bs, bs.map((b) => plan.tensors.get(b.name)!.offset), plan.arenaSize, plan.align);
    expect(plan.arenaSize).toBeLessThanOrEqual(plan.lowerBound + 8);
  });

  test('model outputs stay live to the end; unused tensors live one step', () => {
    const b = new GraphBuilder('two');
    const x = b.input('in', [1, 4, 4, 2], { fl: 7 });
    const w = b.const('w', [2, 1, 1, 2], { fl: 7 }, [1, 0, 0, 1]);
    const a = b.layer('a', 'conv2d', [x, w], { name: 'ta', fl: 7 });
    const c = b.layer('c', 'conv2d', [x, w], { name: 'tc', fl: 7 });
    const d = b.layer('d', 'conv2d', [c, w], { name: 'td', fl: 7 });
    b.output(a, d);
    const bs = bufferLifetimes(b.build(), HOST_TARGET, 'portable');
    expect(bs.map((q) => [q.name, q.first, q.last])).toEqual([['in', 0, 1], ['ta', 0, 2], ['tc', 1, 2], ['td', 2, 2]]);
  });

  test('renders a table and a picture', () => {
    const g = convChain(3);
    const plan = greedyPlan(g);
    const table = renderPlanTable(g, plan);
    expect(table).toContain('lower bound');
    expect(table.split('\n')[0]).toMatch(/buffer\s+kind\s+offset\s+bytes/);
    const pic = renderPlanPicture(g, plan, 40);
    const rows = pic.split('\n');
    expect(rows).toHaveLength(1 + g.layers.length);
    expect(rows[1]).toContain('conv0');
    expect(rows[1]).toMatch(/\|[A-Za-z0-9.]{40}\|/);
  });
});
