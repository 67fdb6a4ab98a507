/**
 * Replaces the generated part of README.md between the markers
 * `<!-- NAME:begin -->` and `<!-- NAME:end -->` (the bench scripts' --write).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../src/targets/paths.js';

export function replaceReadmeSection(name: string, text: string): void {
  const begin = `<!-- ${name}:begin -->`;
  const end = `<!-- ${name}:end -->`;
  const path = join(PACKAGE_ROOT, 'README.md');
  const readme = readFileSync(path, 'utf8');
  const a = readme.indexOf(begin);
  const z = readme.indexOf(end);
  if (a < 0 || z < a) throw new Error(`README.md has no ${begin} ... ${end} section`);
  writeFileSync(path, `${readme.slice(0, a + begin.length)}\n${text}\n${readme.slice(z)}`);
}
