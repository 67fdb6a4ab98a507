/** Every CLI command, in the order `f8c --help` lists them. */
import type { Command } from 'commander';
import type { Io } from './main.js';
import { registerTargets } from './targets.js';

export type RegisterCommand = (program: Command, io: Io) => void;

export const COMMANDS: RegisterCommand[] = [registerTargets];
