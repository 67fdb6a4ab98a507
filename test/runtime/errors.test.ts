/**
 * Every kernel rejects bad parameters with F8_ERR_ARG and NULL pointers with
 * F8_ERR_NULL (a few cases each), and add, rescale and copy work in place
 * as f8_kernels.h allows: test/runtime/errors.c, built strict and with
 * ASan/UBSan against all kernel sources.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RUNTIME_DIR, buildAndRun } from './harness.js';

const PROGRAM = readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'errors.c'), 'utf8');

test('kernel error statuses and in-place calls', async () => {
  const sources = readdirSync(RUNTIME_DIR).filter((f) => /^f8_\w+\.c$/.test(f)).sort();
  expect(sources.length).toBeGreaterThanOrEqual(9);
  const outputs = await buildAndRun(PROGRAM, sources);
  for (const stdout of outputs) {
    expect(stdout.split('\n').filter((l) => l.startsWith('FAIL'))).toEqual([]);
    const done = /^done (\d+) (\d+)$/m.exec(stdout);
    expect(done).not.toBeNull();
    expect(Number(done![2])).toBe(0);
    expect(Number(done![1])).toBeGreaterThan(100);
  }
});
