/**
 * Parses what the harness reports: the counting plugin's result file
 * (`@mcu calibration|region|summary|total ...`) and the startup code's exit
 * and fault lines on the program's stderr (`@mcu exit=0 stack_peak=...`).
 */

export interface Counts {
  insns: number;
  /** Static cycle estimate, or null when the target has no timing table. */
  cycles: number | null;
  /** Instruction-class histogram (alu, mac, ld, st, br, mve ...). */
  classes: Record<string, number>;
}

export interface Region extends Counts {
  /** 1-based, in the order regions completed (calibration excluded). */
  index: number;
  /** Nesting depth when it completed (0 = outermost). */
  depth: number;
}

export interface PluginReport {
  calibration?: Counts;
  regions: Region[];
  total?: Counts;
  warnings: string[];
}

function counts(rest: string): Counts {
  const [head, hist = ''] = rest.split('|');
  const kv = (s: string) => Object.fromEntries([...s.matchAll(/(\w+)=(\d+)/g)].map((m) => [m[1]!, Number(m[2])]));
  const h = kv(head!);
  return { insns: h['insns'] ?? 0, cycles: h['est_cycles'] ?? null, classes: kv(hist) };
}

export function parsePluginReport(text: string): PluginReport {
  const rep: PluginReport = { regions: [], warnings: [] };
  for (const line of text.split('\n')) {
    let m: RegExpExecArray | null;
    if ((m = /^@mcu region (\d+) depth=(\d+) (.*)$/.exec(line))) {
      rep.regions.push({ index: Number(m[1]), depth: Number(m[2]), ...counts(m[3]!) });
    } else if ((m = /^@mcu calibration (.*)$/.exec(line))) {
      rep.calibration = counts(m[1]!.replace(/\(.*\)/, ''));
    } else if ((m = /^@mcu total (.*)$/.exec(line))) {
      rep.total = counts(m[1]!.replace(/\(.*\)/, ''));
    } else if ((m = /^@mcu warning: (.*)$/.exec(line))) {
      rep.warnings.push(m[1]!);
    }
  }
  return rep;
}

export interface ExitReport {
  /** Exit status the program passed to exit(), if it got that far. */
  status?: number;
  stackPeak?: number;
  stackSize?: number;
  /** `HardFault pc=0x... lr=0x...` when the program faulted. */
  fault?: string;
  /** The program's own stderr, harness lines removed. */
  stderr: string;
}

export function parseExitLines(stderr: string): ExitReport {
  const rep: ExitReport = { stderr: '' };
  const own: string[] = [];
  for (const line of stderr.split('\n')) {
    let m: RegExpExecArray | null;
    if ((m = /^@mcu exit=(-?\d+) stack_peak=(\d+) stack_size=(\d+)/.exec(line))) {
      rep.status = Number(m[1]);
      rep.stackPeak = Number(m[2]);
      rep.stackSize = Number(m[3]);
    } else if ((m = /^@mcu FAULT (.*)$/.exec(line))) {
      rep.fault = m[1]!.trim();
    } else if (!line.startsWith('@mcu ')) {
      own.push(line);
    }
  }
  rep.stderr = own.join('\n').trim();
  return rep;
}
