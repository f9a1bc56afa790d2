/**
 * Every CLI command, in help order. A command module exports `register(program, io, setExit)`;
 * add one import and one list entry per command.
 */
import type { Command } from 'commander';
import type { CliIO } from '../io';
import { register as bounces } from './bounces';
import { registerDiagnose as diagnose } from './diagnose';
import { registerFix as fix } from './fix';
import { registerHistory as history } from './history';
import { registerRollback as rollback } from './rollback';
import { registerVerify as verify } from './verify';
import { register as explain } from './explain';
import { registerTestEmail as testEmail } from './testEmail';
import { register as serve } from './serve';
import { register as demo } from './demo';
import { register as scan } from './scan';
import { register as jobs } from './jobs';

export type RegisterCommand = (program: Command, io: CliIO, setExit: (code: number) => void) => void;

export const COMMANDS: RegisterCommand[] = [diagnose, scan, fix, jobs, rollback, history, verify, bounces, explain, testEmail, serve, demo];
