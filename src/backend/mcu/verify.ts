/**
 * `f8c verify --target cortex-mX`: the generated C, built with
 * arm-none-eabi-gcc for the core, runs under QEMU (no counting plugin, so it
 * is fast) with every case compiled into the firmware; every output byte is
 * compared with the interpreter under the same memory plan. Cases are split
 * over several images only when their inputs would crowd the board's flash.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runGraph, type ActArray } from '../../interp/interpreter.js';
import { DiagnosticBag } from '../../diag/diagnostic.js';
import { chooseBoard } from '../../targets/fit.js';
import { targetInfo } from '../../targets/load.js';
import type { BoardDesc, ResolvedTarget } from '../../targets/types.js';
import { compileModel, type CompiledModel } from '../c/compile.js';
import { parseHarnessOutput } from '../c/harness.js';
import { buildFirmware } from './build.js';
import type { Mismatch, VerifyItem } from '../c/verify.js';
import { outputBytes, writeFirmwareSources, type FirmwareModel } from './firmware.js';
import { runFirmware } from './run.js';

/** A model and its cases: the same shape as a host verify item. */
export type McuVerifyItem = VerifyItem;

/** A differing output byte (no first-layer search on the board). */
export type McuMismatch = Omit<Mismatch, 'layer'>;

export interface McuVerifyReport {
  ok: boolean;
  target: string;
  board: string;
  images: number;
  cases: number;
  outputBytes: number;
  mismatches: McuMismatch[];
  /** Why a run did not finish cleanly (fault, timeout, non-OK status). */
  runErrors: string[];
  /** Notes such as the fallback to a bigger board. */
  diags: DiagnosticBag;
}

export interface McuVerifyOptions {
  /** A board chosen by the user (--board); default: the first that fits. */
  board?: BoardDesc;
  /** Keep build outputs here instead of a temporary directory. */
  keepDir?: string;
  opt?: string;
}

/** Input bytes per firmware image: a quarter of the flash, at most 96 KiB. */
function caseBudget(board: BoardDesc): number {
  return Math.min(96 * 1024, Math.floor(board.flash_bytes / 4));
}

function bytesOf(a: ActArray): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

export async function verifyOnMcu(r: ResolvedTarget, items: readonly McuVerifyItem[], opts: McuVerifyOptions = {}): Promise<McuVerifyReport> {
  const info = targetInfo(r.target);
  const prep = items.map((item) => {
    const compiled: CompiledModel = compileModel(item.graph, { ...item.options, target: info, variant: item.options?.variant ?? 'portable' });
    return { item, compiled, expected: item.cases.map((c) => runGraph(item.graph, compiled.plan, c).outputs) };
  });
  const diags = new DiagnosticBag();
  const report: McuVerifyReport = { ok: false, target: r.target.name, board: '', images: 0, cases: 0, outputBytes: 0, mismatches: [], runErrors: [], diags };
  const fwModels = (p: (typeof prep)[number], cases: number[]): FirmwareModel => ({
    compiled: p.compiled,
    cases: cases.map((ci) => p.item.graph.inputs.map((n) => p.item.cases[ci]!.get(n)!)),
  });
  // the board must hold the largest arena (models run one after the other, but every arena is static)
  const arenas = prep.reduce((s, p) => s + p.compiled.plan.arenaSize, 0);
  const board = chooseBoard(r, { arenaBytes: arenas, staticBytes: outputBytes(prep.map((p) => fwModels(p, []))) }, diags, opts.board);
  diags.throwIfErrors();
  report.board = board!.name;

  // one image per model and chunk of cases
  const budget = caseBudget(board!);
  for (const [mi, p] of prep.entries()) {
    const perCase = p.item.graph.inputs.reduce((s, n) => s + (p.item.cases[0]?.get(n)?.length ?? 0), 0);
    const chunk = Math.max(1, Math.floor(budget / Math.max(1, perCase)));
    for (let start = 0; start < p.item.cases.length; start += chunk) {
      const idx = Array.from({ length: Math.min(chunk, p.item.cases.length - start) }, (_, k) => start + k);
      const dir = opts.keepDir ? join(opts.keepDir, `m${mi}_c${start}`) : mkdtempSync(join(tmpdir(), 'f8c-mcu-verify-'));
      try {
        const sources = writeFirmwareSources(dir, [fwModels(p, idx)], r.target, board!);
        const fw = await buildFirmware({ target: r.target, board: board!, sources, includeDirs: [dir], cflags: ['-std=c99', '-Wall', '-Wextra'], opt: opts.opt, buildDir: dir });
        const run = await runFirmware(fw.elf, r.target, board!, { timeoutSec: 300 });
        report.images++;
        const where = `${p.compiled.view.prefix} cases ${idx[0]}..${idx[idx.length - 1]}`;
        if (run.timedOut) report.runErrors.push(`${where}: QEMU timed out`);
        else if (run.fault) report.runErrors.push(`${where}: ${run.fault}`);
        else if (run.exitCode !== 0) report.runErrors.push(`${where}: exit status ${run.exitCode}${run.stderr ? `: ${run.stderr.slice(0, 500)}` : ''}`);
        const parsed = parseHarnessOutput(run.stdout);
        for (const [key, st] of parsed.statuses) report.runErrors.push(`${p.compiled.view.prefix} case ${idx[Number(key.split('/')[1])]}: run returned status ${st}`);
        idx.forEach((ci, k) => {
          report.cases++;
          p.item.graph.outputs.forEach((name, oi) => {
            const want = bytesOf(p.expected[ci]!.get(name)!);
            const got = parsed.outs.get(`0/${k}/${oi}`) ?? new Uint8Array(0);
            report.outputBytes += want.length;
            const n = Math.max(want.length, got.length);
            for (let j = 0; j < n; j++) {
              if (want[j] !== got[j]) {
                report.mismatches.push({ model: p.compiled.view.prefix, case: ci, output: name, byte: j, expected: want[j] ?? -1, got: got[j] ?? -1 });
                break;
              }
            }
          });
        });
      } finally {
        if (!opts.keepDir) rmSync(dir, { recursive: true, force: true });
      }
    }
  }
  report.ok = report.mismatches.length === 0 && report.runErrors.length === 0 && report.cases > 0;
  return report;
}
