/**
 * The view model of the generated C: everything the templates print,
 * prepared here from the graph, the memory plan and each layer's kernel
 * calls (KernelCall data from the OpDefs' `lower`). Templates only loop over
 * these lists; no C is assembled per op.
 */
import { basename } from 'node:path';
import { DTYPE_RANGE, flAt, getTensor, type Graph, type Tensor } from '../../ir/types.js';
import { opCtx } from '../../ops/context.js';
import type { ConstTable, KernelArg, KernelCall, ParamValue } from '../../ops/lowering.js';
import type { KernelVariant, TargetInfo } from '../../ops/opdef.js';
import { getOp } from '../../ops/registry.js';
import type { MemoryPlan, Region } from '../../plan/types.js';
import { VERSION } from '../../version.js';
import { IdentPool, cArrayLines, cComment, cIdent, cInt, cMacroInt, cString } from './cfmt.js';

export interface IoView {
  index: number;
  name: string;
  /** C parameter name of the entry point. */
  param: string;
  /** Macro stem, e.g. NET_INPUT0. */
  macro: string;
  ctype: 'int8_t' | 'uint8_t';
  size: number;
  rank: number;
  shape: string;
  fl: number;
  qmin: number;
  qmax: number;
  /** One line for the header: direction, name, type, shape, layout, format, range. */
  comment: string;
  /** fl, qmin, qmax as macro bodies (negatives parenthesised). */
  flMacro: string;
  qminMacro: string;
  qmaxMacro: string;
  /** Extra macro lines (affine I/O: _SCALE, _ZERO_POINT). */
  extra: string[];
  offset: number;
}

export interface TableView {
  name: string;
  ctype: string;
  count: number;
  align: number;
  comment: string;
  lines: string[];
}

export interface CallView {
  /** The block comment above the call, one string per line. */
  comment: string[];
  paramsName: string;
  paramsType: string;
  fields: { name: string; value: string }[];
  /** `fn(args)` as one expression. */
  expr: string;
  /** Trace calls after the layer (debug builds only). */
  trace: string[];
}

export interface ModelView {
  prefix: string;
  PREFIX: string;
  version: string;
  command: string;
  modelFile: string;
  hash: string;
  layerCount: number;
  arenaSize: number;
  arenaAlign: number;
  lowerBound: number;
  inputs: IoView[];
  outputs: IoView[];
  /** Parameters of the entry point, in order, e.g. 'const int8_t *in_x'. */
  signature: string;
  /** Null checks joined with ||. */
  nullCheck: string;
  calls: CallView[];
  tables: TableView[];
  /** Bytes of all constant tables. */
  tableBytes: number;
  /** Runtime kernel sources the model uses (file names, sorted). */
  sources: string[];
  /** Declarations/statements present only in some builds: 0 or 1 line each. */
  statusDecl: string[];
  traceDecl: string[];
  /** A declaration that keeps the weights file a non-empty translation unit when there are no tables. */
  emptyGuard: string[];
}

export interface ViewOptions {
  prefix: string;
  target: TargetInfo;
  variant: KernelVariant;
  command: string;
  /** Emit a `<prefix>_trace(...)` call after every layer (verify's debug build). */
  trace?: boolean;
}

function rangeOf(r: Region): string {
  return `[${r.offset}, ${r.offset + r.size})`;
}

/** ' NHWC' for 4-D activations (the only layout of 4-D tensors), else ''. */
function layoutOf(t: Tensor): string {
  return t.shape.length === 4 ? ' NHWC' : '';
}

/** dtype, shape, layout, FL and, when narrowed, the range of q. */
function describe(t: Tensor): string {
  const q = t.quant;
  const [lo, hi] = DTYPE_RANGE[t.dtype];
  const range = q.qmin !== lo || q.qmax !== hi ? ` q in [${q.qmin}, ${q.qmax}]` : '';
  return `${t.dtype} [${t.shape.join(', ')}]${layoutOf(t)} ${quantText(t)}${range}`;
}

/** 'FL 7', or for an affine tensor 'scale 0.0039 zero point -128'. */
function quantText(t: Tensor): string {
  const q = t.quant;
  if (q.kind === 'fixed') return `FL ${flAt(q)}`;
  return `scale ${typeof q.scale === 'number' ? Number(q.scale.toPrecision(9)) : `[${q.scale.length}]`} zero point ${q.zeroPoint}`;
}

function region(plan: MemoryPlan, name: string): Region {
  const r = plan.tensors.get(name);
  if (!r) throw new Error(`internal: tensor '${name}' has no region in the plan`);
  return r;
}

function ioView(g: Graph, plan: MemoryPlan, name: string, index: number, kind: 'input' | 'output', pool: IdentPool, PREFIX: string): IoView {
  const t = getTensor(g, name);
  if (t.dtype !== 'int8' && t.dtype !== 'uint8') throw new Error(`internal: model ${kind} '${name}' has dtype ${t.dtype}`);
  const q = t.quant;
  // Affine I/O (TFLite): value = scale * (q - zero point); FL does not apply (0), the header adds _SCALE and _ZERO_POINT.
  const fl = q.kind === 'fixed' ? flAt(q) : 0;
  const extra = q.kind === 'affine' && typeof q.scale === 'number'
    ? [`#define ${PREFIX}_${kind.toUpperCase()}${index}_SCALE ${Number(q.scale.toPrecision(9))} /* value = SCALE * (q - ZERO_POINT); FL does not apply */`, `#define ${PREFIX}_${kind.toUpperCase()}${index}_ZERO_POINT ${cMacroInt(q.zeroPoint)}`]
    : [];
  return {
    index,
    name: cComment(name),
    param: pool.take(`${kind === 'input' ? 'in' : 'out'}_${name}`),
    macro: `${PREFIX}_${kind.toUpperCase()}${index}`,
    ctype: t.dtype === 'int8' ? 'int8_t' : 'uint8_t',
    size: plan.tensors.get(name)?.size ?? 0,
    rank: t.shape.length,
    shape: `{ ${t.shape.join(', ')} }`,
    fl,
    qmin: t.quant.qmin,
    qmax: t.quant.qmax,
    comment: cComment(`${kind} ${index} '${name}': ${t.dtype === 'int8' ? 'int8_t' : 'uint8_t'} [${t.shape.join(', ')}]${layoutOf(t)}, ${quantText(t)}, q in [${t.quant.qmin}, ${t.quant.qmax}]`),
    flMacro: cMacroInt(fl),
    extra,
    qminMacro: cMacroInt(t.quant.qmin),
    qmaxMacro: cMacroInt(t.quant.qmax),
    offset: region(plan, name).offset,
  };
}

const CTYPE_BYTES: Record<string, number> = { int8_t: 1, uint8_t: 1, int16_t: 2, uint16_t: 2, int32_t: 4, uint32_t: 4 };

const PER_LINE: Record<string, number> = { int8_t: 16, uint8_t: 16, int16_t: 12, uint16_t: 12, int32_t: 8, uint32_t: 8 };

export function buildView(g: Graph, plan: MemoryPlan, opts: ViewOptions): ModelView {
  const prefix = opts.prefix;
  const PREFIX = prefix.toUpperCase();
  const params = new IdentPool(['a', 'arena', 'status']);
  const inputs = g.inputs.map((n, i) => ioView(g, plan, n, i, 'input', params, PREFIX));
  const outputs = g.outputs.map((n, i) => ioView(g, plan, n, i, 'output', params, PREFIX));
  const ids = new IdentPool();
  const tables: TableView[] = [];
  const shared = new Map<string, string>();
  const sources = new Set<string>();
  const calls: CallView[] = [];

  g.layers.forEach((layer, step) => {
    const ctx = opCtx(g, layer);
    const op = getOp(layer.op);
    if (!op.lower) throw new Error(`internal: op '${layer.op}' has no C lowering yet`);
    const lowered = op.lower(ctx, opts.target, opts.variant);
    const actNames = layer.inputs.filter((n) => !getTensor(g, n).data);
    const scratch = plan.scratch.get(layer.name);
    const layerId = ids.take(layer.name, 'l');
    lowered.forEach((call: KernelCall, k) => {
      // Through the pool, so that call 0 of layer 'cat' never meets a layer named 'cat_0'.
      const callId = lowered.length === 1 ? layerId : ids.take(`${layerId}_${k}`, 'l');
      for (const s of call.sources) sources.add(s);
      const tableNames = new Map<string, string>();
      for (const t of call.tables) tableNames.set(t.suffix, addTable(t, `${prefix}_${callId}`, layer.name, tables, shared));
      const fields = call.params.map((f) => ({ name: f.name, value: paramValue(f.value, tableNames, layer.name) }));
      const args = call.args.map((a) => argExpr(a, actNames, layer.outputs, plan, scratch, call, layer.name, `${prefix}_${callId}`));
      const rounds = call.params.some((f) => f.name === 'rounding');
      const comment = [`layer ${step} '${layer.name}': ${layer.op}${rounds ? `, rounding ${layer.rounding}` : ''}${layer.clamp ? `, clamp [${layer.clamp.lo}, ${layer.clamp.hi}]` : ''}${lowered.length > 1 ? ` (call ${k + 1} of ${lowered.length})` : ''}`];
      if (k === 0) {
        for (const n of actNames) comment.push(`  in  '${n}' ${describe(getTensor(g, n))}, arena ${rangeOf(region(plan, n))}`);
        for (const n of layer.outputs) comment.push(`  out '${n}' ${describe(getTensor(g, n))}, arena ${rangeOf(region(plan, n))}`);
        if (scratch) comment.push(`  scratch ${scratch.size} B, arena ${rangeOf(scratch)}`);
      }
      if (call.comment) comment.push(`  ${call.comment}`);
      const trace =
        opts.trace && k === lowered.length - 1
          ? layer.outputs.map((n) => `${prefix}_trace(${step}, "${cString(layer.name)}", a + ${region(plan, n).offset}, ${region(plan, n).size}u);`)
          : [];
      calls.push({
        comment: commentBlock(comment.map(cComment)),
        paramsName: `${prefix}_${callId}_params`,
        paramsType: call.paramsType,
        fields,
        expr: `${call.fn}(${args.join(', ')})`,
        trace,
      });
    });
  });

  const sig = [
    ...inputs.map((v) => `const ${v.ctype} *${v.param}`),
    ...outputs.map((v) => `${v.ctype} *${v.param}`),
    'void *arena',
  ];
  return {
    prefix,
    PREFIX,
    version: VERSION,
    command: cComment(opts.command),
    modelFile: cComment(basename(g.source.file)),
    hash: cComment(g.source.hash || '(none)'),
    layerCount: g.layers.length,
    arenaSize: plan.arenaSize,
    arenaAlign: plan.align,
    lowerBound: plan.lowerBound,
    inputs,
    outputs,
    signature: sig.join(', '),
    nullCheck: [...inputs, ...outputs].map((v) => `${v.param} == NULL`).concat('arena == NULL').join(' || '),
    calls,
    tables,
    tableBytes: tables.reduce((s, t) => s + t.count * (CTYPE_BYTES[t.ctype] ?? 4), 0),
    sources: [...sources].sort(),
    statusDecl: calls.length > 0 ? ['f8_status status;'] : [],
    emptyGuard: tables.length === 0 ? [`typedef int ${prefix}_no_weights;`] : [],
    traceDecl: opts.trace ? [`void ${prefix}_trace(int32_t layer, const char *name, const uint8_t *data, uint32_t size);`] : [],
  };
}

function commentBlock(lines: string[]): string[] {
  return lines.map((l, i) => `${i === 0 ? '/* ' : ' * '}${l}${i === lines.length - 1 ? ' */' : ''}`);
}

function addTable(t: ConstTable, stem: string, layer: string, tables: TableView[], shared: Map<string, string>): string {
  const key = t.shareKey ? `${t.ctype}:${t.shareKey}` : undefined;
  if (key && shared.has(key)) return shared.get(key)!;
  const name = cIdent(`${stem}_${t.suffix}`);
  if (tables.some((x) => x.name === name)) throw new Error(`internal: duplicate table name '${name}'`);
  tables.push({
    name,
    ctype: t.ctype,
    count: t.values.length,
    align: t.align,
    comment: cComment(`layer '${layer}' ${t.suffix}: ${t.comment ?? t.ctype}`),
    lines: cArrayLines(t.values, PER_LINE[t.ctype] ?? 8),
  });
  if (key) shared.set(key, name);
  return name;
}

function paramValue(v: ParamValue, tables: Map<string, string>, layer: string): string {
  switch (v.kind) {
    case 'int':
      return cInt(v.value);
    case 'enum':
      if (!/^[A-Z][A-Z0-9_]*$/.test(v.name)) throw new Error(`internal: '${v.name}' is not an enumerator`);
      return v.name;
    case 'table': {
      const n = tables.get(v.suffix);
      if (!n) throw new Error(`internal: layer '${layer}' refers to table '${v.suffix}' it does not define`);
      return n;
    }
    case 'null':
      return 'NULL';
  }
}

function argExpr(a: KernelArg, acts: string[], outs: string[], plan: MemoryPlan, scratch: Region | undefined, call: KernelCall, layer: string, callId: string): string {
  switch (a.kind) {
    case 'params':
      return `&${callId}_params`;
    case 'input': {
      const n = acts[a.index];
      if (n === undefined) throw new Error(`internal: layer '${layer}' has no activation input ${a.index}`);
      return `(const ${a.ctype} *)(a + ${region(plan, n).offset})`;
    }
    case 'output': {
      const n = outs[a.index];
      if (n === undefined) throw new Error(`internal: layer '${layer}' has no output ${a.index}`);
      return `(${a.ctype} *)(a + ${region(plan, n).offset})`;
    }
    case 'scratch':
      if (call.scratchBytes === 0) return 'NULL';
      if (!scratch || scratch.size < call.scratchBytes) throw new Error(`internal: layer '${layer}' needs ${call.scratchBytes} B of scratch; the plan has ${scratch?.size ?? 0}`);
      return `(void *)(a + ${scratch.offset})`;
  }
}
