/**
 * Runs the generated C of a model on the host over many items: one strict
 * gcc build of the library with a streaming main (templates/stream.c.ejs),
 * items through stdin, outputs from stdout. `f8c eval --engine host`.
 */
import { execa } from 'execa';
import { join } from 'node:path';
import { fail } from '../../diag/diagnostic.js';
import type { Graph } from '../../ir/types.js';
import { VERSION } from '../../version.js';
import { compileModel } from './compile.js';
import { STRICT_FLAGS, gccBuild, makeTempDir, removeDir, writeFiles } from './host.js';
import { renderTemplate } from './render.js';

/** Runs every item (a Map from input name to elements) and returns each output's bytes per item. */
export async function runOnHost(g: Graph, items: readonly Map<string, ArrayLike<number>>[]): Promise<Map<string, Uint8Array>[]> {
  const compiled = compileModel(g, {});
  const v = compiled.view;
  const inputs = v.inputs.map((io, k) => ({ name: `in${k}`, ctype: io.ctype, macro: io.macro, size: io.size }));
  const outputs = v.outputs.map((io, k) => ({ name: `out${k}`, ctype: io.ctype, macro: io.macro, size: io.size }));
  const source = renderTemplate('stream.c.ejs', {
    version: VERSION,
    prefix: v.prefix,
    PREFIX: v.PREFIX,
    buffers: [...inputs, ...outputs],
    inputs,
    outputs,
    args: [...inputs.map((i) => i.name), ...outputs.map((o) => o.name), 'arena.bytes'].join(', '),
  });
  const dir = makeTempDir('run');
  try {
    writeFiles(dir, new Map([...compiled.files, ['f8c_stream.c', source]]));
    const built = await gccBuild(dir, STRICT_FLAGS, 'stream');
    if (!built.ok) throw new Error(`internal: generated C failed to build:\n${built.log}`);
    const perItem = inputs.reduce((s, i) => s + i.size, 0);
    const stdin = new Uint8Array(perItem * items.length);
    items.forEach((item, n) => {
      let at = n * perItem;
      g.inputs.forEach((name, k) => {
        const data = item.get(name)!;
        for (let j = 0; j < inputs[k]!.size; j++) stdin[at + j] = data[j]! & 0xff;
        at += inputs[k]!.size;
      });
    });
    const r = await execa(join(dir, 'stream'), [], { input: stdin, encoding: 'buffer', reject: false, maxBuffer: 1 << 30 });
    if (r.exitCode !== 0) fail('F8E072', `the compiled model stopped: ${Buffer.from(r.stderr).toString().trim()}`);
    const out = new Uint8Array(r.stdout);
    const perOut = outputs.reduce((s, o) => s + o.size, 0);
    if (out.length !== perOut * items.length) throw new Error(`internal: host runner wrote ${out.length} bytes; expected ${perOut * items.length}`);
    return items.map((_, n) => {
      let at = n * perOut;
      return new Map(g.outputs.map((name, k) => {
        const bytes = out.slice(at, at + outputs[k]!.size);
        at += outputs[k]!.size;
        return [name, bytes];
      }));
    });
  } finally {
    removeDir(dir);
  }
}
