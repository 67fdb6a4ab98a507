/**
 * Bit-exactness check of the generated C against the interpreter on the
 * host: compile with gcc (strict, and with sanitizers), run on given inputs,
 * compare every output byte with `runGraph` under the same memory plan. On a
 * difference, a trace build (a hook after every layer) names the first layer
 * whose output differs.
 */
import type { Graph } from '../../ir/types.js';
import { runGraph, type ActArray } from '../../interp/interpreter.js';
import { compileModel, type CompileOptions, type CompiledModel } from './compile.js';
import { harnessSource, parseHarnessOutput, type HarnessModel } from './harness.js';
import { SANITIZE_FLAGS, STRICT_FLAGS, gccBuild, makeTempDir, removeDir, runExe, writeFiles } from './host.js';

export type BuildKind = 'strict' | 'sanitize';

export interface VerifyItem {
  graph: Graph;
  /** Each case maps every model input to its elements. */
  cases: Map<string, ArrayLike<number>>[];
  options?: CompileOptions;
}

export interface Mismatch {
  model: string;
  case: number;
  output: string;
  /** First differing byte of the output. */
  byte: number;
  expected: number;
  got: number;
  /** The first layer (in run order) whose output differs, when found. */
  layer?: string;
}

export interface BuildReport {
  build: BuildKind;
  /** Compiler output when the build failed or warned. */
  compileLog?: string;
  /** Why the program failed to run cleanly (sanitizer report, crash, bad status). */
  runError?: string;
  mismatches: Mismatch[];
  ok: boolean;
}

export interface VerifyReport {
  builds: BuildReport[];
  ok: boolean;
  cases: number;
  outputBytes: number;
}

function bytesOf(a: ActArray): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

interface Prepared {
  item: VerifyItem;
  compiled: CompiledModel;
  expected: Map<string, ActArray>[];
}

function harnessModels(prep: readonly Prepared[]): HarnessModel[] {
  return prep.map((p) => ({ graph: p.item.graph, compiled: p.compiled, cases: p.item.cases.map((c) => p.item.graph.inputs.map((n) => c.get(n)!)) }));
}

async function buildAndRun(prep: readonly Prepared[], flags: readonly string[], trace: boolean, keepDir?: string) {
  const dir = keepDir ?? makeTempDir('verify');
  try {
    const written = new Map<string, string>();
    const models = prep.map((p) => (trace ? { ...p, compiled: compileModel(p.item.graph, { ...p.item.options, plan: p.compiled.plan, trace: true }) } : p));
    for (const m of models) writeFiles(dir, m.compiled.files, written);
    writeFiles(dir, new Map([['f8c_harness.c', harnessSource(harnessModels(models), trace)]]), written);
    const built = await gccBuild(dir, flags, 'harness');
    if (!built.ok) return { compileLog: built.log };
    const run = await runExe(built.exe);
    return { run, parsed: parseHarnessOutput(run.stdout) };
  } finally {
    if (!keepDir) removeDir(dir);
  }
}

/** Finds the first layer whose output differs between the interpreter and a trace run. */
async function locate(prep: readonly Prepared[], flags: readonly string[], m: Mismatch, modelIndex: number): Promise<string | undefined> {
  const p = prep[modelIndex]!;
  const one: Prepared = { ...p, item: { ...p.item, cases: [p.item.cases[m.case]!] } };
  const r = await buildAndRun([one], flags, true);
  if (!r.parsed) return undefined;
  const g = p.item.graph;
  const ref = runGraph(g, p.compiled.plan, p.item.cases[m.case]!, { trace: true }).trace!;
  for (let i = 0; i < g.layers.length; i++) {
    const got = r.parsed.traces.get(`0/0/${i}`);
    const layer = g.layers[i]!;
    const differs = layer.outputs.some((name, k) => {
      const want = bytesOf(ref.get(name)!);
      const have = got?.[k];
      return !have || have.length !== want.length || have.some((b, j) => b !== want[j]);
    });
    if (differs) return layer.name;
  }
  return undefined;
}

export async function verifyOnHost(items: readonly VerifyItem[], opts: { builds?: BuildKind[]; keepDir?: string } = {}): Promise<VerifyReport> {
  const prep: Prepared[] = items.map((item) => {
    const compiled = compileModel(item.graph, item.options);
    return { item, compiled, expected: item.cases.map((c) => runGraph(item.graph, compiled.plan, c).outputs) };
  });
  const prefixes = prep.map((p) => p.compiled.view.prefix);
  if (new Set(prefixes).size !== prefixes.length) throw new Error(`internal: models in one verify build need distinct prefixes: ${prefixes.join(', ')}`);
  const builds: BuildReport[] = [];
  let outputBytes = 0;
  for (const build of opts.builds ?? (['strict', 'sanitize'] as BuildKind[])) {
    const flags = build === 'strict' ? STRICT_FLAGS : SANITIZE_FLAGS;
    const r = await buildAndRun(prep, flags, false, opts.keepDir);
    const report: BuildReport = { build, mismatches: [], ok: false };
    builds.push(report);
    if (!r.parsed) {
      report.compileLog = r.compileLog;
      continue;
    }
    if (r.run.exitCode !== 0) report.runError = `exit code ${r.run.exitCode}\n${r.run.stderr.slice(0, 4000)}`;
    outputBytes = 0;
    prep.forEach((p, mi) => {
      p.expected.forEach((outs, ci) => {
        if (r.parsed.statuses.has(`${mi}/${ci}`)) report.runError = `${p.compiled.view.prefix}_run returned status ${r.parsed.statuses.get(`${mi}/${ci}`)} on case ${ci}`;
        p.item.graph.outputs.forEach((name, oi) => {
          const want = bytesOf(outs.get(name)!);
          const got = r.parsed.outs.get(`${mi}/${ci}/${oi}`) ?? new Uint8Array(0);
          outputBytes += want.length;
          const j = firstDiff(want, got);
          if (j >= 0) report.mismatches.push({ model: p.compiled.view.prefix, case: ci, output: name, byte: j, expected: want[j] ?? -1, got: got[j] ?? -1 });
        });
      });
    });
    if (report.mismatches.length > 0) {
      const m = report.mismatches[0]!;
      const mi = prep.findIndex((p) => p.compiled.view.prefix === m.model);
      m.layer = await locate(prep, flags, m, mi);
    }
    report.ok = !report.compileLog && !report.runError && report.mismatches.length === 0;
  }
  return { builds, ok: builds.every((b) => b.ok), cases: items.reduce((s, i) => s + i.cases.length, 0), outputBytes };
}

function firstDiff(a: Uint8Array, b: Uint8Array): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return -1;
}
