/**
 * The test firmware of `f8c verify` and `f8c bench` on a Cortex-M target:
 * one or more compiled models, their cases' inputs compiled into flash (QEMU
 * gets no standard input), a static aligned arena, outputs printed as hex.
 * Bench builds mark the run, and with `layerMarks` each layer, for the
 * counting plugin (through the emitter's per-layer trace hook).
 */
import ejs from 'ejs';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CompiledModel } from '../c/compile.js';
import { cArrayLines } from '../c/cfmt.js';
import { MCU_DIR } from '../../targets/paths.js';
import type { BoardDesc, TargetDesc } from '../../targets/types.js';
import { VERSION } from '../../version.js';

export interface FirmwareModel {
  compiled: CompiledModel;
  /** Cases: one array per model input, in model input order. */
  cases: ArrayLike<number>[][];
  /** Measure each run (region per case) and the stack peak. */
  bench?: boolean;
  /** Also one region per layer (the model must be compiled with `trace: true`). */
  layerMarks?: boolean;
}

let template: ejs.TemplateFunction | undefined;

export function firmwareSource(models: readonly FirmwareModel[], target: TargetDesc, board: BoardDesc): string {
  template ??= ejs.compile(readFileSync(join(MCU_DIR, 'templates', 'firmware.c.ejs'), 'utf8'), {
    filename: 'firmware.c.ejs',
    strict: true,
    destructuredLocals: ['v'],
  }) as ejs.TemplateFunction;
  const view = {
    version: VERSION,
    target: target.name,
    board: board.name,
    models: models.map((m, index) => {
      const v = m.compiled.view;
      const outputs = v.outputs.map((o) => ({ index: o.index, name: `out${o.index}`, ctype: o.ctype, macro: o.macro }));
      const cases = m.cases.map((inputs, ci) => {
        const arrays = v.inputs.map((io, k) => {
          const data = inputs[k]!;
          if (data.length !== io.size) throw new Error(`internal: input ${k} of case ${ci} has ${data.length} elements; expected ${io.size}`);
          return { name: `${v.prefix}_case${ci}_in${k}`, ctype: io.ctype, count: data.length, lines: cArrayLines(data, 16) };
        });
        const args = [...arrays.map((a) => a.name), ...outputs.map((o) => `${v.prefix}_${o.name}`), `${v.prefix}_arena`];
        return { index: ci, inputs: arrays, args: args.join(', ') };
      });
      return { index, prefix: v.prefix, PREFIX: v.PREFIX, outputs, cases, bench: !!m.bench, layerMarks: !!m.layerMarks };
    }),
  };
  return template({ v: view }) as string;
}

/** Writes the models' files and the firmware main into `dir`; returns the C sources to build. */
export function writeFirmwareSources(dir: string, models: readonly FirmwareModel[], target: TargetDesc, board: BoardDesc): string[] {
  const written = new Map<string, string>();
  for (const m of models) {
    for (const [name, text] of m.compiled.files) {
      const prev = written.get(name);
      if (prev !== undefined && prev !== text) throw new Error(`internal: two different versions of '${name}' in one firmware`);
      written.set(name, text);
    }
  }
  written.set('f8c_firmware.c', firmwareSource(models, target, board));
  for (const [name, text] of written) writeFileSync(join(dir, name), text);
  return [...written.keys()].filter((n) => n.endsWith('.c')).sort().map((n) => join(dir, n));
}

/** Bytes of RAM the firmware needs besides the arenas: the output buffers. */
export function outputBytes(models: readonly FirmwareModel[]): number {
  return models.reduce((s, m) => s + m.compiled.view.outputs.reduce((t, o) => t + o.size * elemBytes(o.ctype), 0), 0);
}

function elemBytes(ctype: string): number {
  return /16/.test(ctype) ? 2 : /32/.test(ctype) ? 4 : 1;
}
