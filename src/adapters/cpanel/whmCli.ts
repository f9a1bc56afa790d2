/**
 * WHM API 1 through the `whmapi1` command (docs/reference/cpanel-api.md §3): `whmapi1 <fn> k=v … --output=json`, which
 * prints the same JSON envelope as HTTP. For a root daemon on the server this needs no token at all.
 */
import { cliArgs, type CliEscaping, type ListStyle } from './params';
import { runCliJson } from './execCli';
import { assertApiName } from './names';
import type { CallOptions, Params, RawAnswer, WhmTransport } from './types';

export interface CliSettings {
  binary: string;
  timeoutMs: number;
  listStyle?: ListStyle;
  /** How values are escaped (default `form`; see params.ts `CliEscaping`). */
  escaping?: CliEscaping;
  env?: NodeJS.ProcessEnv;
}

export class WhmCliTransport implements WhmTransport {
  readonly description: string;

  constructor(private readonly settings: CliSettings) {
    this.description = `WHM API 1 via ${settings.binary}`;
  }

  callWhm(fn: string, params: Params, options: CallOptions): Promise<RawAnswer> {
    assertApiName('function', fn);
    return runCliJson({
      binary: this.settings.binary,
      args: [fn, ...cliArgs(params, { style: this.settings.listStyle, escaping: this.settings.escaping }), '--output=json'],
      timeoutMs: this.settings.timeoutMs,
      step: options.step,
      what: `whmapi1 ${fn}`,
      configKey: 'cpanel.whmapi1',
      env: this.settings.env,
    });
  }
}
