/**
 * Target descriptions (targets/*.json): a core's compiler flags, ISA
 * features and the QEMU board(s) f8c verify and f8c bench run it on.
 * Loaded and checked by ./load.ts.
 */
import { z } from 'zod';

/** Cycle-estimate tables of the counting plugin (targets/mcu/plugin). */
export const CYCLE_MODELS = ['m0p', 'm3', 'm4'] as const;
export type CycleModel = (typeof CYCLE_MODELS)[number];

export const boardSchema = z.object({
  name: z.string().min(1),
  /** Other names a user may type for `--target` to mean this core on this board. */
  aliases: z.array(z.string()).default([]),
  summary: z.string(),
  /** `qemu-system-arm -M` machine. */
  qemu_machine: z.string().min(1),
  /** File under targets/mcu/ld/. */
  linker_script: z.string().min(1),
  flash_bytes: z.number().int().positive(),
  ram_bytes: z.number().int().positive(),
  /** Stack reserved at the top of RAM by the linker script. */
  stack_bytes: z.number().int().positive(),
});

export const targetSchema = z.object({
  $comment: z.string().optional(),
  name: z.string().min(1),
  kind: z.enum(['host', 'mcu']),
  summary: z.string(),
  aliases: z.array(z.string()).default([]),
  arch: z.string().nullable().optional(),
  features: z.object({
    dsp: z.boolean(),
    mve: z.boolean(),
    fpu: z.enum(['none', 'sp', 'dp']),
  }),
  /** Compiler flags selecting the core (arm-none-eabi-gcc). */
  cflags: z.array(z.string()),
  /** Cycle-estimate table, or null when there is none (no made-up figures). */
  cycle_model: z.enum(CYCLE_MODELS).nullable(),
  /** QEMU boards, the default first. Empty: f8c cannot run this target. */
  boards: z.array(boardSchema),
});

export type BoardDesc = z.output<typeof boardSchema>;
export type TargetDesc = z.output<typeof targetSchema>;

/** A target as chosen by the user: the core and, for running, one board. */
export interface ResolvedTarget {
  target: TargetDesc;
  /** Set when the name the user typed selects a board (e.g. m0plus-big). */
  board?: BoardDesc;
}
