/** Renders the ejs templates of templates/ with a view model prepared in TypeScript. */
import ejs from 'ejs';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root: this module sits three levels below it (src/backend/c or dist/backend/c). */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const TEMPLATES_DIR = join(PACKAGE_ROOT, 'templates');
export const RUNTIME_DIR = join(PACKAGE_ROOT, 'runtime-c');

const cache = new Map<string, ejs.TemplateFunction>();

/** Renders templates/<name> with `v` bound to the view model. */
export function renderTemplate(name: string, v: unknown): string {
  let fn = cache.get(name);
  if (!fn) {
    const text = readFileSync(join(TEMPLATES_DIR, name), 'utf8');
    fn = ejs.compile(text, { filename: name, strict: true, destructuredLocals: ['v'] }) as ejs.TemplateFunction;
    cache.set(name, fn);
  }
  return fn({ v }) as string;
}

/** Reads a runtime-c file (the Arm kernels' files from runtime-c/arm/; every output is flat). */
export function readRuntimeFile(name: string): string {
  const top = join(RUNTIME_DIR, name);
  return readFileSync(existsSync(top) ? top : join(RUNTIME_DIR, 'arm', name), 'utf8');
}
