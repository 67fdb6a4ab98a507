import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CODES } from '../../src/diag/codes.js';

function testFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? testFiles(p) : p.endsWith('.test.ts') ? [p] : [];
  });
}

test('every diagnostic code in the catalogue is exercised by some test', () => {
  const text = testFiles('test')
    .filter((f) => !f.endsWith('catalogue.test.ts'))
    .map((f) => readFileSync(f, 'utf8'))
    .join('\n');
  const untested = Object.keys(CODES).filter((c) => !text.includes(c));
  expect(untested).toEqual([]);
});
