/**
 * Runs a firmware image under qemu-system-arm with semihosting: the
 * program's stdout and exit status reach the host; QEMU gets no standard
 * input. With `count`, the counting plugin reports the instructions (and
 * estimated cycles) of every MCU_REGION_BEGIN/END pair; without it the run
 * is several times faster.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import type { BoardDesc, TargetDesc } from '../../targets/types.js';
import { ensurePlugin } from './plugin.js';
import { parseExitLines, parsePluginReport, type ExitReport, type PluginReport } from './report.js';
import { ARM_TOOLS, requireTools } from './tools.js';

export interface RunOptions {
  /** Count instructions of marked regions (the QEMU plugin). */
  count?: boolean;
  /** With `count`: write the plugin's per-instruction profile of the whole run to this file (scripts/profile.ts reads it). */
  profile?: string;
  /** Seconds before QEMU is killed (default 120). */
  timeoutSec?: number;
}

export interface RunOutcome extends ExitReport {
  /** QEMU's exit status: the program's, 124 on timeout. */
  exitCode: number;
  timedOut: boolean;
  stdout: string;
  /** Present when run with `count`. */
  counts?: PluginReport;
}

async function symbolAddress(elf: string, name: string): Promise<string> {
  const r = await execa(ARM_TOOLS.nm, [elf]);
  const line = r.stdout.split('\n').find((l) => l.split(/\s+/)[2] === name);
  if (!line) throw new Error(`internal: ${name} not found in ${elf}`);
  return '0x' + line.split(/\s+/)[0]!;
}

export async function runFirmware(elf: string, target: TargetDesc, board: BoardDesc, opts: RunOptions = {}): Promise<RunOutcome> {
  await requireTools([ARM_TOOLS.qemu, ARM_TOOLS.nm]);
  const args = ['-M', board.qemu_machine, '-nographic', '-monitor', 'none', '-serial', 'none', '-semihosting-config', 'enable=on,target=native'];
  let outDir: string | undefined;
  if (opts.count) {
    outDir = mkdtempSync(join(tmpdir(), 'f8c-count-'));
    const [so, begin, end] = await Promise.all([ensurePlugin(), symbolAddress(elf, 'mcu_region_begin'), symbolAddress(elf, 'mcu_region_end')]);
    const model = target.cycle_model ?? 'none';
    args.push('-plugin', `${so},begin=${begin},end=${end},out=${join(outDir, 'plugin.txt')},model=${model},maxlines=1000000${opts.profile ? `,profile=${opts.profile}` : ''}`);
  }
  args.push('-kernel', elf);
  try {
    const r = await execa(ARM_TOOLS.qemu, args, {
      reject: false,
      stdin: 'ignore',
      timeout: (opts.timeoutSec ?? 120) * 1000,
      killSignal: 'SIGKILL',
      maxBuffer: 256 * 1024 * 1024,
    });
    const exit = parseExitLines(r.stderr);
    const outcome: RunOutcome = { ...exit, exitCode: r.timedOut ? 124 : (r.exitCode ?? 1), timedOut: !!r.timedOut, stdout: r.stdout };
    if (outDir) {
      let text = '';
      try {
        text = readFileSync(join(outDir, 'plugin.txt'), 'utf8');
      } catch {
        /* QEMU died before the plugin wrote its report */
      }
      outcome.counts = parsePluginReport(text);
    }
    return outcome;
  } finally {
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  }
}
