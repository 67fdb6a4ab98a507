/**
 * The external tools the MCU backend runs: arm-none-eabi-gcc and binutils,
 * qemu-system-arm and a host C compiler (for the counting plugin). A missing
 * tool is a user error (F8E092) that says how to install it.
 */
import { execa } from 'execa';
import { fail } from '../../diag/diagnostic.js';

export const ARM_TOOLS = {
  cc: 'arm-none-eabi-gcc',
  nm: 'arm-none-eabi-nm',
  size: 'arm-none-eabi-size',
  qemu: 'qemu-system-arm',
} as const;

const found = new Map<string, boolean>();

export async function haveTool(tool: string): Promise<boolean> {
  let ok = found.get(tool);
  if (ok === undefined) {
    const r = await execa(tool, ['--version'], { reject: false, stdin: 'ignore' });
    ok = r.exitCode === 0;
    found.set(tool, ok);
  }
  return ok;
}

/** Fails with F8E092 unless every tool is on PATH. */
export async function requireTools(tools: readonly string[]): Promise<void> {
  const missing: string[] = [];
  for (const t of tools) if (!(await haveTool(t))) missing.push(t);
  if (missing.length) fail('F8E092', `${missing.join(', ')} not found on PATH`);
}

/** The host C compiler used to build the QEMU plugin. */
export async function hostCc(): Promise<string> {
  const env = process.env['HOSTCC'];
  for (const c of [env, 'cc', 'gcc'].filter((x): x is string => !!x)) if (await haveTool(c)) return c;
  return fail('F8E092', 'no host C compiler (cc or gcc) to build the QEMU counting plugin');
}
