/**
 * `f8c verify MODEL [--target host] [--random N] [--seed S] [--input FILE.npy]`:
 * compiles the model, runs the generated C on seeded random inputs (and
 * given ones) and compares every output byte with the interpreter. On the
 * host: gcc, a strict build (-Werror -pedantic -O2) and a sanitizer build
 * (ASan + UBSan); on a Cortex-M target: arm-none-eabi-gcc and QEMU
 * (src/backend/mcu). Exit 0 only when everything matches.
 */
import { Command, CommanderError } from 'commander';
import { execa } from 'execa';
import { defaultPrefix } from '../backend/c/compile.js';
import { randomInputs } from '../backend/c/golden.js';
import { SANITIZE_FLAGS, STRICT_FLAGS } from '../backend/c/host.js';
import { verifyOnHost, type BuildReport } from '../backend/c/verify.js';
import { verifyOnMcu } from '../backend/mcu/verify.js';
import { fail, formatDiagnostic } from '../diag/diagnostic.js';
import { findBoard, resolveTarget, targetInfo } from '../targets/load.js';
import { KERNELS_HELP, kernelVariant, parseKernels } from './kernels.js';
import type { Io } from './main.js';
import { intOption } from './compile.js';
import { loadForCli } from './model.js';
import { readInputs } from './run.js';
import { modelLayout } from './tensors-io.js';

const collect = (v: string, prev: string[]) => [...prev, v];

interface VerifyCliOptions {
  kernels?: 'portable' | 'arm';
  target: string;
  board?: string;
  random?: string;
  seed?: string;
  input: string[];
  layout?: string;
  keep?: string;
}

function describeBuild(b: BuildReport): string[] {
  const flags = (b.build === 'strict' ? STRICT_FLAGS : SANITIZE_FLAGS).join(' ');
  const lines = [`${b.build} build (gcc ${flags}): ${b.ok ? 'all outputs match' : 'FAILED'}`];
  if (b.compileLog) lines.push(`  the generated C does not compile cleanly:\n${b.compileLog.trimEnd().replace(/^/gm, '    ')}`);
  if (b.runError) lines.push(`  the program did not run cleanly: ${b.runError.trimEnd().replace(/\n/g, '\n    ')}`);
  for (const m of b.mismatches.slice(0, 10)) {
    lines.push(`  case ${m.case}, output '${m.output}': first difference at byte ${m.byte}: interpreter ${m.expected}, C ${m.got}${m.layer ? `; first differing layer: '${m.layer}'` : ''}`);
  }
  if (b.mismatches.length > 10) lines.push(`  ... ${b.mismatches.length - 10} more`);
  return lines;
}

async function requireTool(tool: string): Promise<void> {
  const r = await execa(tool, ['--version'], { reject: false });
  if (r.exitCode !== 0) fail('F8E092', `'${tool}' is needed to verify on the host and was not found`, { field: '--target' });
}

export function registerVerify(program: Command, io: Io): void {
  program
    .command('verify')
    .description('compile a model, run the C on random and given inputs, and compare every output byte with the interpreter')
    .argument('<model>', 'model file')
    .option('-t, --target <target>', 'host (gcc) or a Cortex-M core (arm-none-eabi-gcc + QEMU)', 'host')
    .option('--kernels <variant>', KERNELS_HELP, parseKernels)
    .option('--board <board>', 'QEMU board for a Cortex-M target (default: the first whose RAM fits)')
    .option('--random <n>', 'number of seeded random inputs (default 8; 0 with --input)')
    .option('--seed <s>', 'seed of the random inputs', '1')
    .option('-i, --input <file>', 'also verify on inputs from .npy (NAME=FILE for several inputs; repeatable)', collect, [])
    .option('--layout <layout>', "layout of 4-D .npy inputs: nhwc or nchw (default: the model's own)")
    .option('--keep <dir>', 'keep the build directory here (for debugging)')
    .action(async (model: string, o: VerifyCliOptions) => {
      const random = intOption(o.random, '--random', 0, 100000, o.input.length > 0 ? 0 : 8);
      const seed = intOption(o.seed, '--seed', 0, 2 ** 32 - 1, 1);
      const resolved = resolveTarget(o.target);
      const g = loadForCli(model, io);
      const given = o.input.length > 0 ? readInputs(g, o.input, modelLayout(g, o.layout)) : [];
      const cases = [...randomInputs(g, random, seed), ...given];
      if (cases.length === 0) fail('F8E072', 'nothing to verify: --random 0 and no --input', { field: '--random' });
      const info = targetInfo(resolved.target);
      const options = { prefix: defaultPrefix(g.name), target: info, variant: kernelVariant(o.kernels, info) };
      const what = `${cases.length} case(s) (${random} random, seed ${seed}${given.length ? `; ${given.length} from --input` : ''})`;
      if (resolved.target.kind === 'host') {
        await requireTool('gcc');
        const r = await verifyOnHost([{ graph: g, cases, options }], { keepDir: o.keep });
        io.out(`verify ${g.name} on host: ${what}, ${r.outputBytes} output bytes per build`);
        for (const b of r.builds) for (const line of describeBuild(b)) io.out(line);
        if (!r.ok) throw new CommanderError(1, 'f8c.verify.mismatch', 'verification failed');
        return;
      }
      const board = o.board ? findBoard(resolved.target, o.board) : resolved.board;
      const r = await verifyOnMcu(resolved, [{ graph: g, cases, options }], { board, keepDir: o.keep });
      for (const d of r.diags.items) io.err(formatDiagnostic(d));
      r.diags.throwIfErrors();
      io.out(`verify ${g.name} on ${r.target} (${r.board}, ${r.images} image(s)): ${what}, ${r.outputBytes} output bytes: ${r.ok ? 'all outputs match' : 'FAILED'}`);
      for (const e of r.runErrors) io.out(`  ${e}`);
      for (const m of r.mismatches.slice(0, 10)) io.out(`  case ${m.case}, output '${m.output}': first difference at byte ${m.byte}: interpreter ${m.expected}, C ${m.got}`);
      if (!r.ok) throw new CommanderError(1, 'f8c.verify.mismatch', 'verification failed');
    });
}
