/** `--kernels portable|arm` of f8c compile, verify and bench. */
import { InvalidArgumentError } from 'commander';
import type { KernelVariant, TargetInfo } from '../ops/opdef.js';

export const KERNELS_HELP = "kernel variant: portable or arm (runtime-c/arm: DSP/Helium, plain C elsewhere); default arm where the core has the DSP extension";

export function parseKernels(v: string): KernelVariant {
  if (v === 'portable' || v === 'arm') return v;
  throw new InvalidArgumentError("expected 'portable' or 'arm'");
}

/** The chosen variant, or the default for the target. */
export function kernelVariant(chosen: KernelVariant | undefined, target: TargetInfo): KernelVariant {
  return chosen ?? (target.dsp ? 'arm' : 'portable');
}
