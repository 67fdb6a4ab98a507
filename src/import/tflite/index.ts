/**
 * `.tflite` -> f8c Graph (affine tensors), not yet through the front-end
 * passes. Read with the flatbuffers runtime (./reader.ts), converted by
 * ./convert.ts. Problems are diagnostics: F8E110 (unreadable), F8E111 (the
 * unsupported operators, all in one message), F8E112 (unsupported use).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fail } from '../../diag/diagnostic.js';
import type { AffineRounding, Graph } from '../../ir/types.js';
import { convertTflite, ImportProblem } from './convert.js';
import { readTflite, TfliteFormatError, type TflModel } from './reader.js';

export interface TfliteImportOptions {
  /** Rounding of every affine rescale, recorded in the model (default 'double', TFLite Micro's default). */
  rounding?: AffineRounding;
}

export function isTflitePath(path: string): boolean {
  return /\.tflite$/i.test(path);
}

/** C-identifier-friendly model name from the file name. */
export function tfliteModelName(path: string): string {
  const n = basename(path).replace(/\.tflite$/i, '').replace(/[^A-Za-z0-9_]/g, '_');
  return /^[A-Za-z_]/.test(n) ? n : `m_${n}`;
}

export function readTfliteFile(path: string): TflModel {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    return fail('F8E001', `cannot read '${path}': ${(e as Error).message}`, { file: path });
  }
  try {
    return readTflite(bytes);
  } catch (e) {
    if (e instanceof TfliteFormatError || e instanceof RangeError) return fail('F8E110', `${path}: ${e.message}`, { file: path });
    throw e;
  }
}

export function importTfliteBytes(bytes: Uint8Array, file: string, opts: TfliteImportOptions = {}): Graph {
  let m: TflModel;
  try {
    m = readTflite(bytes);
  } catch (e) {
    if (e instanceof TfliteFormatError || e instanceof RangeError) return fail('F8E110', `${file}: ${e.message}`, { file });
    throw e;
  }
  try {
    const g = convertTflite(m, tfliteModelName(file));
    g.source = { ...g.source, file, hash: createHash('sha256').update(bytes).digest('hex') };
    if (opts.rounding) g.affineRounding = opts.rounding;
    return g;
  } catch (e) {
    if (e instanceof ImportProblem) return fail(e.code, e.message, { file });
    throw e;
  }
}

export function importTflite(path: string, opts: TfliteImportOptions = {}): Graph {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    return fail('F8E001', `cannot read '${path}': ${(e as Error).message}`, { file: path });
  }
  return importTfliteBytes(bytes, path, opts);
}
