/**
 * The host test harness of `f8c verify` and the backend tests: one C
 * program running one or more compiled models on embedded inputs and
 * printing their outputs (and, in trace builds, every layer's output) as hex.
 */
import type { Graph } from '../../ir/types.js';
import { VERSION } from '../../version.js';
import { cArrayLines } from './cfmt.js';
import type { CompiledModel } from './compile.js';
import { renderTemplate } from './render.js';

export interface HarnessModel {
  graph: Graph;
  compiled: CompiledModel;
  /** Cases: one array per model input, in model input order. */
  cases: ArrayLike<number>[][];
}

export function harnessSource(models: readonly HarnessModel[], trace: boolean): string {
  const view = {
    version: VERSION,
    models: models.map((m, index) => {
      const v = m.compiled.view;
      const outputs = v.outputs.map((o) => ({ index: o.index, name: `out${o.index}`, ctype: o.ctype, macro: o.macro }));
      const cases = m.cases.map((inputs, ci) => {
        if (inputs.length !== v.inputs.length) throw new Error(`internal: case ${ci} of '${v.prefix}' has ${inputs.length} inputs`);
        const arrays = v.inputs.map((io, k) => {
          const data = inputs[k]!;
          if (data.length !== io.size) throw new Error(`internal: input ${k} of case ${ci} has ${data.length} elements; expected ${io.size}`);
          return { name: `${v.prefix}_case${ci}_in${k}`, ctype: io.ctype, count: data.length, lines: cArrayLines(data, 16) };
        });
        return { index: ci, inputs: arrays, args: [...arrays.map((a) => a.name), ...outputs.map((o) => o.name), 'arena'].join(', ') };
      });
      return {
        index,
        prefix: v.prefix,
        PREFIX: v.PREFIX,
        outputs,
        cases,
        allocCheck: ['arena == NULL', ...outputs.map((o) => `${o.name} == NULL`)].join(' || '),
        traced: trace ? [{ prefix: v.prefix, index }] : [],
      };
    }),
  };
  return renderTemplate('harness.c.ejs', view);
}

export interface HarnessOutput {
  /** Key `model/case/output` -> bytes. */
  outs: Map<string, Uint8Array>;
  /** Key `model/case/layer` -> the layer's output bytes, in output order. */
  traces: Map<string, Uint8Array[]>;
  /** Non-OK statuses: key `model/case` -> status. */
  statuses: Map<string, number>;
}

function hexBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function parseHarnessOutput(stdout: string): HarnessOutput {
  const res: HarnessOutput = { outs: new Map(), traces: new Map(), statuses: new Map() };
  for (const line of stdout.split('\n')) {
    const f = line.trim().split(' ');
    if (f[0] === 'out' && f.length >= 4) res.outs.set(`${f[1]}/${f[2]}/${f[3]}`, hexBytes(f[4] ?? ''));
    else if (f[0] === 'trace' && f.length >= 4) {
      const key = `${f[1]}/${f[2]}/${f[3]}`;
      const list = res.traces.get(key) ?? [];
      list.push(hexBytes(f[4] ?? ''));
      res.traces.set(key, list);
    } else if (f[0] === 'status') res.statuses.set(`${f[1]}/${f[2]}`, Number(f[3]));
  }
  return res;
}
