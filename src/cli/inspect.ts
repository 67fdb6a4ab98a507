/** `f8c inspect MODEL`: per-layer table, totals, and the memory plan. */
import type { Command } from 'commander';
import { getTensor, tensorBytes } from '../ir/types.js';
import { greedyPlan } from '../plan/greedy.js';
import { renderPlanPicture, renderPlanTable } from '../plan/render.js';
import { renderTable, thousands } from '../util/table.js';
import { accClass, formatOf, layerFacts, shapeOf } from './describe.js';
import type { Io } from './main.js';
import { loadForCli } from './model.js';
import { rescalePath } from '../ops/affine/pow2.js';

export function registerInspect(program: Command, io: Io): void {
  program
    .command('inspect')
    .description('show layers, formats, MACs, parameter bytes, accumulator bounds and the memory plan')
    .argument('<model>', 'model file (.json, F8Net format v1)')
    .action((model: string) => {
      const g = loadForCli(model, io);
      // Affine (TFLite) models: whether each layer's rescale is shift-only (power-of-two scales, exact) or the Q31 multiplier.
      const affine = g.layers.some((l) => rescalePath(g, l) !== '');
      const rows = g.layers.map((l, i) => {
        const f = layerFacts(g, l);
        const x = getTensor(g, l.inputs[0]!);
        const y = getTensor(g, l.outputs[0]!);
        const clamp = l.clamp ? ` clamp[${l.clamp.lo},${l.clamp.hi}]` : '';
        return [i, l.name, l.op, shapeOf(x), shapeOf(y), formatOf(x), formatOf(y) + clamp, f.macs, f.paramBytes, accClass(f.accMax), ...(affine ? [rescalePath(g, l) || '-'] : [])];
      });
      io.out(`model ${g.name} (${g.source.file}, sha256 ${g.source.hash.slice(0, 16)})`);
      io.out(renderTable(['#', 'layer', 'op', 'input', 'output', 'in format', 'out format', 'MACs', 'param B', 'acc bound', ...(affine ? ['rescale'] : [])], rows));
      const facts = g.layers.map((l) => layerFacts(g, l));
      const macs = facts.reduce((s, f) => s + f.macs, 0);
      const params = facts.reduce((s, f) => s + f.paramBytes, 0);
      const plan = greedyPlan(g);
      io.out('');
      for (const n of g.inputs) io.out(`input  ${n}: ${shapeOf(getTensor(g, n))} ${formatOf(getTensor(g, n))} (${tensorBytes(getTensor(g, n))} B)`);
      for (const n of g.outputs) io.out(`output ${n}: ${shapeOf(getTensor(g, n))} ${formatOf(getTensor(g, n))} (${tensorBytes(getTensor(g, n))} B)`);
      io.out(`total: ${g.layers.length} layers, ${thousands(macs)} MACs, ${thousands(params)} parameter bytes`);
      io.out('');
      io.out(`memory plan: arena ${thousands(plan.arenaSize)} B (lower bound ${thousands(plan.lowerBound)} B: the most bytes live at one step), aligned to ${plan.align}`);
      io.out(renderPlanTable(g, plan));
      io.out('');
      io.out(renderPlanPicture(g, plan));
    });
}
