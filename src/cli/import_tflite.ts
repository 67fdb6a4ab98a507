/**
 * `f8c import MODEL.tflite -o MODEL.json [--single-rounding] [--sidecar]`:
 * TFLite int8 -> f8c model format v1 with affine tensors, exactly.
 */
import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { DiagnosticBag, formatDiagnostic } from '../diag/diagnostic.js';
import { importTflite } from '../import/tflite/index.js';
import { serializeModel } from '../loader/load.js';
import { runPipeline } from '../passes/index.js';
import type { Io } from './main.js';

export function importTfliteCli(model: string, o: { output: string; sidecar?: boolean; singleRounding?: boolean }, io: Io): void {
  const g = importTflite(model, { rounding: o.singleRounding ? 'single' : 'double' });
  const diags = new DiagnosticBag(model);
  runPipeline(g, { diags });
  for (const d of diags.items) io.err(formatDiagnostic(d));
  const weightsFile = o.sidecar ? basename(o.output).replace(/\.json$/i, '') + '.bin' : undefined;
  const { json, sidecar } = serializeModel(g, { inline: !o.sidecar, weightsFile });
  writeFileSync(o.output, json);
  if (sidecar && weightsFile) writeFileSync(o.output.replace(/[^/\\]*$/, weightsFile), sidecar);
  io.out(`imported ${model} exactly (TFLite int8, affine, ${g.affineRounding ?? 'double'} rounding): ${g.layers.length} layers`);
  io.out(`wrote ${o.output}`);
}
