/** `f8c targets`: the targets f8c compiles for, their flags, features and QEMU boards. */
import type { Command } from 'commander';
import { allTargets, featureList } from '../targets/load.js';
import type { TargetDesc } from '../targets/types.js';
import type { Io } from './main.js';

/** Left-aligned columns (kept local: the listing has no numeric columns). */
function columns(headers: string[], rows: string[][]): string {
  const all = [headers, ...rows];
  const w = headers.map((_, c) => Math.max(...all.map((r) => (r[c] ?? '').length)));
  const line = (r: string[]) => r.map((s, c) => s.padEnd(w[c]!)).join('  ').trimEnd();
  return [line(headers), w.map((n) => '-'.repeat(n)).join('  '), ...rows.map(line)].join('\n');
}

const size = (n: number) => (n >= 1 << 20 ? `${n / (1 << 20)} MiB` : `${n / 1024} KiB`);

function cycles(t: TargetDesc): string {
  if (t.kind === 'host') return '-';
  if (!t.cycle_model) return t.boards.length ? 'instructions only' : '-';
  return `estimate (${t.cycle_model} table)`;
}

export function targetRows(targets: TargetDesc[]): string[][] {
  const rows: string[][] = [];
  for (const t of targets) {
    const boards = t.boards.length ? t.boards : [undefined];
    boards.forEach((b, i) => {
      const first = i === 0;
      rows.push([
        first ? t.name : b?.aliases[0] ? `  (${b.aliases[0]})` : '',
        first ? (t.arch ?? '-') : '',
        first ? featureList(t) : '',
        b ? `${b.name}` : '-',
        b ? size(b.ram_bytes) : '-',
        b ? size(b.flash_bytes) : '-',
        first ? cycles(t) : '',
      ]);
    });
  }
  return rows;
}

export function registerTargets(program: Command, io: Io): void {
  program
    .command('targets')
    .description('list the targets: compiler flags, ISA features, and the QEMU board (RAM, flash) verify and bench run on')
    .option('-v, --verbose', 'also print each target\'s summary and compiler flags')
    .option('--json', 'print the target descriptions as JSON')
    .action((opts: { verbose?: boolean; json?: boolean }) => {
      const targets = allTargets();
      if (opts.json) {
        io.out(JSON.stringify(targets.map(({ $comment: _c, ...t }) => t), null, 2));
        return;
      }
      io.out(columns(['target', 'arch', 'features', 'QEMU board', 'RAM', 'flash', 'cycles'], targetRows(targets)));
      if (opts.verbose) {
        for (const t of targets) {
          io.out('');
          io.out(`${t.name}: ${t.summary}`);
          if (t.aliases.length) io.out(`  also: ${t.aliases.join(', ')}`);
          if (t.cflags.length) io.out(`  cflags: ${t.cflags.join(' ')}`);
          for (const b of t.boards) io.out(`  board ${b.name}${b.aliases.length ? ` (--target ${b.aliases[0]})` : ''}: ${b.summary}; stack ${b.stack_bytes} B`);
        }
      }
      io.out('');
      io.out('--target cortex-m writes portable sources for any Cortex-M core; verify and bench need a specific core.');
      io.out('Cycle counts from f8c bench are estimates from static timing tables, not measurements.');
    });
}
