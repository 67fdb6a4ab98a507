/**
 * The checked loader of model format v1: file → JSON → schema → constant
 * data → IR Graph → validate pass. Every user problem becomes a diagnostic;
 * one run reports as many as can be found. Errors end in a UserError that
 * carries every diagnostic (warnings included); success returns the graph
 * and the warnings.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { DiagnosticBag, fail, pointer as ptr, UserError } from '../diag/diagnostic.js';
import { DTYPE_RANGE, type Quant, type Graph, type Layer, type OpKind, type Rounding, type Tensor, type TensorData } from '../ir/types.js';
import { getOp, isOpKind } from '../ops/registry.js';
import { markValidated, validateGraph } from '../passes/validate.js';
import { decodeBase64, emptyData, expectedBytes, firstOutOfRange, fromBytes } from './decode.js';
import { scanJson } from './parse.js';
import { FORMAT_NAME, FORMAT_VERSION, modelSchema, type ModelJson, type TensorJson } from './schema.js';
import { readSidecarNextTo } from './sidecar.js';
import { issueCode, splitIssues } from './issues.js';
import { affineQuantFromJson } from './affine.js';

export { serializeModel } from './serialize.js';

export const MAX_MODEL_BYTES = 256 * 1024 * 1024;

export type SidecarReader = (name: string) => Uint8Array | undefined;

export interface Loaded {
  graph: Graph;
  /** Warnings (a successful load has no errors). */
  diags: DiagnosticBag;
}

/** Loads and checks a model file; throws UserError with every diagnostic on any error. */
export function loadModel(path: string, opts: { maxBytes?: number } = {}): Loaded {
  const maxBytes = opts.maxBytes ?? MAX_MODEL_BYTES;
  let bytes: Buffer;
  try {
    const st = statSync(path);
    if (!st.isFile()) fail('F8E001', `'${path}' is not a file`, { file: path });
    if (st.size > maxBytes) fail('F8E003', `'${path}' has ${st.size} bytes; the limit is ${maxBytes}`, { file: path });
    bytes = readFileSync(path);
  } catch (e) {
    if (e instanceof UserError) throw e;
    fail('F8E001', `cannot read '${path}': ${(e as NodeJS.ErrnoException).code ?? String(e)}`, { file: path });
  }
  const first = bytes.find((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09 && b !== 0xef && b !== 0xbb && b !== 0xbf);
  if (extname(path).toLowerCase() !== '.json' && first !== 0x7b)
    fail('F8E006', `'${path}' is not a JSON model file (f8c model format v1)`, { file: path });
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    fail('F8E002', 'the file is not valid UTF-8', { file: path });
  }
  return parseBytes(bytes, text, path, (name) => readSidecarNextTo(path, name, maxBytes));
}

/** Loads a model from memory (tests, importers). `readSidecar` resolves `weights_file`. */
export function parseModel(text: string, file: string, readSidecar?: SidecarReader): Loaded {
  return parseBytes(Buffer.from(text, 'utf8'), text, file, readSidecar);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parseBytes(bytes: Uint8Array, text: string, file: string, readSidecar?: SidecarReader): Loaded {
  const bag = new DiagnosticBag(file);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const scan = scanJson(text);
  if (scan.error) {
    const { line, column, message } = scan.error;
    fail('F8E002', `${message} at line ${line}, column ${column}`, { file });
  }
  const raw: unknown = JSON.parse(text);
  for (const d of scan.duplicates) bag.error('F8E024', `duplicate key '${d.key}' (JSON keeps only one)`, { pointer: d.pointer + ptr(d.key), field: d.key });
  if (!isObject(raw)) fail('F8E004', 'a model file is a JSON object', { file, pointer: '' });
  if (raw.format !== FORMAT_NAME)
    fail('F8E006', `"format" is ${JSON.stringify(raw.format) ?? 'missing'}; expected "${FORMAT_NAME}"`, { file, pointer: '/format', field: 'format' });
  if (raw.version !== FORMAT_VERSION)
    fail('F8E005', `"version" is ${JSON.stringify(raw.version) ?? 'missing'}; this f8c reads version ${FORMAT_VERSION}`, { file, pointer: '/version', field: 'version' });
  if (isObject(raw.tensors) && Object.prototype.hasOwnProperty.call(raw.tensors, '__proto__'))
    bag.error('F8E004', `'__proto__' is not allowed as a tensor name`, { pointer: '/tensors/__proto__' });
  const parsed = modelSchema.safeParse(raw);
  if (!parsed.success) {
    for (const is of splitIssues(parsed.error.issues)) {
      const field = [...is.path].reverse().find((s) => typeof s === 'string') as string | undefined;
      bag.error(issueCode(is), is.message, { pointer: ptr(...is.path), field });
    }
  }
  bag.throwIfErrors();
  const m = parsed.data!;
  return build(m, scan.tensorOrder, bytes, file, bag, readSidecar);
}

interface Sidecar {
  bytes?: Uint8Array;
  read: boolean;
}

function build(m: ModelJson, order: string[], bytes: Uint8Array, file: string, bag: DiagnosticBag, readSidecar?: SidecarReader): Loaded {
  const sidecar: Sidecar = { read: false };
  const getSidecar = (): Uint8Array | undefined => {
    if (!sidecar.read && m.weights_file !== undefined) {
      sidecar.read = true;
      sidecar.bytes = readSidecar?.(m.weights_file);
      if (!sidecar.bytes) bag.error('F8E052', `weights file '${m.weights_file}' cannot be read`, { pointer: '/weights_file', field: 'weights_file' });
    }
    return sidecar.bytes;
  };
  const broken = new Set<string>();
  const tensors = new Map<string, Tensor>();
  for (const name of order) {
    if (!Object.prototype.hasOwnProperty.call(m.tensors, name)) continue;
    const t = buildTensor(name, m.tensors[name]!, ptr('tensors', name), bag, getSidecar, m.weights_file !== undefined);
    if (!t.ok) broken.add(name);
    tensors.set(name, t.tensor);
  }
  const skip = new Set<Layer>();
  const layers: Layer[] = m.layers.map((lj, i) => {
    const loc = ptr('layers', i);
    let attrs: Record<string, unknown> = lj.attrs ?? {};
    const layer: Layer = { name: lj.name, op: lj.op as OpKind, inputs: lj.inputs, outputs: lj.outputs, attrs, rounding: (lj.rounding ?? 'half_even') as Rounding, loc };
    if (isOpKind(lj.op)) {
      const r = getOp(lj.op).attrs.safeParse(attrs);
      if (r.success) layer.attrs = r.data as Record<string, unknown>;
      else {
        skip.add(layer);
        for (const is of splitIssues(r.error.issues)) {
          const path = is.path.map(String);
          bag.error('F8E011', `${lj.op} attribute${path.length ? ` '${path.join('.')}'` : 's'}: ${is.message}`, {
            pointer: `${loc}/attrs${ptr(...path)}`,
            layer: lj.name,
            field: path.length ? `attrs.${path.join('.')}` : 'attrs',
          });
        }
      }
    }
    return layer;
  });
  const sc = sidecar.bytes;
  const hash = createHash('sha256').update(bytes);
  if (sc) hash.update(sc);
  const graph: Graph = {
    name: m.name,
    source: { file, hash: hash.digest('hex'), ...(m.producer !== undefined ? { producer: m.producer } : {}), layout: m.layout ?? 'nhwc' },
    inputs: m.inputs,
    outputs: m.outputs,
    tensors,
    layers,
    ...(m.affine_rounding !== undefined ? { affineRounding: m.affine_rounding } : {}),
  };
  validateGraph(graph, bag, { skipLayers: skip, brokenTensors: broken });
  bag.throwIfErrors();
  markValidated(graph);
  return { graph, diags: bag };
}

function buildTensor(
  name: string,
  tj: TensorJson,
  loc: string,
  bag: DiagnosticBag,
  getSidecar: () => Uint8Array | undefined,
  hasWeightsFile: boolean,
): { tensor: Tensor; ok: boolean } {
  const [lo, hi] = DTYPE_RANGE[tj.dtype];
  let ok = true;
  const err = (code: Parameters<DiagnosticBag['error']>[0], msg: string, sub: string, field?: string) => {
    ok = false;
    bag.error(code, `tensor '${name}': ${msg}`, { pointer: loc + sub, field });
  };
  let quant: Quant = { kind: 'fixed', fl: 0, qmin: lo, qmax: hi };
  const q = tj.quant;
  if (q.kind === 'affine') {
    const r = affineQuantFromJson(q, tj.shape, lo, hi);
    for (const e of r.errors) err(e.code, e.message, e.sub, e.field);
    quant = r.quant;
  } else if (q.kind !== 'fixed') err('F8E046', `quantisation kind '${q.kind}' is reserved and not supported by model format v1`, '/quant/kind', 'quant.kind');
  else {
    const qmin = q.qmin ?? lo;
    const qmax = q.qmax ?? hi;
    if (qmin < lo || qmin > hi) err('F8E041', `qmin ${qmin} is outside the ${tj.dtype} range [${lo}, ${hi}]`, '/quant/qmin', 'quant.qmin');
    if (qmax < lo || qmax > hi) err('F8E041', `qmax ${qmax} is outside the ${tj.dtype} range [${lo}, ${hi}]`, '/quant/qmax', 'quant.qmax');
    if (ok && qmin > qmax) err('F8E041', `qmin ${qmin} is greater than qmax ${qmax}`, '/quant/qmin', 'quant.qmin');
    if (Array.isArray(q.fl)) {
      const axis = q.axis ?? 0;
      if (axis >= tj.shape.length) err('F8E047', `per-channel axis ${axis} does not exist in shape [${tj.shape}]`, '/quant/axis', 'quant.axis');
      else if (q.fl.length !== tj.shape[axis]) err('F8E047', `${q.fl.length} per-channel FLs for axis ${axis} of size ${tj.shape[axis]}`, '/quant/fl', 'quant.fl');
    } else if (q.axis !== undefined) err('F8E047', `"axis" is given but "fl" is a single number`, '/quant/axis', 'quant.axis');
    quant = { kind: 'fixed', fl: q.fl, ...(Array.isArray(q.fl) && q.axis !== undefined ? { axis: q.axis } : {}), qmin, qmax };
  }
  const tensor: Tensor = { name, shape: tj.shape, dtype: tj.dtype, quant, loc };
  if (!tj.data) return { tensor, ok };
  const want = expectedBytes(tj.shape, tj.dtype);
  let bytes: Uint8Array | undefined;
  const d = tj.data;
  if ('base64' in d) {
    bytes = decodeBase64(d.base64);
    if (!bytes) err('F8E053', 'data is not valid base64 (standard alphabet, padded, no whitespace)', '/data/base64', 'data.base64');
    else if (bytes.length !== want) {
      err('F8E050', `data has ${bytes.length} bytes; shape [${tj.shape}] of ${tj.dtype} needs ${want}`, '/data/base64', 'data.base64');
      bytes = undefined;
    }
  } else if (d.length !== want) err('F8E050', `data length is ${d.length} bytes; shape [${tj.shape}] of ${tj.dtype} needs ${want}`, '/data/length', 'data.length');
  else if (!hasWeightsFile) err('F8E052', 'data refers to the weights file but the model has no "weights_file"', '/data', 'data');
  else {
    const sc = getSidecar();
    if (!sc) ok = false;
    else if (d.offset + d.length > sc.length)
      err('F8E052', `data [${d.offset}, ${d.offset + d.length}) is beyond the end of the weights file (${sc.length} bytes)`, '/data', 'data');
    else bytes = sc.subarray(d.offset, d.offset + d.length);
  }
  let data: TensorData = emptyData(tj.dtype);
  if (bytes) {
    data = fromBytes(bytes, tj.dtype);
    const i = ok ? firstOutOfRange(data, quant.qmin, quant.qmax) : -1;
    if (i >= 0) err('F8E051', `element ${i} is ${data[i]}, outside [qmin, qmax] = [${quant.qmin}, ${quant.qmax}]`, '/data', 'data');
  }
  tensor.data = data;
  return { tensor, ok };
}
