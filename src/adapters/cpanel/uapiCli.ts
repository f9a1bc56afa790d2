/**
 * UAPI through the `uapi` command as root for a user (cpanel-api.md §3):
 * `uapi --user=<user> <Module> <fn> k=v … --output=json`. It prints the WRAPPED envelope
 * `{apiversion, func, module, result:{…}}` (§4.2), not the bare HTTP object.
 */
import { cliArgs } from './params';
import { runCliJson } from './execCli';
import { assertApiName, assertUserName } from './names';
import type { CliSettings } from './whmCli';
import type { CallOptions, Params, RawAnswer, UapiTransport } from './types';

export class UapiCliTransport implements UapiTransport {
  readonly description: string;
  readonly envelope = 'wrapped' as const;

  constructor(
    private readonly settings: CliSettings,
    readonly user: string,
  ) {
    assertUserName(user);
    this.description = `UAPI as ${user} via ${settings.binary}`;
  }

  callUapi(module: string, fn: string, params: Params, options: CallOptions): Promise<RawAnswer> {
    assertApiName('module', module);
    assertApiName('function', fn);
    return runCliJson({
      binary: this.settings.binary,
      args: [
        `--user=${this.user}`,
        module,
        fn,
        ...cliArgs(params, { style: this.settings.listStyle, escaping: this.settings.escaping }),
        '--output=json',
      ],
      timeoutMs: this.settings.timeoutMs,
      step: options.step,
      what: `uapi ${module}::${fn} as ${this.user}`,
      configKey: 'cpanel.uapi',
      env: this.settings.env,
    });
  }
}
