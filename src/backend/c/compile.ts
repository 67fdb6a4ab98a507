/**
 * The C backend's entry: a checked, ordered graph to the files of a C
 * library, as a map from file name to contents. The same input gives the
 * same bytes (no timestamps, no absolute paths, deterministic order).
 *
 *   <prefix>.h            public header: arena size/alignment, I/O macros, entry point
 *   <prefix>.c            parameter structs and the flat run function
 *   <prefix>_weights.h    internal: extern declarations of the tables, F8_ALIGN, F8_WEIGHTS_SECTION
 *   <prefix>_weights.c    the constant tables
 *   f8_*.h, f8_<op>.c     the runtime headers and the kernel sources the model uses
 */
import type { Graph } from '../../ir/types.js';
import { RUNTIME_HEADERS } from '../../ops/lowering.js';
import { HOST_TARGET, type KernelVariant, type TargetInfo } from '../../ops/opdef.js';
import { greedyPlan } from '../../plan/greedy.js';
import type { MemoryPlan } from '../../plan/types.js';
import { cIdent } from './cfmt.js';
import { readRuntimeFile, renderTemplate } from './render.js';
import { buildView, type ModelView } from './view.js';

export interface CompileOptions {
  /** C identifier prefix of every exported name; default: from the graph name. */
  prefix?: string;
  target?: TargetInfo;
  variant?: KernelVariant;
  /** Arena alignment in bytes (a power of two, >= 4). */
  align?: number;
  /** The command line stamped into the files (no absolute paths). */
  command?: string;
  /** A plan to use instead of the greedy one (tests). */
  plan?: MemoryPlan;
  /** Emit `<prefix>_trace()` calls after every layer (verify's debug build). */
  trace?: boolean;
}

export interface CompiledModel {
  files: Map<string, string>;
  plan: MemoryPlan;
  view: ModelView;
}

/**
 * The default C prefix for a graph name: a lower-case identifier, never
 * 'f8' or 'f8_...' (the runtime's names: a model 'f8' with a layer 'dense'
 * would otherwise define f8_dense_params, the runtime's struct type).
 */
export function defaultPrefix(graphName: string): string {
  const p = cIdent(graphName.toLowerCase(), 'm');
  return /^f8(_|$)/.test(p) ? `m_${p}` : p;
}

/** Runtime files to ship: the headers, the used kernel sources, and every local header they include. */
export function runtimeFiles(sources: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  const todo = [...RUNTIME_HEADERS, ...sources];
  while (todo.length > 0) {
    const name = todo.shift()!;
    if (out.has(name)) continue;
    const text = readRuntimeFile(name);
    out.set(name, text);
    for (const m of text.matchAll(/^\s*#\s*include\s+"([^"]+)"/gm)) todo.push(m[1]!);
  }
  return new Map([...out.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function compileModel(g: Graph, opts: CompileOptions = {}): CompiledModel {
  const target = opts.target ?? HOST_TARGET;
  const variant = opts.variant ?? 'portable';
  const prefix = opts.prefix ?? defaultPrefix(g.name);
  if (cIdent(prefix) !== prefix) throw new Error(`internal: prefix '${prefix}' is not a C identifier`);
  const plan = opts.plan ?? greedyPlan(g, target, variant, opts.align ?? 4);
  const view = buildView(g, plan, { prefix, target, variant, command: opts.command ?? `f8c compile ${g.name}`, trace: opts.trace });
  const files = new Map<string, string>();
  files.set(`${prefix}.h`, renderTemplate('model.h.ejs', view));
  files.set(`${prefix}.c`, renderTemplate('model.c.ejs', view));
  files.set(`${prefix}_weights.h`, renderTemplate('weights.h.ejs', view));
  files.set(`${prefix}_weights.c`, renderTemplate('weights.c.ejs', view));
  for (const [name, text] of runtimeFiles(view.sources)) {
    if (files.has(name)) throw new Error(`internal: generated file '${name}' clashes with a runtime file`);
    files.set(name, text);
  }
  return { files, plan, view };
}

/** `compileModel` returning only the files. */
export function compileGraph(g: Graph, opts: CompileOptions = {}): Map<string, string> {
  return compileModel(g, opts).files;
}
