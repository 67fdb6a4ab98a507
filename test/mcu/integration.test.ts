/** The firmware integration example of `f8c compile --target cortex-m*` builds with the core's flags. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { compileModel } from '../../src/backend/c/compile.js';
import { integrationFiles } from '../../src/backend/mcu/integration.js';
import { GraphBuilder } from '../../src/ir/builder.js';
import { resolveTarget, targetInfo } from '../../src/targets/load.js';

function twoInputNet() {
  const b = new GraphBuilder('Demo Net');
  const x = b.input('x', [1, 4, 4, 2], { fl: 7 });
  const w = b.const('w', [3, 3, 3, 2], { fl: 7 }, Array.from({ length: 54 }, (_, i) => ((i * 37) % 255) - 127));
  const y = b.layer('conv', 'conv2d', [x, w], { name: 'y', fl: 5 }, { padding: 'same' });
  b.output(y);
  return b.build();
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'f8c-integ-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test.each(['cortex-m4', 'cortex-m0plus', 'cortex-m55'])('main.c and model.mk build for %s with -Werror', async (name) => {
  const t = resolveTarget(name).target;
  const compiled = compileModel(twoInputNet(), { target: targetInfo(t), prefix: 'demo' });
  const extra = integrationFiles(t, compiled);
  const main = extra.get('main.c')!;
  expect(main).toContain('static uint8_t arena[DEMO_ARENA_SIZE] __attribute__((aligned(DEMO_ARENA_ALIGN))) ARENA_SECTION;');
  expect(main).toContain('st = demo_run(input0, output0, arena);');
  expect(main).toContain('if (st != F8_OK)');
  expect(extra.get('model.mk')).toContain(`F8C_CPUFLAGS := ${t.cflags.join(' ')}`);
  const d = join(dir, name);
  await execa('mkdir', ['-p', d]);
  for (const [n, text] of [...compiled.files, ...extra]) writeFileSync(join(d, n), text);
  writeFileSync(
    join(d, 'Makefile'),
    'include model.mk\nCC = arm-none-eabi-gcc\nOBJS = $(F8C_SRCS:.c=.o) main.o\nall: $(OBJS)\n%.o: %.c\n\t$(CC) $(F8C_CPUFLAGS) $(F8C_CFLAGS) -Wall -Wextra -Werror -pedantic -c $< -o $@\n',
  );
  const r = await execa('make', ['-s', '-C', d], { reject: false, all: true });
  expect(r.all).toBe('');
  expect(r.exitCode).toBe(0);
});

test('cortex-m (any core) leaves -mcpu to the user', () => {
  const t = resolveTarget('cortex-m').target;
  const mk = integrationFiles(t, compileModel(twoInputNet(), { target: targetInfo(t), prefix: 'demo' })).get('model.mk')!;
  expect(mk).toContain('F8C_CPUFLAGS := -mthumb -mcpu=<your core>');
});
