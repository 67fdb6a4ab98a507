/** The TypeScript scratch sizes of the arm variant equal the C `_scratch_size` functions of runtime-c/arm. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { compileModel } from '../../src/backend/c/compile.js';
import { opCtx } from '../../src/ops/context.js';
import { getOp } from '../../src/ops/registry.js';
import { HOST_TARGET } from '../../src/ops/opdef.js';
import { armGrid } from './grid.js';
import { affineArmGrid } from './affine-grid.js';

test('arm scratch sizes: TypeScript = C', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'f8c-arm-scratch-'));
  try {
    const graphs = [...armGrid().filter((_, i) => i % 3 === 0), ...affineArmGrid().filter((_, i) => i % 2 === 0)];
    for (const g of graphs) {
      const m = compileModel(g, { variant: 'arm' });
      const sub = join(dir, m.view.prefix);
      await execa('mkdir', ['-p', sub]);
      for (const [name, text] of m.files) await writeFile(join(sub, name), text);
      const model = m.files.get(`${m.view.prefix}.c`)!;
      const vars = [...model.matchAll(/static const f8_((tfl_)?(conv2d|dense))_params (\w+) =/g)];
      expect(vars.length).toBe(1);
      const fn = `f8_${vars[0]![1]}_s8_scratch_size`;
      await writeFile(join(sub, m.view.prefix + '.c'), `${model}\n#include <stdio.h>\nint main(void) { printf("%lu\\n", (unsigned long)${fn}(&${vars[0]![4]})); return 0; }\n`);
      const cs = [...m.files.keys()].filter((f) => f.endsWith('.c')).map((f) => join(sub, f));
      await execa('gcc', ['-std=c99', '-O1', '-o', join(sub, 'a.out'), ...cs]);
      const { stdout } = await execa(join(sub, 'a.out'));
      const layer = g.layers[0]!;
      expect(Number(stdout.trim())).toBe(getOp(layer.op).scratch(opCtx(g, layer), HOST_TARGET, 'arm'));
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}, 120_000);
