/**
 * `f8c compile MODEL --target T -o DIR [--prefix NAME] [--golden N [--seed S]] [--io-helpers]`:
 * writes the C library of a model (and optionally golden test vectors with
 * a test program and Makefile). Everything is generated in memory, written
 * to a temporary directory next to DIR and renamed at the end, so an error
 * never leaves a partial output directory.
 */
import type { Command } from 'commander';
import { existsSync, mkdtempSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { compileModel, defaultPrefix } from '../backend/c/compile.js';
import { goldenFiles, randomInputs } from '../backend/c/golden.js';
import { cIdent } from '../backend/c/cfmt.js';
import { integrationFiles } from '../backend/mcu/integration.js';
import { ioHelperFiles } from '../backend/c/io_helpers.js';
import { fail } from '../diag/diagnostic.js';
import { resolveTarget, targetInfo } from '../targets/load.js';
import { KERNELS_HELP, kernelVariant, parseKernels } from './kernels.js';
import type { Io } from './main.js';
import { loadForCli } from './model.js';

export interface CompileCliOptions {
  kernels?: 'portable' | 'arm';
  target: string;
  output: string;
  prefix?: string;
  golden?: string;
  seed?: string;
  force?: boolean;
  ioHelpers?: boolean;
}

/** A non-negative integer option, or F8E072. */
export function intOption(value: string | undefined, flag: string, min: number, max: number, dflt: number): number {
  if (value === undefined) return dflt;
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || n < min || n > max) fail('F8E072', `${flag} must be an integer in [${min}, ${max}], got '${value}'`, { field: flag });
  return n;
}

export function checkPrefix(prefix: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(prefix) || cIdent(prefix) !== prefix || prefix.length > 40)
    fail('F8E072', `--prefix '${prefix}' is not a usable C identifier (letters, digits, _; not a keyword; at most 40 characters)`, { field: '--prefix' });
  if (/^f8_/i.test(prefix)) fail('F8E072', `--prefix '${prefix}' would clash with the runtime's f8_ names`, { field: '--prefix' });
  return prefix;
}

/** Writes `files` to `dir` atomically: a sibling temp directory renamed into place. */
export function writeOutputDir(dir: string, files: Map<string, string>, force: boolean): void {
  const target = resolve(dir);
  if (existsSync(target)) {
    if (!statSync(target).isDirectory()) fail('F8E072', `output '${dir}' exists and is not a directory`, { field: '--output' });
    if (readdirSync(target).length > 0 && !force) fail('F8E072', `output directory '${dir}' is not empty; pass --force to replace it`, { field: '--output' });
  }
  let createdParent: string | undefined;
  let tmp: string | undefined;
  try {
    createdParent = mkdirSync(dirname(target), { recursive: true });
    tmp = mkdtempSync(join(dirname(target), `.${basename(target)}.f8c-`));
    for (const [name, text] of files) writeFileSync(join(tmp, name), text);
    if (existsSync(target)) rmSync(target, { recursive: true, force: true });
    renameSync(tmp, target);
  } catch (e) {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
    if (createdParent) rmSync(createdParent, { recursive: true, force: true });
    const err = e as NodeJS.ErrnoException;
    if (err.code && err.syscall) fail('F8E007', `cannot write output directory '${dir}': ${err.code} (${err.syscall})`, { field: '--output' });
    throw e;
  }
}

/** The command line stamped into generated files: file names only, never absolute paths. */
export function stampCommand(model: string, o: CompileCliOptions, golden: number, seed: number): string {
  const parts = ['f8c compile', basename(model), '--target', o.target, '-o', basename(resolve(o.output))];
  if (o.prefix) parts.push('--prefix', o.prefix);
  if (golden > 0) parts.push('--golden', String(golden), '--seed', String(seed));
  if (o.ioHelpers) parts.push('--io-helpers');
  return parts.join(' ');
}

export function registerCompile(program: Command, io: Io): void {
  program
    .command('compile')
    .description('compile a model to a C99 library (header, run function, weights, runtime kernels)')
    .argument('<model>', 'model file')
    .option('-t, --target <target>', 'target core (f8c targets lists them)', 'host')
    .requiredOption('-o, --output <dir>', 'output directory (created; replaced only with --force)')
    .option('--kernels <variant>', KERNELS_HELP, parseKernels)
    .option('--prefix <name>', 'C prefix of every exported name (default: from the model name)')
    .option('--golden <n>', 'also write N golden input/output vectors, a test program and a Makefile')
    .option('--seed <s>', 'seed of the golden inputs', '1')
    .option('--force', 'replace a non-empty output directory')
    .option('--io-helpers', 'also write <prefix>_io.h/.c: float quantize/dequantize helpers for the inputs and outputs (outside the run function)')
    .action((model: string, o: CompileCliOptions) => {
      const golden = intOption(o.golden, '--golden', 1, 10000, 0);
      const seed = intOption(o.seed, '--seed', 0, 2 ** 32 - 1, 1);
      const resolved = resolveTarget(o.target);
      const target = targetInfo(resolved.target);
      if (o.prefix !== undefined) checkPrefix(o.prefix);
      const g = loadForCli(model, io);
      const prefix = o.prefix ?? defaultPrefix(g.name);
      const compiled = compileModel(g, { prefix, target, variant: kernelVariant(o.kernels, target), command: stampCommand(model, o, golden, seed) });
      const files = new Map(compiled.files);
      if (resolved.target.kind === 'mcu') for (const [n, t] of integrationFiles(resolved.target, compiled)) files.set(n, t);
      if (o.ioHelpers) for (const [n, t] of ioHelperFiles(g, prefix)) files.set(n, t);
      if (golden > 0) {
        for (const [n, t] of goldenFiles(g, compiled, randomInputs(g, golden, seed), `${golden} random input(s), seed ${seed}`)) files.set(n, t);
      }
      writeOutputDir(o.output, files, o.force ?? false);
      const p = compiled.plan;
      io.out(`wrote ${files.size} files to ${o.output}: ${prefix}.h, ${prefix}.c, ${prefix}_weights.c, ${compiled.view.sources.length} kernel source(s)${o.ioHelpers ? `, ${prefix}_io.h/.c` : ''}${golden > 0 ? `, ${golden} golden case(s) (make test)` : ''}`);
      io.out(`arena ${p.arenaSize} B (lower bound ${p.lowerBound} B), ${compiled.view.tableBytes} B of constant tables`);
    });
}
