/**
 * The validate pass: structural checks of a graph (names, references,
 * producers, op arity, const/activation kinds, cycles, unused parts), then
 * per layer in topological order the op's own checks (shape inference
 * against the declared shape, formats, accumulator bound). A problem in one
 * layer does not stop the others; only layers whose inputs are broken are
 * skipped. Reports into the bag; never changes the graph.
 */
import { CODES, type DiagCode } from '../diag/codes.js';
import { pointer as ptr, type DiagnosticBag } from '../diag/diagnostic.js';
import type { Graph, Layer, Tensor } from '../ir/types.js';
import { opCtx, type Reporter } from '../ops/context.js';
import type { OpDef } from '../ops/opdef.js';
import { getOp, isOpKind } from '../ops/registry.js';
import type { Pass } from './pass.js';
import { topoOrder } from './order.js';

export const INT32_MAX = 2147483647;
export const INT16_MAX = 32767;

export interface ValidateOptions {
  /** Layers already reported as broken (e.g. bad attributes): skip their op checks. */
  skipLayers?: Set<Layer>;
  /** Tensors already reported as broken (bad format or data): skip layers that use them. */
  brokenTensors?: Set<string>;
}

function layerPtr(l: Layer, i: number): string {
  return l.loc ?? ptr('layers', i);
}

function tensorPtr(g: Graph, name: string): string | undefined {
  return g.tensors.get(name)?.loc;
}

/** Maps an op's field ('attrs.strides', 'inputs[1].quant.fl', 'outputs[0]') to a JSON pointer. */
export function fieldPointer(g: Graph, layer: Layer, index: number, field?: string): string {
  const base = layerPtr(layer, index);
  if (!field) return base;
  const segs = (s: string) => s.split('.').flatMap((p) => p.split(/\[(\d+)\]/).filter((x) => x !== ''));
  const io = /^(inputs|outputs)\[(\d+)\](?:\.(.+))?$/.exec(field);
  if (io) {
    const [, which, idx, rest] = io;
    const name = (which === 'inputs' ? layer.inputs : layer.outputs)[Number(idx)];
    const tloc = name !== undefined ? tensorPtr(g, name) : undefined;
    if (tloc !== undefined) return tloc + (rest ? ptr(...segs(rest)) : '');
    return `${base}/${which}/${idx}`;
  }
  return base + ptr(...segs(field));
}

/** Spec kind expected for input i of a layer with n inputs. */
function specAt(def: OpDef, i: number) {
  const specs = def.inputs;
  const last = specs[specs.length - 1];
  if (last?.variadic && i >= specs.length - 1) return last;
  return specs[i];
}

function arity(def: OpDef): { min: number; max: number } {
  let min = 0;
  let max = 0;
  for (const s of def.inputs) {
    if (!s.optional) min++;
    max = s.variadic ? Infinity : max + 1;
  }
  return { min, max };
}

/** Runs every check, reporting into `diags`. */
export function validateGraph(g: Graph, diags: DiagnosticBag, opts: ValidateOptions = {}): void {
  const broken = new Set(opts.brokenTensors ?? []);
  const skip = new Set<Layer>(opts.skipLayers ?? []);
  const layerAt = new Map<Layer, number>(g.layers.map((l, i) => [l, i]));
  const lerr = (l: Layer, code: DiagCode, msg: string, sub = '', field?: string) =>
    diags.error(code, `layer '${l.name}': ${msg}`, { pointer: layerPtr(l, layerAt.get(l)!) + sub, layer: l.name, field });

  // Names.
  const seen = new Set<string>();
  for (const l of g.layers) {
    if (seen.has(l.name)) lerr(l, 'F8E024', `another layer is also named '${l.name}'`, '/name', 'name');
    seen.add(l.name);
  }
  for (const list of ['inputs', 'outputs'] as const) {
    const s = new Set<string>();
    g[list].forEach((n, i) => {
      if (s.has(n)) diags.error('F8E024', `'${n}' is listed twice in the model ${list}`, { pointer: ptr(list, i), field: list });
      s.add(n);
      if (!g.tensors.has(n)) diags.error('F8E020', `model ${list.slice(0, -1)} '${n}' is not a declared tensor`, { pointer: ptr(list, i), field: list });
    });
  }

  // Per-layer structure: op, references, arity, kinds.
  const producers = new Map<string, string[]>();
  const addProducer = (t: string, who: string) => producers.set(t, [...(producers.get(t) ?? []), who]);
  for (const n of g.inputs) addProducer(n, 'the model inputs');
  for (const t of g.tensors.values()) if (t.data) addProducer(t.name, 'its constant data');
  const consumed = new Set<string>();
  g.layers.forEach((l) => {
    let ok = !skip.has(l);
    if (!isOpKind(l.op)) {
      lerr(l, 'F8E010', `unknown op '${l.op}'`, '/op', 'op');
      ok = false;
    }
    for (const list of ['inputs', 'outputs'] as const) {
      l[list].forEach((n, j) => {
        if (list === 'inputs') consumed.add(n);
        else addProducer(n, `layer '${l.name}'`);
        if (g.tensors.has(n)) return;
        lerr(l, 'F8E020', `${list.slice(0, -1)} '${n}' is not a declared tensor`, `/${list}/${j}`, `${list}[${j}]`);
        ok = false;
      });
    }
    if (isOpKind(l.op)) {
      const def = getOp(l.op);
      const { min, max } = arity(def);
      if (l.inputs.length < min || l.inputs.length > max) {
        const want = max === Infinity ? `at least ${min}` : min === max ? `${min}` : `${min} to ${max}`;
        const names = def.inputs.map((s) => s.name + (s.optional ? '?' : '') + (s.variadic ? '...' : '')).join(', ');
        lerr(l, 'F8E012', `${l.op} takes ${want} inputs (${names}); got ${l.inputs.length}`, '/inputs', 'inputs');
        ok = false;
      } else {
        l.inputs.forEach((n, j) => {
          const t = g.tensors.get(n);
          const spec = specAt(def, j);
          if (!t || !spec) return;
          const isConst = t.data !== undefined;
          if (spec.kind === 'const' && !isConst) {
            lerr(l, 'F8E025', `input ${j} (${spec.name}) must be a constant; '${n}' has no data`, `/inputs/${j}`, `inputs[${j}]`);
            ok = false;
          } else if (spec.kind === 'activation' && isConst) {
            lerr(l, 'F8E025', `input ${j} (${spec.name}) must be an activation; '${n}' is a constant`, `/inputs/${j}`, `inputs[${j}]`);
            ok = false;
          }
        });
      }
      if (l.outputs.length !== 1) {
        lerr(l, 'F8E012', `${l.op} has exactly 1 output; got ${l.outputs.length}`, '/outputs', 'outputs');
        ok = false;
      }
    }
    if (!ok) skip.add(l);
  });

  // Producers, activation formats.
  for (const t of g.tensors.values()) {
    const p = producers.get(t.name) ?? [];
    const loc = t.loc;
    if (p.length > 1) diags.error('F8E021', `tensor '${t.name}' is produced by ${p.join(' and ')}`, { pointer: loc });
    else if (p.length === 0) diags.error('F8E022', `tensor '${t.name}' has no producer`, { pointer: loc });
    if (p.length !== 1) broken.add(t.name);
    if (t.data) continue;
    if (t.dtype !== 'int8' && t.dtype !== 'uint8') {
      diags.error('F8E042', `activation '${t.name}' has dtype ${t.dtype}; activations are int8 or uint8 in v1${t.dtype === 'int16' ? ' (int16 is reserved)' : ''}`, {
        pointer: loc && loc + '/dtype',
        field: 'dtype',
      });
      broken.add(t.name);
    }
    if (t.shape.length === 0 || t.shape[0] !== 1) {
      diags.error('F8E032', `activation '${t.name}' has shape [${t.shape}]; its first (batch) dimension must be 1`, { pointer: loc && loc + '/shape', field: 'shape' });
      broken.add(t.name);
    }
  }

  // Unused parts (warnings).
  const outs = new Set(g.outputs);
  for (const t of g.tensors.values()) {
    const byLayer = (producers.get(t.name) ?? []).some((p) => p.startsWith('layer'));
    if (!consumed.has(t.name) && !outs.has(t.name) && !byLayer) diags.warn('F8E026', `tensor '${t.name}' is never used`, { pointer: t.loc });
  }
  g.layers.forEach((l, i) => {
    if (l.outputs.length > 0 && l.outputs.every((o) => !consumed.has(o) && !outs.has(o)))
      diags.warn('F8E026', `layer '${l.name}': its outputs are never used`, { pointer: layerPtr(l, i), layer: l.name });
  });

  // Cycles.
  const { order, cyclic } = topoOrder(g);
  if (cyclic.length > 0) {
    const l = cyclic[0]!;
    lerr(l, 'F8E023', `the layers ${cyclic.map((c) => `'${c.name}'`).join(', ')} depend on each other in a cycle (or on it)`);
  }

  // Op checks in topological order.
  for (const l of order) checkLayer(g, l, layerAt.get(l)!, diags, skip, broken);
}

function checkLayer(g: Graph, l: Layer, index: number, diags: DiagnosticBag, skip: Set<Layer>, broken: Set<string>): void {
  const markBroken = () => l.outputs.forEach((o) => broken.add(o));
  if (skip.has(l) || l.inputs.some((n) => broken.has(n))) return markBroken();
  let errors = 0;
  const report: Reporter = (code, message, field, severity) => {
    const sev = severity ?? CODES[code].severity;
    if (sev === 'error') errors++;
    diags.add({ code, message: `layer '${l.name}': ${message}`, severity: sev, pointer: fieldPointer(g, l, index, field), layer: l.name, field });
  };
  const def = getOp(l.op);
  const ctx = opCtx(g, l, report);
  const shape = def.inferShape(ctx);
  if (!shape || errors > 0) return markBroken();
  const out: Tensor = ctx.outputs[0]!;
  const declaredOk = out.shape.length === shape.length && out.shape.every((d, i) => d === shape[i]);
  if (!declaredOk) {
    report('F8E031', `output '${out.name}' is declared with shape [${out.shape}]; the op computes [${shape}]`, 'outputs[0].shape');
    broken.add(out.name);
  }
  def.checkFormats(ctx);
  if (errors > 0) return markBroken();
  if (!declaredOk || !def.accBound) return;
  const { maxAbs } = def.accBound(ctx);
  if (maxAbs > INT32_MAX)
    report('F8W060', `the accumulator can reach ${maxAbs} in the worst case, beyond int32 (${INT32_MAX})`, undefined, 'warning');
}

/** Worst-case accumulator of every layer whose op accumulates (checked graphs only). */
export function accumulatorBounds(g: Graph): Map<string, { maxAbs: number; fitsInt16: boolean }> {
  const out = new Map<string, { maxAbs: number; fitsInt16: boolean }>();
  for (const l of g.layers) {
    const def = getOp(l.op);
    if (!def.accBound) continue;
    const { maxAbs } = def.accBound(opCtx(g, l));
    out.set(l.name, { maxAbs, fitsInt16: maxAbs <= INT16_MAX });
  }
  return out;
}

/** Graphs the loader has already validated (so the pipeline does not report their warnings twice). */
const validated = new WeakSet<Graph>();

export function markValidated(g: Graph): void {
  validated.add(g);
}

/** Validates a graph, unless it is the very graph object a successful load returned. */
export const validatePass: Pass = {
  name: 'validate',
  run(g, ctx) {
    if (!validated.has(g)) validateGraph(g, ctx.diags);
    return g;
  },
};
