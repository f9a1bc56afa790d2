/**
 * Every CLI command, in help order. A command module exports `register(program, io, setExit)`;
 * add one import and one list entry per command.
 */
import type { Command } from 'commander';
import type { CliIO } from '../io';

export type RegisterCommand = (program: Command, io: CliIO, setExit: (code: number) => void) => void;

export const COMMANDS: RegisterCommand[] = [];
