import { compileGraph, compileModel } from '../../src/backend/c/compile.js';
import { verifyOnHost } from '../../src/backend/c/verify.js';
import { tinyNet } from './models.js';
import { randomCases } from './util.js';

describe('C emitter', () => {
  test('files, header contents, stamps', () => {
    const files = compileGraph(tinyNet(), { prefix: 'tiny', command: 'f8c compile tiny.json -o out' });
    expect([...files.keys()]).toEqual(['tiny.h', 'tiny.c', 'tiny_weights.h', 'tiny_weights.c', 'f8_arith.h', 'f8_conv2d.c', 'f8_internal.h', 'f8_kernels.h']);
    const h = files.get('tiny.h')!;
    expect(h).toMatch(/#ifndef TINY_H\n#define TINY_H/);
    expect(h).toContain('f8c 0.1.0');
    expect(h).toContain('Command: f8c compile tiny.json -o out');
    expect(h).toMatch(/#define TINY_ARENA_SIZE \d+u/);
    expect(h).toContain('#define TINY_INPUT0_SHAPE { 1, 5, 5, 2 }');
    expect(h).toContain('#define TINY_OUTPUT0_TYPE uint8_t');
    expect(h).toContain('f8_status tiny_run(const int8_t *in_x, uint8_t *out_z, void *arena);');
    expect(h).not.toMatch(/^\s*(static|const)\s/m); // declarations only
    const c = files.get('tiny.c')!;
    expect(c).toContain("/* layer 0 'conv 1': conv2d, rounding half_even, clamp [0, 127]");
    expect(c.match(/if \(status != F8_OK\)/g)).toHaveLength(2);
    expect(c).toContain('.weight = tiny_conv_1_weight,');
    expect(files.get('tiny_weights.c')).toContain('F8_WEIGHTS_SECTION const int8_t tiny_conv_1_weight[54] F8_ALIGN(1) = {');
    expect(files.get('tiny_weights.c')).toContain('(-2147483647 - 1)');
    for (const text of files.values()) expect(text).not.toMatch(/\/(home|tmp|work|Users)\//);
  });

  test('two compiles give identical bytes', () => {
    const a = compileGraph(tinyNet(), { prefix: 'tiny' });
    const b = compileGraph(tinyNet(), { prefix: 'tiny' });
    expect([...a.entries()]).toEqual([...b.entries()]);
  });

  test('arena size is the plan size', () => {
    const m = compileModel(tinyNet(), { prefix: 'tiny' });
    expect(m.files.get('tiny.h')).toContain(`#define TINY_ARENA_SIZE ${m.plan.arenaSize}u`);
    expect(m.plan.arenaSize).toBeGreaterThanOrEqual(m.plan.lowerBound);
  });

  test('bit-exact on the host (strict and sanitizer builds)', async () => {
    const g = tinyNet();
    const r = await verifyOnHost([{ graph: g, cases: randomCases(g, 5, 1), options: { prefix: 'tiny' } }]);
    expect(r.builds.map((b) => [b.build, b.compileLog ?? '', b.runError ?? '', b.mismatches])).toEqual([
      ['strict', '', '', []],
      ['sanitize', '', '', []],
    ]);
    expect(r.ok).toBe(true);
  });
});

describe('verify finds differences', () => {
  test('a wrong reference output is reported with its first layer', async () => {
    const { OPS } = await import('../../src/ops/registry.js');
    const g = tinyNet();
    const conv = OPS.conv2d!;
    OPS.conv2d = {
      ...conv,
      eval(ctx) {
        conv.eval(ctx);
        if (ctx.layer.name === 'pw') ctx.outs[0]!.data[3] = (ctx.outs[0]!.data[3]! + 1) & 0xff;
      },
    };
    try {
      const r = await verifyOnHost([{ graph: g, cases: randomCases(g, 2, 3), options: { prefix: 'tiny' } }], { builds: ['strict'] });
      expect(r.ok).toBe(false);
      expect(r.builds[0]!.mismatches[0]).toMatchObject({ model: 'tiny', case: 0, output: 'z', byte: 3, layer: 'pw' });
    } finally {
      OPS.conv2d = conv;
    }
  });
});

describe('generic KernelCall handling', () => {
  test('several calls per layer and shared tables', async () => {
    const { OPS } = await import('../../src/ops/registry.js');
    const conv = OPS.conv2d!;
    OPS.conv2d = {
      ...conv,
      lower(ctx, target, variant) {
        const [call] = conv.lower!(ctx, target, variant);
        const shared = { ...call!, tables: call!.tables.map((t) => ({ ...t, shareKey: `${ctx.layer.name}:${t.suffix}` })) };
        return [shared, shared];
      },
    };
    try {
      const g = tinyNet();
      const files = compileGraph(g, { prefix: 'tiny' });
      const c = files.get('tiny.c')!;
      expect(c).toContain('static const f8_conv2d_params tiny_conv_1_0_params');
      expect(c).toContain('static const f8_conv2d_params tiny_conv_1_1_params');
      expect(c).toContain("(call 2 of 2)");
      expect(files.get('tiny_weights.c')!.match(/tiny_conv_1_\w*weight\[/g)).toHaveLength(1);
      const r = await verifyOnHost([{ graph: g, cases: randomCases(g, 2, 5), options: { prefix: 'tiny' } }], { builds: ['strict'] });
      expect(r.ok).toBe(true);
    } finally {
      OPS.conv2d = conv;
    }
  });
});
