/**
 * Golden vectors for users: N inputs with the interpreter's outputs as C
 * arrays, a test program comparing the generated library against them, and
 * a Makefile, so that a user's CI checks the library without f8c.
 */
import { runGraph } from '../../interp/interpreter.js';
import { getTensor, numel, type Graph } from '../../ir/types.js';
import { Rng } from '../../util/rng.js';
import { VERSION } from '../../version.js';
import { cArrayLines, cComment, cString } from './cfmt.js';
import type { CompiledModel } from './compile.js';
import { renderTemplate } from './render.js';

/** `n` inputs from a seeded generator, every element uniform over the input's [qmin, qmax]. */
export function randomInputs(g: Graph, n: number, seed: number): Map<string, number[]>[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () =>
    new Map(g.inputs.map((name) => {
      const t = getTensor(g, name);
      return [name, rng.ints(numel(t.shape), t.quant.qmin, t.quant.qmax)];
    })),
  );
}

/** The golden test program and Makefile for a compiled model and its cases. */
export function goldenFiles(g: Graph, m: CompiledModel, cases: Map<string, ArrayLike<number>>[], origin: string): Map<string, string> {
  const v = m.view;
  const outputs = v.outputs.map((o) => ({ name: `out${o.index}`, ctype: o.ctype, macro: o.macro, tensor: g.outputs[o.index]! }));
  const caseViews = cases.map((inputs, ci) => {
    const ref = runGraph(g, m.plan, inputs).outputs;
    const ins = v.inputs.map((io, k) => ({
      name: `case${ci}_in${k}`,
      what: `input '${io.name}'`,
      ctype: io.ctype,
      count: io.size,
      lines: cArrayLines(inputs.get(g.inputs[k]!)!, 16),
    }));
    const want = outputs.map((o, k) => ({
      name: `case${ci}_want${k}`,
      what: `expected output '${cComment(o.tensor)}'`,
      ctype: o.ctype,
      count: v.outputs[k]!.size,
      lines: cArrayLines(ref.get(o.tensor)!, 16),
    }));
    return {
      index: ci,
      arrays: [...ins, ...want],
      args: [...ins.map((a) => a.name), ...outputs.map((o) => o.name), 'arena.bytes'].join(', '),
      checks: outputs.map((o, k) => ({ output: cString(o.tensor), want: want[k]!.name, got: o.name, size: `${o.macro}_SIZE` })),
    };
  });
  const view = { ...v, origin: cComment(origin), cases: caseViews, outputs };
  const test = `${v.prefix}_golden.c`;
  const lib = [...m.files.keys()].filter((f) => f.endsWith('.c')).sort();
  const files = new Map<string, string>();
  files.set(test, renderTemplate('golden.c.ejs', view));
  files.set('Makefile', renderTemplate('Makefile.ejs', { version: VERSION, libSources: lib.join(' '), testSources: test, exe: `${v.prefix}_golden` }));
  return files;
}
