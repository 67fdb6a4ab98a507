/**
 * `f8c bench MODEL --target cortex-mX [--board B] [--json FILE]`: per-layer
 * MACs, instructions executed and estimated cycles of one inference under
 * QEMU, and the model's flash (weights, code) and RAM (arena, stack peak).
 */
import type { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { defaultPrefix } from '../backend/c/compile.js';
import { randomInputs } from '../backend/c/golden.js';
import { benchOnMcu, type BenchReport } from '../backend/mcu/bench.js';
import { fail, formatDiagnostic } from '../diag/diagnostic.js';
import { findBoard, resolveTarget, targetInfo } from '../targets/load.js';
import { KERNELS_HELP, kernelVariant, parseKernels } from './kernels.js';
import { renderTable, thousands } from '../util/table.js';
import { intOption } from './compile.js';
import type { Io } from './main.js';
import { loadForCli } from './model.js';

interface BenchCliOptions {
  kernels?: 'portable' | 'arm';
  target: string;
  board?: string;
  json?: string;
  seed?: string;
  keep?: string;
}

const per = (a: number | null, b: number) => (a === null ? '-' : b > 0 ? (a / b).toFixed(2) : '-');

/** The report as text lines (also used by the README table script). */
export function benchLines(r: BenchReport): string[] {
  const rows = r.layers.map((l, i) => [i, l.name, l.op, l.macs, l.instructions, l.cycles ?? '-', per(l.instructions, l.macs), per(l.cycles, l.macs)]);
  const t = r.total;
  rows.push(['', 'total', '', t.macs, t.instructions, t.cycles ?? '-', per(t.instructions, t.macs), per(t.cycles, t.macs)]);
  const cyc = r.cycle_model
    ? `cycles are an estimate from the static ${r.cycle_model} timing table (zero wait states), not a measurement`
    : `no cycle timing table for ${r.target}: instructions only (cycles: null)`;
  return [
    `bench ${r.model} on ${r.target} (QEMU ${r.board}); one inference`,
    renderTable(['#', 'layer', 'op', 'MACs', 'instructions', 'est. cycles', 'insn/MAC', 'cycles/MAC'], rows.map((row) => row.map((c) => (typeof c === 'number' ? c : String(c))))),
    `flash ${thousands(t.flash_bytes)} B (weights ${thousands(t.weights_bytes)} B, code ${thousands(t.code_bytes)} B); RAM: arena ${thousands(t.arena_bytes)} B, stack peak ${thousands(t.stack_bytes)} B`,
    `instructions are exact counts; ${cyc}. Layers add up to the total within ${r.marker_overhead} instructions of marker overhead.`,
  ];
}

/** The JSON file: layers and total as documented, plus context. */
export function benchJson(r: BenchReport): object {
  const { diags: _d, ...rest } = r;
  return { ...rest, cycles_note: r.cycle_model ? `estimate from the static ${r.cycle_model} timing table (zero wait states)` : 'no timing table for this core' };
}

export function registerBench(program: Command, io: Io): void {
  program
    .command('bench')
    .description('count instructions (and estimate cycles) per layer on a Cortex-M core under QEMU; flash and RAM use')
    .argument('<model>', 'model file')
    .requiredOption('-t, --target <target>', 'a Cortex-M core (f8c targets lists them)')
    .option('--board <board>', 'QEMU board (default: the first whose RAM fits)')
    .option('--kernels <variant>', KERNELS_HELP, parseKernels)
    .option('--json <file>', 'also write the report as JSON')
    .option('--seed <s>', 'seed of the random input of the measured inference', '1')
    .option('--keep <dir>', 'keep the build directories here')
    .action(async (model: string, o: BenchCliOptions) => {
      const seed = intOption(o.seed, '--seed', 0, 2 ** 32 - 1, 1);
      const resolved = resolveTarget(o.target);
      if (resolved.target.kind !== 'mcu' || resolved.target.boards.length === 0)
        fail('F8E093', `f8c bench runs on a specific Cortex-M core, not on '${resolved.target.name}'`, { field: '--target' });
      const g = loadForCli(model, io);
      const board = o.board ? findBoard(resolved.target, o.board) : resolved.board;
      const input = randomInputs(g, 1, seed)[0]!;
      const r = await benchOnMcu(resolved, g, {
        board,
        inputs: g.inputs.map((n) => input.get(n)!),
        options: { prefix: defaultPrefix(g.name), variant: kernelVariant(o.kernels, targetInfo(resolved.target)) },
        keepDir: o.keep,
      });
      for (const d of r.diags.items) io.err(formatDiagnostic(d));
      r.diags.throwIfErrors();
      for (const line of benchLines(r)) io.out(line);
      if (o.json) {
        writeFileSync(o.json, JSON.stringify(benchJson(r), null, 2) + '\n');
        io.out(`wrote ${o.json}`);
      }
    });
}
