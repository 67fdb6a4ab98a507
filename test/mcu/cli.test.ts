/** The CLI on Cortex-M targets: bench --json, verify, compile's firmware example. */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { PACKAGE_ROOT } from '../../src/targets/paths.js';

const MODEL = join(PACKAGE_ROOT, 'test', 'fixtures', 'models', 'tiny_conv.json');
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'f8c-mcu-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const code = await main(args, { out: (s) => lines.push(s), err: (s) => lines.push(s) });
  return { code, out: lines.join('\n') };
}

test('f8c bench --json: layers and total in the documented shape', async () => {
  const json = join(dir, 'bench.json');
  const r = await cli(['bench', MODEL, '--target', 'cortex-m0plus', '--json', json]);
  expect(r.code).toBe(0);
  expect(r.out).toMatch(/cycles are an estimate/);
  const j = JSON.parse(readFileSync(json, 'utf8'));
  expect(Object.keys(j.layers[0]).sort()).toEqual(['cycles', 'instructions', 'macs', 'name', 'op']);
  for (const k of ['macs', 'instructions', 'cycles', 'flash_bytes', 'arena_bytes', 'stack_bytes']) expect(typeof j.total[k]).toBe('number');
  const sum = j.layers.reduce((s: number, l: { instructions: number }) => s + l.instructions, 0);
  expect(Math.abs(sum - j.total.instructions)).toBeLessThanOrEqual(j.marker_overhead);
});

test('f8c bench on M55 reports cycles: null', async () => {
  const json = join(dir, 'bench55.json');
  expect((await cli(['bench', MODEL, '--target', 'm55', '--json', json])).code).toBe(0);
  const j = JSON.parse(readFileSync(json, 'utf8'));
  expect(j.total.cycles).toBeNull();
  expect(j.layers[0].cycles).toBeNull();
});

test('f8c verify --target cortex-m33', async () => {
  const r = await cli(['verify', MODEL, '--target', 'cortex-m33', '--random', '5']);
  expect(r.out).toMatch(/all outputs match/);
  expect(r.code).toBe(0);
});

test('f8c compile --target cortex-m4 writes main.c and model.mk', async () => {
  const out = join(dir, 'm4');
  expect((await cli(['compile', MODEL, '--target', 'cortex-m4', '-o', out])).code).toBe(0);
  const files = readdirSync(out);
  expect(files).toEqual(expect.arrayContaining(['main.c', 'model.mk']));
  expect(readFileSync(join(out, 'model.mk'), 'utf8')).toContain('-mcpu=cortex-m4');
});

test('bench on host or cortex-m is F8E093', async () => {
  const r = await cli(['bench', MODEL, '--target', 'cortex-m']);
  expect(r.code).toBe(1);
  expect(r.out).toMatch(/F8E093/);
});
