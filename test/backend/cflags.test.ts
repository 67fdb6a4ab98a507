/**
 * The generated C as a firmware project sees it: the bundled examples'
 * output (library and golden program) builds and passes with the strict
 * flags plus EXTRA_WARNING_FLAGS under gcc and, if installed, clang; the
 * public header and f8_kernels.h may be included in either order; macros
 * are safe in expressions; layer names never clash with runtime names.
 */
import { execa } from 'execa';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileModel, defaultPrefix } from '../../src/backend/c/compile.js';
import { goldenFiles, randomInputs } from '../../src/backend/c/golden.js';
import { harnessSource } from '../../src/backend/c/harness.js';
import { EXTRA_WARNING_FLAGS, STRICT_FLAGS, gccBuild, makeTempDir, removeDir, runExe, writeFiles } from '../../src/backend/c/host.js';
import { verifyOnHost } from '../../src/backend/c/verify.js';
import { GraphBuilder } from '../../src/ir/builder.js';
import { loadModel } from '../../src/loader/load.js';
import { runPipeline } from '../../src/passes/index.js';
import { randomCases } from './util.js';

const FLAGS = [...STRICT_FLAGS, ...EXTRA_WARNING_FLAGS];

async function hasCompiler(cc: string): Promise<boolean> {
  const r = await execa(cc, ['--version'], { reject: false });
  return r.exitCode === 0;
}

function example(name: string) {
  const g = runPipeline(loadModel(join('examples', name, `${name}.json`)).graph);
  const m = compileModel(g, { command: `f8c compile ${name}.json` });
  return { g, m, files: new Map([...m.files, ...goldenFiles(g, m, randomInputs(g, 3, 7), 'seed 7')]) };
}

describe('generated C under extra warnings', () => {
  for (const cc of ['gcc', 'clang'])
    for (const name of ['tiny_cnn', 'mlp_pocket'])
      test(`${name} with ${cc}`, async () => {
        if (!(await hasCompiler(cc))) return void console.warn(`${cc} not installed; skipped`);
        const { files, m } = example(name);
        const dir = makeTempDir('cflags');
        try {
          writeFiles(dir, files);
          const built = await gccBuild(dir, FLAGS, 'golden', cc);
          expect(built.log).toBe('');
          const run = await runExe(built.exe);
          expect(run.stdout).toContain(`${m.view.prefix}: 3 of 3 golden cases passed`);
          expect(run.exitCode).toBe(0);
        } finally {
          removeDir(dir);
        }
      });
});

test('trace build with the verify harness, gcc', async () => {
  const { g } = example('tiny_cnn');
  const m = compileModel(g, { trace: true });
  const dir = makeTempDir('cflags-trace');
  try {
    writeFiles(dir, new Map([...m.files, ['f8c_harness.c', harnessSource([{ graph: g, compiled: m, cases: [g.inputs.map(() => new Array<number>(256).fill(3))] }], true)]]));
    const built = await gccBuild(dir, FLAGS, 'harness');
    expect(built.log).toBe('');
    const run = await runExe(built.exe);
    expect(run.stdout.match(/^trace 0 0 /gm)).toHaveLength(g.layers.length);
  } finally {
    removeDir(dir);
  }
});

describe('header hygiene', () => {
  test('negative macro values are parenthesised; no definitions in headers', () => {
    const { m } = example('mlp_pocket');
    const h = m.files.get('mlp_pocket.h')!;
    expect(h).toContain('#define MLP_POCKET_INPUT0_QMIN (-128)');
    expect(h).not.toMatch(/#define \w+ -/);
    for (const [name, text] of m.files) {
      if (!name.endsWith('.h')) continue;
      // Objects are only declared (extern) in headers; functions only static inline.
      expect(text).not.toMatch(/^\s*(static\s+)?const\s+\w+\s+\w+(\[\d*\])?\s*(F8_ALIGN\(\d+\))?\s*=/m);
    }
  });

  test('model header and f8_kernels.h in either order; macros in expressions', async () => {
    const { files } = example('mlp_pocket');
    const dir = makeTempDir('hdr');
    try {
      writeFiles(dir, new Map([...files].filter(([n]) => n.endsWith('.h'))));
      const use = [
        'static int32_t lo_neg(void) { return -MLP_POCKET_INPUT0_QMIN; }',
        'static int32_t span(void) { return MLP_POCKET_INPUT0_QMAX-MLP_POCKET_INPUT0_QMIN; }',
        'static const int32_t shape[] = MLP_POCKET_INPUT0_SHAPE;',
        'typedef char size_ok[MLP_POCKET_INPUT0_SIZE == 64u && MLP_POCKET_ARENA_SIZE > 0u ? 1 : -1];',
        'int check(void);',
        'int check(void) { f8_status s = F8_OK; size_ok *p = 0; (void)p; return (int)s + (int)lo_neg() + (int)span() + (int)shape[0]; }',
      ].join('\n');
      writeFileSync(join(dir, 'a.c'), `#include "mlp_pocket.h"\n#include "f8_kernels.h"\n${use}\n`);
      writeFileSync(join(dir, 'b.c'), `#include "f8_kernels.h"\n#include "mlp_pocket.h"\n${use}\n`);
      for (const f of ['a.c', 'b.c']) {
        const r = await execa('gcc', [...FLAGS, '-c', '-I', dir, join(dir, f), '-o', join(dir, `${f}.o`)], { reject: false, all: true });
        expect(r.all ?? '').toBe('');
        expect(r.exitCode).toBe(0);
      }
    } finally {
      removeDir(dir);
    }
  });
});

describe('names', () => {
  test('layers named like runtime types or like another layer\'s calls', async () => {
    const b = new GraphBuilder('F8');
    const x = b.input('x', [1, 4], { fl: 4 });
    const y = b.input('y', [1, 3], { fl: 3 });
    const c = b.layer('f8_rescale', 'concat', [x, y], { name: 'c', fl: 4 });
    const d = b.layer('f8_rescale_0', 'relu', [c], { name: 'd', fl: 4 });
    const e = b.layer('f8_copy', 'flatten', [d], { name: 'e', fl: 4 });
    b.output(e);
    const g = runPipeline(b.build());
    expect(defaultPrefix(g.name)).toBe('m_f8');
    const m = compileModel(g);
    const names = [...m.files.get('m_f8.c')!.matchAll(/static const \w+ (\w+) =/g)].map((r) => r[1]);
    expect(new Set(names).size).toBe(names.length);
    expect(names.every((n) => n!.startsWith('m_f8_'))).toBe(true);
    const r = await verifyOnHost([{ graph: g, cases: randomCases(g, 2, 3) }], { builds: ['strict'] });
    expect(r.builds.map((x) => x.compileLog ?? '')).toEqual(['']);
    expect(r.ok).toBe(true);
  });
});
