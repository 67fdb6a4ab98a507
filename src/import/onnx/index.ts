/**
 * ONNX import: `importOnnx` reads an .onnx file and returns an f8c Graph
 * (not yet through the front-end passes) with `source.layout = 'nchw'`.
 * A model with QuantizeLinear/DequantizeLinear is imported exactly (./qdq.ts);
 * a float model needs calibration data and is quantised by F8Net PTQ
 * (./ptq.ts).
 */
import { basename, extname } from 'node:path';
import { DiagnosticBag, fail } from '../../diag/diagnostic.js';
import { numel, type Graph } from '../../ir/types.js';
import type { NpyArray } from '../../util/npy.js';
import { convertOnnx } from './convert.js';
import type { FGraph } from './fgraph.js';
import { readOnnx, type OnnxModel } from './proto.js';
import { ptq, type PtqOptions, type PtqResult } from './ptq.js';
import { importQdq } from './qdq.js';

export interface ImportOptions extends PtqOptions {
  /** Calibration inputs in the ONNX layout (NCHW), float; needed for float models. */
  calibration?: NpyArray;
  calibrationFile?: string;
}

export interface ImportResult {
  graph: Graph;
  kind: 'qdq' | 'ptq';
  ptq?: PtqResult;
}

/** A C-identifier-friendly model name from the file name. */
export function modelName(path: string): string {
  const n = basename(path, extname(path)).replace(/[^A-Za-z0-9_]/g, '_');
  return /^[A-Za-z_]/.test(n) ? n : `m_${n}`;
}

/** NCHW float items -> NHWC real-valued input maps. */
function calibItems(fg: FGraph, a: NpyArray, file: string): Map<string, Float64Array>[] {
  if (fg.inputs.length !== 1) fail('F8E104', `the model has ${fg.inputs.length} inputs; --calibration supports one`, { file });
  const name = fg.inputs[0]!;
  const s = fg.shapes.get(name)!;
  const want = s.length === 4 ? [s[3]!, s[1]!, s[2]!] : s.slice(1);
  if (a.dtype !== 'float32' && a.dtype !== 'float64') fail('F8E104', `'${file}' holds ${a.dtype}; calibration data must be float32 or float64 (real input values)`, { file });
  if (a.shape.length !== want.length + 1 || want.some((d, i) => a.shape[i + 1] !== d) || a.shape[0]! < 1)
    fail('F8E104', `'${file}' has shape [${a.shape}]; input '${name}' takes [N, ${want.join(', ')}] (the ONNX model's own layout)`, { file });
  const per = numel(want);
  return Array.from({ length: a.shape[0]! }, (_, i) => {
    const src = a.data.subarray(i * per, (i + 1) * per);
    const item = new Float64Array(per);
    if (s.length === 4) {
      const [, H, W, C] = s as [number, number, number, number];
      for (let c = 0; c < C; c++) for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) item[(y * W + x) * C + c] = src[(c * H + y) * W + x]!;
    } else item.set(src);
    return new Map([[name, item]]);
  });
}

export function importOnnxModel(model: OnnxModel, opts: ImportOptions = {}): ImportResult {
  const diags = new DiagnosticBag(model.file);
  const fg = convertOnnx(model, modelName(model.file), diags);
  let graph: Graph;
  let result: PtqResult | undefined;
  if (fg.qdq) graph = importQdq(fg, diags);
  else {
    if (!opts.calibration) fail('F8E104', `'${model.file}' is a float model: quantising it needs calibration inputs (--calibration FILE.npy)`, { file: model.file });
    result = ptq(fg, calibItems(fg, opts.calibration, opts.calibrationFile ?? '<calibration>'), opts);
    graph = result.graph;
  }
  graph.source = { ...graph.source, file: model.file, hash: model.hash };
  return { graph, kind: fg.qdq ? 'qdq' : 'ptq', ptq: result };
}

export function importOnnx(path: string, opts: ImportOptions = {}): ImportResult {
  return importOnnxModel(readOnnx(path), opts);
}
