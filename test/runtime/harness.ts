/**
 * Kernel-level bit-exactness harness: renders each case's `lower()` output
 * (tables, parameter struct, call) into one C test program, builds it with
 * gcc twice (-O2 with -Werror -pedantic; -O1 with ASan and UBSan), runs it,
 * and compares every output byte and the kernels' `_scratch_size` with the
 * TypeScript reference (runGraph) and the OpDef's `scratch`.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { getTensor, numel, tensorBytes, type Graph } from '../../src/ir/types.js';
import { getOp } from '../../src/ops/registry.js';
import { opCtx } from '../../src/ops/context.js';
import { HOST_TARGET } from '../../src/ops/opdef.js';
import type { KernelCall, ParamValue } from '../../src/ops/lowering.js';
import { runGraph } from '../../src/interp/interpreter.js';
import { trivialPlan } from '../../src/plan/trivial.js';

export const RUNTIME_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../runtime-c');

export interface KCase {
  label: string;
  /** A graph of one layer whose activation inputs are graph inputs. */
  graph: Graph;
  inputs: Map<string, ArrayLike<number>>;
}

interface Prepared {
  c: KCase;
  calls: KernelCall[];
  expected: number[];
  opScratch: number;
  outBytes: number;
}

const cInt = (v: number): string => (v === -2147483648 ? '(-2147483647 - 1)' : String(v));

function prepare(c: KCase): Prepared {
  const g = c.graph;
  const layer = g.layers[0]!;
  const op = getOp(layer.op);
  if (!op.lower) throw new Error(`op ${layer.op} has no lower()`);
  const ctx = opCtx(g, layer);
  const calls = op.lower(ctx, HOST_TARGET, 'portable');
  const out = getTensor(g, layer.outputs[0]!);
  const r = runGraph(g, trivialPlan(g), c.inputs);
  const expected = Array.from(r.outputs.get(out.name)!, (v) => v & 255);
  return { c, calls, expected, opScratch: op.scratch(ctx, HOST_TARGET, 'portable'), outBytes: tensorBytes(out) };
}

function renderValue(v: ParamValue, prefix: string): string {
  switch (v.kind) {
    case 'int':
      return cInt(v.value);
    case 'enum':
      return v.name;
    case 'table':
      return `${prefix}_${v.suffix}`;
    case 'null':
      return 'NULL';
  }
}

function renderCase(p: Prepared, i: number): string {
  const g = p.c.graph;
  const layer = g.layers[0]!;
  const acts = layer.inputs.filter((n) => !getTensor(g, n).data);
  const lines: string[] = [`/* case ${i}: ${p.c.label.replace(/\*\//g, '')} */`];
  acts.forEach((name, a) => {
    const bytes = Array.from(p.c.inputs.get(name)!, (v) => v & 255);
    lines.push(`static const uint8_t c${i}_in${a}[${Math.max(1, bytes.length)}] = {${bytes.join(',')}};`);
  });
  p.calls.forEach((call, j) => {
    const prefix = `c${i}_k${j}`;
    for (const t of call.tables) {
      if (t.values.length === 0) continue;
      lines.push(`static const ${t.ctype} ${prefix}_${t.suffix}[${t.values.length}] = {${Array.from(t.values, cInt).join(',')}};`);
    }
    const fields = call.params.map((f) => `.${f.name} = ${renderValue(f.value, prefix)}`);
    lines.push(`static const ${call.paramsType} ${prefix}_params = {${fields.join(', ')}};`);
  });
  lines.push(`static void case_${i}(void) {`);
  acts.forEach((name, a) => {
    const n = tensorBytes(getTensor(g, name));
    lines.push(`  uint8_t *in${a} = dup_bytes(c${i}_in${a}, ${n});`);
  });
  lines.push(`  uint8_t *out = (uint8_t *)xalloc(${p.outBytes});`, `  memset(out, 0xA5, ${p.outBytes});`);
  p.calls.forEach((call, j) => {
    const prefix = `c${i}_k${j}`;
    lines.push(`  {`, `    void *scratch = ${call.scratchBytes > 0 ? `xalloc(${call.scratchBytes})` : 'NULL'};`);
    const args = call.args.map((a) => {
      switch (a.kind) {
        case 'params':
          return `&${prefix}_params`;
        case 'input':
          return `(const ${a.ctype} *)in${a.index}`;
        case 'output':
          return `(${a.ctype} *)out`;
        case 'scratch':
          return 'scratch';
      }
    });
    lines.push(`    int st = (int)${call.fn}(${args.join(', ')});`);
    lines.push(`    printf("S ${i} ${j} %d %lu\\n", st, (unsigned long)${call.scratchSizeFn}(&${prefix}_params));`);
    lines.push(`    free(scratch);`, `  }`);
  });
  lines.push(`  printf("O ${i}");`, `  print_bytes(out, ${p.outBytes});`);
  acts.forEach((_, a) => lines.push(`  free(in${a});`));
  lines.push(`  free(out);`, `}`);
  return lines.join('\n');
}

const PRELUDE = `#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "f8_kernels.h"

static void *xalloc(size_t n) {
  void *p = malloc(n);
  if (p == NULL) { fprintf(stderr, "out of memory\\n"); exit(2); }
  return p;
}
static uint8_t *dup_bytes(const uint8_t *src, size_t n) {
  uint8_t *p = (uint8_t *)xalloc(n);
  memcpy(p, src, n);
  return p;
}
static void print_bytes(const uint8_t *p, size_t n) {
  size_t i;
  for (i = 0; i < n; i++) printf(" %u", (unsigned)p[i]);
  printf("\\n");
}
`;

export function renderProgram(prepared: Prepared[]): string {
  const body = prepared.map(renderCase).join('\n\n');
  const main = `int main(void) {\n${prepared.map((_, i) => `  case_${i}();`).join('\n')}\n  return 0;\n}\n`;
  return `${PRELUDE}\n${body}\n\n${main}`;
}

const BUILDS = [
  ['-O2', '-Wall', '-Wextra', '-Werror', '-pedantic'],
  ['-O1', '-g', '-Wall', '-Wextra', '-Werror', '-pedantic', '-fsanitize=address,undefined', '-fno-sanitize-recover=all'],
];

/** Compiles `program` with the runtime `sources` in both builds and returns each build's stdout. */
export async function buildAndRun(program: string, sources: string[]): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'f8c-rt-'));
  try {
    const main = join(dir, 'main.c');
    await writeFile(main, program);
    const paths = sources.map((s) => join(RUNTIME_DIR, s));
    return await Promise.all(
      BUILDS.map(async (flags, b) => {
        const exe = join(dir, `t${b}`);
        await execa('gcc', ['-std=c99', ...flags, '-I', RUNTIME_DIR, main, ...paths, '-o', exe]);
        return (await execa(exe, [], { maxBuffer: 1 << 28 })).stdout;
      }),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Builds and runs the cases; returns a list of human-readable mismatches (empty = all bit-exact). */
export async function checkCases(cases: KCase[]): Promise<string[]> {
  const prepared = cases.map(prepare);
  const sources = [...new Set(prepared.flatMap((p) => p.calls.flatMap((c) => c.sources)))];
  const outputs = await buildAndRun(renderProgram(prepared), sources);
  return outputs.flatMap((stdout, b) => compare(prepared, stdout, `build ${b}`));
}

function compare(prepared: Prepared[], stdout: string, build: string): string[] {
  const bad: string[] = [];
  const seen = new Set<number>();
  for (const line of stdout.split('\n')) {
    const f = line.trim().split(/\s+/);
    const i = Number(f[1]);
    const p = prepared[i];
    if (!p) continue;
    const where = `${build} case ${i} (${p.c.label})`;
    if (f[0] === 'S') {
      const [call, st, scr] = [Number(f[2]), Number(f[3]), Number(f[4])];
      if (st !== 0) bad.push(`${where}: call ${call} returned status ${st}`);
      if (scr !== p.calls[call]!.scratchBytes) bad.push(`${where}: C scratch ${scr} != lowering ${p.calls[call]!.scratchBytes}`);
    } else if (f[0] === 'O') {
      seen.add(i);
      const got = f.slice(2).map(Number);
      const maxScratch = Math.max(...p.calls.map((c) => c.scratchBytes));
      if (maxScratch !== p.opScratch) bad.push(`${where}: lowering scratch ${maxScratch} != OpDef scratch ${p.opScratch}`);
      const k = got.findIndex((v, j) => v !== p.expected[j]);
      if (got.length !== p.expected.length || k >= 0)
        bad.push(`${where}: byte ${k} got ${got[k]} expected ${p.expected[k]} (${got.filter((v, j) => v !== p.expected[j]).length} differ)`);
    }
  }
  prepared.forEach((p, i) => {
    if (!seen.has(i)) bad.push(`${build} case ${i} (${p.c.label}): no output`);
  });
  return bad;
}

/** The elements of an activation tensor drawn uniformly from its [qmin, qmax]. */
export function numelOf(g: Graph, name: string): number {
  return numel(getTensor(g, name).shape);
}
