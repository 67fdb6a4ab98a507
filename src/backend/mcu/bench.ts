/**
 * `f8c bench --target cortex-mX`: instructions (exact, from the QEMU
 * counting plugin) and estimated cycles (static timing table; null where the
 * core has none) of one inference, per layer and in total; flash split into
 * weights and code; RAM as arena and measured stack peak.
 *
 * Two images are built from the same memory plan: the production C (its
 * single region gives the total and the stack peak) and a build with the
 * emitter's per-layer trace hook, which ends one region and begins the next
 * after every layer. Layer k's region runs from the hook after layer k-1 to
 * the hook after layer k (the input copy counts to the first layer, the
 * output copy to the last), so the layers add up to the total up to the
 * marker overhead of the hook calls.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { DiagnosticBag } from '../../diag/diagnostic.js';
import { runGraph, type ActArray } from '../../interp/interpreter.js';
import type { Graph } from '../../ir/types.js';
import { opCtx } from '../../ops/context.js';
import { getOp } from '../../ops/registry.js';
import { checkFlash, chooseBoard } from '../../targets/fit.js';
import { targetInfo } from '../../targets/load.js';
import type { BoardDesc, ResolvedTarget } from '../../targets/types.js';
import { compileModel, type CompileOptions } from '../c/compile.js';
import { parseHarnessOutput } from '../c/harness.js';
import { buildFirmware, type Firmware } from './build.js';
import { outputBytes, writeFirmwareSources, type FirmwareModel } from './firmware.js';
import { sumSizes } from './mapfile.js';
import type { Region } from './report.js';
import { runFirmware } from './run.js';

export interface BenchLayer {
  name: string;
  op: string;
  macs: number;
  instructions: number;
  /** Estimated cycles, or null when the core has no timing table. */
  cycles: number | null;
}

export interface BenchReport {
  model: string;
  target: string;
  board: string;
  /** The cycle table used ('m4' for M33), or null. */
  cycle_model: string | null;
  layers: BenchLayer[];
  total: {
    macs: number;
    instructions: number;
    cycles: number | null;
    flash_bytes: number;
    weights_bytes: number;
    code_bytes: number;
    arena_bytes: number;
    stack_bytes: number;
  };
  /** Instructions of the marker hooks in the per-layer build: total - sum(layers) is within this. */
  marker_overhead: number;
  diags: DiagnosticBag;
}

export interface BenchOptions {
  board?: BoardDesc;
  /** Inputs of the measured inference (one array per model input); default zeros. */
  inputs?: ArrayLike<number>[];
  options?: CompileOptions;
  keepDir?: string;
  opt?: string;
}

function bytesOf(a: ActArray): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

export async function benchOnMcu(r: ResolvedTarget, g: Graph, opts: BenchOptions = {}): Promise<BenchReport> {
  const info = targetInfo(r.target);
  const base = { ...opts.options, target: info, variant: opts.options?.variant ?? ('portable' as const) };
  const prod = compileModel(g, base);
  const traced = compileModel(g, { ...base, plan: prod.plan, trace: true });
  const inputs = opts.inputs ?? g.inputs.map((n) => new Array<number>(prod.view.inputs.find((io) => io.name === n)!.size).fill(0));
  const expected = runGraph(g, prod.plan, new Map(g.inputs.map((n, i) => [n, inputs[i]!]))).outputs;

  const diags = new DiagnosticBag();
  const one = (compiled: typeof prod, layerMarks: boolean): FirmwareModel => ({ compiled, cases: [inputs], bench: true, layerMarks });
  const board = chooseBoard(r, { arenaBytes: prod.plan.arenaSize, staticBytes: outputBytes([one(prod, false)]) }, diags, opts.board);
  diags.throwIfErrors();

  const build = async (m: FirmwareModel, tag: string) => {
    const dir = opts.keepDir ? join(opts.keepDir, tag) : mkdtempSync(join(tmpdir(), `f8c-bench-${tag}-`));
    if (opts.keepDir) mkdirSync(dir, { recursive: true });
    try {
      const sources = writeFirmwareSources(dir, [m], r.target, board!);
      const fw = await buildFirmware({ target: r.target, board: board!, sources, includeDirs: [dir], cflags: ['-std=c99'], opt: opts.opt, buildDir: dir });
      const run = await runFirmware(fw.elf, r.target, board!, { count: true, timeoutSec: 600, ...(opts.keepDir ? { profile: join(dir, 'profile.txt') } : {}) });
      const why = run.timedOut ? 'QEMU timed out' : run.fault ?? (run.exitCode !== 0 ? `exit status ${run.exitCode}` : undefined);
      if (why) throw new Error(`internal: the ${tag} bench firmware of ${g.name} did not run cleanly on ${r.target.name}: ${why}`);
      const parsed = parseHarnessOutput(run.stdout);
      g.outputs.forEach((name, oi) => {
        const want = bytesOf(expected.get(name)!);
        const got = parsed.outs.get(`0/0/${oi}`);
        if (!got || got.length !== want.length || got.some((b, j) => b !== want[j])) {
          throw new Error(`internal: the ${tag} bench firmware of ${g.name} on ${r.target.name} computed a different output '${name}' than the interpreter (run f8c verify)`);
        }
      });
      const stack = Number(/^stack 0 (\d+)$/m.exec(run.stdout)?.[1] ?? NaN);
      return { fw, regions: run.counts?.regions ?? [], calibration: run.counts?.calibration, stack, prefix: m.compiled.view.prefix };
    } finally {
      if (!opts.keepDir) rmSync(dir, { recursive: true, force: true });
    }
  };

  const whole = await build(one(prod, false), 'model');
  const perLayer = await build(one(traced, true), 'layers');
  const total = whole.regions.find((x) => x.depth === 0);
  if (!total || whole.regions.length !== 1) throw new Error(`internal: expected one measured region, got ${whole.regions.length}`);

  const layerOfHook = [...traced.files.get(`${perLayer.prefix}.c`)!.matchAll(new RegExp(`\\b${perLayer.prefix}_trace\\((\\d+),`, 'g'))].map((m) => Number(m[1]));
  const inner = perLayer.regions.filter((x) => x.depth === 1);
  if (inner.length !== layerOfHook.length + 1) throw new Error(`internal: ${inner.length} layer regions for ${layerOfHook.length} hooks`);
  const acc = g.layers.map(() => ({ insns: 0, cycles: 0 }));
  const add = (li: number, x: Region) => {
    acc[li]!.insns += x.insns;
    acc[li]!.cycles += x.cycles ?? 0;
  };
  inner.forEach((x, j) => add(j < layerOfHook.length ? layerOfHook[j]! : layerOfHook[layerOfHook.length - 1] ?? g.layers.length - 1, x));

  const hasCycles = r.target.cycle_model !== null;
  const layers: BenchLayer[] = g.layers.map((l, i) => ({
    name: l.name,
    op: l.op,
    macs: getOp(l.op).macs(opCtx(g, l)),
    instructions: acc[i]!.insns,
    cycles: hasCycles ? acc[i]!.cycles : null,
  }));
  const sizes = flashSplit(whole.fw, whole.prefix);
  checkFlash(board!, sizes.weights + sizes.code, diags);
  return {
    model: g.name,
    target: r.target.name,
    board: board!.name,
    cycle_model: r.target.cycle_model,
    layers,
    total: {
      macs: layers.reduce((s, l) => s + l.macs, 0),
      instructions: total.insns,
      cycles: hasCycles ? total.cycles : null,
      flash_bytes: sizes.weights + sizes.code,
      weights_bytes: sizes.weights,
      code_bytes: sizes.code,
      arena_bytes: prod.plan.arenaSize,
      stack_bytes: whole.stack,
    },
    marker_overhead: (layerOfHook.length + 1) * 2 * (perLayer.calibration?.insns ?? 0) + layerOfHook.length * HOOK_CALL_INSNS,
    diags,
  };
}

/** A generous bound on the instructions of one hook call site (argument set-up, call, return). */
const HOOK_CALL_INSNS = 16;

/** Flash of the model: weights (its weights object) and code (run function, params and kernels); the firmware main and libc excluded. */
function flashSplit(fw: Firmware, prefix: string): { weights: number; code: number } {
  const isWeights = (f: string) => basename(f).endsWith(`_${prefix}_weights.o`);
  const isModel = (f: string) => fw.objects.includes(f) && !basename(f).endsWith('_f8c_firmware.o');
  const w = sumSizes(fw.perObject, (f) => isModel(f) && isWeights(f));
  const c = sumSizes(fw.perObject, (f) => isModel(f) && !isWeights(f));
  return { weights: w.text + w.rodata + w.data, code: c.text + c.rodata + c.data };
}
