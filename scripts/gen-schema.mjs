#!/usr/bin/env node
// Regenerates schema/f8c-model.schema.json from the zod schema in
// src/loader/schema.ts (test/loader/schema.test.ts checks they agree).
// Usage: node scripts/gen-schema.mjs [--check]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const cache = join(root, 'node_modules', '.cache');
mkdirSync(cache, { recursive: true });
const out = mkdtempSync(join(cache, 'f8c-schema-'));
try {
  execFileSync(process.execPath, [
    require.resolve('typescript/bin/tsc'), join(root, 'src/loader/schema.ts'),
    '--outDir', out, '--rootDir', join(root, 'src'), '--module', 'NodeNext', '--moduleResolution', 'NodeNext',
    '--target', 'ES2022', '--strict', '--skipLibCheck', '--types', 'node',
  ], { stdio: 'inherit' });
  const { modelJsonSchema } = await import(pathToFileURL(join(out, 'loader', 'schema.js')).href);
  const target = join(root, 'schema', 'f8c-model.schema.json');
  const text = modelJsonSchema();
  if (process.argv.includes('--check')) {
    const old = readFileSync(target, 'utf8');
    if (old !== text) {
      console.error('schema/f8c-model.schema.json is out of date; run node scripts/gen-schema.mjs');
      process.exit(1);
    }
  } else writeFileSync(target, text);
} finally {
  rmSync(out, { recursive: true, force: true });
}
