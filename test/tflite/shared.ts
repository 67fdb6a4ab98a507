/**
 * The shared int8 models (../shared/models, with goldens from the TFLite
 * Micro reference kernels) when present: paths and golden arrays.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseNpy } from '../../src/util/npy.js';

/** ../shared/models next to the repository, or F8C_SHARED_MODELS (e.g. from a git worktree elsewhere). */
export const SHARED_MODELS = process.env['F8C_SHARED_MODELS'] ?? resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/models');
export const HAVE_SHARED = existsSync(join(SHARED_MODELS, 'goldens'));

export const MODELS: Record<string, string> = {
  hello_world: 'tflite-micro/hello_world_int8.tflite',
  micro_speech: 'tflite-micro/micro_speech_int8.tflite',
  person_detect: 'tflite-micro/person_detect_int8.tflite',
  ad_autoencoder: 'mlperf-tiny/ad_autoencoder_int8.tflite',
  kws_dscnn: 'mlperf-tiny/kws_dscnn_int8.tflite',
  ic_resnet8: 'mlperf-tiny/ic_resnet8_int8.tflite',
  vww_mobilenetv1: 'mlperf-tiny/vww_mobilenetv1_int8.tflite',
};

export function modelPath(name: string): string {
  return join(SHARED_MODELS, MODELS[name]!);
}

/** The 16 golden inputs and outputs, one Int8Array per item. */
export function goldens(name: string): { inputs: Int8Array[]; outputs: Int8Array[] } {
  const load = (kind: string) => {
    const f = join(SHARED_MODELS, 'goldens', `${name}.${kind}.npy`);
    const a = parseNpy(readFileSync(f), f);
    const n = a.shape[0]!;
    const per = a.data.length / n;
    return Array.from({ length: n }, (_, i) => new Int8Array(a.data.buffer, a.data.byteOffset + i * per, per).slice());
  };
  return { inputs: load('input'), outputs: load('output') };
}
