import { DiagnosticBag, UserError } from '../../src/diag/diagnostic.js';
import { main } from '../../src/cli/main.js';
import { chooseBoard, ramFit, RUNTIME_RAM_BYTES } from '../../src/targets/fit.js';
import { allTargets, findBoard, findTarget, resolveTarget, targetInfo } from '../../src/targets/load.js';

const CORES = ['cortex-m0plus', 'cortex-m3', 'cortex-m4', 'cortex-m7', 'cortex-m33', 'cortex-m55'];

describe('target descriptions', () => {
  test('host, cortex-m and every core are described', () => {
    const names = allTargets().map((t) => t.name);
    expect(names).toEqual(['host', 'cortex-m', ...CORES]);
  });

  test('features map to TargetInfo', () => {
    expect(targetInfo(resolveTarget('cortex-m4').target)).toEqual({ name: 'cortex-m4', dsp: true, mve: false });
    expect(targetInfo(resolveTarget('cortex-m55').target)).toEqual({ name: 'cortex-m55', dsp: true, mve: true });
    expect(targetInfo(resolveTarget('cortex-m0plus').target)).toEqual({ name: 'cortex-m0plus', dsp: false, mve: false });
  });

  test('every core has a board, -mcpu flags and a cycle model only where a table exists', () => {
    for (const n of CORES) {
      const t = resolveTarget(n).target;
      expect(t.boards.length).toBeGreaterThan(0);
      expect(t.cflags).toContain(`-mcpu=${n}`);
    }
    expect(resolveTarget('cortex-m33').target.cycle_model).toBe('m4');
    expect(resolveTarget('cortex-m7').target.cycle_model).toBeNull();
    expect(resolveTarget('cortex-m55').target.cycle_model).toBeNull();
  });

  test('aliases: m4, M0+, m0plus-big selects the 4 MiB board', () => {
    expect(findTarget('m4')?.target.name).toBe('cortex-m4');
    expect(findTarget('Cortex-M0+')?.target.name).toBe('cortex-m0plus');
    const big = findTarget('m0plus-big')!;
    expect(big.target.name).toBe('cortex-m0plus');
    expect(big.board?.ram_bytes).toBe(4 << 20);
    expect(resolveTarget('cortex-m0plus').target.boards[0]!.ram_bytes).toBe(16 * 1024);
  });

  test('unknown target is F8E090, unknown board F8E072', () => {
    expect(() => resolveTarget('cortex-a53')).toThrow(UserError);
    try {
      resolveTarget('cortex-a53');
    } catch (e) {
      expect((e as UserError).diagnostics[0]!.code).toBe('F8E090');
    }
    expect(() => findBoard(resolveTarget('m4').target, 'nope')).toThrow(/no board 'nope'/);
  });
});

describe('RAM fit', () => {
  const m0 = resolveTarget('cortex-m0plus');
  const micro = m0.target.boards[0]!;

  test('arena + stack + runtime against the board RAM', () => {
    const fit = ramFit(micro, { arenaBytes: 1000 });
    expect(fit.needBytes).toBe(1000 + 4096 + RUNTIME_RAM_BYTES);
    expect(fit.fits).toBe(true);
    expect(ramFit(micro, { arenaBytes: 16 * 1024 - 4096 - RUNTIME_RAM_BYTES + 1 }).fits).toBe(false);
  });

  test('default board when it fits, else the bigger one with a note', () => {
    const bag = new DiagnosticBag();
    expect(chooseBoard(m0, { arenaBytes: 2000 }, bag)?.name).toBe('microbit');
    expect(bag.items).toEqual([]);
    expect(chooseBoard(m0, { arenaBytes: 64 * 1024 }, bag)?.name).toBe('mps2-an385');
    expect(bag.items.map((d) => [d.code, d.severity])).toEqual([['F8E091', 'note']]);
    expect(bag.hasErrors()).toBe(false);
  });

  test('a chosen board that is too small is an error with a hint', () => {
    const bag = new DiagnosticBag();
    expect(chooseBoard(m0, { arenaBytes: 64 * 1024 }, bag, micro)).toBeUndefined();
    const d = bag.errors[0]!;
    expect(d.code).toBe('F8E091');
    expect(d.message).toMatch(/arena 65536 B \+ stack 4096 B/);
    expect(d.message).toMatch(/microbit has 16 KiB/);
    expect(d.hint).toMatch(/m0plus-big/);
  });

  test('nothing fits, and cortex-m has no board', () => {
    const bag = new DiagnosticBag();
    expect(chooseBoard(resolveTarget('m4'), { arenaBytes: 8 << 20 }, bag)).toBeUndefined();
    expect(bag.errors[0]!.code).toBe('F8E091');
    const bag2 = new DiagnosticBag();
    expect(chooseBoard(resolveTarget('cortex-m'), { arenaBytes: 1 }, bag2)).toBeUndefined();
    expect(bag2.errors[0]!.code).toBe('F8E093');
  });
});

describe('f8c targets', () => {
  test('lists every target with board RAM', async () => {
    const out: string[] = [];
    const code = await main(['targets'], { out: (s) => out.push(s), err: (s) => out.push(s) });
    expect(code).toBe(0);
    const text = out.join('\n');
    for (const n of ['host', 'cortex-m', ...CORES, 'microbit', 'mps3-an547', '16 KiB', '(m0plus-big)']) expect(text).toContain(n);
    expect(text).toMatch(/estimates/);
  });

  test('--json is the descriptions', async () => {
    const out: string[] = [];
    await main(['targets', '--json'], { out: (s) => out.push(s), err: () => {} });
    const j = JSON.parse(out.join('\n'));
    expect(j.find((t: { name: string }) => t.name === 'cortex-m55').features.mve).toBe(true);
  });
});
