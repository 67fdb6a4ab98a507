/**
 * Where the estimated cycles of a firmware run go: reads the counting
 * plugin's per-instruction profile (written next to the ELF when a bench runs
 * with --keep=DIR: profile.txt beside prog.elf) and prints the functions by
 * est. cycles, then the hottest instructions of the top functions.
 *
 *   npx tsx scripts/bench-layers.ts --quick --only=L3 --keep=/tmp/k
 *   npx tsx scripts/profile.ts /tmp/k/l3-cortex-m4-arm/<tag> [--top=N] [--insns=N] [--p=2]
 *
 * est. cycles of an instruction = executions x its static cost + taken x P
 * (the refill penalty, 2 on the M4 model).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { ARM_TOOLS } from '../src/backend/mcu/tools.js';

interface Row { va: number; n: number; cost: number; taken: number; dis: string; cyc: number; fn: string }

/** The first directory at or below d (depth first) holding a file that `match` accepts, and that file's path. */
function findUnder(d: string, match: (name: string) => boolean): string {
  const entries = readdirSync(d, { withFileTypes: true });
  const hit = entries.find((e) => e.isFile() && match(e.name));
  if (hit) return join(d, hit.name);
  for (const e of entries) {
    if (!e.isDirectory()) continue;
    try {
      return findUnder(join(d, e.name), match);
    } catch {
      /* the next one */
    }
  }
  throw new Error(`nothing matching under ${d}`);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const opt = (k: string, dflt: number) => Number(args.find((a) => a.startsWith(`--${k}=`))?.split('=')[1] ?? dflt);
  const dir = dirname(findUnder(args.find((a) => !a.startsWith('--')) ?? '.', (n) => n === 'profile.txt'));
  const top = opt('top', 12), insns = opt('insns', 40), P = opt('p', 2);
  const syms = (await execa(ARM_TOOLS.nm, ['-n', '-S', findUnder(dir, (n) => n.endsWith('.elf'))])).stdout
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.length >= 3 && /^[tTwW]$/.test(f[f.length - 2]!))
    .map((f) => ({ at: parseInt(f[0]!, 16), name: f[f.length - 1]! }))
    .sort((a, b) => a.at - b.at);
  const fnOf = (va: number): string => {
    let lo = 0, hi = syms.length - 1, best = '?';
    while (lo <= hi) {
      const m = (lo + hi) >> 1;
      if (syms[m]!.at <= va) {
        best = syms[m]!.name;
        lo = m + 1;
      } else hi = m - 1;
    }
    return best;
  };
  const rows: Row[] = readFileSync(join(dir, 'profile.txt'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const [va, n, cost, taken, ...d] = l.split(' ');
      const r = { va: parseInt(va!, 16), n: Number(n), cost: Number(cost), taken: Number(taken), dis: d.join(' ') };
      return { ...r, cyc: r.n * r.cost + r.taken * P, fn: fnOf(r.va) };
    });
  const total = rows.reduce((s, r) => s + r.cyc, 0);
  const byFn = new Map<string, { cyc: number; n: number }>();
  for (const r of rows) {
    const e = byFn.get(r.fn) ?? { cyc: 0, n: 0 };
    e.cyc += r.cyc;
    e.n += r.n;
    byFn.set(r.fn, e);
  }
  const fns = [...byFn.entries()].sort((a, b) => b[1].cyc - a[1].cyc);
  console.log(`whole run: ${total} est. cycles (${dir})`);
  for (const [fn, e] of fns.slice(0, top)) console.log(`${e.cyc.toString().padStart(10)} ${((100 * e.cyc) / total).toFixed(1).padStart(5)}%  ${e.n.toString().padStart(10)} insns  ${fn}`);
  for (const [fn] of fns.slice(0, opt("fns", 3))) {
    console.log(`\n${fn}: its hottest instructions (by est. cycles), in address order`);
    const mine = rows.filter((r) => r.fn === fn).sort((a, b) => b.cyc - a.cyc);
    for (const r of mine.slice(0, insns).sort((a, b) => a.va - b.va))
      console.log(`  ${r.va.toString(16)} ${r.cyc.toString().padStart(9)} n=${r.n} c=${r.cost}${r.taken ? ` t=${r.taken}` : ''}  ${r.dis}`);
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
