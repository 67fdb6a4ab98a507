/** Shared by the loader and diagnostics tests: the tiny conv2d model and ways to load variants of it. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { UserError, type Diagnostic } from '../../src/diag/diagnostic.js';
import { parseModel, type Loaded } from '../../src/loader/load.js';

export const FIXTURES = fileURLToPath(new URL('../fixtures/models/', import.meta.url));

/** A fresh, mutable copy of test/fixtures/models/tiny_conv.json. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function tiny(): any {
  return JSON.parse(readFileSync(FIXTURES + 'tiny_conv.json', 'utf8'));
}

export function b64(a: Int8Array | Uint8Array | Int16Array | Int32Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

export function load(m: unknown, sidecars: Record<string, Uint8Array> = {}): Loaded {
  const text = typeof m === 'string' ? m : JSON.stringify(m, null, 2);
  return parseModel(text, 'mem.json', (n) => sidecars[n]);
}

/** Every diagnostic of loading `m` (errors thrown as UserError, or the warnings of a success). */
export function diagsOf(m: unknown, sidecars: Record<string, Uint8Array> = {}): Diagnostic[] {
  try {
    return load(m, sidecars).diags.items;
  } catch (e) {
    if (e instanceof UserError) return e.diagnostics;
    throw e;
  }
}

export function errorsOf(m: unknown, sidecars: Record<string, Uint8Array> = {}): Diagnostic[] {
  return diagsOf(m, sidecars).filter((d) => d.severity === 'error');
}
