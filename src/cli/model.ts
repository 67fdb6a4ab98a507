/** Loading a model for a CLI command: load (or import an .onnx), print warnings, run the front-end passes. */
import { formatDiagnostic } from '../diag/diagnostic.js';
import type { Graph } from '../ir/types.js';
import { DiagnosticBag } from '../diag/diagnostic.js';
import { importOnnx } from '../import/onnx/index.js';
import { importTflite, isTflitePath } from '../import/tflite/index.js';
import { loadModel } from '../loader/load.js';
import { runPipeline } from '../passes/index.js';
import type { Io } from './main.js';

export function loadForCli(path: string, io: Io, opts: { quiet?: boolean } = {}): Graph {
  // .onnx: imported on the fly (QDQ models exactly; float models need `f8c import --calibration`).
  const { graph, diags } = /\.onnx$/i.test(path)
    ? { graph: importOnnx(path).graph, diags: new DiagnosticBag(path) }
    : isTflitePath(path) // .tflite: imported on the fly (affine int8, bit-exact with TFLite Micro)
      ? { graph: importTflite(path), diags: new DiagnosticBag(path) }
      : loadModel(path);
  const g = runPipeline(graph, { diags });
  if (!opts.quiet) for (const d of diags.items) if (d.severity === 'warning') io.err(formatDiagnostic(d));
  return g;
}
