/** Loading a model for a CLI command: load, print warnings, run the front-end passes. */
import { formatDiagnostic } from '../diag/diagnostic.js';
import type { Graph } from '../ir/types.js';
import { loadModel } from '../loader/load.js';
import { runPipeline } from '../passes/index.js';
import type { Io } from './main.js';

export function loadForCli(path: string, io: Io, opts: { quiet?: boolean } = {}): Graph {
  const { graph, diags } = loadModel(path);
  const g = runPipeline(graph, { diags });
  if (!opts.quiet) for (const d of diags.items) if (d.severity === 'warning') io.err(formatDiagnostic(d));
  return g;
}
