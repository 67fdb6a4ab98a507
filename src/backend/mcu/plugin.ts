/**
 * The QEMU TCG counting plugin (targets/mcu/plugin/mcu_count.c), built on
 * first use into a cache directory keyed by the hash of its source, so a
 * changed plugin is rebuilt and concurrent builds do not clash.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { mcuPaths } from '../../targets/paths.js';
import { hostCc } from './tools.js';

export function pluginCacheDir(): string {
  const env = process.env;
  return env['F8C_MCU_CACHE'] ?? join(env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'f8c-mcu');
}

/** Path of the built plugin (.so), building it when needed. */
export async function ensurePlugin(): Promise<string> {
  const h = createHash('sha256');
  h.update(readFileSync(mcuPaths.pluginSource));
  h.update(readFileSync(mcuPaths.pluginHeader));
  const dir = pluginCacheDir();
  const so = join(dir, `mcu_count-${h.digest('hex').slice(0, 12)}.so`);
  if (existsSync(so)) return so;
  mkdirSync(dir, { recursive: true });
  const tmp = `${so}.tmp.${process.pid}`;
  const r = await execa(await hostCc(), ['-shared', '-fPIC', '-O2', '-Wall', '-o', tmp, mcuPaths.pluginSource], { reject: false, all: true });
  if (r.exitCode !== 0) throw new Error(`internal: building the QEMU plugin failed:\n${r.all}`);
  renameSync(tmp, so);
  return so;
}
