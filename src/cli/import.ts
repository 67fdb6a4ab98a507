/**
 * `f8c import MODEL.onnx [--calibration FILE.npy] [--per-channel] -o MODEL.json`:
 * ONNX -> f8c model format v1. QDQ models with power-of-two scales are
 * imported exactly; float models are quantised by F8Net PTQ on the
 * calibration inputs (src/import/onnx).
 */
import type { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { importOnnx } from '../import/onnx/index.js';
import { isTflitePath } from '../import/tflite/index.js';
import { importTfliteCli } from './import_tflite.js';
import { serializeModel } from '../loader/load.js';
import { runPipeline } from '../passes/index.js';
import { DiagnosticBag, formatDiagnostic } from '../diag/diagnostic.js';
import { readNpy } from '../util/npy.js';
import { intOption } from './compile.js';
import type { Io } from './main.js';

interface ImportCliOptions {
  output: string;
  calibration?: string;
  perChannel?: boolean;
  refine?: string;
  sidecar?: boolean;
}

export function registerImport(program: Command, io: Io): void {
  program
    .command('import')
    .description('import an ONNX model: exact for QDQ models with power-of-two scales, F8Net post-training quantisation for float models')
    .argument('<model>', 'ONNX model (.onnx) or TFLite int8 model (.tflite)')
    .requiredOption('-o, --output <file>', 'f8c model to write (.json)')
    .option('-c, --calibration <file>', 'calibration inputs for a float model: .npy float32 [N, ...] in the ONNX layout (NCHW)')
    .option('--per-channel', 'one weight FL per output channel (default: one per layer, as F8Net)')
    .option('--refine <n>', 'calibration items used to refine FLs by +-1 (0: no refinement)', '128')
    .option('--sidecar', 'write weights to a .bin sidecar next to the JSON instead of inline base64')
    .option('--single-rounding', '.tflite: record single-rounding requantisation in the model (default: double rounding, as TFLite Micro)')
    .action((model: string, o: ImportCliOptions) => {
      if (isTflitePath(model)) return importTfliteCli(model, o, io);
      const calibration = o.calibration ? readNpy(o.calibration) : undefined;
      const r = importOnnx(model, { calibration, calibrationFile: o.calibration, perChannel: o.perChannel, refineItems: intOption(o.refine, '--refine', 0, 100000, 128) });
      const diags = new DiagnosticBag(model);
      runPipeline(r.graph, { diags });
      for (const d of diags.items) io.err(formatDiagnostic(d));
      const weightsFile = o.sidecar ? basename(o.output).replace(/\.json$/i, '') + '.bin' : undefined;
      const { json, sidecar } = serializeModel(r.graph, { inline: !o.sidecar, weightsFile });
      writeFileSync(o.output, json);
      if (sidecar && weightsFile) writeFileSync(o.output.replace(/[^/\\]*$/, weightsFile), sidecar);
      if (r.kind === 'qdq') io.out(`imported ${model} exactly (QDQ, power-of-two scales): ${r.graph.layers.length} layers`);
      else {
        const p = r.ptq!;
        io.out(`quantised ${model} (F8Net PTQ, ${o.perChannel ? 'per-channel' : 'per-layer'} weight FL): ${r.graph.layers.length} layers`);
        io.out(`relative output error on the refinement items: ${p.errorBefore.toExponential(3)} -> ${p.errorAfter.toExponential(3)}; top-1 agreement with the float model ${(100 * p.agreement).toFixed(1)}%`);
        for (const c of p.changes) io.out(`  refined ${c}`);
      }
      io.out(`wrote ${o.output}`);
    });
}
