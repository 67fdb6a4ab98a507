import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from './helpers.js';

const MLP = 'examples/mlp_pocket/mlp_pocket.json';

describe('compile output directory', () => {
  test('missing parent directories are created', async () => {
    const root = mkdtempSync(join(tmpdir(), 'f8c-out-'));
    const r = await cli('compile', MLP, '--target', 'host', '-o', join(root, 'a', 'b', 'mlp'));
    expect(r.code).toBe(0);
    expect(readdirSync(join(root, 'a', 'b', 'mlp'))).toContain('mlp_pocket.h');
  });

  test('an unwritable output path is diagnostic F8E007 and leaves nothing behind', async () => {
    const root = mkdtempSync(join(tmpdir(), 'f8c-out-'));
    writeFileSync(join(root, 'file'), 'x');
    const r = await cli('compile', MLP, '--target', 'host', '-o', join(root, 'file', 'sub', 'mlp'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/F8E007/);
    expect(readdirSync(root)).toEqual(['file']);
    expect(existsSync(join(root, 'file', 'sub'))).toBe(false);
  });
});
