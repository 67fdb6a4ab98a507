/** Every CLI command, in the order `f8c --help` lists them. */
import type { Command } from 'commander';
import { registerBench } from './bench.js';
import { registerCompile } from './compile.js';
import { registerEval } from './eval.js';
import { registerImport } from './import.js';
import { registerInspect } from './inspect.js';
import type { Io } from './main.js';
import { registerRun } from './run.js';
import { registerTargets } from './targets.js';
import { registerVerify } from './verify.js';

export type RegisterCommand = (program: Command, io: Io) => void;

export const COMMANDS: RegisterCommand[] = [registerInspect, registerRun, registerCompile, registerVerify, registerTargets, registerBench, registerImport, registerEval];
