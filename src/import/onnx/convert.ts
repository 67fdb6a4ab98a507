/**
 * ONNX model -> FGraph. Every unsupported node is listed in one F8E101
 * diagnostic before anything is converted; then each node is converted in
 * file order (ONNX graphs are topologically sorted), problems with a node
 * being F8E102/F8E103 diagnostics (one per node, all reported). Identity and
 * Q/DQ pairs on activations become aliases (a QuantizeLinear records the
 * format of the tensor it quantises); DequantizeLinear of an initialiser is
 * an exact integer constant. Finally relu/clip nodes are fused into the
 * conv/dense/add/pool that produces their only input.
 */
import { DiagnosticBag } from '../../diag/diagnostic.js';
import { ConvertCtx, flOfScale, fullFormat, NodeError } from './ctx.js';
import type { FGraph } from './fgraph.js';
import { CONVERTERS } from './nodes.js';
import type { OnnxModel, OnnxNode } from './proto.js';
import { roundHalfEven } from '../../util/quantize.js';

const QDQ_OPS = ['QuantizeLinear', 'DequantizeLinear'];
export const SUPPORTED_OPS = [...Object.keys(CONVERTERS), ...QDQ_OPS, 'Identity', 'Constant', 'Dropout'];

function qparams(c: ConvertCtx, n: OnnxNode): { fl: number | number[]; type: 'int8' | 'uint8' | 'int32' } {
  const s = c.constOf(n.inputs[1]!, 'the scale');
  const z = c.optConst(n.inputs[2]);
  const type = z ? z.type : n.op === 'QuantizeLinear' ? 'uint8' : 'int8';
  if (type !== 'int8' && type !== 'uint8' && type !== 'int32') throw new NodeError('F8E102', `quantised type ${type} (f8c imports int8, uint8 and int32 biases)`);
  if (z && z.data.some((v) => v !== 0)) throw new NodeError('F8E103', `zero point ${Array.from(z.data).find((v) => v !== 0)} is not 0`);
  const fls = Array.from(s.data, (v) => flOfScale(v, `'${n.inputs[1]}'`));
  return { fl: fls.length === 1 && s.dims.length === 0 ? fls[0]! : fls.length === 1 ? fls[0]! : fls, type };
}

function quantize(c: ConvertCtx, n: OnnxNode): void {
  const { fl, type } = qparams(c, n);
  if (type === 'int32') throw new NodeError('F8E102', 'QuantizeLinear to int32');
  const x = n.inputs[0]!;
  const init = c.model.inits.get(c.root(x));
  if (init) {
    // Q of a float constant: the integers are computed here, as QuantizeLinear would.
    const [lo, hi] = type === 'int8' ? [-128, 127] : [0, 255];
    const f = typeof fl === 'number' ? fl : fl[0]!;
    const q = init.data.map((v) => Math.min(hi, Math.max(lo, roundHalfEven(v * 2 ** f))));
    c.model.inits.set(n.outputs[0]!, { name: n.outputs[0]!, dims: init.dims, type, data: q });
    return;
  }
  if (typeof fl !== 'number') throw new NodeError('F8E102', 'per-axis quantisation of an activation');
  c.shape(x);
  c.setFormat(x, fullFormat(type, fl));
  c.alias.set(n.outputs[0]!, c.root(x));
}

function dequantize(c: ConvertCtx, n: OnnxNode): void {
  const { fl, type } = qparams(c, n);
  const x = n.inputs[0]!;
  const init = c.model.inits.get(c.root(x));
  if (init) {
    const axis = n.attrs.get('axis');
    if (typeof fl !== 'number' && axis !== undefined && axis !== 0) throw new NodeError('F8E102', `per-axis scales on axis ${axis} (f8c: per output channel, axis 0)`);
    c.qconsts.set(n.outputs[0]!, { q: init.data, fl, type: init.type, dims: init.dims });
    return;
  }
  const f = c.g.formats.get(c.root(x));
  if (!f) throw new NodeError('F8E102', `DequantizeLinear of '${x}', which no QuantizeLinear produced`);
  if (f.fl !== fl) throw new NodeError('F8E102', `DequantizeLinear scale 2^-${fl} differs from its QuantizeLinear's 2^-${f.fl}`);
  c.alias.set(n.outputs[0]!, c.root(x));
}

/** Fuses relu/clip into the fusable producer of their only input (not into a tensor with a QDQ format). */
function fuseActivations(g: FGraph): void {
  const uses = new Map<string, number>();
  for (const n of g.nodes) for (const i of n.inputs) uses.set(i, (uses.get(i) ?? 0) + 1);
  for (const o of g.outputs) uses.set(o, (uses.get(o) ?? 0) + 1);
  const fusable = new Set(['conv2d', 'dense', 'add', 'max_pool', 'avg_pool', 'global_avg_pool']);
  for (const a of [...g.nodes]) {
    if (a.op !== 'relu' && a.op !== 'clip') continue;
    const x = a.inputs[0]!;
    const p = g.nodes.find((m) => m.output === x);
    if (!p || !fusable.has(p.op) || p.act || uses.get(x) !== 1 || g.formats.has(x)) continue;
    const lo = a.op === 'relu' ? 0 : (a.attrs.min as number);
    const hi = a.op === 'relu' ? Infinity : (a.attrs.max as number);
    p.act = { lo, hi, ...(lo === 0 && hi === 6 ? { relu6: true } : {}) };
    p.output = a.output;
    g.nodes.splice(g.nodes.indexOf(a), 1);
  }
}

export function convertOnnx(model: OnnxModel, name: string, diags: DiagnosticBag): FGraph {
  const unsupported = model.nodes.filter((n) => !SUPPORTED_OPS.includes(n.op) || (n.domain !== '' && n.domain !== 'ai.onnx'));
  if (unsupported.length > 0) {
    diags.error('F8E101', `${unsupported.length} unsupported node(s): ${unsupported.map((n) => `${n.name} (${n.domain ? n.domain + '.' : ''}${n.op})`).join(', ')}`);
    diags.throwIfErrors();
  }
  const c = new ConvertCtx(model, name);
  for (const inp of model.inputs) {
    const s = inp.shape;
    if (s.slice(1).some((d) => d === undefined) || (s[0] !== undefined && s[0] !== 1) || (s.length !== 4 && s.length !== 2))
      diags.error('F8E102', `input '${inp.name}' has shape [${s.map((d) => d ?? '?')}]; f8c needs a static [1, C, H, W] or [1, K] input (batch may be dynamic)`, { field: inp.name });
    c.g.shapes.set(inp.name, s.length === 4 ? [1, s[2]!, s[3]!, s[1]!] : [1, s[1]!]);
    c.g.inputs.push(inp.name);
  }
  diags.throwIfErrors();
  const broken = new Set<string>();
  for (const n of model.nodes) {
    if (n.inputs.some((i) => broken.has(i))) {
      n.outputs.forEach((o) => broken.add(o));
      continue;
    }
    try {
      if (n.op === 'Identity' || n.op === 'Dropout') {
        if (c.model.inits.has(c.root(n.inputs[0]!))) c.model.inits.set(n.outputs[0]!, c.model.inits.get(c.root(n.inputs[0]!))!);
        else c.alias.set(n.outputs[0]!, c.root(n.inputs[0]!));
      } else if (n.op === 'QuantizeLinear') (c.g.qdq = true), quantize(c, n);
      else if (n.op === 'DequantizeLinear') (c.g.qdq = true), dequantize(c, n);
      else CONVERTERS[n.op]!(c, n);
    } catch (e) {
      if (!(e instanceof NodeError)) throw e;
      diags.error(e.code, `node '${n.name}' (${n.op}): ${e.message}`, { layer: n.name });
      n.outputs.forEach((o) => broken.add(o));
    }
  }
  diags.throwIfErrors();
  // Graph outputs keep their ONNX names where an alias chain hides them.
  for (const o of model.outputs) {
    const r = c.root(o);
    const prod = c.g.nodes.find((m) => m.output === r);
    if (r !== o && prod && !model.outputs.includes(r)) {
      prod.output = o;
      c.g.shapes.set(o, c.g.shapes.get(r)!);
      for (const m of c.g.nodes) m.inputs = m.inputs.map((i) => (i === r ? o : i));
      const f = c.g.formats.get(r);
      if (f) c.g.formats.set(o, f);
      c.alias.delete(o);
    }
    c.g.outputs.push(c.root(o));
    const chw = c.chw.get(c.root(o));
    if (chw) diags.error('F8E102', `model output '${o}' is a flattened ${chw[1]}x${chw[2]}x${chw[0]} feature map: ONNX orders it NCHW, f8c NHWC (end the model with a Gemm/MatMul, or output the map itself)`, { field: o });
  }
  diags.throwIfErrors();
  fuseActivations(c.g);
  return c.g;
}
