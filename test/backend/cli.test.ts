import { execa } from 'execa';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main, type Io } from '../../src/cli/main.js';
import { serializeModel } from '../../src/loader/serialize.js';
import { tinyNet } from './models.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'f8c-cli-test-'));
  writeFileSync(join(dir, 'tiny.json'), serializeModel(tinyNet('tiny', false), { inline: true }).json);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (s) => out.push(s), err: (s) => err.push(s) };
  const code = await main(args, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('f8c compile', () => {
  test('writes the library; same bytes twice; no absolute paths', async () => {
    const r1 = await cli('compile', join(dir, 'tiny.json'), '-o', join(dir, 'out1'));
    expect(r1.err).not.toMatch(/error/);
    expect(r1.code).toBe(0);
    const r2 = await cli('compile', join(dir, 'tiny.json'), '-o', join(dir, 'out2'));
    expect(r2.code).toBe(0);
    const files = readdirSync(join(dir, 'out1')).sort();
    expect(files).toContain('tiny.h');
    expect(readdirSync(join(dir, 'out2')).sort()).toEqual(files);
    for (const f of files) {
      const a = readFileSync(join(dir, 'out1', f), 'utf8');
      expect(readFileSync(join(dir, 'out2', f), 'utf8').replace(/out2/g, 'out1')).toBe(a);
      expect(a).not.toContain(dir);
    }
    expect(readFileSync(join(dir, 'out1', 'tiny.h'), 'utf8')).toContain('Command: f8c compile tiny.json --target host -o out1');
    expect(readdirSync(dir).filter((f) => f.includes('.f8c-'))).toEqual([]);
  });

  test('a bad model leaves no output directory', async () => {
    writeFileSync(join(dir, 'bad.json'), '{ "format": "f8c-model", ');
    const r = await cli('compile', join(dir, 'bad.json'), '-o', join(dir, 'bad_out'));
    expect(r.code).toBe(1);
    expect(existsSync(join(dir, 'bad_out'))).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes('.f8c-'))).toEqual([]);
  });

  test('refuses a non-empty output directory without --force; bad options are F8E072', async () => {
    const r = await cli('compile', join(dir, 'tiny.json'), '-o', join(dir, 'out1'));
    expect(r.code).toBe(1);
    expect(r.err).toContain('F8E072');
    expect((await cli('compile', join(dir, 'tiny.json'), '-o', join(dir, 'x'), '--prefix', 'int')).err).toContain('F8E072');
    expect((await cli('compile', join(dir, 'tiny.json'), '-o', join(dir, 'x'), '--golden', '-3')).code).toBe(1);
    expect((await cli('compile', join(dir, 'tiny.json'), '-o', join(dir, 'out1'), '--force', '--prefix', 'net')).code).toBe(0);
    expect(readdirSync(join(dir, 'out1'))).toContain('net.h');
    expect(readdirSync(join(dir, 'out1'))).not.toContain('tiny.h');
  });

  test('--golden writes vectors, a test program and a Makefile that passes', async () => {
    const out = join(dir, 'gold');
    const r = await cli('compile', join(dir, 'tiny.json'), '-o', out, '--golden', '4', '--seed', '9');
    expect(r.code).toBe(0);
    expect(readdirSync(out)).toEqual(expect.arrayContaining(['Makefile', 'tiny_golden.c']));
    const make = await execa('make', ['-s', 'test', 'CFLAGS=-std=c99 -O2 -Wall -Wextra -Werror -pedantic'], { cwd: out, reject: false, all: true });
    expect(make.all).toContain('tiny: 4 of 4 golden cases passed');
    expect(make.exitCode).toBe(0);
    // A corrupted expected value makes the program fail.
    const src = readFileSync(join(out, 'tiny_golden.c'), 'utf8');
    writeFileSync(join(out, 'tiny_golden.c'), src.replace(/(static const uint8_t case2_want0\[\d+\] = \{\n\s*)(\d+)/, (_, a: string, v: string) => `${a}${(Number(v) + 1) % 256}`));
    const bad = await execa('make', ['-s', 'test'], { cwd: out, reject: false, all: true });
    expect(bad.exitCode).not.toBe(0);
    expect(bad.all).toContain('case 2: FAIL');
  });
});

describe('f8c verify', () => {
  test('host: strict and sanitizer builds match the interpreter', async () => {
    const r = await cli('verify', join(dir, 'tiny.json'), '--random', '4', '--seed', '3');
    expect(r.err).not.toMatch(/error/);
    expect(r.out).toContain('strict build');
    expect(r.out).toContain('sanitize build');
    expect(r.out).not.toContain('FAILED');
    expect(r.code).toBe(0);
  });
});
