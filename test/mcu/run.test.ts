/** The MCU backend on a hand-written C program: build, run with and without counting. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildFirmware } from '../../src/backend/mcu/build.js';
import { runFirmware } from '../../src/backend/mcu/run.js';
import { UserError } from '../../src/diag/diagnostic.js';
import { resolveTarget } from '../../src/targets/load.js';

const HELLO = join(__dirname_(), 'fixtures', 'hello.c');
function __dirname_(): string {
  return new URL('.', import.meta.url).pathname;
}

// dot over 64 + dot over 16 of the fixture's data
function expected(): number {
  const a = Array.from({ length: 64 }, (_, i) => ((i * 7 - 100) << 24) >> 24);
  const b = Array.from({ length: 64 }, (_, i) => ((50 - i * 3) << 24) >> 24);
  const dot = (n: number) => a.slice(0, n).reduce((s, x, i) => s + x * b[i]!, 0);
  return dot(64) + dot(16);
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'f8c-mcu-test-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(['cortex-m0plus', 'cortex-m4', 'cortex-m55'])('%s', (name) => {
  const { target } = resolveTarget(name);
  const board = target.boards[0]!;

  test('prints, exits with the status, counts nested regions', async () => {
    const fw = await buildFirmware({ target, board, sources: [HELLO], buildDir: join(dir, name), cflags: ['-std=c99'] });
    expect(fw.image.text).toBeGreaterThan(0);
    const obj = fw.perObject.get(fw.objects[0]!);
    expect(obj?.text).toBeGreaterThan(0);

    const fast = await runFirmware(fw.elf, target, board);
    expect(fast.stdout.trim()).toBe(`dot=${expected()}`);
    expect(fast.exitCode).toBe(3);
    expect(fast.status).toBe(3);
    expect(fast.counts).toBeUndefined();
    expect(fast.stackPeak).toBeGreaterThan(0);

    const counted = await runFirmware(fw.elf, target, board, { count: true });
    expect(counted.stdout).toBe(fast.stdout);
    const rep = counted.counts!;
    expect(rep.calibration!.insns).toBeGreaterThan(0);
    expect(rep.regions.map((r) => r.depth)).toEqual([1, 0]);
    const [inner, outer] = rep.regions as [typeof rep.regions[0], typeof rep.regions[0]];
    expect(outer.insns).toBeGreaterThan(inner.insns * 4);
    expect(inner.insns).toBeGreaterThan(16);
    if (target.cycle_model) expect(outer.cycles).toBeGreaterThanOrEqual(outer.insns);
    else expect(outer.cycles).toBeNull();
    expect(rep.total!.insns).toBeGreaterThan(outer.insns);
  });
});

test('a program too big for the micro:bit RAM is F8E091, not a crash', async () => {
  const { target } = resolveTarget('cortex-m0plus');
  const build = buildFirmware({ target, board: target.boards[0]!, sources: [HELLO], defines: ['BIG=20000'], buildDir: join(dir, 'big') });
  await expect(build).rejects.toThrow(UserError);
  await expect(build).rejects.toThrow(/F8E091/);
});

test('an unaligned load faults on Armv6-M and is reported', async () => {
  const { target } = resolveTarget('cortex-m0plus');
  const board = target.boards[0]!;
  const fw = await buildFirmware({ target, board, sources: [HELLO], defines: ['FAULT'], buildDir: join(dir, 'fault') });
  const r = await runFirmware(fw.elf, target, board);
  expect(r.exitCode).toBe(134);
  expect(r.fault).toMatch(/HardFault pc=0x/);
});
