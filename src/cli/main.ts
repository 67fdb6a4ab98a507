#!/usr/bin/env node
/**
 * The f8c command line. Each command lives in its own file and registers
 * itself on the program. User errors (UserError) print their diagnostics and
 * exit 1; anything else is a bug: stack trace and exit 2.
 */
import { Command, CommanderError } from 'commander';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { UserError, formatDiagnostic } from '../diag/diagnostic.js';
import { VERSION } from '../version.js';
import { COMMANDS } from './commands.js';

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}

const stdio: Io = { out: (s) => process.stdout.write(s + '\n'), err: (s) => process.stderr.write(s + '\n') };

export function buildProgram(io: Io): Command {
  const program = new Command('f8c')
    .description('Compile integer-only (F8Net fixed-point) neural networks to C99 for microcontrollers')
    .version(VERSION, '-V, --version')
    .showHelpAfterError()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .exitOverride();
  for (const register of COMMANDS) register(program, io);
  return program;
}

/** Runs the CLI on argv (without node and script); returns the exit code. */
export async function main(argv: string[], io: Io = stdio): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 1;
    if (e instanceof UserError) {
      for (const d of e.diagnostics) io.err(formatDiagnostic(d));
      return 1;
    }
    io.err(`f8c: internal error (a bug in f8c; please report it with the model):\n${(e as Error)?.stack ?? String(e)}`);
    return 2;
  }
}

function isEntryPoint(): boolean {
  try {
    return realpathSync(process.argv[1] ?? '') === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  // A closed pipe (`f8c run ... | head`) ends output quietly, as for any Unix tool.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
