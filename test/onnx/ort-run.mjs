// Runs an ONNX model with onnxruntime-node outside jest (whose VM realm breaks
// onnxruntime's typed-array checks): node ort-run.mjs MODEL.onnx '{"dims":[...],"x":[...]}'
import * as ort from 'onnxruntime-node';
const [model, arg] = process.argv.slice(2);
const { dims, x } = JSON.parse(arg);
const s = await ort.InferenceSession.create(model, { graphOptimizationLevel: 'disabled' });
const r = await s.run({ [s.inputNames[0]]: new ort.Tensor('float32', Float32Array.from(x), dims) });
process.stdout.write(JSON.stringify(Array.from(r[s.outputNames[0]].data)));
