/**
 * Regenerates the bundled example models in examples/ (deterministic: seeded
 * weights, F8Net's FL-from-std rule for weight formats).
 *
 *   npx tsc -p tsconfig.json && node dist/scripts/make-examples.js   (see Makefile: make examples)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GraphBuilder } from '../src/ir/builder.js';
import { serializeModel } from '../src/loader/load.js';
import { encodeNpy } from '../src/util/npy.js';
import { Rng } from '../src/util/rng.js';
import type { Graph } from '../src/ir/types.js';

const rng = new Rng(20261124);

/** F8Net: FL = clamp(floor(log2(40 / std)), 0, 7) for signed int8 weights. */
function weightFl(std: number): number {
  return Math.max(0, Math.min(7, Math.floor(Math.log2(40 / std))));
}

/** He-initialised weights quantised to int8 [-127, 127] with their FL. */
function weights(count: number, fanIn: number): { fl: number; q: number[] } {
  const std = Math.sqrt(2 / fanIn);
  const real = Array.from({ length: count }, () => rng.normal() * std);
  const fl = weightFl(std);
  return { fl, q: real.map((w) => Math.max(-127, Math.min(127, Math.round(w * 2 ** fl)))) };
}

function conv(b: GraphBuilder, name: string, x: string, xFl: number, shape: [number, number, number, number], out: { fl: number; dtype: 'int8' | 'uint8' }, attrs: Record<string, unknown>): string {
  const [cout, kh, kw, cin] = shape;
  const w = weights(cout * kh * kw * cin, kh * kw * cin);
  const wt = b.const(`${name}.w`, shape, { fl: w.fl, qmin: -127, qmax: 127 }, w.q);
  const bias = b.const(`${name}.b`, [cout], { dtype: 'int32', fl: xFl + w.fl }, rng.ints(cout, -64, 64));
  return b.layer(name, 'conv2d', [x, wt, bias], { name: `${name}.out`, ...out }, attrs);
}

function dense(b: GraphBuilder, name: string, x: string, xFl: number, n: number, k: number, out: { fl: number; dtype: 'int8' | 'uint8'; name?: string }): string {
  const w = weights(n * k, k);
  const wt = b.const(`${name}.w`, [n, k], { fl: w.fl, qmin: -127, qmax: 127 }, w.q);
  const bias = b.const(`${name}.b`, [n], { dtype: 'int32', fl: xFl + w.fl }, rng.ints(n, -64, 64));
  return b.layer(name, 'dense', [x, wt, bias], { name: out.name ?? `${name}.out`, fl: out.fl, dtype: out.dtype });
}

/** A small CNN: conv, depthwise conv, residual add, uint8 activations, global average pool, dense. */
function tinyCnn(): Graph {
  const b = new GraphBuilder('tiny_cnn');
  const x = b.input('image', [1, 16, 16, 1], { dtype: 'uint8', fl: 8 });
  const c1 = conv(b, 'conv1', x, 8, [8, 3, 3, 1], { fl: 5, dtype: 'int8' }, { padding: 'same' });
  const r1 = b.layer('relu1', 'relu6', [c1], { name: 'relu1.out', fl: 5, dtype: 'uint8' });
  const dw = conv(b, 'dw2', r1, 5, [8, 3, 3, 1], { fl: 5, dtype: 'uint8' }, { padding: 'same', strides: [2, 2], groups: 8 });
  const pw = conv(b, 'pw3', dw, 5, [16, 1, 1, 8], { fl: 4, dtype: 'int8' }, {});
  const c4 = conv(b, 'conv4', pw, 4, [16, 3, 3, 16], { fl: 4, dtype: 'int8' }, { padding: 'same' });
  const add = b.layer('add5', 'add', [pw, c4], { name: 'add5.out', fl: 4, dtype: 'uint8' });
  const gap = b.layer('gap6', 'global_avg_pool', [add], { name: 'gap6.out', fl: 5, dtype: 'uint8' });
  const flat = b.layer('flatten7', 'flatten', [gap], { name: 'flatten7.out', fl: 5, dtype: 'uint8' });
  dense(b, 'fc8', flat, 5, 10, 16, { fl: 3, dtype: 'int8', name: 'logits' });
  b.output('logits');
  return b.build();
}

/** An MLP with PocketNN's integer tanh (784-style, scaled down to 64 inputs). */
function mlpPocket(): Graph {
  const b = new GraphBuilder('mlp_pocket');
  const x = b.input('features', [1, 64], { dtype: 'int8', fl: 6 });
  const h1 = dense(b, 'fc1', x, 6, 32, 64, { fl: 5, dtype: 'int8' });
  const t1 = b.layer('tanh1', 'pocket_tanh', [h1], { name: 'tanh1.out', fl: 7, dtype: 'int8', qmin: -127, qmax: 127 });
  const h2 = dense(b, 'fc2', t1, 7, 16, 32, { fl: 5, dtype: 'int8' });
  const t2 = b.layer('tanh2', 'pocket_tanh', [h2], { name: 'tanh2.out', fl: 7, dtype: 'int8', qmin: -127, qmax: 127 });
  dense(b, 'fc3', t2, 7, 10, 16, { fl: 4, dtype: 'int8', name: 'logits' });
  b.output('logits');
  return b.build();
}

function write(dir: string, g: Graph, input: { shape: number[]; data: Int8Array | Uint8Array }): void {
  mkdirSync(dir, { recursive: true });
  const { json, sidecar } = serializeModel(g, { inline: false, weightsFile: `${g.name}.bin` });
  writeFileSync(join(dir, `${g.name}.json`), json);
  if (sidecar) writeFileSync(join(dir, `${g.name}.bin`), sidecar);
  const dtype = input.data instanceof Uint8Array ? 'uint8' : 'int8';
  writeFileSync(join(dir, 'input.npy'), encodeNpy({ dtype, shape: input.shape, data: input.data }));
}

/** A 16x16 image of a bright ring on a dark background, uint8 at FL 8. */
function ringImage(): Uint8Array {
  const img = new Uint8Array(16 * 16);
  for (let y = 0; y < 16; y++)
    for (let x = 0; x < 16; x++) {
      const r = Math.hypot(y - 7.5, x - 7.5);
      img[y * 16 + x] = Math.abs(r - 5) < 1.5 ? 230 : 20;
    }
  return img;
}

const root = process.argv[2] ?? 'examples';
write(join(root, 'tiny_cnn'), tinyCnn(), { shape: [1, 16, 16, 1], data: ringImage() });
write(join(root, 'mlp_pocket'), mlpPocket(), { shape: [1, 64], data: Int8Array.from(rng.ints(64, -64, 64)) });
console.log(`wrote examples to ${root}/`);
