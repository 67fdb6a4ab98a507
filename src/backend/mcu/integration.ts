/**
 * The firmware integration example `f8c compile --target cortex-m*` writes
 * next to the model's sources: main.c (arena placement and alignment, the
 * run call, the status check) and a Makefile fragment with the core's flags.
 */
import ejs from 'ejs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CompiledModel } from '../c/compile.js';
import { MCU_DIR } from '../../targets/paths.js';
import type { TargetDesc } from '../../targets/types.js';
import { VERSION } from '../../version.js';

const templates = new Map<string, ejs.TemplateFunction>();

function render(name: string, v: unknown): string {
  let fn = templates.get(name);
  if (!fn) {
    fn = ejs.compile(readFileSync(join(MCU_DIR, 'templates', name), 'utf8'), { filename: name, strict: true, destructuredLocals: ['v'] }) as ejs.TemplateFunction;
    templates.set(name, fn);
  }
  return fn({ v }) as string;
}

/** File name of the Makefile fragment. */
export const MAKE_FRAGMENT = 'model.mk';

/** main.c and model.mk for a compiled model on a Cortex-M target (`cortex-m`: -mthumb only). */
export function integrationFiles(target: TargetDesc, compiled: CompiledModel): Map<string, string> {
  if (target.kind !== 'mcu') throw new Error(`internal: no firmware example for target ${target.name}`);
  const v = compiled.view;
  const sources = [...compiled.files.keys()].filter((n) => n.endsWith('.c')).sort();
  const inputs = v.inputs.map((io) => ({ name: io.name, macro: io.macro, var: `input${io.index}` }));
  const outputs = v.outputs.map((io) => ({ name: io.name, macro: io.macro, var: `output${io.index}` }));
  const cpuFlags = target.cflags.length > 1 ? target.cflags.join(' ') : `${target.cflags.join(' ')} -mcpu=<your core>`;
  const view = {
    version: VERSION,
    prefix: v.prefix,
    PREFIX: v.PREFIX,
    target: target.name,
    mk: MAKE_FRAGMENT,
    cpuFlags,
    arenaSize: compiled.plan.arenaSize,
    sources: sources.join(' '),
    srcList: sources.map((s) => `$(F8C_DIR)${s}`).join(' '),
    ios: [...inputs, ...outputs],
    inputs,
    outputs,
    args: [...inputs, ...outputs].map((io) => io.var).concat('arena').join(', '),
  };
  return new Map([
    ['main.c', render('main.c.ejs', view)],
    [MAKE_FRAGMENT, render('model.mk.ejs', view)],
  ]);
}
