/**
 * The 'arm' kernel variant of conv2d and dense (runtime-c/arm/): the same
 * functions, parameter structs and tables as the portable lowering, built
 * from other sources and with a scratch buffer. The sizes here mirror the C
 * `_scratch_size` functions of runtime-c/arm/ (test/arm checks them):
 *
 *   conv2d, groups == 1:  4 * KH * KW * Cin   (two im2col pixels of int16)
 *   conv2d, depthwise:    2 * (Hp * Wp + 2) rounded up to 4, Hp/Wp the padded input
 *   conv2d, other groups: 0
 *   dense:                2 * K rounded up to 4 (the input as int16)
 *
 * No size depends on the core (DSP, Helium or neither), so one output
 * builds for every Cortex-M and the memory plan is the same on all of them.
 */
import type { KernelCall } from './lowering.js';

export interface ConvShape {
  H: number;
  W: number;
  Cin: number;
  Cout: number;
  KH: number;
  KW: number;
  groups: number;
  top: number;
  left: number;
  bottom: number;
  right: number;
}

const up4 = (n: number): number => Math.ceil(n / 4) * 4;

export function isDepthwise(g: ConvShape): boolean {
  return g.groups > 1 && g.groups === g.Cin && g.Cout === g.Cin;
}

export function conv2dArmScratch(g: ConvShape): number {
  if (g.groups === 1) return 4 * g.KH * g.KW * g.Cin;
  if (isDepthwise(g)) return up4(2 * ((g.H + g.top + g.bottom) * (g.W + g.left + g.right) + 2));
  return 0;
}

export function denseArmScratch(K: number): number {
  return up4(2 * K);
}

const ARM_SOURCES: Record<string, string[]> = {
  'f8_conv2d.c': ['f8_conv2d_arm.c', 'f8_dwconv_arm.c'],
  'f8_dense.c': ['f8_dense_arm.c'],
};

/** A portable call turned into the arm variant's: other sources, `scratchBytes` bytes of scratch. */
export function armCall(call: KernelCall, scratchBytes: number): KernelCall {
  const sources = call.sources.flatMap((s) => ARM_SOURCES[s] ?? [s]);
  return { ...call, sources, scratchBytes };
}
