/**
 * User-facing problems are diagnostics, never exceptions. A diagnostic has a
 * stable code from the catalogue (./codes.ts), the file, a location (a JSON
 * pointer into the model file and/or a layer name), a message and a hint.
 * Internal errors (bugs) are thrown as plain Errors and exit with code 2.
 */
import { CODES, type CodeInfo, type DiagCode } from './codes.js';

export type Severity = 'error' | 'warning' | 'note';

export interface Diagnostic {
  code: DiagCode;
  severity: Severity;
  message: string;
  file?: string;
  /** RFC 6901 JSON pointer into the model file, e.g. /layers/3/attrs/strides. */
  pointer?: string;
  layer?: string;
  /** The field the problem is about, when it is not obvious from the pointer. */
  field?: string;
  hint?: string;
}

export type DiagInit = Omit<Diagnostic, 'severity' | 'hint'> & { severity?: Severity; hint?: string };

/** Collects diagnostics of one run; `errors` says whether to stop. */
export class DiagnosticBag {
  readonly items: Diagnostic[] = [];
  constructor(readonly file?: string) {}

  add(d: DiagInit): void {
    this.items.push({
      severity: d.severity ?? (CODES[d.code] as CodeInfo).severity,
      hint: d.hint ?? (CODES[d.code] as CodeInfo).hint,
      file: d.file ?? this.file,
      ...stripUndefined(d),
    } as Diagnostic);
  }

  error(code: DiagCode, message: string, loc: Omit<DiagInit, 'code' | 'message'> = {}): void {
    this.add({ code, message, ...loc });
  }

  warn(code: DiagCode, message: string, loc: Omit<DiagInit, 'code' | 'message'> = {}): void {
    this.add({ code, message, severity: 'warning', ...loc });
  }

  get errors(): Diagnostic[] {
    return this.items.filter((d) => d.severity === 'error');
  }

  hasErrors(): boolean {
    return this.items.some((d) => d.severity === 'error');
  }

  /** Throws a UserError carrying every diagnostic if any is an error. */
  throwIfErrors(): void {
    if (this.hasErrors()) throw new UserError(this.items);
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Carries diagnostics up to the CLI, which prints them and exits 1. */
export class UserError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(diagnostics.map(formatDiagnostic).join('\n'));
    this.name = 'UserError';
  }
}

/** Shorthand for a single fatal diagnostic. */
export function fail(code: DiagCode, message: string, loc: Omit<DiagInit, 'code' | 'message'> = {}): never {
  const bag = new DiagnosticBag(loc.file);
  bag.error(code, message, loc);
  throw new UserError(bag.items);
}

/** `file:/pointer: error F8E012 [layer conv1, field strides]: message\n  hint: ...` */
export function formatDiagnostic(d: Diagnostic): string {
  const where = [d.file, d.pointer].filter(Boolean).join(':');
  const ctx = [d.layer && `layer ${d.layer}`, d.field && `field ${d.field}`].filter(Boolean).join(', ');
  let s = `${where ? where + ': ' : ''}${d.severity} ${d.code}${ctx ? ` [${ctx}]` : ''}: ${d.message}`;
  if (d.hint) s += `\n  hint: ${d.hint}`;
  return s;
}

/** RFC 6901 pointer from path segments. */
export function pointer(...segs: (string | number)[]): string {
  return segs.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}
