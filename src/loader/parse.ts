/**
 * JSON text to a value, with what JSON.parse does not tell: the line and
 * column of a syntax error, duplicate object keys (JSON.parse silently keeps
 * the last), the file order of the keys of "tensors" (JS objects put
 * integer-like keys first), and a nesting limit. The scanner is iterative,
 * so no input can overflow the stack.
 */
import { pointer as ptr } from '../diag/diagnostic.js';

export const MAX_DEPTH = 64;

export interface ScanResult {
  error?: { offset: number; line: number; column: number; message: string };
  /** Duplicate keys: pointer of the object and the key. */
  duplicates: { pointer: string; key: string }[];
  /** Keys of the top-level "tensors" object in file order (first occurrence). */
  tensorOrder: string[];
}

interface Frame {
  obj: boolean;
  ptr: string;
  keys?: Set<string>;
  key?: string;
  index: number;
}

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const HEX4 = /[0-9a-fA-F]{4}/y;

export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    last = i;
  }
  return { line, column: offset - last };
}

/** Checks the syntax of `text` as JSON and collects what the loader needs beyond JSON.parse. */
export function scanJson(text: string): ScanResult {
  const n = text.length;
  let i = 0;
  const stack: Frame[] = [];
  const duplicates: ScanResult['duplicates'] = [];
  const tensorOrder: string[] = [];
  const result = (): ScanResult => ({ duplicates, tensorOrder });
  const fail = (message: string): ScanResult => {
    const at = Math.min(i, n);
    return { error: { offset: at, ...lineColumn(text, at), message }, duplicates, tensorOrder };
  };
  const ws = () => {
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c !== 32 && c !== 9 && c !== 10 && c !== 13) break;
    }
  };
  /** Skips a string starting at i (a '"'); returns false on a syntax error. */
  const skipString = (): boolean => {
    i++;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 34) {
        i++;
        return true;
      }
      if (c < 32) return false;
      if (c === 92) {
        const e = text[i + 1];
        if (e === 'u') {
          HEX4.lastIndex = i + 2;
          if (!HEX4.test(text)) return false;
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else return false;
      } else i++;
    }
    return false;
  };
  /** Reads an object key and the ':' after it, leaving i at the value. */
  const readKey = (f: Frame): string | undefined => {
    if (text[i] !== '"') return undefined;
    const start = i;
    if (!skipString()) return undefined;
    const key = JSON.parse(text.slice(start, i)) as string;
    ws();
    if (text[i] !== ':') return undefined;
    i++;
    ws();
    if (f.keys!.has(key)) duplicates.push({ pointer: f.ptr, key });
    else {
      f.keys!.add(key);
      if (f.ptr === '/tensors') tensorOrder.push(key);
    }
    f.key = key;
    return key;
  };

  ws();
  for (;;) {
    // A value starts at i.
    if (i >= n) return fail('unexpected end of input');
    const c = text[i]!;
    if (c === '{' || c === '[') {
      if (stack.length >= MAX_DEPTH) return fail(`nesting deeper than ${MAX_DEPTH} levels`);
      const top = stack[stack.length - 1];
      const here = top ? top.ptr + ptr(top.obj ? top.key! : top.index) : '';
      const f: Frame = { obj: c === '{', ptr: here, index: 0, keys: c === '{' ? new Set() : undefined };
      stack.push(f);
      i++;
      ws();
      if (text[i] === (f.obj ? '}' : ']')) {
        i++;
        stack.pop();
      } else {
        if (f.obj && readKey(f) === undefined) return fail('expected a string key and ":"');
        continue;
      }
    } else if (c === '"') {
      if (!skipString()) return fail('invalid string');
    } else if (text.startsWith('true', i)) i += 4;
    else if (text.startsWith('false', i)) i += 5;
    else if (text.startsWith('null', i)) i += 4;
    else {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(text);
      if (!m) return fail(`unexpected character ${JSON.stringify(c)}`);
      i += m[0].length;
    }
    // After a value: close containers or move to the next element.
    let next = false;
    while (!next) {
      ws();
      const top = stack[stack.length - 1];
      if (!top) {
        if (i < n) return fail('unexpected data after the JSON value');
        return result();
      }
      const close = top.obj ? '}' : ']';
      if (text[i] === ',') {
        i++;
        ws();
        if (top.obj) {
          if (readKey(top) === undefined) return fail('expected a string key and ":"');
        } else top.index++;
        next = true;
      } else if (text[i] === close) {
        i++;
        stack.pop();
      } else return fail(i >= n ? 'unexpected end of input' : `expected ',' or '${close}'`);
    }
  }
}
