/** Fuzzing: any input either loads or throws UserError; nothing else escapes. */
import fc from 'fast-check';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../../src/diag/diagnostic.js';
import { loadModel, parseModel } from '../../src/loader/load.js';
import { tiny } from './helpers.js';

const base = JSON.stringify(tiny(), null, 2);

function loadsOrUserError(f: () => unknown): void {
  try {
    f();
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    expect(e.diagnostics.length).toBeGreaterThan(0);
  }
}

const parse = (text: string) => loadsOrUserError(() => parseModel(text, 'fuzz.json', () => undefined));

/** Replaces the value at a random path of the tiny model with `v`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function mutate(m: any, pick: number[], v: unknown): unknown {
  let node = m;
  for (let depth = 0; depth < pick.length; depth++) {
    const keys = Object.keys(node);
    const k = keys[pick[depth]! % keys.length]!;
    const child = node[k];
    if (depth === pick.length - 1 || child === null || typeof child !== 'object' || Object.keys(child).length === 0) {
      node[k] = v;
      return m;
    }
    node = child;
  }
  return m;
}

const nasty = fc.oneof(
  fc.jsonValue(),
  fc.constantFrom(1e308, -1e308, 2 ** 53, 2 ** 31, -(2 ** 31) - 1, 4294967296, 0.5, -0, 1e-300, '', '__proto__', 'constructor'),
  fc.integer({ min: 1, max: 300 }).map((n) => JSON.parse('['.repeat(n) + ']'.repeat(n)) as unknown),
  fc.integer({ min: 1, max: 200 }).map((n) => {
    let o: unknown = 1;
    for (let i = 0; i < n; i++) o = { a: o };
    return o;
  }),
);

describe('fuzz', () => {
  test('truncated files', () => {
    fc.assert(fc.property(fc.nat(base.length), (n) => parse(base.slice(0, n))), { numRuns: 200 });
  });

  test('random byte flips', () => {
    const bytes = Buffer.from(base, 'utf8');
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(bytes.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }), (flips) => {
        const b = Buffer.from(bytes);
        for (const [i, v] of flips) b[i] = v;
        parse(b.toString('utf8'));
      }),
      { numRuns: 300 },
    );
  });

  test('random JSON documents', () => {
    fc.assert(fc.property(fc.jsonValue(), (v) => parse(JSON.stringify(v))), { numRuns: 150 });
    fc.assert(fc.property(fc.string(), (s) => parse(s)), { numRuns: 100 });
  });

  test('random values at random places of a valid model (huge numbers, deep nesting)', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(20), { minLength: 1, maxLength: 5 }), nasty, (pick, v) => parse(JSON.stringify(mutate(tiny(), pick, v)))),
      { numRuns: 400 },
    );
  });

  test('deeply nested text and absurd shapes', () => {
    parse('['.repeat(100000));
    parse('['.repeat(5000) + ']'.repeat(5000));
    parse('{"a":'.repeat(10000) + '1' + '}'.repeat(10000));
    const m = tiny();
    m.tensors.c1.shape = [1, 2147483647, 2147483647, 2147483647];
    m.tensors['conv1.w'].shape = [2147483647, 2147483647, 1, 1];
    parse(JSON.stringify(m));
  });

  test('garbled files through loadModel', () => {
    const dir = mkdtempSync(join(tmpdir(), 'f8c-fuzz-'));
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.boolean(), (junk, json) => {
        const p = join(dir, json ? 'm.json' : 'm.bin');
        writeFileSync(p, Buffer.concat([Buffer.from(base.slice(0, 200)), junk]));
        loadsOrUserError(() => loadModel(p));
      }),
      { numRuns: 50 },
    );
  });
});
