/**
 * Builds a bare-metal firmware image for one target and board with
 * arm-none-eabi-gcc: the harness startup (targets/mcu/src), the caller's C
 * sources, newlib-nano with semihosting, the board's linker script. Compile
 * errors in f8c-generated sources are bugs (thrown); a model too large for
 * the board's RAM or flash is a diagnostic (F8E091/F8E094).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { execa } from 'execa';
import { fail } from '../../diag/diagnostic.js';
import { mcuPaths } from '../../targets/paths.js';
import type { BoardDesc, TargetDesc } from '../../targets/types.js';
import { objectSizes, type ObjSizes } from './mapfile.js';
import { ARM_TOOLS, requireTools } from './tools.js';

export interface FirmwareSpec {
  target: TargetDesc;
  board: BoardDesc;
  /** C sources of the program (absolute or relative to the cwd). */
  sources: string[];
  includeDirs?: string[];
  /** Preprocessor definitions, `NAME` or `NAME=VALUE`. */
  defines?: string[];
  /** Extra compiler flags for the program's sources, e.g. `-std=c99`. */
  cflags?: string[];
  /** Optimisation level (default -O2). */
  opt?: string;
  /** Where objects, ELF and map go (created). */
  buildDir: string;
  /** Stack reserved at the top of RAM (default: the board's). */
  stackBytes?: number;
}

export interface Firmware {
  elf: string;
  map: string;
  /** Object file of each source, in order. */
  objects: string[];
  /** Whole image (incl. startup and libc) from `size -B`. */
  image: { text: number; data: number; bss: number };
  /** Per-object sizes of kept sections (keys: object paths as in `objects`). */
  perObject: Map<string, ObjSizes>;
  stackBytes: number;
}

const BASE_FLAGS = ['-g', '-ffunction-sections', '-fdata-sections', '-Wall'];

async function cc(args: string[], what: string): Promise<void> {
  const r = await execa(ARM_TOOLS.cc, args, { reject: false, all: true, stdin: 'ignore' });
  if (r.exitCode !== 0) throw new Error(`internal: arm-none-eabi-gcc failed on ${what}:\n${r.all}`);
}

/** Runs up to `n` async jobs at a time (the machines running the suite are small). */
async function limited<T>(jobs: (() => Promise<T>)[], n = 2): Promise<T[]> {
  const out: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      out[i] = await jobs[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, jobs.length) }, worker));
  return out;
}

export async function buildFirmware(spec: FirmwareSpec): Promise<Firmware> {
  await requireTools([ARM_TOOLS.cc, ARM_TOOLS.size]);
  const dir = resolve(spec.buildDir);
  mkdirSync(dir, { recursive: true });
  const cpu = spec.target.cflags;
  const opt = spec.opt ?? '-O2';
  const inc = [mcuPaths.include, ...(spec.includeDirs ?? [])].map((d) => `-I${d}`);
  const defs = (spec.defines ?? []).map((d) => `-D${d}`);

  const startup = join(dir, 'mcu_startup.o');
  const objects = spec.sources.map((s, i) => join(dir, `u${i + 1}_${basename(s).replace(/\.c$/, '')}.o`));
  await limited([
    // the startup file is always -O2 so the markers' calibration does not depend on the program's flags
    () => cc([...cpu, '-O2', ...BASE_FLAGS, `-I${mcuPaths.include}`, '-c', mcuPaths.startup, '-o', startup], 'mcu_startup.c'),
    ...spec.sources.map((s, i) => () =>
      cc([...cpu, opt, ...BASE_FLAGS, '-fstack-usage', ...(spec.cflags ?? []), ...inc, ...defs, '-c', resolve(s), '-o', objects[i]!], s)),
  ]);

  const elf = join(dir, 'prog.elf');
  const map = join(dir, 'prog.map');
  const stackBytes = spec.stackBytes ?? spec.board.stack_bytes;
  const link = [
    ...cpu, '-nostartfiles', `-L${mcuPaths.ld}`, `-T${spec.board.linker_script}`, '-Wl,--gc-sections',
    `-Wl,-Map=${map}`, `-Wl,--defsym=__stack_size=${stackBytes}`, '-Wl,--no-warn-rwx-segments',
    startup, ...objects,
    '--specs=nano.specs', '-Wl,--start-group', '-lc_nano', '-lrdimon_nano', '-lm', '-lgcc', '-Wl,--end-group',
    '-o', elf,
  ];
  const r = await execa(ARM_TOOLS.cc, link, { reject: false, all: true, stdin: 'ignore' });
  if (r.exitCode !== 0) linkFailure(r.all ?? '', spec.board, stackBytes);

  const sz = await execa(ARM_TOOLS.size, ['-B', elf]);
  const [text, data, bss] = sz.stdout.split('\n')[1]!.trim().split(/\s+/).map(Number) as [number, number, number];
  return { elf, map, objects, image: { text, data, bss }, perObject: objectSizes(readFileSync(map, 'utf8')), stackBytes };
}

/** Turns "does not fit" link errors into diagnostics; anything else is a bug. */
function linkFailure(log: string, board: BoardDesc, stackBytes: number): never {
  if (/RAM overflow|region `RAM' overflowed|will not fit in region `RAM'/.test(log)) {
    fail('F8E091', `the program's static data plus the ${stackBytes} B stack do not fit the ${board.ram_bytes} B of RAM of board ${board.name} (linker: ${firstLine(log, /RAM/)})`, { field: '--target' });
  }
  const m = /region `CODE' overflowed by (\d+) bytes/.exec(log);
  if (m || /will not fit in region `CODE'/.test(log)) {
    fail('F8E094', `code and weights exceed the ${board.flash_bytes} B of flash of board ${board.name}${m ? ` by ${m[1]} B` : ''}`, { field: '--target' });
  }
  throw new Error(`internal: linking the firmware failed:\n${log}`);
}

function firstLine(log: string, re: RegExp): string {
  return log.split('\n').find((l) => re.test(l))?.trim() ?? '';
}
