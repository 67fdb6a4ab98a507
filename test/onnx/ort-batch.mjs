// Runs several ONNX models with onnxruntime-node in one process, outside
// jest (whose VM realm breaks onnxruntime's typed-array checks), graph
// optimisations disabled (a QDQ model is computed in float as written):
//   node ort-batch.mjs JOBS.json OUT.json
// JOBS.json: [{"model": FILE, "dims": [...], "items": [[...], ...]}, ...];
// OUT.json: one entry per job, one array of first-output values per item
// (or {"error": message} for a model onnxruntime refuses).
import { readFileSync, writeFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
const [jobsFile, outFile] = process.argv.slice(2);
const out = [];
for (const job of JSON.parse(readFileSync(jobsFile, 'utf8'))) {
  try {
    const s = await ort.InferenceSession.create(job.model, { graphOptimizationLevel: 'disabled' });
    const res = [];
    for (const x of job.items) {
      const r = await s.run({ [s.inputNames[0]]: new ort.Tensor('float32', Float32Array.from(x), job.dims) });
      res.push(Array.from(r[s.outputNames[0]].data));
    }
    out.push(res);
  } catch (e) {
    out.push({ error: String(e.message ?? e) });
  }
}
writeFileSync(outFile, JSON.stringify(out));
