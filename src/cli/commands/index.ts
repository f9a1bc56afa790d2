/**
 * Every CLI command, in help order. Each module is loaded only when its command runs (or for the
 * full help): loading them all pulled express, the simulator's certificate code and mailauth into
 * every `fix-email-auth explain`, most of a second before any work started.
 *
 * To add a command: one entry with the names it registers and a loader for its `register` function.
 */
import type { Command } from 'commander';
import type { CliIO } from '../io';

export type RegisterCommand = (program: Command, io: CliIO, setExit: (code: number) => void) => void;

export interface CommandModule {
  /** The command names the module registers (`jobs` also registers `job`). */
  names: readonly string[];
  load: () => RegisterCommand;
}

/* eslint-disable @typescript-eslint/no-require-imports -- lazy loading is the point here */
export const COMMANDS: readonly CommandModule[] = [
  { names: ['diagnose'], load: () => (require('./diagnose') as typeof import('./diagnose')).registerDiagnose },
  { names: ['scan'], load: () => (require('./scan') as typeof import('./scan')).register },
  { names: ['fix'], load: () => (require('./fix') as typeof import('./fix')).registerFix },
  { names: ['jobs', 'job'], load: () => (require('./jobs') as typeof import('./jobs')).register },
  { names: ['rollback'], load: () => (require('./rollback') as typeof import('./rollback')).registerRollback },
  { names: ['templates'], load: () => (require('./templates') as typeof import('./templates')).register },
  { names: ['history'], load: () => (require('./history') as typeof import('./history')).registerHistory },
  { names: ['verify'], load: () => (require('./verify') as typeof import('./verify')).registerVerify },
  { names: ['bounces'], load: () => (require('./bounces') as typeof import('./bounces')).register },
  { names: ['explain'], load: () => (require('./explain') as typeof import('./explain')).register },
  { names: ['test-email'], load: () => (require('./testEmail') as typeof import('./testEmail')).registerTestEmail },
  { names: ['serve'], load: () => (require('./serve') as typeof import('./serve')).register },
  { names: ['demo'], load: () => (require('./demo') as typeof import('./demo')).register },
  { names: ['fleet'], load: () => (require('./fleet') as typeof import('./fleet')).register },
];

/**
 * The commands to register for `argv`: only the one named (also after `help`), or all of them when
 * none is (top-level help, a typo — commander then lists what exists).
 */
export function commandsFor(argv: readonly string[]): RegisterCommand[] {
  const words = argv.filter((a) => !a.startsWith('-'));
  const name = words[0] === 'help' ? words[1] : words[0];
  const chosen = COMMANDS.filter((c) => name !== undefined && c.names.includes(name));
  return (chosen.length ? chosen : COMMANDS).map((c) => c.load());
}
