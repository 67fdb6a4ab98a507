/**
 * The sidecar weight file: raw little-endian constant data that tensors
 * address by {offset, length}. Its path is relative to the model file.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** Reads a sidecar next to `modelPath`; undefined if missing, unreadable or larger than maxBytes. */
export function readSidecarNextTo(modelPath: string, name: string, maxBytes: number): Uint8Array | undefined {
  const p = resolve(dirname(modelPath), name);
  try {
    const st = statSync(p);
    if (!st.isFile() || st.size > maxBytes) return undefined;
    const b = readFileSync(p);
    return new Uint8Array(b.buffer, b.byteOffset, b.length);
  } catch {
    return undefined;
  }
}

/** Packs constant blobs into one sidecar, each aligned to `align` bytes; returns the blob offsets. */
export function packSidecar(blobs: Uint8Array[], align = 4): { bytes: Uint8Array; offsets: number[] } {
  const offsets: number[] = [];
  let at = 0;
  for (const b of blobs) {
    offsets.push(at);
    at = Math.ceil((at + b.length) / align) * align;
  }
  const bytes = new Uint8Array(at);
  blobs.forEach((b, i) => bytes.set(b, offsets[i]));
  return { bytes, offsets };
}
