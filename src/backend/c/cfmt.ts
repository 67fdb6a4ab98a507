/** Small formatting helpers for generated C: identifiers, integer literals, array bodies. */

const C_KEYWORDS = new Set(
  ('auto break case char const continue default do double else enum extern float for goto if inline int long register restrict return ' +
    'short signed sizeof static struct switch typedef union unsigned void volatile while _Bool _Complex _Imaginary').split(' '),
);

/** A C identifier from any name: non-alphanumerics become '_', a leading digit gets a prefix. */
export function cIdent(name: string, fallback = 'x'): string {
  let s = name.replace(/[^A-Za-z0-9_]/g, '_').replace(/_+/g, '_');
  if (s === '' || s === '_') s = fallback;
  if (/^[0-9]/.test(s)) s = `${fallback}${s}`;
  if (C_KEYWORDS.has(s) || /^_[A-Z_]/.test(s)) s = `${fallback}_${s}`;
  return s;
}

/** Hands out unique identifiers: a second 'conv' becomes 'conv_2'. */
export class IdentPool {
  private used = new Set<string>();
  constructor(reserved: Iterable<string> = []) {
    for (const r of reserved) this.used.add(r);
  }
  take(name: string, fallback = 'x'): string {
    const base = cIdent(name, fallback);
    let s = base;
    for (let k = 2; this.used.has(s); k++) s = `${base}_${k}`;
    this.used.add(s);
    return s;
  }
}

/** An int32-range integer as a C expression (INT32_MIN has no literal form). */
export function cInt(v: number): string {
  if (!Number.isInteger(v) || v < -2147483648 || v > 4294967295) throw new Error(`internal: ${v} is not a C integer constant f8c emits`);
  if (v === -2147483648) return '(-2147483647 - 1)';
  return v > 2147483647 ? `${v}u` : String(v);
}

/**
 * An integer as the body of an object-like macro: a negative value is
 * parenthesised, so that `X - Y_QMIN` or `-Y_QMIN` never forms `--`.
 */
export function cMacroInt(v: number): string {
  const s = cInt(v);
  return s.startsWith('-') ? `(${s})` : s;
}

/** The lines of an array initialiser body, `perLine` values a line, each line indented. */
export function cArrayLines(values: ArrayLike<number>, perLine: number, indent = '    '): string[] {
  const lines: string[] = [];
  for (let i = 0; i < values.length; i += perLine) {
    const row: string[] = [];
    for (let j = i; j < Math.min(i + perLine, values.length); j++) row.push(cInt(values[j]!));
    lines.push(`${indent}${row.join(', ')}${i + perLine < values.length ? ',' : ''}`);
  }
  return lines;
}

/** Text safe inside a C block comment (no comment terminators, no control characters). */
export function cComment(s: string): string {
  return s.replace(/\*\//g, '* /').replace(/\/\*/g, '/ *').replace(/[\u0000-\u001f\u007f]/g, ' ');
}

/** Text safe inside a C string literal. */
export function cString(s: string): string {
  return s.replace(/[\\"]/g, (c) => `\\${c}`).replace(/[^\x20-\x7e]/g, '?').replace(/\?\?/g, '?\\?');
}
