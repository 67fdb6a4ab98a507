/** Building and running generated C on the host with the system gcc (execa). */
import { execa } from 'execa';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The strict build: any warning is an error. */
export const STRICT_FLAGS = ['-std=c99', '-Wall', '-Wextra', '-Werror', '-pedantic', '-O2'];
/**
 * Warnings a firmware project may turn on on top of the strict build; the
 * generated C and the runtime are clean under them with gcc and clang.
 */
export const EXTRA_WARNING_FLAGS = [
  '-Wconversion', '-Wsign-conversion', '-Wshadow', '-Wcast-align', '-Wcast-qual', '-Wstrict-prototypes', '-Wmissing-prototypes',
  '-Wmissing-declarations', '-Wredundant-decls', '-Wundef', '-Wpointer-arith', '-Wvla', '-Wdouble-promotion', '-Wformat=2',
];
/** The sanitizer build: any undefined behaviour or out-of-bounds access aborts. */
export const SANITIZE_FLAGS = ['-std=c99', '-Wall', '-Wextra', '-Werror', '-pedantic', '-O1', '-g', '-fsanitize=address,undefined', '-fno-sanitize-recover=all', '-fno-omit-frame-pointer'];

export interface BuildResult {
  ok: boolean;
  /** Compiler diagnostics (empty when clean). */
  log: string;
  exe: string;
}

/** Writes `files` into `dir` (merging: identical existing names must have identical contents). */
export function writeFiles(dir: string, files: Map<string, string>, written = new Map<string, string>()): void {
  for (const [name, text] of files) {
    const prev = written.get(name);
    if (prev !== undefined) {
      if (prev !== text) throw new Error(`internal: two different versions of '${name}' in one build`);
      continue;
    }
    written.set(name, text);
    writeFileSync(join(dir, name), text);
  }
}

export async function gccBuild(dir: string, flags: readonly string[], exeName: string, cc = 'gcc'): Promise<BuildResult> {
  const sources = readdirSync(dir).filter((f) => f.endsWith('.c')).sort();
  const exe = join(dir, exeName);
  const r = await execa(cc, [...flags, '-I', dir, ...sources.map((s) => join(dir, s)), '-o', exe], { cwd: dir, reject: false, all: true });
  return { ok: r.exitCode === 0 && !(r.all ?? '').includes('warning:'), log: r.all ?? '', exe };
}

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export async function runExe(exe: string, timeoutMs = 120000): Promise<RunResult> {
  const r = await execa(exe, [], { reject: false, timeout: timeoutMs, maxBuffer: 1 << 30, env: { ASAN_OPTIONS: 'detect_leaks=1', UBSAN_OPTIONS: 'print_stacktrace=1' } });
  return { exitCode: r.exitCode ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export function makeTempDir(tag: string): string {
  return mkdtempSync(join(tmpdir(), `f8c-${tag}-`));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
