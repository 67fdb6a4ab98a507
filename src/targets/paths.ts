/**
 * Where f8c's own data files are: targets/ and the MCU harness under
 * targets/mcu/. Found relative to this module, which sits two levels below
 * the package root both as src/targets/*.ts and as dist/targets/*.js.
 */
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const TARGETS_DIR = join(PACKAGE_ROOT, 'targets');
export const MCU_DIR = join(TARGETS_DIR, 'mcu');

export const mcuPaths = {
  include: join(MCU_DIR, 'include'),
  startup: join(MCU_DIR, 'src', 'mcu_startup.c'),
  ld: join(MCU_DIR, 'ld'),
  pluginSource: join(MCU_DIR, 'plugin', 'mcu_count.c'),
  pluginHeader: join(MCU_DIR, 'plugin', 'qemu_plugin_api.h'),
};
