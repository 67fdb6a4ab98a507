/**
 * Loads the target descriptions in targets/*.json, resolves the names users
 * type (`cortex-m4`, `m4`, `m0plus-big`) and turns a description into the
 * `TargetInfo` the ops see.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fail } from '../diag/diagnostic.js';
import type { TargetInfo } from '../ops/opdef.js';
import { TARGETS_DIR } from './paths.js';
import { targetSchema, type BoardDesc, type ResolvedTarget, type TargetDesc } from './types.js';

/** Listing order of `f8c targets`. */
const ORDER = ['host', 'cortex-m', 'cortex-m0plus', 'cortex-m3', 'cortex-m4', 'cortex-m7', 'cortex-m33', 'cortex-m55'];

let cache: TargetDesc[] | undefined;

/** Every target description, in listing order. A broken file is a bug in f8c (thrown). */
export function allTargets(): TargetDesc[] {
  if (cache) return cache;
  const files = readdirSync(TARGETS_DIR).filter((f) => f.endsWith('.json'));
  const list = files.map((f) => {
    const r = targetSchema.safeParse(JSON.parse(readFileSync(join(TARGETS_DIR, f), 'utf8')));
    if (!r.success) throw new Error(`internal: target description ${f} is invalid: ${r.error.message}`);
    if (`${r.data.name}.json` !== f) throw new Error(`internal: target ${r.data.name} is in ${f}`);
    return r.data;
  });
  const rank = (n: string) => (ORDER.indexOf(n) < 0 ? ORDER.length : ORDER.indexOf(n));
  cache = list.sort((a, b) => rank(a.name) - rank(b.name) || a.name.localeCompare(b.name));
  return cache;
}

/** The target (and board, for board aliases) a user's `--target` names, or undefined. */
export function findTarget(name: string): ResolvedTarget | undefined {
  const n = name.trim().toLowerCase();
  for (const target of allTargets()) {
    if (target.name === n || target.aliases.includes(n)) return { target };
    const board = target.boards.find((b) => b.aliases.includes(n));
    if (board) return { target, board };
  }
  return undefined;
}

/** Like findTarget, but an unknown name is a user error (F8E090) listing the known ones. */
export function resolveTarget(name: string): ResolvedTarget {
  const r = findTarget(name);
  if (r) return r;
  return fail('F8E090', `unknown target '${name}'; known targets: ${allTargets().map((t) => t.name).join(', ')}`, { field: '--target' });
}

/** The board called `name` (or one of its aliases) of a target; unknown names are F8E072. */
export function findBoard(target: TargetDesc, name: string): BoardDesc {
  const b = target.boards.find((x) => x.name === name || x.aliases.includes(name));
  if (b) return b;
  const known = target.boards.map((x) => x.name).join(', ') || 'none';
  return fail('F8E072', `target ${target.name} has no board '${name}' (boards: ${known})`, { field: '--board' });
}

/** What the ops' scratch and lowering functions may ask about a target. */
export function targetInfo(t: TargetDesc): TargetInfo {
  return { name: t.name, dsp: t.features.dsp, mve: t.features.mve };
}

/** A one-line ISA feature summary: "DSP, FPU sp", "MVE, DSP, FPU dp", "-". */
export function featureList(t: TargetDesc): string {
  const f = [t.features.mve && 'MVE', t.features.dsp && 'DSP', t.features.fpu !== 'none' && `FPU ${t.features.fpu}`];
  return f.filter(Boolean).join(', ') || '-';
}
