/**
 * Cost of TFLite's requantisation (MultiplyByQuantizedMultiplier of
 * runtime-c/f8_tfl.h) on Cortex-M0+ (Armv6-M, no 32x32->64 multiply):
 * the exact 64-bit product from four 16x16->32 products (F8_TFL_MUL_HALVES=1)
 * against a plain int64_t product, which compiles to a call of the
 * compiler's 64-bit multiply helper (__aeabi_lmul; f8c's default: faster).
 * Both are measured under QEMU with the instruction-counting plugin over
 * 1024 calls each (double and single rounding), and their results compared.
 *
 *   npx tsx scripts/bench-tflite-m0.ts [--target cortex-m0plus]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildFirmware } from '../src/backend/mcu/build.js';
import { runFirmware } from '../src/backend/mcu/run.js';
import { resolveTarget } from '../src/targets/load.js';

const RUNTIME = resolve(dirname(fileURLToPath(import.meta.url)), '../runtime-c');
const N = 1024;

const variant = (name: string, halves: number) => `/* ${name}: f8_tfl_mbqm with F8_TFL_MUL_HALVES=${halves} */
#define F8_TFL_MUL_HALVES ${halves}
#include "f8_tfl.h"
__attribute__((noinline)) int32_t ${name}(const int32_t *x, const int32_t *m, const int8_t *s, int32_t n, int single)
{
    uint32_t acc = 0u;
    int32_t i;
    for (i = 0; i < n; i++) acc += (uint32_t)f8_tfl_mbqm(x[i], m[i], s[i], single);
    return (int32_t)acc;
}
`;

const MAIN = `#include <stdint.h>
#include <stdio.h>
#include "mcu_bench.h"
int32_t mbqm_halves(const int32_t *x, const int32_t *m, const int8_t *s, int32_t n, int single);
int32_t mbqm_lmul(const int32_t *x, const int32_t *m, const int8_t *s, int32_t n, int single);
int32_t mbqm_none(const int32_t *x, const int32_t *m, const int8_t *s, int32_t n, int single);
#define N ${N}
static int32_t xs[N], ms[N];
static int8_t ss[N];
int main(void)
{
    uint32_t r = 12345u;
    int32_t a[6];
    int i;
    for (i = 0; i < N; i++) {
        r = r * 1103515245u + 12345u; xs[i] = (int32_t)(r ^ (r >> 7)) >> (int)(r % 12u);
        r = r * 1103515245u + 12345u; ms[i] = (int32_t)(0x40000000u | (r >> 2));
        r = r * 1103515245u + 12345u; ss[i] = (int8_t)(-(int32_t)(r % 20u));
    }
    MCU_REGION_BEGIN(); a[0] = mbqm_halves(xs, ms, ss, N, 0); MCU_REGION_END();
    MCU_REGION_BEGIN(); a[1] = mbqm_lmul(xs, ms, ss, N, 0); MCU_REGION_END();
    MCU_REGION_BEGIN(); a[2] = mbqm_halves(xs, ms, ss, N, 1); MCU_REGION_END();
    MCU_REGION_BEGIN(); a[3] = mbqm_lmul(xs, ms, ss, N, 1); MCU_REGION_END();
    MCU_REGION_BEGIN(); a[4] = mbqm_none(xs, ms, ss, 0, 0); MCU_REGION_END();
    a[5] = 0;
    printf("sums %ld %ld %ld %ld\\n", (long)a[0], (long)a[1], (long)a[2], (long)a[3]);
    return (a[0] == a[1] && a[2] == a[3]) ? 0 : 1;
}
`;

async function main(): Promise<void> {
  const name = process.argv.includes('--target') ? process.argv[process.argv.indexOf('--target') + 1]! : 'cortex-m0plus';
  const { target } = resolveTarget(name);
  const board = target.boards[0]!;
  const dir = mkdtempSync(join(tmpdir(), 'f8c-tfl-m0-'));
  try {
    const files = { 'main.c': MAIN, 'halves.c': variant('mbqm_halves', 1), 'lmul.c': variant('mbqm_lmul', 0), 'none.c': variant('mbqm_none', 1) };
    for (const [f, text] of Object.entries(files)) writeFileSync(join(dir, f), text);
    const fw = await buildFirmware({ target, board, sources: Object.keys(files).map((f) => join(dir, f)), includeDirs: [dir, RUNTIME], cflags: ['-std=c99'], buildDir: join(dir, 'build') });
    const run = await runFirmware(fw.elf, target, board, { count: true });
    if (run.exitCode !== 0) throw new Error(`results differ or run failed (exit ${run.exitCode}): ${run.stdout}`);
    const reg = run.counts!.regions;
    const loop = reg[4]!; // the call with n = 0: call overhead, subtracted
    const per = (i: number, k: 'insns' | 'cycles') => ((reg[i]![k] ?? NaN) - (loop[k] ?? 0)) / N;
    const fmt = (v: number) => (Number.isNaN(v) ? 'n/a' : v.toFixed(1));
    console.log(`MultiplyByQuantizedMultiplier on ${name} (QEMU ${board.name}), per call, ${N} calls, results equal`);
    console.log('| rounding | 64-bit product | instructions | est. cycles |');
    console.log('|---|---|---:|---:|');
    const rows: [string, string, number][] = [
      ['double', '16-bit halves (F8_TFL_MUL_HALVES=1)', 0],
      ['double', 'int64_t product (__aeabi_lmul call, f8c default)', 1],
      ['single', '16-bit halves (F8_TFL_MUL_HALVES=1)', 2],
      ['single', 'int64_t product (__aeabi_lmul call, f8c default)', 3],
    ];
    for (const [r, how, i] of rows) console.log(`| ${r} | ${how} | ${fmt(per(i, 'insns'))} | ${fmt(per(i, 'cycles'))} |`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
