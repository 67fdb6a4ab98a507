import { DiagnosticBag, UserError } from '../../src/diag/diagnostic.js';
import { requireTools } from '../../src/backend/mcu/tools.js';
import { checkFlash } from '../../src/targets/fit.js';
import { resolveTarget } from '../../src/targets/load.js';

describe('target limits and tools', () => {
  test('code + weights over the board flash is F8E094', () => {
    const board = resolveTarget('cortex-m4').target.boards[0]!;
    const bag = new DiagnosticBag();
    expect(checkFlash(board, board.flash_bytes, bag)).toBe(true);
    expect(checkFlash(board, board.flash_bytes + 1, bag)).toBe(false);
    expect(bag.items.map((d) => d.code)).toEqual(['F8E094']);
    expect(bag.items[0]!.message).toContain(board.name);
  });

  test('a missing tool is F8E092 naming it, with the install hint', async () => {
    const tool = 'f8c-no-such-tool-xyz';
    await expect(requireTools([tool])).rejects.toBeInstanceOf(UserError);
    try {
      await requireTools([tool]);
    } catch (e) {
      const d = (e as UserError).diagnostics[0]!;
      expect(d.code).toBe('F8E092');
      expect(d.message).toContain(tool);
      expect(d.hint).toMatch(/install-arm\.sh/);
    }
  });
});
