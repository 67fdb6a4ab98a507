/** zod issues to diagnostics: one issue per unknown key, codes by the path. */
import type { z } from 'zod';
import type { DiagCode } from '../diag/codes.js';

export interface Issue {
  path: (string | number)[];
  message: string;
  code: string;
}

/** Flattens zod issues; an unrecognised-keys issue becomes one issue per key, pointing at the key. */
export function splitIssues(issues: readonly z.core.$ZodIssue[]): Issue[] {
  const out: Issue[] = [];
  for (const is of issues) {
    const path = is.path.map((s) => (typeof s === 'number' ? s : String(s)));
    if (is.code === 'unrecognized_keys') {
      for (const k of is.keys) out.push({ path: [...path, k], message: `unknown key "${k}"`, code: is.code });
    } else out.push({ path, message: is.message, code: is.code });
  }
  return out;
}

/** F8E040 for an FL outside [FL_MIN, FL_MAX]; F8E004 for any other schema problem. */
export function issueCode(is: Issue): DiagCode {
  const p = is.path;
  const flAt = p.lastIndexOf('fl');
  const isFl = flAt >= 1 && p[flAt - 1] === 'quant' && flAt >= p.length - 2;
  if (isFl && (is.code === 'too_small' || is.code === 'too_big')) return 'F8E040';
  return 'F8E004';
}
