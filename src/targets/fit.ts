/**
 * Does a model fit a board? The arena, the stack reserved by the linker
 * script and the runtime's own static RAM must fit the board's RAM; weights
 * and code must fit its flash. A model that does not fit is a diagnostic
 * (F8E091/F8E094) before anything is built, never a crash on the board.
 */
import type { DiagnosticBag } from '../diag/diagnostic.js';
import type { BoardDesc, ResolvedTarget } from './types.js';

/**
 * RAM the harness runtime itself uses besides the arena and the stack:
 * newlib-nano's stdio buffers and semihosting handles (about 0.7 KiB
 * measured), the heap printf allocates from, and some slack.
 */
export const RUNTIME_RAM_BYTES = 2048;

export interface RamNeed {
  /** The model's arena (exact, from the memory plan). */
  arenaBytes: number;
  /** Other static RAM of the program (test buffers...); default 0. */
  staticBytes?: number;
  /** Stack; default: the board's reserved stack. */
  stackBytes?: number;
}

export interface RamFit {
  fits: boolean;
  needBytes: number;
  ramBytes: number;
  stackBytes: number;
}

export function ramFit(board: BoardDesc, need: RamNeed): RamFit {
  const stackBytes = need.stackBytes ?? board.stack_bytes;
  const needBytes = need.arenaBytes + (need.staticBytes ?? 0) + stackBytes + RUNTIME_RAM_BYTES;
  return { fits: needBytes <= board.ram_bytes, needBytes, ramBytes: board.ram_bytes, stackBytes };
}

const kib = (n: number) => (n % 1024 === 0 ? `${n / 1024} KiB` : `${(n / 1024).toFixed(1)} KiB`);

/** Explains a RamFit in words: what is needed, what the board has. */
export function describeFit(board: BoardDesc, need: RamNeed, fit: RamFit): string {
  return (
    `needs ${fit.needBytes} B of RAM (arena ${need.arenaBytes} B + stack ${fit.stackBytes} B` +
    `${need.staticBytes ? ` + buffers ${need.staticBytes} B` : ''} + runtime ${RUNTIME_RAM_BYTES} B) ` +
    `but board ${board.name} has ${kib(board.ram_bytes)}`
  );
}

/**
 * The board to run on: the one the user chose (by --board or a board alias
 * such as m0plus-big), which must fit; otherwise the first board of the
 * target that fits, with a note when that is not the default board. Reports
 * F8E091 (and returns undefined) when nothing fits, F8E093 when the target
 * has no board at all.
 */
export function chooseBoard(r: ResolvedTarget, need: RamNeed, bag: DiagnosticBag, explicit?: BoardDesc): BoardDesc | undefined {
  const { target } = r;
  const chosen = explicit ?? r.board;
  if (target.boards.length === 0) {
    bag.error('F8E093', `target ${target.name} names no particular core, so f8c cannot build and run for it`);
    return undefined;
  }
  if (chosen) {
    const fit = ramFit(chosen, need);
    if (fit.fits) return chosen;
    const bigger = target.boards.find((b) => ramFit(b, need).fits);
    bag.error('F8E091', `the model ${describeFit(chosen, need, fit)}`, {
      field: '--target',
      hint: bigger
        ? `run the same ${target.name} code on board ${bigger.name} (--target ${bigger.aliases[0] ?? target.name} or --board ${bigger.name}; ${kib(bigger.ram_bytes)} RAM)`
        : undefined,
    });
    return undefined;
  }
  const first = target.boards[0]!;
  const firstFit = ramFit(first, need);
  if (firstFit.fits) return first;
  const other = target.boards.find((b) => ramFit(b, need).fits);
  if (other) {
    bag.add({
      code: 'F8E091',
      severity: 'note',
      message: `the model ${describeFit(first, need, firstFit)}; running the same ${target.name} code on board ${other.name} (${kib(other.ram_bytes)} RAM) instead`,
      field: '--target',
      hint: `pass --board ${first.name} to insist on the small board`,
    });
    return other;
  }
  bag.error('F8E091', `the model ${describeFit(first, need, firstFit)}`, { field: '--target' });
  return undefined;
}

/** Reports F8E094 when code + weights exceed the board's flash. */
export function checkFlash(board: BoardDesc, flashBytes: number, bag: DiagnosticBag): boolean {
  if (flashBytes <= board.flash_bytes) return true;
  bag.error('F8E094', `the program needs ${flashBytes} B of flash (code + weights) but board ${board.name} has ${kib(board.flash_bytes)}`);
  return false;
}
