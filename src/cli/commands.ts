/** Every CLI command, in the order `f8c --help` lists them. */
import type { Command } from 'commander';
import { registerInspect } from './inspect.js';
import type { Io } from './main.js';
import { registerRun } from './run.js';
import { registerTargets } from './targets.js';

export type RegisterCommand = (program: Command, io: Io) => void;

export const COMMANDS: RegisterCommand[] = [registerInspect, registerRun, registerTargets];
